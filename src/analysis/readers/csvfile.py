"""Reading a CSV file: one line at a time, so a file of any size is read in bounded memory.

- encoding per line: UTF-8 (a BOM at the start is allowed), and a line that is not UTF-8 is read
  as Windows-1252; the note names those lines, so ``Stichting Réveil`` stays right in a UTF-8
  file that one line of Latin-1 got into;
- delimiter ``,`` or ``;``, whichever the header line uses (outside quotes);
- a reject names the physical line of its row; blank lines are skipped.

Rows are split with the csv module, not ``pandas.read_csv``: a reject has to name the line of its
row, and each field has to stay the text it was until a parser has looked at it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from analysis.readers import FileUnreadable, mask_bsn, read_bytes
from analysis.readers.cells import clean_text
from analysis.readers.rows import BATCH_ROWS, Rows

MAX_LINE = 1024 * 1024
"""Bytes a line may have: a longer one is not a table's."""
SNIFF = 64 * 1024
"""Bytes looked at for a UTF-16 BOM or binary data before reading."""
_SHOWN_LINES = 10
_BOM = b"\xef\xbb\xbf"


class CsvFile:
    """A CSV file as a :class:`~analysis.readers.rows.Source`: its header, then its rows in batches.

    Raises FileUnreadable for an empty, binary, UTF-16 or undecodable file, broken quoting, a line
    over :data:`MAX_LINE` bytes and a column name that appears twice.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.delimiter = _delimiter(_first_line(self.path))
        self.decoder = LineDecoder(self.path)
        self._records = self._read_records()
        first = next(self._records, None)
        if first is None:
            raise FileUnreadable(f"{self.path}: empty file, no header (line 1)")
        line, fields = first
        self.header_where = f"line {line}"
        self.header = header_names(fields, path=self.path, where=self.header_where)
        self.notes: list[str] = []

    def batches(self) -> Iterator[Rows]:
        """The rows after the header, :data:`BATCH_ROWS` at a time; ``notes`` is set at the end."""
        batch = Rows(self.header)
        for line, fields in self._records:
            batch.add(fields, f"line {line}")
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = Rows(self.header)
        if len(batch):
            yield batch
        self.notes = [f"{self.decoder.note()}, delimiter {self.delimiter!r}"]

    def _read_records(self) -> Iterator[tuple[int, list[str]]]:
        """(first line, fields) of every record that is not blank."""
        with self.path.open("rb") as handle:
            reader = csv.reader(self.decoder.lines(handle), delimiter=self.delimiter, strict=True)
            next_line = 1
            try:
                for fields in reader:
                    line, next_line = next_line, reader.line_num + 1
                    if any(f.strip() for f in fields):
                        yield line, fields
            except csv.Error as err:
                raise FileUnreadable(f"{self.path}: broken CSV, {err} (line {reader.line_num})") from None


class LineDecoder:
    """Decodes a file line by line, UTF-8 or else Windows-1252, and remembers which lines were which."""

    def __init__(self, path: Path) -> None:
        self.path, self.bom, self.utf8_lines = path, False, 0
        self.cp1252: list[tuple[int, int]] = []  # (line, first byte that is not UTF-8), the first few
        self.cp1252_count = 0

    def lines(self, handle: BinaryIO) -> Iterator[str]:
        """The decoded lines of ``handle``, each with its line end (as the csv module wants them)."""
        for number, raw in enumerate(physical_lines(handle, path=self.path), start=1):
            if number == 1 and raw.startswith(_BOM):
                raw, self.bom = raw[len(_BOM):], True
            yield self.decode(raw, number)

    def decode(self, raw: bytes, number: int) -> str:
        if b"\x00" in raw:
            raise FileUnreadable(f"{self.path}: binary file, not CSV text (NUL byte on line {number})")
        if raw.isascii():
            return raw.decode("ascii")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as err:
                raise FileUnreadable(f"{self.path}: undecodable bytes, neither UTF-8 nor Windows-1252 "
                                     f"(byte 0x{raw[err.start]:02x} on line {number})") from None
            self.cp1252_count += 1
            if len(self.cp1252) < _SHOWN_LINES:
                self.cp1252.append((number, raw[utf8_error.start]))
            return text
        self.utf8_lines += 1
        return text

    def note(self) -> str:
        """The encoding(s) found: "encoding UTF-8", "encoding Windows-1252 (not UTF-8: ...)" or
        "encoding UTF-8, but line(s) 3, 9 not UTF-8: read as Windows-1252"."""
        utf8 = "encoding UTF-8 with BOM" if self.bom else "encoding UTF-8"
        if not self.cp1252:
            return utf8
        if not self.utf8_lines:
            line, byte = self.cp1252[0]
            return f"encoding Windows-1252 (not UTF-8: byte 0x{byte:02x} on line {line})"
        lines = ", ".join(str(line) for line, _ in self.cp1252)
        more = self.cp1252_count - len(self.cp1252)
        return f"{utf8}, but line(s) {lines}{f' and {more} more' if more else ''} not UTF-8: read as Windows-1252"


_LINE_END = re.compile(rb"\r\n|\r|\n")
_BLOCK = 64 * 1024


def physical_lines(handle: BinaryIO, *, path: Path) -> Iterator[bytes]:
    """The lines of a binary file, each with its end: ``\\r\\n``, ``\\n`` or a lone ``\\r`` (old Mac
    files), read a block at a time; FileUnreadable for a line over :data:`MAX_LINE` bytes."""
    rest, number = b"", 0
    while block := handle.read(_BLOCK):
        data, start = rest + block, 0
        for end in _LINE_END.finditer(data):
            if end.end() == len(data) and data.endswith(b"\r"):
                break  # a \r at the end of the block may be the first half of \r\n
            number += 1
            yield data[start:end.end()]
            start = end.end()
        rest = data[start:]
        if len(rest) > MAX_LINE:
            raise FileUnreadable(f"{path}: line {number + 1} is longer than {MAX_LINE // 1024**2} MB, "
                                 "not a table's line")
    if rest:
        yield rest


def _first_line(path: Path) -> str:
    """The first line that is not blank (to find the delimiter); FileUnreadable for an empty,
    UTF-16 or binary file."""
    head = read_bytes(path, limit=SNIFF)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileUnreadable(f"{path}: UTF-16 text is not supported, save it as UTF-8 (line 1)")
    if b"\x00" in head:
        line = head.count(b"\n", 0, head.index(0)) + 1
        raise FileUnreadable(f"{path}: binary file, not CSV text (NUL byte on line {line})")
    with path.open("rb") as handle:
        for line in LineDecoder(path).lines(handle):
            if line.strip():
                return line
    raise FileUnreadable(f"{path}: empty file (line 1)")


_QUOTED = re.compile(r'"[^"]*"')


def _delimiter(line: str) -> str:
    """``;`` when the header line holds more semicolons than commas outside quotes, else ``,``."""
    first = _QUOTED.sub("", line)
    return ";" if first.count(";") > first.count(",") else ","


def header_names(fields: list[str], *, path: Path, where: str) -> list[str]:
    """Column names of a header row (an empty one is ``_column_<i>``); FileUnreadable for a repeat."""
    names = [clean_text(name) or f"_column_{i}" for i, name in enumerate(fields, start=1)]
    seen: set[str] = set()
    for i, name in enumerate(names, start=1):
        if name.lower() in seen:
            raise FileUnreadable(f"{path}: column {mask_bsn(name)!r} appears twice ({where} / column {i})")
        seen.add(name.lower())
    return names
