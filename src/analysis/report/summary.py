"""The exception-first summary at the top of every report, its key-figure tiles, and small text helpers.

A summary is the sentences (what is outside tolerance first) and three to five :class:`Kerncijfer`
tiles: a figure, its label and a status colour. The tiles also travel, as data, in the cell's output
(:data:`KERNCIJFERS_MIME`), so the run's front page can show each report's headline figure
(``kop``) without parsing HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

STATUSSEN = ("goed", "let op", "slecht")
"""A key figure's status: within tolerance, to watch, outside tolerance (``None``: no judgement)."""
KERNCIJFERS_MIME = "application/vnd.inkoopmonitor.kerncijfers+json"
"""The output type that holds a summary's key figures in the executed notebook (HTML shows the tiles)."""


@dataclass(frozen=True)
class Kerncijfer:
    """One key figure: ``waarde`` (formatted), ``label``, ``status`` (:data:`STATUSSEN` or None) and
    whether it is the report's headline figure on the front page (``kop``)."""

    label: str
    waarde: str
    status: str | None = None
    kop: bool = False

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSSEN:
            raise ValueError(f"status: expected one of {STATUSSEN} or None, got {self.status!r}")


def status_van(waarde: float, *, slecht: float, let_op: float | None = None, hoger_is_slechter: bool = True
               ) -> str | None:
    """'slecht' beyond ``slecht``, 'let op' beyond ``let_op``, else 'goed' (None for a missing value).

    >>> status_van(3.0, slecht=2.0), status_van(-6.0, slecht=-5.0, let_op=0.0, hoger_is_slechter=False)
    ('slecht', 'slecht')
    """
    if waarde is None or waarde != waarde:
        return None
    sign = 1 if hoger_is_slechter else -1
    if sign * waarde > sign * slecht:
        return "slecht"
    if let_op is not None and sign * waarde > sign * let_op:
        return "let op"
    return "goed"


class Samenvatting(str):
    """The summary's HTML (a ``str``), with its key figures as data (``kerncijfers``)."""

    kerncijfers: tuple[Kerncijfer, ...] = ()
    titel: str = ""

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {"text/html": str(self),
                KERNCIJFERS_MIME: {"titel": self.titel, "kerncijfers": [asdict(k) for k in self.kerncijfers]}}


def samenvatting(*, uitzonderingen: Sequence[str], zinnen: Sequence[str],
                 kerncijfers: Sequence[Kerncijfer | tuple[str, str]], titel: str = "Samenvatting") -> Samenvatting:
    """The summary section as HTML: what is outside tolerance first, then the other sentences and
    three to five key-figure tiles (a ``(label, waarde)`` pair is a tile without status). Every text is
    escaped.

    Three to five sentences in all (``uitzonderingen`` + ``zinnen``); when nothing is outside
    tolerance, ``uitzonderingen`` holds the sentence that says so.

    >>> '<section class="samenvatting">' in samenvatting(uitzonderingen=["a."], zinnen=["b.", "c."],
    ...     kerncijfers=[("x", "1"), ("y", "2"), ("z", "3")])
    True
    """
    sentences = [*uitzonderingen, *zinnen]
    if not uitzonderingen:
        raise ValueError("uitzonderingen: open with what is outside tolerance (or say that nothing is)")
    if not 3 <= len(sentences) <= 5:
        raise ValueError(f"zinnen: a summary has 3 to 5 sentences, got {len(sentences)}")
    if not 3 <= len(kerncijfers) <= 5:
        raise ValueError(f"kerncijfers: a summary has 3 to 5 headline figures, got {len(kerncijfers)}")
    tiles = tuple(k if isinstance(k, Kerncijfer) else Kerncijfer(*k) for k in kerncijfers)
    e = html.escape
    paras = [f'<p class="uitzondering"><strong>{e(s)}</strong></p>' for s in uitzonderingen]
    paras += [f"<p>{e(s)}</p>" for s in zinnen]
    out = Samenvatting(f'<section class="samenvatting"><h2>{e(titel)}</h2>{"".join(paras)}'
                       f'<ul class="kerncijfers">{"".join(tegel(k) for k in tiles)}</ul></section>')
    out.kerncijfers, out.titel = tiles, titel
    return out


def tegel(k: Kerncijfer) -> str:
    """One key figure as a tile: the figure large, the label under it, the status as colour and word
    (the word for readers who do not see the colour, and for print)."""
    status = k.status or "geen"
    word = f'<span class="status">{html.escape(k.status)}</span>' if k.status else ""
    return (f'<li class="tegel status-{status.replace(" ", "-")}"><span class="kerncijfer">{html.escape(k.waarde)}</span> '
            f'<span class="label">{html.escape(k.label)}</span>{word}</li>')


def toon(markup: str):
    """An HTML string as a display object for a notebook cell (a :class:`Samenvatting` keeps its data)."""
    from IPython.display import HTML

    return markup if isinstance(markup, Samenvatting) else HTML(markup)


def opsomming(zinnen: Sequence[str]) -> str:
    """Sentences (e.g. a forecast's assumptions) as an escaped HTML list; empty ones are left out."""
    return "<ul>" + "".join(f"<li>{html.escape(z)}</li>" for z in zinnen if z) + "</ul>"


def namen(items: Sequence[str], *, max_items: int = 3) -> str:
    """'A, B en C' (at most ``max_items``, then 'en N andere')."""
    items = list(items)
    if not items:
        return ""
    shown, rest = items[:max_items], len(items) - max_items
    if rest > 0:
        return ", ".join(shown) + f" en {rest} andere"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " en " + shown[-1]
