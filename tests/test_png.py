"""A chart as PNG in one drawing (analysis.png): the same picture as IPython's tight route, cropped the same way."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from IPython.core.formatters import PNGFormatter
from IPython.core.pylabtools import print_figure
from matplotlib.figure import Figure
from PIL import Image

from analysis import png


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _chart(*, layout: str | None = "constrained", title: str = "Uitgaven per maand") -> Figure:
    fig = Figure(figsize=(4, 2.5), dpi=100, layout=layout)
    ax = fig.subplots()
    ax.plot([1, 2, 3, 4], [10, 30, 20, 40], color="C0")
    ax.set_title(title)
    ax.set_xlabel("maand")
    return fig


def test_a_chart_is_the_picture_ipython_would_show():
    ours, theirs = _pixels(png.figure_png(_chart())), _pixels(print_figure(_chart(), "png"))
    # the same crop, give or take the rounding of one edge
    assert abs(ours.shape[0] - theirs.shape[0]) <= 1 and abs(ours.shape[1] - theirs.shape[1]) <= 1
    h, w = min(ours.shape[0], theirs.shape[0]), min(ours.shape[1], theirs.shape[1])
    best = min(np.abs(ours[dy:dy + h - 1, dx:dx + w - 1] - theirs[:h - 1, :w - 1]).mean()
               for dy in (0, 1) for dx in (0, 1))
    assert best < 3  # of 255: the same lines and letters, at most a sub-pixel shift apart
    assert (ours[:5] == 255).all()  # the padding above the title is the figure's white


def test_the_crop_is_the_tight_box_plus_the_padding():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _chart()
    data = png.figure_png(fig)
    tight = fig.get_tightbbox(FigureCanvasAgg(fig).get_renderer()).padded(0.1)  # savefig.pad_inches
    height, width = _pixels(data).shape[:2]
    assert width == round(tight.x1 * 100) - round(tight.x0 * 100)
    assert height == round((2.5 - tight.y0) * 100) - round((2.5 - tight.y1) * 100)
    assert width > 400  # the padding reaches past the figure's 400 pixels, filled in


def test_a_title_wider_than_the_chart_is_kept_whole_by_matplotlibs_route():
    wide = "Een titel die veel breder is dan de grafiek zelf, en dus buiten de figuur uitsteekt aan beide kanten"
    data = png.figure_png(_chart(layout=None, title=wide))
    assert _pixels(data).shape[1] > 500  # wider than the figure's 400 pixels: nothing cut off
    assert _pixels(data).shape == _pixels(print_figure(_chart(layout=None, title=wide), "png")).shape


def test_an_empty_figure_shows_nothing_and_base64_is_a_png():
    assert png.figure_png(Figure()) is None and png.figure_png_base64(Figure()) is None
    assert base64.b64decode(png.figure_png_base64(_chart())).startswith(b"\x89PNG\r\n\x1a\n")


def test_setup_lets_a_notebook_show_figures_through_it(monkeypatch: pytest.MonkeyPatch):
    class Shell:  # what use_figure_png needs of an IPython shell: its PNG formatter
        class display_formatter:  # noqa: N801 - IPython's attribute name
            formatters = {"image/png": PNGFormatter()}

    monkeypatch.setattr("IPython.get_ipython", lambda: Shell)
    png.use_figure_png()
    shown = Shell.display_formatter.formatters["image/png"](_chart())
    assert shown == png.figure_png_base64(_chart())
