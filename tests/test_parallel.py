"""The engine: one n_jobs rule, partitions on Dask, the same results in one process, on local workers and on a cluster."""
import os
import socket
import subprocess
import sys

import pandas as pd
import pytest

from analysis import engine, load, topics
from analysis.clean import clean_corpus
from analysis.engine import PartitionError, SchedulerError, map_partitions, reduce_partitions, resolve_n_jobs
from analysis.compare import shared_passages, shared_text_by_outlet
from analysis.mentions import count_mentions, find_mentions, kwic
from analysis.quotes import find_quotes
from analysis.text import count_terms, make_analyzer
from analysis.topics import cluster_store

PROMO = "Unterstützen Sie unabhängigen Journalismus mit einem Abo für nur fünf Euro im Monat."


def _corpus() -> pd.DataFrame:
    """Thirty German articles: 24 of an outlet with a recurring promotion (learned), 6 of a small one, one repeated."""
    rows = []
    for i in range(24):
        lines = [f"„Tokajews Besuch ist ein Erfolg“, sagte Präsident Tokajew am Tag {i} in Astana.",
                 f"Die Trump-Regierung äußerte sich nicht zu den Zöllen auf {i} Tonnen Öl."]
        if i % 3 == 0:
            lines.append(PROMO)
        rows.append({"doc_id": f"taz-{i:02d}", "source": "taz", "raw_text": "\n".join(lines)})
    for i in range(6):
        rows.append({"doc_id": f"zeit-{i}", "source": "zeit",
                     "raw_text": f"Kasachstans Präsident traf Donald Trump. Die Straße Nr. {i % 5} ist gesperrt."})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of a ``distributed.LocalCluster``, started once for the module."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.fixture
def three_ways(cluster, monkeypatch):
    """Run a function of ``n_jobs`` in one process (pandas), on two local workers and on the cluster."""
    def run(function):
        results = {"pandas": function(1)}
        monkeypatch.setattr(engine, "PARTITION_ROWS", 7)  # several partitions even for a small corpus
        results["local"] = function(2)
        monkeypatch.setenv(engine.SCHEDULER_VARIABLE, cluster.scheduler_address)
        results["cluster"] = function(None)
        monkeypatch.delenv(engine.SCHEDULER_VARIABLE)
        monkeypatch.setattr(engine, "PARTITION_ROWS", 1000)
        return results
    return run


def test_n_jobs_has_scikit_learns_meaning(monkeypatch):
    monkeypatch.setattr(engine, "_cores", lambda: 8)
    assert [resolve_n_jobs(n) for n in (None, 1, 3, -1, -2, -8, -20)] == [1, 1, 3, 8, 7, 1, 1]
    for bad in (0, 1.5, True, "2"):
        with pytest.raises(ValueError, match="n_jobs"):
            resolve_n_jobs(bad)


def test_cleaning_is_the_same_in_one_process_on_local_workers_and_on_a_cluster(three_ways):
    results = three_ways(lambda n_jobs: clean_corpus(_corpus(), n_jobs=n_jobs))
    pd.testing.assert_frame_equal(results["pandas"], results["local"])
    pd.testing.assert_frame_equal(results["pandas"], results["cluster"])
    for result in results.values():  # the promotion was learned from keys made in other processes
        assert result.attrs["boilerplate"][["source", "line", "n_articles"]].values.tolist() == [["taz", PROMO, 8]]
    cleaned = results["cluster"]
    assert cleaned["text"].iloc[3] == ("„Tokajews Besuch ist ein Erfolg“, sagte Präsident Tokajew am Tag 3 in Astana.\n\n"
                                       "Die Trump-Regierung äußerte sich nicht zu den Zöllen auf 3 Tonnen Öl.")
    assert cleaned["is_duplicate"].tolist() == [False] * 29 + [True]  # zeit-5 repeats zeit-0


def test_mentions_are_the_same_in_one_process_on_local_workers_and_on_a_cluster(three_ways):
    corpus = clean_corpus(_corpus())
    found = three_ways(lambda n_jobs: find_mentions(corpus, n_jobs=n_jobs))
    counted = three_ways(lambda n_jobs: count_mentions(corpus, by="source", n_jobs=n_jobs, label="id"))
    for way in ("local", "cluster"):
        pd.testing.assert_frame_equal(found["pandas"], found[way])
        pd.testing.assert_frame_equal(counted["pandas"], counted[way])
    counts = counted["pandas"]
    assert counts.loc["taz", ["tokayev", "trump"]].tolist() == [48, 24]
    assert counts.loc["zeit", ["kazakhstan", "trump"]].tolist() == [6, 6]
    assert found["pandas"].loc[found["pandas"]["doc_id"] == "taz-00", "surface"].tolist() == [
        "Tokajews", "Tokajew", "Astana", "Trump"]  # topics such as Zölle are opt-in


def test_quotes_are_the_same_in_one_process_on_local_workers_and_on_a_cluster(three_ways):
    corpus = clean_corpus(_corpus())
    mentions = find_mentions(corpus)
    found = three_ways(lambda n_jobs: find_quotes(corpus, n_jobs=n_jobs))
    given = three_ways(lambda n_jobs: find_quotes(corpus, mentions=mentions, n_jobs=n_jobs))
    for way in ("local", "cluster"):
        pd.testing.assert_frame_equal(found["pandas"], found[way])
        pd.testing.assert_frame_equal(found["pandas"], given[way])
    quotes = found["cluster"]
    assert quotes["doc_id"].tolist() == [f"taz-{i:02d}" for i in range(24)]
    assert set(zip(quotes["text"], quotes["cue"], quotes["speaker"], quotes["entity_id"])) == {
        ("Tokajews Besuch ist ein Erfolg", "sagte", "Präsident Tokajew", "tokayev")}


def test_term_counts_are_the_same_in_one_process_on_local_workers_and_on_a_cluster(three_ways):
    texts = clean_corpus(_corpus())["text"].tolist()
    results = three_ways(lambda n_jobs: count_terms(texts, make_analyzer(stem=False), n_jobs=n_jobs))
    matrix, terms = results["pandas"]
    for way in ("local", "cluster"):
        assert results[way][1].tolist() == terms.tolist()
        assert (results[way][0] != matrix).nnz == 0
    assert matrix[:, terms.tolist().index("zöllen")].sum() == 24
    assert "strasse" in terms.tolist() and "äusserte" in terms.tolist()  # casefolded: ß is ss


@pytest.fixture
def store(tmp_path, monkeypatch):
    """The thirty articles as a corpus store of six partitions (files), read by the tasks themselves."""
    path = tmp_path / "korpus.jsonl"
    _corpus().rename(columns={"raw_text": "text"}).to_json(path, orient="records", lines=True, force_ascii=False)
    monkeypatch.setattr(load, "STORE_PART_CHARS", 2500)
    opened = load.open_store(path, cache_dir=tmp_path / "stores")
    assert opened.rows == (5, 5, 4, 5, 4, 7)  # cut at the first line end after each sixth of the file's bytes
    return opened


def test_term_counts_of_a_store_are_those_of_its_frame_in_one_process_on_local_workers_and_on_a_cluster(
        store, three_ways):
    analyzer = make_analyzer(stem=False)
    matrix, terms = count_terms(store.read(["text"])["text"].tolist(), analyzer)
    results = three_ways(lambda n_jobs: count_terms(store, analyzer, n_jobs=n_jobs))
    for way in ("pandas", "local", "cluster"):
        assert results[way][1].tolist() == terms.tolist()
        assert (results[way][0] != matrix).nnz == 0
    assert matrix[:, terms.tolist().index("zöllen")].sum() == 24


def test_mentions_of_a_store_are_those_of_its_frame_in_one_process_on_local_workers_and_on_a_cluster(store, three_ways):
    frame = store.read()
    found = three_ways(lambda n_jobs: find_mentions(store, n_jobs=n_jobs))
    counted = three_ways(lambda n_jobs: count_mentions(store, by="source", n_jobs=n_jobs, label="id"))
    for way in ("pandas", "local", "cluster"):
        pd.testing.assert_frame_equal(found[way], find_mentions(frame))
        pd.testing.assert_frame_equal(counted[way], count_mentions(frame, by="source", label="id"))
    assert counted["cluster"].loc["taz", ["tokayev", "trump"]].tolist() == [48, 24]
    assert found["cluster"]["doc_id"].iloc[-1] == "zeit-5"


def test_quotes_of_a_store_are_those_of_its_frame_in_one_process_on_local_workers_and_on_a_cluster(store, three_ways):
    frame = store.read(["doc_id", "text"])
    found = three_ways(lambda n_jobs: find_quotes(store, n_jobs=n_jobs))
    for way in ("pandas", "local", "cluster"):
        pd.testing.assert_frame_equal(found[way], find_quotes(frame))
    assert len(found["cluster"]) == 24 and found["cluster"]["doc_id"].iloc[-1] == "taz-23"
    with pytest.raises(ValueError, match="leave mentions=None"):
        find_quotes(store, mentions=find_mentions(frame))


def test_topics_of_a_store_are_the_same_in_one_process_on_local_workers_and_on_a_cluster(store, three_ways):
    results = three_ways(lambda n_jobs: cluster_store(store, 2, min_df=2, max_df=0.9, n_jobs=n_jobs))
    for way in ("local", "cluster"):
        assert results[way].labels.tolist() == results["pandas"].labels.tolist()
        pd.testing.assert_frame_equal(results[way].outlet_tokens, results["pandas"].outlet_tokens)
    result = results["pandas"]
    assert result.labels.tolist() == [0] * 24 + [1] * 6  # the taz reports and the zeit notes
    assert result.sizes.tolist() == [24, 6]
    assert result.outlet_articles.to_dict() == {"taz": 24, "zeit": 6}
    assert result.outlet_tokens.loc["taz", "astana"] == 24 and result.outlet_documents.loc["taz", "astana"] == 24
    assert result.outlet_tokens.loc["zeit", "kasachstan"] == 6 and result.outlet_tokens.loc["taz", "kasachstan"] == 0


def test_the_vocabulary_of_store_topics_keeps_the_most_widespread_terms_whatever_the_buckets_share(
        store, monkeypatch):
    capped = cluster_store(store, 2, min_df=2, max_df=0.9, max_terms=13)
    # twelve terms are in at least 7 of the 30 articles; the 13th most widespread ties with others at 6
    assert capped.terms.tolist() == ["astana", "aussert", "besuch", "erfolg", "ol", "prasident", "tag", "tokajew",
                                     "tokajews", "tonn", "trump-regier", "zoll"]
    assert capped.document_frequency.tolist() == [24, 24, 24, 24, 24, 30, 24, 24, 24, 24, 24, 24]
    assert "at most 13 terms: those in at least 7 articles" in capped.notes[0]
    assert capped.outlet_documents.loc["zeit"].sum() == 6  # "Präsident", in each of the six
    monkeypatch.setattr(topics, "TERM_BUCKETS", 2)  # every term shares a bucket with half the others
    shared = cluster_store(store, 2, min_df=2, max_df=0.9, max_terms=13)
    assert shared.terms.tolist() == capped.terms.tolist() and shared.labels.tolist() == capped.labels.tolist()
    pd.testing.assert_frame_equal(shared.outlet_tokens, capped.outlet_tokens)


def _text_lengths(part: pd.DataFrame) -> pd.DataFrame:
    assert part.columns.tolist() == ["doc_id", "text"]  # only the columns asked for are read
    return pd.DataFrame({"doc_id": part["doc_id"], "length": part["text"].str.len()}, index=part.index)


def test_the_tasks_read_their_own_partitions_of_a_store_numbered_by_their_rows(store, three_ways):
    meta = pd.DataFrame({"doc_id": pd.Series(dtype=object), "length": pd.Series(dtype="int64")})
    frame = store.read(["doc_id", "text"])
    results = three_ways(lambda n_jobs: map_partitions(_text_lengths, store, meta, n_jobs=n_jobs, columns=["doc_id", "text"]))
    for result in results.values():
        assert result.index.tolist() == list(range(30))
        assert result["doc_id"].tolist() == frame["doc_id"].tolist()
        assert result["length"].tolist() == frame["text"].str.len().tolist()
    assert reduce_partitions(len, store, n_jobs=2, columns=["doc_id"]) == [5, 5, 4, 5, 4, 7]


def _frozen_objects(part: pd.DataFrame) -> int:
    import gc

    return gc.get_freeze_count()


def test_forked_workers_leave_the_objects_they_inherit_to_the_calling_process(store):
    # a worker's garbage collector must not write into (and so copy) the pages it shares with its parent
    assert all(count > 0 for count in reduce_partitions(_frozen_objects, store, n_jobs=2, columns=["doc_id"]))
    assert reduce_partitions(_frozen_objects, store, n_jobs=1, columns=["doc_id"]) == [0] * 6  # nothing to share
    import gc

    assert gc.get_freeze_count() == 0  # and the calling process collects as before when they are done


def _shout(part: pd.DataFrame) -> pd.DataFrame:
    if (part["doc_id"] == "zeit-2").any():
        raise ValueError("kaputter Text")
    return part.assign(text=part["raw_text"].str.upper())


def _drop_first(part: pd.DataFrame) -> pd.DataFrame:
    return part.iloc[1:]


def test_a_failing_partition_is_reported_by_its_articles(monkeypatch):
    monkeypatch.setattr(engine, "PARTITION_ROWS", 7)
    corpus = _corpus()
    with pytest.raises(PartitionError, match=r"^the partition of 6 articles from 'zeit-0' to 'zeit-5': ValueError: kaputter Text$"):
        map_partitions(_shout, corpus, corpus.assign(text="").iloc[:0], n_jobs=2)
    with pytest.raises(PartitionError, match=r"_drop_first returned 5 rows for 6 articles"):  # no silent hole
        map_partitions(_drop_first, corpus, corpus.iloc[:0], n_jobs=2)


def test_partitions_keep_the_order_of_the_articles(monkeypatch):
    monkeypatch.setattr(engine, "PARTITION_ROWS", 4)
    corpus = _corpus().drop(index=5)
    assert reduce_partitions(lambda part: part["doc_id"].tolist(), corpus, n_jobs=1) == [corpus["doc_id"].tolist()]
    parts = reduce_partitions(_ids, corpus, n_jobs=2)
    assert len(parts) == 8 and sum(parts, []) == corpus["doc_id"].tolist()


def _ids(part: pd.DataFrame) -> list:
    return part["doc_id"].tolist()


def test_a_scheduler_that_does_not_answer_is_one_line_naming_it(monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 1)
    monkeypatch.setenv(engine.SCHEDULER_VARIABLE, address)
    with pytest.raises(SchedulerError) as error:
        clean_corpus(_corpus())
    assert f"no Dask scheduler answers at {address}" in str(error.value)
    assert "\n" not in str(error.value)


_KEYS = """
from analysis.clean import _Article, _fingerprint
from analysis.engine import stable_hash
article = _Article("Unterstützen Sie unabhängigen Journalismus mit einem Abo für nur fünf Euro im Monat.\\nKurz.", 4)
print(sorted(article.keys), stable_hash("Tokajew"), _fingerprint("Zölle".encode(), 0, 6))
"""


def test_keys_that_decide_results_do_not_depend_on_the_process(capsys):
    seed = str(int(os.environ.get("PYTHONHASHSEED") or 0) + 1)  # not this process's seed
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    other = subprocess.run([sys.executable, "-c", _KEYS + "print(hash('Tokajew'))"], capture_output=True, text=True,
                           env=environment, check=True).stdout.splitlines()
    exec(_KEYS)
    here = capsys.readouterr().out.splitlines()
    assert other[1] != str(hash("Tokajew"))  # the two processes do hash strings differently
    assert other[0] == here[0]
    assert here[0].split("]")[0].count(",") == 2  # the line and the start and end of its frame


def test_the_command_line_names_a_scheduler_that_does_not_answer(monkeypatch, capsys):
    from analysis.__main__ import main

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 1)
    monkeypatch.setenv(engine.SCHEDULER_VARIABLE, "")  # unset again afterwards: main sets it for the notebooks' kernels
    assert main(["report", "--corpus", "data/raw", "--scheduler", "tcp://127.0.0.1:1", "--no-progress"]) == 1
    assert capsys.readouterr().err.startswith("error: no Dask scheduler answers at tcp://127.0.0.1:1 ")


def test_shared_passages_of_a_store_are_those_of_its_frame_in_one_process_on_local_workers_and_on_a_cluster(
        tmp_path, monkeypatch, three_ways):
    from test_shared_text import AFP, DPA, agency_corpus

    path = tmp_path / "agentur.jsonl"
    agency_corpus().to_json(path, orient="records", lines=True, force_ascii=False)
    monkeypatch.setattr(load, "STORE_PART_CHARS", 700)
    agency = load.open_store(path, cache_dir=tmp_path / "stores")
    assert agency.n_partitions == 8
    frame = agency.read()
    expected = shared_passages(frame)
    results = three_ways(lambda n_jobs: shared_passages(agency, n_jobs=n_jobs))
    for way in ("pandas", "local", "cluster"):
        pd.testing.assert_frame_equal(results[way], expected)
    assert expected["doc_id"].tolist() == ["welt-1", "taz-4", "zeit-3", "taz-1", "zeit-2"]
    assert expected["text"].tolist() == [AFP] * 3 + [DPA] * 2
    shares = three_ways(lambda n_jobs: shared_text_by_outlet(agency, expected, n_jobs=n_jobs))
    for way in ("pandas", "local", "cluster"):
        pd.testing.assert_frame_equal(shares[way], shared_text_by_outlet(frame, expected))


def test_kwic_of_a_store_keeps_the_mentions_of_its_frame_in_one_process_on_local_workers_and_on_a_cluster(
        store, three_ways):
    expected = kwic(store.read(), "Tokajew", window=12)
    results = three_ways(lambda n_jobs: kwic(store, "Tokajew", window=12, n_jobs=n_jobs))
    for way in ("pandas", "local", "cluster"):
        pd.testing.assert_frame_equal(results[way], expected)
    assert len(expected) == 48 and expected["doc_id"].iloc[-1] == "taz-23"
    assert expected.iloc[0].tolist() == ["taz-00", "„", "Tokajews", " Besuch ist "]


def test_a_store_written_on_a_cluster_reads_back_as_load_corpus_gives(tmp_path, monkeypatch, cluster):
    path = tmp_path / "korpus.jsonl"
    _corpus().rename(columns={"raw_text": "text"}).to_json(path, orient="records", lines=True, force_ascii=False)
    monkeypatch.setattr(load, "STORE_PART_CHARS", 2500)
    monkeypatch.setenv(engine.SCHEDULER_VARIABLE, cluster.scheduler_address)
    written = load.open_store(path, cache_dir=tmp_path / "stores")
    monkeypatch.delenv(engine.SCHEDULER_VARIABLE)
    assert written.n_partitions == 6
    expected = load.load_corpus(path)
    read = written.read()
    pd.testing.assert_frame_equal(read, expected)
    pd.testing.assert_frame_equal(read.attrs["boilerplate"], expected.attrs["boilerplate"])
    assert read.attrs["boilerplate"]["line"].tolist() == [PROMO]
