"""What the datakwaliteit modules share: the norms, the grouping columns and the checks."""

from __future__ import annotations

from analysis.suppliers._common import NAMEN, check_by

DECLARATIE_NORM_DAGEN = 30
"""Default days after the end of a product period to declare it (a region's choice; no standard norm)."""
ANTWOORD_NORM_WERKDAGEN = 10
"""Working days for the gemeente's 325 after the 323 (iStandaard OP090x4)."""
GROUPABLE = ("aanbieder_agb", "gemeente_code_huidig", "domein", "standaard", "productcategorie")


def select_by(by: tuple[str, ...], alias: str) -> tuple[str, str]:
    """SELECT list for ``by`` (the aanbieder's name after its code) and the join for the name."""
    check_by(by, GROUPABLE)
    cols = "".join(f"{alias}.{c}, " + ("n.aanbieder_naam, " if c == "aanbieder_agb" else "") for c in by)
    return cols, f"LEFT JOIN {NAMEN} n USING (aanbieder_agb)" if "aanbieder_agb" in by else ""


def check_norm(name: str, value: int) -> None:
    """A norm is a whole number >= 0 (not a bool); a ``ValueError`` naming it otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: expected a whole number >= 0, got {value!r}")
