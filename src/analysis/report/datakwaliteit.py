"""The datakwaliteit notebook: the quality and timeliness of the region's declarations and answers.

The measures are :mod:`analysis.datakwaliteit`'s; this module checks the report's norms, writes the
exception-first summary and formats the board tables. Every frame reaches it through
:meth:`Rapport.verberg` (distinct clients per row), so a hidden row shows "x" in a table, gets no
bar or point in a chart and is neither named nor counted in a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.display import format_table, number, pct
from analysis.report.context import Rapport, check_drempels
from analysis.report.kleine_cellen import SAMENGEVOEGD, VERBORGEN, kolommen, zichtbaar
from analysis.report.summary import Kerncijfer, namen, samenvatting, status_van

# --- parameters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KwaliteitOpties:
    """The checked norms of the datakwaliteit report: days and working days, and thresholds in %."""

    declaratie_norm_dagen: int  # days after the end of the product period to declare it
    antwoord_norm_werkdagen: int  # working days for the gemeente's 325
    afwijzing_drempel_pct: float  # % of answered lines rejected, above: outside tolerance
    credit_drempel_pct: float  # credits as % of declared, above: outside tolerance
    te_laat_drempel_pct: float  # % of first submissions after the norm, above: outside tolerance
    antwoord_drempel_pct: float  # % of 323 answered within the norm, below: outside tolerance


def check_datakwaliteit(*, declaratie_norm_dagen: int, antwoord_norm_werkdagen: int, afwijzing_drempel_pct: float,
                        credit_drempel_pct: float, te_laat_drempel_pct: float,
                        antwoord_drempel_pct: float) -> KwaliteitOpties:
    """Check the report's own parameters; ``ValueError`` naming the parameter.

    The norms are whole numbers of days (0 to 366) and working days (0 to 260); the thresholds are
    percentages from 0 to 100.
    """
    for name, value, most in (("declaratie_norm_dagen", declaratie_norm_dagen, 366),
                              ("antwoord_norm_werkdagen", antwoord_norm_werkdagen, 260)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
            raise ValueError(f"{name}: expected a whole number from 0 to {most}, got {value!r}")
    drempels = {"afwijzing_drempel_pct": afwijzing_drempel_pct, "credit_drempel_pct": credit_drempel_pct,
                "te_laat_drempel_pct": te_laat_drempel_pct, "antwoord_drempel_pct": antwoord_drempel_pct}
    check_drempels(drempels)
    for name, value in drempels.items():
        if value > 100:
            raise ValueError(f"{name}: expected a percentage from 0 to 100, got {value!r}")
    return KwaliteitOpties(declaratie_norm_dagen, antwoord_norm_werkdagen,
                           *(float(v) for v in drempels.values()))


# --- frames for the board -------------------------------------------------------------------------

def met_namen(frame: pd.DataFrame, *, rapport: Rapport) -> pd.DataFrame:
    """``frame`` with ``gemeentenaam`` (after ``gemeente_code_huidig``, when it has one), where an
    aanbieder has no name in the contracts its AGB code as ``aanbieder_naam``, and after ``kwartaal`` its
    name ``kwartaal_naam`` ('2025 K1', for tables and the charts' axis); call it before
    :meth:`Rapport.verberg` (a merge keeps no ``attrs``)."""
    out = frame.copy()
    if "kwartaal" in out.columns:
        out.insert(out.columns.get_loc("kwartaal") + 1, "kwartaal_naam", kwartaal_naam(out["kwartaal"]))
    if "gemeente_code_huidig" in out.columns:
        names = dict(zip(rapport.gemeenten["gemeente_code"], rapport.gemeenten["gemeentenaam"]))
        out.insert(out.columns.get_loc("gemeente_code_huidig") + 1, "gemeentenaam",
                   out["gemeente_code_huidig"].map(names).fillna(out["gemeente_code_huidig"]))
    if {"aanbieder_naam", "aanbieder_agb"} <= set(out.columns):
        out["aanbieder_naam"] = out["aanbieder_naam"].astype(object).where(out["aanbieder_naam"].notna(),
                                                                           out["aanbieder_agb"])
    out.attrs = dict(frame.attrs)
    return out


def slechtste_eerst(frame: pd.DataFrame, kolom: str, *, hoger_is_slechter: bool = True) -> pd.DataFrame:
    """The rows worst first by ``kolom`` (hidden rows, whose figure is missing, last), ``attrs`` kept."""
    out = frame.sort_values(kolom, ascending=not hoger_is_slechter, na_position="last", kind="stable",
                            ignore_index=True)
    out.attrs = dict(frame.attrs)
    return out


def _buiten(frame: pd.DataFrame, kolom: str, drempel: float, *, hoger_is_slechter: bool = True) -> pd.DataFrame:
    """The shown rows beyond ``drempel`` in ``kolom``, worst first."""
    shown = zichtbaar(frame)
    values = pd.to_numeric(shown[kolom], errors="coerce").astype("float64")
    beyond = values > drempel if hoger_is_slechter else values < drempel
    return slechtste_eerst(shown[beyond.to_numpy(dtype=bool)], kolom, hoger_is_slechter=hoger_is_slechter)


def _een(frame: pd.DataFrame, kolom: str) -> float | None:
    """The value of ``kolom`` in a one-row (region) frame; ``None`` when hidden or missing."""
    if frame.empty or (VERBORGEN in frame.columns and bool(frame[VERBORGEN].iloc[0])):
        return None
    value = frame[kolom].iloc[0]
    return None if pd.isna(value) else float(value)


# --- summary --------------------------------------------------------------------------------------

def aanbieders_buiten(*, kwaliteit: pd.DataFrame, vertraging: pd.DataFrame, telling: pd.DataFrame,
                      opties: KwaliteitOpties) -> dict[str, pd.DataFrame]:
    """The shown aanbieders outside each of their norms, worst first: ``afwijzing`` (rejected share of the
    lines), ``credit`` (credited share of the amount), ``laat`` (share of first submissions after the
    declaration norm) and ``ontbreekt`` (months of care without a declaration)."""
    return {"afwijzing": _buiten(kwaliteit, "afwijzing_regels_pct", opties.afwijzing_drempel_pct),
            "credit": _buiten(kwaliteit, "credit_aandeel_pct", opties.credit_drempel_pct),
            "laat": _buiten(vertraging, "aandeel_na_norm_pct", opties.te_laat_drempel_pct),
            "ontbreekt": _buiten(telling, "ontbreekt", 0)}


def uitzonderingen_datakwaliteit(*, kwaliteit: pd.DataFrame, vertraging: pd.DataFrame, telling: pd.DataFrame,
                                 antwoord: pd.DataFrame, quarantaine: pd.DataFrame, bestanden: pd.DataFrame,
                                 open_trajecten: pd.DataFrame, opties: KwaliteitOpties) -> list[str]:
    """The sentences about what is outside a norm, in the order of the chain (declaring, judging,
    answering, loading); each names the worst shown aanbieders or gemeenten with their figure."""
    o, buiten = opties, aanbieders_buiten(kwaliteit=kwaliteit, vertraging=vertraging, telling=telling, opties=opties)
    out = [
        *_zin(buiten["afwijzing"], ("kreeg", "kregen"),
              f"meer dan {pct(o.afwijzing_drempel_pct)} van de beantwoorde declaratieregels afgewezen",
              lambda r: f"{r.aanbieder_naam} ({pct(r.afwijzing_regels_pct)})"),
        *_zin(buiten["credit"], ("crediteerde", "crediteerden"),
              f"meer dan {pct(o.credit_drempel_pct)} van het gedeclareerde bedrag",
              lambda r: f"{r.aanbieder_naam} ({pct(r.credit_aandeel_pct)})"),
        *_zin(buiten["laat"], ("declareerde", "declareerden"),
              f"meer dan {pct(o.te_laat_drempel_pct)} van de prestaties later dan {o.declaratie_norm_dagen} dagen "
              "na het eind van de maand", lambda r: f"{r.aanbieder_naam} (mediaan {number(r.mediaan_dagen)} dagen)"),
        *_zin(buiten["ontbreekt"], ("heeft", "hebben"), "maanden met cliënten in zorg zonder declaratie",
              lambda r: f"{r.aanbieder_naam} ({_aantal(int(r.ontbreekt), 'maand', 'maanden')})",
              onderwerp=("gecontracteerde aanbieder", "gecontracteerde aanbieders")),
        *_zin(_buiten(antwoord, "aandeel_binnen_norm_pct", o.antwoord_drempel_pct, hoger_is_slechter=False),
              ("beantwoordde", "beantwoordden"),
              f"minder dan {pct(o.antwoord_drempel_pct)} van de declaraties binnen {o.antwoord_norm_werkdagen} "
              "werkdagen", lambda r: f"{r.gemeentenaam} ({pct(r.aandeel_binnen_norm_pct)}, mediaan "
                                     f"{number(r.mediaan_werkdagen)} werkdagen)", onderwerp=("gemeente", "gemeenten"))]
    if laden := _zin_laden(quarantaine, bestanden, open_trajecten):
        out.append(laden)
    return out


def _zin(rijen: pd.DataFrame, ww: tuple[str, str], tekst: str, wie, *,
         onderwerp: tuple[str, str] = ("aanbieder", "aanbieders")) -> list[str]:
    """'2 aanbieders kregen <tekst>: A (…) en B (…).' for the rows beyond a norm (``wie`` names a row, with
    its figure); no sentence when there are none."""
    if rijen.empty:
        return []
    n = len(rijen)
    return [f"{_aantal(n, *onderwerp)} {_ww(n, *ww)} {tekst}: " + namen([wie(r) for r in rijen.itertuples()]) + "."]


def _aantal(n: int, enkelvoud: str, meervoud: str | None = None) -> str:
    """'1 aanbieder', '3 aanbieders' (``meervoud`` when not enkelvoud + s)."""
    return f"{number(n)} {_ww(n, enkelvoud, meervoud or enkelvoud + 's')}"


def _ww(n: int, enkelvoud: str, meervoud: str) -> str:
    """The word (a verb, a noun) for ``n``: singular for 1, plural otherwise."""
    return enkelvoud if n == 1 else meervoud


def _zin_laden(quarantaine: pd.DataFrame, bestanden: pd.DataFrame, open_trajecten: pd.DataFrame) -> str:
    """What the build left out and what stays open after a herindeling, counted over the shown rows
    (and the pooled ones); '' when nothing."""
    rijen = int(zichtbaar(quarantaine)["rijen"].sum())
    niet = zichtbaar(bestanden)
    niet = int(niet.loc[niet["status"] != "geladen", "bestanden"].sum())
    trajecten = int(zichtbaar(open_trajecten)["trajecten"].sum())
    parts = [p for p in (f"{_aantal(rijen, 'rij', 'rijen')} in quarantaine" if rijen else "",
                         f"{_aantal(niet, 'bestand', 'bestanden')} niet geladen" if niet else "",
                         f"{_aantal(trajecten, 'traject', 'trajecten')} van een opgeheven gemeentecode nog open"
                         if trajecten else "") if p]
    return f"Bij het laden: {namen(parts)}." if parts else ""


_REGIOCIJFERS = {"regels": ("kwaliteit", "regels_beantwoord"), "afwijzing_pct": ("kwaliteit", "afwijzing_regels_pct"),
                 "credit_pct": ("kwaliteit", "credit_aandeel_pct"), "dagen": ("vertraging", "mediaan_dagen"),
                 "laat_pct": ("vertraging", "aandeel_na_norm_pct"),
                 "binnen_pct": ("antwoord", "aandeel_binnen_norm_pct"), "werkdagen": ("antwoord", "mediaan_werkdagen"),
                 "ontbreekt": ("telling", "ontbreekt")}
"""The region's figures in the summary: name -> (measure of ``regio``, column); a name ending in ``pct`` is a %."""


def samenvatting_datakwaliteit(*, kwaliteit: pd.DataFrame, vertraging: pd.DataFrame, telling: pd.DataFrame,
                               antwoord: pd.DataFrame, quarantaine: pd.DataFrame, bestanden: pd.DataFrame,
                               open_trajecten: pd.DataFrame, regio: dict[str, pd.DataFrame],
                               opties: KwaliteitOpties, rapport: Rapport, titel: str = "Samenvatting") -> str:
    """Summary of the datakwaliteit report: what is outside a norm first (at most four sentences, see
    :func:`uitzonderingen_datakwaliteit`), then the region's figures; five tiles, the headline the
    number of aanbieders outside a norm.

    ``kwaliteit``, ``vertraging`` and ``telling`` are per aanbieder, ``antwoord`` per gemeente (with
    ``gemeentenaam``), all of the whole period and hidden by :meth:`Rapport.verberg`; ``regio`` holds the
    same four measures for the region as one row each (keys ``kwaliteit``, ``vertraging``, ``telling``,
    ``antwoord``).
    """
    exceptions = uitzonderingen_datakwaliteit(
        kwaliteit=kwaliteit, vertraging=vertraging, telling=telling, antwoord=antwoord, quarantaine=quarantaine,
        bestanden=bestanden, open_trajecten=open_trajecten, opties=opties)[:4]
    if not exceptions:
        exceptions = [f"Geen aanbieder of gemeente valt buiten een norm: afwijzingen tot "
                      f"{pct(opties.afwijzing_drempel_pct)}, declaraties binnen {opties.declaratie_norm_dagen} dagen, "
                      f"antwoorden binnen {opties.antwoord_norm_werkdagen} werkdagen en geen ontbrekende maanden."]
    c = {naam: _een(regio[maat], kolom) for naam, (maat, kolom) in _REGIOCIJFERS.items()}
    tekst = {naam: "niet getoond" if v is None else (pct if naam.endswith("pct") else number)(v)
             for naam, v in c.items()}
    klein = (f"De regio telt voor {{}} minder dan {rapport.min_clienten} cliënten: die cijfers worden niet "
             "getoond.")
    zinnen = [klein.format("de beantwoorde declaratieregels")
              if None in (c["regels"], c["afwijzing_pct"], c["credit_pct"]) else
              f"Van januari tot en met {rapport.periode_tekst} beantwoordden de gemeenten {tekst['regels']} "
              f"declaratieregels van de regio; {tekst['afwijzing_pct']} werd afgewezen en {tekst['credit_pct']} van "
              "het gedeclareerde bedrag werd gecrediteerd.",
              klein.format("de termijnen van declaraties en antwoorden") if None in (c["dagen"], c["werkdagen"]) else
              f"Aanbieders declareerden in mediaan {tekst['dagen']} dagen na het eind van de maand; de gemeenten "
              f"antwoordden in mediaan {tekst['werkdagen']} werkdagen."]
    buiten = aanbieders_buiten(kwaliteit=kwaliteit, vertraging=vertraging, telling=telling, opties=opties)
    n = len(set().union(*(set(f["aanbieder_agb"]) for f in buiten.values())))
    o = opties
    kern = [Kerncijfer("aanbieders buiten een norm", number(n), "slecht" if n else "goed", kop=True),
            Kerncijfer("afgewezen declaratieregels", tekst["afwijzing_pct"],
                       status_van(c["afwijzing_pct"], slecht=o.afwijzing_drempel_pct)),
            Kerncijfer(f"eerste declaraties later dan {o.declaratie_norm_dagen} dagen", tekst["laat_pct"],
                       status_van(c["laat_pct"], slecht=o.te_laat_drempel_pct)),
            Kerncijfer(f"declaraties binnen {o.antwoord_norm_werkdagen} werkdagen beantwoord", tekst["binnen_pct"],
                       status_van(c["binnen_pct"], slecht=o.antwoord_drempel_pct, hoger_is_slechter=False)),
            Kerncijfer("maanden zonder declaratie", tekst["ontbreekt"],
                       status_van(c["ontbreekt"], slecht=0))]
    return samenvatting(uitzonderingen=exceptions, zinnen=zinnen[:5 - len(exceptions)], kerncijfers=kern,
                        titel=titel)


# --- board tables ---------------------------------------------------------------------------------

def kwartaal_naam(kwartaal: pd.Series) -> pd.Series:
    """'2025 K1' for the first day of a quarter (the names sort as the quarters do)."""
    dates = pd.to_datetime(kwartaal)
    return dates.dt.year.astype(str) + " K" + dates.dt.quarter.astype(str)


def verborgen_laatst(frame: pd.DataFrame, *, op: str) -> pd.DataFrame:
    """The shown rows in their order, then the hidden ones by ``op`` (a name): the place of a hidden row in
    a worst-first table would tell how bad its hidden figure is. Where the hidden rows were pooled
    (:func:`analysis.report.kleine_cellen.verberg` with ``samenvoegen``) the pooled row stands for them, last."""
    hidden = pd.Series(frame[VERBORGEN].to_numpy(dtype=bool) if VERBORGEN in frame.columns else False,
                       index=frame.index)
    pooled = pd.Series(frame[SAMENGEVOEGD].to_numpy(dtype=bool) if SAMENGEVOEGD in frame.columns else False,
                       index=frame.index)
    rest = frame[pooled] if pooled.any() else frame[hidden].sort_values(op, kind="stable")
    out = pd.concat([frame[~hidden & ~pooled], rest], ignore_index=True)
    out.attrs = dict(frame.attrs)
    return out


def _tabel(frame: pd.DataFrame, namen_: dict[str, str], *, percent: tuple[str, ...] = (),
           numbers: tuple[str, ...] = (), money: tuple[str, ...] = (), decimals: dict[str, int] | None = None
           ) -> pd.DataFrame:
    """``frame``'s columns ``namen_`` renamed and formatted (``percent`` etc. name the board columns),
    hidden rows last (by the first column) as "x"; the count column is ``Cliënten``."""
    frame = verborgen_laatst(frame, op=next(iter(namen_)))
    return format_table(kolommen(frame, namen_), percent=percent, numbers=numbers, money=money, decimals=decimals,
                        count_column="Cliënten")


def tabel_afwijzing(kwaliteit: pd.DataFrame, *, rij: str = "aanbieder_naam", kop: str = "Aanbieder") -> pd.DataFrame:
    """Rejections and credits per aanbieder (or ``rij``), worst first: lines answered and rejected,
    the rejected share of lines and of the amount, the credits' share of the declared amount, and the
    lines still pending."""
    frame = slechtste_eerst(kwaliteit, "afwijzing_regels_pct")
    return _tabel(frame, {rij: kop, "clienten": "Cliënten", "regels_beantwoord": "Regels beantwoord",
                          "regels_afgekeurd": "Regels afgewezen", "afwijzing_regels_pct": "Afgewezen (regels)",
                          "afwijzing_bedrag_pct": "Afgewezen (bedrag)", "credit_aandeel_pct": "Gecrediteerd",
                          "regels_in_behandeling": "Nog in behandeling"},
                  percent=("Afgewezen (regels)", "Afgewezen (bedrag)", "Gecrediteerd"),
                  numbers=("Regels beantwoord", "Regels afgewezen", "Nog in behandeling"))


def tabel_per_kwartaal(frame: pd.DataFrame, *, waarde: str, rij: str = "aanbieder_naam", kop: str = "Aanbieder",
                       volgorde: pd.Series | list | None = None, decimals: int = 1, procent: bool = True
                       ) -> pd.DataFrame:
    """``waarde`` per ``rij`` (rows in ``volgorde``, say the worst first of the whole period, then any
    others in the order of first appearance) and quarter (columns '2025 K1' …), a hidden cell as "x"
    and a quarter without figures as "–"."""
    frame = frame.assign(_k=kwartaal_naam(frame["kwartaal"]))
    shown = format_table(frame[[rij, "_k", waarde, "clienten", *([VERBORGEN] if VERBORGEN in frame.columns else [])]],
                         percent=[waarde] if procent else [], numbers=[] if procent else [waarde],
                         decimals={waarde: decimals}, threshold=frame.attrs.get("min_clienten"))
    order = list(dict.fromkeys(frame.sort_values("kwartaal")["_k"]))
    rows = list(dict.fromkeys([*(v for v in (volgorde if volgorde is not None else []) if v in set(frame[rij])),
                               *frame[rij]]))
    wide = shown.pivot(index=rij, columns="_k", values=waarde).reindex(index=rows, columns=order)
    out = wide.fillna("–").reset_index().rename(columns={rij: kop}).rename_axis(columns=None)
    out.attrs = {k: v for k, v in shown.attrs.items() if k == "voetnoot"}  # pivot keeps no attrs
    return out


def tabel_retourcodes(codes: pd.DataFrame, *, top: int = 15) -> pd.DataFrame:
    """The retourcodes of the rejected lines, most lines first: the code and its meaning, lines, the
    clients, the amount and the share of the group's rejected lines. Per aanbieder (``codes`` has
    ``aanbieder_naam``) the ``top`` rows shown, without the meaning (the region's table gives it)."""
    per_aanbieder = "aanbieder_naam" in codes.columns
    frame = slechtste_eerst(zichtbaar(codes) if per_aanbieder else codes, "regels").head(top)
    frame.attrs = dict(codes.attrs)
    cols = ({"aanbieder_naam": "Aanbieder"} if per_aanbieder else {}) | {"retourcode": "Retourcode"} | (
        {} if per_aanbieder else {"omschrijving": "Omschrijving"}) | {
        "regels": "Regels", "clienten": "Cliënten", "afgewezen_cent": "Afgewezen bedrag",
        "aandeel_regels_pct": "Aandeel afgewezen regels"}
    return _tabel(frame, cols, percent=("Aandeel afgewezen regels",), numbers=("Regels",),
                  money=("Afgewezen bedrag",))


def tabel_vertraging(vertraging: pd.DataFrame, *, opties: KwaliteitOpties) -> pd.DataFrame:
    """Declaration lag per aanbieder, the largest share after the norm first: first submissions,
    median, 90th percentile and maximum days, the share after the norm, and the herdeclaraties apart."""
    frame = slechtste_eerst(vertraging, "aandeel_na_norm_pct")
    na = f"Later dan {opties.declaratie_norm_dagen} dagen"
    return _tabel(frame, {"aanbieder_naam": "Aanbieder", "clienten": "Cliënten", "regels": "Eerste declaraties",
                          "mediaan_dagen": "Mediaan (dagen)", "p90_dagen": "90% binnen (dagen)",
                          "max_dagen": "Langst (dagen)", "aandeel_na_norm_pct": na,
                          "herdeclaratie_regels": "Herdeclaraties",
                          "herdeclaratie_mediaan_dagen": "Herdeclaratie mediaan (dagen)"},
                  percent=(na,), numbers=("Eerste declaraties", "Mediaan (dagen)", "90% binnen (dagen)",
                                          "Langst (dagen)", "Herdeclaraties", "Herdeclaratie mediaan (dagen)"))


def tabel_maanddeclaraties(telling: pd.DataFrame, *, rij: str = "aanbieder_naam", kop: str = "Aanbieder"
                           ) -> pd.DataFrame:
    """Months with care of contracted aanbieders per aanbieder (or ``rij``), most missing first:
    missing, late, on time, not expected yet, and the share on time of the months judged."""
    return _tabel(telling, {rij: kop, "clienten": "Cliënten", "maanden": "Maanden met zorg",
                            "ontbreekt": "Ontbreekt", "te_laat": "Te laat", "tijdig": "Tijdig",
                            "nog_niet_verwacht": "Nog niet verwacht", "aandeel_tijdig_pct": "Tijdig (%)"},
                  percent=("Tijdig (%)",), numbers=("Maanden met zorg", "Ontbreekt", "Te laat", "Tijdig",
                                                    "Nog niet verwacht"))


def tabel_antwoordtermijn(antwoord: pd.DataFrame, *, opties: KwaliteitOpties) -> pd.DataFrame:
    """The gemeenten's answer lead time, the smallest share within the norm first: declaratie
    messages, answered, median, 90th percentile and longest working days, after the norm, unanswered
    past the norm, and the share within it."""
    frame = slechtste_eerst(antwoord, "aandeel_binnen_norm_pct", hoger_is_slechter=False)
    binnen = f"Binnen {opties.antwoord_norm_werkdagen} werkdagen"
    return _tabel(frame, {"gemeentenaam": "Gemeente", "clienten": "Cliënten", "declaraties": "Declaraties (323)",
                          "beantwoord": "Beantwoord", "mediaan_werkdagen": "Mediaan (werkdagen)",
                          "p90_werkdagen": "90% binnen (werkdagen)", "max_werkdagen": "Langst (werkdagen)",
                          "na_norm": "Na de norm", "onbeantwoord_na_norm": "Onbeantwoord na de norm",
                          "aandeel_binnen_norm_pct": binnen},
                  percent=(binnen,), numbers=("Declaraties (323)", "Beantwoord", "Mediaan (werkdagen)",
                                              "90% binnen (werkdagen)", "Langst (werkdagen)", "Na de norm",
                                              "Onbeantwoord na de norm"))


def tabel_quarantaine(quarantaine: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows per table and kind of reason (digits and quoted values masked), most first."""
    if quarantaine.empty:
        return pd.DataFrame({"Quarantaine": ["Geen rijen in quarantaine"]})
    return _tabel(quarantaine, {"tabel": "Tabel", "reden_soort": "Soort reden", "rijen": "Rijen",
                                "bestanden": "Bestanden", "clienten": "Cliënten"}, numbers=("Rijen", "Bestanden"))


BESTAND_STATUS = {"duplicaat": "duplicaat (niet nog eens geladen)", "onleesbaar": "onleesbaar",
                  "overgeslagen": "overgeslagen", "geladen": "geladen, met rijen in quarantaine"}
"""The load status of a file of :func:`analysis.datakwaliteit.bestanden_niet_geladen`, for the board."""


def tabel_bestanden(bestanden: pd.DataFrame) -> pd.DataFrame:
    """Files not loaded, then files with quarantined rows, per source, folder, kind and status (figures
    about files, not clients)."""
    if bestanden.empty:
        return pd.DataFrame({"Bestanden": ["Alle bestanden zijn geladen, zonder rijen in quarantaine"]})
    frame = bestanden.assign(status=bestanden["status"].map(BESTAND_STATUS).fillna(bestanden["status"]),
                             soort=bestanden["soort"].astype(object).where(bestanden["soort"].notna(), "–"))
    frame.attrs = dict(bestanden.attrs)
    table = kolommen(frame, {"bron": "Bron", "map": "Map", "soort": "Soort", "status": "Status",
                             "bestanden": "Bestanden", "rijen_gelezen": "Rijen gelezen",
                             "rijen_quarantaine": "Rijen in quarantaine", "reden": "Reden (eerste bestand)"})
    return format_table(table, numbers=["Bestanden", "Rijen gelezen", "Rijen in quarantaine"], count_column=None)


def tabel_open_na_herindeling(open_trajecten: pd.DataFrame) -> pd.DataFrame:
    """Trajectories of a gemeente code that ceased to exist, still open: per old code, aanbieder and
    domein, most first."""
    if open_trajecten.empty:
        return pd.DataFrame({"Herindeling": ["Geen open trajecten van opgeheven gemeentecodes"]})
    frame = open_trajecten.assign(opgeheven=pd.to_datetime(open_trajecten["opgeheven"]).dt.strftime("%d-%m-%Y"),
                                  laatste=pd.to_datetime(open_trajecten["laatste_declaratie_maand"])
                                  .dt.strftime("%m-%Y").fillna("–"))
    frame.attrs = dict(open_trajecten.attrs)
    return _tabel(frame, {"gemeente_code": "Oude gemeentecode", "opgeheven": "Opgeheven op",
                          "gemeentenaam": "Nu", "aanbieder_naam": "Aanbieder", "domein": "Domein",
                          "trajecten": "Open trajecten", "clienten": "Cliënten",
                          "laatste": "Laatste declaratie (maand)"}, numbers=("Open trajecten",))
