"""Spend: where the money goes. Approved spend (toegekend, net of credits) by month of the product period.

Definitions (README, "How the warehouse treats the data"): a line counts when its declaratie was
answered and the line not rejected (``status = 'goedgekeurd'``); a credit line counts negative, so
sums are net of credits. Pending lines (``in_behandeling``) are left out here and shown apart where
a report needs them. Money is integer cents.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analysis.gemeente import check_gemeente
from analysis.warehouse import geheugen

GROUPABLE = ("gemeente_code_huidig", "domein", "productcategorie", "productcode", "aanbieder_agb", "standaard")


def _check_by(by: tuple[str, ...]) -> None:
    unknown = [c for c in by if c not in GROUPABLE]
    if unknown:
        raise ValueError(f"by: cannot group spend by {unknown}; choose from {list(GROUPABLE)}")


def monthly_spend(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                  by: tuple[str, ...] = ("domein",), tot: date | None = None) -> pd.DataFrame:
    """Approved spend and clients per month of the product period (and per ``by`` column).

    Columns: ``maand`` (datetime64, first day of the month), the ``by`` columns, ``toegekend_cent``
    (int64, net of credits) and ``clienten`` (distinct client pseudonyms with an approved debit line).
    ``gemeente`` selects one current gemeente (``gemeente_code_huidig``); ``tot`` keeps product
    periods that begin on or before that date.
    """
    _check_by(by)
    keys = ", ".join(("maand", *by))
    frame = con.sql(f"""
        SELECT date_trunc('month', periode_begin)::TIMESTAMP AS maand{''.join(', ' + c for c in by)},
               sum(toegekend_cent)::BIGINT AS toegekend_cent,
               count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0) AS clienten
        FROM declaratieregel
        WHERE status = 'goedgekeurd'
          AND ($gemeente IS NULL OR gemeente_code_huidig = $gemeente)
          AND ($tot IS NULL OR periode_begin <= $tot)
        GROUP BY ALL ORDER BY {keys}""", params={"gemeente": gemeente, "tot": tot}).df()
    return frame.astype({"toegekend_cent": "int64", "clienten": "int64"})


# --- yearly spend, clients, per inhabitant ------------------------------------------------------

DOMEINEN = ("Jeugd", "Wmo", "Beschermd Wonen")
LEEFTIJD_PER_DOMEIN = {"Jeugd": "0-17", "Wmo": "18+", "Beschermd Wonen": "18+"}
"""Inhabitants a domein serves: Jeugdwet 0-17, Wmo and Beschermd Wonen 18+ (``inwoners`` view)."""


def _check_year(year: int | None, *, name: str) -> None:
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool) and 2000 <= year <= 2100):
        raise ValueError(f"{name}: year must be an int between 2000 and 2100, got {year!r}")


def _check_years(van: int | None, tot: int | None) -> None:
    _check_year(van, name="van")
    _check_year(tot, name="tot")
    if van is not None and tot is not None and van > tot:
        raise ValueError(f"van ({van}) is after tot ({tot})")


def yearly_spend(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                 by: tuple[str, ...] = ("domein",), van: int | None = None,
                 tot: int | None = None) -> pd.DataFrame:
    """Approved spend and clients per year of the product period (and per ``by`` column).

    Columns: ``jaar`` (int), the ``by`` columns, ``toegekend_cent`` (int, net of credits) and
    ``clienten`` (distinct pseudonyms with an approved debit line in that year and group; a client
    in two groups counts in both). ``van``/``tot`` are years, inclusive.
    """
    _check_by(by)
    _check_years(van, tot)
    keys = ", ".join(("jaar", *by))
    frame = con.sql(f"""
        SELECT year(periode_begin)::INTEGER AS jaar{''.join(', ' + c for c in by)},
               sum(toegekend_cent)::BIGINT AS toegekend_cent,
               count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0) AS clienten
        FROM declaratieregel
        WHERE status = 'goedgekeurd'
          AND ($gemeente IS NULL OR gemeente_code_huidig = $gemeente)
          AND ($van IS NULL OR periode_begin >= make_date($van, 1, 1))
          AND ($tot IS NULL OR periode_begin < make_date($tot + 1, 1, 1))
        GROUP BY ALL ORDER BY {keys}""", params={"gemeente": gemeente, "van": van, "tot": tot}).df()
    return frame.astype({"jaar": "int64", "toegekend_cent": "int64", "clienten": "int64"})


def add_year_on_year(frame: pd.DataFrame, *, by: tuple[str, ...] = ("domein",),
                     value: str = "toegekend_cent") -> pd.DataFrame:
    """Add the change against the previous calendar year of the same ``by`` group.

    For ``value="toegekend_cent"`` adds ``toegekend_vorig_jaar_cent``, ``toegekend_verschil_cent``
    (int cents) and ``toegekend_verschil_pct`` (% of the previous year); for ``clienten``:
    ``clienten_vorig_jaar``, ``clienten_verschil``, ``clienten_verschil_pct``. Without a row for
    ``jaar - 1`` (or when it is 0, for the %) the new columns are missing (NA).
    """
    _require(frame, ["jaar", *by, value], name="frame")
    stem, unit = (value.removesuffix("_cent"), "_cent") if value.endswith("_cent") else (value, "")
    before, diff, pct = f"{stem}_vorig_jaar{unit}", f"{stem}_verschil{unit}", f"{stem}_verschil_pct"
    previous = frame[["jaar", *by, value]].assign(jaar=frame["jaar"] + 1).rename(columns={value: before})
    out = frame.merge(previous, on=["jaar", *by], how="left", validate="one_to_one")
    out[before] = out[before].astype("Int64")
    out[diff] = out[value] - out[before]
    out[pct] = (out[diff] / out[before].where(out[before] != 0) * 100).astype("Float64")
    return out


def add_cost_per_client(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``kosten_per_client_cent``: ``toegekend_cent / clienten``, rounded to whole cents (NA without clients)."""
    _require(frame, ["toegekend_cent", "clienten"], name="frame")
    per_client = frame["toegekend_cent"] / frame["clienten"].where(frame["clienten"] > 0)
    return frame.assign(kosten_per_client_cent=round_cents(per_client))


def yearly_inwoners(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                    van: int | None = None, tot: int | None = None) -> pd.DataFrame:
    """Inhabitants a domein serves per year: 0-17 for Jeugd, 18+ for Wmo and Beschermd Wonen.

    Columns ``jaar``, ``domein``, ``inwoners`` (int), summed over the delivered gemeenten that make up
    ``gemeente`` today (re-based). ``gemeente=None`` sums the gemeenten that have declaraties in the
    warehouse, so a national inhabitants file does not dilute a region's figures.
    """
    _check_years(van, tot)
    mapping = ", ".join(f"('{d}', '{a}')" for d, a in LEEFTIJD_PER_DOMEIN.items())  # constants, not input
    frame = con.sql(f"""
        SELECT i.jaar::INTEGER AS jaar, m.domein, sum(i.inwoners)::BIGINT AS inwoners
        FROM inwoners i JOIN (VALUES {mapping}) m(domein, leeftijdsklasse) USING (leeftijdsklasse)
        WHERE ($gemeente IS NULL AND i.gemeente_code_huidig IN (SELECT DISTINCT gemeente_code_huidig
                                                                FROM declaratieregel)
               OR i.gemeente_code_huidig = $gemeente)
          AND ($van IS NULL OR i.jaar >= $van) AND ($tot IS NULL OR i.jaar <= $tot)
        GROUP BY ALL ORDER BY jaar, m.domein""", params={"gemeente": gemeente, "van": van, "tot": tot}).df()
    return frame.astype({"jaar": "int64", "inwoners": "int64"})


def add_per_inhabitant(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``toegekend_per_1000_cent`` (int cents per 1,000 inhabitants) and ``clienten_per_1000``.

    Needs ``toegekend_cent``, ``clienten`` and ``inwoners`` (the domein's age band); NA where the
    number of inhabitants is missing or 0.
    """
    _require(frame, ["toegekend_cent", "clienten", "inwoners"], name="frame")
    inwoners = frame["inwoners"].astype("Float64").where(frame["inwoners"] > 0)
    return frame.assign(toegekend_per_1000_cent=round_cents(frame["toegekend_cent"] * 1000 / inwoners),
                        clienten_per_1000=(frame["clienten"] * 1000 / inwoners).astype("Float64"))


def spend_per_inhabitant(con: duckdb.DuckDBPyConnection, *, gemeente: str | None = None,
                         van: int | None = None, tot: int | None = None) -> pd.DataFrame:
    """Per year and domein: spend, clients, cost per client and both per 1,000 inhabitants.

    Columns ``jaar``, ``domein``, ``toegekend_cent``, ``clienten``, ``inwoners`` (Int64, NA when the
    year has no inhabitants), ``kosten_per_client_cent``, ``toegekend_per_1000_cent`` and
    ``clienten_per_1000``.
    """
    spend = yearly_spend(con, gemeente=gemeente, by=("domein",), van=van, tot=tot)
    inwoners = yearly_inwoners(con, gemeente=gemeente, van=van, tot=tot)
    frame = spend.merge(inwoners, on=["jaar", "domein"], how="left", validate="one_to_one")
    return frame.astype({"inwoners": "Int64"}).pipe(add_cost_per_client).pipe(add_per_inhabitant)


def _require(frame: pd.DataFrame, columns: list[str], *, name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"{name}: missing column(s) {missing}")


def round_cents(values: pd.Series) -> pd.Series:
    """Float cents to whole cents (Int64, NA kept), rounding half away from zero.

    >>> round_cents(pd.Series([2.5, -2.5, 1.49])).tolist()
    [3, -3, 1]
    """
    if not pd.api.types.is_numeric_dtype(values):
        raise TypeError(f"values: expected numbers (cents), got dtype {values.dtype}")
    values = values.astype("Float64")
    return (np.sign(values) * np.floor(values.abs() + 0.5)).astype("Int64")


# --- why spend grows: volume x intensity x price ----------------------------------------------

CELL = ("domein", "productcategorie", "productcode", "eenheid")
"""One product in one unit: the level where units, and so price and intensity, mean something."""


_TWEE_JAREN = """FROM declaratieregel
        WHERE status = 'goedgekeurd' AND ($gemeente IS NULL OR gemeente_code_huidig = $gemeente)
          AND periode_begin >= make_date($jaar - 1, 1, 1) AND periode_begin < make_date($jaar + 1, 1, 1)"""
"""The approved lines of the gemeente (all with ``$gemeente`` NULL) in ``$jaar - 1`` and ``$jaar``: what the
spend drivers count (:func:`driver_cells`, :func:`driver_groups`)."""


def driver_cells(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, jaar: int,
                 duur: bool = False) -> pd.DataFrame:
    """Per product cell (``CELL``) for ``jaar - 1`` and ``jaar``: the inputs of :func:`decompose_change`.

    Columns ``jaar``, ``CELL``, ``toegekend_cent`` (approved, net of credits), ``volume`` (declared
    units, credits subtracted), ``clienten`` (distinct, approved debit); with ``duur=True`` also
    ``zorgdagen``: days of the gemeente's trajectories (``traject``) of that productcode that fall in
    the year (an open trajectory counts to the end of the year).
    """
    _check_year(jaar, name="jaar")
    params = {"gemeente": gemeente, "jaar": jaar}
    cells = con.sql(f"""
        SELECT year(periode_begin)::INTEGER AS jaar, domein, productcategorie, productcode, eenheid,
               sum(toegekend_cent)::BIGINT AS toegekend_cent,
               sum(CASE WHEN is_credit THEN -volume ELSE volume END)::BIGINT AS volume,
               count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0) AS clienten
        {_TWEE_JAREN}
        GROUP BY ALL ORDER BY ALL""", params=params).df()
    cells = cells.astype({"jaar": "int64", "toegekend_cent": "int64", "volume": "int64", "clienten": "int64"})
    if not duur:
        return cells
    days = con.sql("""
        SELECT y.jaar::INTEGER AS jaar, t.domein, t.productcategorie, t.productcode,
               sum(least(coalesce(t.einddatum, make_date(y.jaar, 12, 31)), make_date(y.jaar, 12, 31))
                   - greatest(t.begindatum, make_date(y.jaar, 1, 1)) + 1)::BIGINT AS zorgdagen
        FROM traject t JOIN (SELECT unnest([$jaar - 1, $jaar]) AS jaar) y
          ON t.begindatum <= make_date(y.jaar, 12, 31)
         AND coalesce(t.einddatum, DATE '9999-12-31') >= make_date(y.jaar, 1, 1)
        WHERE ($gemeente IS NULL OR t.gemeente_code_huidig = $gemeente)
        GROUP BY ALL""", params=params).df().astype({"jaar": "int64", "zorgdagen": "int64"})
    return cells.merge(days, on=["jaar", "domein", "productcategorie", "productcode"], how="left")


def _log_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logarithmic mean L(a, b) = (a - b) / (ln a - ln b), and a where a == b (a, b > 0)."""
    same = np.isclose(a, b, rtol=1e-12, atol=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(same, a, (a - b) / (np.log(a) - np.log(b)))


def _cell_effects(pair: pd.DataFrame, *, duur: bool) -> pd.DataFrame:
    """LMDI-I effects per cell (float cents); cells that are not positive in both years go to clients."""
    v0, v1 = (pair[f"toegekend_cent_{y}"].to_numpy("float64", na_value=0) for y in (0, 1))
    fac = {f"{c}_{y}": pair[f"{c}_{y}"].to_numpy("float64", na_value=0)
           for c in ("volume", "clienten", "zorgdagen") if f"{c}_0" in pair for y in (0, 1)}
    ok = (v0 > 0) & (v1 > 0) & (fac["volume_0"] > 0) & (fac["volume_1"] > 0) \
        & (fac["clienten_0"] > 0) & (fac["clienten_1"] > 0)
    weight = np.where(ok, _log_mean(np.where(ok, v1, 1), np.where(ok, v0, 1)), 0)

    def effect(num1, den1, num0, den0, where=ok):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(where, weight * np.log((num1 / den1) / (num0 / den0)), 0.0)

    out = pd.DataFrame({
        "effect_clienten": np.where(ok, effect(fac["clienten_1"], 1, fac["clienten_0"], 1), v1 - v0),
        "effect_intensiteit": effect(fac["volume_1"], fac["clienten_1"], fac["volume_0"], fac["clienten_0"]),
        "effect_prijs": effect(v1, fac["volume_1"], v0, fac["volume_0"]),
        "nieuw_gestopt": np.where(ok, 0.0, v1 - v0)}, index=pair.index)
    if duur:
        has_days = ok & (fac["zorgdagen_0"] > 0) & (fac["zorgdagen_1"] > 0)
        out["effect_duur"] = effect(fac["zorgdagen_1"], fac["clienten_1"], fac["zorgdagen_0"],
                                    fac["clienten_0"], where=has_days)
    return out


def decompose_change(cells: pd.DataFrame, *, jaar: int, by: tuple[str, ...] = ("domein", "productcategorie"),
                     groepen: pd.DataFrame | None = None) -> pd.DataFrame:
    """Split the change in approved spend from ``jaar - 1`` to ``jaar`` into clients, intensity and price.

    Per product cell (``CELL``: productcode and eenheid, because units differ per product) spend is
    clients x units per client x amount per unit, and the change is split with the additive
    log-mean Divisia index (LMDI-I, Ang 2005): ``effect = L(V1, V0) * ln(x1 / x0)`` per factor, exact
    per cell. Cell effects are then added up per ``by`` group. A cell without positive spend,
    units and clients in both years (a product started or stopped) cannot be split: its whole change
    counts as clients (``nieuw_gestopt_cent`` shows how much). With a ``zorgdagen`` column the
    intensity is split further into ``effect_duur_cent`` (care days per client) and
    ``effect_dichtheid_cent`` (units per care day), again exactly.

    Added up over cells, the clients effect follows the clients of each product, so clients moving to a
    cheaper product lower it even when the group has more clients. ``groepen`` (``jaar``, the ``by``
    columns and ``clienten``: the distinct clients of each group and year, :func:`driver_groups`) takes the
    clients effect to the group: ``L(V1, V0) * ln(C1 / C0)`` on the group's spend and clients (the whole
    change where the group has no spend or clients in one of the years), and adds ``effect_mix_cent``, the
    shift between products, started and stopped products included: the change that clients, intensity and
    price within products leave.

    Returns per group: ``toegekend_vorig_jaar_cent``, ``toegekend_cent``, ``toegekend_verschil_cent``
    and ``effect_clienten_cent + effect_intensiteit_cent + effect_prijs_cent`` (+ ``effect_mix_cent``) (int
    cents, which add up to the change exactly: intensity, price (and clients) are rounded, clients (the mix)
    take the residue).
    """
    _require(cells, ["jaar", *CELL, *by, "toegekend_cent", "volume", "clienten"], name="cells")
    duur = "zorgdagen" in cells.columns
    keys = list(dict.fromkeys([*by, *CELL]))
    values = ["toegekend_cent", "volume", "clienten", *(["zorgdagen"] if duur else [])]
    years = [cells.loc[cells["jaar"] == j, keys + values].rename(columns={v: f"{v}_{i}" for v in values})
             for i, j in enumerate((jaar - 1, jaar))]
    pair = years[0].merge(years[1], on=keys, how="outer", validate="one_to_one")
    effects = pd.concat([pair[list(by)], _cell_effects(pair, duur=duur)], axis=1)
    effects["toegekend_vorig_jaar_cent"] = pair["toegekend_cent_0"].fillna(0)
    effects["toegekend_cent"] = pair["toegekend_cent_1"].fillna(0)
    summed = effects.groupby(list(by), as_index=False, dropna=False).sum()
    if groepen is not None:
        summed["effect_groep_clienten"] = _group_client_effect(summed, groepen, by=by, jaar=jaar)
    return _round_effects(summed, duur=duur).assign(jaar=jaar)


def _group_client_effect(summed: pd.DataFrame, groepen: pd.DataFrame, *, by: tuple[str, ...],
                         jaar: int) -> np.ndarray:
    """``L(V1, V0) * ln(C1 / C0)`` per group of ``summed`` from its spend and the distinct clients in
    ``groepen``; the whole change where spend or clients are not positive in both years."""
    _require(groepen, ["jaar", *by, "clienten"], name="groepen")
    counts = {i: groepen.loc[groepen["jaar"] == j, [*by, "clienten"]].rename(columns={"clienten": f"c{i}"})
              for i, j in enumerate((jaar - 1, jaar))}
    merged = summed[list(by)].merge(counts[0], on=list(by), how="left", validate="one_to_one").merge(
        counts[1], on=list(by), how="left", validate="one_to_one")
    c0, c1 = (merged[f"c{i}"].to_numpy("float64", na_value=0) for i in (0, 1))
    v0, v1 = (summed[c].to_numpy("float64") for c in ("toegekend_vorig_jaar_cent", "toegekend_cent"))
    ok = (v0 > 0) & (v1 > 0) & (c0 > 0) & (c1 > 0)
    weight = np.where(ok, _log_mean(np.where(ok, v1, 1), np.where(ok, v0, 1)), 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, weight * np.log(np.where(ok, c1 / np.where(ok, c0, 1), 1)), v1 - v0)


def _round_effects(summed: pd.DataFrame, *, duur: bool) -> pd.DataFrame:
    """Whole cents that add up: round intensity, price (and duration), clients take the residue; with a group
    clients effect, that is rounded too and the mix takes the residue."""
    mix = "effect_groep_clienten" in summed.columns
    out = summed.drop(columns=[c for c in summed.columns if c.startswith("effect_") or c == "nieuw_gestopt"])
    out = out.astype({"toegekend_vorig_jaar_cent": "int64", "toegekend_cent": "int64"})
    out["toegekend_verschil_cent"] = out["toegekend_cent"] - out["toegekend_vorig_jaar_cent"]
    rounded = {c: round_cents(summed[c]).to_numpy("int64")
               for c in ("effect_intensiteit", "effect_prijs", "nieuw_gestopt", *(["effect_groep_clienten"] * mix))}
    rest = out["toegekend_verschil_cent"] - rounded["effect_intensiteit"] - rounded["effect_prijs"]
    out["effect_clienten_cent"] = rounded["effect_groep_clienten"] if mix else rest
    out["effect_intensiteit_cent"] = rounded["effect_intensiteit"]
    out["effect_prijs_cent"] = rounded["effect_prijs"]
    if mix:
        out["effect_mix_cent"] = rest - out["effect_clienten_cent"]
    if duur:
        out["effect_duur_cent"] = round_cents(summed["effect_duur"]).to_numpy("int64")
        out["effect_dichtheid_cent"] = out["effect_intensiteit_cent"] - out["effect_duur_cent"]
    out["nieuw_gestopt_cent"] = rounded["nieuw_gestopt"]
    return out


def driver_groups(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, jaar: int,
                  by: tuple[str, ...]) -> pd.DataFrame:
    """Distinct clients (approved debit, as :func:`driver_cells`) per ``by`` group in ``jaar - 1`` and ``jaar``:
    ``jaar``, the ``by`` columns, ``clienten``. A client in two products of a group counts once."""
    _check_year(jaar, name="jaar")
    if not by or set(by) - set(CELL):
        raise ValueError(f"by: split spend drivers by one or more of {list(CELL)}, got {by!r}")
    columns = ", ".join(by)
    frame = con.sql(f"""
        SELECT year(periode_begin)::INTEGER AS jaar, {columns},
               count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0) AS clienten
        {_TWEE_JAREN}
        GROUP BY ALL ORDER BY ALL""", params={"gemeente": gemeente, "jaar": jaar}).df()
    return frame.astype({"jaar": "int64", "clienten": "int64"})


def spend_drivers(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, jaar: int,
                  by: tuple[str, ...] = ("domein", "productcategorie"), duur: bool = False) -> pd.DataFrame:
    """Why spend changed from ``jaar - 1`` to ``jaar``: :func:`decompose_change` on the gemeente's own lines.

    ``by`` is a subset of ``CELL``; ``duur=True`` adds the duration view from ``traject``.
    """
    groepen = driver_groups(con, gemeente=gemeente, jaar=jaar, by=by)
    return decompose_change(driver_cells(con, gemeente=gemeente, jaar=jaar, duur=duur), jaar=jaar, by=by,
                            groepen=groepen)


# --- benchmark against the region -------------------------------------------------------------

def region_figures(con: duckdb.DuckDBPyConnection, *, gemeente: str, jaar: int) -> pd.DataFrame:
    """Spend, clients and inhabitants per domein of every gemeente in ``gemeente``'s jeugdzorgregio.

    The region is the gemeenten of the same ``jeugdzorgregio`` in ``ref_gemeente`` that have approved
    declaraties in ``jaar``. Columns ``gemeente_code_huidig``, ``gemeentenaam``, ``domein``,
    ``toegekend_cent``, ``clienten``, ``inwoners`` (Int64, NA when not delivered).
    """
    _check_year(jaar, name="jaar")
    _, regio = check_gemeente(con, gemeente)
    if regio is None:
        raise ValueError(f"gemeente: {gemeente!r} belongs to no jeugdzorgregio")
    mapping = ", ".join(f"('{d}', '{a}')" for d, a in LEEFTIJD_PER_DOMEIN.items())  # constants
    frame = geheugen.frame(con, f"""
        WITH leden AS (SELECT gemeente_code AS gemeente_code_huidig, gemeentenaam FROM ref_gemeente
                       WHERE jeugdzorgregio = $regio),
        uitgaven AS (
            SELECT gemeente_code_huidig, domein, sum(toegekend_cent)::BIGINT AS toegekend_cent,
                   count(DISTINCT client_id) FILTER (WHERE toegekend_cent > 0) AS clienten
            FROM declaratieregel
            WHERE status = 'goedgekeurd' AND gemeente_code_huidig IN (SELECT gemeente_code_huidig FROM leden)
              AND periode_begin >= make_date($jaar, 1, 1) AND periode_begin < make_date($jaar + 1, 1, 1)
            GROUP BY ALL),
        inw AS (
            SELECT i.gemeente_code_huidig, m.domein, sum(i.inwoners)::BIGINT AS inwoners
            FROM inwoners i JOIN (VALUES {mapping}) m(domein, leeftijdsklasse) USING (leeftijdsklasse)
            WHERE i.jaar = $jaar AND i.gemeente_code_huidig IN (SELECT gemeente_code_huidig FROM leden)
            GROUP BY ALL)
        SELECT u.gemeente_code_huidig, l.gemeentenaam, u.domein, u.toegekend_cent, u.clienten, inw.inwoners
        FROM uitgaven u JOIN leden l USING (gemeente_code_huidig)
        LEFT JOIN inw USING (gemeente_code_huidig, domein)
        ORDER BY u.domein, u.gemeente_code_huidig""", {"regio": regio, "jaar": jaar})
    return frame.astype({"toegekend_cent": "int64", "clienten": "int64", "inwoners": "Int64"})


def add_benchmark(frame: pd.DataFrame) -> pd.DataFrame:
    """Each gemeente beside its region, per domein, on the per-inhabitant figures.

    Adds :func:`add_per_inhabitant`'s columns, the region's figures ``regio_toegekend_per_1000_cent``
    and ``regio_clienten_per_1000`` (region total over region inhabitants of the domein's age band,
    i.e. weighted by inhabitants, over the gemeenten with inhabitants; the gemeente itself included)
    and ``index_toegekend`` and ``index_clienten`` (gemeente / region x 100; 100 = region level), and
    ``regio_clienten`` (the gemeenten's clients added up: a client of two gemeenten counts twice).
    """
    _require(frame, ["gemeente_code_huidig", "domein", "toegekend_cent", "clienten", "inwoners"], name="frame")
    known = frame[frame["inwoners"].notna() & (frame["inwoners"] > 0)]
    regio = (known.groupby("domein", as_index=False)[["toegekend_cent", "clienten", "inwoners"]].sum()
             .pipe(add_per_inhabitant)
             .rename(columns={"toegekend_per_1000_cent": "regio_toegekend_per_1000_cent",
                              "clienten_per_1000": "regio_clienten_per_1000"})
             [["domein", "regio_toegekend_per_1000_cent", "regio_clienten_per_1000"]])
    clients = frame.groupby("domein", as_index=False)["clienten"].sum().rename(columns={"clienten": "regio_clienten"})
    out = (frame.pipe(add_per_inhabitant).merge(regio, on="domein", how="left", validate="many_to_one")
           .merge(clients, on="domein", how="left", validate="many_to_one"))
    out["index_toegekend"] = (out["toegekend_per_1000_cent"] / out["regio_toegekend_per_1000_cent"] * 100
                              ).astype("Float64")
    out["index_clienten"] = (out["clienten_per_1000"] / out["regio_clienten_per_1000"] * 100).astype("Float64")
    return out


def benchmark(con: duckdb.DuckDBPyConnection, *, gemeente: str, jaar: int) -> pd.DataFrame:
    """:func:`add_benchmark` on :func:`region_figures`: every gemeente of the region, ``gemeente`` marked.

    The column ``is_gemeente`` is True on the rows of ``gemeente``.
    """
    frame = region_figures(con, gemeente=gemeente, jaar=jaar).pipe(add_benchmark)
    return frame.assign(is_gemeente=frame["gemeente_code_huidig"] == gemeente)
