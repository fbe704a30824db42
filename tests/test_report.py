"""report.py: parameter checks, the summary and the board tables, on small hand-made frames."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis import report
from analysis.display import NBSP


def test_parse_periode():
    assert report.parse_periode("2025-06") == (2025, 6)
    for bad in ("2025-13", "2025-6", "25-06", 202506, "2025-00"):
        with pytest.raises(ValueError, match="^periode:"):
            report.parse_periode(bad)


def test_check_drempels():
    assert report.check_drempels({"a": 0, "b": 2.5}) == {"a": 0, "b": 2.5}
    for bad in (-1, True, float("nan"), "5"):
        with pytest.raises(ValueError, match="^x:"):
            report.check_drempels({"x": bad})


def test_resolve_warehouse(tmp_path):
    assert report.resolve_warehouse(tmp_path / "w.duckdb") == tmp_path / "w.duckdb"
    assert report.resolve_warehouse("data/processed/warehouse.duckdb") == (
        report.repo_root() / "data/processed/warehouse.duckdb")
    assert (report.repo_root() / "pyproject.toml").is_file()
    with pytest.raises(ValueError, match="^warehouse:"):
        report.resolve_warehouse("")


def test_check_parameters(demo_warehouse):
    r = report.check_parameters(warehouse=demo_warehouse, periode="2025-06", gemeente="GM1980",
                                drempels={"d": 1.0}, scenario={"vraaggroei": 0.01}, horizon=2, rag={})
    assert (r.jaar, r.maand, r.einde, r.regio, r.naam) == (2025, 6, date(2025, 6, 30), "Noord-Kennemerland",
                                                           "Dijk en Waard")
    assert r.peildatum == date(2025, 7, 1) and r.laatste_maand == pd.Timestamp("2025-04-01") and r.basisjaar == 2024
    assert r.scenario.vraaggroei == 0.01 and r.thresholds.min_basis == 10 and r.onderwerp == "Dijk en Waard (GM1980)"
    regio = report.check_parameters(warehouse=demo_warehouse, periode="2025-12", regio="Noord-Kennemerland")
    assert "GM0361" in set(regio.gemeenten["gemeente_code"]) and "GM0398" not in set(regio.gemeenten["gemeente_code"])
    assert regio.periode_tekst == "december 2025"


def _declaraties_tot(warehouse: Path, tmp_path: Path, gemeente: str, laatste: str) -> Path:
    """A copy of ``warehouse`` in which ``gemeente``'s declaraties end in the month ``laatste``."""
    import shutil

    import duckdb

    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DELETE FROM declaratieregel WHERE gemeente_code_huidig = $g AND periode_begin >= $na",
                    {"g": gemeente, "na": pd.Timestamp(f"{laatste}-01") + pd.DateOffset(months=1)})
    return copy


def test_a_gemeente_whose_declaraties_lag_within_the_open_months_gets_the_warehouses_periode(demo_warehouse,
                                                                                             tmp_path):
    """The warehouse's data run to 2025-12; Dijk en Waard's end in 2025-10, the last closed month of periode
    2025-12 (data date 2026-01-01 minus one month minus the two open months): its report can still run."""
    copy = _declaraties_tot(demo_warehouse, tmp_path, "GM1980", "2025-10")
    r = report.check_parameters(warehouse=copy, periode="2025-12", gemeente="GM1980")
    assert r.laatste_maand == pd.Timestamp("2025-10-01") and r.basisjaar == 2024
    regio = report.check_parameters(warehouse=copy, periode="2025-12", regio="Noord-Kennemerland")
    assert regio.laatste_maand == pd.Timestamp("2025-10-01")


def test_a_gemeente_whose_declaraties_end_before_the_last_closed_month_is_refused_with_the_periode_that_works(
        demo_warehouse, tmp_path):
    """Declaraties to 2025-09: periode 2025-12 would count 2025-10 as a closed month without any spend."""
    copy = _declaraties_tot(demo_warehouse, tmp_path, "GM1980", "2025-09")
    with pytest.raises(ValueError, match=r"^periode: '2025-12' needs declaraties up to 2025-10 \(its last closed "
                                         r"month\), but those of this gemeente end in 2025-09; choose periode "
                                         r"2025-11 or earlier"):
        report.check_parameters(warehouse=copy, periode="2025-12", gemeente="GM1980")
    assert report.check_parameters(warehouse=copy, periode="2025-11", gemeente="GM1980").laatste_maand == \
        pd.Timestamp("2025-09-01")
    assert report.check_parameters(warehouse=copy, periode="2025-12", gemeente="GM0361").laatste_maand == \
        pd.Timestamp("2025-10-01")  # the other gemeenten of the region as before


@pytest.mark.parametrize("kwargs, name", [
    ({"gemeente": "GM9999"}, "gemeente"), ({"gemeente": "GM0398"}, "gemeente"), ({"regio": "Atlantis"}, "regio"),
    ({"gemeente": "GM0361", "periode": "2026-02"}, "periode"), ({"gemeente": "GM0361", "periode": "2018-12"}, "periode"),
    ({"gemeente": "GM0361", "drempels": {"groei_drempel_pct": -1}}, "groei_drempel_pct"),
    ({"gemeente": "GM0361", "horizon": 0}, "horizon"), ({"gemeente": "GM0361", "scenario": {"ova": 4}}, "ova"),
    ({"gemeente": "GM0361", "rag": {"juistheid_groen_pct": 90}}, "juistheid_groen_pct"),
    ({"gemeente": "GM0361", "rag": {"wachttijd_norm_dagen": 42.5}}, "wachttijd_norm_dagen"),
    ({"gemeente": "GM0361", "min_clienten": 0}, "min_clienten"), ({}, "gemeente / regio"),
    ({"gemeente": "GM0361", "warehouse": "/nonexistent/w.duckdb"}, "warehouse")])
def test_check_parameters_refuses(demo_warehouse, kwargs, name):
    args = {"warehouse": demo_warehouse, "periode": "2025-12", **kwargs}
    with pytest.raises(ValueError, match=f"^{name}"):
        report.check_parameters(**args)


def test_samenvatting_escapes_and_orders():
    out = report.samenvatting(uitzonderingen=["<b>A</b> & B."], zinnen=["c.", "d."],
                              kerncijfers=[("x", "€\u00a01"), ("y", "2"), ("<z>", "3")], titel="T")
    assert out.startswith('<section class="samenvatting"><h2>T</h2><p class="uitzondering"><strong>&lt;b&gt;A')
    assert "&amp; B." in out and "&lt;z&gt;" in out and out.count('<li class="tegel') == 3 and "<b>" not in out
    tiles = report.samenvatting(uitzonderingen=["a."], zinnen=["b.", "c."], kerncijfers=[
        report.Kerncijfer("op rood", "2", "slecht", kop=True), report.Kerncijfer("x", "1", "goed"), ("y", "3")])
    assert '<li class="tegel status-slecht"><span class="kerncijfer">2</span> <span class="label">op rood</span>' \
           '<span class="status">slecht</span></li>' in tiles
    bundle = tiles._repr_mimebundle_()
    assert bundle["text/html"] == str(tiles) and bundle[report.KERNCIJFERS_MIME]["kerncijfers"][0] == {
        "label": "op rood", "waarde": "2", "status": "slecht", "kop": True}
    with pytest.raises(ValueError, match="^status"):
        report.Kerncijfer("x", "1", "rood")
    with pytest.raises(ValueError, match="^zinnen"):
        report.samenvatting(uitzonderingen=["a"], zinnen=[], kerncijfers=[("x", "1")] * 3)
    with pytest.raises(ValueError, match="^kerncijfers"):
        report.samenvatting(uitzonderingen=["a"], zinnen=["b", "c"], kerncijfers=[("x", "1")] * 6)
    with pytest.raises(ValueError, match="^uitzonderingen"):
        report.samenvatting(uitzonderingen=[], zinnen=["b", "c", "d"], kerncijfers=[("x", "1")] * 3)


def test_namen_opsomming_toon():
    assert report.namen(["A", "B", "C"]) == "A, B en C"
    assert report.namen(["A", "B", "C", "D", "E"]) == "A, B, C en 2 andere"
    assert report.namen([]) == "" and report.namen(["A"]) == "A"
    assert report.opsomming(["a<b"]) == "<ul><li>a&lt;b</li></ul>"
    assert report.toon("<p>x</p>").data == "<p>x</p>"


def _gap(inkomsten, uitgaven):
    """A forecast_gap-like frame: Totaal rows for 2024 (realisatie) and 2027."""
    return pd.DataFrame({"jaar": [2024, 2027], "domein": ["Totaal"] * 2, "inkomsten_cent": inkomsten,
                         "uitgaven_cent": uitgaven})


def test_regio_saldo_hand_computed():
    gaps = {"GM0001": _gap([1000, 1000], [900, 1200]), "GM0002": _gap([3000, 3000], [3000, 3300])}
    names = pd.DataFrame({"gemeente_code": ["GM0001", "GM0002"], "gemeentenaam": ["A", "B"]})
    out = report.regio_saldo(gaps, names)
    assert out["gemeentenaam"].tolist() == ["A", "B", "Regio"]
    assert out["realisatie_saldo_cent"].tolist() == [100, 0, 100]
    assert out["prognose_saldo_cent"].tolist() == [-200, -300, -500]
    assert out["prognose_saldo_pct"].tolist() == pytest.approx([-20.0, -10.0, -12.5])
    assert out["prognose_jaar"].iloc[0] == 2027
    table = report.tabel_regio_saldo(out)
    assert table.loc[2, "Saldo 2027 (prognose)"] == f"€{NBSP}-5" and table.loc[2, "Saldo 2027 (% inkomsten)"] == "-12,5%"
    with pytest.raises(ValueError, match="^gaps"):
        report.regio_saldo({}, names)


def _bench():
    return pd.DataFrame({"gemeentenaam": ["A", "B"], "domein": ["Jeugd"] * 2, "toegekend_per_1000_cent": [15000, 5000],
                         "regio_toegekend_per_1000_cent": [10000, 10000], "index_toegekend": [150.0, 50.0],
                         "clienten": [20, 5], "regio_clienten": [25, 25], "is_gemeente": [True, False]})


BENCH = ["toegekend_per_1000_cent", "index_toegekend"]  # the figures of report.BENCH_GEMEENTE in _bench()


def _verberg(frame, **kwargs):
    return report.verberg(frame, min_clienten=10, **kwargs)


def test_regio_benchmark_and_table():
    out = report.regio_benchmark(_verberg(_bench(), groep=["domein"], totaal=False, waarden=BENCH))
    assert out.iloc[-1].drop("verborgen").to_dict() == {
        "gemeentenaam": "Regio", "domein": "Jeugd", "toegekend_per_1000_cent": 10000, "index_toegekend": 100.0,
        "clienten": 25}
    table = report.tabel_benchmark(out)
    assert table["Jeugd: € per 1.000 inwoners"].tolist() == [f"€{NBSP}150", "x", f"€{NBSP}100"]
    assert table.attrs["voetnoot"].startswith("x = niet getoond: het cijfer rust op minder dan 10 cliënten")
    # with the region's total shown, B alone would be recovered: A is hidden too
    both = report.tabel_benchmark(report.regio_benchmark(_verberg(_bench(), groep=["domein"], waarden=BENCH)))
    assert both["Jeugd: € per 1.000 inwoners"].tolist() == ["x", "x", f"€{NBSP}100"]
    with pytest.raises(KeyError):
        report.regio_benchmark(_bench().drop(columns="clienten"))


def test_samenvatting_regio():
    gaps = {"GM0001": _gap([1000, 1000], [900, 1200]), "GM0002": _gap([3000, 3000], [3000, 3100])}
    names = pd.DataFrame({"gemeente_code": ["GM0001", "GM0002"], "gemeentenaam": ["A", "B"]})
    out = report.samenvatting_regio(report.regio_saldo(gaps, names), report.regio_benchmark(_bench()), regio="R",
                                    tekort_drempel_pct=5.0, index_drempel=120.0)
    assert "1 van de 2 gemeenten heeft in 2027" in out and "A." in out  # A: -20%, B: -3,3%
    assert ("1 gemeente geeft per inwoner meer dan index 120 uit in een domein; het hoogst is A bij Jeugd "
            "(index 150)") in out
    assert out.index("1 van de 2") < out.index("De regio R sloot 2024 af")
    with pytest.raises(KeyError):
        report.samenvatting_regio(pd.DataFrame({"gemeentenaam": ["Regio"]}), _bench(), regio="R",
                                  tekort_drempel_pct=5, index_drempel=120)


def test_a_gemeente_left_out_of_the_region_forecast_is_named_first():
    names = pd.DataFrame({"gemeente_code": ["GM0001", "GM0002", "GM0003"], "gemeentenaam": ["A", "B", "C"]})
    buiten = {"GM0003": pd.Timestamp("2025-03-01"), "GM0002": pd.Timestamp("2024-11-01")}
    zin = report.zin_buiten_prognose(buiten, names)
    assert zin.startswith("Niet in de prognose en het saldo van de regio: B (GM0002, gegevens vanaf november 2024) "
                          "en C (GM0003, gegevens vanaf maart 2025).")
    assert report.zin_buiten_prognose({}, names) == ""
    gaps = {"GM0001": _gap([1000, 1000], [900, 1000])}  # A: no deficit, and no high index in the benchmark
    bench = report.regio_benchmark(_bench().assign(index_toegekend=[100.0, 100.0]))
    out = report.samenvatting_regio(report.regio_saldo(gaps, names), bench, regio="R", tekort_drempel_pct=5.0,
                                    index_drempel=120.0, buiten=zin)
    # the caveat leads, then the sentence that nothing else is outside tolerance, then the saldo
    assert out.index("Niet in de prognose") < out.index("Geen gemeente valt buiten") < out.index("De regio R sloot")
    assert out.count('class="uitzondering"') == 2


def test_regio_aannames_are_the_longest_history_s_and_name_the_short_ones():
    names = pd.DataFrame({"gemeente_code": ["GM0001", "GM0002"], "gemeentenaam": ["A", "B"]})
    lang, kort = _gap([1, 1], [1, 1]), _gap([1, 1], [1, 1])
    lang.attrs, kort.attrs = {"aannames": ["lang."], "maanden": 60}, {"aannames": ["kort."], "maanden": 19}
    assert report.regio_aannames({"GM0002": kort, "GM0001": lang}, names) == [
        "lang.", "Korte reeks bij B (GM0002): er zijn minder dan 24 maanden gegevens, dus de prognose herhaalt daar "
        "het laatste jaar, met bewust ruime intervallen."]
    assert report.regio_aannames({"GM0002": kort}, names) == ["kort."]  # all short: its own sentences say so
    with pytest.raises(ValueError, match="^gaps"):
        report.regio_aannames({}, names)


def test_the_method_paragraph_follows_the_length_of_the_history():
    gap = _gap([1, 1], [1, 1])
    gap.attrs["maanden"] = 60
    assert "gemiddelde van drie beproefde modellen" in report.alinea_methode(gap)
    gap.attrs["maanden"] = 19
    kort = report.alinea_methode(gap)
    assert kort.startswith("<p><strong>De methode.</strong> Er zijn pas 19 maanden gegevens")
    assert "herhaalt daarom het laatste jaar" in kort


def _per_inwoner():
    return pd.DataFrame({"jaar": [2023, 2024], "domein": ["Wmo", "Wmo"], "toegekend_cent": [100000, 150000],
                         "clienten": [10, 12], "inwoners": [1000, 1000], "kosten_per_client_cent": [10000, 12500],
                         "toegekend_per_1000_cent": [100000, 150000], "clienten_per_1000": [10.0, 12.0]})


def test_jaaroverzicht_and_table():
    out = report.jaaroverzicht(_per_inwoner(), tot=2024, jaren=1)
    assert out["jaar"].tolist() == [2024] and out["toegekend_verschil_pct"].tolist() == [50.0]
    assert out["clienten_verschil"].tolist() == [2]
    table = report.tabel_jaaroverzicht(_verberg(out))
    assert table.loc[0, "Groei"] == "50,0%" and table.loc[0, "Kosten per cliënt"] == f"€{NBSP}125"
    other = report.tabel_jaaroverzicht(report.verberg(out, min_clienten=13))
    assert other.loc[0, "Uitgaven"] == "x" and "minder dan 13 cliënten" in other.attrs["voetnoot"]
    # a hidden year gives the next its growth no more: 2023 (10 clients) hidden at 11 leaves 2024 without growth
    hidden = report.jaaroverzicht(report.verberg(_per_inwoner(), min_clienten=11, groep=["jaar"]), tot=2024, jaren=1)
    assert hidden["toegekend_cent"].tolist() == [150000] and hidden["toegekend_verschil_pct"].isna().all()
    with pytest.raises(ValueError, match="^per_inwoner"):
        report.jaaroverzicht(_per_inwoner().iloc[:0], tot=2024)


def test_top_spend_and_table():
    yearly = pd.DataFrame({"jaar": [2023, 2024, 2024, 2024], "aanbieder_agb": ["1", "1", "2", "3"],
                           "toegekend_cent": [100, 200, 600, 200], "clienten": [10, 11, 20, 3]})
    labels = pd.DataFrame({"aanbieder_agb": ["1"], "naam": ["Een"]})
    out = report.top_spend(yearly, keys=("aanbieder_agb",), jaar=2024, top=2, labels=labels)
    assert out["naam"].tolist() == ["2", "Een", "Overige"]
    assert out["toegekend_cent"].tolist() == [600, 200, 200] and out["aandeel_pct"].tolist() == [60.0, 20.0, 20.0]
    assert out.loc[1, "toegekend_verschil_pct"] == 100.0
    table = report.tabel_top(_verberg(out, totaal=False), naam="Aanbieder")
    assert table.loc[2].tolist() == ["Overige", "x", "x", "x", "x"]  # its largest group has 3 clients
    shown = report.tabel_top(report.verberg(out, min_clienten=3, totaal=False), naam="Aanbieder")
    assert shown.loc[2].tolist() == ["Overige", f"€{NBSP}2", "–", "–", "20,0%"]
    with pytest.raises(KeyError):
        report.top_spend(yearly, keys=("domein",), jaar=2024)
    # the categories of a domain the report hides are hidden too: shown, Wmo's one category would be its total
    per_categorie = pd.DataFrame({"jaar": [2024] * 3, "domein": ["Jeugd", "Jeugd", "Wmo"],
                                  "productcategorie": ["45", "43", "02"], "toegekend_cent": [500, 300, 200],
                                  "clienten": [30, 20, 40]})
    top = report.top_spend(per_categorie, keys=("domein", "productcategorie"), jaar=2024)
    assert top["domein"].tolist() == ["Jeugd", "Jeugd", "Wmo"]
    # hidden before the small cells are: alone, Wmo's would be the total (known from the shares) minus the others
    hidden = _verberg(report.verberg_rijen(top, top["domein"].eq("Wmo"), min_clienten=10))  # as verberg_domeinen
    assert report.tabel_top(hidden, naam="Productcategorie")["Uitgaven"].tolist() == [f"€{NBSP}5", "x", "x"]


def test_names_from_the_warehouse(demo_warehouse):
    r = report.check_parameters(warehouse=demo_warehouse, periode="2025-12", gemeente="GM0361")
    cats = report.namen_productcategorie(r.con)
    assert cats.set_index(["domein", "productcategorie"]).loc[("Jeugd", "45"), "naam"] == "45 Jeugdhulp ambulant"
    assert report.namen_aanbieder(r.con)["aanbieder_agb"].is_unique
    with pytest.raises(AttributeError):
        report.namen_aanbieder(None)


def test_tabel_groei_and_budget():
    drivers = pd.DataFrame({"domein": ["Wmo"], "toegekend_vorig_jaar_cent": [100000], "toegekend_cent": [130000],
                            "toegekend_verschil_cent": [30000], "effect_clienten_cent": [10000],
                            "effect_intensiteit_cent": [5000], "effect_prijs_cent": [15000]})
    assert report.tabel_groei(drivers).loc[0, "Door prijs per eenheid"] == f"€{NBSP}150"
    mixed = report.tabel_groei(drivers.assign(effect_clienten_cent=25000, effect_mix_cent=-15000))
    assert list(mixed.columns[4:6]) == ["Door aantal cliënten", "Door verschuiving tussen producten"]
    assert mixed.loc[0, "Door verschuiving tussen producten"] == f"€{NBSP}-150"
    monitor = pd.DataFrame({"domein": ["Wmo"], "begroting_cent": [100000], "realisatie_cent": [60000],
                            "realisatie_pct": [60.0], "profiel_pct": [50.0], "prognose_cent": [120000],
                            "afwijking_cent": [20000], "afwijking_pct": [20.0], "in_behandeling_cent": [5000]})
    table = report.tabel_budget(monitor)
    assert table.loc[0, "Afwijking (%)"] == "20,0%" and table.loc[0, "Nog in behandeling (apart)"] == f"€{NBSP}50"
    with pytest.raises(KeyError):
        report.tabel_budget(monitor.drop(columns="profiel_pct"))


def _rapport():
    return report.Rapport(con=None, warehouse=None, periode="2025-06", jaar=2025, maand=6, einde=date(2025, 6, 30),
                          peildatum=date(2025, 7, 1), laatste_maand=pd.Timestamp("2025-04-01"), basisjaar=2024,
                          regio="R", gemeenten=pd.DataFrame(), gemeente="GM0001", naam="A")


def test_samenvatting_uitgaven():
    jaren = report.jaaroverzicht(_per_inwoner(), tot=2024, jaren=1)
    monitor = pd.DataFrame({"domein": ["Wmo"], "begroting_cent": [100000], "realisatie_cent": [60000],
                            "prognose_cent": [120000], "afwijking_cent": [20000], "afwijking_pct": [20.0],
                            "in_behandeling_cent": [5000]})
    totaal = report.totalen(_per_inwoner(), monitor.assign(begroting_cent=100000), basisjaar=2024)
    assert totaal == {"uitgaven": 150000, "vorig": 100000, "realisatie": 60000, "prognose": 120000,
                      "begroting": 100000, "in_behandeling": 5000}
    out = report.samenvatting_uitgaven(jaren, monitor, _bench(), rapport=_rapport(), totaal=totaal,
                                       overschrijding_drempel_pct=2, groei_drempel_pct=10, index_drempel=120)
    assert "overschreden bij Wmo: samen €\u00a0200 boven begroting" in out
    assert "groeiden in 2024 met meer dan 10,0% bij Wmo (50,0%)" in out and "Jeugd (index 150)" in out
    assert "tot en met juni 2025 is €\u00a0600 gerealiseerd".capitalize() in out
    calm = report.samenvatting_uitgaven(jaren, monitor, _bench(), rapport=_rapport(), totaal=totaal,
                                        overschrijding_drempel_pct=50, groei_drempel_pct=60, index_drempel=200)
    assert "Niets valt buiten de tolerantie" in calm
    # a hidden domain is never named, though the totals still count it
    hidden = report.samenvatting_uitgaven(_verberg(jaren.assign(clienten=5), totaal=False), _verberg(
        monitor.assign(clienten=5), totaal=False), _bench(), rapport=_rapport(), totaal=totaal,
        overschrijding_drempel_pct=2, groei_drempel_pct=10, index_drempel=120)
    assert "bij Wmo" not in hidden and "€\u00a01.500 aan zorg goedgekeurd" in hidden
    assert "Niets valt buiten de tolerantie" in calm
    with pytest.raises(KeyError):
        report.samenvatting_uitgaven(jaren, monitor.drop(columns="afwijking_pct"), _bench(), rapport=_rapport(),
                                     totaal=totaal, overschrijding_drempel_pct=2, groei_drempel_pct=10,
                                     index_drempel=120)


def _full_gap():
    rows = []
    for jaar, soort in ((2024, "realisatie"), (2025, "prognose")):
        for domein, ink, uit in (("Jeugd", 1000, 1200), ("Wmo", 1000, 1000), ("Totaal", 2000, 2200)):
            rows.append({"jaar": jaar, "domein": domein, "soort": soort, "inkomsten_cent": ink, "uitgaven_cent": uit,
                         "saldo_cent": ink - uit, "saldo_pct": (ink - uit) / ink * 100,
                         "uitgaven_80_laag_cent": uit - 100, "uitgaven_80_hoog_cent": uit + 100,
                         "uitgaven_95_laag_cent": uit - 200, "uitgaven_95_hoog_cent": uit + 200})
    return pd.DataFrame(rows)


def _toets(model_ape=5.0):
    """A summarise_backtest frame of the total: the forecast (mean error ``model_ape`` %) and the two baselines."""
    return pd.DataFrame({"domein": ["Totaal"] * 3, "methode": ["combinatie", "naief", "trend"],
                         "ape_pct": [model_ape, 8.0, 9.0], "fout_abs": [50_000.0, 80_000.0, 90_000.0],
                         "smape_pct": [6.0, 9.0, 10.0], "mase": [0.5, 1.0, 1.25], "dekking_80": [0.75, 0.5, 0.5],
                         "dekking_95": [1.0, 0.75, 1.0], "oorsprongen": [4, 4, 4],
                         "beter_dan_baselines": [model_ape < 8, False, False], "gebruikt": [True, False, False]})


def test_tabel_prognose_and_backtest():
    table = report.tabel_prognose(_full_gap())
    assert table.loc[0, "Uitgaven 80%-interval"] == "–"
    assert table.loc[3, "Uitgaven 80%-interval"] == f"€{NBSP}11 – €{NBSP}13" and table.loc[3, "Saldo (% inkomsten)"] == "-20,0%"
    back = report.tabel_backtest(_toets())
    assert back["Beter dan beide maatstaven"].tolist() == ["ja", "", ""] and back.loc[0, "Methode"] == "Prognose (combinatie)"
    # 50,000 cents is EUR 500; coverage 0.75 of the tested years is 75%; MASE with two decimals
    assert back.loc[0, ["Fout jaartotaal (%)", "Fout jaartotaal", "Binnen 80%-band", "MASE"]].tolist() == [
        "5,0%", f"€{NBSP}500", "75,0%", "0,50"]
    assert report.tabel_backtest(_toets(9.5))["Beter dan beide maatstaven"].tolist() == ["nee", "", ""]
    with pytest.raises(KeyError):
        report.tabel_prognose(_full_gap().drop(columns="soort"))
    with pytest.raises(KeyError):
        report.tabel_backtest(_toets().drop(columns="beter_dan_baselines"))


def test_samenvatting_prognose():
    out = report.samenvatting_prognose(_full_gap(), _toets(), tekort_drempel_pct=5)
    assert "tekort groter dan 5,0% van de inkomsten bij Jeugd (-20,0%)" in out
    assert "tussen €\u00a021 en €\u00a023" in out and "gemiddeld 5,0% (€\u00a0500) af" in out
    assert "verslaat daarmee beide" in out and "de 80%-band omvatte 75% en de 95%-band 100%" in out
    assert "Geen getoond domein" in report.samenvatting_prognose(_full_gap(), _toets(), tekort_drempel_pct=25)
    worse = report.samenvatting_prognose(_full_gap(), _toets(8.5), tekort_drempel_pct=5)
    assert "niet beide eenvoudige maatstaven (vorig jaar herhalen: 8,0%, rechte lijn: 9,0%)" in worse
    # hidden domains are not named in the exceptions, and the text says why they have no forecast
    hidden = report.samenvatting_prognose(_full_gap(), _toets(), tekort_drempel_pct=5, verborgen=["Jeugd", "Wmo"])
    assert "bij Jeugd" not in hidden and "Geen getoond domein" in hidden
    assert "Jeugd en Wmo krijgen geen eigen prognose: een domein met minder dan 10 cliënten" in hidden
    with pytest.raises(KeyError):
        report.samenvatting_prognose(_full_gap().drop(columns="saldo_pct"), _toets(), tekort_drempel_pct=5)
    assert "pas 19 maanden" not in out
    kort = _full_gap()
    kort.attrs["maanden"] = 19  # a short history: said first, before the deficits
    out = report.samenvatting_prognose(kort, _toets(), tekort_drempel_pct=5)
    assert out.index("Er zijn pas 19 maanden gegevens") < out.index("tekort groter dan 5,0%")


def _scorecard():
    return pd.DataFrame({
        "rang": [1, 2], "aanbieder_agb": ["1", "2"], "aanbieder_naam": ["<Een>", "Twee"], "status": ["rood", "groen"],
        "status_financieel": ["rood", "groen"], "status_contract": ["groen", "groen"],
        "status_prestatie": ["geen oordeel", "groen"], "status_relatie": ["oranje", "groen"],
        "toegekend_cent": [500000, 100000], "clienten": [40, 5], "juistheid_bedrag_pct": [90.0, 99.0],
        "prognose_benutting_pct": [120.0, 80.0], "plafond_clienten": [8, 30], "aandeel_volgens_plan_pct": [50.0, 80.0],
        "score": [7.25, 8.0],
        "volgens_plan_clienten": [4, 12], "wachttijd_binnen_norm_pct": [88.0, 95.0], "wachttijd_clienten": [30, 12]})


def test_tabel_scorecard_and_rag_telling():
    drie = pd.DataFrame({"aanbieder_agb": ["3"], "aanbieder_naam": ["Drie"], "toegekend_cent": [30000], "clienten": [7]})
    spend = _verberg(pd.concat([_scorecard()[["aanbieder_agb", "aanbieder_naam", "toegekend_cent", "clienten"]], drie],
                               ignore_index=True),
                     samenvoegen={"aanbieder_naam": report.KLEINE_AANBIEDERS}, optellen=["toegekend_cent"])
    shown = report.zichtbare_scorecard(_scorecard(), spend)
    table = report.tabel_scorecard(shown)
    assert table["Rang"].tolist() == ["1"] and table.loc[0, "Tevredenheid"] == "7,3"  # Twee (5 clients) left out
    # <Een>'s volgens plan rests on 4 ended clients: hidden on its own count; its wachttijd (30) is shown
    assert table.loc[0, ["Volgens plan beëindigd", "Gestart binnen wachttijdnorm"]].tolist() == ["x", "88,0%"]
    # its plafond use is that of a contract of 8 clients: hidden too (the contracts table does not list it either)
    assert table.loc[0, "Plafond (prognose)"] == "x"
    assert report.zin_kleine_aanbieders(shown).startswith("Niet getoond: 1 aanbieder met minder dan 10 cliënten")
    assert report.rag_telling(shown).loc["Totaal"].tolist() == [1, 0, 0, 0]
    # Twee (5) and Drie (7) are hidden and pooled: 12 clients, EUR 1,300
    assert spend["verborgen"].tolist() == [False, True, True, False]
    assert spend.loc[3, ["aanbieder_naam", "toegekend_cent", "clienten"]].tolist() == [report.KLEINE_AANBIEDERS, 130000, 12]
    conc = report.concentratie(spend)
    assert conc[["aanbieders", "toegekend_cent", "top_cent"]].iloc[0].tolist() == [3, 630000, 500000]
    # the top is of the one aanbieder shown; two are hidden, so the summary does not call it the top ten
    assert conc[["top_aanbieders", "verborgen_aanbieders"]].iloc[0].tolist() == [1, 2]
    correct = pd.DataFrame({"toegekend_cent": [90], "ingediend_cent": [100]})
    geen = pd.DataFrame({"opvolger_contract_id": [], "binnen_6_maanden": []})
    zin = report.samenvatting_aanbieders(shown, conc, geen, correct, jaar=2025, plafond_drempel_pct=100,
                                         plafonds=pd.DataFrame({"prognose_benutting_pct": []}))
    assert f"De grootste aanbieder met ten minste 10 cliënten kreeg 79,4% van de €{NBSP}6.300 in 2025" in zin
    assert conc["top_aandeel_pct"].iloc[0] == pytest.approx(500000 / 630000 * 100)
    # the HHI takes the pool as one share: (5000/63)^2 + (1300/63)^2
    assert conc["hhi"].iloc[0] == pytest.approx((500000 / 6300) ** 2 + (130000 / 6300) ** 2)
    # alone, one hidden aanbieder would be the total minus the shown one: the next smallest goes with it
    alone = _verberg(_scorecard()[["aanbieder_agb", "toegekend_cent", "clienten"]])
    assert alone["verborgen"].tolist() == [True, True]
    telling = report.rag_telling(_scorecard())
    assert telling.loc["Totaal"].tolist() == [1, 0, 1, 0] and telling.loc["Prestatie", "geen oordeel"] == 1
    with pytest.raises(KeyError):
        report.rag_telling(_scorecard().drop(columns="status_relatie"))


def test_samenvatting_aanbieders():
    conc = pd.DataFrame({"aanbieders": [2], "toegekend_cent": [600000], "top_cent": [600000],
                         "top_aandeel_pct": [100.0], "hhi": [7222.2]})
    expiring = pd.DataFrame({"opvolger_contract_id": [None, "X"], "binnen_6_maanden": [True, True]})
    correct = pd.DataFrame({"toegekend_cent": [90, 9], "ingediend_cent": [100, 10]})
    # the region's contracts as the contracts table lists them: 120 % and 101 % above 100 %; the hidden one is not
    # counted, and neither is a scorecard's use (an aanbieder's, from its own contracts)
    plafonds = _verberg(pd.DataFrame({"prognose_benutting_pct": [120.0, 101.0, 50.0, 150.0],
                                      "clienten": [12, 30, 40, 4]}), totaal=False)
    out = report.samenvatting_aanbieders(_scorecard(), conc, expiring, correct, plafonds=plafonds, jaar=2025,
                                         plafond_drempel_pct=100)
    assert "1 van de 2 aanbieders staan op rood, het eerst te bespreken: &lt;Een&gt;." in out
    assert "Bij 2 contracten van de regio komt het plafond" in out and "1 contract loopt binnen zes maanden af" in out
    one = report.samenvatting_aanbieders(_scorecard(), conc, expiring, correct, plafonds=plafonds.iloc[[0, 2]],
                                         jaar=2025, plafond_drempel_pct=100)
    assert "Bij 1 contract van de regio komt het plafond" in one
    assert "werd 90,0% toegekend" in out and "binnen de norm" not in out  # 88 and 95 % within the norm
    # <Een> starts 50 % within the norm (below 75 %): named second, after the red ones; Twee's share is hidden
    slow = _scorecard().assign(wachttijd_binnen_norm_pct=pd.array([50.0, None], dtype="Float64"))
    out = report.samenvatting_aanbieders(slow, conc, expiring, correct, plafonds=plafonds, jaar=2025,
                                         plafond_drempel_pct=100, wachttijd_rood_pct=75.0, wachttijd_norm_dagen=42)
    wacht = "Bij 1 aanbieder startte minder dan 75,0% van de toewijzingen binnen de norm van 42 dagen: &lt;Een&gt;."
    assert wacht in out and out.index("staan op rood") < out.index(wacht) < out.index("komt het plafond")
    with pytest.raises(KeyError):
        report.samenvatting_aanbieders(_scorecard().drop(columns="status"), conc, expiring, correct,
                                       plafonds=plafonds, jaar=2025, plafond_drempel_pct=100)


def test_contract_tables():
    plafonds = pd.DataFrame({"aanbieder_naam": ["A", "B", "C"], "perceel": ["p", "q", "r"],
                             "plafond_jaar_cent": [1000, 1000, 1000], "toegekend_cent": [1200, 500, 1500],
                             "toegekend_gemeente_cent": [600, 200, 100], "prognose_benutting_pct": [120.0, 50.0, 150.0],
                             "clienten": [12, 30, 4], "clienten_gemeente": [3, 30, 1]})
    hidden = report.verberg_kolom(_verberg(plafonds, totaal=False, waarden=["toegekend_cent", "toegekend_gemeente_cent",
                                                                            "prognose_benutting_pct"]),
                                  "toegekend_gemeente_cent", aantal="clienten_gemeente", min_clienten=10)
    table = report.tabel_plafonds(hidden, drempel_pct=100)
    assert table["Aanbieder"].tolist() == ["A"] and table.loc[0, "Prognose benutting"] == "120,0%"  # C: 4 clients
    assert table.loc[0, "Waarvan gemeente"] == "x" and table.loc[0, "Plafond dit jaar"] == f"€{NBSP}10"
    expiring = pd.DataFrame({"aanbieder_naam": ["A"], "perceel": ["p"], "einddatum": [date(2026, 6, 30)],
                             "opvolger_contract_id": [None], "toegekend_12m_cent": [123456], "clienten": [15]})
    expiring = _verberg(expiring, totaal=False)
    assert report.tabel_aflopend(expiring).loc[0].tolist() == ["A", "p", "30-06-2026", "nee", f"€{NBSP}1.235", "15"]
    with pytest.raises(KeyError):
        report.tabel_plafonds(plafonds.drop(columns="perceel"), drempel_pct=100)
    with pytest.raises(KeyError):
        report.tabel_aflopend(expiring.drop(columns="clienten"))


def test_financial_tables():
    codes = pd.DataFrame({"retourcode": ["8001", "9307"], "omschrijving": ["x", "y"], "regels": [30, 2],
                          "afgewezen_cent": [10000, 500], "aandeel_regels_pct": [93.75, 6.25], "clienten": [25, 2]})
    table = report.tabel_retourcodes(_verberg(codes, totaal=False))
    assert table.loc[0, "Aandeel afgewezen regels"] == "93,8%" and table.loc[1, "Afgewezen bedrag"] == "x"
    # the shares add up to 100%: with one code hidden, the other must go too
    assert report.tabel_retourcodes(_verberg(codes)).loc[0, "Aandeel afgewezen regels"] == "x"
    conc = pd.DataFrame({"aanbieders": [12], "toegekend_cent": [1000000], "top_cent": [900000],
                         "top_aandeel_pct": [90.0], "hhi": [2500.4]})
    assert report.tabel_concentratie(conc).loc[0].tolist() == ["12", f"€{NBSP}10.000", f"€{NBSP}9.000", "90,0%", "2.500"]
    tariffs = pd.DataFrame({"aanbieder_naam": ["A", "B"], "regels_vergeleken": [100, 50],
                            "regels_boven_contract": [0, 5], "aandeel_regels_boven_pct": [0.0, 10.0],
                            "aandeel_bedrag_boven_pct": [0.0, 12.5], "overschrijding_cent": [0, 2500],
                            "overschrijding_toegekend_cent": [0, 2000], "clienten": [40, 11]})
    tariffs = _verberg(tariffs, totaal=False)
    assert report.tabel_tarieven(tariffs).loc[0].tolist() == ["B", "50", "10,0%", "12,5%", f"€{NBSP}25", f"€{NBSP}20", "11"]
    with pytest.raises(KeyError):
        report.tabel_retourcodes(codes.drop(columns="omschrijving"))
    with pytest.raises(KeyError):
        report.tabel_concentratie(conc.drop(columns="hhi"))
    with pytest.raises(KeyError):
        report.tabel_tarieven(tariffs.drop(columns="clienten"))


def test_trajecten_and_tevredenheid():
    duration = pd.DataFrame({"productcategorie": ["45", "99"], "beeindigd": [20, 3], "clienten": [18, 3],
                             "q1_dagen": [80.0, 1.0], "mediaan_dagen": [165.5, 2.0], "q3_dagen": [1248.0, 3.0],
                             "lopend": [17, 1], "clienten_lopend": [15, 1]})
    names = pd.DataFrame({"productcategorie": ["45"], "naam": ["45 Jeugdhulp ambulant"]})
    table = report.tabel_trajecten(report.trajecten(duration, rapport=_rapport()), names)
    assert table.loc[0].tolist() == ["45 Jeugdhulp ambulant", "20", "18", "80", "166", "1.248", "17"]
    assert table.loc[1].tolist() == ["99", "x", "x", "x", "x", "x", "x"]
    scores = pd.DataFrame({"aanbieder_naam": ["A", "B", "A", "B"], "jaar": [2025, 2025, 2024, 2024],
                           "score": [7.45, 6.0, 7.0, 5.0], "respondenten": [20, 12, 9, 15]})
    scores = scores.assign(clienten=scores["respondenten"], verschil_vorig_jaar=[0.45, 1.0, None, None])
    table = report.tabel_tevredenheid(report.tevredenheid(scores, rapport=_rapport()), jaar=2025)
    assert table["Aanbieder"].tolist() == ["B", "A"] and table.loc[0, "Verschil met vorig jaar"] == "1,0"
    # A's 2024 score rests on 9 respondents: hidden, and so is the change that would give it away
    assert table.loc[1, "Rapportcijfer"] == "7,5" and table.loc[1, "Verschil met vorig jaar"] == "–"
    with pytest.raises(KeyError):
        report.tabel_trajecten(duration.drop(columns="lopend"), names)
    with pytest.raises(KeyError):
        report.tabel_tevredenheid(scores.drop(columns="jaar").assign(verborgen=False), jaar=2025)


def test_kleine_domeinen_hides_small_domains_and_one_more_when_alone():
    def clienten(jeugd, wmo, bw):
        return pd.DataFrame({"jaar": [2024, 2024, 2024, 2023], "domein": ["Jeugd", "Wmo", "Beschermd Wonen", "Wmo"],
                             "clienten": [jeugd, wmo, bw, 1]})
    # only Wmo (5) is below 10: Totaal - Jeugd - BW would give it away, so the next smallest (BW, 30) goes too
    assert report.kleine_domeinen(clienten(50, 5, 30), jaren=[2024], min_clienten=10) == ["Wmo", "Beschermd Wonen"]
    # 5 + 3 clients are still fewer than 10 together: Jeugd is hidden as well
    assert report.kleine_domeinen(clienten(50, 5, 3), jaren=[2024], min_clienten=10) == [
        "Jeugd", "Wmo", "Beschermd Wonen"]
    assert report.kleine_domeinen(clienten(50, 10, 30), jaren=[2024], min_clienten=10) == []  # 10 is not fewer
    # a domain without any approved spend that year has 0 clients: it discloses nobody and is not hidden
    no_bw = clienten(50, 40, 30).iloc[[0, 1, 3]]
    assert report.kleine_domeinen(no_bw, jaren=[2024], min_clienten=10) == []
    # Wmo has 1 client in 2023 (no other domain that year: nothing to subtract); 40 in 2024 is no small cell
    assert report.kleine_domeinen(no_bw, jaren=[2023, 2024], min_clienten=10) == ["Wmo"]
    shown = report.zonder_kleine_domeinen(_full_gap(), ["Wmo"])
    assert set(shown["domein"]) == {"Jeugd", "Totaal"} and len(shown) == len(_full_gap()) * 2 // 3


def test_zin_regio_prognose_gives_the_horizon_year_and_its_band():
    gap = _full_gap()
    regio = gap[gap["domein"] == "Totaal"].reset_index(drop=True)
    last = regio.iloc[-1]
    out = report.zin_regio_prognose(regio)
    assert f"In {int(last['jaar'])}" not in out and f"in {int(last['jaar'])} naar verwachting" in out
    assert f"tussen {report.eur(int(last['uitgaven_80_laag_cent']))} en {report.eur(int(last['uitgaven_80_hoog_cent']))}" in out


def _wachttijd():
    """Rows as suppliers.wachttijd gives them (lowest share first). Delta has 4 clients: hidden. Eps's share
    (5 %) rests on 8 judged clients and its median on 5 started ones: both hidden, so it sorts after the shown
    shares although its true share is the lowest of those listed."""
    return pd.DataFrame({
        "aanbieder_agb": ["4", "5", "1", "3", "2"], "aanbieder_naam": ["Delta", "Eps", "Alfa", "Gamma", "Beta"],
        "productcategorie": ["45", "45", "45", "45", "43"], "toewijzingen": [4, 16, 14, 13, 22],
        "clienten": [4, 15, 12, 12, 20], "mediaan_dagen": [90.0, 60.0, 50.0, 45.0, 12.0],
        "p90_dagen": [99.0, 70.0, 80.0, 60.0, 30.0], "aandeel_binnen_norm_pct": [10.0, 5.0, 40.0, 60.0, 90.0],
        "niet_gestart_na_norm": [1, 2, 3, 0, 0], "clienten_gestart": [3, 5, 9, 10, 20],
        "clienten_beoordeeld": [4, 8, 12, 10, 20], "clienten_niet_gestart": [1, 2, 3, 0, 0]})


def test_wachttijden_hide_each_figure_on_its_own_clients_and_sort_on_what_is_shown():
    out = report.wachttijden(_wachttijd(), rapport=_rapport())
    # shown shares 40, 60, 90 first; Eps (share hidden) after them; Delta (row hidden) last
    assert out["aanbieder_naam"].tolist() == ["Alfa", "Gamma", "Beta", "Eps", "Delta"]
    assert out["verborgen"].tolist() == [False, False, False, False, True]
    names = pd.DataFrame({"productcategorie": ["45", "43"], "naam": ["45 Ambulant", "43 Verblijf"]})
    table = report.tabel_wachttijd(out, names)
    assert table.columns.tolist() == ["Aanbieder", "Productcategorie", "Toewijzingen", "Cliënten", "Mediaan (dagen)",
                                      "90% gestart binnen (dagen)", "Gestart binnen norm", "Niet gestart na norm"]
    # Alfa: median and p90 of 9 started clients hidden, its share on 12 judged shown, 3 waiting clients hidden
    assert table.values.tolist() == [
        ["Alfa", "45 Ambulant", "14", "12", "x", "x", "40,0%", "x"],
        ["Gamma", "45 Ambulant", "13", "12", "45", "60", "60,0%", "0"],
        ["Beta", "43 Verblijf", "22", "20", "12", "30", "90,0%", "0"],
        ["Eps", "45 Ambulant", "16", "15", "x", "x", "x", "x"]]  # Delta (4 clients) is not listed
    assert report.zin_verborgen(out, wat=("combinatie", "combinaties")).startswith("Niet getoond: 1 combinatie,")


def test_wachttijd_kwartalen_and_niet_gestart():
    trend = pd.DataFrame({"kwartaal": ["2025-Q1", "2025-Q2", "2025-Q3"], "mediaan_dagen": [12.0, 30.0, 11.0],
                          "p90_dagen": [20.0, 50.0, 19.0], "clienten": [31, 9, 14], "clienten_gestart": [30, 8, 12]})
    out = report.wachttijd_kwartalen(trend, rapport=_rapport())
    assert out["verborgen"].tolist() == [False, True, False] and out["mediaan_dagen"].isna().tolist() == [
        False, True, False]  # Q2's median rests on 8 started clients: a gap in the chart
    telling = pd.DataFrame({"toewijzingen": [16], "clienten": [15], "mediaan_dagen_wachtend": [204.0],
                            "max_dagen_wachtend": [367]})
    shown = report.niet_gestart_gemeente(telling, rapport=_rapport())
    assert "max_dagen_wachtend" not in shown.columns  # one client's wait
    op = date(2025, 12, 31)
    assert report.zin_niet_gestart(shown, norm_dagen=42, peildatum=op) == (
        "Op 31-12-2025 waren 16 toewijzingen (15 cliënten) langer dan 42 dagen na de toewijzing nog niet gestart; "
        "de helft wacht al 204 dagen of langer.")
    few = report.niet_gestart_gemeente(telling.assign(toewijzingen=6, clienten=5), rapport=_rapport())
    assert report.zin_niet_gestart(few, norm_dagen=42, peildatum=op) == (
        "Op 31-12-2025 wachtten minder dan 10 cliënten langer dan 42 dagen na de toewijzing op de start van de zorg.")
    none = report.niet_gestart_gemeente(telling.assign(toewijzingen=0, clienten=0), rapport=_rapport())
    assert "wachtte geen toewijzing langer dan 42 dagen" in report.zin_niet_gestart(none, norm_dagen=42, peildatum=op)


def _herhaald():
    per_aanbieder = pd.DataFrame({"aanbieder_agb": list("PQRST"), "aanbieder_naam": list("PQRST"),
                                  "clienten": [43, 15, 6, 8, 12], "terug": [2, 4, 3, 1, 0],
                                  "aandeel_terug_pct": [200 / 43, 400 / 15, 50.0, 12.5, 0.0]})
    per_uitkomst = pd.DataFrame({
        "aanbieder_agb": list("PPPQQRT"), "uitkomst": ["volgens_plan", "voortijdig", "overig", "volgens_plan",
                                                      "voortijdig", "volgens_plan", "volgens_plan"],
        "clienten": [33, 7, 3, 10, 5, 6, 12], "terug": [0, 2, 0, 1, 3, 3, 0],
        "aandeel_terug_pct": [0.0, 200 / 7, 0.0, 10.0, 60.0, 50.0, 0.0]})
    return per_aanbieder, per_uitkomst


def test_herhaald_beroep_aanbieders_hides_an_uitkomst_the_total_would_give_away():
    out = report.herhaald_beroep_aanbieders(*_herhaald(), rapport=_rapport())
    # R (6) and S (8) hidden: together 14 clients in two rows, so no other aanbieder needs hiding
    assert out["aanbieder_agb"].tolist() == ["Q", "P", "T", "R", "S"]
    assert out["verborgen"].tolist() == [False, False, False, True, True]
    table = report.tabel_herhaald_beroep(out)
    # P: voortijdig (7) and overig (3) hidden, 10 clients in two rows: volgens plan shown. Q: voortijdig (5) alone
    # would be Q's total minus volgens plan, so volgens plan (10) is hidden too. T ended only volgens plan.
    assert table.values.tolist() == [["Q", "15", "26,7%", "x", "x"], ["P", "43", "4,7%", "0,0%", "x"],
                                     ["T", "12", "0,0%", "0,0%", "–"]]
    assert table.columns.tolist() == ["Aanbieder", "Cliënten (zorg beëindigd)", "Terug binnen 12 maanden",
                                      "Na einde volgens plan", "Na voortijdig einde"]


def test_zin_herhaald_beroep():
    totaal = _verberg(pd.DataFrame({"clienten": [227], "aandeel_terug_pct": [6.2]}))
    uitkomst = _verberg(pd.DataFrame({"uitkomst": ["volgens_plan", "voortijdig", "overig"], "clienten": [170, 37, 20],
                                      "aandeel_terug_pct": [0.0, 37.8, 0.0]}))
    assert report.zin_herhaald_beroep(totaal, uitkomst, jaar=2024) == (
        "Van de 227 cliënten van wie de zorg in 2024 eindigde, kreeg 6,2% binnen twaalf maanden opnieuw een "
        "toewijzing in hetzelfde domein (na einde volgens plan 0,0%; na voortijdig einde 37,8%).")
    # voortijdig (5) and overig (3) together 8 clients: volgens plan is hidden with them
    few = _verberg(uitkomst.drop(columns="verborgen").assign(clienten=[219, 5, 3]))
    # volgens plan rests on 219 clients: "minder dan 10" would be untrue of it, so the reason is said once for both
    assert report.zin_herhaald_beroep(totaal, few, jaar=2024).endswith(
        "(na einde volgens plan niet getoond; na voortijdig einde niet getoond). Niet getoond: een aandeel over "
        "minder dan 10 cliënten, of een dat met het totaal zo'n aandeel zou verraden.")
    small = _verberg(pd.DataFrame({"clienten": [7], "aandeel_terug_pct": [14.3]}))
    assert report.zin_herhaald_beroep(small, few, jaar=2024) == (
        "De zorg eindigde in 2024 voor minder dan 10 cliënten: te weinig om het aandeel dat terugkwam te tonen.")
