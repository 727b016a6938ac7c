"""Precision audit of the default entity table: draw mentions to read by hand, then score the verdicts.

Draw a seeded sample of counted mentions (``form == "name"``), the same number for every entity
type; a person reads each one in its context and fills in ``verdict`` (``ok`` or ``wrong``) and
``reason``. Mentions already in earlier samples (``--exclude``) are not drawn again, so that a final
sample after fixes is fresh::

    python benchmarks/entity_audit.py sample --corpus fang-covid --data ../shared/bench/fang-covid.jsonl.xz \
        --per-type 100 --seed 1 --out benchmarks/entity_audit_fang_round1.csv
    python benchmarks/entity_audit.py context benchmarks/entity_audit_fang_round1.csv \
        --data ../shared/bench/fang-covid.jsonl.xz > /tmp/to-read.csv
    python benchmarks/entity_audit.py score benchmarks/entity_audit_*_final.csv

``names`` lists the frequent names the table lacks (:func:`analysis.unknown_names`) on every n-th
article; ``names-diff`` lists the names whose count a change of the code moved, most frequent
first, with a blank verdict to fill in by reading them (run ``names`` once with each version of
the code on the ``PYTHONPATH``).

The corpus ``headlines`` is the frontpage-2026 file; its items are read as title and teaser joined
by a blank line. The committed samples name each mention by document and offset only: no text of
the corpora is committed; ``context`` shows each mention in a short window of its text, read from
the corpus (offsets point into the clean text of the commit that drew the sample; a mention whose
text no longer stands there is marked as moved).
"""
from __future__ import annotations

import argparse
import csv
import json
import lzma
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import articles_for_analysis, find_mentions, load_corpus
from analysis.mentions import unknown_names

CONTEXT_CHARS = 60
COLUMNS = ["corpus", "doc_id", "start", "entity_id", "type", "surface", "verdict", "reason"]


def read_corpus(kind: str, path: Path) -> pd.DataFrame:
    """Return doc_id and text of the audit corpus."""
    if kind == "headlines":
        with lzma.open(path, "rt", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        texts = [r["title"] + ("\n\n" + r["teaser"] if r.get("teaser") else "") for r in rows]
        return pd.DataFrame({"doc_id": [f"h{i}" for i in range(len(rows))], "text": texts})
    corpus, _ = articles_for_analysis(load_corpus(path))
    return corpus[["doc_id", "text"]].assign(doc_id=lambda df: df["doc_id"].astype(str))


def context(text: str, start: int, end: int) -> str:
    """Return the mention in a short window of its text, marked with [[ ]], on one line."""
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    return " ".join(f"{left}[[{text[start:end]}]]{right}".split())


def sample(args: argparse.Namespace) -> None:
    corpus = read_corpus(args.corpus, args.data)
    mentions = find_mentions(corpus)
    mentions = mentions[mentions["form"] == "name"].assign(doc_id=lambda df: df["doc_id"].astype(str))
    seen = set()
    for path in args.exclude:
        with open(path, encoding="utf-8") as handle:
            seen.update((r["doc_id"], int(r["start"])) for r in csv.DictReader(handle))
    keep = [(d, s) not in seen for d, s in zip(mentions["doc_id"], mentions["start"])]
    mentions = mentions[keep]
    rng = np.random.default_rng(args.seed)
    rows = []
    for entity_type, group in sorted(mentions.groupby("type"), key=lambda item: item[0]):
        picked = group.iloc[np.sort(rng.choice(len(group), size=min(args.per_type, len(group)), replace=False))]
        for m in picked.itertuples():
            rows.append({"corpus": args.corpus, "doc_id": m.doc_id, "start": m.start, "entity_id": m.entity_id,
                         "type": entity_type, "surface": m.surface, "verdict": "", "reason": ""})
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    counts = mentions["type"].value_counts().to_dict()
    print(f"{len(rows)} mentions written to {args.out}; counted mentions per type in the corpus: {counts}")


def score(args: argparse.Namespace) -> None:
    frames = [pd.read_csv(path, dtype=str, keep_default_na=False) for path in args.files]
    audit = pd.concat(frames, ignore_index=True)
    unread = audit[~audit["verdict"].isin(["ok", "wrong"])]
    if len(unread):
        sys.exit(f"{len(unread)} rows have no verdict 'ok' or 'wrong' (first: {unread.iloc[0].to_dict()})")
    table = audit.assign(ok=audit["verdict"] == "ok").groupby(["corpus", "type"])["ok"].agg(["size", "sum"])
    table["precision"] = (table["sum"] / table["size"]).round(3)
    print(table.rename(columns={"size": "n", "sum": "right"}).to_string())
    for row in audit[audit["verdict"] == "wrong"].itertuples():
        print(f"  wrong: {row.corpus} {row.doc_id} {row.entity_id} {row.surface!r}  ({row.reason})")


def show_context(args: argparse.Namespace) -> None:
    audit = pd.read_csv(args.file, dtype={"doc_id": str}, keep_default_na=False)
    corpus = read_corpus(audit["corpus"].iloc[0], args.data)
    texts = dict(zip(corpus["doc_id"], corpus["text"]))
    windows = []
    for row in audit.itertuples():
        text, start = texts.get(row.doc_id, ""), int(row.start)
        end = start + len(row.surface)
        windows.append(context(text, start, end) if text[start:end] == row.surface else "(moved)")
    audit.assign(context=windows).to_csv(sys.stdout, index=False)


def names(args: argparse.Namespace) -> None:
    corpus = read_corpus(args.corpus, args.data).iloc[::args.every]
    found = unknown_names(corpus, min_count=args.min_count)
    found[["name", "count", "n_docs"]].to_csv(args.out, index=False)
    print(f"{len(found)} names of {len(corpus)} articles written to {args.out}")


def names_diff(args: argparse.Namespace) -> None:
    before = pd.read_csv(args.before, keep_default_na=False).set_index("name")["count"].rename("before")
    after = pd.read_csv(args.after, keep_default_na=False).set_index("name")["count"].rename("after")
    both = pd.concat([before, after], axis=1).astype("Int64")
    moved = both[both["before"].fillna(-1) != both["after"].fillna(-1)]
    print(f"{len(before)} names before, {len(after)} after; {len(moved)} moved: "
          f"{moved['after'].isna().sum()} gone, {moved['before'].isna().sum()} new", file=sys.stderr)
    gone = moved[moved["before"].notna()].sort_values("before", ascending=False, kind="stable").head(args.top)
    gone.rename_axis("name").reset_index().assign(verdict="", reason="").to_csv(sys.stdout, index=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    draw = commands.add_parser("sample", help="draw mentions to read")
    draw.add_argument("--corpus", choices=["fang-covid", "headlines"], required=True)
    draw.add_argument("--data", type=Path, required=True)
    draw.add_argument("--per-type", type=int, default=100)
    draw.add_argument("--seed", type=int, default=1)
    draw.add_argument("--exclude", type=Path, nargs="*", default=[], help="earlier samples: their mentions are not drawn")
    draw.add_argument("--out", type=Path, required=True)
    draw.set_defaults(func=sample)
    rate = commands.add_parser("score", help="precision per corpus and entity type")
    rate.add_argument("files", type=Path, nargs="+")
    rate.set_defaults(func=score)
    read = commands.add_parser("context", help="the sample with each mention in a short window of its text")
    read.add_argument("file", type=Path)
    read.add_argument("--data", type=Path, required=True)
    read.set_defaults(func=show_context)
    listed = commands.add_parser("names", help="the frequent names the table lacks, on every n-th article")
    listed.add_argument("--corpus", choices=["fang-covid", "headlines"], required=True)
    listed.add_argument("--data", type=Path, required=True)
    listed.add_argument("--every", type=int, default=1)
    listed.add_argument("--min-count", type=int, default=3)
    listed.add_argument("--out", type=Path, required=True)
    listed.set_defaults(func=names)
    compared = commands.add_parser("names-diff", help="names whose count moved between two lists, to read")
    compared.add_argument("before", type=Path)
    compared.add_argument("after", type=Path)
    compared.add_argument("--top", type=int, default=30)
    compared.set_defaults(func=names_diff)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
