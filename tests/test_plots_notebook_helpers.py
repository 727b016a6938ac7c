"""Tests for the library functions notebooks 03 and 04 call instead of computing inline: co-occurrence of entities
and shared text per outlet."""
import pandas as pd
import pytest

from analysis import compare
from analysis.mentions import co_occurrence, count_mentions, top_pairs


def _corpus():
    return pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"],
        "source": ["taz", "taz", "Zeit", None],
        "text": ["Tokajew traf Trump in Washington. Trumps Zölle trafen Kasachstan.",
                 "Kasachstans Präsident Tokajew reiste nach Astana.",
                 "Trump sprach über „Seltene Erden“.",
                 "Das Wetter in Köln blieb grau."],
    })


def test_co_occurrence_counts_articles_naming_both_and_the_diagonal_the_articles_naming_one():
    per_article = count_mentions(_corpus())[["Kassym-Schomart Tokajew", "Donald Trump", "Kasachstan"]]
    together = co_occurrence(per_article)
    assert together.to_dict() == {
        "Kassym-Schomart Tokajew": {"Kassym-Schomart Tokajew": 2, "Donald Trump": 1, "Kasachstan": 2},
        "Donald Trump": {"Kassym-Schomart Tokajew": 1, "Donald Trump": 2, "Kasachstan": 1},
        "Kasachstan": {"Kassym-Schomart Tokajew": 2, "Donald Trump": 1, "Kasachstan": 2},
    }
    assert top_pairs(together, n=2).to_dict() == {("Kassym-Schomart Tokajew", "Kasachstan"): 2,
                                                  ("Kassym-Schomart Tokajew", "Donald Trump"): 1}
    with pytest.raises(ValueError, match="articles × entities"):
        co_occurrence([[1, 0]])


def test_shared_text_by_outlet_counts_words_in_shared_passages_per_outlet_and_unknown_outlets_as_one_group():
    corpus = _corpus().assign(n_words=[10, 7, 5, 6])
    passages = pd.DataFrame({"doc_id": ["a", "c"], "outlet": ["taz", "Zeit"]})
    shared = compare.shared_text_by_outlet(corpus, passages, corpus.assign(n_words=[4, 7, 3, 6]))
    assert shared.index.tolist() == ["taz", "Zeit", "unbekannt"]
    assert shared[["n_articles", "articles_with_shared_text", "n_words", "shared_words"]].to_dict("list") == {
        "n_articles": [2, 1, 1], "articles_with_shared_text": [1, 1, 0], "n_words": [17, 5, 6],
        "shared_words": [6, 2, 0]}
    assert shared["share_of_words"].round(4).tolist() == [0.3529, 0.4, 0.0]
    with pytest.raises(ValueError, match="rows"):
        compare.shared_text_by_outlet(corpus, passages, corpus.head(2))
