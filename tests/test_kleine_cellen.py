"""Small cells: primary and secondary suppression, pooling, cell markers and the board table, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.display import format_table
from analysis.report import kleine_cellen as kc


def _domeinen(clienten, cents=(900, 500, 100)):
    return pd.DataFrame({"domein": ["Jeugd", "Wmo", "BW"][:len(clienten)], "clienten": list(clienten),
                         "toegekend_cent": list(cents)[:len(clienten)]})


def test_primary_alone_hides_only_the_small_row_without_a_total():
    out = kc.verberg(_domeinen([120, 40, 3]), min_clienten=10, totaal=False)
    assert out["verborgen"].tolist() == [False, False, True]
    assert out["toegekend_cent"].tolist()[:2] == [900, 500] and pd.isna(out["toegekend_cent"].iloc[2])
    assert pd.isna(out["clienten"].iloc[2]) and out.attrs["min_clienten"] == 10


def test_secondary_hides_the_smallest_shown_row_when_one_is_hidden():
    # total 163 shown: 163 - 120 - 40 would give BW's 3 away, so Wmo (40, the smallest shown) goes too
    out = kc.verberg(_domeinen([120, 40, 3]), min_clienten=10)
    assert out["verborgen"].tolist() == [False, True, True]


def test_secondary_goes_on_until_the_hidden_rows_hold_enough_clients():
    # 4 + 3 = 7 < 10 clients hidden: the next smallest (50) is hidden too
    out = kc.verberg(_domeinen([50, 4, 3]), min_clienten=10)
    assert out["verborgen"].tolist() == [True, True, True]
    # 0 clients discloses nobody and is never hidden, nor picked as the second cell
    assert kc.verberg(_domeinen([50, 0, 3]), min_clienten=10)["verborgen"].tolist() == [True, False, True]


def test_secondary_works_per_group():
    frame = pd.DataFrame({"jaar": [2024, 2024, 2024, 2025, 2025, 2025], "domein": ["J", "W", "B"] * 2,
                          "clienten": [30, 20, 5, 30, 20, 15], "toegekend_cent": [1, 2, 3, 4, 5, 6]})
    out = kc.verberg(frame, min_clienten=10, groep=["jaar"])
    assert out["verborgen"].tolist() == [False, True, True, False, False, False]
    assert out["jaar"].tolist() == [2024, 2024, 2024, 2025, 2025, 2025]  # a group key is never hidden


def test_pooling_adds_one_row_with_the_hidden_sums():
    out = kc.verberg(_domeinen([120, 40, 3]), min_clienten=10, samenvoegen={"domein": "Overige"},
                     optellen=["toegekend_cent"])
    pooled = out[out["samengevoegd"]].iloc[0]
    assert (pooled["domein"], int(pooled["clienten"]), int(pooled["toegekend_cent"])) == ("Overige", 43, 600)
    assert out["toegekend_cent"].sum() == 900 + 600  # the visible rows and the pool add up to the whole


def test_rows_hidden_before_stay_hidden():
    frame = _domeinen([50, 30, 40]).assign(verborgen=[False, True, False])  # hidden elsewhere: 30 clients
    out = kc.verberg(frame, min_clienten=10)  # alone it would be recovered from the total: 40 hidden too
    assert out["verborgen"].tolist() == [False, True, True]
    assert kc.verberg(frame, min_clienten=10, totaal=False)["verborgen"].tolist() == [False, True, False]


def test_verberg_refuses_bad_arguments():
    with pytest.raises(ValueError, match="min_clienten"):
        kc.verberg(_domeinen([1]), min_clienten=0)
    with pytest.raises(KeyError, match="aantal"):
        kc.verberg(_domeinen([1]), min_clienten=10, aantal="respondenten")
    with pytest.raises(KeyError, match="groep"):
        kc.verberg(_domeinen([1]), min_clienten=10, groep=["jaar"])


def test_kleine_domeinen_over_years():
    frame = pd.DataFrame({"jaar": [2023, 2023, 2023, 2024, 2024, 2024], "domein": ["Jeugd", "Wmo", "BW"] * 2,
                          "clienten": [50, 30, 12, 50, 30, 4]})
    order = ["Jeugd", "Wmo", "BW"]
    # BW is small in 2024 only; alone it would be recovered, so Wmo (30 < 50) is hidden with it
    assert kc.kleine_domeinen(frame, jaren=[2023, 2024], min_clienten=10, domeinen=order) == ["Wmo", "BW"]
    assert kc.kleine_domeinen(frame, jaren=[2023], min_clienten=10, domeinen=order) == []


def test_kleine_domeinen_takes_domains_hidden_elsewhere_as_small_cells():
    frame = pd.DataFrame({"jaar": [2024] * 3, "domein": ["Jeugd", "Wmo", "BW"], "clienten": [50, 30, 20]})
    order = ["Jeugd", "Wmo", "BW"]
    assert kc.kleine_domeinen(frame, jaren=[2024], min_clienten=10, domeinen=order) == []
    # the region's table hides BW (20 clients): alone it would be the total minus Jeugd and Wmo, so Wmo too
    assert kc.kleine_domeinen(frame, jaren=[2024], min_clienten=10, domeinen=order,
                              vooraf={2024: ["BW"]}) == ["Wmo", "BW"]
    assert kc.kleine_domeinen(frame, jaren=[2024], min_clienten=10, domeinen=order, vooraf={2023: ["BW"]}) == []


def _raster(clienten: dict[str, list[int]]) -> pd.DataFrame:
    """Gemeenten (keys) x the domeinen Jeugd, Wmo, BW, one row per cell."""
    return pd.DataFrame([{"g": g, "d": d, "clienten": n} for g, row in clienten.items()
                         for d, n in zip(["Jeugd", "Wmo", "BW"], row)])


def test_verberg_kruis_hides_by_row_and_by_column_until_both_hold():
    frame = _raster({"A": [50, 30, 4], "B": [60, 40, 20], "C": [70, 45, 25]})
    hidden = frame[kc.verberg_kruis(frame, rij="g", kolom="d", min_clienten=10)]
    # A-BW (4) is small. Row A: with A's total, A-BW alone would be recovered: A-Wmo (30, A's smallest) too.
    # Column BW: with the region's BW total, A-BW would be too: B-BW (20) too; column Wmo likewise B-Wmo (40).
    # Row B then hides two cells of 60 clients, and C keeps every figure.
    assert sorted(zip(hidden["g"], hidden["d"])) == [("A", "BW"), ("A", "Wmo"), ("B", "BW"), ("B", "Wmo")]
    per_column = kc.verberg(frame, min_clienten=10, groep=["d"])  # per domein only, as before
    assert sorted(per_column.loc[per_column["verborgen"], "g"] + per_column.loc[per_column["verborgen"], "d"]) == [
        "ABW", "BBW"]  # row A would show Jeugd and Wmo: A's total minus them is A-BW


def test_verberg_kruis_hides_nothing_without_a_small_cell_and_keeps_earlier_hidden_rows():
    frame = _raster({"A": [50, 30, 14], "B": [60, 40, 20]})
    assert not kc.verberg_kruis(frame, rij="g", kolom="d", min_clienten=10).any()
    marked = frame.assign(verborgen=[False, False, True, False, False, False])  # A-BW hidden elsewhere
    assert kc.verberg_kruis(marked, rij="g", kolom="d", min_clienten=10).tolist() == [
        False, True, True, False, True, True]
    with pytest.raises(KeyError, match="'gemeente'"):
        kc.verberg_kruis(frame, rij="gemeente", kolom="d", min_clienten=10)


def test_verberg_kolom_hides_one_cell_and_format_table_shows_it():
    frame = pd.DataFrame({"naam": ["A", "B"], "clienten": [40, 25], "lopend": [12, 3], "clienten_lopend": [12, 3]})
    out = kc.verberg_kolom(frame, "lopend", aantal="clienten_lopend", min_clienten=10)
    table = format_table(kc.kolommen(out, {"naam": "Naam", "clienten": "Cliënten", "lopend": "Nog lopend"}),
                         numbers=["Nog lopend"], count_column="Cliënten")
    assert table.to_dict("list") == {"Naam": ["A", "B"], "Cliënten": ["40", "25"], "Nog lopend": ["12", "x"]}


def test_format_table_shows_hidden_cells_and_keeps_public_ones():
    frame = pd.DataFrame({"perceel": ["P1", "P2"], "plafond_cent": [500000, 800000], "toegekend_cent": [300000, 7000],
                          "clienten": [30, 4]})
    hidden = kc.verberg(frame, min_clienten=10, totaal=False, waarden=["toegekend_cent"])
    table = format_table(hidden, money=["plafond_cent", "toegekend_cent"])
    assert table["plafond_cent"].tolist() == ["€\xa05.000", "€\xa08.000"]  # the plafond is public
    assert table["toegekend_cent"].tolist() == ["€\xa03.000", "x"] and table["clienten"].tolist() == ["30", "x"]
    assert "verborgen" not in table.columns


def test_format_table_refuses_a_client_table_without_its_threshold():
    with pytest.raises(ValueError, match="small-cell threshold"):
        format_table(pd.DataFrame({"clienten": [3]}))
    lost = kc.verberg(_domeinen([120, 3]), min_clienten=10)
    lost.attrs = {}
    with pytest.raises(ValueError, match="lost its min_clienten"):
        format_table(lost, count_column=None)


def test_zin_verborgen():
    out = kc.verberg(_domeinen([120, 40, 3]), min_clienten=10)
    assert kc.zin_verborgen(out) == ("Niet getoond: 2 cijfers, zodat geen cijfer over minder dan 10 "
                                       "cliënten te zien of terug te rekenen is.")
    assert kc.zin_verborgen(kc.verberg(_domeinen([120, 40, 30]), min_clienten=10)) == ""


def test_a_period_split_in_quarters_hides_what_its_year_table_hides_and_no_single_quarter():
    from datetime import date
    from pathlib import Path

    from analysis.report.context import Rapport

    rapport = Rapport(con=None, warehouse=Path("w.duckdb"), periode="2025-12", jaar=2025, maand=12,
                      einde=date(2025, 12, 31), peildatum=date(2026, 1, 8), laatste_maand=pd.Timestamp("2025-10-01"),
                      basisjaar=2024, regio="R", gemeenten=pd.DataFrame(), min_clienten=10)
    year = kc.verberg(pd.DataFrame({"code": ["A", "B", "C"], "clienten": [40, 12, 3]}), min_clienten=10)
    assert year["verborgen"].tolist() == [False, True, True]  # C small; B (12) hidden beside it
    quarters = pd.DataFrame({"code": ["A", "A", "B", "B", "C", "C"], "kwartaal": ["K1", "K2"] * 3,
                             "clienten": [30, 4, 11, 10, 2, 1], "regels": [300, 40, 110, 100, 20, 10]})
    out = rapport.verberg_per_tijdvak(quarters, rij="code", jaar=year)
    # B and C: hidden in the year, so in every quarter (B's 11 and 10 would add up to its hidden year).
    # A-K2 (4) is small; A's year total minus A-K1 would give it away: A-K1 too. Then K1 and K2 hide 3 each.
    assert out["verborgen"].tolist() == [True, True, True, True, True, True]
    shown_a = rapport.verberg_per_tijdvak(quarters.assign(clienten=[30, 14, 11, 10, 2, 1]), rij="code", jaar=year)
    assert shown_a["verborgen"].tolist() == [False, False, True, True, True, True]
    assert shown_a["regels"].isna().tolist() == [False, False, True, True, True, True]
