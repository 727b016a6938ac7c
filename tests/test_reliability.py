"""Reliability: odd text never breaks loading, cleaning or mention finding; bad files are loaded or reported.

Part 1 states properties over arbitrary Unicode with hypothesis: right-to-left scripts,
combining marks, emoji, NUL and other control characters, every kind of line break, very
long lines. Part 2 builds a folder of bad files in ``tmp_path`` and checks that each one is
either loaded exactly as expected or named in the load report, and that the counts add
up. What tests/test_load.py already checks (each encoding on its own, the messages for
empty, binary and non-text files, a broken JSONL line, duplicate ids in a CSV) is not
repeated; the folder test here checks that all of it together accounts for every file.
"""
import csv
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis import CorpusError, load_corpus
from analysis.clean import RULES, clean_text, count_words, normalize_unicode
from analysis.mentions import find_mentions
from helpers import reconstruct

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

# Pieces that have broken text tools before: controls, line and paragraph separators,
# invisible characters, bidirectional controls, right-to-left scripts, combining marks,
# emoji sequences, compatibility characters, and the German of the corpus.
NASTY = [
    "\x00", "\x07", "\r\n", "\r", "\n", "\n\n", "\u2028", "\u2029", "\x85", "\x1c", "\t", "\v", "\f",
    "\u00a0", "\u202f", "\u2000", "\u3000", "\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff",
    "\u200e", "\u200f", "\u202e", "\u2066",
    "שלום עולם", "مرحبا بالعالم", "ا\u0651\u064e",
    "e\u0301", "A\u030a", "\u0308", "o\u0308\u0331", "\u200b\u0301",
    "🇩🇪", "👩\u200d👩\u200d👧", "🙂\ufe0f", "\U0001f3fd",
    "ﬁ", "Ｔｏｋａｊｅｗ", "\u2126", "\u212a", "²",
    "„Zölle“", "Straße", "Tokajews", "Trump-Regierung", "US-Präsident", "C5+1", "Kasachstans",
]
CAPTION = "President Donald Trump meets with the President of Kazakhstan Kassym-Jomart Tokayev, 2025"
CAPTION_DE = "Präsident Donald Trump trifft den Präsidenten Kasachstans Kassym-Jomart Tokayev, 2025"
# Lines that trigger each cleaning rule, so that the rules meet each other in odd orders.
RULE_LINES = [
    "Haftungsausschluss: Diese Seite steht in keiner Verbindung zur Bahn.",
    "Montag, 10. November 2025", "24. Dezember 2025", " date 2025-11-10 Tokajew reiste ab.", " date 2025-11-10 ,",
    ",", "—", "Foto: Max Muster/dpa", CAPTION, CAPTION_DE,
    "Von Anna Müller-Schmidt", "Anna Weber", "Anna Weber ist Redakteurin bei der DAZ.",
    "Dieser Beitrag erschien  zuerst bei Eurasianet.", "Mehr zum Thema", "DAZ", "aro.", "(rt/dpa)",
    "Gipfel in Astana", "Zölle  für Kasachstan", "Tokajew traf Mirsijojew in Taschkent.",
    "Die Gespräche über Zölle dauerten lange.", "",
]
ANY_TEXT = st.lists(st.one_of(st.text(), st.sampled_from(NASTY)), max_size=20).map("".join)
ARTICLE = st.lists(
    st.tuples(st.one_of(st.sampled_from(RULE_LINES), ANY_TEXT), st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\n \n"])),
    max_size=16,
).map(lambda parts: "".join(line + end for line, end in parts))
TEXTS = st.one_of(ANY_TEXT, ARTICLE)


# ------------------------------------------------------------------------ normalisation


@PROPERTY_SETTINGS
@given(TEXTS)
@example("Cafe\u200b\u0301")  # removing the zero-width space lets e and the accent compose
def test_normalised_text_has_only_spaces_and_newlines_and_is_stable(raw):
    text = normalize_unicode(raw)
    assert all(c in " \n" for c in text if c.isspace())
    assert normalize_unicode(text) == text


# ------------------------------------------------------------------------------ cleaning


@PROPERTY_SETTINGS
@given(TEXTS)
def test_clean_text_gives_stripped_paragraphs_and_known_rules(raw):
    result = clean_text(raw)
    paragraphs = result.text.split("\n\n") if result.text else []
    assert all(p and p == " ".join(p.split()) for p in paragraphs)
    assert count_words(result.text) == len(result.text.split())
    n_lines = normalize_unicode(raw).count("\n") + 1
    assert all(0 <= r["line"] < n_lines and r["rule"] in RULES and r["text"] for r in result.removed)
    assert [r["line"] for r in result.removed] == sorted(r["line"] for r in result.removed)
    assert set(result.fields) <= {"date", "author", "title"}


@PROPERTY_SETTINGS
@given(TEXTS)
@example("Haftungsausschluss: Seite steht in keiner Verbindung zur Bahn.\n date 2025-11-10 Tokajew reiste ab.")
@example("24. Dezember 2025\n\nA eins.\n\nB zwei.\n\nC drei.\n\nD vier.\n\nE fünf.\n\nVon Anna Weber\n\nF sechs.")
@example("Kurze Zeile\nZweite Zeile.")
@example("Gipfel in Astana\n\nZweiter Titel\n\nText.")
@example("Text.\n\nDAZ\n\nMehr zum Thema")
@example(f"Text.\n\n{CAPTION}\n\n24. Dezember 2025\n\n{CAPTION_DE}\n\nText.")
@example("Cafe\u200b\u0301 ist gut.")
def test_cleaning_is_idempotent(raw):
    once = clean_text(raw).text
    assert clean_text(once).text == once


@PROPERTY_SETTINGS
@given(TEXTS)
@example(" date 2025-11-10 ,\n\nText.")
@example("Text.\n\nDie Regierung beschloss neue Regeln. (Tsp/dpa)")
def test_kept_and_removed_text_account_for_the_input(raw):
    result = clean_text(raw)
    assert reconstruct(raw, result) == " ".join(normalize_unicode(raw).split())


# Boilerplate that cleaning cuts out of a line (issue 21), and articles stored as one line.
INLINE_PIECES = [
    "Eindhoven is a war zone. #Eindhoven pic.twitter.com/qWUPmmZKHV", "— Max Muster (@maxmuster) 5. Juni 2016",
    "https://www.youtube.com/watch?v=5jutmzCHCLg", "https://t.co/EhWuzYuc9K", "Foto: APA/HERBERT NEUBAUER",
    "Foto: Paul Klemm", "(Foto: Jörg Weiß)", "(red, 15.1.2016)", "(nim, krud, mika, jub, mro)",
    "(Thomas Mayer aus Brüssel, 14.12.2015)", "Die Regierung beschloss neue Regeln. (APA, 3.2.2016)", "(sda)",
]
BODY = "Tokajew traf Mirsijojew in Taschkent."
ONE_LINE = st.lists(st.one_of(st.sampled_from(RULE_LINES + INLINE_PIECES), ANY_TEXT), max_size=12).map(
    lambda parts: re.sub(r"[\n\r\x1c\x1d\x1e\x85\u2028\u2029]+", " ", " ".join(parts)))


@PROPERTY_SETTINGS
@given(ONE_LINE)
@example("Text. Foto: Max Muster/dpa Der Gipfel. (red, 15.1.2016)")
@example("A(Foto: dpa)B pic.twitter.com/x — Max (@m) 5. Juni 2016https://t.co/a")
def test_one_line_articles_account_for_the_input_and_clean_once(raw):
    result = clean_text(raw)
    assert reconstruct(raw, result) == " ".join(normalize_unicode(raw).split())
    assert clean_text(result.text).text == result.text


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(RULE_LINES + INLINE_PIECES), max_size=10), st.integers(min_value=0, max_value=10))
def test_no_rule_removes_the_body_of_a_one_line_article(pieces, position):
    raw = " ".join([*pieces[:position], BODY, *pieces[position:]])
    assert BODY in clean_text(raw).text


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(NASTY + RULE_LINES[:4]), st.integers(min_value=20_000, max_value=200_000))
def test_very_long_lines_are_cleaned(piece, times):
    raw = f"Gipfel in Astana\n\n{piece * times}\n\nTokajew reiste ab."
    result = clean_text(raw)
    assert reconstruct(raw, result) == " ".join(normalize_unicode(raw).split())
    assert result.text.endswith("Tokajew reiste ab.")


# ------------------------------------------------------------------------------ mentions

# Names whose longer forms ("Republik Kasachstan") belong to the same entity, unlike "Trump" ("Melania Trump").
ALIASES = {"Tokajew": "tokayev", "Kasachstan": "kazakhstan", "Mirsijojew": "mirziyoyev"}


@PROPERTY_SETTINGS
@given(st.lists(TEXTS, min_size=1, max_size=4))
def test_every_mention_points_at_its_surface_text(texts):
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    found = find_mentions(corpus)
    by_id = dict(zip(corpus["doc_id"], corpus["text"]))
    for doc_id, group in found.groupby("doc_id"):
        text = by_id[doc_id]
        spans = sorted(zip(group["start"], group["end"]))
        assert all(0 <= start < end <= len(text) for start, end in spans)
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))  # no overlaps
        for surface, start, end in zip(group["surface"], group["start"], group["end"]):
            assert text[start:end] == surface
            assert start == 0 or not text[start - 1].isalnum()


@PROPERTY_SETTINGS
@given(ANY_TEXT, st.sampled_from(sorted(ALIASES)), ANY_TEXT)
@example("Pra\u0308sident\u00ad ", "Tokajew", "\u0301s Reise")
@example("שלום ", "Kasachstan", " 🇩🇪")
@example("Tokaev", "Tokajew", "")  # restates the name before it: one mention
def test_a_name_set_apart_by_spaces_is_found_where_it_stands(left, name, right):
    text = f"{left} {name} {right}"
    start = len(left) + 1
    found = find_mentions(pd.DataFrame({"doc_id": ["d"], "text": [text]}))
    covering = found[(found["start"] <= start) & (found["end"] >= start + len(name))]
    same_before = found[(found["entity_id"] == ALIASES[name]) & (found["end"] <= start)]["end"]
    restates = not same_before.empty and re.fullmatch(r" ?[(\[]? ?", text[same_before.max():start]) is not None
    assert covering["entity_id"].tolist() == ([] if restates else [ALIASES[name]])


# ------------------------------------------------------------------------------- loading

GOOD = "Präsident Tokajew reiste nach Astana."


def _load_quietly(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus(path)


def _report_rows(corpus, name):
    report = corpus.attrs["load_report"]
    return report[report["file"].str.endswith(name)]


@PROPERTY_SETTINGS
@given(TEXTS)
@example("\x00Tokajew")  # a NUL byte marks a file as binary
@example("\ufeffTokajew")  # a byte order mark is not part of the text
@example("\u00a0")
def test_any_text_file_is_loaded_exactly_or_reported(text):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "a.txt").write_text(GOOD, encoding="utf-8")
        (Path(folder) / "b.txt").write_bytes(text.encode("utf-8"))
        corpus = _load_quietly(folder)
    loaded = dict(zip(corpus["doc_id"], corpus["raw_text"]))
    assert loaded.pop("a") == GOOD
    reported = _report_rows(corpus, "/b.txt")
    assert len(loaded) + len(reported) == 1
    if loaded:
        assert loaded["b"] == text.removeprefix("\ufeff")
    else:
        assert reported["action"].tolist() == ["skipped"]


@PROPERTY_SETTINGS
@given(st.lists(TEXTS, min_size=1, max_size=5), st.sampled_from(["jsonl", "csv", "tsv"]))
def test_any_text_in_a_table_is_loaded_exactly_or_reported(texts, suffix):
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(len(texts))], "text": texts})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"c.{suffix}"
        if suffix == "jsonl":
            path.write_text(frame.to_json(orient="records", lines=True, force_ascii=False), encoding="utf-8")
        else:
            # Quote every field: a writer that leaves a lone \r unquoted makes it a line end.
            frame.to_csv(path, index=False, sep="," if suffix == "csv" else "\t", quoting=csv.QUOTE_ALL)
        try:
            corpus = _load_quietly(path)
        except CorpusError as error:  # no row holds a text
            assert "no article could be read" in str(error) and all(not text.strip() for text in texts)
            return
    loaded = dict(zip(corpus["doc_id"], corpus["raw_text"]))
    assert len(loaded) + len(corpus.attrs["load_report"]) == len(texts)
    for doc_id, raw in loaded.items():
        assert raw == texts[int(doc_id[1:])]


# ------------------------------------------------------------------- a folder of bad files

GUT = "Präsident Tokajew reiste nach Astana."
ZEILEN = "Gipfel in Astana\r\n\r\nTokajew traf Trump.\rDie Gespräche dauerten lange.\nEnde der Reise."
BERICHT = " date 2025-11-05 Mirsijojew sprach über Zölle.\n\nVon Max Muster"
SIDECAR_ROWS = [
    "file,outlet,date,author,title",
    "gut.txt,DAZ,2025-11-10,Anna Weber,Tokajew in Astana",
    "gut.txt,taz,2025-11-11,,",  # a second row for the same file: the first one is used
    "bericht.txt,Eurasianet,2025-11-06,Anna Weber,",  # disagrees with the date and byline in the text
    "alt.txt,,irgendwann,,",  # a date nobody can read
    "leer.txt,DAZ,,,",  # a file that exists but is empty
    "fehlt.txt,taz,2025-11-12,,",  # a file that does not exist
]


@pytest.fixture
def bad_folder(tmp_path):
    """Write a folder with one file of each kind of trouble, and a sidecar that disagrees."""
    folder = tmp_path / "korpus"
    folder.mkdir()
    files = {
        "gut.txt": GUT.encode("utf-8"),
        "leer.txt": b"",
        "weiss.txt": b" \r\n\t\n ",
        "bild.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "alt.txt": "Zölle für Kasachstan – „Öl“ kostet 5 €.".encode("cp1252"),
        "latin.txt": "Öl für Kasachstan \x81".encode("latin-1"),
        "be.txt": "\ufeffStraße nach Taschkent".encode("utf-16-be"),
        "kaputt16.txt": "Straße".encode("utf-16")[:-1],
        "zeilen.txt": ZEILEN.encode("utf-8"),
        "bericht.txt": BERICHT.encode("utf-8"),
        "archiv.txt.gz": gzip.compress("Kasachstan exportiert Öl.".encode("utf-8")),
        "defekt.txt.gz": b"\x1f\x8b\x08\x00kaputt",
        "doppelt.txt": "Erste Fassung.".encode("utf-8"),
        "doppelt.txt.gz": gzip.compress("Zweite Fassung.".encode("utf-8")),
        "notiz.pdf": b"%PDF-1.4",
        "metadata.csv": "\n".join(SIDECAR_ROWS).encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "unter").mkdir()
    (folder / "unter" / "c.txt").write_text("Ein Artikel in einem Unterordner.", encoding="utf-8")
    return folder


def _report(corpus, folder):
    """The load report as (file relative to the folder, problem, action) rows, sorted.

    The reason a compressed file cannot be read is Python's own message, cut off here.
    """
    rows = corpus.attrs["load_report"][["file", "problem", "action"]].itertuples(index=False)
    return sorted((file.replace(f"{folder}/", ""), problem.split(" (")[0] if problem.startswith("cannot be read (") else problem,
                   action) for file, problem, action in rows)


def test_every_file_of_a_bad_folder_is_loaded_or_reported(bad_folder):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(bad_folder)
    loaded = corpus.set_index("doc_id")
    assert loaded["raw_text"].to_dict() == {
        "alt": "Zölle für Kasachstan – „Öl“ kostet 5 €.",
        "archiv": "Kasachstan exportiert Öl.",
        "be": "Straße nach Taschkent",
        "bericht": BERICHT,
        "doppelt": "Erste Fassung.",
        "doppelt__2": "Zweite Fassung.",
        "gut": GUT,
        "kaputt16": "Straß\ufffd",  # the last byte of the "e" is missing
        "latin": "Öl für Kasachstan \x81",
        "unter/c": "Ein Artikel in einem Unterordner.",
        "zeilen": ZEILEN,
    }
    assert loaded.loc["unter/c", "source"] == "unter"  # a subfolder's name is the outlet of its articles
    assert loaded.loc["zeilen", "text"] == "Tokajew traf Trump.\n\nDie Gespräche dauerten lange.\n\nEnde der Reise."
    assert loaded.loc["zeilen", "title"] == "Gipfel in Astana"
    # The sidecar wins over the text and over its own second row for the same file.
    assert loaded.loc["gut", ["source", "author", "title"]].tolist() == ["DAZ", "Anna Weber", "Tokajew in Astana"]
    assert loaded.loc["gut", "date"] == pd.Timestamp("2025-11-10")
    assert loaded.loc["bericht", ["source", "author", "text"]].tolist() == ["Eurasianet", "Anna Weber", "Mirsijojew sprach über Zölle."]
    assert loaded.loc["bericht", "date"] == pd.Timestamp("2025-11-06")
    assert pd.isna(loaded.loc["alt", "date"])

    skipped = ["bild.txt", "defekt.txt.gz", "leer.txt", "notiz.pdf", "weiss.txt"]
    assert _report(corpus, bad_folder) == sorted([
        ("alt.txt", "not valid UTF-8", "decoded as cp1252"),
        ("bild.txt", "binary file, not text", "skipped"),
        ("date column", "1 dates could not be parsed, e.g. 'irgendwann' in article 'alt'", "set to NaT"),
        ("defekt.txt.gz", "cannot be read", "skipped"),
        ("doc_id", "1 ids occur more than once, e.g. 'doppelt'", "made unique with suffixes __2, __3, ..."),
        ("kaputt16.txt", "broken UTF-16 (truncated data at byte 12)", "decoded with the broken bytes replaced by U+FFFD"),
        ("latin.txt", "not valid UTF-8", "decoded as latin-1"),
        ("leer.txt", "empty file", "skipped"),
        ("metadata.csv", "has more than one row for 'gut.txt'", "first row used"),
        ("metadata.csv", "names a file that does not exist: 'fehlt.txt'", "row ignored"),
        ("notiz.pdf", "not a .txt or table file", "skipped"),
        ("weiss.txt", "file holds only whitespace", "skipped"),
    ])
    given = [p.name for p in bad_folder.iterdir() if p.name != "metadata.csv"]
    assert len(corpus) + len(skipped) == len(given) == 16
    assert len(caught) == len(corpus.attrs["load_report"])  # each problem is also a warning


# ---------------------------------------------------------------------------- bad tables


def test_csv_with_quoted_newlines_and_a_short_row(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(
        b'id,outlet,date,text\n'
        b'a1,DAZ,2025-11-10,"Tokajew sagte: ""Wir verhandeln.""\nDie Gespr\xc3\xa4che dauerten lange."\n'
        b'a2,taz,,"Erste Zeile.\r\nZweite Zeile mit \xe2\x80\x9eZitat\xe2\x80\x9c"\n'
        b'a3,zeit.de\n'  # too few fields: no date and no text
        b'a4,DAZ,24. Dezember 2025,Kasachstan exportiert \xc3\x96l.\n'
    )
    with pytest.warns(UserWarning, match=r"c\.csv: row 3 has no text; row skipped"):
        corpus = load_corpus(path)
    assert corpus["doc_id"].tolist() == ["a1", "a2", "a4"]
    assert corpus["raw_text"].tolist() == [
        'Tokajew sagte: "Wir verhandeln."\nDie Gespräche dauerten lange.',
        "Erste Zeile.\r\nZweite Zeile mit „Zitat“",
        "Kasachstan exportiert Öl.",
    ]
    assert corpus["text"].tolist()[1] == "Erste Zeile.\n\nZweite Zeile mit „Zitat“"
    assert corpus["source"].tolist() == ["DAZ", "taz", "DAZ"]
    assert [str(d) for d in corpus["date"]] == ["2025-11-10 00:00:00", "NaT", "2025-12-24 00:00:00"]
    assert len(corpus) + len(corpus.attrs["load_report"]) == 4


def test_csv_row_with_an_extra_field_is_skipped_and_reported_with_its_physical_line(tmp_path):
    path = tmp_path / "c.csv"
    # the row stands on line 4 of the file: the quoted newline before it counts
    path.write_text('id,text\na1,"Zeile eins\nZeile zwei"\na2,Tokajew sprach.,überzählig\n', encoding="utf-8")
    with pytest.warns(UserWarning, match=r"c\.csv, line 4: 3 fields where the header has 2; line skipped"):
        corpus = load_corpus(path)
    assert corpus[["doc_id", "text"]].values.tolist() == [["a1", "Zeile eins\n\nZeile zwei"]]


def test_jsonl_with_broken_and_odd_records_accounts_for_every_line(tmp_path):
    lines = [
        {"id": "j1", "text": "Tokajew reiste nach Astana.", "authors": ["Anna Weber", "Max Muster"], "date": "2025-11-10"},
        "",
        '{"id": "j2", "text": "abgebrochen',
        "[1, 2]",
        {"id": "j3", "text": 42},
        {"text": "Mirsijojew sprach.", "title": ["Öl", "Gas"]},
        {"id": "j1", "text": "Gleiche Kennung.", "date": "irgendwann"},
        {"id": "j4", "text": "  \n ", "date": 1700000000},
        {"id": "j5", "text": "Kasachstan exportiert Öl.", "date": "13.11.2020", "authors": None},
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines),
                    encoding="utf-8")
    corpus = _load_quietly(path)
    assert corpus["doc_id"].tolist() == ["j1", "c-5", "j1__2", "j5"]
    assert corpus["text"].tolist() == ["Tokajew reiste nach Astana.", "Mirsijojew sprach.", "Gleiche Kennung.",
                                       "Kasachstan exportiert Öl."]
    assert corpus["author"].tolist() == ["Anna Weber, Max Muster", None, None, None]
    assert corpus["title"].tolist() == [None, "Öl, Gas", None, None]
    assert [str(d) for d in corpus["date"]] == ["2025-11-10 00:00:00", "NaT", "NaT", "2020-11-13 00:00:00"]
    report = corpus.attrs["load_report"]
    # The string of line 3 starts after '{"id": "j2", "text": ', its 21st character.
    assert [(None if pd.isna(line) else int(line), problem, action)
            for line, problem, action in report[["line", "problem", "action"]].itertuples(index=False)] == [
        (3, "broken JSON (JSONDecodeError: Unterminated string starting at: line 1 column 22 (char 21))", "line skipped"),
        (4, "a JSON value that is not an object", "line skipped"),
        (None, "row 5 holds no text but a value of type int", "row skipped"),
        (None, "row 8 has no text", "row skipped"),
        (None, "1 row(s) without an id, e.g. row 6", "ids made from the row numbers, such as 'c-5'"),
        (None, "1 ids occur more than once, e.g. 'j1'", "made unique with suffixes __2, __3, ..."),
        (None, "1 dates could not be parsed, e.g. 'irgendwann' in article 'j1__2'", "set to NaT"),
    ]
    non_blank_lines = sum(1 for line in lines if line != "")
    skipped = report["action"].isin(["line skipped", "row skipped"]).sum()
    assert len(corpus) + skipped == non_blank_lines == 8


def test_parquet_with_an_index_list_values_and_out_of_range_dates(tmp_path):
    frame = pd.DataFrame({
        "text": ["Tokajew sprach.", "", "Trump antwortete."],
        "authors": [["Anna Weber", "Max Muster"], [], ["Lennart Krüger"]],
        "date": pd.to_datetime(["1500-01-01", "2025-11-10", "2025-11-11"]).as_unit("s"),
    }, index=pd.Index(["x1", "x2", "x3"], name="id"))
    frame.to_parquet(tmp_path / "c.parquet")
    corpus = _load_quietly(tmp_path / "c.parquet")
    assert corpus["doc_id"].tolist() == ["x1", "x3"]  # a named index is a column like any other
    assert corpus["author"].tolist() == ["Anna Weber, Max Muster", "Lennart Krüger"]
    assert [str(d) for d in corpus["date"]] == ["NaT", "2025-11-11 00:00:00"]
    assert corpus.attrs["load_report"]["problem"].tolist() == [
        "row 2 has no text", "1 dates could not be parsed, e.g. Timestamp('1500-01-01 00:00:00') in article 'x1'"]


def test_unreadable_tables_are_errors_naming_the_file(tmp_path):
    (tmp_path / "c.parquet").write_bytes(b"PAR1 kein Parquet")
    with pytest.raises(CorpusError, match=r"c\.parquet: cannot be read"):
        load_corpus(tmp_path / "c.parquet")
    (tmp_path / "c.jsonl.xz").write_bytes(b"\xfd7zXZ\x00 kaputt")
    with pytest.raises(CorpusError, match=r"c\.jsonl\.xz: cannot be read"):
        load_corpus(tmp_path / "c.jsonl.xz")
    (tmp_path / "u.csv").write_bytes("text\nStraße".encode("utf-16")[:-1])
    with pytest.warns(UserWarning, match=r"u\.csv: broken UTF-16"):
        assert load_corpus(tmp_path / "u.csv")["raw_text"].tolist() == ["Straß\ufffd"]


# --------------------------------------------------------------------- one 50 MB article

CHILD = """
import hashlib, json, resource, sys
from analysis import load_corpus
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
corpus = load_corpus(sys.argv[1])
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
row = corpus.iloc[0]
print(json.dumps({"n": len(corpus), "grown_mb": grown / 1024, "n_words": int(row["n_words"]),
                  "title": row["title"], "author": row["author"], "report": len(corpus.attrs["load_report"]),
                  "raw": hashlib.sha256(row["raw_text"].encode()).hexdigest(),
                  "text": hashlib.sha256(row["text"].encode()).hexdigest()}))
"""


def test_a_50_mb_article_loads_and_cleans_in_bounded_memory(tmp_path):
    """Load one 50 MB article in a fresh process and measure how much its peak memory grows."""
    sentence = "Präsident Tokajew traf Mirsijojew in Taschkent; die Gespräche über Zölle und „seltene Erden“ dauerten."
    raw, text = hashlib.sha256(), hashlib.sha256()
    n_words = 0
    path = tmp_path / "gross.txt"
    with open(path, "wb") as handle:
        handle.write("Gipfel in Astana\r\n\r\n".encode())
        raw.update("Gipfel in Astana\r\n\r\n".encode())
        paragraphs = [f"{i}. {sentence}" for i in range(440_000)]
        paragraphs.insert(1000, " ".join([sentence] * 20_000))  # one line of 2 MB
        for i, paragraph in enumerate(paragraphs):
            data = (paragraph + "\n\n").encode()
            handle.write(data)
            raw.update(data)
            text.update(("\n\n" if i else "").encode() + paragraph.encode())
            n_words += len(paragraph.split())
        handle.write(b"Von Anna Weber")
        raw.update(b"Von Anna Weber")
    size_mb = path.stat().st_size / 2**20
    assert size_mb > 50
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result["raw"] == raw.hexdigest() and result["text"] == text.hexdigest()
    assert (result["n"], result["n_words"], result["title"], result["author"], result["report"]) == (
        1, n_words, "Gipfel in Astana", "Anna Weber", 0)
    assert result["grown_mb"] < 15 * size_mb  # 4 to 8 times the file when this was written
