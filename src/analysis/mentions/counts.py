"""Count mentions per article, outlet or period."""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from analysis.mentions.entities import Gazetteer
from analysis.mentions.matching import _as_corpus, _counted, _find, _texts

NORMALIZE_OPTIONS = (None, "per_1000_words", "share_of_articles")
def _count_words(texts: list[str]) -> np.ndarray:
    return np.fromiter((len(t.split()) for t in texts), dtype=np.int64, count=len(texts))


def count_mentions(
    corpus: pd.DataFrame,
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    by: str | list[str] = "doc_id",
    normalize: str | None = None,
    include_adjectives: bool = False,
    *,
    include_datelines: bool = False,
    label: str = "name",
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Count entity mentions per group of articles.

    Parameters
    ----------
    corpus : DataFrame
        One row per article with ``doc_id`` and ``text``, plus any columns to group by
        (``source``, a period column the user made, ...). If it has ``n_words``, that is the
        article length for ``per_1000_words``; otherwise words are counted as
        whitespace-separated tokens of ``text``. Or a corpus store
        (:func:`analysis.load.open_store`), whose texts the tasks read a partition at a time.
    gazetteer : Gazetteer, path or None
        The entity table; None uses the default table.
    by : str or list of str, default "doc_id"
        Column(s) whose values form the rows.
    normalize : {None, "per_1000_words", "share_of_articles"}
        None: raw counts. ``per_1000_words``: mentions per 1,000 words of the group's
        articles. ``share_of_articles``: the share (0-1) of the group's articles that mention
        the entity at least once.
    include_adjectives : bool, default False
        Also count adjective and demonym forms ("kasachische", "Kasachen").
    include_datelines : bool, default False
        Also count the places of datelines and bylines ("Berlin –", "aus Brüssel," in a byline).
    label : {"name", "id"}, default "name"
        Label the columns with the entities' display names or with their ids.
    n_jobs : int or None
        Processes to scan with (see :func:`find_mentions`).

    Returns
    -------
    DataFrame
        Rows: every group present in the corpus, sorted, also groups without any mention
        (articles whose ``by`` value is missing form a NaN group). Columns: every entity of
        the table, labelled by display name, most mentioned first (ties in table order),
        entities never mentioned included as zero columns; ``columns.name`` is ``"entity"``.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Tokajews Besuch", "Trumpf"]})
    >>> count_mentions(df)["Kassym-Schomart Tokajew"].tolist()
    [1, 0]
    """
    if normalize not in NORMALIZE_OPTIONS:
        raise ValueError(f"normalize must be one of {list(NORMALIZE_OPTIONS)}, got {normalize!r}")
    if label not in ("name", "id"):
        raise ValueError(f"label must be 'name' or 'id', got {label!r}")
    by_cols = [by] if isinstance(by, str) else list(by)
    if not by_cols:
        raise ValueError("by must name at least one column")
    checked = _as_corpus(corpus)
    missing = [c for c in by_cols if c not in checked.columns]
    if missing:
        raise ValueError(f"by: column(s) {missing} not in the corpus (columns: {list(checked.columns)})")
    corpus, gaz, comp, docs, keys, _starts, _ends = _find(corpus, gazetteer, n_jobs)
    if not (include_adjectives and include_datelines):
        keep = _counted(comp.key_form[keys], include_adjectives, include_datelines)
        docs, keys = docs[keep], keys[keep]
    ent = comp.key_entity[keys]
    n_ent = len(gaz)

    grouped = corpus.groupby(by_cols if len(by_cols) > 1 else by_cols[0], sort=True, dropna=False, observed=True)
    group_of_doc = grouped.ngroup().to_numpy()
    index = grouped.size().index
    n_groups = len(index)

    if normalize == "share_of_articles":
        pairs = np.unique(docs * n_ent + ent)
        cells = group_of_doc[pairs // n_ent] * n_ent + pairs % n_ent
        counts = np.bincount(cells, minlength=n_groups * n_ent).reshape(n_groups, n_ent).astype(float)
        counts /= np.bincount(group_of_doc, minlength=n_groups)[:, None]
    else:
        cells = group_of_doc[docs] * n_ent + ent
        counts = np.bincount(cells, minlength=n_groups * n_ent).reshape(n_groups, n_ent)
        if normalize == "per_1000_words":
            if "n_words" in corpus.columns:
                words = pd.to_numeric(corpus["n_words"], errors="coerce").fillna(0).to_numpy(dtype=float)
            else:
                words = _count_words(_texts(corpus["text"]))
            group_words = np.bincount(group_of_doc, weights=words, minlength=n_groups)
            safe = np.where(group_words > 0, group_words, 1.0)
            counts = np.where(group_words[:, None] > 0, counts * 1000.0 / safe[:, None], 0.0)

    labels = [e.name if label == "name" else e.id for e in gaz.entities]
    order = np.lexsort((np.arange(n_ent), -counts.sum(axis=0)))
    return pd.DataFrame(counts[:, order], index=index, columns=pd.Index([labels[i] for i in order], name="entity"))




def co_occurrence(per_article: pd.DataFrame) -> pd.DataFrame:
    """Count, for every pair of entities, the articles that mention both.

    Parameters
    ----------
    per_article : pandas.DataFrame
        Articles × entities, counts or booleans (as :func:`count_mentions` returns them);
        a value above zero means the article mentions the entity.

    Returns
    -------
    pandas.DataFrame
        Entities × entities, in the order of ``per_article``'s columns: the number of articles
        that mention both; the diagonal holds the articles that mention the entity at all.

    Examples
    --------
    >>> per_article = pd.DataFrame({"Tokajew": [2, 1, 0], "Trump": [1, 0, 3]}, index=["a", "b", "c"])
    >>> co_occurrence(per_article)
             Tokajew  Trump
    Tokajew        2      1
    Trump          1      2
    """
    if not isinstance(per_article, pd.DataFrame):
        raise ValueError(f"per_article must be a pandas DataFrame of articles × entities, got {type(per_article).__name__}")
    present = (per_article.fillna(0).to_numpy() > 0).astype(np.int64)
    together = present.T @ present
    return pd.DataFrame(together, index=per_article.columns.copy(), columns=per_article.columns.copy()).rename_axis(
        index=None, columns=None)


def top_pairs(together: pd.DataFrame, n: int = 10) -> pd.Series:
    """Return the ``n`` pairs of entities named together in the most articles (each pair once, no entity with itself).

    Examples
    --------
    >>> together = pd.DataFrame([[3, 2, 0], [2, 4, 1], [0, 1, 1]], index=list("ABC"), columns=list("ABC"))
    >>> top_pairs(together, n=2).to_dict()
    {('A', 'B'): 2, ('B', 'C'): 1}
    """
    upper = np.triu(np.ones(together.shape, dtype=bool), k=1)
    rows, cols = np.nonzero(upper & (together.to_numpy() > 0))
    pairs = pd.Series(together.to_numpy()[rows, cols],
                      index=pd.MultiIndex.from_arrays([together.index[rows], together.columns[cols]]))
    return pairs.sort_values(ascending=False, kind="stable").head(n)
