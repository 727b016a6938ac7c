"""Outlet profiles: articles, words and dates per outlet, and how often each outlet mentions each entity."""
from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.compare.outlets import (
    MIN_ARTICLES_PER_OUTLET,
    _check_frame,
    _check_positive_int,
    _warn_small,
    _word_counts,
    outlet_labels,
)
from analysis.mentions import Gazetteer, find_mentions

_BOOT_DRAWS_PER_BATCH = 2_000_000
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


