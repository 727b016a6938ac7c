#!/usr/bin/env python3
"""Time each stage of the analysis pipeline on a large corpus, next to the naive way.

Library pipeline, one stage after the other on the same DataFrame:

* ``load_clean``: :func:`analysis.load_corpus` (read, parse dates, clean, flag duplicates);
* ``mentions``: :func:`analysis.mentions.find_mentions` with the full default entity table;
* ``mention_counts``: :func:`analysis.mentions.count_mentions` per article, adjective forms
  included (the same documents x entities table the naive loop builds);
* ``terms``: :func:`analysis.compare.term_counts`, the words of every article counted once
  (one process), for both stages after it;
* ``topics``: :func:`analysis.topics.cluster_documents` with k = 13 from those counts (folded
  into stems, TF-IDF, LSA, k-means);
* ``keyness``: :func:`analysis.compare.keyness_all` by outlet, from the same counts.

The per-article stages (cleaning, mention finding, term counting) run with ``--n-jobs``
worker processes of Dask's local scheduler (default -1: all cores).

Workers against one process, in the same run (``--child workers``, skipped with
``--skip-workers``): the corpus loaded and cleaned into a corpus store
(:func:`analysis.load.open_store`, a JSON Lines file a piece at a time), scanned for
mentions and its terms counted, each task reading its own partition of the store, each
with ``n_jobs=1`` (this process alone) and ``n_jobs=2`` (two workers) one after the other.

The ``topics_s`` figure (terms + TF-IDF + clustering) is ``terms`` plus
``topics``: the tokenising that the topic stage no longer does itself is counted in full.

Naive baseline on the same input, in the same run (the user's script from the issue):
``pandas.read_json``, one ``Series.str.count`` per entity of the same table (its name
forms as one regular expression alternation), ``TfidfVectorizer(max_df=0.5, min_df=5)``
and ``KMeans(13)`` on the sparse matrix.

Each configuration runs in a fresh Python process, so that its peak memory is its own.
Peak memory is reported as the larger of

* the exact high-water mark of the benchmark process (``VmHWM``, reset per stage through
  ``/proc/self/clear_refs`` so that each stage gets its own), and
* the largest proportional set size (``Pss``) of the benchmark process plus its worker
  processes, read from ``/proc`` by the parent process while workers run. Summing PSS
  counts a page that forked workers share with their parent once in total; summing RSS
  counts it once per process. Reading PSS is costly, so it is sampled sparsely (see
  :func:`sample_tree`) and can miss a short spike in the workers.

The RSS sum of the process tree, sampled every ``--sample-interval`` seconds, is reported
too (``tree_rss_mb``): an upper bound that counts shared pages repeatedly. So is
``ru_maxrss`` of the largest child process (on Linux a child inherits its parent's
high-water mark when it is forked, so this is at least the parent's peak at its last fork,
even for a tiny ``lscpu``).

MB are 10^6 bytes; text throughput (MB/s) is 10^6 characters of article text per second
(the raw text for loading, the clean text for the stages after it).

Usage (from the project root)::

    .venv/bin/python benchmarks/bench_pipeline.py --corpus ../shared/bench/fang-covid.jsonl.xz \\
        --json /tmp/bench.json
    .venv/bin/python benchmarks/bench_pipeline.py --corpus ../shared/bench/fang-covid.jsonl.xz \\
        --curve 10000,20000,all,allx3 --json /tmp/curve.json

``--limit N`` keeps the first N articles, ``--repeat R`` repeats them R times (copies get
new ids); both write a temporary plain JSONL file outside the project, deleted at the end.
"""
from __future__ import annotations

import argparse
import cProfile
import importlib.metadata
import json
import lzma
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

START = time.perf_counter()

N_CLUSTERS = 13
MB = 1e6
#: Share of one core that reading PSS may take (see :func:`sample_tree`).
PSS_SHARE = 0.03
#: Targets from the issue, ratios measured in one run on the full corpus on 2 cores, and the memory bound:
#: (key, label, goal, "min" or "max", unit).
TARGETS = [
    ("pipeline_speedup", "whole pipeline vs naive pandas + sklearn", 10.0, "min", "x"),
    ("mentions_speedup", "mention finding vs naive str.count", 20.0, "min", "x"),
    ("workers_speedup", "per-article stages, 2 workers vs 1", 1.6, "min", "x"),
    ("peak_mb", "whole pipeline, peak memory", 3000.0, "max", "MB"),
]
#: The per-article stages timed on one process and on two workers.
WORKER_STAGES = ("clean", "mentions", "terms")
PACKAGES = ["analysis", "pandas", "numpy", "scipy", "scikit-learn", "pyarrow", "pyahocorasick", "nltk", "rapidfuzz"]


# ------------------------------------------------------------------------------ memory


def proc_kb(path: str, fields: tuple[str, ...]) -> dict[str, int]:
    """Read ``Name:  1234 kB`` lines of a /proc file; return the wanted fields in kB.

    Fields that are missing (or a process that has gone) are left out.
    """
    found = {}
    try:
        with open(path) as handle:
            for line in handle:
                name, _, value = line.partition(":")
                if name in fields:
                    found[name] = int(value.split()[0])
    except OSError:  # the process has gone
        pass
    return found


def descendants(pid: int) -> list[int]:
    """Return the ids of all live descendant processes of ``pid`` (from the parent ids in /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process has gone
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        members = children.get(todo.pop(), [])
        found.extend(members)
        todo.extend(members)
    return found


def tree_rss(members: list[int]) -> int:
    """Return the summed RSS of the processes, in bytes (cheap: the kernel keeps the counters)."""
    return sum(proc_kb(f"/proc/{pid}/status", ("VmRSS",)).get("VmRSS", 0) for pid in members) * 1024


def tree_pss(members: list[int]) -> int:
    """Return the summed PSS of the processes, in bytes (costly: the kernel walks their page tables)."""
    return sum(proc_kb(f"/proc/{pid}/smaps_rollup", ("Pss",)).get("Pss", 0) for pid in members) * 1024


def reset_high_water_mark() -> bool:
    """Reset this process' ``VmHWM`` to its current RSS; return whether that worked."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def high_water_mark() -> int:
    """Return this process' peak RSS in bytes (``VmHWM``) since start or the last reset."""
    return proc_kb("/proc/self/status", ("VmHWM",)).get("VmHWM", 0) * 1024


def sample_tree(process: subprocess.Popen, interval: float, pss_share: float = PSS_SHARE) -> list[tuple]:
    """Sample a running process and its descendants until it exits.

    Runs in the parent, outside the measured process, so sampling neither competes for
    that process' interpreter lock nor adds to its memory. The summed RSS is read at every
    sample. The summed PSS is read only while there are worker processes (whose pages,
    shared with their parent after the fork, the RSS sum counts twice), and no more often
    than keeps its cost within ``pss_share`` of one core: reading it walks the page tables
    of every process (about 25 ms for a 2.7 GB Python process), which sampled every 50 ms
    slowed the measured pipeline by about 10 %.

    Returns
    -------
    list of (float, int, int or None)
        ``(time.time(), summed RSS, summed PSS or None)`` per sample, in bytes.
    """
    samples, next_pss = [], 0.0
    while process.poll() is None:
        members = [process.pid, *descendants(process.pid)]
        at, pss = time.time(), None
        rss = tree_rss(members)
        if rss == 0:  # the process ended after poll(): an exited process has no memory left to count
            continue
        if len(members) > 1 and at >= next_pss:
            start = time.perf_counter()
            pss = tree_pss(members)
            next_pss = time.time() + (time.perf_counter() - start) / pss_share
        samples.append((at, rss, pss))
        time.sleep(interval)
    return samples


def attach_memory(run: dict, samples: list[tuple[float, int, int]], interval: float) -> None:
    """Add the sampled tree peaks to a run and its stages, and set each ``peak_mb``.

    A stage's ``peak_mb`` is the larger of its sampled tree PSS and its exact ``VmHWM``
    (None when the stage was too short to be sampled and ``VmHWM`` could not be reset);
    the run's is the larger of the sampled tree PSS over the whole process life and the
    largest stage ``VmHWM``.
    """
    for row in run["stages"]:
        inside = [(rss, pss) for at, rss, pss in samples if row["started_at"] <= at <= row["ended_at"]]
        row["tree_rss_mb"] = max_mb(rss for rss, _ in inside)
        row["tree_pss_mb"] = max_mb(pss for _, pss in inside)
        known = [value for value in (row["tree_pss_mb"], row["hwm_mb"]) if value is not None]
        row["peak_mb"] = max(known) if known else None
    run["tree_rss_mb"] = max_mb(rss for _, rss, _ in samples)
    run["tree_pss_mb"] = max_mb(pss for _, _, pss in samples)
    run["n_samples"], run["sample_interval_s"] = len(samples), interval
    run["n_pss_samples"] = sum(pss is not None for _, _, pss in samples)
    run["peak_mb"] = max(run["tree_pss_mb"] or 0.0, run["hwm_mb"])


def max_mb(values) -> float | None:
    """Return the largest of some byte counts in MB, skipping None; None if there is none."""
    known = [value for value in values if value is not None]
    return max(known) / MB if known else None


def load_average() -> float:
    """Return the 1-minute load average (runnable processes), to show whether others used the CPUs."""
    return os.getloadavg()[0]


def cpu_seconds() -> float:
    """Return the user + system CPU time of this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class StageTimer:
    """Run stages one after the other and record time, CPU, throughput and peak RSS of each.

    Parameters
    ----------
    profile_dir : Path, optional
        Write a cProfile file per stage into this folder.
    """

    def __init__(self, profile_dir: Path | None = None) -> None:
        self.profile_dir = profile_dir
        self.hwm_resettable = reset_high_water_mark()
        self.stages: list[dict] = []

    def run(self, name: str, function, *args, chars: int | None = None):
        """Call ``function(*args)`` as stage ``name``; return its result (None if it failed)."""
        if self.hwm_resettable:
            reset_high_water_mark()
        profiler = cProfile.Profile() if self.profile_dir else None
        started_at, cpu, start = time.time(), cpu_seconds(), time.perf_counter()
        result, error = None, None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = profiler.runcall(function, *args) if profiler else function(*args)
            except Exception as exc:  # noqa: BLE001 - a failed stage is reported, the others still run
                error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
        self.stages.append({
            "stage": name, "seconds": seconds, "cpu_s": cpu, "cores": cpu / seconds if seconds else None,
            "chars": None, "mbps": None, "warnings": len(caught), "error": error,
            "hwm_mb": high_water_mark() / MB if self.hwm_resettable else None,
            "started_at": started_at, "ended_at": time.time(),
        })
        if profiler:
            profiler.dump_stats(self.profile_dir / f"{name}.prof")
        if chars is not None:
            self.set_chars(name, chars)
        return result

    def set_chars(self, name: str, chars: int) -> None:
        """Set the characters a stage processed and its throughput."""
        row = next(r for r in self.stages if r["stage"] == name)
        row["chars"] = int(chars)
        row["mbps"] = chars / MB / row["seconds"] if row["seconds"] and row["error"] is None else None

    def high_water_mark_mb(self) -> float:
        """Return the peak RSS of this process over the run, in MB."""
        stage_peaks = [r["hwm_mb"] for r in self.stages if r["hwm_mb"] is not None]
        return max([high_water_mark() / MB, *stage_peaks])


# ------------------------------------------------------------------------------ stages


def import_library() -> None:
    """Import the library modules the pipeline uses (pandas, scikit-learn, NLTK, ...)."""
    import analysis.compare  # noqa: F401
    import analysis.mentions  # noqa: F401
    import analysis.topics  # noqa: F401


def load_clean(path: Path, n_jobs: int | None = None, clean: bool = True):
    """Load (and clean) the corpus with the library."""
    from analysis import load_corpus

    return load_corpus(path, n_jobs=n_jobs, clean=clean)


def default_gazetteer():
    """Return the library's default entity table."""
    from analysis.mentions import Gazetteer

    return Gazetteer.default()


def find_mentions(corpus, gazetteer, n_jobs: int | None = None):
    """Find the mentions of every entity of the table."""
    from analysis.mentions import find_mentions as find

    return find(corpus, gazetteer, n_jobs=n_jobs)


def count_mentions(corpus, gazetteer, n_jobs: int | None = None):
    """Count every entity per article, adjective forms included: the table the naive loop builds."""
    from analysis.mentions import count_mentions as count

    return count(corpus, gazetteer, by="doc_id", include_adjectives=True, n_jobs=n_jobs)


def count_words(corpus, n_jobs: int | None = None):
    """Count the (unstemmed, casefolded) words of every article, once for topics and keyness."""
    from analysis.compare import term_counts

    return term_counts(corpus, n_jobs=n_jobs)


def cluster(corpus, n_clusters: int, counts):
    """Cluster the articles with TF-IDF, LSA and k-means, from the word counts (None: from the texts)."""
    from analysis.topics import cluster_documents

    return cluster_documents(corpus, n_clusters=n_clusters, random_state=0, counts=counts)


def keyness_by_outlet(corpus, counts):
    """Score every outlet's distinctive vocabulary against all other outlets (counts None: count them)."""
    from analysis.compare import keyness_all

    return keyness_all(corpus, by="source", counts=counts)


def run_pipeline(path: Path, timer: StageTimer, n_clusters: int, n_jobs: int | None) -> dict:
    """Run the library pipeline on ``path``; return facts about the data and the results."""
    timer.run("import", import_library)
    corpus = timer.run("load_clean", load_clean, path, n_jobs)
    if corpus is None:
        return {}
    raw_chars = int(corpus["raw_text"].str.len().sum())
    timer.set_chars("load_clean", raw_chars)
    chars = int(corpus["text"].str.len().sum())
    facts = {"n_articles": len(corpus), "raw_chars": raw_chars, "clean_chars": chars,
             "n_outlets": int(corpus["source"].nunique()), "n_duplicates": int(corpus["is_duplicate"].sum())}
    gazetteer = timer.run("entity_table", default_gazetteer)
    if gazetteer is not None:
        facts["n_entities"] = len(gazetteer)
        mentions = timer.run("mentions", find_mentions, corpus, gazetteer, n_jobs, chars=chars)
        facts["n_mentions"] = None if mentions is None else len(mentions)
        del mentions
        counts = timer.run("mention_counts", count_mentions, corpus, gazetteer, n_jobs, chars=chars)
        facts["n_counted"] = None if counts is None else int(counts.to_numpy().sum())
        del counts
    counts = timer.run("terms", count_words, corpus, n_jobs, chars=chars)
    facts["n_terms"] = None if counts is None else len(counts.terms)
    result = timer.run("topics", cluster, corpus, n_clusters, counts, chars=chars)
    if result is not None:
        facts["topics_method"] = result.method
        facts["cluster_sizes"] = result.sizes.tolist()
    del result
    table = timer.run("keyness", keyness_by_outlet, corpus, counts, chars=chars)
    facts["keyness_rows"] = None if table is None else len(table)
    return facts


def open_store(path: Path, folder: Path, n_jobs: int):
    """Load and clean the corpus into a new corpus store in ``folder`` (JSON Lines: a piece at a time)."""
    from analysis.load import open_store as open_

    return open_(path, cache_dir=folder, n_jobs=n_jobs)


def run_workers(path: Path, timer: StageTimer) -> dict:
    """Time the per-article stages on a corpus store with ``n_jobs=1`` and then ``n_jobs=2``.

    Each task reads its own partition of the store, so no text passes through this process:
    ``clean`` loads and cleans the corpus into a new store (:func:`analysis.load.open_store`),
    ``mentions`` finds the mentions in it and ``terms`` counts its words.
    """
    timer.run("import", import_library)
    gazetteer = default_gazetteer()
    facts = {}
    with tempfile.TemporaryDirectory(prefix="analysis-stores-") as folder:
        for n_jobs in (1, 2):
            store = timer.run(f"clean_{n_jobs}", open_store, path, Path(folder) / str(n_jobs), n_jobs)
            if store is None:
                return facts
            facts["n_articles"], facts[f"n_partitions_{n_jobs}"] = len(store), store.n_partitions
            mentions = timer.run(f"mentions_{n_jobs}", find_mentions, store, gazetteer, n_jobs)
            facts[f"n_mentions_{n_jobs}"] = None if mentions is None else len(mentions)
            counts = timer.run(f"terms_{n_jobs}", count_words, store, n_jobs)
            facts[f"n_terms_{n_jobs}"] = None if counts is None else len(counts.terms)
            del mentions, counts
    return facts


def workers_speedup(workers: dict | None) -> dict:
    """Return how many times faster each per-article stage, and all of them together, ran on two workers than one.

    Examples
    --------
    >>> run = {"stages": [{"stage": f"{name}_{n}", "seconds": s, "error": None}
    ...                   for name, n, s in [("clean", 1, 8.0), ("clean", 2, 4.0), ("mentions", 1, 3.0),
    ...                                      ("mentions", 2, 2.0), ("terms", 1, 9.0), ("terms", 2, 6.0)]]}
    >>> workers_speedup(run)
    {'clean': 2.0, 'mentions': 1.5, 'terms': 1.5, 'all': 1.6666666666666667}
    """
    rows = {name: (stage(workers, f"{name}_1"), stage(workers, f"{name}_2")) for name in WORKER_STAGES}
    speedups = {name: one["seconds"] / two["seconds"] if one and two and not one["error"] and not two["error"] else None
                for name, (one, two) in rows.items()}
    if all(speedups.values()):
        speedups["all"] = sum(one["seconds"] for one, _ in rows.values()) / sum(two["seconds"] for _, two in rows.values())
    else:
        speedups["all"] = None
    return speedups


def import_naive() -> None:
    """Import what the naive script uses: pandas and scikit-learn."""
    import pandas  # noqa: F401
    import sklearn.cluster  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401


def naive_read(path: Path):
    """Read the corpus the naive way: ``pandas.read_json``."""
    import pandas as pd

    return pd.read_json(path, lines=True)


def naive_pattern(forms: list[str]) -> str:
    """Return one regular expression that matches any of the name forms as a whole word.

    Longer forms come first, so that "Donald Trump" is tried before "Trump".

    Examples
    --------
    >>> naive_pattern(["Trump", "Donald Trump", "C5+1"])
    '\\\\b(?:Donald\\\\ Trump|Trump|C5\\\\+1)\\\\b'
    """
    ordered = sorted(dict.fromkeys(forms), key=lambda form: (-len(form), form))
    return r"\b(?:" + "|".join(re.escape(form) for form in ordered) + r")\b"


def naive_patterns(gazetteer) -> dict[str, str]:
    """Return one pattern per entity, over all its name forms (names, exact forms, adjectives)."""
    return {e.id: naive_pattern([*e.aliases, *e.case_sensitive, *e.adjectives]) for e in gazetteer.entities}


def naive_count(texts, patterns: dict[str, str]):
    """Count each entity with its own ``Series.str.count``, as in the issue."""
    import pandas as pd

    return pd.DataFrame({entity: texts.str.count(pattern) for entity, pattern in patterns.items()})


def naive_tfidf(texts):
    """Vectorise with scikit-learn's defaults and the issue's document frequency limits."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(max_df=0.5, min_df=5).fit_transform(texts)


def naive_kmeans(matrix, n_clusters: int):
    """Run k-means on the sparse TF-IDF matrix."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=n_clusters, random_state=0).fit(matrix)


def run_naive(path: Path, timer: StageTimer, n_clusters: int, kmeans: bool) -> dict:
    """Run the naive baseline on ``path``; return facts about the data and the results."""
    timer.run("naive_import", import_naive)
    frame = timer.run("naive_read_json", naive_read, path)
    if frame is None:
        return {}
    texts = frame["text"]
    chars = int(texts.str.len().sum())
    timer.set_chars("naive_read_json", chars)
    facts = {"n_articles": len(frame), "raw_chars": chars, "text_dtype": str(texts.dtype)}
    del frame
    gazetteer = timer.run("entity_table", default_gazetteer)
    if gazetteer is not None:
        patterns = naive_patterns(gazetteer)
        facts["n_entities"] = len(patterns)
        counts = timer.run("naive_str_count", naive_count, texts, patterns, chars=chars)
        facts["n_matches"] = None if counts is None else int(counts.to_numpy().sum())
    matrix = timer.run("naive_tfidf", naive_tfidf, texts, chars=chars)
    if matrix is not None:
        facts["tfidf_shape"] = list(matrix.shape)
        if kmeans:
            timer.run("naive_kmeans", naive_kmeans, matrix, n_clusters)
    return facts


def child_main(args: argparse.Namespace) -> int:
    """Run one configuration in this (fresh) process and write its figures as JSON."""
    profile_dir = Path(args.profile) if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True, exist_ok=True)
    timer = StageTimer(profile_dir)
    if args.child == "pipeline":
        facts = run_pipeline(Path(args.input), timer, args.clusters, args.n_jobs)
    elif args.child == "workers":
        facts = run_workers(Path(args.input), timer)
    else:
        facts = run_naive(Path(args.input), timer, args.clusters, kmeans=not args.skip_naive_clustering)
    run = {"kind": args.child, "facts": facts, "stages": timer.stages, "in_process_s": time.perf_counter() - START,
           "hwm_mb": timer.high_water_mark_mb(), "hwm_per_stage": timer.hwm_resettable,
           "maxrss_largest_child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / MB}
    Path(args.out).write_text(json.dumps(run, indent=1), encoding="utf-8")
    return 0


# ------------------------------------------------------------------------------ orchestration


def open_text(path: Path):
    """Open a JSONL file, ``.xz`` compressed or not, for reading text."""
    return lzma.open(path, "rt", encoding="utf-8") if path.suffix == ".xz" else open(path, encoding="utf-8")


def write_subset(source: Path, target: Path, limit: int | None, repeat: int) -> int:
    """Write the first ``limit`` articles of ``source`` ``repeat`` times to ``target``; return the count.

    Copies after the first get the id ``<id>~<copy>``, so that ids stay unique. In a repeated
    file, numeric ids of the first copy are written as strings too: a column that changes from
    numbers to strings would send the loader from Arrow's reader to the line-by-line one.
    """
    written = 0
    with open(target, "w", encoding="utf-8") as out:
        for copy in range(1, repeat + 1):
            with open_text(source) as lines:
                for number, line in enumerate(lines):
                    if limit is not None and number >= limit:
                        break
                    if repeat > 1:
                        record = json.loads(line)
                        if copy > 1:
                            record["id"] = f"{record.get('id')}~{copy}"
                        elif isinstance(record.get("id"), (int, float)):
                            record["id"] = str(record["id"])
                        line = json.dumps(record, ensure_ascii=False) + "\n"
                    out.write(line)
                    written += 1
    return written


def prepare_input(corpus: Path, limit: int | None, repeat: int, folder: Path, force_copy: bool = False) -> Path:
    """Return the file to benchmark on: the corpus itself, or a temporary subset/repetition of it."""
    if limit is None and repeat == 1 and not force_copy:
        return corpus
    target = folder / f"corpus_{limit or 'all'}x{repeat}.jsonl"
    if not target.exists():
        write_subset(corpus, target, limit, repeat)
    return target


def run_child(kind: str, path: Path, args: argparse.Namespace, folder: Path) -> dict:
    """Run one configuration in a fresh Python process; return its figures, memory and wall time."""
    out = folder / f"{kind}-{time.monotonic_ns()}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--input", str(path),
               "--out", str(out), "--clusters", str(args.clusters), "--n-jobs", str(args.n_jobs)]
    if args.skip_naive_clustering:
        command.append("--skip-naive-clustering")
    if args.profile:
        command += ["--profile", str(Path(args.profile) / kind)]
    print(f"running {kind} on {path.name} ...", file=sys.stderr, flush=True)
    load_before, start = load_average(), time.perf_counter()
    samples = sample_tree(subprocess.Popen(command), args.sample_interval)
    wall = time.perf_counter() - start
    if not out.exists():
        return {"kind": kind, "error": "the benchmark process ended without writing its figures", "stages": []}
    run = json.loads(out.read_text(encoding="utf-8"))
    attach_memory(run, samples, args.sample_interval)
    run["wall_s"], run["load_average"] = wall, [load_before, load_average()]
    return run


def stage(run: dict | None, name: str) -> dict:
    """Return a run's stage row by name ({} if it is not there)."""
    return next((s for s in (run or {}).get("stages", []) if s["stage"] == name), {})


def topic_seconds(pipeline: dict) -> float | None:
    """Return the seconds of term counting plus clustering (None unless both stages ran without error)."""
    rows = [stage(pipeline, name) for name in ("terms", "topics")]
    return None if any(not row or row.get("error") for row in rows) else sum(row["seconds"] for row in rows)


def summarise(pipeline: dict, naive: dict | None, workers: dict | None = None) -> dict:
    """Return the figures the targets are about."""
    rates = [stage(pipeline, name).get("mbps") for name in ("mentions", "mention_counts")]
    mention_mbps = min(rates) if all(rates) else None  # the slower of find_mentions and count_mentions
    naive_mbps = stage(naive, "naive_str_count").get("mbps")
    return {
        "load_clean_mbps": stage(pipeline, "load_clean").get("mbps"),
        "mentions_mbps": mention_mbps,
        "mentions_speedup": mention_mbps / naive_mbps if mention_mbps and naive_mbps else None,
        "topics_s": topic_seconds(pipeline),
        "total_s": pipeline.get("wall_s"),
        "peak_mb": pipeline.get("peak_mb"),
        "naive_total_s": naive.get("wall_s") if naive else None,
        "naive_peak_mb": naive.get("peak_mb") if naive else None,
        "pipeline_speedup": naive["wall_s"] / pipeline["wall_s"] if naive and naive.get("wall_s") and pipeline.get("wall_s") else None,
        "workers_speedup": workers_speedup(workers)["all"] if workers else None,
    }


def check_targets(summary: dict, complete: bool) -> list[dict]:
    """Compare the figures with the issue's targets; ``met`` is None when not measured."""
    rows = []
    for key, label, goal, kind, unit in TARGETS:
        value = summary.get(key)
        if key in ("pipeline_speedup", "peak_mb") and not complete:
            value = None  # a pipeline with a missing or failed stage cannot meet a whole-pipeline target
        met = None if value is None else (value >= goal if kind == "min" else value <= goal)
        factor = None if value is None or value == 0 else (goal / value if kind == "min" else value / goal)
        rows.append({"target": key, "label": label, "goal": goal, "kind": kind, "unit": unit,
                     "measured": value, "met": met, "factor": factor})
    return rows


def parse_curve(spec: str) -> list[tuple[int | None, int]]:
    """Parse ``10000,20000,all,allx3`` into (limit, repeat) pairs; ``all`` means no limit."""
    points = []
    for item in spec.split(","):
        match = re.fullmatch(r"\s*(all|\d+)(?:x(\d+))?\s*", item)
        if not match or match[1] == "0" or match[2] == "0":
            raise ValueError(f"--curve: {item!r} is not N, NxR, all or allxR with positive N and R")
        points.append((None if match[1] == "all" else int(match[1]), int(match[2] or 1)))
    return points


def curve_slopes(points: list[dict]) -> list[dict]:
    """Return the extra peak memory per 1,000 articles between consecutive curve points."""
    ordered = sorted((p for p in points if p.get("peak_mb") and p.get("n_articles")), key=lambda p: p["n_articles"])
    slopes = []
    for low, high in zip(ordered, ordered[1:]):
        if high["n_articles"] > low["n_articles"]:
            slope = (high["peak_mb"] - low["peak_mb"]) * 1000 / (high["n_articles"] - low["n_articles"])
            slopes.append({"from": low["n_articles"], "to": high["n_articles"], "mb_per_1000_articles": slope})
    return slopes


def machine_info() -> dict:
    """Describe the machine and the software versions."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    cpu_fields = {}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("cpu family", "model") and name.strip() not in cpu_fields:
            cpu_fields[name.strip()] = value.strip()
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": model, "cpu_family_model": f"{cpu_fields.get('cpu family')}/{cpu_fields.get('model')}",
        "cores": os.cpu_count(), "cores_available": len(os.sched_getaffinity(0)),
        "ram_gb": proc_kb("/proc/meminfo", ("MemTotal",)).get("MemTotal", 0) * 1024 / 1e9,
        "python": platform.python_version(), "platform": platform.platform(), "packages": versions,
    }


def code_version() -> dict:
    """Return the project's git commit and whether the library has uncommitted changes."""
    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    changed = git("status", "--porcelain", "--", "src")
    return {"commit": git("rev-parse", "--short", "HEAD"), "library_changed": None if changed is None else bool(changed)}


def fmt(value, digits: int = 1) -> str:
    """Format a number for the table ('-' when missing)."""
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def off(factor: float) -> str:
    """Say how far a missed target is off: '3.25x off' or, when close, '4% off'."""
    return f"{factor:.2f}x off" if factor >= 1.5 else f"{(factor - 1) * 100:.0f}% off"


def format_run(run: dict, title: str) -> list[str]:
    """Return table lines for one run's stages."""
    load = run.get("load_average") or [None, None]
    lines = [f"{title}  (wall {fmt(run.get('wall_s'))} s, peak {fmt(run.get('peak_mb'), 0)} MB, "
             f"load average {fmt(load[0], 2)} -> {fmt(load[1], 2)})",
             f"  {'stage':<18}{'seconds':>9}{'CPU s':>8}{'cores':>7}{'MB/s':>8}{'peak MB':>9}{'tree RSS':>10}  note"]
    if run.get("error"):
        lines.append(f"  {run['error']}")
    for s in run.get("stages", []):
        note = s["error"] or (f"{s['warnings']} warnings" if s["warnings"] else "")
        lines.append(f"  {s['stage']:<18}{fmt(s['seconds'], 2):>9}{fmt(s['cpu_s']):>8}{fmt(s['cores'], 2):>7}"
                     f"{fmt(s['mbps']):>8}{fmt(s['peak_mb'], 0):>9}{fmt(s['tree_rss_mb'], 0):>10}  {note}")
    return lines


def format_report(results: dict) -> str:
    """Return the printed report: runs, targets and memory curve."""
    code = results.get("code", {})
    lines = [f"code: commit {code.get('commit') or '?'}"
             f"{' + uncommitted library changes' if code.get('library_changed') else ''}", ""]
    for key, title in (("pipeline", "library pipeline"), ("naive", "naive baseline"),
                       ("workers", "per-article stages on one process (_1) and two workers (_2)")):
        if results.get(key):
            facts = results[key].get("facts", {})
            lines += format_run(results[key], f"{title}: {fmt(facts.get('n_articles'))} articles, "
                                              f"{fmt(facts.get('raw_chars'))} characters")
            lines.append("")
    if results.get("workers"):
        speedups = workers_speedup(results["workers"])
        lines += ["  two workers against one: " + ", ".join(f"{name} {fmt(value, 2)}x" for name, value in speedups.items()), ""]
    if results.get("targets"):
        lines.append(f"  {'target':<42}{'goal':>14}{'measured':>11}  met")
        for t in results["targets"]:
            goal = f"{'>=' if t['kind'] == 'min' else '<='} {fmt(t['goal'], 0)} {t['unit']}"
            met = "-" if t["met"] is None else ("yes" if t["met"] else f"NO ({off(t['factor'])})")
            lines.append(f"  {t['label']:<42}{goal:>14}{fmt(t['measured']):>11}  {met}")
    if results.get("curve"):
        lines += ["", f"  {'articles':>9}{'characters':>14}{'wall s':>9}{'peak MB':>9}{'tree RSS':>10}"
                      f"{'MB/1k art.':>11}  peak in"]
        for point in results["curve"]:
            per = point["peak_mb"] / point["n_articles"] * 1000 if point.get("peak_mb") and point.get("n_articles") else None
            lines.append(f"  {fmt(point.get('n_articles')):>9}{fmt(point.get('raw_chars')):>14}"
                         f"{fmt(point.get('wall_s')):>9}{fmt(point.get('peak_mb'), 0):>9}"
                         f"{fmt(point.get('tree_rss_mb'), 0):>10}{fmt(per):>11}  {point.get('peak_stage') or '-'}")
        for slope in results.get("curve_slopes", []):
            lines.append(f"  {slope['from']:,} -> {slope['to']:,} articles: "
                         f"+{slope['mb_per_1000_articles']:.1f} MB per 1,000 articles")
    return "\n".join(lines)


def complete(run: dict) -> bool:
    """Tell whether every pipeline stage ran without error."""
    names = {s["stage"] for s in run.get("stages", []) if not s["error"]}
    return {"load_clean", "mentions", "mention_counts", "terms", "topics", "keyness"} <= names


def run_benchmark(args: argparse.Namespace, folder: Path) -> dict:
    """Run the library pipeline and the naive baseline on one configuration."""
    path = prepare_input(args.corpus, args.limit, args.repeat, folder)
    pipeline = run_child("pipeline", path, args, folder)
    naive = None if args.skip_naive else run_child("naive", path, args, folder)
    workers = None if args.skip_workers else run_child("workers", path, args, folder)
    summary = summarise(pipeline, naive, workers)
    return {"pipeline": pipeline, "naive": naive, "workers": workers, "summary": summary,
            "targets": check_targets(summary, complete(pipeline))}


def peak_stage(run: dict) -> str | None:
    """Return the name of the stage with the highest peak memory."""
    measured = [s for s in run.get("stages", []) if s["peak_mb"] is not None]
    return max(measured, key=lambda s: s["peak_mb"])["stage"] if measured else None


def run_curve(args: argparse.Namespace, folder: Path) -> dict:
    """Run the library pipeline on each curve point, each in a fresh process."""
    points = []
    for limit, repeat in parse_curve(args.curve):
        path = prepare_input(args.corpus, limit, repeat, folder, force_copy=True)
        run = run_child("pipeline", path, args, folder)
        facts = run.get("facts", {})
        points.append({"limit": limit, "repeat": repeat, "n_articles": facts.get("n_articles"),
                       "raw_chars": facts.get("raw_chars"), "wall_s": run.get("wall_s"),
                       "peak_mb": run.get("peak_mb"), "tree_rss_mb": run.get("tree_rss_mb"),
                       "peak_stage": peak_stage(run), "complete": complete(run), "stages": run.get("stages", [])})
        path.unlink()
    return {"curve": points, "curve_slopes": curve_slopes(points)}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse and check the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="JSONL corpus (.jsonl or .jsonl.xz) with id, source, date, title, text")
    parser.add_argument("--limit", type=int, help="use only the first N articles")
    parser.add_argument("--repeat", type=int, default=1, help="repeat the (limited) corpus R times (default 1)")
    parser.add_argument("--json", type=Path, help="write all figures to this JSON file")
    parser.add_argument("--skip-naive", action="store_true", help="do not run the naive baseline")
    parser.add_argument("--skip-naive-clustering", action="store_true",
                        help="run the naive baseline without its KMeans (which takes minutes)")
    parser.add_argument("--skip-workers", action="store_true", help="do not time the stages on one and two workers")
    parser.add_argument("--n-jobs", type=int, default=-1, help="worker processes of the pipeline (default -1: all cores)")
    parser.add_argument("--curve", help="memory curve instead: comma-separated N or NxR points, N may be 'all'")
    parser.add_argument("--clusters", type=int, default=N_CLUSTERS, help=f"k for both clusterings (default {N_CLUSTERS})")
    parser.add_argument("--sample-interval", type=float, default=0.1, help="seconds between memory samples")
    parser.add_argument("--profile", help="write a cProfile file per stage (main process only) into this folder")
    parser.add_argument("--child", choices=["pipeline", "naive", "workers"], help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return args
    if args.corpus is None or not args.corpus.is_file():
        parser.error(f"--corpus must name an existing file, got {args.corpus}")
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit must be at least 1, got {args.limit}")
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    if args.clusters < 2:
        parser.error(f"--clusters must be at least 2, got {args.clusters}")
    if args.sample_interval <= 0:
        parser.error(f"--sample-interval must be positive, got {args.sample_interval}")
    if args.curve:
        try:
            parse_curve(args.curve)
        except ValueError as error:
            parser.error(str(error))
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and write the JSON. Return 1 if a stage failed."""
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    results = {"command": shlex.join([Path(sys.executable).name, *sys.argv]), "corpus": str(args.corpus),
               "limit": args.limit, "repeat": args.repeat, "machine": machine_info(), "code": code_version()}
    with tempfile.TemporaryDirectory(prefix="bench_pipeline_") as folder:
        results.update(run_curve(args, Path(folder)) if args.curve else run_benchmark(args, Path(folder)))
    print(format_report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    runs = [results.get("pipeline"), results.get("naive"), results.get("workers"), *results.get("curve", [])]
    failed = any(r and (r.get("error") or any(s["error"] for s in r.get("stages", []))) for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
