"""Inside a warm kernel: what it puts back between two reports (:mod:`analysis.werker` runs this in the kernel).

A report run after another one in the same kernel must give the outputs it gives in a fresh kernel.
:func:`bewaar` remembers the state of the kernel right after the warm-up imports (before any report);
:func:`herstel` puts it back before each report: figures closed, the namespace reset (``%reset -f``) and
the execution counter back at 1, matplotlib's rc settings and named colours (seaborn's ``set_theme``
changes both), the warning filters, the display formatters (``analysis.setup`` registers one for
DataFrames), ``sys.path``, the working folder, and the global random generators get fresh entropy. Imported modules stay:
that is the point of a warm kernel.

What the warm-up made (the modules, their functions and tables: some 300,000 objects) lives as long as the
kernel, so :func:`bewaar` moves it out of the garbage collector's sight (``gc.freeze``): a full collection
then looks only at what the reports made, about 0.01 s instead of 0.25 s, and ``%reset`` and :func:`herstel`
each run one.
"""

from __future__ import annotations

import gc
import os
import random
import sys
import warnings
from typing import Any

_begin: dict[str, Any] = {}


def _shell() -> Any:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        raise RuntimeError("analysis.kernelstaat runs inside an IPython kernel")
    return shell


def bewaar() -> None:
    """Remember the kernel's state now (once, after the warm-up imports and before the first report)."""
    import matplotlib
    import matplotlib.colors

    formatters = _shell().display_formatter.formatters
    _begin.update(
        rc=dict(matplotlib.rcParams), kleuren=dict(matplotlib.colors._colors_full_map),
        filters=list(warnings.filters), sys_path=list(sys.path),
        formatters={k: (dict(f.type_printers), dict(f.deferred_printers)) for k, f in formatters.items()})
    gc.collect()
    gc.freeze()  # the warm-up's objects stay for the kernel's life: no collection needs to walk them again


def herstel(map: str) -> None:
    """Put the remembered state back, and make ``map`` (the notebook's folder) the working folder."""
    import matplotlib
    import matplotlib.colors
    import matplotlib.pyplot as plt
    import numpy as np

    if not _begin:
        raise RuntimeError("kernelstaat.herstel before kernelstaat.bewaar")
    shell = _shell()
    plt.close("all")
    shell.reset(new_session=False)  # what %reset -f does: user namespace, In/Out, _, __, ___
    shell.execution_count = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_begin["rc"])
    named = matplotlib.colors._colors_full_map
    named.clear()
    named.update(_begin["kleuren"])
    named.cache.clear()
    warnings.filters[:] = _begin["filters"]
    warnings._filters_mutated()
    sys.path[:] = _begin["sys_path"]
    for key, formatter in shell.display_formatter.formatters.items():
        types, deferred = _begin["formatters"].get(key, ({}, {}))
        formatter.type_printers.clear()
        formatter.type_printers.update(types)
        formatter.deferred_printers.clear()
        formatter.deferred_printers.update(deferred)
    random.seed()  # fresh entropy, as a fresh kernel has: no report sees the draws or the seed of the one before
    np.random.seed()
    os.chdir(map)
    gc.collect()  # connections and figures of the last report are closed now, not some time later
