"""Datakwaliteit en tijdigheid: what the regional office checks every month, per aanbieder and gemeente.

The functions take ``gemeente`` (a current CBS code) or ``regio`` (a jeugdzorgregio) and most the
period (``jaar`` or 1 January up to ``peildatum``); the measures over time give a row per month, or
per quarter or one for the whole period (``tijdvak="kwartaal"`` / ``None``: a count of distinct clients
cannot be added up from months). Every frame carries ``clienten``. Figures are as known on the end
of the period ``eind`` where a date of arrival matters.

Definitions
- **Rejection** (:func:`declaratiekwaliteit`): answered debit lines (``goedgekeurd`` or ``afgekeurd``,
  whole-message rejections included) by the month of their product period; ``afwijzing_regels_pct``
  = afgekeurd / answered lines, ``afwijzing_bedrag_pct`` the same by ingediend amount. Pending lines
  are counted apart.
- **Credits as a share of declared**: credit lines (negative) by the month of the product period they
  correct; ``credit_aandeel_pct`` = -credit_cent / debet_cent (all debit lines of the month, whatever
  their status).
- **Retourcodes** (:func:`retourcodes_per_maand`): rejected debit lines per code and month; a line
  with two codes counts under each, as in :func:`analysis.suppliers.financial.retourcode_breakdown`.
- **Declaration lag** (:func:`declaratievertraging`): declaratie_datum - periode_eind, in days, over
  the **first submissions**: debit lines with no earlier debit line of the same aanbieder, gemeente,
  client, productcode and product period begin. A later one is a **herdeclaratie** (declared again
  after a rejection or a credit) and is counted apart with its own median: it says how fast
  corrections come, not whether the aanbieder declares on time. Over :data:`DECLARATIE_NORM_DAGEN`
  days is late. The iStandaard sets monthly declaration periods (TR318) but no deadline: the norm
  is a region's choice.
- **Answer lead time** (:func:`antwoordtermijn`): per declaratie message (323), the working days
  (Monday-Friday without the holidays of the Algemene termijnenwet, :func:`feestdagen`) after its
  Dagtekening up to the Dagtekening of the first 325 answering it (linked by the 323's
  BerichtIdentificatie or DeclaratieNummer). Norm
  :data:`ANTWOORD_NORM_WERKDAGEN` = 10: iStandaard rule OP090x4 ("binnen 10 werkdagen na
  ontvangst"). A 323 without an answer is ``onbeantwoord_na_norm`` once more than the norm has
  passed on ``eind``; the share within the norm is over answered plus overdue messages.
- **Quarantine** (:func:`quarantaine_overzicht`, :func:`bestanden_niet_geladen`): rows in
  ``quarantaine`` per table and kind of reason (the reason with every token holding a digit and
  every quoted value masked, so "line 1050" and "line 1051" are one kind), with the gemeente and
  month of the row where its record holds them; files of ``laadlog`` that were not loaded per
  source folder and status. A region's rows are those of its gemeenten and, without a gemeente, those
  whose record names the region or whose file lies in its folder (``contracten/noord-limburg/...``);
  a region's files those in its folder or in a folder that is no region's.
- **Late or missing monthly declarations** (:func:`maanddeclaraties`, counted per aanbieder, gemeente
  or domein with the distinct clients of those months by :func:`maanddeclaraties_telling`): an aanbieder is expected to
  declare month M for gemeente G in a domein when a trajectory (305) of G in that domein runs in M
  (begun by its last day, not ended before its first) and the aanbieder has a contract for the
  domein in G's jeugdzorgregio valid in M. Status of the month: ``tijdig`` (first debit line for M
  declared within the norm after M's end), ``te_laat`` (later, by ``eind``), ``ontbreekt`` (none by
  ``eind`` while the norm has passed), ``nog_niet_verwacht`` (none, norm not passed yet).
- **Open after a herindeling** (:func:`open_na_herindeling`): a trajectory of a gemeente code that
  ceased to exist (``analysis.reference.herindelingen``) on or before ``eind`` and that has no stop
  by ``eind``: the old gemeente's 305 was never stopped, so the trajectory counts as running (and
  as a month without declaration) for ever. The new gemeente should have ended its toewijzing
  (reden wijziging 11, gemeentelijke herindeling) and the aanbieder its 305.

The functions live in one module per question, all re-exported here: :mod:`.declaraties` (rejections,
retourcodes, declaration lag), :mod:`.antwoord` (answer lead time, holidays), :mod:`.laden` (quarantine,
files not loaded) and :mod:`.maanden` (monthly declarations, trajectories open after a herindeling).
"""

from analysis.datakwaliteit._common import ANTWOORD_NORM_WERKDAGEN, DECLARATIE_NORM_DAGEN
from analysis.datakwaliteit.antwoord import antwoordtermijn, feestdagen
from analysis.datakwaliteit.declaraties import declaratiekwaliteit, declaratievertraging, retourcodes_per_maand
from analysis.datakwaliteit.laden import bestanden_niet_geladen, quarantaine_overzicht
from analysis.datakwaliteit.maanden import (STATUS_ORDER, maanddeclaraties, maanddeclaraties_telling,
                                            open_na_herindeling)

__all__ = ["ANTWOORD_NORM_WERKDAGEN", "DECLARATIE_NORM_DAGEN", "STATUS_ORDER", "antwoordtermijn",
           "bestanden_niet_geladen", "declaratiekwaliteit", "declaratievertraging", "feestdagen", "maanddeclaraties",
           "maanddeclaraties_telling", "open_na_herindeling", "quarantaine_overzicht", "retourcodes_per_maand"]
