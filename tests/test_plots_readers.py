"""Tests for the chart helpers the notebooks call instead of drawing inline, and for German table headers."""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import plots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_for_readers_names_columns_and_index_in_german_and_keeps_the_numbers():
    table = pd.DataFrame({"n_articles": [3, 1], "share_of_articles": [0.5, 1.0], "Zölle": [2, 0]},
                         index=pd.Index(["taz", "Zeit"], name="outlet"))
    shown = plots.for_readers(table, names={"Zölle": "Zölle (Anzahl)"})
    assert shown.columns.tolist() == ["Artikel", "Anteil der Artikel", "Zölle (Anzahl)"]
    assert shown.index.name == "Medium"
    assert shown["Artikel"].tolist() == [3, 1] and table.columns[0] == "n_articles"  # the input is unchanged


def test_period_counts_fill_the_time_line_and_leave_undated_articles_out():
    dates = pd.Series(pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-05", None]))
    counts = plots.period_counts(dates, "D")
    assert counts.index.astype(str).tolist() == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]
    assert counts.tolist() == [2, 0, 0, 1]
    assert plots.period_counts(pd.Series([None, None]), "M").empty


def test_period_bars_draw_one_bar_per_period_and_refuse_an_empty_time_line():
    counts = plots.period_counts(pd.Series(pd.to_datetime(["2026-01-15", "2026-03-01", "2026-03-31"])), "M")
    ax = plots.period_bars(counts, title="Artikel je Monat")
    assert [bar.get_height() for bar in ax.patches] == [1, 0, 2]
    with pytest.raises(ValueError, match="non-empty"):
        plots.period_bars(pd.Series([], dtype="int64"))


def test_length_histogram_shows_every_article_of_a_small_corpus_and_names_the_longer_ones_it_cuts():
    ax = plots.length_histogram(pd.Series([120, 300, 310]))
    assert ax.get_title(loc="left") == "Länge der Artikel nach der Bereinigung"
    assert sum(bar.get_height() for bar in ax.patches) == 3
    ax = plots.length_histogram(pd.Series([100] * 99 + [12_000, 15_000]))
    assert ax.get_title(loc="left").splitlines()[1] == "1 längere Artikel nicht gezeigt (15.000 bis 15.000 Wörter)"
    assert sum(bar.get_height() for bar in ax.patches) == 100


def test_bar_panels_draw_one_panel_each_and_say_why_a_panel_is_empty():
    fig = plots.bar_panels({"Cluster 0 (3 Artikel)": pd.Series({"Zölle": 0.4, "Stahl": 0.2}),
                            "Cluster 1 (1 Artikel)": pd.Series(dtype=float),
                            "Cluster 2 (2 Artikel)": pd.Series({"Kasachstan": 0.3})},
                           empty_text="kein Wort, das genug seiner Artikel teilen", title="Schlüsselbegriffe")
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Cluster 0 (3 Artikel)", "Cluster 1 (1 Artikel)", "Cluster 2 (2 Artikel)"]  # 4th slot removed
    assert [t.get_text() for t in fig.axes[1].texts] == ["kein Wort, das genug seiner Artikel teilen"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Zölle", "Stahl"]
    assert fig._suptitle.get_text() == "Schlüsselbegriffe"


def test_interval_chart_draws_percent_intervals_and_open_points_without_one():
    rows = pd.DataFrame({
        "outlet": ["taz (n=40)", "Zeit (n=3)", "taz (n=40)", "Zeit (n=3)"],
        "entity": ["Tokajew", "Tokajew", "Kasachstan", "Kasachstan"],
        "share_of_articles": [0.25, 1 / 3, 0.5, 0.0], "share_of_articles_low": [0.125, 0.0, 0.35, 0.0],
        "share_of_articles_high": [0.4, 1.0, 0.65, 0.0], "descriptive_only": [False, True, False, True],
    })
    fig = plots.interval_chart(rows, "share_of_articles", xlabel="Artikel, die sie nennen (%)")
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Tokajew", "Kasachstan"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["taz (n=40)", "Zeit (n=3)"]
    bars = fig.axes[0].containers[0]  # the errorbar of the outlets with an interval: taz only
    assert bars.lines[0].get_xdata().tolist() == [25.0]
    segment = bars.lines[2][0].get_segments()[0]
    assert segment[:, 0].tolist() == [12.5, 40.0]
    open_points = [line for line in fig.axes[0].lines if line.get_markerfacecolor() == "white"]
    assert np.allclose(open_points[0].get_xdata(), [100 / 3])
    with pytest.raises(ValueError, match="share_of_articles_high"):
        plots.interval_chart(rows.drop(columns="share_of_articles_high"), "share_of_articles")


def test_top_or_other_keeps_every_group_that_fits_and_pools_the_smallest_otherwise():
    outlets = pd.Series(["taz", "taz", "Zeit", "Süddeutsche", "Süddeutsche", "Süddeutsche"])
    assert plots.top_or_other(outlets, 3, "andere Medien").tolist() == outlets.tolist()
    assert plots.top_or_other(outlets, 2, "andere Medien").tolist() == [
        "andere Medien", "andere Medien", "andere Medien", "Süddeutsche", "Süddeutsche", "Süddeutsche"]


def test_stacked_shares_write_percentages_the_german_way():
    shares = pd.DataFrame({"direkt": [1 / 3, 0.5], "indirekt": [2 / 3, 0.5]}, index=["taz, 3 Zitate", "Zeit, 2 Zitate"])
    ax = plots.stacked_shares(shares, title="Zitatformen je Medium")
    assert sorted(t.get_text() for t in ax.texts) == ["33 %", "50 %", "50 %", "67 %"]
    plt.gcf().canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["0 %", "20 %", "40 %"]


def test_without_diagonal_blanks_the_diagonal_only_and_refuses_a_matrix_that_is_not_square():
    together = pd.DataFrame([[3, 2], [2, 4]], index=["Tokajew", "Trump"], columns=["Tokajew", "Trump"])
    blank = plots.without_diagonal(together)
    assert blank.isna().to_numpy().tolist() == [[True, False], [False, True]]
    assert blank.loc["Tokajew", "Trump"] == 2.0 and together.loc["Tokajew", "Tokajew"] == 3
    with pytest.raises(ValueError, match="square"):
        plots.without_diagonal(together.iloc[:, :1])


def test_bar_panels_draw_bars_equally_thick_whatever_the_number_of_terms():
    fig = plots.bar_panels({"Cluster 0": pd.Series({"deutschen": 0.01}),
                            "Cluster 1": pd.Series({"Silvester": 0.04, "Polizei": 0.03, "Euro": 0.03, "Mann": 0.02})},
                           top_n=15)
    thickness = [[bar.get_height() / abs(np.diff(ax.get_ylim())[0]) for bar in ax.patches] for ax in fig.axes]
    assert len(thickness[0]) == 1 and len(thickness[1]) == 4
    assert thickness[0][0] == pytest.approx(thickness[1][0])
    assert [abs(np.diff(ax.get_ylim())[0]) for ax in fig.axes] == [4, 4]  # room for the fullest panel, not for 15 bars
