"""Readers for the tabular sources: contracten (CSV or XLSX), inkomsten, inwoners, tevredenheid.

Each reader turns one file into staging tables (see :mod:`analysis.schemas`) and one
:class:`Reject` per bad row, with every problem of that row in its reason. The CSV handling is
shared by all of them and by nothing else:

- encoding UTF-8 (with or without BOM), else Windows-1252; the one used is noted;
- delimiter ``,`` or ``;``, whichever the header line uses (outside quotes);
- amounts ``1.234,56``, ``1234,56``, ``250.000`` (thousands dots) or ``1234.56``, to exact cents;
- dates ``YYYY-MM-DD`` or ``DD-MM-YYYY``; whitespace stripped; control characters removed.

Rows are split with the csv module, not ``pandas.read_csv``: a reject has to name the physical
line of its row, and each field has to stay the text it was until a parser has looked at it.
The rows of one file are small (hundreds to thousands), so this costs nothing that matters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from analysis.readers import FileUnreadable, ReadResult, Reject
from analysis.schemas import DOMEINEN, KPI_NORMEN, MISSING, ROW, SCHEMAS, row_problems

MAX_XLSX_BYTES = 50 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 500 * 1024 * 1024  # a 50 MB zip that unpacks to more is a zip bomb

Parser = Callable[[str], Any]
Spec = dict[str, tuple[str, Parser]]
"""Staging column -> (raw column it comes from, parser of the raw text)."""


# --- field parsers: raw text -> value, None when empty, ValueError saying what is wrong ----------

_BREAKS = re.compile(r"[\t\r\n]+")
# C0/C1 controls, soft hyphen, zero-width and bidi controls, BOM: invisible, and some reorder text.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def clean_text(raw: str) -> str | None:
    """Text with line breaks and tabs made spaces, other control characters removed, stripped.

    HTML stays as it is (escaping is the report's job). Empty text is missing (None).

    >>> clean_text("  Zorg\\u202e & <b>Co</b>\\n "), clean_text(" ")
    ('Zorg & <b>Co</b>', None)
    """
    text = _INVISIBLE.sub("", _BREAKS.sub(" ", raw)).strip()
    return text or None


_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")  # 1234.56
_DECIMAL_COMMA = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+")  # 1.234,56  1234,56
_THOUSANDS_DOTS = re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3})+")  # 250.000  1.234.567
_INT64_MAX = 2**63 - 1


def parse_decimal(raw: str, *, thousands_dots: bool) -> Decimal | None:
    """A number written the Dutch way (``1.234,56``) or plainly (``1234.56``), exactly.

    Without a comma, ``250.000`` means 250000 when ``thousands_dots`` (amounts in EUR are
    written so) and 250.0 otherwise (scores, ratios). A leading ``€`` is allowed.

    >>> parse_decimal("€ 1.234,56", thousands_dots=True), parse_decimal("250.000", thousands_dots=True)
    (Decimal('1234.56'), Decimal('250000'))
    """
    text = clean_text(raw)
    if text is None:
        return None
    text = text.removeprefix("€").strip()
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    elif thousands_dots and _THOUSANDS_DOTS.fullmatch(text):
        text = text.replace(".", "")
    elif not _PLAIN.fullmatch(text):
        raise ValueError("not a number")
    return Decimal(text)


def parse_cents(raw: str) -> int | None:
    """An amount in EUR as integer cents; more than 2 decimals is refused, never rounded.

    >>> parse_cents("1.234.567,89"), parse_cents("12.5"), parse_cents("")
    (123456789, 1250, None)
    """
    amount = parse_decimal(raw, thousands_dots=True)
    if amount is None:
        return None
    if amount.as_tuple().exponent < -2:
        raise ValueError("more than 2 decimals")
    return _int64(int(amount * 100))


def parse_int(raw: str) -> int | None:
    """A whole number (thousands dots allowed: ``12.345``)."""
    number = parse_decimal(raw, thousands_dots=True)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError("not a whole number")
    return _int64(int(number))


def parse_float(raw: str) -> float | None:
    """A decimal number such as a score or a KPI target: ``7,5``, ``0.85``."""
    number = parse_decimal(raw, thousands_dots=False)
    return None if number is None else float(number)


def _int64(value: int) -> int:
    if abs(value) > _INT64_MAX:
        raise ValueError("too large")
    return value


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NL_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_MIDNIGHT = re.compile(r"[ T]00:00(?::00)?$")  # what spreadsheets append to a date


def parse_date(raw: str) -> dt.date | None:
    """``YYYY-MM-DD`` or ``DD-MM-YYYY`` (a midnight time after it is allowed).

    >>> parse_date("31-12-2024"), parse_date("2024-01-05 00:00:00")
    (datetime.date(2024, 12, 31), datetime.date(2024, 1, 5))
    """
    text = clean_text(raw)
    if text is None:
        return None
    text = _MIDNIGHT.sub("", text)
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _NL_DATE.fullmatch(text):
        day, month, year = match.groups()
    else:
        raise ValueError("not a date (YYYY-MM-DD or DD-MM-YYYY)")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError("not a calendar date") from None


_GEMEENTE_NUMBER = re.compile(r"(?:GM)?(\d{1,4})", re.IGNORECASE)


def gemeente_code(raw: str) -> str | None:
    """CBS gemeente code ``GM0361`` from ``GM0361``, ``0361`` or ``361``; other text unchanged
    (the schema rejects it). Whether the code exists is the warehouse's check.

    >>> gemeente_code("361"), gemeente_code(" gm0361 "), gemeente_code("Alkmaar")
    ('GM0361', 'GM0361', 'Alkmaar')
    """
    text = clean_text(raw)
    if text is None:
        return None
    match = _GEMEENTE_NUMBER.fullmatch(text)
    return f"GM{int(match.group(1)):04d}" if match else text


def canonical(values: Sequence[str]) -> Parser:
    """Parser that spells a known value the canonical way, whatever its case (schema rejects others)."""
    by_lower = {value.lower(): value for value in values}

    def parse(raw: str) -> str | None:
        text = clean_text(raw)
        return None if text is None else by_lower.get(text.lower(), text)

    return parse


def eenheid(raw: str) -> str | None:
    """WJ756 eenheid code, two digits: ``4`` (a spreadsheet ate the zero) becomes ``04``."""
    text = clean_text(raw)
    return text.zfill(2) if text is not None and text.isdigit() and len(text) == 1 else text


_PERIODE_JAAR = re.compile(r"(\d{4})JJ00")


def perioden_jaar(raw: str) -> int | None:
    """Year of a CBS StatLine period: ``2024JJ00`` -> 2024. Quarters and months are refused."""
    text = clean_text(raw)
    if text is None:
        return None
    if not (match := _PERIODE_JAAR.fullmatch(text)):
        raise ValueError("not a year period like 2024JJ00")
    return int(match.group(1))


_LEEFTIJD = {"0 tot 18 jaar": "0-17", "18 jaar of ouder": "18+"}


def leeftijdsklasse(raw: str) -> str | None:
    """CBS age band to ``0-17`` or ``18+``."""
    text = clean_text(raw)
    if text is None:
        return None
    band = _LEEFTIJD.get(" ".join(text.lower().split()))
    if band is None:
        raise ValueError("not '0 tot 18 jaar' or '18 jaar of ouder'")
    return band


# --- what each table takes from which raw column ---------------------------------------------------

_domein = canonical(DOMEINEN)

CONTRACT: Spec = {
    "contract_id": ("contract_id", clean_text),
    "regio": ("regio", clean_text),
    "aanbieder_agb": ("aanbieder_agb", clean_text),
    "aanbieder_naam": ("aanbieder_naam", clean_text),
    "domein": ("domein", _domein),
    "perceel": ("perceel", clean_text),
    "begindatum": ("begindatum", parse_date),
    "einddatum": ("einddatum", parse_date),
    "plafond_cent": ("plafond_eur", parse_cents),
}
CONTRACT_TARIEF: Spec = {
    "contract_id": ("contract_id", clean_text),
    "productcode": ("productcode", clean_text),
    "jaar": ("jaar", parse_int),
    "eenheid": ("eenheid", eenheid),
    "tarief_cent": ("tarief_eur", parse_cents),
}
CONTRACT_KPI: Spec = {
    "contract_id": ("contract_id", clean_text),
    "kpi": ("kpi", clean_text),
    "norm": ("norm", canonical(KPI_NORMEN)),
    "streefwaarde": ("streefwaarde", parse_float),
}
INKOMSTEN: Spec = {
    "gemeente_code": ("gemeente_code", gemeente_code),
    "jaar": ("jaar", parse_int),
    "domein": ("domein", _domein),
    "bedrag_cent": ("bedrag_eur", parse_cents),
}
INWONERS: Spec = {
    "gemeente_code": ("RegioS", gemeente_code),
    "jaar": ("Perioden", perioden_jaar),
    "leeftijdsklasse": ("Leeftijd", leeftijdsklasse),
    "inwoners": ("BevolkingOp1Januari_1", parse_int),
}
TEVREDENHEID: Spec = {
    "aanbieder_agb": ("aanbieder_agb", clean_text),
    "jaar": ("jaar", parse_int),
    "domein": ("domein", _domein),
    "score": ("score", parse_float),
    "respondenten": ("respondenten", parse_int),
}
CONTRACT_SHEETS: dict[str, tuple[str, Spec]] = {
    "contracten": ("contract", CONTRACT),
    "tarieven": ("contract_tarief", CONTRACT_TARIEF),
    "kpi": ("contract_kpi", CONTRACT_KPI),
}
"""Sheet (or CSV table) name -> (staging table, spec)."""


# --- public readers -------------------------------------------------------------------------------


def read_contracten(path: Path) -> ReadResult:
    """Contracts, tariffs and KPI targets from an XLSX workbook (sheets ``contracten``,
    ``tarieven``, ``kpi``) or from one CSV file holding one of them, recognised by its header.

    Tables: ``contract``, ``contract_tarief``, ``contract_kpi`` (a CSV gives only its own).
    Amounts in cents. Whether a tariff's contract exists is checked by the warehouse.
    """
    path = Path(path)
    if is_workbook(path):
        return _read_contract_workbook(path)
    rows = read_csv_rows(path)
    table, spec = CONTRACT_SHEETS[_recognise(rows, path)]
    return _result("contracten", {table: (bind_columns(rows, spec, path=path), spec)})


def read_inkomsten(path: Path) -> ReadResult:
    """Rijksmiddelen per gemeente, year and domein (CSV) -> table ``inkomsten`` (cents)."""
    return _read_csv_table(Path(path), kind="inkomsten", table="inkomsten", spec=INKOMSTEN)


def read_inwoners(path: Path) -> ReadResult:
    """Inhabitants per gemeente, year and age band (CBS StatLine CSV) -> table ``inwoners``."""
    return _read_csv_table(Path(path), kind="inwoners", table="inwoners", spec=INWONERS)


def read_tevredenheid(path: Path) -> ReadResult:
    """Client satisfaction per aanbieder, year and domein (survey CSV) -> table ``tevredenheid``."""
    return _read_csv_table(Path(path), kind="tevredenheid", table="tevredenheid", spec=TEVREDENHEID)


def _read_csv_table(path: Path, *, kind: str, table: str, spec: Spec) -> ReadResult:
    rows = bind_columns(read_csv_rows(path), spec, path=path)
    return _result(kind, {table: (rows, spec)})


# --- raw rows: CSV or sheet -> text records ---------------------------------------------------------


@dataclass
class Rows:
    """The rows of one CSV file or sheet as text, before any parsing.

    ``records[i]`` (header name -> text) was found at ``wheres[i]``; ``rejects`` holds rows that
    could not even be matched to the header (wrong number of fields).
    """

    header: list[str]
    header_where: str
    records: list[dict[str, str]] = field(default_factory=list)
    wheres: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, fields: list[str], where: str) -> None:
        """Add one row; a row with more or fewer fields than the header is rejected."""
        width = len(self.header)
        if len(fields) > width and not any(f.strip() for f in fields[width:]):
            fields = fields[:width]  # trailing empty cells (";;;" from a spreadsheet)
        record = dict(zip(self.header, fields))
        if len(fields) == width:
            self.records.append(record)
            self.wheres.append(where)
            return
        record.update({f"_extra_{i}": text for i, text in enumerate(fields[width:], start=1)})
        self.rejects.append(Reject(where, f"expected {width} fields, found {len(fields)}", record))


def read_csv_rows(path: Path) -> Rows:
    """The header and data rows of a CSV file (encoding and delimiter detected); blank lines skipped.

    Raises FileUnreadable for an empty, binary or undecodable file and for broken quoting.
    """
    text, encoding_note = _decode(path)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: Rows | None = None
    next_line = 1
    try:
        for fields in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(f.strip() for f in fields):
                continue
            if rows is None:
                rows = Rows(header=_header(fields, path=path, where=f"line {line}"), header_where=f"line {line}")
            else:
                rows.add(fields, f"line {line}")
    except csv.Error as err:
        raise FileUnreadable(f"{path}: broken CSV, {err} (line {reader.line_num})") from None
    if rows is None:
        raise FileUnreadable(f"{path}: empty file, no header (line 1)")
    rows.notes.append(f"{encoding_note}, delimiter {delimiter!r}")
    return rows


def is_workbook(path: Path) -> bool:
    """True for an XLSX workbook (a zip), False for anything else (read as CSV text).

    Raises FileUnreadable for an old Excel .xls (or other OLE) file.
    """
    head = read_bytes(path, limit=8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileUnreadable(f"{path}: an old Excel .xls (or other OLE) file, save it as .xlsx (byte 0)")
    return head.startswith(b"PK\x03\x04")


def read_bytes(path: Path, *, limit: int = -1) -> bytes:
    """The file's bytes (the first ``limit`` of them); FileUnreadable when it cannot be opened."""
    try:
        with path.open("rb") as file:
            return file.read(limit)
    except OSError as err:
        raise FileUnreadable(f"{path}: cannot open ({err.strerror or err})") from None


def _decode(path: Path) -> tuple[str, str]:
    """The file's text and a note naming the encoding: UTF-8 (BOM or not), else Windows-1252."""
    data = read_bytes(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileUnreadable(f"{path}: UTF-16 text is not supported, save it as UTF-8 (line 1)")
    if b"\x00" in data:
        raise FileUnreadable(f"{path}: binary file, not CSV text (NUL byte on line {_line_at(data, data.index(0))})")
    try:
        text = data.decode("utf-8-sig")
        note = "encoding UTF-8 with BOM" if data.startswith(b"\xef\xbb\xbf") else "encoding UTF-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as err:
            raise FileUnreadable(
                f"{path}: undecodable bytes, neither UTF-8 nor Windows-1252 "
                f"(byte 0x{data[err.start]:02x} on line {_line_at(data, err.start)})"
            ) from None
        offset = utf8_error.start
        note = f"encoding Windows-1252 (not UTF-8: byte 0x{data[offset]:02x} on line {_line_at(data, offset)})"
    if not text.strip():
        raise FileUnreadable(f"{path}: empty file (line 1)")
    return text, note


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_QUOTED = re.compile(r'"[^"]*"')


def _delimiter(text: str) -> str:
    """``;`` when the header line holds more semicolons than commas outside quotes, else ``,``."""
    first = _QUOTED.sub("", text.lstrip("\r\n").splitlines()[0])
    return ";" if first.count(";") > first.count(",") else ","


def _header(fields: list[str], *, path: Path, where: str) -> list[str]:
    names = [clean_text(name) or f"_column_{i}" for i, name in enumerate(fields, start=1)]
    seen: set[str] = set()
    for i, name in enumerate(names, start=1):
        if name.lower() in seen:
            raise FileUnreadable(f"{path}: column {name!r} appears twice ({where} / column {i})")
        seen.add(name.lower())
    return names


def bind_columns(rows: Rows, spec: Spec, *, path: Path) -> Rows:
    """``rows`` with header names spelled as in ``spec`` (matched ignoring case).

    Raises FileUnreadable naming every required column that is missing; extra columns are noted.
    """
    wanted = {source.lower(): source for source, _ in spec.values()}
    rename = {name: wanted.get(name.lower(), name) for name in rows.header}
    missing = [source for source in wanted.values() if source not in rename.values()]
    if missing:
        raise FileUnreadable(f"{path}: missing column(s) {', '.join(missing)} ({rows.header_where})")
    extra = [name for name, canonical in rename.items() if canonical not in wanted.values()]
    notes = rows.notes + ([f"ignored column(s): {', '.join(extra)}"] if extra else [])
    return Rows(
        header=[rename[name] for name in rows.header],
        header_where=rows.header_where,
        records=[{rename[name]: text for name, text in record.items()} for record in rows.records],
        wheres=rows.wheres,
        rejects=rows.rejects,
        notes=notes,
    )


def _recognise(rows: Rows, path: Path) -> str:
    """Which contract table a CSV holds, from its header (the one whose columns are all present)."""
    header = {name.lower() for name in rows.header}
    missing = {
        sheet: [source for source, _ in spec.values() if source.lower() not in header]
        for sheet, (_, spec) in CONTRACT_SHEETS.items()
    }
    fits = [sheet for sheet, absent in missing.items() if not absent]
    if len(fits) == 1:
        return fits[0]
    if fits:
        raise FileUnreadable(
            f"{path}: header fits several tables ({', '.join(fits)}), expected one ({rows.header_where})"
        )
    closest = min(missing, key=lambda sheet: len(missing[sheet]))
    raise FileUnreadable(
        f"{path}: header fits none of {', '.join(CONTRACT_SHEETS)}; closest is {closest}, "
        f"missing column(s) {', '.join(missing[closest])} ({rows.header_where})"
    )


# --- XLSX ---------------------------------------------------------------------------------------


def _read_contract_workbook(path: Path) -> ReadResult:
    workbook = open_workbook(path)
    try:
        sheets = {name.strip().lower(): name for name in workbook.sheetnames}
        missing = [sheet for sheet in CONTRACT_SHEETS if sheet not in sheets]
        if missing:
            raise FileUnreadable(
                f"{path}: missing sheet(s) {', '.join(missing)} (sheets: {', '.join(workbook.sheetnames)})"
            )
        parts = {}
        for sheet, (table, spec) in CONTRACT_SHEETS.items():
            rows = sheet_rows(workbook[sheets[sheet]], sheet=sheet, path=path)
            parts[table] = (bind_columns(rows, spec, path=path), spec)
        ignored = [name for key, name in sheets.items() if key not in CONTRACT_SHEETS]
    finally:
        workbook.close()
    result = _result("contracten", parts)
    if ignored:
        result.notes.append(f"ignored sheet(s): {', '.join(ignored)}")
    return result


def open_workbook(path: Path) -> openpyxl.Workbook:
    """The workbook, read-only, values not formulas (size checked first); the caller closes it."""
    check_workbook_size(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds (KeyError, BadZipFile, ValueError ...)
        raise FileUnreadable(f"{path}: not a readable XLSX workbook ({type(err).__name__}: {err})") from None


def check_workbook_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_XLSX_BYTES:
        raise FileUnreadable(
            f"{path}: workbook of {size / 1024**2:.1f} MB is over the {MAX_XLSX_BYTES // 1024**2} MB limit"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as err:
        raise FileUnreadable(f"{path}: not a readable XLSX workbook (broken zip: {err})") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileUnreadable(f"{path}: workbook unpacks to {unpacked / 1024**2:.0f} MB, refused as a zip bomb")


def sheet_rows(sheet_ws, *, sheet: str, path: Path) -> Rows:
    """The rows of one sheet as text, ``where`` = "sheet <name> row <Excel row number>"."""
    sheet_ws.reset_dimensions()  # the stored dimension may be stale; read every row there is
    rows: Rows | None = None
    for number, values in enumerate(sheet_ws.iter_rows(values_only=True), start=1):
        fields = [cell_text(value) for value in values]
        if not any(f.strip() for f in fields):
            continue
        where = f"sheet {sheet} row {number}"
        if rows is None:
            rows = Rows(header=_header(fields, path=path, where=where), header_where=where)
        else:
            rows.add(fields + [""] * (len(rows.header) - len(fields)), where)
    if rows is None:
        raise FileUnreadable(f"{path}: sheet {sheet} is empty, no header (sheet {sheet} row 1)")
    return rows


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold: ``2024-01-31``, ``1234.5``, ``''``.

    >>> cell_text(1234567.89), cell_text(12345678.0), cell_text(dt.datetime(2024, 1, 31))
    ('1234567.89', '12345678', '2024-01-31')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: 0.1 stays "0.1"
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- parse, validate, split into loaded and rejected ---------------------------------------------


def parse_records(
    records: Sequence[dict[str, str]], spec: Spec
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Each record parsed by ``spec``: the values (None where a parser failed) and, per row,
    ``{staging column: reason}`` for the fields that could not be parsed."""
    values, problems = [], []
    for record in records:
        row, found = {}, {}
        for column, (source, parse) in spec.items():
            raw = record.get(source, "")
            try:
                row[column] = parse(raw)
            except ValueError as err:
                row[column] = None
                found[column] = f"{source}: {err} ({raw.strip()!r})"
        values.append(row)
        problems.append(found)
    return values, problems


def stage(
    table: str,
    values: Sequence[dict[str, Any]],
    problems: Sequence[dict[str, str]],
    *,
    wheres: Sequence[str],
    records: Sequence[dict[str, str]],
    sources: dict[str, str],
) -> tuple[pd.DataFrame, list[Reject]]:
    """Validate parsed rows against ``SCHEMAS[table]``; return the valid rows and one Reject per
    bad row, its reason listing the parse problems and every schema problem, in column order.

    ``sources`` maps a staging column to the raw field it came from, to name it in reasons.
    """
    schema = SCHEMAS[table]
    frame = _staging_frame(values, schema)
    found = [dict(row) for row in problems]
    for position, schema_found in row_problems(frame, schema, labels=wheres).items():
        if ROW in found[position]:  # the parser found the row itself unusable; details add nothing
            continue
        for column, reason in schema_found.items():
            if column not in found[position]:  # the parser has already said what is wrong there
                found[position][column] = _reason(column, reason, sources=sources, record=records[position])
    order = {column: i for i, column in enumerate(schema.columns)}
    bad = [position for position, row in enumerate(found) if row]
    rejects = [
        Reject(wheres[position], "; ".join(_in_order(found[position], order)), dict(records[position]))
        for position in bad
    ]
    return schema.validate(frame.drop(index=bad).reset_index(drop=True)), rejects


_HOLDING_DTYPE = {"int64": "Int64", "Int64": "Int64", "float64": "float64", "date": object}


def _staging_frame(values: Sequence[dict[str, Any]], schema) -> pd.DataFrame:
    """Parsed values in dtypes that can hold a missing value; the schema coerces them afterwards."""
    return pd.DataFrame(
        {
            name: pd.Series([row[name] for row in values], dtype=_HOLDING_DTYPE.get(str(column.dtype), "str"))
            for name, column in schema.columns.items()
        }
    )


def _in_order(found: dict[str, str], order: dict[str, int]) -> list[str]:
    """Reasons in the table's column order; problems of the whole row last."""
    return [reason for _, reason in sorted(found.items(), key=lambda item: order.get(item[0], len(order)))]


def _reason(column: str, reason: str, *, sources: dict[str, str], record: dict[str, str]) -> str:
    if column.startswith(ROW):
        return reason
    source = sources.get(column, column)
    if reason == MISSING:
        return f"{source}: missing"
    return f"{source}: {reason} ({record.get(source, '').strip()!r})"


def _result(kind: str, parts: dict[str, tuple[Rows, Spec]]) -> ReadResult:
    result = ReadResult(kind=kind)
    for table, (rows, spec) in parts.items():
        values, problems = parse_records(rows.records, spec)
        frame, rejects = stage(
            table, values, problems, wheres=rows.wheres, records=rows.records,
            sources={column: source for column, (source, _) in spec.items()},
        )
        result.tables[table] = frame
        result.rejects += sorted(rows.rejects + rejects, key=where_number)
        result.notes += rows.notes
    return result


def where_number(reject: Reject) -> int:
    return int(reject.where.rsplit(" ", 1)[1])
