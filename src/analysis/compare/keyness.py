"""Distinctive vocabulary: term counts per article and the keyness of terms for one outlet against the rest."""
from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import xlogy
from scipy.stats import chi2

from analysis.compare.outlets import (
    MIN_ARTICLES_PER_OUTLET,
    _check_frame,
    _check_outlet,
    _check_positive_int,
    _group_sums,
    _row,
    _texts,
    _warn_small,
    outlet_labels,
)
from analysis.engine import is_partitioned
from analysis.text import TermCounts, count_terms, make_analyzer

logger = logging.getLogger(__name__)

#: Added to a zero count in the log ratio (Hardie 2014), so that it stays finite.
LOG_RATIO_ZERO = 0.5
#: Keyness lists a term only if it occurs in at least this many articles of the side that uses it more ...
MIN_DOCS = 3
#: ... and, where that side has more than ``DOCS_SHARE_FROM`` articles, in at least this share of them.
MIN_DOCS_SHARE = 0.05
DOCS_SHARE_FROM = 60
# --------------------------------------------------------------------------- keyness


def term_counts(
    corpus: pd.DataFrame, analyzer: Callable[[str], list[str]] | None = None, min_df: int = 1, n_jobs: int = 1
) -> TermCounts:
    """Count the terms of every article once, for reuse across outlets and comparisons.

    Parameters
    ----------
    corpus : pandas.DataFrame or CorpusStore
        One row per article with a ``text`` column, or a corpus store (:func:`analysis.load.open_store`).
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
    if not is_partitioned(corpus):
        _check_frame(corpus, "corpus", ["text"])
    _check_positive_int(min_df, "min_df")
    if analyzer is None:
        analyzer = make_analyzer(stem=False)
    if not callable(analyzer):
        raise ValueError(f"analyzer must be callable, got {type(analyzer).__name__}")
    texts = corpus if is_partitioned(corpus) else _texts(corpus)  # a store's texts are read by the tasks
    matrix, terms = count_terms(texts, analyzer, min_df=min_df, n_jobs=n_jobs)
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


def _resolve_counts(corpus: pd.DataFrame, counts: TermCounts | None) -> TermCounts:
    """Return ``counts`` after checking it fits ``corpus``, or count the corpus's terms."""
    if counts is None:
        return term_counts(corpus)
    if not isinstance(counts, TermCounts):
        raise ValueError(f"counts must be a TermCounts from term_counts(), got {type(counts).__name__}")
    if counts.matrix.shape[0] != len(corpus):
        raise ValueError(f"counts has {counts.matrix.shape[0]} rows but corpus has {len(corpus)} articles")
    return counts


