"""The A4 PDF beside each published HTML page, for the board's document portal.

Headless Chromium (Debian's ``chromium``) prints the HTML page itself, so the PDF holds exactly what the
page holds. The page's print stylesheet (``templates/offline``) sets A4, the header (report title and
periode, from ``@page`` margin boxes) and the page numbers ("pagina 2 van 5"); Chromium's own header
and footer (date, file URL) are switched off.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""The executables tried, in order, on ``PATH``."""
INSTALL_HINT = "apt-get install -y --no-install-recommends chromium"


class PdfError(RuntimeError):
    """No browser to print with, or printing failed."""


def find_browser() -> str | None:
    """The first of :data:`BROWSERS` on ``PATH``, or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def require_browser() -> str:
    """:func:`find_browser`, or a :class:`PdfError` that says how to install one."""
    browser = find_browser()
    if browser is None:
        raise PdfError(f"--pdf needs headless Chromium, and none of {', '.join(BROWSERS)} is on PATH: "
                       f"{INSTALL_HINT}")
    return browser


def print_pdf(html: Path, pdf: Path, *, browser: str, timeout_s: float = 120) -> Path:
    """Print ``html`` to ``pdf`` (A4, written atomically); return ``pdf``."""
    tmp = pdf.with_name(f".{pdf.stem}.tmp.pdf")
    with tempfile.TemporaryDirectory(prefix="inkoopmonitor-pdf-") as profile:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                   "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", f"--print-to-pdf={tmp}", Path(html).resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            tmp.unlink(missing_ok=True)
            raise PdfError(f"{html}: printing took more than {timeout_s:.0f} s") from exc
    if done.returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
        tmp.unlink(missing_ok=True)
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise PdfError(f"{html}: {Path(browser).name} exited {done.returncode} without a PDF: {tail[0][:200]}")
    tmp.replace(pdf)
    return pdf
