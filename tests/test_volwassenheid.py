"""Maturity scans: scores worked out by hand on a small questionnaire, the checks across files, the
board report's helpers and charts, and the demo.

The small questionnaire (KMM, levels 1-4, σ²_EU = (4² − 1) / 12 = 1.25), organisation GM0361:

    respondent  K-01 (strategie)  K-02 (strategie)  K-07 (IT)      huidig / ambitie
    a           2 / 3             3 / 4             1 / 3
    b           2 / 4             2 / 4             2 / 2
    c           3 / 4             4 / 4             1 / 4

strategie en beleidsvorming (two questions): a respondent's level is the mean of his answers:
    huidig a 2.5, b 2.0, c 3.5 -> mean 8/3 = 2.6667; squared deviations 1/36 + 16/36 + 25/36 = 42/36,
        / (n − 1 = 2) = 7/12 -> sd 0.76376
    ambitie a 3.5, b 4.0, c 4.0 -> mean 11.5/3 = 3.8333; squares 4/36 + 1/36 + 1/36 = 6/36, / 2 = 1/12 -> sd 0.28868
    gap 3.8333 − 2.6667 = 7/6 = 1.1667
    r_wg: variance of huidig per question: K-01 (2, 2, 3): mean 7/3, squares 1/9 + 1/9 + 4/9 = 6/9, / 2 = 1/3;
          K-02 (3, 2, 4): 2 / 2 = 1; mean 2/3 -> 1 − (2/3) / 1.25 = 7/15 = 0.46667
IT (one question):
    huidig 1, 2, 1 -> mean 4/3 = 1.3333, variance (1/9 + 4/9 + 1/9) / 2 = 1/3 -> sd 0.57735
    ambitie 3, 2, 4 -> mean 3, variance (0 + 1 + 1) / 2 = 1 -> sd 1
    gap 3 − 4/3 = 5/3 = 1.6667; r_wg 1 − (1/3) / 1.25 = 11/15 = 0.73333
tussendoel: 2.6667 rounds to 3, 1.3333 to 1; the leading pillar is at 3: both pillars to 3.
"""

from __future__ import annotations

import dataclasses

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from warehouse_fixture import fixture_warehouse

import analysis
from analysis import plots, radar, report, volwassenheid
from analysis.reference.volwassenheid import INKOOPONTWIKKELMODEL, KMM, MODELLEN, model, regio_slug
from analysis.warehouse import build

OKT = dt.date(2025, 10, 1)
ANSWERS = [  # respondent, vraag, pijler, huidig, ambitie
    ("a", "K-01", "strategie en beleidsvorming", 2, 3), ("a", "K-02", "strategie en beleidsvorming", 3, 4),
    ("a", "K-07", "IT", 1, 3),
    ("b", "K-01", "strategie en beleidsvorming", 2, 4), ("b", "K-02", "strategie en beleidsvorming", 2, 4),
    ("b", "K-07", "IT", 2, 2),
    ("c", "K-01", "strategie en beleidsvorming", 3, 4), ("c", "K-02", "strategie en beleidsvorming", 4, 4),
    ("c", "K-07", "IT", 1, 4),
]


def questionnaire(rows=ANSWERS, *, code="GM0361", naam="Alkmaar", soort="gemeente", model_code="kmm",
                  ingevuld=OKT) -> pd.DataFrame:
    return pd.DataFrame([{"organisatie_code": code, "organisatie": naam, "organisatie_soort": soort,
                          "respondent": r, "rol": None, "model": model_code, "pijler": p, "vraag": v, "huidig": h,
                          "ambitie": a, "ingevuld": ingevuld} for r, v, p, h, a in rows])


# --- the models --------------------------------------------------------------------------------------------

def test_models_pillars_scales_and_spellings():
    assert (len(KMM.pijlers), KMM.hoogste, len(INKOOPONTWIKKELMODEL.pijlers), INKOOPONTWIKKELMODEL.hoogste) == (5, 4, 7, 6)
    assert KMM.sigma2_eu == 1.25 and INKOOPONTWIKKELMODEL.sigma2_eu == pytest.approx(35 / 12)
    assert KMM.pijler("MENS & CULTUUR") == "mens en cultuur" and KMM.pijler("mens en cultuur en meer") is None
    assert INKOOPONTWIKKELMODEL.pijler("informatiesystemen  en\ttools") == "informatiesystemen en tools"
    assert model("inkoopontwikkelmodel") is INKOOPONTWIKKELMODEL and model("kmm model") is None
    assert regio_slug("Noord Limburg") == "noord-limburg" and regio_slug("Gooi-en Vechtstreek") == "gooi-en-vechtstreek"


# --- scores, by hand -----------------------------------------------------------------------------------------

def test_scores_of_the_small_questionnaire():
    scores = volwassenheid.scores(questionnaire())
    assert scores["pijler"].tolist() == ["strategie en beleidsvorming", "IT"]  # the model's order
    strategie, it = (scores.iloc[i] for i in range(2))
    assert strategie["respondenten"] == 3 and it["respondenten"] == 3
    assert strategie[["huidig_gem", "huidig_sd", "ambitie_gem", "ambitie_sd", "gap", "r_wg"]].tolist() == pytest.approx(
        [8 / 3, (7 / 12) ** 0.5, 11.5 / 3, (1 / 12) ** 0.5, 7 / 6, 7 / 15])
    assert it[["huidig_gem", "huidig_sd", "ambitie_gem", "ambitie_sd", "gap", "r_wg"]].tolist() == pytest.approx(
        [4 / 3, (1 / 3) ** 0.5, 3.0, 1.0, 5 / 3, 11 / 15])
    assert (strategie["organisatie"], strategie["organisatie_soort"]) == ("Alkmaar", "gemeente")


def test_tussendoel_largest_gaps_and_an_override():
    scores = volwassenheid.add_tussendoel(volwassenheid.scores(questionnaire()))
    assert scores["tussendoel"].tolist() == [3, 3]  # round(2.67) = 3 leads, round(1.33) = 1 follows
    assert volwassenheid.largest_gaps(scores)["pijler"].tolist() == ["IT", "strategie en beleidsvorming"]  # 5/3 > 7/6
    assert volwassenheid.add_tussendoel(scores, niveaus={"kmm": 2})["tussendoel"].tolist() == [2, 2]
    with pytest.raises(ValueError, match="'kmm' has no level 5"):
        volwassenheid.add_tussendoel(scores, niveaus={"kmm": 5})


def test_pooled_scores_count_every_respondent_once():
    # a second organisation with one respondent (d: K-07 huidig 4, ambitie 4) pooled with the three above:
    # IT huidig 1, 2, 1, 4 -> mean 2.0; variance (1 + 0 + 1 + 4) / 3 = 2 -> r_wg 1 − 2 / 1.25 < 0 -> clipped to 0
    both = pd.concat([questionnaire(), questionnaire([("d", "K-07", "IT", 4, 4)], code="GM0373", naam="Bergen")])
    pooled = volwassenheid.scores(both, by=())
    it = pooled[pooled["pijler"] == "IT"].iloc[0]
    assert (it["respondenten"], it["huidig_gem"], it["r_wg"]) == (4, 2.0, 0.0)
    assert "organisatie" not in pooled.columns
    single = volwassenheid.scores(both)
    bergen = single[single["organisatie_code"] == "GM0373"].iloc[0]
    assert bergen["respondenten"] == 1 and pd.isna(bergen["huidig_sd"]) and pd.isna(bergen["r_wg"])  # n − 1 = 0


def test_latest_name_of_an_organisation_wins():
    renamed = questionnaire([("d", "K-07", "IT", 2, 3)], naam="Gemeente Alkmaar", ingevuld=dt.date(2025, 11, 1))
    scores = volwassenheid.scores(pd.concat([questionnaire(), renamed]))
    assert scores["organisatie"].unique().tolist() == ["Gemeente Alkmaar"]


def test_scores_refuses_no_answers():
    with pytest.raises(ValueError, match="no answers"):
        volwassenheid.scores(questionnaire().iloc[:0])


def test_hide_small_per_organisatie_and_rank():
    # aanbieder X: the questionnaire's answers (3 respondents); aanbieder Y: two respondents (below drempel 3);
    # aanbieder Z: three respondents at level 3 everywhere.
    x = questionnaire(code="11111111", naam="X", soort="aanbieder")
    y = questionnaire([(r, "K-07", "IT", 4, 4) for r in "pq"] + [(r, "K-01", "strategie en beleidsvorming", 4, 4)
                                                                 for r in "pq"], code="22222222", naam="Y",
                      soort="aanbieder")
    z = questionnaire([(r, v, p, 3, 3) for r in "uvw" for v, p in (("K-01", "strategie en beleidsvorming"),
                                                                   ("K-07", "IT"))], code="33333333", naam="Z",
                      soort="aanbieder")
    scores = volwassenheid.scores(pd.concat([x, y, z]))
    shown = volwassenheid.hide_small(scores, drempel=3)
    assert sorted(shown["organisatie"].unique()) == ["X", "Z"]
    orgs = volwassenheid.per_organisatie(scores, model="kmm")
    xrow = orgs[orgs["organisatie"] == "X"].iloc[0]
    # X: mean over pillars (8/3 + 4/3) / 2 = 2.0; weakest IT 4/3; balans 8/3 − 4/3 = 4/3; gap (7/6 + 5/3) / 2 = 17/12
    assert xrow[["huidig_gem", "laagste_niveau", "balans", "gap"]].tolist() == pytest.approx([2.0, 4 / 3, 4 / 3, 17 / 12])
    assert xrow["laagste_pijler"] == "IT" and list(orgs.columns[-2:]) == ["strategie en beleidsvorming", "IT"]
    ranked = volwassenheid.rank(orgs, drempel=3)
    assert ranked["organisatie"].tolist() == ["Z", "X", "Y"]  # Z 3.0 > X 2.0; Y (2 respondents) last, unranked
    assert ranked["rang"].tolist()[:2] == [1, 2] and pd.isna(ranked["rang"].iloc[2])
    with pytest.raises(ValueError, match="no scores for 'inkoopontwikkelmodel'"):
        volwassenheid.per_organisatie(scores, model="inkoopontwikkelmodel")


def test_rank_breaks_a_tie_by_the_weakest_pillar():
    even = questionnaire([(r, v, p, 2, 3) for r in "abc" for v, p in (("K-01", "strategie en beleidsvorming"),
                                                                      ("K-07", "IT"))], code="11111111", naam="Even",
                         soort="aanbieder")
    skewed = questionnaire([(r, v, p, h, 3) for r in "abc" for v, p, h in (("K-01", "strategie en beleidsvorming", 3),
                                                                           ("K-07", "IT", 1))],
                           code="22222222", naam="Scheef", soort="aanbieder")
    orgs = volwassenheid.per_organisatie(volwassenheid.scores(pd.concat([skewed, even])), model="kmm")
    assert volwassenheid.rank(orgs, drempel=3)["organisatie"].tolist() == ["Even", "Scheef"]  # both 2.0; 2 > 1


# --- the warehouse: the view, the latest scan, the checks across files ----------------------------------------

def _row(**kw) -> dict:
    return {"regio": "Noord-Kennemerland", "respondent": "a", "organisatie": "Alkmaar", "organisatie_soort": "gemeente",
            "organisatie_code": "GM0361", "model": "kmm", "pijler": "IT", "vraag": "K-07", "huidig": 2, "ambitie": 3,
            "ingevuld": OKT, "waar": "line 2"} | kw


def test_answers_keep_each_organisations_latest_scan_and_its_region():
    con = fixture_warehouse({"volwassenheid": [
        _row(respondent="old", ingevuld=dt.date(2024, 3, 1), huidig=1),     # a year and a half before: an older scan
        _row(respondent="new", ingevuld=OKT, huidig=3),
        _row(respondent="late", ingevuld=dt.date(2026, 2, 1), huidig=4),    # after the report's end
        _row(respondent="bergen", organisatie_code="GM0373", ingevuld=dt.date(2024, 11, 1)),  # its only scan
        _row(respondent="zorg", organisatie_code="12345678", organisatie_soort="aanbieder"),
        _row(respondent="venlo", regio="Noord Limburg", organisatie_code="GM0983"),
    ]})
    got = volwassenheid.answers(con, regio="Noord-Kennemerland", tot=dt.date(2025, 12, 31))
    assert sorted(got["respondent"]) == ["bergen", "new", "zorg"]
    earlier = volwassenheid.answers(con, regio="Noord-Kennemerland", tot=dt.date(2024, 6, 30))
    assert earlier["respondent"].tolist() == ["old"]
    own = volwassenheid.answers(con, regio="Noord-Kennemerland", tot=dt.date(2025, 12, 31),
                                soorten=volwassenheid.EIGEN_ORGANISATIE)
    assert sorted(own["respondent"]) == ["bergen", "new"]
    assert "waar" not in con.sql("SELECT * FROM volwassenheid").columns


HEADER = "respondent,organisatie,organisatie_soort,organisatie_code,rol,model,pijler,vraag,huidig,ambitie,ingevuld\n"


def test_a_respondent_answering_twice_across_files(tmp_path: Path):
    folder = tmp_path / "raw" / "volwassenheid" / "noord-kennemerland"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_text(HEADER +
                                  "r1,Alkmaar,gemeente,GM0361,,kmm,IT,K-07,2,3,2025-10-01\n"          # line 2: kept
                                  "r1,Alkmaar,gemeente,GM0361,,kmm,IT,K-08,2,3,2025-10-01\n"          # line 3: conflict
                                  "r2,Venlo,gemeente,GM0983,,kmm,IT,K-07,2,3,2025-10-01\n"            # line 4: region
                                  "r3,Nergens,gemeente,GM0999,,kmm,IT,K-07,2,3,2025-10-01\n"          # line 5: no gemeente
                                  "r4,Heiloo,gemeente,GM0399,,kmm,IT,K-07,1,2,2025-10-01\n"           # line 6: fine
                                  "r4,Heiloo,gemeente,GM0399,,kmm,IT,K-07,1,2,2025-10-01\n")          # line 7: repeat
    (folder / "b.csv").write_text(HEADER +
                                  "r1,Alkmaar,gemeente,GM0361,,kmm,IT,K-07,2,3,2025-10-02\n"          # line 2: repeat
                                  "r1,Alkmaar,gemeente,GM0361,,kmm,IT,K-08,3,3,2025-10-02\n"          # line 3: conflict
                                  "r1,Alkmaar,gemeente,GM0361,,kmm,IT,K-08,3,3,2025-10-02\n")         # line 4: conflict
    report_ = build(tmp_path / "raw", tmp_path / "w.duckdb", secret="a test secret of at least thirty-two characters", workers=1)
    assert {f["path"]: (f["rows_read"], f["rows_loaded"], f["rows_quarantined"]) for f in report_.files} == {
        "volwassenheid/noord-kennemerland/a.csv": (6, 2, 4), "volwassenheid/noord-kennemerland/b.csv": (3, 0, 3)}
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        loaded = con.sql("SELECT respondent, vraag FROM volwassenheid ORDER BY ALL").fetchall()
        quarantine = dict(con.sql("SELECT l.pad || ' ' || q.waar, q.reden FROM quarantaine q JOIN laadlog l "
                                  "USING (file_id)").fetchall())
    assert loaded == [("r1", "K-07"), ("r4", "K-07")]
    a, b = "volwassenheid/noord-kennemerland/a.csv", "volwassenheid/noord-kennemerland/b.csv"
    assert quarantine[f"{a} line 4"] == ("gemeente GM0983 is not in jeugdzorgregio Noord-Kennemerland "
                                         "(the folder of the file)")
    assert quarantine[f"{a} line 5"].startswith("gemeente GM0999 is not a CBS gemeente code")
    assert quarantine[f"{a} line 7"] == (f"respondent r4 gave this answer to kmm question K-07 already in {a} line 6: "
                                         "loaded once")
    assert quarantine[f"{b} line 2"] == (f"respondent r1 gave this answer to kmm question K-07 already in {a} line 2: "
                                         "loaded once")
    conflict = (f"respondent r1 answered kmm question K-08 differently more than once ({a} line 3; {b} line 3): "
                "every copy quarantined")
    assert quarantine[f"{a} line 3"] == conflict and quarantine[f"{b} line 3"] == conflict
    assert quarantine[f"{b} line 4"].startswith(f"respondent r1 gave this answer to kmm question K-08 already in {b} line 3")


# --- the board report ------------------------------------------------------------------------------------------

SCAN = dict(niveaus_kmm="pionier, proces, systeem, keten",
            niveaus_inkoop="transactiegericht, commercieel, gecoördineerd, intern, extern, waardeketen",
            tussendoel_kmm=0, tussendoel_inkoop=0, drempel_respondenten=3, gap_drempel=1.0, rwg_drempel=0.7)


@pytest.fixture(scope="module")
def rapport(demo_warehouse):
    return report.check_parameters(warehouse=demo_warehouse, periode="2025-12", regio="Noord-Kennemerland")


def test_check_scan_reads_the_parameters(rapport):
    scan = report.check_scan(rapport, **SCAN | {"tussendoel_inkoop": 4})
    assert scan.niveaus["kmm"] == ("pionier", "proces", "systeem", "keten")
    assert scan.niveaus["inkoopontwikkelmodel"][2] == "gecoördineerd"
    assert scan.tussendoel == {"kmm": None, "inkoopontwikkelmodel": 4} and scan.drempel == 3


@pytest.mark.parametrize(("change", "message"), [
    ({"niveaus_kmm": "pionier, proces, keten"}, "niveaus_kmm: expected 4 level names"),
    ({"niveaus_inkoop": "a, b, , d, e, f"}, "niveaus_inkoop: expected 6 level names"),
    ({"tussendoel_kmm": 5}, "tussendoel_kmm: expected 0 .automatic. or a level from 1 to 4"),
    ({"tussendoel_inkoop": 2.0}, "tussendoel_inkoop: expected 0"),
    ({"drempel_respondenten": 0}, "drempel_respondenten: expected a whole number >= 1"),
    ({"gap_drempel": -1.0}, "gap_drempel: expected a number >= 0"),
    ({"rwg_drempel": 1.5}, "rwg_drempel: expected a number from 0 to 1"),
])
def test_check_scan_refuses_with_the_parameters_name(rapport, change, message):
    with pytest.raises(ValueError, match=message):
        report.check_scan(rapport, **SCAN | change)


def test_check_scan_refuses_a_periode_before_any_scan(demo_warehouse):
    early = report.check_parameters(warehouse=demo_warehouse, periode="2025-06", regio="Noord-Kennemerland")
    with pytest.raises(ValueError, match="regio: no maturity-scan answers .* up to juni 2025"):
        report.check_scan(early, **SCAN)


def _scan(drempel: int = 3):
    return report.ScanOpties(niveaus={"kmm": KMM.niveaus, "inkoopontwikkelmodel": INKOOPONTWIKKELMODEL.niveaus},
                             tussendoel={"kmm": None, "inkoopontwikkelmodel": None}, drempel=drempel,
                             gap_drempel=1.5, rwg_drempel=0.7)


def test_tabel_pijlers_largest_gap_first_with_level_names():
    scores = volwassenheid.add_tussendoel(volwassenheid.scores(questionnaire(), by=()), by=())
    table = report.tabel_pijlers(scores, scan=_scan())
    assert table["Pijler"].tolist() == ["IT", "strategie en beleidsvorming"]
    assert table.iloc[0][["Respondenten", "Huidig", "Ambitie", "Gat", "Overeenstemming (r_wg)"]].tolist() == [
        "3", "1,3", "3,0", "1,7", "0,73"]
    assert table["Van → naar"].tolist() == ["pionier → systeem", "systeem → keten"]  # 1.33 -> 1, 3.83 -> 4
    hidden = report.tabel_pijlers(scores, scan=_scan(drempel=4))
    assert hidden["Huidig"].tolist() == ["x", "x"] and hidden["Van → naar"].tolist() == ["–", "–"]


def test_the_gap_is_the_difference_of_the_levels_as_shown():
    scores = volwassenheid.add_tussendoel(volwassenheid.scores(questionnaire(), by=()), by=())
    it, strategie = ((scores["pijler"] == p).to_numpy() for p in ("IT", "strategie en beleidsvorming"))
    scores.loc[it, ["huidig_gem", "ambitie_gem", "gap"]] = [1.84, 3.25, 3.25 - 1.84]  # shown 1,8 and 3,3
    scores.loc[strategie, ["huidig_gem", "ambitie_gem", "gap"]] = [2.36, 3.35, 3.35 - 2.36]  # 2,4 and 3,4: 0,99
    scan = dataclasses.replace(_scan(), gap_drempel=1.0)
    table = report.tabel_pijlers(scores, scan=scan)
    assert table[["Pijler", "Huidig", "Ambitie", "Gat"]].values.tolist() == [
        ["IT", "1,8", "3,3", "1,5"], ["strategie en beleidsvorming", "2,4", "3,4", "1,0"]]
    html = report.samenvatting_volwassenheid(questionnaire(), scores, volwassenheid.scores(questionnaire()).iloc[:0],
                                             scan=scan)
    assert "2 van de 2 pijlers hebben een gat van minstens 1,0" in html


def test_tabel_organisaties_side_by_side_and_suppressed():
    bergen = questionnaire([("d", "K-07", "IT", 4, 4)], code="GM0373", naam="Bergen (NH.)")
    scores = volwassenheid.scores(pd.concat([bergen, questionnaire()]))
    table = report.tabel_organisaties(scores, model="kmm", scan=_scan())
    assert table.columns.tolist() == ["Organisatie", "Respondenten", "strategie en beleidsvorming", "IT",
                                      "Gem. huidig", "Gem. gat"]
    # Alkmaar: 8/3, 4/3, mean 2.0, gap (7/6 + 5/3) / 2 = 17/12; Bergen: one respondent, nothing shown
    assert table.values.tolist() == [["Alkmaar", "3", "2,7", "1,3", "2,0", "1,4"],
                                     ["Bergen (NH.)", "x", "x", "x", "x", "x"]]  # the whole row
    none = report.tabel_organisaties(scores, model="inkoopontwikkelmodel", scan=_scan())
    assert none["Organisatie"].tolist() == ["Geen antwoorden op het Inkoopontwikkelmodel"]


def test_tabel_organisaties_headers_break_inside_long_pillar_names():
    # The inkoopontwikkelmodel's table ran past the page: "leveranciersmanagement" and its like cannot break in a
    # browser offline (no Dutch hyphenation), so their headers carry a soft hyphen; the figures stay as they are.
    shy = "\N{SOFT HYPHEN}"
    rows = [(r, f"I-{i}", p, 2 + (r == "c"), 4) for r in "abc" for i, p in enumerate(INKOOPONTWIKKELMODEL.pijlers)]
    scores = volwassenheid.scores(questionnaire(rows, model_code="inkoopontwikkelmodel"))
    table = report.tabel_organisaties(scores, model="inkoopontwikkelmodel", scan=_scan())
    assert table.columns.tolist() == [
        "Organisatie", "Respondenten", "strategie", f"organisatie{shy}structuur", f"inkoop{shy}proces",
        f"leveranciers{shy}management", "sturing en methodologie", f"informatie{shy}systemen en tools",
        "persoonlijke competenties", "Gem. huidig", "Gem. gat"]
    assert table.values.tolist() == [["Alkmaar", "3", *["2,3"] * 7, "2,3", "1,7"]]  # (2 + 2 + 3) / 3, 4 − 7/3
    words = [part for column in table.columns for word in column.split() for part in word.split(shy)]
    assert max(map(len, words)) == len("Respondenten")  # no header word wider than the one every table has
    assert f"<th>leveranciers{shy}management</th>" in analysis.display.table_html(table)
    hidden = report.tabel_organisaties(scores, model="inkoopontwikkelmodel", scan=_scan(drempel=4))
    assert hidden.iloc[0].tolist() == ["Alkmaar", *["x"] * 10]


def test_tabel_aanbieders_ranks_and_hides_small_ones():
    x = questionnaire(code="11111111", naam="<b>X</b>", soort="aanbieder")
    y = questionnaire([("p", "K-07", "IT", 4, 4)], code="22222222", naam="Y", soort="aanbieder")
    table = report.tabel_aanbieders(volwassenheid.scores(pd.concat([x, y])), scan=_scan())
    assert table["Rang"].tolist() == ["1", "geen oordeel"] and table["Aanbieder"].tolist() == ["<b>X</b>", "Y"]
    assert table.iloc[0][["Gem. huidig", "Zwakste pijler", "Gem. gat"]].tolist() == ["2,0", "IT", "1,4"]
    assert table.iloc[1][["Respondenten", "Gem. huidig", "Zwakste pijler"]].tolist() == ["x", "x", "–"]
    empty = report.tabel_aanbieders(volwassenheid.scores(x).iloc[:0], scan=_scan())
    assert empty["Aanbieder"].tolist() == ["Geen aanbieder vulde het KMM in"]


def test_samenvatting_leads_with_the_largest_gap():
    answers = questionnaire()
    scores = volwassenheid.add_tussendoel(volwassenheid.scores(answers, by=()), by=())
    html = report.samenvatting_volwassenheid(answers, scores, volwassenheid.scores(answers).iloc[:0], scan=_scan())
    first = html.split('<p class="uitzondering">')[1]
    assert "1 van de 2 pijlers heeft een gat van minstens 1,5" in first and "IT (KMM, van 1,3 naar 3,0)" in first
    assert "Bij 1 pijler zijn de respondenten het oneens" in html  # strategie: r_wg 0.47 < 0.7
    assert "KMM: gemiddeld 2,0 (proces), ambitie 3,4 (systeem); tussendoel: alle pijlers naar niveau 3 (systeem)." in html
    assert "Geen aanbieder vulde het KMM in." in html
    assert '<span class="kerncijfer">3</span> <span class="label">respondenten van gemeenten en regio</span>' in html


def _texts(ax, gid: str) -> list:
    return [t for t in ax.texts if t.get_gid() == gid]


def test_radar_draws_the_three_phases_per_pillar():
    scores = volwassenheid.add_tussendoel(volwassenheid.scores(questionnaire(), by=()), by=())
    fig = plots.radar(scores, model="kmm", niveaus=KMM.niveaus, titel="KMM $regio")
    ax = fig.axes[0]
    assert [t.get_text() for t in _texts(ax, "ring")] == ["1", "2", "3", "4"]  # the rings, numbered
    names = [t.get_text() for t in _texts(ax, "pijler")]
    assert names[:2] == ["strategie en\nbeleidsvorming", "organisatie en\nprocessen"]  # wrapped at 16 characters
    assert fig.legends[0].get_title().get_text() == "Ringen (niveaus): 1 pionier · 2 proces · 3 systeem · 4 keten"
    huidig, tussendoel, ambitie = (np.hypot(line.get_xdata(), line.get_ydata()) for line in ax.lines)
    # five KMM pillars, closed: strategie 8/3, organisatie (no answers), besturing (none), IT 4/3, mens (none)
    assert huidig[0] == pytest.approx(8 / 3) and huidig[3] == pytest.approx(4 / 3) and pd.isna(huidig[1])
    assert len(huidig) == 6 and huidig[-1] == huidig[0]
    assert np.allclose(tussendoel[~pd.isna(tussendoel)], 3.0) and ambitie[3] == pytest.approx(3.0)
    # IT is the fourth of five pillars: 216 degrees clockwise from the top, so left of the middle and below it
    x, y = ax.lines[0].get_xdata()[3], ax.lines[0].get_ydata()[3]
    assert (x, y) == pytest.approx((4 / 3 * np.sin(np.radians(216)), 4 / 3 * np.cos(np.radians(216))))
    assert x < 0 and y < 0
    assert ax.get_title() == "KMM $regio" and not ax.title.get_parse_math()  # a $ in a name is text, not mathtext
    with pytest.raises(KeyError):
        plots.radar(scores.drop(columns="tussendoel"), model="kmm", niveaus=KMM.niveaus, titel="t")
    empty = plots.radar(scores, model="inkoopontwikkelmodel", niveaus=INKOOPONTWIKKELMODEL.niveaus, titel="t")
    assert len(empty.axes[0].lines) == 0 and "geen antwoorden" in [t.get_text() for t in empty.axes[0].texts]


def test_radar_points_and_directions_by_hand():
    # four pillars: top, right, bottom, left; levels 1-4 closed back to the first
    x, y = radar.punten(radar.angles(4), np.array([1.0, 2.0, np.nan, 4.0]))
    assert x == pytest.approx([0, 2, np.nan, -4, 0], nan_ok=True)
    assert y == pytest.approx([1, 0, np.nan, 0, 1], nan_ok=True, abs=1e-12)


LANGE_NIVEAUS = ("helemaal nog niet begonnen", "voorzichtig op weg naar", "halverwege de ontwikkeling",
                 "bijna volledig ontwikkeld", "volledig ontwikkeld en geborgd", "voorbeeld voor de hele sector")


def _drawn(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    return renderer


@pytest.mark.parametrize("code", ["kmm", "inkoopontwikkelmodel"])
@pytest.mark.parametrize("lang", [False, True], ids=["eigen niveaus", "lange niveaus"])
def test_no_text_of_a_radar_overlaps_another(code: str, lang: bool):
    # The rings used to carry "5 extern geïntegreerd" beside the radial axis, 1.5 pixels under the second pillar's
    # name; now they carry their number and the legend names the levels, for any level names.
    analysis.setup()
    model_ = MODELLEN[code]
    niveaus = LANGE_NIVEAUS[:model_.hoogste] if lang else model_.niveaus
    scores = pd.DataFrame({"model": code, "pijler": model_.pijlers, "huidig_gem": 1.5, "tussendoel": 2.0,
                           "ambitie_gem": [model_.hoogste - (i % 2) for i in range(len(model_.pijlers))]})
    fig = plots.radar(scores, model=code, niveaus=niveaus, titel="Een titel van een regio met een lange naam")
    renderer = _drawn(fig)
    ax, legend = fig.axes[0], fig.legends[0]
    rings, names = _texts(ax, "ring"), _texts(ax, "pijler")
    texts = [t for t in [*rings, *names, ax.title, legend.get_title(), *legend.get_texts()] if t.get_text()]
    boxes = [t.get_window_extent(renderer).padded(2) for t in texts]  # at least 4 pixels apart (100 dpi)
    overlaps = [(a.get_text(), b.get_text()) for i, (a, box_a) in enumerate(zip(texts, boxes))
                for b, box_b in zip(texts[i + 1:], boxes[i + 1:]) if box_a.overlaps(box_b)]
    assert overlaps == []
    assert len(rings) == model_.hoogste and len(names) == len(model_.pijlers)
    assert len(texts) == model_.hoogste + len(model_.pijlers) + 5
    key = " ".join(legend.get_title().get_text().split())
    assert all(f"{i} {n}" in key for i, n in enumerate(niveaus, 1))  # every level named, none cut
    figure = fig.bbox
    assert all(figure.x0 <= box.x0 and box.x1 <= figure.x1 for box in boxes)  # nothing runs off the sides
    assert all(figure.y0 <= box.y0 and box.y1 <= figure.y1 for box in boxes)  # nor off the top or bottom


def test_a_radar_title_is_drawn_above_the_pillar_names():
    # The top pillar's name stands above the web, at the axes' edge; the title goes above that name.
    analysis.setup()
    scores = volwassenheid.add_tussendoel(volwassenheid.scores(questionnaire(), by=()), by=())
    for fig in (plots.radar(scores, model="kmm", niveaus=KMM.niveaus, titel="KMM"),
                plots.radars(volwassenheid.add_tussendoel(volwassenheid.scores(questionnaire())), model="kmm",
                             niveaus=KMM.niveaus, titel="KMM per organisatie")):
        renderer = _drawn(fig)
        ax = fig.axes[0]
        top_label = max(t.get_window_extent(renderer).y1 for t in _texts(ax, "pijler"))
        assert ax.title.get_window_extent(renderer).y0 >= top_label


def test_radars_one_per_organisation():
    two = pd.concat([questionnaire(), questionnaire(code="GM0373", naam="Bergen (NH.)")])
    fig = plots.radars(volwassenheid.add_tussendoel(volwassenheid.scores(two)), model="kmm", niveaus=KMM.niveaus,
                       titel="KMM per organisatie", ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["Alkmaar", "Bergen (NH.)"] and len(fig.axes) == 3
    assert all(len(ax.lines) == 3 for ax in visible) and "1 strategie en beleidsvorming" in fig.get_suptitle()
    assert [t.get_text() for t in _texts(visible[0], "pijler")] == ["1", "2", "3", "4", "5"]



def test_a_long_organisation_name_stays_inside_its_column_and_the_figure():
    # "Regionaal inkoopbureau Noord Limburg" on one line ran past the last column, and past the figure's edge
    lang = "Regionaal inkoopbureau Noord Limburg en de gemeenten eromheen"
    four = pd.concat([questionnaire(code=f"GM{i:04d}", naam=lang if i == 3 else f"Gemeente {i}") for i in range(4)])
    fig = plots.radars(volwassenheid.add_tussendoel(volwassenheid.scores(four)), model="kmm", niveaus=KMM.niveaus,
                       titel="KMM per organisatie")
    title = fig.axes[3].get_title()
    assert title == "Regionaal inkoopbureau\nNoord Limburg en de…" and all(len(line) <= 25 for line in title.split("\n"))
    renderer = _drawn(fig)
    tight, outer = fig.get_tightbbox(renderer), fig.bbox_inches
    assert outer.x0 <= tight.x0 and tight.x1 <= outer.x1 and outer.y0 <= tight.y0 and tight.y1 <= outer.y1

# --- the demo --------------------------------------------------------------------------------------------------

def test_demo_scans_are_not_scaled_and_carry_their_flaws(demo_warehouse):
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        per_org = con.sql("""SELECT regio, organisatie_soort, organisatie_code, count(DISTINCT respondent) AS n,
                                    list(DISTINCT model ORDER BY model) AS modellen
                             FROM volwassenheid GROUP BY ALL""").df()
        reasons = [r for (r,) in con.sql("SELECT reden FROM quarantaine WHERE tabel = 'volwassenheid'").fetchall()]
    assert per_org["n"].between(3, 8).all()  # at scale 0.01 too
    counts = per_org.groupby(["regio", "organisatie_soort"]).size().to_dict()
    assert counts == {("Noord Limburg", "aanbieder"): 12, ("Noord Limburg", "gemeente"): 7, ("Noord Limburg", "regio"): 1,
                      ("Noord-Kennemerland", "aanbieder"): 12, ("Noord-Kennemerland", "gemeente"): 6,
                      ("Noord-Kennemerland", "regio"): 1}  # Heerhugowaard and Langedijk merged in 2022
    aanbieders = per_org[per_org["organisatie_soort"] == "aanbieder"]
    assert all(list(m) == ["kmm"] for m in aanbieders["modellen"])
    assert sum("outside the kmm scale" in r for r in reasons) == 1
    assert sum("differently more than once" in r for r in reasons) == 2
    assert sum(r.endswith("loaded once") for r in reasons) == 2 * len(KMM.pijlers) - 1  # 10 answers, 1 changed
    assert set(MODELLEN) == {"kmm", "inkoopontwikkelmodel"}
