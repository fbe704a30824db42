"""The iStandaard 3.2 field facts the XML reader applies: length, pattern and range per element.

These are the product's own copy of what ``basisschema.xsd`` (iJw and iWmo alike) and the message
schemas say of the elements the reader reads; ``tests/reference/test_reference_velden.py``
compares every entry with the published XSDs, so a new release that changes one is noticed. The
reader needs no XSD at run time and does not validate whole messages: it checks the fields it
keeps, so that a 9 MB ``ProductCode`` is a rejected line and not a value in the warehouse.

Keys are the names :func:`analysis.readers.istandaard.fields` gives (``ProductPeriode/Begindatum``);
an element that appears in several messages has one entry, since its type is the same in all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Veld:
    """One element's simple type: ``xsd_type`` (``LDT_ProductCode``), its maxLength, its pattern
    (an XSD pattern matches the whole text), the maxInclusive of an integer type, and whether
    the element repeats (``RetourCode``: the parts, joined with commas, are checked one by one)."""

    xsd_type: str
    max_length: int | None = None
    pattern: str | None = None
    max_value: int | None = None
    repeats: bool = False

    @property
    def longest(self) -> int:
        """Characters the text may have: maxLength, or the digits of maxInclusive."""
        return self.max_length if self.max_length is not None else len(str(self.max_value))


_PRODUCTCATEGORIE = Veld("LDT_ProductCategorie", max_length=2)
NOT_BLANK = r".*[^\s].*"
"""The XSD's pattern for a text that holds more than white space."""

_PRODUCTCODE = Veld("LDT_ProductCode", max_length=5, pattern=NOT_BLANK)
_REFERENTIE = Veld("LDT_ReferentieNummer", max_length=20)
_EENHEID = Veld("LDT_Eenheid", max_length=2)
_DEBETCREDIT = Veld("LDT_DebetCredit", max_length=1)
_NUMMER = Veld("LDT_Nummer", max_value=999_999_999)
_VOLUME = Veld("LDT_Volume", max_value=99_999_999)
_BEDRAG = Veld("LDT_Bedrag", max_value=99_999_999)
_TOTAALBEDRAG = Veld("LDT_TotaalBedrag", max_value=999_999_999_999)
_RETOURCODE = Veld("LDT_RetourCode", max_length=4, repeats=True)

VELDEN: dict[str, Veld] = {
    # Header (all messages)
    "BerichtIdentificatie/Identificatie": Veld("LDT_IdentificatieBericht", max_length=12, pattern=NOT_BLANK),
    "DeclaratieIdentificatie/Identificatie": Veld("LDT_IdentificatieDeclaratie", max_length=12),
    "RetourCodes/RetourCode": _RETOURCODE,
    # Declaratie (323) and DeclaratieAntwoord (325). JW323/WMO323 also restrict DeclaratieNummer to
    # letters and digits, the 325 that answers it does not: the length, common to both, is checked.
    "DeclaratieNummer": Veld("LDT_IdentificatieDeclaratie", max_length=12),
    "TotaalIngediendBedrag/TotaalBedrag": _TOTAALBEDRAG,
    "TotaalIngediendBedrag/DebetCredit": _DEBETCREDIT,
    "TotaalToegekendBedrag/TotaalBedrag": _TOTAALBEDRAG,
    "TotaalToegekendBedrag/DebetCredit": _DEBETCREDIT,
    # Prestatie (323, 325)
    "ProductReferentie/ReferentieNummer": _REFERENTIE,
    "ProductReferentie/VorigReferentieNummer": _REFERENTIE,
    "ToewijzingNummer": _NUMMER,
    "ProductCategorie": _PRODUCTCATEGORIE,
    "ProductCode": _PRODUCTCODE,
    "GeleverdVolume": _VOLUME,
    "Eenheid": _EENHEID,
    "ProductTarief": _BEDRAG,
    "IngediendBedrag/Bedrag": _BEDRAG,
    "IngediendBedrag/DebetCredit": _DEBETCREDIT,
    # ToegewezenProduct (301), StartProduct (305), StopProduct (307)
    "Product/Categorie": _PRODUCTCATEGORIE,
    "Product/Code": _PRODUCTCODE,
    "RedenWijziging": Veld("LDT_RedenWijziging", max_length=2),
    "Omvang/Volume": _VOLUME,
    "Omvang/Eenheid": _EENHEID,
    "Omvang/Frequentie": Veld("LDT_Frequentie", max_length=1),
    "Budget": Veld("LDT_Budget", max_value=99_999_999),
    "StatusAanlevering": Veld("LDT_StatusAanlevering", max_length=1),
    "RedenBeeindiging": Veld("LDT_RedenBeeindiging", max_length=2),
}

DATUMS = ("ProductPeriode/Begindatum", "ProductPeriode/Einddatum", "DeclaratiePeriode/Begindatum",
          "DeclaratiePeriode/Einddatum", "DeclaratieDagtekening", "BerichtIdentificatie/Dagtekening",
          "Toewijzingsdatum", "Ingangsdatum", "Einddatum", "Begindatum")
"""The date elements the reader reads (LDT_Datum: ``YYYY-MM-DD``, checked when parsed)."""
LONGEST_DATUM = 10

KNOWN = (*VELDEN, *DATUMS)
"""Every element the reader reads: a reject's record keeps these and nothing else."""

_PATTERNS = {veld.pattern: re.compile(veld.pattern, re.DOTALL) for veld in VELDEN.values() if veld.pattern}


def problems(found: dict[str, str]) -> list[str]:
    """What breaks the XSD's length, pattern or range in the fields of one element, one reason each.

    This runs for every line of every message: a field whose length settles it (no pattern but
    NOT_BLANK, and a range of all nines) is looked at no further when it is short enough. An
    empty text is not checked here: whether it may be missing is the reader's question.

    >>> problems({"ProductCode": "45A03", "Eenheid": "04"}), problems({"ProductCode": "45A0399"})
    ([], ['ProductCode is 7 characters long, more than the 5 of LDT_ProductCode'])
    """
    out = []
    for name, text in found.items():
        longest = _QUICK.get(name)
        if longest is not None and len(text) <= longest and not text.isspace():
            continue
        veld = VELDEN.get(name)
        if veld is None:
            if name in DATUMS and len(text) > LONGEST_DATUM:
                out.append(f"{name} is {len(text)} characters long, more than a date has")
            continue
        for part in text.split(",") if veld.repeats else (text,):
            if reason := _problem(name, part, veld):
                out.append(reason)
                break
    return out


def _quick(veld: Veld) -> bool:
    """Whether a text no longer than ``veld.longest`` surely fits ``veld``."""
    return veld.pattern in (None, NOT_BLANK) and not veld.repeats and (
        veld.max_value is None or veld.max_value == 10 ** veld.longest - 1)


_QUICK = {name: veld.longest for name, veld in VELDEN.items() if _quick(veld)} | dict.fromkeys(DATUMS, LONGEST_DATUM)


def _problem(name: str, text: str, veld: Veld) -> str | None:
    if veld.max_value is not None and text.isdigit():
        digits = text.lstrip("0") or "0"
        if len(digits) > veld.longest or int(digits) > veld.max_value:
            shown = text if len(text) <= 2 * veld.longest else f"of {len(text)} digits"
            return f"{name} {shown} is more than the {veld.max_value} of {veld.xsd_type}"
        return None
    if len(text) > veld.longest:
        return f"{name} is {len(text)} characters long, more than the {veld.longest} of {veld.xsd_type}"
    if text and veld.pattern and not _PATTERNS[veld.pattern].fullmatch(text):
        return f"{name} {text!r} does not match the pattern {veld.pattern} of {veld.xsd_type}"
    return None
