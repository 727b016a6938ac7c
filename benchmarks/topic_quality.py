"""Benchmark topic clustering: quality against human labels, time and memory at size.

Quality mode compares ``analysis.topics.cluster_documents`` defaults with the
settings of scikit-learn's text-clustering example (``TfidfVectorizer(max_df=0.5,
min_df=5)``, LSA with 100 components + Normalizer, ``KMeans(max_iter=100,
n_init=1)``) on a labelled German news corpus in 10kGNAD format (``label;'text'``
lines, quote character ``'``), with k = number of categories, over several seeds,
and prints NMI and ARI::

    python benchmarks/topic_quality.py --data /tmp/10kgnad_test_part.csv --seeds 5

Scale mode clusters a JSONL(.xz) corpus such as FANG-COVID at k=13 and prints
wall-clock time per stage and peak memory (the corpus is read, never copied)::

    python benchmarks/topic_quality.py --scale ../shared/bench/fang-covid.jsonl.xz --k 13
"""
from __future__ import annotations

import argparse
import json
import logging
import lzma
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from analysis.text import make_analyzer
from analysis.topics import cluster_documents


def read_labelled(path: Path) -> pd.DataFrame:
    """Read a 10kGNAD-style file into ``doc_id, label, text``."""
    frame = pd.read_csv(path, sep=";", quotechar="'", header=None, names=["label", "text"], dtype=str)
    frame = frame.dropna().reset_index(drop=True)
    frame.insert(0, "doc_id", [f"d{i:05d}" for i in range(len(frame))])
    return frame


def sklearn_example(texts: list[str], k: int, seed: int, n_init: int = 1) -> np.ndarray:
    """Cluster like scikit-learn's "Clustering text documents using k-means" example (LSA variant)."""
    tfidf = TfidfVectorizer(max_df=0.5, min_df=5).fit_transform(texts)
    lsa = make_pipeline(TruncatedSVD(n_components=min(100, tfidf.shape[1] - 1), random_state=seed), Normalizer(copy=False))
    reduced = lsa.fit_transform(tfidf)
    return KMeans(n_clusters=k, max_iter=100, n_init=n_init, random_state=seed).fit(reduced).labels_


def ours(corpus: pd.DataFrame, k: int, seed: int, **options) -> np.ndarray:
    """Cluster with the library's defaults (plus any overridden options)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return cluster_documents(corpus, n_clusters=k, random_state=seed, **options).labels


def quality(data: Path, seeds: int, k: int | None) -> pd.DataFrame:
    """Score every method over ``seeds`` seeds and return the summary table."""
    corpus = read_labelled(data)
    truth = corpus["label"].to_numpy()
    k = k or corpus["label"].nunique()
    print(f"{len(corpus)} articles, {corpus['label'].nunique()} categories, k = {k}, "
          f"{corpus['text'].str.len().mean():.0f} characters per article on average")
    texts = corpus["text"].tolist()
    methods = {
        "sklearn example (LSA 100, n_init=1)": lambda s: sklearn_example(texts, k, s),
        "sklearn example, n_init=10": lambda s: sklearn_example(texts, k, s, n_init=10),
        "ours: defaults": lambda s: ours(corpus, k, s),
        "ours: no stemming": lambda s: ours(corpus, k, s, analyzer=make_analyzer(stem=False)),
        "ours: no stopword list": lambda s: ours(corpus, k, s, analyzer=make_analyzer(remove_stopwords=False)),
    }
    rows = []
    for name, method in methods.items():
        for seed in range(seeds):
            start = time.perf_counter()
            labels = method(seed)
            rows.append({"method": name, "seed": seed, "seconds": time.perf_counter() - start,
                         "NMI": normalized_mutual_info_score(truth, labels),
                         "ARI": adjusted_rand_score(truth, labels)})
    scores = pd.DataFrame(rows)
    summary = scores.groupby("method", sort=False).agg(
        NMI_mean=("NMI", "mean"), NMI_sd=("NMI", "std"), ARI_mean=("ARI", "mean"), ARI_sd=("ARI", "std"),
        seconds_per_run=("seconds", "median"),
    )
    return summary.round(3)


def read_jsonl(path: Path) -> pd.DataFrame:
    """Read ``id, source, text`` from a JSONL file (optionally .xz-compressed)."""
    opener = lzma.open if path.suffix == ".xz" else open
    rows = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            rows.append((str(record["id"]), record.get("source"), record.get("text") or ""))
    return pd.DataFrame(rows, columns=["doc_id", "source", "text"])


def scale(path: Path, k: int) -> None:
    """Time ``cluster_documents`` on a large corpus and report peak memory."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stdout)
    start = time.perf_counter()
    corpus = read_jsonl(path)
    loaded = time.perf_counter()
    print(f"read {len(corpus)} articles, {corpus['text'].str.len().sum() / 1e6:.0f} M characters "
          f"in {loaded - start:.1f} s")
    result = cluster_documents(corpus, n_clusters=k)
    done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cluster_documents: {done - loaded:.1f} s ({result.method}); peak RSS {peak_mb:.0f} MB "
          "(including the corpus held in memory)")
    print("\n".join(result.notes))
    sizes = result.sizes
    for cluster, label in result.cluster_labels(6).items():
        print(f"  {cluster:2d} ({sizes[cluster]:5d} articles): {label}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--data", type=Path, help="labelled corpus in 10kGNAD format (label;'text')")
    mode.add_argument("--scale", type=Path, help="JSONL(.xz) corpus with id, source, text for timing")
    parser.add_argument("--seeds", type=int, default=5, help="random seeds per method (quality mode)")
    parser.add_argument("--k", type=int, default=None, help="clusters (default: number of categories; 13 at scale)")
    args = parser.parse_args(argv)
    if args.data is not None:
        print(quality(args.data, args.seeds, args.k).to_string())
    else:
        scale(args.scale, args.k or 13)


if __name__ == "__main__":
    main()
