"""report/datakwaliteit.py: the norms checked, the exception-first summary and the board tables, on small
hand-made frames whose figures are worked out in the comments.

Four aanbieders, whole year: A (40 clients), B (25), C (4: a small cell) and D (12). With C hidden, the
secondary rule hides the smallest shown row too until the hidden rows are two and hold 10 clients: D
(4 + 12 = 16). So only A and B are shown, named and counted, whatever C and D's figures are.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import report
from analysis.display import NBSP

MIN = 10
AGB = ["11111111", "22222222", "33333333", "44444444"]
NAMEN = ["Alfa", "Beta", "Gamma", "Delta"]
CLIENTEN = [40, 25, 4, 12]


def _verberg(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    return report.verberg(frame, min_clienten=MIN, **kwargs)


def _aanbieders(**columns) -> pd.DataFrame:
    return _verberg(pd.DataFrame({"aanbieder_agb": AGB, "aanbieder_naam": NAMEN, "clienten": CLIENTEN, **columns}))


def _kwaliteit() -> pd.DataFrame:
    # rejected of answered: A 10 of 80 = 12.5 %, B 2 of 100 = 2 %, C 2 of 4 = 50 %, D 8 of 100 = 8 %
    return _aanbieders(regels_beantwoord=[80, 100, 4, 100], regels_afgekeurd=[10, 2, 2, 8],
                       afwijzing_regels_pct=[12.5, 2.0, 50.0, 8.0], afwijzing_bedrag_pct=[10.0, 1.0, 40.0, 6.0],
                       credit_aandeel_pct=[1.0, 6.5, 9.0, 0.0], regels_in_behandeling=[3, 0, 1, 2])


def _vertraging() -> pd.DataFrame:
    return _aanbieders(regels=[100, 50, 8, 30], mediaan_dagen=[35.0, 4.0, 60.0, 5.0], p90_dagen=[50.0, 9.0, 70.0, 8.0],
                       max_dagen=[90, 20, 80, 12], aandeel_na_norm_pct=[60.0, 2.0, 100.0, 0.0],
                       herdeclaratie_regels=[3, 0, 0, 1], herdeclaratie_mediaan_dagen=[40.0, None, None, 12.0])


def _telling() -> pd.DataFrame:
    return _aanbieders(maanden=[12, 12, 6, 12], ontbreekt=[2, 0, 3, 1], te_laat=[5, 0, 0, 0],
                       tijdig=[4, 11, 2, 10], nog_niet_verwacht=[1, 1, 1, 1],
                       aandeel_tijdig_pct=[100 * 4 / 11, 100.0, 40.0, 100 * 10 / 11])


def _antwoord() -> pd.DataFrame:
    # G1: 20 of 40 within 10 working days = 50 %; G2: 38 of 40 = 95 %
    return _verberg(pd.DataFrame({"gemeente_code_huidig": ["GM0001", "GM0002"], "gemeentenaam": ["Een", "Twee"],
                                  "clienten": [30, 50], "declaraties": [40, 40], "beantwoord": [40, 40],
                                  "mediaan_werkdagen": [12.0, 6.0], "p90_werkdagen": [20.0, 9.0],
                                  "max_werkdagen": [25, 11], "na_norm": [20, 2], "onbeantwoord_na_norm": [0, 0],
                                  "aandeel_binnen_norm_pct": [50.0, 95.0]}))


def _laden(rijen: int = 3, bestanden: int = 1, trajecten: int = 0) -> dict[str, pd.DataFrame]:
    quarantaine = pd.DataFrame({"tabel": ["contract"] * bool(rijen),
                                "reden_soort": ["onbekend contract '…'"] * bool(rijen),
                                "rijen": [rijen] * bool(rijen), "bestanden": [1] * bool(rijen),
                                "clienten": [0] * bool(rijen)})
    files = pd.DataFrame({"bron": ["istandaard"] * bool(bestanden), "map": ["regio"] * bool(bestanden),
                          "soort": [None] * bool(bestanden), "status": ["duplicaat"] * bool(bestanden),
                          "bestanden": [bestanden] * bool(bestanden), "rijen_gelezen": [0] * bool(bestanden),
                          "rijen_quarantaine": [0] * bool(bestanden), "reden": ["zelfde bytes"] * bool(bestanden),
                          "clienten": [0] * bool(bestanden)})
    open_ = pd.DataFrame({"gemeente_code": ["GM0398"] * bool(trajecten), "trajecten": [trajecten] * bool(trajecten),
                          "clienten": [trajecten] * bool(trajecten)})
    return {"quarantaine": _verberg(quarantaine), "bestanden": _verberg(files), "open_trajecten": _verberg(open_)}


def _regio(clienten: int = 81) -> dict[str, pd.DataFrame]:
    # the region as one row each: 22 of 284 lines rejected = 7.7 %, 2.5 % credited; median 6 days, 31.6 % late;
    # 58 of 80 answered within the norm = 72.5 %, median 9 working days; 6 months missing
    one = {"clienten": [clienten]}
    return {"kwaliteit": _verberg(pd.DataFrame(one | {"regels_beantwoord": [284],
                                                      "afwijzing_regels_pct": [100 * 22 / 284],
                                                      "credit_aandeel_pct": [2.5]})),
            "vertraging": _verberg(pd.DataFrame(one | {"mediaan_dagen": [6.0],
                                                       "aandeel_na_norm_pct": [100 * 60 / 190]})),
            "antwoord": _verberg(pd.DataFrame(one | {"aandeel_binnen_norm_pct": [72.5], "mediaan_werkdagen": [9.0]})),
            "telling": _verberg(pd.DataFrame(one | {"ontbreekt": [6]}))}


OPTIES = report.check_datakwaliteit(declaratie_norm_dagen=30, antwoord_norm_werkdagen=10, afwijzing_drempel_pct=5.0,
                                    credit_drempel_pct=5.0, te_laat_drempel_pct=10.0, antwoord_drempel_pct=90.0)
RAPPORT = SimpleNamespace(min_clienten=MIN, periode_tekst="december 2025")  # what the summary reads of a Rapport


def _samenvatting(**changes):
    frames = dict(kwaliteit=_kwaliteit(), vertraging=_vertraging(), telling=_telling(), antwoord=_antwoord(),
                  regio=_regio(), **_laden()) | changes
    return report.samenvatting_datakwaliteit(**frames, opties=OPTIES, rapport=RAPPORT, titel="T")


def test_the_secondary_rule_leaves_alfa_and_beta():
    assert _kwaliteit()["verborgen"].tolist() == [False, False, True, True]


def test_check_datakwaliteit_keeps_the_norms():
    assert OPTIES == report.KwaliteitOpties(30, 10, 5.0, 5.0, 10.0, 90.0)


@pytest.mark.parametrize("name, value", [
    ("declaratie_norm_dagen", -1), ("declaratie_norm_dagen", 30.5), ("declaratie_norm_dagen", True),
    ("declaratie_norm_dagen", 400), ("antwoord_norm_werkdagen", "10"), ("antwoord_norm_werkdagen", 261),
    ("afwijzing_drempel_pct", -0.1), ("afwijzing_drempel_pct", 101), ("credit_drempel_pct", float("nan")),
    ("te_laat_drempel_pct", "5"), ("antwoord_drempel_pct", 100.5)])
def test_check_datakwaliteit_refuses(name, value):
    args = dict(declaratie_norm_dagen=30, antwoord_norm_werkdagen=10, afwijzing_drempel_pct=5.0,
                credit_drempel_pct=5.0, te_laat_drempel_pct=10.0, antwoord_drempel_pct=90.0) | {name: value}
    with pytest.raises(ValueError, match=f"^{name}:"):
        report.check_datakwaliteit(**args)


def test_exceptions_name_only_shown_rows_with_their_figures():
    zinnen = report.uitzonderingen_datakwaliteit(kwaliteit=_kwaliteit(), vertraging=_vertraging(), telling=_telling(),
                                                 antwoord=_antwoord(), **_laden(trajecten=12), opties=OPTIES)
    assert zinnen == [
        "1 aanbieder kreeg meer dan 5,0% van de beantwoorde declaratieregels afgewezen: Alfa (12,5%).",
        "1 aanbieder crediteerde meer dan 5,0% van het gedeclareerde bedrag: Beta (6,5%).",
        "1 aanbieder declareerde meer dan 10,0% van de prestaties later dan 30 dagen na het eind van de maand: "
        "Alfa (mediaan 35 dagen).",
        "1 gecontracteerde aanbieder heeft maanden met cliënten in zorg zonder declaratie: Alfa (2 maanden).",
        "1 gemeente beantwoordde minder dan 90,0% van de declaraties binnen 10 werkdagen: Een (50,0%, mediaan 12 "
        "werkdagen).",
        "Bij het laden: 3 rijen in quarantaine, 1 bestand niet geladen en 12 trajecten van een opgeheven "
        "gemeentecode nog open."]
    text = " ".join(zinnen)
    assert "Gamma" not in text and "Delta" not in text  # C (50 %) and D (8 %) are hidden


def test_exceptions_count_in_plural():
    both = _verberg(pd.DataFrame({"gemeente_code_huidig": ["GM0001", "GM0002"], "gemeentenaam": ["Een", "Twee"],
                                  "clienten": [30, 50], "mediaan_werkdagen": [12.0, 14.0],
                                  "aandeel_binnen_norm_pct": [50.0, 40.0]}))
    zinnen = report.uitzonderingen_datakwaliteit(kwaliteit=_kwaliteit().iloc[:0], vertraging=_vertraging().iloc[:0],
                                                 telling=_telling().iloc[:0], antwoord=both,
                                                 **_laden(rijen=0, bestanden=0), opties=OPTIES)
    assert zinnen == ["2 gemeenten beantwoordden minder dan 90,0% van de declaraties binnen 10 werkdagen: Twee "
                      "(40,0%, mediaan 14 werkdagen) en Een (50,0%, mediaan 12 werkdagen)."]


def test_samenvatting_leads_with_four_exceptions_and_its_tiles():
    out = _samenvatting()
    assert out.count('<p class="uitzondering">') == 4 and "Bij het laden" not in out  # the fifth and sixth wait
    assert out.index("Alfa (12,5%)") < out.index("Beta (6,5%)") < out.index("Alfa (mediaan 35 dagen)")
    # one sentence after the exceptions: the region's lines, rejections and credits
    assert ("Van januari tot en met december 2025 beantwoordden de gemeenten 284 declaratieregels van de regio; "
            "7,7% werd afgewezen en 2,5% van het gedeclareerde bedrag werd gecrediteerd.") in out
    assert "in mediaan 6 dagen" not in out  # the second sentence makes six: left out
    tiles = {k.label: (k.waarde, k.status, k.kop) for k in out.kerncijfers}
    # outside a norm: A (rejections, lag, missing months) and B (credits); C and D are hidden
    assert tiles == {"aanbieders buiten een norm": ("2", "slecht", True),
                     "afgewezen declaratieregels": ("7,7%", "slecht", False),
                     "eerste declaraties later dan 30 dagen": ("31,6%", "slecht", False),
                     "declaraties binnen 10 werkdagen beantwoord": ("72,5%", "slecht", False),
                     "maanden zonder declaratie": ("6", "slecht", False)}


def test_samenvatting_when_everything_is_within_the_norms():
    quiet = dict(kwaliteit=_kwaliteit().iloc[:2].assign(afwijzing_regels_pct=[1.0, 2.0], credit_aandeel_pct=[0.5, 0.5]),
                 vertraging=_vertraging().iloc[:2].assign(aandeel_na_norm_pct=[1.0, 0.0]),
                 telling=_telling().iloc[:2].assign(ontbreekt=[0, 0]),
                 antwoord=_antwoord().assign(aandeel_binnen_norm_pct=[95.0, 99.0]), **_laden(rijen=0, bestanden=0))
    out = _samenvatting(**quiet)
    assert "Geen aanbieder of gemeente valt buiten een norm" in out and out.count('<p class="uitzondering">') == 1
    assert "in mediaan 6 dagen na het eind van de maand; de gemeenten antwoordden in mediaan 9 werkdagen." in out
    assert [k.waarde for k in out.kerncijfers][0] == "0" and out.kerncijfers[0].status == "goed"


def test_samenvatting_hides_a_small_region():
    out = _samenvatting(regio=_regio(clienten=7))  # a region of 7 clients: no figure of it
    assert "De regio telt voor de beantwoorde declaratieregels minder dan 10 cliënten" in out
    assert {k.label: k.waarde for k in out.kerncijfers}["afgewezen declaratieregels"] == "niet getoond"
    assert all(k.status is None for k in out.kerncijfers[1:])


def test_tabel_afwijzing_worst_first_and_hidden_rows_last_by_name():
    table = report.tabel_afwijzing(_kwaliteit())
    assert table["Aanbieder"].tolist() == ["Alfa", "Beta", "Delta", "Gamma"]  # not C (50 %) before D (8 %)
    assert table.iloc[0].tolist() == ["Alfa", "40", "80", "10", "12,5%", "10,0%", "1,0%", "3"]
    assert set(table.iloc[2:, 1:].to_numpy().ravel()) == {"x"}


def test_tabel_vertraging_and_maanddeclaraties():
    lag = report.tabel_vertraging(_vertraging(), opties=OPTIES)
    assert lag.columns[6] == "Later dan 30 dagen" and lag.iloc[0, [0, 3, 6]].tolist() == ["Alfa", "35", "60,0%"]
    assert lag.loc[1, "Herdeclaratie mediaan (dagen)"] == "–"  # Beta declared nothing again
    months = report.tabel_maanddeclaraties(_telling())
    assert months.iloc[0][["Aanbieder", "Ontbreekt", "Te laat", "Tijdig (%)"]].tolist() == ["Alfa", "2", "5", "36,4%"]
    assert months["Aanbieder"].tolist()[2:] == ["Delta", "Gamma"] and (months.iloc[2:, 1:] == "x").all().all()


def test_tabel_antwoordtermijn_smallest_share_within_the_norm_first():
    table = report.tabel_antwoordtermijn(_antwoord().iloc[::-1], opties=OPTIES)
    assert table["Gemeente"].tolist() == ["Een", "Twee"]
    assert table.loc[0, "Binnen 10 werkdagen"] == "50,0%" and table.loc[0, "Mediaan (werkdagen)"] == "12"


def test_tabel_per_kwartaal_hides_cells_and_marks_missing_quarters():
    frame = pd.DataFrame({"kwartaal": pd.to_datetime(["2025-01-01", "2025-04-01", "2025-01-01", "2025-04-01",
                                                      "2025-07-01"]),
                          "aanbieder_naam": ["Alfa", "Alfa", "Beta", "Beta", "Beta"], "clienten": [30, 4, 20, 25, 22],
                          "afwijzing_regels_pct": [10.0, 50.0, 2.0, 3.0, 4.0]})
    # Q2: Alfa's 4 clients hidden, and by the secondary rule Beta's 25 with it; Alfa has no Q3
    shown = _verberg(report.met_namen(frame, rapport=SimpleNamespace()), groep=["kwartaal"])
    table = report.tabel_per_kwartaal(shown, waarde="afwijzing_regels_pct", volgorde=["Beta", "Alfa"])
    assert table.columns.tolist() == ["Aanbieder", "2025 K1", "2025 K2", "2025 K3"]
    assert table.values.tolist() == [["Beta", "2,0%", "x", "4,0%"], ["Alfa", "10,0%", "x", "–"]]
    assert table.attrs["voetnoot"].startswith("x = niet getoond")  # kept through the pivot


def test_tabel_retourcodes_per_aanbieder_shows_only_shown_rows():
    codes = _verberg(pd.DataFrame({"aanbieder_agb": AGB[:3], "aanbieder_naam": NAMEN[:3], "retourcode": ["9307"] * 3,
                                   "omschrijving": ["begindatum"] * 3, "regels": [12, 11, 3], "clienten": [12, 11, 3],
                                   "afgewezen_cent": [120000, 110000, 30000],
                                   "aandeel_regels_pct": [50.0, 40.0, 30.0]}),
                     groep=["retourcode"])
    table = report.tabel_retourcodes(codes)
    # Gamma (3) hidden, and Beta (11) with it: only Alfa, without the meaning
    assert table.values.tolist() == [["Alfa", "9307", "12", "12", f"€{NBSP}1.200", "50,0%"]]
    region = report.tabel_retourcodes(codes.drop(columns=["aanbieder_agb", "aanbieder_naam"]))
    assert region.columns[1] == "Omschrijving" and region["Regels"].tolist() == ["12", "x", "x"]


def test_pooled_rows_stand_for_the_hidden_ones():
    frame = pd.DataFrame({"gemeente_code": ["GM0398"] * 3, "opgeheven": pd.to_datetime(["2022-01-01"] * 3),
                          "gemeentenaam": ["Dijk en Waard"] * 3, "aanbieder_naam": ["Alfa", "Beta", "Gamma"],
                          "domein": ["Jeugd"] * 3, "trajecten": [30, 6, 5], "clienten": [30, 6, 5],
                          "laatste_declaratie_maand": pd.to_datetime(["2021-11-01", "2021-10-01", None])})
    shown = _verberg(frame, samenvoegen={"aanbieder_naam": "Overige aanbieders (samen)"}, optellen=["trajecten"])
    table = report.tabel_open_na_herindeling(shown)
    assert table["Aanbieder"].tolist() == ["Alfa", "Overige aanbieders (samen)"]
    assert table.iloc[0].tolist() == ["GM0398", "01-01-2022", "Dijk en Waard", "Alfa", "Jeugd", "30", "30", "11-2021"]
    assert table.iloc[1][["Open trajecten", "Cliënten"]].tolist() == ["11", "11"]  # 6 + 5
    assert report.tabel_open_na_herindeling(frame.iloc[:0]).iloc[0, 0].startswith("Geen open trajecten")


def test_tabel_bestanden_and_quarantaine():
    laden = _laden(rijen=3, bestanden=2)
    files = report.tabel_bestanden(laden["bestanden"])
    assert files.iloc[0][["Soort", "Status", "Bestanden"]].tolist() == ["–", "duplicaat (niet nog eens geladen)", "2"]
    rows = report.tabel_quarantaine(laden["quarantaine"])
    assert rows.iloc[0].tolist() == ["contract", "onbekend contract '…'", "3", "1", "0"]
    assert report.tabel_quarantaine(laden["quarantaine"].iloc[:0]).iloc[0, 0] == "Geen rijen in quarantaine"


def test_met_namen_and_slechtste_eerst_keep_what_they_should():
    rapport = SimpleNamespace(gemeenten=pd.DataFrame({"gemeente_code": ["GM0361"], "gemeentenaam": ["Alkmaar"]}))
    frame = pd.DataFrame({"gemeente_code_huidig": ["GM0361", "GM9999"], "aanbieder_agb": ["1", "2"],
                          "aanbieder_naam": ["Alfa", None], "kwartaal": pd.to_datetime(["2025-10-01", "2024-01-01"]),
                          "x": [1.0, 3.0]})
    frame.attrs["min_clienten"] = 10
    out = report.met_namen(frame, rapport=rapport)
    assert out.columns.tolist() == ["gemeente_code_huidig", "gemeentenaam", "aanbieder_agb", "aanbieder_naam",
                                    "kwartaal", "kwartaal_naam", "x"]
    assert out["gemeentenaam"].tolist() == ["Alkmaar", "GM9999"] and out["aanbieder_naam"].tolist() == ["Alfa", "2"]
    assert out["kwartaal_naam"].tolist() == ["2025 K4", "2024 K1"] and out.attrs == {"min_clienten": 10}
    worst = report.slechtste_eerst(out.assign(x=[1.0, None]), "x", hoger_is_slechter=False)
    assert worst["x"].isna().tolist() == [False, True] and worst.attrs == {"min_clienten": 10}
