"""Loading every input format, and clear reports for bad input."""
import gzip
import json
import lzma
import struct
import warnings
import zlib

import pandas as pd
import pytest

from analysis import CorpusError, articles_for_analysis, load_corpus
from analysis.load import _open, _read_jsonl_arrow
from analysis.paths import RAW_DIR

ARTICLE = "Tokajew traf Mirsijojew in Taschkent.\n\nDie Gespräche über Zölle dauerten lange."
ROWS = [
    {"id": "a1", "outlet": "zeit.de", "published": "2020-11-13T16:31:47+01:00", "headline": "Gipfel", "body": ARTICLE},
    {"id": "a2", "outlet": "taz.de", "published": "24. Dezember 2025", "headline": "Zölle", "body": "Kasachstan exportiert Öl."},
]


def _load_with_warnings(path, folder):
    """Load ``path``; return the corpus and the messages of its warnings, with paths relative to ``folder``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(path)
    return corpus, [str(w.message).replace(f"{folder}/", "") for w in caught]


def test_bundled_corpus_has_outlet_date_author_where_the_texts_give_them():
    corpus = load_corpus(RAW_DIR)
    assert list(corpus.columns[:9]) == ["doc_id", "source", "date", "title", "author", "url", "text", "raw_text", "n_words"]
    table = corpus[["doc_id", "source", "date", "author"]].astype(object).where(corpus[["doc_id", "source", "date", "author"]].notna(), None)
    assert table.values.tolist() == [
        ["000_2da1234d1a8e9a06", "S-Bahn Hamburg", pd.Timestamp("2025-12-24"), "Lennart Krüger"],
        ["001_a6815253bf6501a7", None, None, "Alexander Thompson"],
        ["002_af44ea4379a0538b", "DAZ", pd.Timestamp("2025-11-10"), None],
        ["003_0e63eec3ea36fa6e", None, pd.Timestamp("2025-11-05"), None],
        ["004_4fd6afaf44899373", None, pd.Timestamp("2025-08-19"), "aro."],
    ]
    assert corpus["date"].dtype == "datetime64[ns]"
    assert corpus.loc[0, "title"] == "Trump lädt kasachische und usbekische Präsidenten zum Miami-G20-Gipfel ein"
    for path, raw in zip(sorted(RAW_DIR.glob("*.txt")), corpus["raw_text"]):
        assert raw == path.read_text(encoding="utf-8")
    assert corpus["n_words"].tolist() == [len(t.split()) for t in corpus["text"]]
    assert corpus.attrs["load_report"].empty


def test_text_gives_metadata_when_there_is_no_sidecar(tmp_path):
    for path in RAW_DIR.glob("*.txt"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    corpus = load_corpus(tmp_path)
    assert corpus["date"].dt.strftime("%Y-%m-%d").fillna("").tolist() == ["2025-12-24", "", "2025-11-10", "2025-11-05", "2025-08-19"]
    assert corpus["author"].fillna("").tolist() == ["Lennart Krüger", "Alexander Thompson", "", "", "aro."]
    assert corpus["source"].isna().all()


def test_sidecar_wins_over_the_text(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2025-11-10 Tokajew sprach.\n\naro.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet,date,author\na.txt,DAZ,2025-11-11,Anna Muster\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.loc[0, ["source", "author"]].tolist() == ["DAZ", "Anna Muster"]
    assert corpus.loc[0, "date"] == pd.Timestamp("2025-11-11")


def test_sidecar_columns_are_recognised_as_in_tables(tmp_path):
    (tmp_path / "a.txt").write_text("Tokajew sprach.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Mirsijojew schwieg.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(  # as a German spreadsheet program writes it
        "Datei;File;Quelle;Datum;Überschrift;Autorin\r\nx;a.txt;taz.de;3. März 2025;Gipfel;Anna Muster\r\n"
        "y;b.txt;DAZ;03.11.2025;Öl;\r\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus[["doc_id", "source", "title", "author"]].values.tolist() == [
        ["a", "taz.de", "Gipfel", "Anna Muster"], ["b", "DAZ", "Öl", None]]
    assert corpus["date"].tolist() == [pd.Timestamp("2025-03-03"), pd.Timestamp("2025-11-03")]
    (tmp_path / "metadata.csv").write_text("file,outlet,source\na.txt,TAZ,taz.de\n", encoding="utf-8")
    assert load_corpus(tmp_path)["source"].tolist() == ["taz.de", None]  # the first of the usual names
    (tmp_path / "metadata.csv").write_text("Datei;Quelle\na.txt;taz.de\nb.txt;DAZ\n", encoding="utf-8")
    assert load_corpus(tmp_path)["source"].tolist() == ["taz.de", "DAZ"]  # the German name of the file column


def _write(path, text, compress=None):
    data = text.encode("utf-8")
    if compress == "gz":
        data = gzip.compress(data)
    elif compress == "xz":
        data = lzma.compress(data)
    path.write_bytes(data)
    return path


def _expected(corpus):
    assert corpus["doc_id"].tolist() == ["a1", "a2"]
    assert corpus["source"].tolist() == ["zeit.de", "taz.de"]
    assert corpus["title"].tolist() == ["Gipfel", "Zölle"]
    assert [str(d) for d in corpus["date"]] == ["2020-11-13 16:31:47", "2025-12-24 00:00:00"]
    assert corpus["text"].tolist() == [ARTICLE, "Kasachstan exportiert Öl."]
    assert corpus["n_words"].tolist() == [11, 3]


MAPPING = dict(text_column="body", source_column="outlet", date_column="published", id_column="id", title_column="headline")


@pytest.mark.parametrize("compress", [None, "gz", "xz"])
def test_jsonl(tmp_path, compress):
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n"
    name = "corpus.jsonl" + (f".{compress}" if compress else "")
    _expected(load_corpus(_write(tmp_path / name, text, compress), **MAPPING))


@pytest.mark.parametrize("compress", [None, "gz", "xz"])
def test_csv_and_tsv(tmp_path, compress):
    frame = pd.DataFrame(ROWS)
    suffix = f".{compress}" if compress else ""
    _expected(load_corpus(_write(tmp_path / f"c.csv{suffix}", frame.to_csv(index=False), compress), **MAPPING))
    _expected(load_corpus(_write(tmp_path / f"c.tsv{suffix}", frame.to_csv(index=False, sep="\t"), compress), **MAPPING))


def test_parquet(tmp_path):
    pd.DataFrame(ROWS).to_parquet(tmp_path / "c.parquet")
    _expected(load_corpus(tmp_path / "c.parquet", **MAPPING))


@pytest.mark.parametrize("compress", [None, "gz"])
def test_json_array_object_and_lines(tmp_path, compress):
    suffix = f".{compress}" if compress else ""
    array = "\ufeff" + json.dumps([ROWS[0], "kein Artikel", ROWS[1]], ensure_ascii=False)  # with a byte order mark
    with pytest.warns(UserWarning, match=r"a\.json.*: item 2 of the array is not a JSON object; item skipped"):
        _expected(load_corpus(_write(tmp_path / f"a.json{suffix}", array, compress), **MAPPING))
    holder = json.dumps({"n": 2, "articles": ROWS}, ensure_ascii=False)  # the one array of objects in an object
    _expected(load_corpus(_write(tmp_path / f"b.json{suffix}", holder, compress), **MAPPING))
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS)  # JSON Lines named .json
    _expected(load_corpus(_write(tmp_path / f"c.json{suffix}", lines, compress), **MAPPING))
    article = {**ROWS[1], "text": ROWS[1]["body"], "images": [{"url": "https://taz.de/oel.jpg"}]}
    single = load_corpus(_write(tmp_path / f"d.json{suffix}", json.dumps(article), compress))
    assert single["text"].tolist() == ["Kasachstan exportiert Öl."]


def test_a_broken_json_array_is_an_error_naming_the_place_not_a_list_of_broken_lines(tmp_path):
    (tmp_path / "c.json").write_text('[\n  {"id": "a", "text": "Eins."},\n  {"id": "b", "text": "Zwei."},\n]\n',
                                     encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CorpusError, match=r"c\.json: broken JSON \(Expecting value: line 4 column 1 \(char 66\)\)"):
            load_corpus(tmp_path / "c.json")


def test_a_folder_of_json_files_keeps_file_order_ids_and_reports(tmp_path):
    files = {
        "a.json": {"id": "a1", "text": "Tokajew traf Trump.", "author": ["Anna Muster", "Ben Beispiel"]},
        "b.json": {"body": "Kasachstan liefert Uran.", "Headline": "Uran", "outlet": "taz.de"},  # other names, no id
        "c.json": [{"text": "Erster Artikel."}, {"text": "Zweiter Artikel."}],
        "d.json": {"id": "", "text": "Ohne Kennung."},
        "e.json": {"id": "e1", "text": "   "},
        "f.json": [7, {"id": "f1", "text": "Nach einer Zahl."}],
        "g.json": {"id": 8, "text": "Mirsijojew in Samarkand."},
    }
    for name, value in files.items():
        (tmp_path / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(tmp_path)
    assert corpus[["doc_id", "source", "title", "author", "text"]].values.tolist() == [
        ["a1", None, None, "Anna Muster, Ben Beispiel", "Tokajew traf Trump."],
        ["b-0", "taz.de", "Uran", None, "Kasachstan liefert Uran."],
        ["c-0", None, None, None, "Erster Artikel."],
        ["c-1", None, None, None, "Zweiter Artikel."],
        ["d-0", None, None, None, "Ohne Kennung."],
        ["f1", None, None, None, "Nach einer Zahl."],
        ["8", None, None, None, "Mirsijojew in Samarkand."],
    ]
    assert sorted(str(w.message).replace(str(tmp_path) + "/", "") for w in caught) == [
        "d.json: 1 row(s) without an id, e.g. row 1; ids made from the row numbers, such as 'd-0'",
        "e.json: row 1 has no text; row skipped",
        "f.json: item 1 of the array is not a JSON object; item skipped",
    ]


@pytest.mark.parametrize("layout", ["jsonl", "parquet", "folder"])
def test_a_text_given_as_a_list_of_paragraphs_is_joined_by_blank_lines(tmp_path, layout):
    rows = [{"id": "a", "text": ["Tokajew traf Trump.", "Die Gespräche dauerten lange."]},
            {"id": "b", "text": []}, {"id": "c", "text": ["Eins.", None]}]
    if layout == "jsonl":
        path = tmp_path / "c.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    elif layout == "parquet":
        path = tmp_path / "c.parquet"
        pd.DataFrame(rows).to_parquet(path)
    else:
        path = tmp_path
        for row in rows:
            (tmp_path / f"{row['id']}.json").write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(path)
    assert corpus[["doc_id", "raw_text"]].values.tolist() == [["a", "Tokajew traf Trump.\n\nDie Gespräche dauerten lange."]]
    messages = [str(w.message).replace(f"{tmp_path}/", "") for w in caught]
    if layout == "folder":
        assert messages == ["b.json: row 1 has no text; row skipped",
                            "c.json: row 1 holds a list of other things than text; row skipped"]
    else:
        assert messages == [f"c.{layout}: row 2 has no text; row skipped",
                            f"c.{layout}: row 3 holds a list of other things than text; row skipped"]


def test_a_folder_of_one_subfolder_per_outlet(tmp_path):
    for name, text in {"taz/1.txt": "Tokajew traf Trump.", "taz/2.txt": "Kasachstan liefert Uran.",
                       "zeit/1.txt": "Mirsijojew in Samarkand.", "zeit/2025/3.txt": "Zölle für Usbekistan.",
                       "notiz.txt": "Ein Artikel ohne Quelle.", ".ipynb_checkpoints/1.txt": "Eine Kopie."}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "dpa").mkdir()
    (tmp_path / "dpa" / "a.jsonl").write_text(
        '{"id": "d1", "text": "Putin in Astana."}\n{"id": "d2", "text": "Gipfel in Washington.", "source": "AFP"}\n',
        encoding="utf-8")
    (tmp_path / "dpa" / "b.csv").write_text("text\nZölle für Kirgisistan.\n", encoding="utf-8")
    for outlet in ("taz", "zeit"):  # files of the same name in two subfolders, without ids
        (tmp_path / outlet / "x.json").write_text(json.dumps({"text": f"Ein Artikel der {outlet}."}), encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet\ntaz/2.txt,taz.de\n", encoding="utf-8")
    (tmp_path / "zeit" / "metadata.csv").write_text("file,outlet\n1.txt,Die Zeit\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"zeit/metadata\.csv: a metadata\.csv in a subfolder \(only the one in .* is read\)"):
        corpus = load_corpus(tmp_path)
    assert corpus[["doc_id", "source", "text"]].values.tolist() == [
        ["notiz", None, "Ein Artikel ohne Quelle."],
        ["taz/1", "taz", "Tokajew traf Trump."],
        ["taz/2", "taz.de", "Kasachstan liefert Uran."],  # the sidecar names the outlet
        ["zeit/1", "zeit", "Mirsijojew in Samarkand."],
        ["zeit/2025/3", "zeit", "Zölle für Usbekistan."],
        ["d1", "dpa", "Putin in Astana."],
        ["d2", "AFP", "Gipfel in Washington."],  # the table names the outlet
        ["dpa/b-0", "dpa", "Zölle für Kirgisistan."],
        ["taz/x-0", "taz", "Ein Artikel der taz."],
        ["zeit/x-0", "zeit", "Ein Artikel der zeit."],
    ]


def test_ids_keep_the_dots_of_file_names(tmp_path):
    (tmp_path / "taz").mkdir()
    (tmp_path / "taz" / "bericht.2025-01-03.txt").write_text("Tokajew traf Trump.", encoding="utf-8")
    _write(tmp_path / "taz" / "bericht.2025-01-04.txt.gz", "Zölle für Kasachstan.", "gz")
    (tmp_path / "dpa.2025.csv").write_text("text\nÖl aus Atyrau.\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = load_corpus(tmp_path)
    assert corpus["doc_id"].tolist() == ["taz/bericht.2025-01-03", "taz/bericht.2025-01-04", "dpa.2025-0"]
    assert load_corpus(tmp_path / "taz" / "bericht.2025-01-03.txt")["doc_id"].tolist() == ["bericht.2025-01-03"]


def test_many_files_of_another_type_are_reported_together(tmp_path):
    (tmp_path / "bilder").mkdir()
    for i in range(11):
        (tmp_path / "bilder" / f"{i:02d}.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "notiz.pdf").write_bytes(b"%PDF")
    (tmp_path / "a.txt").write_text("Tokajew traf Trump.", encoding="utf-8")
    corpus, messages = _load_with_warnings(tmp_path, tmp_path)
    assert sorted(messages) == [
        f"{tmp_path}: 11 .jpg files are not .txt or table files, e.g. bilder/00.jpg; skipped",
        "notiz.pdf: not a .txt or table file; skipped",
    ]
    assert corpus["doc_id"].tolist() == ["a"]


def test_links_that_are_not_read_are_reported(tmp_path):
    corpus_folder = tmp_path / "korpus"
    (corpus_folder / "taz").mkdir(parents=True)
    (corpus_folder / "a.txt").write_text("Tokajew traf Trump.", encoding="utf-8")
    (corpus_folder / "taz" / "b.txt").write_text("Kasachstan liefert Uran.", encoding="utf-8")
    (corpus_folder / "b.txt").symlink_to(corpus_folder / "taz" / "b.txt")  # a link to a file in the corpus is read
    (corpus_folder / "weg.txt").symlink_to(corpus_folder / "fehlt.txt")
    (corpus_folder / "zeit").symlink_to(corpus_folder / "taz", target_is_directory=True)
    corpus, messages = _load_with_warnings(corpus_folder, corpus_folder)
    assert sorted(messages) == [
        "weg.txt: a link to a file that does not exist (fehlt.txt); skipped",
        "zeit: a link to a folder (links to folders are not followed); skipped",
    ]
    assert corpus["doc_id"].tolist() == ["a", "b", "taz/b"]


def test_one_txt_file_is_a_corpus_of_one_article(tmp_path):
    (tmp_path / "gipfel.txt").write_text(ARTICLE + "\n", encoding="utf-8")
    corpus = load_corpus(tmp_path / "gipfel.txt")
    assert corpus[["doc_id", "text", "n_words"]].values.tolist() == [["gipfel", ARTICLE, 11]]


def test_a_file_of_another_type_is_an_error_naming_the_type(tmp_path):
    (tmp_path / "c.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(CorpusError, match=r"c\.xlsx: not a corpus file \(\.xlsx\); give a folder of \.txt files"):
        load_corpus(tmp_path / "c.xlsx")


def test_usual_column_names_need_no_mapping(tmp_path):
    frame = pd.DataFrame(ROWS).rename(columns={"body": "text", "outlet": "source", "published": "date", "headline": "title"})
    frame.to_csv(tmp_path / "c.csv", index=False)
    _expected(load_corpus(tmp_path / "c.csv"))


def test_semicolon_csv_with_german_column_names(tmp_path):
    (tmp_path / "c.csv").write_text(
        'ID;Überschrift;Text;Quelle;Datum;Autorin\n'
        'a1;Gipfel;"Tokajew traf Trump; danach sprachen beide.";taz.de;24.12.2025;Anna Muster\n'
        'a2;Öl;Kasachstan exportiert Öl.;DAZ;2025-11-10;\n', encoding="utf-8")
    corpus = load_corpus(tmp_path / "c.csv")
    assert corpus[["doc_id", "title", "source", "author", "text"]].values.tolist() == [
        ["a1", "Gipfel", "taz.de", "Anna Muster", "Tokajew traf Trump; danach sprachen beide."],
        ["a2", "Öl", "DAZ", None, "Kasachstan exportiert Öl."],
    ]
    assert corpus["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-12-24", "2025-11-10"]


def test_a_table_without_articles_is_an_error(tmp_path):
    (tmp_path / "leer.csv").write_text("id,text\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"leer\.csv: the table holds no articles"):
        load_corpus(tmp_path / "leer.csv")
    (tmp_path / "blank.csv").write_text("id,text\na, \n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"blank\.csv: row 1 has no text"), \
            pytest.raises(CorpusError, match=r"blank\.csv: no article could be read \(see the warnings\)"):
        load_corpus(tmp_path / "blank.csv")


def test_missing_path():
    with pytest.raises(FileNotFoundError, match="does-not-exist"):
        load_corpus("does-not-exist")


def test_empty_folder(tmp_path):
    with pytest.raises(CorpusError, match=r"no \.txt, \.csv"):
        load_corpus(tmp_path)


def test_table_without_text_column_lists_the_columns(tmp_path):
    pd.DataFrame({"id": [1], "inhalt": ["Text"]}).to_csv(tmp_path / "c.csv", index=False)
    with pytest.raises(CorpusError, match=r"c\.csv: no text column .* columns found: \['id', 'inhalt'\]"):
        load_corpus(tmp_path / "c.csv")
    assert load_corpus(tmp_path / "c.csv", text_column="inhalt")["text"].tolist() == ["Text"]
    with pytest.raises(CorpusError, match="no column 'body'"):
        load_corpus(tmp_path / "c.csv", text_column="body")


def test_empty_binary_and_odd_encodings_are_reported_by_file(tmp_path):
    (tmp_path / "gut.txt").write_text("Präsident Tokajew reiste nach Astana.", encoding="utf-8")
    (tmp_path / "leer.txt").write_bytes(b"")
    (tmp_path / "weiss.txt").write_bytes(b"  \n\n ")
    (tmp_path / "bild.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "alt.txt").write_bytes("Zölle für Kasachstan – „Öl“ ausgenommen.".encode("cp1252"))
    (tmp_path / "latin.txt").write_bytes("Zölle für Kasachstan, Öl \x81 ausgenommen.".encode("latin-1"))
    (tmp_path / "notiz.pdf").write_bytes(b"%PDF")
    corpus, messages = _load_with_warnings(tmp_path, tmp_path)
    assert sorted(messages) == [
        "alt.txt: not valid UTF-8; decoded as cp1252",
        "bild.txt: binary file, not text; skipped",
        "latin.txt: not valid UTF-8; decoded as latin-1",
        "leer.txt: empty file; skipped",
        "notiz.pdf: not a .txt or table file; skipped",
        "weiss.txt: file holds only whitespace; skipped",
    ]
    assert corpus.set_index("doc_id")["text"].to_dict() == {
        "alt": "Zölle für Kasachstan – „Öl“ ausgenommen.",
        "gut": "Präsident Tokajew reiste nach Astana.",
        "latin": "Zölle für Kasachstan, Öl \x81 ausgenommen.",
    }
    assert len(corpus.attrs["load_report"]) == 6


def test_a_file_of_only_a_byte_order_mark_and_whitespace_is_reported_as_empty(tmp_path):
    (tmp_path / "gut.txt").write_text("Präsident Tokajew reiste nach Astana.", encoding="utf-8")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf")
    (tmp_path / "bom-weiss.txt").write_bytes(b"\xef\xbb\xbf \r\n\n")
    (tmp_path / "utf16.txt").write_bytes(b"\xff\xfe")
    (tmp_path / "utf16-weiss.txt").write_bytes(" \n\u00a0".encode("utf-16"))
    corpus, messages = _load_with_warnings(tmp_path, tmp_path)
    assert sorted(messages) == [
        "bom-weiss.txt: file holds only whitespace; skipped",
        "bom.txt: empty file; skipped",
        "utf16-weiss.txt: file holds only whitespace; skipped",
        "utf16.txt: empty file; skipped",
    ]
    assert corpus["doc_id"].tolist() == ["gut"]


def test_utf16_with_bom(tmp_path):
    (tmp_path / "a.txt").write_bytes("Präsident Tokajew".encode("utf-16"))
    assert load_corpus(tmp_path)["text"].tolist() == ["Präsident Tokajew"]


def test_sidecar_naming_missing_files_warns_and_keeps_the_rest(tmp_path):
    (tmp_path / "a.txt").write_text("Tokajew sprach.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet\na.txt,DAZ\nfehlt.txt,taz\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"metadata\.csv: names a file that does not exist: 'fehlt\.txt'"):
        corpus = load_corpus(tmp_path)
    assert corpus["source"].tolist() == ["DAZ"]


def test_a_sidecar_beside_tables_only_is_reported_not_ignored(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"id": "a1", "text": "Tokajew traf Trump."}), encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet\na.json,taz.de\nfehlt.txt,DAZ\n", encoding="utf-8")
    corpus, messages = _load_with_warnings(tmp_path, tmp_path)
    assert messages == [
        "metadata.csv: names a file that is not a .txt file (metadata.csv describes .txt files): 'a.json'; row ignored",
        "metadata.csv: names a file that does not exist: 'fehlt.txt'; row ignored",
    ]
    assert corpus[["doc_id", "source"]].values.tolist() == [["a1", None]]


def test_an_unusable_table_in_a_folder_is_reported_and_the_others_are_read(tmp_path):
    (tmp_path / "a.txt").write_text("Tokajew traf Trump in Washington.", encoding="utf-8")
    (tmp_path / "b.csv").write_text("", encoding="utf-8")
    (tmp_path / "c.csv").write_text("id,inhalt\n1,Zwei.\n", encoding="utf-8")
    (tmp_path / "d.jsonl").write_text(json.dumps({"id": "d1", "text": "Mirziyoyev in Taschkent."}), encoding="utf-8")
    corpus, messages = _load_with_warnings(tmp_path, tmp_path)
    assert messages == [
        "b.csv: the file is empty; skipped",
        "c.csv: no text column (tried ['text', 'body', 'content', 'article', 'fulltext', 'volltext', 'artikeltext']); "
        "columns found: ['id', 'inhalt']. Name it with text_column=...; skipped",
    ]
    assert corpus["doc_id"].tolist() == ["a", "d1"]
    (tmp_path / "b.csv").unlink()
    with pytest.warns(UserWarning, match=r"d\.jsonl: no column 'inhalt' for text; columns found: \['id', 'text'\]; skipped"):
        named = load_corpus(tmp_path, text_column="inhalt")  # the names given apply to every table of a folder
    assert named["doc_id"].tolist() == ["a", "1"]


def test_articles_for_analysis_leave_out_repeated_texts_and_articles_cleaning_emptied(tmp_path):
    (tmp_path / "a.txt").write_text("Tokajew traf Trump in Washington.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Tokajew traf Trump in Washington.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Foto: Max Muster/dpa", encoding="utf-8")
    (tmp_path / "d.txt").write_text("Foto: Erika Muster/AFP", encoding="utf-8")
    (tmp_path / "e.txt").write_text("Mirziyoyev reiste nach Astana.", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus["n_words"].tolist() == [5, 5, 0, 0, 4]
    articles, left_out = articles_for_analysis(corpus)
    assert articles["doc_id"].tolist() == ["a", "e"]
    assert articles.index.tolist() == [0, 1]
    assert left_out == "1 repeating an earlier text and 2 left empty by cleaning left out"
    assert articles_for_analysis(articles)[1] == "none left out"


def test_duplicate_ids_are_made_unique_with_a_warning(tmp_path):
    frame = pd.DataFrame({"id": ["x", "y", "x"], "text": ["Eins.", "Zwei.", "Drei."]})
    frame.to_csv(tmp_path / "c.csv", index=False)
    with pytest.warns(UserWarning, match="1 ids occur more than once"):
        corpus = load_corpus(tmp_path / "c.csv")
    assert corpus["doc_id"].tolist() == ["x", "y", "x__2"]
    assert corpus["text"].tolist() == ["Eins.", "Zwei.", "Drei."]


def test_broken_jsonl_line_is_reported_with_its_number(tmp_path):
    lines = [json.dumps({"id": "a", "text": "Eins."}), "{kaputt", json.dumps({"id": "b", "text": "Zwei."})]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with pytest.warns(UserWarning, match=r"c\.jsonl, line 2: broken JSON"):
        corpus = load_corpus(tmp_path / "c.jsonl")
    assert corpus["doc_id"].tolist() == ["a", "b"]
    assert corpus.attrs["load_report"]["line"].tolist() == [2]


def test_a_jsonl_line_in_cp1252_is_decoded_and_reported_with_its_number(tmp_path):
    lines = [json.dumps({"id": "a", "text": "Zölle für Kasachstan."}, ensure_ascii=False).encode(),
             json.dumps({"id": "b", "text": "Öl – „billiger“ als 2024."}, ensure_ascii=False).encode("cp1252")]
    (tmp_path / "c.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    with pytest.warns(UserWarning, match=r"c\.jsonl, line 2: not valid UTF-8; decoded as cp1252/latin-1"):
        corpus = load_corpus(tmp_path / "c.jsonl")
    assert corpus[["doc_id", "text"]].values.tolist() == [["a", "Zölle für Kasachstan."], ["b", "Öl – „billiger“ als 2024."]]
    assert corpus.attrs["load_report"]["line"].tolist() == [2]


def test_a_lone_surrogate_escape_is_replaced_and_reported_with_its_line(tmp_path):
    lines = ['{"id": "a", "text": "Tokajew \\ud800 reiste.", "author": ["Anna \\uDC00 Muster"]}',
             '{"id": "b", "text": "Ein Lachen \\ud83d\\ude00 und ein Pfad C:\\\\ud800."}']
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with pytest.warns(UserWarning, match=r"c\.jsonl, line 1: an escaped UTF-16 surrogate"):
        corpus = load_corpus(tmp_path / "c.jsonl")
    assert corpus["text"].tolist() == ["Tokajew \ufffd reiste.", "Ein Lachen 😀 und ein Pfad C:\\ud800."]
    assert corpus["author"].tolist() == ["Anna \ufffd Muster", None]
    assert corpus.attrs["load_report"]["line"].tolist() == [1]


def test_a_csv_row_with_too_many_fields_is_skipped_and_reported_with_its_line(tmp_path):
    (tmp_path / "c.csv").write_text('id,text\na,Eins.\nb,Zwei,drei\n\nc,"Vier, fünf."\nd\n', encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        corpus = load_corpus(tmp_path / "c.csv")
    assert [str(w.message).split("c.csv")[1] for w in caught] == [
        ", line 3: 3 fields where the header has 2; line skipped", ": row 4 has no text; row skipped"]
    assert corpus[["doc_id", "text"]].values.tolist() == [["a", "Eins."], ["c", "Vier, fünf."]]
    (tmp_path / "t.tsv").write_text("id\ttext\na\tUsbekistan\tzu viel\nb\tMirsijojew\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"t\.tsv, line 2: 3 fields where the header has 2; line skipped"):
        corpus = load_corpus(tmp_path / "t.tsv")  # pandas alone would take the first column for an index
    assert corpus[["doc_id", "text"]].values.tolist() == [["b", "Mirsijojew"]]
    (tmp_path / "d.csv").write_text('id,text\na,"Eins.\nb,Zwei.\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"d\.csv: not a valid CSV table \(.*EOF inside string"):
        load_corpus(tmp_path / "d.csv")


def test_unparseable_dates_become_nat_and_are_counted_in_one_warning(tmp_path):
    frame = pd.DataFrame({"text": ["Eins.", "Zwei.", "Drei."], "date": ["2020-05-01", "irgendwann", "31.02.2020"]})
    frame.to_csv(tmp_path / "c.csv", index=False)
    with pytest.warns(UserWarning, match="2 dates could not be parsed") as caught:
        corpus = load_corpus(tmp_path / "c.csv")
    assert len([w for w in caught if "dates" in str(w.message)]) == 1
    assert corpus["date"].isna().tolist() == [False, True, True]


def test_rows_without_text_are_reported(tmp_path):
    pd.DataFrame({"text": ["Eins.", "", "Drei."]}).to_csv(tmp_path / "c.csv", index=False)
    with pytest.warns(UserWarning, match="row 2 has no text"):
        corpus = load_corpus(tmp_path / "c.csv")
    assert corpus["text"].tolist() == ["Eins.", "Drei."]


def test_duplicate_texts_are_flagged_not_dropped(tmp_path):
    pd.DataFrame({"text": ["Gleich.", "Anders.", "Gleich."]}).to_csv(tmp_path / "c.csv", index=False)
    corpus = load_corpus(tmp_path / "c.csv")
    assert corpus["is_duplicate"].tolist() == [False, False, True]


def test_raw_data_is_never_modified(tmp_path):
    before = {p.name: p.read_bytes() for p in RAW_DIR.iterdir()}
    load_corpus(RAW_DIR)
    assert {p.name: p.read_bytes() for p in RAW_DIR.iterdir()} == before


def test_cache_is_reused_and_rebuilt_when_input_or_arguments_change(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Tokajew sprach in Astana.\n\naro.", encoding="utf-8")
    (folder / "b.txt").write_bytes("Zölle für Kasachstan.".encode("cp1252"))
    cache = tmp_path / "processed"
    with pytest.warns(UserWarning, match="b.txt: not valid UTF-8"):
        first = load_corpus(folder, cache=cache)
    assert len(list(cache.iterdir())) == 1
    with pytest.warns(UserWarning, match="b.txt: not valid UTF-8"):
        again = load_corpus(folder, cache=cache)
    assert len(list(cache.iterdir())) == 1
    pd.testing.assert_frame_equal(again, first, check_dtype=False)
    assert again["removed"].tolist() == [[{"line": 2, "start": 0, "rule": "signature", "text": "aro."}], []]
    pd.testing.assert_frame_equal(again.attrs["load_report"], first.attrs["load_report"], check_dtype=False)

    (folder / "a.txt").write_text("Tokajew sprach in Almaty.", encoding="utf-8")
    with pytest.warns(UserWarning, match="b.txt"):
        changed = load_corpus(folder, cache=cache)
    assert changed["text"].tolist()[0] == "Tokajew sprach in Almaty."
    assert len(list(cache.iterdir())) == 1  # the new cache replaced the stale one
    with pytest.warns(UserWarning, match="b.txt"):
        load_corpus(folder, cache=cache, clean=False)
    assert len(list(cache.iterdir())) == 2
    # an unreadable record of another cache is left alone; an incomplete cache is written anew
    (cache / "corpus-broken").mkdir()
    (cache / "corpus-broken" / "source.json").write_text("", encoding="utf-8")
    for source in cache.glob("corpus-*/source.json"):
        if source.parent.name != "corpus-broken":
            source.unlink()
    with pytest.warns(UserWarning, match="b.txt"):
        rebuilt = load_corpus(folder, cache=cache)
    assert rebuilt["text"].tolist()[0] == "Tokajew sprach in Almaty."
    assert (cache / "corpus-broken").exists() and len(list(cache.glob("corpus-*/source.json"))) == 2


def test_jsonl_dates_with_offsets_keep_the_printed_local_time(tmp_path):
    rows = [{"text": "Eins.", "date": "2020-11-13T16:31:47+01:00"}, {"text": "Zwei.", "date": "2021-03-05T23:10:00-05:00"}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    corpus = load_corpus(tmp_path / "c.jsonl")
    assert corpus["date"].tolist() == [pd.Timestamp("2020-11-13 16:31:47"), pd.Timestamp("2021-03-05 23:10:00")]


def test_jsonl_read_whole_and_line_by_line_give_the_same_corpus(tmp_path):
    rows = [{"id": 7, "source": "taz.de", "text": "Tokajew reiste ab.", "author": ["Anna Groß", "Jörg Weiß"]},
            {"id": None, "source": None, "text": "Kasachstans Präsident sprach.", "n": 2},
            {"id": 9, "source": "zeit.de", "text": "Mirsijojew  kam später,\r\nsagte er."}]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    (tmp_path / "whole.jsonl").write_text(text, encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(text + "\n\n", encoding="utf-8")  # a blank line: read line by line
    assert _read_jsonl_arrow(tmp_path / "whole.jsonl") is not None and _read_jsonl_arrow(tmp_path / "lines.jsonl") is None
    whole, lines = load_corpus(tmp_path / "whole.jsonl"), load_corpus(tmp_path / "lines.jsonl")
    assert whole["doc_id"].tolist() == ["7", "whole-1", "9"]
    assert whole["author"].tolist() == ["Anna Groß, Jörg Weiß", None, None]
    assert whole["text"].tolist() == ["Tokajew reiste ab.", "Kasachstans Präsident sprach.", "Mirsijojew kam später,\n\nsagte er."]
    columns = ["source", "date", "title", "author", "url", "text", "raw_text", "n_words", "is_duplicate"]
    assert whole[columns].astype(object).equals(lines[columns].astype(object))


def test_jsonl_blank_lines_keep_the_line_numbers_of_rows(tmp_path):
    (tmp_path / "c.jsonl").write_text('{"text": "Eins."}\n\n{"text": ""}\n', encoding="utf-8")
    with pytest.warns(UserWarning, match=r"c\.jsonl: row 3 has no text"):
        corpus = load_corpus(tmp_path / "c.jsonl")
    assert corpus["doc_id"].tolist() == ["c-0"]



def _multi_block_xz(parts: list[bytes]) -> bytes:
    """Write ``parts`` as the blocks of one .xz stream, as multi-threaded ``xz`` does."""
    def encode(value: int) -> bytes:
        out = b""
        while value >= 0x80:
            out, value = out + bytes([value & 0x7F | 0x80]), value >> 7
        return out + bytes([value])

    def decode(data: bytes, position: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            value, shift, position = value | (data[position] & 0x7F) << shift, shift + 7, position + 1
            if data[position - 1] < 0x80:
                return value, position

    blocks, records = [], b""
    for part in parts:  # each part compressed alone is a stream of one block; take the block and its index record
        stream = lzma.compress(part, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64)
        index_size = (struct.unpack("<I", stream[-8:-4])[0] + 1) * 4
        blocks.append(stream[12:-12 - index_size])
        unpadded, _ = decode(stream[-12 - index_size:], 2)  # after the indicator and the count (1)
        records += encode(unpadded) + encode(len(part))
    header = stream[:12]
    index = b"\0" + encode(len(parts)) + records
    index += b"\0" * (-len(index) % 4)
    index += struct.pack("<I", zlib.crc32(index))
    backward_and_flags = struct.pack("<I", len(index) // 4 - 1) + header[6:8]
    footer = struct.pack("<I", zlib.crc32(backward_and_flags)) + backward_and_flags + b"YZ"
    return header + b"".join(blocks) + index + footer


def test_multi_block_xz_is_decompressed_block_by_block_in_order(tmp_path):
    lines = [json.dumps({"id": f"n{i}", "text": f"Artikel {i} über Kasachstans Präsidenten Tokajew."}, ensure_ascii=False)
             for i in range(300)]
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / "c.jsonl.xz"
    path.write_bytes(_multi_block_xz([data[:5000], data[5000:12000], data[12000:]]))
    assert lzma.open(path).read() == data  # a valid .xz file, by Python's own decoder
    with _open(path) as handle:
        assert handle.read(7) + handle.read() == data
    corpus = load_corpus(path)
    assert corpus["doc_id"].tolist() == [f"n{i}" for i in range(300)]
    assert corpus["text"].iloc[299] == "Artikel 299 über Kasachstans Präsidenten Tokajew."


def test_damaged_block_of_a_multi_block_xz_is_an_error_naming_the_file(tmp_path):
    data = "".join(json.dumps({"text": f"Artikel {i} über Zölle."}) + "\n" for i in range(200)).encode()
    damaged = bytearray(_multi_block_xz([data[:3000], data[3000:]]))
    damaged[12 + 40] ^= 0xFF  # inside the first block's compressed data
    path = tmp_path / "c.jsonl.xz"
    path.write_bytes(bytes(damaged))
    with pytest.raises(CorpusError, match=r"c\.jsonl\.xz: cannot be read"):
        load_corpus(path)


def test_duplicates_are_judged_on_the_clean_text(tmp_path):
    texts = ["Tokajew reiste ab.\n\nDAZ", "Anders.", " date 2025-11-10 Tokajew reiste ab.", "Tokajew reiste ab."]
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "c.csv", index=False)
    assert load_corpus(tmp_path / "c.csv")["is_duplicate"].tolist() == [False, False, True, True]
    assert load_corpus(tmp_path / "c.csv", clean=False)["is_duplicate"].tolist() == [False, False, False, False]
