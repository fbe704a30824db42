"""Reader for maturity-scan exports (Keten Maturity Model, inkoopontwikkelmodel): CSV or XLSX.

A survey tool exports one row per respondent and question: ``respondent``, ``organisatie``,
``organisatie_soort``, ``organisatie_code``, ``rol``, ``model``, ``pijler``, ``vraag``, ``huidig``,
``ambitie``, ``ingevuld`` (see data/raw/README.md). The file sits in the folder of its jeugdzorgregio,
``volwassenheid/<regio>/``, which gives every row its ``regio``. CSV handling (encoding, delimiter,
quoting, line numbers) is the one of :mod:`analysis.readers.csvfile`; an XLSX export is read from the
first sheet that holds the columns.

Checks of a row on its own, each reported with the row's line: the model is known (its code or
name), the pillar is one of that model's (case, whitespace and ``&``/``en`` ignored; stored in the
model's own spelling), both levels are whole numbers on the model's scale (KMM 1-4,
inkoopontwikkelmodel 1-6), the organisation code fits its soort. An ambition below the current
level is allowed (the respondent finds that pillar over-developed; the gap is negative). A
respondent answering the same question twice is a check across files: ``warehouse.checks``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from analysis import reference
from analysis.readers import FileUnreadable, ReadResult
from analysis.readers.cells import canonical, clean_text, gemeente_code, parse_date, parse_int
from analysis.readers.csvfile import CsvFile
from analysis.readers.rows import Rows, Source, Spec, stage_source
from analysis.readers.xlsx import Sheet, is_workbook, open_workbook
from analysis.reference.volwassenheid import MODELLEN, ORGANISATIE_SOORTEN, model, regio_slug

FOLDER = "volwassenheid"


def _model_code(raw: str) -> str | None:
    """The model's code for its code or name (``KMM``, ``Keten Maturity Model``); other text unchanged."""
    text = clean_text(raw)
    found = model(text) if text is not None else None
    return found.code if found is not None else text


SPEC: Spec = {
    "respondent": ("respondent", clean_text),
    "organisatie": ("organisatie", clean_text),
    "organisatie_soort": ("organisatie_soort", canonical(ORGANISATIE_SOORTEN)),
    "organisatie_code": ("organisatie_code", gemeente_code),  # 361 -> GM0361; an AGB or a slug unchanged
    "rol": ("rol", clean_text),
    "model": ("model", _model_code),
    "pijler": ("pijler", clean_text),
    "vraag": ("vraag", clean_text),
    "huidig": ("huidig", parse_int),
    "ambitie": ("ambitie", parse_int),
    "ingevuld": ("ingevuld", parse_date),
}


def read_volwassenheid(path: Path) -> ReadResult:
    """Answers of a maturity scan (CSV or XLSX) -> table ``volwassenheid``, one row per answer."""
    path = Path(path)
    regio = jeugdzorgregio(path)
    if not is_workbook(path):
        return _read(CsvFile(path), regio)
    workbook = open_workbook(path)
    try:
        return _read(_answer_sheet(workbook, path), regio)
    finally:
        workbook.close()


def _read(source: Source, regio: str) -> ReadResult:
    frame, rejects, notes = stage_source(source, FOLDER, SPEC, check=_model_problems, extra={"regio": regio})
    return ReadResult(kind=FOLDER, tables={FOLDER: frame}, rejects=rejects,
                      notes=[*notes, f"jeugdzorgregio {regio} (folder {regio_slug(regio)})"])


def jeugdzorgregio(path: Path) -> str:
    """The jeugdzorgregio of the folder right below ``volwassenheid/`` on ``path``.

    Raises FileUnreadable when the file is not in such a folder or the folder names no region.
    """
    parts = path.parts[:-1]
    below = [i + 1 for i, part in enumerate(parts) if part == FOLDER and i + 1 < len(parts)]
    if not below:
        raise FileUnreadable(f"{path}: not in a folder of a jeugdzorgregio: put it in {FOLDER}/<regio>/ "
                             f"(e.g. {FOLDER}/noord-kennemerland/)")
    folder = parts[below[-1]]
    naam = _regio_by_slug().get(folder)
    if naam is None:
        raise FileUnreadable(f"{path}: folder {folder!r} is not a jeugdzorgregio; name it after one, "
                             f"lower case with '-' (e.g. noord-kennemerland, noord-limburg)")
    return naam


@functools.cache
def _regio_by_slug() -> dict[str, str]:
    names = reference.gemeenten()["jeugdzorgregio"].dropna().unique()
    return {regio_slug(str(n)): str(n) for n in names}


def _model_problems(values: list[dict[str, Any]], problems: list[dict[str, str]], batch: Rows) -> None:
    """The pillar and levels of each row against its model; the pillar is put in the model's spelling.

    Nothing is said when the model itself is unknown (the schema says that) or when a field could
    not be parsed (the parser said that).
    """
    for value, found, record in zip(values, problems, batch.records):
        known = MODELLEN.get(value["model"])
        if known is None:
            continue
        if value["pijler"] is not None and "pijler" not in found:
            pijler = known.pijler(value["pijler"])
            if pijler is None:
                found["pijler"] = (f"pijler: not a pillar of {known.code} ({', '.join(known.pijlers)}) "
                                   f"({record['pijler'].strip()!r})")
            value["pijler"] = pijler or value["pijler"]
        for column in ("huidig", "ambitie"):
            level = value[column]
            if level is not None and column not in found and not 1 <= level <= known.hoogste:
                found[column] = (f"{column}: level outside the {known.code} scale 1-{known.hoogste} "
                                 f"({record[column].strip()!r})")


def _answer_sheet(workbook, path: Path) -> Sheet:  # noqa: ANN001
    """The first sheet whose header holds every column (else the first sheet with data, so that
    the missing columns are named); the other sheets are noted as ignored."""
    wanted = {source.lower() for source, _ in SPEC.values()}
    sheets = {}
    for name in workbook.sheetnames:
        try:
            sheets[name] = Sheet(workbook, name, path=path)
        except FileUnreadable:  # an empty sheet next to the answers
            continue
    if not sheets:
        raise FileUnreadable(f"{path}: every sheet of the workbook is empty (sheet 1 row 1)")
    fitting = [name for name, sheet in sheets.items() if wanted <= {column.lower() for column in sheet.header}]
    chosen = (fitting or list(sheets))[0]
    others = [name for name in sheets if name != chosen]
    if others:
        sheets[chosen].notes.append(f"ignored sheet(s): {', '.join(others)}")
    return sheets[chosen]
