"""The datakwaliteit report on the tiny demo: a figure about fewer than ``min_clienten`` clients appears in no
table, no chart's data and no sentence, and no hidden row can be recovered from a total.

The small cells are found here from the measures themselves (unhidden); the notebook's cells run in this
process (:mod:`notebook_cells`), so the charts' lines and bars can be searched too.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from notebook_cells import Getoond, run_notebook

from analysis import datakwaliteit as dq
from analysis.display import eur, number, pct

MIN = 10
REGIO = "Noord-Kennemerland"
PERIODE = "2025-12"


def _klein(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["clienten"] > 0) & (frame["clienten"] < MIN)]


@pytest.fixture(scope="module")
def shown(demo_warehouse) -> Getoond:
    return run_notebook("datakwaliteit", {"regio": REGIO, "warehouse": str(demo_warehouse), "periode": PERIODE})


@pytest.fixture(scope="module")
def con(shown):
    return shown.namespace["rapport"].con  # the report's own read-only connection


@pytest.fixture(scope="module")
def waar(shown) -> dict:
    return dict(regio=REGIO, peildatum=shown.namespace["rapport"].einde)


def _table(shown: Getoond, column: str, *, rij: str = "Aanbieder") -> pd.DataFrame:
    (table,) = [v for v in shown.waarden if isinstance(v, pd.DataFrame) and {column, rij} <= set(v.columns)]
    return table


def _figure(shown: Getoond, titel: str) -> Figure:
    (fig,) = [v for v in shown.waarden if isinstance(v, Figure) and fig_title(v).startswith(titel)]
    return fig


def fig_title(fig: Figure) -> str:
    return fig.axes[0].get_title() if fig.axes else ""


def _measures(con, waar) -> dict[str, pd.DataFrame]:
    """The per-aanbieder measures the tables, bar charts and summary show, unhidden."""
    per = dict(waar, by=("aanbieder_agb",), tijdvak=None)
    return {"Regels beantwoord": dq.declaratiekwaliteit(con, **per),
            "Eerste declaraties": dq.declaratievertraging(con, **per),
            "Maanden met zorg": dq.maanddeclaraties_telling(con, **waar, by=("aanbieder_agb",))}


def test_small_aanbieders_show_no_figure_and_cannot_be_recovered(shown, con, waar):
    for column, frame in _measures(con, waar).items():
        small = _klein(frame)
        assert len(small), f"{column}: no small cell in the fixture, the test would prove nothing"
        table = _table(shown, column)
        hidden = table[table["Aanbieder"].isin(set(small["aanbieder_naam"]))]
        assert len(hidden) == len(small) and (hidden.drop(columns="Aanbieder") == "x").all().all(), column
        # the region's totals are shown: the hidden rows are never one, and hold at least MIN clients together
        gone = frame[frame["aanbieder_naam"].isin(table.loc[table["Cliënten"] == "x", "Aanbieder"])]
        assert len(gone) >= 2 and gone["clienten"].sum() >= MIN, column
        # and they come last, by name: their place in a worst-first table says nothing
        assert table["Aanbieder"].tolist()[-len(gone):] == sorted(gone["aanbieder_naam"]), column


def test_the_summary_names_no_small_aanbieder_or_gemeente(shown, con, waar):
    summary = next(str(v) for v in shown.waarden if type(v).__name__ == "Samenvatting")
    measures = _measures(con, waar)
    vertraging = measures["Eerste declaraties"]
    late_and_small = _klein(vertraging[vertraging["aandeel_na_norm_pct"] > 10])
    assert len(late_and_small), "no small aanbieder that declares late: the test would prove nothing"
    for frame in measures.values():
        for naam in _klein(frame)["aanbieder_naam"]:
            assert f"{html.escape(naam)} (" not in summary, naam  # named with a figure in brackets
    antwoord = dq.antwoordtermijn(con, **waar, by=("gemeente_code_huidig",), tijdvak=None)
    small = _klein(antwoord)
    assert len(small)
    namen = shown.namespace["rapport"].gemeenten.set_index("gemeente_code")["gemeentenaam"]
    for code, row in small.set_index("gemeente_code_huidig").iterrows():
        assert f"{html.escape(namen[code])} ({pct(row['aandeel_binnen_norm_pct'])}" not in summary
    assert "Bergen (NH.) (0,0%, mediaan" in summary  # a gemeente with enough clients is named


@pytest.mark.parametrize("titel, column", [("Afgewezen declaratieregels per aanbieder", "Regels beantwoord"),
                                           ("Declaratievertraging per aanbieder", "Eerste declaraties"),
                                           ("Maanddeclaraties op tijd per aanbieder", "Maanden met zorg")])
def test_bar_charts_leave_small_aanbieders_out(shown, con, waar, titel, column):
    fig = _figure(shown, titel)
    labels = {t.get_text() for t in fig.axes[0].get_yticklabels()}
    small = set(_klein(_measures(con, waar)[column])["aanbieder_naam"])
    assert labels and small and not labels & small
    assert any(t.get_text().startswith("Niet getoond") for t in fig.texts)


def _lines(fig: Figure) -> dict[str, tuple[list[str], np.ndarray]]:
    return {line.get_label(): (list(line.get_xdata()), np.asarray(line.get_ydata(), dtype="float64"))
            for line in fig.axes[0].get_lines()}


def _kwartaal(day) -> str:
    day = pd.Timestamp(day)
    return f"{day.year} K{day.quarter}"


@pytest.mark.parametrize("titel, measure, label", [
    ("Afgewezen declaratieregels per gemeente en kwartaal", "kwaliteit", "gemeente_code_huidig"),
    ("Antwoordtermijn per gemeente en kwartaal", "antwoord", "gemeente_code_huidig"),
    ("Afgewezen regels per retourcode en kwartaal", "retourcodes", "retourcode")])
def test_lines_over_time_have_a_gap_at_every_small_cell(shown, con, waar, titel, measure, label):
    per = dict(waar, tijdvak="kwartaal")
    frame = {"kwaliteit": lambda: dq.declaratiekwaliteit(con, **per, by=("gemeente_code_huidig",)),
             "antwoord": lambda: dq.antwoordtermijn(con, **per, by=("gemeente_code_huidig",)),
             "retourcodes": lambda: dq.retourcodes_per_maand(con, **per, by=())}[measure]()
    small = _klein(frame)
    assert len(small), f"{titel}: no small cell in the fixture"
    names = shown.namespace["rapport"].gemeenten.set_index("gemeente_code")["gemeentenaam"].to_dict()
    lines = _lines(_figure(shown, titel))
    for _, row in small.iterrows():
        name = names.get(row[label], row[label]) if label == "gemeente_code_huidig" else row[label]
        if name not in lines:  # hidden in every quarter: no line at all
            continue
        x, y = lines[name]
        assert np.isnan(y[x.index(_kwartaal(row["kwartaal"]))]), (name, row["kwartaal"])


def test_quarter_table_hides_small_aanbieder_quarters(shown, con, waar):
    frame = dq.declaratiekwaliteit(con, **waar, by=("aanbieder_agb",), tijdvak="kwartaal")
    small = _klein(frame)
    assert len(small)
    table = _table(shown, "2025 K1").set_index("Aanbieder")
    for _, row in small.iterrows():
        assert table.loc[row["aanbieder_naam"], _kwartaal(row["kwartaal"])] == "x"


@pytest.mark.parametrize(("kwartalen", "jaar", "rij"), [("aanbieder_kwartaal", "kwaliteit", "aanbieder_agb"),
                                                        ("codes_kwartaal", "codes", "retourcode"),
                                                        ("antwoord_kwartaal", "antwoord", "gemeente_code_huidig")])
def test_no_hidden_quarter_is_its_years_figure_minus_the_others(shown, kwartalen, jaar, rij):
    """A row the year's table hides shows no quarter; a row it shows hides no quarter, or at least two (its year
    total minus the shown quarters would give a single one away); each quarter hides none or at least two."""
    quarters, year = shown.namespace[kwartalen], shown.namespace[jaar]
    hidden_years = set(year.loc[year["verborgen"], rij])
    for key, row in quarters.groupby(rij):
        if key in hidden_years:
            assert row["verborgen"].all(), key
        else:
            assert row["verborgen"].sum() != 1, key
    for quarter, column in quarters.groupby("kwartaal"):
        assert column["verborgen"].sum() != 1, quarter


def test_retourcodes_of_few_clients_show_no_amount(shown, con, waar):
    per_aanbieder = dq.retourcodes_per_maand(con, **waar, by=("aanbieder_agb",), tijdvak=None)
    region = dq.retourcodes_per_maand(con, **waar, by=(), tijdvak=None)
    cents = [int(c) for c in [*_klein(per_aanbieder)["afgewezen_cent"], *_klein(region)["afgewezen_cent"]]
             if abs(c) >= 10_000]  # amounts of at least EUR 100: no coincidence with another figure
    assert cents
    for value in cents:
        assert not shown.bevat_tekst(eur(value)) and not shown.bevat_getal(float(value)), eur(value)
    table = _table(shown, "Omschrijving", rij="Retourcode")  # the region's codes
    for code in _klein(region)["retourcode"]:
        assert (table.loc[table["Retourcode"] == code, ["Regels", "Cliënten"]] == "x").all().all()
    assert not any(number(c) == t for c in _klein(region)["clienten"] for t in table["Cliënten"])


def test_no_client_id_in_anything_shown(shown, con):
    ids = {i for (i,) in con.sql("SELECT DISTINCT client_id FROM declaratieregel LIMIT 200").fetchall()}
    assert ids and not any(i in t for t in shown.teksten for i in ids)
