"""Tests for analysis.text: German tokenisation, stopwords, stemming, analyzer, display forms."""
import pickle

import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from analysis.text import Analyzer, count_terms, display_forms, german_stopwords, make_analyzer, stem, tokenize


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
