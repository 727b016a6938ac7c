"""Tests for analysis.plots: reproducible files, umlauts, top-N limits, label shortening."""
import warnings

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from analysis import plots

MENTIONS = pd.Series(
    {"Präsident Trump": 12, "Tokajew": 7, "Mirziyoyev": 5, "„Zölle“ auf Stahl": 3, "Außenministerium": 1},
    name="Erwähnungen",
)


def _bars(ax):
    """Return the bar patches of a bar chart."""
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _draw_and_save(figures_dir):
    """Draw the same small chart from scratch and save it."""
    ax = plots.bar_chart(MENTIONS, title="Erwähnungen je Entität", xlabel="Erwähnungen (Anzahl)", annotate=True)
    return plots.save_figure(ax.figure, "03-mentions-by-entity", data=MENTIONS, figures_dir=figures_dir)


def test_save_figure_is_byte_identical_across_two_drawings(tmp_path):
    first = _draw_and_save(tmp_path / "a")
    second = _draw_and_save(tmp_path / "b")
    assert set(first) == {"png", "svg", "csv"}
    for kind in first:
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind
    assert first["png"].read_bytes().startswith(b"\x89PNG")


def test_save_figure_svg_has_no_date_and_keeps_umlaut_text(tmp_path):
    svg = _draw_and_save(tmp_path)["svg"].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    for text in ("Präsident Trump", "„Zölle“ auf Stahl", "Außenministerium", "Erwähnungen je Entität"):
        assert text in svg


def test_umlauts_and_quotes_render_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _draw_and_save(tmp_path)
    assert not [w for w in caught if "missing from" in str(w.message)]


def test_save_figure_writes_the_plotted_numbers_as_csv(tmp_path):
    csv_path = _draw_and_save(tmp_path)["csv"]
    assert csv_path.name == "03-mentions-by-entity.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",Erwähnungen"
    assert lines[1] == "Präsident Trump,12"
    assert lines[4] == "„Zölle“ auf Stahl,3"
    assert len(lines) == 6


def test_save_figure_without_data_writes_no_csv(tmp_path):
    ax = plots.bar_chart(MENTIONS)
    written = plots.save_figure(ax.figure, "plain", figures_dir=tmp_path)
    assert written == {"png": tmp_path / "plain.png", "svg": tmp_path / "plain.svg"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.png", "plain.svg"]


def test_save_figure_defaults_to_environment_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(plots.FIGURES_DIR_ENV, str(tmp_path / "env-figures"))
    written = plots.save_figure(plots.bar_chart(MENTIONS).figure, "from-env")
    assert written["png"] == tmp_path / "env-figures" / "from-env.png"
    assert written["png"].stat().st_size > 0


@pytest.mark.parametrize("name", ["", "a/b", "..\\x", "../x", "03-plot.png", "mit leer", ".hidden", "Präsident"])
def test_save_figure_rejects_bad_names(tmp_path, name):
    with pytest.raises(ValueError, match="name"):
        plots.save_figure(plots.bar_chart(MENTIONS).figure, name, figures_dir=tmp_path)
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_save_figure_rejects_non_figure_and_bad_data(tmp_path):
    with pytest.raises(ValueError, match="fig"):
        plots.save_figure("figure", "x", figures_dir=tmp_path)
    with pytest.raises(ValueError, match="data"):
        plots.save_figure(plt.figure(), "x", data=[1, 2], figures_dir=tmp_path)


def test_bar_chart_shows_top_n_sorted_largest_first():
    ax = plots.bar_chart(MENTIONS, top_n=3)
    assert [round(b.get_width()) for b in _bars(ax)] == [12, 7, 5]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Präsident Trump", "Tokajew", "Mirziyoyev"]


def test_bar_chart_signed_values_keep_largest_magnitudes():
    keyness = pd.Series({"Zölle": 5.0, "Gipfel": -7.0, "Handel": 1.0, "Straße": -2.0, "Frieden": np.nan})
    ax = plots.bar_chart(keyness, top_n=3)
    # |-7| > |5| > |-2| > |1|: Handel drops out; positive above negative.
    assert [b.get_width() for b in _bars(ax)] == [5.0, -2.0, -7.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Zölle", "Straße", "Gipfel"]
    assert _bars(ax)[0].get_facecolor() != _bars(ax)[2].get_facecolor()


def test_bar_chart_annotates_values_with_default_format():
    ax = plots.bar_chart(pd.Series({"a": 2.5, "b": 1.0}), annotate=True)
    assert [t.get_text() for t in ax.texts] == ["2,50", "1,00"]
    ax = plots.bar_chart(pd.Series({"Textbaustein der Quelle": 1007, "Bildunterschrift": 12}), annotate=True)
    assert [t.get_text() for t in ax.texts] == ["1.007", "12"]


def test_bar_chart_figure_grows_with_number_of_bars():
    many = pd.Series(np.arange(40, dtype=float), index=[f"Entität {i}" for i in range(40)])
    small = plots.bar_chart(many, top_n=5).figure.get_size_inches()[1]
    large = plots.bar_chart(many, top_n=30).figure.get_size_inches()[1]
    assert large > small
    assert large == pytest.approx(1.2 + 0.3 * 30)


def test_bar_chart_draws_into_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.bar_chart(MENTIONS, ax=right) is right
    assert len(_bars(right)) == 5 and not _bars(left)


@pytest.mark.parametrize(
    ("values", "top_n", "match"),
    [
        ([1, 2], 5, "values"),
        (pd.Series(["a", "b"]), 5, "values"),
        (pd.Series([np.nan]), 5, "values"),
        (MENTIONS, 0, "top_n"),
        (MENTIONS, 2.5, "top_n"),
    ],
)
def test_bar_chart_rejects_bad_input(values, top_n, match):
    with pytest.raises(ValueError, match=match):
        plots.bar_chart(values, top_n=top_n)


def test_shorten_wraps_and_ellipsises():
    assert plots.shorten("Tokajew") == "Tokajew"
    assert plots.shorten("  Kassym-Jomart\n Tokajew ") == "Kassym-Jomart Tokajew"
    assert plots.shorten("Präsident Kassym-Jomart Tokajew", width=12) == "Präsident\nKassym…"
    assert plots.shorten("Präsident Kassym-Jomart Tokajew", width=16) == "Präsident\nKassym-Jomart…"
    assert plots.shorten("Bundesministerium", width=10, max_lines=1) == "Bundesmin…"
    assert plots.shorten("Straße der Einheit", width=20, max_lines=1) == "Straße der Einheit"
    with pytest.raises(ValueError, match="width"):
        plots.shorten("x", width=1)
    with pytest.raises(ValueError, match="max_lines"):
        plots.shorten("x", max_lines=0)


def test_bar_chart_shortens_long_labels():
    long_label = "Ministerium für Auswärtige Angelegenheiten der Republik Kasachstan"
    ax = plots.bar_chart(pd.Series({long_label: 1}), label_width=20)
    assert ax.get_yticklabels()[0].get_text() == "Ministerium für\nAuswärtige…"


def test_heatmap_keeps_rows_and_columns_with_largest_totals_in_order():
    matrix = pd.DataFrame(
        {"taz": [1, 0, 9, 0], "Zeit": [0, 0, 0, 1], "Süddeutsche": [5, 1, 0, 0]},
        index=["Trump", "Tokajew", "Mirziyoyev", "Xi"],
    )
    # row totals 6, 1, 9, 1 -> keep Trump and Mirziyoyev; column totals 10, 1, 6 -> keep taz, Süddeutsche
    ax = plots.heatmap(matrix, max_rows=2, max_cols=2, annotate=True)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Trump", "Mirziyoyev"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["taz", "Süddeutsche"]
    assert [t.get_text() for t in ax.texts] == ["1", "5", "9", "0"]


def test_heatmap_square_matrix_keeps_same_labels_on_both_axes():
    names = ["a", "b", "c"]
    sim = pd.DataFrame([[1.0, 0.1, 0.9], [0.1, 1.0, 0.0], [0.9, 0.0, 1.0]], index=names, columns=names)
    ax = plots.heatmap(sim, max_rows=2, max_cols=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "c"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "c"]


def test_heatmap_annotates_only_small_matrices_by_default():
    small = plots.heatmap(pd.DataFrame(np.ones((3, 4))))
    assert len(small.texts) == 12
    large = plots.heatmap(pd.DataFrame(np.ones((20, 20))))
    assert len(large.texts) == 0


def test_heatmap_center_gives_symmetric_colour_range():
    ax = plots.heatmap(pd.DataFrame([[-1.0, 3.0]]), center=0.0)
    assert ax.images[0].norm.vmin == -3.0 and ax.images[0].norm.vmax == 3.0


def test_heatmap_colour_range_can_be_fixed():
    similarity = pd.DataFrame([[np.nan, 0.19], [0.09, np.nan]])
    assert plots.heatmap(similarity).images[0].norm.vmin == pytest.approx(0.09)
    norm = plots.heatmap(similarity, vmin=0.0, vmax=1.0).images[0].norm
    assert (norm.vmin, norm.vmax) == (0.0, 1.0)
    assert plots.heatmap(similarity, vmin=0.0).images[0].norm.vmax == pytest.approx(0.19)
    with pytest.raises(ValueError, match="center or vmin/vmax"):
        plots.heatmap(similarity, center=0.0, vmin=0.0)


def test_heatmap_rejects_non_numeric_and_empty():
    with pytest.raises(ValueError, match="matrix"):
        plots.heatmap(pd.DataFrame({"a": ["x"]}))
    with pytest.raises(ValueError, match="matrix"):
        plots.heatmap(pd.DataFrame())


def test_line_chart_draws_top_n_series_by_total():
    frame = pd.DataFrame(
        {"Trump": [3, 5, 2], "Tokajew": [1, 0, 4], "Mirziyoyev": [0, 1, 0]},
        index=pd.period_range("2025-09", periods=3, freq="M"),
    )
    ax = plots.line_chart(frame, top_n=2, legend_title="Entität")
    assert [line.get_label() for line in ax.get_lines()] == ["Trump", "Tokajew"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Trump", "Tokajew"]
    assert list(ax.get_lines()[1].get_ydata()) == [1.0, 0.0, 4.0]


def test_numbers_are_written_with_a_decimal_comma(tmp_path):
    ax = plots.bar_chart(pd.Series({"Tokajew": 0.25, "Trump": 0.5}), annotate=True, fmt=",.2f")
    ax.set_xlim(0, 0.5)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0,0", "0,1", "0,2", "0,3", "0,4", "0,5"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Trump", "Tokajew"]
    assert [t.get_text() for t in ax.texts] == ["0,50", "0,25"]
    assert plots.bar_chart(pd.Series({"a": 1234.5}), annotate=True, fmt=",.1f").texts[0].get_text() == "1.234,5"
    ax = plots.heatmap(pd.DataFrame([[0.15, 1.0]], index=["DAZ"], columns=["DAZ", "taz"]), fmt=".2f")
    assert [t.get_text() for t in ax.texts] == ["0,15", "1,00"]
    ax.figure.canvas.draw()
    colorbar = ax.figure.axes[-1]
    assert [t.get_text() for t in colorbar.get_yticklabels()] == ["0,0", "0,2", "0,4", "0,6", "0,8", "1,0"]
    fig, plain = plt.subplots()  # a figure drawn without the library's charts gets them when saved
    plain.plot([0, 1], [0.5, 1.5])
    plots.save_figure(fig, "plain", figures_dir=tmp_path)
    fig.canvas.draw()
    assert [t.get_text() for t in plain.get_yticklabels()] == ["0,4", "0,6", "0,8", "1,0", "1,2", "1,4", "1,6"]
    ax = plots.bar_chart(pd.Series({"Textbaustein der Quelle": 12000.0, "Bildunterschrift": 1234.5}))
    ax.set_xlim(0, 12000)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "2.000", "4.000", "6.000", "8.000", "10.000", "12.000"]


def test_number_tick_labels_of_narrow_axes_do_not_touch(tmp_path):
    plots.use_style()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3))  # as the keyness chart of notebook 04: "12.50015.000" before
    for ax in axes:
        plots.bar_chart(pd.Series({"Staatsregierung": 14000.0, "Landratsamt": 8000.0, "Bayern": 6000.0}), ax=ax)
    plots.save_figure(fig, "narrow", figures_dir=tmp_path)
    renderer = fig.canvas.get_renderer()
    for ax in axes:
        low, high = ax.get_xlim()
        shown = [tick for loc, tick in zip(ax.xaxis.get_majorticklocs(), ax.xaxis.get_major_ticks()) if low <= loc <= high]
        boxes = [tick.label1.get_window_extent(renderer) for tick in shown]
        gaps_pt = [(b.x0 - a.x1) * 72 / fig.dpi for a, b in zip(boxes, boxes[1:])]
        assert len(boxes) >= 2 and min(gaps_pt) >= 4, [t.label1.get_text() for t in shown]  # 3.6 pt before
    plt.close(fig)


def test_thinning_the_ticks_of_a_very_narrow_axis_ends_where_its_locator_keeps_ticks_beyond_the_axis(tmp_path):
    import signal

    def stuck(signum, frame):
        raise TimeoutError("the ticks were thinned without end")

    plots.use_style()
    fig, ax = plt.subplots(figsize=(0.8, 2))  # the locator keeps three ticks, one beyond the end, for nbins 1 and 2
    ax.barh(["Ulm", "Kiel"], [512345.0, 170000.0])
    ax.xaxis.set_major_formatter(plots.GermanNumberFormatter())
    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(30)
    try:
        plots.save_figure(fig, "sehr-schmal", figures_dir=tmp_path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    low, high = ax.get_xlim()
    assert [t for t in ax.get_xticks() if low <= t <= high] == [0.0, 500000.0]
    plt.close(fig)


def test_a_heatmap_of_counts_has_whole_numbers_on_its_colour_bar():
    ax = plots.heatmap(pd.DataFrame([[0, 1, 3], [2, 0, 1]], index=["a", "b"], columns=["Trump", "EU", "USA"]))
    ax.figure.canvas.draw()
    colorbar = ax.figure.axes[-1]
    low, high = colorbar.get_ylim()
    assert [t.get_text() for t in colorbar.get_yticklabels() if low <= t.get_position()[1] <= high] == ["0", "1", "2", "3"]
    plt.close(ax.figure)


def test_format_number_writes_thousands_points_and_decimal_commas():
    assert plots.format_number(11652) == "11.652"
    assert plots.format_number(1234567.891, ",.2f") == "1.234.567,89"
    assert plots.format_number(0.0712, ".3f") == "0,071"
    assert plots.format_number(-3, ",") == "-3"


def test_format_number_writes_a_number_rounded_to_zero_without_minus():
    assert plots.format_number(-0.04, ".1f") == "0,0"
    assert plots.format_number(-0.004, ",.2f") == "0,00"
    assert plots.format_number(-0.4, ".0f") == "0"
    assert plots.format_number(-0.05001, ".1f") == "-0,1"
    assert plots.format_number(-1000.0, ",.0f") == "-1.000"


def test_bar_chart_of_zeros_has_no_negative_axis():
    ax = plots.bar_chart(pd.Series({"DAZ": 0.0, "taz": 0.0}), annotate=True, fmt=".1f")
    assert ax.get_xlim() == (0.0, 1.0)
    assert [t.get_text() for t in ax.texts] == ["0,0", "0,0"]


def test_line_chart_labels_dates_in_german():
    months = pd.DataFrame({"Tokajew": [2, 0, 1, 3]}, index=pd.period_range("2025-11", periods=4, freq="M"))
    ax = plots.line_chart(months)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Nov. 2025", "Dez.", "Jan. 2026", "Feb."]
    many = pd.DataFrame({"Trump": range(30)}, index=pd.period_range("2024-01", periods=30, freq="M"))
    assert len(plots.line_chart(many).get_xticks()) == 10  # every third month
    formatter = plots.GermanDateFormatter()
    days = [mdates.date2num(pd.Timestamp(d)) for d in ("2025-12-29", "2026-01-05", "2026-01-12")]
    assert formatter.format_ticks(days) == ["29. Dez. 2025", "5. Jan. 2026", "12. Jan."]
    years = [mdates.date2num(pd.Timestamp(f"{y}-01-01")) for y in (2024, 2025)]
    assert formatter.format_ticks(years) == ["2024", "2025"]


def test_line_chart_uses_line_styles_beyond_palette():
    frame = pd.DataFrame(np.ones((3, 10)), columns=[f"s{i}" for i in range(10)])
    styles = [line.get_linestyle() for line in plots.line_chart(frame, top_n=10).get_lines()]
    assert styles[:8] == ["-"] * 8 and styles[8:] == ["--", "--"]


def test_scatter_map_colours_by_group_and_legend_lists_groups():
    ax = plots.scatter_map(
        [0, 1, 2, 3], [1, 0, 1, 0], color_groups=[1, 0, 1, None],
        marker_groups=["taz", "Zeit", "taz", "Zeit"], labels=["Trump", "Tokajew", "Mirziyoyev", "Xi"],
    )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Cluster", "0", "1", "k. A.", "Quelle", "Zeit", "taz"]
    assert sorted(t.get_text() for t in ax.texts) == ["Mirziyoyev", "Tokajew", "Trump", "Xi"]
    assert sum(len(c.get_offsets()) for c in ax.collections) == 4


def test_scatter_map_skips_labels_when_too_many_points():
    with pytest.warns(UserWarning, match="max_labels"):
        ax = plots.scatter_map(range(5), range(5), [0] * 5, labels=list("abcde"), max_labels=3)
    assert len(ax.texts) == 0


def test_scatter_map_keeps_few_points_large_opaque_and_shaped():
    ax = plots.scatter_map([0, 1, 2], [0, 1, 0], color_groups=[1, 0, 1], marker_groups=["taz", "Zeit", "taz"])
    assert [c.get_sizes().tolist() for c in ax.collections] == [[36.0], [36.0]]
    assert [c.get_alpha() for c in ax.collections] == [0.85, 0.85]
    assert [c.get_linewidths().tolist() for c in ax.collections] == [[0.5], [0.5]]


def test_scatter_map_shrinks_points_and_drops_markers_when_many():
    n = 1600  # (100 / 1600) ** 0.4 = 2 ** -1.6, (100 / 1600) ** 0.2 = 2 ** -0.8
    ax = plots.scatter_map(np.arange(n), np.zeros(n), color_groups=[i % 2 for i in range(n)],
                           marker_groups=["taz", "Zeit"] * (n // 2))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Cluster", "0", "1"]
    (points,) = ax.collections
    assert points.get_offsets()[:3, 0].tolist() == [0.0, 1.0, 2.0]  # input order, not grouped by colour
    assert points.get_sizes().tolist() == [pytest.approx(36 * 2**-1.6)]
    assert points.get_alpha() == pytest.approx(0.85 * 2**-0.8)
    assert points.get_linewidths().tolist() == [0.0]
    dense = plots.scatter_map(np.arange(150_000), np.zeros(150_000), color_groups=np.zeros(150_000))  # floors
    assert dense.collections[0].get_sizes().tolist() == [4.0] and dense.collections[0].get_alpha() == 0.2


def test_scatter_map_colours_groups_from_well_separated_palette():
    ax = plots.scatter_map([0, 1, 2], [0, 0, 0], color_groups=[1, 0, 1])
    assert [to_hex(c) for c in ax.collections[0].get_facecolors()] == ["#ff7f0e", "#1f77b4", "#ff7f0e"]
    legend_colours = [to_hex(h.get_color()) for h in ax.get_legend().legend_handles[1:]]
    assert legend_colours == ["#1f77b4", "#ff7f0e"]


def test_scatter_map_has_eight_distinct_marker_shapes():
    outlets = [f"Quelle {i}" for i in range(9)]
    with pytest.warns(UserWarning, match="9 groups but only 8 distinct markers"):
        ax = plots.scatter_map(range(9), range(9), color_groups=[0] * 9, marker_groups=outlets)
    assert [h.get_marker() for h in ax.get_legend().legend_handles[3:]] == ["o", "s", "^", "D", "v", "P", "X", "*", "o"]


def test_scatter_map_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="color_groups"):
        plots.scatter_map([0, 1], [0, 1], color_groups=[0])
    with pytest.raises(ValueError, match="x and y"):
        plots.scatter_map([0, 1], [0], color_groups=[0, 0])


def test_use_style_sets_font_and_palette():
    plt.rcdefaults()
    plots.use_style()
    assert plt.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    assert plt.rcParams["axes.prop_cycle"].by_key()["color"][:2] == ["#0072B2", "#E69F00"]
    assert plt.rcParams["axes.spines.top"] is False


def test_article_labels_use_the_title_or_the_first_words_on_one_line():
    corpus = pd.DataFrame({
        "title": ["Gipfel in Astana", None, "", "Ein sehr langer Titel über den Gipfel der fünf Staaten Zentralasiens"],
        "text": ["Text.", "Tokajew traf Mirsijojew in Taschkent.", "Kurz", "Text."],
    }, index=[7, 8, 9, 10])
    labels = plots.article_labels(corpus, width=30)
    assert labels.index.tolist() == [7, 8, 9, 10]
    assert labels.tolist() == ["Gipfel in Astana", "Tokajew traf Mirsijojew in…", "Kurz …",
                               "Ein sehr langer Titel über de…"]


def test_tables_for_readers_show_line_breaks_inside_texts_as_paragraph_signs():
    table = pd.DataFrame({"text": ["„Wir sind bereit“,\n\n sagte Tokajew.\nEnde", None], "n_words": [5, 0]},
                         index=pd.Index(["a1", "a2"], name="doc_id"))
    shown = plots.for_readers(table)
    assert shown["Text"].tolist()[0] == "„Wir sind bereit“, ¶ sagte Tokajew. ¶ Ende"
    assert pd.isna(shown["Text"].tolist()[1]) and shown["Wörter"].tolist() == [5, 0]
    assert table.at["a1", "text"].startswith("„Wir sind bereit“,\n\n")  # the table given is left as it was
