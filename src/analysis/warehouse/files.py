"""Every entry below data/raw, and how to open one without ever leaving that folder.

``raw_entries(raw)`` walks the raw folder without following links and yields every entry with what
the build does with it: read it, or log it as ``overgeslagen`` (skipped) with its reason, or as
``onleesbaar`` when a folder cannot even be listed. Nothing is opened on the way: links, devices
and pipes are judged from ``lstat`` alone, so a link to ``/etc/passwd`` or ``/dev/zero`` is never
read. ``open_file`` opens a regular file with ``O_NOFOLLOW`` and hashes it in blocks.

Names are kept as the file system gives them (``os.fsdecode``, so bytes that are not UTF-8 survive
as surrogates and the file can still be opened); ``shown`` is the form that is logged and stored.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from typing import NamedTuple

from analysis.privacy import DEMO_MARKER

GELADEN, DUPLICAAT, ONLEESBAAR, OVERGESLAGEN = "geladen", "duplicaat", "onleesbaar", "overgeslagen"

#: Files at the top of the raw folder that are not data: its README and the demo writer's marker.
TOP_LEVEL = {
    "README.md": "documentation of the raw folder: not data",
    DEMO_MARKER: "marker of the generated demo: not data",
}
HIDDEN_FILE = "hidden file (name starts with '.'): not read"
IN_HIDDEN_FOLDER = "in a hidden folder ({folder}): not read"
THUMBNAILS = "thumbnail cache of Windows Explorer: not data"
LINK_OUTSIDE = "symbolic link to {target}, outside the raw folder: not followed"
LINK_INSIDE = "symbolic link to {target}, inside the raw folder: not followed (links are never read)"
LINK_DANGLING = "symbolic link to {target}, which does not exist: not followed"
NOT_REGULAR = "not a regular file ({what}): not read"
NOT_EXAMINED = "could not be examined ({error}): not read"
NOT_LISTED = "folder could not be listed ({error}): its files were not read"
_KINDS = ((stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"), (stat.S_ISFIFO, "named pipe"),
          (stat.S_ISSOCK, "socket"))
BLOCK = 1024 * 1024


class Entry(NamedTuple):
    """One entry below raw: its relative path and, unless it is to be read, its status and reason."""

    rel: str
    status: str | None = None
    reason: str | None = None


def shown(name: str) -> str:
    r"""``name`` as it may be logged: bytes that are not UTF-8 and control characters escaped.

    >>> shown(os.fsdecode(b"caf\xe9.xml")), shown("a\nb")
    ('caf\\xe9.xml', 'a\\x0ab')
    """
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def raw_entries(raw: str | os.PathLike[str]) -> Iterator[Entry]:
    """Every entry below ``raw`` (files, links, devices; not the folders themselves), in sorted path
    order, one at a time (a region has hundreds of thousands).

    Each folder's entries are visited in the order of their paths: a folder ``a`` sorts as ``a/``,
    so ``a.txt`` comes before everything in ``a/`` and ``a0`` after it, as in a sorted list of paths.
    """
    root = os.path.realpath(raw)
    yield from _walk(root, root, "", hidden=None)


def raw_files(raw: str | os.PathLike[str]) -> Iterator[str]:
    """The relative paths of the files below ``raw`` that a build reads, and the README and demo marker
    at its top (a copy of the folder needs those too)."""
    for entry in raw_entries(raw):
        if entry.status is None or entry.rel in TOP_LEVEL:
            yield entry.rel


def _walk(root: str, folder: str, prefix: str, *, hidden: str | None) -> Iterator[Entry]:
    try:
        with os.scandir(folder) as found:
            entries = sorted((e.name + "/" if e.is_dir(follow_symlinks=False) else e.name, e) for e in found)
    except OSError as exc:
        yield Entry(prefix, ONLEESBAAR, NOT_LISTED.format(error=exc.strerror or type(exc).__name__))
        return
    for key, entry in entries:
        rel = prefix + key
        if key.endswith("/"):
            inner = hidden or (shown(rel) if entry.name.startswith(".") else None)
            yield from _walk(root, entry.path, rel, hidden=inner)
        else:
            try:
                yield _judge(root, entry, rel, hidden)
            except OSError as exc:  # removed or replaced while the build walked past it
                yield Entry(rel, ONLEESBAAR, NOT_EXAMINED.format(error=exc.strerror or type(exc).__name__))


def _judge(root: str, entry: os.DirEntry[str], rel: str, hidden: str | None) -> Entry:
    """What the build does with one entry that is not a folder."""
    if entry.is_symlink():
        return Entry(rel, OVERGESLAGEN, _link_reason(root, entry.path))
    if not entry.is_file(follow_symlinks=False):  # from the folder listing; lstat only for the odd ones
        mode = entry.stat(follow_symlinks=False).st_mode
        what = next((name for test, name in _KINDS if test(mode)), "unknown kind")
        return Entry(rel, OVERGESLAGEN, NOT_REGULAR.format(what=what))
    if hidden:
        return Entry(rel, OVERGESLAGEN, IN_HIDDEN_FOLDER.format(folder=hidden))
    if entry.name.startswith("."):
        return Entry(rel, OVERGESLAGEN, HIDDEN_FILE)
    if rel in TOP_LEVEL:
        return Entry(rel, OVERGESLAGEN, TOP_LEVEL[rel])
    if entry.name == "Thumbs.db":
        return Entry(rel, OVERGESLAGEN, THUMBNAILS)
    return Entry(rel)


def _link_reason(root: str, path: str) -> str:
    """Why a link is skipped; only ``readlink`` and ``stat`` look at its target, nothing opens it."""
    target = shown(os.readlink(path))
    resolved = os.path.realpath(path)
    if not os.path.exists(resolved):
        return LINK_DANGLING.format(target=target)
    if os.path.commonpath([root, resolved]) != root:
        return LINK_OUTSIDE.format(target=target)
    return LINK_INSIDE.format(target=target)


def open_file(path: str, *, keep: bool, limit: int) -> tuple[str, int, bytes | None]:
    """(sha256, size in bytes, the bytes when ``keep`` and at most ``limit``) of a regular file.

    Opened with ``O_NOFOLLOW`` (a link swapped in after the walk is refused, not followed) and
    ``O_NONBLOCK`` (a pipe swapped in does not hang the build); read in blocks of ``BLOCK`` bytes,
    so hashing a large file takes no memory. Raises ``OSError`` when it is not a regular file.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb", buffering=0, closefd=True) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file (mode {stat.filemode(info.st_mode)})")
        digest, size, parts = hashlib.sha256(), 0, []
        keep = keep and info.st_size <= limit
        while block := handle.read(BLOCK):
            digest.update(block)
            size += len(block)
            if keep:
                parts.append(block)
    return digest.hexdigest(), size, b"".join(parts) if keep and size <= limit else None
