"""Run per-article work partition by partition on Dask: in this process, on this machine's cores, or on a cluster.

Every per-article stage (cleaning, mention finding, term counting) is a plain function of
a pandas partition. :func:`map_partitions` runs such a function on a corpus and joins what
it returns; :func:`reduce_partitions` returns each partition's (small) result for the
caller to combine. The corpus is a pandas frame (cut into partitions here, and sent to the
workers), or a corpus store (:class:`analysis.load.CorpusStore`, or any object with
``n_partitions`` and ``read_partition(number, columns)``): then each task reads its own
partition, only the columns it needs, so no article text passes through the calling
process, and in this process the partitions are read one at a time. Where the work runs is
chosen here, in one place:

* a ``distributed`` scheduler, when one is named (the ``address`` argument, else the
  ``ANALYSIS_SCHEDULER`` environment variable, ``tcp://host:8786``): its workers run every
  partition, whatever ``n_jobs`` says;
* else ``n_jobs`` worker processes of Dask's local scheduler (``scheduler="processes"``);
* else, with ``n_jobs=None`` or 1, this process: one call of the function on the whole frame
  (on each partition in turn for a store).

``n_jobs`` has scikit-learn's meaning: None is 1, -1 all cores, -2 all but one.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # Dask is imported where work is spread: the in-process path does without it
    import dask.dataframe as dd

logger = logging.getLogger(__name__)

#: The environment variable naming a Dask scheduler to run on (``tcp://host:8786``).
SCHEDULER_VARIABLE = "ANALYSIS_SCHEDULER"
#: Articles per partition when the work is spread (at least; a worker gets about four partitions).
PARTITION_ROWS = 1000
#: Seconds to wait for a named scheduler to answer.
CONNECT_TIMEOUT = 10

#: How the local scheduler starts its workers: forked where the system can (fast, and a script needs no
#: ``if __name__ == "__main__"`` guard), else spawned.
_START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"

_clients: dict = {}


class SchedulerError(RuntimeError):
    """A named Dask scheduler does not answer."""


class PartitionError(RuntimeError):
    """The work on one partition failed; the message names the partition and its articles."""


def resolve_n_jobs(n_jobs: int | None) -> int:
    """Return the number of worker processes ``n_jobs`` asks for, as scikit-learn reads it.

    Parameters
    ----------
    n_jobs : int or None
        None or 1: one process; -1: all cores of this machine; -2: all but one, and so on.

    Examples
    --------
    >>> resolve_n_jobs(None), resolve_n_jobs(3)
    (1, 3)
    """
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0:
        raise ValueError(f"n_jobs must be None, a positive integer or a negative one (-1 = all cores), got {n_jobs!r}")
    if n_jobs > 0:
        return n_jobs
    return max(_cores() + 1 + n_jobs, 1)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def scheduler_address(address: str | None = None) -> str | None:
    """Return the address of the Dask scheduler to run on: ``address``, else ``$ANALYSIS_SCHEDULER``, else None."""
    return address or os.environ.get(SCHEDULER_VARIABLE) or None


def connect(address: str):
    """Return a ``distributed.Client`` of the scheduler at ``address`` (one per address and process).

    Raises
    ------
    SchedulerError
        When no scheduler answers there within :data:`CONNECT_TIMEOUT` seconds.
    """
    client = _clients.get(address)
    if client is not None and client.status == "running":
        return client
    import distributed  # only when a cluster is named: the local paths do not need it

    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerError(f"no Dask scheduler answers at {address} ({SCHEDULER_VARIABLE} or --scheduler): "
                             f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}") from None
    _clients[address] = client
    return client


def worker_count(n_jobs: int | None = None, address: str | None = None) -> int:
    """Return the number of processes the work runs on: the named scheduler's workers, else ``n_jobs`` (see :func:`resolve_n_jobs`)."""
    address = scheduler_address(address)
    if address is not None:
        return max(len(connect(address).scheduler_info().get("workers", {})), 1)
    return resolve_n_jobs(n_jobs)


def is_partitioned(corpus: object) -> bool:
    """Tell whether ``corpus`` is a store whose partitions the tasks read themselves (see the module's text)."""
    return hasattr(corpus, "read_partition") and hasattr(corpus, "n_partitions")


def _spread(frame: pd.DataFrame | dd.DataFrame, n_jobs: int | None, address: str | None) -> tuple:
    """Choose where to run: return the Dask frame (None to run in this process) and the arguments of ``compute``.

    A store is returned as it is (or None to run in this process): its tasks are built by :func:`_store_tasks`.
    """
    address = scheduler_address(address)
    n_workers = worker_count(n_jobs, address)
    if address is not None:
        options = {"scheduler": connect(address)}
    else:
        # one partition at a time to each worker (Dask batches six by default: one worker would get most of them)
        options = {"scheduler": "processes", "num_workers": n_workers, "chunksize": 1} if n_workers > 1 else {"scheduler": "sync"}
    if is_partitioned(frame):
        return (frame if address is not None or n_workers > 1 else None), options
    if isinstance(frame, pd.DataFrame):
        n_partitions = min(4 * n_workers, -(-len(frame) // PARTITION_ROWS))
        if address is None and (n_workers == 1 or n_partitions <= 1):
            return None, options
    import dask
    import dask.dataframe as dd

    if isinstance(frame, dd.DataFrame):
        return frame, options
    with dask.config.set({"dataframe.convert-string": False}):  # keep the columns' dtypes (None stays None)
        return dd.from_pandas(frame, npartitions=max(n_partitions, 1), sort=False), options


class _Guarded:
    """Call a partition function; name the partition and its articles when it fails or loses articles."""

    def __init__(self, function: Callable, per_article: bool) -> None:
        self.function, self.per_article = function, per_article

    def __call__(self, part: pd.DataFrame, *args, **kwargs):
        try:
            result = self.function(part, *args, **kwargs)
        except Exception as error:
            raise PartitionError(f"{_describe(part)}: {type(error).__name__}: {error}") from error
        if self.per_article and len(result) != len(part):
            raise PartitionError(f"{_describe(part)}: {getattr(self.function, '__name__', self.function)} "
                                 f"returned {len(result)} rows for {len(part)} articles")
        return result


def _describe(part: pd.DataFrame) -> str:
    """Name a partition by its first and last article (``doc_id``, else the index)."""
    if len(part) == 0:
        return "an empty partition"
    ids = part["doc_id"] if "doc_id" in part.columns else part.index.to_series()
    return f"the partition of {len(part)} articles from {ids.iloc[0]!r} to {ids.iloc[-1]!r}"


def map_partitions(function: Callable, frame: pd.DataFrame | dd.DataFrame, meta: pd.DataFrame, *args,
                   n_jobs: int | None = None, address: str | None = None, per_article: bool = True,
                   columns: list[str] | None = None, **kwargs) -> pd.DataFrame:
    """Apply ``function(partition, *args, **kwargs)`` to each partition of ``frame``; join the frames it returns.

    Parameters
    ----------
    function : callable
        A pure function of a pandas DataFrame returning a DataFrame like ``meta``.
    frame : pandas.DataFrame, dask.dataframe.DataFrame or a store
        The articles; a pandas frame is cut into partitions of :data:`PARTITION_ROWS`
        articles or more when the work is spread; a store's partitions are its files,
        each read by the task that works on it, numbered by the articles' rows in the corpus.
    meta : pandas.DataFrame
        An empty frame with the result's columns and dtypes.
    n_jobs : int or None
        Worker processes on this machine (see :func:`resolve_n_jobs`); ignored on a cluster.
    address : str, optional
        A Dask scheduler to run on (see :func:`scheduler_address`).
    per_article : bool, default True
        The function returns one row per article: a partition that returns fewer or more
        rows is an error naming it.
    columns : list of str, optional
        The columns the function needs, read from a store (all when None); ignored for frames.

    Returns
    -------
    pandas.DataFrame
        The partitions' results in the order of the articles.

    Raises
    ------
    PartitionError
        Naming the partition whose work failed.
    SchedulerError
        When a named scheduler does not answer.
    """
    spread, options = _spread(frame, n_jobs, address)
    guarded = _Guarded(function, per_article)
    if is_partitioned(frame):
        parts = _store_results(frame, spread, options, guarded, columns, args, kwargs)
        return pd.concat([meta, *parts]) if parts else meta.copy()
    if spread is None:
        return guarded(frame, *args, **kwargs)
    result = spread.map_partitions(guarded, *args, meta=meta, align_dataframes=False, **kwargs)
    return _compute([result], options)[0]


def reduce_partitions(function: Callable, frame: pd.DataFrame | dd.DataFrame, *args, n_jobs: int | None = None,
                      address: str | None = None, columns: list[str] | None = None, **kwargs) -> list:
    """Return ``function(partition, *args, **kwargs)`` of each partition, in order, for the caller to combine.

    Parameters are those of :func:`map_partitions`; the function may return any object
    (counts, a vocabulary, a sketch), best a small one: only these results come back to
    this process.
    """
    spread, options = _spread(frame, n_jobs, address)
    guarded = _Guarded(function, per_article=False)
    if is_partitioned(frame):
        return _store_results(frame, spread, options, guarded, columns, args, kwargs)
    if spread is None:
        return [guarded(frame, *args, **kwargs)]
    import dask

    tasks = [dask.delayed(guarded, pure=True)(part, *args, **kwargs) for part in spread.to_delayed()]
    return list(_compute(tasks, options))


def fold_partitions(function: Callable, store, combine: Callable, initial, *args, n_jobs: int | None = None,
                    address: str | None = None, columns: list[str] | None = None, **kwargs):
    """Fold ``function(partition, *args, **kwargs)`` of each partition of a store into one result, in order.

    ``combine(result, partition_result)`` joins each partition's result into the one
    returned, starting from ``initial``, as the partitions are done: the partitions run a
    few per worker at a time (:data:`FOLD_BATCH` per worker), so that this process never
    holds more than a batch of partition results, whatever the size of the corpus.

    Parameters are those of :func:`reduce_partitions`, with ``store`` a store (see the module's text).
    """
    spread, options = _spread(store, n_jobs, address)
    guarded = _Guarded(function, per_article=False)
    result = initial
    if spread is None:
        for number in range(store.n_partitions):
            result = combine(result, _on_partition(store, number, columns, guarded, args, kwargs))
        return result
    import dask

    batch = FOLD_BATCH * worker_count(n_jobs, address)
    with _shared(guarded, args, kwargs, options) as shared:
        for first in range(0, store.n_partitions, batch):
            tasks = [dask.delayed(_on_shared, pure=True)(store, number, columns, shared)
                     for number in range(first, min(first + batch, store.n_partitions))]
            for part in _compute(tasks, options):
                result = combine(result, part)
    return result


#: Partitions per worker whose results :func:`fold_partitions` holds at a time.
FOLD_BATCH = 3


def _on_partition(store, number: int, columns: list[str] | None, guarded: _Guarded, args: tuple, kwargs: dict):
    """Read partition ``number`` of a store and call the guarded function on it: one task, so that only its result travels."""
    return guarded(store.read_partition(number, columns), *args, **kwargs)


def _store_results(store, spread, options: dict, guarded: _Guarded, columns: list[str] | None, args: tuple,
                   kwargs: dict) -> list:
    """Return the guarded function's result on each partition of a store, in order.

    In this process (``spread`` None) the partitions are read one after the other, so at most
    one is in memory besides the results; else each becomes one Dask task that reads it.
    """
    if spread is None:
        return [_on_partition(store, number, columns, guarded, args, kwargs) for number in range(store.n_partitions)]
    import dask

    with _shared(guarded, args, kwargs, options) as shared:
        tasks = [dask.delayed(_on_shared, pure=True)(store, number, columns, shared) for number in range(store.n_partitions)]
        return list(_compute(tasks, options))


#: What the tasks of a store share (the function and its arguments), left in this process for forked workers.
_SHARED: dict[int, tuple] = {}


@contextmanager
def _shared(guarded: _Guarded, args: tuple, kwargs: dict, options: dict):
    """Give the tasks of a store the function and its arguments (a compiled entity table, a vocabulary ...).

    Workers of the local scheduler are forked when the work starts, so they find them in
    :data:`_SHARED`, inherited from this process, and only a number is sent with each
    task: pickling them once per task in this process (the local scheduler's only way)
    made two workers slower than one. The workers are forked once for all the batches
    of a fold (a pool of their own, handed to the scheduler), so that what they learn on
    one partition (the analyzer's stems) serves the next. While they run, the objects of
    this process are frozen out of garbage collection (:func:`gc.freeze`, as the Python
    documentation advises before a fork): a worker's collector would otherwise write into
    every object it inherited and so copy the memory pages it shares with this process.
    A cluster gets the function and its arguments once in the graph.
    """
    import dask

    if options.get("scheduler") == "processes" and _START_METHOD == "fork":
        from concurrent.futures import ProcessPoolExecutor

        key = id((guarded, args, kwargs))
        _SHARED[key] = (guarded, args, kwargs)
        pool = ProcessPoolExecutor(options["num_workers"], mp_context=multiprocessing.get_context("fork"))
        options["pool"] = pool
        gc.freeze()  # the workers are forked at the first task
        try:
            yield key
        finally:
            gc.unfreeze()
            del _SHARED[key], options["pool"]
            pool.shutdown(cancel_futures=True)
    else:
        yield dask.delayed((guarded, args, kwargs), pure=True, traverse=False)


def _on_shared(store, number: int, columns: list[str] | None, shared: tuple | int):
    guarded, args, kwargs = _SHARED[shared] if isinstance(shared, int) else shared
    return _on_partition(store, number, columns, guarded, args, kwargs)


def _compute(collections: list, options: dict) -> tuple:
    """Compute Dask collections with the chosen scheduler; a partition lost with its worker is a PartitionError."""
    import dask

    try:
        with dask.config.set({"multiprocessing.context": _START_METHOD}):
            return dask.compute(*collections, **options)
    except Exception as error:
        if type(error).__name__ == "KilledWorker":  # distributed gave up on a partition after its retries
            raise PartitionError(f"a worker died on every try of a partition: {error}") from error
        raise


def stable_hash(data: str | bytes) -> int:
    """Return a 64-bit hash of a string or bytes that every process and machine agrees on.

    Keys that decide results (learned boilerplate lines, shingles of shared passages) are
    made in worker processes and compared elsewhere; Python's ``hash()`` of a string
    differs from process to process (``PYTHONHASHSEED``), this one does not.

    Examples
    --------
    >>> stable_hash("Tokajew reiste nach Washington.") == stable_hash(b"Tokajew reiste nach Washington.")
    True
    """
    encoded = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "little", signed=True)
