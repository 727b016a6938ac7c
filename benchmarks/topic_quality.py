"""Benchmark topic clustering: quality against labels, stability over seeds, time and memory at size.

Quality mode builds seeded, labelled samples from the corpora at hand and clusters
each with k = the number of labels, over several seeds, comparing the library's
``cluster_documents`` with the settings of scikit-learn's text-clustering example
(``TfidfVectorizer(max_df=0.5, min_df=5)``, LSA with 100 components + Normalizer,
``KMeans(max_iter=100, n_init=1)``) and with variants the field uses (sublinear tf,
LSA dimensions, the squared IDF that the library uses, NMF, bigrams, lemmas from simplemma where installed, a consensus of
k-means restarts by co-association). It prints, per
labelled set and method, the mean and spread of NMI and ARI over the seeds, their
ratio to the example's means of the same run, and the mean pairwise ARI between the
seeds' partitions::

    python benchmarks/topic_quality.py --fang ../shared/bench/fang-covid.jsonl.xz \
        --frontpage ../shared/frontpage-2026/headlines.jsonl.xz --seeds 5

The labelled sets (each a seeded sample, cleaned by the library where the texts are
full articles, repeats and emptied texts left out):

* ``fang-sections``: full articles of zeit.de, tagesspiegel.de and sueddeutsche.de in
  FANG-COVID, labelled by the newsroom section in the first segment of their URL
  (politik, wirtschaft, kultur, sport, wissen). A topic label set by the outlets' editors.
* ``fang-outlets``: full articles of all 13 FANG-COVID outlets, labelled by outlet. A weak
  label: it tests whether clusters follow house style and agenda, not topic.
* ``frontpage-sections``: headline + teaser of frontpage-2026 items, labelled by section
  (sport incl. fussball, politik, wirtschaft, wissen, kultur incl. feuilleton, panorama).
  Short texts; sections are named differently by the outlets, so the label is noisy.

What outlet labels can show (sections against outlets, the outlet NMI before and after cleaning, what a
classifier of outlets picks up)::

    python benchmarks/topic_quality.py --fang ../shared/bench/fang-covid.jsonl.xz \
        --frontpage ../shared/frontpage-2026/headlines.jsonl.xz --outlet-signal --seeds 3

How much the ratio to the example depends on the sample and on the example's seed (``fang-sections`` only,
the library over five seeds, the example over twenty, sample seeds 0 to 5)::

    python benchmarks/topic_quality.py --fang ../shared/bench/fang-covid.jsonl.xz \
        --ratio-samples 0 1 2 3 4 5 --seeds 5 --example-seeds 20

A labelled file in 10kGNAD format (``label;'text'`` lines) is read with ``--data``.

Scale mode clusters a JSONL(.xz) corpus such as FANG-COVID at k=13 and prints
wall-clock time and peak memory (the corpus is read, never copied)::

    python benchmarks/topic_quality.py --scale ../shared/bench/fang-covid.jsonl.xz --k 13
"""
from __future__ import annotations

import argparse
import inspect
import itertools
import json
import logging
import lzma
import resource
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, adjusted_rand_score, normalized_mutual_info_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer, normalize

from analysis.clean import clean_corpus
from analysis.load import articles_for_analysis
from analysis.text import count_terms, german_stopwords, make_analyzer, tokenize
from analysis.topics import N_SEEDS, cluster_documents

FANG_SECTIONS = {"politik", "wirtschaft", "kultur", "sport", "wissen"}
FANG_SECTION_OUTLETS = {"zeit.de", "tagesspiegel.de", "sueddeutsche.de"}
FRONTPAGE_SECTIONS = {"sport": "sport", "fussball": "sport", "politik": "politik", "wirtschaft": "wirtschaft",
                      "wissen": "wissen", "kultur": "kultur", "feuilleton": "kultur", "panorama": "panorama"}


# ----------------------------------------------------------------------------- labelled sets


def read_jsonl(path: Path) -> pd.DataFrame:
    """Read every JSON line of a (optionally .xz-compressed) file into a frame."""
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return pd.DataFrame([json.loads(line) for line in handle])


def _sample(frame: pd.DataFrame, per_label: int, seed: int) -> pd.DataFrame:
    """Draw up to ``per_label`` rows of each label, seeded, in a stable order."""
    parts = [group.sample(min(len(group), per_label), random_state=seed) for _, group in frame.groupby("label")]
    return pd.concat(parts).sort_index().reset_index(drop=True)


def _cleaned(frame: pd.DataFrame) -> pd.DataFrame:
    """Clean full articles with the library, leave out repeats and emptied texts, keep the label."""
    raw = pd.DataFrame({"doc_id": frame["doc_id"], "source": frame["source"], "raw_text": frame["text"],
                        "title": frame.get("title"), "label": frame["label"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles, left_out = articles_for_analysis(clean_corpus(raw, n_jobs=1))
    print(f"  cleaned: {left_out}")
    return articles[["doc_id", "source", "label", "text", "raw_text"]]


def read_fang(path: Path) -> pd.DataFrame:
    """Read FANG-COVID with ``doc_id`` and the newsroom section of each URL (its first path segment) as ``section``."""
    fang = read_jsonl(path)
    fang = fang.assign(doc_id=fang["id"].astype(str), text=fang["text"].fillna(""))
    first_segment = fang["url"].fillna("").map(lambda url: (urlparse(url).path.strip("/").split("/") or [""])[0])
    return fang.assign(section=first_segment)


def fang_section_set(fang: pd.DataFrame, per_section: int, seed: int) -> pd.DataFrame:
    """Return the ``fang-sections`` sample of :func:`read_fang`'s frame, cleaned."""
    sections = fang[fang["source"].isin(FANG_SECTION_OUTLETS) & fang["section"].isin(FANG_SECTIONS)]
    return _cleaned(_sample(sections.assign(label=sections["section"]), per_section, seed))


def fang_sets(path: Path, per_section: int, per_outlet: int, seed: int) -> dict[str, pd.DataFrame]:
    """Return the two labelled samples of FANG-COVID (sections from URLs, outlets)."""
    fang = read_fang(path)
    outlets = _sample(fang.assign(label=fang["source"]), per_outlet, seed)
    return {"fang-sections": fang_section_set(fang, per_section, seed), "fang-outlets": _cleaned(outlets)}


def frontpage_set(path: Path, per_section: int, seed: int) -> pd.DataFrame:
    """Return a labelled sample of frontpage-2026 items: headline and teaser, by section (not cleaned: no boilerplate)."""
    items = read_jsonl(path)
    items = items[items["section"].isin(FRONTPAGE_SECTIONS)]
    items = items.assign(label=items["section"].map(FRONTPAGE_SECTIONS), source=items["outlet"],
                         doc_id=[f"f{i}" for i in items.index],
                         text=(items["title"].fillna("") + "\n\n" + items["teaser"].fillna("")).str.strip())
    items = _sample(items, per_section, seed).drop_duplicates("text").reset_index(drop=True)
    return items[["doc_id", "source", "label", "text"]]


def read_labelled(path: Path) -> pd.DataFrame:
    """Read a 10kGNAD-style file (``label;'text'``) into ``doc_id, label, text``."""
    frame = pd.read_csv(path, sep=";", quotechar="'", header=None, names=["label", "text"], dtype=str)
    frame = frame.dropna().reset_index(drop=True)
    frame.insert(0, "doc_id", [f"d{i:05d}" for i in range(len(frame))])
    return frame


# ----------------------------------------------------------------------------- methods


def sklearn_example(texts: list[str], k: int, seed: int) -> np.ndarray:
    """Cluster like scikit-learn's "Clustering text documents using k-means" example (LSA variant)."""
    tfidf = TfidfVectorizer(max_df=0.5, min_df=5).fit_transform(texts)
    lsa = make_pipeline(TruncatedSVD(n_components=min(100, tfidf.shape[1] - 1), random_state=seed),
                        Normalizer(copy=False))
    return KMeans(n_clusters=k, max_iter=100, n_init=1, random_state=seed).fit(lsa.fit_transform(tfidf)).labels_


def library(corpus: pd.DataFrame, k: int, seed: int, **options) -> np.ndarray:
    """Cluster with ``cluster_documents`` (the library on the path: before or after a change)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return cluster_documents(corpus, n_clusters=k, random_state=seed, **options).labels


def _tfidf(matrix, min_df: int = 5, max_df: float = 0.5, sublinear: bool = True, squared_idf: bool = False):
    """Prune a count matrix like the example (min_df documents, max_df share) and weight it by TF-IDF.

    With ``squared_idf``, each term is weighted by its IDF once more and the rows are l2-normalised again.
    """
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = np.flatnonzero((frequency >= min_df) & (frequency <= max_df * matrix.shape[0]))
    transformer = TfidfTransformer(sublinear_tf=sublinear)
    tfidf = transformer.fit_transform(matrix[:, keep].astype(float))
    return normalize(tfidf.multiply(transformer.idf_[None, :]).tocsr()) if squared_idf else tfidf


def lsa_kmeans(tfidf, k: int, seed: int, dims: int, n_init: int = 10) -> np.ndarray:
    """Spherical k-means on l2-normalised LSA: the library's path with fixed dimensions."""
    reduced = normalize(TruncatedSVD(n_components=min(dims, tfidf.shape[1] - 1), random_state=seed).fit_transform(tfidf))
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(reduced).labels_


def consensus_kmeans(tfidf, k: int, seed: int, dims: int, starts: int = 30) -> np.ndarray:
    """Cut the co-association of ``starts`` single-start k-means fits on LSA by average linkage (Fred & Jain 2005).

    Two texts are as far apart as the share of fits that separate them; the memory is quadratic in the texts.
    """
    reduced = normalize(TruncatedSVD(n_components=min(dims, tfidf.shape[1] - 1), algorithm="arpack",
                                     random_state=0).fit_transform(tfidf))
    together = np.zeros((reduced.shape[0], reduced.shape[0]), dtype=np.float32)
    for start in range(starts):
        labels = KMeans(n_clusters=k, n_init=1, random_state=seed * starts + start).fit(reduced).labels_
        together += labels[:, None] == labels[None, :]
    distance = 1 - together / starts
    return AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average").fit(distance).labels_


def nmf_topics(tfidf, k: int, seed: int) -> np.ndarray:
    """Assign each text to its heaviest NMF component (k components, NNDSVDa start)."""
    weights = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400).fit_transform(tfidf)
    return weights.argmax(axis=1)


def lemma_analyzer():
    """Return a text -> lemmas analyzer with simplemma (German), or None if simplemma is not installed."""
    try:
        import simplemma
    except ImportError:
        return None
    stop = german_stopwords()

    def lemmas(text: str) -> list[str]:
        words = (w for w in tokenize(text) if any(ch.isalpha() for ch in w) and len(w) > 1)
        return [lemma.casefold() for lemma in (simplemma.lemmatize(w, lang="de") for w in words)
                if lemma.casefold() not in stop]

    return lemmas


def methods(corpus: pd.DataFrame, k: int, library_only: bool = False) -> dict:
    """Return the methods to compare: name -> function of the seed (the example and the library only, if asked)."""
    texts = corpus["text"].tolist()
    table = {
        "scikit-learn example (LSA 100, n_init=1)": lambda s: sklearn_example(texts, k, s),
        "library defaults": lambda s: library(corpus, k, s),
    }
    if "n_seeds" in inspect.signature(cluster_documents).parameters:
        table["library, one seed (n_seeds=1)"] = lambda s: library(corpus, k, s, n_seeds=1)
    if library_only:
        return table
    stems, _ = count_terms(texts, make_analyzer(), n_jobs=1)
    stem_tfidf = _tfidf(stems)
    bigram_tfidf = TfidfVectorizer(max_df=0.5, min_df=5, sublinear_tf=True, ngram_range=(1, 2),
                                   stop_words=sorted(german_stopwords())).fit_transform(texts)
    for dims in (20, 50, 100, 200):
        table[f"stems, sublinear tf, LSA {dims}, spherical k-means"] = (
            lambda s, dims=dims: lsa_kmeans(stem_tfidf, k, s, dims))
    squared_idf = _tfidf(stems, squared_idf=True)
    for dims in (30, 50):
        table[f"stems, sublinear tf, squared IDF, LSA {dims}, spherical k-means"] = (
            lambda s, dims=dims: lsa_kmeans(squared_idf, k, s, dims))
    table["stems, raw tf, LSA 100, spherical k-means"] = lambda s: lsa_kmeans(_tfidf(stems, sublinear=False), k, s, 100)
    table["stems, sublinear tf, NMF"] = lambda s: nmf_topics(stem_tfidf, k, s)
    table["stems, sublinear tf, LSA 50 (exact), consensus of 30 k-means starts"] = (
        lambda s: consensus_kmeans(stem_tfidf, k, s, 50))
    table["words + bigrams, sublinear tf, LSA 100"] = lambda s: lsa_kmeans(bigram_tfidf, k, s, 100)
    lemmas = lemma_analyzer()
    if lemmas is not None:
        lemma_counts, _ = count_terms(texts, lemmas, n_jobs=1)
        lemma_tfidf = _tfidf(lemma_counts)
        table["lemmas (simplemma), sublinear tf, LSA 100"] = lambda s: lsa_kmeans(lemma_tfidf, k, s, 100)
    return table


def quality(name: str, corpus: pd.DataFrame, seeds: int, library_only: bool = False) -> pd.DataFrame:
    """Score every method on one labelled set over ``seeds`` seeds; return one summary row per method.

    The seeds are 0, ``N_SEEDS``, 2 * ``N_SEEDS``, ...: the library's k-means runs behind one seed
    (``random_state`` to ``random_state + N_SEEDS - 1``) are none of those behind another, as for a user
    who picks another ``random_state``.
    """
    truth = corpus["label"].to_numpy()
    k = corpus["label"].nunique()
    sizes = corpus["label"].value_counts()
    print(f"\n## {name}: {len(corpus)} texts, {k} labels ({sizes.min()}-{sizes.max()} each), k = {k}, "
          f"{corpus['text'].str.len().mean():.0f} characters per text on average; seeds 0, {N_SEEDS} .. {(seeds - 1) * N_SEEDS}")
    rows, between_seeds = [], {}
    for method, run in methods(corpus, k, library_only).items():
        partitions = []
        for seed in range(0, seeds * N_SEEDS, N_SEEDS):
            start = time.perf_counter()
            labels = run(seed)
            partitions.append(labels)
            rows.append({"method": method, "seed": seed, "seconds": time.perf_counter() - start,
                         "NMI": normalized_mutual_info_score(truth, labels), "ARI": adjusted_rand_score(truth, labels)})
        between_seeds[method] = np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(partitions, 2)])
    scores = pd.DataFrame(rows)
    summary = scores.groupby("method", sort=False).agg(
        NMI=("NMI", "mean"), NMI_spread=("NMI", lambda v: v.max() - v.min()), ARI=("ARI", "mean"),
        ARI_spread=("ARI", lambda v: v.max() - v.min()), seconds=("seconds", "median"))
    summary.insert(4, "ARI_between_seeds", pd.Series(between_seeds))
    baseline = summary.iloc[0]
    summary.insert(2, "NMI_ratio", summary["NMI"] / baseline["NMI"])
    summary.insert(5, "ARI_ratio", summary["ARI"] / baseline["ARI"])
    return summary.round(3)


def outlet_signal(sets: dict[str, pd.DataFrame], seeds: int) -> None:
    """Measure what outlet labels can show: how far topics and outlets go together, and what sets outlets apart.

    Prints (1) the NMI of the topic labels (sections) against the outlets on the sets that have both: the NMI
    against outlets that a perfect topic clustering would reach; (2) on ``fang-outlets``, the NMI against
    outlets of the example and the library on the cleaned texts and on the same texts before cleaning; (3) the
    accuracy of a classifier of outlets (logistic regression on the library's TF-IDF, 5-fold cross-validated),
    against one given only the library's topic cluster of each article, and the terms the classifier weighs most.
    """
    for name in ("fang-sections", "frontpage-sections"):
        if name in sets:
            frame = sets[name]
            print(f"\n## {name}: {frame['source'].nunique()} outlets; sections against outlets: "
                  f"NMI {normalized_mutual_info_score(frame['label'], frame['source']):.3f}, "
                  f"ARI {adjusted_rand_score(frame['label'], frame['source']):.3f} "
                  "(a clustering that found the sections exactly would score this against the outlets)")
    if "fang-outlets" not in sets:
        return
    outlets = sets["fang-outlets"]
    truth, k = outlets["label"].to_numpy(), outlets["label"].nunique()
    print(f"\n## fang-outlets: {len(outlets)} articles, {k} outlets, k = {k}; NMI against the outlets, mean of {seeds} seeds")
    for text in ("text", "raw_text"):
        corpus = outlets.assign(text=outlets[text])
        example = np.mean([normalized_mutual_info_score(truth, sklearn_example(corpus["text"].tolist(), k, s))
                           for s in range(seeds)])
        ours = np.mean([normalized_mutual_info_score(truth, library(corpus, k, s)) for s in range(seeds)])
        print(f"  {'cleaned' if text == 'text' else 'raw (before cleaning)':22s} example {example:.3f}, library {ours:.3f}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        result = cluster_documents(outlets, n_clusters=k, random_state=0)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    classifier = LogisticRegression(C=10, max_iter=2000)
    by_terms = cross_val_predict(classifier, result.matrix, truth, cv=folds)
    by_topic = cross_val_predict(LogisticRegression(max_iter=2000), np.eye(k)[result.labels], truth, cv=folds)
    print(f"  outlet classifier on TF-IDF stems: accuracy {accuracy_score(truth, by_terms):.3f} "
          f"(chance {outlets['label'].value_counts(normalize=True).max():.3f}); "
          f"given only the topic cluster: {accuracy_score(truth, by_topic):.3f}")
    classifier.fit(result.matrix, truth)
    terms = result.vectorizer.get_feature_names_out()
    for outlet, weights in zip(classifier.classes_, classifier.coef_):
        print(f"    {outlet:22s} {', '.join(terms[np.argsort(-weights)[:10]])}")


def ratio_over_samples(path: Path, sample_seeds: list[int], seeds: int, example_seeds: int, per_section: int) -> None:
    """Measure how far the ratio library / example on ``fang-sections`` depends on the sample and the example's seed.

    For each sample seed: the library over ``seeds`` seeds (0, ``N_SEEDS``, ...) and the example over
    ``example_seeds`` seeds (0, 1, ...), the example's mean, standard deviation and range, the ratio of the means,
    and the share of the example's single seeds against which the library's mean reaches 1.3 times. Then the same
    over all samples: the mean of the per-sample ratios, the ratio of the means, and the spread of the per-sample
    ratios (what one more sample could show).
    """
    fang = read_fang(path)
    rows = []
    for sample_seed in sample_seeds:
        corpus = fang_section_set(fang, per_section, sample_seed)
        truth, k, texts = corpus["label"].to_numpy(), corpus["label"].nunique(), corpus["text"].tolist()
        ours = [library(corpus, k, seed) for seed in range(0, seeds * N_SEEDS, N_SEEDS)]
        example = [sklearn_example(texts, k, seed) for seed in range(example_seeds)]
        for name, score in (("NMI", normalized_mutual_info_score), ("ARI", adjusted_rand_score)):
            lib = np.array([score(truth, labels) for labels in ours])
            ex = np.array([score(truth, labels) for labels in example])
            rows.append({"sample": sample_seed, "score": name, "library": lib.mean(), "library_spread": np.ptp(lib),
                         "example": ex.mean(), "example_sd": ex.std(ddof=1), "example_min": ex.min(),
                         "example_max": ex.max(), "ratio": lib.mean() / ex.mean(),
                         "seeds_reaching_1.3": np.mean(lib.mean() >= 1.3 * ex)})
        print(pd.DataFrame(rows[-2:]).round(3).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    print(f"\n## fang-sections, samples {sample_seeds}: library over {seeds} seeds, example over {example_seeds} seeds")
    print(table.round(3).to_string(index=False))
    for name, group in table.groupby("score", sort=False):
        ratios = group["ratio"]
        print(f"{name}: ratio of the means over the samples {group['library'].mean() / group['example'].mean():.3f}, "
              f"mean of the per-sample ratios {ratios.mean():.3f} (sd {ratios.std(ddof=1):.3f}, "
              f"{ratios.min():.2f} to {ratios.max():.2f}), samples at 1.3 or more: {(ratios >= 1.3).sum()} of {len(ratios)}; "
              f"example's mean sd over its seeds {group['example_sd'].mean():.3f}, library's mean spread "
              f"{group['library_spread'].mean():.3f}")


def scale(path: Path, k: int) -> None:
    """Time ``cluster_documents`` on a large corpus and report peak memory."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stdout)
    start = time.perf_counter()
    corpus = read_jsonl(path)[["id", "source", "text"]].rename(columns={"id": "doc_id"})
    corpus["doc_id"] = corpus["doc_id"].astype(str)
    corpus["text"] = corpus["text"].fillna("")
    loaded = time.perf_counter()
    print(f"read {len(corpus)} articles, {corpus['text'].str.len().sum() / 1e6:.0f} M characters "
          f"in {loaded - start:.1f} s")
    result = cluster_documents(corpus, n_clusters=k, random_state=0)
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
    parser.add_argument("--fang", type=Path, help="FANG-COVID JSONL(.xz): the fang-sections and fang-outlets sets")
    parser.add_argument("--frontpage", type=Path, help="frontpage-2026 headlines JSONL(.xz): the frontpage-sections set")
    parser.add_argument("--data", type=Path, help="a labelled corpus in 10kGNAD format (label;'text')")
    parser.add_argument("--scale", type=Path, help="JSONL(.xz) corpus with id, source, text for timing")
    parser.add_argument("--seeds", type=int, default=5, help="random seeds per method (quality mode)")
    parser.add_argument("--per-label", type=int, default=400, help="texts drawn per section")
    parser.add_argument("--sample-seed", type=int, default=0, help="seed of the labelled samples (0: the sets tuned on)")
    parser.add_argument("--library-only", action="store_true",
                        help="compare only the library with the scikit-learn example (no variants)")
    parser.add_argument("--per-outlet", type=int, default=150, help="FANG-COVID articles drawn per outlet")
    parser.add_argument("--k", type=int, default=13, help="clusters in scale mode")
    parser.add_argument("--ratio-samples", type=int, nargs="+", metavar="SEED",
                        help="with --fang: the ratio to the example on fang-sections over these sample seeds")
    parser.add_argument("--example-seeds", type=int, default=20, help="seeds of the example with --ratio-samples")
    parser.add_argument("--outlet-signal", action="store_true",
                        help="measure what outlet labels show (sections against outlets, cleaning, a classifier)")
    args = parser.parse_args(argv)
    if args.scale is not None:
        scale(args.scale, args.k)
        return
    if args.ratio_samples is not None:
        if args.fang is None:
            parser.error("--ratio-samples needs --fang")
        ratio_over_samples(args.fang, args.ratio_samples, args.seeds, args.example_seeds, args.per_label)
        return
    sets: dict[str, pd.DataFrame] = {}
    if args.fang is not None:
        sets.update(fang_sets(args.fang, args.per_label, args.per_outlet, seed=args.sample_seed))
    if args.frontpage is not None:
        sets["frontpage-sections"] = frontpage_set(args.frontpage, args.per_label, seed=args.sample_seed)
    if args.data is not None:
        sets[args.data.name] = read_labelled(args.data)
    if not sets:
        parser.error("give --fang, --frontpage, --data or --scale")
    if args.outlet_signal:
        outlet_signal(sets, args.seeds)
        return
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        for name, corpus in sets.items():
            print(quality(name, corpus, args.seeds, args.library_only).to_string())


if __name__ == "__main__":
    main()
