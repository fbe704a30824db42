"""The DuckDB warehouse: built only from data/raw, idempotently, and replaced atomically.

``build(raw, warehouse, secret=...)`` (module ``build``) walks every entry below the raw folder
(``files``), reads the files (``load``), moves rows that fail checks spanning several files to
quarantine (``checks``), creates the analysis views (``views``), and only then moves the new file
over the old one. ``connect(warehouse)`` opens the current file read-only for analyses.

The module ``analysis.warehouse.build`` is shadowed here by its function ``build``; reach the
module with ``importlib.import_module("analysis.warehouse.build")``.
"""

from analysis.warehouse.build import BuildReport, build, connect, create_reference_tables

__all__ = ["BuildReport", "build", "connect", "create_reference_tables"]
