"""Inkoopmonitor Sociaal Domein: helpers shared by the CLI, the notebooks and the tests.

Rooms (arrows point down; nothing imports upwards):

    cli ──▶ demo, warehouse, runner
    warehouse ──▶ readers ──▶ schemas, privacy, reference
    spend, forecast, suppliers ──▶ warehouse (read-only queries)
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    """``analysis.setup()`` for the first cell of a notebook, without loading plotting for the CLI."""
    if name == "setup":
        from analysis.display import setup

        return setup
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")
