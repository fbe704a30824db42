"""Reading an XLSX workbook: row by row, values not formulas, so a sheet of any length is read in
bounded memory.

The workbook is opened read-only (openpyxl) after its zip has been checked: a file over
:data:`MAX_XLSX_BYTES`, one that unpacks to more than :data:`MAX_XLSX_UNPACKED_BYTES`, or a part
that unpacks more than :data:`MAX_RATIO` times its packed size is refused as a zip bomb. A sheet is
read with openpyxl's own streaming parser, one row at a time. A formula cell holds the value the
spreadsheet computed when it was saved; a formula without one (a file written by a program, never
opened in a spreadsheet) is not an empty cell: its row is rejected, naming sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from analysis.readers import FileUnreadable, read_bytes
from analysis.readers.cells import AMBIGUOUS
from analysis.readers.csvfile import header_names
from analysis.readers.rows import BATCH_ROWS, Rows

MAX_XLSX_BYTES = 50 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 500 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 100 * 1024 * 1024  # openpyxl holds the shared strings in memory
MAX_RATIO = 500
"""Unpacked size / packed size a part of more than a MB may have (real sheets: 5 to 100)."""


def is_workbook(path: Path) -> bool:
    """True for an XLSX workbook (a zip), False for anything else (read as CSV text).

    Raises FileUnreadable for an old Excel .xls (or other OLE) file.
    """
    head = read_bytes(path, limit=8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileUnreadable(f"{path}: an old Excel .xls (or other OLE) file, save it as .xlsx (byte 0)")
    return head.startswith(b"PK\x03\x04")


def open_workbook(path: Path) -> openpyxl.Workbook:
    """The workbook, read-only, values not formulas (zip checked first); the caller closes it."""
    check_workbook_size(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds (KeyError, BadZipFile, ValueError ...)
        raise FileUnreadable(f"{path}: not a readable XLSX workbook ({type(err).__name__}: {err})") from None


def check_workbook_size(path: Path) -> None:
    """FileUnreadable for a workbook too large packed or unpacked, or a part that is a zip bomb."""
    size = path.stat().st_size
    if size > MAX_XLSX_BYTES:
        raise FileUnreadable(
            f"{path}: workbook of {size / 1024**2:.1f} MB is over the {MAX_XLSX_BYTES // 1024**2} MB limit"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as err:
        raise FileUnreadable(f"{path}: not a readable XLSX workbook (broken zip: {err})") from None
    unpacked = sum(info.file_size for info in parts)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileUnreadable(f"{path}: workbook unpacks to {unpacked / 1024**2:.0f} MB, refused as a zip bomb")
    for info in parts:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024**2 and ratio > MAX_RATIO:
            raise FileUnreadable(f"{path}: {info.filename} unpacks to {ratio:.0f} times its packed size "
                                 f"(more than {MAX_RATIO}), refused as a zip bomb")
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise FileUnreadable(f"{path}: shared strings of {info.file_size / 1024**2:.0f} MB, over the "
                                 f"{MAX_SHARED_STRINGS_BYTES // 1024**2} MB limit")


class Sheet:
    """One sheet as a :class:`~analysis.readers.rows.Source`: its header, then its rows in batches.

    ``label`` names the sheet in ``where`` ("sheet tarieven row 5"); reasons name the cell by the
    sheet's own title ("formula without a cached value in Contracten!F7"). The workbook must stay
    open until the batches are read. Raises FileUnreadable for a sheet without any row.
    """

    def __init__(self, workbook: openpyxl.Workbook, name: str, *, path: Path, label: str | None = None) -> None:
        self.path, self.title, self.label = path, name, label or name
        self._rows = _sheet_rows(workbook, workbook[name], path=path)
        first = next(self._rows, None)
        if first is None:
            raise FileUnreadable(f"{path}: sheet {self.label} is empty, no header (sheet {self.label} row 1)")
        number, texts, _ = first
        self.header_where = f"sheet {self.label} row {number}"
        self.header = header_names(texts, path=path, where=self.header_where)
        self.notes: list[str] = []

    def batches(self) -> Iterator[Rows]:
        batch = Rows(self.header)
        for number, texts, formulas in self._rows:
            problem = None
            if formulas:
                cells = ", ".join(f"{self.title}!{get_column_letter(column)}{number}" for column in formulas)
                problem = f"formula without a cached value in {cells}"
            batch.add(texts + [""] * (len(self.header) - len(texts)), f"sheet {self.label} row {number}",
                      problem=problem)
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = Rows(self.header)
        if len(batch):
            yield batch


class _NoValue:
    """A formula cell the spreadsheet never computed (no cached value)."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()


class _Parser(WorkSheetParser):
    """openpyxl's streaming sheet parser, telling a formula without a cached value from an empty cell."""

    def parse_cell(self, element):  # noqa: ANN001, ANN201 (openpyxl's signature)
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None and not _cached(element):
            cell["value"] = NO_VALUE
        return cell


def _cached(element) -> bool:  # noqa: ANN001
    """Whether a formula cell holds a computed value: a ``<v>`` with text, or an empty one in a
    string cell (a formula whose result is ""). openpyxl itself writes an empty ``<v>`` in a
    number cell, and programs often write no ``<v>`` at all: neither is a value."""
    value = element.find(VALUE_TAG)
    return value is not None and (bool(value.text) or element.get("t") == "str")


def _sheet_rows(workbook: openpyxl.Workbook, sheet, *, path: Path) -> Iterator[tuple[int, list[str], list[int]]]:  # noqa: ANN001
    """(Excel row number, cell texts, columns holding a formula without a cached value) of every
    row that is not blank, one row at a time (the stored dimension is ignored: it may be stale)."""
    try:
        with workbook._archive.open(sheet._worksheet_path) as source:
            parser = _Parser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                             date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
            for number, cells in parser.parse():
                texts = [""] * max((cell["column"] for cell in cells), default=0)
                formulas = []
                for cell in cells:
                    if cell["value"] is NO_VALUE:
                        formulas.append(cell["column"])
                    texts[cell["column"] - 1] = cell_text(cell["value"])
                if formulas or any(text.strip() for text in texts):
                    yield number, texts, formulas
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as err:  # lxml's errors are SyntaxErrors
        raise FileUnreadable(f"{path}: sheet {sheet.title} is not readable ({type(err).__name__}: {err})") from None


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold: ``2024-01-31``, ``1234.5``, ``''``.

    A number of the shape ``85.125`` gets a fourth decimal, 0 (``85.1250``): a number cell is not
    ambiguous, and its text must not be refused as maybe thousands (see ``cells.parse_cents``).

    >>> cell_text(1234567.89), cell_text(12345678.0), cell_text(dt.datetime(2024, 1, 31)), cell_text(85.125)
    ('1234567.89', '12345678', '2024-01-31', '85.1250')
    """
    if value is None or value is NO_VALUE:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: 0.1 stays "0.1"
        if value.is_integer():
            return str(int(value))
        text = format(Decimal(repr(value)), "f")
        return text + "0" if AMBIGUOUS.fullmatch(text) else text
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
