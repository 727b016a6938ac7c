"""Shared text: word sequences that occur in articles of more than one outlet (agency copy, syndication).

:func:`shared_passages` takes a pandas frame or a corpus store (:func:`analysis.load.open_store`).
It works in three passes over the articles, each a function of one partition: the winnowed
shingle samples (64-bit hashes and row numbers), then the shingles of the articles that share a
sample with another outlet, then these articles' runs of shared shingles, with their text. On a
store each pass runs partition by partition through :mod:`analysis.engine` (in this process, on
local workers or on a cluster): the hashes of the first two go to files beside the store, in
ranges of hash values that one task each then reads, and only the candidates, the shared hashes
and the passages come back, so no article text passes through the calling process. A frame is
worked through in this process, ``chunk_size`` articles at a time.
"""
from __future__ import annotations

import functools
import logging
import shutil
import string
import sys
import tempfile
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

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
from analysis.engine import fold_partitions, is_partitioned

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
#: Row numbers of articles are 32-bit integers in the samples sent back to the calling process.
_MAX_ARTICLES = np.iinfo(np.int32).max
#: The samples and shingles are gathered in this many ranges of hash values, each worked on by one task.
_HASH_RANGES = 16
_RANGE_BOUNDS = np.arange(1, _HASH_RANGES, dtype=np.uint64) * np.uint64(2**64 // _HASH_RANGES)
_OCCURRENCE_COLUMNS = ["passage_id", "doc_id", "outlet", "start", "end", "n_words", "text"]
# --------------------------------------------------------------------------- shared passages


def shared_passages(
    corpus,
    by: str = "source",
    shingle_size: int = 8,
    min_words: int = 20,
    chunk_size: int = 2000,
    *,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Find passages that occur in articles of more than one outlet.

    Texts are split at whitespace into words, which are compared casefolded
    and without surrounding punctuation or quotes. Every run of
    ``shingle_size`` consecutive words (a shingle) is hashed to 64 bits (a
    stable hash, the same in every process). To scale, only a sample of
    shingles is gathered first: winnowing (Schleimer et al. 2003) keeps, in
    each article, the smallest hash in each window of ``min_words -
    shingle_size + 1`` consecutive shingles, which guarantees that any passage
    of at least ``min_words`` words in common yields at least one common
    sample. Articles that share a sampled shingle with another outlet are then
    compared in full: a passage is a maximal run of consecutive shingles that
    occur in the same set of articles, spanning at least two outlets, within a
    stretch of at least ``min_words`` words that the article shares with other
    outlets. Agency copy reprinted by two outlets is thus found with its exact
    extent; text repeated only within one outlet is not.

    Parameters
    ----------
    corpus : pandas.DataFrame or analysis.load.CorpusStore
        One row per article with ``doc_id``, ``by`` and ``text``; a store is read
        partition by partition (see the module's text).
    by : str, default "source"
        Column that names the outlet.
    shingle_size : int, default 8
        Words per shingle (at least 2).
    min_words : int, default 20
        Shortest stretch of text shared with other outlets that is reported, in
        words (at least ``shingle_size``).
    chunk_size : int, default 2000
        Articles hashed at a time; bounds the memory of each pass.
    n_jobs : int, optional
        Worker processes for a store's partitions, as scikit-learn reads it (see
        :mod:`analysis.engine`); a frame is worked through in this process.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence of a passage in an article: ``passage_id, doc_id,
        outlet, start, end, n_words, text``, where ``text[start:end]`` of the
        article is the passage (from the first character of its first word to
        the last of its last word, so punctuation attached to them is included).
        Sorted by ``passage_id``, then corpus order. The same, row for row,
        for a frame and for its store, however the work is spread. See
        :func:`passage_table` for one row per passage and
        :func:`remove_shared_passages` to drop them.

    Notes
    -----
    Which articles hold a shingle is judged among the candidate articles only,
    so a stock phrase that also occurs in unrelated articles does not cut a
    passage. A passage that an outlet prints with a different cut (one sentence
    more or less), or of which a candidate article quotes a part, shows up as
    several passages with different sets of articles, overlapping by
    ``shingle_size - 1`` words; some may be shorter than ``min_words``, but
    together they cover all the text two outlets share.

    Memory: on a store, the samples (12 bytes each, about one in seven
    shingles with the defaults) and the candidates' shingles (12 bytes each)
    are written by the partitions' tasks to files in a temporary folder beside
    the store, in 16 ranges of hash values, and one task per range reads them
    back; the calling process holds the outlet of each article, the candidates'
    rows, the hashes shared between outlets and the passages found, never the
    texts. A frame's samples and shingles are kept in memory.

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
    _check_positive_int(shingle_size, "shingle_size", 2)
    _check_positive_int(min_words, "min_words", 2)
    _check_positive_int(chunk_size, "chunk_size")
    if min_words < shingle_size:
        raise ValueError(f"min_words must be at least shingle_size ({shingle_size}), got {min_words}")
    source = _partitions(corpus, ["doc_id", "text", by])
    window = min_words - shingle_size + 1
    with _ranges_for(source) as samples:
        labels = _fold(_partition_samples, source, _append, [], samples, by, shingle_size, window, chunk_size,
                       n_jobs=n_jobs, columns=["text", by])
        outlet_codes = pd.factorize(np.concatenate(labels) if labels else np.zeros(0, dtype=object))[0].astype(np.int32)
        del labels
        candidates = _sorted_unique(_concatenate(
            _fold(_range_candidates, samples, _append, [], outlet_codes, n_jobs=n_jobs, columns=None), np.int32))
    logger.info("shared_passages: %d of %d articles share a sampled shingle across outlets",
                len(candidates), len(outlet_codes))
    with _ranges_for(source) as shingles:
        _fold(_partition_shingles, source, _append, [], shingles, candidates, shingle_size, chunk_size,
              n_jobs=n_jobs, columns=["text"])
        shared = _fold(_range_shared, shingles, _append, [], outlet_codes, n_jobs=n_jobs, columns=None)
    shared_hashes = _concatenate([hashes for hashes, _ in shared], np.uint64)
    shared_keys = _concatenate([keys for _, keys in shared], np.uint64)
    del shared
    found = _fold(_partition_runs, source, _append_runs, ([], set()), candidates, shared_hashes, shared_keys, by,
                  shingle_size, min_words, chunk_size, n_jobs=n_jobs, columns=["doc_id", "text", by])
    return _number_passages(found[0])


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


class _FrameParts:
    """A pandas frame seen as a store of one partition (rows numbered from 0), worked through in this process."""

    n_partitions = 1
    local = True

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)

    def read_partition(self, number: int, columns: list[str] | None = None) -> pd.DataFrame:
        return self.frame if columns is None else self.frame[list(dict.fromkeys(columns))]


def _partitions(corpus, columns: list[str]):
    """Check the corpus: return a store as it is, a frame as :class:`_FrameParts`."""
    if is_partitioned(corpus):
        missing = [column for column in columns if column not in corpus.columns]
        if missing:
            raise ValueError(f"the corpus store lacks the column(s) {missing}; it has {list(corpus.columns)}")
        if len(corpus) > _MAX_ARTICLES:
            raise ValueError(f"the corpus store holds {len(corpus):,} articles; shared passages take at most {_MAX_ARTICLES:,}")
        return corpus
    _check_frame(corpus, "corpus", columns)
    _check_texts(corpus)
    if len(corpus) > _MAX_ARTICLES:
        raise ValueError(f"the corpus holds {len(corpus):,} articles; shared passages take at most {_MAX_ARTICLES:,}")
    return _FrameParts(corpus)


def _fold(function, source, combine, initial, *args, n_jobs: int | None, columns: list[str] | None):
    """Fold ``function`` of each partition into one result: a frame's in this process, a store's on the engine."""
    columns = list(dict.fromkeys(columns)) if columns is not None else None
    if getattr(source, "local", False):
        for number in range(source.n_partitions):
            initial = combine(initial, function(source.read_partition(number, columns), *args))
        return initial
    return fold_partitions(function, source, combine, initial, *args, n_jobs=n_jobs, columns=columns)


def _append(total: list, part) -> list:
    total.append(part)
    return total


class _Ranges:
    """Hash values and their articles' rows, gathered from the partitions in :data:`_HASH_RANGES` ranges of hash values.

    A store's partitions write theirs to files in ``folder`` (beside the store, where every
    worker sees it), so that neither they nor the calling process hold them; a frame's are
    kept in memory (``folder`` None) and handled in this process. Each range is then read
    as one partition (``hash`` and ``row``, in corpus order within a hash) by the task that
    works on it.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.local = folder is None
        self.pieces = [[] for _ in range(_HASH_RANGES)] if folder is None else None
        self.n_partitions = _HASH_RANGES

    def keep(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        """Keep a partition's hashes and rows, sorted by hash (rows in corpus order within a hash), cut into ranges."""
        if len(rows) == 0:
            return
        bounds = np.searchsorted(hashes, _RANGE_BOUNDS)
        for number, (piece_hashes, piece_rows) in enumerate(zip(np.split(hashes, bounds), np.split(rows, bounds))):
            if self.folder is None:
                self.pieces[number].append((piece_hashes.copy(), piece_rows.copy()))
            else:  # named by the range and the first row, so that a range's files read in corpus order
                np.save(self.folder / f"{number:02d}-{int(rows.min()):010d}-hash.npy", piece_hashes)
                np.save(self.folder / f"{number:02d}-{int(rows.min()):010d}-row.npy", piece_rows)

    def read_partition(self, number: int, columns: list[str] | None = None) -> pd.DataFrame:
        """Return range ``number``: its hashes and rows, the partitions' pieces one after the other."""
        if self.folder is None:
            pieces, self.pieces[number] = self.pieces[number], []
        else:
            names = sorted(path.name[:-len("-hash.npy")] for path in self.folder.glob(f"{number:02d}-*-hash.npy"))
            pieces = [(np.load(self.folder / f"{name}-hash.npy"), np.load(self.folder / f"{name}-row.npy"))
                      for name in names]
        return pd.DataFrame({"hash": _concatenate([hashes for hashes, _ in pieces], np.uint64),
                             "row": _concatenate([rows for _, rows in pieces], np.int32)})


@contextmanager
def _ranges_for(source):
    """Give ranges to gather a corpus's hashes in: in memory for a frame, in a temporary folder beside a store's."""
    if getattr(source, "local", False):
        yield _Ranges(None)
        return
    store_folder = getattr(source, "folder", None)
    folder = Path(tempfile.mkdtemp(prefix="shared-passages-", dir=Path(store_folder).parent if store_folder else None))
    try:
        yield _Ranges(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _range_candidates(part: pd.DataFrame, outlet_codes: np.ndarray) -> np.ndarray:
    """Return the rows of the articles with a sample of a range that articles of another outlet have too."""
    return _docs_sharing(part["hash"].to_numpy(), part["row"].to_numpy(), outlet_codes)


def _range_shared(part: pd.DataFrame, outlet_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the hashes of a range that candidate articles of two or more outlets hold, and their keys."""
    return _shared_shingles(part["hash"].to_numpy(), part["row"].to_numpy(), outlet_codes)


def _row_numbers(part: pd.DataFrame) -> np.ndarray:
    """Return the rows of a partition's articles in the corpus (its index), as 32-bit integers."""
    return np.asarray(part.index, dtype=np.int64).astype(np.int32)


def _partition_samples(part: pd.DataFrame, ranges: _Ranges, by: str, shingle_size: int, window: int,
                       chunk_size: int) -> np.ndarray:
    """Keep a partition's winnowed shingle samples (hashes and the articles' rows) in ``ranges``; return its outlets."""
    labels = outlet_labels(part, by).to_numpy(dtype=object)
    texts, rows = _texts(part), _row_numbers(part)
    hashes, sample_rows = [], []
    for first in range(0, len(texts), chunk_size):
        shingles, counts = _text_shingles(texts[first:first + chunk_size], shingle_size)
        positions = _winnow(shingles, window, counts)
        hashes.append(shingles[positions])
        sample_rows.append(np.repeat(rows[first:first + chunk_size], counts)[positions])
    ranges.keep(*_by_hash(_concatenate(hashes, np.uint64), _concatenate(sample_rows, np.int32)))
    return labels


def _by_hash(hashes: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort hashes and their articles' rows by hash (rows in corpus order within a hash)."""
    order = np.argsort(hashes, kind="stable")
    return hashes[order], rows[order]


def _candidate_texts(part: pd.DataFrame, candidates: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Return which articles of a partition are candidates (a mask) and their texts."""
    is_candidate = np.isin(_row_numbers(part), candidates)
    return is_candidate, part["text"].to_numpy(dtype=object)[is_candidate].tolist()


def _partition_shingles(part: pd.DataFrame, ranges: _Ranges, candidates: np.ndarray, shingle_size: int,
                        chunk_size: int) -> None:
    """Keep every shingle hash of a partition's candidate articles, with its article's row, in ``ranges``."""
    is_candidate, texts = _candidate_texts(part, candidates)
    rows = _row_numbers(part)[is_candidate]
    values, value_rows = [], []
    for first in range(0, len(texts), chunk_size):
        shingles, counts = _text_shingles(texts[first:first + chunk_size], shingle_size)
        values.append(shingles)
        value_rows.append(np.repeat(rows[first:first + chunk_size], counts))
    ranges.keep(*_by_hash(_concatenate(values, np.uint64), _concatenate(value_rows, np.int32)))


def _shared_shingles(values: np.ndarray, rows: np.ndarray, outlet_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the (sorted) shingle hashes held by candidate articles of two or more outlets, and a key of each one's articles.

    The key of a set of articles is the sum of a stable 64-bit key per article (wrapping):
    equal keys, the same articles.
    """
    if len(values) == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64)
    order = np.argsort(values, kind="stable")  # the rows come in corpus order and stay so within a hash
    values, rows = values[order], rows[order]
    del order
    group = _group_ids(values)
    spans = _spans_outlets(outlet_codes[rows], group)
    first_of_pair = np.concatenate([[True], (group[1:] != group[:-1]) | (rows[1:] != rows[:-1])])
    pair_group = group[first_of_pair]
    keys = np.add.reduceat(_doc_keys(rows[first_of_pair]),
                           np.flatnonzero(np.concatenate([[True], pair_group[1:] != pair_group[:-1]])))
    hashes = values[np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))]
    return hashes[spans], keys[spans]


def _doc_keys(rows: np.ndarray) -> np.ndarray:
    """Return a stable pseudo-random 64-bit key per article row (SplitMix64 of the row number)."""
    z = rows.astype(np.uint64) + _SHINGLE_MULTIPLIER
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _partition_runs(part: pd.DataFrame, candidates: np.ndarray, shared_hashes: np.ndarray, shared_keys: np.ndarray,
                    by: str, shingle_size: int, min_words: int, chunk_size: int) -> pd.DataFrame:
    """Return the runs of shared shingles in a partition's candidate articles, with their character spans and text.

    One row per run (see :func:`_runs`): ``row`` (of the article in the corpus),
    ``first``, ``n_words``, ``key``, ``first_hash``, ``start``, ``end``, ``doc_id``,
    ``outlet`` and ``text`` (the run's text in this article).
    """
    is_candidate, texts = _candidate_texts(part, candidates)
    rows = _row_numbers(part)[is_candidate].astype(np.int64)
    doc_ids = part["doc_id"].astype(str).to_numpy(dtype=object)[is_candidate]
    outlets = outlet_labels(part, by).to_numpy(dtype=object)[is_candidate]
    frames = []
    for first in range(0, len(texts), chunk_size):
        chunk = texts[first:first + chunk_size]
        shingles, counts = _text_shingles(chunk, shingle_size)
        index = np.minimum(np.searchsorted(shared_hashes, shingles), max(len(shared_hashes) - 1, 0))
        shared = shared_hashes[index] == shingles if len(shared_hashes) else np.zeros(len(shingles), dtype=bool)
        key = np.where(shared, shared_keys[index] if len(shared_keys) else 0, np.uint64(0)).astype(np.uint64)
        doc = np.repeat(np.arange(len(chunk), dtype=np.int64), counts)
        position = _ranges(np.zeros(len(chunk), dtype=np.int64), counts)
        runs = _runs(shingles, doc, position, shared, key, shingle_size, min_words)
        if runs.empty:
            continue
        starts, ends, passage_texts = [], [], []
        for local, firsts, n_words in zip(*_by_doc(runs)):
            text = chunk[local]
            word_starts, word_ends = _word_spans(text)
            run_starts, run_ends = word_starts[firsts], word_ends[firsts + n_words - 1]
            starts.append(run_starts)
            ends.append(run_ends)
            passage_texts.extend(text[s:e] for s, e in zip(run_starts.tolist(), run_ends.tolist()))
        at = runs["doc"].to_numpy() + first
        frames.append(pd.DataFrame({
            "row": rows[at], "first": runs["first"], "n_words": runs["n_words"], "key": runs["key"],
            "first_hash": runs["first_hash"], "start": np.concatenate(starts), "end": np.concatenate(ends),
            "doc_id": doc_ids[at], "outlet": outlets[at], "text": pd.Series(passage_texts, dtype=object),
        }))
    return pd.concat(frames, ignore_index=True) if frames else None


def _by_doc(runs: pd.DataFrame) -> tuple[list, list, list]:
    """Split runs (sorted by article) into each article's index, first words and lengths."""
    doc = runs["doc"].to_numpy()
    bounds = np.flatnonzero(np.diff(doc)) + 1
    firsts = np.split(runs["first"].to_numpy(), bounds)
    lengths = np.split(runs["n_words"].to_numpy(), bounds)
    return doc[np.concatenate([[0], bounds])].tolist(), firsts, lengths


def _append_runs(total: tuple, part: pd.DataFrame | None) -> tuple:
    """Gather a partition's runs; keep the text of a passage only where it is first seen (the first article)."""
    frames, seen = total
    if part is None:
        return total
    texts = part["text"].tolist()
    for number, identity in enumerate(zip(part["key"].tolist(), part["first_hash"].tolist(), part["n_words"].tolist())):
        if identity in seen:
            texts[number] = None
        else:
            seen.add(identity)
    frames.append(part.assign(text=pd.Series(texts, index=part.index, dtype=object)))
    return frames, seen


def _number_passages(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Keep the runs that are passages (the same run in articles of two or more outlets) and number them."""
    empty = pd.DataFrame({name: pd.Series(dtype=object if name in ("doc_id", "outlet", "text") else np.int64)
                          for name in _OCCURRENCE_COLUMNS})
    if not frames:
        return empty
    runs = pd.concat(frames, ignore_index=True)  # corpus order, then word order
    runs["passage"] = runs.groupby(["key", "first_hash", "n_words"], sort=False).ngroup()
    runs = runs[runs.groupby("passage")["outlet"].transform("nunique") >= 2]
    if runs.empty:
        return empty
    # Number passages by reach (outlets, then articles), length and first appearance.
    summary = runs.groupby("passage").agg(
        n_outlets=("outlet", "nunique"), n_docs=("row", "nunique"), n_words=("n_words", "first"), row=("row", "min")
    )
    summary = summary.sort_values(["n_outlets", "n_docs", "n_words", "row"], ascending=[False, False, False, True],
                                  kind="stable")
    number = pd.Series(np.arange(len(summary)), index=summary.index)
    runs["passage_id"] = number.loc[runs["passage"].to_numpy()].to_numpy()
    runs["text"] = runs["passage_id"].map(runs.groupby("passage_id")["text"].first())
    result = runs.sort_values(["passage_id", "row", "first"], kind="stable")[_OCCURRENCE_COLUMNS]
    return result.reset_index(drop=True).astype({"passage_id": np.int64, "start": np.int64, "end": np.int64,
                                                 "n_words": np.int64})


def _concatenate(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)


def _text_shingles(texts: list[str], shingle_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the hash of every shingle of the texts (texts concatenated) and the number of shingles of each text."""
    words = [text.split() for text in texts]
    n_words = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    word_hashes = _word_hashes(list(chain.from_iterable(words)))
    del words
    counts = np.maximum(n_words - shingle_size + 1, 0)
    return _rolling_hash(word_hashes, shingle_size)[_ranges(np.cumsum(n_words) - n_words, counts)], counts


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


def _winnow(hashes: np.ndarray, window: int, counts: np.ndarray) -> np.ndarray:
    """Return the sorted positions of the hashes that are the smallest of some ``window`` consecutive ones of a text.

    ``hashes`` holds the shingles of several texts one after the other, ``counts`` how many
    each has. Only windows inside one text count, so a text's samples do not depend on
    the texts around it (nor on how the corpus is cut into partitions); a text with fewer
    than ``window`` shingles has none.
    """
    if len(hashes) < window:
        return np.zeros(0, dtype=np.int64)
    minima = _sliding(hashes, window, np.minimum)
    ends = np.cumsum(counts)
    text_of = np.repeat(np.arange(len(counts)), counts)[: len(minima)]
    minima[np.arange(len(minima)) + window > ends[text_of]] = 0  # windows that reach into the next text
    padding = np.zeros(window - 1, dtype=hashes.dtype)
    covering = _sliding(np.concatenate([padding, minima, padding]), window, np.maximum)
    return np.flatnonzero((hashes == covering) & np.repeat(counts >= window, counts))


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


def _runs(
    values: np.ndarray,
    doc: np.ndarray,
    position: np.ndarray,
    shared: np.ndarray,
    key: np.ndarray,
    shingle_size: int,
    min_words: int,
) -> pd.DataFrame:
    """Cut the shingles of some articles into runs found in the same set of articles of two or more outlets.

    ``values``, ``doc`` and ``position`` describe every shingle of the articles, article by
    article in order; ``shared`` tells which shingles candidate articles of two or more
    outlets hold, ``key`` which set of articles holds each (see :func:`_shared_shingles`).
    Returns one row per run that lies in a stretch of at least ``min_words`` words shared
    with other outlets (the run itself may be shorter): ``doc``, ``first`` (word position),
    ``n_words``, ``key`` and ``first_hash`` (equal keys, first hashes and lengths = the same passage).
    """
    if len(values) == 0:
        return pd.DataFrame({name: np.zeros(0, dtype=np.int64) for name in ["doc", "first", "n_words", "key", "first_hash"]})
    same_stretch = shared[1:] & shared[:-1] & (doc[1:] == doc[:-1])
    same_run = same_stretch & (key[1:] == key[:-1])
    starts = np.flatnonzero(shared & ~np.concatenate([[False], same_run]))
    stops = np.flatnonzero(shared & ~np.concatenate([same_run, [False]]))
    n_words = stops - starts + shingle_size
    # A run counts if the stretch of shared shingles around it (whatever their articles) is long enough.
    stretch_starts = np.flatnonzero(shared & ~np.concatenate([[False], same_stretch]))
    stretch_stops = np.flatnonzero(shared & ~np.concatenate([same_stretch, [False]]))
    stretch = np.searchsorted(stretch_starts, starts, side="right") - 1
    keep = stretch_stops[stretch] - stretch_starts[stretch] + shingle_size >= min_words
    starts = starts[keep]
    return pd.DataFrame({
        "doc": doc[starts].astype(np.int64),
        "first": position[starts].astype(np.int64),
        "n_words": n_words[keep].astype(np.int64),
        "key": key[starts],
        "first_hash": values[starts],
    })


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


def shared_text_by_outlet(corpus, passages: pd.DataFrame, without_shared: pd.DataFrame | None = None,
                          by: str = "source", *, n_jobs: int | None = None) -> pd.DataFrame:
    """Say, outlet by outlet, how much of its text lies in passages shared with other outlets.

    Parameters
    ----------
    corpus : pandas.DataFrame or analysis.load.CorpusStore
        The corpus :func:`shared_passages` was run on, with ``doc_id``, ``n_words`` and ``by``
        (and ``text`` unless ``without_shared`` is given).
    passages : pandas.DataFrame
        What :func:`shared_passages` returned for it.
    without_shared : pandas.DataFrame, optional
        What :func:`remove_shared_passages` returned for it (the same rows, fewer words);
        when None (always for a store), the passages are cut out here, partition by partition.
    by : str, default "source"
        Column naming the outlet; missing outlets form the group "unbekannt".
    n_jobs : int, optional
        Worker processes for a store's partitions (see :mod:`analysis.engine`).

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
    _check_frame(passages, "passages", ["doc_id", "outlet"])
    if without_shared is None:
        _check_frame(passages, "passages", ["doc_id", "outlet", "start", "end"])
        source = _partitions(corpus, ["doc_id", "text", "n_words", by])
        words = _fold(_partition_shared_words, source, _add_words, None, passages[["doc_id", "start", "end"]], by,
                      n_jobs=n_jobs, columns=["doc_id", "text", "n_words", by])
    else:
        if is_partitioned(corpus):
            raise ValueError("without_shared is a frame's: for a corpus store leave it out (the passages are cut out here)")
        _check_frame(corpus, "corpus", ["doc_id", "n_words", by])
        _check_frame(without_shared, "without_shared", ["n_words"])
        if len(without_shared) != len(corpus):
            raise ValueError(f"without_shared has {len(without_shared)} rows, the corpus {len(corpus)}")
        words = _outlet_words(outlet_labels(corpus, by), pd.to_numeric(corpus["n_words"]).to_numpy(),
                              pd.to_numeric(without_shared["n_words"]).to_numpy())
    table = pd.DataFrame({
        "n_articles": words["n_articles"],
        "articles_with_shared_text": passages.groupby("outlet")["doc_id"].nunique(),
        "n_words": words["n_words"],
        "shared_words": words["shared_words"],
    }).fillna(0).astype("int64")
    table["share_of_words"] = (table["shared_words"] / table["n_words"].where(table["n_words"] > 0)).fillna(0.0)
    return table.sort_values("n_articles", ascending=False, kind="stable").rename_axis(by)


def _outlet_words(outlets: pd.Series, words: np.ndarray, kept_words: np.ndarray) -> pd.DataFrame:
    """Sum articles, words and words in shared passages per outlet."""
    return pd.DataFrame({
        "n_articles": outlets.value_counts(sort=False),
        "n_words": pd.Series(words, index=outlets.index).groupby(outlets).sum(),
        "shared_words": pd.Series(words - kept_words, index=outlets.index).groupby(outlets).sum(),
    }).astype("int64")


def _partition_shared_words(part: pd.DataFrame, passages: pd.DataFrame, by: str) -> pd.DataFrame:
    """Sum a partition's articles, words and words in ``passages`` per outlet (see :func:`_outlet_words`)."""
    words = pd.to_numeric(part["n_words"]).to_numpy()
    here = passages[passages["doc_id"].astype(str).isin(part["doc_id"].astype(str))]
    kept = remove_shared_passages(part[["doc_id", "text", "n_words"]], here)["n_words"].to_numpy() if len(here) else words
    return _outlet_words(outlet_labels(part, by), words, kept)


def _add_words(total: pd.DataFrame | None, part: pd.DataFrame) -> pd.DataFrame:
    return part if total is None else total.add(part, fill_value=0).astype("int64")
