"""Count what each mention rule of issue 21 removes, and what the rules cost, on corpora they were not written for.

Modes (each ``--corpus NAME=PATH[@N/SEED]`` is a JSON Lines file: articles with ``text`` are
loaded and cleaned with ``load_corpus`` after drawing N of them with the seed; items with
``title`` and ``teaser``, such as the frontpage headlines, are read as they are, title and teaser
joined by a blank line):

``removed``  for each rule, the mentions it removes (or marks as datelines), with a sample of 40
             per rule and corpus written to ``--samples`` for reading by hand;
``lower``    person mentions written in lower case (0 with the rules; run it with the code before
             them on the path to see what they removed);
``speed``    CPU seconds of ``find_mentions`` with the default table (best of three calls in one
             process, after compiling the table); run it alternately with the code before and after.

The check table is the default table plus a few entities that the rules are about (persons whose
surnames are German words, Austria and Vienna, big cities), and ``units: [Zoll]`` for the tariffs.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import articles_for_analysis, load_corpus
from analysis import mentions as M
from analysis.mentions.entities import _RULE_COMMON_WORD, _RULE_PLACE, _RULE_TEAM_PLACE, _RULE_UNIT
from analysis.mentions.matching import _after_first_name, _in_title_quotes

CHECK_ENTITIES = [
    dict(id="sebastian_kurz", name="Sebastian Kurz", type="person", aliases=["Sebastian Kurz", "Kurz"]),
    dict(id="helge_braun", name="Helge Braun", type="person", aliases=["Helge Braun", "Braun"]),
    dict(id="hubertus_heil", name="Hubertus Heil", type="person", aliases=["Hubertus Heil", "Heil"]),
    dict(id="stephan_weil", name="Stephan Weil", type="person", aliases=["Stephan Weil", "Weil"]),
    dict(id="austria", name="Österreich", type="country", aliases=["Österreich", "Austria"]),
] + [dict(id=f"city_{i}", name=name, type="place", aliases=[name]) for i, name in enumerate(
    "Wien London Paris München Hamburg Köln Madrid Rom Mailand Frankfurt Dortmund Leipzig Bremen Basel Zürich "
    "Manchester".split())]


def check_table(with_units: bool) -> M.Gazetteer:
    entries = [e.to_dict() for e in M.Gazetteer.default()]
    for entry in entries:
        if with_units and entry["id"] == "tariffs":
            entry["units"] = ["Zoll"]
    known = {entry["id"] for entry in entries} | {alias for entry in entries for alias in entry.get("aliases", [])}
    extra = [e for e in CHECK_ENTITIES if e["id"] not in known and not known & set(e["aliases"])]  # not in the table yet
    return M.Gazetteer(entries + extra, source="default table + check entities")


def read(spec: str) -> pd.DataFrame:
    path, _, sample = spec.partition("@")
    raw = pd.read_json(path, lines=True)
    if {"title", "teaser"} <= set(raw.columns):
        text = raw["title"].fillna("") + "\n\n" + raw["teaser"].fillna("")
        return pd.DataFrame({"doc_id": range(len(raw)), "text": text})
    if sample:
        n, seed = (int(x) for x in sample.split("/"))
        raw = raw.sample(n, random_state=seed)
    with tempfile.TemporaryDirectory() as folder:
        part = Path(folder) / "sample.jsonl"
        raw.to_json(part, orient="records", lines=True, force_ascii=False)
        corpus, _ = articles_for_analysis(load_corpus(part))
    return corpus


def context(text: str, start: int, end: int) -> str:
    return f"{text[max(0, start - 50):start]!r} >>{text[start:end]}<< {text[end:end + 50]!r}"


def removed(corpora: dict[str, pd.DataFrame], samples: Path) -> pd.DataFrame:
    gaz = check_table(with_units=True)
    comp = gaz._compile()
    all_rules = list(comp.key_rules)

    def run(corpus: pd.DataFrame, mask: int) -> pd.DataFrame:
        comp.key_rules = [r & ~mask for r in all_rules]
        try:
            return M.find_mentions(corpus, gaz, n_jobs=1)
        finally:
            comp.key_rules = all_rules

    rows = []
    samples.mkdir(parents=True, exist_ok=True)
    for name, corpus in corpora.items():
        texts = dict(zip(corpus["doc_id"], corpus["text"]))
        full = run(corpus, 0)
        kept = set(zip(full["doc_id"], full["start"], full["end"]))
        parts = {"dateline (form='dateline')": full[full["form"] == "dateline"]}
        for rule, bit in [("unit after a number", _RULE_UNIT), ("place standing for its team", _RULE_TEAM_PLACE),
                          ("place", _RULE_PLACE), ("sentence-initial common word", _RULE_COMMON_WORD)]:
            without = run(corpus, bit)
            gone = without[[k not in kept for k in zip(without["doc_id"], without["start"], without["end"])]]
            if bit == _RULE_PLACE:  # all place rules: tell title quotes and club names apart, the team rule is above
                team = set(zip(parts["place standing for its team"]["doc_id"], parts["place standing for its team"]["start"]))
                gone = gone[[k not in team for k in zip(gone["doc_id"], gone["start"])]]
                quoted = np.array([_in_title_quotes(texts[d], s, e)
                                   for d, s, e in zip(gone["doc_id"], gone["start"], gone["end"])], dtype=bool)
                person = np.array([_after_first_name(texts[d], s) for d, s in zip(gone["doc_id"], gone["start"])],
                                  dtype=bool) & ~quoted
                parts["place in title quotes"] = gone[quoted]
                parts["place after a first name (a person)"] = gone[person]
                parts["place in a club, race, medium or company name"] = gone[~quoted & ~person]
            else:
                parts[rule] = gone
        with open(samples / f"{name}.txt", "w", encoding="utf-8") as out:
            for rule, part in parts.items():
                rows.append((name, rule, len(part), int((full["form"] == "name").sum())))
                out.write(f"\n===== {name}: {rule}: {len(part)} =====\n")
                for r in part.sample(min(40, len(part)), random_state=1).itertuples():
                    out.write(f"[{r.entity_id}] {context(texts[r.doc_id], r.start, r.end)}\n")
    return pd.DataFrame(rows, columns=["corpus", "rule", "mentions", "name mentions counted"])


def lower(corpora: dict[str, pd.DataFrame]) -> pd.DataFrame:
    gaz = check_table(with_units=False)
    rows = []
    for name, corpus in corpora.items():
        found = M.find_mentions(corpus, gaz, n_jobs=1)
        persons = found[found["type"] == "person"]
        rows.append((name, len(persons), int(persons["surface"].str.islower().sum())))
    return pd.DataFrame(rows, columns=["corpus", "person mentions", "in lower case"])


def speed(path: str) -> str:
    corpus = read(path)
    gaz = M.Gazetteer.default()
    M.find_mentions(corpus.head(50), gaz, n_jobs=1)  # compile the table (and read the lexicon) first
    times = []
    for _ in range(3):
        start = time.process_time()
        found = M.find_mentions(corpus, gaz, n_jobs=1)
        times.append(time.process_time() - start)
    return f"{min(times):.3f} s CPU (calls: {', '.join(f'{t:.3f}' for t in times)}), {len(found)} mentions"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["removed", "lower", "speed"])
    parser.add_argument("--corpus", action="append", required=True,
                        help="NAME=PATH[@N/SEED] (repeat); speed uses the first")
    parser.add_argument("--samples", default="/tmp/mention_rules", help="folder for the samples to read")
    args = parser.parse_args()
    paths = dict(item.split("=", 1) for item in args.corpus)
    if args.mode == "speed":
        print(speed(next(iter(paths.values()))))
        return
    corpora = {name: read(path) for name, path in paths.items()}
    table = removed(corpora, Path(args.samples)) if args.mode == "removed" else lower(corpora)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
