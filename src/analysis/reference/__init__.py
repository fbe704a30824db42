"""The product's own reference data: gemeenten and mergers, iStandaard codes, Iv3 crosswalk.

Everything here is package data (``data/*.csv``) written from the public sources, so the
product runs without ``../shared``. Every frame is cached and handed out as a copy.
"""

from analysis.reference.codes import (
    DOMEINEN,
    STANDAARDEN,
    domein,
    eenheden,
    productcategorieen,
    redenen_beeindiging,
    retourcodes,
)
from analysis.reference.gemeenten import (
    GemeenteGesplitstError,
    cbs_code,
    gemeente_codes_bekend,
    gemeenten,
    herindelingen,
    huidige_code,
    opvolgers,
    rebase_tabel,
)
from analysis.reference.taakvelden import taakveld_domein, taakvelden_in_jaar, taakvelden_sociaal_domein

__all__ = [
    "DOMEINEN",
    "STANDAARDEN",
    "GemeenteGesplitstError",
    "cbs_code",
    "domein",
    "eenheden",
    "gemeente_codes_bekend",
    "gemeenten",
    "herindelingen",
    "huidige_code",
    "opvolgers",
    "productcategorieen",
    "rebase_tabel",
    "redenen_beeindiging",
    "retourcodes",
    "taakveld_domein",
    "taakvelden_in_jaar",
    "taakvelden_sociaal_domein",
]
