"""Shared text: word sequences that occur in articles of more than one outlet (agency copy, syndication)."""
from __future__ import annotations

import functools
import logging
import string
import sys
from itertools import chain

import numpy as np
import pandas as pd

from analysis.clean import count_words
from analysis.compare.outlets import (
    _check_frame,
    _check_positive_int,
    _check_texts,
    _texts,
    outlet_labels,
)

logger = logging.getLogger(__name__)


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




def shared_text_by_outlet(corpus: pd.DataFrame, passages: pd.DataFrame, without_shared: pd.DataFrame,
                          by: str = "source") -> pd.DataFrame:
    """Say, outlet by outlet, how much of its text lies in passages shared with other outlets.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus :func:`shared_passages` was run on, with ``doc_id``, ``n_words`` and ``by``.
    passages : pandas.DataFrame
        What :func:`shared_passages` returned for it.
    without_shared : pandas.DataFrame
        What :func:`remove_shared_passages` returned for it (the same rows, fewer words).
    by : str, default "source"
        Column naming the outlet; missing outlets form the group "unbekannt".

    Returns
    -------
    pandas.DataFrame
        One row per outlet, most articles first: ``n_articles``, ``articles_with_shared_text``,
        ``n_words``, ``shared_words`` and ``share_of_words`` (``shared_words / n_words``, 0 for an
        outlet without words).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["taz", "Zeit"], "n_words": [10, 4]})
    >>> passages = pd.DataFrame({"doc_id": ["a"], "outlet": ["taz"]})
    >>> shared_text_by_outlet(corpus, passages, corpus.assign(n_words=[6, 4]))["share_of_words"].to_dict()
    {'Zeit': 0.0, 'taz': 0.4}
    """
    _check_frame(corpus, "corpus", ["doc_id", "n_words", by])
    _check_frame(passages, "passages", ["doc_id", "outlet"])
    _check_frame(without_shared, "without_shared", ["n_words"])
    if len(without_shared) != len(corpus):
        raise ValueError(f"without_shared has {len(without_shared)} rows, the corpus {len(corpus)}")
    outlets = outlet_labels(corpus, by)
    words = pd.to_numeric(corpus["n_words"]).to_numpy()
    table = pd.DataFrame({
        "n_articles": outlets.value_counts(sort=False),
        "articles_with_shared_text": passages.groupby("outlet")["doc_id"].nunique(),
        "n_words": pd.Series(words, index=corpus.index).groupby(outlets).sum(),
        "shared_words": pd.Series(words - pd.to_numeric(without_shared["n_words"]).to_numpy(), index=corpus.index)
        .groupby(outlets).sum(),
    }).fillna(0).astype("int64")
    table["share_of_words"] = (table["shared_words"] / table["n_words"].where(table["n_words"] > 0)).fillna(0.0)
    return table.sort_values("n_articles", ascending=False, kind="stable").rename_axis(by)
