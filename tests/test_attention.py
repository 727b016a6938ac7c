"""Attention over time: the share of each outlet's articles per period that mention an item, and its chart."""
import matplotlib
import numpy as np
import pandas as pd
import pytest

from analysis.compare import attention_over_time, choose_period, why_no_time_line
from analysis.mentions import count_mentions
from analysis.plots import attention_chart

matplotlib.use("Agg")


def _corpus():
    texts = {
        "a": ("taz", "2026-03-02", "Tokajew reiste nach Berlin."),
        "b": ("taz", "2026-03-03", "Die Zölle steigen."),
        "c": ("taz", "2026-03-10", "Tokajews Besuch in Astana."),
        "d": ("Die Zeit", "2026-03-04", "Trump und Tokajew telefonierten."),
        "e": ("Die Zeit", None, "Tokajew ohne Datum."),
        "f": (None, "2026-03-11", "Kasachstan wählt."),
    }
    return pd.DataFrame([{"doc_id": k, "source": s, "date": pd.Timestamp(d) if d else pd.NaT, "text": t}
                         for k, (s, d, t) in texts.items()])


@pytest.mark.parametrize("dates, expected", [
    (["2026-03-02", "2026-03-08"], "D"),
    (["2026-01-01", "2026-02-09"], "D"),      # 40 days
    (["2026-01-01", "2026-02-10"], "W"),      # 41 days: weeks
    (["2025-01-01", "2025-09-30"], "W"),      # 40 weeks
    (["2025-01-01", "2025-10-31"], "M"),
    (["2015-01-01", "2025-12-31"], "M"),      # more than 40 months: still months
    ([None, None], "M"),
])
def test_the_period_is_the_finest_with_at_most_forty_periods(dates, expected):
    assert choose_period(pd.Series(pd.to_datetime(dates))) == expected


def test_attention_is_the_share_of_an_outlets_articles_in_a_period_that_mention_the_item():
    corpus = _corpus()
    present = count_mentions(corpus)[["Kassym-Schomart Tokajew"]] > 0
    table = attention_over_time(corpus, present, freq="W", min_articles=2)
    assert table.columns.tolist() == ["period", "source", "item", "articles", "mentioning", "share", "thin"]
    assert [str(p) for p in table["period"]] == ["2026-03-02/2026-03-08"] * 2 + ["2026-03-09/2026-03-15"] * 2
    assert table["source"].tolist() == ["Die Zeit", "taz", "taz", "unbekannt"]
    assert table["articles"].tolist() == [1, 2, 1, 1]      # "e" has no date and is left out
    assert table["mentioning"].tolist() == [1, 1, 1, 0]
    assert table["share"].tolist() == [1.0, 0.5, 1.0, 0.0]
    assert table["thin"].tolist() == [True, False, True, True]


def test_an_item_is_listed_in_every_period_and_outlet_even_where_nothing_mentions_it():
    corpus = _corpus()
    present = pd.DataFrame({"Thema 1": [True, False, False, True, True, False],
                            "Thema 2": [False, True, True, False, False, True]}, index=corpus["doc_id"])
    table = attention_over_time(corpus, present, freq="M")
    assert table[["source", "item", "articles", "mentioning"]].values.tolist() == [
        ["Die Zeit", "Thema 1", 1, 1], ["Die Zeit", "Thema 2", 1, 0],
        ["taz", "Thema 1", 3, 1], ["taz", "Thema 2", 3, 2],
        ["unbekannt", "Thema 1", 1, 0], ["unbekannt", "Thema 2", 1, 1],
    ]
    shares = table.groupby(["period", "source"])["share"].sum()
    assert np.allclose(shares, 1.0)  # one topic per article: the shares of a group add up to one


@pytest.mark.parametrize("kwargs, message", [
    ({"freq": "Q"}, "freq"), ({"min_articles": 0}, "min_articles"),
])
def test_bad_arguments_are_named(kwargs, message):
    corpus = _corpus()
    with pytest.raises(ValueError, match=message):
        attention_over_time(corpus, pd.DataFrame({"x": True}, index=corpus["doc_id"]), **kwargs)


def test_an_article_missing_from_present_is_an_error_naming_it():
    corpus = _corpus()
    with pytest.raises(ValueError, match="present has no row for 1 articles of the corpus, e.g. 'f'"):
        attention_over_time(corpus, pd.DataFrame({"x": True}, index=list("abcde")))


def test_the_chart_has_a_panel_per_item_and_a_panel_of_articles_and_leaves_thin_periods_unjoined():
    corpus = _corpus()
    present = count_mentions(corpus)[["Kassym-Schomart Tokajew", "Kasachstan"]] > 0
    table = attention_over_time(corpus, present, freq="W", min_articles=2)
    fig = attention_chart(table, title="Anteil der Artikel")
    panels = fig.axes
    assert [ax.get_title(loc="left") for ax in panels] == ["Kassym-Schomart Tokajew", "Kasachstan", "Artikel je Zeitraum"]
    joined, open_points = panels[0].get_lines()[:2]  # taz, the largest outlet: 2 articles in week 1, 1 in week 2
    assert joined.get_ydata()[0] == 0.5 and np.isnan(joined.get_ydata()[1])  # the thin week is not on the line
    assert list(open_points.get_ydata()) == [1.0] and open_points.get_markerfacecolor() == "white"
    heights = [patch.get_height() for patch in panels[-1].patches]
    assert sum(heights) == 5  # the five dated articles
    assert [text.get_text() for text in fig.legends[0].get_texts()] == [
        "taz (n=3)", "Die Zeit (n=1)", "unbekannt (n=1)", "wenige Artikel im Zeitraum"]


def test_shares_on_the_axis_are_german_percentages_with_the_decimal_they_need():
    corpus = _corpus()
    present = count_mentions(corpus)[["Kasachstan"]] > 0
    fig = attention_chart(attention_over_time(corpus, present, freq="W"))
    formatter = fig.axes[0].yaxis.get_major_formatter()
    assert [formatter(v) for v in (0, 0.025, 0.5, 0.075, 1)] == ["0 %", "2,5 %", "50 %", "7,5 %", "100 %"]


def test_a_time_line_without_dates_one_period_or_only_thin_periods_is_a_sentence_not_a_chart():
    corpus = _corpus()
    present = count_mentions(corpus)[["Kasachstan"]] > 0
    undated = corpus.assign(date=pd.NaT)
    assert why_no_time_line(attention_over_time(undated, present)) == "Keine Zeitreihe: Kein Artikel hat ein Datum."
    assert why_no_time_line(attention_over_time(corpus, present, freq="M")) == (
        "Keine Zeitreihe: Die 5 datierten Artikel fallen in einen Monat.")
    assert why_no_time_line(attention_over_time(corpus, present, freq="W", min_articles=3)) == (
        "Keine Zeitreihe: Kein Medium hat in irgendeiner Woche 3 oder mehr Artikel; Anteile so weniger Texte zeigten "
        "nur Zufall.")
    assert why_no_time_line(attention_over_time(corpus, present, freq="W", min_articles=2)) is None
