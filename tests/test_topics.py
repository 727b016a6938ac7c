"""Tests for analysis.topics: clustering, top terms, tiny/large corpus paths, similarity."""
import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from analysis.compare import term_counts
from analysis.text import TermCounts, make_analyzer
from analysis.topics import (
    assign_clusters,
    TopicResult,
    cluster_documents,
    document_similarity,
    nearest_neighbours,
    representative_documents,
)

FOOTBALL = [
    "Im Stadion fielen drei Tore, der Trainer lobte die Mannschaft.",
    "Das Stadion war voll, die Mannschaft schoss zwei Tore.",
    "Nach dem Elfmeter jubelte das Stadion laut.",
]
CENTRAL_BANK = [
    "Die Zentralbank erhöht die Zinsen wegen der Inflation.",
    "Höhere Zinsen sollen die Inflation bremsen, sagt die Zentralbank.",
    "Sparer freuen sich über Zinsen, Kreditnehmer fürchten teure Raten.",
]


@pytest.fixture
def two_topics() -> pd.DataFrame:
    texts = FOOTBALL + CENTRAL_BANK
    return pd.DataFrame({"doc_id": [f"a{i}" for i in range(len(texts))], "text": texts})


def _cluster(corpus, **options):
    with pytest.warns(UserWarning, match="describe"):
        return cluster_documents(corpus, **options)


# ----------------------------------------------------------------------------- small corpora


def test_two_clear_topics_are_separated_and_named(two_topics):
    result = _cluster(two_topics, n_clusters=2)
    assert isinstance(result, TopicResult)
    # clusters are numbered by size, ties by first appearance: the football articles come first
    assert result.labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert result.method == "tfidf-kmeans"
    top = result.top_terms
    assert list(top.columns) == ["cluster", "rank", "term", "stem", "weight", "n_docs", "share"]
    # the one term found in every article of a cluster ("Stadion", "Zinsen") is its heaviest,
    # shown in its surface form; a cluster of three articles is named only by terms of all three
    assert top.loc[(top.cluster == 0) & (top["rank"] == 1), "term"].item() == "Stadion"
    assert top.loc[(top.cluster == 1) & (top["rank"] == 1), ["term", "stem"]].values.tolist() == [["Zinsen", "zins"]]
    assert (top["weight"] > 0).all()
    assert top[["n_docs", "share"]].drop_duplicates().values.tolist() == [[3, 1.0]]
    assert result.cluster_labels(1).tolist() == ["Stadion", "Zinsen"]
    assert result.cluster_labels(2, shares=True).tolist() == ["Stadion (100 %)", "Zinsen (100 %)"]
    assert result.sizes.tolist() == [3, 3]


def test_labels_frame_and_embedding_follow_corpus_order(two_topics):
    result = _cluster(two_topics, n_clusters=2)
    assert result.labels_frame()["doc_id"].tolist() == two_topics["doc_id"].tolist()
    assert result.embedding["doc_id"].tolist() == two_topics["doc_id"].tolist()
    assert list(result.embedding.columns) == ["doc_id", "x", "y", "cluster"]
    assert np.isfinite(result.embedding[["x", "y"]].to_numpy()).all()
    assert result.matrix.shape[0] == len(two_topics)


def test_same_seed_gives_same_result(two_topics):
    first = _cluster(two_topics, random_state=7)
    second = _cluster(two_topics, random_state=7)
    assert first.labels.tolist() == second.labels.tolist()
    pd.testing.assert_frame_equal(first.top_terms, second.top_terms)
    pd.testing.assert_frame_equal(first.embedding, second.embedding)
    pd.testing.assert_frame_equal(first.k_scores, second.k_scores)


def test_tiny_corpus_keeps_k_between_2_and_n_minus_1_and_warns():
    texts = FOOTBALL[:2] + CENTRAL_BANK[:3]
    corpus = pd.DataFrame({"doc_id": list("abcde"), "text": texts})
    with pytest.warns(UserWarning, match="describe how these articles use words"):
        result = cluster_documents(corpus)
    assert result.k_scores["k"].tolist() == [2, 3, 4]
    assert list(result.k_scores.columns) == ["k", "stability", "stability_sd", "silhouette"]
    assert any("do not prove" in note for note in result.notes)
    # every k gives the same partition from every seed, so k = 3 (the only k inside the range) is no more stable
    # than its neighbours: no optimum, the default round(sqrt(5 / 2)) = 2 is used and said to be one
    assert result.k_scores["stability"].tolist() == [1.0, 1.0, 1.0]
    assert (result.n_clusters, result.k_choice) == (2, "default")
    assert any("there is no best k: k = 2 is the default" in note for note in result.notes)
    assert result.labels.tolist() == [1, 1, 0, 0, 0]


def test_k_range_outside_the_corpus_is_clipped(two_topics):
    result = _cluster(two_topics, k_range=range(1, 50))
    assert result.k_scores["k"].tolist() == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"n_clusters": 1}, "n_clusters must be an int >= 2"),
        ({"n_clusters": 6}, "n_clusters must be at most n_docs - 1 = 5"),
        ({"k_range": range(10, 12)}, "k_range has no value"),
        ({"max_df": 0.0}, "max_df must be in"),
        ({"min_df": 0}, "min_df must be an int >= 1 or a float"),
        ({"min_df": 1.5}, "min_df must be an int >= 1 or a float"),
        ({"min_df": 4}, r"no terms left to cluster on \(min_df=4, max_df=1.0\)"),
        ({"random_state": -1}, "random_state"),
    ],
)
def test_bad_arguments_raise(two_topics, options, message):
    with pytest.raises(ValueError, match=message):
        cluster_documents(two_topics, **options)


def test_bad_corpora_raise(two_topics):
    with pytest.raises(ValueError, match="pandas DataFrame"):
        cluster_documents(two_topics["text"])
    with pytest.raises(ValueError, match="lacks the column"):
        cluster_documents(two_topics.drop(columns="doc_id"))
    with pytest.raises(ValueError, match="duplicate doc_id"):
        cluster_documents(two_topics.assign(doc_id="same"))
    with pytest.raises(ValueError, match="at least 3 documents with text"):
        cluster_documents(two_topics.assign(text=["Tore", "Zinsen", "", None, " ", ""]))


def test_identical_articles_are_refused_rather_than_split_into_an_empty_cluster():
    corpus = pd.DataFrame({"doc_id": list("abc"), "text": [CENTRAL_BANK[0]] * 3})
    with pytest.raises(ValueError, match="only 1 of the 3 documents have different terms, too few for 2 clusters"):
        cluster_documents(corpus)


def test_k_stops_at_the_number_of_different_articles():
    # three copies of each of two articles: a third cluster could only be an empty one
    corpus = pd.DataFrame({"doc_id": [f"a{i}" for i in range(6)], "text": [FOOTBALL[0]] * 3 + [CENTRAL_BANK[0]] * 3})
    with pytest.warns(UserWarning) as caught:
        result = cluster_documents(corpus)
    assert [str(warning.message)[:21] for warning in caught] == ["Only 6 documents: the"]  # no k-means warning
    assert result.k_scores["k"].tolist() == [2]
    assert result.labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert result.sizes.tolist() == [3, 3]
    assert "Only 2 documents have different terms: k tried up to 2." in result.notes
    with pytest.raises(ValueError, match="only 2 of the 6 documents have different terms, too few for 3 clusters"):
        cluster_documents(corpus, n_clusters=3)


def test_articles_without_terms_are_named_in_a_warning(two_topics):
    no_terms = pd.DataFrame({"doc_id": ["leer", "füll"], "text": ["", "Und das ist es, sagte er 2021."]})
    corpus = pd.concat([two_topics, no_terms], ignore_index=True)
    # before, both joined a cluster without a word and counted as articles of its topic
    expected = ("2 document(s) have no terms to cluster on (empty, or only stopwords, numbers and terms outside "
                "min_df/max_df), e.g. doc_id 'leer', 'füll': they are put into a cluster without sharing a word with "
                "it; leave them out for exact cluster sizes.")
    with pytest.warns(UserWarning) as caught:
        result = cluster_documents(corpus, n_clusters=2)
    assert expected in [str(warning.message) for warning in caught]
    assert expected in result.notes
    assert result.sizes.sum() == len(corpus)


def test_texts_that_are_not_german_get_a_warning_and_a_note(two_topics):
    english = [
        "The central bank raised interest rates again.",
        "Football fans cheered in the stadium.",
        "Inflation worries savers and the central bank.",
        "The team scored two goals in the stadium.",
    ]
    corpus = pd.DataFrame({"doc_id": list("abcd"), "text": english})
    with pytest.warns(UserWarning, match="Only 7% of the words are German function words"):
        result = _cluster(corpus, n_clusters=2)  # 2 of 28 words: "in" twice
    assert result.notes[0].startswith("Only 7% of the words are German function words (German news: about half)")
    assert not any("German function words" in note for note in _cluster(two_topics, n_clusters=2).notes)


def test_max_df_is_always_a_share_of_the_documents(two_topics):
    # an int 1 means "all documents", as 1.0 does, not "at most one document"
    as_int = _cluster(two_topics, n_clusters=2, max_df=1)
    as_float = _cluster(two_topics, n_clusters=2, max_df=1.0)
    assert as_int.matrix.shape == as_float.matrix.shape
    pd.testing.assert_frame_equal(as_int.top_terms, as_float.top_terms)


SPORT_DESK = [
    "Im Stadion fielen drei Tore, der Elfmeter entschied das Spiel.",
    "Der Trainer lobte die Mannschaft nach dem Elfmeter im Stadion.",
    "Die Mannschaft des Trainers schoss in der Saison viele Tore.",
    "Vor dem Saisonfinale übt die Mannschaft Elfmeter; der Trainer ist zufrieden.",
    "Tore, Tore, Tore: das Stadion bebte, die Saison ist gerettet.",
    "Der Torwart hielt den Elfmeter, die Mannschaft jubelte im Stadion.",
]
MONEY_DESK = [
    "Die Zentralbank hebt die Zinsen, die Inflation steigt weiter.",
    "Anleihen verlieren, weil die Zentralbank die Zinsen erhöht.",
    "Die Inflation drückt auf die Währung, die Märkte sind nervös.",
    "Höhere Zinsen stützen die Währung; Anleihen werden teurer.",
    "Die Märkte rechnen mit Inflation und steigenden Zinsen der Zentralbank.",
    "Die Währung fällt, die Zentralbank warnt vor Inflation an den Märkten.",
]
#: A line of the wire service's house style, repeated in two of every three articles of both desks.
HOUSE_STYLE = " Pressemitteilung Nachrichtenagentur Korrespondentin Redaktionsschluss." * 2


def test_topics_outweigh_a_house_style_that_most_articles_repeat():
    # four style words in 8 of 12 articles, twice each: with TF-IDF weights k-means splits the articles by style
    # (these texts gave ARI -0.09 against the desks); with the squared IDF, the rarer topic words decide
    texts = [text + (HOUSE_STYLE if i % 3 else "") for desk in (SPORT_DESK, MONEY_DESK) for i, text in enumerate(desk)]
    corpus = pd.DataFrame({"doc_id": [f"m{i:02d}" for i in range(len(texts))], "text": texts})
    result = _cluster(corpus, n_clusters=2)
    assert result.labels.tolist() == [0] * 6 + [1] * 6
    # the weights of the space are the IDF, and new texts are placed in that space as well
    np.testing.assert_array_equal(result.space_weights, result.vectorizer[-1].idf_.astype(np.float32))
    assert assign_clusters(result, corpus).tolist() == result.labels.tolist()


# ----------------------------------------------------------------------------- clustering from word counts

TOPIC_WORDS = [
    ["Stadion", "Stadions", "Tore", "Tor", "Mannschaft", "Mannschaften", "Trainer", "Trainers", "Fußball",
     "Fußballs", "Bundesliga-Spiel", "Elfmeter"],
    ["Zentralbank", "Zentralbanken", "Zinsen", "Zins", "Inflation", "Sparer", "Kredite", "Kredit", "Börse",
     "Börsen", "Euro-Kurs", "Straße"],
    ["Präsident", "Präsidenten", "Gipfel", "Gipfels", "Kasachstan", "Kasachstans", "Tokajew", "Zölle",
     "US-Präsident", "C5+1-Gipfel", "Mirsijojews", "Außenminister"],
]


def _german_topics(n_per_topic: int, seed: int = 1) -> pd.DataFrame:
    """Short German articles on three topics, inflected forms, stopwords, numbers and „quotes“ mixed in."""
    rng = np.random.default_rng(seed)
    texts = []
    for words in TOPIC_WORDS:
        for _ in range(n_per_topic):
            chosen = rng.choice(words, size=8)
            texts.append(f"„{chosen[0]} und {chosen[1]}“, sagte er 2025: die {' '.join(chosen[2:])}.")
    order = rng.permutation(len(texts))
    return pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(len(texts))], "text": np.array(texts)[order]})


def _assert_same_clustering(left, right):
    assert left.labels.tolist() == right.labels.tolist()
    assert left.method == right.method and left.notes == right.notes
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(left.matrix, name), getattr(right.matrix, name)), name
    assert left.vectorizer.get_feature_names_out().tolist() == right.vectorizer.get_feature_names_out().tolist()
    pd.testing.assert_frame_equal(left.top_terms, right.top_terms)
    pd.testing.assert_frame_equal(left.embedding, right.embedding)
    pd.testing.assert_frame_equal(left.k_scores, right.k_scores)


@pytest.mark.parametrize("options", [{"n_clusters": 3}, {"k_range": range(2, 5)}])
def test_clustering_from_word_counts_equals_clustering_from_texts(options):
    corpus = _german_topics(n_per_topic=20)  # 60 articles: the LSA path, min_df 2, max_df 0.5
    counts = term_counts(corpus)
    assert len(counts.stemmed().terms) < len(counts.terms)  # inflected forms did merge
    from_counts = cluster_documents(corpus, counts=counts, **options)
    _assert_same_clustering(from_counts, cluster_documents(corpus, **options))
    assert from_counts.method == "lsa-kmeans"


def test_clustering_from_word_counts_equals_clustering_from_texts_on_a_tiny_corpus(two_topics):
    _assert_same_clustering(_cluster(two_topics, n_clusters=2, counts=term_counts(two_topics)),
                            _cluster(two_topics, n_clusters=2))


def test_unstemmed_clustering_takes_the_word_counts_as_they_are():
    corpus = _german_topics(n_per_topic=20)
    words = make_analyzer(stem=False)
    _assert_same_clustering(
        cluster_documents(corpus, n_clusters=3, analyzer=words, counts=term_counts(corpus, analyzer=words)),
        cluster_documents(corpus, n_clusters=3, analyzer=words),
    )


def test_tfidf_matrix_is_scikit_learns_and_the_vectorizer_reproduces_it():
    corpus = _german_topics(n_per_topic=20)
    result = cluster_documents(corpus, n_clusters=3, counts=term_counts(corpus))
    reference = TfidfVectorizer(analyzer=make_analyzer(), min_df=2, max_df=0.5, sublinear_tf=True, dtype=np.float32)
    expected = reference.fit_transform(corpus["text"]).tocsr()
    expected.sort_indices()
    assert result.vectorizer.get_feature_names_out().tolist() == reference.get_feature_names_out().tolist()
    assert np.array_equal(result.matrix.indices, expected.indices)
    np.testing.assert_allclose(result.matrix.data, expected.data, rtol=1e-6)
    again = result.vectorizer.transform(corpus["text"]).tocsr()
    again.sort_indices()
    np.testing.assert_allclose(again.toarray(), result.matrix.toarray(), rtol=1e-6)


def test_word_counts_that_do_not_fit_are_refused(two_topics):
    counts = term_counts(two_topics)
    with pytest.raises(ValueError, match="counts has 5 rows but the corpus has 6 documents"):
        cluster_documents(two_topics, counts=term_counts(two_topics.iloc[:5]))
    with pytest.raises(ValueError, match="pruned with min_df=2"):
        cluster_documents(two_topics, counts=term_counts(two_topics, min_df=2))
    with pytest.raises(ValueError, match="does not fit analyzer"):
        cluster_documents(two_topics, counts=term_counts(two_topics, analyzer=make_analyzer(stem=False, min_length=4)))
    with pytest.raises(ValueError, match="does not fit analyzer"):  # stems, but the analyzer wants words
        cluster_documents(two_topics, analyzer=make_analyzer(stem=False), counts=counts.stemmed())
    with pytest.raises(ValueError, match="only counts made by an Analyzer"):
        cluster_documents(two_topics, counts=TermCounts(counts.matrix, counts.terms))
    with pytest.raises(ValueError, match="counts must be a TermCounts"):
        cluster_documents(two_topics, counts=counts.matrix)


# ----------------------------------------------------------------------------- large corpora


def _synthetic_corpus(n_per_topic: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Documents drawn from three disjoint made-up vocabularies of 40 words each."""
    rng = np.random.default_rng(seed)
    vocabularies = [[f"{prefix}wort{i:02d}" for i in range(40)] for prefix in ("sport", "geld", "kunst")]
    texts, topics = [], []
    for topic, words in enumerate(vocabularies):
        for _ in range(n_per_topic):
            texts.append(" ".join(rng.choice(words, size=12)))
            topics.append(topic)
    order = rng.permutation(len(texts))
    corpus = pd.DataFrame({"doc_id": [f"s{i:05d}" for i in range(len(texts))], "text": np.array(texts)[order]})
    return corpus, np.array(topics)[order]


@pytest.mark.filterwarnings("ignore:Only 0% of the words are German")  # made-up words, not German prose
def test_large_corpus_path_uses_lsa_and_recovers_topics():
    corpus, topics = _synthetic_corpus(n_per_topic=700)
    result = cluster_documents(corpus, k_range=range(2, 6), large_threshold=1000, silhouette_sample=500)
    assert result.method == "lsa-kmeans"
    assert result.n_clusters == 3
    assert adjusted_rand_score(topics, result.labels) == 1.0
    assert any("LSA to" in note for note in result.notes)
    assert any(note.startswith("Large corpus") for note in result.notes)
    assert result.embedding.shape == (len(corpus), 4)


@pytest.mark.filterwarnings("ignore:Only 0% of the words are German")  # made-up words, not German prose
def test_below_large_threshold_no_large_corpus_note():
    corpus, _ = _synthetic_corpus(n_per_topic=30)
    result = cluster_documents(corpus, n_clusters=3)
    assert result.method == "lsa-kmeans"
    assert not any(note.startswith("Large corpus") for note in result.notes)


# ----------------------------------------------------------------------------- similarity


def test_document_similarity_of_plain_vectors():
    table = document_similarity(np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]]), doc_ids=["a", "b", "c"])
    expected = np.array([[1.0, 0.5**0.5, 0.0], [0.5**0.5, 1.0, 0.5**0.5], [0.0, 0.5**0.5, 1.0]])
    np.testing.assert_allclose(table.to_numpy(), expected)
    assert table.index.tolist() == table.columns.tolist() == ["a", "b", "c"]


def test_document_similarity_of_a_result_is_labelled_and_topical(two_topics):
    result = _cluster(two_topics, n_clusters=2)
    table = document_similarity(result)
    assert table.index.tolist() == two_topics["doc_id"].tolist()
    np.testing.assert_allclose(np.diag(table.to_numpy()), 1.0, rtol=1e-6)
    np.testing.assert_allclose(table.to_numpy(), table.to_numpy().T, rtol=1e-6)
    # football articles resemble each other more than any central-bank article
    assert table.loc["a0", ["a1", "a2"]].min() > table.loc["a0", ["a3", "a4", "a5"]].max()


def test_document_similarity_guards():
    with pytest.raises(ValueError, match="max_docs"):
        document_similarity(np.eye(3), max_docs=2)
    with pytest.raises(ValueError, match="doc_ids has 2 labels for 3 documents"):
        document_similarity(np.eye(3), doc_ids=["a", "b"])
    with pytest.raises(ValueError, match="TopicResult or a matrix"):
        document_similarity([[1, 0]])


def test_nearest_neighbours_rank_same_topic_first(two_topics):
    result = _cluster(two_topics, n_clusters=2)
    neighbours = nearest_neighbours(result, "a3", n=2)
    assert list(neighbours.columns) == ["doc_id", "similarity", "cluster", "same_cluster"]
    assert set(neighbours["doc_id"]) == {"a4", "a5"}
    assert neighbours["same_cluster"].all()
    assert neighbours["similarity"].is_monotonic_decreasing


def test_nearest_neighbours_caps_n_and_excludes_the_document(two_topics):
    result = _cluster(two_topics, n_clusters=2)
    neighbours = nearest_neighbours(result, "a0", n=50)
    assert len(neighbours) == 5
    assert "a0" not in neighbours["doc_id"].tolist()
    with pytest.raises(ValueError, match="not in the result"):
        nearest_neighbours(result, "zzz")


@pytest.mark.filterwarnings("ignore:Only 0% of the words are German")  # keyword lists, no function words
def test_representative_documents_are_the_most_central_members():
    # a2 shares only "Stadion" with its cluster, so it is the least typical football article
    texts = [
        "Stadion Tore Mannschaft Trainer",
        "Stadion Tore Mannschaft Elfmeter",
        "Stadion Regen Wetter Bus",
        "Zinsen Inflation Zentralbank",
        "Zinsen Inflation Sparer",
    ]
    corpus = pd.DataFrame({"doc_id": [f"a{i}" for i in range(5)], "text": texts})
    result = _cluster(corpus, n_clusters=2)
    assert result.labels.tolist() == [0, 0, 0, 1, 1]
    typical = representative_documents(result, n=2)
    assert list(typical.columns) == ["cluster", "rank", "doc_id", "similarity"]
    assert typical["cluster"].tolist() == [0, 0, 1, 1]
    assert set(typical.loc[typical.cluster == 0, "doc_id"]) == {"a0", "a1"}
    assert set(typical.loc[typical.cluster == 1, "doc_id"]) == {"a3", "a4"}
    assert (typical["similarity"] > 0).all() and (typical["similarity"] <= 1 + 1e-6).all()
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        representative_documents(result, n=0)


# ----------------------------------------------------------------------------- choice of k, seeds, labels

PLANTED = {
    "Fußball": ["Stadion", "Tore", "Trainer", "Elfmeter", "Mannschaft", "Abwehr", "Stürmer", "Tabelle"],
    "Geldpolitik": ["Zinsen", "Zentralbank", "Inflation", "Sparer", "Anleihen", "Kredite", "Währung", "Leitzins"],
    "Impfung": ["Impfstoff", "Virus", "Klinik", "Ärztin", "Dosis", "Studie", "Patienten", "Schutz"],
    "Klima": ["Dürre", "Gletscher", "Hitze", "Emissionen", "Wälder", "Regen", "Küste", "Ozean"],
}
EVERYDAY = ["Woche", "Bericht", "Stadt", "Jahr", "Leute", "Frage"]


def _planted_corpus(n_per_topic: int = 15, seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    """Return German articles on four planted topics, each with five of its topic's eight words and two everyday ones."""
    rng = np.random.default_rng(seed)
    texts, topics = [], []
    for topic, words in PLANTED.items():
        for _ in range(n_per_topic):
            own = rng.choice(words, size=5, replace=False)
            common = rng.choice(EVERYDAY, size=2, replace=False)
            texts.append(f"Die {own[0]} und der {own[1]} waren in dieser {common[0]} das Thema. "
                         f"„{own[2]}“, sagte sie, „ist wegen {own[3]} und {own[4]} wichtig für die {common[1]}.“")
            topics.append(topic)
    order = rng.permutation(len(texts))
    corpus = pd.DataFrame({"doc_id": [f"p{i:03d}" for i in range(len(texts))], "text": np.array(texts)[order]})
    return corpus, [topics[i] for i in order]


def test_k_is_the_stability_optimum_inside_the_range_where_four_topics_are_planted():
    corpus, topics = _planted_corpus()
    result = cluster_documents(corpus, k_range=range(2, 8))
    stability = result.k_scores.set_index("k")["stability"]
    assert (result.n_clusters, result.k_choice) == (4, "stability optimum")
    assert stability[4] > max(stability[3], stability[5])
    assert adjusted_rand_score(topics, result.labels) == 1.0
    assert any(note.startswith("k = 4: the most stable k inside k = 2..7") for note in result.notes)


@pytest.mark.parametrize("n_per_topic", [15, 3])  # LSA on 60 articles, k-means on the TF-IDF rows of 12
def test_articles_outside_the_clustered_sample_go_to_the_clusters_of_their_topics(n_per_topic):
    corpus, topics = _planted_corpus(n_per_topic=n_per_topic)
    sample = corpus.iloc[::2].reset_index(drop=True)
    result = cluster_documents(sample, n_clusters=4)
    assert adjusted_rand_score(topics[::2], result.labels) == 1.0
    assigned = assign_clusters(result, corpus)
    assert assigned[::2].tolist() == result.labels.tolist()  # the sample's articles keep their clusters
    assert adjusted_rand_score(topics, assigned) == 1.0  # and the others join their topic's
    assert assign_clusters(result, corpus.iloc[:0]).tolist() == []


def test_k_at_the_end_of_the_range_is_never_returned_as_the_best():
    corpus, _ = _planted_corpus()
    # the range stops before the planted four topics: stability may rise towards its end, but the end is no optimum
    result = cluster_documents(corpus, k_range=range(2, 4))
    assert result.k_choice == "default"
    assert result.n_clusters == 3  # round(sqrt(60 / 2)) = 5, kept within 2..3
    assert any("there is no best k" in note for note in result.notes)


def test_another_random_state_chooses_the_same_k_from_the_same_scan():
    # the scan's resamples do not follow random_state: with them, another seed chose another of several almost
    # equally stable k on real corpora; here the scores themselves must be the same
    corpus, _ = _planted_corpus(seed=2)
    results = [cluster_documents(corpus, k_range=range(2, 8), random_state=seed) for seed in (0, 7)]
    pd.testing.assert_frame_equal(results[0].k_scores, results[1].k_scores)
    assert results[0].n_clusters == results[1].n_clusters == 4
    assert results[1].run_agreement.index.tolist() == [7, 8, 9, 10, 11]  # the final runs still follow random_state


def test_clusters_hold_over_seeds_and_the_central_run_is_shown():
    corpus, topics = _planted_corpus(seed=1)
    results = [cluster_documents(corpus, n_clusters=4, random_state=seed) for seed in (0, 7, 42)]
    for result in results:
        assert result.run_agreement.shape == (5, 5)
        assert result.run_agreement.index.tolist() == list(range(result.run_agreement.index[0],
                                                                 result.run_agreement.index[0] + 5))
        assert result.stability == 1.0
        assert result.central_seed == result.run_agreement.index[0]  # all runs agree: the first is the most central
        assert adjusted_rand_score(topics, result.labels) == 1.0
        assert any("5 k-means runs" in note for note in result.notes)
    assert results[0].labels.tolist() == results[1].labels.tolist() == results[2].labels.tolist()


def test_the_lsa_space_does_not_depend_on_the_seed():
    # short texts spread their variance over many directions: a randomized SVD finds another space for each seed
    corpus, _ = _planted_corpus(n_per_topic=50, seed=1)  # 200 texts of about seven terms: LSA to 14 dimensions
    spaces = [cluster_documents(corpus, n_clusters=4, random_state=seed).embedding for seed in (0, 7)]
    assert spaces[0]["doc_id"].tolist() == spaces[1]["doc_id"].tolist()
    np.testing.assert_allclose(spaces[0][["x", "y"]], spaces[1][["x", "y"]], atol=1e-3)  # float32 precision


def test_another_random_state_gives_the_same_clusters_where_partitions_compete():
    # k = 6 splits four planted topics: several partitions fit almost equally well, and k-means runs of ten
    # restarts ended in different ones, so that the central run changed with random_state
    corpus, _ = _planted_corpus(seed=3)
    labels = [cluster_documents(corpus, n_clusters=6, random_state=seed).labels.tolist() for seed in (0, 5, 10, 15, 20)]
    assert all(other == labels[0] for other in labels[1:])


def test_the_central_run_is_the_one_that_agrees_best_with_the_others():
    corpus, _ = _planted_corpus(seed=2)
    # k = 6 splits four topics: the runs disagree, and the one shown agrees most with the rest
    result = cluster_documents(corpus, n_clusters=6, random_state=3)
    agreement = result.run_agreement
    assert result.stability < 1.0
    assert result.central_seed == agreement.mean(axis=1).idxmax()
    expected = agreement.to_numpy()[np.triu_indices(5, k=1)].mean()
    assert result.stability == pytest.approx(expected)
    assert result.k_scores["stability"].item() == pytest.approx(expected)
    one = cluster_documents(corpus, n_clusters=6, random_state=3, n_seeds=1)
    assert np.isnan(one.stability) and one.central_seed == 3


def test_a_term_of_one_long_article_does_not_name_its_cluster():
    corpus, _ = _planted_corpus()
    first = corpus.index[corpus["text"].str.contains("Stadion|Tore|Trainer")][0]
    corpus.loc[first, "text"] += " Wunderkicker" * 40 + "."
    result = cluster_documents(corpus, n_clusters=4)
    assert "Wunderkicker" not in result.top_terms["term"].tolist()
    football = result.labels[first]
    terms = result.top_terms[result.top_terms["cluster"] == football]
    assert (terms["n_docs"] >= 3).all()
    assert terms["share"].tolist() == (terms["n_docs"] / result.sizes[football]).tolist()


def test_units_and_english_function_words_do_not_name_a_cluster():
    corpus, _ = _planted_corpus()
    money = corpus["text"].str.contains("Zinsen|Zentralbank|Inflation|Sparer|Anleihen|Kredite|Währung|Leitzins")
    corpus.loc[money, "text"] += " Es ging um 3,5 Mrd. und 20 Prozent. The end of the story."
    result = cluster_documents(corpus, n_clusters=4)
    terms = result.top_terms["term"].str.casefold().tolist()
    assert not {"mrd", "prozent", "the", "of"} & set(terms)
    assert "story" in terms or "end" in terms  # English content words stay; only function words go


@pytest.mark.filterwarnings("ignore:Only 0% of the words are German")  # made-up words, not German prose
def test_short_texts_get_as_many_lsa_dimensions_as_twice_their_terms():
    corpus, topics = _synthetic_corpus(n_per_topic=400)  # 1,200 texts of 12 words from 3 x 40: about 11 distinct
    result = cluster_documents(corpus, n_clusters=3)
    terms_per_text = result.matrix.nnz / len(corpus)
    assert 10 < terms_per_text < 12
    dims = round(2 * terms_per_text)  # below 100 and below one per ten texts (120)
    assert any(note.startswith(f"1200 documents: LSA to {dims} dimensions") for note in result.notes)
    assert adjusted_rand_score(topics, result.labels) == 1.0


@pytest.mark.filterwarnings("ignore:Only 0% of the words are German")  # made-up words, not German prose
def test_full_articles_get_at_most_thirty_lsa_dimensions():
    rng = np.random.default_rng(0)
    vocabularies = [[f"{prefix}wort{i:03d}" for i in range(200)] for prefix in ("sport", "geld", "kunst")]
    texts = [" ".join(rng.choice(words, size=80)) for words in vocabularies for _ in range(300)]
    corpus = pd.DataFrame({"doc_id": [f"l{i:04d}" for i in range(len(texts))], "text": texts})
    result = cluster_documents(corpus, n_clusters=3, n_seeds=1)
    # 900 long texts: one dimension per ten texts (90) and twice their terms (about 140) are both above the bound
    assert any(note.startswith("900 documents: LSA to 30 dimensions") for note in result.notes)
    assert adjusted_rand_score(np.repeat([0, 1, 2], 300), result.labels) == 1.0

