"""Publishing: an executed notebook → one self-contained HTML page for the board.

nbconvert's ``HTMLExporter`` runs in-process with the repository's offline template
(``analysis/templates/offline``, package data): no require.js, MathJax, mermaid or widget scripts, a Content-Security-Policy
that forbids any request and any script, no input cells, no prompts. Figures are already inline
(``data:image/png``), so the page works from the file system without a network.

The exporter leaves out nbconvert's last step, a BeautifulSoup pass over the whole page (about three
quarters of an export: parse, two CSS selections, serialise again) that only adds an English alt text to
images without one and ``tabindex="0"`` to the outputs: the template gives every figure its alt text, and
:data:`_FOCUSABLE` adds the tabindex to the outputs and texts directly.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter

import analysis
from analysis.periode import Periode

TEMPLATE = "offline"
_FOCUSABLE = re.compile(r'(<div class="(?:[^"]* )?(?:jp-OutputArea-output|jp-Cell-inputWrapper)(?: [^"]*)?")')
"""The opening tag of an output or a markdown cell's text (the lab template writes the class first), where
nbconvert's pass adds ``tabindex="0"`` so a keyboard can reach each of them."""


class _Exporter(HTMLExporter):
    """nbconvert's HTML exporter without its BeautifulSoup pass (see the module's docstring)."""

    def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None,
                           **kw: Any) -> tuple[str, dict[str, Any]]:
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code",
                             self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return _FOCUSABLE.sub(r'\1 tabindex="0"', html), resources


def template_dir() -> Path:
    """The package's ``templates/`` folder (package data: an installed, non-editable package has it too)."""
    folder = Path(analysis.__file__).resolve().parent / "templates"
    if not (folder / TEMPLATE / "index.html.j2").is_file():
        raise FileNotFoundError(f"{folder / TEMPLATE}: the offline nbconvert template is missing")
    return folder


@functools.cache
def exporter() -> HTMLExporter:
    """One HTML exporter per process (its template compiles once, about 0.2 s)."""
    return _Exporter(template_name=TEMPLATE, extra_template_basedirs=[str(template_dir())],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        language_code="nl")


def periode_label(periode: str) -> str:
    """Dutch month name for a ``YYYY-MM`` periode.

    >>> periode_label("2025-12")
    'december 2025'
    """
    return Periode.parse(periode).tekst


def report_title(report: str, naam: str, periode: str) -> str:
    """The page title: report name, gemeente or regio, periode (``Uitgaven – Alkmaar – december 2025``)."""
    return f"{report} – {naam} – {periode_label(periode)}"


def css_string(text: str) -> str:
    r"""``text`` for inside a CSS string literal: anything but letters, digits, spaces and plain punctuation
    as a CSS escape, so no quote, backslash or ``</style>`` from a name can end the string or the sheet.

    >>> css_string('A "</style>') == 'A \\000022 \\00003c \\00002f style\\00003e '
    True
    """
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()")
    return "".join(c if c in safe else f"\\{ord(c):06x} " for c in text)


def to_html(nb: nbformat.NotebookNode, *, title: str) -> str:
    """The board's HTML page of an executed notebook; ``title`` becomes ``<title>`` (escaped by nbconvert)."""
    nb = nbformat.from_dict(nb)  # a copy: the audit notebook stays as executed
    nb.metadata["title"] = title
    nb.metadata["kop_css"] = css_string(title)  # the printed page's header (@page margin box)
    body, _ = exporter().from_notebook_node(nb)
    return body


def publish(executed: Path, html: Path, *, title: str) -> Path:
    """Write ``html`` from the executed notebook at ``executed``; return the HTML's path."""
    nb = nbformat.read(executed, as_version=4)
    tmp = html.with_name(f".{html.name}.tmp")
    tmp.write_text(to_html(nb, title=title), encoding="utf-8")
    tmp.replace(html)
    return html
