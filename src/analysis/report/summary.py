"""The exception-first summary at the top of every report, and small text helpers."""

from __future__ import annotations

import html
from collections.abc import Sequence



# --- executive summary -------------------------------------------------------------------------

def samenvatting(*, uitzonderingen: Sequence[str], zinnen: Sequence[str],
                 kerncijfers: Sequence[tuple[str, str]], titel: str = "Samenvatting") -> str:
    """The summary section as HTML: what is outside tolerance first, then the other sentences and
    three to five headline figures. Every text is escaped.

    Three to five sentences in all (``uitzonderingen`` + ``zinnen``); when nothing is outside
    tolerance, ``uitzonderingen`` holds the sentence that says so.

    >>> "<section class=\\"samenvatting\\">" in samenvatting(uitzonderingen=["a."], zinnen=["b.", "c."],
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
    e = html.escape
    paras = [f'<p class="uitzondering"><strong>{e(s)}</strong></p>' for s in uitzonderingen]
    paras += [f"<p>{e(s)}</p>" for s in zinnen]
    figures = "".join(f'<li><span class="kerncijfer">{e(v)}</span> {e(label)}</li>' for label, v in kerncijfers)
    return (f'<section class="samenvatting"><h2>{e(titel)}</h2>{"".join(paras)}'
            f'<ul class="kerncijfers">{figures}</ul></section>')


def toon(markup: str):
    """An HTML string as a display object for a notebook cell."""
    from IPython.display import HTML

    return HTML(markup)


def opsomming(zinnen: Sequence[str]) -> str:
    """Sentences (e.g. a forecast's assumptions) as an escaped HTML list."""
    return "<ul>" + "".join(f"<li>{html.escape(z)}</li>" for z in zinnen) + "</ul>"


def namen(items: Sequence[str], *, max_items: int = 3) -> str:
    """'A, B en C' (at most ``max_items``, then 'en N andere')."""
    items = list(items)
    if not items:
        return ""
    shown, rest = items[:max_items], len(items) - max_items
    if rest > 0:
        return ", ".join(shown) + f" en {rest} andere"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " en " + shown[-1]
