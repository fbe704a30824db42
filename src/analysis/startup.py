"""What a process of the product's own (the CLI, a Dask worker) does before anything else.

nbformat validates notebooks with jsonschema, and jsonschema, when ``rfc3987_syntax`` is installed
(JupyterLab's jupyter-events brings it), imports it to check the format "iri": that import builds a Lark
grammar, about 0.9 s of every run's start on this machine (1.9 s -> 0.9 s for the runner's imports), for a
format no notebook schema uses. :func:`skip_iri_syntax_check` makes that optional import fail as if it were
not installed, so jsonschema leaves only that one check out. Not done on ``import analysis``: an analyst's
kernel keeps whatever jsonschema the analyst uses.
"""

from __future__ import annotations

import sys

IRI_SYNTAX = "rfc3987_syntax"


def skip_iri_syntax_check() -> None:
    """Let a later ``import rfc3987_syntax`` fail (jsonschema then skips its "iri" check); a process that
    has imported it already keeps it."""
    sys.modules.setdefault(IRI_SYNTAX, None)
