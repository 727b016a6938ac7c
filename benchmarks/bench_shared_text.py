#!/usr/bin/env python3
"""Find shared passages on corpus stores of growing size; print the time and the memory of all processes.

For each corpus (a JSON Lines file: FANG-COVID and its copies from ``big_corpus.py``) the
store is made first (:func:`analysis.load.open_store`, or reused from ``--work``: not
measured), then a fresh Python process runs on it

* ``shared_passages``: :func:`analysis.compare.shared_passages` on the store (three passes
  over the partitions: winnowed samples, shingles of the candidate articles, runs);
* ``shared_by_outlet``: :func:`analysis.compare.shared_text_by_outlet` on the store (the
  passages cut out partition by partition);

and, with ``--frame``, the same two on the corpus read into memory (``doc_id``, ``source``,
``text``, ``n_words``) for comparison, in another fresh process.

Memory: the parent samples, every ``--interval`` seconds, the proportional set size (PSS) and
the resident set size (RSS) of the measured process and all its children (the engine's
workers) with psutil and reports the largest sums, for the whole run and for each stage. PSS
counts a page shared between a parent and its forked workers once: the memory all the processes
together take. The calling process's own peak RSS (``getrusage``) is reported too: what the
samples, the candidates' shingles and the passages take there. Load averages are read before and after.

Usage (from the project root; the stores go to ``--work``, outside the project)::

    nice -n 10 .venv/bin/python benchmarks/bench_shared_text.py --n-jobs 2 --work /tmp/shared-bench/stores \\
        ../shared/bench/fang-covid.jsonl.xz /tmp/big/fang-x3.jsonl /tmp/big/fang-x10.jsonl
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path


from bench_scale import measured_result

PROJECT = Path(__file__).resolve().parent.parent


def run_corpus(path: Path, work: Path, n_jobs: int | None, frame: bool) -> dict:
    """Find the shared passages of one corpus's store (or of its frame) in this process; return times and facts."""
    from analysis.compare import shared_passages, shared_text_by_outlet
    from analysis.load import open_store

    store = open_store(path, cache_dir=work)
    stages, facts = [], {"corpus": str(path), "n_jobs": n_jobs, "way": "frame" if frame else "store",
                         "n_articles": len(store), "n_partitions": store.n_partitions, "load_before": os.getloadavg()}

    def timed(name, function, *args, **kwargs):
        started, wall = time.perf_counter(), time.time()
        result = function(*args, **kwargs)
        stages.append({"stage": name, "seconds": round(time.perf_counter() - started, 1), "start": wall,
                       "end": time.time()})
        print("STAGE " + json.dumps(stages[-1]), flush=True)
        return result

    corpus = timed("read_frame", store.read, ["doc_id", "source", "text", "n_words"]) if frame else store
    options = {} if frame else {"n_jobs": n_jobs}
    passages = timed("shared_passages", shared_passages, corpus, **options)
    shares = timed("shared_by_outlet", shared_text_by_outlet, corpus, passages, **options)
    facts.update(stages=stages, seconds=round(sum(stage["seconds"] for stage in stages), 1),
                 n_occurrences=len(passages), n_passages=int(passages["passage_id"].nunique()),
                 n_articles_with_passages=int(passages["doc_id"].nunique()),
                 shared_words=int(shares["shared_words"].sum()), n_words=int(shares["n_words"].sum()),
                 own_peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1),
                 load_after=os.getloadavg())
    return facts


def run_child(corpus: Path, args: argparse.Namespace, frame: bool) -> dict | None:
    """Run one corpus in a fresh process while sampling the memory of its process tree."""
    command = [sys.executable, __file__, "--child", "--n-jobs", str(args.n_jobs), "--work", str(args.work), str(corpus)]
    result, returncode = measured_result([*command, *(["--frame"] if frame else [])], args.interval)
    if result is None:
        print(f"{corpus}: failed (exit {returncode})", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="JSON Lines files, smallest first")
    parser.add_argument("--n-jobs", type=int, default=2, help="worker processes for the store (default 2)")
    parser.add_argument("--frame", action="store_true", help="also run on the corpus read into memory")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between memory samples")
    parser.add_argument("--work", type=Path, default=Path("/tmp/analysis-shared"), help="folder of the stores")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.work.resolve().is_relative_to(PROJECT):
        parser.error("--work lies inside the project: stores of these corpora are never written there")
    if args.child:
        print("RESULT " + json.dumps(run_corpus(args.corpora[0], args.work, args.n_jobs, args.frame)))
        return 0
    from analysis.load import open_store

    results = []
    for corpus in args.corpora:
        started = time.perf_counter()
        store = open_store(corpus, cache_dir=args.work, n_jobs=args.n_jobs)  # made once, outside the measurement
        print(f"{corpus.name}: {store} ({time.perf_counter() - started:.0f} s to make or find)", flush=True)
        for frame in ([False, True] if args.frame else [False]):
            result = run_child(corpus, args, frame)
            if result is None:
                continue
            results.append(result)
            print(f"  {result['way']:<5} {result['n_articles']:,} articles, {result['seconds']} s, peak of the process "
                  f"tree {result['peak_tree_pss_mb']:,} MB PSS ({result['peak_tree_rss_mb']:,} MB RSS; the calling process "
                  f"alone {result['own_peak_rss_mb']:,} MB RSS); "
                  f"{result['n_passages']:,} passages, {result['n_occurrences']:,} occurrences in "
                  f"{result['n_articles_with_passages']:,} articles; load {result['load_before'][0]:.1f} -> "
                  f"{result['load_after'][0]:.1f}", flush=True)
            for stage in result["stages"]:
                print(f"      {stage['stage']:<17} {stage['seconds']:>7} s {stage['peak_tree_pss_mb']:>9,} MB PSS "
                      f"{stage['peak_tree_rss_mb']:>9,} MB RSS", flush=True)
            if args.json:  # after each run, so that a long run's first results are kept
                args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
