"""The corpus store: a Parquet dataset written atomically, reused, and rebuilt with a warning when damaged."""
import json
import warnings

import pandas as pd
import pytest

from analysis import load
from analysis.load import load_corpus
from analysis.paths import RAW_DIR


@pytest.fixture
def corpus_folder(tmp_path):
    """Twelve German articles in two outlets, outside the project."""
    folder = tmp_path / "korpus"
    for outlet in ("taz", "zeit"):
        (folder / outlet).mkdir(parents=True)
        for i in range(6):
            (folder / outlet / f"{i}.txt").write_text(
                f"„Tokajews Besuch“ in Astana, Tag {i}.\n\nDie Trump-Regierung schweigt zu den Zöllen.\n\n(dpa)",
                encoding="utf-8")
    return folder


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(load, "STORE_PART_CHARS", 700)  # four articles (167 characters each, raw and clean) a file


def _store(folder):
    (store,) = [p for p in folder.iterdir() if p.name.startswith("corpus-")]
    return store


def _load_quietly(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a store in order is read without a warning
        return load_corpus(path, **options)


def test_the_store_is_a_partitioned_parquet_dataset_read_back_as_loaded(corpus_folder, tmp_path, small_parts):
    fresh = load_corpus(corpus_folder)
    stored = _load_quietly(corpus_folder, cache_dir=tmp_path / "stores")
    store = _store(tmp_path / "stores")
    assert sorted(p.name for p in (store / "articles").iterdir()) == [f"part-0000{i}.parquet" for i in range(3)]
    assert pd.read_parquet(store / "articles")["doc_id"].tolist() == fresh["doc_id"].tolist()
    again = _load_quietly(corpus_folder, cache_dir=tmp_path / "stores")
    for frame in (stored, again):
        pd.testing.assert_frame_equal(frame, fresh)
        assert frame["removed"].iloc[0] == [{"line": 4, "start": 0, "rule": "signature", "text": "(dpa)"}]
    assert json.loads((store / "source.json").read_text(encoding="utf-8"))["n_articles"] == 12
    assert [p.name for p in (tmp_path / "stores").iterdir()] == [store.name]  # no temporary folder left


@pytest.mark.parametrize("damage, message", [
    (lambda store: (store / "articles" / "part-00001.parquet").write_bytes(
        (store / "articles" / "part-00001.parquet").read_bytes()[:100]), r"articles/part-00001.parquet holds 100 bytes"),
    (lambda store: (store / "source.json").unlink(), "its manifest is missing"),
    (lambda store: (store / "source.json").write_text('{"format": 1', encoding="utf-8"), "its manifest cannot be read"),
    (lambda store: (store / "source.json").write_text(json.dumps(
        {**json.loads((store / "source.json").read_text(encoding="utf-8")), "format": 1}), encoding="utf-8"),
     r"it was written in another layout \(format 1\)"),
    (lambda store: (store / "articles" / "part-00000.parquet").write_bytes(
        b"\0" * (store / "articles" / "part-00000.parquet").stat().st_size), "a file cannot be read"),
])
def test_a_truncated_half_written_or_older_store_is_rebuilt_with_a_warning(corpus_folder, tmp_path, small_parts,
                                                                           damage, message):
    fresh = load_corpus(corpus_folder, cache_dir=tmp_path / "stores")
    damage(_store(tmp_path / "stores"))
    with pytest.warns(UserWarning, match=rf"the corpus store .*corpus-\w+ cannot be used: {message}.*; rebuilding it"):
        rebuilt = load_corpus(corpus_folder, cache_dir=tmp_path / "stores")
    pd.testing.assert_frame_equal(rebuilt, fresh)
    pd.testing.assert_frame_equal(_load_quietly(corpus_folder, cache_dir=tmp_path / "stores"), fresh)


def test_an_interrupted_write_leaves_no_store_behind(corpus_folder, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail)
    with pytest.raises(KeyboardInterrupt):
        load_corpus(corpus_folder, cache_dir=tmp_path / "stores")
    assert list((tmp_path / "stores").iterdir()) == []


def test_a_corpus_outside_the_project_is_stored_in_the_users_cache_folder(corpus_folder, tmp_path, monkeypatch):
    monkeypatch.setattr(load.platformdirs, "user_cache_dir", lambda name: str(tmp_path / "user-cache" / name))
    monkeypatch.setattr(load, "PROCESSED_DIR", tmp_path / "processed")
    load_corpus(corpus_folder, cache=True)
    assert _store(tmp_path / "user-cache" / "analysis").is_dir() and not (tmp_path / "processed").exists()
    load_corpus(RAW_DIR, cache=True)  # the bundled corpus belongs to the project
    assert _store(tmp_path / "processed").is_dir()


def test_the_same_files_elsewhere_get_a_store_of_their_own(corpus_folder, tmp_path):
    (corpus_folder / "taz" / "leer.txt").write_text("", encoding="utf-8")
    with pytest.warns(UserWarning, match="leer.txt: empty file"):
        load_corpus(corpus_folder, cache_dir=tmp_path / "stores")
    moved = corpus_folder.rename(tmp_path / "anderswo")
    with pytest.warns(UserWarning, match="anderswo/taz/leer.txt: empty file"):
        corpus = load_corpus(moved, cache_dir=tmp_path / "stores")
    assert corpus.attrs["load_report"]["file"].str.contains("anderswo").all()
    assert len(list((tmp_path / "stores").iterdir())) == 2


def test_open_store_shares_the_store_of_load_corpus_and_reads_a_partition_at_a_time(corpus_folder, tmp_path, small_parts):
    fresh = load_corpus(corpus_folder, cache_dir=tmp_path / "stores")
    store = _load_quietly_store(corpus_folder, tmp_path / "stores")
    assert store.folder == _store(tmp_path / "stores") and len(store) == 12 and store.rows == (4, 4, 4)
    second = store.read_partition(1, ["doc_id", "text"])
    assert second.index.tolist() == [4, 5, 6, 7] and second.columns.tolist() == ["doc_id", "text"]
    assert second["doc_id"].tolist() == fresh["doc_id"].iloc[4:8].tolist()
    pd.testing.assert_frame_equal(store.read(), fresh)
    assert store.read(["source"])["source"].tolist() == ["taz"] * 6 + ["zeit"] * 6


def _load_quietly_store(path, cache_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return load.open_store(path, cache_dir=cache_dir)


def test_a_folder_that_is_not_a_complete_store_is_an_error_naming_it(corpus_folder, tmp_path, small_parts):
    store = load.open_store(corpus_folder, cache_dir=tmp_path / "stores")
    (store.folder / "articles" / "part-00002.parquet").unlink()
    with pytest.raises(load.CorpusError, match=r"corpus-\w+: not a usable corpus store: articles/part-00002.parquet is missing"):
        load.CorpusStore(store.folder)
    with pytest.warns(UserWarning, match="part-00002.parquet is missing; rebuilding it"):
        # rebuilt a piece at a time from the files: 12 of 92 bytes in four equal pieces of at most 350 bytes
        assert load.open_store(corpus_folder, cache_dir=tmp_path / "stores").rows == (3, 3, 3, 3)


@pytest.mark.parametrize(("n_jobs", "rows"), [(None, (4, 3, 3)), (2, (3, 3, 2, 2))])
def test_the_pieces_of_a_file_are_equally_large_not_full_ones_and_a_small_rest(tmp_path, monkeypatch, n_jobs, rows):
    path = tmp_path / "artikel.jsonl"
    lines = [json.dumps({"id": f"a{i}", "source": "taz", "text": f"Tokajew besuchte Astana am {i}. Mai. Die Zölle sinken."},
                        ensure_ascii=False) for i in range(10)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line_bytes = len(lines[0].encode("utf-8")) + 1
    monkeypatch.setattr(load, "STORE_PART_CHARS", 7 * line_bytes)  # pieces of at most three and a half lines
    store = load.open_store(path, cache_dir=tmp_path / "stores", n_jobs=n_jobs)
    assert store.rows == rows  # not (4, 4, 2); for two workers as many pieces as they share out evenly, not three
    assert store.read(["doc_id"])["doc_id"].tolist() == [f"a{i}" for i in range(10)]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_json_lines_are_stored_a_piece_at_a_time_as_load_corpus_reads_them_whole(tmp_path, monkeypatch, n_jobs):
    promotion = "Unterstützen Sie unabhängigen Journalismus mit einem Abo für nur fünf Euro im Monat."
    rows = [{"id": f"taz-{i:02d}", "quelle": "taz", "datum": f"2020-01-{i % 28 + 1:02d}",
             "text": f"„Tokajews Besuch“ in Astana am Tag {i}.\nDie Trump-Regierung schweigt zu {i} Zöllen."
                     + (f"\n{promotion}" if i % 3 == 0 else "")} for i in range(24)]
    rows += [{"id": "taz-03", "quelle": "zeit", "text": "Kasachstans Präsident traf Donald Trump."}] * 2  # a repeated id, twice
    path = tmp_path / "korpus.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    monkeypatch.setattr(load, "STORE_PART_CHARS", 600)  # pieces of about 300 bytes: several per worker
    with pytest.warns(UserWarning, match="ids occur more than once"):
        fresh = load_corpus(path)
    with pytest.warns(UserWarning, match="ids occur more than once"):
        store = load.open_store(path, cache_dir=tmp_path / "stores", n_jobs=n_jobs)
    assert len(store.rows) == 16 and sum(store.rows) == 26  # 4,620 bytes in the fewest even pieces of about 300 bytes
    stored = store.read()
    pd.testing.assert_frame_equal(stored, fresh)
    assert stored["doc_id"].tolist()[-3:] == ["taz-23", "taz-03__2", "taz-03__3"]
    assert stored["is_duplicate"].tolist() == [False] * 25 + [True]  # the copy is in another piece
    pd.testing.assert_frame_equal(store.load_report, fresh.attrs["load_report"])  # the repeated id reported once
    assert stored.attrs["boilerplate"].values.tolist() == [["taz", promotion, 8, 8 / 24]]
    assert not (store.folder / "raw").exists()


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_a_store_warns_about_heavily_cleaned_articles_as_load_corpus_does(tmp_path, monkeypatch, n_jobs):
    promo = "[Jetzt 30 Tage kostenlos testen und alle Artikel des Tagesspiegels lesen, auch auf dem Handy]"
    rows = [{"id": "lang", "text": f"Tokajew sprach in Astana über Zölle und Öl.\n\n{promo[:40]}]"},
            {"id": "kurz", "text": f"Gipfel in Astana\n\nTokajew sprach.\n\n{promo}"}]
    path = tmp_path / "korpus.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    monkeypatch.setattr(load, "STORE_PART_CHARS", 200)  # one article a piece: the warning comes from the second
    expected = r"article 'kurz': cleaning removed 15 of its 17 words \(88%\), most by the rule 'bracketed_note'"
    with pytest.warns(UserWarning, match=expected):
        load_corpus(path, cache=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        store = load.open_store(path, cache_dir=tmp_path / "stores", n_jobs=n_jobs)
    assert [str(w.message) for w in caught if "cleaning removed" in str(w.message)] == [
        "article 'kurz': cleaning removed 15 of its 17 words (88%), most by the rule 'bracketed_note'; see analysis.audit"]
    assert store.rows == (1, 1)


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_a_folder_of_text_files_is_stored_a_piece_at_a_time_as_load_corpus_reads_it(corpus_folder, tmp_path,
                                                                                     monkeypatch, n_jobs):
    (corpus_folder / "a-ohne-quelle.txt").write_text("Kasachstans Präsident traf Donald Trump.", encoding="utf-8")
    (corpus_folder / "zeit" / "bild.jpg").write_bytes(b"\xff\xd8")
    monkeypatch.setattr(load, "STORE_PART_CHARS", 200)  # files of 100 bytes a piece: two articles; the first has no outlet
    with pytest.warns(UserWarning, match=r"bild.jpg: not a .txt or table file; skipped"):
        fresh = load_corpus(corpus_folder, cache=False)
    with pytest.warns(UserWarning, match=r"bild.jpg: not a .txt or table file; skipped"):
        store = load.open_store(corpus_folder, cache_dir=tmp_path / "stores", n_jobs=n_jobs)
    # read piece by piece, not whole: 1,145 bytes, cut at the first file end after each multiple of 96 bytes
    # (the fewest equal shares of at most 100 bytes)
    assert store.rows == (2,) + (1,) * 9 + (2,) and not (store.folder / "raw").exists()
    stored = store.read()
    pd.testing.assert_frame_equal(stored, fresh)
    assert stored["source"].tolist() == [None] + ["taz"] * 6 + ["zeit"] * 6
    assert stored["doc_id"].tolist()[:3] == ["a-ohne-quelle", "taz/0", "taz/1"]


@pytest.mark.parametrize("n_buckets", [1, 1 << 23])
def test_a_store_learns_the_lines_load_corpus_learns_whatever_the_hashed_buckets_share(tmp_path, monkeypatch,
                                                                                       n_buckets):
    promotion = "Unterstützen Sie unabhängigen Journalismus mit einem Abo für nur fünf Euro im Monat."
    notice = "Der Preis für Stahl hängt in diesem Jahr stark vom Wetter in Sibirien ab."
    rows = [{"id": f"taz-{i:02d}", "quelle": "taz", "text": f"Tokajew besuchte am Tag {i} Astana und sprach über Öl."
             + (f"\n{promotion}" if i % 3 == 0 else "")} for i in range(24)]
    rows += [{"id": f"zeit-{i:02d}", "quelle": "zeit", "text": f"Die Zölle auf {i} Tonnen Stahl steigen im Frühjahr."
              + (f"\n{notice}" if i < 4 else "") + (f"\n{promotion}" if i in (5, 6) else "")} for i in range(20)]
    path = tmp_path / "korpus.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    monkeypatch.setattr(load, "STORE_PART_CHARS", 800)  # several pieces
    monkeypatch.setattr(load, "LINE_BUCKETS", n_buckets)  # one bucket: every line counted exactly in the last pass
    store = load.open_store(path, cache_dir=tmp_path / "stores", n_jobs=2)
    assert store.n_partitions > 3
    stored = store.read()
    pd.testing.assert_frame_equal(stored, load_corpus(path, cache=False))
    # the promotion in 8 of 24 taz articles is learned; the notice in 4 of 20 zeit articles (< 5) is not,
    # and neither is the promotion in 2 zeit articles
    assert stored.attrs["boilerplate"].values.tolist() == [["taz", promotion, 8, 8 / 24]]
    assert stored["text"].str.contains("Wetter in Sibirien").sum() == 4
    assert not (store.folder / "keys").exists()


def _mixed_folder(tmp_path):
    """Seven German articles: two repeats of one text, a notice instead of an article, one left empty by cleaning."""
    folder = tmp_path / "gemischt"
    folder.mkdir()
    texts = {
        "a1": "Tokajew empfing den Gesandten in Astana.\n\nDie Gespräche über Zölle dauerten bis zum Abend.",
        "a2": "Tokajew empfing den Gesandten in Astana.\n\nDie Gespräche über Zölle dauerten bis zum Abend.",
        "a3": "Die Regierung in Taschkent kündigte neue Förderprogramme für Bäuerinnen an.",
        "a4": "Dieser Inhalt ist nicht mehr verfügbar.",
        "a5": "Foto: dpa",
        "a6": "Mirziyoyev sprach über Baumwolle, Wasser und die Grenzen im Ferghanatal.",
        "a7": "Tokajew empfing den Gesandten in Astana.\n\nDie Gespräche über Zölle dauerten bis zum Abend.",
    }
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_articles_for_analysis_of_a_store_keep_the_rows_of_the_frame(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "STORE_PART_CHARS", 300)  # a few articles a file, so that views cut across files
    folder = _mixed_folder(tmp_path)
    frame, frame_left_out = load.articles_for_analysis(load_corpus(folder))
    store = load.open_store(folder, cache_dir=tmp_path / "stores")
    assert store.n_partitions > 1
    view, left_out = load.articles_for_analysis(store)
    assert left_out == frame_left_out == ("2 repeating an earlier text, 1 notice instead of an article and "
                                          "1 left empty by cleaning left out")
    assert len(view) == 3 and view.n_partitions == store.n_partitions
    assert view.read()["doc_id"].tolist() == frame["doc_id"].tolist() == ["a1", "a3", "a6"]
    pd.testing.assert_frame_equal(view.read(), frame, check_like=False)
    assert [len(part) for part in view.partitions(["doc_id"])] == list(view.rows)
    again, _ = load.articles_for_analysis(view)  # a view of a view
    assert again.read(["doc_id"])["doc_id"].tolist() == ["a1", "a3", "a6"]
    smaller = view.subset([False, True, True])
    assert smaller.read(["doc_id"])["doc_id"].tolist() == ["a3", "a6"]
    assert smaller == view.subset([False, True, True]) and smaller != view


def test_a_sample_of_a_store_is_drawn_by_its_seed_and_whole_when_the_store_is_small(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "STORE_PART_CHARS", 300)
    store = load.open_store(_mixed_folder(tmp_path), cache_dir=tmp_path / "stores")
    assert store.sample(7)["doc_id"].tolist() == [f"a{i}" for i in range(1, 8)]
    drawn = store.sample(3, random_state=4, columns=["doc_id"])["doc_id"].tolist()
    assert len(drawn) == 3 and drawn == sorted(drawn)  # in the store's order
    assert store.sample(3, random_state=4, columns=["doc_id"])["doc_id"].tolist() == drawn
    assert {tuple(store.sample(3, random_state=seed, columns=["doc_id"])["doc_id"]) for seed in range(6)} != {tuple(drawn)}
    with pytest.raises(ValueError, match="one truth value per article"):
        store.subset([True, False])


def test_removals_are_summed_up_alike_from_a_frame_and_from_a_store_in_pieces(tmp_path, monkeypatch):
    from analysis.clean import removal_summary
    from analysis.mentions import count_mentions

    monkeypatch.setattr(load, "STORE_PART_CHARS", 300)
    folder = _mixed_folder(tmp_path)
    store = load.open_store(folder, cache_dir=tmp_path / "stores")
    for corpus in (load_corpus(folder), store):
        by_rule, examples, raw_words = removal_summary(corpus)
        assert by_rule.to_dict("index") == {"image_caption": {"lines": 1, "words": 2, "articles": 1}}
        assert examples.to_dict("records") == [{"doc_id": "a5", "rule": "image_caption", "text": "Foto: dpa"}]
        assert raw_words == 70
    frame, _ = load.articles_for_analysis(load_corpus(folder))
    view, _ = load.articles_for_analysis(store)
    counted = count_mentions(view, by="doc_id", label="id")
    pd.testing.assert_frame_equal(counted, count_mentions(frame, by="doc_id", label="id"))
    assert counted.loc[["a1", "a6"], ["tokayev", "mirziyoyev"]].to_numpy().tolist() == [[1, 0], [0, 1]]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_a_parquet_file_is_stored_a_piece_at_a_time_as_load_corpus_reads_it_whole(tmp_path, monkeypatch, n_jobs):
    promotion = "Unterstützen Sie unabhängigen Journalismus mit einem Abo für nur fünf Euro im Monat."
    rows = [{"id": f"taz-{i:02d}", "quelle": "taz", "ressort": "Ausland",
             "datum": "kein Datum" if i in (5, 20) else f"2020-01-{i % 28 + 1:02d}",  # in two pieces
             "text": f"„Tokajews Besuch“ in Astana am Tag {i}.\nDie Trump-Regierung schweigt zu {i} Zöllen."
                     + (f"\n{promotion}" if i % 3 == 0 else "")} for i in range(24)]
    rows += [{"id": "taz-03", "quelle": "zeit", "text": "Kasachstans Präsident traf Donald Trump."}] * 2  # a repeated id
    rows += [{"id": "leer", "quelle": "zeit", "text": "   "}]  # no text: skipped and reported by its row
    path = tmp_path / "korpus.parquet"
    pd.DataFrame(rows).set_index("id").to_parquet(path)  # the ids as the frame's index, as pandas users write them
    monkeypatch.setattr(load, "STORE_PART_CHARS", 600)
    with pytest.warns(UserWarning, match="ids occur more than once"):
        fresh = load_corpus(path)
    with pytest.warns(UserWarning, match="ids occur more than once"):
        store = load.open_store(path, cache_dir=tmp_path / "stores", n_jobs=n_jobs)
    assert store.n_partitions > 5
    stored = store.read()
    pd.testing.assert_frame_equal(stored, fresh)
    assert stored["doc_id"].tolist()[-3:] == ["taz-23", "taz-03__2", "taz-03__3"]
    assert stored["ressort"].tolist()[:2] == ["Ausland", "Ausland"]
    assert stored.attrs["boilerplate"].values.tolist() == [["taz", promotion, 8, 8 / 24]]
    pd.testing.assert_frame_equal(store.load_report, fresh.attrs["load_report"])  # each problem once, for the whole file
    assert store.load_report["problem"].tolist() == [
        "row 27 has no text", "1 ids occur more than once, e.g. 'taz-03'",
        "2 dates could not be parsed, e.g. 'kein Datum' in article 'taz-05'"]


@pytest.mark.parametrize("encoding, separator", [("utf-8", ";"), ("cp1252", ","), ("utf-16", "\t")])
def test_a_csv_file_is_stored_a_piece_at_a_time_as_load_corpus_reads_it_whole(tmp_path, monkeypatch, encoding, separator):
    promotion = "Unterstützen Sie unabhängigen Journalismus mit einem Abo für nur fünf Euro im Monat."
    rows = [[f"taz-{i:02d}", "taz", f"2020-01-{i % 28 + 1:02d}",
             f"„Tokajews Besuch“ in Astana am Tag {i}.\nDie Trump-Regierung schweigt zu {i} Zöllen."
             + (f"\n{promotion}" if i % 3 == 0 else "")] for i in range(24)]
    rows.insert(7, ["zuviel", "zeit", "2020-02-01", "Ein Feld zu viel.", "überzählig"])  # skipped, reported by its line
    lines = [separator.join(["id", "Quelle", "Datum", "Text"])]
    lines += [separator.join(f'"{field}"' for field in row) for row in rows]
    lines.insert(12, "")  # a blank line, passed over
    path = tmp_path / ("korpus.tsv" if separator == "\t" else "korpus.csv")
    path.write_bytes("\r\n".join(lines).encode(encoding))
    if encoding == "cp1252":
        path.write_bytes(path.read_bytes().replace("„".encode(encoding), b"\x84"))
    monkeypatch.setattr(load, "STORE_PART_CHARS", 600)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fresh = load_corpus(path)
        store = load.open_store(path, cache_dir=tmp_path / "stores", n_jobs=2)
    assert store.n_partitions > 5
    stored = store.read()
    pd.testing.assert_frame_equal(stored, fresh)
    assert stored["doc_id"].tolist()[:2] == ["taz-00", "taz-01"] and len(stored) == 24
    assert stored.loc[3, "text"] == "„Tokajews Besuch“ in Astana am Tag 3.\n\nDie Trump-Regierung schweigt zu 3 Zöllen."  # no promotion
    pd.testing.assert_frame_equal(store.load_report, fresh.attrs["load_report"])
    assert "5 fields where the header has 4" in " ".join(store.load_report["problem"])
    assert ("not valid UTF-8" in " ".join(store.load_report["problem"])) == (encoding == "cp1252")


def test_a_csv_file_of_white_space_is_an_error_naming_it(tmp_path):
    path = tmp_path / "leer.csv"
    path.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(load.CorpusError, match="leer.csv: the file is empty"):
        load.open_store(path, cache_dir=tmp_path / "stores")
