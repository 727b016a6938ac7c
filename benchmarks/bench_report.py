"""Time ``python -m analysis report`` on a corpus and sample the memory of all its processes.

The report runs in a child process; every ``--interval`` seconds the summed RSS and PSS
of its process tree (the command, its notebook kernels and their workers) are sampled
(:func:`bench_scale.sampled_run`). Each step is timed from the report's own log lines:
reading the corpus into its store, then each notebook. The store, the reports and the
figures are written to ``--work``, outside the project, and removed at the end unless
``--keep``.

Usage (from the project root)::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_report.py /tmp/big/fang-x10.jsonl \\
        --work /tmp/analysis-report --json /tmp/report412.json
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench_scale import sampled_run

PROJECT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/analysis-report"), help="folder of store and report")
    parser.add_argument("--max-articles", type=int, default=None, help="passed to the report")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between memory samples")
    parser.add_argument("--json", type=Path, default=None, help="write the result here")
    parser.add_argument("--keep", action="store_true", help="keep the store, reports and figures")
    args = parser.parse_args(argv)
    if args.work.resolve().is_relative_to(PROJECT):
        parser.error("--work lies inside the project: nothing of this corpus is written there")
    shutil.rmtree(args.work, ignore_errors=True)
    command = [sys.executable, "-m", "analysis", "report", "--corpus", str(args.corpus), "--out", str(args.work / "rep"),
               "--figures", str(args.work / "fig"), "--cache", str(args.work / "store"), "--no-progress"]
    if args.max_articles is not None:
        command += ["--max-articles", str(args.max_articles)]
    marks = [("read corpus", time.time())]

    def mark(line: str, samples: list) -> None:
        print(line, end="", flush=True)
        if line.startswith("[") and "] Running " in line:
            marks.append((line.split("] Running ")[1].strip(), time.time()))

    started, load = time.time(), os.getloadavg()
    _, samples, returncode = sampled_run(command, args.interval, mark, stderr=subprocess.STDOUT)
    ended = time.time()
    steps = []
    for (name, start), (_, end) in zip(marks, marks[1:] + [("end", ended)]):
        inside = [sample[2] for sample in samples if start <= sample[0] <= end]
        steps.append({"step": name, "seconds": round(end - start, 1), "peak_tree_pss_mb": round(max(inside, default=0) / 1e6, 1)})
    result = {"corpus": str(args.corpus), "command": command[1:], "exit": returncode, "seconds": round(ended - started, 1),
              "load_before": load, "load_after": os.getloadavg(),
              "peak_tree_rss_mb": round(max((sample[1] for sample in samples), default=0) / 1e6, 1),
              "peak_tree_pss_mb": round(max((sample[2] for sample in samples), default=0) / 1e6, 1),
              "n_samples": len(samples), "steps": steps}
    for step in steps:
        print(f"  {step['step']:<32} {step['seconds']:>8} s, peak {step['peak_tree_pss_mb']:,.1f} MB PSS")
    print(f"exit {returncode} after {result['seconds']} s; peak of all processes {result['peak_tree_pss_mb']:,.1f} MB PSS "
          f"({result['peak_tree_rss_mb']:,.1f} MB RSS)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    return returncode


if __name__ == "__main__":
    sys.exit(main())
