"""The month a report covers (``periode``, ``"YYYY-MM"``) and Dutch dates, written once for the package.

>>> p = Periode.parse("2025-12")
>>> p.jaar, p.maand, p.einde, p.tekst
(2025, 12, datetime.date(2025, 12, 31), 'december 2025')
>>> datum_tekst(date(2026, 1, 8))
'8 januari 2026'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

LOCALE = "nl_NL"
_PERIODE = re.compile(r"^(\d{4})-(\d{2})$")


def maand_einde(jaar: int, maand: int) -> date:
    """The last day of a month: ``maand_einde(2024, 2) == date(2024, 2, 29)``."""
    return date(jaar, maand, calendar.monthrange(jaar, maand)[1])


def maand_naam(maand: int) -> str:
    """The Dutch name of month 1-12 from Babel's CLDR data: ``maand_naam(3) == "maart"``."""
    return format_date(date(2000, maand, 1), "LLLL", locale=LOCALE)


def datum_tekst(value: date | None) -> str:
    """A date the Dutch way (``8 januari 2026``); ``onbekend`` when missing."""
    return "onbekend" if value is None else format_date(value, "d MMMM y", locale=LOCALE)


@dataclass(frozen=True, order=True)
class Periode:
    """A report month. ``Periode.parse`` refuses anything but a real month from 2000 to 2100 with a
    ``ValueError`` naming ``periode``."""

    jaar: int
    maand: int

    @classmethod
    def parse(cls, text: object) -> Periode:
        found = _PERIODE.match(text) if isinstance(text, str) else None
        if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
            raise ValueError(f"periode: expected a month as 'YYYY-MM' (e.g. '2025-12'), got {text!r}")
        return cls(int(found[1]), int(found[2]))

    @property
    def begin(self) -> date:
        return date(self.jaar, self.maand, 1)

    @property
    def einde(self) -> date:
        return maand_einde(self.jaar, self.maand)

    @property
    def tekst(self) -> str:
        """``december 2025``."""
        return f"{maand_naam(self.maand)} {self.jaar}"

    def __str__(self) -> str:
        return f"{self.jaar:04d}-{self.maand:02d}"
