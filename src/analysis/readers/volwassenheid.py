"""Reader for maturity-scan exports (Keten Maturity Model, inkoopontwikkelmodel): CSV or XLSX.

A survey tool exports one row per respondent and question: ``respondent``, ``organisatie``,
``organisatie_soort``, ``organisatie_code``, ``rol``, ``model``, ``pijler``, ``vraag``, ``huidig``,
``ambitie``, ``ingevuld`` (see data/raw/README.md). The file sits in the folder of its jeugdzorgregio,
``volwassenheid/<regio>/``, which gives every row its ``regio``. CSV handling (encoding, delimiter,
quoting, line numbers) is the one of :mod:`analysis.readers.tables`; an XLSX export is read from the
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
from analysis.readers.tables import (
    Rows,
    Spec,
    bind_columns,
    canonical,
    clean_text,
    gemeente_code,
    is_workbook,
    open_workbook,
    parse_date,
    parse_int,
    parse_records,
    read_csv_rows,
    sheet_rows,
    stage,
    where_number,
)
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
    rows = bind_columns(_workbook_rows(path) if is_workbook(path) else read_csv_rows(path), SPEC, path=path)
    values, problems = parse_records(rows.records, SPEC)
    for value, found, where, record in zip(values, problems, rows.wheres, rows.records):
        value |= {"regio": regio, "waar": where}
        found |= _model_problems(value, found, record)
    frame, rejects = stage(FOLDER, values, problems, wheres=rows.wheres, records=rows.records,
                           sources={column: source for column, (source, _) in SPEC.items()})
    return ReadResult(kind=FOLDER, tables={FOLDER: frame}, rejects=sorted(rows.rejects + rejects, key=where_number),
                      notes=[*rows.notes, f"jeugdzorgregio {regio} (folder {regio_slug(regio)})"])


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


def _model_problems(value: dict[str, Any], found: dict[str, str], record: dict[str, str]) -> dict[str, str]:
    """The pillar and levels of a row against its model; the pillar is put in the model's spelling.

    Nothing is said when the model itself is unknown (the schema says that) or when a field could
    not be parsed (the parser said that).
    """
    known = MODELLEN.get(value["model"])
    if known is None:
        return {}
    problems = {}
    if value["pijler"] is not None and "pijler" not in found:
        pijler = known.pijler(value["pijler"])
        if pijler is None:
            problems["pijler"] = (f"pijler: not a pillar of {known.code} ({', '.join(known.pijlers)}) "
                                  f"({record['pijler'].strip()!r})")
        value["pijler"] = pijler or value["pijler"]
    for column in ("huidig", "ambitie"):
        level = value[column]
        if level is not None and column not in found and not 1 <= level <= known.hoogste:
            problems[column] = (f"{column}: level outside the {known.code} scale 1-{known.hoogste} "
                                f"({record[column].strip()!r})")
    return problems


def _workbook_rows(path: Path) -> Rows:
    """The rows of the first sheet whose header holds every column (else of the first sheet with
    data, so that the missing columns are named)."""
    wanted = {source.lower() for source, _ in SPEC.values()}
    workbook = open_workbook(path)
    try:
        sheets = {}
        for name in workbook.sheetnames:
            try:
                sheets[name] = sheet_rows(workbook[name], sheet=name, path=path)
            except FileUnreadable:  # an empty sheet next to the answers
                continue
    finally:
        workbook.close()
    if not sheets:
        raise FileUnreadable(f"{path}: every sheet of the workbook is empty (sheet 1 row 1)")
    fitting = [name for name, rows in sheets.items() if wanted <= {column.lower() for column in rows.header}]
    chosen = (fitting or list(sheets))[0]
    others = [name for name in sheets if name != chosen]
    if others:
        sheets[chosen].notes.append(f"ignored sheet(s): {', '.join(others)}")
    return sheets[chosen]
