#!/usr/bin/env python3
"""Build a corpus N times FANG-COVID whose copies do not repeat one another, outside the project.

Copy 0 is the corpus as it is (its ids written as strings); copy c = 1 … N-1 of every article gets

* a new id (``<id>~<c>``) and a date ``c`` × 366 days later (so counts per month spread out),
* its sentences shuffled within each line of at least twelve words (a shuffle seeded by the
  copy and the article, the same on every run and machine),
* a few common words exchanged for others of the same use (``sagte`` → ``erklärte`` …), a
  different set in each copy,
* and, where all of that left the text as it was or equal to an earlier copy (a one-sentence
  text without those words), two neighbouring words of its first line swapped, tried until it
  is new.

Lines of fewer than twelve words (headers, sign-offs, promotions, link blocks) stay as they
are, so that cleaning still finds and learns them; repeats inside FANG-COVID stay repeats
within each copy, so that duplicate detection has the same work in every copy. The script
checks that no text of a copy equals a text of another copy of a different article or of
another copy of the same one (it prints how many distinct texts it wrote).

Usage (from the project root; the corpus is large, write it outside the project)::

    .venv/bin/python benchmarks/big_corpus.py --source ../shared/bench/fang-covid.jsonl.xz \\
        --copies 10 --out /tmp/big/fang-x10.jsonl
    .venv/bin/python benchmarks/big_corpus.py --source ../shared/bench/fang-covid.jsonl.xz \\
        --copies 3 --out /tmp/big/fang-x3.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import random
import re
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MIN_WORDS = 12
# Pairs of words of the same use; copy c exchanges the pairs c, c+3, c+6 … (both ways).
SWAPS = [("sagte", "erklärte"), ("Menschen", "Leute"), ("jedoch", "allerdings"), ("bereits", "schon"),
         ("etwa", "ungefähr"), ("wichtig", "bedeutend"), ("Regierung", "Staatsführung"), ("zeigen", "belegen"),
         ("aktuell", "derzeit"), ("Bürger", "Einwohner"), ("deutlich", "klar"), ("heute", "gegenwärtig"),
         ("Experten", "Fachleute"), ("gibt", "existiert"), ("Woche", "Kalenderwoche"), ("Land", "Staat"),
         ("außerdem", "zudem"), ("sollen", "müssen"), ("Zahl", "Anzahl"), ("neue", "frische"),
         ("möglich", "denkbar"), ("schnell", "rasch"), ("beispielsweise", "zum Beispiel"), ("wurde", "ward")]
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[„\"A-ZÄÖÜ])")


def open_text(path: Path):
    return lzma.open(path, "rt", encoding="utf-8") if path.suffix == ".xz" else open(path, encoding="utf-8")


def swapper(copy: int):
    """Return a function exchanging the words of this copy's pairs, and its pattern."""
    pairs = SWAPS[copy % 3::3]
    table = {a: b for a, b in pairs} | {b: a for a, b in pairs}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(table, key=len, reverse=True))) + r")\b")
    return lambda text: pattern.sub(lambda m: table[m.group(1)], text)


def shuffled(text: str, rng: random.Random) -> str:
    """Shuffle the sentences of each line of at least :data:`MIN_WORDS` words."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if len(line.split()) >= MIN_WORDS:
            sentences = _SENTENCE.split(line)
            if len(sentences) > 1:
                rng.shuffle(sentences)
                lines[number] = " ".join(sentences)
    return "\n".join(lines)


def swap_neighbours(text: str, rng: random.Random, seen: set) -> str:
    """Swap two neighbouring words of the first line of two words or more until the text is not in ``seen``."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        words = line.split(" ")
        if len(words) < 2:
            continue
        for position in rng.sample(range(len(words) - 1), len(words) - 1):
            changed = words[:position] + [words[position + 1], words[position]] + words[position + 2:]
            candidate = "\n".join(lines[:number] + [" ".join(changed)] + lines[number + 1:])
            if digest(candidate) not in seen:
                return candidate
    return text


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).digest()


def shifted(date: object, days: int) -> object:
    if not isinstance(date, str) or not date:
        return date
    try:
        return (datetime.fromisoformat(date) + timedelta(days=days)).isoformat()
    except ValueError:
        return date


def build(source: Path, copies: int, out: Path) -> dict:
    started = time.perf_counter()
    with open_text(source) as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    originals = {digest(r["text"]) for r in records if isinstance(r.get("text"), str)}
    seen = set(originals)  # every text written so far (copy 0: the corpus's own, repeats included)
    n_written, n_swapped = 0, 0
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".partial")
    with open(temporary, "w", encoding="utf-8") as target:
        for record in records:  # ids as strings in every copy, so that a reader finds one type per column
            target.write(json.dumps({**record, "id": str(record.get("id"))}, ensure_ascii=False) + "\n")
        n_written += len(records)
        for copy in range(1, copies):
            swap = swapper(copy)
            written = {}  # the texts of this copy: a repeat of FANG-COVID stays a repeat within the copy
            for record in records:
                text = record.get("text")
                if isinstance(text, str):
                    original = digest(text)
                    if original in written:
                        new = written[original]
                    else:
                        rng = random.Random(f"{copy}:{record.get('id')}")
                        new = swap(shuffled(text, rng))
                        if digest(new) in seen:
                            new = swap_neighbours(new, rng, seen)
                            n_swapped += 1
                        written[original] = new
                        seen.add(digest(new))
                    text = new
                target.write(json.dumps({**record, "id": f"{record.get('id')}~{copy}", "text": text,
                                         "date": shifted(record.get("date"), 366 * copy)}, ensure_ascii=False) + "\n")
                n_written += 1
    temporary.replace(out)
    return {"articles": n_written, "distinct_texts": len(seen), "distinct_in_source": len(originals),
            "neighbour_swaps": n_swapped, "bytes": out.stat().st_size, "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="FANG-COVID as JSON Lines (.jsonl or .jsonl.xz)")
    parser.add_argument("--copies", type=int, default=10, help="how many times the corpus (default 10)")
    parser.add_argument("--out", type=Path, required=True, help="the .jsonl file to write, outside the project")
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(PROJECT):
        parser.error(f"--out {args.out} lies inside the project: corpus data is never written there")
    if args.copies < 1:
        parser.error("--copies must be at least 1")
    print(json.dumps(build(args.source, args.copies, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
