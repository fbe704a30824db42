"""The checks on an executed report notebook (pure functions: notebook in, problems out), and its key figures.

A notebook is published only when :func:`check_notebook` finds nothing: no error or stderr output, an
executive summary, a picture in every ``figuur`` cell, and the parameters papermill recorded are the
ones the job asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import nbformat

SUMMARY_MARK = '<section class="samenvatting">'


def check_no_errors(nb: nbformat.NotebookNode) -> list[str]:
    """No ``error`` output and no ``stderr`` stream (warnings included) in any cell."""
    problems = []
    for i, cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cel {i}: fout {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", "")).strip().splitlines() or [""]
                problems.append(f"cel {i}: uitvoer op stderr: {text[0][:200]}")
    return problems


def check_summary(nb: nbformat.NotebookNode) -> list[str]:
    """An executive summary: some ``text/html`` output holds ``<section class="samenvatting">``."""
    for _, cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            if SUMMARY_MARK in "".join(out.get("data", {}).get("text/html", "")):
                return []
    return ["geen samenvatting: geen uitvoer met <section class=\"samenvatting\">"]


def check_figures(nb: nbformat.NotebookNode) -> list[str]:
    """Every cell tagged ``figuur`` shows at least one ``image/png``."""
    return [f"cel {i}: figuur zonder afbeelding (geen image/png)" for i, cell in _code_cells(nb)
            if "figuur" in cell.get("metadata", {}).get("tags", [])
            and not any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))]


def check_parameters(nb: nbformat.NotebookNode, expected: Mapping[str, Any]) -> list[str]:
    """papermill recorded the parameters the notebook ran with, and they are the ones asked for."""
    recorded = nb.get("metadata", {}).get("papermill", {}).get("parameters")
    if recorded is None:
        return ["geen parameters vastgelegd (metadata.papermill.parameters ontbreekt)"]
    if dict(recorded) != dict(expected):
        diff = sorted(k for k in set(recorded) | set(expected) if recorded.get(k) != expected.get(k))
        return ["parameters wijken af van de opdracht: " + ", ".join(
            f"{k}={recorded.get(k)!r} (gevraagd {expected.get(k)!r})" for k in diff)]
    return []


def kerncijfers(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The key figures the summary left as data (:data:`analysis.report.summary.KERNCIJFERS_MIME`)."""
    from analysis.report.summary import KERNCIJFERS_MIME

    for _, cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get(KERNCIJFERS_MIME)
            if isinstance(data, dict):
                return [dict(k) for k in data.get("kerncijfers", []) if isinstance(k, dict)]
    return []


def check_notebook(nb: nbformat.NotebookNode, expected: Mapping[str, Any]) -> list[str]:
    """All problems of an executed notebook; empty means it may be published."""
    return check_no_errors(nb) + check_summary(nb) + check_figures(nb) + check_parameters(nb, expected)


def _code_cells(nb: nbformat.NotebookNode) -> Iterable[tuple[int, Any]]:
    return ((i, c) for i, c in enumerate(nb.get("cells", []), start=1) if c.get("cell_type") == "code")
