"""How a chart becomes the PNG a report shows: one layout pass and one drawing, cropped as IPython's own.

IPython shows a matplotlib figure through ``print_figure(fig, bbox_inches="tight")``. For a figure with a
layout engine (every chart of :mod:`analysis.plots` has constrained layout) matplotlib then lays the figure
out and walks every artist in a drawing that paints nothing, measures the tight box, and only then draws
it for real, so each chart was laid out and walked twice. :func:`figure_png` draws it once (the layout runs
inside that drawing), measures the tight box on the drawn figure and crops the painted pixels to it, with
the same padding (``savefig.pad_inches``) filled with the figure's colour, as the tight box does. When
something sticks out of the figure (a title wider than the chart), only matplotlib's route can keep it
whole, and that route is taken: the result is the same page either way, a pixel more or less at an edge.

The 25 charts of six demo reports (best of 7 rounds, one run): 3.20 s through IPython, 2.32 s here at PNG
compression level 3 (2.63 s at IPython's level 6, 2.67 s at level 1), 2.0 MB of PNG against 1.9 MB.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from matplotlib.figure import Figure

COMPRESS_LEVEL = 3
"""zlib level of the PNGs: the fastest measured (above), for 5% more bytes than IPython's default level 6."""


def figure_png(fig: Figure) -> bytes | None:
    """``fig`` as PNG bytes at its own dpi, cropped to its tight box plus ``savefig.pad_inches``; None for a
    figure without axes or lines (IPython shows nothing for those either)."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgba
    from PIL import Image

    if not fig.axes and not fig.lines:
        return None
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)  # pyplot's: kept
    canvas.draw()
    tight = fig.get_tightbbox(canvas.get_renderer())
    outer = fig.bbox_inches
    if tight.x0 < outer.x0 or tight.y0 < outer.y0 or tight.x1 > outer.x1 or tight.y1 > outer.y1:
        return _matplotlib_png(fig)
    dpi, pixels = fig.dpi, np.asarray(canvas.buffer_rgba())
    box = tight.padded(mpl.rcParams["savefig.pad_inches"])
    height, width = pixels.shape[:2]
    left, right = round(box.x0 * dpi), round(box.x1 * dpi)
    top, bottom = round(height - box.y1 * dpi), round(height - box.y0 * dpi)
    out = np.empty((bottom - top, right - left, 4), dtype=np.uint8)
    out[:] = [round(255 * c) for c in to_rgba(fig.get_facecolor())]
    y0, y1, x0, x1 = max(top, 0), min(bottom, height), max(left, 0), min(right, width)
    out[y0 - top:y1 - top, x0 - left:x1 - left] = pixels[y0:y1, x0:x1]
    buffer = io.BytesIO()
    Image.fromarray(out).save(buffer, format="png", compress_level=COMPRESS_LEVEL, dpi=(dpi, dpi))
    return buffer.getvalue()


def _matplotlib_png(fig: Figure) -> bytes:
    """matplotlib's own tight route (what IPython does), which grows the image past the figure's edges."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", dpi=fig.dpi, facecolor=fig.get_facecolor(),
                edgecolor=fig.get_edgecolor(), pil_kwargs={"compress_level": COMPRESS_LEVEL})
    return buffer.getvalue()


def figure_png_base64(fig: Figure) -> str | None:
    """:func:`figure_png` as base64 text, the form IPython's PNG formatter gives a notebook."""
    data = figure_png(fig)
    return None if data is None else base64.b64encode(data).decode("ascii")


def use_figure_png() -> None:
    """Let the notebook show every matplotlib figure through :func:`figure_png` (outside IPython: nothing).

    ``%matplotlib inline`` registers IPython's own PNG route again: a notebook runs it before
    ``analysis.setup()``."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png_base64)

