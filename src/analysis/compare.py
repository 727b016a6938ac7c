"""Compare outlets: profiles, distinctive vocabulary, mentions, similarity, topics and shared text.

Every function groups the articles of a corpus by one column (``by="source"`` by
default). Articles without a value there are kept as one group named
:data:`UNKNOWN_OUTLET` ("unbekannt"), so that nothing silently disappears from
the comparison; drop them beforehand if that group is not wanted.

All comparisons carry the number of articles behind them (``n_articles``
columns). Outlets with fewer than :data:`MIN_ARTICLES_PER_OUTLET` articles are
flagged (``descriptive_only``) and a :class:`SmallSampleWarning` says that
differences involving them describe these few articles only.

Shared text (agency copy, syndication, boilerplate that two outlets have in
common) can dominate both the vocabulary and the similarity of outlets.
:func:`shared_passages` finds word sequences that occur in articles of more than
one outlet and :func:`remove_shared_passages` returns a corpus without them, on
which the other comparisons can be repeated.

Examples
--------
>>> from analysis import load_corpus
>>> from analysis import compare
>>> corpus = load_corpus()                                     # doctest: +SKIP
>>> compare.outlet_profile(corpus)                             # doctest: +SKIP
>>> counts = compare.term_counts(corpus)                       # doctest: +SKIP
>>> compare.keyness_all(corpus, counts=counts, top_n=10)       # doctest: +SKIP
"""
from __future__ import annotations

import functools
import logging
import math
import os
import string
import sys
import warnings
from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import xlogy
from scipy.stats import chi2
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from analysis.clean import count_words
from analysis.mentions import Gazetteer, find_mentions
from analysis.plots import format_number
from analysis.text import TermCounts, count_terms, make_analyzer

logger = logging.getLogger(__name__)

__all__ = [
    "DOCS_SHARE_FROM",
    "LOG_RATIO_ZERO",
    "MIN_ARTICLES_PER_OUTLET",
    "MIN_DOCS",
    "MIN_DOCS_SHARE",
    "UNKNOWN_OUTLET",
    "SmallSampleWarning",
    "TermCounts",
    "keyness",
    "keyness_all",
    "label_with_n",
    "mention_profile",
    "outlet_labels",
    "outlet_profile",
    "outlet_similarity",
    "passage_table",
    "remove_shared_passages",
    "shared_passages",
    "term_counts",
    "topic_mix",
]

#: Below this many articles an outlet's numbers are descriptive only.
MIN_ARTICLES_PER_OUTLET = 20
#: Group name of articles whose outlet is missing.
UNKNOWN_OUTLET = "unbekannt"
#: Added to a zero count in the log ratio (Hardie 2014), so that it stays finite.
LOG_RATIO_ZERO = 0.5
#: Keyness lists a term only if it occurs in at least this many articles of the side that uses it more ...
MIN_DOCS = 3
#: ... and, where that side has more than ``DOCS_SHARE_FROM`` articles, in at least this share of them.
MIN_DOCS_SHARE = 0.05
DOCS_SHARE_FROM = 60

# Characters stripped from both ends of a word before shingles are hashed, so that
# „Zitat“ and "Zitat" or "Trump," and "Trump" count as the same word.
_STRIP = string.punctuation + "„“”‚‘’«»‹›–—…·•"
# The code points for which str.isspace() is true, i.e. where str.split() splits (checked in the tests).
_WHITESPACE = (
    *range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
    0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
)
_SHINGLE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_DOC_KEY_SEED = 20_201_129
_BOOT_DRAWS_PER_BATCH = 2_000_000


class SmallSampleWarning(UserWarning):
    """An outlet has too few articles for its differences to be more than descriptive."""


# --------------------------------------------------------------------------- groups


def outlet_labels(corpus: pd.DataFrame, by: str = "source") -> pd.Series:
    """Return the outlet of each article, with missing outlets as :data:`UNKNOWN_OUTLET`.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with a column ``by``.
    by : str, default "source"
        Column that names the outlet (or any other group).

    Returns
    -------
    pandas.Series
        One string label per article, indexed like ``corpus``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"source": ["taz", None, "Zeit"]})
    >>> outlet_labels(corpus).tolist()
    ['taz', 'unbekannt', 'Zeit']
    """
    _check_frame(corpus, "corpus", [by])
    values = corpus[by]
    missing = values.isna() | (values.astype(str).str.strip() == "")
    if missing.any():
        logger.info("%d of %d articles have no %r; grouped as %r", missing.sum(), len(values), by, UNKNOWN_OUTLET)
    labels = values.astype(object).where(~missing, UNKNOWN_OUTLET).map(str)
    return labels.rename(by)


def label_with_n(corpus: pd.DataFrame, by: str = "source", min_articles: int | None = None) -> dict[str, str]:
    """Map each outlet to a chart label that shows its number of articles.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with a column ``by``.
    by : str, default "source"
        Column that names the outlet.
    min_articles : int, optional
        If given, outlets with fewer articles are labelled "nur beschreibend"
        (descriptive only) as well.

    Returns
    -------
    dict of str to str
        Outlet -> ``"outlet (n=12)"`` (``"n=1.162"`` with a thousands point), or
        ``"outlet (n=3, nur beschreibend)"``.

    Examples
    --------
    >>> label_with_n(pd.DataFrame({"source": ["taz", "taz", None]}))
    {'taz': 'taz (n=2)', 'unbekannt': 'unbekannt (n=1)'}
    >>> label_with_n(pd.DataFrame({"source": ["taz", "taz", None]}), min_articles=2)["unbekannt"]
    'unbekannt (n=1, nur beschreibend)'
    """
    if min_articles is not None:
        _check_positive_int(min_articles, "min_articles")
    counts = outlet_labels(corpus, by).value_counts()
    few = ", nur beschreibend"
    return {
        outlet: f"{outlet} (n={format_number(n)}{few if min_articles is not None and n < min_articles else ''})"
        for outlet, n in sorted(counts.items())
    }


def outlet_profile(
    corpus: pd.DataFrame, by: str = "source", min_articles: int = MIN_ARTICLES_PER_OUTLET
) -> pd.DataFrame:
    """Describe each outlet: articles, words, first and last date, article length.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with ``by`` and ``text``; ``date`` and ``n_words`` are
        used when present (``n_words`` defaults to the whitespace-separated words).
    by : str, default "source"
        Column that names the outlet.
    min_articles : int, default :data:`MIN_ARTICLES_PER_OUTLET`
        Outlets with fewer articles are flagged ``descriptive_only`` and warned about.

    Returns
    -------
    pandas.DataFrame
        Indexed by outlet, largest first, with columns ``n_articles``, ``n_words``,
        ``first_date``, ``last_date``, ``mean_words``, ``median_words``,
        ``share_of_articles`` and ``descriptive_only``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"source": ["taz", "taz", "Zeit"],
    ...                        "text": ["Die Grüße aus Köln.", "Straße", "Der Gipfel"]})
    >>> profile = outlet_profile(corpus, min_articles=1)
    >>> profile["n_words"].to_dict(), profile["mean_words"].to_dict()
    ({'taz': 5, 'Zeit': 2}, {'taz': 2.5, 'Zeit': 2.0})
    """
    _check_frame(corpus, "corpus", ["text"])
    _check_positive_int(min_articles, "min_articles")
    frame = pd.DataFrame({"outlet": outlet_labels(corpus, by), "words": _word_counts(corpus)})
    frame["date"] = pd.to_datetime(corpus["date"]) if "date" in corpus.columns else pd.NaT
    grouped = frame.groupby("outlet", sort=True)
    profile = pd.DataFrame({
        "n_articles": grouped.size(),
        "n_words": grouped["words"].sum(),
        "first_date": grouped["date"].min(),
        "last_date": grouped["date"].max(),
        "mean_words": grouped["words"].mean(),
        "median_words": grouped["words"].median(),
    })
    profile["share_of_articles"] = profile["n_articles"] / len(frame)
    profile["descriptive_only"] = profile["n_articles"] < min_articles
    profile = profile.sort_values("n_articles", ascending=False, kind="stable")
    profile.index.name = by
    _warn_small(profile["n_articles"], min_articles)
    return profile


# --------------------------------------------------------------------------- keyness


def term_counts(
    corpus: pd.DataFrame, analyzer: Callable[[str], list[str]] | None = None, min_df: int = 1, n_jobs: int = 1
) -> TermCounts:
    """Count the terms of every article once, for reuse across outlets and comparisons.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with a ``text`` column.
    analyzer : callable, optional
        Text -> list of terms. Default ``analysis.text.make_analyzer(stem=False)``:
        casefolded words ("ß" becomes "ss") without stopwords and numbers, not
        stemmed, so that the terms read as the outlets wrote them.
    min_df : int, default 1
        Keep only terms that occur in at least this many articles (2 or more makes
        the matrix much smaller on large corpora).
    n_jobs : int, default 1
        Processes counting in parallel. Each holds a vocabulary of its own (some
        hundred MB on 40,000 articles), so more are faster only where memory allows.

    Returns
    -------
    TermCounts
        Sparse counts (articles x terms), the terms, the analyzer and ``min_df``.
        With the default analyzer and ``min_df=1`` they also serve topic
        clustering: ``cluster_documents(corpus, counts=counts)`` folds them into
        stems (:meth:`analysis.text.TermCounts.stemmed`) instead of reading the
        texts again.

    Examples
    --------
    >>> counts = term_counts(pd.DataFrame({"text": ["Die Brücke", "Brücke und Gipfel"]}))
    >>> counts.terms.tolist(), counts.matrix.toarray().tolist()
    (['brücke', 'gipfel'], [[1, 0], [1, 1]])
    """
    _check_frame(corpus, "corpus", ["text"])
    _check_positive_int(min_df, "min_df")
    if analyzer is None:
        analyzer = make_analyzer(stem=False)
    if not callable(analyzer):
        raise ValueError(f"analyzer must be callable, got {type(analyzer).__name__}")
    matrix, terms = count_terms(_texts(corpus), analyzer, min_df=min_df, n_jobs=n_jobs)
    logger.info("term_counts: %d articles x %d terms", *matrix.shape)
    return TermCounts(matrix=matrix, terms=terms, analyzer=analyzer, min_df=min_df)


def keyness(
    corpus: pd.DataFrame,
    target: str,
    by: str = "source",
    reference: str | None = None,
    min_count: int = 10,
    counts: TermCounts | None = None,
    min_articles: int = MIN_ARTICLES_PER_OUTLET,
    min_docs: int = MIN_DOCS,
    rank_by: str = "tdk",
) -> pd.DataFrame:
    """Score the terms that set one outlet apart from the others, by articles and by tokens.

    Text-dispersion keyness (``tdk``, after Egbert & Biber 2019) asks in how many
    articles a term occurs rather than how often: the same signed G² as below on
    the 2x2 table of the articles of target and reference that contain the term
    (``docs_target``, ``docs_reference``) and those that do not. A name used 40
    times in one long article counts once, so a term ranks high only if many of
    the outlet's articles use it. A term is listed only if the side that uses it
    more (relative to its size) has it in at least ``min_docs`` articles and, if
    that side has more than :data:`DOCS_SHARE_FROM` articles, in
    :data:`MIN_DOCS_SHARE` of them (a side of fewer than ``min_docs`` articles:
    in all of them).

    For each term a 2x2 table compares its count in the target outlet (``a``) and
    in the reference (``b``, all other outlets or the one named ``reference``)
    with the remaining tokens of each side (``c - a`` and ``d - b``, where ``c``
    and ``d`` are the token totals). The log-likelihood (Dunning 1993) is
    ``G² = 2 Σ O ln(O / E)`` over the four cells, with expected counts from the
    margins and ``0 ln 0 = 0``; no continuity correction is applied (quanteda's
    ``textstat_keyness(measure = "lr", correction = "none")``). Its sign is set
    positive when the term is relatively more frequent in the target
    (``a / c > b / d``) and negative otherwise. ``p_value`` is the upper tail of a
    chi² distribution with 1 degree of freedom, not corrected for testing many
    terms. The effect size ``log_ratio`` is Hardie's (2014) binary log of the
    ratio of relative frequencies, ``log2((a / c) / (b / d))``, where a zero
    count is replaced by :data:`LOG_RATIO_ZERO` (0.5) so that it stays finite:
    +1 means twice as frequent in the target.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with ``by`` and ``text``.
    target : str
        The outlet whose distinctive terms are wanted.
    by : str, default "source"
        Column that names the outlet.
    reference : str, optional
        One other outlet to compare with; default all other outlets together.
    min_count : int, default 10
        Keep only terms with at least this many occurrences in target and
        reference together.
    counts : TermCounts, optional
        Precomputed :func:`term_counts` of ``corpus`` (rows in corpus order), to
        reuse one count matrix across outlets; computed when omitted.
    min_articles : int, default :data:`MIN_ARTICLES_PER_OUTLET`
        Warn when target or reference has fewer articles.
    min_docs : int, default :data:`MIN_DOCS` (3)
        Least number of articles, on the side that uses a term more, that contain
        it (see above).
    rank_by : {"tdk", "g2", "log_ratio"}, default "tdk"
        Column to sort by.

    Returns
    -------
    pandas.DataFrame
        Columns ``term, n_target, n_reference, docs_target, docs_reference,
        total_target, total_reference, tdk, g2, log_ratio, p_value,
        n_articles_target, n_articles_reference``, sorted by ``rank_by`` from most
        over-used to most under-used in the target (ties by term). ``n_*`` count
        tokens, ``docs_*`` articles; ``p_value`` is that of ``g2``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"source": ["A", "A", "B"],
    ...     "text": ["Gipfel Gipfel Gipfel", "Gipfel Handel", "Handel Handel Zölle"]})
    >>> table = keyness(corpus, "A", min_count=1, min_articles=1, min_docs=1)
    >>> table[["term", "n_target", "docs_target", "docs_reference"]]
         term  n_target  docs_target  docs_reference
    0  gipfel         4            2               0
    1  handel         1            1               1
    2   zölle         0            0               1
    """
    labels = outlet_labels(corpus, by)
    _check_positive_int(min_count, "min_count")
    _check_positive_int(min_articles, "min_articles")
    outlets = sorted(labels.unique())
    _check_outlet(target, outlets, "target")
    if reference is not None:
        _check_outlet(reference, outlets, "reference")
        if reference == target:
            raise ValueError(f"reference must differ from target, both are {target!r}")
    elif len(outlets) < 2:
        raise ValueError(f"keyness needs at least two outlets in column {by!r}, found {outlets}")
    _check_positive_int(min_docs, "min_docs")
    _check_rank_by(rank_by)
    counts = _resolve_counts(corpus, counts)
    sums, n_articles = _group_sums(counts.matrix, labels, outlets)
    doc_sums, _ = _group_sums(_presence(counts.matrix), labels, outlets)
    t = outlets.index(target)
    target_counts, target_docs = _row(sums, t), _row(doc_sums, t)
    if reference is None:
        reference_counts = np.asarray(sums.sum(axis=0)).ravel() - target_counts
        reference_docs = np.asarray(doc_sums.sum(axis=0)).ravel() - target_docs
        n_reference = int(n_articles.sum() - n_articles.iloc[t])
    else:
        reference_counts = _row(sums, outlets.index(reference))
        reference_docs = _row(doc_sums, outlets.index(reference))
        n_reference = int(n_articles[reference])
    _warn_small(pd.Series({target: n_articles.iloc[t], reference or "all other outlets": n_reference}), min_articles)
    table = _keyness_table(
        (target_counts, reference_counts), (target_docs, reference_docs), (int(n_articles.iloc[t]), n_reference),
        counts.terms, min_count, min_docs, rank_by,
    )
    table["n_articles_target"] = int(n_articles.iloc[t])
    table["n_articles_reference"] = n_reference
    return table


def keyness_all(
    corpus: pd.DataFrame,
    by: str = "source",
    top_n: int = 15,
    min_count: int = 10,
    counts: TermCounts | None = None,
    min_articles: int = MIN_ARTICLES_PER_OUTLET,
    min_docs: int = MIN_DOCS,
    rank_by: str = "tdk",
) -> pd.DataFrame:
    """Compare every outlet with all others and keep its most over- and under-used terms.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with ``by`` and ``text``.
    by : str, default "source"
        Column that names the outlet.
    top_n : int, default 15
        Terms kept per outlet on each side: the ``top_n`` highest and the
        ``top_n`` lowest (negative) values of ``rank_by``.
    min_count : int, default 10
        Passed to :func:`keyness`.
    counts : TermCounts, optional
        Precomputed :func:`term_counts` of ``corpus``; computed once when omitted.
    min_articles : int, default :data:`MIN_ARTICLES_PER_OUTLET`
        Outlets with fewer articles are flagged ``descriptive_only`` and warned about.
    min_docs : int, default :data:`MIN_DOCS` (3)
        Passed to :func:`keyness`.
    rank_by : {"tdk", "g2", "log_ratio"}, default "tdk"
        Column that ranks the terms.

    Returns
    -------
    pandas.DataFrame
        The :func:`keyness` columns plus ``outlet`` (first) and ``descriptive_only``;
        per outlet (in alphabetical order) sorted by ``rank_by`` descending. Outlets
        without any counted term (only stopwords, or texts emptied by
        :func:`remove_shared_passages`) have no rows, and a warning names them.

    Examples
    --------
    >>> corpus = pd.DataFrame({"source": ["A", "B"], "text": ["Gipfel Gipfel", "Handel"]})
    >>> keyness_all(corpus, top_n=1, min_count=1, min_articles=1, min_docs=1)[["outlet", "term", "n_target"]]
      outlet    term  n_target
    0      A  gipfel         2
    1      A  handel         0
    2      B  handel         1
    3      B  gipfel         0
    """
    labels = outlet_labels(corpus, by)
    _check_positive_int(top_n, "top_n")
    _check_positive_int(min_count, "min_count")
    _check_positive_int(min_articles, "min_articles")
    _check_positive_int(min_docs, "min_docs")
    _check_rank_by(rank_by)
    outlets = sorted(labels.unique())
    if len(outlets) < 2:
        raise ValueError(f"keyness_all needs at least two outlets in column {by!r}, found {outlets}")
    counts = _resolve_counts(corpus, counts)
    sums, n_articles = _group_sums(counts.matrix, labels, outlets)
    doc_sums, _ = _group_sums(_presence(counts.matrix), labels, outlets)
    _warn_small(n_articles, min_articles)
    totals = np.asarray(sums.sum(axis=0)).ravel()
    doc_totals = np.asarray(doc_sums.sum(axis=0)).ravel()
    empty = np.asarray(sums.sum(axis=1)).ravel() == 0
    if empty.any():
        listed = ", ".join(f"{outlet} (n={n})" for outlet, n in n_articles[empty].items())
        warnings.warn(f"no counted terms in {listed}; left out of the keyness table", UserWarning, stacklevel=2)
    tables = []
    for i, outlet in enumerate(outlets):
        if empty[i]:
            continue
        n_target = int(n_articles.iloc[i])
        table = _keyness_table(
            (_row(sums, i), totals - _row(sums, i)), (_row(doc_sums, i), doc_totals - _row(doc_sums, i)),
            (n_target, int(n_articles.sum()) - n_target), counts.terms, min_count, min_docs, rank_by,
        )
        over = table.head(top_n)
        under = table[table[rank_by] < 0].tail(top_n)
        table = pd.concat([over, under[~under.index.isin(over.index)]])
        table.insert(0, "outlet", outlet)
        table["n_articles_target"] = int(n_articles.iloc[i])
        table["n_articles_reference"] = int(n_articles.sum() - n_articles.iloc[i])
        table["descriptive_only"] = bool(n_articles.iloc[i] < min_articles)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def _keyness_table(
    tokens: tuple[np.ndarray, np.ndarray],
    docs: tuple[np.ndarray, np.ndarray],
    n_articles: tuple[int, int],
    terms: np.ndarray,
    min_count: int,
    min_docs: int,
    rank_by: str,
) -> pd.DataFrame:
    """Return token and article keyness of each term, given its token and article counts on both sides.

    Kept are the terms with ``min_count`` tokens on both sides together that the
    side using them more (by share of articles) has in :func:`_least_docs` articles.
    """
    a, b = (np.asarray(side, dtype=float) for side in tokens)
    docs_a, docs_b = (np.asarray(side, dtype=float) for side in docs)
    n_a, n_b = n_articles
    c, d = a.sum(), b.sum()
    more_in_target = docs_a * n_b >= docs_b * n_a
    spread = np.where(more_in_target, docs_a >= _least_docs(n_a, min_docs), docs_b >= _least_docs(n_b, min_docs))
    keep = ((a + b) >= min_count) & spread
    a, b, docs_a, docs_b, kept_terms = a[keep], b[keep], docs_a[keep], docs_b[keep], np.asarray(terms)[keep]
    g2 = _signed_g2(a, b, c, d)
    ratio = np.log2((np.where(a > 0, a, LOG_RATIO_ZERO) / c) / (np.where(b > 0, b, LOG_RATIO_ZERO) / d))
    table = pd.DataFrame({
        "term": kept_terms,
        "n_target": a.astype(np.int64),
        "n_reference": b.astype(np.int64),
        "docs_target": docs_a.astype(np.int64),
        "docs_reference": docs_b.astype(np.int64),
        "total_target": np.full(len(a), int(c), dtype=np.int64),
        "total_reference": np.full(len(a), int(d), dtype=np.int64),
        "tdk": _signed_g2(docs_a, docs_b, float(n_a), float(n_b)),
        "g2": g2,
        "log_ratio": ratio,
        "p_value": chi2.sf(np.abs(g2), df=1),
    })
    return table.sort_values([rank_by, "term"], ascending=[False, True], kind="stable", ignore_index=True)


def _least_docs(n_articles: int, min_docs: int) -> int:
    """Return the articles of a side of ``n_articles`` that must contain a term for it to be listed."""
    share = math.ceil(MIN_DOCS_SHARE * n_articles) if n_articles > DOCS_SHARE_FROM else 0
    return max(min(min_docs, n_articles), share)


def _presence(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """Return a copy of a count matrix with 1 wherever a count is positive (which articles hold a term)."""
    present = sparse.csr_matrix(matrix, copy=True)
    present.data = (present.data > 0).astype(np.int32)
    return present


def _check_rank_by(rank_by: object) -> None:
    """Raise ValueError unless ``rank_by`` names a keyness score."""
    if rank_by not in ("tdk", "g2", "log_ratio"):
        raise ValueError(f"rank_by must be 'tdk', 'g2' or 'log_ratio', got {rank_by!r}")


def _signed_g2(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """Return G² of the 2x2 tables [[a, b], [c - a, d - b]], negative where a/c < b/d."""
    if c <= 0 or d <= 0:
        raise ValueError(f"both sides of a keyness comparison need tokens, got totals {c:.0f} and {d:.0f}")
    n = c + d
    row = a + b
    observed = (a, b, c - a, d - b)
    expected = (row * c / n, row * d / n, (n - row) * c / n, (n - row) * d / n)
    g2 = 2 * sum(xlogy(o, o / np.where(e > 0, e, 1.0)) for o, e in zip(observed, expected))
    return np.where(a * d < b * c, -g2, g2)


# --------------------------------------------------------------------------- mentions


def mention_profile(
    corpus: pd.DataFrame,
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    by: str = "source",
    mentions: pd.DataFrame | None = None,
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
    include_adjectives: bool = False,
    min_articles: int = MIN_ARTICLES_PER_OUTLET,
) -> pd.DataFrame:
    """Measure how much each outlet mentions each entity, with bootstrap intervals.

    Two measures per outlet and entity: mentions per 1,000 words (all mentions
    in the outlet's articles divided by all their words) and the share of the
    outlet's articles that mention the entity at least once. Intervals come from
    a percentile bootstrap that resamples whole articles, with replacement,
    within each outlet (outlets in alphabetical order from one generator seeded
    with ``random_state``, so the result is deterministic). A resample of
    articles without words has no rate and is left out of the rate's interval.
    The interval of an outlet with one article has zero width: it shows no
    uncertainty because the bootstrap cannot measure any.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with ``doc_id``, ``by`` and ``text``; ``n_words`` is
        used when present.
    gazetteer : analysis.mentions.Gazetteer or path, optional
        Entities to look for when ``mentions`` is not given (default: the
        mentions module's default table; a path extends it).
    by : str, default "source"
        Column that names the outlet.
    mentions : pandas.DataFrame, optional
        Precomputed :func:`analysis.mentions.find_mentions` of ``corpus`` (at
        least ``doc_id`` and ``entity``, plus ``form`` to tell adjectives apart).
    n_boot : int, default 1000
        Bootstrap resamples per outlet.
    ci : float, default 0.95
        Coverage of the percentile intervals, between 0 and 1.
    random_state : int, default 0
        Seed of the bootstrap.
    include_adjectives : bool, default False
        Also count adjective forms ("kasachische"), if ``mentions`` has a ``form``
        column that marks them as ``"adjective"``. Entities found only in such
        forms keep their rows, with zero counts.
    min_articles : int, default :data:`MIN_ARTICLES_PER_OUTLET`
        Outlets with fewer articles are flagged ``descriptive_only`` and warned about.

    Returns
    -------
    pandas.DataFrame
        One row per outlet and entity: ``outlet, entity, n_articles, n_words,
        n_mentions, n_articles_mentioning, per_1000_words, per_1000_words_low,
        per_1000_words_high, share_of_articles, share_of_articles_low,
        share_of_articles_high, descriptive_only``.
    """
    _check_frame(corpus, "corpus", ["doc_id", "text"])
    _check_positive_int(n_boot, "n_boot")
    _check_positive_int(min_articles, "min_articles")
    if not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ValueError(f"ci must be a number between 0 and 1, got {ci!r}")
    labels = outlet_labels(corpus, by)
    if mentions is None:
        mentions = find_mentions(corpus, gazetteer=gazetteer)
    _check_frame(mentions, "mentions", ["doc_id", "entity"])
    counted = mentions["form"].isin(["name", "adjective"] if include_adjectives else ["name"]) \
        if "form" in mentions.columns else None
    matrix, entities = _doc_entity_matrix(corpus["doc_id"], mentions, counted)
    words = _word_counts(corpus).to_numpy(dtype=float)
    rng = np.random.default_rng(random_state)
    alpha = (1 - ci) / 2
    rows = []
    for outlet in sorted(labels.unique()):
        members = np.flatnonzero(labels.to_numpy() == outlet)
        counts = matrix[members]
        estimate = _mention_measures(counts, words[members], np.ones((1, len(members))))
        boot = _bootstrap(counts, words[members], rng, n_boot)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all resamples without words: no interval
            low, high = (
                {name: np.nanquantile(values, q, axis=0) for name, values in boot.items()} for q in (alpha, 1 - alpha)
            )
        rows.append(pd.DataFrame({
            "outlet": outlet,
            "entity": entities,
            "n_articles": len(members),
            "n_words": int(words[members].sum()),
            "n_mentions": np.asarray(counts.sum(axis=0)).ravel().astype(np.int64),
            "n_articles_mentioning": np.asarray((counts > 0).sum(axis=0)).ravel().astype(np.int64),
            **{name: estimate[name][0] for name in estimate},
            **{f"{name}_low": low[name] for name in low},
            **{f"{name}_high": high[name] for name in high},
        }))
    profile = pd.concat(rows, ignore_index=True)
    order = ["outlet", "entity", "n_articles", "n_words", "n_mentions", "n_articles_mentioning"]
    for name in ("per_1000_words", "share_of_articles"):
        order += [name, f"{name}_low", f"{name}_high"]
    profile = profile[order]
    profile["descriptive_only"] = profile["n_articles"] < min_articles
    _warn_small(labels.value_counts().sort_index(), min_articles)
    return profile


def _doc_entity_matrix(
    doc_ids: pd.Series, mentions: pd.DataFrame, counted: pd.Series | None = None
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Return a sparse articles x entities count matrix (rows in corpus order) and the entities.

    Every entity in ``mentions`` gets a column; only the rows where ``counted``
    is true (default: all) are counted.
    """
    if not doc_ids.is_unique:
        raise ValueError("corpus['doc_id'] must be unique to attribute mentions to articles")
    row_of = pd.Series(np.arange(len(doc_ids)), index=doc_ids.astype(str).to_numpy())
    mention_docs = mentions["doc_id"].astype(str)
    known = mention_docs.isin(row_of.index)
    if not known.all():
        raise ValueError(f"mentions has {int((~known).sum())} rows whose doc_id is not in corpus")
    codes, entities = pd.factorize(mentions["entity"].astype(str), sort=True)
    rows = row_of.loc[mention_docs.to_numpy()].to_numpy()
    weights = np.ones(len(codes), dtype=np.int64) if counted is None else counted.to_numpy(dtype=np.int64)
    matrix = sparse.csr_matrix((weights, (rows, codes)), shape=(len(doc_ids), len(entities)))
    matrix.eliminate_zeros()
    return matrix, np.asarray(entities, dtype=object)


def _resample_weights(rng: np.random.Generator, n: int, n_boot: int) -> sparse.csr_matrix:
    """Return how often each of ``n`` articles is drawn in each of ``n_boot`` resamples."""
    draws = rng.integers(0, n, size=(n_boot, n))
    rows = np.repeat(np.arange(n_boot), n)
    return sparse.csr_matrix((np.ones(draws.size), (rows, draws.ravel())), shape=(n_boot, n))


def _bootstrap(counts: sparse.csr_matrix, words: np.ndarray, rng: np.random.Generator, n_boot: int) -> dict:
    """Return the mention measures of ``n_boot`` resamples of the articles, drawn in bounded batches."""
    batch = max(1, _BOOT_DRAWS_PER_BATCH // counts.shape[0])
    parts = [
        _mention_measures(counts, words, _resample_weights(rng, counts.shape[0], min(batch, n_boot - done)))
        for done in range(0, n_boot, batch)
    ]
    return {name: np.vstack([part[name] for part in parts]) for name in parts[0]}


def _mention_measures(counts: sparse.csr_matrix, words: np.ndarray, weights) -> dict[str, np.ndarray]:
    """Return per-1,000-word rates and article shares for each row of article ``weights``."""
    weights = sparse.csr_matrix(weights)
    mentioned = (counts > 0).astype(float)
    total_words = weights @ words
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = 1000 * np.asarray((weights @ counts).todense()) / total_words[:, None]
    share = np.asarray((weights @ mentioned).todense()) / counts.shape[0]
    return {"per_1000_words": rate, "share_of_articles": share}


# --------------------------------------------------------------------------- similarity and topics


def outlet_similarity(
    corpus: pd.DataFrame,
    by: str = "source",
    counts: TermCounts | None = None,
    min_articles: int = MIN_ARTICLES_PER_OUTLET,
) -> pd.DataFrame:
    """Compare outlets by the cosine similarity of their average TF-IDF vectors.

    Each article becomes an L2-normalised TF-IDF vector (sublinear term
    frequency, smoothed idf); an outlet's centroid is the mean of its articles'
    vectors, so every article weighs the same regardless of length.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with ``by`` and ``text``.
    by : str, default "source"
        Column that names the outlet.
    counts : TermCounts, optional
        Precomputed :func:`term_counts` of ``corpus``; computed when omitted.
    min_articles : int, default :data:`MIN_ARTICLES_PER_OUTLET`
        Warn about outlets with fewer articles (see :func:`label_with_n`).

    Returns
    -------
    pandas.DataFrame
        Square, symmetric, outlets (alphabetical) on both axes, 1 on the diagonal.
        An outlet without any counted term has NaN in its row and column.

    Examples
    --------
    >>> corpus = pd.DataFrame({"source": ["A", "B", "C"],
    ...                        "text": ["Gipfel Handel", "Gipfel Handel", "Zölle"]})
    >>> outlet_similarity(corpus, min_articles=1).round(2).to_numpy().tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    labels = outlet_labels(corpus, by)
    _check_positive_int(min_articles, "min_articles")
    outlets = sorted(labels.unique())
    counts = _resolve_counts(corpus, counts)
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts.matrix)
    sums, n_articles = _group_sums(tfidf, labels, outlets)
    _warn_small(n_articles, min_articles)
    centroids = normalize(sparse.diags(1 / n_articles.to_numpy(dtype=float)) @ sums)
    similarity = (centroids @ centroids.T).toarray()
    empty = np.asarray(sums.sum(axis=1)).ravel() == 0  # no term: no direction, no cosine
    similarity[empty, :] = similarity[:, empty] = np.nan
    return pd.DataFrame(similarity, index=pd.Index(outlets, name=by), columns=pd.Index(outlets, name=by))


def topic_mix(
    corpus: pd.DataFrame,
    labels: Sequence | np.ndarray | pd.Series,
    by: str = "source",
    min_articles: int = MIN_ARTICLES_PER_OUTLET,
) -> pd.DataFrame:
    """Tabulate each outlet's articles by topic cluster, as shares of the outlet.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with a column ``by``.
    labels : array-like
        Cluster of each article, in corpus order (e.g. the ``labels`` of
        :func:`analysis.topics.cluster_documents`).
    by : str, default "source"
        Column that names the outlet.
    min_articles : int, default :data:`MIN_ARTICLES_PER_OUTLET`
        Outlets with fewer articles are warned about.

    Returns
    -------
    pandas.DataFrame
        Indexed by outlet (alphabetical): ``n_articles`` first, then one column per
        cluster with the share of the outlet's articles in it (rows sum to 1).

    Examples
    --------
    >>> corpus = pd.DataFrame({"source": ["A", "A", "A", "B"]})
    >>> topic_mix(corpus, [0, 0, 1, 1], min_articles=1).round(2).reset_index()
      source  n_articles     0     1
    0      A           3  0.67  0.33
    1      B           1  0.00  1.00
    """
    outlets = outlet_labels(corpus, by)
    _check_positive_int(min_articles, "min_articles")
    clusters = np.asarray(labels)
    if clusters.ndim != 1 or len(clusters) != len(outlets):
        raise ValueError(f"labels must have one entry per article ({len(outlets)}), got shape {clusters.shape}")
    if pd.isna(clusters).any():
        raise ValueError("labels must not contain missing values")
    table = pd.crosstab(outlets.to_numpy(), clusters)
    n_articles = table.sum(axis=1)
    _warn_small(n_articles, min_articles)
    mix = table.div(n_articles, axis=0)
    mix.insert(0, "n_articles", n_articles)
    mix.index.name, mix.columns.name = by, None
    return mix


# --------------------------------------------------------------------------- shared passages


def shared_passages(
    corpus: pd.DataFrame,
    by: str = "source",
    shingle_size: int = 8,
    min_words: int = 20,
    chunk_size: int = 2000,
) -> pd.DataFrame:
    """Find passages that occur in articles of more than one outlet.

    Texts are split at whitespace into words, which are compared casefolded
    and without surrounding punctuation or quotes. Every run of
    ``shingle_size`` consecutive words (a shingle) is hashed to 64 bits. To
    scale, only a sample of shingles is indexed first: winnowing (Schleimer et
    al. 2003) keeps the smallest hash in each window of ``min_words -
    shingle_size + 1`` consecutive shingles, which guarantees that any passage of
    at least ``min_words`` words in common yields at least one common sample.
    Articles that share a sampled shingle with another outlet are then compared
    in full: a passage is a maximal run of consecutive shingles that occur in
    the same set of articles, spanning at least two outlets, within a stretch
    of at least ``min_words`` words that the article shares with other outlets.
    Agency copy reprinted by two outlets is thus found with its exact extent;
    text repeated only within one outlet is not.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with ``doc_id``, ``by`` and ``text``.
    by : str, default "source"
        Column that names the outlet.
    shingle_size : int, default 8
        Words per shingle (at least 2).
    min_words : int, default 20
        Shortest stretch of text shared with other outlets that is reported, in
        words (at least ``shingle_size``).
    chunk_size : int, default 2000
        Articles hashed at a time; bounds the memory of the first pass.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence of a passage in an article: ``passage_id, doc_id,
        outlet, start, end, n_words, text``, where ``text[start:end]`` of the
        article is the passage (from the first character of its first word to
        the last of its last word, so punctuation attached to them is included).
        Sorted by ``passage_id``, then corpus order. See :func:`passage_table`
        for one row per passage and :func:`remove_shared_passages` to drop them.

    Notes
    -----
    Which articles hold a shingle is judged among the candidate articles only,
    so a stock phrase that also occurs in unrelated articles does not cut a
    passage. A passage that an outlet prints with a different cut (one sentence
    more or less), or of which a candidate article quotes a part, shows up as
    several passages with different sets of articles, overlapping by
    ``shingle_size - 1`` words; some may be shorter than ``min_words``, but
    together they cover all the text two outlets share. Only
    the hashes are kept in memory: on the 41,242 articles (233 million
    characters) of FANG-COVID this takes about 15 s of CPU time and 1 GB on top
    of the corpus.

    Examples
    --------
    >>> agency = "Die Bundesregierung hat am Montag neue Regeln für die Einreise beschlossen."
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["taz", "Zeit"],
    ...     "text": ["Berlin. " + agency, agency + " Mehr dazu morgen."]})
    >>> shared_passages(corpus, shingle_size=3, min_words=5)[["doc_id", "start", "end", "n_words"]]
      doc_id  start  end  n_words
    0      a      8   83       11
    1      b      0   75       11
    """
    _check_frame(corpus, "corpus", ["doc_id", "text"])
    outlets = outlet_labels(corpus, by)
    _check_positive_int(shingle_size, "shingle_size", 2)
    _check_positive_int(min_words, "min_words", 2)
    _check_positive_int(chunk_size, "chunk_size")
    if min_words < shingle_size:
        raise ValueError(f"min_words must be at least shingle_size ({shingle_size}), got {min_words}")
    _check_texts(corpus)
    outlet_codes, outlet_names = pd.factorize(outlets, sort=True)
    window = min_words - shingle_size + 1
    chunks, n_shingles, anchors, anchor_docs = _index_shingles(corpus["text"], shingle_size, window, chunk_size)
    candidates = _docs_sharing(anchors, anchor_docs, outlet_codes)
    logger.info("shared_passages: %d of %d articles share a sampled shingle across outlets",
                len(candidates), len(corpus))
    shingles = _candidate_shingles(chunks, n_shingles, candidates, chunk_size)
    del chunks
    segments = _segments(*shingles, outlet_codes, shingle_size, min_words)
    del shingles
    needed = _sorted_unique(segments["doc"].to_numpy(dtype=np.int64))
    texts = dict(zip(needed.tolist(), corpus["text"].iloc[needed].tolist()))
    doc_ids = corpus["doc_id"].astype(str).to_numpy()
    return _occurrences(segments, doc_ids, texts, np.asarray(outlet_names), outlet_codes)


def passage_table(passages: pd.DataFrame) -> pd.DataFrame:
    """Summarise shared passages: one row per passage with its outlets and articles.

    Parameters
    ----------
    passages : pandas.DataFrame
        Result of :func:`shared_passages`.

    Returns
    -------
    pandas.DataFrame
        Columns ``passage_id, n_words, n_outlets, n_articles, outlets`` (sorted,
        comma-separated), ``doc_ids`` (list, corpus order) and ``text`` (as in its
        first article), sorted by ``n_outlets``, ``n_articles`` and ``n_words``,
        largest first.

    Examples
    --------
    >>> occurrences = pd.DataFrame({"passage_id": [0, 0], "doc_id": ["a", "b"],
    ...     "outlet": ["taz", "Zeit"], "start": [0, 4], "end": [9, 13], "n_words": [2, 2],
    ...     "text": ["Grüße aus", "Grüße aus"]})
    >>> passage_table(occurrences)[["passage_id", "n_outlets", "outlets", "doc_ids"]]
       passage_id  n_outlets    outlets doc_ids
    0           0          2  Zeit, taz  [a, b]
    """
    _check_frame(passages, "passages", ["passage_id", "doc_id", "outlet", "n_words", "text"])
    grouped = passages.groupby("passage_id", sort=True)
    table = pd.DataFrame({
        "n_words": grouped["n_words"].first(),
        "n_outlets": grouped["outlet"].nunique(),
        "n_articles": grouped["doc_id"].nunique(),
        "outlets": grouped["outlet"].agg(lambda values: ", ".join(sorted(set(values)))),
        "doc_ids": grouped["doc_id"].agg(lambda values: list(dict.fromkeys(values))),
        "text": grouped["text"].first(),
    })
    table = table.sort_values(["n_outlets", "n_articles", "n_words"], ascending=False, kind="stable")
    return table.reset_index()


def remove_shared_passages(corpus: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the corpus whose ``text`` lacks the given passages.

    Each passage is cut out together with the whitespace before it (or, at the
    very start of a text, after it), so that the remaining text keeps single
    spaces and blank lines; everything else is left as it was. ``n_words`` is
    recounted when the corpus has that column.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus :func:`shared_passages` was run on.
    passages : pandas.DataFrame
        Occurrences with ``doc_id``, ``start`` and ``end`` (character offsets into
        ``text``), as returned by :func:`shared_passages`; may be filtered first.

    Returns
    -------
    pandas.DataFrame
        A copy of ``corpus`` with shortened ``text`` (and ``n_words``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Berlin. Agenturtext hier. Ende."]})
    >>> cut = pd.DataFrame({"doc_id": ["a"], "start": [8], "end": [25]})
    >>> remove_shared_passages(corpus, cut)["text"].tolist()
    ['Berlin. Ende.']
    """
    _check_frame(corpus, "corpus", ["doc_id", "text"])
    _check_frame(passages, "passages", ["doc_id", "start", "end"])
    doc_ids = corpus["doc_id"].astype(str)
    if not doc_ids.is_unique:
        raise ValueError("corpus['doc_id'] must be unique to remove passages by article")
    unknown = ~passages["doc_id"].astype(str).isin(doc_ids)
    if unknown.any():
        raise ValueError(f"passages has {int(unknown.sum())} rows whose doc_id is not in corpus")
    out = corpus.copy()
    texts = _texts(corpus)
    rows = pd.Series(np.arange(len(doc_ids)), index=doc_ids.to_numpy()).loc[passages["doc_id"].astype(str).to_numpy()]
    order = np.argsort(rows.to_numpy(), kind="stable")
    rows, spans = rows.to_numpy()[order], passages[["start", "end"]].to_numpy(dtype=np.int64)[order]
    bounds = np.flatnonzero(np.diff(rows)) + 1
    for row, doc_spans in zip(rows[np.concatenate([[0], bounds])] if len(rows) else [], np.split(spans, bounds)):
        texts[row] = _cut_spans(texts[row], doc_spans)
    out["text"] = pd.Series(texts, index=out.index, dtype=corpus["text"].dtype)
    if "n_words" in out.columns:
        out["n_words"] = pd.Series([count_words(text) for text in texts], index=out.index, dtype="int64")
    return out


def _cut_spans(text: str, spans: np.ndarray) -> str:
    """Remove the character ``spans`` from ``text``, each with the whitespace before it."""
    spans = spans[np.argsort(spans[:, 0], kind="stable")]
    if spans.min() < 0 or spans.max() > len(text) or (spans[:, 1] < spans[:, 0]).any():
        raise ValueError(f"passage offsets {spans.tolist()} do not fit a text of {len(text)} characters")
    pieces, position = [], 0
    for start, end in spans.tolist():
        if end <= position:
            continue
        pieces.append(text[position:max(start, position)].rstrip())
        position = end
    kept = "".join(pieces) + text[position:]
    return kept.lstrip() if not text[: spans[0, 0]].strip() else kept


def _index_shingles(
    texts: pd.Series, shingle_size: int, window: int, chunk_size: int
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Hash every shingle of every text and winnow a sample of them, ``chunk_size`` texts at a time.

    Returns the shingle hashes per chunk of texts (texts concatenated), the
    number of shingles of each text, and the hash and text index of each
    winnowed sample ("anchor").
    """
    chunks, anchors, anchor_docs = [], [], []
    n_shingles = np.zeros(len(texts), dtype=np.int64)
    for first in range(0, len(texts), chunk_size):
        words = [text.split() for text in texts.iloc[first:first + chunk_size].tolist()]
        n_words = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        word_hashes = _word_hashes(list(chain.from_iterable(words)))
        del words
        counts = np.maximum(n_words - shingle_size + 1, 0)
        shingles = _rolling_hash(word_hashes, shingle_size)[_ranges(np.cumsum(n_words) - n_words, counts)]
        n_shingles[first:first + len(n_words)] = counts
        positions = _winnow(shingles, window)
        chunks.append(shingles)
        anchors.append(shingles[positions])
        anchor_docs.append(np.repeat(np.arange(first, first + len(n_words), dtype=np.int32), counts)[positions])
    if not chunks:
        return [], n_shingles, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)
    return chunks, n_shingles, np.concatenate(anchors), np.concatenate(anchor_docs)


def _candidate_shingles(
    chunks: list[np.ndarray], n_shingles: np.ndarray, docs: np.ndarray, chunk_size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the hash, text index and position of every shingle of the texts ``docs`` (sorted)."""
    values, doc, position = [], [], []
    for index, hashes in enumerate(chunks):
        first = index * chunk_size
        counts_in_chunk = n_shingles[first:first + chunk_size]
        local = docs[(docs >= first) & (docs < first + chunk_size)] - first
        counts = counts_in_chunk[local]
        values.append(hashes[_ranges((np.cumsum(counts_in_chunk) - counts_in_chunk)[local], counts)])
        doc.append(np.repeat((local + first).astype(np.int32), counts))
        position.append(_ranges(np.zeros(len(local), dtype=np.int64), counts).astype(np.int32))
    if not values:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    return np.concatenate(values), np.concatenate(doc), np.concatenate(position)


def _word_hashes(words: list[str]) -> np.ndarray:
    """Return a stable 64-bit hash of each word, casefolded and stripped of punctuation."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    codes, uniques = pd.factorize(np.asarray(words, dtype=object))
    folded = np.array([word.casefold().strip(_STRIP) for word in uniques], dtype=object)
    return pd.util.hash_array(folded)[codes]


def _rolling_hash(values: np.ndarray, size: int) -> np.ndarray:
    """Combine each run of ``size`` consecutive 64-bit values into one hash (wrapping arithmetic)."""
    n = len(values) - size + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    combined = values[:n].copy()
    for offset in range(1, size):
        combined = combined * _SHINGLE_MULTIPLIER + values[offset:offset + n]
    return combined


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(start, start + length)`` for each pair, vectorised."""
    total = int(lengths.sum())
    firsts = np.cumsum(lengths) - lengths
    return np.repeat(starts - firsts, lengths) + np.arange(total)


def _winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Return the sorted positions of the hashes that are the smallest of some ``window`` consecutive ones.

    Windows that straddle two texts only add positions; every window inside a
    text contributes its minimum, which is what the guarantee rests on.
    """
    if len(hashes) < window:
        return np.zeros(0, dtype=np.int64)
    minima = _sliding(hashes, window, np.minimum)
    padding = np.zeros(window - 1, dtype=hashes.dtype)
    covering = _sliding(np.concatenate([padding, minima, padding]), window, np.maximum)
    return np.flatnonzero(hashes == covering)


def _sliding(values: np.ndarray, width: int, op: np.ufunc) -> np.ndarray:
    """Return ``op`` (np.minimum or np.maximum) over each run of ``width`` values (van Herk/Gil-Werman)."""
    n = len(values)
    limits = np.iinfo(values.dtype)
    padded = np.full(-(-n // width) * width, limits.max if op is np.minimum else limits.min, dtype=values.dtype)
    padded[:n] = values
    blocks = padded.reshape(-1, width)
    prefix = op.accumulate(blocks, axis=1).ravel()
    suffix = op.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return op(suffix[: n - width + 1], prefix[width - 1 : n])


def _docs_sharing(anchors: np.ndarray, anchor_docs: np.ndarray, outlet_codes: np.ndarray) -> np.ndarray:
    """Return the (sorted) texts that have an anchor hash also found in another outlet."""
    if len(anchors) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(anchors)
    sorted_hashes, sorted_docs = anchors[order], anchor_docs[order]
    group = _group_ids(sorted_hashes)
    mixed = _spans_outlets(outlet_codes[sorted_docs], group)
    return _sorted_unique(sorted_docs[mixed[group]])


def _group_ids(sorted_values: np.ndarray) -> np.ndarray:
    """Number the runs of equal values in a sorted array 0, 1, 2, ..."""
    return np.cumsum(np.concatenate([[True], sorted_values[1:] != sorted_values[:-1]])) - 1


def _spans_outlets(outlets: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Tell, per group (consecutive ids from 0), whether its members come from two or more outlets."""
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    return np.minimum.reduceat(outlets, starts) != np.maximum.reduceat(outlets, starts)


def _segments(
    values: np.ndarray,
    doc: np.ndarray,
    position: np.ndarray,
    outlet_codes: np.ndarray,
    shingle_size: int,
    min_words: int,
) -> pd.DataFrame:
    """Cut shingles into runs found in the same set of texts of two or more outlets.

    ``values``, ``doc`` and ``position`` describe every shingle of the candidate
    texts, text by text in order. Returns one row per run that lies in a stretch
    of at least ``min_words`` words shared with other outlets (the run itself may
    be shorter): ``doc`` (text index), ``first`` (word position),
    ``n_words``, ``key`` and ``first_hash`` (equal keys, first hashes and
    lengths = the same passage).
    """
    columns = ["doc", "first", "n_words", "key", "first_hash"]
    if len(values) == 0:
        return pd.DataFrame({name: np.zeros(0, dtype=np.int64) for name in columns})
    # Group equal hashes; within a group the texts stay in ascending order (stable sort).
    order = np.argsort(values, kind="stable")
    sorted_docs = doc[order]
    group = _group_ids(values[order])
    first_of_pair = np.concatenate([[True], (group[1:] != group[:-1]) | (sorted_docs[1:] != sorted_docs[:-1])])
    pair_group, pair_doc = group[first_of_pair], sorted_docs[first_of_pair]
    # The set of texts holding a hash, summarised as a sum of random 64-bit keys.
    doc_keys = np.random.default_rng(_DOC_KEY_SEED).integers(
        0, np.iinfo(np.uint64).max, size=len(outlet_codes), dtype=np.uint64, endpoint=True
    )
    pair_starts = np.flatnonzero(np.concatenate([[True], pair_group[1:] != pair_group[:-1]]))
    set_keys = np.add.reduceat(doc_keys[pair_doc], pair_starts)
    del first_of_pair, pair_group, pair_doc
    shared = np.empty(len(values), dtype=bool)
    shared[order] = _spans_outlets(outlet_codes[sorted_docs], group)[group]
    key = np.empty(len(values), dtype=np.uint64)
    key[order] = set_keys[group]
    del order, sorted_docs, group
    same_stretch = shared[1:] & shared[:-1] & (doc[1:] == doc[:-1])
    same_run = same_stretch & (key[1:] == key[:-1])
    starts = np.flatnonzero(shared & ~np.concatenate([[False], same_run]))
    stops = np.flatnonzero(shared & ~np.concatenate([same_run, [False]]))
    n_words = stops - starts + shingle_size
    # A run counts if the stretch of shared shingles around it (whatever their texts) is long enough.
    stretch_starts = np.flatnonzero(shared & ~np.concatenate([[False], same_stretch]))
    stretch_stops = np.flatnonzero(shared & ~np.concatenate([same_stretch, [False]]))
    stretch = np.searchsorted(stretch_starts, starts, side="right") - 1
    keep = stretch_stops[stretch] - stretch_starts[stretch] + shingle_size >= min_words
    starts = starts[keep]
    return pd.DataFrame({
        "doc": doc[starts].astype(np.int64),
        "first": position[starts].astype(np.int64),
        "n_words": n_words[keep],
        "key": key[starts],
        "first_hash": values[starts],
    })


def _occurrences(
    segments: pd.DataFrame,
    doc_ids: np.ndarray,
    texts: dict[int, str],
    outlet_names: np.ndarray,
    outlet_codes: np.ndarray,
) -> pd.DataFrame:
    """Turn word runs into character spans and number the passages; ``texts`` maps text index to text."""
    columns = ["passage_id", "doc_id", "outlet", "start", "end", "n_words", "text"]
    if segments.empty:
        return pd.DataFrame({
            name: pd.Series(dtype=object if name in ("doc_id", "outlet", "text") else np.int64) for name in columns
        })
    segments = segments.sort_values(["doc", "first"], kind="stable").copy()
    starts, ends = [], []
    for doc, rows in segments.groupby("doc", sort=False):
        word_starts, word_ends = _word_spans(texts[int(doc)])
        starts.append(word_starts[rows["first"].to_numpy()])
        ends.append(word_ends[(rows["first"] + rows["n_words"] - 1).to_numpy()])
    segments["start"], segments["end"] = np.concatenate(starts), np.concatenate(ends)
    segments["outlet"] = outlet_names[outlet_codes[segments["doc"].to_numpy()]]
    segments["passage"] = segments.groupby(["key", "first_hash", "n_words"], sort=False).ngroup()
    spread = segments.groupby("passage")["outlet"].transform("nunique")
    segments = segments[spread >= 2]
    # Number passages by reach (outlets, then articles), length and first appearance.
    summary = segments.groupby("passage").agg(
        n_outlets=("outlet", "nunique"), n_docs=("doc", "nunique"), n_words=("n_words", "first"), doc=("doc", "min")
    )
    summary = summary.sort_values(["n_outlets", "n_docs", "n_words", "doc"], ascending=[False, False, False, True])
    number = pd.Series(np.arange(len(summary)), index=summary.index)
    segments["passage_id"] = number.loc[segments["passage"].to_numpy()].to_numpy()
    first = segments.sort_values(["passage_id", "doc"]).drop_duplicates("passage_id")
    passage_text = {
        pid: texts[int(doc)][start:end]
        for pid, doc, start, end in zip(first["passage_id"], first["doc"], first["start"], first["end"])
    }
    segments["doc_id"] = doc_ids[segments["doc"].to_numpy()]
    segments["text"] = segments["passage_id"].map(passage_text)
    result = segments.sort_values(["passage_id", "doc", "first"], kind="stable")[columns]
    return result.reset_index(drop=True).astype({"start": np.int64, "end": np.int64, "n_words": np.int64})


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """Return the distinct values, sorted (faster than ``np.unique`` on random 64-bit hashes)."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


@functools.cache
def _whitespace_table() -> np.ndarray:
    """Return a lookup table, by code point, of the characters at which ``str.split()`` splits."""
    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[list(_WHITESPACE)] = True
    return table


def _word_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the start and end character offsets of the words of ``text.split()``."""
    codepoints = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    in_word = ~_whitespace_table()[codepoints]
    edges = np.diff(np.concatenate([[0], in_word.astype(np.int8), [0]]))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


# --------------------------------------------------------------------------- helpers


def _check_frame(frame: object, name: str, columns: Sequence[str]) -> None:
    """Raise ValueError unless ``frame`` is a DataFrame with ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has {list(frame.columns)}")


def _check_positive_int(value: object, name: str, minimum: int = 1) -> None:
    """Raise ValueError unless ``value`` is an int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_outlet(value: object, outlets: list[str], name: str) -> None:
    """Raise ValueError unless ``value`` is one of ``outlets``."""
    if value not in outlets:
        raise ValueError(f"{name} must be one of the outlets {outlets}, got {value!r}")


def _check_texts(corpus: pd.DataFrame) -> None:
    """Raise ValueError unless every value of ``corpus["text"]`` is a string."""
    _texts(corpus)


def _texts(corpus: pd.DataFrame) -> list[str]:
    """Return the ``text`` column as a list of str, refusing missing or non-text values."""
    texts = corpus["text"].tolist()  # the only pass that turns the column into Python strings
    bad = [position for position, text in enumerate(texts) if not isinstance(text, str)]
    if bad:
        raise ValueError(f"corpus['text'] must hold strings; {len(bad)} rows do not (first at position {bad[0]})")
    return texts


def _word_counts(corpus: pd.DataFrame) -> pd.Series:
    """Return ``n_words`` if the corpus has it, else the number of whitespace-separated words."""
    if "n_words" in corpus.columns:
        return corpus["n_words"].astype("int64")
    return pd.Series([len(text.split()) for text in _texts(corpus)], index=corpus.index, dtype="int64")


def _resolve_counts(corpus: pd.DataFrame, counts: TermCounts | None) -> TermCounts:
    """Return ``counts`` after checking it fits ``corpus``, or count the corpus's terms."""
    if counts is None:
        return term_counts(corpus)
    if not isinstance(counts, TermCounts):
        raise ValueError(f"counts must be a TermCounts from term_counts(), got {type(counts).__name__}")
    if counts.matrix.shape[0] != len(corpus):
        raise ValueError(f"counts has {counts.matrix.shape[0]} rows but corpus has {len(corpus)} articles")
    return counts


def _group_sums(matrix: sparse.spmatrix, labels: pd.Series, outlets: list[str]) -> tuple[sparse.csr_matrix, pd.Series]:
    """Sum the rows of ``matrix`` per outlet (one sparse indicator product); also count articles."""
    codes = pd.Categorical(labels, categories=outlets).codes
    indicator = sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(outlets), len(codes))
    )
    n_articles = pd.Series(np.bincount(codes, minlength=len(outlets)), index=outlets)
    return (indicator @ matrix).tocsr(), n_articles


def _row(matrix: sparse.csr_matrix, index: int) -> np.ndarray:
    """Return one row of a sparse matrix as a dense 1-D array."""
    return matrix[index].toarray().ravel()


def _warn_small(n_articles: pd.Series, min_articles: int) -> None:
    """Warn once about the groups with fewer than ``min_articles`` articles."""
    small = n_articles[n_articles < min_articles]
    if small.empty:
        return
    listed = ", ".join(f"{name} (n={int(n)})" for name, n in small.items())
    warnings.warn(
        f"fewer than {min_articles} articles: {listed}; differences involving "
        f"{'this outlet' if len(small) == 1 else 'these outlets'} are descriptive only",
        SmallSampleWarning,
        stacklevel=3,
    )


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
    """Say in one sentence why a table of :func:`attention_over_time` is not worth a chart; None if it is.

    A time line needs dated articles in at least two periods, and at least one outlet and period
    with enough articles that its share is not ``thin``.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["taz", "taz"],
    ...                        "date": pd.to_datetime(["2026-03-02", "2026-03-03"])})
    >>> why_no_time_line(attention_over_time(corpus, pd.DataFrame({"x": [True, False]}, index=["a", "b"]), freq="W"))
    'No time line: the 2 dated articles fall into one week.'
    """
    if table.empty:
        return "No time line: no article has a date."
    unit = {"D": "day", "W": "week", "M": "month"}[table.attrs["freq"]]
    if table["period"].nunique() < 2:
        n_dated = table.drop_duplicates(["period", table.columns[1]])["articles"].sum()
        return f"No time line: the {n_dated:,} dated articles fall into one {unit}."
    if table["thin"].all():
        return (f"No time line: no outlet has {table.attrs['min_articles']} or more articles in any {unit}; "
                "shares of so few texts would show chance.")
    return None
