"""Parsing an XML message safely: no DOCTYPE, no entities, no DTD, no network, in any encoding.

A document that declares a DOCTYPE or entities is refused, never expanded. The bytes are first
searched for ``<!DOCTYPE`` / ``<!ENTITY`` as UTF-8 (cheap, and most messages are UTF-8), then in
the encoding the parser found (UTF-16 with or without BOM, or any other), so that no declaration
reaches the reader, whose element walk would otherwise meet entity nodes.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from analysis.readers import FileUnreadable

MAX_BYTES = 256 * 1024 * 1024
_UNSAFE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_UNSAFE_TEXT = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_PARSER: etree.XMLParser | None = None


def _parser() -> etree.XMLParser:
    """The one parser of this process (made once: a message is parsed in microseconds, a parser
    takes longer to make). Entities, DTDs and the network are off; comments and processing
    instructions are dropped, so every node the reader sees is an element."""
    global _PARSER
    if _PARSER is None:
        _PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                  dtd_validation=False, huge_tree=False, remove_comments=True,
                                  remove_pis=True)
    return _PARSER


def parse_document(path: Path | str, *, data: bytes | None = None) -> etree._Element:
    """The root element; FileUnreadable naming the file and the line for any problem."""
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise FileUnreadable(f"{path}: cannot be read ({exc.strerror})") from exc
    if len(data) > MAX_BYTES:
        raise FileUnreadable(f"{path}: {len(data)} bytes is more than the {MAX_BYTES} a message may have")
    if match := _UNSAFE.search(data):
        _refuse(path, data[: match.start()].count(b"\n") + 1)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise FileUnreadable(f"{path}: line {exc.lineno}: not well-formed XML ({exc.msg})") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # entities exist only where a DTD declares them
        _refuse(path, _unsafe_line(data, docinfo.encoding))
    return root


def _unsafe_line(data: bytes, encoding: str | None) -> int:
    """The line of the first declaration, in the document's own encoding (1 when not found)."""
    try:
        text = data.decode(_codec(data, encoding), errors="replace")
    except LookupError:
        return 1
    match = _UNSAFE_TEXT.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _codec(data: bytes, encoding: str | None) -> str:
    """The Python codec for ``data``: UTF-16 by its BOM or, without one, by where the zero bytes
    of ``<?`` fall; else the encoding the parser reported."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\x00<"):
        return "utf-16-be"
    if data.startswith(b"<\x00"):
        return "utf-16-le"
    return encoding or "utf-8"


def _refuse(path: Path | str, line: int) -> None:
    raise FileUnreadable(f"{path}: line {line}: document declares a DOCTYPE or entities; "
                         "refused (entities are never expanded)")
