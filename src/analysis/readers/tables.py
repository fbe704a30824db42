"""Readers for the tabular sources: contracten (CSV or XLSX), inkomsten, inwoners, tevredenheid.

Each reader turns one file into staging tables (see :mod:`analysis.schemas`) and one
:class:`~analysis.readers.Reject` per bad row, with every problem of that row in its reason. What
a cell may hold is :mod:`analysis.readers.cells`; how a file is read is :mod:`~analysis.readers.csvfile`
and :mod:`~analysis.readers.xlsx`; how rows are checked and split into loaded and rejected, in
batches, is :mod:`~analysis.readers.rows`. This module says only which column of which source
fills which staging column, and how a contracts file says which table it holds.
"""

from __future__ import annotations

from pathlib import Path

from analysis.readers import FileUnreadable, ReadResult
from analysis.readers.cells import (
    canonical,
    clean_text,
    eenheid,
    gemeente_code,
    leeftijdsklasse,
    parse_cents,
    parse_date,
    parse_float,
    parse_int,
    perioden_jaar,
)
from analysis.readers.csvfile import CsvFile
from analysis.readers.rows import Source, Spec, stage_source
from analysis.readers.xlsx import Sheet, is_workbook, open_workbook
from analysis.schemas import DOMEINEN, KPI_NORMEN

__all__ = ["CONTRACT_SHEETS", "parse_cents", "parse_date", "read_contracten", "read_inkomsten", "read_inwoners",
           "read_tevredenheid"]

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
    source = CsvFile(path)
    table, spec = CONTRACT_SHEETS[_recognise(source)]
    return _result("contracten", [(table, spec, source)])


def read_inkomsten(path: Path) -> ReadResult:
    """Rijksmiddelen per gemeente, year and domein (CSV) -> table ``inkomsten`` (cents)."""
    return _result("inkomsten", [("inkomsten", INKOMSTEN, CsvFile(Path(path)))])


def read_inwoners(path: Path) -> ReadResult:
    """Inhabitants per gemeente, year and age band (CBS StatLine CSV) -> table ``inwoners``."""
    return _result("inwoners", [("inwoners", INWONERS, CsvFile(Path(path)))])


def read_tevredenheid(path: Path) -> ReadResult:
    """Client satisfaction per aanbieder, year and domein (survey CSV) -> table ``tevredenheid``."""
    return _result("tevredenheid", [("tevredenheid", TEVREDENHEID, CsvFile(Path(path)))])


def _result(kind: str, parts: list[tuple[str, Spec, Source]]) -> ReadResult:
    result = ReadResult(kind=kind)
    for table, spec, source in parts:
        frame, rejects, notes = stage_source(source, table, spec)
        result.tables[table] = frame
        result.rejects += rejects
        result.notes += notes
    return result


def _recognise(source: Source) -> str:
    """Which contract table a CSV holds, from its header (the one whose columns are all present)."""
    header = {name.lower() for name in source.header}
    missing = {
        sheet: [raw for raw, _ in spec.values() if raw.lower() not in header]
        for sheet, (_, spec) in CONTRACT_SHEETS.items()
    }
    fits = [sheet for sheet, absent in missing.items() if not absent]
    if len(fits) == 1:
        return fits[0]
    if fits:
        raise FileUnreadable(
            f"{source.path}: header fits several tables ({', '.join(fits)}), expected one ({source.header_where})"
        )
    closest = min(missing, key=lambda sheet: len(missing[sheet]))
    raise FileUnreadable(
        f"{source.path}: header fits none of {', '.join(CONTRACT_SHEETS)}; closest is {closest}, "
        f"missing column(s) {', '.join(missing[closest])} ({source.header_where})"
    )


def _read_contract_workbook(path: Path) -> ReadResult:
    """The three sheets of a contracts workbook (names matched ignoring case and spaces), read
    while the workbook is open; other sheets are noted as ignored."""
    workbook = open_workbook(path)
    try:
        sheets = {name.strip().lower(): name for name in workbook.sheetnames}
        missing = [sheet for sheet in CONTRACT_SHEETS if sheet not in sheets]
        if missing:
            raise FileUnreadable(
                f"{path}: missing sheet(s) {', '.join(missing)} (sheets: {', '.join(workbook.sheetnames)})"
            )
        result = _result("contracten", [
            (table, spec, Sheet(workbook, sheets[sheet], path=path, label=sheet))
            for sheet, (table, spec) in CONTRACT_SHEETS.items()
        ])
    finally:
        workbook.close()
    ignored = [name for key, name in sheets.items() if key not in CONTRACT_SHEETS]
    if ignored:
        result.notes.append(f"ignored sheet(s): {', '.join(ignored)}")
    return result
