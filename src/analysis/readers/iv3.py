"""Reader for an Iv3 delivery (CBS data schema 2.x, JSON): lasten per taakveld and categorie.

An Iv3 delivery is one gemeente's begroting or realisatie for one boekjaar. Its ``metadata`` says
whose and which; ``data.lasten`` holds ``{taakveld, categorie, bedrag}`` with ``bedrag`` in
EUR 1,000. Amounts are read as decimals straight from the JSON text (never via float) and become
exact integer cents. All taakvelden are kept: the warehouse maps them to the social domain.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from analysis.readers import FileUnreadable, ReadResult, read_bytes, safe_record
from analysis.readers.cells import clean_text
from analysis.readers.rows import stage
from analysis.schemas import IV3_STATUS, JAAR_RANGE, ROW

CENTS_PER_BEDRAG = 100_000
"""Iv3 ``bedrag`` is in EUR 1,000: one unit is 100,000 cents."""

_SOURCES = {"taakveld": "taakveld", "categorie": "categorie", "lasten_cent": "bedrag"}


def read_iv3(path: Path) -> ReadResult:
    """Lasten of one Iv3 delivery -> table ``begroting`` (gemeente_code, jaar, status, taakveld,
    categorie, lasten_cent), one row per ``data.lasten`` item; a bad item is a Reject at
    ``data.lasten[i]``. A delivery that is not a gemeente's, or lacks its metadata, is unreadable.
    """
    path = Path(path)
    document = _load(path)
    metadata = _metadata(document, path)
    lasten = _lasten(document, path)
    records = [_record(item) for item in lasten]
    wheres = [f"data.lasten[{i}]" for i in range(len(lasten))]
    values, problems = zip(*(_parse_item(item, metadata) for item in lasten)) if lasten else ((), ())
    frame, rejects = stage("begroting", values, problems, wheres=wheres, records=records, sources=_SOURCES)
    result = ReadResult(kind="iv3", tables={"begroting": frame}, rejects=rejects)
    result.notes.append(
        f"Iv3 {metadata['status']} {metadata['jaar']} of {metadata['gemeente_code']}"
        f" ({document['metadata'].get('overheidsnaam', '?')}), periode {document['metadata'].get('periode', '?')}"
    )
    repeats = Counter(zip(frame["taakveld"], frame["categorie"]))
    if twice := sorted(key for key, count in repeats.items() if count > 1):
        result.notes.append(f"{len(twice)} (taakveld, categorie) pair(s) appear more than once, e.g. {twice[0]}: kept")
    return result


def _load(path: Path) -> Any:
    """The parsed JSON, numbers with a fraction as Decimal; FileUnreadable with line and column."""
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileUnreadable(f"{path}: not UTF-8 text, so not Iv3 JSON (byte {err.start})") from None
    if not text.strip():
        raise FileUnreadable(f"{path}: empty file (line 1)")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        raise FileUnreadable(f"{path}: invalid JSON, {err.msg} (line {err.lineno} / column {err.colno})") from None
    except (ValueError, RecursionError) as err:
        raise FileUnreadable(f"{path}: invalid JSON, {err}") from None


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _metadata(document: Any, path: Path) -> dict[str, Any]:
    """gemeente_code, jaar and status of the delivery, or FileUnreadable naming the JSON path."""
    if not isinstance(document, dict) or not isinstance(document.get("metadata"), dict):
        raise FileUnreadable(f"{path}: not an Iv3 delivery, no object at metadata")
    meta = document["metadata"]
    if meta.get("overheidslaag") != "Gemeente":
        raise FileUnreadable(f"{path}: metadata.overheidslaag is {meta.get('overheidslaag')!r}, expected 'Gemeente'")
    nummer = meta.get("overheidsnummer")
    if not (isinstance(nummer, str) and nummer.strip().isdigit() and len(nummer.strip()) <= 4):
        raise FileUnreadable(f"{path}: metadata.overheidsnummer is {nummer!r}, expected a gemeente number like '0361'")
    jaar = meta.get("boekjaar")
    if isinstance(jaar, bool) or not isinstance(jaar, int | Decimal) or jaar != int(jaar) or not (
        JAAR_RANGE[0] <= jaar <= JAAR_RANGE[1]
    ):
        raise FileUnreadable(f"{path}: metadata.boekjaar is {jaar!r}, expected a year")
    status = meta.get("status")
    if not isinstance(status, str) or status.lower() not in IV3_STATUS:
        raise FileUnreadable(f"{path}: metadata.status is {status!r}, expected 'Begroting' or 'Realisatie'")
    return {"gemeente_code": f"GM{int(nummer):04d}", "jaar": int(jaar), "status": status.lower()}


def _lasten(document: dict[str, Any], path: Path) -> list[Any]:
    data = document.get("data")
    if not isinstance(data, dict):
        raise FileUnreadable(f"{path}: not an Iv3 delivery, no object at data")
    lasten = data.get("lasten")
    if not isinstance(lasten, list):
        raise FileUnreadable(f"{path}: data.lasten is {type(lasten).__name__}, expected a list")
    return lasten


def _record(item: Any) -> dict[str, str]:
    """The item as text, for the quarantine: its known fields, strings as they are, anything else
    as JSON (see :func:`~analysis.readers.safe_record`)."""
    if not isinstance(item, dict):
        return safe_record({"item": _json(item)}, ["item"])
    text = {key: value if isinstance(value, str) else _json(value) for key, value in item.items()}
    return safe_record(text, _SOURCES.values())


def _json(value: Any) -> str:
    """JSON text of a parsed value: ``Decimal('1.5')`` -> ``1.5``, ``"12"`` -> ``"12"``."""
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _parse_item(item: Any, metadata: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """One lasten item as a staging row, and ``{column: reason}`` for what could not be read."""
    row: dict[str, Any] = {**metadata, "taakveld": None, "categorie": None, "lasten_cent": None}
    if not isinstance(item, dict):
        return row, {ROW: f"not an object but {type(item).__name__}"}
    problems = {}
    for column in ("taakveld", "categorie"):
        value = item.get(column)
        if isinstance(value, str):
            row[column] = clean_text(value)
        elif value is not None:  # a number such as 6.1 would lose "6.10"
            problems[column] = f"{column}: not a string ({_json(value)})"
    try:
        row["lasten_cent"] = _cents(item.get("bedrag"))
    except ValueError as err:
        problems["lasten_cent"] = f"bedrag: {err} ({_json(item.get('bedrag'))})"
    return row, problems


def _cents(bedrag: Any) -> int | None:
    """EUR 1,000 -> cents, exactly: ``Decimal("12.34567")`` -> 1234567."""
    if bedrag is None:
        return None
    if isinstance(bedrag, bool) or not isinstance(bedrag, int | Decimal):
        raise ValueError("not a number")
    cents = Decimal(bedrag) * CENTS_PER_BEDRAG
    if cents != cents.to_integral_value():
        raise ValueError("more than 5 decimals (a fraction of a cent)")
    if abs(cents) > 2**63 - 1:
        raise ValueError("too large")
    return int(cents)
