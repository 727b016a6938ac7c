"""Shared passages on a corpus store: the same passages as on the frame, partition by partition."""
import numpy as np
import pandas as pd
import pytest

from analysis import load
from analysis.compare import passage_table, remove_shared_passages, shared_passages, shared_text_by_outlet
from analysis.compare.shared_text import _text_shingles, _winnow

# Agency copy: DPA printed by taz and Zeit, AFP by Welt, taz and Zeit.
DPA = ("Die Bundesregierung hat am Montag in Berlin neue Regeln für die Einreise aus Risikogebieten beschlossen. "
       "Wer aus einem solchen Gebiet zurückkehrt, muss sich nach Angaben des Gesundheitsministeriums zehn Tage "
       "in häusliche Quarantäne begeben.")  # 33 words
AFP = ("Kasachstans Präsident Tokajew ist zu einem zweitägigen Besuch in Washington eingetroffen. „Wir wollen die "
       "Zusammenarbeit bei Rohstoffen vertiefen“, sagte Tokajews Sprecher am Dienstag vor Journalisten in der "
       "amerikanischen Hauptstadt.")  # 29 words
NOTE = ("Unterstützen Sie unabhängigen Journalismus: Die taz ist frei zugänglich, weil tausende Leserinnen und "
        "Leser freiwillig für ihre Zeitung bezahlen – auch für Sie.")  # taz only: not shared between outlets


def agency_corpus() -> pd.DataFrame:
    """Ten articles of taz, Zeit and Welt; two agency texts reprinted by several outlets, one house note twice in taz."""
    rows = [
        ("taz-1", "taz", "Kommentar von Anna Groß: So geht es nicht weiter.\n\n" + DPA + "\n\nDas ist überfällig, sagt die Ärztin."),
        ("taz-2", "taz", "Die Straßen in Köln bleiben leer, weil es regnet und niemand hinaus will.\n\n" + NOTE),
        ("zeit-1", "Zeit", "Die Trump-Regierung äußerte sich nicht zu den Zöllen auf Stahl aus Europa."),
        ("welt-1", "Welt", "Berlin. " + AFP + " Der Besuch dauert bis Mittwoch."),
        ("taz-3", "taz", "Tokajews Besuch in Washington dauerte zwei Tage.\n\n" + NOTE),
        ("zeit-2", "Zeit", "„Wir handeln jetzt“, sagte Spahns Sprecherin am Abend. " + DPA),
        ("welt-2", "Welt", "Ein ganz anderer Text über den Miami-G20-Gipfel und die Trump-Regierung in Florida."),
        ("taz-4", "taz", AFP + "\n\nMehr Hintergrund lesen Sie morgen in unserer Ausgabe."),
        ("zeit-3", "Zeit", "Washington (AFP) – " + AFP),
        ("welt-3", "Welt", "In Bayern schließen die Schulen früher, weil die Fälle steigen und Lehrer fehlen."),
    ]
    return pd.DataFrame(rows, columns=["doc_id", "source", "text"])


@pytest.fixture
def agency_store(tmp_path, monkeypatch):
    """The ten articles as a corpus store of eight partitions: the articles sharing a passage lie in different ones."""
    path = tmp_path / "agentur.jsonl"
    agency_corpus().to_json(path, orient="records", lines=True, force_ascii=False)
    monkeypatch.setattr(load, "STORE_PART_CHARS", 700)
    store = load.open_store(path, cache_dir=tmp_path / "stores")
    assert store.rows == (1, 1, 2, 1, 1, 2, 1, 1)
    return store


def test_agency_copy_is_one_passage_per_text_with_its_outlets_and_exact_extent():
    corpus = agency_corpus()
    found = shared_passages(corpus)
    table = passage_table(found)
    assert table[["passage_id", "n_words", "n_outlets", "outlets", "doc_ids", "text"]].values.tolist() == [
        [0, 29, 3, "Welt, Zeit, taz", ["welt-1", "taz-4", "zeit-3"], AFP],
        [1, 33, 2, "Zeit, taz", ["taz-1", "zeit-2"], DPA],
    ]
    texts = corpus.set_index("doc_id")["text"]
    assert [texts[row.doc_id][row.start:row.end] for row in found.itertuples()] == [AFP] * 3 + [DPA] * 2


def test_the_passages_of_a_store_are_those_of_its_frame(agency_store):
    frame = agency_store.read()
    expected = shared_passages(frame)
    assert len(expected) == 5
    pd.testing.assert_frame_equal(shared_passages(agency_store), expected)
    pd.testing.assert_frame_equal(shared_passages(agency_store, chunk_size=1), expected)
    # the hashes gathered in files beside the store are gone afterwards
    assert [path.name for path in agency_store.folder.parent.iterdir()] == [agency_store.folder.name]


def test_the_passages_do_not_depend_on_how_many_articles_are_hashed_at_a_time():
    corpus = agency_corpus()
    expected = shared_passages(corpus)
    for chunk_size in (1, 3, 7):
        pd.testing.assert_frame_equal(shared_passages(corpus, chunk_size=chunk_size), expected)


def test_a_texts_samples_do_not_depend_on_the_texts_around_it():
    texts = [DPA, "Kurz und knapp.", AFP, NOTE]
    shingles, counts = _text_shingles(texts, 8)
    together = _winnow(shingles, 13, counts)
    offsets = np.cumsum(counts) - counts
    for number, text in enumerate(texts):
        alone_shingles, alone_counts = _text_shingles([text], 8)
        alone = _winnow(alone_shingles, 13, alone_counts)
        mine = together[(together >= offsets[number]) & (together < offsets[number] + counts[number])]
        assert (mine - offsets[number]).tolist() == alone.tolist()
    assert counts.tolist() == [26, 0, 22, 16] and len(together) > 0


def test_shared_words_by_outlet_of_a_store_are_those_of_its_frame(agency_store):
    frame = agency_store.read()
    passages = shared_passages(frame)
    expected = shared_text_by_outlet(frame, passages, remove_shared_passages(frame, passages))
    assert expected.loc[["taz", "Zeit", "Welt"], "shared_words"].tolist() == [33 + 29, 33 + 29, 29]
    assert expected.loc[["taz", "Zeit", "Welt"], "articles_with_shared_text"].tolist() == [2, 2, 1]
    pd.testing.assert_frame_equal(shared_text_by_outlet(agency_store, passages), expected)
    pd.testing.assert_frame_equal(shared_text_by_outlet(frame, passages), expected)
    with pytest.raises(ValueError, match="for a corpus store leave it out"):
        shared_text_by_outlet(agency_store, passages, frame)


def test_a_store_without_the_outlet_column_is_an_error_naming_it(agency_store):
    with pytest.raises(ValueError, match=r"the corpus store lacks the column\(s\) \['medium'\]"):
        shared_passages(agency_store, by="medium")
