"""Dutch formats, small-cell suppression and the notebook setup; expected text written out by hand."""

import warnings
from datetime import date

import matplotlib
import pandas as pd
import pytest

from analysis.display import (eur, eur_formatter, format_table, month_label, number, pct, pct_formatter, setup,
                              suppress, use_theme)

matplotlib.use("Agg")
NB = "\u00a0"   # Babel nl_NL puts a non-breaking space between € and the amount


def test_eur_whole_euros_half_up_and_negative_after_the_sign():
    assert eur(123456789) == f"€{NB}1.234.568"          # 1,234,567.89 -> 1.234.568
    assert eur(50) == f"€{NB}1" and eur(-50) == f"€{NB}-1"  # half away from zero
    assert eur(-40) == f"€{NB}0"                         # never "€ -0"
    assert eur(-12345, decimals=2) == f"€{NB}-123,45"
    with pytest.raises(TypeError, match="cents: expected whole cents"):
        eur(12.5)
    with pytest.raises(ValueError, match="decimals"):
        eur(1, decimals=-1)


def test_number_and_pct():
    assert number(1234567) == "1.234.567"
    assert number(2.25, decimals=1) == "2,3" and number(-0.04, decimals=1) == "0,0"
    assert pct(12.345) == "12,3%" and pct(-4) == "-4,0%" and pct(6.6667, decimals=0) == "7%"
    with pytest.raises(TypeError, match="value: expected a number"):
        pct("12")


def test_month_label_is_dutch():
    assert month_label(date(2024, 3, 1)) == "mrt 2024"
    assert month_label(pd.Timestamp("2024-05-01")) == "mei 2024"
    with pytest.raises(TypeError, match="d: expected a date"):
        month_label("2024-03")


TABLE = pd.DataFrame({"domein": ["Jeugd", "Wmo", "Beschermd Wonen", "Totaal"], "clienten": [120, 7, 0, None],
                      "toegekend_cent": [123456789, 500000, -2000, 123954789], "verschil_pct": [12.34, None, 5.0, 1.0]})


def test_suppress_masks_rows_about_few_clients():
    out = suppress(TABLE)
    # Wmo (7 clients) and the row without a count are masked; 0 clients and 120 clients stay
    assert out["toegekend_cent"].tolist() == [123456789, "x", -2000, "x"]
    assert out["clienten"].tolist() == [120, "x", 0, "x"]
    assert out["domein"].tolist() == TABLE["domein"].tolist()
    assert TABLE.loc[1, "toegekend_cent"] == 500000                      # the input is untouched
    only_money = suppress(TABLE, threshold=5, columns=["toegekend_cent"])
    assert only_money["toegekend_cent"].tolist()[1] == 500000             # 7 >= 5
    assert only_money["verschil_pct"].isna().tolist() == [False, True, False, False]


def test_suppress_names_a_wrong_argument():
    with pytest.raises(KeyError, match="count_column: 'n'"):
        suppress(TABLE, count_column="n")
    with pytest.raises(KeyError, match=r"columns: \['x'\]"):
        suppress(TABLE, columns=["x"])
    with pytest.raises(ValueError, match="threshold: must be a positive int"):
        suppress(TABLE, threshold=0)


def test_format_table_suppresses_then_formats():
    out = format_table(TABLE, money=["toegekend_cent"], percent=["verschil_pct"], threshold=10)
    assert out.loc[0].tolist() == ["Jeugd", "120", f"€{NB}1.234.568", "12,3%"]
    assert out.loc[1].tolist() == ["Wmo", "x", "x", "x"]
    assert out.loc[2].tolist() == ["Beschermd Wonen", "0", f"€{NB}-20", "5,0%"]
    # the note under the table says what "x" means, with the threshold; a table without hidden cells has none
    assert out.attrs["voetnoot"] == ("x = niet getoond: het cijfer rust op minder dan 10 cliënten, of het zou "
                                     "zo'n cijfer verraden.")
    respondents = format_table(TABLE.rename(columns={"clienten": "Respondenten"}), count_column="Respondenten",
                               threshold=4)
    assert respondents.attrs["voetnoot"].startswith("x = niet getoond: het cijfer rust op minder dan 4 respondenten")
    no_clients = format_table(TABLE.drop(columns="clienten"), money=["toegekend_cent"], count_column=None)
    assert no_clients["toegekend_cent"].tolist()[1] == f"€{NB}5.000" and "voetnoot" not in no_clients.attrs
    assert no_clients.loc[1, "verschil_pct"] != no_clients.loc[1, "verschil_pct"]  # unformatted NaN stays


def test_format_table_requires_a_count_column_or_an_explicit_none():
    with pytest.raises(KeyError, match="count_column: 'clienten'"):
        format_table(TABLE.drop(columns="clienten"), money=["toegekend_cent"], threshold=10)
    with pytest.raises(KeyError, match=r"format_table: \['bedrag'\]"):
        format_table(TABLE, money=["bedrag"], threshold=10)
    with pytest.raises(ValueError, match="small-cell threshold"):  # a client table never skips the rule
        format_table(TABLE, money=["toegekend_cent"])


def test_axis_formatters():
    assert eur_formatter()(123456789, 0) == f"€{NB}1.234.568"
    assert eur_formatter(cents=False)(1500, 0) == f"€{NB}1.500"
    assert pct_formatter(decimals=1)(12.34, 0) == "12,3%"
    remembering = eur_formatter()  # the same formatter asked again (a layout pass) gives the same labels
    assert [remembering(v, 0) for v in (100, 250, 100, -250.4)] == [eur(100), eur(250), eur(100), eur(-250)]
    with pytest.raises(ValueError, match="decimals"):
        eur_formatter(decimals=9)


def test_use_theme_sets_the_colour_blind_palette():
    with matplotlib.rc_context():
        use_theme()
        colours = [matplotlib.colors.to_hex(c) for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]]
        assert colours[:3] == ["#0173b2", "#de8f05", "#029e73"]   # seaborn "colorblind"
        assert matplotlib.rcParams["axes.spines.top"] is False


def test_setup_filters_only_the_known_warnings():
    from matplotlib import MatplotlibDeprecationWarning

    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context():
        warnings.simplefilter("always")
        setup()
        warnings.warn("vert: bool was deprecated in Matplotlib 3.11 and will be removed", MatplotlibDeprecationWarning)
        warnings.warn("\n\nThe `ci` parameter is deprecated. Use `errorbar=None`", FutureWarning)
        warnings.warn("\n\nPassing `palette` without assigning `hue` is deprecated", FutureWarning)
        warnings.warn("something else is deprecated", FutureWarning)
        warnings.warn("vert: bool", UserWarning)   # same text, other category: not filtered
    assert [str(w.message) for w in caught] == ["something else is deprecated", "vert: bool"]


def test_table_html_escapes_names_and_drops_row_numbers():
    from analysis.display import table_html

    frame = pd.DataFrame({"Aanbieder": ["<script>alert(1)</script>", "Zorg & Co"], "Bedrag": ["€ 1", "€ 2"]})
    out = table_html(frame)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script>" not in out and "Zorg &amp; Co" in out
    assert "<th>0</th>" not in out and "<th></th>" not in out  # no row numbers, no empty index header
    assert "<th>GM0361</th>" in table_html(frame.set_axis(["GM0361", "GM1980"]))  # a meaningful index stays
    assert "voetnoot" not in out
    noted = frame.copy()
    noted.attrs["voetnoot"] = "x = niet <getoond>"
    assert table_html(noted).endswith('</table>\n<p class="voetnoot">x = niet &lt;getoond&gt;</p>')
    # a table that shows "x" but lost its note (a reshape after format_table) gets the general one
    assert "te weinig cliënten" in table_html(frame.assign(Bedrag=["x", "€ 2"]))
