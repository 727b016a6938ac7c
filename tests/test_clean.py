"""Cleaning rules, the removal audit and outlet boilerplate learning."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis.clean as clean_module
from analysis import articles_for_analysis, load_corpus
from analysis.clean import (
    RULES,
    _Article,
    audit,
    clean_corpus,
    clean_text,
    count_words,
    heavily_cleaned,
    is_stub,
    learn_outlet_boilerplate,
    normalize_unicode,
    parse_dates,
)
from analysis.paths import RAW_DIR
from helpers import reconstruct

EXPECTED = Path(__file__).parent / "fixtures" / "expected_clean"


def rules(result):
    return [(r["rule"], r["text"]) for r in result.removed]


@pytest.fixture(scope="module")
def bundled():
    return load_corpus(RAW_DIR)


@pytest.mark.parametrize("doc_id", sorted(p.stem for p in EXPECTED.glob("*.txt")))
def test_bundled_articles_clean_to_the_hand_checked_text(bundled, doc_id):
    expected = (EXPECTED / f"{doc_id}.txt").read_text(encoding="utf-8").rstrip("\n")
    assert bundled.set_index("doc_id").loc[doc_id, "text"] == expected


def test_bundled_audit_lists_each_removed_line_with_its_rule(bundled):
    table = audit(bundled)
    assert table.groupby("doc_id")["rule"].apply(list).to_dict() == {
        "000_2da1234d1a8e9a06": ["disclaimer", "title", "date_line", "punctuation_line", "image_caption",
                                 "image_caption", "image_caption", "image_caption", "byline", "byline", "author_bio"],
        "001_a6815253bf6501a7": ["author_bio", "partner_note", "related_posts"],
        "002_af44ea4379a0538b": ["metadata_header", "signature"],
        "003_0e63eec3ea36fa6e": ["metadata_header"],
        "004_4fd6afaf44899373": ["metadata_header", "signature"],
    }
    assert set(table["rule"]) <= set(RULES)


def test_bundled_clean_text_plus_removed_lines_account_for_the_raw_text(bundled):
    for raw, removed, text in zip(bundled["raw_text"], bundled["removed"], bundled["text"]):
        result = clean_text(raw)
        assert result.text == text and result.removed == removed
        assert reconstruct(raw, result) == " ".join(normalize_unicode(raw).split())


def test_metadata_found_in_the_bundled_texts():
    results = {p.stem: clean_text(p.read_text(encoding="utf-8")) for p in sorted(RAW_DIR.glob("*.txt"))}
    assert {k: r.fields for k, r in results.items()} == {
        "000_2da1234d1a8e9a06": {"date": "24. Dezember 2025", "author": "Lennart Krüger",
                                 "title": "Trump lädt kasachische und usbekische Präsidenten zum Miami-G20-Gipfel ein"},
        "001_a6815253bf6501a7": {"author": "Alexander Thompson"},
        "002_af44ea4379a0538b": {"date": "2025-11-10"},
        "003_0e63eec3ea36fa6e": {"date": "2025-11-05"},
        "004_4fd6afaf44899373": {"date": "2025-08-19", "author": "aro."},
    }


def test_unicode_normalisation():
    raw = "Pra\u0308sident\u00a0Tokajew sprach \u00fcber Zo\u00adlle.\r\nZweite\u2028Zeile\tmit Tab"
    assert normalize_unicode(raw) == "Präsident Tokajew sprach über Zolle.\nZweite\nZeile mit Tab"


def test_metadata_header_prefix_is_removed_and_gives_the_date():
    result = clean_text(" date 2025-11-10 Beim C5+1-Gipfel sprach Tokajew.\n\nZweiter Absatz.")
    assert result.text == "Beim C5+1-Gipfel sprach Tokajew.\n\nZweiter Absatz."
    assert rules(result) == [("metadata_header", "date 2025-11-10")]
    assert result.fields == {"date": "2025-11-10"}


def test_disclaimer_date_line_and_lone_punctuation():
    raw = ("Haftungsausschluss: Diese Seite steht in keiner Verbindung zur Bahn.\n\n"
           "Montag, 10. November 2025\n\n,\n\nDer Gipfel begann pünktlich.\n\n—\n\nEr endete spät.")
    result = clean_text(raw)
    assert result.text == "Der Gipfel begann pünktlich.\n\nEr endete spät."
    assert [r for r, _ in rules(result)] == ["disclaimer", "date_line", "punctuation_line", "punctuation_line"]
    assert result.fields == {"date": "Montag, 10. November 2025"}


def test_english_caption_with_german_translation_is_removed_but_english_quote_in_body_kept():
    raw = ("Trump empfing Tokajew im Weißen Haus.\n\n"
           "President Donald Trump meets with the President of Kazakhstan Kassym-Jomart Tokayev, 2025\n\n"
           "Präsident Donald Trump trifft den Präsidenten Kasachstans Kassym-Jomart Tokayev, 2025\n\n"
           "Er sagte: „It is a great day for the people of Kazakhstan.“ Danach reiste er ab.")
    result = clean_text(raw)
    assert result.text == ("Trump empfing Tokajew im Weißen Haus.\n\n"
                           "Er sagte: „It is a great day for the people of Kazakhstan.“ Danach reiste er ab.")
    assert [r for r, _ in rules(result)] == ["image_caption", "image_caption"]


def test_english_quote_with_a_longer_german_paragraph_is_not_a_caption():
    raw = ("Trump schrieb auf Twitter:\n\n"
           "The people of Port Mansfield are safe and the damage is limited.\n\n"
           "Schäden waren zunächst nur aus Port Mansfield gemeldet worden. Berichte über Opfer lagen nicht vor.")
    assert clean_text(raw).removed == []


def test_last_word_of_a_broken_paragraph_is_not_a_signature():
    assert clean_text("Die Lage ist ernst.\n\nOb das Land die Krise bewältigen\n\nkann.").removed == []


def test_embedded_posts_and_bare_links_are_removed_but_links_in_sentences_kept():
    raw = ("Die Proteste gingen weiter.\n\n"
           "Eindhoven is a war zone. #Eindhoven pic.twitter.com/qWUPmmZKHV\n\n"
           "— Max Muster (@maxmuster) January 24, 2021\n\n"
           "https://www.youtube.com/watch?v=5jutmzCHCLg\n\n"
           "Mehr dazu steht unter https://www.rki.de im Bericht des Instituts.")
    result = clean_text(raw)
    assert [r for r, _ in rules(result)] == ["social_embed"] * 3
    assert result.text == "Die Proteste gingen weiter.\n\nMehr dazu steht unter https://www.rki.de im Bericht des Instituts."


def test_photo_credit_line():
    result = clean_text("Der Gipfel in Astana.\n\nFoto: Max Muster/dpa\n\nDie Gespräche dauerten an.")
    assert rules(result) == [("image_caption", "Foto: Max Muster/dpa")]


def test_paragraphs_in_square_brackets_are_removed_but_cuts_in_quotes_kept():
    raw = ("Der Senat beschloss neue Regeln.\n\n"
           "[Mehr zum Thema: Warum Gerichte so unterschiedlich urteilen]\n\n"
           "Die Schulen bleiben offen.\n\n"
           "[Jetzt 30 Tage kostenlos testen: checkpoint.tagesspiegel.de]\n\n"
           "[…] „Das System produziert Leid“, sagte sie. [Siehe Video HIER]\n\n"
           "[Siehe Video HIER]")
    result = clean_text(raw)
    assert rules(result) == [("bracketed_note", "[Mehr zum Thema: Warum Gerichte so unterschiedlich urteilen]"),
                             ("bracketed_note", "[Jetzt 30 Tage kostenlos testen: checkpoint.tagesspiegel.de]"),
                             ("bracketed_note", "[Siehe Video HIER]")]
    assert result.text == ("Der Senat beschloss neue Regeln.\n\nDie Schulen bleiben offen.\n\n"
                           "[…] „Das System produziert Leid“, sagte sie. [Siehe Video HIER]")


def test_byline_at_the_top_and_bio_partner_note_related_and_signature_at_the_end():
    raw = ("Von Anna Müller-Schmidt\n\nMirsijojew reiste nach Taschkent.\n\n"
           "Das Treffen war kurz.\n\n"
           "Anna Müller-Schmidt ist freie Journalistin in Almaty.\n\n"
           "Dieser Beitrag erschien zuerst bei unserem Partner Eurasianet.\n\n"
           "Mehr zum Thema\n\n(rt/dpa)")
    result = clean_text(raw)
    assert result.text == "Mirsijojew reiste nach Taschkent.\n\nDas Treffen war kurz."
    assert [r for r, _ in rules(result)] == ["byline", "author_bio", "partner_note", "related_posts", "signature"]
    assert result.fields == {"author": "Anna Müller-Schmidt"}


def test_a_link_block_at_the_end_goes_with_its_headlines():
    raw = ("Die EU beschloss Zölle.\n\nDas sagte von der Leyen.\n\nMehr zum Thema\n\n"
           "Kasachstan: Das Land zwischen Russland und China\n\nTrump und die Zölle: Was jetzt kommt")
    result = clean_text(raw)
    assert result.text == "Die EU beschloss Zölle.\n\nDas sagte von der Leyen."
    assert [r for r, _ in rules(result)] == ["related_posts"] * 3
    body = "Die EU beschloss Zölle.\n\nMehr zum Thema\n\nDas Treffen dauerte lange. Danach sprach Merz."
    assert clean_text(body).removed == []  # sentences after it: not a link block


def test_a_byline_with_the_place_the_author_writes_from():
    raw = "Autoindustrie fürchtet Trumps Zölle\n\nVon Fritz Fiktiv, Frankfurt am Main\n\nDie Branche warnt. Der Verband auch."
    result = clean_text(raw)
    assert rules(result) == [("title", "Autoindustrie fürchtet Trumps Zölle"), ("byline", "Von Fritz Fiktiv, Frankfurt am Main")]
    assert result.fields == {"author": "Fritz Fiktiv", "title": "Autoindustrie fürchtet Trumps Zölle"}
    assert clean_text("Von Berlin, Paris und Rom aus gesehen ist das klar.").removed == []


@pytest.mark.parametrize("sign_off", ["(rt/dpa)", "rt/dpa", "(rt / dpa)", "(dpa/rt deutsch)", "(jb)", "DAZ"])
def test_agency_sign_offs(sign_off):
    assert rules(clean_text(f"Tokajew lobte Putin.\n\n{sign_off}")) == [("signature", sign_off)]


def test_a_sign_off_in_brackets_after_the_last_sentence_is_removed():
    raw = "Tokajew lobte Putin (Moskau).\n\nDie Regierung beschloss neue Regeln. (Tsp/dpa)"
    result = clean_text(raw)
    assert rules(result) == [("signature", "(Tsp/dpa)")]
    assert result.text == "Tokajew lobte Putin (Moskau).\n\nDie Regierung beschloss neue Regeln."
    assert result.n_words == 9
    assert reconstruct(raw, result) == " ".join(raw.split())
    assert rules(clean_text("Die Regierung beschloss neue Regeln. (DM)\n\nDAZ")) == [("signature", "(DM)"), ("signature", "DAZ")]
    for kept in ("Das sagte Friedrich Merz (CDU)", "Es sprach Merz. (CDU-Chef)", "Ende. (mit Material von dpa)",
                 "Tokajew lobte Putin (dpa)."):
        assert clean_text(kept).removed == [], kept


def test_initials_signature_fills_author_and_acronym_signature_does_not():
    assert clean_text("Tokajew lobte Putin.\n\naro.").fields == {"author": "aro."}
    result = clean_text("Tokajew lobte Putin.\n\nDAZ")
    assert result.fields == {} and rules(result) == [("signature", "DAZ")]


def test_edge_rules_do_not_touch_body_lines_in_the_middle():
    raw = ("Tokajew sprach in Astana.\n\nMehr zum Thema\n\nDAZ\n\n"
           "Dieser Beitrag erschien zuerst bei Eurasianet.\n\nDas Gespräch dauerte zwei Stunden.")
    result = clean_text(raw)
    assert result.removed == []
    assert result.text == "\n\n".join(raw.split("\n\n"))


def test_headline_moves_to_title_only_when_it_looks_like_one():
    result = clean_text("Tokajew trifft Trump in Washington\n\nDer Präsident reiste am Montag.")
    assert result.fields == {"title": "Tokajew trifft Trump in Washington"}
    assert result.text == "Der Präsident reiste am Montag."
    lede = "Der Präsident reiste am Montag nach Washington.\n\nDort traf er Trump."
    assert clean_text(lede).removed == []


def test_a_name_alone_at_the_end_is_a_byline_only_when_the_bio_repeats_it():
    bio = "Tokajew sprach.\n\nAnna Weber\n\nAnna Weber ist Redakteurin bei der DAZ."
    assert rules(clean_text(bio)) == [("byline", "Anna Weber"), ("author_bio", "Anna Weber ist Redakteurin bei der DAZ.")]
    assert clean_text("Tokajew sprach.\n\nPräsident Tokajew").removed == []


def test_known_title_repeated_at_the_top_is_removed():
    result = clean_text("Gipfel in Astana\n\nDer Gipfel begann.", title="Gipfel  in Astana")
    assert rules(result) == [("title", "Gipfel in Astana")]
    assert result.fields == {}


def test_cleaning_is_idempotent_on_the_bundled_corpus(bundled):
    for text in bundled["text"]:
        assert clean_text(text).text == text


def test_parse_dates_mixed_formats_and_failures():
    values = pd.Series(["2020-11-13T16:31:47+01:00", "2020-04-01 10:00:00", "2025-11-10", "24. Dezember 2025",
                        "2021-03-5", "13.11.2020", "gestern", "2025-02-30", None, ""])
    dates, n_failed = parse_dates(values)
    assert [str(d) for d in dates] == [
        "2020-11-13 16:31:47", "2020-04-01 10:00:00", "2025-11-10 00:00:00", "2025-12-24 00:00:00",
        "2021-03-05 00:00:00", "2020-11-13 00:00:00", "NaT", "NaT", "NaT", "NaT"]
    assert n_failed == 2
    assert dates.dtype == "datetime64[ns]"


def test_parse_dates_with_month_names_weekdays_times_and_timestamps():
    expected = {
        "6. Nov. 2025": "2025-11-06 00:00:00",
        "So., 9. März 2025": "2025-03-09 00:00:00",
        "Donnerstag, 6. November 2025, 14:03 Uhr": "2025-11-06 14:03:00",  # as a date line in a text gives it
        "6.11.2025 um 9:05": "2025-11-06 09:05:00",
        "2025-11-06, 14:03 Uhr": "2025-11-06 14:03:00",
        "06.11.25": "2025-11-06 00:00:00",
        "06.11.95": "1995-11-06 00:00:00",
        "2025/11/06": "2025-11-06 00:00:00",
        "20251106": "2025-11-06 00:00:00",
        "Nov 6, 2025": "2025-11-06 00:00:00",
        "6 November 2025": "2025-11-06 00:00:00",
        "Thu, 06 Nov 2025 14:03:00 +0100": "2025-11-06 14:03:00",
        1762437780: "2025-11-06 14:03:00",
        1762437780000: "2025-11-06 14:03:00",
        "6. Foo 2025": "NaT",
        "31. Februar 2025": "NaT",
        "12345": "NaT",
    }
    dates, n_failed = parse_dates(pd.Series(list(expected), dtype=object))
    assert dict(zip(expected, map(str, dates))) == expected
    assert n_failed == 3


def test_a_date_line_with_a_time_gives_the_date():
    result = clean_text("Donnerstag, 6. November 2025, 14:03 Uhr\n\nTokajew sprach in Astana.")
    assert rules(result) == [("date_line", "Donnerstag, 6. November 2025, 14:03 Uhr")]
    assert parse_dates(pd.Series([result.fields["date"]]))[0][0] == pd.Timestamp("2025-11-06 14:03")


def test_count_words():
    assert count_words("Ein Satz hier.\n\nNoch einer.") == 5
    assert count_words("") == 0


def _outlet_corpus():
    promo = "[Wenn Sie aktuelle Nachrichten live auf Ihr Handy haben wollen, empfehlen wir Ihnen unsere App.]"
    rows = []
    for i in range(30):
        body = f"Artikel {i} berichtet über Astana und die Zahl {i * 7}.\n\nDas ist gut."
        parts = [body]
        if i % 3 == 0:
            parts.append(promo)
        if i < 10:
            parts.insert(0, "von Max Erdinger")
        if i < 4:  # a real body sentence that repeats in a few articles only
            parts.append("Der Präsident Tokajew besuchte am Montag das Werk in Karaganda.")
        rows.append({"doc_id": f"a{i}", "source": "beispiel.de", "raw_text": "\n".join(parts)})
    for i in range(5):
        rows.append({"doc_id": f"b{i}", "source": "klein.de", "raw_text": f"Text {i}.\n(kl)"})
    return pd.DataFrame(rows), promo


def test_learn_outlet_boilerplate_takes_promotions_and_bylines_not_body_sentences():
    corpus, promo = _outlet_corpus()
    learned = learn_outlet_boilerplate(corpus, min_articles=20)
    assert learned[["source", "line", "n_articles"]].values.tolist() == [
        ["beispiel.de", promo, 10],
        ["beispiel.de", "von Max Erdinger", 10],
    ]
    assert learned["share"].tolist() == pytest.approx([10 / 30, 10 / 30])


def test_clean_corpus_removes_learned_lines_records_them_and_fills_author():
    corpus, promo = _outlet_corpus()
    cleaned = clean_corpus(corpus, min_articles=20)
    table = audit(cleaned)
    assert (table["rule"] == "outlet_boilerplate").sum() == 20
    assert not cleaned["text"].str.contains("Handy").any()
    assert cleaned.loc[0, "text"] == (
        "Artikel 0 berichtet über Astana und die Zahl 0.\n\nDas ist gut.\n\n"
        "Der Präsident Tokajew besuchte am Montag das Werk in Karaganda.")
    assert cleaned["author"].tolist()[:11] == ["Max Erdinger"] * 10 + [None]
    assert (cleaned["text"].head(30).str.count(r"Das ist gut\.") == 1).all()
    pd.testing.assert_frame_equal(cleaned.attrs["boilerplate"], learn_outlet_boilerplate(corpus, min_articles=20))


def test_templates_with_a_changing_middle_are_learned_by_their_frame():
    places = ["aus Berlin", "aus Brandenburg", "zur Pandemie", "aus Potsdam", "zum Sport",
              "aus der Welt", "zur Wahl", "aus Europa", "zum Wetter", "aus Kultur"]
    variants = [f"[Wenn Sie alle aktuellen Nachrichten {place} live auf Ihr Handy haben wollen, empfehlen wir "
                f"Ihnen unsere App, die Sie hier für Apple- und Android-Geräte herunterladen können.]" for place in places]
    rows = [{"doc_id": f"t{i}", "source": "zeitung.de",
             "raw_text": f"Bericht {i} über die Lage in Berlin am Tag {i}.\n{variants[i // 2 % 10]}" if i % 2 else
                         f"Bericht {i} über die Lage in Berlin am Tag {i}."} for i in range(60)]
    cleaned = clean_corpus(pd.DataFrame(rows))
    assert not cleaned["text"].str.contains("Handy").any()
    assert cleaned["text"].tolist()[:2] == ["Bericht 0 über die Lage in Berlin am Tag 0.",
                                            "Bericht 1 über die Lage in Berlin am Tag 1."]
    assert cleaned.attrs["boilerplate"][["line", "n_articles"]].values.tolist() == [
        ["[Wenn Sie alle aktuellen Nachrichten … Apple- und Android-Geräte herunterladen können.]", 30]]


def test_too_small_outlets_learn_nothing(bundled):
    assert bundled.attrs["boilerplate"].empty


def test_parallel_and_serial_cleaning_agree():
    corpus, _ = _outlet_corpus()
    corpus = pd.concat([corpus] * 70, ignore_index=True)
    serial = clean_corpus(corpus, n_jobs=1)
    parallel = clean_corpus(corpus, n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel)


def test_bad_thresholds_are_rejected():
    corpus, _ = _outlet_corpus()
    with pytest.raises(ValueError, match="min_share"):
        learn_outlet_boilerplate(corpus, min_share=0)
    with pytest.raises(ValueError, match="by='outlet'"):
        learn_outlet_boilerplate(corpus, by="outlet")


def test_repeated_texts_are_compared_where_hashes_collide():
    texts = ["Zölle", "Gipfel", "Zölle", "Gipfel", "Öl"]
    flags = clean_module._repeated(pd.Series(texts, dtype="str"), np.array([7, 7, 7, 7, 8]))
    assert flags.tolist() == [False, False, True, True, False]


def test_the_clean_texts_of_a_corpus_are_the_kept_lines_between_blank_lines():
    articles = [_Article("Zölle auf Öl \n\n\n 12345678 „Gipfel“\nC5+1 😀"), _Article("")]
    articles[0].drop(3, "title")
    cleaned = clean_module._packed(articles)
    assert cleaned["text"].tolist() == ["Zölle auf Öl\n\nC5+1 😀", ""]
    assert cleaned["n_words"].tolist() == [5, 0]


def test_a_template_is_found_by_its_frame():
    template = "Laden Sie jetzt unsere App herunter, es gibt im {} neue Funktionen für alle Leserinnen und Leser der Zeitung. ]"
    learned = set(clean_module._frame_hashes([template.format("Mai")]))
    lines = [template.format("Juni"), "laden Sie jetzt unsere App herunter, es gibt neue Funktionen für alle Leserinnen und Leser der Zeitung",
             template.format("Juli").replace(". ]", " ]"), "Laden Sie jetzt unsere App herunter.",
             "Laden Sie jetzt unsere App herunter, es gibt im Juni nichts Neues für die Leser dieser Zeitung."]
    assert clean_module._find_learned(lines, [0, 1, 2, 3, 4], learned) == [0, 2]
    assert clean_module._find_learned(lines, [1, 3, 4], learned) == []


def test_a_learned_line_behind_a_metadata_header_is_removed_in_workers_too():
    corpus, promo = _outlet_corpus()
    hidden = [{"doc_id": f"h{i}", "source": "beispiel.de",
               "raw_text": f"date 2025-{1 + i % 12:02d}-{1 + i % 28:02d} {promo}\nTokajew reiste am Tag {i} nach Astana."}
              for i in range(70)]  # no two first lines alike: only the promotion behind the header is learned
    corpus = pd.concat([*[corpus] * 70, pd.DataFrame(hidden)], ignore_index=True)  # 2,520 articles: two workers
    for n_jobs in (1, 2):
        # copies count once: the promotion is in 10 distinct articles, fewer than 1 % of the outlet's 2,170
        cleaned = clean_corpus(corpus, min_articles=20, min_share=0.001, n_jobs=n_jobs)
        article = cleaned[cleaned["doc_id"] == "h69"].iloc[0]
        assert article["text"] == "Tokajew reiste am Tag 69 nach Astana."
        assert [(r["rule"], r["text"]) for r in article["removed"]] == [
            ("metadata_header", "date 2025-10-14"), ("outlet_boilerplate", promo)]
        assert article["date"] == pd.Timestamp("2025-10-14")


def test_every_rule_has_a_german_label():
    assert set(clean_module.RULE_LABELS) == set(clean_module.RULES)
    assert len(set(clean_module.RULE_LABELS.values())) == len(clean_module.RULES)


# ---------------------------------------------------------------- cleaning inside a line (issue 21)

BODY = "Kanzler Merz traf Tokajew in Astana. Die Gespräche über Zölle dauerten drei Stunden."
AFTER = "Danach reiste Mirsijojew nach Taschkent weiter."


@pytest.mark.parametrize("piece, rule", [
    ("Eindhoven is a war zone. #Eindhoven pic.twitter.com/qWUPmmZKHV", "social_embed"),
    ("„Österreichs Regierung tagt.“ — Sebastian Kurz (@sebastiankurz) 5. Juni 2016", "social_embed"),
    ("— Max Muster (@maxmuster) January 24, 2021", "social_embed"),
    ("https://www.youtube.com/watch?v=5jutmzCHCLg", "social_embed"),
    ("Foto: APA/HERBERT NEUBAUER", "image_caption"),
    ("Foto: Max Müller/dpa", "image_caption"),
    ("(Foto: Jörg Weiß)", "image_caption"),
    ("(APA, 3.2.2016)", "signature"),
    ("(Thomas Mayer aus Brüssel, 14.12.2015)", "signature"),
])
def test_boilerplate_inside_a_one_line_article_is_cut_out_and_the_rest_kept(piece, rule):
    raw = f"{BODY} {piece} {AFTER}"
    result = clean_text(raw)
    removed = piece[piece.find("—"):] if piece.startswith("„") else piece  # the quoted post's words are the article's
    removed = removed.replace("Eindhoven is a war zone. ", "")  # a post's sentences before its link's stay
    assert [(r["rule"], r["text"]) for r in result.removed] == [(rule, removed)]
    assert result.removed[0]["line"] == 0 and raw[result.removed[0]["start"]:].startswith(removed)
    assert result.text == raw.replace(removed + " ", "")
    assert reconstruct(raw, result) == raw


@pytest.mark.parametrize("sign_off", ["(red, 15.1.2016)", "(nim, krud, mika, jub, mro)", "(APA, 3.2.2016)", "(sda)",
                                      "(SDA/Keystone)", "(dpa, AFP)", "(Thomas Mayer aus Brüssel, 14.12.2015)",
                                      "DAZ", "aro."])
def test_sign_offs_at_the_end_of_the_last_line_and_on_a_line_of_their_own(sign_off):
    end_of_line = clean_text(f"Die Koalition in Wien einigte sich auf das Budget. {sign_off}")
    own_line = clean_text(f"Die Koalition in Wien einigte sich auf das Budget.\n\n{sign_off}")
    for result in (end_of_line, own_line):
        assert rules(result) == [("signature", sign_off)]
        assert result.text == "Die Koalition in Wien einigte sich auf das Budget."


def test_brackets_that_are_not_sign_offs_stay():
    for kept in ("Das sagte Friedrich Merz (CDU)", "Tokajew lobte Putin (dpa).", "Ende. (mit Material von dpa)",
                 "Es sprach Merz. (CDU-Chef)", "Die Koalition einigte sich (am 15.1.2016) auf das Budget.",
                 "Das Treffen war am 3. Juni. (Siehe unten, Seite 4)"):
        assert clean_text(kept).removed == [], kept


def test_in_line_rules_keep_what_is_not_boilerplate():
    kept = ("Die Fertigungsberufe bieten ein uneinheitliches Bild: Während sich viele freuen, klagen andere. "
            "Links im Bild: die Autonomen. Mehr dazu steht unter https://www.rki.de im Bericht des Instituts. "
            "Der Account (@realDonaldTrump) hat 80 Millionen Leser.")
    assert clean_text(kept).removed == []


def test_a_credit_inside_a_line_ends_before_the_next_sentence():
    raw = ("Demo vor dem Reichstag. Foto: Paul Klemm Etwa das gleiche Bild zeigte sich in Köln. Foto: Twitter Die Polizei schwieg. "
           "Foto: BMG Kein Wunder.")
    result = clean_text(raw)
    assert rules(result) == [("image_caption", "Foto: Paul Klemm"), ("image_caption", "Foto: Twitter"),
                             ("image_caption", "Foto: BMG")]
    assert result.text == "Demo vor dem Reichstag. Etwa das gleiche Bild zeigte sich in Köln. Die Polizei schwieg. Kein Wunder."


def test_each_piece_records_where_it_stood_in_the_line_as_read():
    raw = "Tokajew   sprach. Foto: Max Muster/dpa Er ging. (APA, 3.2.2016)"
    result = clean_text(raw)
    assert [(r["line"], r["start"], r["text"]) for r in result.removed] == [
        (0, 16, "Foto: Max Muster/dpa"), (0, 46, "(APA, 3.2.2016)")]  # in the line with its spaces folded
    assert result.text == "Tokajew sprach. Er ging."
    assert audit(pd.DataFrame({"doc_id": ["a"], "removed": [result.removed]})).columns.tolist() == [
        "doc_id", "line", "start", "rule", "text"]


def test_an_article_of_one_line_is_never_emptied_by_a_rule_for_whole_lines():
    one_line = {
        "Tokajew traf Trump. Eindhoven is a war zone. #Eindhoven pic.twitter.com/qWUPmmZKHV":
            "Tokajew traf Trump. Eindhoven is a war zone.",
        "Haftungsausschluss: Diese Seite steht in keiner Verbindung zur Bahn. Der Gipfel begann.": "Der Gipfel begann.",
        "Der Impfstoff wurde in Großbritannien zuerst zugelassen.": "Der Impfstoff wurde in Großbritannien zuerst zugelassen.",
        "Anna Weber ist Redakteurin und berichtet aus Almaty über Kasachstans Wahl.":
            "Anna Weber ist Redakteurin und berichtet aus Almaty über Kasachstans Wahl.",
        "Foto: Max Muster/dpa Der Gipfel in Astana begann mit einem Streit.": "Der Gipfel in Astana begann mit einem Streit.",
    }
    assert {raw: clean_text(raw).text for raw in one_line} == one_line
    assert clean_text("Foto: Max Muster/dpa").text == ""  # a credit alone is no body


def test_the_bundled_articles_without_line_breaks_keep_their_body(bundled):
    removed = {}
    for doc_id, raw in zip(bundled["doc_id"], bundled["raw_text"]):
        flat = raw.replace("\n", " ")
        result = clean_text(flat)
        assert reconstruct(flat, result) == " ".join(flat.split())
        assert result.n_words >= len(flat.split()) - 30
        removed[doc_id] = rules(result)
    assert removed == {
        "000_2da1234d1a8e9a06": [("disclaimer", "Haftungsausschluss: Diese Website steht in keiner Verbindung zur Deutsche "
                                  "Bahn AG oder deren Tochtergesellschaften. S-Bahn Hamburg ist ein unabhängiges, privat "
                                  "betriebenes Online-Magazin und nicht Teil der Deutschen Bahn-Gruppe.")],
        "001_a6815253bf6501a7": [("partner_note", "Dieser Artikel erschien zuerst in englischer Sprache bei unserem "
                                  "Kooperationspartner bne intelliNews Related Post")],  # no full stop between them
        "002_af44ea4379a0538b": [("metadata_header", "date 2025-11-10"), ("signature", "DAZ")],
        "003_0e63eec3ea36fa6e": [("metadata_header", "date 2025-11-05")],
        "004_4fd6afaf44899373": [("metadata_header", "date 2025-08-19"), ("signature", "aro.")],
    }


def test_hand_built_fixtures_without_line_breaks_keep_their_body_and_lose_their_in_line_boilerplate():
    raw = ("Die Proteste gingen weiter.\n\nEindhoven is a war zone. #Eindhoven pic.twitter.com/qWUPmmZKHV\n\n"
           "— Max Muster (@maxmuster) January 24, 2021\n\nhttps://www.youtube.com/watch?v=5jutmzCHCLg\n\n"
           "Mehr dazu steht unter https://www.rki.de im Bericht des Instituts.\n\nFoto: Max Muster/dpa\n\n"
           "Die Regierung beschloss neue Regeln. (Tsp/dpa)")
    flat = raw.replace("\n", " ")
    result = clean_text(flat)
    assert [r for r, _ in rules(result)] == ["social_embed"] * 3 + ["image_caption", "signature"]
    assert result.text == ("Die Proteste gingen weiter. Eindhoven is a war zone. Mehr dazu steht unter https://www.rki.de "
                           "im Bericht des Instituts. Die Regierung beschloss neue Regeln.")
    assert reconstruct(flat, result) == " ".join(flat.split())
    assert clean_text(result.text).text == result.text


# ---------------------------------------------------------------------- stubs and emptied texts

@pytest.mark.parametrize("text", [
    "Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung.",
    "Merz in Wien\n\nDieser Inhalt ist nicht mehr verfügbar.",
    "Dieser Artikel ist nur für Abonnenten.",
    ("Streit um Zölle\n\nDie Koalition ringt um Zölle auf Stahl aus China. Was Kanzler Merz jetzt plant. "
     "Lesen Sie weiter mit SZ Plus."),
    "Der Beitrag wurde aus urheberrechtlichen Gründen entfernt.",
])
def test_notices_instead_of_articles_are_stubs(text):
    assert is_stub(text)


@pytest.mark.parametrize("text", [
    "Die Website des Ministeriums ist nicht mehr erreichbar. Die Behörde prüft den Fehler.",
    "Der Minister ist nicht mehr im Amt. Sie wurde gelöscht.",
    "Fans aufgebracht: Amazon entfernt schon wieder Funktion von Prime Video",
    "Trump teilt kritischen Artikel über Putin. Selenskyj sieht die Ukraine zehn Prozent von einem Abkommen entfernt.",
    "Nur für BILDplus: 5 € Rabatt auf eine Autowäsche!",
    "Die Koalition ringt um Zölle. " * 30 + "Lesen Sie weiter mit SZ Plus.",  # long: an article with a notice
    "",
])
def test_texts_that_are_not_notices_are_no_stubs(text):
    assert not is_stub(text)


def test_a_corpus_flags_stubs_and_never_calls_two_emptied_texts_duplicates():
    stub = "Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung."
    corpus = pd.DataFrame({"doc_id": list("abcdef"), "raw_text": [
        "Tokajew traf Trump.", stub, stub, "Foto: Max Muster/dpa", "Foto: Erika Muster/AFP", "Tokajew traf Trump."]})
    cleaned = clean_corpus(corpus)
    assert cleaned["is_stub"].tolist() == [False, True, True, False, False, False]
    assert cleaned["is_duplicate"].tolist() == [False, False, True, False, False, True]
    articles, left_out = articles_for_analysis(cleaned)
    assert articles["doc_id"].tolist() == ["a"]
    assert left_out == "1 repeating an earlier text, 2 notices instead of an article and 2 left empty by cleaning left out"


def test_a_notice_learned_as_outlet_boilerplate_still_makes_a_stub():
    notice = "Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen Gründen nicht mehr zur Verfügung."
    rows = [{"source": "wien.at", "raw_text": f"Meldung {i}: Budget beschlossen\n{notice}"} for i in range(5)]
    rows += [{"source": "wien.at", "raw_text": f"Die Koalition in Wien beschloss am Tag {i} das Budget. Es gilt ab März."}
             for i in range(20)]
    cleaned = clean_corpus(pd.DataFrame(rows), min_articles=20)
    assert cleaned["is_stub"].tolist() == [True] * 5 + [False] * 20
    assert audit(cleaned.assign(doc_id=range(25)))["rule"].tolist() == ["outlet_boilerplate"] * 5


# ---------------------------------------------------------------- articles that lose most of their words

def test_articles_that_lose_more_than_half_their_words_are_warned_about_and_listed():
    promo = "[Jetzt 30 Tage kostenlos testen und alle Artikel des Tagesspiegels lesen, auch auf dem Handy]"
    corpus = pd.DataFrame({"doc_id": ["kurz", "lang"], "raw_text": [
        f"Gipfel in Astana\n\nTokajew sprach.\n\n{promo}", f"Tokajew sprach in Astana über Zölle und Öl.\n\n{promo[:40]}]"]})
    with pytest.warns(UserWarning, match=r"article 'kurz': cleaning removed 15 of its 17 words \(88%\), most by the rule "
                                         r"'bracketed_note'"):
        cleaned = clean_corpus(corpus)
    assert heavily_cleaned(cleaned).values.tolist() == [["kurz", 17, 15, 15 / 17, "bracketed_note"]]
    # the headline moved to the title does not count as removed; "lang" lost 7 of 15 words


def test_copies_of_one_article_teach_no_boilerplate_and_keep_their_text():
    article = "Die Koalition in Wien beschloss das Budget.\nDer Finanzminister sprach von einem guten Tag für Österreich."
    rows = [{"source": "wien.at", "raw_text": article} for _ in range(6)]
    rows += [{"source": "wien.at", "raw_text": f"Meldung {i} über das Wetter in Graz am Tag {i}."} for i in range(20)]
    cleaned = clean_corpus(pd.DataFrame(rows), min_articles=20)
    assert cleaned.attrs["boilerplate"].empty
    assert cleaned["text"].tolist()[:6] == [article.replace("\n", "\n\n")] * 6
    assert cleaned["is_duplicate"].tolist() == [False] + [True] * 5 + [False] * 20


def test_words_that_end_a_teaser_are_no_sign_offs_and_a_magazine_that_appeared_first_no_partner_note():
    for kept in ('Sie ist die Tochter des Stars von "Kevin – Allein zu Haus" ist.', "Fünf Präsidenten und ein Zar – Putin vs. USA",
                 "Aus Ostdeutschland werden Mahnrufe an Merz und Co. laut.",
                 "Gipfel der Zeitschriften?\n\nVor 80 Jahren erschien das erste Heft einer Zeitschrift, die zuerst verboten war."):
        assert clean_text(kept).removed == [], kept


def test_the_report_lists_heavily_cleaned_articles_in_its_terminal_summary(caplog):
    from analysis.report import _log_heavily_cleaned

    promo = "[Jetzt 30 Tage kostenlos testen und alle Artikel des Tagesspiegels lesen, auch auf dem Handy]"
    with pytest.warns(UserWarning, match="'kurz'"):
        cleaned = clean_corpus(pd.DataFrame({"doc_id": ["kurz"], "raw_text": [f"Gipfel in Astana\n\nTokajew sprach.\n\n{promo}"]}))
    with caplog.at_level("INFO", logger="analysis.report"):
        _log_heavily_cleaned(heavily_cleaned(cleaned))
    assert caplog.messages == [
        "1 article: cleaning removed more than half of the words (analysis.clean.heavily_cleaned lists them):",
        "  kurz: 15 of 17 words removed, most by the rule bracketed_note"]


# ------------------------------------------------- disclaimers, bylines and partner notes inside a line (issue 21)

@pytest.mark.parametrize("raw, rule, piece, author", [
    ("Haftungsausschluss: Diese Seite steht in keiner Verbindung zur Bahn. Der Gipfel in Köln begann mit einem Streit.",
     "disclaimer", "Haftungsausschluss: Diese Seite steht in keiner Verbindung zur Bahn.", None),
    ("Von Max Muster, dpa Die Koalition in Wien einigte sich auf das Budget. Die Grünen stimmten zu.",
     "byline", "Von Max Muster, dpa", "Max Muster"),
    ("Streit um Zölle Von Anna Müller-Schmidt Berlin – Die Koalition einigte sich auf das Budget. Die Grünen stimmten zu.",
     "byline", "Von Anna Müller-Schmidt", "Anna Müller-Schmidt"),
    ("Ein Kommentar von Jürgen Weiß Österreichs Regierung tagt. „Wir sind einig“, sagte der Kanzler.",
     None, None, None),  # no sentence or dateline begins after the name: where the byline ends is not known
    ("Die Koalition in Wien einigte sich auf das Budget. Die Grünen stimmten zu. Von Max Muster, dpa",
     "byline", "Von Max Muster, dpa", "Max Muster"),
    ("Die Koalition in Wien einigte sich auf das Budget. Die Grünen stimmten zu. "
     "Redaktionelle Anmerkung: Dieser Text erschien zuerst bei Telepolis. Mehr Meinungen lesen Sie täglich.",
     "partner_note", "Redaktionelle Anmerkung: Dieser Text erschien zuerst bei Telepolis.", None),
    ("Die Koalition in Wien einigte sich auf das Budget. Dieser Beitrag erschien zuerst hier", "partner_note",
     "Dieser Beitrag erschien zuerst hier", None),
    ("Die Koalition in Wien einigte sich auf das Budget. (Mit Material von dts) Dazu ein Kommentar von Anna Weber.",
     "partner_note", "(Mit Material von dts)", None),
    ("Die Koalition in Wien einigte sich auf das Budget. Anmerkung: Der Text erschien zuerst in der Reihe „Wien heute“ "
     "am 29. April 2020. Die Grünen stimmten zu.", "partner_note",
     "Anmerkung: Der Text erschien zuerst in der Reihe „Wien heute“ am 29. April 2020.", None),
])
def test_disclaimers_bylines_and_partner_notes_inside_a_one_line_article_are_cut_out(raw, rule, piece, author):
    result = clean_text(raw)
    assert rules(result) == ([(rule, piece)] if rule else [])
    assert result.text == " ".join(raw.replace(piece, "").split()) if piece else raw
    assert result.fields.get("author") == author
    assert reconstruct(raw, result) == raw
    assert clean_text(result.text).text == result.text


def test_sentences_that_only_look_like_edge_boilerplate_stay_in_a_one_line_article():
    for kept in ("Von Donald Trump hält Merz wenig. Die Koalition in Wien einigte sich auf das Budget.",
                 "Die Studie ist unabhängig. Der Bericht wurde zuerst in Nature veröffentlicht.",
                 "Der Impfstoff wurde zuerst in Großbritannien zugelassen. Die Grünen stimmten zu. Er sprach lange.",
                 "Die Koalition einigte sich. Von Berlin aus reiste Merz weiter. Die Grünen stimmten zu."):
        assert clean_text(kept).removed == [], kept



EDGE_PIECES = ["Haftungsausschluss: Diese Seite steht in keiner Verbindung zur Bahn.", "Von Max Muster, dpa",
               "Ein Kommentar von Anna Weber", "Berlin –", "Redaktionelle Anmerkung: Dieser Text erschien zuerst bei Telepolis.",
               "Dieser Beitrag erschien zuerst hier.", "Von Donald Trump hält Merz wenig.", "„Wir sind einig“, sagte er.",
               "Streit um Zölle", "Die Studie ist unabhängig."]
SENTENCES = ["Die Koalition in Wien einigte sich auf das Budget.", "Tokajews Reise nach Taschkent dauerte drei Tage."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(EDGE_PIECES + SENTENCES), max_size=8), st.integers(min_value=0, max_value=8))
def test_one_line_articles_with_edge_boilerplate_keep_their_body_and_account_for_the_input(pieces, position):
    body = "Merz traf Tokajew in Astana."
    raw = " ".join([*pieces[:position], body, *pieces[position:]])
    assert clean_text(f"{raw} :").text == clean_text(clean_text(f"{raw} :").text).text  # what is left may be punctuation
    result = clean_text(raw)
    assert reconstruct(raw, result) == raw
    assert body in result.text
    assert clean_text(result.text).text == result.text
