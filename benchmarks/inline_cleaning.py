"""Check the cleaning rules on corpora they were not written for, as stored and with all line breaks removed.

Writes a seeded sample of a JSON Lines corpus (and the same sample with every line break of the
texts replaced by a space) to a temporary folder, loads and cleans each, and prints: articles,
articles that lost more than half their words (``heavily_cleaned``), articles left empty that had
body text (20 words or more), stubs flagged, removals cut out of a line by rule, and a seeded
sample of those in-line removals with their context, to be read by hand.

Usage::

    python benchmarks/inline_cleaning.py --corpus ../shared/bench/fang-covid.jsonl.xz --n 4000
    python benchmarks/inline_cleaning.py --corpus ../shared/frontpage-2026/headlines.jsonl.xz --headlines
    python benchmarks/inline_cleaning.py --corpus ../shared/bench/fang-covid.jsonl.xz --n 4000 --rules byline disclaimer
"""
from __future__ import annotations

import argparse
import json
import lzma
import random
import re
import tempfile
import warnings
from collections import Counter
from pathlib import Path

from analysis import load_corpus
from analysis.clean import heavily_cleaned, normalize_unicode

BODY_WORDS = 20  # an article of this many raw words or more has body text
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")


def read_sample(path: Path, n: int | None, seed: int, headlines: bool) -> list[dict]:
    """Read the records of a JSON Lines file (``.xz`` or plain); a seeded sample of ``n`` of them if given."""
    with (lzma.open if path.suffix == ".xz" else open)(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    if headlines:  # title and teaser, as the corpus's README says
        records = [{"id": i, "source": r["outlet"], "text": f"{r['title']}\n\n{r.get('teaser') or ''}".strip()}
                   for i, r in enumerate(records)]
    if n is not None and n < len(records):
        records = random.Random(seed).sample(records, n)
    return records


def summarise(records: list[dict], folder: Path, name: str, n_examples: int, seed: int,
              rules: set[str] | None = None) -> dict:
    """Load and clean ``records``; print and return what cleaning did to them.

    ``rules``, if given, limits the printed examples to in-line removals by these rules.
    """
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus(path, n_jobs=1)
    raw_words = corpus["raw_text"].str.split().str.len()
    inline = Counter()
    examples = []
    for doc_id, raw, removals in zip(corpus["doc_id"], corpus["raw_text"], corpus["removed"]):
        lines = normalize_unicode(raw).split("\n")
        for removal in removals:
            line = " ".join(lines[removal["line"]].split())
            if removal["text"] != line:  # a piece of a line, not the whole line
                inline[removal["rule"]] += 1
                start = removal["start"]
                context = f"{line[max(0, start - 60):start]}[[{removal['text']}]]{line[start + len(removal['text']):][:60]}"
                if rules is None or removal["rule"] in rules:
                    examples.append((removal["rule"], doc_id, context))
    heavy = heavily_cleaned(corpus)
    result = {
        "articles": len(corpus),
        "lost more than half": len(heavy),
        "lost more than half, by rule": dict(Counter(heavy["rule"]).most_common()),
        "left empty with body text": int(((corpus["n_words"] == 0) & (raw_words >= BODY_WORDS)).sum()),
        "left empty": int((corpus["n_words"] == 0).sum()),
        "stubs": int(corpus["is_stub"].sum()),
        "duplicates": int(corpus["is_duplicate"].sum()),
        "in-line removals by rule": dict(inline.most_common()),
    }
    print(f"== {name}")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    for rule, doc_id, context in random.Random(seed).sample(examples, min(n_examples, len(examples))):
        print(f"  {rule:14} {doc_id:>10}  {context}")
    for row in corpus[corpus["is_stub"]].head(n_examples).itertuples():
        print(f"  stub {row.doc_id:>10}  {row.text[:160]!r}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--n", type=int, default=None, help="a seeded sample of this many articles")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--headlines", action="store_true", help="records of frontpage-2026: title and teaser")
    parser.add_argument("--examples", type=int, default=40, help="in-line removals printed to be read")
    parser.add_argument("--rules", nargs="+", default=None, help="print examples of these rules only")
    args = parser.parse_args()
    rules = set(args.rules) if args.rules else None
    records = read_sample(args.corpus, args.n, args.seed, args.headlines)
    flat = [{**r, "text": _LINE_BREAKS.sub(" ", r["text"])} for r in records]
    with tempfile.TemporaryDirectory() as folder:
        summarise(records, Path(folder), "as-stored", args.examples, args.seed, rules)
        summarise(flat, Path(folder), "no-line-breaks", args.examples, args.seed, rules)


if __name__ == "__main__":
    main()
