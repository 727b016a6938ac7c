"""Forked workers and giving freed memory back to the operating system."""
import gc
import os

import numpy as np
import pyarrow as pa
import pytest

from analysis import parallel
from analysis.parallel import map_chunks, map_chunks_twice, release_memory


def _resident_mb() -> float:
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:")) / 1024


def _lengths(texts):
    return [len(text) for text in texts]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_map_chunks_keeps_the_order_of_the_tasks(n_jobs):
    texts = [f"Artikel {i} über Tokajew" for i in range(2500)]
    assert map_chunks(_lengths, texts, n_jobs, chunk_size=300) == [len(text) for text in texts]


def test_release_memory_returns_freed_heap_pages():
    # 200,000 strings of 2,000 characters: too large for Python's own allocator, so they live on the C heap.
    # Every 20th stays, so the freed memory lies between live blocks and is not given back by free() alone.
    strings = ["ä" * 2000 + str(i) for i in range(200_000)]
    kept = strings[::20]
    del strings
    before = _resident_mb()
    if not release_memory():
        pytest.skip("the C library has no malloc_trim")
    assert before - _resident_mb() > 200  # of the 380 MB freed
    assert len(kept) == 10_000


def _collector_state(tasks: list) -> list:
    return [gc.isenabled() for _ in tasks]


def test_map_chunks_runs_without_the_garbage_collector_and_restores_it():
    assert map_chunks(_collector_state, list(range(4)), n_jobs=2, chunk_size=2) == [False] * 4
    assert map_chunks(_collector_state, list(range(4)), n_jobs=1) == [False] * 4
    assert gc.isenabled()


def _arrays(tasks: list) -> list:
    return [(np.arange(task, dtype=np.int64), pa.array([f"Zölle {task}"] * task)) for task in tasks]


def test_map_chunks_passes_arrays_back_through_shared_files_or_the_pipe(monkeypatch):
    expected = _arrays([3, 0, 5, 2])
    result = map_chunks(_arrays, [3, 0, 5, 2], n_jobs=2, chunk_size=2)
    assert [(a.tolist(), b.to_pylist()) for a, b in result] == [(a.tolist(), b.to_pylist()) for a, b in expected]
    result[0][0][0] = 7  # the arrays can be written to, as arrays read from a pipe can
    monkeypatch.setattr(parallel.tempfile, "NamedTemporaryFile", _no_room)
    result = map_chunks(_arrays, [3, 0, 5, 2], n_jobs=2, chunk_size=2)
    assert [(a.tolist(), b.to_pylist()) for a, b in result] == [(a.tolist(), b.to_pylist()) for a, b in expected]


def _no_room(*args, **kwargs):
    raise OSError(28, "No space left on device")


def _read_pass(tasks: list) -> tuple:
    # the state holds a generator, which cannot be pickled: it has to stay in the worker that made it
    return sum(tasks), (tasks, (task for task in tasks))


def _total_pass(results: list) -> int:
    return sum(results)


def _share_pass(state: tuple, total: int) -> list:
    tasks, generator = state
    return [(task, task / total, os.getpid()) for task in generator]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_map_chunks_twice_keeps_each_chunks_state_in_its_worker_and_the_order_of_the_tasks(n_jobs):
    tasks = list(range(1, 2501))
    total, results = map_chunks_twice(_read_pass, _total_pass, _share_pass, tasks, n_jobs, chunk_size=300)
    assert total == 2500 * 2501 // 2
    assert [(task, share) for task, share, _ in results] == [(task, task / total) for task in tasks]
    assert ({pid for _, _, pid in results} == {os.getpid()}) == (n_jobs == 1)


def test_map_chunks_twice_on_no_tasks_still_runs_the_step_between():
    assert map_chunks_twice(_read_pass, _total_pass, _share_pass, [], n_jobs=2) == (0, [])


def _fail_on_seven(tasks: list) -> tuple:
    if 7 in tasks:
        raise ValueError("Artikel 7 ist kaputt")
    return 0, tasks


def _end_on_seven(tasks: list) -> tuple:
    if 7 in tasks:
        os._exit(3)
    return 0, tasks


def test_map_chunks_twice_raises_a_workers_error_or_its_end_instead_of_waiting():
    with pytest.raises(ValueError, match="Artikel 7 ist kaputt"):
        map_chunks_twice(_fail_on_seven, sum, _share_pass, list(range(20)), n_jobs=2, chunk_size=2)
    with pytest.raises(RuntimeError, match="exit code 3"):
        map_chunks_twice(_end_on_seven, sum, _share_pass, list(range(20)), n_jobs=2, chunk_size=2)
    assert gc.isenabled()


def _collector_pass(tasks: list) -> tuple:
    return gc.isenabled(), tasks


def test_map_chunks_twice_runs_without_the_garbage_collector_and_restores_it():
    shared, results = map_chunks_twice(_collector_pass, list, lambda tasks, firsts: [firsts] * len(tasks),
                                       list(range(4)), n_jobs=2, chunk_size=2)
    assert shared == [False, False] and results == [[False, False]] * 4
    assert gc.isenabled()


class _ArticleError(Exception):
    def __init__(self, row: int, reason: str) -> None:
        super().__init__(f"Artikel {row}: {reason}")


def _fail_unpicklably(tasks: list) -> tuple:
    raise _ArticleError(7, "kaputt")


def test_map_chunks_twice_passes_on_an_error_the_parent_could_not_rebuild():
    with pytest.raises(RuntimeError, match=r"_ArticleError: Artikel 7: kaputt"):
        map_chunks_twice(_fail_unpicklably, sum, _share_pass, list(range(20)), n_jobs=2, chunk_size=2)
