#!/usr/bin/env python3
"""Run the pipeline out of core on corpora of growing size; print its times and the memory of all its processes.

For each corpus (a JSON Lines file: FANG-COVID and its copies from ``big_corpus.py``) a
fresh Python process runs, stage after stage, on a corpus store that the tasks read a
partition at a time:

* ``load_clean``: :func:`analysis.load.open_store` (read a piece at a time, clean on the workers, flag repeats);
* ``mention_counts``: :func:`analysis.mentions.count_mentions` on each partition by outlet and
  month, the tables summed (:func:`analysis.engine.fold_partitions`);
* ``terms_topics``: :func:`analysis.topics.cluster_store` (term counts, IDF from summed document
  frequencies, LSA and k-means fitted on a sample, every article assigned; per-outlet term counts);
* ``keyness``: every outlet against all others, from the per-outlet term counts.

Shared passages are not part of it: they are not yet computed out of core.

Memory: the parent process samples, every ``--interval`` seconds, the resident set size (RSS)
of the pipeline's process and all its children (the engine's worker processes) with psutil
and reports the largest sum, for the whole run and for each stage: an upper bound, as pages
shared between a parent and its forked workers count once per process; and the summed
proportional set size (PSS), which counts such a page once in total: the memory all the
processes together take. (The pipeline's
process itself runs no sampling thread: a thread running while the local scheduler forks its
workers can leave a lock held in them.) After each stage the pipeline's process notes its own RSS:
what it keeps between stages. CPU time (user and system, of the process and its ended workers, from
``getrusage``) is counted per stage beside the wall time: on a shared host the wall time follows the
other work on the machine, the CPU time follows the work done. Load averages are read before and after each corpus.

Usage (from the project root; the stores are written to ``--work``, outside the project)::

    .venv/bin/python benchmarks/bench_scale.py --n-jobs 2 --json /tmp/scale.json \\
        ../shared/bench/fang-covid.jsonl.xz /tmp/big/fang-x3.jsonl /tmp/big/fang-x10.jsonl
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent


def tree_memory(process: psutil.Process) -> tuple[int, int, int]:
    """Return the summed RSS and PSS of a process and all its descendants, and the PSS of the process alone, in bytes."""
    rss = pss = own = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            info = member.memory_full_info()
        except psutil.Error:  # a worker that just ended
            continue
        rss, pss = rss + info.rss, pss + info.pss
        if member is process:
            own = info.pss
    return rss, pss, own


def cpu_seconds() -> float:
    """Return the CPU time of this process and of its ended workers (user and system), in seconds."""
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + workers.ru_utime + workers.ru_stime


def _month_counts(part, gazetteer):
    """Count a partition's mentions by outlet and month."""
    from analysis.mentions import count_mentions

    months = part["date"].dt.strftime("%Y-%m").fillna("")
    return count_mentions(part.assign(month=months, source=part["source"].fillna("")), gazetteer,
                          by=["source", "month"], label="id")


def _add_tables(total, part):
    return part if total is None else total.add(part, fill_value=0)


def run_corpus(path: Path, work: Path, n_jobs: int | None, n_clusters: int) -> dict:
    """Run the out-of-core pipeline on one corpus in this process; return times, peaks and facts."""
    from analysis.compare.keyness import _keyness_table
    from analysis.engine import fold_partitions
    from analysis.load import open_store
    from analysis.mentions import Gazetteer
    from analysis.topics import cluster_store

    shutil.rmtree(work, ignore_errors=True)
    stages, facts = [], {"corpus": str(path), "n_jobs": n_jobs, "load_before": os.getloadavg()}

    def timed(name, function, *args, **kwargs):
        started, wall, cpu = time.perf_counter(), time.time(), cpu_seconds()
        result = function(*args, **kwargs)
        stages.append({"stage": name, "seconds": round(time.perf_counter() - started, 1),
                       "cpu_seconds": round(cpu_seconds() - cpu, 1), "start": wall,
                       "end": time.time(), "load": os.getloadavg()[0],
                       "parent_rss_mb": round(psutil.Process().memory_info().rss / 1e6, 1)})
        print("STAGE " + json.dumps(stages[-1]), flush=True)
        return result

    store = timed("load_clean", open_store, path, cache_dir=work, n_jobs=n_jobs)
    facts["n_articles"], facts["n_partitions"] = len(store), store.n_partitions
    gazetteer = Gazetteer.default()
    table = timed("mention_counts", fold_partitions, _month_counts, store, _add_tables, None, gazetteer,
                  n_jobs=n_jobs, columns=["doc_id", "text", "source", "date"])
    facts["n_mentions_counted"], facts["outlet_months"] = int(table.to_numpy().sum()), len(table)
    topics = timed("terms_topics", cluster_store, store, n_clusters, n_jobs=n_jobs)
    facts["cluster_sizes"], facts["n_terms"] = topics.sizes.tolist(), len(topics.terms)
    facts["top_terms"] = topics.top_terms.groupby("cluster")["term"].apply(lambda t: " ".join(t[:5])).tolist()

    def keyness():
        tables = {}
        tokens, documents, articles = topics.outlet_tokens, topics.outlet_documents, topics.outlet_articles
        for outlet in tokens.index:
            rest = tokens.index != outlet
            tables[outlet] = _keyness_table(
                (tokens.loc[outlet].to_numpy(), tokens[rest].sum().to_numpy()),
                (documents.loc[outlet].to_numpy(), documents[rest].sum().to_numpy()),
                (int(articles[outlet]), int(articles[rest].sum())), topics.terms, 10, 5, "tdk").head(20)
        return tables

    tables = timed("keyness", keyness)
    facts["keyness_top"] = {outlet: table["term"].head(5).tolist() for outlet, table in list(tables.items())[:3]}
    facts["load_after"] = os.getloadavg()
    facts["seconds"] = round(sum(s["seconds"] for s in stages), 1)
    facts["cpu_seconds"] = round(sum(s["cpu_seconds"] for s in stages), 1)
    facts["stages"] = stages
    shutil.rmtree(work, ignore_errors=True)
    return facts


def sampled_run(command: list[str], interval: float, on_line=None, stderr=None) -> tuple[list[str], list[tuple], int]:
    """Run a command, sampling the summed RSS and PSS of its process tree every ``interval`` seconds.

    Returns its lines of output, the samples ``(time, rss, pss, pss of the command's process alone)``
    and its exit code;
    ``on_line(line, samples)`` sees each line as it comes.
    """
    lines, samples = [], []
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)

    def read() -> None:
        for line in child.stdout:
            lines.append(line)
            if on_line is not None:
                on_line(line, samples)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    process = psutil.Process(child.pid)
    while child.poll() is None:
        try:
            samples.append((time.time(), *tree_memory(process)))
        except psutil.Error:
            break
        time.sleep(interval)
    child.wait()
    reader.join()
    return lines, samples, child.returncode


def measured_result(command: list[str], interval: float, on_line=None, stderr=None) -> tuple[dict | None, int]:
    """Run a benchmark's child (see :func:`sampled_run`); return the result it printed, with peaks, and its exit code.

    The child prints its result as one line ``RESULT <json>`` with a list of ``stages``
    (``start``, ``end``); the peak summed RSS and PSS (MB) of the whole run and of each
    stage are added to it, and at each stage's peak the PSS of the child alone (the rest is its workers'). The result is None where the child failed or printed none.
    """
    lines, samples, returncode = sampled_run(command, interval, on_line, stderr)
    results = [line for line in lines if line.startswith("RESULT ")]
    if returncode or not results:
        return None, returncode
    result = json.loads(results[-1][len("RESULT "):])
    for stage in result["stages"]:
        inside = [sample[1:] for sample in samples if stage["start"] <= sample[0] <= stage["end"]]
        stage["peak_tree_rss_mb"] = round(max((rss for rss, _, _ in inside), default=0) / 1e6, 1)
        _, pss, own = max(inside, key=lambda sample: sample[1], default=(0, 0, 0))
        stage["peak_tree_pss_mb"], stage["peak_own_pss_mb"] = round(pss / 1e6, 1), round(own / 1e6, 1)
    result["peak_tree_rss_mb"] = round(max((sample[1] for sample in samples), default=0) / 1e6, 1)
    result["peak_tree_pss_mb"] = round(max((sample[2] for sample in samples), default=0) / 1e6, 1)
    result["n_samples"] = len(samples)
    return result, returncode


def run_child(corpus: Path, args: argparse.Namespace) -> dict | None:
    """Run one corpus in a fresh process, sampling the memory of its process tree from here."""
    command = [sys.executable, __file__, str(corpus), "--child", "--n-jobs", str(args.n_jobs),
               "--clusters", str(args.clusters), "--work", str(args.work)]

    def print_stage(line: str, samples: list[tuple]) -> None:  # as each stage ends, so that a run cut short still tells
        if line.startswith("STAGE "):
            stage = json.loads(line[len("STAGE "):])
            inside = [sample[2] for sample in list(samples) if stage["start"] <= sample[0] <= stage["end"]]
            print(f"    ({corpus.name}) {stage['stage']:<15} {stage['seconds']:>8} s ({stage['cpu_seconds']} CPU s), "
                  f"peak {max(inside, default=0) / 1e6:,.1f} MB PSS, this process after it "
                  f"{stage['parent_rss_mb']:,} MB RSS", flush=True)

    # the child's warnings, one file per corpus beside the stores' folder, so that each run keeps its own
    with open(args.work.with_name(f"{args.work.name}-{corpus.name}.log"), "w", encoding="utf-8") as log:
        result, returncode = measured_result(command, args.interval, print_stage, log)
    if result is None:
        print(f"{corpus}: failed (exit {returncode}); see {log.name}", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="JSON Lines files, smallest first")
    parser.add_argument("--n-jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--clusters", type=int, default=13)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between memory samples")
    parser.add_argument("--work", type=Path, default=Path("/tmp/analysis-scale"), help="folder of the stores")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.work.resolve().is_relative_to(PROJECT):
        parser.error("--work lies inside the project: stores of these corpora are never written there")
    if args.child:
        print("RESULT " + json.dumps(run_corpus(args.corpora[0], args.work, args.n_jobs, args.clusters)))
        return 0
    results = []
    for corpus in args.corpora:  # each in a fresh process, so that its peak is its own
        result = run_child(corpus, args)
        if result is None:
            continue
        results.append(result)
        print(f"{corpus.name}: {result['n_articles']:,} articles, {result['seconds']} s, peak of the process tree "
              f"{result['peak_tree_pss_mb']:,} MB PSS ({result['peak_tree_rss_mb']:,} MB RSS), "
              f"load {result['load_before'][0]:.1f} -> {result['load_after'][0]:.1f}", flush=True)
        for stage in result["stages"]:
            print(f"    {stage['stage']:<15} {stage['seconds']:>8} s {stage['cpu_seconds']:>8} CPU s "
                  f"{stage['peak_tree_pss_mb']:>9,} MB PSS ({stage['peak_own_pss_mb']:,} MB the process, the rest "
                  f"its workers) {stage['peak_tree_rss_mb']:>9,} MB RSS", flush=True)
        if args.json:  # after each corpus, so that a long run's first results are kept
            args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    if len(results) > 1:
        first = results[0]
        for r in results[1:]:
            print(f"{Path(r['corpus']).name} / {Path(first['corpus']).name}: {r['n_articles'] / first['n_articles']:.1f} x "
                  f"the articles, {r['seconds'] / first['seconds']:.1f} x the time, "
                  f"{r['cpu_seconds'] / first['cpu_seconds']:.1f} x the CPU time, "
                  f"{r['peak_tree_pss_mb'] / first['peak_tree_pss_mb']:.2f} x the peak memory (PSS)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
