"""Load a corpus of news articles into one tidy table.

Reads a folder of ``.txt`` files and tables, subfolders included (with an optional
``metadata.csv`` sidecar), one ``.txt`` file, or one table (``.csv``, ``.tsv``, ``.json``,
``.jsonl``, ``.parquet``), each optionally compressed as ``.gz`` or ``.xz``. Whatever is skipped
or repaired is reported by a warning naming the file, and listed in the load report
(``corpus.attrs["load_report"]``).
"""
from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import inspect
import io
import itertools
import json
import logging
import lzma
import os
import queue
import re
import shutil
import tempfile
import threading
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import platformdirs
import pyarrow as pa
import pyarrow.json

from analysis import clean as cleaning  # the passes of cleaning, which open_store runs on pieces
from analysis.clean import clean_corpus, is_stub, learned_table, parse_dates
from analysis.engine import fold_partitions, reduce_partitions, stable_hash, worker_count
from analysis.paths import PROCESSED_DIR, PROJECT_ROOT, RAW_DIR
from analysis.text import normalize_unicode

logger = logging.getLogger(__name__)

TABLE_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".parquet")
COMPRESSIONS = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
SIDECAR = "metadata.csv"
#: Names of the column of ``metadata.csv`` that names each .txt file.
SIDECAR_FILE_COLUMNS = ("file", "filename", "datei", "dateiname")
MAX_LISTED_FILES = 10  # beyond this many files of one other type in a folder, they are reported together

# Column names tried, in order, when no explicit mapping is given.
COLUMN_CANDIDATES = {
    "doc_id": ("doc_id", "id", "article_id", "file"),
    "text": ("text", "body", "content", "article", "fulltext", "volltext", "artikeltext"),
    "source": ("source", "outlet", "publisher", "site", "medium", "quelle", "zeitung"),
    "date": ("date", "published", "publish_date", "pubdate", "datetime", "time", "datum", "veröffentlicht"),
    "title": ("title", "headline", "heading", "titel", "überschrift", "schlagzeile"),
    "author": ("author", "authors", "byline", "autor", "autorin", "autoren"),
    "url": ("url", "link"),
}
COLUMNS = ["doc_id", "source", "date", "title", "author", "url", "text", "raw_text", "n_words"]
#: Names of the corpus's own columns: an input column of one of these names that is not
#: used for its field is kept as ``<name>_input``.
RESERVED_COLUMNS = frozenset(COLUMNS) | {"removed", "is_duplicate", "file", "subfolder"}


class CorpusError(ValueError):
    """A corpus cannot be read; the message names the file and the problem."""


def issue_message(file: str, line: int | None, problem: str, action: str) -> str:
    """Write one issue of a load report as its warning says it: "file, line 3: problem; action"."""
    where = file if line is None or pd.isna(line) else f"{file}, line {int(line)}"
    return f"{where}: {problem}; {action}"


class LoadReport:
    """What happened while loading: files skipped or repaired, values that were not understood."""

    def __init__(self) -> None:
        self.issues: list[dict] = []

    def add(self, file: str, problem: str, action: str, line: int | None = None) -> None:
        """Record a problem and warn the user about it.

        File names that are not valid UTF-8 are given as :func:`readable_name` writes them.
        """
        file, problem = readable_name(file), readable_name(problem)
        self.issues.append({"file": file, "line": line, "problem": problem, "action": action})
        warnings.warn(issue_message(file, line, problem, action), stacklevel=4)

    def to_frame(self) -> pd.DataFrame:
        """Return the issues as a table: ``file, line, problem, action``."""
        return pd.DataFrame(self.issues, columns=["file", "line", "problem", "action"])


def load_corpus(
    path: str | Path | None = None,
    *,
    text_column: str | None = None,
    source_column: str | None = None,
    date_column: str | None = None,
    id_column: str | None = None,
    title_column: str | None = None,
    author_column: str | None = None,
    clean: bool = True,
    learn_boilerplate: bool = True,
    n_jobs: int | None = None,
    cache: bool | str | Path = False,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Load a corpus of articles into a DataFrame with one row per article.

    Parameters
    ----------
    path : str or Path, optional
        A folder of ``.txt`` files and tables, subfolders included (a subfolder's name is
        the outlet of its articles that name none), optionally with ``metadata.csv`` (file,
        outlet, date, author, title, url), one ``.txt`` file (one article), or a ``.csv``/``.tsv``/``.json``
        (an array of article objects)/``.jsonl``/``.parquet`` file, optionally
        ``.gz``/``.xz`` compressed. Defaults to the bundled corpus in ``data/raw``.
    text_column, source_column, date_column, id_column, title_column, author_column : str, optional
        Names of the columns in a table that hold these fields, when they are not among
        the usual names (``text``/``body``/``content``, ``source``/``outlet``/``quelle``, ...; see
        ``COLUMN_CANDIDATES``).
    clean : bool, default True
        Remove boilerplate (see :mod:`analysis.clean`); ``False`` keeps ``text`` equal to
        the raw text.
    learn_boilerplate : bool, default True
        Learn and remove lines that recur across many articles of an outlet.
    n_jobs : int, optional
        Processes for cleaning, as scikit-learn reads it: None is 1, -1 all cores (see
        :mod:`analysis.engine`, which also runs it on a named Dask cluster).
    cache : bool or path, default False
        Keep the loaded corpus as a store (a Parquet dataset, one row per article) and
        reuse it while the input files, the arguments and the loading code are unchanged.
        The store of a corpus inside the project is kept in ``data/processed/``, of any
        other in the user's cache folder (``~/.cache/analysis`` on Linux); a path given
        here is taken as ``cache_dir``. The warnings of the first load are shown again
        when the store is used. A new store replaces the one made from the same path with
        the same arguments; a store that is incomplete, damaged or of an older layout is
        rebuilt with a warning.
    cache_dir : str or Path, optional
        The folder of the stores (implies ``cache``).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, source, date, title, author, url, text, raw_text, n_words``,
        plus ``removed`` (the audit of each article's removals, see
        :func:`analysis.clean.audit`), ``is_duplicate`` (same text as an earlier
        article) and ``is_stub`` (a notice instead of an article, see :func:`analysis.clean.is_stub`). ``.attrs["load_report"]`` lists skipped or repaired input and
        ``.attrs["boilerplate"]`` the lines learned per outlet.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    CorpusError
        If nothing can be read, or a table lacks its text column.

    Examples
    --------
    >>> corpus = load_corpus()
    >>> corpus[["doc_id", "source"]].head(2)  # doctest: +SKIP
    """
    path = Path(path) if path is not None else RAW_DIR
    if not path.exists():
        raise FileNotFoundError(f"Corpus path does not exist: {path}")
    mapping, settings = _settings(text_column, source_column, date_column, id_column, title_column, author_column,
                                  clean, learn_boilerplate)
    cache_file = _cache_file(path, settings, _cache_folder(path, cache, cache_dir)) if cache or cache_dir else None
    if cache_file is not None and cache_file.exists():
        try:
            return _read_cache(cache_file)
        except _DamagedStore as damage:
            warnings.warn(f"the corpus store {cache_file} cannot be used: {damage}; rebuilding it", stacklevel=2)
    frame = _load(path, mapping, clean, learn_boilerplate, n_jobs)
    if cache_file is not None:
        _write_cache(frame, cache_file, {"path": str(path.resolve()), "settings": settings}, worker_count(n_jobs))
    return frame


def articles_for_analysis(corpus: pd.DataFrame | CorpusStore) -> tuple[pd.DataFrame | CorpusStore, str]:
    """Return the articles the analyses count, and what was left out, in words.

    Each text counts once (rows flagged ``is_duplicate`` are left out); notices that stand
    in for an article (``is_stub``: a withdrawn agency text, "Dieser Inhalt ist nicht mehr
    verfügbar", a paywall teaser; see :func:`analysis.clean.is_stub`) and articles that
    cleaning left without a word (all boilerplate, such as a promotion page scraped as an
    article) are left out. Each article left out is counted once, under the first of these
    reasons that applies to it, in the order: left empty, notice, repeat.

    Parameters
    ----------
    corpus : pandas.DataFrame or CorpusStore
        A corpus as :func:`load_corpus` returns it (a corpus without ``is_stub`` has no stubs),
        or a store (:func:`open_store`), of which only the small columns are read.

    Returns
    -------
    articles : pandas.DataFrame or CorpusStore
        The articles kept, numbered from 0 (of a store: a view of it, see :meth:`CorpusStore.subset`).
    left_out : str
        For example "151 repeating an earlier text, 3 notices instead of an article and 1 left empty by
        cleaning left out".

    Examples
    --------
    >>> corpus = pd.DataFrame({"is_duplicate": [False, True, False, False, False],
    ...                        "is_stub": [False, False, False, True, False], "n_words": [12, 12, 0, 16, 0]})
    >>> articles, left_out = articles_for_analysis(corpus)
    >>> len(articles), left_out
    (1, '1 repeating an earlier text, 1 notice instead of an article and 2 left empty by cleaning left out')
    """
    flags = corpus.read([c for c in ("n_words", "is_stub", "is_duplicate") if c in corpus.columns]) \
        if isinstance(corpus, CorpusStore) else corpus
    empty = flags["n_words"].to_numpy() == 0
    stub = flags["is_stub"].to_numpy(bool) & ~empty if "is_stub" in flags.columns else np.zeros(len(flags), bool)
    repeated = flags["is_duplicate"].to_numpy(bool) & ~empty & ~stub
    keep = ~repeated & ~stub & ~empty
    kept = corpus.subset(keep) if isinstance(corpus, CorpusStore) else corpus.loc[keep].reset_index(drop=True)
    counts = ((int(repeated.sum()), "repeating an earlier text", "repeating an earlier text"),
              (int(stub.sum()), "notice instead of an article", "notices instead of an article"),
              (int(empty.sum()), "left empty by cleaning", "left empty by cleaning"))
    parts = [f"{n:,} {one if n == 1 else many}" for n, one, many in counts if n]
    if not parts:
        return kept, "none left out"
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return kept, f"{listed} left out"


def _load(path: Path, mapping: dict, clean: bool, learn_boilerplate: bool, n_jobs: int | None) -> pd.DataFrame:
    report = LoadReport()
    if path.is_dir():
        frame = _read_folder(path, mapping, report)
    elif _base_suffix(path) == ".txt":
        frame = _read_text_file_as_corpus(path, report)
    else:
        frame = _standardise(_read_table(path, report), mapping, str(path), report, _stem(path.parent, path))
        if frame.empty:
            raise CorpusError(f"{path}: no article could be read (see the warnings)" if report.issues
                              else f"{path}: the table holds no articles")
    frame = _finish(frame, report, clean=clean, learn_boilerplate=learn_boilerplate, n_jobs=n_jobs)
    frame.attrs["load_report"] = report.to_frame()
    logger.info("loaded %d articles from %s (%d issues)", len(frame), path, len(report.issues))
    return frame


def _read_text_file_as_corpus(path: Path, report: LoadReport) -> pd.DataFrame:
    """Read one ``.txt`` file as a corpus of one article."""
    raw = read_text_file(path, report)
    if raw is None:
        raise CorpusError(f"{path}: no text could be read (see the warnings)")
    return pd.DataFrame([{"doc_id": _stem(path.parent, path), "raw_text": raw}])


def _cache_file(path: Path, settings: dict, folder: str | Path) -> Path:
    """Name the corpus store after a hash of the input's path and bytes, the settings and the loading code.

    The path counts: the load report names the files, and stores of corpora from
    anywhere share the user's cache folder.
    """
    source = {**settings, "store": STORE_FORMAT, "path": str(path.resolve())}
    digest = hashlib.sha256(json.dumps(source, sort_keys=True).encode())
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files + [Path(__file__), Path(inspect.getfile(clean_corpus)), Path(inspect.getfile(normalize_unicode))]:
        digest.update(os.fsencode(file.relative_to(path) if path.is_dir() and file.is_relative_to(path) else file.name))
        with open(file, "rb") as handle:
            while block := handle.read(1 << 22):
                digest.update(block)
    return Path(folder) / f"corpus-{digest.hexdigest()[:20]}"


def _cache_folder(path: Path, cache: bool | str | Path, cache_dir: str | Path | None) -> Path:
    """Return the folder of corpus stores: ``cache_dir``, a folder given as ``cache``, else the default one.

    By default a corpus inside the project is stored in ``data/processed/``, any other in
    the user's cache folder (``~/.cache/analysis`` on Linux), so that nothing is written
    into a project the corpus does not belong to.
    """
    if cache_dir is not None:
        return Path(cache_dir)
    if cache is not True:
        return Path(cache)
    return PROCESSED_DIR if path.resolve().is_relative_to(PROJECT_ROOT) else Path(platformdirs.user_cache_dir("analysis"))


#: The layout of a corpus store; a store of another layout is rebuilt.
STORE_FORMAT = 3
#: Characters of text (raw and clean) per Parquet file of a store at most: about 100 MB in memory.
STORE_PART_CHARS = 50_000_000
_MANIFEST = "source.json"


def _even_share(total: int, most: int, n_workers: int = 1) -> int:
    """Return the size of the fewest equal shares of ``total``, a multiple of ``n_workers`` of them, of at most ``most`` each.

    A store's files are cut this large rather than ``most`` and a small remainder, and
    as many as the workers can share out evenly, so that the workers' tasks take about
    equally long and none waits alone for the last one.

    Examples
    --------
    >>> _even_share(134, 25)  # six pieces of 23 rather than five of 25 and one of 9
    23
    >>> _even_share(110, 10, n_workers=2)  # twelve pieces of 10 for two workers, not eleven
    10
    """
    n_shares = max(1, -(-total // most))
    n_shares = -(-n_shares // n_workers) * n_workers
    return max(1, -(-total // n_shares))


def _write_cache(frame: pd.DataFrame, cache: Path, source: dict, n_workers: int = 1) -> None:
    """Write the corpus as a Parquet dataset to ``cache``, then remove older stores of the same ``source`` beside it.

    The store is written to a temporary folder beside ``cache`` and renamed when complete,
    its manifest (:data:`_MANIFEST`, with every file's size and the number of articles) last:
    an interrupted write leaves no store behind, and a damaged one is found by :func:`_read_cache`.
    """
    temporary = _temporary_store(cache)
    try:
        (temporary / "articles").mkdir()
        attrs, frame.attrs = frame.attrs, {}  # the tables in attrs are written beside the articles
        try:
            chars = frame["raw_text"].str.len().fillna(0).to_numpy() + frame["text"].str.len().fillna(0).to_numpy()
            step = _even_share(int(chars.sum()), STORE_PART_CHARS, n_workers)
            cuts = np.searchsorted(np.cumsum(chars), np.arange(step, chars.sum(), step), side="right")
            bounds = [0, *sorted(set(cuts.tolist()) - {0, len(frame)}), len(frame)]
            for number, (start, end) in enumerate(zip(bounds, bounds[1:])):
                frame.iloc[start:end].to_parquet(temporary / "articles" / f"part-{number:05d}.parquet", index=False)
            rows = [end - start for start, end in zip(bounds, bounds[1:])]
        finally:
            frame.attrs = attrs
        _publish(temporary, cache, source, rows, attrs["load_report"], attrs["boilerplate"])
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _temporary_store(cache: Path) -> Path:
    """Make the temporary folder, beside ``cache``, that a store is written to."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{cache.name}.", suffix=".partial", dir=cache.parent))


def _publish(temporary: Path, cache: Path, source: dict, rows: list[int], load_report: pd.DataFrame,
             boilerplate: pd.DataFrame) -> None:
    """Write the tables and the manifest into the temporary store, rename it ``cache`` and remove older stores of ``source``."""
    load_report.to_parquet(temporary / "load_report.parquet")
    boilerplate.to_parquet(temporary / "boilerplate.parquet")
    files = {str(f.relative_to(temporary)): f.stat().st_size for f in sorted(temporary.rglob("*.parquet"))}
    manifest = {**source, "format": STORE_FORMAT, "n_articles": sum(rows), "rows": rows, "files": files}
    (temporary / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    shutil.rmtree(cache, ignore_errors=True)  # a damaged store of the same key
    os.replace(temporary, cache)
    logger.info("stored the corpus in %s", cache)
    for other in cache.parent.glob(f"corpus-*/{_MANIFEST}"):
        try:
            manifest = json.loads(other.read_text(encoding="utf-8"))
            stale = other.parent != cache and {key: manifest.get(key) for key in source} == source
        except (OSError, ValueError, AttributeError):  # unreadable: not ours to judge
            continue
        if stale:
            shutil.rmtree(other.parent, ignore_errors=True)


class _DamagedStore(Exception):
    """A corpus store that is incomplete, damaged or of another layout; the message says how."""


def _read_cache(cache: Path) -> pd.DataFrame:
    """Read a corpus store written by :func:`_write_cache`, showing the warnings of the first load again.

    Raises
    ------
    _DamagedStore
        If the manifest is missing or unreadable, of another format, or does not match the files.
    """
    store = CorpusStore._checked(cache)
    try:
        frame = store.read()
    except (OSError, ValueError, pa.ArrowException) as error:
        raise _DamagedStore(f"a file cannot be read ({type(error).__name__}: {error})") from None
    if len(frame) != len(store):
        raise _DamagedStore(f"it holds {len(frame)} articles, not {len(store)}")
    for issue in frame.attrs["load_report"].itertuples():
        where = f"{issue.file}, line {int(issue.line)}" if pd.notna(issue.line) else issue.file
        warnings.warn(f"{where}: {issue.problem}; {issue.action}", stacklevel=3)
    logger.info("read the corpus from the store %s", cache)
    return frame


class CorpusStore:
    """A loaded and cleaned corpus kept on disk as a partitioned Parquet dataset, read a partition at a time.

    Per-article stages accept a store wherever they accept a corpus frame
    (:func:`analysis.mentions.find_mentions`, :func:`analysis.mentions.count_mentions`,
    :func:`analysis.text.count_terms`, :func:`analysis.compare.term_counts`): each task
    then reads its own partition (one Parquet file of about 100 MB of text), only the
    columns it needs, so that no article text passes through the calling process and a
    corpus larger than memory can be worked through. The object itself is small (the
    folder and the articles per file) and can be sent to a cluster's workers, which must
    see the folder under the same path. Get one from :func:`open_store`, or open a store
    folder that :func:`load_corpus` or :func:`open_store` wrote with ``CorpusStore(folder)``.

    Parameters
    ----------
    folder : str or Path
        A store folder (``corpus-<key>``, holding ``source.json`` and ``articles/``).

    Raises
    ------
    CorpusError
        If the folder is not a complete store of this layout (the message says what is wrong).

    Examples
    --------
    >>> store = open_store("data/raw")  # doctest: +SKIP
    >>> len(store), store.read(["doc_id", "source"]).shape  # doctest: +SKIP
    (5, (5, 2))
    """

    def __init__(self, folder: str | Path) -> None:
        try:
            self._open(Path(folder))
        except _DamagedStore as damage:
            raise CorpusError(f"{folder}: not a usable corpus store: {damage}") from None

    @classmethod
    def _checked(cls, folder: Path) -> CorpusStore:
        """Open a store, raising :class:`_DamagedStore` (which callers answer by rebuilding it)."""
        store = cls.__new__(cls)
        store._open(folder)
        return store

    def _open(self, folder: Path) -> None:
        if not (folder / _MANIFEST).is_file():
            raise _DamagedStore("its manifest is missing (an interrupted write, or a store of an older layout)")
        try:
            manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise _DamagedStore(f"its manifest cannot be read ({type(error).__name__})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT:
            raise _DamagedStore(f"it was written in another layout (format {manifest.get('format') if isinstance(manifest, dict) else None})")
        for name, size in manifest["files"].items():
            found = (folder / name).stat().st_size if (folder / name).is_file() else None
            if found != size:
                raise _DamagedStore(f"{name} holds {found} bytes, not {size}" if found is not None else f"{name} is missing")
        parts = sorted(name for name in manifest["files"] if name.startswith("articles/"))
        if len(parts) != len(manifest["rows"]) or sum(manifest["rows"]) != manifest["n_articles"]:
            raise _DamagedStore("its manifest does not add up")
        self.folder = folder
        self.files = tuple(folder / name for name in parts)
        self.rows = tuple(int(n) for n in manifest["rows"])
        self._starts = tuple(itertools.accumulate(self.rows, initial=0))
        self._keep = None

    def __len__(self) -> int:
        return self._starts[-1]

    def __repr__(self) -> str:
        return f"CorpusStore({str(self.folder)!r}: {len(self):,} articles in {self.n_partitions} partitions)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CorpusStore) and other.folder == self.folder and other.rows == self.rows and (
            (other._keep is None) == (self._keep is None)
            and (self._keep is None or all(map(np.array_equal, self._keep, other._keep))))

    def __hash__(self) -> int:
        return hash((self.folder, self.rows))

    def subset(self, keep: np.ndarray) -> CorpusStore:
        """Return a view of the store that holds the articles where ``keep`` is true.

        ``keep`` has one truth value per article of this store, in its order. The view reads
        the same files, leaves the other rows out as it reads them, and is as cheap to send
        to workers (one byte per article of the store).
        """
        keep = np.asarray(keep, dtype=bool)
        if keep.shape != (len(self),):
            raise ValueError(f"keep must hold one truth value per article ({len(self):,}), not {keep.shape}")
        chosen = []
        for number, part in enumerate(np.split(keep, self._starts[1:-1])):
            if self._keep is not None:  # a view of a view: choose among the rows chosen before
                part, earlier = self._keep[number].copy(), part
                part[part] = earlier
            chosen.append(part)
        view = CorpusStore.__new__(CorpusStore)
        view.folder, view.files, view._keep = self.folder, self.files, tuple(chosen)
        view.rows = tuple(int(part.sum()) for part in chosen)
        view._starts = tuple(itertools.accumulate(view.rows, initial=0))
        return view

    def sample(self, n: int, random_state: int = 0, columns: list[str] | None = None) -> pd.DataFrame:
        """Read ``n`` articles drawn at random (all of them where the store holds no more), in the store's order.

        Parameters
        ----------
        n : int
            Articles to read at most.
        random_state : int, default 0
            Seed of the draw: the same seed draws the same articles.
        columns : list of str, optional
            Columns to read; all when None.
        """
        if len(self) <= n:
            return self.read(columns)
        chosen = np.zeros(len(self), dtype=bool)
        chosen[np.random.default_rng(random_state).choice(len(self), size=n, replace=False)] = True
        return self.subset(chosen).read(columns)

    @property
    def n_partitions(self) -> int:
        """The number of partitions (Parquet files)."""
        return len(self.files)

    @property
    def columns(self) -> list[str]:
        """The columns of the articles, as :func:`load_corpus` returns them."""
        import pyarrow.parquet as pq

        return list(pq.read_schema(self.files[0]).names) if self.files else list(COLUMNS)

    def read_partition(self, number: int, columns: list[str] | None = None) -> pd.DataFrame:
        """Read one partition: its articles, numbered by their rows in the corpus, with ``columns`` (all when None)."""
        frame = pd.read_parquet(self.files[number], columns=columns)
        if self._keep is not None:
            frame = frame[self._keep[number]]
        frame.index = pd.RangeIndex(self._starts[number], self._starts[number + 1])
        if "removed" in frame.columns:
            frame["removed"] = [list(map(dict, removals)) for removals in frame["removed"]]
        for column in ("source", "title", "author", "url"):
            if column in frame.columns:
                frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        return frame

    def partitions(self, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """Yield the partitions one after the other (see :meth:`read_partition`)."""
        for number in range(self.n_partitions):
            yield self.read_partition(number, columns)

    def read(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Return the whole corpus (or its ``columns``) as one frame, with the tables of ``attrs`` as loading gives them.

        Read only small columns of a corpus larger than memory (``["doc_id", "source", "date"]``).
        """
        parts = list(self.partitions(columns))
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns or COLUMNS)
        frame.attrs = {"load_report": self.load_report, "boilerplate": self.boilerplate}
        return frame

    @property
    def load_report(self) -> pd.DataFrame:
        """What loading skipped or repaired (see :class:`LoadReport`)."""
        return pd.read_parquet(self.folder / "load_report.parquet")

    @property
    def boilerplate(self) -> pd.DataFrame:
        """The lines learned per outlet (see :func:`analysis.clean.learned_table`)."""
        return pd.read_parquet(self.folder / "boilerplate.parquet")


def open_store(
    path: str | Path | None = None,
    *,
    cache_dir: str | Path | None = None,
    n_jobs: int | None = None,
    **options,
) -> CorpusStore:
    """Load and clean a corpus into a store (or reuse the store made before) and return it, without reading it back.

    The store is the one :func:`load_corpus` makes with ``cache=True`` (same key, same
    folders): the two share it. A JSON Lines, CSV or TSV file (optionally compressed), a
    Parquet file and a folder of text files (``.txt``, in subfolders or not; a folder that
    also holds tables is read whole) are loaded and cleaned out of core, a piece of about
    :data:`STORE_PART_CHARS` characters at a time, so that a corpus larger than memory can
    be stored: its pieces are read in turn, cleaned partition by partition where
    :mod:`analysis.engine` runs the work (two passes: the keys of the lines that may be
    learned, then cleaning), and the
    repeated texts are flagged from each article's fingerprint and hash of its clean text.
    The articles, their columns, the learned lines and the warnings about heavily cleaned
    articles are those :func:`load_corpus` gives.

    Parameters
    ----------
    path : str or Path, optional
        The corpus, as :func:`load_corpus` takes it; defaults to the bundled corpus.
    cache_dir : str or Path, optional
        The folder of the stores; by default ``data/processed/`` for a corpus inside the
        project, else the user's cache folder.
    n_jobs : int, optional
        Processes for cleaning (see :func:`load_corpus`).
    **options
        The other arguments of :func:`load_corpus` (``text_column``, ``clean`` ...).

    Returns
    -------
    CorpusStore
    """
    path = Path(path) if path is not None else RAW_DIR
    if not path.exists():
        raise FileNotFoundError(f"Corpus path does not exist: {path}")
    mapping, settings = _settings(**options)
    cache_file = _cache_file(path, settings, _cache_folder(path, True, cache_dir))
    if cache_file.exists():
        try:
            return CorpusStore._checked(cache_file)
        except _DamagedStore as damage:
            warnings.warn(f"the corpus store {cache_file} cannot be used: {damage}; rebuilding it", stacklevel=2)
    source = {"path": str(path.resolve()), "settings": settings}
    if settings["clean"] and _streamable(path):
        _stream_store(path, mapping, settings, cache_file, source, n_jobs)
    else:
        _write_cache(_load(path, mapping, settings["clean"], settings["learn_boilerplate"], n_jobs), cache_file, source,
                     worker_count(n_jobs))
    return CorpusStore._checked(cache_file)


def _stream_store(path: Path, mapping: dict, settings: dict, cache: Path, source: dict, n_jobs: int | None) -> None:
    """Load and clean a corpus that :func:`_streamable` accepts into the store ``cache`` a piece at a time.

    The pieces are first written as they are read (``raw/``, inside the temporary store),
    then cleaned from there by tasks that each read one of them and write its articles.
    """
    report = LoadReport()
    temporary = _temporary_store(cache)
    try:
        (temporary / "raw").mkdir()
        (temporary / "articles").mkdir()
        outlets, rows, earlier = [], [], _Earlier()
        for frame in _read_pieces(path, mapping, report, worker_count(n_jobs)):
            if frame.empty:
                continue
            _standard_fields(frame, report, earlier)
            # staged uncompressed: written once here, read by every pass of the workers, removed at the end
            frame.to_parquet(temporary / "raw" / f"part-{len(rows):05d}.parquet", index=False, compression=None)
            outlets += [o if isinstance(o, str) else None for o in frame["source"].tolist()]
            rows.append(len(frame))
        earlier.report_to(report)
        del earlier
        if not rows:
            raise CorpusError(f"{path}: no readable article in this folder (see the warnings)" if path.is_dir()
                              else f"{path}: no article could be read (see the warnings)" if report.issues
                              else f"{path}: the table holds no articles")
        raw = _Pieces(temporary / "raw", rows)
        thresholds = cleaning.BOILERPLATE_THRESHOLDS
        sizes = Counter(o for o in outlets if o is not None)
        eligible = {o for o, n in sizes.items() if n >= thresholds["min_articles"]} if settings["learn_boilerplate"] else set()
        learned = _learn_from_pieces(raw, temporary / "keys", outlets, eligible, sizes, n_jobs) if eligible else {}
        parts = reduce_partitions(_clean_piece, raw, learned, sizes, temporary / "articles", raw.starts, n_jobs=n_jobs)
        shutil.rmtree(temporary / "raw")
        texts = np.concatenate([np.stack([fingerprints, hashes], axis=1) for fingerprints, hashes, *_ in parts])
        empty = np.concatenate([empty for _, _, empty, *_ in parts])
        _, first_copies = np.unique(texts, axis=0, return_index=True)
        repeated = np.ones(len(texts), dtype=bool)
        repeated[first_copies] = False
        repeated &= ~empty  # an emptied text repeats nothing
        _flag_repeats(temporary / "articles", rows, repeated)
        found = pd.concat([table for *_, table, _ in parts], ignore_index=True)
        heavy = pd.concat([heavy for *_, heavy in parts], ignore_index=True)
        boilerplate = found.groupby(["source", "line"], as_index=False)["n_articles"].sum()
        boilerplate["share"] = boilerplate["n_articles"] / boilerplate["source"].map(sizes)
        _publish(temporary, cache, source, rows, report.to_frame(), cleaning.learned_table(boilerplate.to_dict("records")))
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    cleaning._warn_heavily_cleaned(None, heavy)
    logger.info("loaded and cleaned %d articles from %s into %s, a piece at a time", sum(rows), path, cache)


def _streamable(path: Path) -> bool:
    """Tell whether a corpus can be stored a piece at a time: one table file but JSON, or a folder of text files and no table."""
    if path.is_file():
        return _base_suffix(path) in (".jsonl", ".ndjson", ".csv", ".tsv") or path.suffix == ".parquet"
    return not any(_base_suffix(p) in TABLE_SUFFIXES for p in path.rglob("*")
                   if not any(part.startswith(".") for part in p.relative_to(path).parts))


def _read_pieces(path: Path, mapping: dict, report: LoadReport, n_workers: int = 1) -> Iterator[pd.DataFrame]:
    """Yield the articles of a JSON Lines, CSV or Parquet file or of a folder of text files, at most about ``STORE_PART_CHARS // 2`` bytes at a time.

    The articles are those :func:`load_corpus` reads (a text file's outlet is its subfolder's name).
    Where the size is known before reading (all but a compressed file), the pieces are equally large
    and as many as ``n_workers`` can share out evenly (:func:`_even_share`).
    """
    if path.is_dir():
        texts, _, _ = _folder_files(path, report)
        sizes = [file.stat().st_size for file in texts]
        share = _even_share(sum(sizes), STORE_PART_CHARS // 2, n_workers)
        batch, size, cut = [], 0, share
        for number, (file, file_size) in enumerate(zip(texts, sizes)):
            batch.append(file)
            size += file_size
            if size >= cut or number == len(texts) - 1:
                rows = [{"doc_id": _stem(path, p), "raw_text": raw, "source": _subfolder(path, p)}
                        for p in batch if (raw := read_text_file(p, report)) is not None]
                yield pd.DataFrame(rows, columns=["doc_id", "raw_text", "source"])
                batch, cut = [], cut + share
        return
    if path.suffix == ".parquet" or _base_suffix(path) in (".csv", ".tsv"):
        for table in (_parquet_pieces if path.suffix == ".parquet" else _csv_pieces)(path, report, n_workers):
            yield _standardise(table, mapping, str(path), report, _stem(path.parent, path))
        return
    for first, lines in _pieces(path, _piece_bytes(path, n_workers)):
        table = _read_jsonl_arrow(path, b"\n".join(lines))
        if table is None:
            table = _read_jsonl_lines(path, report, lines, first)
        else:
            table.index = pd.RangeIndex(first - 1, first - 1 + len(table))  # numbered by their lines, as read whole
        yield _standardise(table, mapping, str(path), report, _stem(path.parent, path))


def _parquet_pieces(path: Path, report: LoadReport, n_workers: int = 1) -> Iterator[pd.DataFrame]:
    """Yield the rows of a Parquet file in runs of about ``STORE_PART_CHARS // 2`` bytes, as :func:`_read_table` reads them."""
    import pyarrow.parquet as pq

    with _reading(path):
        file = pq.ParquetFile(path)
        metadata = file.metadata
        n_bytes = sum(metadata.row_group(group).total_byte_size for group in range(metadata.num_row_groups))
        n_pieces = -(-max(n_bytes, 1) // _even_share(max(n_bytes, 1), STORE_PART_CHARS // 2, n_workers))
        batch_size = max(1, -(-metadata.num_rows // n_pieces))  # rows in equal runs
        first = 0
        for batch in file.iter_batches(batch_size=batch_size):
            table = pa.Table.from_batches([batch]).to_pandas()
            table = table.reset_index(drop=not any(table.index.names))
            table.index = pd.RangeIndex(first, first + len(table))  # numbered by their rows, as read whole
            first += len(table)
            yield table


def _piece_bytes(path: Path, n_workers: int = 1) -> int:
    """Return the bytes of a file's pieces: :func:`_even_share` of its size, or ``STORE_PART_CHARS // 2`` where it is compressed."""
    if path.suffix.lower() in COMPRESSIONS:
        return STORE_PART_CHARS // 2
    return _even_share(path.stat().st_size, STORE_PART_CHARS // 2, n_workers)


def _pieces(path: Path, n_bytes: int) -> Iterator[tuple[int, list[bytes]]]:
    """Yield runs of a file's lines of about ``n_bytes`` bytes, each with the number of its first line.

    A run ends at the first line end after a multiple of ``n_bytes`` from the start of the file.
    """
    lines, size, first, cut = [], 0, 1, n_bytes
    for number, line in enumerate(_lines(path), start=1):
        lines.append(line)
        size += len(line) + 1
        if size >= cut:
            yield first, lines
            lines, first, cut = [], number + 1, cut + n_bytes
    if lines and any(line.strip() for line in lines):
        yield first, lines


class _Pieces:
    """The pieces of a corpus being stored (``part-NNNNN.parquet`` in ``folder``), read by the engine's tasks."""

    def __init__(self, folder: Path, rows: list[int]) -> None:
        self.folder, self.rows = folder, rows
        self.starts = list(itertools.accumulate(rows, initial=0))

    @property
    def n_partitions(self) -> int:
        return len(self.rows)

    def read_partition(self, number: int, columns: list[str] | None = None) -> pd.DataFrame:
        frame = pd.read_parquet(self.folder / f"part-{number:05d}.parquet", columns=columns)
        frame.index = pd.RangeIndex(self.starts[number], self.starts[number + 1])
        for column in ("source", "title", "author", "url"):
            if column in frame.columns:
                frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        return frame


#: Buckets of the hashed line counts while a store learns boilerplate a piece at a time (64 MB of counts).
LINE_BUCKETS = 1 << 23


def _learn_from_pieces(raw: _Pieces, folder: Path, outlets: list, eligible: set, sizes: Counter,
                       n_jobs: int | None) -> dict[str, frozenset]:
    """Learn each eligible outlet's recurring lines as :func:`analysis.clean.clean_corpus` does, a piece at a time.

    What the calling process holds does not grow with the lines of the corpus: three passes
    over the staged pieces, each task reading one of them, (1) write each piece's line keys
    to ``folder`` and return each article's XOR and number of keys, from which the copies
    of an earlier article of the same outlet are told (their lines count once); (2) count
    the keys of the first copies per outlet into :data:`LINE_BUCKETS` hashed buckets; (3)
    count exactly the keys of the buckets that reach the smallest outlet threshold. A key is
    learned where its outlet's articles holding it reach ``max(min_docs, min_share * articles)``.
    """
    thresholds = cleaning.BOILERPLATE_THRESHOLDS
    names = sorted(eligible)
    codes = {name: code for code, name in enumerate(names)}
    outlet_codes = np.array([codes.get(o, -1) for o in outlets], dtype=np.int64)
    folder.mkdir()
    prints = reduce_partitions(_piece_prints, raw, eligible, thresholds["min_words"], folder, raw.starts,
                               n_jobs=n_jobs, columns=["raw_text", "source"])
    n_keys = np.concatenate([n for _, n in prints])
    first = cleaning._first_copies(np.concatenate([p for p, _ in prints]), n_keys, outlet_codes)
    del prints
    needed = np.array([max(thresholds["min_docs"], thresholds["min_share"] * sizes[name]) for name in names])
    buckets = fold_partitions(_piece_buckets, raw, _add_buckets, np.zeros(LINE_BUCKETS, dtype=np.int64), folder,
                              raw.starts, outlet_codes, first, n_jobs=n_jobs, columns=["source"])
    candidates = buckets >= needed.min()
    del buckets
    pairs, counts = fold_partitions(_piece_pairs, raw, _add_pairs, (np.empty((0, 2), dtype=np.int64), np.empty(0, np.int64)),
                                    folder, raw.starts, outlet_codes, first, candidates, n_jobs=n_jobs, columns=["source"])
    shutil.rmtree(folder)
    learned_pairs = pairs[counts >= needed[pairs[:, 0]]]
    return {name: frozenset(learned_pairs[learned_pairs[:, 0] == code, 1].tolist()) for code, name in enumerate(names)}


def _piece_prints(piece: pd.DataFrame, eligible: set, min_words: int, folder: Path, starts: list[int]) -> tuple:
    """Write the keys of a piece's lines that may be learned to ``folder``; return each article's XOR and number of keys."""
    outlets = piece["source"].tolist()
    keys, n_keys = cleaning._read_partition(pd.DataFrame({
        "raw_text": piece["raw_text"].array,
        "min_words": pd.Series([min_words if o in eligible else None for o in outlets], dtype=object)}))
    np.savez(folder / f"part-{starts.index(piece.index[0]):05d}.npz", keys=keys, n_keys=n_keys)
    return cleaning._key_prints(keys, n_keys), n_keys


def _first_keys(piece: pd.DataFrame, folder: Path, starts: list[int], outlet_codes: np.ndarray,
                first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the outlet code and key of each line key of the piece's first copies of eligible outlets."""
    start = piece.index[0]
    with np.load(folder / f"part-{starts.index(start):05d}.npz") as saved:
        keys, n_keys = saved["keys"], saved["n_keys"]
    rows = slice(start, start + len(n_keys))
    code_of_key = np.repeat(outlet_codes[rows], n_keys)
    kept = np.repeat(first[rows], n_keys) & (code_of_key >= 0)
    return code_of_key[kept], keys[kept]


def _bucket(codes: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Return the bucket of each (outlet code, key) among :data:`LINE_BUCKETS`."""
    mixed = keys.view(np.uint64) ^ (codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    return (mixed % np.uint64(LINE_BUCKETS)).astype(np.int64)


def _piece_buckets(piece: pd.DataFrame, folder: Path, starts: list[int], outlet_codes: np.ndarray,
                   first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.unique(_bucket(*_first_keys(piece, folder, starts, outlet_codes, first)), return_counts=True)


def _add_buckets(total: np.ndarray, part: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    total[part[0]] += part[1]
    return total


def _piece_pairs(piece: pd.DataFrame, folder: Path, starts: list[int], outlet_codes: np.ndarray, first: np.ndarray,
                 candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Count the (outlet code, key) pairs of a piece's first copies whose bucket is a candidate."""
    codes, keys = _first_keys(piece, folder, starts, outlet_codes, first)
    kept = candidates[_bucket(codes, keys)]
    return np.unique(np.stack([codes[kept], keys[kept]], axis=1), axis=0, return_counts=True)


def _add_pairs(total: tuple, part: tuple) -> tuple:
    pairs, inverse = np.unique(np.concatenate([total[0], part[0]]), axis=0, return_inverse=True)
    return pairs, np.bincount(inverse.ravel(), weights=np.concatenate([total[1], part[1]]),
                              minlength=len(pairs)).astype(np.int64)


def _clean_piece(piece: pd.DataFrame, learned: dict, sizes: Counter, folder: Path, starts: list[int]) -> tuple:
    """Clean a piece with the learned lines, as :func:`analysis.clean.clean_corpus` does, and write its articles.

    Returns what the whole corpus needs to know of it: each clean text's fingerprint and
    hash, which texts are empty, the learned lines removed from its articles, and its
    heavily cleaned articles (:func:`analysis.clean.heavily_cleaned`).
    """
    outlets = [o if isinstance(o, str) else None for o in piece["source"].tolist()]
    titles = [t if isinstance(t, str) and t else None for t in piece["title"].tolist()]
    tasks = pd.DataFrame({"raw_text": piece["raw_text"].array, "title": pd.Series(titles, dtype=object),
                          "outlet": pd.Series(outlets, dtype=object)})
    cleaned = cleaning._clean_partition(tasks, learned)
    out = piece.reset_index(drop=True)
    removed = cleaning.take_cleaned(out, cleaned)  # repeats are flagged when every piece is done
    _optional_text(out)
    extra = [c for c in out.columns if c not in COLUMNS]
    out[COLUMNS + extra].to_parquet(folder / f"part-{starts.index(piece.index[0]):05d}.parquet", index=False)
    hashes = np.array([stable_hash(text) for text in out["text"].tolist()], dtype=np.int64)
    found = cleaning._learned_lines(removed, outlets, learned, sizes) if learned else cleaning.learned_table([])
    return (cleaned["fingerprint"].to_numpy(), hashes, (out["text"] == "").to_numpy(), found,
            cleaning.heavily_cleaned(out))


def _flag_repeats(folder: Path, rows: list[int], repeated: np.ndarray) -> None:
    """Write the flags of repeated texts into the pieces that hold any."""
    import pyarrow.parquet as pq

    for number, (start, end) in enumerate(itertools.pairwise(itertools.accumulate(rows, initial=0))):
        flags = repeated[start:end]
        if flags.any():
            file = folder / f"part-{number:05d}.parquet"
            table = pq.read_table(file)
            column = table.schema.get_field_index("is_duplicate")
            table = table.set_column(column, "is_duplicate", pa.array(flags))
            pq.write_table(table, file)


def _settings(text_column: str | None = None, source_column: str | None = None, date_column: str | None = None,
              id_column: str | None = None, title_column: str | None = None, author_column: str | None = None,
              clean: bool = True, learn_boilerplate: bool = True) -> tuple[dict, dict]:
    """Return the column mapping and the settings that key a store, from :func:`load_corpus`'s arguments."""
    mapping = {"text": text_column, "source": source_column, "date": date_column,
               "doc_id": id_column, "title": title_column, "author": author_column}
    return mapping, {**mapping, "clean": clean, "learn_boilerplate": learn_boilerplate}


def read_text_file(path: Path, report: LoadReport) -> str | None:
    """Read a text file whatever its encoding; return None (and report it) if unusable.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read silently; other files are
    decoded as cp1252 or, failing that, latin-1, with a warning. Empty and binary files,
    and files holding nothing but a byte order mark and whitespace, are skipped and reported.
    """
    name = str(path)
    try:
        with _open(path) as handle:
            data = handle.read()
    except (OSError, EOFError, lzma.LZMAError) as error:
        report.add(name, f"cannot be read ({error})", "skipped")
        return None
    text = _decode_text_file(data, name, report)
    if text is not None and (not text or text.isspace()):
        report.add(name, "file holds only whitespace" if text else "empty file", "skipped")
        return None
    return text


def _decode_text_file(data: bytes, name: str, report: LoadReport) -> str | None:
    """Decode the bytes of a text file as :func:`read_text_file` describes; None (reported) if binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, name, report)
    if b"\x00" in data[:8192] or _control_share(data[:8192]) > 0.1:
        report.add(name, "binary file, not text", "skipped")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        report.add(name, "not valid UTF-8", f"decoded as {encoding}")
        return text
    raise AssertionError("latin-1 decodes any bytes")


def _decode_utf16(data: bytes, name: str, report: LoadReport) -> str:
    """Decode UTF-16 with a byte order mark; report and replace what cannot be decoded."""
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as error:
        report.add(name, f"broken UTF-16 ({error.reason} at byte {error.start})",
                   "decoded with the broken bytes replaced by U+FFFD")
        return data.decode("utf-16", errors="replace")


def _control_share(data: bytes) -> float:
    controls = sum(1 for byte in data if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / max(len(data), 1)


def _open(path: Path):
    """Open a file for reading bytes, decompressing ``.gz``, ``.xz`` and ``.bz2``."""
    opener = COMPRESSIONS.get(path.suffix.lower(), open)
    return opener(path, "rb")


def _base_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSIONS:
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _read_folder(folder: Path, mapping: dict, report: LoadReport) -> pd.DataFrame:
    """Read the articles in a folder and its subfolders; ``mapping`` names the columns of its tables.

    An article in a subfolder gets the subfolder's name (the first below ``folder``) as its
    outlet when nothing else names one, as in a folder holding one subfolder per outlet.
    A table that cannot be used (empty, broken, without a text column) is reported and
    skipped. Links to folders are not followed, and are reported as links to missing files are.
    """
    texts, tables, sidecar = _folder_files(folder, report)
    has_sidecar = sidecar is not None
    frames = []
    if texts or has_sidecar:
        rows = []
        for p in texts:
            raw = read_text_file(p, report)
            if raw is not None:
                rows.append({"doc_id": _stem(folder, p), "file": _relative_name(folder, p), "raw_text": raw,
                             "subfolder": _subfolder(folder, p)})
        frame = pd.DataFrame(rows, columns=["doc_id", "file", "raw_text", "subfolder"])
        if has_sidecar:
            frame = _merge_sidecar(frame, sidecar, {_relative_name(folder, p) for p in texts}, mapping, report)
        frames.append(frame.drop(columns="file"))
    articles = []  # consecutive one-article .json files, made one table as the .txt files are
    for table in tables:
        try:
            with _reading(table):
                objects = _json_objects(table, report) if _base_suffix(table) == ".json" else None
            if objects is not None and objects[1] == [0]:
                if (article := _one_article(table, _stem(folder, table), objects[0][0], mapping, report)) is not None:
                    articles.append({**article, "subfolder": _subfolder(folder, table)})
                continue
            read = _read_table(table, report) if objects is None else pd.DataFrame(objects[0], index=objects[1])
            read = _standardise(read, mapping, str(table), report, _stem(folder, table))
        except CorpusError as error:  # one unusable table does not keep the others from being read
            report.add(str(table), str(error).removeprefix(f"{table}: "), "skipped")
            continue
        read["subfolder"] = _subfolder(folder, table)
        frames += [pd.DataFrame(articles), read]
        articles = []
    frames.append(pd.DataFrame(articles))
    frames = [f for f in frames if len(f)]
    if not frames:
        raise CorpusError(f"{folder}: no readable article in this folder (see the warnings)")
    corpus = pd.concat(frames, ignore_index=True)
    subfolders = corpus.pop("subfolder")
    if subfolders.notna().any():
        named = _one_lines(corpus["source"]) if "source" in corpus.columns \
            else pd.Series(None, index=corpus.index, dtype=object)
        corpus["source"] = named.where(named.notna(), subfolders)
    return corpus


def _folder_files(folder: Path, report: LoadReport) -> tuple[list[Path], list[Path], Path | None]:
    """List the text files and tables of a folder and its subfolders, and its sidecar (None without one).

    Links that lead out of the folder, links to folders or to missing files, file names that
    are not UTF-8 and files of other types are reported; a folder without a text file or a
    table is an error.
    """
    entries = [p for p in folder.rglob("*") if not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    outside = _links_out_of(folder, entries)
    for link in sorted(outside):
        report.add(str(link), "a link that leads out of the corpus folder (not followed)", "skipped")
    entries = [p for p in entries if p not in outside]
    files = sorted(p for p in entries if p.is_file())
    for link in sorted(p for p in entries if p.is_symlink() and not p.is_file()):
        report.add(str(link), "a link to a folder (links to folders are not followed)" if link.is_dir()
                   else f"a link to a file that does not exist ({os.readlink(link)})", "skipped")
    for path in files:
        if _SURROGATE.search(str(path.relative_to(folder))):
            report.add(str(path), "the file name is not valid UTF-8 (shown here decoded as cp1252)", "read")
    sidecar = folder / SIDECAR
    has_sidecar = sidecar.is_file() and sidecar not in outside
    texts = [p for p in files if _base_suffix(p) == ".txt"]
    tables = [p for p in files if _base_suffix(p) in TABLE_SUFFIXES and p.name != SIDECAR]
    _report_other_files(folder, sorted(set(files) - set(texts) - set(tables) - {sidecar}), report)
    if not texts and not tables:
        raise CorpusError(f"{folder}: no .txt, .csv, .tsv, .json, .jsonl or .parquet files in this folder "
                          "or its subfolders")
    return texts, tables, (sidecar if has_sidecar else None)


def _report_other_files(folder: Path, others: list[Path], report: LoadReport) -> None:
    """Report the files of a folder that are not read; many of one type (images, say) in one line."""
    by_type: dict[str, list[Path]] = {}
    for other in others:
        if other.name == SIDECAR:
            report.add(str(other), f"a {SIDECAR} in a subfolder (only the one in {folder} is read)", "skipped")
        else:
            by_type.setdefault(other.suffix.lower(), []).append(other)
    for suffix, group in by_type.items():
        if len(group) > MAX_LISTED_FILES:
            report.add(str(folder), f"{len(group)} {suffix or 'untyped'} files are not .txt or table files, "
                       f"e.g. {group[0].relative_to(folder).as_posix()}", "skipped")
        else:
            for other in group:
                report.add(str(other), "not a .txt or table file", "skipped")


def _stem(folder: Path, path: Path) -> str:
    """Name a file's articles by its path in ``folder`` without the file type: ``taz/0001`` for ``taz/0001.txt.gz``.

    Other dots stay: ``taz/bericht.2025-01-03`` for ``taz/bericht.2025-01-03.txt``.
    """
    name = path.relative_to(folder)
    if name.suffix.lower() in COMPRESSIONS:
        name = name.with_suffix("")
    return readable_name(name.with_suffix("").as_posix())


def _subfolder(folder: Path, path: Path) -> str | None:
    """Return the name of the subfolder of ``folder`` that holds ``path``, None if ``folder`` holds it."""
    parts = path.relative_to(folder).parts
    return readable_name(parts[0]) if len(parts) > 1 else None


def _relative_name(folder: Path, path: Path) -> str:
    """Return the path of a file in ``folder`` as :data:`SIDECAR` names it: POSIX form, NFC."""
    return readable_name(path.relative_to(folder).as_posix())


def readable_name(name: str) -> str:
    """Return a file name (or a text holding one) as valid Unicode text in NFC.

    Bytes of a name that are not UTF-8 (which Python keeps as lone surrogates) are
    decoded as cp1252, as an old Windows or Latin-1 archive wrote them; NFC makes a name
    written on macOS (NFD, "a" + combining diaeresis) equal to the same name typed elsewhere.

    Examples
    --------
    >>> readable_name("B\udce4r.txt")
    'Bär.txt'
    >>> readable_name("Ba\u0308r.txt") == "Bär.txt"
    True
    """
    fixed = _SURROGATE.sub(_decoded_surrogates, name) if _SURROGATE.search(name) else name
    return unicodedata.normalize("NFC", fixed)


def _decoded_surrogates(match: re.Match) -> str:
    """Decode a run of escaped bytes (U+DC80 to U+DCFF) as cp1252; other surrogates become U+FFFD."""
    data = bytes(ord(c) - 0xDC00 if 0xDC80 <= ord(c) <= 0xDCFF else 0x3F for c in match.group())
    return data.decode("cp1252", errors="replace")


def _links_out_of(folder: Path, entries: list[Path]) -> set[Path]:
    """Return the symbolic links among ``entries`` that lead out of ``folder``, whether or not their target exists."""
    root = folder.resolve()
    return {p for p in entries if p.is_symlink() and not p.resolve().is_relative_to(root)}


def _one_article(path: Path, stem: str, article: dict, mapping: dict, report: LoadReport) -> dict | None:
    """Give the article of a one-article JSON file the standard names, as :func:`_standardise` does a table's.

    Without an id it is named ``<stem>-0``, as the first row of a table.
    """
    name = str(path)
    renames = _renames(list(article), mapping, name)
    row = {target: article[column] for column, target in renames.items()}
    row.update({kept: _one_line(article[column]) for column, kept in _kept_names(list(article), renames).items()})
    row["raw_text"] = _paragraphs(row.pop("text"))
    if (problem := _text_problem(row["raw_text"])) is not None:
        report.add(name, f"row 1 {problem}", "row skipped")
        return None
    if _one_line(row.get("doc_id")) is None:
        numbered = f"{stem}-0"
        if "doc_id" in row:
            report.add(name, "1 row(s) without an id, e.g. row 1",
                       f"ids made from the row numbers, such as {numbered!r}")
        row["doc_id"] = numbered
    return row


def _merge_sidecar(frame: pd.DataFrame, sidecar: Path, names: set[str], mapping: dict,
                   report: LoadReport) -> pd.DataFrame:
    """Join ``metadata.csv`` on the file name; the sidecar wins over the text.

    Its columns are recognised as a table's are (``File``, ``outlet``, ``Quelle``, ``Datum``, ...),
    a column named in ``mapping`` first. Its other columns are kept.
    """
    meta = _read_table(sidecar, report).fillna("")
    lowered = {str(c).lower(): c for c in meta.columns}
    candidates = {"file": SIDECAR_FILE_COLUMNS, **COLUMN_CANDIDATES}
    fields = {target: mapping.get(target) if mapping.get(target) in meta.columns
              else next((lowered[c] for c in candidates[target] if c in lowered), None)
              for target in ("file", "source", "date", "title", "author", "url")}
    if fields["file"] is None:
        raise CorpusError(f"{sidecar}: needs a 'file' column (or 'Datei'); found columns {list(meta.columns)}")
    used = {c: t for t, c in fields.items() if c is not None}
    meta = pd.DataFrame({**{t: meta[c] for c, t in used.items()},
                         **{kept: meta[c] for c, kept in _kept_names(list(meta.columns), used).items()}})
    meta["file"] = meta["file"].map(readable_name)
    unknown = sorted(set(meta["file"]) - names)
    for name in unknown:
        problem = (f"names a file that is not a .txt file ({SIDECAR} describes .txt files)"
                   if _base_suffix(Path(name)) != ".txt" and (sidecar.parent / name).is_file()
                   else "names a file that does not exist")
        report.add(str(sidecar), f"{problem}: {name!r}", "row ignored")
    for name in sorted(set(meta["file"][meta["file"].duplicated()])):
        report.add(str(sidecar), f"has more than one row for {name!r}", "first row used")
    meta = meta[meta["file"].isin(names)].drop_duplicates("file").replace("", None)
    return frame.merge(meta, on="file", how="left")


def _read_table(path: Path, report: LoadReport) -> pd.DataFrame:
    suffix = _base_suffix(path)
    name = str(path)
    with _reading(path):
        if suffix in (".jsonl", ".ndjson"):
            return _read_jsonl(path, report)
        if suffix == ".json":
            return _read_json(path, report)
        if suffix == ".parquet":
            table = pd.read_parquet(path)
            return table.reset_index(drop=not any(table.index.names))  # rows are numbered from 0
        if suffix not in (".csv", ".tsv"):
            raise CorpusError(f"{name}: not a corpus file ({suffix or 'no file type'}); give a folder of .txt files, "
                              "one .txt file or a .csv, .tsv, .json, .jsonl or .parquet file")
        with _open(path) as handle:
            data = handle.read()
    if not data.strip():
        raise CorpusError(f"{name}: the file is empty")
    text = _decode(data, name, report)
    separator = _separator(text, suffix)
    _check_unique_columns(next(csv.reader(io.StringIO(text), delimiter=separator), []), name)
    try:  # UTF-8 bytes, which pandas parses about four times faster than the same text as a str
        table = pd.read_csv(io.BytesIO(text.encode()), sep=separator, dtype=str, keep_default_na=False,
                            on_bad_lines="error")
    except (pd.errors.ParserError, ValueError) as error:
        problem = str(error).strip()
    else:
        if isinstance(table.index, pd.RangeIndex):
            return table
        # pandas takes the first column for the index when the first row has a field more than the header
        problem = "the first row has more fields than the header"
    try:
        return _read_csv_rows(text, separator, name, report)
    except csv.Error:
        raise CorpusError(f"{name}: not a valid {suffix[1:].upper()} table ({problem})") from None


def _separator(text: str, suffix: str) -> str:
    """Return a table's field separator: a tab for ``.tsv``; for ``.csv`` the one of comma, semicolon
    and tab that the header line holds most often, a comma when tied.

    German spreadsheet programs write CSV with semicolons, and their "Unicode text" is
    UTF-16 with tabs.
    """
    if suffix == ".tsv":
        return "\t"
    end = text.find("\n")
    header = text[:end] if end >= 0 else text
    counts = {separator: header.count(separator) for separator in (",", ";", "\t")}
    return max(counts, key=counts.get)


@contextmanager
def _reading(path: Path):
    """Turn an error in reading a file into a :class:`CorpusError` naming it."""
    try:
        yield
    except CorpusError:
        raise
    except (OSError, EOFError, ValueError, lzma.LZMAError) as error:  # pyarrow's ArrowInvalid is a ValueError
        raise CorpusError(f"{path}: cannot be read ({error})") from error


def _read_csv_rows(text: str, separator: str, name: str, report: LoadReport) -> pd.DataFrame:
    """Read a table row by row, skipping (and reporting) the rows with more fields than its header.

    Rows with fewer fields get empty values, and blank lines are passed over, as pandas does.
    Rows keep their numbers (from 0, the header not counted), so that later reports name
    the right row.
    """
    return next(_csv_row_batches(io.StringIO(text), separator, name, report))


def _csv_row_batches(lines, separator: str, name: str, report: LoadReport,
                     batch_chars: int | None = None) -> Iterator[pd.DataFrame]:
    """Yield the rows of a table's lines as :func:`_read_csv_rows` reads them, in frames of about ``batch_chars`` characters.

    With ``batch_chars`` None, one frame holds every row (also none).
    """
    reader = csv.reader(lines, delimiter=separator, strict=True)
    header = next(reader, [])
    _check_unique_columns(header, name)
    rows, positions, position, size = [], [], 0, 0
    for row in reader:
        if not row:
            continue
        if len(row) > len(header):
            report.add(name, f"{len(row)} fields where the header has {len(header)}", "line skipped", reader.line_num)
        else:
            rows.append(row + [""] * (len(header) - len(row)))
            positions.append(position)
            size += sum(map(len, row))
        position += 1
        if batch_chars is not None and size >= batch_chars:
            yield pd.DataFrame(rows, columns=header, index=positions)
            rows, positions, size = [], [], 0
    if rows or batch_chars is None:
        yield pd.DataFrame(rows, columns=header, index=positions)


def _csv_pieces(path: Path, report: LoadReport, n_workers: int = 1) -> Iterator[pd.DataFrame]:
    """Yield the rows of a CSV or TSV file, about ``STORE_PART_CHARS // 2`` characters at a time, as :func:`_read_table` reads them.

    The file is decoded as a stream (its encoding found in a first pass, as :func:`_decode`
    finds it for the whole) and read row by row, so that it never is in memory whole.
    """
    name = str(path)
    encoding, errors = _stream_encoding(path, name, report)
    with _reading(path), _open(path) as binary, io.TextIOWrapper(binary, encoding=encoding, errors=errors,
                                                                 newline="") as handle:
        first = handle.readline()
        separator = _separator(first, _base_suffix(path))
        try:
            yield from _csv_row_batches(itertools.chain([first], handle), separator, name, report,
                                        _piece_bytes(path, n_workers))
        except csv.Error as error:
            raise CorpusError(f"{name}: not a valid {_base_suffix(path)[1:].upper()} table ({error})") from None


def _stream_encoding(path: Path, name: str, report: LoadReport) -> tuple[str, str]:
    """Find a file's encoding as :func:`_decode` does, reading it a block at a time; return it and the error handling.

    Raises :class:`CorpusError` if the file holds nothing but white space.
    """
    import codecs

    with _reading(path), _open(path) as handle:
        head = handle.read(2)
    utf16 = head in (b"\xff\xfe", b"\xfe\xff")
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1252"):
        decoder, offset, blank = codecs.getincrementaldecoder(encoding)(), 0, True
        with _reading(path), _open(path) as handle:
            try:  # caught here, before _reading would take it for a file that cannot be read
                while block := handle.read(1 << 22):
                    blank = blank and not block.strip()
                    decoder.decode(block)
                    offset += len(block)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                if encoding == "utf-16":
                    report.add(name, f"broken UTF-16 ({error.reason} at byte {offset + error.start})",
                               "decoded with the broken bytes replaced by U+FFFD")
                    return "utf-16", "replace"
                if encoding == "utf-8-sig":
                    report.add(name, "not valid UTF-8", "decoded as cp1252/latin-1")
                continue
        if blank:
            raise CorpusError(f"{name}: the file is empty")
        return encoding, "strict"
    return "latin-1", "strict"


def _decode(data: bytes, name: str, report: LoadReport, line: int | None = None) -> str:
    """Decode a file, or its ``line``, as UTF-8 or UTF-16, else (reported) as cp1252 or latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, name, report)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add(name, "not valid UTF-8", "decoded as cp1252/latin-1", line)
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _read_jsonl(path: Path, report: LoadReport) -> pd.DataFrame:
    """Read a JSONL file: with Arrow's multi-threaded reader, or line by line if that cannot.

    Arrow reads a well-formed file several times faster. A file it cannot read, or one
    with blank lines (which it skips, so that rows would lose their line numbers), is read
    line by line, which reports each broken line with its number.
    """
    table = _read_jsonl_arrow(path)
    return table if table is not None else _read_jsonl_lines(path, report)


def _read_json(path: Path, report: LoadReport) -> pd.DataFrame:
    """Read a JSON file: an array of article objects, an object holding one such array, one article, or JSON Lines."""
    objects = _json_objects(path, report)
    return _read_jsonl(path, report) if objects is None else pd.DataFrame(objects[0], index=objects[1])


def _json_objects(path: Path, report: LoadReport) -> tuple[list[dict], list[int]] | None:
    """Return the article objects of a JSON file and their positions in it; None if it holds JSON Lines."""
    with _open(path) as handle:
        data = handle.read()
    text = _decode(data, str(path), report)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:  # several values, such as one object per line
        if text.lstrip().startswith("["):  # an array, whose lines are not JSON values of their own
            raise CorpusError(f"{path}: broken JSON ({error})") from None
        return None
    if isinstance(value, dict):  # one article (it has a text), or an object holding the array of articles
        has_text = any(str(key).lower() in COLUMN_CANDIDATES["text"] for key in value)
        arrays = [v for v in value.values() if isinstance(v, list) and any(isinstance(i, dict) for i in v)]
        value = arrays[0] if len(arrays) == 1 and not has_text else [value]
    if not isinstance(value, list):
        raise CorpusError(f"{path}: holds a JSON {type(value).__name__}, not articles (an array of objects)")
    rows, positions = [], []
    for position, item in enumerate(value):
        if isinstance(item, dict):
            rows.append(item)
            positions.append(position)
        else:
            report.add(str(path), f"item {position + 1} of the array is not a JSON object", "item skipped")
    if not rows:
        raise CorpusError(f"{path}: no JSON object could be read")
    if _SURROGATE_ESCAPE.search(data) and (repaired := _without_surrogates(rows)) != rows:
        report.add(str(path), "escaped UTF-16 surrogates without their pair (such as \\ud800)", "replaced by U+FFFD")
        rows = repaired
    return rows, positions


class _LineCounter(io.RawIOBase):
    """A readable file that counts the lines passing through it."""

    def __init__(self, handle) -> None:
        self.handle, self.n_breaks, self.last = handle, 0, b"\n"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        buffer[:len(data)] = data
        if data:
            self.n_breaks += data.count(b"\n")
            self.last = data[-1:]
        return len(data)

    @property
    def n_lines(self) -> int:
        return self.n_breaks + (self.last != b"\n")


def _read_jsonl_arrow(path: Path, data: bytes | None = None) -> pd.DataFrame | None:
    """Read a JSONL file (or ``data``, a run of its lines) with Arrow; None if it has blank lines or anything Arrow cannot read.

    Arrow would turn date strings into timestamps (converting offsets to UTC); those
    columns are read again as the strings they are. Arrow reads invalid UTF-8 into its
    strings and fails only when they are used, so they are checked here.
    """
    def opener():
        return _open(path) if data is None else io.BytesIO(data)

    try:
        with opener() as handle:
            lines = _LineCounter(handle)
            # The C library's allocator: with Arrow's default (mimalloc), reading FANG-COVID's 250 MB
            # took about 1 s more system time, in page faults, and 0.3 s longer.
            table = pyarrow.json.read_json(lines, memory_pool=pa.system_memory_pool())
        if table.num_rows != lines.n_lines:
            return None
        if any(pa.types.is_timestamp(column.type) for column in table.schema):
            schema = pa.schema([pa.field(c.name, pa.string()) if pa.types.is_timestamp(c.type) else c for c in table.schema])
            with opener() as handle:
                table = pyarrow.json.read_json(handle, parse_options=pyarrow.json.ParseOptions(explicit_schema=schema),
                                               memory_pool=pa.system_memory_pool())
        table.validate(full=True)
    except (ValueError, pa.ArrowException, OSError, EOFError, lzma.LZMAError):  # ArrowInvalid and UnicodeDecodeError are ValueErrors
        return None
    return table.to_pandas(integer_object_nulls=True)


def _read_jsonl_lines(path: Path, report: LoadReport, lines: list[bytes] | None = None, first: int = 1) -> pd.DataFrame:
    """Read a JSONL file (or ``lines`` of it, the first being line ``first``) line by line, reporting broken lines."""
    columns: dict[str, list] = {}
    positions: list[int] = []  # each record's line number - 1, so that "row n" in the load report is line n
    for number, line in enumerate(_lines(path) if lines is None else lines, start=first):
        if not line.strip():
            continue
        try:
            try:
                record = json.loads(line)
            except UnicodeDecodeError:  # a line in another encoding, decoded as a .txt or .csv file would be
                record = json.loads(_decode(line, str(path), report, number))
        except json.JSONDecodeError as error:
            report.add(str(path), f"broken JSON ({error.__class__.__name__}: {error})", "line skipped", number)
            continue
        if not isinstance(record, dict):
            report.add(str(path), "a JSON value that is not an object", "line skipped", number)
            continue
        if _SURROGATE_ESCAPE.search(line) and (repaired := _without_surrogates(record)) != record:
            report.add(str(path), "an escaped UTF-16 surrogate without its pair (such as \\ud800)",
                       "replaced by U+FFFD", number)
            record = repaired
        for key in record.keys() - columns.keys():
            columns[key] = [None] * len(positions)
        for key, values in columns.items():
            values.append(record.get(key))
        positions.append(number - 1)
    if not positions:
        raise CorpusError(f"{path}: no JSON object could be read")
    return pd.DataFrame(columns, index=positions)


# JSON may escape half of a UTF-16 surrogate pair ("\ud800"), which no text can hold.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: object) -> object:
    """Return a JSON value with each lone surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_surrogates(item) for key, item in value.items()}
    return value


def _lines(path: Path, block_size: int = 1 << 22):
    """Yield the lines of a (possibly compressed) file as bytes, decompressing in a thread.

    Decompression releases the GIL, so a reader thread keeps the other core busy while
    the caller parses.
    """
    blocks: queue.Queue = queue.Queue(maxsize=8)

    def read() -> None:
        try:
            with _open(path) as handle:
                while block := handle.read(block_size):
                    blocks.put(block)
        except (OSError, EOFError, lzma.LZMAError) as error:
            blocks.put(error)
        blocks.put(None)

    threading.Thread(target=read, daemon=True).start()
    rest = b""
    while (block := blocks.get()) is not None:
        if isinstance(block, Exception):
            raise CorpusError(f"{path}: cannot be read ({block})") from block
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest


def _standardise(table: pd.DataFrame, mapping: dict, name: str, report: LoadReport, stem: str) -> pd.DataFrame:
    """Rename a table's columns to the standard names, using ``mapping`` first.

    Rows without an id are named ``<stem>-<row>`` (see :func:`_stem`).
    """
    renames = _renames(list(table.columns), mapping, name)
    kept = _kept_names(list(table.columns), renames)
    frame = table[list(renames) + list(kept)].rename(columns={**renames, **kept})
    for column in kept.values():
        if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = _one_lines(frame[column])
    frame["raw_text"] = frame.pop("text")
    if frame["raw_text"].dtype == object:
        frame["raw_text"] = frame["raw_text"].map(_paragraphs)
    problems = _text_problems(frame["raw_text"])
    for position, problem in problems.dropna().items():
        report.add(name, f"row {position + 1} {problem}", "row skipped")
    frame = frame[problems.isna()]
    numbered = pd.Series([f"{stem}-{i}" for i in frame.index], index=frame.index, dtype=object)
    if "doc_id" not in frame.columns:
        frame["doc_id"] = numbered
    elif not pd.api.types.is_integer_dtype(frame["doc_id"]) and (no_id := _one_lines(frame["doc_id"]).isna()).any():
        report.add(name, f"{no_id.sum()} row(s) without an id, e.g. row {frame.index[no_id][0] + 1}",
                   f"ids made from the row numbers, such as {numbered[no_id].iloc[0]!r}")
        frame["doc_id"] = frame["doc_id"].astype(object).where(~no_id, numbered)
    return frame.reset_index(drop=True)


def _check_unique_columns(columns: list, name: str) -> None:
    """Raise a :class:`CorpusError` naming the column names that repeat, ignoring case and spaces around them.

    Which of ``text`` and ``Text``, or of two ``text`` columns, holds the article cannot be guessed.
    """
    folded: dict[str, list] = {}
    for column in columns:
        folded.setdefault(str(column).strip().casefold(), []).append(column)
    repeated = [names for names in folded.values() if len(names) > 1]
    if repeated:
        listed = "; ".join(", ".join(repr(str(n)) for n in names) for names in repeated)
        raise CorpusError(f"{name}: column names repeat (case and spaces ignored): {listed}. "
                          "Rename the columns so that each name occurs once")


def _renames(found: list, mapping: dict, name: str) -> dict:
    """Map the columns found to the standard names they stand for, using ``mapping`` first."""
    _check_unique_columns(found, name)
    renames = {}
    lowered = {str(c).lower(): c for c in found}
    for target, candidates in COLUMN_CANDIDATES.items():
        wanted = mapping.get(target)
        if wanted is not None:
            if wanted not in found:
                raise CorpusError(f"{name}: no column {wanted!r} for {target}; columns found: {found}")
            renames[wanted] = target
        else:
            column = next((lowered[c] for c in candidates if c in lowered), None)
            if column is not None and column not in renames:
                renames[column] = target
    if "text" not in renames.values():
        raise CorpusError(f"{name}: no text column (tried {list(COLUMN_CANDIDATES['text'])}); "
                          f"columns found: {found}. Name it with text_column=...")
    return renames


def _kept_names(found: list, renames: dict) -> dict:
    """Name the columns that stand for no field, which the corpus keeps (say, for grouping by them).

    They keep their names, except those that the corpus uses itself (see :data:`RESERVED_COLUMNS`).
    """
    return {column: f"{column}_input" if str(column) in RESERVED_COLUMNS else str(column)
            for column in found if column not in renames}


def _paragraphs(value: object) -> object:
    """Join a text given as a list of paragraphs by blank lines; return any other value as it is."""
    if isinstance(value, (list, tuple, np.ndarray)) and all(isinstance(item, str) for item in value):
        return "\n\n".join(value)
    return value


def _text_problems(texts: pd.Series) -> pd.Series:
    """Tell for each row what is wrong with its text, None where it is usable."""
    if isinstance(texts.dtype, pd.StringDtype):  # only strings: answered without a Python call per row
        blank = texts.isna() | (texts == "") | texts.str.isspace()
        return pd.Series(np.where(blank, "has no text", None), index=texts.index, dtype=object)
    return texts.map(_text_problem)


def _text_problem(value: object) -> str | None:
    """Tell what is wrong with the text of a table row, or None if it is usable."""
    if isinstance(value, str):
        return None if value.strip() else "has no text"
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return "has no text"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "holds a list of other things than text"
    return f"holds no text but a value of type {type(value).__name__}"


def _one_lines(values: pd.Series) -> pd.Series:
    """Return each value as :func:`_one_line` gives it."""
    return pd.Series([_one_line(value) for value in values.tolist()], index=values.index, dtype=object)


def _one_line(value: object) -> str | None:
    """Return a metadata value as one line of text (a list's items joined by ", "), None if blank."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if value is None:
        return None
    if pd.api.types.is_list_like(value) and not isinstance(value, dict):
        value = ", ".join(str(item) for item in value if item is not None)
    elif pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return " ".join(str(value).split()) or None


def _finish(frame: pd.DataFrame, report: LoadReport, clean: bool, learn_boilerplate: bool,
            n_jobs: int | None) -> pd.DataFrame:
    """Give the standard columns their types, make ids unique and clean the text."""
    _standard_fields(frame, report)
    if clean:
        frame = clean_corpus(frame, learn_boilerplate=learn_boilerplate, n_jobs=n_jobs)
    else:
        frame["text"] = frame["raw_text"]
        frame["removed"] = [[] for _ in range(len(frame))]
        frame.attrs["boilerplate"] = learned_table([])
        frame["n_words"] = frame["text"].str.split().str.len().fillna(0).astype("int64")
        frame["is_duplicate"] = frame["text"].duplicated() & (frame["text"].str.strip() != "")
        frame["is_stub"] = frame["text"].map(is_stub).astype(bool)
    _optional_text(frame)
    if frame["is_duplicate"].any():
        logger.info("%d articles repeat the text of an earlier one (is_duplicate)", frame["is_duplicate"].sum())
    extra = [c for c in frame.columns if c not in COLUMNS]
    return frame[COLUMNS + extra].reset_index(drop=True)


class _Earlier:
    """What the pieces read so far of a corpus stored a piece at a time had: their ids, and the dates that failed.

    Its problems are reported once, for the whole corpus, by :meth:`report_to`, as reading it whole reports them.
    """

    def __init__(self) -> None:
        self.ids: Counter = Counter()
        self.failed_dates, self.date_example = 0, ""

    def report_to(self, report: LoadReport) -> None:
        repeated = [doc_id for doc_id, n in self.ids.items() if n > 1]  # in the order of their first rows
        if repeated:
            report.add("doc_id", f"{len(repeated)} ids occur more than once, e.g. {repeated[0]!r}",
                       "made unique with suffixes __2, __3, ...")
        if self.failed_dates:
            report.add("date column", f"{self.failed_dates} dates could not be parsed{self.date_example}", "set to NaT")


def _standard_fields(frame: pd.DataFrame, report: LoadReport, earlier: _Earlier | None = None) -> None:
    """Give the standard columns their types, make ids unique and parse dates.

    With ``earlier`` (a piece of a corpus): ids are made unique also against the earlier
    pieces', and the problems are added to ``earlier`` instead of ``report``.
    """
    for column in frame.columns.difference(COLUMNS):  # columns kept from the input: None where a table had none
        if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    for column in ("source", "title", "author", "url"):
        if column not in frame.columns:
            frame[column] = None
        frame[column] = _one_lines(frame[column])
    frame["doc_id"] = frame["doc_id"].astype(str)
    frame["doc_id"] = _unique_ids(frame["doc_id"], report, earlier.ids if earlier is not None else None)
    if "date" in frame.columns:
        given = frame["date"]
        frame["date"], n_failed = parse_dates(given)
        if n_failed:
            failed = frame["date"].isna() & _one_lines(given).notna()
            example = f", e.g. {given[failed].iloc[0]!r} in article {frame['doc_id'][failed].iloc[0]!r}" if failed.any() else ""
            if earlier is None:
                report.add("date column", f"{n_failed} dates could not be parsed{example}", "set to NaT")
            else:
                earlier.failed_dates += n_failed
                earlier.date_example = earlier.date_example or example
    else:
        frame["date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")


def _optional_text(frame: pd.DataFrame) -> None:
    """Give the metadata columns one form: Python strings, None where unknown."""
    for column in ("source", "title", "author", "url"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)


def _unique_ids(ids: pd.Series, report: LoadReport, earlier: Counter | None = None) -> pd.Series:
    """Make ids unique with suffixes __2, __3, ... counting also the ``earlier`` ids (of earlier pieces; updated).

    Ids that repeat are reported, unless ``earlier`` is given (see :class:`_Earlier`).
    """
    before = ids.map(earlier).fillna(0).astype("int64") if earlier else 0
    if earlier is not None:
        earlier.update(ids.tolist())
    repeated = ids.duplicated(keep=False) | (before > 0)
    if not repeated.any():
        return ids
    if earlier is None:
        report.add("doc_id", f"{ids[repeated].nunique()} ids occur more than once, e.g. {ids[repeated].iloc[0]!r}",
                   "made unique with suffixes __2, __3, ...")
    rank = ids.groupby(ids).cumcount() + 1 + before
    return ids.where(rank == 1, ids + "__" + rank.astype(str))
