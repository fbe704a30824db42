"""Executing one report job: papermill into the audit copy, the checks, then the HTML (and PDF) page.

Two ways to get a kernel, with the same checks and publishing after it:

* :func:`execute` starts a fresh kernel for the job and stops it after (``reports --isolated``): every
  report pays the kernel start and every import again.
* :class:`Werker` keeps one kernel alive over many jobs (the default). It is still papermill that runs
  each notebook, cell by cell, into the executed ``.ipynb`` with its recorded parameters; only the kernel
  is reused (papermill passes ``km=`` on to nbclient, and nbclient leaves a kernel it did not start
  running). The kernel pays the product's imports once, at its warm-up. Before each report
  :mod:`analysis.kernelstaat` puts the kernel's state back (namespace, counter, rc settings, warning
  filters, formatters, figures closed), and after ``recycle`` reports the kernel is replaced by a fresh
  one, so nothing a report leaves behind can pile up. A kernel that died is replaced before the next job.

Why a kept kernel and not an in-process engine or pre-imported forked workers: the notebook runs in a
real IPython kernel exactly as in JupyterLab and with ``--isolated`` (display hooks, ``%matplotlib
inline``, stderr as outputs), a report that crashes its kernel takes only that kernel down, and the
state to put back is the kernel's own, in one small module.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import multiprocessing
import os
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat

from analysis.controle import check_notebook, kerncijfers
from analysis.jobs import GEPUBLICEERD, MISLUKT, Job, Result
from analysis.pdf import PdfError, print_pdf, require_browser
from analysis.publish import publish
from analysis.warehouse.build import DUCKDB_THREADS

log = logging.getLogger("inkoopmonitor.runner")

KERNEL_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", DUCKDB_THREADS: "1"}
"""Set for every kernel unless already set: one BLAS thread, one DuckDB thread. The frames and queries are
small, and threads that spin while waiting make two kernels on two cores get in each other's way (the
runner's parallelism is one process per report). DuckDB's: the 45 demo reports with 2 workers on 2 cores
took 64.4-66.4 worker seconds (34.1-35.2 s) with one thread against 67.1-67.8 (35.6-36.0 s) with two,
DuckDB's default here (two runs each, alternated)."""
RECYCLE = 200
"""Reports a warm kernel runs before it is replaced by a fresh one (a warm-up costs 4-8 s). Its memory stays
flat meanwhile: in the national demo's run (1,152 reports, 2 workers, then 50 a kernel) every one of the 24
kernels held 510-620 MB after its fifth report and after its last, without a trend; ``run.json`` records
each report's ``kernel_mb``.
"""
WARM_IMPORTS = ("analysis.forecast", "analysis.plots", "analysis.report", "analysis.spend", "analysis.suppliers",
                "analysis.budget", "analysis.volwassenheid", "analysis.datakwaliteit", "analysis.display",
                "matplotlib.pyplot", "seaborn")
"""What a warm kernel imports before its first report (what the report notebooks import)."""
WARM_UP = ("import " + ", ".join(WARM_IMPORTS) + "\nimport analysis.forecast.model\nanalysis.forecast.model.models()"
           "\nget_ipython().run_line_magic('matplotlib', 'inline')\nimport analysis.kernelstaat\n"
           "analysis.kernelstaat.bewaar()")
"""A warm kernel's first code: the imports (statsforecast's too, which the forecast imports on first use),
``%matplotlib inline`` (it registers the PNG formatter for figures, once per kernel), then remember what
:func:`analysis.kernelstaat.herstel` puts back before every report."""
ENGINE = "inkoopmonitor-warm"
_KERNEL_NOISE = ("KeyboardInterrupt caught in kernel",)


class WerkerError(RuntimeError):
    """A warm kernel could not be started, warmed up or put back."""


def waar() -> str:
    """Where a job runs locally: the worker process's name and pid (``ForkProcess-1 (pid 4242)``)."""
    return f"{multiprocessing.current_process().name} (pid {os.getpid()})"


# --- one job, whatever the kernel ------------------------------------------------------------------------

def execute(job: Job, *, werker: Werker | None = None) -> Result:
    """Run one notebook with papermill, check the executed copy, and publish it if it passes.

    Without ``werker`` the job gets a fresh kernel of its own; with one it runs in that warm kernel.
    """
    start = time.perf_counter()
    job.html.unlink(missing_ok=True)  # a stale page from an earlier run must not look current
    if job.pdf:
        job.pdf.unlink(missing_ok=True)
    job.ipynb.parent.mkdir(parents=True, exist_ok=True)
    problems, kern = (werker.papermill(job) if werker else _papermill(job)), []
    plaats = werker.naam if werker else waar()
    if not problems:
        executed = nbformat.read(job.ipynb, as_version=4)
        problems, kern = check_notebook(executed, job.parameters), kerncijfers(executed)
    if not problems:
        try:
            publish(job.ipynb, job.html, title=job.title)
        except Exception as exc:  # noqa: BLE001 - reported with the job, the run goes on
            problems = [f"publiceren mislukt: {type(exc).__name__}: {exc}"]
    if not problems and job.pdf:
        try:
            print_pdf(job.html, job.pdf, browser=require_browser())
        except PdfError as exc:
            job.html.unlink(missing_ok=True)  # published means both, as asked
            problems = [f"PDF mislukt: {exc}"]
    duur = round(time.perf_counter() - start, 2)
    if problems:
        return Result(job, MISLUKT, problems, duur, waar=plaats)
    return Result(job, GEPUBLICEERD, [], duur, kerncijfers=kern, waar=plaats)


def _papermill(job: Job) -> list[str]:
    """Execute the notebook into its audit copy in a fresh kernel; the error that stopped it, if any."""
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="inkoopmonitor-kernel-") as tmp:
        config = Config()
        config.KernelManager.transport = "ipc"  # no TCP warning, and a socket of its own per run
        config.KernelManager.ip = str(Path(tmp) / "kernel")
        config.NotebookClient.kernel_manager_class = _kernel_manager_class()
        config.QuietKernelManager.stderr_path = str(Path(tmp) / "kernel.stderr")
        try:
            return _execute_notebook(job, config=config)
        finally:
            _log_kernel_stderr(job.label, Path(tmp) / "kernel.stderr")


def _execute_notebook(job: Job, **kwargs: Any) -> list[str]:
    """Run ``job`` with papermill into its audit copy; the error that stopped it, if any.

    The audit copy is written once, when the notebook ends (also when a cell fails), not after every
    cell (``request_save_on_cell_execute=False``): nobody watches a scheduled run's notebook grow, and
    the saves cost about 0.2 s a report."""
    import papermill

    try:
        papermill.execute_notebook(str(job.notebook), str(job.ipynb), parameters=job.parameters,
                                   kernel_name="python3", progress_bar=False, cwd=str(job.notebook.parent),
                                   request_save_on_cell_execute=False, **kwargs)
    except papermill.PapermillExecutionError as exc:
        return [f"cel {exc.cell_index + 1}: fout {exc.ename}: {exc.evalue}"]
    except Exception as exc:  # noqa: BLE001 - kernel died, notebook unreadable, ...
        return [f"uitvoeren mislukt: {type(exc).__name__}: {exc}"]
    return []


@functools.cache
def _kernel_manager_class() -> type:
    """A kernel manager that sends the kernel process's own stderr to a file.

    What a notebook writes to stderr reaches the executed notebook as ``stream`` outputs anyway
    (and fails ``check_no_errors``); the process's stderr holds only the kernel's own log, such as
    the harmless ``KeyboardInterrupt caught in kernel`` at shutdown, which would clutter cron logs.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode

    class QuietKernelManager(AsyncKernelManager):
        stderr_path = Unicode("").tag(config=True)

        async def start_kernel(self, **kw: Any) -> None:
            kw["env"] = kernel_env(kw.get("env", os.environ))
            if self.stderr_path:
                with open(self.stderr_path, "ab") as sink:  # Popen dups the descriptor
                    return await super().start_kernel(stderr=sink, **kw)
            return await super().start_kernel(**kw)

    return QuietKernelManager


def kernel_env(base: Mapping[str, str]) -> dict[str, str]:
    """The kernel's environment: ``base`` with ``KERNEL_THREADS`` where ``base`` does not say otherwise."""
    return {**KERNEL_THREADS, **base}


def _log_kernel_stderr(label: str, path: Path) -> None:
    lines = path.read_text(errors="replace").splitlines() if path.is_file() else []
    for line in lines:
        if line.strip() and not any(noise in line for noise in _KERNEL_NOISE):
            log.warning("%s: kernel: %s", label, line)


@functools.cache
def _register_engine() -> str:
    """papermill's nbclient engine for a kept kernel: before the first cell it runs ``herstel_code`` (outside the
    notebook: no history, no execution count), and after the notebook it closes its kernel client (the kernel
    stays). Its kernel client is ready without jupyter_client's closing wait for an empty IOPub channel
    (:func:`_client_ready`)."""
    from jupyter_core.utils import ensure_async, run_sync
    from nbclient.util import run_hook
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args
    from traitlets import Unicode

    class WarmClient(PapermillNotebookClient):
        herstel_code = Unicode("").tag(config=True)

        async def async_start_new_kernel_client(self) -> Any:
            self.kc = self.km.client()
            await ensure_async(self.kc.start_channels())
            await _client_ready(self.kc, timeout=self.startup_timeout)
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        start_new_kernel_client = run_sync(async_start_new_kernel_client)

        def papermill_execute_cells(self) -> None:
            if self.herstel_code:
                reply = self.wait_for_reply(self.kc.execute(self.herstel_code, store_history=False))
                if reply is None or reply["content"]["status"] != "ok":
                    content = reply["content"] if reply else {}
                    raise WerkerError(f"putting the kernel back failed: {content.get('ename')}: {content.get('evalue')}")
            super().papermill_execute_cells()

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                     stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = 60,
                                     execution_timeout: int | None = None, **kwargs: Any) -> Any:
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(safe_kwargs, timeout=execution_timeout or kwargs.get("timeout"),
                                 startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                                 log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client = WarmClient(nb_man, **final)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE, WarmEngine)
    return ENGINE


async def _client_ready(kc: Any, *, timeout: float) -> None:
    """Wait until a new client of a live kernel is connected: the kernel answered ``kernel_info`` on the shell
    channel and something arrived on IOPub (so its subscription is up); a kernel found dead meanwhile raises. As jupyter_client's ``wait_for_ready``,
    less its closing 0.2 s wait for an empty IOPub channel: every report paid that idle wait, about a tenth of
    a warm report. What is still on IOPub belongs to another request, and nbclient passes it by (it reads only
    the messages whose parent is the cell it runs).
    """
    from queue import Empty

    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kc.kernel_info()
        try:
            reply = await ensure_async(kc.shell_channel.get_msg(timeout=1))
        except Empty:
            if not await ensure_async(kc.is_alive()):
                raise WerkerError("the kernel died before it answered a new client") from None
            continue
        if reply["msg_type"] != "kernel_info_reply":
            continue
        try:
            await ensure_async(kc.iopub_channel.get_msg(timeout=0.2))
        except Empty:
            continue  # IOPub not connected yet: ask again
        return
    raise WerkerError(f"the kernel did not answer a new client within {timeout:.0f} s")


# --- the warm worker -------------------------------------------------------------------------------------

class Werker:
    """One kernel kept alive over many report jobs (see the module's docstring).

    Everything that talks to the kernel runs in one thread of the worker's own (the kernel manager and its
    event loop belong to it), so a ``Werker`` can serve a process pool's worker and a Dask worker's task
    threads alike; jobs given at once run one after the other.
    """

    def __init__(self, *, recycle: int = RECYCLE, naam: str | None = None) -> None:
        if recycle < 1:
            raise ValueError(f"recycle must be at least 1, got {recycle}")
        self.recycle, self.naam = recycle, naam or waar()
        self.kernels = 0  # kernels started so far
        self.rapporten = 0  # reports run in the current kernel
        self._draad = ThreadPoolExecutor(1, thread_name_prefix="werker")
        self._km: Any = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def execute(self, job: Job) -> Result:
        """Run, check and publish one job in the warm kernel (a fresh one first when due), with the kernel's
        resident memory after it (``kernel_mb``) and its place in the kernel's life (``kernel``)."""
        result = self._draad.submit(execute, job, werker=self).result()
        kernel = (self.kernels, self.rapporten) if self._km is not None else None
        return dataclasses.replace(result, kernel_mb=self.kernel_mb(), kernel=kernel)

    def kernel_mb(self) -> float | None:
        """The kernel process's resident memory in MB (None without a live kernel)."""
        import psutil

        process = getattr(getattr(self._km, "provisioner", None), "process", None)
        try:
            return round(psutil.Process(process.pid).memory_info().rss / 1e6, 1) if process else None
        except psutil.Error:
            return None

    def start(self) -> None:
        """Start and warm up the kernel now, in the background (the first job waits for it)."""
        self._draad.submit(self._kernel, Path.cwd())

    def close(self) -> None:
        """Stop the kernel and the worker's thread."""
        self._draad.submit(self._stop).result()
        self._draad.shutdown()

    def papermill(self, job: Job) -> list[str]:
        """Execute the notebook into its audit copy in the warm kernel, put back first (worker thread only).

        A run that did not get as far as a cell's error (a dead kernel, a kernel that could not be put back)
        leaves a kernel nobody should trust: the next job gets a fresh one."""
        try:
            self._kernel(job.notebook.parent)
        except WerkerError as exc:
            self._stop()
            return [f"uitvoeren mislukt: {exc}"]
        self.rapporten += 1
        herstel = f"__import__('analysis.kernelstaat').kernelstaat.herstel({str(job.notebook.parent)!r})"
        try:
            problems = _execute_notebook(job, engine_name=_register_engine(), km=self._km, herstel_code=herstel)
        finally:
            _log_kernel_stderr(job.label, Path(self._tmp.name) / "kernel.stderr")
            Path(self._tmp.name, "kernel.stderr").write_bytes(b"")
        if problems and problems[0].startswith("uitvoeren mislukt"):
            self._stop()
        return problems

    def _kernel(self, map: Path) -> None:
        """A live kernel with fewer than ``recycle`` reports behind it: the current one, else a fresh one."""
        from jupyter_core.utils import run_sync

        if self._km is not None and self.rapporten < self.recycle and run_sync(self._km.is_alive)():
            return
        self._stop()
        self._tmp = tempfile.TemporaryDirectory(prefix="inkoopmonitor-werker-")
        stderr = Path(self._tmp.name) / "kernel.stderr"
        km = _kernel_manager_class()(kernel_name="python3", transport="ipc", ip=str(Path(self._tmp.name) / "kernel"),
                                     stderr_path=str(stderr))
        start = time.perf_counter()
        run_sync(km.start_kernel)(cwd=str(map), extra_arguments=["--HistoryManager.enabled=False"])
        self._km, self.rapporten = km, 0
        self.kernels += 1
        try:
            self._run(WARM_UP, label=f"werker {self.naam}: warm-up")
        except WerkerError:
            self._stop()
            raise
        _log_kernel_stderr(f"werker {self.naam}", stderr)
        stderr.write_bytes(b"")
        log.info("werker %s: kernel %d warm in %.1f s", self.naam, self.kernels, time.perf_counter() - start)

    def _run(self, code: str, *, label: str) -> None:
        """Run ``code`` in the kernel outside the notebook (no history, no execution count), through a kernel
        client of its own that is closed after it. An error raises :class:`WerkerError`; what it writes to
        stderr (a warning of an import) is logged."""
        from jupyter_core.utils import run_sync

        fouten: list[str] = []

        def output(msg: dict[str, Any]) -> None:
            content = msg["content"]
            if msg["msg_type"] == "error":
                fouten.append(f"{content['ename']}: {content['evalue']}")
            elif msg["msg_type"] == "stream" and content.get("name") == "stderr":
                log.warning("%s: %s", label, content["text"].strip())

        kc = self._km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=120)
            reply = run_sync(kc.execute_interactive)(code, store_history=False, output_hook=output, timeout=300)
        except Exception as exc:  # noqa: BLE001 - a timeout or a dead kernel: this kernel is done
            raise WerkerError(f"kernel does not answer: {type(exc).__name__}: {exc}") from None
        finally:
            kc.stop_channels()
        if reply["content"]["status"] != "ok" or fouten:
            raise WerkerError("; ".join(fouten) or f"kernel answered {reply['content']['status']}")

    def _stop(self) -> None:
        from jupyter_core.utils import run_sync

        if self._km is not None:
            try:
                run_sync(self._km.shutdown_kernel)(now=False)
            except Exception as exc:  # noqa: BLE001 - it may be dead already
                log.debug("werker %s: shutdown: %s", self.naam, exc)
        if self._tmp is not None:
            self._tmp.cleanup()
        self._km = self._tmp = None


# --- a process pool's worker -----------------------------------------------------------------------------

_werker: Werker | None = None


def execute_warm(job: Job, recycle: int = RECYCLE) -> Result:
    """Run ``job`` in this process's warm worker (made on the first job; its kernel stops with the process)."""
    global _werker
    if _werker is None:
        from multiprocessing.util import Finalize

        _werker = Werker(recycle=recycle)
        Finalize(_werker, _werker.close, exitpriority=10)  # a pool's worker exits through multiprocessing
    return _werker.execute(job)

