"""Inkoopmonitor Sociaal Domein: helpers shared by the CLI, the notebooks and the tests.

Rooms (arrows point down; nothing imports upwards):

    cli ──▶ demo, warehouse, runner
    warehouse ──▶ readers ──▶ schemas, privacy, reference
    spend, forecast, suppliers ──▶ warehouse (read-only queries)
"""

__version__ = "0.1.0"
