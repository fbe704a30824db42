"""plots.py: each chart draws the figures it is given, and refuses a frame without its columns."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from analysis import plots



def test_maanduitgaven_lines_and_open_months():
    monthly = pd.DataFrame({"maand": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
                            "domein": ["Wmo"] * 3, "toegekend_cent": [100, 200, 50]})
    fig = plots.maanduitgaven(monthly, laatste_maand=pd.Timestamp("2025-02-01"))
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and list(ax.lines[0].get_ydata()) == [100, 200, 50]
    assert any("gedeclareerd" in t.get_text() for t in ax.get_legend().get_texts())
    with pytest.raises(KeyError):
        plots.maanduitgaven(monthly.drop(columns="domein"), laatste_maand=pd.Timestamp("2025-02-01"))
    # two years: a Dutch label every half year
    longer = pd.DataFrame({"maand": pd.date_range("2024-01-01", "2025-12-01", freq="MS"), "domein": "Wmo",
                           "toegekend_cent": range(24)})
    ax = plots.maanduitgaven(longer, laatste_maand=pd.Timestamp("2025-12-01")).axes[0]
    ax.figure.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert shown[:4] == ["jan 2024", "jul 2024", "jan 2025", "jul 2025"]


def test_maanduitgaven_legend_stands_under_the_dates():
    """Inside the axes the legend hid the first months of the highest line; under the dates it hides nothing,
    and the hidden-cells note comes under the legend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from analysis.report.kleine_cellen import VERBORGEN

    monthly = pd.DataFrame({"maand": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2),
                            "domein": ["Jeugd"] * 2 + ["Wmo"] * 2, "toegekend_cent": [900, 900, 100, 100],
                            VERBORGEN: [False] * 3 + [True]})  # the top line starts at the top left
    fig = plots.maanduitgaven(monthly, laatste_maand=pd.Timestamp("2025-02-01"))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    dates = min(t.get_window_extent(renderer).y0 for t in ax.get_xticklabels() if t.get_text())
    assert legend.y1 <= dates and legend.y1 <= ax.get_window_extent(renderer).y0
    assert fig.get_supxlabel().startswith("Niet getoond: 1 cijfer")
    assert fig._supxlabel.get_window_extent(renderer).y1 <= legend.y0 and legend.y0 >= 0


def test_a_domein_keeps_its_colour_when_another_is_hidden():
    from analysis.report.kleine_cellen import VERBORGEN

    monthly = pd.DataFrame({"maand": pd.to_datetime(["2025-01-01"] * 3), "domein": ["Beschermd Wonen", "Jeugd", "Wmo"],
                            "toegekend_cent": [50, 900, 300], VERBORGEN: [True, False, False]})
    lines = plots.maanduitgaven(monthly, laatste_maand=pd.Timestamp("2025-01-01")).axes[0].lines
    assert [(line.get_label(), line.get_color()) for line in lines] == [("Jeugd", "C1"), ("Wmo", "C2")]
    yearly = monthly.rename(columns={"maand": "jaar"}).assign(jaar=2024, domein=["Beschermd Wonen", "Jeugd", "Zorg"])
    bars = plots.jaaruitgaven(yearly).axes[0].patches  # Jeugd keeps C1; a domein of another name takes C0, free here
    assert [p.get_facecolor() for p in bars] == [to_rgba("C1"), to_rgba("C0")]


def test_maanduitgaven_shades_open_months_without_data():
    """Nothing approved yet for the report's last two months: they are shaded all the same, to the end of
    the report's month (``tot``), and the lines stop where the data does."""
    from datetime import date

    import matplotlib.dates as mdates

    monthly = pd.DataFrame({"maand": pd.to_datetime(["2025-08-01", "2025-09-01", "2025-10-01"]),
                            "domein": ["Wmo"] * 3, "toegekend_cent": [100, 200, 50]})
    ax = plots.maanduitgaven(monthly, laatste_maand=pd.Timestamp("2025-10-01"), tot=date(2025, 12, 31)).axes[0]
    (span,) = [p for p in ax.patches if p.get_label() == "nog niet volledig gedeclareerd"]
    left, right = (mdates.num2date(x).date() for x in (span.get_x(), span.get_x() + span.get_width()))
    assert (left, right) == (date(2025, 10, 16), date(2025, 12, 16))
    assert list(ax.lines[0].get_ydata()) == [100, 200, 50]
    assert not [p for p in plots.maanduitgaven(monthly, laatste_maand=pd.Timestamp("2025-10-01")).axes[0].patches
                if p.get_label() == "nog niet volledig gedeclareerd"]


def test_jaaruitgaven_stacks():
    frame = pd.DataFrame({"jaar": [2024, 2024], "domein": ["Jeugd", "Wmo"], "toegekend_cent": [300, 100]})
    ax = plots.jaaruitgaven(frame).axes[0]
    assert [p.get_height() for p in ax.patches] == [300, 100] and ax.patches[1].get_y() == 300
    with pytest.raises(ValueError):
        plots.jaaruitgaven(frame.iloc[:0])
    # 2023's Jeugd is hidden: that year's bar is Wmo alone, and its label says so
    hidden = pd.DataFrame({"jaar": [2023, 2023, 2024, 2024], "domein": ["Jeugd", "Wmo", "Jeugd", "Wmo"],
                           "toegekend_cent": [None, 100, 300, 100], "verborgen": [True, False, False, False]})
    ax = plots.jaaruitgaven(hidden).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2023\n(deels)", "2024"]


def test_groeiverklaring_bars():
    drivers = pd.DataFrame({"domein": ["Wmo"], "toegekend_verschil_cent": [30], "effect_clienten_cent": [10],
                            "effect_intensiteit_cent": [5], "effect_prijs_cent": [15]})
    ax = plots.groeiverklaring(drivers).axes[0]
    assert [p.get_width() for p in ax.patches] == [30, 10, 5, 15]
    ax = plots.groeiverklaring(drivers.assign(effect_clienten_cent=25, effect_mix_cent=-15)).axes[0]
    assert [p.get_width() for p in ax.patches] == [30, 25, -15, 5, 15]
    assert ax.get_legend().get_texts()[2].get_text() == "verschuiving tussen producten"
    with pytest.raises(KeyError):
        plots.groeiverklaring(drivers.drop(columns="effect_prijs_cent"))


def test_budgetuitputting_pending_on_top():
    monitor = pd.DataFrame({"domein": ["Wmo"], "begroting_cent": [100], "realisatie_cent": [60],
                            "in_behandeling_cent": [10], "prognose_cent": [90]})
    ax = plots.budgetuitputting(monitor, titel="t").axes[0]
    assert [p.get_height() for p in ax.patches] == [100, 60, 10, 90] and ax.patches[2].get_y() == 60
    with pytest.raises(KeyError):
        plots.budgetuitputting(monitor.drop(columns="prognose_cent"), titel="t")


def test_prognose_panels():
    gap = pd.DataFrame({"jaar": [2024, 2025] * 2, "domein": ["Jeugd"] * 2 + ["Totaal"] * 2,
                        "uitgaven_cent": [10, 12, 20, 24], "inkomsten_cent": [9, 9, 18, 18],
                        **{f"uitgaven_{n}_{k}_cent": [10, 12, 20, 24] for n in ("80", "95") for k in ("laag", "hoog")}})
    fig = plots.prognose(gap)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["Jeugd", "Totaal"]
    assert list(visible[1].lines[0].get_ydata()) == [20, 24]
    with pytest.raises(KeyError):
        plots.prognose(gap.drop(columns="inkomsten_cent"))


def test_backtest_bars():
    # given baselines first, the bars follow the board's order: the forecast, then the baselines
    summary = pd.DataFrame({"domein": ["Totaal"] * 3, "methode": ["naief", "trend", "combinatie"],
                            "ape_pct": [8.0, 9.0, 5.0]})
    ax = plots.backtest(summary).axes[0]
    assert [p.get_height() for p in ax.patches] == [5.0, 8.0, 9.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Prognose (combinatie)", "Naïef (vorig jaar)",
                                                                  "Rechte lijn"]
    with pytest.raises(KeyError):
        plots.backtest(summary.drop(columns="ape_pct"))


def test_saldo_per_gemeente_and_benchmark():
    saldo = pd.DataFrame({"gemeentenaam": ["A", "Regio"], "realisatie_saldo_pct": [-10.0, -5.0],
                          "prognose_saldo_pct": [-20.0, -8.0], "realisatie_jaar": [2024, 2024],
                          "prognose_jaar": [2027, 2027]})
    ax = plots.saldo_per_gemeente(saldo, drempel_pct=5).axes[0]
    assert [p.get_width() for p in ax.patches] == [-10.0, -5.0, -20.0, -8.0]
    assert ax.lines[0].get_xdata()[0] == -5
    bench = pd.DataFrame({"gemeentenaam": ["A", "B"], "domein": ["Jeugd"] * 2, "toegekend_per_1000_cent": [150, 50],
                          "regio_toegekend_per_1000_cent": [100, 100]})
    ax = plots.uitgaven_per_inwoner(bench).axes[0]
    assert [p.get_width() for p in ax.patches] == [150, 50] and ax.lines[0].get_xdata()[0] == 100
    with pytest.raises(KeyError):
        plots.saldo_per_gemeente(saldo.drop(columns="prognose_jaar"), drempel_pct=5)
    with pytest.raises(KeyError):
        plots.uitgaven_per_inwoner(bench.drop(columns="regio_toegekend_per_1000_cent"))


def test_supplier_charts():
    telling = pd.DataFrame({"rood": [1], "oranje": [0], "groen": [2], "geen oordeel": [1]}, index=["Totaal"])
    fig = plots.rag_overzicht(telling)
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == [1, 0, 2, 1]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)  # the legend stood over the lowest bar; beside the axes it covers none
    assert ax.get_legend().get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
    spend = pd.DataFrame({"aanbieder_agb": ["1", "2", "3"], "aanbieder_naam": ["A", "B", None],
                          "toegekend_cent": [600, 300, 100]})
    ax = plots.top_aanbieders(spend, top=2).axes[0]
    assert [p.get_height() for p in ax.patches] == [60.0, 30.0] and list(ax.lines[0].get_ydata()) == [60.0, 90.0]
    codes = pd.DataFrame({"retourcode": ["8001", "9307"], "omschrijving": ["x", None], "regels": [3, 30]})
    ax = plots.retourcodes(codes).axes[0]
    assert [p.get_width() for p in ax.patches] == [30, 3]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["9307", "8001 x"]
    long = codes.assign(omschrijving=["x", "Begindatum prestatie ligt niet tussen de ingangsdatum en einddatum "
                                           "van de toewijzing"])
    labels = [t.get_text() for t in plots.retourcodes(long).axes[0].get_yticklabels()]
    # broken between words on two lines of at most 40 characters; the rest is "…", not half a word
    assert labels[0] == "9307 Begindatum prestatie ligt niet\ntussen de ingangsdatum en einddatum …"
    with pytest.raises(ValueError):
        plots.rag_overzicht(telling.iloc[:0])
    with pytest.raises(KeyError):
        plots.top_aanbieders(spend.drop(columns="toegekend_cent"))
    with pytest.raises(KeyError):
        plots.retourcodes(codes.drop(columns="regels"))
    none = plots.retourcodes(codes.iloc[:0]).axes[0]  # no rejected lines: said, not an error
    assert not none.patches and none.texts[0].get_text() == "Geen afgewezen declaratieregels in deze periode."


def test_charts_leave_hidden_rows_out_and_say_so():
    from analysis.report import KLEINE_AANBIEDERS, verberg

    spend = pd.DataFrame({"aanbieder_agb": ["1", "2", "3", "4"], "aanbieder_naam": ["A", "B", "C", "D"],
                          "toegekend_cent": [600, 300, 60, 40], "clienten": [30, 20, 4, 7]})
    hidden = verberg(spend, min_clienten=10, samenvoegen={"aanbieder_naam": KLEINE_AANBIEDERS},
                     optellen=["toegekend_cent"])
    fig = plots.top_aanbieders(hidden, top=5)
    ax = fig.axes[0]
    # C and D (4 and 7 clients) get no bar; their pooled EUR 1 still counts in the whole (1000 cents)
    assert [p.get_height() for p in ax.patches] == [60.0, 30.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B"]
    assert fig._supxlabel.get_text().startswith("Niet getoond: 2 cijfers, zodat geen cijfer over minder dan 10")
    bench = pd.DataFrame({"gemeentenaam": ["A", "B", "C"], "domein": ["BW"] * 3, "toegekend_per_1000_cent": [150, 50, 70],
                          "regio_toegekend_per_1000_cent": [100] * 3, "clienten": [30, 3, 12]})
    ax = plots.uitgaven_per_inwoner(verberg(bench, min_clienten=10, groep=["domein"])).axes[0]
    assert [p.get_width() for p in ax.patches] == [150, 0, 0]  # B small, C (the smallest shown) goes with it


def test_a_name_with_mathtext_characters_is_drawn_as_written():
    import io

    import matplotlib

    from analysis.display import use_theme

    with matplotlib.rc_context():
        use_theme()
        spend = pd.DataFrame({"aanbieder_agb": ["1"], "aanbieder_naam": ["Zorg $\\foo{x}$ BV_1 \\"],
                              "toegekend_cent": [600]})
        fig = plots.top_aanbieders(spend)
        fig.savefig(io.BytesIO(), format="png")  # mathtext would raise ValueError on \foo here
        assert fig.axes[0].get_xticklabels()[0].get_text() == "Zorg $\\foo{x}$ BV_1 \\"


def test_a_chart_of_only_hidden_rows_says_so():
    from analysis.report import verberg

    months = pd.DataFrame({"maand": pd.to_datetime(["2025-01-01", "2025-02-01"]), "domein": ["BW", "BW"],
                           "toegekend_cent": [500, 700], "clienten": [3, 4]})
    fig = plots.maanduitgaven(verberg(months, min_clienten=10, totaal=False), laatste_maand=pd.Timestamp("2025-02-01"))
    assert not fig.axes[0].lines and fig.axes[0].texts[0].get_text() == plots.GEEN_ZICHTBAAR
    years = months.assign(jaar=[2024, 2025]).drop(columns="maand")
    assert not plots.jaaruitgaven(verberg(years, min_clienten=10, totaal=False)).axes[0].patches


def test_backtest_chart_of_a_history_too_short_to_test_says_so():
    from analysis.forecast.backtest import KOLOMMEN, summarise_backtest

    fig = plots.backtest(summarise_backtest(pd.DataFrame(columns=KOLOMMEN)))
    assert not fig.axes[0].patches and fig.axes[0].texts[0].get_text() == plots.GEEN_TERUGTOETS


def test_tijdlijnen_a_line_per_group_with_hidden_rows_as_gaps_and_the_norm():
    from analysis.report.kleine_cellen import verberg

    frame = pd.DataFrame({"maand": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"] * 2),
                          "gemeente": ["A"] * 3 + ["B"] * 3, "pct": [4.0, 5.0, 6.0, 1.0, 2.0, 3.0],
                          "clienten": [20, 20, 20, 20, 3, 20]})
    fig = plots.tijdlijnen(verberg(frame, min_clienten=10, totaal=False), x="maand", y="pct", groep="gemeente",
                           titel="t", norm=5.5, procent=True)
    ax = fig.axes[0]
    lines = {line.get_label(): list(line.get_ydata()) for line in ax.lines}
    assert lines["A"] == [4.0, 5.0, 6.0] and lines["B"][0] == 1.0 and pd.isna(lines["B"][1])  # B's February hidden
    assert lines["norm"] == [5.5, 5.5] and "Niet getoond: 1 cijfer," in fig.texts[0].get_text()
    # several columns as lines, named by labels
    two = plots.tijdlijnen(frame[frame["gemeente"] == "A"].assign(p90=[9.0, 9.5, 10.0]), x="maand", y=["pct", "p90"],
                           labels={"pct": "mediaan", "p90": "90%"}, titel="t")
    assert [line.get_label() for line in two.axes[0].lines] == ["mediaan", "90%"]
    with pytest.raises(ValueError, match="one column"):
        plots.tijdlijnen(frame, x="maand", y=["pct", "clienten"], groep="gemeente", titel="t")
    with pytest.raises(KeyError):
        plots.tijdlijnen(frame, x="maand", y="bestaat_niet", titel="t")


def test_staven_bars_in_order_without_hidden_rows():
    from analysis.report.kleine_cellen import verberg

    frame = pd.DataFrame({"naam": ["Zorg $x$ BV", "Klein", "Derde"], "dagen": [44.0, 80.0, 5.0],
                          "clienten": [30, 4, 25]})
    ax = plots.staven(verberg(frame, min_clienten=10, totaal=False), label="naam", waarde="dagen", titel="t",
                      norm=30).axes[0]
    assert [p.get_width() for p in ax.patches] == [44.0, 5.0]  # "Klein" has no bar
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Zorg $x$ BV", "Derde"]
    assert ax.lines[0].get_xdata()[0] == 30
    everything_hidden = verberg(frame.assign(clienten=[3, 4, 5]), min_clienten=10, totaal=False)
    assert plots.GEEN_CIJFERS in [t.get_text() for t in plots.staven(everything_hidden, label="naam", waarde="dagen",
                                                                     titel="t").axes[0].texts]


def test_a_chart_title_sits_at_the_top_of_its_axes():
    # The theme fixes titles at y=1 (no automatic placement, which measures every tick label again at each
    # layout pass): the charts have no ticks or offset text on top, so the title lands where it would anyway.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    import analysis

    from matplotlib import rcParams

    analysis.setup()
    assert rcParams["axes.titley"] == 1.0  # fixed: matplotlib places it without measuring the ticks again
    frame = pd.DataFrame({"jaar": [2024, 2024], "domein": ["Jeugd", "Wmo"], "toegekend_cent": [300, 100]})
    fig = plots.jaaruitgaven(frame)
    ax = fig.axes[0]
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    assert ax.title.get_position()[1] == 1.0
    assert ax.title.get_window_extent(renderer).y0 >= ax.get_window_extent(renderer).y1


def test_a_quality_chart_without_any_row_says_so_and_still_checks_its_columns():
    # A small gemeente where no toewijzing started in the period: the wait chart says there is nothing to show
    empty = pd.DataFrame({"kwartaal": pd.Series(dtype="object"), "mediaan_dagen": pd.Series(dtype="float64")})
    for fig in (plots.tijdlijnen(empty, x="kwartaal", y="mediaan_dagen", titel="Wachttijd"),
                plots.staven(empty, label="kwartaal", waarde="mediaan_dagen", titel="Wachttijd")):
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.texts] == [plots.GEEN_GEGEVENS] and ax.get_title() == "Wachttijd"
        assert not ax.lines and not ax.patches
    with pytest.raises(KeyError, match="p90_dagen"):
        plots.tijdlijnen(empty, x="kwartaal", y=["mediaan_dagen", "p90_dagen"], titel="t")
    with pytest.raises(KeyError, match="label"):
        plots.staven(empty, label="label", waarde="mediaan_dagen", titel="t")
