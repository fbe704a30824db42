"""What the report notebooks call: one module per notebook, and what they share.

A notebook (``notebooks/*.ipynb``) holds narrative and calls only:

- :mod:`~analysis.report.context` checks its parameters and returns the report context (:class:`Rapport`);
- :mod:`~analysis.report.kleine_cellen` hides small cells once per section (:meth:`Rapport.verberg`);
- :mod:`~analysis.report.summary` renders the exception-first summary at the top;
- :mod:`~analysis.report.uitgaven`, :mod:`~analysis.report.prognose`, :mod:`~analysis.report.aanbieders`,
  :mod:`~analysis.report.regio`, :mod:`~analysis.report.volwassenheid` and :mod:`~analysis.report.datakwaliteit`
  hold each notebook's summary sentences and board tables (``tabel_*``, through
  :func:`analysis.display.format_table`).

The computations and SQL live below, in :mod:`analysis.spend`, :mod:`analysis.forecast`,
:mod:`analysis.suppliers`, :mod:`analysis.budget`, :mod:`analysis.volwassenheid` and :mod:`analysis.datakwaliteit`.
Money is integer cents until a table or sentence formats it. Every name is re-exported here, so a notebook writes
``report.tabel_budget(...)``.
"""

from analysis.report.aanbieders import *  # noqa: F403
from analysis.report.context import *  # noqa: F403
from analysis.report.datakwaliteit import *  # noqa: F403
from analysis.report.kleine_cellen import *  # noqa: F403
from analysis.report.prognose import *  # noqa: F403
from analysis.report.regio import *  # noqa: F403
from analysis.report.summary import *  # noqa: F403
from analysis.report.uitgaven import *  # noqa: F403
from analysis.report.volwassenheid import *  # noqa: F403
