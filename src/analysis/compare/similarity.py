"""How alike outlets are in their vocabulary, and each outlet's mix of topic clusters."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from analysis.compare.keyness import _resolve_counts
from analysis.compare.outlets import (
    MIN_ARTICLES_PER_OUTLET,
    _check_positive_int,
    _group_sums,
    _warn_small,
    outlet_labels,
)
from analysis.text import TermCounts

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


