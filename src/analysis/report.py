"""What the report notebooks share: parameter checks, the executive summary and the board's tables.

A notebook (``notebooks/*.ipynb``) holds narrative and calls only. The cell after its ``parameters``
cell calls :func:`check_parameters`, which refuses an invalid value with a ``ValueError`` naming the
parameter and returns a :class:`Rapport`: the read-only connection and the derived dates every
section uses. The summary at the top is rendered by :func:`samenvatting`; the ``samenvatting_*``
builders compute its sentences and headline figures (exception first). The ``tabel_*`` functions
turn analysis frames into presentation tables through :func:`analysis.display.format_table`, so
small cells are suppressed and every figure is Dutch text. Money is integer cents until then.

Dates: ``periode`` ("YYYY-MM") is the last month a report covers. The data date (``peildatum``) is
the warehouse's ``bouw.datadatum``, but never after the day following ``periode``; the last
``OPEN_MAANDEN`` product months before it are still being declared, so the *basisjaar* (the last
year whose months are all closed) is the latest year trends and realisations are reported on.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

import analysis
from analysis.display import eur, format_table, number, pct
from analysis.forecast import Scenario, last_closed_month
from analysis.forecast.gap import TOTAAL, base_year
from analysis.reference.volwassenheid import MODELLEN
from analysis.schemas import DOMEINEN
from analysis.suppliers import Thresholds
from analysis.volwassenheid import EIGEN_ORGANISATIE, answers, largest_gaps, per_organisatie, rank
from analysis.warehouse import connect

OPEN_MAANDEN = 2
"""Product months before the data date whose declarations are still coming in (as the forecast)."""
_PERIODE = re.compile(r"^(\d{4})-(\d{2})$")


# --- parameters ---------------------------------------------------------------------------------

def repo_root() -> Path:
    """The repository root: the folder above ``src/analysis`` of the installed package, else the cwd."""
    here = Path(analysis.__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


def resolve_warehouse(warehouse: str | Path) -> Path:
    """An absolute path as is; a relative one against the repository root (papermill runs in any cwd)."""
    if not isinstance(warehouse, (str, Path)) or not str(warehouse).strip():
        raise ValueError(f"warehouse: expected a path to a warehouse.duckdb, got {warehouse!r}")
    path = Path(warehouse).expanduser()
    return path if path.is_absolute() else repo_root() / path


def parse_periode(periode: str) -> tuple[int, int]:
    """``"2025-06"`` -> ``(2025, 6)``; a ``ValueError`` naming ``periode`` for anything else."""
    found = _PERIODE.match(periode) if isinstance(periode, str) else None
    if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise ValueError(f"periode: expected a month as 'YYYY-MM' (e.g. '2025-12'), got {periode!r}")
    return int(found[1]), int(found[2])


def check_drempels(drempels: dict[str, float]) -> dict[str, float]:
    """Every threshold a finite number >= 0 (not a bool); returns them as given."""
    for name, value in drempels.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name}: expected a number >= 0, got {value!r}")
    return dict(drempels)


@dataclass(frozen=True)
class Rapport:
    """The checked parameters of one report and what follows from them."""

    con: duckdb.DuckDBPyConnection
    warehouse: Path
    periode: str
    jaar: int
    maand: int
    einde: date  # last day of periode
    peildatum: date  # data date used for open months and the forecast
    laatste_maand: pd.Timestamp  # last closed product month
    basisjaar: int  # last year with all months closed
    regio: str
    gemeenten: pd.DataFrame  # gemeente_code, gemeentenaam of the region
    gemeente: str | None = None
    naam: str = ""
    drempels: dict[str, float] = field(default_factory=dict)
    scenario: Scenario | None = None
    horizon: int | None = None
    thresholds: Thresholds | None = None
    min_clienten: int = 10

    @property
    def onderwerp(self) -> str:
        """'Alkmaar (GM0361)' or 'regio Noord-Kennemerland', for titles."""
        return f"{self.naam} ({self.gemeente})" if self.gemeente else f"regio {self.regio}"

    @property
    def periode_tekst(self) -> str:
        """'december 2025'."""
        return f"{MAANDEN[self.maand - 1]} {self.jaar}"


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")


def check_parameters(*, warehouse: str | Path, periode: str, gemeente: str | None = None,
                     regio: str | None = None, drempels: dict[str, float] | None = None,
                     scenario: dict[str, float] | None = None, horizon: int | None = None,
                     rag: dict[str, float] | None = None, min_clienten: int = 10) -> Rapport:
    """Check a notebook's parameters at once and open the warehouse read-only.

    Give exactly one of ``gemeente`` (a current CBS code with declaraties) and ``regio`` (a
    jeugdzorgregio with declaraties). ``periode`` must be a month from the first to the last product
    month with declaraties. ``drempels`` are numbers >= 0; ``scenario`` are :class:`Scenario`'s
    fields; ``rag`` are :class:`Thresholds`' fields (``min_basis`` is ``min_clienten``).
    Raises ``ValueError`` naming the parameter.
    """
    jaar, maand = parse_periode(periode)
    checked = check_drempels(drempels or {})
    if isinstance(min_clienten, bool) or not isinstance(min_clienten, int) or min_clienten < 1:
        raise ValueError(f"min_clienten: expected a whole number >= 1, got {min_clienten!r}")
    if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 10):
        raise ValueError(f"horizon: expected a whole number of years from 1 to 10, got {horizon!r}")
    scen = _build(Scenario, scenario)
    thresholds = _build(Thresholds, None if rag is None else {**rag, "min_basis": min_clienten})
    if (gemeente is None) == (regio is None):
        raise ValueError("gemeente / regio: give exactly one of them")
    path = resolve_warehouse(warehouse)
    if not path.is_file():
        raise ValueError(f"warehouse: {path} does not exist; run `make build` (or pass the path of a warehouse)")
    con = connect(path)
    naam, regio, gemeenten = _where(con, gemeente=gemeente, regio=regio)
    einde = date(jaar, maand, 1) + pd.offsets.MonthEnd(0)
    peildatum = _peildatum(con, gemeenten["gemeente_code"].tolist(), periode=periode, einde=einde.date())
    laatste = last_closed_month(peildatum, open_maanden=OPEN_MAANDEN)
    return Rapport(con=con, warehouse=path, periode=periode, jaar=jaar, maand=maand, einde=einde.date(),
                   peildatum=peildatum, laatste_maand=laatste, basisjaar=base_year(laatste), regio=regio,
                   gemeenten=gemeenten, gemeente=gemeente, naam=naam, drempels=checked, scenario=scen,
                   horizon=horizon, thresholds=thresholds, min_clienten=min_clienten)


def _build(cls, values: dict | None):
    """``cls(**values)`` with unknown names and the class's own checks as ``ValueError``."""
    if values is None:
        return None
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(f"{cls.__name__}: {exc}") from exc


def _where(con: duckdb.DuckDBPyConnection, *, gemeente: str | None, regio: str | None
           ) -> tuple[str, str, pd.DataFrame]:
    """The gemeente's name and region, or the region's gemeenten (those with declaraties)."""
    if gemeente is not None:
        row = con.sql("SELECT gemeentenaam, jeugdzorgregio FROM ref_gemeente WHERE gemeente_code = $g",
                      params={"g": str(gemeente)}).fetchall()
        if not isinstance(gemeente, str) or not row or row[0][1] is None:
            raise ValueError(f"gemeente: {gemeente!r} is not a current gemeente code (e.g. 'GM0361')")
        naam, regio = row[0]
    members = con.sql("""
        SELECT gemeente_code, gemeentenaam FROM ref_gemeente
        WHERE jeugdzorgregio = $r AND gemeente_code IN (SELECT DISTINCT gemeente_code_huidig FROM declaratieregel)
        ORDER BY gemeente_code""", params={"r": str(regio)}).df()
    if members.empty or (gemeente is not None and gemeente not in set(members["gemeente_code"])):
        name = "gemeente" if gemeente is not None else "regio"
        raise ValueError(f"{name}: {gemeente or regio!r} has no declaraties in this warehouse")
    return (naam if gemeente is not None else ""), regio, members


def _peildatum(con: duckdb.DuckDBPyConnection, codes: list[str], *, periode: str, einde: date) -> date:
    """The data date for ``periode``; refuses a periode outside the product months with declaraties."""
    first, last, datadatum = con.sql("""
        SELECT min(periode_begin), max(periode_begin), (SELECT max(datadatum) FROM bouw)
        FROM declaratieregel WHERE gemeente_code_huidig IN (SELECT unnest($codes))""",
                                     params={"codes": codes}).fetchall()[0]
    if not (first.replace(day=1) <= einde.replace(day=1) <= last.replace(day=1)):
        raise ValueError(f"periode: {periode!r} is outside the data ({first:%Y-%m} to {last:%Y-%m})")
    return min(datadatum, einde + timedelta(days=1))


# --- executive summary -------------------------------------------------------------------------

def samenvatting(*, uitzonderingen: Sequence[str], zinnen: Sequence[str],
                 kerncijfers: Sequence[tuple[str, str]], titel: str = "Samenvatting") -> str:
    """The summary section as HTML: what is outside tolerance first, then the other sentences and
    three to five headline figures. Every text is escaped.

    Three to five sentences in all (``uitzonderingen`` + ``zinnen``); when nothing is outside
    tolerance, ``uitzonderingen`` holds the sentence that says so.

    >>> "<section class=\\"samenvatting\\">" in samenvatting(uitzonderingen=["a."], zinnen=["b.", "c."],
    ...     kerncijfers=[("x", "1"), ("y", "2"), ("z", "3")])
    True
    """
    sentences = [*uitzonderingen, *zinnen]
    if not uitzonderingen:
        raise ValueError("uitzonderingen: open with what is outside tolerance (or say that nothing is)")
    if not 3 <= len(sentences) <= 5:
        raise ValueError(f"zinnen: a summary has 3 to 5 sentences, got {len(sentences)}")
    if not 3 <= len(kerncijfers) <= 5:
        raise ValueError(f"kerncijfers: a summary has 3 to 5 headline figures, got {len(kerncijfers)}")
    e = html.escape
    paras = [f'<p class="uitzondering"><strong>{e(s)}</strong></p>' for s in uitzonderingen]
    paras += [f"<p>{e(s)}</p>" for s in zinnen]
    figures = "".join(f'<li><span class="kerncijfer">{e(v)}</span> {e(label)}</li>' for label, v in kerncijfers)
    return (f'<section class="samenvatting"><h2>{e(titel)}</h2>{"".join(paras)}'
            f'<ul class="kerncijfers">{figures}</ul></section>')


def toon(markup: str):
    """An HTML string as a display object for a notebook cell."""
    from IPython.display import HTML

    return HTML(markup)


def opsomming(zinnen: Sequence[str]) -> str:
    """Sentences (e.g. a forecast's assumptions) as an escaped HTML list."""
    return "<ul>" + "".join(f"<li>{html.escape(z)}</li>" for z in zinnen) + "</ul>"


def namen(items: Sequence[str], *, max_items: int = 3) -> str:
    """'A, B en C' (at most ``max_items``, then 'en N andere')."""
    items = list(items)
    if not items:
        return ""
    shown, rest = items[:max_items], len(items) - max_items
    if rest > 0:
        return ", ".join(shown) + f" en {rest} andere"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " en " + shown[-1]


# --- regio --------------------------------------------------------------------------------------

def regio_saldo(gaps: dict[str, pd.DataFrame], gemeenten: pd.DataFrame) -> pd.DataFrame:
    """The plan table "realisatie / prognose" per gemeente: saldo of the base year and of the horizon year.

    ``gaps`` maps a gemeente code to its :func:`analysis.forecast.forecast_gap` table. Rows: each
    gemeente and ``Regio`` (the sums, % of the summed income). Columns ``gemeente_code``,
    ``gemeentenaam``, ``{realisatie,prognose}_{inkomsten,uitgaven,saldo}_cent``,
    ``{realisatie,prognose}_saldo_pct`` and ``realisatie_jaar``, ``prognose_jaar``.
    """
    if not gaps:
        raise ValueError("gaps: no gemeente")
    rows = []
    for code, gap in gaps.items():
        total = gap[gap["domein"] == TOTAAL]
        row = {"gemeente_code": code}
        for soort, jaar in (("realisatie", total["jaar"].min()), ("prognose", total["jaar"].max())):
            line = total[total["jaar"] == jaar].iloc[0]
            row |= {f"{soort}_jaar": int(jaar), f"{soort}_inkomsten_cent": int(line["inkomsten_cent"]),
                    f"{soort}_uitgaven_cent": int(line["uitgaven_cent"])}
        rows.append(row)
    frame = pd.DataFrame(rows).merge(gemeenten, on="gemeente_code", how="left")
    money = [c for c in frame.columns if c.endswith("_cent")]
    regio = {"gemeente_code": "", "gemeentenaam": "Regio", **frame[money].sum().astype("int64").to_dict(),
             "realisatie_jaar": frame["realisatie_jaar"].iloc[0], "prognose_jaar": frame["prognose_jaar"].iloc[0]}
    frame = pd.concat([frame, pd.DataFrame([regio])], ignore_index=True)
    for soort in ("realisatie", "prognose"):
        frame[f"{soort}_saldo_cent"] = frame[f"{soort}_inkomsten_cent"] - frame[f"{soort}_uitgaven_cent"]
        income = frame[f"{soort}_inkomsten_cent"].astype("float64")
        frame[f"{soort}_saldo_pct"] = frame[f"{soort}_saldo_cent"] / income.where(income != 0) * 100
    return frame.astype({c: "int64" for c in frame.columns if c.endswith("_cent") or c.endswith("_jaar")})


def tabel_regio_saldo(saldo: pd.DataFrame) -> pd.DataFrame:
    """:func:`regio_saldo` for the board (amounts about budgets, not clients)."""
    r, p = int(saldo["realisatie_jaar"].iloc[0]), int(saldo["prognose_jaar"].iloc[0])
    cols = {"gemeentenaam": "Gemeente", "realisatie_inkomsten_cent": f"Inkomsten {r}",
            "realisatie_uitgaven_cent": f"Uitgaven {r}", "realisatie_saldo_cent": f"Saldo {r}",
            "realisatie_saldo_pct": f"Saldo {r} (% inkomsten)", "prognose_inkomsten_cent": f"Inkomsten {p}",
            "prognose_uitgaven_cent": f"Uitgaven {p} (prognose)", "prognose_saldo_cent": f"Saldo {p} (prognose)",
            "prognose_saldo_pct": f"Saldo {p} (% inkomsten)"}
    table = saldo[list(cols)].rename(columns=cols)
    money = [v for k, v in cols.items() if k.endswith("_cent")]
    return format_table(table, money=money, percent=[v for k, v in cols.items() if k.endswith("_pct")],
                        count_column=None)


def regio_benchmark(bench: pd.DataFrame) -> pd.DataFrame:
    """Spend per 1,000 inhabitants per gemeente (rows) and domein, with the region's level per domein.

    ``bench`` is :func:`analysis.spend.benchmark`. Returns ``gemeentenaam``, ``domein``,
    ``toegekend_per_1000_cent``, ``index_toegekend``, ``clienten``, plus one ``Regio`` row per domein
    (region total per 1,000 inhabitants, index 100, the region's clients).
    """
    keep = ["gemeentenaam", "domein", "toegekend_per_1000_cent", "index_toegekend", "clienten"]
    regio = (bench.groupby("domein", as_index=False)
             .agg(toegekend_per_1000_cent=("regio_toegekend_per_1000_cent", "first"), clienten=("clienten", "sum"))
             .assign(gemeentenaam="Regio", index_toegekend=100.0))
    return pd.concat([bench[keep], regio[keep]], ignore_index=True)


def tabel_benchmark(bench: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """:func:`regio_benchmark` wide: gemeenten as rows, per domein the spend per 1,000 and the index.

    A domein's figures about fewer than ``threshold`` clients are suppressed.
    """
    parts = []
    for domein, part in bench.groupby("domein", sort=False):
        shown = format_table(part.rename(columns={"toegekend_per_1000_cent": "per_1000", "index_toegekend": "index"}),
                             money=["per_1000"], numbers=["index"], threshold=threshold)
        parts.append(shown.set_index("gemeentenaam")[["per_1000", "index"]].rename(
            columns={"per_1000": f"{domein}: € per 1.000 inwoners", "index": f"{domein}: index (regio = 100)"}))
    return pd.concat(parts, axis=1).reset_index().rename(columns={"gemeentenaam": "Gemeente"}).fillna("–")


def samenvatting_regio(saldo: pd.DataFrame, bench: pd.DataFrame, *, regio: str, tekort_drempel_pct: float,
                       index_drempel: float, titel: str = "Samenvatting") -> str:
    """Summary of the region: gemeenten with a forecast deficit beyond the threshold (% of income)
    and gemeenten far above the region's spend per inhabitant first."""
    gem, tot = saldo[saldo["gemeentenaam"] != "Regio"], saldo[saldo["gemeentenaam"] == "Regio"].iloc[0]
    r, p = int(tot["realisatie_jaar"]), int(tot["prognose_jaar"])
    tekort = gem[gem["prognose_saldo_pct"] < -tekort_drempel_pct]
    hoog = bench[(bench["gemeentenaam"] != "Regio") & (bench["index_toegekend"] > index_drempel)]
    exceptions = []
    if len(tekort):
        exceptions.append(f"{len(tekort)} van de {len(gem)} gemeenten hebben in {p} naar verwachting een tekort "
                          f"van meer dan {pct(tekort_drempel_pct)} van de inkomsten: "
                          f"{namen(tekort.sort_values('prognose_saldo_pct')['gemeentenaam'])}.")
    if len(hoog):
        worst = hoog.sort_values("index_toegekend", ascending=False).iloc[0]
        exceptions.append(f"{hoog['gemeentenaam'].nunique()} gemeenten geven per inwoner meer dan index "
                          f"{number(index_drempel)} uit in een domein; het hoogst is {worst['gemeentenaam']} bij "
                          f"{worst['domein']} (index {number(worst['index_toegekend'])}).")
    if not exceptions:
        exceptions.append(f"Geen gemeente valt buiten de tolerantie: geen tekort boven {pct(tekort_drempel_pct)} "
                          f"van de inkomsten in {p} en geen uitgaven per inwoner boven index {number(index_drempel)}.")
    zinnen = [f"De regio {regio} sloot {r} af met een saldo van {eur(int(tot['realisatie_saldo_cent']))} "
              f"({pct(tot['realisatie_saldo_pct'])} van de inkomsten).",
              f"Voor {p} is de prognose {eur(int(tot['prognose_saldo_cent']))} "
              f"({pct(tot['prognose_saldo_pct'])} van de inkomsten)."]
    kern = [(f"saldo regio {r}", eur(int(tot["realisatie_saldo_cent"]))),
            (f"prognose saldo regio {p}", eur(int(tot["prognose_saldo_cent"]))),
            (f"gemeenten met tekort > {pct(tekort_drempel_pct)} in {p}", number(len(tekort))),
            (f"uitgaven regio {r}", eur(int(tot["realisatie_uitgaven_cent"])))]
    return samenvatting(uitzonderingen=exceptions[:3], zinnen=zinnen[:5 - len(exceptions[:3])], kerncijfers=kern, titel=titel)


# --- uitgaven -----------------------------------------------------------------------------------

def jaaroverzicht(per_inwoner: pd.DataFrame, *, tot: int, jaren: int = 4) -> pd.DataFrame:
    """The last ``jaren`` years up to ``tot`` of :func:`analysis.spend.spend_per_inhabitant`, with
    the change of spend and of clients against the year before (:func:`analysis.spend.add_year_on_year`)."""
    from analysis.spend import add_year_on_year

    if per_inwoner.empty:
        raise ValueError("per_inwoner: no spend")
    frame = add_year_on_year(per_inwoner, by=("domein",)).pipe(add_year_on_year, by=("domein",), value="clienten")
    frame = frame[(frame["jaar"] <= tot) & (frame["jaar"] > tot - jaren)]
    return frame.sort_values(["domein", "jaar"], ignore_index=True)


def tabel_jaaroverzicht(frame: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """:func:`jaaroverzicht` for the board."""
    cols = {"jaar": "Jaar", "domein": "Domein", "toegekend_cent": "Uitgaven", "toegekend_verschil_pct": "Groei",
            "clienten": "Cliënten", "kosten_per_client_cent": "Kosten per cliënt",
            "toegekend_per_1000_cent": "Uitgaven per 1.000 inwoners", "clienten_per_1000": "Cliënten per 1.000 inwoners"}
    table = frame[list(cols)].rename(columns=cols).astype({"Jaar": "str"})
    return format_table(table, money=["Uitgaven", "Kosten per cliënt", "Uitgaven per 1.000 inwoners"],
                        percent=["Groei"], numbers=["Cliënten per 1.000 inwoners"],
                        decimals={"Cliënten per 1.000 inwoners": 1}, count_column="Cliënten", threshold=threshold)


def top_spend(yearly: pd.DataFrame, *, keys: tuple[str, ...], jaar: int, top: int = 10,
              labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``top`` largest groups (``keys``) in ``jaar`` by approved spend, with growth against the year
    before and their share of the year's spend (%); the rest as one row 'Overige'.

    ``yearly`` is :func:`analysis.spend.yearly_spend` by ``keys``. ``labels`` (``keys`` and ``naam``)
    names the groups; an unnamed group shows its last key (its code).
    """
    from analysis.spend import add_year_on_year

    if missing := [k for k in keys if k not in yearly.columns]:
        raise KeyError(f"keys: {missing} are not columns of yearly")
    frame = add_year_on_year(yearly, by=keys)
    frame = frame[frame["jaar"] == jaar].sort_values("toegekend_cent", ascending=False, ignore_index=True)
    total = frame["toegekend_cent"].sum()
    if labels is not None:
        frame = frame.merge(labels.drop_duplicates(list(keys)), on=list(keys), how="left")
    naam = frame["naam"].fillna(frame[keys[-1]]) if "naam" in frame else frame[keys[-1]]
    out = frame.assign(naam=naam.astype("str"))[["naam", "toegekend_cent", "toegekend_verschil_pct", "clienten"]]
    head, rest = out.head(top), out.iloc[top:]
    if len(rest):
        head = pd.concat([head, pd.DataFrame([{"naam": "Overige", "toegekend_cent": int(rest["toegekend_cent"].sum())}])],
                         ignore_index=True)
    head = head.assign(aandeel_pct=head["toegekend_cent"] / total * 100 if total else float("nan"))
    return head.astype({"toegekend_cent": "int64", "clienten": "Int64", "toegekend_verschil_pct": "Float64"})


def namen_productcategorie(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``domein``, ``productcategorie`` and ``naam`` ('45 Ambulante jeugdhulp ...') from ``ref_productcategorie``."""
    return con.sql("""SELECT domein, productcategorie, productcategorie || ' ' || omschrijving AS naam
                      FROM ref_productcategorie ORDER BY ALL""").df()


def namen_aanbieder(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``aanbieder_agb`` and ``naam`` (from the latest contract)."""
    return con.sql("""SELECT aanbieder_agb, arg_max(aanbieder_naam, begindatum) AS naam
                      FROM contract GROUP BY ALL ORDER BY ALL""").df()


def tabel_top(frame: pd.DataFrame, *, naam: str, threshold: int = 10) -> pd.DataFrame:
    """:func:`top_spend` for the board; ``naam`` heads the name column. The 'Overige' row has no client count."""
    table = frame.rename(columns={"naam": naam, "toegekend_cent": "Uitgaven", "toegekend_verschil_pct": "Groei",
                                  "clienten": "Cliënten", "aandeel_pct": "Aandeel"})
    shown = format_table(table, money=["Uitgaven"], percent=["Groei", "Aandeel"], count_column="Cliënten",
                         threshold=threshold)
    overige = (frame["naam"] == "Overige").to_numpy()
    for column in ("Uitgaven", "Aandeel"):  # a total over many groups discloses nobody
        shown.loc[overige, column] = format_table(table.loc[overige], money=["Uitgaven"], percent=["Aandeel"],
                                                  count_column=None).loc[:, column]
    shown.loc[overige, ["Groei", "Cliënten"]] = "–"
    return shown


def tabel_groei(drivers: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.spend.spend_drivers` by domein for the board: change split in volume, intensity, price."""
    cols = {"domein": "Domein", "toegekend_vorig_jaar_cent": "Vorig jaar", "toegekend_cent": "Dit jaar",
            "toegekend_verschil_cent": "Verschil", "effect_clienten_cent": "Door aantal cliënten",
            "effect_intensiteit_cent": "Door zorg per cliënt", "effect_prijs_cent": "Door prijs per eenheid"}
    table = drivers[list(cols)].rename(columns=cols)
    return format_table(table, money=list(cols.values())[1:], count_column=None)


def tabel_budget(monitor: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.budget.budget_monitor` for the board (budget figures, not about clients)."""
    cols = {"domein": "Domein", "begroting_cent": "Begroting", "realisatie_cent": "Realisatie tot nu",
            "realisatie_pct": "Realisatie (% begroting)", "profiel_pct": "Gebruikelijk tot nu (% jaar)",
            "prognose_cent": "Prognose jaareinde", "afwijking_cent": "Afwijking", "afwijking_pct": "Afwijking (%)",
            "in_behandeling_cent": "Nog in behandeling (apart)"}
    table = monitor[list(cols)].rename(columns=cols)
    money = ["Begroting", "Realisatie tot nu", "Prognose jaareinde", "Afwijking", "Nog in behandeling (apart)"]
    return format_table(table, money=money, percent=["Realisatie (% begroting)", "Gebruikelijk tot nu (% jaar)",
                                                     "Afwijking (%)"], count_column=None)


def samenvatting_uitgaven(jaar_frame: pd.DataFrame, monitor: pd.DataFrame, bench: pd.DataFrame, *, rapport: Rapport,
                          overschrijding_drempel_pct: float, groei_drempel_pct: float, index_drempel: float,
                          titel: str = "Samenvatting") -> str:
    """Summary of spend: projected budget overruns, fast growth and spend far above the region first."""
    jaar, basis = rapport.jaar, rapport.basisjaar
    last = jaar_frame[jaar_frame["jaar"] == basis]
    over = monitor[monitor["afwijking_pct"].fillna(0) > overschrijding_drempel_pct]
    groei = last[last["toegekend_verschil_pct"].fillna(0) > groei_drempel_pct]
    own = bench[bench["is_gemeente"] & (bench["index_toegekend"].fillna(0) > index_drempel)]
    exceptions = []
    if len(over):
        exceptions.append(f"De begroting {jaar} wordt naar verwachting overschreden bij {namen(over['domein'])}: "
                          f"samen {eur(int(over['afwijking_cent'].sum()))} boven begroting.")
    if len(groei):
        exceptions.append(f"De uitgaven groeiden in {basis} met meer dan {pct(groei_drempel_pct)} bij "
                          + namen([f"{r.domein} ({pct(r.toegekend_verschil_pct)})" for r in groei.itertuples()]) + ".")
    if len(own):
        exceptions.append("Per inwoner liggen de uitgaven ruim boven de regio bij "
                          + namen([f"{r.domein} (index {number(r.index_toegekend)})" for r in own.itertuples()]) + ".")
    if not exceptions:
        exceptions.append(f"Niets valt buiten de tolerantie: geen verwachte overschrijding boven "
                          f"{pct(overschrijding_drempel_pct)}, geen groei boven {pct(groei_drempel_pct)} en geen "
                          f"uitgaven per inwoner boven index {number(index_drempel)}.")
    totaal, vorig = int(last["toegekend_cent"].sum()), int(last["toegekend_vorig_jaar_cent"].fillna(0).sum())
    groei_tot = (totaal - vorig) / vorig * 100 if vorig else float("nan")
    real, prog, begr = (int(monitor[c].sum()) for c in ("realisatie_cent", "prognose_cent", "begroting_cent"))
    pending = int(monitor["in_behandeling_cent"].sum())
    meer = "meer" if not groei_tot < 0 else "minder"
    zinnen = [f"In {basis} was {eur(totaal)} aan zorg goedgekeurd, {pct(abs(groei_tot))} {meer} dan in {basis - 1}.",
              f"Tot en met {rapport.periode_tekst} is {eur(real)} gerealiseerd; de prognose voor het jaareinde is "
              f"{eur(prog)} tegen een begroting van {eur(begr)}.",
              f"Daarnaast is nog {eur(pending)} gedeclareerd en in behandeling; dat staat apart en zit niet in de "
              "prognose."]
    exceptions = exceptions[:3]
    kern = [(f"uitgaven {basis}", eur(totaal)), (f"groei {basis}", pct(groei_tot)),
            (f"prognose jaareinde {jaar}", eur(prog)), (f"afwijking van de begroting {jaar}", eur(prog - begr)),
            ("nog in behandeling", eur(pending))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern, titel=titel)


# --- prognose -----------------------------------------------------------------------------------

def tabel_prognose(gap: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.forecast.forecast_gap` for the board: income, expenditure with its 80% and 95%
    interval, saldo in EUR and % of income."""
    frame = gap.assign(
        **{f"interval_{n}": [f"{eur(int(lo))} – {eur(int(hi))}" if s == "prognose" else "–"
                             for lo, hi, s in zip(gap[f"uitgaven_{n}_laag_cent"], gap[f"uitgaven_{n}_hoog_cent"],
                                                  gap["soort"])] for n in ("80", "95")})
    cols = {"jaar": "Jaar", "domein": "Domein", "soort": "Soort", "inkomsten_cent": "Inkomsten",
            "uitgaven_cent": "Uitgaven", "interval_80": "Uitgaven 80%-interval", "interval_95": "Uitgaven 95%-interval",
            "saldo_cent": "Saldo", "saldo_pct": "Saldo (% inkomsten)"}
    table = frame[list(cols)].rename(columns=cols).astype({"Jaar": "str"})
    return format_table(table, money=["Inkomsten", "Uitgaven", "Saldo"], percent=["Saldo (% inkomsten)"],
                        count_column=None)


METHODEN = {"combinatie": "Prognose (combinatie)", "ets": "ETS", "theta": "Theta", "arima": "ARIMA",
            "naief": "Naïef (vorig jaar)", "trend": "Rechte lijn"}
"""The backtest's methods in the order and words of the board."""


def kleine_domeinen(clienten: pd.DataFrame, *, jaar: int, threshold: int) -> list[str]:
    """Domains whose forecast rests on fewer than ``threshold`` clients in ``jaar`` (the base year), plus,
    when exactly one domain is that small, the next smallest (secondary suppression: the total minus the
    domains shown would otherwise give the hidden one away).

    ``clienten`` is :func:`analysis.spend.yearly_spend` by domein (``jaar``, ``domein``, ``clienten``).
    """
    counts = clienten[clienten["jaar"] == jaar].set_index("domein")["clienten"].reindex(list(DOMEINEN)).fillna(0)
    small = [d for d in DOMEINEN if counts[d] < threshold]
    if len(small) == 1:
        small.append(counts.drop(index=small).sort_values(kind="stable").index[0])
    return [d for d in DOMEINEN if d in small]


def zonder_kleine_domeinen(frame: pd.DataFrame, verborgen: Sequence[str]) -> pd.DataFrame:
    """``frame`` (a gap table or backtest summary) without the rows of the ``verborgen`` domains."""
    return frame[~frame["domein"].isin(list(verborgen))].reset_index(drop=True)


def zin_kleine_domeinen(verborgen: Sequence[str], *, threshold: int) -> str:
    """The sentence that says which domains get no forecast of their own, and why."""
    if not verborgen:
        return f"Elk domein rust op ten minste {threshold} cliënten en heeft een eigen prognose."
    return (f"{namen(list(verborgen))} {'krijgt' if len(verborgen) == 1 else 'krijgen'} geen eigen prognose: "
            f"een domein met minder dan {threshold} cliënten wordt niet getoond (en zo nodig een tweede, zodat het "
            "totaal het niet verraadt). Het totaal telt ze wel mee.")


def tabel_backtest(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.forecast.summarise_backtest` for the board: per domein and method the mean error of the
    year total in % and in euros, the monthly sMAPE and MASE, and how often the 80% and 95% bands held."""
    rank = {"methode": {m: i for i, m in enumerate(METHODEN)},
            "domein": {d: i for i, d in enumerate(dict.fromkeys(summary["domein"]))}}
    summary = summary.sort_values(["domein", "methode"], key=lambda c: c.map(rank[c.name]), kind="stable")
    frame = summary.assign(methode=summary["methode"].map(METHODEN).fillna(summary["methode"]),
                           fout_cent=summary["fout_abs"].round().astype("Int64"),
                           dekking_80_pct=summary["dekking_80"] * 100, dekking_95_pct=summary["dekking_95"] * 100,
                           beter=summary["beter_dan_baselines"].map({True: "ja", False: "nee"}).where(
                               summary["gebruikt"], ""))
    cols = {"domein": "Domein", "methode": "Methode", "ape_pct": "Fout jaartotaal (%)", "fout_cent": "Fout jaartotaal",
            "smape_pct": "sMAPE per maand", "mase": "MASE", "dekking_80_pct": "Binnen 80%-band",
            "dekking_95_pct": "Binnen 95%-band", "oorsprongen": "Keren getoetst", "beter": "Beter dan beide maatstaven"}
    table = frame[list(cols)].rename(columns=cols).reset_index(drop=True)
    return format_table(table, money=["Fout jaartotaal"], percent=["Fout jaartotaal (%)", "sMAPE per maand",
                        "Binnen 80%-band", "Binnen 95%-band"], numbers=["MASE", "Keren getoetst"], decimals={"MASE": 2},
                        count_column=None)


def zin_terugtoets(summary: pd.DataFrame) -> str:
    """How far the forecast is to be trusted, from the backtest of the total: its year-total error in % and
    euros, against the baselines, and how often its bands held."""
    total = summary[summary["domein"] == TOTAAL].set_index("methode")
    if "combinatie" not in total.index or pd.isna(total.loc["combinatie", "ape_pct"]):
        return "Een terugtoets was niet mogelijk: daarvoor zijn ten minste drie jaar gegevens nodig."
    c = total.loc["combinatie"]
    maatstaf = "verslaat daarmee beide eenvoudige maatstaven" if c["beter_dan_baselines"] else (
        "verslaat daarmee niet beide eenvoudige maatstaven (vorig jaar herhalen: "
        f"{pct(total.loc['naief', 'ape_pct'])}, rechte lijn: {pct(total.loc['trend', 'ape_pct'])})")
    return (f"In de terugtoets ({int(c['oorsprongen'])} keer een jaar vooruit) week het voorspelde jaartotaal "
            f"gemiddeld {pct(c['ape_pct'])} ({eur(int(round(c['fout_abs'])))}) af van wat er gebeurde, en "
            f"{maatstaf}; de 80%-band omvatte {pct(c['dekking_80'] * 100, decimals=0)} en de 95%-band "
            f"{pct(c['dekking_95'] * 100, decimals=0)} van de getoetste jaren.")


def zin_regio_prognose(regio_gap: pd.DataFrame) -> str:
    """The region's forecast total of the horizon year with its 80% band, from :func:`analysis.forecast.region_gap`."""
    last = regio_gap[regio_gap["jaar"] == regio_gap["jaar"].max()].iloc[0]
    return (f"De regio als geheel geeft in {int(last['jaar'])} naar verwachting {eur(int(last['uitgaven_cent']))} uit "
            f"(met 80% zekerheid tussen {eur(int(last['uitgaven_80_laag_cent']))} en "
            f"{eur(int(last['uitgaven_80_hoog_cent']))}), tegen {eur(int(last['inkomsten_cent']))} inkomsten: "
            "een saldo "
            f"van {eur(int(last['saldo_cent']))} ({pct(last['saldo_pct'])}).")


def samenvatting_prognose(gap: pd.DataFrame, summary: pd.DataFrame, *, tekort_drempel_pct: float,
                          verborgen: Sequence[str] = (), threshold: int = 10, titel: str = "Samenvatting") -> str:
    """Summary of the forecast: domains whose forecast deficit exceeds the threshold (% of income) first,
    then the total saldo, the 80% interval and how far the forecast is to be trusted. The ``verborgen``
    domains (:func:`kleine_domeinen`) are not named."""
    horizon_jaar, basis = int(gap["jaar"].max()), int(gap["jaar"].min())
    last = gap[gap["jaar"] == horizon_jaar].set_index("domein")
    domains = last.drop(index=[TOTAAL, *verborgen], errors="ignore")
    tekort = domains[domains["saldo_pct"] < -tekort_drempel_pct].sort_values("saldo_pct")
    tot, real = last.loc[TOTAAL], gap[(gap["jaar"] == basis) & (gap["domein"] == TOTAAL)].iloc[0]
    if len(tekort):
        first = [f"In {horizon_jaar} is het verwachte tekort groter dan {pct(tekort_drempel_pct)} van de inkomsten "
                 "bij " + namen([f"{d} ({pct(r.saldo_pct)})" for d, r in zip(tekort.index, tekort.itertuples())])
                 + "."]
    else:
        first = [f"Geen getoond domein heeft in {horizon_jaar} een verwacht tekort van meer dan "
                 f"{pct(tekort_drempel_pct)} van de inkomsten."]
    zinnen = [f"{basis} sloot af met een saldo van {eur(int(real['saldo_cent']))} ({pct(real['saldo_pct'])} van de "
              "inkomsten).",
              f"Voor {horizon_jaar} is het verwachte saldo {eur(int(tot['saldo_cent']))} "
              f"({pct(tot['saldo_pct'])}); de uitgaven liggen met 80% zekerheid tussen "
              f"{eur(int(tot['uitgaven_80_laag_cent']))} en {eur(int(tot['uitgaven_80_hoog_cent']))}.",
              zin_terugtoets(summary)]
    if verborgen:
        zinnen.append(zin_kleine_domeinen(verborgen, threshold=threshold))
    kern = [(f"saldo {basis} (realisatie)", eur(int(real["saldo_cent"]))),
            (f"verwacht saldo {horizon_jaar}", eur(int(tot["saldo_cent"]))),
            (f"verwacht saldo {horizon_jaar} in % van de inkomsten", pct(tot["saldo_pct"])),
            (f"verwachte uitgaven {horizon_jaar}", eur(int(tot["uitgaven_cent"])))]
    return samenvatting(uitzonderingen=first, zinnen=zinnen, kerncijfers=kern, titel=titel)


# --- aanbieders ---------------------------------------------------------------------------------

def tabel_scorecard(scorecard: pd.DataFrame, *, top: int = 20, threshold: int = 10) -> pd.DataFrame:
    """The first ``top`` rows of :func:`analysis.suppliers.supplier_scorecard` for the board."""
    cols = {"rang": "Rang", "aanbieder_naam": "Aanbieder", "status": "Totaal", "status_financieel": "Financieel",
            "status_contract": "Contract", "status_prestatie": "Prestatie", "status_relatie": "Relatie",
            "toegekend_cent": "Uitgaven", "clienten": "Cliënten", "juistheid_bedrag_pct": "Declaraties juist",
            "prognose_benutting_pct": "Plafond (prognose)", "aandeel_volgens_plan_pct": "Volgens plan beëindigd",
            "score": "Tevredenheid"}
    table = scorecard.head(top)[list(cols)].rename(columns=cols).astype({"Rang": "str"})  # a rank, not a figure
    return format_table(table, money=["Uitgaven"], percent=["Declaraties juist", "Plafond (prognose)",
                                                            "Volgens plan beëindigd"],
                        numbers=["Tevredenheid"], decimals={"Tevredenheid": 1}, count_column="Cliënten",
                        threshold=threshold)


def rag_telling(scorecard: pd.DataFrame) -> pd.DataFrame:
    """How many aanbieders have each status per block (and overall): rows blocks, columns statuses."""
    from analysis.suppliers.scorecard import BLOCKS, STATUSES

    columns = {"Totaal": "status", **{b.capitalize(): f"status_{b}" for b in BLOCKS}}
    missing = [c for c in columns.values() if c not in scorecard.columns]
    if missing:
        raise KeyError(f"scorecard: missing column(s) {missing}")
    counts = {label: scorecard[col].value_counts().reindex(STATUSES, fill_value=0) for label, col in columns.items()}
    return pd.DataFrame(counts).T.astype("int64")


def tabel_plafonds(plafonds: pd.DataFrame, *, drempel_pct: float, threshold: int = 10) -> pd.DataFrame:
    """Contracts whose projected plafond use exceeds ``drempel_pct`` (%), highest first, for the board."""
    over = plafonds[plafonds["prognose_benutting_pct"] > drempel_pct].sort_values(
        "prognose_benutting_pct", ascending=False, ignore_index=True)
    cols = {"aanbieder_naam": "Aanbieder", "perceel": "Perceel", "plafond_jaar_cent": "Plafond dit jaar",
            "toegekend_cent": "Besteed (regio)", "toegekend_gemeente_cent": "Waarvan gemeente",
            "prognose_benutting_pct": "Prognose benutting", "clienten": "Cliënten"}
    return format_table(over[list(cols)].rename(columns=cols), money=["Plafond dit jaar", "Besteed (regio)",
                                                                      "Waarvan gemeente"],
                        percent=["Prognose benutting"], count_column="Cliënten", threshold=threshold)


def tabel_aflopend(expiring: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """:func:`analysis.suppliers.expiring_contracts` for the board, with whether a successor exists."""
    frame = expiring.assign(einddatum=pd.to_datetime(expiring["einddatum"]).dt.strftime("%d-%m-%Y"),
                            opvolger=expiring["opvolger_contract_id"].notna().map({True: "ja", False: "nee"}))
    cols = {"aanbieder_naam": "Aanbieder", "perceel": "Perceel", "einddatum": "Einddatum", "opvolger": "Opvolger",
            "toegekend_12m_cent": "Besteed laatste 12 maanden (regio)", "clienten": "Cliënten"}
    return format_table(frame[list(cols)].rename(columns=cols), money=["Besteed laatste 12 maanden (regio)"],
                        count_column="Cliënten", threshold=threshold)


def tabel_retourcodes(codes: pd.DataFrame, *, top: int = 8, threshold: int = 10) -> pd.DataFrame:
    """The ``top`` most frequent retourcodes of rejected lines, for the board."""
    cols = {"retourcode": "Retourcode", "omschrijving": "Omschrijving", "regels": "Afgewezen regels",
            "afgewezen_cent": "Afgewezen bedrag", "aandeel_regels_pct": "Aandeel afgewezen regels",
            "clienten": "Cliënten"}
    return format_table(codes.head(top)[list(cols)].rename(columns=cols), money=["Afgewezen bedrag"],
                        percent=["Aandeel afgewezen regels"], numbers=["Afgewezen regels"], count_column="Cliënten",
                        threshold=threshold)


def samenvatting_aanbieders(scorecard: pd.DataFrame, concentration: pd.DataFrame, expiring: pd.DataFrame,
                            correctness: pd.DataFrame, *, jaar: int, plafond_drempel_pct: float,
                            titel: str = "Samenvatting") -> str:
    """Summary of supplier performance: red aanbieders, plafonds beyond the threshold and expiring
    contracts without a successor first."""
    rood = scorecard[scorecard["status"] == "rood"]
    plafond = scorecard[scorecard["prognose_benutting_pct"] > plafond_drempel_pct]
    zonder = expiring[expiring["opvolger_contract_id"].isna() & expiring["binnen_6_maanden"].astype(bool)]
    exceptions = []
    if len(rood):
        exceptions.append(f"{len(rood)} van de {len(scorecard)} aanbieders staan op rood, het eerst te bespreken: "
                          f"{namen(rood['aanbieder_naam'].fillna(rood['aanbieder_agb']))}.")
    if len(plafond):
        exceptions.append(f"Bij {len(plafond)} aanbieders komt het plafond naar verwachting boven "
                          f"{pct(plafond_drempel_pct)} uit.")
    if len(zonder):
        exceptions.append(f"{len(zonder)} contracten lopen binnen zes maanden af zonder opvolger.")
    if not exceptions:
        exceptions.append("Geen aanbieder staat op rood, geen plafond wordt naar verwachting overschreden en geen "
                          "contract loopt binnen zes maanden af zonder opvolger.")
    juist = correctness["toegekend_cent"].sum() / correctness["ingediend_cent"].sum() * 100 \
        if correctness["ingediend_cent"].sum() else float("nan")
    conc = concentration.iloc[0]
    zinnen = [f"De tien grootste aanbieders kregen {pct(conc['top_aandeel_pct'])} van de "
              f"{eur(int(conc['toegekend_cent']))} in {jaar} ({number(conc['aanbieders'])} aanbieders).",
              f"Van het beoordeelde gedeclareerde bedrag werd {pct(juist)} toegekend."]
    exceptions = exceptions[:3]
    kern = [("aanbieders op rood", number(len(rood))), ("aanbieders met uitgaven", number(len(scorecard))),
            ("aandeel top-10 in de uitgaven", pct(conc["top_aandeel_pct"])),
            ("declaraties juist (bedrag)", pct(juist)), ("contracten aflopend zonder opvolger", number(len(zonder)))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern, titel=titel)


def tabel_concentratie(concentration: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.suppliers.spend_concentration` for the board (about money, not clients)."""
    cols = {"aanbieders": "Aanbieders met uitgaven", "toegekend_cent": "Uitgaven", "top_cent": "Top-10",
            "top_aandeel_pct": "Aandeel top-10", "hhi": "Concentratie-index (HHI, 0-10.000)"}
    return format_table(concentration[list(cols)].rename(columns=cols), money=["Uitgaven", "Top-10"],
                        percent=["Aandeel top-10"], numbers=["Aanbieders met uitgaven",
                                                             "Concentratie-index (HHI, 0-10.000)"],
                        count_column=None)


def tabel_tarieven(tariffs: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """Aanbieders that declared above the contract tariff, largest overrun first, for the board."""
    over = tariffs[tariffs["regels_boven_contract"] > 0].sort_values("overschrijding_cent", ascending=False,
                                                                      ignore_index=True)
    cols = {"aanbieder_naam": "Aanbieder", "regels_vergeleken": "Regels vergeleken",
            "aandeel_regels_boven_pct": "Regels boven contracttarief", "aandeel_bedrag_boven_pct": "Bedrag boven contracttarief",
            "overschrijding_cent": "Meer dan contract", "overschrijding_toegekend_cent": "Waarvan betaald",
            "clienten": "Cliënten"}
    return format_table(over[list(cols)].rename(columns=cols), money=["Meer dan contract", "Waarvan betaald"],
                        percent=["Regels boven contracttarief", "Bedrag boven contracttarief"],
                        numbers=["Regels vergeleken"], count_column="Cliënten", threshold=threshold)


def tabel_trajecten(duration: pd.DataFrame, names: pd.DataFrame, *, threshold: int = 10) -> pd.DataFrame:
    """:func:`analysis.suppliers.trajectory_duration` by productcategorie for the board: median and
    quartiles of the duration (days) of ended trajectories, and how many still run."""
    frame = duration.merge(names.drop_duplicates("productcategorie")[["productcategorie", "naam"]],
                           on="productcategorie", how="left")
    frame = frame.assign(naam=frame["naam"].fillna(frame["productcategorie"]))
    cols = {"naam": "Productcategorie", "beeindigd": "Beëindigd", "clienten": "Cliënten",
            "q1_dagen": "Duur 25% (dagen)", "mediaan_dagen": "Mediane duur (dagen)", "q3_dagen": "Duur 75% (dagen)",
            "lopend": "Nog lopend"}
    table = frame[list(cols)].rename(columns=cols)
    return format_table(table, numbers=["Beëindigd", "Duur 25% (dagen)", "Mediane duur (dagen)", "Duur 75% (dagen)",
                                        "Nog lopend"], count_column="Cliënten", threshold=threshold)


def tabel_tevredenheid(scores: pd.DataFrame, *, jaar: int, threshold: int = 10) -> pd.DataFrame:
    """Year ``jaar`` of :func:`analysis.suppliers.satisfaction` (with trend) for the board, lowest score
    first; the respondents are the clients a score rests on."""
    frame = scores[scores["jaar"] == jaar].sort_values(["score", "aanbieder_naam"], ignore_index=True)
    cols = {"aanbieder_naam": "Aanbieder", "score": "Rapportcijfer", "verschil_vorig_jaar": "Verschil met vorig jaar",
            "respondenten": "Respondenten"}
    return format_table(frame[list(cols)].rename(columns=cols), numbers=["Rapportcijfer", "Verschil met vorig jaar"],
                        decimals={"Rapportcijfer": 1, "Verschil met vorig jaar": 1}, count_column="Respondenten",
                        threshold=threshold)


# --- volwassenheid ------------------------------------------------------------------------------

PARAMETER_MODEL = {"kmm": "kmm", "inkoop": "inkoopontwikkelmodel"}
"""Suffix of the notebook parameters (``niveaus_kmm``, ``tussendoel_inkoop``) -> model code."""


@dataclass(frozen=True)
class ScanOpties:
    """The checked parameters of the maturity report: level names and intermediate target per model
    code, and the thresholds."""

    niveaus: dict[str, tuple[str, ...]]
    tussendoel: dict[str, int | None]  # None: the highest rounded current level
    drempel: int  # respondents below this: not shown
    gap_drempel: float  # levels
    rwg_drempel: float


def check_scan(rapport: Rapport, *, niveaus_kmm: str, niveaus_inkoop: str, tussendoel_kmm: int,
               tussendoel_inkoop: int, drempel_respondenten: int, gap_drempel: float,
               rwg_drempel: float) -> ScanOpties:
    """Check the maturity report's own parameters; ``ValueError`` naming the parameter.

    Level names are separated by commas, as many as the model has levels; a ``tussendoel`` is 0
    (automatic) or a level of the model; ``rwg_drempel`` lies in [0, 1]. The region must have answers
    of its gemeenten or regional office up to the end of ``periode``.
    """
    niveaus, tussendoel = {}, {}
    for suffix, names, level in (("kmm", niveaus_kmm, tussendoel_kmm), ("inkoop", niveaus_inkoop, tussendoel_inkoop)):
        model = MODELLEN[PARAMETER_MODEL[suffix]]
        parts = tuple(p.strip() for p in names.split(",")) if isinstance(names, str) else ()
        if len(parts) != model.hoogste or not all(parts):
            raise ValueError(f"niveaus_{suffix}: expected {model.hoogste} level names separated by commas, "
                             f"got {names!r}")
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= model.hoogste:
            raise ValueError(f"tussendoel_{suffix}: expected 0 (automatic) or a level from 1 to {model.hoogste}, "
                             f"got {level!r}")
        niveaus[model.code], tussendoel[model.code] = parts, level or None
    if isinstance(drempel_respondenten, bool) or not isinstance(drempel_respondenten, int) or drempel_respondenten < 1:
        raise ValueError(f"drempel_respondenten: expected a whole number >= 1, got {drempel_respondenten!r}")
    check_drempels({"gap_drempel": gap_drempel, "rwg_drempel": rwg_drempel})
    if rwg_drempel > 1:
        raise ValueError(f"rwg_drempel: expected a number from 0 to 1, got {rwg_drempel!r}")
    if answers(rapport.con, regio=rapport.regio, tot=rapport.einde, soorten=EIGEN_ORGANISATIE).empty:
        raise ValueError(f"regio: no maturity-scan answers of the gemeenten or the regional office of "
                         f"{rapport.regio} up to {rapport.periode_tekst}")
    return ScanOpties(niveaus, tussendoel, drempel_respondenten, float(gap_drempel), float(rwg_drempel))


def niveau_naam(niveau: float, namen: Sequence[str]) -> str:
    """The name of the level ``niveau`` rounds to (half up): ``niveau_naam(2.5, KMM names) == "systeem"``."""
    if pd.isna(niveau):
        return "–"
    return namen[min(max(int(math.floor(niveau + 0.5)), 1), len(namen)) - 1]


def _model_naam(code: str) -> str:
    return "KMM" if code == "kmm" else MODELLEN[code].naam


def samenvatting_volwassenheid(eigen: pd.DataFrame, regio_scores: pd.DataFrame, aanbieders: pd.DataFrame, *,
                               scan: ScanOpties, titel: str = "Samenvatting") -> str:
    """Summary of the maturity scans: the pillars of the region's own organisation (its gemeenten and
    regional office together: ``regio_scores``, pooled, with ``tussendoel``) whose gap reaches
    ``gap_drempel`` first, largest first, then pillars where respondents disagree; then the level per
    model and its intermediate target, and how the aanbieders compare. ``eigen`` are the answers of
    the own organisation (:func:`analysis.volwassenheid.answers`), ``aanbieders`` the aanbieders'
    :func:`analysis.volwassenheid.scores`."""
    gaps = largest_gaps(regio_scores)
    wide = gaps[gaps["gap"] >= scan.gap_drempel]
    oneens = regio_scores[regio_scores["r_wg"] < scan.rwg_drempel]
    exceptions = []
    if len(wide):
        exceptions.append(f"{len(wide)} van de {len(gaps)} pijlers {'heeft' if len(wide) == 1 else 'hebben'} een "
                          f"gat van minstens "
                          f"{number(scan.gap_drempel, decimals=1)} niveau tussen huidig niveau en ambitie; het grootst: "
                          + namen([f"{r.pijler} ({_model_naam(r.model)}, van {number(r.huidig_gem, decimals=1)} naar "
                                   f"{number(r.ambitie_gem, decimals=1)})" for r in wide.itertuples()]) + ".")
    if len(oneens):
        exceptions.append(f"Bij {len(oneens)} {'pijler' if len(oneens) == 1 else 'pijlers'} zijn de respondenten "
                          "het oneens over het huidige niveau "
                          f"(overeenstemming onder {number(scan.rwg_drempel, decimals=2)}): "
                          + namen([f"{r.pijler} ({_model_naam(r.model)})" for r in oneens.itertuples()]) + ".")
    if not exceptions:
        exceptions.append(f"Geen pijler heeft een gat van {number(scan.gap_drempel, decimals=1)} niveau of meer en "
                          f"de respondenten zijn het overal eens over het huidige niveau.")
    zinnen = [_zin_model(regio_scores, code, scan) for code in dict.fromkeys(regio_scores["model"])]
    zinnen.append(_zin_aanbieders(aanbieders, scan))
    exceptions = exceptions[:2]
    kern = [("respondenten van gemeenten en regio", number(eigen["respondent"].nunique())),
            ("organisaties van de regio", number(eigen["organisatie_code"].nunique())),
            ("grootste gat (niveaus)", number(gaps["gap"].iloc[0], decimals=1)),
            (f"pijlers met een gat van minstens {number(scan.gap_drempel, decimals=1)}", number(len(wide))),
            ("aanbieders vergeleken (KMM)", number(aanbieders["organisatie_code"].nunique() if len(aanbieders) else 0))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern, titel=titel)


def _zin_model(regio_scores: pd.DataFrame, code: str, scan: ScanOpties) -> str:
    part = regio_scores[regio_scores["model"] == code]
    namen_ = scan.niveaus[code]
    huidig, ambitie, doel = part["huidig_gem"].mean(), part["ambitie_gem"].mean(), int(part["tussendoel"].iloc[0])
    return (f"{_model_naam(code)}: gemiddeld {number(huidig, decimals=1)} ({niveau_naam(huidig, namen_)}), ambitie "
            f"{number(ambitie, decimals=1)} ({niveau_naam(ambitie, namen_)}); tussendoel: alle pijlers naar niveau "
            f"{doel} ({namen_[doel - 1]}).")


def _zin_aanbieders(aanbieders: pd.DataFrame, scan: ScanOpties) -> str:
    kmm = aanbieders[aanbieders["model"] == "kmm"] if len(aanbieders) else aanbieders
    if kmm.empty:
        return "Geen aanbieder vulde het KMM in."
    ranked = rank(per_organisatie(kmm, model="kmm"), drempel=scan.drempel)
    shown = ranked[ranked["rang"].notna()]
    if shown.empty:
        return (f"{len(ranked)} aanbieders vulden het KMM in, elk met minder dan {scan.drempel} respondenten: "
                "geen vergelijking.")
    best = shown.iloc[0]
    return (f"{len(ranked)} aanbieders vulden het KMM in; het hoogst staat {best['organisatie']} met gemiddeld "
            f"{number(best['huidig_gem'], decimals=1)}, de mediaan is {number(shown['huidig_gem'].median(), decimals=1)}.")


_SCORE_KOLOMMEN = {"respondenten": "Respondenten", "huidig_gem": "Huidig", "ambitie_gem": "Ambitie", "gap": "Gat",
                   "huidig_sd": "Spreiding huidig", "r_wg": "Overeenstemming (r_wg)"}


def tabel_pijlers(regio_scores: pd.DataFrame, *, scan: ScanOpties) -> pd.DataFrame:
    """Every pillar of both models, largest gap first: levels (one decimal), from and to as level
    names, the spread and agreement of the current level. Pillars resting on fewer respondents than
    ``scan.drempel`` are suppressed."""
    frame = largest_gaps(regio_scores)
    van_naar = [f"{niveau_naam(h, scan.niveaus[m])} → {niveau_naam(a, scan.niveaus[m])}"
                for m, h, a in zip(frame["model"], frame["huidig_gem"], frame["ambitie_gem"])]
    table = (frame.assign(model=frame["model"].map(_model_naam), van_naar=van_naar)
             [["model", "pijler", *_SCORE_KOLOMMEN, "van_naar"]]
             .rename(columns={"model": "Model", "pijler": "Pijler", "van_naar": "Van → naar", **_SCORE_KOLOMMEN}))
    shown = format_table(table, numbers=["Huidig", "Ambitie", "Gat", "Spreiding huidig", "Overeenstemming (r_wg)"],
                         decimals={"Huidig": 1, "Ambitie": 1, "Gat": 1, "Spreiding huidig": 2,
                                   "Overeenstemming (r_wg)": 2},
                         count_column="Respondenten", threshold=scan.drempel)
    small = (frame["respondenten"] < scan.drempel).to_numpy()
    shown.loc[small, "Van → naar"] = "–"
    return shown


def tabel_organisaties(scores: pd.DataFrame, *, model: str, scan: ScanOpties) -> pd.DataFrame:
    """The organisations side by side for ``model``: the current level per pillar (one decimal), the
    mean current level and the mean gap. ``Respondenten`` is the fewest on any pillar; an organisation
    below ``scan.drempel`` shows no figures."""
    part = scores[scores["model"] == model] if len(scores) else scores
    if part.empty:
        return pd.DataFrame({"Organisatie": [f"Geen antwoorden op het {_model_naam(model)}"]})
    frame = per_organisatie(part, model=model)
    pillars = [p for p in MODELLEN[model].pijlers if p in frame.columns]
    cols = {"organisatie": "Organisatie", "respondenten": "Respondenten", **{p: p for p in pillars},
            "huidig_gem": "Gem. huidig", "gap": "Gem. gat"}
    figures = [*pillars, "Gem. huidig", "Gem. gat"]
    return format_table(frame[list(cols)].rename(columns=cols), numbers=figures, decimals=dict.fromkeys(figures, 1),
                        count_column="Respondenten", threshold=scan.drempel)


def tabel_aanbieders(scores: pd.DataFrame, *, scan: ScanOpties) -> pd.DataFrame:
    """The aanbieders' KMM ranked for a partner selection (:func:`analysis.volwassenheid.rank`): the
    mean current level, its weakest pillar, ambition, gap and the respondents' agreement. An aanbieder
    with fewer respondents than ``scan.drempel`` on a pillar gets no rank and no figures."""
    kmm = scores[scores["model"] == "kmm"] if len(scores) else scores
    if kmm.empty:
        return pd.DataFrame({"Aanbieder": ["Geen aanbieder vulde het KMM in"]})
    frame = rank(per_organisatie(kmm, model="kmm"), drempel=scan.drempel)
    small = frame["rang"].isna().to_numpy()
    frame = frame.assign(rang=frame["rang"].astype("str").where(~small, "geen oordeel"),
                         laagste_pijler=frame["laagste_pijler"].where(~small, "–"))
    cols = {"rang": "Rang", "organisatie": "Aanbieder", "organisatie_code": "AGB", "respondenten": "Respondenten",
            "huidig_gem": "Gem. huidig", "laagste_pijler": "Zwakste pijler", "laagste_niveau": "Zwakste pijler: niveau",
            "ambitie_gem": "Gem. ambitie", "gap": "Gem. gat", "r_wg": "Overeenstemming (r_wg)"}
    figures = ["Gem. huidig", "Zwakste pijler: niveau", "Gem. ambitie", "Gem. gat", "Overeenstemming (r_wg)"]
    return format_table(frame[list(cols)].rename(columns=cols), numbers=figures,
                        decimals={c: 2 if c.startswith("Overeenstemming") else 1 for c in figures},
                        count_column="Respondenten", threshold=scan.drempel)
