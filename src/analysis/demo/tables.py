"""Writers of the demo's tables: contracts (XLSX or CSV), Iv3 JSON, income, inhabitants, satisfaction.

All amounts are computed in cents from the declaration lines (see :func:`line_frame`) and only
turned into EUR (or EUR 1,000 for Iv3) when written.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from analysis.demo import config
from analysis.demo.config import Region
from analysis.demo.declarations import Declaraties, gemeente_op
from analysis.demo.market import Aanbieder, Contract
from analysis.demo.population import LAST, Trajectories
from analysis.reference.taakvelden import taakveld_domein

KPIS = (("aandeel_volgens_plan", "min", 0.7), ("tevredenheid", "min", 7.0),
        ("declaratie_juistheid", "min", 0.95), ("aandeel_voortijdig_beeindigd", "max", 0.2))
FIXED_TIME = dt.datetime(2026, 1, 15, 8, 0, 0)  # 'created' of the workbook: no wall clock


def line_frame(dc: Declaraties, tr: Trajectories, aanbieders: list[Aanbieder]) -> pd.DataFrame:
    """One row per declaration line: gemeente (after mergers), domain, product, aanbieder, year,
    BSN, signed cents, and whether it is approved (answered and not rejected) or pending."""
    ln = dc.lines
    prod = tr.product[ln.traj]
    msg = np.repeat(np.arange(dc.n), np.diff(dc.start))
    entity = np.repeat(dc.entity, np.diff(dc.start))
    return pd.DataFrame({
        "gemeente": gemeente_op(entity, ln.begin),
        "domein": [config.PRODUCTS[p].domein for p in prod.tolist()],
        "productcode": [config.PRODUCTS[p].code for p in prod.tolist()],
        "perceel": [config.PRODUCTS[p].perceel for p in prod.tolist()],
        "aanbieder": tr.aanbieder[ln.traj],
        "agb": [aanbieders[a].agb for a in tr.aanbieder[ln.traj].tolist()],
        "jaar": ln.begin.astype("datetime64[Y]").astype(int) + 1970,
        "bsn": dc.bsn,
        "cents": np.where(ln.credit, -ln.bedrag, ln.bedrag),
        "credit": ln.credit,
        "pending": ln.decl > LAST - config.PENDING_MONTHS,
        "afgewezen": ln.afgewezen,
        "message": msg,
    })


def approved(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines of answered declarations that were not rejected (toegekend)."""
    return lines[~lines["pending"] & ~lines["afgewezen"]]


# --- contracts --------------------------------------------------------------------------------------

def with_plafond(contracts: list[Contract], lines: pd.DataFrame, rng: np.random.Generator) -> list[Contract]:
    """Set an annual plafond (EUR) near the average approved spend of the contract's years; a quarter
    of the contracts have none. Some aanbieders exceed it in some years."""
    spend = approved(lines).groupby(["agb", "perceel", "jaar"])["cents"].sum()
    result = []
    for c in contracts:
        years = [y for y in config.YEARS if c.begindatum.year <= y <= (c.einddatum or config.DATA_DATE).year]
        cents = [spend.get((c.agb, c.perceel, y), 0) for y in years]
        mean_eur = float(np.mean(cents)) / 100 if cents else 0.0
        factor = rng.uniform(0.9, 1.3)
        plafond = None if (rng.random() < 0.25 or mean_eur <= 0) else int(round(mean_eur * factor, -3)) or 1000
        result.append(Contract(**{**c.__dict__, "plafond_eur": plafond}))
    return result


def contract_rows(contracts: list[Contract], tarieven: dict[tuple[str, int], int]) -> dict[str, list[list]]:
    """Rows of the three contract tables (dates as ``date``, tariffs in EUR with 2 decimals)."""
    rows: dict[str, list[list]] = {"contracten": [], "tarieven": [], "kpi": []}
    for c in contracts:
        rows["contracten"].append([c.contract_id, c.regio, c.agb, c.naam, c.domein, c.perceel,
                                   c.begindatum, c.einddatum, c.plafond_eur])
        last = min((c.einddatum or dt.date(2026, 12, 31)).year, 2026)
        for p in (p for p in config.PRODUCTS if p.perceel == c.perceel):
            for y in range(max(c.begindatum.year, 2019), last + 1):
                rows["tarieven"].append([c.contract_id, p.code, y, p.eenheid, tarieven[(p.code, y)] / 100])
        rows["kpi"].extend([c.contract_id, k, norm, v] for k, norm, v in KPIS)
    return rows


HEADERS = {
    "contracten": ["contract_id", "regio", "aanbieder_agb", "aanbieder_naam", "domein", "perceel",
                   "begindatum", "einddatum", "plafond_eur"],
    "tarieven": ["contract_id", "productcode", "jaar", "eenheid", "tarief_eur"],
    "kpi": ["contract_id", "kpi", "norm", "streefwaarde"],
}
TEXT_COLUMNS = {"contract_id", "regio", "aanbieder_agb", "aanbieder_naam", "domein", "perceel",
                "productcode", "eenheid", "kpi", "norm"}


def write_xlsx(path: Path, rows: dict[str, list[list]]) -> None:
    """The contract workbook (sheets contracten, tarieven, kpi) with fixed metadata: same bytes each run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    wb.set_properties({"created": FIXED_TIME, "author": "analysis.demo", "title": "Contracten (demo)"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for sheet, header in HEADERS.items():
        ws = wb.add_worksheet(sheet)
        ws.write_row(0, 0, header)
        for r, row in enumerate(rows[sheet], start=1):
            for c, (name, value) in enumerate(zip(header, row)):
                _cell(ws, r, c, name, value, date_fmt)
    wb.close()


def _cell(ws, r: int, c: int, name: str, value, date_fmt) -> None:
    """Write one cell with an explicit type (codes stay text, dates are dates, empty stays empty)."""
    if value is None:
        ws.write_blank(r, c, None)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_fmt)
    elif name in TEXT_COLUMNS:
        ws.write_string(r, c, str(value))
    else:
        ws.write_number(r, c, value)


def write_contract_csvs(folder: Path, rows: dict[str, list[list]]) -> list[Path]:
    """Three UTF-8 CSV files, ``,``-separated, dates DD-MM-YYYY (as a Dutch spreadsheet exports them)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sheet, header in HEADERS.items():
        fmt = [[_csv_value(v) for v in row] for row in rows[sheet]]
        paths.append(_write_csv(folder / f"{sheet}.csv", header, fmt, sep=",", encoding="utf-8"))
    return paths


def _csv_value(value) -> object:
    """Dates as DD-MM-YYYY, EUR amounts with two decimals, None as empty."""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else value


def _write_csv(path: Path, header: list[str], rows: list[list], *, sep: str, encoding: str) -> Path:
    """A CSV file with ``\\n`` line ends (identical on every platform)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _dutch(value: float, decimals: int = 2, *, thousands: bool = False) -> str:
    """A number with a decimal comma (and optionally dots between thousands).

    >>> _dutch(1234567.891, thousands=True), _dutch(7.25, 1)
    ('1.234.567,89', '7,2')
    """
    text = f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# --- Iv3 --------------------------------------------------------------------------------------------

@functools.cache
def taakveld(code: str, categorie: str, domein: str, year: int) -> str:
    """The Iv3 taakveld of a product in ``year`` (the social-domain taakvelden changed in 2023 and
    2025), checked against :func:`analysis.reference.taakvelden.taakveld_domein` (once per product
    and year: the check reads the crosswalk)."""
    if year <= 2022:
        tv = {"Jeugd": "6.82" if categorie == "47" else "6.72", "Wmo": "6.71", "Beschermd Wonen": "6.81"}[domein]
    else:
        table = IV3_2023 if year <= 2024 else IV3_2025
        tv = table.get(code) or table[categorie]
    if taakveld_domein(tv, year) != domein:
        raise ValueError(f"taakveld {tv} of {code} in {year} is not {domein} in the Iv3 crosswalk")
    return tv


IV3_2023 = {"45A04": "6.72a", "45A05": "6.72b", "45A06": "6.72b", "41": "6.72c", "43": "6.73c",
            "44A07": "6.73a", "44A08": "6.73b", "46": "6.74b", "47": "6.82b", "01": "6.71a", "02": "6.71b",
            "07": "6.71c", "04": "6.71d", "10": "6.71d", "15": "6.81a", "16": "6.81b", "18": "6.81a"}
IV3_2025 = {"45": "6.752", "41": "6.752", "46": "6.752", "43": "6.762", "44": "6.762", "47": "6.822",
            "01": "6.711", "02": "6.712", "07": "6.713", "04": "6.714", "10": "6.714", "15": "6.811",
            "16": "6.812", "18": "6.811"}
PRODUCT_BY_CODE = {p.code: p for p in config.PRODUCTS}
OVERHEAD = 0.07  # toegang / wijkteams, salarissen, as a share of the care spend


def toegang(domein: str, year: int) -> str:
    """Taakveld of the toegang (wijkteam) costs of ``domein`` in ``year``."""
    if year <= 2024:
        return "6.2"
    return "6.22" if domein == "Jeugd" else "6.21"


def iv3_lasten(spend: pd.DataFrame, year: int, factor: float) -> list[dict]:
    """``data.lasten`` rows (EUR 1,000) from care spend in cents per productcode and domain."""
    by_tv: dict[tuple[str, str], float] = {}
    for row in spend.itertuples(index=False):
        prod = PRODUCT_BY_CODE[row.productcode]
        for key, cents in (((taakveld(prod.code, prod.categorie, prod.domein, year), "3.4.1"), row.cents),
                           ((toegang(prod.domein, year), "1.1"), row.cents * OVERHEAD)):
            by_tv[key] = by_tv.get(key, 0.0) + cents * factor
    return [{"taakveld": tv, "categorie": cat, "bedrag": round(cents / 100_000)}
            for (tv, cat), cents in sorted(by_tv.items()) if round(cents / 100_000) != 0]


def iv3_document(g: config.Gemeente, year: int, status: str, lasten: list[dict]) -> dict:
    """An Iv3 delivery (data schema 2.1): metadata, contact and data with the required arrays."""
    made = dt.datetime(year - 1, 11, 10, 9, 0, 0) if status == "Begroting" else dt.datetime(year + 1, 7, 10, 9, 0, 0)
    return {
        "metadata": {"overheidslaag": "Gemeente", "overheidsnummer": g.code, "overheidsnaam": g.naam,
                     "boekjaar": year, "periode": 0, "status": status, "datum": made.isoformat(),
                     "details_openbaar": True, "financieel_pakket": "Demo Financiën",
                     "export_software": "analysis.demo"},
        "contact": {"naam": "Team Planning & Control", "email": f"iv3@gm{g.code}.example.nl",
                    "telefoon": "0140000000"},
        "data": {"lasten": lasten, "baten": [], "balans_baten": [], "balans_lasten": [],
                 "balans_standen": []},
    }


def write_iv3(out: Path, region: Region, lines: pd.DataFrame, rng: np.random.Generator) -> list[Path]:
    """Begroting 2019-2026 and realisatie 2019-2024 per gemeente: realisatie from the declared,
    not rejected spend (pending included, as the year-end accrual does); begroting 3-10 % lower."""
    ok = lines[~lines["afgewezen"]]
    spend = ok.groupby(["gemeente", "jaar", "productcode"], as_index=False)["cents"].sum()
    by_year = dict(list(spend.groupby(["gemeente", "jaar"])))
    paths = []
    for g in region.gemeenten:
        for year in range(2019, 2027):
            if not g.valid_on(dt.date(year, 1, 1)):
                continue
            base_year = min(year, 2025)
            own = by_year.get((g.code, base_year), spend.iloc[:0])
            growth = 1.06 if year == 2026 else 1.0
            for status in ("Begroting", "Realisatie"):
                if status == "Realisatie" and year > 2024:
                    continue
                factor = growth * rng.uniform(0.90, 0.97) if status == "Begroting" else 1.0
                doc = iv3_document(g, year, status, iv3_lasten(own, year, factor))
                path = out / "iv3" / region.slug / f"iv3_{g.cbs}_{year}_{status.lower()}.json"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                paths.append(path)
    return paths


# --- income, inhabitants, satisfaction ----------------------------------------------------------------

def inwoners(g: config.Gemeente, year: int) -> tuple[int, int]:
    """Inhabitants on 1 January of ``year``: (0 tot 18 jaar, 18 jaar of ouder)."""
    total = g.inwoners_2019 * (1 + config.POPULATION_GROWTH) ** (year - 2019)
    young = round(total * g.aandeel_jeugd)
    return young, round(total) - young


def write_inwoners(out: Path, region: Region) -> Path:
    """CBS StatLine style: RegioS, Perioden (2024JJ00), Leeftijd, BevolkingOp1Januari_1; ``;``, quoted."""
    rows = []
    for g in region.gemeenten:
        for year in range(2019, 2027):
            if g.valid_on(dt.date(year, 1, 1)):
                young, old = inwoners(g, year)
                rows += [[g.cbs, f"{year}JJ00", "0 tot 18 jaar", young], [g.cbs, f"{year}JJ00", "18 jaar of ouder", old]]
    path = out / "inwoners" / region.slug / "bevolking_1_januari.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(["RegioS", "Perioden", "Leeftijd", "BevolkingOp1Januari_1"])
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


def income_rows(region: Region, lines: pd.DataFrame, rng: np.random.Generator) -> list[list]:
    """Rijksmiddelen (EUR) per gemeente, year 2019-2026 and domain: the 2019 spend level, +3 % a year."""
    base = lines[~lines["afgewezen"] & (lines["jaar"] == 2019)].groupby(["gemeente", "domein"])["cents"].sum()
    rows = []
    for g in region.gemeenten:
        parts = [x.code for x in region.gemeenten if x.opvolger == g.code] or [g.code]
        for domein in config.DOMAINS:
            start_cents = sum(base.get((p, domein), 0) for p in parts) * rng.uniform(0.98, 1.06)
            for year in range(2019, 2027):
                if g.valid_on(dt.date(year, 1, 1)):
                    eur = round(start_cents * (1 + config.INCOME_GROWTH) ** (year - 2019)) / 100
                    rows.append([g.cbs, year, domein, eur])
    return rows


def write_income(out: Path, region: Region, lines: pd.DataFrame, rng: np.random.Generator) -> Path:
    """Noord-Kennemerland: UTF-8, ``,``; Noord Limburg: UTF-8 with BOM, ``;``, 1.234.567,89."""
    rows = income_rows(region, lines, rng)
    header = ["gemeente_code", "jaar", "domein", "bedrag_eur"]
    path = out / "inkomsten" / region.slug / "rijksmiddelen.csv"
    if region.formaat == "NK":
        return _write_csv(path, header, [[*r[:3], f"{r[3]:.2f}"] for r in rows], sep=",", encoding="utf-8")
    dutch = [[*r[:3], _dutch(r[3], thousands=True)] for r in rows]
    return _write_csv(path, header, dutch, sep=";", encoding="utf-8-sig")


def satisfaction_rows(lines: pd.DataFrame, aanbieders: list[Aanbieder], rng: np.random.Generator) -> list[list]:
    """Score (1-10) and respondents per aanbieder, year and domain; about a quarter of clients respond."""
    clients = lines[~lines["credit"]].groupby(["aanbieder", "jaar"])["bsn"].nunique()
    level = rng.normal(7.5, 0.45, len(aanbieders))
    rows = []
    for (a, year), n in clients.items():
        resp = int(rng.binomial(int(n), 0.25))
        if resp == 0 or year > 2025:
            continue
        score = float(np.clip(level[a] + rng.normal(0, 0.6 / np.sqrt(resp)), 1, 10))
        ab = aanbieders[int(a)]
        rows.append([ab.agb, ab.naam, int(year), ab.domein, round(score, 1), resp])
    return rows


def write_satisfaction(out: Path, region: Region, lines: pd.DataFrame, aanbieders: list[Aanbieder],
                       rng: np.random.Generator) -> Path:
    """Survey export. Noord Limburg: Windows-1252, ``;``, decimal comma (names with é survive)."""
    rows = satisfaction_rows(lines, aanbieders, rng)
    header = ["aanbieder_agb", "aanbieder_naam", "jaar", "domein", "score", "respondenten"]
    path = out / "tevredenheid" / region.slug / "clientervaring.csv"
    if region.formaat == "NK":
        return _write_csv(path, header, rows, sep=",", encoding="utf-8")
    dutch = [[*r[:4], _dutch(r[4], 1), r[5]] for r in rows]
    return _write_csv(path, header, dutch, sep=";", encoding="cp1252")
