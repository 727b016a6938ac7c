"""The benchmark scripts: the pipeline script's helpers, and that the pipeline and scale scripts run and write valid JSON on tiny input.

Speed is never asserted here: the figures are measured by running the script on the
real corpus (see benchmarks/README.md).
"""
import importlib.util
import json
import lzma
import random
import re
import subprocess
import sys

import pandas as pd
import pytest

from analysis.paths import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "benchmarks" / "bench_pipeline.py"
PIPELINE_STAGES = ["import", "load_clean", "entity_table", "mentions", "mention_counts", "terms", "topics", "keyness"]
WORKER_STAGES = ["import", "clean_1", "mentions_1", "terms_1", "clean_2", "mentions_2", "terms_2"]  # clean: load + clean into a store
NAIVE_STAGES = ["naive_import", "naive_read_json", "entity_table", "naive_str_count", "naive_tfidf", "naive_kmeans"]
OUTLETS = ["zeit.de", "taz.de", "kopp-report.de"]
SENTENCES = [
    "Präsident Trump empfängt Tokajew im Weißen Haus.",
    "Kasachstans Exporte von Öl und Uran wachsen weiter.",
    "„Wir brauchen Partner“, sagte Mirsijojew in Taschkent.",
    "Der C5+1-Gipfel in Washington dauerte zwei Tage.",
    "Seltene Erden aus Zentralasien sind für die Industrie wichtig.",
    "Die Trump-Regierung verhandelt über Zölle und Straßen.",
    "Usbekistans Außenminister reiste zur Konferenz nach Genf.",
    "Gespräche über Handel, Energie und Sicherheit folgten.",
]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_pipeline", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _articles(n):
    """Return n small German articles from three outlets; each holds 3 of the 8 sentences."""
    rows = []
    for i in range(n):
        chosen = random.Random(i).sample(SENTENCES, 3)
        rows.append({"id": f"art{i:02d}", "source": OUTLETS[i % 3], "label": "real", "date": "2020-05-01",
                     "url": f"https://example.org/{i}", "title": f"Meldung {i}", "text": "\n\n".join(chosen)})
    return rows


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def _run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, cwd=PROJECT_ROOT)


# --------------------------------------------------------------------------- helpers


def test_naive_pattern_tries_longer_forms_first_and_escapes_them(bench):
    assert bench.naive_pattern(["Trump", "Donald Trump", "C5+1", "Trump"]) == r"\b(?:Donald\ Trump|Trump|C5\+1)\b"


def test_naive_pattern_counts_whole_words_with_pandas(bench):
    texts = pd.Series(["Trump und Donald Trump", "Trumpf", "Der C5+1-Gipfel", "Trumps Zölle"])
    counts = texts.str.count(bench.naive_pattern(["Trump", "Donald Trump", "C5+1"]))
    # "Donald Trump" is one match; "Trumpf" and the genitive "Trumps" are not whole-word matches.
    assert counts.tolist() == [2, 0, 1, 0]


def test_parse_curve_reads_counts_repeats_and_all(bench):
    assert bench.parse_curve("10000,20000, all ,allx3,500x2") == [(10000, 1), (20000, 1), (None, 1), (None, 3), (500, 2)]


@pytest.mark.parametrize("spec", ["0", "10x0", "x3", "10k", "all,", "allx"])
def test_parse_curve_rejects_malformed_points(bench, spec):
    with pytest.raises(ValueError, match="--curve"):
        bench.parse_curve(spec)


def test_curve_slopes_are_megabytes_per_thousand_articles(bench):
    points = [{"n_articles": 20000, "peak_mb": 1500.0}, {"n_articles": 10000, "peak_mb": 1000.0},
              {"n_articles": 40000, "peak_mb": 3100.0}, {"n_articles": 5000, "peak_mb": None}]
    assert bench.curve_slopes(points) == [
        {"from": 10000, "to": 20000, "mb_per_1000_articles": 50.0},
        {"from": 20000, "to": 40000, "mb_per_1000_articles": 80.0},
    ]


def test_peak_stage_names_the_stage_with_the_highest_peak(bench):
    run = {"stages": [{"stage": "load_clean", "peak_mb": 2800.0}, {"stage": "mentions", "peak_mb": 2980.0},
                      {"stage": "topics", "peak_mb": 2300.0}]}
    assert bench.peak_stage(run) == "mentions"
    assert bench.peak_stage({"error": "benchmark process exited with status 1", "stages": []}) is None


def test_summarise_takes_the_slower_mention_stage_against_the_naive_loop(bench):
    pipeline = {"wall_s": 80.0, "peak_mb": 2800.0, "stages": [
        {"stage": "load_clean", "mbps": 12.0, "seconds": 19.0, "error": None},
        {"stage": "mentions", "mbps": 80.0, "seconds": 3.0, "error": None},
        {"stage": "mention_counts", "mbps": 60.0, "seconds": 4.0, "error": None},
        {"stage": "terms", "mbps": 12.0, "seconds": 20.0, "error": None},
        {"stage": "topics", "mbps": 7.0, "seconds": 13.0, "error": None}]}
    naive = {"wall_s": 1000.0, "peak_mb": 4100.0, "stages": [{"stage": "naive_str_count", "mbps": 0.25}]}
    summary = bench.summarise(pipeline, naive)
    # the topic figure counts the shared term counting in full: 20 + 13 s
    assert summary == {"load_clean_mbps": 12.0, "mentions_mbps": 60.0, "mentions_speedup": 240.0, "topics_s": 33.0,
                       "total_s": 80.0, "peak_mb": 2800.0, "naive_total_s": 1000.0, "naive_peak_mb": 4100.0,
                       "pipeline_speedup": 12.5, "workers_speedup": None}
    assert bench.summarise(pipeline, None)["mentions_speedup"] is None
    workers = {"stages": [{"stage": f"{name}_{n}", "seconds": seconds, "error": None} for name, n, seconds in [
        ("clean", 1, 9.0), ("clean", 2, 5.0), ("mentions", 1, 4.0), ("mentions", 2, 2.0), ("terms", 1, 7.0), ("terms", 2, 5.0)]]}
    assert bench.summarise(pipeline, naive, workers)["workers_speedup"] == 20.0 / 12.0


def test_workers_speedup_is_one_process_against_two_workers_per_stage_and_in_all(bench):
    stages = [{"stage": f"{name}_{n}", "seconds": seconds, "error": None} for name, n, seconds in [
        ("clean", 1, 9.0), ("clean", 2, 6.0), ("mentions", 1, 4.0), ("mentions", 2, 2.0), ("terms", 1, 7.0), ("terms", 2, 7.0)]]
    assert bench.workers_speedup({"stages": stages}) == {"clean": 1.5, "mentions": 2.0, "terms": 1.0, "all": 20.0 / 15.0}
    stages[-1]["error"] = "MemoryError: "
    assert bench.workers_speedup({"stages": stages}) == {"clean": 1.5, "mentions": 2.0, "terms": None, "all": None}


def test_topic_seconds_need_both_the_terms_and_the_topics_stage(bench):
    terms = {"stage": "terms", "seconds": 20.0, "error": None}
    topics = {"stage": "topics", "seconds": 13.0, "error": None}
    assert bench.topic_seconds({"stages": [terms, topics]}) == 33.0
    assert bench.topic_seconds({"stages": [topics]}) is None
    assert bench.topic_seconds({"stages": [terms, {**topics, "error": "ValueError: n_clusters"}]}) is None


def test_check_targets_says_how_far_off_each_figure_is(bench):
    summary = {"pipeline_speedup": 5.0, "mentions_speedup": None, "workers_speedup": 1.6, "peak_mb": 2400.0}
    rows = {r["target"]: (r["met"], r["factor"]) for r in bench.check_targets(summary, complete=True)}
    assert rows == {"pipeline_speedup": (False, 2.0), "mentions_speedup": (None, None), "workers_speedup": (True, 1.0),
                    "peak_mb": (True, 0.8)}


def test_check_targets_leaves_whole_pipeline_targets_open_when_a_stage_is_missing(bench):
    summary = {"pipeline_speedup": 12.0, "mentions_speedup": 30.0, "workers_speedup": 1.0, "peak_mb": 500.0}
    rows = {r["target"]: r["met"] for r in bench.check_targets(summary, complete=False)}
    assert rows == {"pipeline_speedup": None, "mentions_speedup": True, "workers_speedup": False, "peak_mb": None}


@pytest.mark.parametrize("compress", [False, True])
def test_write_subset_limits_repeats_and_renames_copies(bench, tmp_path, compress):
    rows = [{"id": "a", "text": "Grüße aus Köln"}, {"id": 7, "text": "„Zölle“"}, {"id": "c", "text": "Straße"}]
    source = tmp_path / "in.jsonl"
    _write_jsonl(source, rows)
    if compress:
        source = source.with_suffix(".jsonl.xz")
        source.write_bytes(lzma.compress((tmp_path / "in.jsonl").read_bytes()))
    target = tmp_path / "out.jsonl"
    assert bench.write_subset(source, target, limit=2, repeat=2) == 4
    written = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert written == [{"id": "a", "text": "Grüße aus Köln"}, {"id": "7", "text": "„Zölle“"},  # ids of one type
                       {"id": "a~2", "text": "Grüße aus Köln"}, {"id": "7~2", "text": "„Zölle“"}]
    assert bench.write_subset(source, target, limit=None, repeat=1) == 3
    assert [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()] == rows


def test_prepare_input_uses_the_corpus_itself_without_limit_or_repeat(bench, tmp_path):
    source = tmp_path / "in.jsonl"
    _write_jsonl(source, [{"id": "a", "text": "Tokajew"}])
    assert bench.prepare_input(source, None, 1, tmp_path) == source
    assert bench.prepare_input(source, None, 1, tmp_path, force_copy=True) != source


def test_proc_kb_reads_the_wanted_fields_in_kilobytes(bench, tmp_path):
    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t3\n")
    assert bench.proc_kb(str(status), ("VmHWM", "VmSwap")) == {"VmHWM": 204800}
    assert bench.proc_kb(str(tmp_path / "gone"), ("VmHWM",)) == {}


def test_attach_memory_takes_each_stages_samples_and_the_larger_of_pss_and_hwm(bench):
    run = {"hwm_mb": 900.0, "stages": [
        {"stage": "load_clean", "started_at": 10.0, "ended_at": 20.0, "hwm_mb": 900.0},
        {"stage": "mentions", "started_at": 20.5, "ended_at": 30.0, "hwm_mb": 700.0},
        {"stage": "topics", "started_at": 30.5, "ended_at": 30.6, "hwm_mb": None},
    ]}
    samples = [(5.0, 2_000e6, 1_500e6), (12.0, 1_000e6, None), (19.0, 950e6, 850e6),
               (25.0, 3_000e6, 1_200e6), (29.0, 800e6, None), (31.0, 100e6, None)]
    bench.attach_memory(run, samples, interval=0.1)
    rows = [(s["stage"], s["tree_rss_mb"], s["tree_pss_mb"], s["peak_mb"]) for s in run["stages"]]
    assert rows == [("load_clean", 1000.0, 850.0, 900.0), ("mentions", 3000.0, 1200.0, 1200.0),
                    ("topics", None, None, None)]
    # the run's peak includes samples outside every stage (start-up at t = 5 s)
    assert (run["tree_rss_mb"], run["tree_pss_mb"], run["peak_mb"]) == (3000.0, 1500.0, 1500.0)
    assert (run["n_samples"], run["n_pss_samples"]) == (6, 3)


def test_sample_tree_reads_pss_only_while_there_are_workers(bench):
    script = ("import subprocess, sys, time; time.sleep(1.0); "
              "subprocess.run([sys.executable, '-c', 'import time; time.sleep(1.5)'])")
    samples = bench.sample_tree(subprocess.Popen([sys.executable, "-c", script]), interval=0.05, pss_share=1.0)
    alone = [pss for at, rss, pss in samples if at < samples[0][0] + 0.8]
    assert alone and all(pss is None for pss in alone)
    assert any(pss is not None and pss > 0 for _, _, pss in samples)
    assert all(rss > 0 for _, rss, _ in samples)


def test_descendants_finds_children_and_grandchildren(bench):
    script = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; time.sleep(30)'])"
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        found = []
        for _ in range(200):  # until the grandchild has started
            found = bench.descendants(bench.os.getpid())
            if len(found) == 2:
                break
            bench.time.sleep(0.05)
        assert found[0] == child.pid and len(found) == 2
        assert bench.descendants(found[1]) == []
    finally:
        for pid in reversed(bench.descendants(child.pid)):
            bench.os.kill(pid, 9)
        child.kill()
        child.wait()


def test_tree_rss_and_pss_count_this_process(bench):
    me = [bench.os.getpid()]
    rss = bench.proc_kb("/proc/self/status", ("VmRSS",))["VmRSS"] * 1024
    assert 0.5 * rss < bench.tree_rss(me) < 2 * rss
    assert 0 < bench.tree_pss(me) <= bench.tree_rss(me) * 1.1


# --------------------------------------------------------------------------- the script


def test_script_runs_the_pipeline_and_writes_valid_json(tmp_path):
    rows = _articles(40)
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "bench.json"
    _write_jsonl(corpus, rows)
    completed = _run("--corpus", corpus, "--skip-naive", "--skip-workers", "--json", out)
    assert completed.returncode == 0, completed.stderr
    assert "library pipeline: 40 articles" in completed.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    pipeline = results["pipeline"]
    assert results["naive"] is None
    assert [s["stage"] for s in pipeline["stages"]] == PIPELINE_STAGES
    assert [s["error"] for s in pipeline["stages"]] == [None] * 8
    assert pipeline["facts"]["n_articles"] == 40
    assert pipeline["facts"]["raw_chars"] == sum(len(row["text"]) for row in rows)
    assert pipeline["facts"]["n_outlets"] == 3
    assert sum(pipeline["facts"]["cluster_sizes"]) == 40
    assert all(s["seconds"] > 0 and s["hwm_mb"] > 0 for s in pipeline["stages"])
    assert pipeline["peak_mb"] >= max(s["peak_mb"] or 0 for s in pipeline["stages"])
    assert [t["target"] for t in results["targets"]] == [
        "pipeline_speedup", "mentions_speedup", "workers_speedup", "peak_mb"]
    assert results["machine"]["cores"] >= 1 and results["machine"]["packages"]["pandas"] == pd.__version__
    assert results["code"]["commit"] is None or re.fullmatch("[0-9a-f]{7,40}", results["code"]["commit"])


def test_script_runs_the_naive_baseline_on_a_limited_repeated_corpus(tmp_path):
    rows = _articles(30)
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "bench.json"
    _write_jsonl(corpus, rows)
    completed = _run("--corpus", corpus, "--limit", 20, "--repeat", 2, "--json", out)
    assert completed.returncode == 0, completed.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    chars = 2 * sum(len(row["text"]) for row in rows[:20])
    distinct = len({row["text"] for row in rows[:20]})
    assert results["pipeline"]["facts"]["n_articles"] == 40
    assert results["pipeline"]["facts"]["n_duplicates"] == 40 - distinct  # the second copy repeats every text
    naive = results["naive"]
    assert [s["stage"] for s in naive["stages"]] == NAIVE_STAGES
    assert [s["error"] for s in naive["stages"]] == [None] * 6
    assert (naive["facts"]["n_articles"], naive["facts"]["raw_chars"]) == (40, chars)
    assert results["summary"]["mentions_speedup"] > 0 and results["summary"]["pipeline_speedup"] > 0
    workers = results["workers"]
    assert [s["stage"] for s in workers["stages"]] == WORKER_STAGES
    assert [s["error"] for s in workers["stages"]] == [None] * 7
    assert workers["facts"]["n_mentions_1"] == workers["facts"]["n_mentions_2"] > 0
    assert workers["facts"]["n_terms_1"] == workers["facts"]["n_terms_2"] > 0
    assert re.search(r"two workers against one: clean [\d.]+x, mentions [\d.]+x, terms [\d.]+x, all [\d.]+x",
                     completed.stdout)


def test_script_reports_a_failed_stage_and_exits_with_1(tmp_path):
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "curve.json"
    _write_jsonl(corpus, _articles(12))
    completed = _run("--corpus", corpus, "--curve", "6,12x2", "--clusters", 8, "--json", out)
    assert completed.returncode == 1
    curve = json.loads(out.read_text(encoding="utf-8"))["curve"]
    assert [p["n_articles"] for p in curve] == [6, 24]
    assert [p["complete"] for p in curve] == [False, True]
    errors = {s["stage"]: s["error"] for s in curve[0]["stages"] if s["error"]}
    assert list(errors) == ["topics"] and "n_clusters" in errors["topics"]  # 8 clusters for 6 articles


@pytest.mark.parametrize("args, message", [
    (["--limit", "0"], "--limit must be at least 1"),
    (["--repeat", "0"], "--repeat must be at least 1"),
    (["--curve", "10,ten"], "--curve"),
])
def test_script_rejects_bad_arguments(tmp_path, args, message):
    corpus = tmp_path / "corpus.jsonl"
    _write_jsonl(corpus, _articles(3))
    completed = _run("--corpus", corpus, *args)
    assert completed.returncode == 2 and message in completed.stderr


def test_script_rejects_a_missing_corpus(tmp_path):
    completed = _run("--corpus", tmp_path / "nope.jsonl")
    assert completed.returncode == 2 and "--corpus must name an existing file" in completed.stderr


def test_scale_script_runs_each_corpus_and_keeps_each_corpus_warnings_apart(tmp_path):
    small, larger = tmp_path / "small.jsonl", tmp_path / "larger.jsonl"
    _write_jsonl(small, _articles(24))
    _write_jsonl(larger, _articles(30))
    out, work = tmp_path / "scale.json", tmp_path / "work"
    completed = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "bench_scale.py"), "--n-jobs", "1", "--clusters", "2",
         "--interval", "0.2", "--work", str(work), "--json", str(out), str(small), str(larger)],
        capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert completed.returncode == 0, completed.stderr
    assert [r["n_articles"] for r in json.loads(out.read_text(encoding="utf-8"))] == [24, 30]
    assert (tmp_path / "work-small.jsonl.log").exists() and (tmp_path / "work-larger.jsonl.log").exists()
