"""Group articles into topics with TF-IDF and k-means, and find similar articles.

:func:`cluster_documents` turns a corpus into TF-IDF vectors of German stems
(:mod:`analysis.text`), weights their terms by the IDF once more for clustering
(squared IDF), reduces them with LSA (truncated SVD) when the corpus is large
enough, clusters them with k-means from several seeds and keeps the most central of
their partitions, names each cluster by its heaviest terms that many of
its articles share, in readable surface forms, and draws a 2-D map. Without a given
k, k is chosen where the partitions of resamples agree best (a stability optimum
inside the range tried), or set by a documented default where there is no such optimum. Given the word counts of
:func:`analysis.compare.term_counts`, it folds them into stems instead of reading
the texts again, so that topics and keyness share one pass over the corpus.
:func:`document_similarity` and :func:`nearest_neighbours` compare articles by
cosine similarity.

Clusters are a description of word use, not a finding: on a handful of articles
they describe those articles and prove nothing about topics in the wider news.
"""
from __future__ import annotations

import itertools
import logging
import math
import warnings
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from analysis.text import (
    Analyzer, TermCounts, count_terms, display_forms, german_stopwords, make_analyzer, tokenize, unit_terms,
)

logger = logging.getLogger(__name__)

__all__ = [
    "StoreTopics",
    "TopicResult",
    "cluster_documents",
    "cluster_store",
    "document_similarity",
    "nearest_neighbours",
    "representative_documents",
]

#: Below this many documents the clusters only describe the corpus (warning + note).
SMALL_CORPUS = 30
#: From this many documents on, k-means runs on an LSA projection instead of raw TF-IDF.
LSA_MIN_DOCS = 50
#: From this many documents on, the memory-bounded large-corpus settings apply.
LARGE_CORPUS = 10_000
#: Below this share of German function words among their words the texts do not look German (warning + note);
#: German news has about half, German headlines about 0.3, English or French texts almost none.
MIN_GERMAN_SHARE = 0.15
#: Texts read to judge the language: evenly spread over the corpus.
LANGUAGE_SAMPLE = 200
#: k-means runs, with seeds ``random_state``, ``random_state + 1``, ..., behind each partition and stability score.
N_SEEDS = 5
#: k-means restarts behind each of the ``N_SEEDS`` final runs (the best inertia wins). Where many partitions fit
#: almost equally well (short texts), runs of ten restarts end in different ones and the central run changes with
#: the seed: NMI spread 0.036 over five seeds on frontpage-2026 sections, 0.005 with thirty (benchmarks/README.md).
N_INIT = 30
#: ... and on large corpora, where each restart costs seconds.
LARGE_N_INIT = 2
#: Share of the documents each run of the stability scan is fitted on (a resample without replacement).
STABILITY_SUBSAMPLE = 0.8
#: First seed of the stability scan's resamples and k-means fits, whatever ``random_state``: k is a property of the
#: corpus, and with the scan's seeds following ``random_state`` another seed chose another of several almost equally
#: stable k (4 or 5 of FANG-COVID, 4 to 11 of front-page teasers; benchmarks/README.md).
SCAN_SEED = 0
#: A stability optimum must lie above both neighbouring k by at least this much mean pairwise ARI.
STABILITY_MARGIN = 0.01
#: A label term occurs in at least this many articles of its cluster (in all of a smaller cluster) ...
LABEL_MIN_ARTICLES = 3
#: ... and, in a cluster of more than ``LABEL_SHARE_FROM`` articles, in at least this share of them.
LABEL_MIN_SHARE = 0.05
LABEL_SHARE_FROM = 60
#: Terms that follow a number in at least this share of their occurrences are units, not labels.
UNIT_SHARE = 0.5


@dataclass
class TopicResult:
    """Clusters of a corpus and everything needed to explain them.

    Attributes
    ----------
    doc_ids : pandas.Index
        The corpus' ``doc_id`` values, in corpus order.
    labels : numpy.ndarray
        Cluster number (0 .. n_clusters-1) of each document, in corpus order.
        Clusters are numbered by decreasing size.
    n_clusters : int
        Number of clusters.
    top_terms : pandas.DataFrame
        Columns ``cluster, rank, term, stem, weight, n_docs, share``: the most
        distinctive terms of each cluster, ``term`` in readable form. ``weight`` is
        the term's mean TF-IDF weight inside the cluster minus its mean weight
        outside it; ``n_docs`` the cluster's articles that contain it and ``share``
        their share of the cluster. Only terms found in at least
        ``LABEL_MIN_ARTICLES`` articles of the cluster (all of a smaller one) and,
        in a cluster of more than ``LABEL_SHARE_FROM``, in ``LABEL_MIN_SHARE`` of
        them are listed; units and number words ("Mrd", "Prozent") are not.
    embedding : pandas.DataFrame
        Columns ``doc_id, x, y, cluster``: a deterministic 2-D map (PCA of the
        space k-means ran in).
    k_scores : pandas.DataFrame
        Columns ``k, stability, stability_sd, silhouette``: per k tried, the mean
        (and standard deviation) of the adjusted Rand index between the partitions
        of k-means runs on resamples with different seeds, and the cosine
        silhouette of one of them. One row, from the final runs, when k was given.
    vectorizer : sklearn.pipeline.Pipeline
        A vectoriser that turns texts into rows like those of ``matrix``: a ``CountVectorizer``
        of the analyzer and the vocabulary left after ``min_df``/``max_df`` pruning, then the
        ``TfidfTransformer`` fitted on the corpus.
    matrix : scipy.sparse.csr_matrix
        Document-term matrix (rows l2-normalised TF-IDF), in corpus order.
    method : str
        ``"tfidf-kmeans"`` (k-means on the TF-IDF rows) or ``"lsa-kmeans"``
        (k-means on an l2-normalised LSA projection).
    notes : list of str
        Plain-language remarks on the path taken and on the limits of the result.
    stability : float
        Mean pairwise adjusted Rand index between the partitions of the
        ``n_seeds`` k-means runs at the chosen k (1 = every seed gives the same
        clusters, 0 = no more agreement than chance); NaN with one seed.
    run_agreement : pandas.DataFrame
        The adjusted Rand index of every pair of those runs, indexed by seed.
    central_seed : int
        The seed whose partition is shown: the one that agrees best, on average,
        with the others.
    k_choice : str
        ``"given"``, ``"stability optimum"`` or ``"default"`` (no optimum inside
        the range tried).
    svd : sklearn.decomposition.TruncatedSVD or None
        The LSA fitted on the corpus (None where k-means ran on the TF-IDF rows).
    centres : numpy.ndarray
        The clusters' centres in the space k-means ran in (the mean of their rows), by
        which :func:`assign_clusters` places other articles.
    space_weights : numpy.ndarray
        The weight of each term of ``matrix`` in that space (its IDF once more): the rows k-means ran on, or
        projected by ``svd``, are the TF-IDF rows times these weights, l2-normalised.
    """

    doc_ids: pd.Index
    labels: np.ndarray
    n_clusters: int
    top_terms: pd.DataFrame
    embedding: pd.DataFrame
    k_scores: pd.DataFrame
    vectorizer: Pipeline
    matrix: sp.csr_matrix
    method: str
    notes: list[str] = field(default_factory=list)
    stability: float = float("nan")
    run_agreement: pd.DataFrame = field(default_factory=pd.DataFrame)
    central_seed: int = 0
    k_choice: str = "given"
    svd: TruncatedSVD | None = None
    centres: np.ndarray | None = None
    space_weights: np.ndarray | None = None

    @property
    def sizes(self) -> pd.Series:
        """Number of documents per cluster."""
        counts = np.bincount(self.labels, minlength=self.n_clusters)
        return pd.Series(counts, index=pd.RangeIndex(self.n_clusters, name="cluster"), name="n_docs")

    def labels_frame(self) -> pd.DataFrame:
        """Return ``doc_id, cluster`` for every document, in corpus order."""
        return pd.DataFrame({"doc_id": self.doc_ids, "cluster": self.labels})

    def cluster_labels(self, n_terms: int = 3, shares: bool = False) -> pd.Series:
        """Return a short label per cluster made of its ``n_terms`` heaviest terms.

        Parameters
        ----------
        n_terms : int, default 3
            Terms per label.
        shares : bool, default False
            Write beside each term the share of the cluster's articles that contain it.

        Returns
        -------
        pandas.Series
            Index ``cluster``, values such as "Präsident, Gipfel, Kasachstan" or,
            with ``shares``, "Präsident (80 %), Gipfel (45 %), Kasachstan (40 %)".
        """
        if not isinstance(n_terms, int) or n_terms < 1:
            raise ValueError(f"n_terms must be a positive int, got {n_terms!r}")
        top = self.top_terms[self.top_terms["rank"] <= n_terms]
        if shares:
            top = top.assign(term=[f"{term} ({100 * share:.0f} %)" for term, share in zip(top["term"], top["share"])])
        labels = top.groupby("cluster", sort=True)["term"].agg(", ".join)
        return labels.reindex(range(self.n_clusters), fill_value="").rename("label")


def cluster_documents(
    corpus: pd.DataFrame,
    n_clusters: int | None = None,
    random_state: int = 0,
    *,
    text_column: str = "text",
    k_range: range | None = None,
    max_k: int = 20,
    analyzer: Analyzer | None = None,
    counts: TermCounts | None = None,
    min_df: int | float | None = None,
    max_df: float | None = None,
    n_components: int = 30,
    n_init: int = N_INIT,
    n_top_terms: int = 10,
    large_threshold: int = LARGE_CORPUS,
    silhouette_sample: int = 4000,
    n_seeds: int = N_SEEDS,
) -> TopicResult:
    """Cluster articles by their vocabulary with TF-IDF and k-means.

    Texts become TF-IDF vectors of German stems (sublinear term frequency,
    German stopwords removed, rows l2-normalised): the stems are counted, terms
    outside the ``min_df``/``max_df`` limits dropped, and the counts weighted as
    scikit-learn's ``TfidfVectorizer(min_df=..., max_df=..., sublinear_tf=True)``
    does. Given ``counts`` (the word counts of :func:`analysis.compare.term_counts`),
    the words are folded into their stems (:meth:`TermCounts.stemmed`) instead of
    reading the texts again; the result is the same. For clustering, each term
    of these rows is weighted by its IDF once more (rows re-normalised), so that
    k-means sees the squared IDF: the many terms found in a sizeable share of
    the articles weigh less against the rarer ones that tell topics apart.
    Corpora of at least ``LSA_MIN_DOCS`` documents are then projected by LSA
    (truncated SVD to ``n_components`` dimensions, rows re-normalised), which
    removes noise and keeps k-means fast and memory-bounded; smaller ones are
    clustered on the weighted rows directly. The SVD is solved exactly (ARPACK), so the space does
    not depend on ``random_state``: a randomized SVD gives another space for
    each seed where the singular values fall slowly, as they do for short texts.

    k-means runs ``n_seeds`` times, with the seeds ``random_state``,
    ``random_state + 1``, ...; the partition kept is the most central one (the
    highest mean adjusted Rand index, ARI, with the other runs), and the mean
    pairwise ARI is reported as ``stability``, so that another ``random_state``
    gives nearly the same clusters where the structure allows it. Without
    ``n_clusters``, k is chosen by stability: for each k of ``k_range`` (up to the
    number of documents with different terms, as k-means cannot split identical
    vectors) k-means is fitted on ``n_seeds`` resamples of
    ``STABILITY_SUBSAMPLE`` of the documents, every document is assigned to the
    nearest centre of each fit, and the mean pairwise ARI of these partitions is
    the k's stability. The resamples and fits of this scan have fixed seeds
    (from ``SCAN_SEED``), so that k does not change with ``random_state``; only
    the final k-means runs do. The chosen k is the highest stability optimum inside the
    range (above both neighbouring k by ``STABILITY_MARGIN``); the ends of the
    range are never an optimum, since a k at the bound may only be the start of a
    trend. Without such an optimum, k is the default ``round(sqrt(n_docs / 2))``
    (Mardia et al. 1979), kept within the range, and a note says so. The same
    ``random_state`` gives the same result. Texts of which fewer than ``MIN_GERMAN_SHARE`` of the
    words are German function words get a warning: the German stopwords and
    stems do not fit them, and their labels may be another language's function
    words.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article with ``doc_id`` and ``text_column``.
    n_clusters : int, optional
        Number of clusters, between 2 and the number of documents minus one,
        and at most the number of documents with different terms. Default:
        chosen by stability (see above).
    random_state : int, default 0
        First seed of the final k-means runs; seed for silhouette sampling (and the
        start vector of the SVD, whose result does not depend on it). Not the seed
        of the scan that chooses k (``SCAN_SEED``).
    text_column : str, default "text"
        Column holding the article text.
    k_range : range, optional
        Candidate k values when ``n_clusters`` is None. Default: 2 to
        ``min(max_k, n_docs - 1)``. Values outside [2, n_docs - 1] are dropped,
        and so are those above the number of documents with different terms.
    max_k : int, default 20
        Upper end of the default ``k_range``.
    analyzer : Analyzer, optional
        Text-to-terms function; default ``make_analyzer()`` (stems, no stopwords).
    counts : TermCounts, optional
        Term counts of the same texts (rows in corpus order, ``min_df=1``) made by
        an :class:`Analyzer` with the settings of ``analyzer``, except that words
        are folded into stems here if ``analyzer`` stems:
        ``analysis.compare.term_counts(corpus)`` fits the default analyzer.
        Default: count the texts' terms with ``analyzer``.
    min_df : int or float, optional
        Minimum document frequency of a term: a number of documents (int >= 1) or
        a share of them (float in (0, 1]). Default: 1 below 50 documents,
        otherwise ``max(2, ceil(n_docs / 2000))`` (5 per 10,000 articles).
    max_df : float, optional
        Drop terms found in more than this share of documents. Default 0.5, or
        1.0 below ``SMALL_CORPUS`` documents (where "more than half" may be two
        articles).
    n_components : int, default 30
        Upper bound of the LSA dimensions; the number used is one per ten
        documents, at least 10, and at most twice the distinct terms of an
        average text (at least 10; and below the number of documents and terms).
    n_init : int, default ``N_INIT`` (30)
        k-means restarts of each of the ``n_seeds`` final runs; the best inertia
        wins. At most ``LARGE_N_INIT`` (2) on large corpora. The stability scan
        takes the best of 3 starts per resample (1 on large corpora).
    n_top_terms : int, default 10
        Terms kept per cluster in ``top_terms``.
    large_threshold : int, default 10_000
        From this many documents on, large-corpus settings apply: fewer k-means
        restarts, k-means on all cores, silhouette on a sample.
    silhouette_sample : int, default 4000
        Documents sampled for the silhouette score on large corpora.
    n_seeds : int, default ``N_SEEDS`` (5)
        k-means runs (and resamples per k when choosing k); 1 gives one run and no
        stability.

    Returns
    -------
    TopicResult
        Labels, top terms, 2-D map, k scores, vectoriser, matrix and notes.

    Raises
    ------
    ValueError
        If the corpus lacks the needed columns, has fewer than three documents
        with text, has fewer documents with different terms than the smallest k
        to try, if ``counts``
        do not fit the corpus or ``analyzer``, or if an argument is out of range.

    Examples
    --------
    >>> corpus = pd.DataFrame({
    ...     "doc_id": ["a", "b", "c", "d"],
    ...     "text": ["Tore, Tore und ein Elfmeter im Stadion.",
    ...              "Das Stadion feiert die Tore.",
    ...              "Die Zentralbank hebt die Zinsen.",
    ...              "Zinsen und Inflation: die Zentralbank reagiert."],
    ... })
    >>> result = cluster_documents(corpus, n_clusters=2)  # warns: only 4 documents
    >>> result.labels.tolist(), result.cluster_labels(1).tolist()
    ([0, 0, 1, 1], ['Tore', 'Zentralbank'])

    The word counts that keyness uses give the same clusters:

    >>> from analysis.compare import term_counts
    >>> same = cluster_documents(corpus, n_clusters=2, counts=term_counts(corpus))
    >>> same.labels.tolist(), same.cluster_labels(1).tolist()
    ([0, 0, 1, 1], ['Tore', 'Zentralbank'])
    """
    texts, doc_ids = _validate_corpus(corpus, text_column)
    n_docs = len(texts)
    candidates = _candidate_ks(n_docs, n_clusters, k_range, max_k)
    _check_int(random_state, "random_state", minimum=0)
    _check_int(n_components, "n_components", minimum=2)
    _check_int(n_init, "n_init", minimum=1)
    _check_int(n_top_terms, "n_top_terms", minimum=1)
    _check_int(large_threshold, "large_threshold", minimum=1)
    _check_int(silhouette_sample, "silhouette_sample", minimum=10)
    _check_int(n_seeds, "n_seeds", minimum=1)
    if max_df is None:
        max_df = 1.0 if n_docs < SMALL_CORPUS else 0.5
    if isinstance(max_df, bool) or not isinstance(max_df, (int, float)) or not 0 < max_df <= 1:
        raise ValueError(f"max_df must be in (0, 1], got {max_df!r}")
    min_df = _auto_min_df(n_docs) if min_df is None else min_df
    _check_min_df(min_df)
    analyzer = analyzer if analyzer is not None else make_analyzer()
    notes: list[str] = []
    large = n_docs >= large_threshold
    _check_language(texts, notes)

    vectorizer, matrix = _tfidf(_analyzer_counts(texts, analyzer, counts), min_df, float(max_df))
    candidates = _distinct_candidates(matrix, doc_ids, candidates, notes)
    space_weights = vectorizer[-1].idf_.astype(np.float32)
    space, method, svd = _clustering_space(matrix, space_weights, n_components, random_state, notes)

    final_init = min(n_init, LARGE_N_INIT) if large else n_init
    sample_size = min(silhouette_sample, n_docs) if large else None
    if large:
        message = (
            f"Large corpus ({n_docs} >= {large_threshold} documents): silhouette on a sample of "
            f"{sample_size} documents, {final_init} k-means restarts per seed."
        )
        notes.append(message)
        logger.info(message)
    # k-means of a small corpus runs in one thread: on a busy machine, waiting threads cost ten times the work
    with threadpool_limits(limits=None if large else 1, user_api="openmp"):
        if n_clusters is None:
            k_scores = _scan_stability(space, candidates, SCAN_SEED, n_seeds, sample_size, 1 if large else 3)
            k, k_choice = _choose_k(k_scores, n_docs, notes)
        else:
            k, k_choice = n_clusters, "given"
        runs = [_kmeans(space, k, random_state + i, final_init).labels_ for i in range(n_seeds)]
    agreement = _agreement(runs, random_state)
    central = int(np.argmax(agreement.mean(axis=1).to_numpy())) if n_seeds > 1 else 0
    stability = _mean_pairwise(agreement)
    labels = _relabel_by_size(runs[central], k)
    if n_clusters is not None:
        silhouette = _silhouette(space, labels, sample_size, random_state) if len(np.unique(labels)) > 1 else np.nan
        k_scores = pd.DataFrame([{"k": k, "stability": stability, "stability_sd": _sd_pairwise(agreement),
                                  "silhouette": silhouette}])
    if n_seeds > 1:
        notes.append(
            f"{n_seeds} k-means runs (seeds {random_state}..{random_state + n_seeds - 1}) agree with a mean pairwise "
            f"ARI of {stability:.2f}; shown is the most central run (seed {random_state + central})."
        )

    if n_docs < SMALL_CORPUS:
        message = (
            f"Only {n_docs} documents: the {k} clusters describe how these articles use words; "
            "they do not prove that the topics exist beyond them."
        )
        _warn(message, notes, depth=0)
    logger.info("Clustered %d documents into %d clusters via %s", n_docs, k, method)

    top_terms = _top_terms(matrix, labels, k, vectorizer.get_feature_names_out(), texts, analyzer, n_top_terms)
    embedding = _embedding(space, random_state, doc_ids, labels)
    return TopicResult(
        doc_ids=doc_ids,
        labels=labels,
        n_clusters=k,
        top_terms=top_terms,
        embedding=embedding,
        k_scores=k_scores,
        vectorizer=vectorizer,
        matrix=matrix,
        method=method,
        notes=notes,
        stability=stability,
        run_agreement=agreement,
        central_seed=random_state + central,
        k_choice=k_choice,
        svd=svd,
        centres=_centres(space, labels, k),
        space_weights=space_weights,
    )


def assign_clusters(result: TopicResult, corpus, *, n_jobs: int | None = None) -> np.ndarray:
    """Place each article of ``corpus`` in the cluster of ``result`` whose centre is nearest.

    Cluster a sample that fits in memory with :func:`cluster_documents`, then assign every
    article of the corpus (a frame or a store, read a partition at a time): each text is
    weighted with the sample's vocabulary and IDF, projected by its LSA and re-normalised,
    as the sample's articles were. An article of the sample gets its own cluster back
    wherever k-means had converged.

    Parameters
    ----------
    result : TopicResult
        What :func:`cluster_documents` returned.
    corpus : pandas.DataFrame or analysis.load.CorpusStore
        Articles with a ``text`` column.
    n_jobs : int, optional
        Worker processes (see :mod:`analysis.engine`).

    Returns
    -------
    numpy.ndarray
        The cluster of each article, in the corpus's order.
    """
    from analysis.engine import reduce_partitions

    if result.centres is None:
        raise ValueError("result holds no cluster centres: make it with cluster_documents")
    parts = reduce_partitions(_nearest_centres, corpus, result.vectorizer, result.space_weights, result.svd,
                              result.centres, n_jobs=n_jobs, columns=["text"])
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def _nearest_centres(part: pd.DataFrame, vectorizer: Pipeline, space_weights: np.ndarray | None,
                     svd: TruncatedSVD | None, centres: np.ndarray) -> np.ndarray:
    """Return the cluster whose centre is nearest to each text of a partition."""
    if part.empty:
        return np.zeros(0, dtype=np.int64)
    rows = vectorizer.transform(_text_list(part["text"]))
    rows = _weighted_rows(rows, space_weights) if space_weights is not None else rows
    space = normalize(svd.transform(rows)) if svd is not None else rows
    products = np.asarray(space @ centres.T)  # squared distance = |x|² - 2 x·c + |c|², |x|² the same for every c
    return np.argmin((centres ** 2).sum(axis=1) - 2 * products, axis=1)


def _centres(space: np.ndarray | sp.csr_matrix, labels: np.ndarray, k: int) -> np.ndarray:
    """Return the mean row of each cluster."""
    members = sp.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels)))
    sums = members @ space
    sums = sums.toarray() if sp.issparse(sums) else np.asarray(sums)
    return sums / np.maximum(np.bincount(labels, minlength=k), 1)[:, None]


def document_similarity(
    result_or_matrix: TopicResult | sp.spmatrix | np.ndarray,
    doc_ids: pd.Index | list | None = None,
    max_docs: int = 5000,
) -> pd.DataFrame:
    """Return the cosine similarity of every pair of documents.

    Parameters
    ----------
    result_or_matrix : TopicResult or sparse matrix or numpy.ndarray
        A clustering result (its TF-IDF matrix and doc_ids are used) or a
        document-term matrix with one row per document.
    doc_ids : sequence, optional
        Row and column labels; default the result's doc_ids, else 0..n-1.
    max_docs : int, default 5000
        Refuse larger inputs (the dense n x n table would not fit in memory);
        use :func:`nearest_neighbours` instead.

    Returns
    -------
    pandas.DataFrame
        Square table of similarities in [0, 1] for TF-IDF input, 1 on the
        diagonal for non-empty documents, labelled by doc_id.

    Examples
    --------
    >>> import numpy as np
    >>> document_similarity(np.array([[1.0, 0.0], [1.0, 1.0]]), doc_ids=["a", "b"]).round(3)
           a      b
    a  1.000  0.707
    b  0.707  1.000
    """
    matrix, ids = _matrix_and_ids(result_or_matrix, doc_ids)
    _check_int(max_docs, "max_docs", minimum=1)
    if matrix.shape[0] > max_docs:
        raise ValueError(
            f"result_or_matrix has {matrix.shape[0]} documents, more than max_docs={max_docs}; "
            "use nearest_neighbours() for large corpora"
        )
    rows = normalize(matrix)
    similarity = rows @ rows.T
    similarity = similarity.toarray() if sp.issparse(similarity) else np.asarray(similarity)
    return pd.DataFrame(similarity, index=ids, columns=ids)


def nearest_neighbours(result: TopicResult, doc_id: object, n: int = 5) -> pd.DataFrame:
    """Return the ``n`` documents most similar to ``doc_id`` (cosine on TF-IDF).

    Parameters
    ----------
    result : TopicResult
        Output of :func:`cluster_documents`.
    doc_id : object
        The document to start from; must be in ``result.doc_ids``.
    n : int, default 5
        Number of neighbours (fewer if the corpus is smaller).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, similarity, cluster, same_cluster``, most similar first;
        ties are broken by corpus order. The document itself is excluded.
    """
    if not isinstance(result, TopicResult):
        raise ValueError(f"result must be a TopicResult, got {type(result).__name__}")
    _check_int(n, "n", minimum=1)
    positions = np.flatnonzero(result.doc_ids == doc_id)
    if len(positions) == 0:
        raise ValueError(f"doc_id {doc_id!r} is not in the result")
    row = positions[0]
    scores = np.asarray((result.matrix @ result.matrix[row].T).todense()).ravel()
    scores[row] = -np.inf
    order = np.argsort(-scores, kind="stable")[: min(n, len(scores) - 1)]
    return pd.DataFrame(
        {
            "doc_id": result.doc_ids[order],
            "similarity": scores[order],
            "cluster": result.labels[order],
            "same_cluster": result.labels[order] == result.labels[row],
        }
    )


def representative_documents(result: TopicResult, n: int = 3) -> pd.DataFrame:
    """Return the ``n`` most typical documents of each cluster.

    A document's typicality is the cosine similarity of its TF-IDF vector to its
    cluster's mean vector, so the first documents show what the cluster is about.

    Parameters
    ----------
    result : TopicResult
        Output of :func:`cluster_documents`.
    n : int, default 3
        Documents per cluster (fewer if a cluster is smaller).

    Returns
    -------
    pandas.DataFrame
        Columns ``cluster, rank, doc_id, similarity``, clusters in order, most
        typical first; ties are broken by corpus order.
    """
    if not isinstance(result, TopicResult):
        raise ValueError(f"result must be a TopicResult, got {type(result).__name__}")
    _check_int(n, "n", minimum=1)
    labels = result.labels
    membership = sp.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(result.n_clusters, len(labels))
    )
    centroids = normalize(membership @ result.matrix)
    similarity = (result.matrix @ centroids.T).toarray()  # documents x clusters
    scores = similarity[np.arange(len(labels)), labels]
    rows = []
    for cluster in range(result.n_clusters):
        members = np.flatnonzero(labels == cluster)
        best = members[np.argsort(-scores[members], kind="stable")[:n]]
        rows += [(cluster, rank, result.doc_ids[i], float(scores[i])) for rank, i in enumerate(best, start=1)]
    return pd.DataFrame(rows, columns=["cluster", "rank", "doc_id", "similarity"])


# ----------------------------------------------------------------------------- helpers


def _validate_corpus(corpus: pd.DataFrame, text_column: str) -> tuple[pd.Series, pd.Index]:
    """Return the text column and the doc_ids of ``corpus`` after checking them."""
    if not isinstance(corpus, pd.DataFrame):
        raise ValueError(f"corpus must be a pandas DataFrame, got {type(corpus).__name__}")
    missing = {"doc_id", text_column} - set(corpus.columns)
    if missing:
        raise ValueError(f"corpus lacks the column(s) {sorted(missing)}")
    doc_ids = pd.Index(corpus["doc_id"], name="doc_id")
    if doc_ids.has_duplicates:
        raise ValueError("corpus has duplicate doc_id values")
    texts = corpus[text_column]
    # Stops at the third text: a large corpus is not turned into Python strings only to be checked.
    n_with_text = sum(1 for _ in itertools.islice((text for text in texts if _as_text(text).strip()), 3))
    if n_with_text < 3:
        raise ValueError(f"corpus needs at least 3 documents with text to cluster, got {n_with_text}")
    return texts, doc_ids


def _as_text(value: object) -> str:
    """Return a text value as str: a missing value as "", anything else through ``str()``."""
    return value if isinstance(value, str) else "" if pd.isna(value) else str(value)


def _text_list(texts: pd.Series) -> list[str]:
    """Return the values of a text column as a list of str (see :func:`_as_text`)."""
    return [_as_text(text) for text in texts.tolist()]


def _check_int(value: object, name: str, minimum: int) -> None:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")


def _candidate_ks(n_docs: int, n_clusters: int | None, k_range: range | None, max_k: int) -> list[int]:
    """Return the k values to try, each within [2, n_docs - 1]."""
    if n_clusters is not None:
        _check_int(n_clusters, "n_clusters", minimum=2)
        if n_clusters > n_docs - 1:
            raise ValueError(f"n_clusters must be at most n_docs - 1 = {n_docs - 1}, got {n_clusters}")
        return [int(n_clusters)]
    _check_int(max_k, "max_k", minimum=2)
    wanted = k_range if k_range is not None else range(2, max_k + 1)
    candidates = sorted({int(k) for k in wanted if 2 <= k <= n_docs - 1})
    if not candidates:
        raise ValueError(f"k_range has no value between 2 and n_docs - 1 = {n_docs - 1}")
    return candidates


def _auto_min_df(n_docs: int) -> int:
    """Scale the minimum document frequency with the corpus (5 per 10,000 documents)."""
    return 1 if n_docs < 50 else max(2, math.ceil(n_docs / 2000))


def _check_min_df(min_df: object) -> None:
    """Raise ValueError unless ``min_df`` is a count (int >= 1) or a share (float in (0, 1])."""
    is_count = isinstance(min_df, Integral) and not isinstance(min_df, bool) and min_df >= 1
    is_share = isinstance(min_df, float) and 0 < min_df <= 1
    if not (is_count or is_share):
        raise ValueError(f"min_df must be an int >= 1 or a float in (0, 1], got {min_df!r}")


def _warn(message: str, notes: list[str], depth: int) -> None:
    """Warn the caller of :func:`cluster_documents`, ``depth`` calls below it, and keep ``message`` in ``notes``."""
    warnings.warn(message, UserWarning, stacklevel=depth + 3)
    notes.append(message)


def _check_language(texts: pd.Series, notes: list[str]) -> None:
    """Warn (and note) if few of the words of a sample of ``texts`` are German function words."""
    # one text at a time: selecting rows of a text column held by Arrow copies the whole column (440 MB on FANG-COVID)
    sample = [_as_text(texts.iat[i]) for i in range(0, len(texts), max(1, len(texts) // LANGUAGE_SAMPLE))]
    tokens = [token.casefold() for text in sample for token in tokenize(text)]
    stopwords = german_stopwords()
    share = sum(token in stopwords for token in tokens) / max(1, len(tokens))
    if share < MIN_GERMAN_SHARE:
        message = (
            f"Only {share:.0%} of the words are German function words (German news: about half): the texts may "
            "not be German, so German stopwords and stems do not fit them and cluster labels may be function words."
        )
        _warn(message, notes, depth=1)


def _distinct_candidates(
    matrix: sp.csr_matrix, doc_ids: pd.Index, candidates: list[int], notes: list[str]
) -> list[int]:
    """Return the candidate k values up to the number of different TF-IDF rows; warn of rows without terms."""
    no_terms = doc_ids[np.diff(matrix.indptr) == 0]
    if len(no_terms):
        message = (
            f"{len(no_terms)} document(s) have no terms to cluster on (empty, or only stopwords, numbers and terms "
            f"outside min_df/max_df), e.g. doc_id {', '.join(map(repr, no_terms[:5]))}: they are put into a cluster "
            "without sharing a word with it; leave them out for exact cluster sizes."
        )
        _warn(message, notes, depth=1)
    rows = zip(matrix.indptr[:-1], matrix.indptr[1:])
    n_distinct = len({hash((matrix.indices[a:b].tobytes(), matrix.data[a:b].tobytes())) for a, b in rows})
    if n_distinct < candidates[0]:
        raise ValueError(
            f"only {n_distinct} of the {matrix.shape[0]} documents have different terms, "
            f"too few for {candidates[0]} clusters"
        )
    if n_distinct < candidates[-1]:
        notes.append(f"Only {n_distinct} documents have different terms: k tried up to {n_distinct}.")
    return [k for k in candidates if k <= n_distinct]


def _analyzer_counts(texts: pd.Series, analyzer: Analyzer, counts: TermCounts | None) -> TermCounts:
    """Return the counts of the analyzer's terms in ``texts``: from ``counts`` (stemmed if need be) or counted."""
    if counts is None:
        matrix, terms = count_terms(_text_list(texts), analyzer, n_jobs=1)
        return TermCounts(matrix, terms, analyzer=analyzer)
    if not isinstance(counts, TermCounts):
        raise ValueError(f"counts must be a TermCounts (see analysis.compare.term_counts), got {type(counts).__name__}")
    if counts.matrix.shape[0] != len(texts):
        raise ValueError(f"counts has {counts.matrix.shape[0]} rows but the corpus has {len(texts)} documents")
    if counts.min_df > 1:
        raise ValueError(f"counts were pruned with min_df={counts.min_df}; clustering needs them with min_df=1")
    if isinstance(analyzer, Analyzer) and analyzer.stem:
        counts = counts.stemmed()
    if not (isinstance(analyzer, Analyzer) and isinstance(counts.analyzer, Analyzer)) or (
        counts.analyzer.settings != analyzer.settings
    ):
        raise ValueError(f"counts were made by {counts.analyzer!r}, which does not fit analyzer={analyzer!r}")
    return counts


def _tfidf(counts: TermCounts, min_df: int | float, max_df: float) -> tuple[Pipeline, sp.csr_matrix]:
    """Weight term counts as sublinear, l2-normalised TF-IDF, after dropping too rare and too common terms.

    The pruning is scikit-learn's (``CountVectorizer._limit_features``): keep the
    terms found in at least ``min_df`` documents (a share of them if a float) and
    in at most ``max_df * n_docs``.
    """
    n_docs = counts.matrix.shape[0]
    lowest = min_df if isinstance(min_df, Integral) else min_df * n_docs
    highest = max_df * n_docs
    document_frequency = np.bincount(counts.matrix.indices, minlength=len(counts.terms))
    keep = np.flatnonzero((document_frequency >= lowest) & (document_frequency <= highest))
    if len(keep) == 0:
        raise ValueError(
            f"no terms left to cluster on (min_df={min_df}, max_df={max_df}): of {len(counts.terms)} terms none is "
            f"found in at least {lowest:g} and at most {highest:g} of the {n_docs} documents"
        )
    pruned = counts.matrix[:, keep].astype(np.float32)
    transformer = TfidfTransformer(sublinear_tf=True).fit(pruned)
    matrix = sp.csr_matrix(transformer.transform(pruned, copy=False))  # weights the pruned copy in place
    # the fitted weights behind a counter of the kept terms: transform() of new texts gives their rows
    vectorizer = make_pipeline(CountVectorizer(analyzer=counts.analyzer, vocabulary=counts.terms[keep],
                                               dtype=np.float32), transformer)
    logger.info("TF-IDF: %d documents x %d terms, %d non-zeros", *matrix.shape, matrix.nnz)
    return vectorizer, matrix


def _weighted_rows(matrix: sp.csr_matrix, weights: np.ndarray) -> sp.csr_matrix:
    """Multiply each column of ``matrix`` by its weight and l2-normalise the rows again."""
    return sp.csr_matrix(normalize(matrix @ sp.diags(weights)))


def _clustering_space(
    matrix: sp.csr_matrix, space_weights: np.ndarray, n_components: int, random_state: int, notes: list[str]
) -> tuple[np.ndarray | sp.csr_matrix, str, TruncatedSVD | None]:
    """Return the vectors k-means runs on, the method name and the fitted LSA (None without).

    The TF-IDF rows are weighted by ``space_weights`` (the IDF) once more and l2-normalised: k-means sees each
    term weighted by its squared IDF, so that the many terms found in a sizeable share of the articles weigh less
    against the rarer ones that set topics apart. On labelled samples (benchmarks/topic_quality.py) this agreed
    better with the sections of full articles and far better with those of front-page teasers.
    """
    n_docs, n_terms = matrix.shape
    matrix = _weighted_rows(matrix, space_weights)
    if n_docs < LSA_MIN_DOCS or min(n_docs, n_terms) <= 3:
        notes.append(f"{n_docs} documents: k-means on the TF-IDF rows (IDF squared) directly (no LSA).")
        return matrix, "tfidf-kmeans", None
    dims = min(_lsa_dims(n_docs, n_components, matrix.nnz / n_docs), n_terms - 1)
    # ARPACK solves to machine precision, so the space does not depend on the seed; a randomized SVD's does where the
    # singular values fall slowly (short texts), and with it the clusters (see benchmarks/README.md)
    svd = TruncatedSVD(n_components=dims, algorithm="arpack", random_state=random_state)
    reduced = normalize(svd.fit_transform(matrix))
    explained = float(svd.explained_variance_ratio_.sum())
    notes.append(
        f"{n_docs} documents: LSA to {dims} dimensions ({explained:.0%} of the variance of TF-IDF with squared IDF), "
        "rows re-normalised, then k-means."
    )
    logger.info("LSA path: %d x %d TF-IDF -> %d dimensions", n_docs, n_terms, dims)
    return reduced, "lsa-kmeans", svd


def _lsa_dims(n_docs: int, n_components: int, terms_per_doc: float) -> int:
    """Scale LSA dimensions with the corpus and its texts.

    One dimension per ten documents, at least 10, at most ``n_components``, and at
    most twice the distinct terms of an average text (at least 10): a text of a
    dozen terms (a headline with its teaser) spans only a dozen directions, and
    more dimensions than that add noise. On labelled samples (benchmarks/topic_quality.py)
    20 dimensions clustered 2,270 front-page teasers (11 distinct stems each) far
    better than 100; full articles, with hundreds of terms, get up to ``n_components``
    (30 by default: on six samples of 2,000 full articles labelled by section, with the
    squared IDF of :func:`_clustering_space`, 20 to 35 dimensions agreed better with the
    sections than 50, 70 or 100, and 30 better with the outlets of FANG-COVID than 50).
    """
    by_texts = max(10, round(2 * terms_per_doc))
    return max(2, min(n_components, max(10, n_docs // 10), by_texts, n_docs - 1))


def _kmeans(space: np.ndarray | sp.csr_matrix, k: int, random_state: int, n_init: int) -> KMeans:
    return KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(space)


def _scan_stability(
    space: np.ndarray | sp.csr_matrix,
    candidates: list[int],
    random_state: int,
    n_seeds: int,
    sample_size: int | None,
    n_init: int,
) -> pd.DataFrame:
    """Score each candidate k by the agreement (ARI) of k-means fits on resamples with different seeds.

    Each fit (the best of ``n_init`` starts) sees ``STABILITY_SUBSAMPLE`` of the documents (all of them below
    ``LSA_MIN_DOCS`` documents, where a resample would leave too few) and assigns
    every document to its nearest centre, so that the partitions can be compared.
    """
    n_docs = space.shape[0]
    n_fit = int(STABILITY_SUBSAMPLE * n_docs) if n_docs >= LSA_MIN_DOCS else n_docs
    resamples = [np.sort(np.random.default_rng(random_state + i).choice(n_docs, n_fit, replace=False))
                 for i in range(n_seeds)]
    rows = []
    for k in candidates:
        runs = [
            KMeans(n_clusters=k, n_init=n_init, random_state=random_state + i).fit(space[rows_]).predict(space)
            for i, rows_ in enumerate(resamples)
        ]
        agreement = _agreement(runs, random_state)
        labels = runs[0]
        silhouette = _silhouette(space, labels, sample_size, random_state) if len(np.unique(labels)) > 1 else np.nan
        rows.append({"k": k, "stability": _mean_pairwise(agreement), "stability_sd": _sd_pairwise(agreement),
                     "silhouette": silhouette})
        logger.info("k = %d: stability %.3f", k, rows[-1]["stability"])
    return pd.DataFrame(rows)


def _choose_k(k_scores: pd.DataFrame, n_docs: int, notes: list[str]) -> tuple[int, str]:
    """Return the highest stability optimum inside the range of k, or the default k if there is none."""
    ks, stability = k_scores["k"].to_numpy(), k_scores["stability"].to_numpy()
    inside = [
        i for i in range(1, len(ks) - 1)
        if stability[i] - max(stability[i - 1], stability[i + 1]) >= STABILITY_MARGIN
    ]
    if inside:
        best = max(inside, key=lambda i: (stability[i], -i))
        notes.append(
            f"k = {ks[best]}: the most stable k inside k = {ks[0]}..{ks[-1]} (mean pairwise ARI of k-means on "
            f"resamples {stability[best]:.2f}, against {stability[best - 1]:.2f} at k = {ks[best - 1]} and "
            f"{stability[best + 1]:.2f} at k = {ks[best + 1]})."
        )
        return int(ks[best]), "stability optimum"
    k = int(min(max(round(math.sqrt(n_docs / 2)), ks[0]), ks[-1]))
    message = (
        f"No k inside k = {ks[0]}..{ks[-1]} is more stable than its neighbours (mean pairwise ARI of k-means on "
        f"resamples), so there is no best k: k = {k} is the default round(sqrt(n_docs / 2)) kept within the range. "
        "Treat k as a reading choice and set n_clusters to choose it."
    )
    notes.append(message)
    logger.info(message)
    return k, "default"


def _agreement(runs: list[np.ndarray], random_state: int) -> pd.DataFrame:
    """Return the adjusted Rand index of every pair of partitions, indexed by seed."""
    seeds = pd.Index(range(random_state, random_state + len(runs)), name="seed")
    table = np.ones((len(runs), len(runs)))
    for i, j in itertools.combinations(range(len(runs)), 2):
        table[i, j] = table[j, i] = adjusted_rand_score(runs[i], runs[j])
    return pd.DataFrame(table, index=seeds, columns=seeds)


def _mean_pairwise(agreement: pd.DataFrame) -> float:
    """Return the mean of the off-diagonal agreements (NaN for a single run)."""
    upper = agreement.to_numpy()[np.triu_indices(len(agreement), k=1)]
    return float(upper.mean()) if len(upper) else float("nan")


def _sd_pairwise(agreement: pd.DataFrame) -> float:
    """Return the standard deviation of the off-diagonal agreements (NaN for a single run)."""
    upper = agreement.to_numpy()[np.triu_indices(len(agreement), k=1)]
    return float(upper.std()) if len(upper) else float("nan")


def _silhouette(space, labels: np.ndarray, sample_size: int | None, random_state: int) -> float:
    return float(silhouette_score(space, labels, metric="cosine", sample_size=sample_size, random_state=random_state))


def _relabel_by_size(labels: np.ndarray, k: int) -> np.ndarray:
    """Renumber clusters by decreasing size (ties: first appearance), for stable output."""
    counts = np.bincount(labels, minlength=k)
    first_seen = np.full(k, len(labels))
    present, first = np.unique(labels, return_index=True)
    first_seen[present] = first
    order = sorted(range(k), key=lambda c: (-counts[c], first_seen[c]))
    mapping = np.empty(k, dtype=int)
    mapping[order] = np.arange(k)
    return mapping[labels]


def _top_terms(
    matrix: sp.csr_matrix,
    labels: np.ndarray,
    k: int,
    stems: np.ndarray,
    texts: pd.Series,
    analyzer: Analyzer,
    n_top: int,
) -> pd.DataFrame:
    """Return the most distinctive terms per cluster that many of its articles share, in readable forms.

    A term's weight is its mean TF-IDF inside the cluster minus its mean outside,
    so words that every cluster uses do not label any of them. A term must occur
    in :func:`_label_min_docs` articles of the cluster, so that one long article
    (or a notice in a handful of stubs) cannot name a cluster; units and number
    words (:func:`analysis.text.unit_terms`) are left out.
    """
    n_docs = len(labels)
    membership = sp.csr_matrix((np.ones(n_docs), (labels, np.arange(n_docs))), shape=(k, n_docs))
    sizes = np.bincount(labels, minlength=k).astype(float)
    sums = np.asarray((membership @ matrix).todense())
    present = matrix.copy()
    present.data = np.ones_like(present.data)
    doc_counts = np.asarray((membership @ present).todense())
    outside = np.maximum(n_docs - sizes, 1.0)
    means = sums / sizes[:, None] - (sums.sum(axis=0)[None, :] - sums) / outside[:, None]
    candidates = []
    for cluster in range(k):
        eligible = (means[cluster] > 0) & (doc_counts[cluster] >= _label_min_docs(int(sizes[cluster])))
        order = np.argsort(-np.where(eligible, means[cluster], -np.inf), kind="stable")[: 3 * n_top]
        candidates += [(cluster, column) for column in order if eligible[column]]
    columns = np.unique([column for _, column in candidates]).astype(int)
    sample = _texts_with_terms(matrix, columns, texts)
    units = unit_terms(sample, analyzer, terms=stems[columns], min_share=UNIT_SHARE)
    forms = display_forms(sample, analyzer, terms=stems[columns])
    rows, ranks = [], np.zeros(k, dtype=int)
    for cluster, column in candidates:
        if stems[column] in units or ranks[cluster] >= n_top:
            continue
        ranks[cluster] += 1
        n_with = int(doc_counts[cluster, column])
        rows.append((cluster, ranks[cluster], forms.get(stems[column], stems[column]), stems[column],
                     float(means[cluster, column]), n_with, n_with / sizes[cluster]))
    return pd.DataFrame(rows, columns=["cluster", "rank", "term", "stem", "weight", "n_docs", "share"])


def _label_min_docs(size: int) -> int:
    """Return the least number of a cluster's articles a label term occurs in.

    ``LABEL_MIN_ARTICLES`` (all articles of a smaller cluster) and, above
    ``LABEL_SHARE_FROM`` articles, ``LABEL_MIN_SHARE`` of them.
    """
    share = math.ceil(LABEL_MIN_SHARE * size) if size > LABEL_SHARE_FROM else 0
    return max(min(LABEL_MIN_ARTICLES, size), share)


def _texts_with_terms(matrix: sp.csr_matrix, columns: np.ndarray, texts: pd.Series, per_term: int = 25) -> list[str]:
    """Return a bounded sample of texts containing the given term columns."""
    by_column = matrix[:, columns].tocsc()
    rows: set[int] = set()
    for j in range(by_column.shape[1]):
        rows.update(by_column.indices[by_column.indptr[j] : by_column.indptr[j + 1]][:per_term].tolist())
    return _text_list(texts.iloc[sorted(rows)])


def _embedding(space, random_state: int, doc_ids: pd.Index, labels: np.ndarray) -> pd.DataFrame:
    """Return a deterministic 2-D map of the clustering space (PCA)."""
    dense = space.toarray() if sp.issparse(space) else space
    coords = PCA(n_components=2, svd_solver="full", random_state=random_state).fit_transform(dense)
    return pd.DataFrame({"doc_id": doc_ids, "x": coords[:, 0], "y": coords[:, 1], "cluster": labels})


def _matrix_and_ids(result_or_matrix, doc_ids) -> tuple[sp.csr_matrix | np.ndarray, pd.Index]:
    if isinstance(result_or_matrix, TopicResult):
        matrix = result_or_matrix.matrix
        ids = result_or_matrix.doc_ids if doc_ids is None else pd.Index(doc_ids)
    elif sp.issparse(result_or_matrix) or isinstance(result_or_matrix, np.ndarray):
        matrix = result_or_matrix if sp.issparse(result_or_matrix) else np.asarray(result_or_matrix, dtype=float)
        if matrix.ndim != 2:
            raise ValueError("result_or_matrix must be two-dimensional")
        ids = pd.RangeIndex(matrix.shape[0]) if doc_ids is None else pd.Index(doc_ids)
    else:
        raise ValueError(
            f"result_or_matrix must be a TopicResult or a matrix, got {type(result_or_matrix).__name__}"
        )
    if len(ids) != matrix.shape[0]:
        raise ValueError(f"doc_ids has {len(ids)} labels for {matrix.shape[0]} documents")
    return matrix, ids


# ---------------------------------------------------------------------------------------
# Topics of a corpus larger than memory
# ---------------------------------------------------------------------------------------


@dataclass
class StoreTopics:
    """Topics of a corpus store, as :func:`cluster_store` finds them.

    Attributes
    ----------
    labels : numpy.ndarray
        The cluster of every article, in the store's order (clusters numbered by size, 0 largest).
    top_terms : pandas.DataFrame
        ``cluster, rank, term, weight``: each cluster's heaviest terms at its centre.
    sizes : pandas.Series
        Articles per cluster.
    terms : numpy.ndarray
        The terms found in at least ``min_df`` articles (the keyness vocabulary), sorted.
    document_frequency : numpy.ndarray
        In how many articles each of ``terms`` occurs.
    outlet_tokens, outlet_documents : pandas.DataFrame
        Per outlet (rows) and term (columns, as ``terms``): how often the term occurs in
        the outlet's articles, and in how many of them.
    outlet_articles : pandas.Series
        Articles per outlet.
    notes : list of str
        How the clusters were made (sample, vocabulary, LSA dimensions).
    """

    labels: np.ndarray
    top_terms: pd.DataFrame
    sizes: pd.Series
    terms: np.ndarray
    document_frequency: np.ndarray
    outlet_tokens: pd.DataFrame
    outlet_documents: pd.DataFrame
    outlet_articles: pd.Series
    notes: list[str] = field(default_factory=list)


def cluster_store(
    store,
    n_clusters: int,
    random_state: int = 0,
    *,
    analyzer: Analyzer | None = None,
    by: str = "source",
    min_df: int = 5,
    max_df: float = 0.5,
    max_terms: int = 200_000,
    max_features: int = 20_000,
    sample_size: int = 20_000,
    n_components: int = 30,
    n_init: int = 5,
    n_top_terms: int = 10,
    n_jobs: int | None = None,
) -> StoreTopics:
    """Cluster the articles of a corpus store that need not fit in memory, partition by partition.

    Three passes over the store, each task reading its partition's ``text`` (see
    :mod:`analysis.engine`), with only small results coming back, so that memory does not
    grow with the corpus beyond one cluster label per article:

    1. every article's terms are counted, and their document frequencies summed into a
       fixed array of :data:`TERM_BUCKETS` hashed buckets (a bucket's count is at least
       that of each of its terms);
    2. the terms of the buckets that can reach the threshold are counted exactly: their
       document frequencies, each outlet's summed counts (for keyness) and the rows of an
       evenly spread sample of ``sample_size`` articles. The vocabulary is the terms in at
       least ``min_df`` articles; where these are more than ``max_terms``, the threshold
       rises until at most ``max_terms`` are left (the notes say to what). For clustering, of
       these the ``max_features`` most frequent found in at most ``max_df`` of the articles,
       with IDF from the summed document frequencies as scikit-learn's
       ``TfidfTransformer(smooth_idf=True, sublinear_tf=True)`` would compute it on the whole corpus;
    3. the sample's rows are weighted by the squared IDF (as in :func:`cluster_documents`), LSA
       (truncated SVD to ``n_components`` dimensions) and k-means (``n_init`` seeds) are fitted on
       them, and every article is assigned to its nearest centre.

    How it differs from :func:`cluster_documents`: k is given (no stability scan), one
    k-means fit on a sample instead of the most central of several fits on all articles,
    a vocabulary limited to ``max_features`` terms, labels from the cluster centres'
    heaviest terms (no surface forms, no share rule), and no 2-D map.

    Parameters
    ----------
    store : analysis.load.CorpusStore
        The corpus (see :func:`analysis.load.open_store`); a pandas frame with ``text`` and ``by`` works too.
    n_clusters : int
        Number of clusters.
    random_state : int, default 0
        Seed of the sample, the SVD and k-means.
    analyzer : Analyzer, optional
        Default ``make_analyzer()`` (stems, no stopwords), as :func:`cluster_documents`.
    by : str, default "source"
        The outlet column, for the per-outlet counts.
    min_df, max_df, max_terms, max_features, sample_size, n_components, n_init, n_top_terms
        See above.
    n_jobs : int, optional
        Worker processes, as scikit-learn reads it (see :mod:`analysis.engine`).

    Returns
    -------
    StoreTopics
    """
    from sklearn.cluster import MiniBatchKMeans

    from analysis.engine import fold_partitions, is_partitioned

    _check_int(n_clusters, "n_clusters", 2)
    _check_int(max_terms, "max_terms", 2)
    analyzer = analyzer or make_analyzer()
    source = store if is_partitioned(store) else _FrameParts(store)
    frequency = fold_partitions(_partition_frequencies, source, _add_frequencies,
                                (np.zeros(TERM_BUCKETS, dtype=np.int64), 0, {}), analyzer, by, n_jobs=n_jobs,
                                columns=["text", by])
    bucket_frequency, n_docs, outlet_articles = frequency
    if n_docs < 2 * n_clusters:
        raise ValueError(f"{n_docs} articles are too few for {n_clusters} clusters")
    threshold = _vocabulary_threshold(bucket_frequency, min_df, max_terms)
    candidates = bucket_frequency >= threshold
    del frequency, bucket_frequency
    rng = np.random.default_rng(random_state)
    sample = np.sort(rng.choice(n_docs, size=min(sample_size, n_docs), replace=False))
    outlets = sorted(outlet_articles, key=str)
    counted = fold_partitions(_partition_candidates, source, _CandidateCounts.add, _CandidateCounts(len(outlets)),
                              analyzer, by, candidates, sample, outlets, n_jobs=n_jobs, columns=["text", by])
    threshold = _vocabulary_threshold(counted.frequency, threshold, max_terms)
    vocabulary = counted.vocabulary(threshold)
    terms, df = counted.terms[vocabulary], counted.frequency[vocabulary]
    usable = np.flatnonzero(df <= max_df * n_docs)
    features = np.sort(usable[np.lexsort((usable, -df[usable]))[:max_features]])
    if len(features) < 2:
        raise ValueError(f"no terms left to cluster on (min_df={min_df}, max_df={max_df}) among {n_docs} articles")
    idf = np.log((1 + n_docs) / (1 + df[features])) + 1
    # the rows k-means runs on weigh each term by its squared IDF, as in cluster_documents
    rows = _weighted(counted.sample_rows()[:, vocabulary], features, idf ** 2)
    dims = max(2, min(n_components, len(features) - 1, rows.shape[0] - 1))
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=5, random_state=random_state)
    space = normalize(svd.fit_transform(rows))
    kmeans = MiniBatchKMeans(n_clusters=n_clusters, n_init=n_init, random_state=random_state,
                             batch_size=4096).fit(space)
    labels = np.concatenate(fold_partitions(_partition_labels, source, _append, [], analyzer, pd.Index(terms), features,
                                            idf ** 2, svd, kmeans.cluster_centers_, n_jobs=n_jobs, columns=["text"]))
    order = np.argsort(-np.bincount(labels, minlength=n_clusters), kind="stable")
    renumber = np.empty(n_clusters, dtype=np.int64)
    renumber[order] = np.arange(n_clusters)
    labels = renumber[labels]
    centres = svd.inverse_transform(kmeans.cluster_centers_[order]) / idf  # back to TF-IDF weights for the labels
    top = [{"cluster": cluster, "rank": rank + 1, "term": terms[features[column]], "weight": float(centre[column])}
           for cluster, centre in enumerate(centres)
           for rank, column in enumerate(np.argsort(-centre, kind="stable")[:n_top_terms])]
    explained = float(svd.explained_variance_ratio_.sum())
    capped = f"; at most {max_terms:,} terms: those in at least {threshold} articles" if threshold > min_df else ""
    notes = [(f"{n_docs:,} articles: vocabulary of {len(features):,} terms (of {len(terms):,} in at least {min_df} "
              f"articles{capped}), IDF from all articles; LSA to {dims} dimensions ({explained:.0%} of the variance of "
              f"the sample's TF-IDF with squared IDF) and k-means fitted on a sample of {len(sample):,} articles, then every article "
              "assigned to its nearest centre.")]
    logger.info(notes[0])
    index = pd.Index(outlets, name=by)
    columns = pd.Index(terms, name="term")
    return StoreTopics(
        labels=labels,
        top_terms=pd.DataFrame(top, columns=["cluster", "rank", "term", "weight"]),
        sizes=pd.Series(np.bincount(labels, minlength=n_clusters), name="n_articles").rename_axis("cluster"),
        terms=terms,
        document_frequency=df,
        outlet_tokens=pd.DataFrame(counted.tokens[:, vocabulary].toarray(), index=index, columns=columns),
        outlet_documents=pd.DataFrame(counted.documents[:, vocabulary].toarray(), index=index, columns=columns),
        outlet_articles=pd.Series({o: outlet_articles[o] for o in outlets}, name="n_articles").rename_axis(by),
        notes=notes,
    )


#: Buckets of the hashed document frequencies in :func:`cluster_store`'s first pass (64 MB of counts).
TERM_BUCKETS = 1 << 23


def _buckets(terms: np.ndarray) -> np.ndarray:
    """Return each term's bucket among :data:`TERM_BUCKETS`, the same in every process and on every machine."""
    return (pd.util.hash_array(np.asarray(terms, dtype=object), categorize=False) % TERM_BUCKETS).astype(np.int64)


def _vocabulary_threshold(frequency: np.ndarray, min_df: int, max_terms: int) -> int:
    """Return the smallest document frequency, at least ``min_df``, reached by at most ``max_terms`` of ``frequency``."""
    if np.count_nonzero(frequency >= min_df) <= max_terms:
        return min_df
    last = int(np.partition(frequency, -max_terms)[-max_terms])  # the max_terms-th largest
    return last if np.count_nonzero(frequency >= last) <= max_terms else last + 1


class _FrameParts:
    """A pandas frame seen as a store of one partition, so that :func:`cluster_store` takes either."""

    n_partitions = 1

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)

    def read_partition(self, number: int, columns: list[str] | None = None) -> pd.DataFrame:
        return self.frame if columns is None else self.frame[columns]


def _partition_counts(part: pd.DataFrame, analyzer: Analyzer) -> tuple[sp.csr_matrix, np.ndarray]:
    return count_terms(_text_list(part["text"]), analyzer, n_jobs=None)


def _partition_frequencies(part: pd.DataFrame, analyzer: Analyzer, by: str) -> tuple:
    """Count a partition's terms: summed document frequencies per bucket, articles, articles per outlet."""
    matrix, terms = _partition_counts(part, analyzer)
    buckets, inverse = np.unique(_buckets(terms), return_inverse=True)
    frequency = np.bincount(inverse, weights=np.bincount(matrix.indices, minlength=len(terms)), minlength=len(buckets))
    return buckets, frequency.astype(np.int64), len(part), part[by].fillna("").value_counts().to_dict()


def _add_frequencies(total: tuple, part: tuple) -> tuple:
    frequency, n_docs, outlets = total
    buckets, counts, n_part, part_outlets = part
    frequency[buckets] += counts
    for outlet, n in part_outlets.items():
        outlets[outlet] = outlets.get(outlet, 0) + n
    return frequency, n_docs + n_part, outlets


def _on_vocabulary(part: pd.DataFrame, analyzer: Analyzer, vocabulary: pd.Index) -> sp.csr_matrix:
    """Count a partition's terms in the columns of ``vocabulary`` (terms outside it dropped)."""
    matrix, terms = _partition_counts(part, analyzer)
    columns = vocabulary.get_indexer(terms)
    known = columns >= 0
    mapping = sp.csr_matrix((np.ones(known.sum()), (np.flatnonzero(known), columns[known])),
                            shape=(len(terms), len(vocabulary)))
    return sp.csr_matrix(matrix @ mapping)


def _weighted(counts: sp.csr_matrix, features: np.ndarray, weights: np.ndarray) -> sp.csr_matrix:
    """Return the sublinear counts of the ``features`` columns of ``counts`` times ``weights``, rows l2-normalised."""
    matrix = sp.csr_matrix(counts[:, features], dtype=np.float64)
    matrix.data = 1 + np.log(matrix.data)
    return _weighted_rows(matrix, weights)


def _partition_candidates(part: pd.DataFrame, analyzer: Analyzer, by: str, candidates: np.ndarray, sample: np.ndarray,
                          outlets: list) -> tuple:
    """Count a partition's terms of the ``candidates`` buckets: the terms, their document frequencies,
    the per-outlet counts of tokens and of articles, and the rows of the sampled articles."""
    matrix, terms = _partition_counts(part, analyzer)
    kept = np.flatnonzero(candidates[_buckets(terms)])
    counts = sp.csr_matrix(matrix[:, kept], dtype=np.int64)
    codes = pd.Index(outlets).get_indexer(part[by].fillna(""))
    grouping = sp.csr_matrix((np.ones(len(codes), dtype=np.int64), (codes, np.arange(len(codes)))),
                             shape=(len(outlets), len(codes)))
    present = counts.copy()
    present.data = np.ones_like(present.data)
    positions = np.flatnonzero(np.isin(np.asarray(part.index), sample))
    return (terms[kept], np.bincount(counts.indices, minlength=len(kept)), sp.csr_matrix(grouping @ counts),
            sp.csr_matrix(grouping @ present), counts[positions])


class _CandidateCounts:
    """The exact counts of the candidate terms, summed partition by partition (:func:`cluster_store`'s second pass)."""

    def __init__(self, n_outlets: int) -> None:
        self.columns: dict[str, int] = {}
        self.frequency = np.zeros(0, dtype=np.int64)
        self.tokens = sp.csr_matrix((n_outlets, 0), dtype=np.int64)
        self.documents = sp.csr_matrix((n_outlets, 0), dtype=np.int64)
        self.samples: list[sp.csr_matrix] = []

    def add(self, part: tuple) -> _CandidateCounts:
        terms, frequency, tokens, documents, rows = part
        columns = np.array([self.columns.setdefault(term, len(self.columns)) for term in terms.tolist()], dtype=np.int64)
        width = len(self.columns)
        self.frequency = np.concatenate([self.frequency, np.zeros(width - len(self.frequency), dtype=np.int64)])
        self.frequency[columns] += frequency
        self.tokens = _widened(self.tokens, width) + _placed(tokens, columns, width)
        self.documents = _widened(self.documents, width) + _placed(documents, columns, width)
        self.samples.append(_placed(rows, columns, width))
        return self

    @property
    def terms(self) -> np.ndarray:
        return np.array(list(self.columns), dtype=object)

    def vocabulary(self, threshold: int) -> np.ndarray:
        """Return the columns of the terms in at least ``threshold`` articles, in the terms' sorted order."""
        columns = np.flatnonzero(self.frequency >= threshold)
        return columns[np.argsort(self.terms[columns], kind="stable")]

    def sample_rows(self) -> sp.csr_matrix:
        width = len(self.columns)
        return sp.vstack([_widened(rows, width) for rows in self.samples], format="csr")


def _placed(matrix: sp.csr_matrix, columns: np.ndarray, width: int) -> sp.csr_matrix:
    """Return ``matrix`` with its columns moved to ``columns`` of a matrix ``width`` wide."""
    return sp.csr_matrix((matrix.data, columns[matrix.indices], matrix.indptr), shape=(matrix.shape[0], width))


def _widened(matrix: sp.csr_matrix, width: int) -> sp.csr_matrix:
    return sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], width))


def _partition_labels(part: pd.DataFrame, analyzer: Analyzer, vocabulary: pd.Index, features: np.ndarray,
                      weights: np.ndarray, svd: TruncatedSVD, centres: np.ndarray) -> np.ndarray:
    """Assign each article of a partition to its nearest cluster centre.

    With NumPy rather than ``KMeans.predict``: scikit-learn's OpenMP threads, started by the
    fit in the calling process, hang in a worker forked from it.
    """
    space = normalize(svd.transform(_weighted(_on_vocabulary(part, analyzer, vocabulary), features, weights)))
    return np.argmin((centres ** 2).sum(axis=1)[None, :] - 2 * space @ centres.T, axis=1).astype(np.int64)


def _append(total: list, part: np.ndarray) -> list:
    total.append(part)
    return total
