"""Tests for analysis.compare: outlet profiles, keyness, mention profiles, similarity, topic mix, shared text."""
import math
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from analysis import compare
from analysis.compare import SmallSampleWarning, TermCounts

# --------------------------------------------------------------------------- fixtures

AGENCY = (
    "Die Bundesregierung hat am Montag in Berlin neue Regeln für die Einreise aus "
    "Risikogebieten beschlossen, teilte ein Sprecher des Gesundheitsministeriums mit."
)  # 21 words
HOUSE_NOTE = (
    "Unterstützen Sie unabhängigen Journalismus: Die taz ist frei zugänglich, weil "
    "tausende Leserinnen und Leser freiwillig für ihre Zeitung bezahlen – auch für Sie."
)  # 23 words (the dash counts), taz only


def passages_corpus() -> pd.DataFrame:
    """Five articles: one agency paragraph in taz and Zeit, one house note twice in taz."""
    texts = [
        "Kommentar von Anna Groß: So geht es nicht weiter.\n\n" + AGENCY
        + "\n\nDas ist überfällig, sagt die Ärztin.",
        "Die Straßen in Köln bleiben leer.\n\n" + HOUSE_NOTE,
        "„Wir handeln jetzt“, sagte Spahns Sprecherin. " + AGENCY,
        "Tokajews Besuch in Washington dauerte zwei Tage.\n\n" + HOUSE_NOTE,
        "Ein ganz anderer Text über den Miami-G20-Gipfel und die Trump-Regierung.",
    ]
    return pd.DataFrame({
        "doc_id": ["taz-1", "taz-2", "zeit-1", "taz-3", "welt-1"],
        "source": ["taz", "taz", "Zeit", "taz", "Welt"],
        "text": texts,
    })


def count_table() -> tuple[pd.DataFrame, TermCounts]:
    """Hand-made counts: taz and Zeit have 1,000 tokens each, Welt 100.

    term      taz (2 articles)   Zeit (2 articles)   Welt (1 article)
    grenze    20 + 10 = 30       5 + 5 = 10          50
    zoll      10 + 0  = 10       15 + 15 = 30        0
    füller    470 + 489 = 959    480 + 480 = 960     50
    selten    1 + 0   = 1        0                   0
    """
    corpus = pd.DataFrame({"doc_id": list("abcde"), "source": ["taz", "taz", "Zeit", "Zeit", "Welt"], "text": [""] * 5})
    matrix = sparse.csr_matrix(np.array([
        [20, 10, 470, 1],
        [10, 0, 489, 0],
        [5, 15, 480, 0],
        [5, 15, 480, 0],
        [50, 0, 50, 0],
    ]))
    return corpus, TermCounts(matrix=matrix, terms=np.array(["grenze", "zoll", "füller", "selten"]))


# Hand computation of G² for "grenze", taz against Zeit (both 1,000 tokens):
#   observed  [[30, 10], [970, 990]],  N = 2000, row sums 40 and 1960, column sums 1000 and 1000
#   expected  [[20, 20], [980, 980]]
#   G² = 2 * (30 ln(30/20) + 10 ln(10/20) + 970 ln(970/980) + 990 ln(990/980))
#      = 2 * (12.163953 - 6.931472 - 9.948805 + 10.050848) = 2 * 5.334524 = 10.669048
#   p  = P(chi²(1) > 10.669048) = erfc(sqrt(10.669048 / 2)) = 0.0010894
#   log ratio = log2((30/1000) / (10/1000)) = log2(3) = 1.5849625
G2_GRENZE = 10.669048


# The token measures of a table built for them: no small-outlet warning, every term listed, ranked by G².
BY_TOKENS = {"min_articles": 1, "min_docs": 1, "rank_by": "g2"}


def by_term(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("term")


# --------------------------------------------------------------------------- outlet labels and profile


def test_outlet_labels_group_missing_outlets_as_unknown():
    corpus = pd.DataFrame({"source": ["taz", None, "", np.nan, "Zeit"]})
    assert compare.outlet_labels(corpus).tolist() == ["taz", "unbekannt", "unbekannt", "unbekannt", "Zeit"]


def test_outlet_profile_exact_numbers():
    corpus = pd.DataFrame({
        "doc_id": list("abcde"),
        "source": ["taz", "taz", "taz", "Zeit", None],
        "date": pd.to_datetime(["2025-01-03", "2025-02-01", None, "2025-03-01", "2025-04-01"]),
        "text": ["Grüße aus Köln"] * 5,
        "n_words": [100, 200, 600, 50, 10],
    })
    with pytest.warns(SmallSampleWarning, match=r"taz \(n=3\), Zeit \(n=1\), unbekannt \(n=1\); differences"):
        profile = compare.outlet_profile(corpus)
    assert profile.index.tolist() == ["taz", "Zeit", "unbekannt"]
    taz = profile.loc["taz"]
    assert taz["n_articles"] == 3
    assert taz["n_words"] == 900
    assert taz["first_date"] == pd.Timestamp("2025-01-03")
    assert taz["last_date"] == pd.Timestamp("2025-02-01")
    assert taz["mean_words"] == 300.0
    assert taz["median_words"] == 200.0
    assert taz["share_of_articles"] == pytest.approx(3 / 5)
    assert profile.loc["Zeit", "n_words"] == 50
    assert profile.loc["unbekannt", "last_date"] == pd.Timestamp("2025-04-01")
    assert profile["descriptive_only"].all()


def test_outlet_profile_counts_whitespace_words_without_n_words_and_no_warning_above_threshold():
    corpus = pd.DataFrame({
        "source": ["taz", "taz", "Zeit"],
        "text": ["Die Grüße aus Köln.", "Straße", "Der „Gipfel“"],
    })
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        profile = compare.outlet_profile(corpus, min_articles=1)
    assert profile["n_words"].to_dict() == {"taz": 5, "Zeit": 2}
    assert profile["median_words"].to_dict() == {"taz": 2.5, "Zeit": 2.0}
    assert not profile["descriptive_only"].any()


def test_label_with_n():
    corpus = pd.DataFrame({"source": ["taz", "taz", None]})
    assert compare.label_with_n(corpus) == {"taz": "taz (n=2)", "unbekannt": "unbekannt (n=1)"}
    assert compare.label_with_n(corpus, min_articles=2) == {
        "taz": "taz (n=2)",
        "unbekannt": "unbekannt (n=1, nur beschreibend)",
    }
    many = pd.DataFrame({"source": ["Tagesspiegel"] * 1162})
    assert compare.label_with_n(many) == {"Tagesspiegel": "Tagesspiegel (n=1.162)"}


# --------------------------------------------------------------------------- keyness


def test_keyness_g2_log_ratio_and_p_value_match_hand_computation():
    corpus, counts = count_table()
    table = by_term(compare.keyness(corpus, "taz", reference="Zeit", min_count=1, counts=counts, **BY_TOKENS))
    grenze = table.loc["grenze"]
    assert (grenze["n_target"], grenze["n_reference"]) == (30, 10)
    assert (grenze["total_target"], grenze["total_reference"]) == (1000, 1000)
    assert grenze["g2"] == pytest.approx(G2_GRENZE, abs=1e-6)
    assert grenze["p_value"] == pytest.approx(math.erfc(math.sqrt(G2_GRENZE / 2)), rel=1e-6)
    assert grenze["p_value"] == pytest.approx(0.0010894, abs=1e-7)
    assert grenze["log_ratio"] == pytest.approx(math.log2(3))


def test_keyness_sign_shows_which_side_uses_the_term_more():
    corpus, counts = count_table()
    table = by_term(compare.keyness(corpus, "taz", reference="Zeit", min_count=1, counts=counts, **BY_TOKENS))
    # "zoll" is the mirror image of "grenze" (10 vs 30 of 1,000 each): same G², negative.
    assert table.loc["zoll", "g2"] == pytest.approx(-G2_GRENZE, abs=1e-6)
    assert table.loc["zoll", "log_ratio"] == pytest.approx(-math.log2(3))
    # "füller": 959 vs 960 of 1,000, a hair less in taz. Expected [[959.5, 959.5], [40.5, 40.5]]:
    # G² = 2 (959 ln(959/959.5) + 960 ln(960/959.5) + 41 ln(41/40.5) + 40 ln(40/40.5))
    #    = 2 (-0.499870 + 0.500130 + 0.503074 - 0.496901) = 0.012867, negative sign.
    assert table.loc["füller", "g2"] == pytest.approx(-0.012867, abs=1e-6)
    assert table["g2"].is_monotonic_decreasing
    assert table.index[0] == "grenze"
    assert table.index[-1] == "zoll"


def test_keyness_log_ratio_smooths_zero_counts_with_one_half():
    corpus, counts = count_table()
    table = by_term(compare.keyness(corpus, "taz", reference="Zeit", min_count=1, counts=counts, **BY_TOKENS))
    # selten: 1 in taz, 0 in Zeit -> log2((1/1000) / (0.5/1000)) = 1.
    assert table.loc["selten", "log_ratio"] == pytest.approx(1.0)
    # G² = 2 (1 ln(1/0.5) + 999 ln(999/999.5) + 1000 ln(1000/999.5)) = 1.386795
    assert table.loc["selten", "g2"] == pytest.approx(1.386795, abs=1e-6)


def test_keyness_min_count_filters_on_target_plus_reference():
    corpus, counts = count_table()
    kept = compare.keyness(corpus, "taz", reference="Zeit", min_count=2, counts=counts, **BY_TOKENS)
    assert sorted(kept["term"]) == ["füller", "grenze", "zoll"]
    kept = compare.keyness(corpus, "taz", reference="Zeit", min_count=40, counts=counts, **BY_TOKENS)
    assert sorted(kept["term"]) == ["füller", "grenze", "zoll"]  # 30 + 10 = 40 and 10 + 30 = 40
    kept = compare.keyness(corpus, "taz", reference="Zeit", min_count=41, counts=counts, **BY_TOKENS)
    assert kept["term"].tolist() == ["füller"]


def test_keyness_reference_none_pools_all_other_outlets():
    corpus, counts = count_table()
    pooled = by_term(compare.keyness(corpus, "taz", min_count=1, counts=counts, **BY_TOKENS))
    # Zeit + Welt: grenze 10 + 50 = 60 of 1,000 + 100 = 1,100 tokens; taz uses it less.
    assert pooled.loc["grenze", "n_reference"] == 60
    assert pooled.loc["grenze", "total_reference"] == 1100
    assert pooled.loc["grenze", "g2"] < 0
    assert pooled["n_articles_target"].iloc[0] == 2
    assert pooled["n_articles_reference"].iloc[0] == 3
    single = compare.keyness(corpus, "taz", reference="Zeit", min_count=1, counts=counts, **BY_TOKENS)
    assert single["n_articles_reference"].iloc[0] == 2
    assert single["total_reference"].iloc[0] == 1000


def test_keyness_counts_real_text_without_stemming():
    corpus = pd.DataFrame({
        "source": ["taz", "taz", "Zeit"],
        "text": ["Zölle, Zölle und Zölle!", "„Zölle“ treffen Tokajews Land.", "Der Gipfel in Astana."],
    })
    table = by_term(compare.keyness(corpus, "taz", min_count=1, min_articles=1, min_docs=1))
    assert table.loc["zölle", "n_target"] == 4
    assert table.loc["zölle", "n_reference"] == 0
    assert table.loc["tokajews", "n_target"] == 1
    assert table.loc["gipfel", "n_reference"] == 1
    assert table.loc["zölle", "g2"] > 0 > table.loc["gipfel", "g2"]


def test_term_counts_remember_how_they_were_made():
    corpus = pd.DataFrame({"text": ["Die Straße nach Astana.", "Straßen, Straße und Gipfel", "Der Gipfel"]})
    counts = compare.term_counts(corpus, min_df=2)
    assert counts.terms.tolist() == ["gipfel", "strasse"]  # "astana" and "strassen" are in one article only
    assert counts.matrix.toarray().tolist() == [[0, 1], [1, 1], [1, 0]]
    assert counts.analyzer.settings == {"stem": False, "remove_stopwords": True, "min_length": 2, "drop_numbers": True}
    assert counts.min_df == 2


def test_term_counts_refuse_missing_texts():
    corpus = pd.DataFrame({"text": ["Die Straße nach Astana.", None, "Der Gipfel", 42]})
    with pytest.raises(ValueError, match=r"must hold strings; 2 rows do not \(first at position 1\)"):
        compare.term_counts(corpus)


def test_keyness_warns_below_min_articles():
    corpus, counts = count_table()
    with pytest.warns(SmallSampleWarning, match=r"taz \(n=2\).*descriptive only"):
        compare.keyness(corpus, "taz", min_count=1, counts=counts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "Spiegel"}, "target must be one of"),
        ({"target": "taz", "reference": "taz"}, "reference must differ"),
        ({"target": "taz", "reference": "FAZ"}, "reference must be one of"),
        ({"target": "taz", "min_count": 0}, "min_count must be an integer"),
    ],
)
def test_keyness_rejects_bad_arguments(kwargs, message):
    corpus, counts = count_table()
    with pytest.raises(ValueError, match=message):
        compare.keyness(corpus, counts=counts, **kwargs)


def test_keyness_rejects_counts_of_another_corpus():
    corpus, counts = count_table()
    with pytest.raises(ValueError, match="counts has 5 rows but corpus has 4"):
        compare.keyness(corpus.iloc[:4], "taz", counts=counts)


def test_keyness_all_keeps_top_terms_of_each_outlet_on_both_sides():
    corpus, counts = count_table()
    with pytest.warns(SmallSampleWarning):
        table = compare.keyness_all(corpus, top_n=1, min_count=1, counts=counts, min_docs=1, rank_by="g2")
    assert table["outlet"].unique().tolist() == ["Welt", "Zeit", "taz"]
    welt = table[table["outlet"] == "Welt"]
    # Welt uses grenze 50 of 100 times against 40 of 2,000 elsewhere: its top term.
    assert welt["term"].tolist()[0] == "grenze"
    assert (welt["g2"].iloc[0] > 0) and (welt["g2"].iloc[-1] < 0)
    assert len(welt) == 2
    assert table["descriptive_only"].all()
    single = by_term(compare.keyness(corpus, "Welt", min_count=1, counts=counts, **BY_TOKENS))
    assert welt["g2"].iloc[0] == pytest.approx(single.loc["grenze", "g2"])


def test_keyness_all_leaves_out_an_outlet_without_terms():
    # Welt's only article is stopwords: no tokens, nothing to compare, but no reason to fail the others.
    corpus = pd.DataFrame({
        "source": ["taz", "Zeit", "Welt"],
        "text": ["Grenze Grenze Zölle", "Zölle Zölle Grenze", "Die und der"],
    })
    with pytest.warns(UserWarning, match=r"no counted terms in Welt \(n=1\); left out"):
        table = compare.keyness_all(corpus, top_n=2, min_count=1, min_articles=1, min_docs=1)
    assert table["outlet"].unique().tolist() == ["Zeit", "taz"]
    taz = by_term(table[table["outlet"] == "taz"])
    # [[2, 1], [1, 2]], expected 1.5 in every cell: G² = 4 (2 ln(4/3) + ln(2/3)) = 0.679596.
    assert taz.loc["grenze", "g2"] == pytest.approx(0.679596, abs=1e-6)
    assert taz.loc["grenze", "log_ratio"] == pytest.approx(1.0)
    assert taz.loc["grenze", "n_articles_reference"] == 2


def dispersion_table() -> tuple[pd.DataFrame, TermCounts]:
    """Hand-made counts: four taz and four Zeit articles.

    term        taz articles        Zeit articles
    grenze      1, 1, 1, 0          0, 0, 0, 1     in three taz articles
    wunder      40, 0, 0, 0         0, 0, 0, 0     40 times, in one long taz article
    zoll        0, 0, 0, 1          2, 2, 1, 1     in every Zeit article, one taz article
    """
    corpus = pd.DataFrame({"doc_id": list("abcdefgh"), "source": ["taz"] * 4 + ["Zeit"] * 4, "text": [""] * 8})
    matrix = sparse.csr_matrix(np.array([
        [1, 40, 0, 9], [1, 0, 0, 9], [1, 0, 0, 9], [0, 0, 1, 9],
        [0, 0, 2, 9], [0, 0, 2, 9], [0, 0, 1, 9], [1, 0, 1, 9],
    ]))
    return corpus, TermCounts(matrix=matrix, terms=np.array(["grenze", "wunder", "zoll", "füller"]))


# Text-dispersion keyness of "grenze", taz against Zeit: articles with / without it
#   observed  [[3, 1], [1, 3]],  N = 8, every margin 4, expected 2 in each cell
#   TDK = 2 * (3 ln(3/2) + 1 ln(1/2) + 1 ln(1/2) + 3 ln(3/2)) = 2 * (6 * 0.405465 - 2 * 0.693147) = 2.092992
TDK_GRENZE = 2.092992


def test_keyness_counts_the_articles_that_use_a_term_and_ranks_by_them():
    corpus, counts = dispersion_table()
    table = compare.keyness(corpus, "taz", min_count=1, counts=counts, min_articles=1, min_docs=1)
    assert table["term"].tolist() == ["grenze", "wunder", "füller", "zoll"]  # by TDK: three articles beat one
    grenze = by_term(table).loc["grenze"]
    assert (grenze["docs_target"], grenze["docs_reference"], grenze["n_articles_target"]) == (3, 1, 4)
    assert grenze["tdk"] == pytest.approx(TDK_GRENZE, abs=1e-6)
    wunder = by_term(table).loc["wunder"]
    assert (wunder["n_target"], wunder["docs_target"]) == (40, 1)
    assert wunder["g2"] > grenze["g2"]  # by tokens the one long article wins
    by_g2 = compare.keyness(corpus, "taz", min_count=1, counts=counts, **BY_TOKENS)
    assert by_g2["term"].tolist()[0] == "wunder"
    assert by_term(table).loc["füller", "tdk"] == 0.0  # in every article of both sides


def test_keyness_lists_a_term_only_if_enough_articles_of_the_side_using_it_more_hold_it():
    corpus, counts = dispersion_table()
    table = by_term(compare.keyness(corpus, "taz", min_count=1, counts=counts, min_articles=1))  # min_docs=3
    # wunder: one taz article; grenze: three; zoll (more in Zeit): four Zeit articles; füller: everywhere
    assert sorted(table.index) == ["füller", "grenze", "zoll"]
    assert table.loc["zoll", "tdk"] < 0
    table = by_term(compare.keyness(corpus, "taz", min_count=1, counts=counts, min_articles=1, min_docs=4))
    assert sorted(table.index) == ["füller", "zoll"]


def test_keyness_asks_five_percent_of_the_articles_of_a_side_of_more_than_sixty():
    # taz: 100 articles; "grenze" in 5 of them, "zoll" in 4 (at least 3, but below 5 %); Zeit: 10 articles
    n_taz, n_zeit = 100, 10
    rows = np.zeros((n_taz + n_zeit, 3), dtype=int)
    rows[:5, 0] = 1
    rows[5:9, 1] = 1
    rows[:, 2] = 1
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(rows))], "text": [""] * len(rows),
                           "source": ["taz"] * n_taz + ["Zeit"] * n_zeit})
    counts = TermCounts(matrix=sparse.csr_matrix(rows), terms=np.array(["grenze", "zoll", "füller"]))
    table = compare.keyness_all(corpus, min_count=1, counts=counts, min_articles=1)
    taz = by_term(table[table["outlet"] == "taz"])
    assert sorted(taz.index) == ["füller", "grenze"]
    assert taz.loc["grenze", "docs_target"] == 5


def test_keyness_rejects_an_unknown_ranking():
    corpus, counts = dispersion_table()
    with pytest.raises(ValueError, match="rank_by must be 'tdk', 'g2' or 'log_ratio', got 'chi2'"):
        compare.keyness(corpus, "taz", counts=counts, rank_by="chi2")


def test_domain_names_and_mail_addresses_are_not_terms():
    corpus = pd.DataFrame({"source": ["A", "B"], "text": [
        "Laut derStandard.at und orf.at (siehe zeit.de/politik) schreibt info@taz.de: Die Grenze bleibt zu.",
        "Die Grenze, z.B. bei Salzburg, bleibt laut ORF.at offen.",
    ]})
    counts = compare.term_counts(corpus)
    assert counts.terms.tolist() == ["grenze", "offen", "salzburg", "schreibt", "siehe"]


# --------------------------------------------------------------------------- mention profiles


def mention_fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    corpus = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "source": ["taz", "taz", "Zeit"],
        "text": ["…", "…", "…"],
        "n_words": [100, 300, 200],
    })
    mentions = pd.DataFrame({
        "doc_id": ["a", "a", "b", "a", "c", "c"],
        "entity": [
            "Donald Trump", "Donald Trump", "Donald Trump", "Kassym-Schomart Tokajew", "Donald Trump", "Kasachstan",
        ],
        "form": ["name", "name", "name", "name", "name", "adjective"],
    })
    return corpus, mentions


def test_mention_profile_point_estimates_by_hand():
    corpus, mentions = mention_fixture()
    profile = compare.mention_profile(corpus, mentions=mentions, n_boot=200, min_articles=1)
    rows = profile.set_index(["outlet", "entity"])
    trump = rows.loc[("taz", "Donald Trump")]
    # taz: 3 Trump mentions in 100 + 300 words -> 7.5 per 1,000; both articles mention him.
    assert trump["per_1000_words"] == pytest.approx(7.5)
    assert trump["share_of_articles"] == pytest.approx(1.0)
    assert (trump["n_mentions"], trump["n_articles"], trump["n_words"]) == (3, 2, 400)
    tokajew = rows.loc[("taz", "Kassym-Schomart Tokajew")]
    assert tokajew["per_1000_words"] == pytest.approx(2.5)
    assert tokajew["share_of_articles"] == pytest.approx(0.5)
    # The adjective "kasachische" is left out unless asked for.
    assert rows.loc[("Zeit", "Kasachstan"), "n_mentions"] == 0
    with_adjectives = compare.mention_profile(
        corpus, mentions=mentions, n_boot=10, include_adjectives=True, min_articles=1
    ).set_index(["outlet", "entity"])
    # One adjective form in Zeit's 200 words -> 5 per 1,000.
    assert with_adjectives.loc[("Zeit", "Kasachstan"), "per_1000_words"] == pytest.approx(5.0)


def test_mention_profile_intervals_bracket_estimates_and_collapse_for_one_article():
    corpus, mentions = mention_fixture()
    profile = compare.mention_profile(corpus, mentions=mentions, n_boot=300, min_articles=1)
    for name in ("per_1000_words", "share_of_articles"):
        assert (profile[f"{name}_low"] <= profile[name] + 1e-12).all()
        assert (profile[name] <= profile[f"{name}_high"] + 1e-12).all()
    zeit = profile[profile["outlet"] == "Zeit"]
    assert (zeit["per_1000_words_low"] == zeit["per_1000_words_high"]).all()
    tokajew = profile.set_index(["outlet", "entity"]).loc[("taz", "Kassym-Schomart Tokajew")]
    # A resample of taz's two articles holds article a (the one naming Tokajew) zero, one or two times.
    assert tokajew["share_of_articles_low"] == 0.0
    assert tokajew["share_of_articles_high"] == 1.0


def test_mention_profile_bootstrap_is_deterministic():
    corpus, mentions = mention_fixture()
    first = compare.mention_profile(corpus, mentions=mentions, n_boot=100, random_state=7, min_articles=1)
    again = compare.mention_profile(corpus, mentions=mentions, n_boot=100, random_state=7, min_articles=1)
    pd.testing.assert_frame_equal(first, again)


def test_mention_profile_flags_small_outlets():
    corpus, mentions = mention_fixture()
    with pytest.warns(SmallSampleWarning, match="Zeit \\(n=1\\)"):
        profile = compare.mention_profile(corpus, mentions=mentions, n_boot=10, min_articles=2)
    assert profile.groupby("outlet")["descriptive_only"].first().to_dict() == {"Zeit": True, "taz": False}


def test_mention_profile_agrees_with_count_mentions():
    from analysis.mentions import count_mentions

    corpus = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "source": ["taz", "taz", "Zeit"],
        "text": [
            "Tokajews Besuch bei Trump: Trump lobte Kasachstan.",
            "Die Trump-Regierung und die kasachische Regierung verhandeln.",
            "Präsident Tokajew sprach in Astana.",
        ],
    })
    profile = compare.mention_profile(corpus, n_boot=20, min_articles=1)
    rates = count_mentions(corpus, by="source", normalize="per_1000_words")
    for row in profile.itertuples():
        assert row.per_1000_words == pytest.approx(rates.loc[row.outlet, row.entity])


def test_mention_profile_without_any_mention_still_flags_small_outlets():
    corpus, mentions = mention_fixture()
    with pytest.warns(SmallSampleWarning, match="Zeit \\(n=1\\)"):
        profile = compare.mention_profile(corpus, mentions=mentions.iloc[:0], n_boot=10, min_articles=2)
    assert profile.empty


def test_mention_profile_interval_skips_resamples_without_words():
    corpus = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "source": ["taz", "taz", "Welt"],
        "text": ["Trump sagte", "", ""],
    })
    mentions = pd.DataFrame({"doc_id": ["a"], "entity": ["Donald Trump"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        profile = compare.mention_profile(corpus, mentions=mentions, n_boot=200, min_articles=1)
    rows = profile.set_index("outlet")
    # taz: 1 mention in 2 + 0 words. Every resample with words holds article a: 1,000 * k / 2k = 500;
    # the resamples of article b alone (1 in 4) have no words and no rate.
    taz = rows.loc["taz"]
    assert (taz["per_1000_words"], taz["per_1000_words_low"], taz["per_1000_words_high"]) == (500.0, 500.0, 500.0)
    assert (taz["share_of_articles_low"], taz["share_of_articles_high"]) == (0.0, 1.0)
    # Welt has no words at all: no rate and no interval, but its share of articles is 0.
    assert rows.loc["Welt", ["per_1000_words", "per_1000_words_low", "per_1000_words_high"]].isna().all()
    assert rows.loc["Welt", "share_of_articles_high"] == 0.0


def test_mention_profile_rejects_unknown_doc_ids():
    corpus, mentions = mention_fixture()
    with pytest.raises(ValueError, match="not in corpus"):
        compare.mention_profile(corpus, mentions=mentions.assign(doc_id="x"), n_boot=10)


# --------------------------------------------------------------------------- similarity and topic mix


def test_outlet_similarity_identical_and_disjoint_vocabulary():
    corpus = pd.DataFrame({
        "source": ["taz", "Zeit", "Welt", "Welt"],
        "text": ["Grenze Zölle Gipfel", "Grenze Zölle Gipfel", "Straßenbahn Brücke", "Brücke"],
    })
    similarity = compare.outlet_similarity(corpus, min_articles=1)
    assert similarity.index.tolist() == ["Welt", "Zeit", "taz"]
    assert similarity.loc["taz", "Zeit"] == pytest.approx(1.0)
    assert similarity.loc["taz", "Welt"] == pytest.approx(0.0)
    assert np.allclose(np.diag(similarity), 1.0)
    assert np.allclose(similarity, similarity.T)


def test_outlet_similarity_is_undefined_for_an_outlet_without_terms():
    corpus = pd.DataFrame({
        "source": ["taz", "Zeit", "Welt"],
        "text": ["Grenze Zölle Gipfel", "Grenze Zölle Gipfel", "Die und der"],
    })
    similarity = compare.outlet_similarity(corpus, min_articles=1)
    assert similarity.loc["taz", "Zeit"] == pytest.approx(1.0)
    assert similarity.loc["Welt"].isna().all()
    assert similarity["Welt"].isna().all()


def test_topic_mix_shares_per_outlet():
    corpus = pd.DataFrame({"source": ["taz", "taz", "taz", "taz", "Zeit", None]})
    with pytest.warns(SmallSampleWarning):
        mix = compare.topic_mix(corpus, [0, 0, 1, 2, 2, 1])
    assert mix.loc["taz"].tolist() == [4, 0.5, 0.25, 0.25]
    assert mix.loc["Zeit"].tolist() == [1, 0.0, 0.0, 1.0]
    assert mix.loc["unbekannt"].tolist() == [1, 0.0, 1.0, 0.0]


def test_topic_mix_rejects_labels_of_wrong_length():
    with pytest.raises(ValueError, match="one entry per article"):
        compare.topic_mix(pd.DataFrame({"source": ["taz", "Zeit"]}), [0, 1, 1])


# --------------------------------------------------------------------------- shared passages


def test_shared_passages_find_agency_paragraph_with_exact_text():
    corpus = passages_corpus()
    found = compare.shared_passages(corpus)
    assert found["doc_id"].tolist() == ["taz-1", "zeit-1"]
    assert found["outlet"].tolist() == ["taz", "Zeit"]
    assert (found["n_words"] == 21).all()
    assert (found["passage_id"] == 0).all()
    for row in found.itertuples():
        text = corpus.set_index("doc_id").loc[row.doc_id, "text"]
        assert text[row.start:row.end] == AGENCY
        assert row.text == AGENCY


def test_shared_passages_ignore_text_shared_within_one_outlet():
    corpus = passages_corpus()
    found = compare.shared_passages(corpus)
    assert not found["doc_id"].isin(["taz-2", "taz-3"]).any()
    # Once the same house note also appears at Welt, it is shared across outlets.
    corpus.loc[4, "text"] += "\n\n" + HOUSE_NOTE
    found = compare.shared_passages(corpus)
    house = found[found["text"] == HOUSE_NOTE]
    assert house["doc_id"].tolist() == ["taz-2", "taz-3", "welt-1"]


def test_shared_passages_compare_words_without_case_quotes_and_line_breaks():
    corpus = pd.DataFrame({
        "doc_id": ["a", "b"],
        "source": ["taz", "Zeit"],
        "text": [
            "Vorspann. " + AGENCY,
            "Anders. " + AGENCY.upper().replace("BERLIN", "„Berlin“").replace(" REGELN ", "\nRegeln "),
        ],
    })
    found = compare.shared_passages(corpus)
    assert found["n_words"].tolist() == [21, 21]
    assert found["text"].iloc[0] == AGENCY
    assert corpus["text"].iloc[1][found["start"].iloc[1]:found["end"].iloc[1]].startswith("DIE BUNDESREGIERUNG")


def test_shared_passages_respect_min_words():
    corpus = passages_corpus()
    assert compare.shared_passages(corpus, min_words=22).empty
    assert len(compare.shared_passages(corpus, min_words=21)) == 2


def test_shared_passages_keep_a_passage_of_which_a_third_outlet_quotes_a_part():
    # taz and Zeit share 30 words; Welt quotes ten of them (words 10 to 19) in another context.
    # The quote cuts the passage into pieces of 17, 10 and 17 words (overlapping by 7, one shingle
    # less a word): none is 20 words long, yet together they cover the 30 words the two share.
    passage = " ".join(AGENCY.split()[:20] + HOUSE_NOTE.split()[:10])
    quote = " ".join(passage.split()[10:20])
    other = " ".join(f"Satz{n}" for n in range(25))
    corpus = pd.DataFrame({
        "doc_id": ["taz-1", "zeit-1", "welt-1", "spiegel-1"],
        "source": ["taz", "Zeit", "Welt", "Spiegel"],
        "text": ["Eins. " + passage, "Zwei. " + passage, "Drei. " + other + " Und " + quote + " Ende.", other],
    })
    found = compare.shared_passages(corpus)
    pieces = found[found["doc_id"].isin(["taz-1", "zeit-1"])]
    # Welt's only passage is the one it shares with Spiegel: ten words in common are no shared passage.
    assert found.loc[found["doc_id"] == "welt-1", "n_words"].tolist() == [25]
    assert sorted(pieces.groupby("doc_id")["n_words"].agg(sorted).tolist()) == [[10, 17, 17], [10, 17, 17]]
    for doc_id, rows in pieces.groupby("doc_id"):
        text = corpus.set_index("doc_id").loc[doc_id, "text"]
        assert (rows["start"].min(), rows["end"].max()) == (6, 6 + len(passage))
        assert compare.remove_shared_passages(corpus, found).set_index("doc_id").loc[doc_id, "text"] == text[:5]


def test_shared_passages_with_no_candidates_return_empty_table():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["taz", "Zeit"], "text": ["Kurz.", ""]})
    found = compare.shared_passages(corpus)
    assert found.empty
    assert found.columns.tolist() == ["passage_id", "doc_id", "outlet", "start", "end", "n_words", "text"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"shingle_size": 1}, "shingle_size must be an integer >= 2"), ({"min_words": 5}, "min_words must be at least")],
)
def test_shared_passages_reject_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        compare.shared_passages(passages_corpus(), **kwargs)


def test_passage_table_one_row_per_passage():
    table = compare.passage_table(compare.shared_passages(passages_corpus()))
    assert table.to_dict("records") == [{
        "passage_id": 0, "n_words": 21, "n_outlets": 2, "n_articles": 2,
        "outlets": "Zeit, taz", "doc_ids": ["taz-1", "zeit-1"], "text": AGENCY,
    }]


def test_remove_shared_passages_leaves_the_rest_intact():
    corpus = passages_corpus().assign(n_words=lambda frame: frame["text"].str.split().str.len())
    cleaned = compare.remove_shared_passages(corpus, compare.shared_passages(corpus))
    assert cleaned["text"].tolist() == [
        "Kommentar von Anna Groß: So geht es nicht weiter.\n\nDas ist überfällig, sagt die Ärztin.",
        corpus["text"].iloc[1],
        "„Wir handeln jetzt“, sagte Spahns Sprecherin.",
        corpus["text"].iloc[3],
        corpus["text"].iloc[4],
    ]
    # 9 + 6 words left in taz-1, 6 in zeit-1; the others keep 6 + 23, 7 + 23 and 10 words.
    assert cleaned["n_words"].tolist() == [15, 29, 6, 30, 10]
    assert corpus["text"].iloc[0].startswith("Kommentar") and AGENCY in corpus["text"].iloc[0]  # input untouched
    assert cleaned[["doc_id", "source"]].equals(corpus[["doc_id", "source"]])


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("P1 P2\n\nRest bleibt.", (0, 5), "Rest bleibt."),
        ("Anfang.\n\nP1 P2", (9, 14), "Anfang."),
        ("Anfang. P1 P2 Ende.", (8, 13), "Anfang. Ende."),
        ("Anfang.\n\nP1 P2\n\nEnde.", (9, 14), "Anfang.\n\nEnde."),
    ],
)
def test_remove_shared_passages_takes_the_whitespace_before_a_passage(text, span, expected):
    corpus = pd.DataFrame({"doc_id": ["a"], "text": [text]})
    spans = pd.DataFrame({"doc_id": ["a"], "start": [span[0]], "end": [span[1]]})
    assert compare.remove_shared_passages(corpus, spans)["text"].iloc[0] == expected


def test_remove_shared_passages_rejects_unknown_articles():
    with pytest.raises(ValueError, match="not in corpus"):
        compare.remove_shared_passages(passages_corpus(), pd.DataFrame({"doc_id": ["x"], "start": [0], "end": [1]}))


def test_whitespace_code_points_are_those_str_split_uses():
    assert sorted(compare.shared_text._WHITESPACE) == [c for c in range(sys.maxunicode + 1) if chr(c).isspace()]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "ß", "„", " ", "\n", "\u00a0", "\u2009", "\x1c", "-"]), max_size=40))
def test_word_spans_follow_str_split(text):
    starts, ends = compare.shared_text._word_spans(text)
    assert [text[s:e] for s, e in zip(starts, ends)] == text.split()


WORDS = ["Grenze", "Zölle", "Gipfel", "Präsident", "Straße", "Kasachstan", "Tokajews", "und", "die", "US-Präsident"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=30),
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=30),
    st.lists(st.integers(0, 10**6), min_size=20, max_size=40),
)
def test_every_shared_passage_of_min_words_is_found(before, after, passage_ids):
    """Winnowing guarantees that a common run of min_words words is found wherever it sits."""
    passage = " ".join(f"w{n}" for n in passage_ids)
    texts = [" ".join([*before, passage]), " ".join([passage, *after])]
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["taz", "Zeit"], "text": texts})
    found = compare.shared_passages(corpus, shingle_size=8, min_words=20)
    for doc, text in enumerate(texts):
        start = text.index(passage)
        rows = found[found["doc_id"] == "ab"[doc]]
        assert ((rows["start"] <= start) & (rows["end"] >= start + len(passage))).any()
