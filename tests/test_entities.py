"""The default entity table: states and capitals in German, organisations, leaders, parties, regions.

Counts are exact, on hand-built German sentences. The last tests check that the generated file
of states and capitals is what scripts/build_state_entities.py makes from its packages.
"""
import importlib.util

import pandas as pd
import pytest

from analysis.mentions import TOPICS_ENTITIES_PATH, Gazetteer, count_mentions, find_mentions
from analysis.paths import PACKAGE_DATA_DIR, PROJECT_ROOT


def counts(text, include_adjectives=False, gazetteer=None):
    """Mentions per entity id in one text, zero entities dropped."""
    table = count_mentions(pd.DataFrame({"doc_id": ["d0"], "text": [text]}), gazetteer,
                           include_adjectives=include_adjectives, label="id")
    row = table.iloc[0]
    return {k: int(v) for k, v in row[row > 0].items()}


def surfaces(text):
    found = find_mentions(pd.DataFrame({"doc_id": ["d0"], "text": [text]}))
    return list(zip(found["surface"], found["entity_id"], found["form"]))


# ----------------------------------------------------------------------------- states and capitals


def test_states_and_capitals_are_found_in_german_with_genitives():
    text = "Österreichs Kanzler reiste in Wien ab, nach Bern und zurück; die Schweiz und Jordaniens König."
    assert counts(text) == {"austria": 1, "vienna": 1, "bern": 1, "switzerland": 1, "jordan": 1}


def test_adjectives_and_demonyms_are_found_but_left_out_of_counts():
    text = "Die Schweizer stimmten ab; österreichische Medien und ein Österreicher berichteten aus der Schweiz."
    assert counts(text) == {"switzerland": 1}
    assert counts(text, include_adjectives=True) == {"switzerland": 2, "austria": 2}
    assert ("Schweizer", "switzerland", "adjective") in surfaces(text)


def test_a_derived_adjective_belongs_to_the_state_it_names():
    # "nigerianisch" is Nigeria's, not Niger's; "nigrisch" is Niger's.
    text = "Nigerianische Händler und nigrische Soldaten; Niger und Nigeria."
    assert counts(text, include_adjectives=True) == {"nigeria": 2, "niger": 2}


def test_names_of_several_words_are_found_inflected():
    text = "In den Vereinigten Arabischen Emiraten, in der Zentralafrikanischen Republik und in den Niederlanden."
    assert counts(text) == {"united_arab_emirates": 1, "central_african_republic": 1, "netherlands": 1}


def test_a_state_name_that_is_an_english_word_matches_only_as_written():
    # "Island" is Iceland only capitalised and not in English place names; "Islands" is no genitive.
    text = "Auf Island ist es warm, auf Rhode Island nicht; Pacific Islands; the island."
    assert counts(text) == {"iceland": 1}


def test_a_state_named_like_the_plural_of_its_demonym_is_not_counted_after_an_article():
    text = "Die Schweden wählen, den Polen geht es gut; in Schweden, Polen und Ungarn regnet es."
    assert counts(text) == {"sweden": 1, "poland": 1, "hungary": 1}
    assert counts("Die Sachsen und die Niedersachsen wählen in Sachsen und Sachsen-Anhalt.") == {
        "saxony": 1, "saxony_anhalt": 1}


def test_people_named_like_a_state_are_not_the_state():
    text = "Ein Zitat von Rosa Luxemburg am Rosa-Luxemburg-Platz; Wahlen in Luxemburg."
    assert counts(text) == {"luxembourg": 1}


def test_existing_entities_keep_their_ids_and_no_state_is_listed_twice():
    gaz = Gazetteer.default()
    for entity_id in ("kazakhstan", "usa", "united_kingdom", "germany", "berlin", "moscow", "astana", "un", "who"):
        assert entity_id in gaz
    states = [e for e in gaz if e.type == "country"]
    assert len(states) == 197  # 193 UN members, the Holy See, Palestine, Kosovo, Taiwan
    assert len({e.name for e in states}) == 197


# ----------------------------------------------------------------------------- organisations


def test_uno_and_its_other_names_count_for_the_un():
    text = "Die Uno tagte; die UNO, die Vereinten Nationen und die UN; „uno, due, tre“ ist Italienisch."
    assert counts(text) == {"un": 4}
    assert counts("Der Uno-Sicherheitsrat und der UN-Sicherheitsrat.") == {"un_security_council": 2}


def test_eu_institutions_and_international_organisations():
    text = ("Die EU-Kommission, das Europaparlament, die EZB und der EuGH; die Weltgesundheitsorganisation (WHO), "
            "die Nato und die NATO, der IWF und die Weltbank.")
    assert counts(text) == {"eu_commission": 1, "european_parliament": 1, "ecb": 1, "cjeu": 1, "who": 1, "nato": 2,
                            "imf": 1, "world_bank": 1}


# ----------------------------------------------------------------------------- people and parties


def test_a_surname_that_is_a_german_word_counts_only_with_a_title_or_first_name():
    text = "Kurz vor Mitternacht sprach Kanzler Kurz kurz; Sebastian Kurz kam. Der Kern der Sache: Christian Kern."
    assert counts(text) == {"kurz": 2, "kern": 1}
    assert [s for s, e, _ in surfaces(text) if e == "kurz"] == ["Kanzler Kurz", "Sebastian Kurz"]


def test_the_greens_count_only_capitalised_and_not_in_set_phrases():
    text = "Die Grünen und die Grüne Jugend; grüne Wiesen, ein Picknick im Grünen, die Grüne Woche in Berlin. Grünes Licht."
    assert counts(text) == {"greens": 2, "berlin": 1}


def test_die_linke_counts_but_not_the_political_left_in_general():
    text = "Die Linke stellt den Linken-Fraktionschef; die radikale Linke und Linke wie Rechte protestieren."
    assert counts(text) == {"linke": 2}


def test_the_bare_union_is_not_counted_for_cdu_csu():
    text = "Die Union und die SPD, die CDU/CSU-Fraktion, die Europäische Union und der 1. FC Union."
    assert counts(text) == {"spd": 1, "cdu_csu": 1, "eu": 1}


def test_regions_named_like_their_capital_town_need_kanton_or_land():
    text = "Im Kanton Zürich und in Zürich, im Kanton Bern und in Bern; im Land Salzburg; im Aargau und in Tirol."
    assert counts(text) == {"canton_zurich": 1, "canton_bern": 1, "bern": 1, "salzburg_state": 1, "aargau": 1,
                            "tyrol": 1}


def test_bavaria_is_not_the_football_club():
    text = "Der FC Bayern und die Bayern-Stars; die Bayern jubelten. In Bayern schneit es; Bayerns Regierung."
    assert counts(text) == {"bavaria": 2}


# ----------------------------------------------------------------------------- topics are opt-in


def test_topic_entities_are_left_out_of_the_default_table_and_can_be_added():
    text = "Zölle auf Öl und Gas, Sanktionen gegen Uran-Lieferanten."
    assert "topic" not in {e.type for e in Gazetteer.default()}
    assert counts(text) == {}
    assert counts(text, gazetteer=Gazetteer.from_file(TOPICS_ENTITIES_PATH)) == {
        "tariffs": 1, "oil_gas": 2, "sanctions": 1, "uranium": 1}


# ----------------------------------------------------------------------------- the generator


@pytest.fixture(scope="module")
def generator():
    path = PROJECT_ROOT / "scripts" / "build_state_entities.py"
    spec = importlib.util.spec_from_file_location("build_state_entities", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_reproduces_the_committed_states_file(generator):
    committed = (PACKAGE_DATA_DIR / "states.yaml").read_text(encoding="utf-8")
    assert generator.build() == committed


@pytest.mark.parametrize("name, expected", [
    ("Italien", ["italienisch", "Italiener"]),
    ("Russland", ["russisch", "Russe", "Russin"]),
    ("Kolumbien", ["kolumbianisch", "Kolumbianer"]),
    ("Thailand", ["thailändisch", "Thailänder"]),
    ("Vereinigte Arabische Emirate", []),  # names of several words come from the curated file
])
def test_derived_adjectives_and_demonyms(generator, name, expected):
    assert generator.derive_adjectives(name) == expected
