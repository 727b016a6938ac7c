"""Group articles by outlet, and the checks and small-sample warnings every comparison shares."""
from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.plots import format_number

logger = logging.getLogger(__name__)

#: Below this many articles an outlet's numbers are descriptive only.
MIN_ARTICLES_PER_OUTLET = 20
#: Group name of articles whose outlet is missing.
UNKNOWN_OUTLET = "unbekannt"


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


