"""Loading unsafe or unusual input: links out of the corpus, odd file names and tables, unused columns."""
import os
import warnings

import pytest

from analysis import CorpusError, load_corpus
from analysis.load import readable_name

TOKAJEW = "Tokajew traf Trump in Washington."
ASTANA = "Mirziyoyev reiste nach Astana."


def _load(path, folder, **kwargs):
    """Load ``path``; return the corpus and its warnings, with ``folder``'s path left out."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(path, **kwargs)
    return corpus, [str(w.message).replace(f"{folder}/", "") for w in caught]


def test_links_out_of_the_corpus_folder_are_not_followed(tmp_path):
    corpus_folder, private = tmp_path / "korpus", tmp_path / "privat"
    (corpus_folder / "taz").mkdir(parents=True)
    private.mkdir()
    (private / "passwort.txt").write_text("geheim: Kennwort 1234", encoding="utf-8")
    (private / "metadata.csv").write_text("file,outlet\na.txt,Geheimblatt\n", encoding="utf-8")
    (corpus_folder / "a.txt").write_text(TOKAJEW, encoding="utf-8")
    (corpus_folder / "taz" / "b.txt").write_text(ASTANA, encoding="utf-8")
    (corpus_folder / "auch-b.txt").symlink_to(Path_("taz/b.txt"))  # inside the folder: read
    (corpus_folder / "passwd.txt").symlink_to(private / "passwort.txt")
    (corpus_folder / "taz" / "relativ.txt").symlink_to(Path_("../../privat/passwort.txt"))
    (corpus_folder / "weg.txt").symlink_to(private / "fehlt.txt")
    (corpus_folder / "metadata.csv").symlink_to(private / "metadata.csv")
    corpus, messages = _load(corpus_folder, corpus_folder)
    assert sorted(corpus["doc_id"]) == ["a", "auch-b", "taz/b"]
    assert not corpus["raw_text"].str.contains("geheim").any()
    assert corpus["source"].tolist() == [None, None, "taz"]
    assert sorted(messages) == [
        f"{name}: a link that leads out of the corpus folder (not followed); skipped"
        for name in ("metadata.csv", "passwd.txt", "taz/relativ.txt", "weg.txt")]


def Path_(text):  # noqa: N802 - a relative link target, as ``ln -s`` writes it
    from pathlib import PurePosixPath
    return PurePosixPath(text)


def test_a_file_name_that_is_not_utf8_is_read_and_named(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"B\xe4r.txt"), "wb") as handle:  # "Bär" as Latin-1 wrote it
        handle.write(TOKAJEW.encode("utf-8"))
    (tmp_path / "ok.txt").write_text(ASTANA, encoding="utf-8")
    corpus, messages = _load(tmp_path, tmp_path)
    assert corpus["doc_id"].tolist() == ["Bär", "ok"]
    assert messages == ["Bär.txt: the file name is not valid UTF-8 (shown here decoded as cp1252); read"]
    corpus.attrs["load_report"].to_parquet(tmp_path / "report.parquet")  # no lone surrogates left to fail on


def test_readable_name_decodes_escaped_bytes_and_composes():
    assert readable_name("Stra\udcdfe/B\udce4r.txt") == "Straße/Bär.txt"
    assert readable_name("Mu\u0308nchen.txt") == "München.txt"
    assert readable_name("x\udc81y") == "x\ufffdy"  # a byte cp1252 leaves undefined


def test_a_decomposed_file_name_matches_its_composed_name_in_the_sidecar(tmp_path):
    (tmp_path / "Mu\u0308nchen.txt").write_text(TOKAJEW, encoding="utf-8")  # as macOS writes "München"
    (tmp_path / "metadata.csv").write_text("file,outlet\nM\u00fcnchen.txt,SZ\n", encoding="utf-8")
    corpus, messages = _load(tmp_path, tmp_path)
    assert messages == []
    assert corpus[["doc_id", "source"]].values.tolist() == [["M\u00fcnchen", "SZ"]]


def test_utf16_tab_separated_csv_is_read_as_a_table(tmp_path):
    text = "Quelle\tÜberschrift\tText\r\nZeit\tGipfel „Astana“\tTokajew traf Trump.\r\ntaz\tZölle\tÖl für Kasachstan.\r\n"
    (tmp_path / "export.csv").write_bytes(text.encode("utf-16"))  # "Unicode text" of a spreadsheet program
    corpus, messages = _load(tmp_path / "export.csv", tmp_path)
    assert messages == []
    assert corpus[["source", "title", "raw_text"]].values.tolist() == [
        ["Zeit", "Gipfel „Astana“", "Tokajew traf Trump."], ["taz", "Zölle", "Öl für Kasachstan."]]


@pytest.mark.parametrize("header, repeated", [
    ("text,source,text", "'text', 'text'"),
    ("text,source,Source", "'source', 'Source'"),
    ("Text, titel ,Titel,source", "' titel ', 'Titel'"),
])
def test_repeated_column_names_are_an_error_naming_them(tmp_path, header, repeated):
    (tmp_path / "a.csv").write_text(f"{header}\n{'x,' * (header.count(',')) }y\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=f"column names repeat \\(case and spaces ignored\\): {repeated}\\."):
        load_corpus(tmp_path / "a.csv")


def test_case_variant_keys_of_json_lines_are_an_error(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"text": "Tokajew traf Trump.", "source": "taz", "Source": "Zeit"}\n',
                                      encoding="utf-8")
    with pytest.raises(CorpusError, match="column names repeat .*: 'source', 'Source'"):
        load_corpus(tmp_path / "a.jsonl")


def test_columns_not_used_are_kept(tmp_path):
    (tmp_path / "a.csv").write_text(
        "inhalt,label,Ressort,text,n_words\n"
        "Tokajew traf Trump.,Zeit,Politik,alter Text,3\n"
        "Öl für Kasachstan.,taz,Wirtschaft,,\n", encoding="utf-8")
    corpus = load_corpus(tmp_path / "a.csv", text_column="inhalt", source_column="label")
    assert list(corpus.columns[9:]) == ["Ressort", "text_input", "n_words_input", "removed", "is_duplicate", "is_stub"]
    assert corpus[["source", "text", "Ressort", "text_input", "n_words_input"]].values.tolist() == [
        ["Zeit", "Tokajew traf Trump.", "Politik", "alter Text", "3"],
        ["taz", "Öl für Kasachstan.", "Wirtschaft", None, None]]


def test_sidecar_columns_follow_the_column_names_given_and_the_others_are_kept(tmp_path):
    (tmp_path / "a.txt").write_text(TOKAJEW, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,label,quelle,Ressort\na.txt,Zeit,dpa,Politik\n", encoding="utf-8")
    corpus = load_corpus(tmp_path, source_column="label")
    assert corpus[["source", "quelle", "Ressort"]].values.tolist() == [["Zeit", "dpa", "Politik"]]


def test_one_article_json_follows_the_column_names_given(tmp_path):
    (tmp_path / "a.json").write_text('{"inhalt": "Tokajew traf Trump.", "blatt": "taz", "tags": ["Politik", "Asien"]}',
                                     encoding="utf-8")
    (tmp_path / "b.txt").write_text(ASTANA, encoding="utf-8")
    corpus = load_corpus(tmp_path, text_column="inhalt", source_column="blatt")
    assert corpus[["doc_id", "source", "text", "tags"]].values.tolist() == [
        ["b", None, ASTANA, None], ["a-0", "taz", "Tokajew traf Trump.", "Politik, Asien"]]
