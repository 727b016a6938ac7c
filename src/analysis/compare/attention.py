"""Attention over time: the share of each outlet's articles per period that mention an entity or topic."""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from analysis.compare.outlets import _check_frame, _check_positive_int, outlet_labels
from analysis.plots import format_number

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- attention over time

#: Periods :func:`choose_period` tries, finest first: day, week, month.
PERIODS = ("D", "W", "M")
#: :func:`choose_period` takes the finest period that gives at most this many periods.
MAX_PERIODS = 40
#: Fewer articles than this in an outlet and period make its share "thin" in :func:`attention_over_time`.
MIN_ARTICLES_PER_PERIOD = 5
#: The periods as charts and sentences name them.
PERIOD_NAMES = {"D": "Tag", "W": "Woche", "M": "Monat"}


def choose_period(dates: pd.Series, max_periods: int = MAX_PERIODS) -> str:
    """Choose day, week or month for a time line: the finest with at most ``max_periods`` periods.

    Parameters
    ----------
    dates : pandas.Series
        Dates of the articles; missing ones are ignored.
    max_periods : int, default 40
        Most periods a time line may have.

    Returns
    -------
    str
        ``"D"``, ``"W"`` or ``"M"`` (months also when even they are more than ``max_periods``).

    Examples
    --------
    >>> choose_period(pd.Series(pd.to_datetime(["2026-03-02", "2026-03-08"])))
    'D'
    >>> choose_period(pd.Series(pd.to_datetime(["2020-01-01", "2021-06-30"])))
    'M'
    """
    _check_positive_int(max_periods, "max_periods")
    dated = pd.to_datetime(pd.Series(dates)).dropna()
    if dated.empty:
        return PERIODS[-1]
    first, last = dated.min(), dated.max()
    for freq in PERIODS:
        if len(pd.period_range(first.to_period(freq), last.to_period(freq), freq=freq)) <= max_periods:
            return freq
    return PERIODS[-1]


def attention_over_time(
    corpus: pd.DataFrame,
    present: pd.DataFrame,
    by: str = "source",
    freq: str | None = None,
    min_articles: int = MIN_ARTICLES_PER_PERIOD,
) -> pd.DataFrame:
    """Share of each outlet's articles, period by period, that mention each item.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with ``doc_id``, ``date`` and ``by``. Articles without a date
        are left out (their number is logged).
    present : pandas.DataFrame
        Indexed by ``doc_id``, one column per item (an entity, a topic): true, or a count
        above zero, where the article mentions the item. ``count_mentions(corpus) > 0`` or
        ``pd.get_dummies(topic_labels)`` give it.
    by : str, default "source"
        Column that names the outlet; missing outlets form the group "unbekannt".
    freq : {"D", "W", "M"}, optional
        Length of a period; default: :func:`choose_period` of the dates.
    min_articles : int, default 5
        Outlets and periods with fewer articles are marked ``thin``: their share describes a
        handful of texts.

    Returns
    -------
    pandas.DataFrame
        One row per period, outlet and item, for every period and outlet with at least one
        dated article, in order: ``period`` (pandas Period), ``source`` (named ``by``),
        ``item``, ``articles`` (the outlet's articles in the period), ``mentioning`` (those of
        them that mention the item), ``share`` (``mentioning / articles``) and ``thin``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "source": ["taz", "taz", "Zeit"],
    ...                        "date": pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-03"])})
    >>> present = pd.DataFrame({"Tokajew": [True, False, True]}, index=["a", "b", "c"])
    >>> attention_over_time(corpus, present, freq="D", min_articles=2)[["source", "articles", "share", "thin"]]
      source  articles  share   thin
    0    taz         2    0.5  False
    1   Zeit         1    1.0   True
    """
    _check_frame(corpus, "corpus", ["doc_id", "date", by])
    if not isinstance(present, pd.DataFrame):
        raise ValueError(f"present must be a pandas DataFrame indexed by doc_id, got {type(present).__name__}")
    if freq is not None and freq not in PERIODS:
        raise ValueError(f"freq must be one of {', '.join(PERIODS)} or None, got {freq!r}")
    _check_positive_int(min_articles, "min_articles")
    missing = pd.Index(corpus["doc_id"]).difference(present.index)
    if len(missing):
        raise ValueError(f"present has no row for {len(missing):,} articles of the corpus, e.g. {missing[0]!r}")
    dates = pd.to_datetime(corpus["date"])
    dated = dates.notna().to_numpy()
    if not dated.all():
        logger.info("attention_over_time: %d of %d articles have no date and are left out", (~dated).sum(), len(dated))
    freq = freq or choose_period(dates[dated])
    rows = present.reindex(corpus["doc_id"][dated]).astype(bool)
    keys = pd.DataFrame({"period": dates[dated].dt.to_period(freq).to_numpy(),
                         by: outlet_labels(corpus, by)[dated].to_numpy()})
    grouped = rows.set_axis(pd.MultiIndex.from_frame(keys)).groupby(["period", by], sort=True)
    mentioning = grouped.sum().astype(np.int64)
    articles = grouped.size().rename("articles")
    table = mentioning.rename_axis(columns="item").stack().rename("mentioning").reset_index()
    table = table.merge(articles.reset_index(), on=["period", by])
    table["share"] = table["mentioning"] / table["articles"]
    table["thin"] = table["articles"] < min_articles
    table = table[["period", by, "item", "articles", "mentioning", "share", "thin"]]
    table.attrs.update(freq=freq, min_articles=min_articles)
    return table


def why_no_time_line(table: pd.DataFrame) -> str | None:
    """Say in one German sentence (for the report's pages) why a table of :func:`attention_over_time` is not worth a chart.

    A time line needs dated articles in at least two periods, and at least one outlet and period
    with enough articles that its share is not ``thin``. Returns None when it is worth a chart.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["taz", "taz"],
    ...                        "date": pd.to_datetime(["2026-03-02", "2026-03-03"])})
    >>> why_no_time_line(attention_over_time(corpus, pd.DataFrame({"x": [True, False]}, index=["a", "b"]), freq="W"))
    'Keine Zeitreihe: Die 2 datierten Artikel fallen in eine Woche.'
    """
    if table.empty:
        return "Keine Zeitreihe: Kein Artikel hat ein Datum."
    unit, one, any_ = {"D": ("Tag", "einen", "irgendeinem"), "W": ("Woche", "eine", "irgendeiner"),
                       "M": ("Monat", "einen", "irgendeinem")}[table.attrs["freq"]]
    if table["period"].nunique() < 2:
        n_dated = table.drop_duplicates(["period", table.columns[1]])["articles"].sum()
        return f"Keine Zeitreihe: Die {format_number(n_dated)} datierten Artikel fallen in {one} {unit}."
    if table["thin"].all():
        return (f"Keine Zeitreihe: Kein Medium hat in {any_} {unit} {table.attrs['min_articles']} oder mehr Artikel; "
                "Anteile so weniger Texte zeigten nur Zufall.")
    return None
