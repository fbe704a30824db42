"""Run a report notebook's code cells in this process and collect everything the board would see.

The small-cell tests need more than the HTML: a chart's bars and lines are numbers, not text. So each
code cell runs here (the ``parameters`` cell is followed by the given values, as papermill does), and
the value of a cell's last expression is kept: a table (DataFrame), HTML (a summary, a list of
sentences) or a Figure. :class:`Getoond` then holds every text and every number shown.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@dataclass
class Getoond:
    """What a report showed: ``teksten`` (table cells, HTML, chart texts) and ``getallen`` (chart data)."""

    teksten: list[str] = field(default_factory=list)
    getallen: list[float] = field(default_factory=list)
    waarden: list[object] = field(default_factory=list)  # the raw cell values, in order
    namespace: dict = field(default_factory=dict)

    def bevat_tekst(self, tekst: str) -> bool:
        return any(tekst in t for t in self.teksten)

    def bevat_getal(self, getal: float, *, rel: float = 1e-9) -> bool:
        return any(np.isclose(g, getal, rtol=rel, atol=0) for g in self.getallen)


def run_notebook(name: str, parameters: dict) -> Getoond:
    """Execute ``notebooks/<name>.ipynb`` with ``parameters`` and collect what its cells show."""
    matplotlib.use("Agg")
    cells = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text())["cells"]
    namespace: dict = {}
    shown = Getoond(namespace=namespace)
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%"))
        value = _run(source, namespace)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            namespace.update(parameters)
        if value is not None:
            shown.waarden.append(value)
            _collect(value, shown)
    return shown


def _run(source: str, namespace: dict) -> object:
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)


def _collect(value: object, shown: Getoond) -> None:
    if isinstance(value, pd.DataFrame):
        shown.teksten.extend(str(c) for c in value.columns)
        shown.teksten.extend(str(v) for v in value.to_numpy().ravel())
    elif isinstance(value, Figure):
        _collect_figure(value, shown)
        import matplotlib.pyplot as plt

        plt.close(value)
    elif hasattr(value, "data") and isinstance(value.data, str):  # IPython.display.HTML
        shown.teksten.append(value.data)
    else:
        shown.teksten.append(str(value))


def _collect_figure(fig: Figure, shown: Getoond) -> None:
    for artist in fig.findobj():
        if isinstance(artist, Text) and artist.get_text():
            shown.teksten.append(artist.get_text())
        elif isinstance(artist, Rectangle) and artist.axes is not None and artist is not artist.axes.patch:
            shown.getallen.extend([artist.get_height(), artist.get_width(), artist.get_y() + artist.get_height(),
                                   artist.get_x() + artist.get_width()])
        elif isinstance(artist, Line2D):
            shown.getallen.extend(np.asarray(artist.get_ydata(), dtype="float64").ravel().tolist())
            shown.getallen.extend(_numbers(artist.get_xdata()))
        elif isinstance(artist, Collection):
            for path in artist.get_paths():
                shown.getallen.extend(path.vertices.ravel().tolist())
    shown.getallen = [g for g in shown.getallen if np.isfinite(g)]


def _numbers(values) -> list[float]:
    try:
        return np.asarray(values, dtype="float64").ravel().tolist()
    except (TypeError, ValueError):
        return []
