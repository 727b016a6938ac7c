"""Tests for analysis.text: German tokenisation, stopwords, stemming, analyzer, display forms."""
import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis import text
from analysis.text import (
    Analyzer,
    TermCounts,
    count_terms,
    blank_domains,
    display_forms,
    english_stopwords,
    german_stopwords,
    make_analyzer,
    stem,
    tokenize,
    unit_terms,
)


# ----------------------------------------------------------------------------- tokenize


def test_tokenize_keeps_hyphen_compounds_and_drops_quotes():
    text = "„Der US-Präsident lädt zum Miami-G20-Gipfel“, hieß es – die Trump-Regierung schweigt."
    assert tokenize(text) == [
        "Der", "US-Präsident", "lädt", "zum", "Miami-G20-Gipfel", "hieß", "es",
        "die", "Trump-Regierung", "schweigt",
    ]


def test_tokenize_keeps_plus_and_digit_tokens():
    assert tokenize("Das Format C5+1, die G20 und die 5+1-Gespräche.") == [
        "Das", "Format", "C5+1", "die", "G20", "und", "die", "5+1-Gespräche",
    ]


def test_tokenize_removes_soft_hyphens_and_unifies_hyphens():
    # U+00AD soft hyphen inside a word, U+2011 non-breaking hyphen in a compound
    assert tokenize("Der Prä\u00adsident zahlt in US\u2011Dollar.") == ["Der", "Präsident", "zahlt", "in", "US-Dollar"]


def test_tokenize_handles_apostrophes_and_guillemets():
    text = "»Nein«, sagte er: ‚Trump’s Rede – so geht's nicht‘."
    assert tokenize(text) == ["Nein", "sagte", "er", "Trump's", "Rede", "so", "geht's", "nicht"]


def test_tokenize_drops_dangling_hyphens_and_splits_numbers():
    assert tokenize("Ein- und Ausfuhr stiegen um 17,5 Prozent.") == [
        "Ein", "und", "Ausfuhr", "stiegen", "um", "17", "5", "Prozent",
    ]


def test_tokenize_composes_decomposed_umlauts_and_keeps_eszett():
    # "a" + combining diaeresis (NFD) must become one token "Präsident"
    assert tokenize("Pra\u0308sident der Straße") == ["Präsident", "der", "Straße"]


def test_tokenize_drops_web_and_email_addresses():
    text = ("Mehr unter https://t.co/Ab1 und WWW.ZEIT.DE/politik, Post an leser.brief@taz.de. Danke @Redaktion "
            "(Quelle: HTTPS://akorda.kz)Tokajew und Trump@Twitter.Tokajew")
    assert tokenize(text) == ["Mehr", "unter", "und", "Post", "an", "Danke", "Redaktion", "Quelle", "Tokajew", "und",
                              "Trump", "Twitter", "Tokajew"]


def test_tokenize_empty_text():
    assert tokenize("") == []
    assert tokenize(" – „“ … ") == []


def test_tokenize_rejects_non_text():
    with pytest.raises(ValueError, match="text must be a str"):
        tokenize(None)


# ----------------------------------------------------------------------------- stopwords and stems


def test_german_stopwords_cover_function_words_and_news_fillers():
    stopwords = german_stopwords()
    assert {"und", "der", "die", "das", "nicht", "dass", "sei", "sagte", "laut", "heute", "wurde"} <= stopwords
    assert all(word == word.casefold() for word in stopwords)


def test_german_stopwords_spare_content_words():
    stopwords = german_stopwords()
    content = {"präsident", "gipfel", "kasachstan", "regierung", "handel", "wahl", "trump", "usbekistan"}
    assert not content & stopwords


def test_english_function_words_are_stopwords_but_not_acronyms_or_german_words():
    stopwords = english_stopwords()
    assert {"the", "of", "and", "with", "from", "this"} <= stopwords
    assert not {"who", "is", "us", "it", "most", "art", "gift"} & stopwords
    assert make_analyzer(stem=False)("„The Crown“ of Netflix: die WHO und der IS") == ["crown", "netflix", "who", "is"]


def test_bare_domain_names_are_blanked_and_abbreviations_kept():
    text = ("Laut derStandard.at, ORF.at/stories/1 und t.me/kanal: z.B. e.V. und d.h. Ende.Das bleibt "
            "(leute.tagesspiegel.de).")
    blanked = blank_domains(text)
    assert len(blanked) == len(text)
    assert tokenize(text) == ["Laut", "und", "z", "B", "e", "V", "und", "d", "h", "Ende", "Das", "bleibt"]
    assert blanked.split() == ["Laut", ",", "und", ":", "z.B.", "e.V.", "und", "d.h.", "Ende.Das", "bleibt", "(", ")."]


def test_unit_terms_are_the_terms_that_mostly_follow_a_number():
    texts = ["Die Schulden stiegen um 3,5 Mrd. auf 20 Prozent der Wirtschaftsleistung.",
             "Die Schulden der Länder: 12 Prozent mehr, sagte die Ministerin, 2 Mrd Euro."]
    assert unit_terms(texts) == {"mrd", "prozent"}
    assert unit_terms(texts, make_analyzer(stem=False), terms=["prozent", "schulden"]) == {"prozent"}
    assert "euro" not in unit_terms(texts, min_share=0.1)  # "Euro" follows "Mrd", not a number


def test_stem_reduces_inflected_forms_to_one_stem():
    # German Snowball: "-en" and "-s" (after l) are suffixes; "ä" becomes "a"
    assert stem("Präsidenten") == "prasident"
    assert stem("Präsident") == "prasident"
    assert stem("Gipfels") == "gipfel"
    assert stem("besuchte") == "besucht"


# ----------------------------------------------------------------------------- analyzer


def test_analyzer_casefolds_removes_stopwords_numbers_and_stems():
    analyzer = make_analyzer()
    text = "Die Präsidenten trafen sich 2025 beim G20-Gipfel, sagte ein Sprecher heute."
    # die/sich/beim/sagte/ein/heute: stopwords; 2025: number; Sprecher -> sprech (-er)
    assert analyzer(text) == ["prasident", "traf", "g20-gipfel", "sprech"]


def test_analyzer_without_stemming_keeps_casefolded_words():
    analyzer = make_analyzer(stem=False)
    assert analyzer("Die Straße nach Kasachstan.") == ["strasse", "kasachstan"]


def test_analyzer_without_stopword_removal_keeps_function_words():
    analyzer = make_analyzer(stem=False, remove_stopwords=False)
    assert analyzer("Er sagte: Nein, und der Gipfel.") == ["er", "sagte", "nein", "und", "der", "gipfel"]


def test_analyzer_min_length_and_numbers():
    assert make_analyzer(stem=False, min_length=4)("Gas und Öl aus Usbekistan") == ["usbekistan"]
    assert make_analyzer(stem=False, drop_numbers=False)("2025 G20") == ["2025", "g20"]


def test_analyzer_term_maps_single_tokens():
    analyzer = make_analyzer()
    assert analyzer.term("Präsidenten") == "prasident"
    assert analyzer.term("sagte") is None
    assert analyzer.term("2025") is None


def test_analyzer_is_picklable_and_gives_same_terms():
    analyzer = make_analyzer(stem=True, min_length=3)
    text = "Kasachstans Präsident Tokajew und die Gipfel"
    clone = pickle.loads(pickle.dumps(analyzer))
    assert isinstance(clone, Analyzer)
    assert clone(text) == analyzer(text) == ["kasachstan", "prasident", "tokajew", "gipfel"]


def test_analyzer_rejects_bad_arguments():
    with pytest.raises(ValueError, match="min_length"):
        make_analyzer(min_length=0)
    with pytest.raises(ValueError, match="text must be a str"):
        make_analyzer()(42)


def test_analyzer_tokens_are_casefolded_before_anything_is_dropped():
    analyzer = make_analyzer()
    sentence = "„Die Straße“ – US\u2011Präsident, 2025!"
    assert analyzer.tokens(sentence) == ["die", "strasse", "us-präsident", "2025"]
    # the analyzer keeps the terms of these tokens: "die" is a stopword, "2025" a number
    assert [analyzer.term(token) for token in analyzer.tokens(sentence)] == [None, "strass", "us-prasident", None]
    assert analyzer(sentence) == ["strass", "us-prasident"]


def test_analyzer_settings_rebuild_the_analyzer():
    analyzer = make_analyzer(stem=False, min_length=3, drop_numbers=False)
    assert analyzer.settings == {"stem": False, "remove_stopwords": True, "min_length": 3, "drop_numbers": False}
    assert repr(make_analyzer(**analyzer.settings)) == repr(analyzer)


def test_stemming_analyzer_stems_exactly_what_the_word_analyzer_keeps():
    sentence = (
        "„Die Präsidenten“ trafen sich 2025 in Kasachstans Hauptstadt – US-Präsident Trumps G20-Gipfel, Straße 5+1."
    )
    # Snowball: -en and -e go, "s" after "n" goes, after "p" it stays (Trumps); ä -> a; ß was casefolded to ss
    assert make_analyzer(stem=False)(sentence) == [
        "präsidenten", "trafen", "kasachstans", "hauptstadt", "us-präsident", "trumps", "g20-gipfel", "strasse",
    ]
    assert make_analyzer()(sentence) == [
        "prasident", "traf", "kasachstan", "hauptstadt", "us-prasident", "trumps", "g20-gipfel", "strass",
    ]


@pytest.mark.parametrize(
    "settings",
    [{}, {"min_length": 4}, {"remove_stopwords": False}, {"drop_numbers": False}, {"min_length": 1}],
)
def test_stemming_analyzer_is_the_word_analyzer_followed_by_stem(settings):
    texts = [
        "Die 5+1-Gespräche und C5+1 in Astana: Ära, Öl, Uran – 2025 geht's weiter.",
        "»Kasachstans Präsidenten« sagten, dass die Präsidentin des Gipfels ja, ja käme.",
        "Pra\u0308sident Tokajews Straßen-Bau, ein- und ausführen, 17,5 Prozent.",
    ]
    for sentence in texts:
        words = make_analyzer(stem=False, **settings)(sentence)
        assert make_analyzer(stem=True, **settings)(sentence) == [stem(word) for word in words]


def test_analyzer_works_inside_tfidf_vectorizer():
    texts = ["Der Präsident reist nach Astana.", "Die Präsidenten treffen sich in Astana und Taschkent."]
    vectorizer = TfidfVectorizer(analyzer=make_analyzer())
    matrix = vectorizer.fit_transform(texts)
    assert list(vectorizer.get_feature_names_out()) == ["astana", "prasident", "reist", "taschkent", "treff"]
    assert matrix.shape == (2, 5)


# ----------------------------------------------------------------------------- display forms


def test_display_forms_pick_the_most_frequent_surface_form():
    texts = [
        "Der Präsident Kasachstans traf den Präsidenten.",
        "Präsident Tokajew besuchte Kasachstan und Kasachstan.",
    ]
    assert display_forms(texts) == {
        "prasident": "Präsident",  # Präsident x2, Präsidenten x1
        "kasachstan": "Kasachstan",  # Kasachstan x2, Kasachstans x1
        "traf": "traf",
        "tokajew": "Tokajew",
        "besucht": "besuchte",
    }


def test_display_forms_break_ties_by_first_appearance_and_respect_terms():
    texts = ["Gipfels Gipfel Minister"]
    assert display_forms(texts) == {"gipfel": "Gipfels", "minist": "Minister"}
    assert display_forms(texts, terms=["minist"]) == {"minist": "Minister"}


def test_display_forms_accept_any_callable_analyzer():
    def upper_words(text):
        return [word.upper() for word in text.split()]

    assert display_forms(["Gipfel gipfel Gipfel"], analyzer=upper_words) == {"GIPFEL": "Gipfel"}


def test_display_forms_reject_a_single_string():
    with pytest.raises(ValueError, match="iterable of str"):
        display_forms("Der Präsident")


def test_count_terms_in_workers_matches_one_process_and_scikit_learn():
    texts = [f"Präsident Tokajew traf {name} in Astana, Gespräch Nummer {i}." for i in range(1500)
             for name in ("Trump", "Putin")]
    analyzer = make_analyzer(stem=False)
    serial, serial_terms = count_terms(texts, analyzer, n_jobs=1)
    parallel, parallel_terms = count_terms(texts, analyzer, n_jobs=2)
    reference = CountVectorizer(analyzer=analyzer).fit(texts)
    assert parallel_terms.tolist() == serial_terms.tolist() == reference.get_feature_names_out().tolist()
    assert (parallel != serial).nnz == 0
    assert (serial != reference.transform(texts)).nnz == 0
    rare, rare_terms = count_terms(texts, analyzer, min_df=1501, n_jobs=2)
    assert rare_terms.tolist() == ["astana", "gespräch", "nummer", "präsident", "tokajew", "traf"]
    assert rare.shape == (3000, 6)


def test_count_terms_splits_punctuation_like_the_tokenizer():
    texts = [
        "„Tokajew“ (Kasachstan) – US-Präsident: Trump's Gipfel...\n\nEin- und Ausfuhr, -Zölle-",
        "STRASSE/Straße;C5+1!—»G20«, 1.000 Mio.\tUS-Präsident https://t.co/xyz",
        "",
    ]
    analyzer = make_analyzer(stem=False)
    matrix, terms = count_terms(texts, analyzer, n_jobs=1)
    assert terms.tolist() == ["ausfuhr", "c5+1", "g20", "gipfel", "kasachstan", "mio", "strasse", "tokajew",
                              "trump's", "us-präsident", "zölle"]
    assert matrix.toarray().tolist() == [[1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1], [0, 1, 1, 0, 0, 1, 2, 0, 0, 1, 0],
                                         [0] * 11]
    reference = CountVectorizer(analyzer=analyzer).fit(texts)
    assert (matrix != reference.transform(texts)).nnz == 0


def test_count_terms_takes_any_callable_as_the_analyzer():
    texts = ["Grüße aus Köln", "Köln Köln", ""]
    matrix, terms = count_terms(texts, str.split, n_jobs=1)
    # sorted by code point: upper case before lower case
    assert terms.tolist() == ["Grüße", "Köln", "aus"]
    assert matrix.toarray().tolist() == [[1, 1, 1], [0, 2, 0], [0, 0, 0]]
    reference = CountVectorizer(analyzer=str.split).fit(texts)
    assert (matrix != reference.transform(texts)).nnz == 0


def test_count_terms_across_batches_with_a_growing_vocabulary(monkeypatch):
    monkeypatch.setattr(text, "_COUNT_BATCH", 2)  # batches [0, 1], [2, 3], [4]
    texts = ["Gipfel", "Astana und der Gipfel", "Zölle, Zölle!", "Straße Zölle Gipfel", "2025"]
    matrix, terms = count_terms(texts, make_analyzer(stem=False), n_jobs=1)
    assert terms.tolist() == ["astana", "gipfel", "strasse", "zölle"]
    assert matrix.toarray().tolist() == [[0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 2], [0, 1, 1, 1], [0, 0, 0, 0]]
    assert matrix.has_sorted_indices and matrix.dtype == np.int32


# ----------------------------------------------------------------------------- term counts and stems

FOLD_TEXTS = [
    "Kasachstans Präsident lobt den Gipfel.",
    "„Präsidenten, Präsident und Gipfels“ – so die Straße.",
]


def _word_counts(texts, **settings):
    words = make_analyzer(stem=False, **settings)
    return TermCounts(*count_terms(texts, words, n_jobs=1), analyzer=words)


def test_stemmed_counts_sum_the_words_of_each_stem():
    counts = _word_counts(FOLD_TEXTS)
    assert counts.terms.tolist() == [
        "gipfel", "gipfels", "kasachstans", "lobt", "präsident", "präsidenten", "strasse",
    ]
    stems = counts.stemmed()
    # gipfel + gipfels -> gipfel, präsident + präsidenten -> prasident, kasachstans -> kasachstan, strasse -> strass
    assert stems.terms.tolist() == ["gipfel", "kasachstan", "lobt", "prasident", "strass"]
    assert stems.matrix.toarray().tolist() == [[1, 1, 1, 1, 0], [1, 0, 0, 2, 1]]
    assert stems.analyzer.settings == make_analyzer().settings
    assert stems.matrix.dtype == np.int32 and stems.matrix.has_sorted_indices


@pytest.mark.parametrize("settings", [{}, {"min_length": 4}, {"remove_stopwords": False}, {"drop_numbers": False}])
def test_stemmed_counts_equal_counting_with_the_stemming_analyzer(settings):
    texts = [
        *FOLD_TEXTS,
        "Die 5+1-Gespräche in Astana: Ära, Öl, Uran – 2025 geht's weiter mit Kasachstan.",
        "Pra\u0308sident Tokajews Straßen-Bau und die Straßen Kasachstans, ein- und ausführen.",
        "",
    ]
    stems = _word_counts(texts, **settings).stemmed()
    matrix, terms = count_terms(texts, make_analyzer(stem=True, **settings), n_jobs=1)
    assert stems.terms.tolist() == terms.tolist()
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(stems.matrix, name), getattr(matrix, name)), name
    assert stems.matrix.shape == matrix.shape


def test_stemmed_counts_of_stems_are_the_counts_themselves():
    stems = _word_counts(FOLD_TEXTS).stemmed()
    assert stems.stemmed() is stems


def test_stemmed_counts_refuse_unknown_analyzers_and_pruned_words():
    counts = _word_counts(FOLD_TEXTS)
    with pytest.raises(ValueError, match="only counts made by an Analyzer"):
        TermCounts(counts.matrix, counts.terms).stemmed()
    with pytest.raises(ValueError, match="only counts made by an Analyzer"):
        TermCounts(counts.matrix, counts.terms, analyzer=str.split).stemmed()
    with pytest.raises(ValueError, match="min_df=2"):
        TermCounts(counts.matrix, counts.terms, analyzer=counts.analyzer, min_df=2).stemmed()
