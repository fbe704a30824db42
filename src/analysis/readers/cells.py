"""Parsing one cell of a table: raw text -> value, or ValueError saying what is wrong.

Every parser takes the text as it stood in the file (a CSV field, or a spreadsheet cell written
as text by :func:`analysis.readers.xlsx.cell_text`) and returns None for an empty cell:

- text: line breaks and tabs made spaces, other control characters removed, stripped;
- amounts ``1.234,56``, ``1234,56``, ``1234.56``, ``1.234.567`` (thousands dots), to exact cents.
  One separator before exactly three digits (``85.125``, ``250.000``, ``1,500``) is refused as
  ambiguous: it may mark thousands or decimals, and a wrong guess is off by a factor 1,000;
- dates ``YYYY-MM-DD`` or ``DD-MM-YYYY``; CBS codes and periods; the canonical spelling of a code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

Parser = Callable[[str], Any]


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

    (:func:`parse_cents` refuses ``250.000`` as ambiguous; a count such as ``12.345`` inhabitants
    has no decimals to confuse it with.)
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


AMBIGUOUS = re.compile(r"-?[1-9]\d{0,2}([.,])\d{3}")
"""One separator before exactly three digits: ``85.125``, ``250.000``, ``1,500`` (thousands or decimals?)."""


def parse_cents(raw: str) -> int | None:
    """An amount in EUR as integer cents; more than 2 decimals is refused, never rounded.

    A single separator before exactly three digits is refused as ambiguous (``85.125`` is
    EUR 85,125 or EUR 85.125, and the two differ by a factor 1,000).

    >>> parse_cents("1.234.567,89"), parse_cents("12.5"), parse_cents("")
    (123456789, 1250, None)
    >>> parse_cents("85.125")
    Traceback (most recent call last):
    ValueError: ambiguous: one '.' before three digits marks thousands or decimals
    """
    text = clean_text(raw)
    if text is not None and (match := AMBIGUOUS.fullmatch(text.removeprefix("€").strip())):
        raise ValueError(f"ambiguous: one {match.group(1)!r} before three digits marks thousands or decimals")
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
