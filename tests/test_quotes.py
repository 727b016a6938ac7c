"""Quotations and speakers: every form on hand-built German sentences, bad input, the partition contract."""
import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.mentions import Gazetteer, find_mentions
from analysis.paths import PROJECT_ROOT
from analysis.quotes import (
    QUOTE_COLUMNS,
    QUOTE_META,
    _article_quotes,
    _first_names_before,
    _fold_surnames,
    _word_hits,
    count_speakers,
    default_lexicon,
    find_quotes,
    mentions_in_quotes,
    outlet_quote_labels,
    quote_crosstab,
    quotes_in_partition,
    speaker_labels,
)

SPKATT = PROJECT_ROOT / ".." / "shared" / "spkatt-2023"


def _quotes(text: str) -> list[tuple]:
    """Return (form, text, cue, speaker, entity_id) of each quotation of one text, NA as None."""
    found = find_quotes(pd.DataFrame({"doc_id": ["a"], "text": [text]}))
    _check_offsets(text, found)
    rows = found[["form", "text", "cue", "speaker", "entity_id"]].astype(object)
    return [tuple(None if pd.isna(v) else v for v in row) for row in rows.itertuples(index=False)]


def _check_offsets(text: str, found: pd.DataFrame) -> None:
    for row in found.itertuples():
        assert text[row.start:row.end] == row.text
        if not pd.isna(row.cue):
            assert text[row.cue_start:row.cue_end] == row.cue
        if not pd.isna(row.speaker):
            assert text[row.speaker_start:row.speaker_end] == row.speaker


@pytest.mark.parametrize(
    "text, expected",
    [
        ("„Wir sind bereit“, sagte Tokajew am Montag.",
         [("direct", "Wir sind bereit", "sagte", "Tokajew", "tokayev")]),
        ("»Wir bleiben neutral«, sagte Tokajew.",
         [("direct", "Wir bleiben neutral", "sagte", "Tokajew", "tokayev")]),
        ("Der Bundesrat erklärte: «Die Schweiz bleibt neutral.»",
         [("direct", "Die Schweiz bleibt neutral.", "erklärte", "Der Bundesrat", None)]),
        ('Trump sagte: "Das wird ein großartiger Deal."',
         [("direct", "Das wird ein großartiger Deal.", "sagte", "Trump", "trump")]),
        ("Mirsijojew sagte: ‚Wir öffnen die Grenzen.‘",
         [("direct", "Wir öffnen die Grenzen.", "sagte", "Mirsijojew", "mirziyoyev")]),
        ("Der Sprecher des Kreml sagte: „Wir warten die Gespräche ab.“",
         [("direct", "Wir warten die Gespräche ab.", "sagte", "Der Sprecher des Kreml", "kremlin")]),
        ("„Wir sind bereit. Wir warten nur auf das Signal aus Moskau“, sagte Tokajew.",
         [("direct", "Wir sind bereit. Wir warten nur auf das Signal aus Moskau", "sagte", "Tokajew", "tokayev")]),
        ("„Das ist ein historischer Tag für unser Land“, so Tokajew.",
         [("direct", "Das ist ein historischer Tag für unser Land", "so", "Tokajew", "tokayev")]),
        ("BKA-Präsident Ziercke: „Mit diesem Ansatz setzen wir ein deutliches Signal.“",
         [("direct", "Mit diesem Ansatz setzen wir ein deutliches Signal.", None, "BKA-Präsident Ziercke", None)]),
    ],
    ids=["german", "guillemets", "swiss", "straight", "single", "role-colon", "across-sentences", "so", "no-verb"],
)
def test_direct_quotations(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tokajew sagte, Kasachstan sei bereit.",
         [("indirect", "Kasachstan sei bereit", "sagte", "Tokajew", "tokayev")]),
        ("Der Sprecher erklärte, dass die Gespräche weitergehen.",
         [("indirect", "dass die Gespräche weitergehen", "erklärte", "Der Sprecher", None)]),
        ("Die Grenze bleibe offen, betonte Mirsijojew am Dienstag.",
         [("indirect", "Die Grenze bleibe offen", "betonte", "Mirsijojew", "mirziyoyev")]),
        ("Die Regierung teilte am Abend mit, die Zölle würden gesenkt.",
         [("indirect", "die Zölle würden gesenkt", "teilte", "Die Regierung", None)]),
        ("Tokajew sagte, Kasachstan sei bereit. Die Verhandlungen seien gut verlaufen. Am Abend reiste er ab.",
         [("indirect", "Kasachstan sei bereit", "sagte", "Tokajew", "tokayev"),
          ("indirect", "Die Verhandlungen seien gut verlaufen", None, "Tokajew", "tokayev")]),
    ],
    ids=["konjunktiv", "dass", "inverted", "separable-verb", "continuation"],
)
def test_indirect_speech(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Laut Tokajew wurden die Verträge am Montag unterzeichnet.",
         [("reported", "wurden die Verträge am Montag unterzeichnet", "Laut", "Tokajew", "tokayev")]),
        ("Dem Außenministerium zufolge reist Trump im Mai nach Astana.",
         [("reported", "reist Trump im Mai nach Astana", "zufolge", "Dem Außenministerium", None)]),
        ("Nach Angaben von Tokajew stiegen die Exporte um zehn Prozent.",
         [("reported", "stiegen die Exporte um zehn Prozent", "Nach Angaben", "Angaben von Tokajew", "tokayev")]),
        ("Wie die Regierung mitteilte, wird das Treffen verschoben.",
         [("reported", "wird das Treffen verschoben", "mitteilte", "die Regierung", None)]),
        ("Die Exporte stiegen stark, so der Minister.",
         [("reported", "Die Exporte stiegen stark", "so", "der Minister", None)]),
    ],
    ids=["laut", "zufolge", "nach-angaben", "wie-mitteilte", "so"],
)
def test_reported_speech(text, expected):
    assert _quotes(text) == expected


def test_second_of_two_coordinated_verbs_takes_the_subject_of_the_first():
    text = "Als ein Fluggast half, biss der Randalierer den Mann und rief: „Lasst mich raus!“"
    assert _quotes(text) == [("direct", "Lasst mich raus!", "rief", "der Randalierer", None)]


def test_das_with_a_modal_verb_refers_to_the_quotation_before():
    text = "„Ja, es gibt Zumutungen.“ Das musste Minister Steinbrück einräumen."
    assert _quotes(text) == [("direct", "Ja, es gibt Zumutungen.", "einräumen", "Minister Steinbrück", None)]


def test_pronouns_and_function_words_at_the_start_are_no_named_speakers():
    assert _quotes("Man sagt, das Land sei bereit.") == [("indirect", "das Land sei bereit", "sagt", None, None)]


def test_infinitive_with_zu_is_no_cue():
    assert _quotes("Die App soll helfen, Menschen vor Kontakten zu warnen, noch bevor sie Symptome zeigen.") == []


def test_name_in_a_hyphen_compound_does_not_make_the_speaker_that_entity():
    assert _quotes("Die US-Vizepräsidentin sagte, die Wahl sei sicher.") == [
        ("indirect", "die Wahl sei sicher", "sagte", "Die US-Vizepräsidentin", None)]


def test_pronoun_refers_back_to_the_one_person_named_before():
    assert _quotes("Präsident Tokajew empfing die Delegation. Er sagte, Kasachstan sei bereit.") == [
        ("indirect", "Kasachstan sei bereit", "sagte", "Er", "tokayev")]


def test_pronoun_with_two_people_before_it_stays_unlinked():
    assert _quotes("Tokajew traf Mirsijojew in Taschkent. Er sagte, die Grenze bleibe offen.") == [
        ("indirect", "die Grenze bleibe offen", "sagte", "Er", None)]


def test_pronoun_goes_on_with_the_previous_speaker_not_a_name_inside_the_quotation():
    text = "„Wir hatten ein gutes Gespräch mit Tokajew“, schrieb Trump.\n\n„Die Beziehungen sind spektakulär“, fügte er hinzu."
    assert _quotes(text) == [
        ("direct", "Wir hatten ein gutes Gespräch mit Tokajew", "schrieb", "Trump", "trump"),
        ("direct", "Die Beziehungen sind spektakulär", "fügte", "er", "trump"),
    ]


def test_second_verb_of_the_sentence_is_the_cue_of_the_dass_clause():
    text = "Trump sprach von einem „produktiven Austausch“, betonte aber, dass es keine Ergebnisse gebe."
    assert _quotes(text) == [
        ("direct", "produktiven Austausch", "sprach", "Trump", "trump"),
        ("indirect", "dass es keine Ergebnisse gebe", "betonte", "Trump", "trump"),
    ]


def test_role_refers_back_to_the_person_it_introduced():
    text = "US-Präsident Donald Trump landete in Astana. Der Präsident sagte: „Wir werden viel Geld verdienen.“"
    assert _quotes(text) == [("direct", "Wir werden viel Geld verdienen.", "sagte", "Der Präsident", "trump")]


# -- who can speak ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Die Einladung betont, dass die Region für den Handel wichtig sei.", None),  # a thing, not a speaker
        ("Derzeit sagt man, die Lage sei ernst.", None),
        ("Die Pflegekräfte erklärten, dass sie mehr Personal bräuchten.", "Die Pflegekräfte"),  # a role
        ("Die Gewerkschaft erklärte, dass die Löhne steigen müssten.", "Die Gewerkschaft"),  # an institution
        ("Die Süddeutsche Zeitung berichtet, die Gespräche seien gescheitert.", "Die Süddeutsche Zeitung"),
        ("Frank Biermann sagte, er sei zufrieden.", "Frank Biermann"),  # a name that is also a word
        ("In der Mitteilung des Ministeriums heißt es, die Schule bleibe offen.", "der Mitteilung des Ministeriums"),
    ],
)
def test_only_noun_phrases_that_can_speak_are_speakers(text, speaker):
    assert [q[3] for q in _quotes(text)] == [speaker]


def test_title_with_a_full_stop_stays_in_the_speaker():
    assert _quotes("„Die Lage ist ernst“, sagt Dr. Anna Weber.") == [
        ("direct", "Die Lage ist ernst", "sagt", "Dr. Anna Weber", None)]


def test_second_part_of_a_split_quotation_keeps_the_speaker():
    assert _quotes("„Wir sind bereit“, sagte Tokajew, „und wir warten auf Moskau.“") == [
        ("direct", "Wir sind bereit", "sagte", "Tokajew", "tokayev"),
        ("direct", "und wir warten auf Moskau.", None, "Tokajew", "tokayev"),
    ]


def test_speaker_after_a_wrapped_line():
    text = "Die Zahlen steigen wieder. „Wir müssen\nhandeln“, sagt\nMüller. Die Kliniken sind voll."
    assert _quotes(text) == [("direct", "Wir müssen\nhandeln", "sagt", "Müller", None)]


def test_lines_wrapped_and_set_apart_by_blank_lines_keep_their_sentences():
    # most line breaks fall inside sentences: a blank line after a long line joins, after a short one it ends
    text = ("Die Regierung will die Schulen in der nächsten Woche wieder\n\n"
            "öffnen. Die Lage in den Kliniken sei inzwischen stabil, sagte der\n\n"
            "Minister am Montag in Berlin vor den Abgeordneten des Landtags.\n\n"
            "Die Opposition verlangt dagegen eine Verlängerung der Ferien um\n\n"
            "zwei Wochen.\n\nIhr\n\nFlorian Zinnecker\n\nSie meinen, die Zahlen seien zu hoch?")
    assert _quotes(text) == [("indirect", "Die Lage in den Kliniken sei inzwischen stabil", "sagte", "der\n\nMinister", None),
                             ("indirect", "die Zahlen seien zu hoch", "meinen", "Sie", None)]


def test_blank_line_before_a_line_in_lower_case_joins_it():
    text = "Rund 7300 Menschen gelten nach Schätzung\n\ndes Robert Koch-Instituts als genesen.\n\nDie Schulen bleiben zu."
    assert _quotes(text) == [("reported", "Rund 7300 Menschen gelten nach Schätzung\n\ndes Robert Koch-Instituts als genesen",
                              "nach Schätzung", "Schätzung\n\ndes Robert Koch-Instituts", None)]


@pytest.mark.parametrize("text, speaker", [
    ("Putin ist einem Bericht der Zeitung „Kommersant“ zufolge zu einem Austausch bereit.",
     "einem Bericht der Zeitung „Kommersant“"),
    ("Die Regierung plant dem „Spiegel“ zufolge neue Regeln.", "dem „Spiegel“"),
    ("Die Regierung plant der „Bild“-Zeitung zufolge neue Regeln.", "der „Bild“-Zeitung"),
    ("Laut Informationen der „Washington Post“ wollen die USA Konsequenzen ziehen.", "Informationen der „Washington Post“"),
    ("Nach einem Bericht des „Abendblatts“ könnte die Quarantäne bald enden.", "Bericht des „Abendblatts“"),
])
def test_reported_source_keeps_a_quoted_name(text, speaker):
    assert [q[3] for q in _quotes(text)] == [speaker]


def test_subject_of_a_clause_in_konjunktiv_is_what_the_speaker_speaks_of():
    text = ("„Wir brauchen mehr Impfstoff“, sagte Bartsch. Die Kanzlerin müsse dies zur Chefsache machen, "
            "damit nicht „bis Ostern sechs Millionen Impfdosen herumliegen“.")
    assert [q[3] for q in _quotes(text)] == ["Bartsch", "Bartsch"]


@pytest.mark.parametrize("text, speaker", [
    ("Gauland zweifelte das Urteil an. Er werde sich „einzig und allein nach den Urteilen der Gerichte richten“.", "Er"),
    ("Nach den Worten Junckers sei es „dringend geboten, dass sich die Staaten kurzfristig verständigen“.", "Worten Junckers"),
    ("Die Ex-Kanzlerin findet kritische Worte: Man habe „von den Menschen sehr viel verlangt und zu wenig erklärt“.",
     "Die Ex-Kanzlerin"),
])
def test_pronoun_in_konjunktiv_and_subject_before_a_colon_still_speak(text, speaker):
    assert [q[3] for q in _quotes(text)][-1] == speaker


@pytest.mark.parametrize("text, speaker", [
    ("Pop: „Ich meine, komm, wer hält so einem Vergleich schon stand?“", None),
    ("Votum im Bürgerkriegsland: „Die Wahl ist eine Farce und nichts weiter.“", None),
    ("„Kanzlei“-Spielfilm: „Die Kanzlei zwischen Kühen und Hühnern ist ein Erfolg.“", None),
    ("Konditorin: „Ich muss endlich nicht mehr vor dem Laptop sitzen.“", "Konditorin"),
    ("Jan van Aken: „Manche Freunde sagen, ich sei arm wie eine Kirchenmaus.“", "Jan van Aken"),
    ("Innensenatorin über Angriffe auf Polizei: „Das ist erschreckend und nicht hinnehmbar.“", "Innensenatorin"),
    ("Betreiber präzisiert: „Der Stromausfall betrifft 45.000 Haushalte.“", "Betreiber"),
])
def test_topic_label_before_a_colon_is_no_speaker(text, speaker):
    assert [q[3] for q in _quotes(text)] == [speaker]


@pytest.mark.parametrize("text", [
    "Die Pandemie hat die USA erreicht. Würden Sie sagen, dass das Gesundheitssystem gut vorbereitet ist?",
    "Wollen Sie uns Ihre Meinung sagen, wissen Sie etwas, worüber wir berichten sollten?",
])
def test_question_that_opens_with_its_verb_reports_nothing(text):
    assert _quotes(text) == []


def test_coordinated_verb_takes_the_subject_of_the_first_verb():
    text = "Am Morgen versammelten sich die Pflegekräfte vor dem Rathaus und riefen: „Wir brauchen mehr Personal!“"
    assert _quotes(text) == [("direct", "Wir brauchen mehr Personal!", "riefen", "die Pflegekräfte", None)]


def test_short_quotation_after_an_apposition_takes_the_subject_of_the_sentence():
    text = "Der Gesundheitsminister des Landes, Klaus Berger, nannte das Vorgehen „unverantwortlich“."
    assert _quotes(text) == [
        ("direct", "unverantwortlich", "nannte", "Der Gesundheitsminister des Landes, Klaus Berger", None)]


@pytest.mark.parametrize(
    "text, cue, speaker",
    [
        ("„Wir sind bereit“, bilanzierte am vorigen Donnerstag die Forscherin Anna Weber.", "bilanzierte",
         "die Forscherin Anna Weber"),  # a time phrase with an adjective before the speaker
        ("„Wir sind bereit“, so formulierte es neulich der Grünen-Politiker Cem Özdemir.", "so",
         "der Grünen-Politiker Cem Özdemir"),  # "so" with a verb of its own
        ("„Wir sind bereit“, heißt es im Bericht der Kommission.", "heißt", "Bericht der Kommission"),
        ("Die Expertin ist skeptisch: „Das wird nicht reichen.“", None, "Die Expertin"),  # feminine of "Experte"
    ],
)
def test_speaker_after_the_quotation_and_before_a_colon(text, cue, speaker):
    assert [(q[2], q[3]) for q in _quotes(text)] == [(cue, speaker)]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Leute: Martina Brandl über Abstinenz: „Vor 50 Jahren war Schluss“", "Martina Brandl"),  # a section label
        ("Leute:Martina Brandl über Abstinenz: „Vor 50 Jahren war Schluss“", "Martina Brandl"),  # glued as scraped
        ("Jahreswechsel: Drogenbeauftragter Kuhnert zu Silvester: „Kenne dein Limit“",
         "Drogenbeauftragter Kuhnert"),  # "zu" after a surname opens the topic, not a name
        ("Neujahr: Landrätin Brandl: „Wir bleiben wachsam.“", "Landrätin Brandl"),
    ],
)
def test_a_label_before_the_speaker_and_its_topic_after_it_are_no_speakers(text, speaker):
    assert [q[3] for q in _quotes(text)] == [speaker]


@pytest.mark.parametrize(
    "text, speaker",
    [
        # an adverb opening the sentence before ends like the speaker noun "Amt" but is no noun
        ("Die Zahl stieg. Insgesamt verstarben 1253 der Patienten. „Keines der Mittel hat geholfen, das ist bitter.“", None),
        ("Gesundheitsamt: „Wir testen weiter.“", "Gesundheitsamt"),
    ],
)
def test_a_word_in_lower_case_at_a_sentence_start_is_no_speaker_noun(text, speaker):
    assert [q[3] for q in _quotes(text)] == [speaker]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Die Ministerin kündigte an, die Schulen würden öffnen.",
         [("indirect", "die Schulen würden öffnen", "kündigte", "Die Ministerin", None)]),
        ("Die Opposition warf der Regierung vor, die Reform zu verschleppen.",
         [("indirect", "die Reform zu verschleppen", "warf", "Die Opposition", None)]),
        # a relative clause on the object is no message, though the verb reports
        ("Der Verband kündigt eine Messe an, die so groß wie nie sein wird.", []),
        ("Der Trainer nennt Strategien, die jeder sofort umsetzen kann.", []),
        ("Ich sage Ihnen, das ist der Kern.", [("indirect", "das ist der Kern", "sage", "Ich", None)]),
        # in the passive the subject is who is accused, not who speaks
        ("Dem Bürgermeister wurde vorgeworfen, dass er die Kasse geplündert habe.",
         [("indirect", "dass er die Kasse geplündert habe", "vorgeworfen", None, None)]),
        ("Zwei Abgeordnete werden beschuldigt, Zahlungen koordiniert zu haben.",
         [("indirect", "Zahlungen koordiniert zu haben", "beschuldigt", None, None)]),
    ],
)
def test_announcements_accusations_relative_clauses_and_the_passive(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a sentence in Konjunktiv that names its own speaker before a colon does not continue the one before
        ("Die Regierung warf der Ukraine vor, Drohnen geschickt zu haben. Die Ministerin widerspricht: Es handle sich um "
         "einen Vorwand.", "Die Ministerin"),
        ("Die Regierung warf der Ukraine vor, Drohnen geschickt zu haben. Auf gut Deutsch: Es handle sich um einen "
         "Vorwand.", "Die Regierung"),  # a phrase with a preposition names nobody
    ],
)
def test_a_speaker_before_a_colon_takes_the_sentence_after_a_quotation(text, speaker):
    assert [q[3] for q in _quotes(text)] == ["Die Regierung", speaker]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Vergangene Woche warnte die Behörde, die Lage sei ernst.", "die Behörde"),  # the time phrase is no subject
        ("Ende Mai verkündete der Premier: „Wir öffnen die Schulen wieder.“", "der Premier"),
        ("Laut Lagebericht vom Montag sei die Lage ruhig.", "Lagebericht vom Montag"),  # a source with its date
    ],
)
def test_a_time_phrase_is_no_speaker(text, speaker):
    assert [q[3] for q in _quotes(text)] == [speaker]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a quoted name glued to a word by a hyphen is part of that word: no quotation, but part of a speaker
        ("Kulturpreis mit Brandl: „Tatort“-Star gewinnt", []),
        ("Der „Tatort“-Kommissar sagte: „Wir ermitteln weiter.“",
         [("direct", "Wir ermitteln weiter.", "sagte", "Der „Tatort“-Kommissar", None)]),
        ("„Hobbit“-Star Martin Freeman sagte: „Das ist gut.“",
         [("direct", "Das ist gut.", "sagte", "„Hobbit“-Star Martin Freeman", None)]),
        # "zu" before a common noun opens the topic, even after a first name
        ("Sternekoch Hermann zu Gericht seines Sohnes: „total lecker“",
         [("direct", "total lecker", None, "Sternekoch Hermann", None)]),
        # a preposition in a headline's label is no verb, so the noun after it is no speaker
        ("Das Finale im Live-Ticker: „Der Favorit wackelt“", [("direct", "Der Favorit wackelt", None, None, None)]),
        ("„Tatort“ mit Gruselfaktor: „Das jüngste Geißlein“", [("direct", "Das jüngste Geißlein", None, None, None)]),
    ],
)
def test_quoted_names_in_compounds_and_labels_of_headlines(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # the medium told, after the verb and its speaker, is no quotation and leaves the reported speech whole
        ("„Wir öffnen bald“, sagte Brandl der „Rheinischen Post“.", [("direct", "Wir öffnen bald", "sagte", "Brandl", None)]),
        ("Brandl sagte dem „Spiegel“, sie sei skeptisch.", [("indirect", "sie sei skeptisch", "sagte", "Brandl", None)]),
        # a term after a preposition or a common noun stays the words of the one who used it
        ("Die Ministerin warnte vor dem „Notstand“.", [("direct", "Notstand", "warnte", "Die Ministerin", None)]),
        ("Die Gruppe forderte ein Ende der „Kleinstaaterei“.", [("direct", "Kleinstaaterei", "forderte", "Die Gruppe", None)]),
    ],
)
def test_a_medium_named_in_marks_after_the_verb_is_no_quotation(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected, label",
    [
        ("Nach Angaben einer Sprecherin sei die Lage ruhig.",
         [("reported", "sei die Lage ruhig", "Nach Angaben", "Angaben einer Sprecherin", None)], "Sprecherin"),
        ("Der Professor einer süddeutschen Universität twitterte: „Grüße aus dem Hotspot.“",
         [("direct", "Grüße aus dem Hotspot.", "twitterte", "Der Professor einer süddeutschen Universität", None)],
         "Professor einer süddeutschen Universität"),
    ],
)
def test_an_attribute_with_an_indefinite_article_belongs_to_the_speaker(text, expected, label):
    assert _quotes(text) == expected
    assert speaker_labels(find_quotes(pd.DataFrame({"doc_id": [1], "text": [text]}))).tolist() == [label]


@pytest.mark.parametrize(
    "text, expected, label",
    [
        ("Nach Angaben mehrerer Medien sei er zurückgetreten.",
         [("reported", "sei er zurückgetreten", "Nach Angaben", "Angaben mehrerer Medien", None)], "mehrerer Medien"),
        ("Laut Aussagen zahlreicher Zeugen war der Wagen zu schnell.",
         [("reported", "war der Wagen zu schnell", "Laut", "Aussagen zahlreicher Zeugen", None)], "zahlreicher Zeugen"),
        ("Nach Angaben seiner Sprecherin ist sie krank.",
         [("reported", "ist sie krank", "Nach Angaben", "Angaben seiner Sprecherin", None)], "Sprecherin"),
        # after a name such a word is the one told, as "der" is: "sagte Spahn der Zeitung"
        ("Er sei müde, sagte Spahn seiner Partei.", [("indirect", "Er sei müde", "sagte", "Spahn", None)], "Spahn"),
        # after a noun that is no utterance, the one told: "sagte die Polizei unserer Zeitung"
        ("Der Täter sei gefasst, sagte die Polizei unserer Zeitung.",
         [("indirect", "Der Täter sei gefasst", "sagte", "die Polizei", None)], "Polizei"),
        # a noun in its base form after the adjective is a nominative: a headline's subject
        ("Laut Polizei schwerer Unfall auf der A8.",
         [("reported", "schwerer Unfall auf der A8", "Laut", "Polizei", None)], "Polizei"),
        # "aber", "immer", "wieder" end in -er but open no genitive
        ("Nach Angaben der Polizei wieder Unfälle auf der A8.",
         [("reported", "wieder Unfälle auf der A8", "Nach Angaben", "Angaben der Polizei", None)], "Polizei"),
    ],
)
def test_a_genitive_without_an_article_belongs_to_the_source(text, expected, label):
    assert _quotes(text) == expected
    assert speaker_labels(find_quotes(pd.DataFrame({"doc_id": [1], "text": [text]}))).tolist() == [label]


def test_a_determiner_ends_a_genitive_attribute():
    # a scraped text lost its full stop: the next sentence's subject is no part of the genitive
    text = "Ein Aktivist habe sich an die Tür geklebt, sagte eine Sprecherin der Aktivistengruppe Ein Sprecher der Polizei sagte"
    assert [q[3] for q in _quotes(text)] == ["eine Sprecherin der Aktivistengruppe"]


@pytest.mark.parametrize("opening, speaker", [("Lesen Sie jetzt", None), ("Frank Biermann schreibt", "Frank Biermann")])
def test_a_verb_before_the_polite_pronoun_is_no_speaker(opening, speaker):
    # a quotation after a paragraph break takes the subject of the sentence before: a reader addressed is none
    text = f"Die Lage ist ernst. {opening} im Heft: Was der Staat verschweigt.\n\n„Die Bevölkerung möchte das.“"
    assert [q[3] for q in _quotes(text) if q[0] == "direct"] == [speaker]


@pytest.mark.parametrize(
    "text, entity",
    [
        ("Bayerns Ministerpräsident sagte: „Wir prüfen das.“", None),  # the state owns the office, it does not speak
        ("Trumps Sprecherin sagte: „Wir prüfen das.“", None),
        ("Laut Trumps Plan sollen die Zölle steigen.", "trump"),  # what he owns is his: he is the source
        ("Der Präsident Trump sagte: „Wir prüfen das.“", "trump"),
    ],
)
def test_a_name_in_the_genitive_before_a_speaker_is_not_the_entity_quoted(text, entity):
    assert [q[4] for q in _quotes(text)] == [entity]


@pytest.mark.parametrize(
    "text, expected",
    [
        # knowing is no saying: "wissen" is no cue, though its Konjunktiv still marks reported speech
        ("Der Experte weiß, wie man gut schläft.", []),
        ("Brandl sagte, er wisse es nicht.", [("indirect", "er wisse es nicht", "sagte", "Brandl", None)]),
    ],
)
def test_what_someone_knows_is_no_quotation(text, expected):
    assert _quotes(text) == expected


def test_speaker_labels_keep_the_marks_of_a_quoted_name_inside_a_word():
    quotes = find_quotes(pd.DataFrame({"doc_id": [1, 2], "text": [
        "Der „Tatort“-Kommissar sagte: „Wir ermitteln weiter.“", "Die „Zeit“ berichtet, es sei spät."]}))
    assert speaker_labels(quotes).tolist() == ["„Tatort“-Kommissar", "Zeit"]


def test_the_irregular_forms_of_a_separable_verb_are_given_without_its_particle():
    raw = yaml.safe_load((PROJECT_ROOT / "src" / "analysis" / "data" / "quote_lexicon.yaml").read_text(encoding="utf-8"))
    for entry in raw["verbs"]:
        if isinstance(entry, dict):
            (verb, forms), = entry.items()
            particle, _, _ = verb.rpartition("|")
            assert not particle or not any(form.startswith(particle) for form in forms.split()), verb


def test_zu_after_a_first_name_belongs_to_the_name():
    text = "Karl-Theodor zu Lindenberg sagte: „Ich trete zurück.“"
    assert [q[3] for q in _quotes(text)] == ["Karl-Theodor zu Lindenberg"]


def test_a_gender_colon_is_no_label():
    text = "Die Konferenz der Minister:innen tagte. Kulturministerin Brandl zur Konferenz der Minister:innen: „Wir brauchen Geld.“"
    assert [q[3] for q in _quotes(text)] == ["Kulturministerin Brandl"]


# -- bad input ---------------------------------------------------------------------------


def test_speaker_labels_name_the_source_behind_an_utterance_noun():
    quotes = find_quotes(pd.DataFrame({"doc_id": [1, 2, 3, 4], "text": [
        "Laut Angaben der Polizei wurden drei Menschen verletzt.",
        "Nach eigenen Angaben hat die Firma zehn Millionen Euro investiert.",
        "Der Sprecher des Ministeriums sagte, man warte ab.",
        "Präsident Tokajew kam. Er sagte, das Land sei bereit.",
    ]}))
    assert quotes["speaker"].tolist() == ["Angaben der Polizei", "Angaben", "Der Sprecher des Ministeriums", "Er"]
    labels = [None if pd.isna(label) else label for label in speaker_labels(quotes)]
    assert labels == ["Polizei", None, "Sprecher des Ministeriums", "Kassym-Schomart Tokajew"]


def test_speaker_labels_leave_out_a_possessive_phrase_the_table_does_not_resolve():
    text = "Der Minister war verreist. Sein Büro teilte mit, er komme am Montag zurück."
    quotes = find_quotes(pd.DataFrame({"doc_id": [1], "text": [text]}))
    assert quotes["speaker"].tolist() == ["Sein Büro"]
    assert speaker_labels(quotes).isna().tolist() == [True]


def test_speaker_labels_name_a_person_without_the_role_and_fold_a_surname_into_the_full_name():
    texts = ["Gesundheitsminister Jens Spahn sagte, die Lage sei ernst. „Wir müssen handeln“, sagte Spahn.",
             "„Das reicht nicht“, sagte Spahn am Montag.",  # no first name in the article: the corpus's one
             "Peter Schmitt ist Bürgermeister. „Wir bauen“, sagte Schmitt.",  # its own first name, not Carl
             "Der Jurist Carl Schmitt sagte, das Recht gelte.",
             "Die Moderatorin Tanja Klein sagte, sie sei müde.",
             "„Das stimmt so leider nicht“, sagte Klein.",  # "klein" is a word: not folded across articles
             "Sprecher Spahns erklärten, man prüfe das.",  # a genitive: Spahn's spokesmen
             "Eine Professorin der Hochschule Rhein-Main sagte, das sei falsch."]  # a role inside an attribute
    corpus = pd.DataFrame({"doc_id": range(1, 9), "text": texts})
    quotes = find_quotes(corpus)
    assert quotes["speaker"].tolist() == [
        "Gesundheitsminister Jens Spahn", "Spahn", "Spahn", "Schmitt", "Der Jurist Carl Schmitt",
        "Die Moderatorin Tanja Klein", "Klein", "Sprecher Spahns", "Eine Professorin der Hochschule Rhein-Main"]
    assert speaker_labels(quotes, corpus=corpus).tolist() == [
        "Jens Spahn", "Jens Spahn", "Jens Spahn", "Peter Schmitt", "Carl Schmitt", "Tanja Klein", "Klein",
        "Sprecher Spahns", "Professorin der Hochschule Rhein-Main"]
    # without the texts only the same article's speakers give a surname its full name
    assert speaker_labels(quotes).tolist()[:4] == ["Jens Spahn", "Jens Spahn", "Spahn", "Schmitt"]


def test_a_surname_that_names_an_entity_of_the_table_is_not_folded():
    names = ["Anna Tokajew", "Tokajew", "Jens Spahn", "Spahn"]
    texts = {1: "Die Sängerin Anna Tokajew sagte …", 2: "Tokajew erklärte …", 3: "Jens Spahn sagte …", 4: "Spahn sagte …"}
    first_names = frozenset(["Anna", "Jens"])
    lex = default_lexicon()
    assert _fold_surnames(names, [1, 2, 3, 4], frozenset(["Tokajew"]), first_names, texts, lex) == [
        "Anna Tokajew", "Tokajew", "Jens Spahn", "Jens Spahn"]
    assert _fold_surnames(names, [1, 2, 3, 4], frozenset(), first_names, texts, lex)[1] == "Anna Tokajew"


def test_a_surname_keeps_its_own_first_name_where_the_text_is_missing_or_ambiguous():
    texts = ["Gesundheitsminister Jens Spahn sagte, die Lage sei ernst.",
             "Anna Spahn ist Ärztin. „Wir helfen, wo wir können“, sagte Spahn.",
             "Jens Schubert und Katina Schubert leiten den Verein. „Wir bleiben hier“, sagte Schubert."]
    corpus = pd.DataFrame({"doc_id": [1, 2, 3], "text": texts})
    quotes = find_quotes(corpus)
    assert quotes["speaker"].tolist() == ["Gesundheitsminister Jens Spahn", "Spahn", "Schubert"]
    assert speaker_labels(quotes, corpus=corpus).tolist() == ["Jens Spahn", "Anna Spahn", "Schubert"]
    # an article missing from the corpus (or without a text) takes no full name from elsewhere
    assert speaker_labels(quotes, corpus=corpus.iloc[[0]]).tolist()[1] == "Spahn"
    assert speaker_labels(quotes, corpus=corpus.assign(text=[texts[0], None, texts[2]])).tolist()[1] == "Spahn"
    with pytest.raises(ValueError, match="none of the quotations' doc_id"):
        speaker_labels(quotes, corpus=corpus.assign(doc_id=corpus["doc_id"].astype(str)))
    with pytest.raises(ValueError, match="missing columns"):
        speaker_labels(quotes, corpus=corpus.rename(columns={"text": "body"}))


def test_a_common_surname_is_not_folded_across_articles():
    names = ["Meike Schreiber", "Schreiber"]
    texts = {1: "Die Reporterin Meike Schreiber sagte …", 2: "Der SPD-Innenpolitiker Schreiber sagte …"}
    assert _fold_surnames(names, [1, 2], frozenset(), frozenset(["Meike"]), texts, default_lexicon()) == names


@pytest.mark.parametrize("text, expected", [
    ("Laut Ministerin Schubert steigt die Zahl. Dr. Schubert sagte das.", (set(), False)),  # a role and a title
    ("Jens Schubert kam, Katina Schubert nicht.", ({"Jens"}, True)),  # "Katina": no role, no word of the dictionary
    ("Das schrieb F. Schubert. Schubert ging.", (set(), True)),  # an initial
    ("Das schrieb CJ Schubert.", (set(), True)),
    ("Verbote für Benzin-Autos Schubert zufolge.", (set(), False)),  # a compound whose last part the dictionary knows
])
def test_the_words_before_a_surname_that_are_or_may_be_first_names(text, expected):
    assert _first_names_before(text, "Schubert", frozenset(["Jens"]), default_lexicon()) == expected


def test_empty_and_missing_texts_give_no_quotations():
    corpus = pd.DataFrame({"doc_id": [1, 2, 3], "text": ["", None, "   \n  "]})
    found = find_quotes(corpus)
    assert list(found.columns) == QUOTE_COLUMNS
    assert found.empty


_PIECES = ["Tokajew", "sagte", "erklärte", "teilte", "mit", "laut", "zufolge", "nach", "Angaben", "so", "der", "die",
           "Sprecher", "Er", "sei", "dass", "wie", "Unter", "dem", "Motto", "Relativierend", "fügt", "hinzu", "heißt",
           "es", "in", "space.com", "7.500", "„", "“", "»", "«", "‚", "‘", '"', "’", ",", ".", ":", ";", "?", "!", "(", ")",
           "-", "–", "\n", "\n\n", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map(" ".join))
def test_any_text_gives_quotations_whose_offsets_hold_and_skips_no_article(text):
    _article_quotes(text, [], default_lexicon())  # the rules raise nothing that would leave an article unsearched
    found = find_quotes(pd.DataFrame({"doc_id": [1], "text": [text]}))
    _check_offsets(text, found)
    assert all(0 <= start <= end <= len(text) for start, end in zip(found["start"], found["end"]))


def test_lexicon_hits_are_whole_words_after_any_character():
    text = "sagte er; »Laut Polizei-Angaben« [sagte] …zufolge/nach sagtest Sagten sagte_x 3sagte"
    starts, words = _word_hits(text, default_lexicon())
    assert words == ["sagte", "Laut", "Angaben", "sagte", "zufolge", "nach"]
    assert [text[s:s + len(w)] for s, w in zip(starts, words)] == words
    assert starts == [0, 11, 24, 34, 42, 50]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["/", "[", "…", "_", "x", "3", "ge", "Polizei-"]), max_size=40).map("".join))
def test_lexicon_hits_are_every_whole_lexicon_word(text):
    lex = default_lexicon()
    whole = [(m.start(), m.group()) for m in re.finditer(r"\w+", text) if m.group() in lex.words]
    assert list(zip(*_word_hits(text, lex))) == whole


@pytest.mark.parametrize("text, speaker", [
    ("„Wir müssen jetzt handeln“, sagte Spahn der Rheinischen Post.", "Spahn"),  # the medium told
    ("„Wir müssen jetzt handeln“, sagte Merkel der Zeitung.", "Merkel"),  # a person of the table
    ("„Wir müssen jetzt handeln“, sagte der Sprecher der Polizei.", "der Sprecher der Polizei"),
    ("Laut Musterhygieneplan der Senatsbildungsverwaltung bleiben die Schulen offen.",
     "Musterhygieneplan der Senatsbildungsverwaltung"),  # no verb before it: a source with its genitive
])
def test_a_name_after_a_verb_takes_no_genitive_the_medium_told_is_no_part_of_it(text, speaker):
    assert [q[3] for q in _quotes(text)] == [speaker]


def test_a_medium_named_in_marks_after_a_noun_for_media_is_no_quotation():
    assert _quotes("„Das geht nicht“, sagte Fauci der Nachrichtenseite „Daily Beast“.") == [
        ("direct", "Das geht nicht", "sagte", "Fauci", None)]
    assert _quotes("Die Lage sei ernst, berichtete die Nachrichtenagentur „Reuters“.") == [
        ("indirect", "Die Lage sei ernst", "berichtete", "die Nachrichtenagentur „Reuters“", None)]


def test_a_field_opened_by_gegenueber_names_the_one_told_not_the_speaker():
    text = "Die Regeln wurden verschärft. Gegenüber der Rheinischen Post äußerte Mertens:\n\n„Das ist ein guter Impfstoff.“"
    assert _quotes(text) == [("direct", "Das ist ein guter Impfstoff.", None, "Mertens", None)]


def test_inch_sign_is_no_quotation_mark():
    assert _quotes('Der Bildschirm misst 12" und kostet 300 Euro. Tokajew sagte, der Preis sei hoch.') == [
        ("indirect", "der Preis sei hoch", "sagte", "Tokajew", "tokayev")]


def test_unclosed_quotation_ends_with_its_paragraph():
    text = "Tokajew sagte: „Wir sind bereit, mit allen zu reden.\n\nDie Börse in Almaty schloss fester."
    assert _quotes(text) == [("direct", "Wir sind bereit, mit allen zu reden.", "sagte", "Tokajew", "tokayev")]


def test_quotation_running_to_the_end_of_the_article():
    text = "Der Minister sagte: „Wir sind bereit, mit allen Nachbarn zu reden"
    assert _quotes(text) == [("direct", "Wir sind bereit, mit allen Nachbarn zu reden", "sagte", "Der Minister", None)]


def test_nested_quotation_stays_inside_the_outer_one():
    assert _quotes("Tokajew sagte: „Mein Vater sagte immer ‚Geduld‘ und hatte recht.“") == [
        ("direct", "Mein Vater sagte immer ‚Geduld‘ und hatte recht.", "sagte", "Tokajew", "tokayev")]


def test_stray_closing_mark_is_ignored():
    text = "Die Lage ist ruhig“, meldete die Agentur. Trump sagte, der Deal sei fertig."
    assert _quotes(text) == [
        ("indirect", "Die Lage ist ruhig", "meldete", "die Agentur", None),
        ("indirect", "der Deal sei fertig", "sagte", "Trump", "trump"),
    ]


def test_quoted_name_is_no_quotation():
    assert _quotes("Die Firma „con energy“ investiert in Elektroautos.") == []


def test_reopened_quotation_in_the_next_paragraph_closes_the_first_at_its_paragraph():
    text = "Tokajew sagte: „Wir sind bereit, mit allen zu reden.\n\n„Wir warten auf Moskau“, sagte Mirsijojew."
    assert _quotes(text) == [
        ("direct", "Wir sind bereit, mit allen zu reden.", "sagte", "Tokajew", "tokayev"),
        ("direct", "Wir warten auf Moskau", "sagte", "Mirsijojew", "mirziyoyev"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a present participle opening the field is an adverb: the subject follows the verb
        ("Relativierend fügt Gall hinzu: „Allerdings darf das nicht sein.“",
         [("direct", "Allerdings darf das nicht sein.", "fügt", "Gall", None)]),
        # a phrase after a preposition is no subject: the one after the verb is
        ("Unter dem Motto „Freiheit statt Angst“ zogen die Demonstranten zur Paulskirche und skandierten Parolen "
         "wie „Stoppt den Überwachungswahn“.",
         [("direct", "Stoppt den Überwachungswahn", "skandierten", "die Demonstranten", None)]),
        ("Vor den versammelten Anhängern zeigte sich die Ministerin kämpferisch: „Wir geben nicht auf.“",
         [("direct", "Wir geben nicht auf.", None, "die Ministerin", None)]),
        ("In einem Interview mit dem Sender knüpfte er sein Amt an eine Bedingung: „Ohne Regierung kein Vorsitz.“",
         [("direct", "Ohne Regierung kein Vorsitz.", None, "er", None)]),
        # ... but where words are read, the phrase names their source
        ("Auf der Homepage des Festivals steht: „Wir planen für den Sommer.“",
         [("direct", "Wir planen für den Sommer.", None, "Homepage des Festivals", None)]),
        # a full stop inside a name or a number does not end the clause before a verb's particle
        ("„Das ist ein Durchbruch“, führte er gegenüber space.com aus.",
         [("direct", "Das ist ein Durchbruch", "führte", "er", None)]),
        ("Seit Monaten geben 18 Prozent der 7.500 Befragten an, dass ihr Einkommen gesunken sei.",
         [("indirect", "dass ihr Einkommen gesunken sei", "geben", None, None)]),
        # an adverb before an adjective belongs to the noun phrase
        ("„Das ist ein Fehler“, sagte der ebenfalls konservative Senator Marco Rubio.",
         [("direct", "Das ist ein Fehler", "sagte", "der ebenfalls konservative Senator Marco Rubio", "rubio")]),
        ("„Ich bitte um Rücknahme meiner Ernennung“, heißt es in einer gestern verbreiteten Erklärung.",
         [("direct", "Ich bitte um Rücknahme meiner Ernennung", "heißt", "einer gestern verbreiteten Erklärung", None)]),
        # a present participle made a noun names people: "die Forschenden", "ein Umstehender"
        ("Die Forschenden schreiben: „Die Ergebnisse sind wenig vielversprechend.“",
         [("direct", "Die Ergebnisse sind wenig vielversprechend.", "schreiben", "Die Forschenden", None)]),
        ("„Hört auf!“, ruft ein Umstehender.", [("direct", "Hört auf!", "ruft", "ein Umstehender", None)]),
    ],
    ids=["participle-adverb", "motto-before-verb", "participle-attribute", "interview-before-verb", "homepage-source",
         "name-with-full-stop", "number-with-full-stop", "adverb-in-phrase", "adverb-in-source", "participle-noun",
         "participle-noun-after-verb"],
)
def test_the_field_before_the_verb_and_the_subject_after_it(text, expected):
    assert _quotes(text) == expected


# -- the contract --------------------------------------------------------------------------


def test_partitions_give_the_same_rows_as_the_whole_corpus():
    texts = ["„Wir sind bereit“, sagte Tokajew.", "Laut Trump steigen die Zölle.", "",
             "Der Sprecher erklärte, dass die Gespräche weitergehen."]
    corpus = pd.DataFrame({"doc_id": [10, 11, 12, 13], "text": texts, "source": ["a", "b", "a", "b"],
                           "name_mentions": ["x", "y", "z", "w"]})  # a column of the caller's, read by nobody
    whole = find_quotes(corpus)
    gazetteer = Gazetteer.default()
    parts = pd.concat([quotes_in_partition(corpus.iloc[:2], gazetteer), quotes_in_partition(corpus.iloc[2:], gazetteer)],
                      ignore_index=True)
    pd.testing.assert_frame_equal(parts, whole)
    assert whole["doc_id"].tolist() == [10, 11, 13]
    assert {c: str(t) for c, t in whole.dtypes.items() if c != "doc_id"} == QUOTE_META


def test_corpus_without_text_column_is_an_error():
    with pytest.raises(ValueError, match="text"):
        find_quotes(pd.DataFrame({"doc_id": [1], "body": ["„Ja“, sagte er."]}))


def test_mentions_given_by_the_caller_give_the_same_quotations():
    texts = ["„Wir sind bereit“, sagte Kassym-Schomart Tokajew am Montag. Er sei zuversichtlich.",
             "Laut Angela Merkel wird die Regel verlängert.",
             "Ohne Zitat."]
    corpus = pd.DataFrame({"doc_id": ["c", "a", "b"], "text": texts})
    mentions = find_mentions(corpus)
    given = find_quotes(corpus, mentions=mentions)
    assert given["speaker"].tolist() == ["Kassym-Schomart Tokajew", "Kassym-Schomart Tokajew", "Angela Merkel"]
    assert given["entity_id"].tolist() == ["tokayev", "tokayev", "merkel"]
    pd.testing.assert_frame_equal(given, find_quotes(corpus))


@pytest.mark.parametrize(
    "doc_ids, mentions, message",
    [
        (["a", "b"], pd.DataFrame({"doc_id": ["a"], "start": [0]}), "missing columns"),
        (["a", "b"], pd.DataFrame({"doc_id": ["z"], "start": [0], "end": [4], "entity_id": ["merkel"],
                                   "type": ["person"], "form": ["name"]}), "'z' is not among"),
        (["a", "a"], pd.DataFrame({"doc_id": ["a"], "start": [0], "end": [4], "entity_id": ["merkel"],
                                   "type": ["person"], "form": ["name"]}), "repeat"),
    ],
)
def test_mentions_that_do_not_fit_the_articles_are_an_error(doc_ids, mentions, message):
    corpus = pd.DataFrame({"doc_id": doc_ids, "text": ["„Ja“, sagte Merkel.", "Nein."]})
    with pytest.raises(ValueError, match=message):
        find_quotes(corpus, mentions=mentions)


# -- the benchmark's reading of SpkAtt -----------------------------------------------------


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("quote_quality", PROJECT_ROOT / "benchmarks" / "quote_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_naive_baseline_takes_the_nearest_capitalised_words(bench):
    text = "Tokajew sagte am Montag, Kasachstan sei bereit."
    (start, end, cue_start, cue_end, speaker_start, speaker_end), = bench.naive_quotes(text)
    assert (text[cue_start:cue_end], text[speaker_start:speaker_end], text[start:end]) == ("sagte", "Tokajew", text)


def test_changed_quotes_lists_other_speakers_and_quotations_found_by_one_version_only(bench):
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": [
        "Leute: Martina Brandl über Abstinenz: „Vor 50 Jahren war Schluss“",
        "„Wir sind bereit“, sagte Tokajew. Laut Polizei blieb es ruhig."]})
    after = find_quotes(corpus)
    before = after.copy()
    before.loc[0, ["speaker", "speaker_start", "speaker_end"]] = ["Abstinenz", 26, 35]
    before = before.drop(index=2)  # "Laut Polizei": found after the change only
    changes = bench.changed_quotes(before, after)
    assert changes[["doc_id", "change", "speaker_before", "speaker_after"]].fillna("–").values.tolist() == [
        ["a", "changed", "Abstinenz", "Martina Brandl"], ["b", "new", "–", "Polizei"]]


@pytest.mark.skipif(not SPKATT.is_dir(), reason="SpkAtt-2023 is not in ../shared")
def test_spkatt_texts_keep_every_token_at_its_offsets(bench):
    for path in sorted((SPKATT / "train").glob("*.json"))[:25]:
        text, offsets, gold = bench.read_article(path)
        data = __import__("json").loads(Path(path).read_text(encoding="utf-8"))
        for sentence in data["Sentences"]:
            for t, token in enumerate(sentence["Tokens"]):
                start, end = offsets[(int(sentence["SentenceId"]), t)]
                assert text[start:end] == token
        assert all(not a["IsNested"] for a in gold)


# -- the chart of notebook 05 ----------------------------------------------------------------


def test_stacked_shares_draws_each_row_as_one_full_bar():
    from analysis.plots import stacked_shares

    shares = pd.DataFrame({"direkt": [0.6, 0.25], "indirekt": [0.4, 0.5], "berichtet": [0.0, 0.25]},
                          index=["taz (n=3)", "Süddeutsche (n=4)"])
    ax = stacked_shares(shares, title="Zitatformen je Quelle", xlabel="Anteil der Zitate")
    widths = [round(patch.get_width(), 2) for patch in ax.patches]
    assert widths == [0.6, 0.25, 0.4, 0.5, 0.0, 0.25]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["taz (n=3)", "Süddeutsche (n=4)"]
    assert sorted(t.get_text() for t in ax.texts) == ["25 %", "25 %", "40 %", "50 %", "60 %"]


def test_stacked_shares_rejects_shares_above_one():
    from analysis.plots import stacked_shares

    with pytest.raises(ValueError, match="between 0 and 1"):
        stacked_shares(pd.DataFrame({"direkt": [1.5]}, index=["taz"]))


@pytest.mark.parametrize(
    "text, expected",
    [
        # a surname the article introduced with a first name speaks, though it is also a German word
        ("Der Abgeordnete Reinhold Gall kritisiert den Entwurf. Gall schreibt: „Die Trefferquote liegt bei 0,03 Prozent.“",
         [("direct", "Die Trefferquote liegt bei 0,03 Prozent.", "schreibt", "Gall", None)]),
        # the noun phrase that fills the field before a colon alone
        ("Viele gratulierten Obama, etwa der Präsident Frankreichs und der norwegische Ministerpräsident Jens Stoltenberg: „Der Preis kommt nicht zu früh.“",
         [("direct", "Der Preis kommt nicht zu früh.", None, "der norwegische Ministerpräsident Jens Stoltenberg", None)]),
        # a verb outside the lexicon in second place after the quotation, its subject after it
        ("„Wir brauchen gegen Deutschland nur noch ein Unentschieden“, zeigte sich Milovan Rajevac nach dem Spiel zufrieden.",
         [("direct", "Wir brauchen gegen Deutschland nur noch ein Unentschieden", "zeigte", "Milovan Rajevac", None)]),
        # the subject right after the verb of the sentence that a colon closes
        ("Den Unmut über die Äußerungen brachte die Sprecherin der Fraktion zum Ausdruck: „Es gibt keinen Grund zur Eile.“",
         [("direct", "Es gibt keinen Grund zur Eile.", None, "die Sprecherin der Fraktion", None)]),
    ],
    ids=["introduced-surname", "colon-phrase", "verb-after-quote", "colon-subject-after-verb"],
)
def test_speakers_of_direct_quotations_beyond_the_lexicon(text, expected):
    assert _quotes(text) == expected


def test_a_word_is_no_surname_without_a_first_name_before_it():
    text = "Gall schreibt: „Die Trefferquote liegt bei 0,03 Prozent.“"
    assert _quotes(text) == [("direct", "Die Trefferquote liegt bei 0,03 Prozent.", "schreibt", None, None)]


def test_a_word_after_an_article_and_a_capitalised_word_is_no_surname():
    text = ("Die Kinder spielen im Münchner Garten. Die Führung beginnt am Tor. "
            "Garten erklärt dazu: „Das wird ein schöner Tag für alle Familien.“")
    assert _quotes(text) == [("direct", "Das wird ein schöner Tag für alle Familien.", "erklärt", None, None)]


def test_a_capitalised_function_word_after_a_colon_is_no_speaker():
    text = ("ZEIT ONLINE: Was sagt das über Joe Biden?\n\n"
            "Osnos: Dass er ziemlich unverblümt darüber spricht, wie hoch der Einsatz gerade ist.")
    assert _quotes(text) == [("indirect", "wie hoch der Einsatz gerade ist", "spricht", None, None)]


@pytest.fixture
def outlet_quotes():
    """Quotations of three articles of two outlets, with outlet and speaker label, as notebook 05 has them."""
    corpus = pd.DataFrame({
        "doc_id": ["a1", "a2", "a3"], "source": ["Süddeutsche", "taz", "Süddeutsche"],
        "text": ["„Wir sind bereit“, sagte Tokajew. Laut Polizei blieb es in Almaty ruhig.",
                 "Tokajew sagte, Kasachstan sei bereit. „Das ist gut für Kasachstan“, sagte Trump.",
                 "„Wir verhandeln weiter über die Zölle mit Kasachstan“, sagte Trump."],
    })
    quotes = find_quotes(corpus)
    quotes["source"] = quotes["doc_id"].map(dict(zip(corpus["doc_id"], corpus["source"])))
    quotes["speaker_label"] = speaker_labels(quotes)
    return quotes


def test_count_speakers_counts_quotations_and_articles(outlet_quotes):
    counts = count_speakers(outlet_quotes)
    assert counts.index.tolist() == ["Donald Trump", "Kassym-Schomart Tokajew", "Polizei"]
    assert counts.to_dict("list") == {"quotes": [2, 2, 1], "articles": [2, 2, 1]}


def test_quote_crosstab_keeps_columns_and_counts_all_of_a_row(outlet_quotes):
    per_outlet = quote_crosstab(outlet_quotes, "source", "speaker_label", keep=["Donald Trump", "Angela Merkel"])
    assert per_outlet.index.tolist() == ["Süddeutsche", "taz"]
    assert per_outlet.to_dict("list") == {"Donald Trump": [1, 1], "Angela Merkel": [0, 0], "n_quotes": [3, 2]}
    forms = quote_crosstab(outlet_quotes, "source", "form", keep=["direct", "indirect", "reported"], min_quotes=3)
    assert forms.to_dict("index") == {"Süddeutsche": {"direct": 2, "indirect": 0, "reported": 1, "n_quotes": 3}}


def test_quote_crosstab_of_speakers_and_entities_sorted_by_total(outlet_quotes):
    about = mentions_in_quotes(outlet_quotes).dropna(subset=["speaker_entity"])
    who_whom = quote_crosstab(about, "speaker_entity", "entity", by_total=True)
    assert who_whom.to_dict("index") == {"trump": {"Kasachstan": 2, "n_quotes": 2},
                                         "tokayev": {"Kasachstan": 1, "n_quotes": 1}}


def test_quote_crosstab_names_a_missing_column(outlet_quotes):
    with pytest.raises(ValueError, match="no column 'Medium'"):
        quote_crosstab(outlet_quotes, "Medium", "form")


def test_outlet_quote_labels_name_articles_and_quotations(outlet_quotes):
    n_quotes = quote_crosstab(outlet_quotes, "source", "form")["n_quotes"]
    n_articles = pd.Series({"Süddeutsche": 2, "taz": 25})
    assert outlet_quote_labels(n_quotes, n_articles) == [
        "Süddeutsche (2 Artikel, 3 Zitate, nur beschreibend)", "taz (25 Artikel, 2 Zitate)"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a demonstrative article opens a subject: "Das Auswärtige Amt", not "Das sagte er"
        ("Im Jahr 2002 starben 90 Menschen. Das Auswärtige Amt empfiehlt allen Reisenden einen „konsequenten Mückenschutz“.",
         [("direct", "konsequenten Mückenschutz", "empfiehlt", "Das Auswärtige Amt", None)]),
        # a relative pronoun speaks for the noun phrase before its comma; the speaker spans both
        ("Am Nachmittag versammelten sich Tausende von Demonstranten, die skandierten: „Gebt uns unsere Stimmen zurück!“",
         [("direct", "Gebt uns unsere Stimmen zurück!", "skandierten", "Tausende von Demonstranten, die", None)]),
        # the particle of a separable cue after the closing mark
        ("Die Justizministerin Beate Merk wies den Vorwurf als „Unverschämtheit“ zurück.",
         [("direct", "Unverschämtheit", "wies", "Die Justizministerin Beate Merk", None)]),
        # a participle after the closing mark, its auxiliary before the quotation
        ("Die Bundesregierung hatte den Bericht umgehend als „falsch“ zurückgewiesen.",
         [("direct", "falsch", "zurückgewiesen", "Die Bundesregierung", None)]),
        # the passive names its speaker after "von"
        ("Seine Werke werden von Musikkennern als „Meilensteine der Musikgeschichte“ bezeichnet.",
         [("direct", "Meilensteine der Musikgeschichte", "bezeichnet", "Musikkennern", None)]),
        # a finite verb that ends a relative clause after the closing mark
        ("Der oberste Führer der Partei, der die Wahl zunächst als „Fest“ bezeichnete, ordnete eine Prüfung an.",
         [("direct", "Fest", "bezeichnete", "Der oberste Führer der Partei, der", None)]),
        # ... or a clause after a conjunction, the verb before its auxiliary
        ("Der Bericht ist brisant, weil die Regierung das Land als „junge couragierte Demokratie“ bezeichnet hat.",
         [("direct", "junge couragierte Demokratie", "bezeichnet", "die Regierung", None)]),
        # subject and apposition (with a party in brackets) before the comma, the phrase after the verb an object
        ("Der frühere Bürgermeister, Henning Scherf (SPD), warnte die Sozialdemokraten vor einem „populistischen Wahlkampf“.",
         [("direct", "populistischen Wahlkampf", "warnte", "Der frühere Bürgermeister, Henning Scherf (SPD)", "spd")]),
        # "zitierte man X": the one quoted speaks
        ("„Wir sind unwillkommene Zeugen“, zitierte man Yolanda Alvarez vom Sender RTVE.",
         [("direct", "Wir sind unwillkommene Zeugen", "zitierte", "Yolanda Alvarez vom Sender RTVE", None)]),
        # the field before a second quotation's verb starts after the first quotation
        (("Die Menge skandierte „Thaksin raus!“ und der Unternehmer Sondhi Limthongkul rief vor den Demonstranten aus: "
          "„Thaksin ist der schlechteste Regierungschef aller Zeiten!“"),
         [("direct", "Thaksin raus!", "skandierte", None, None),
          ("direct", "Thaksin ist der schlechteste Regierungschef aller Zeiten!", "rief",
           "der Unternehmer Sondhi Limthongkul", None)]),
    ],
    ids=["demonstrative-subject", "relative-pronoun", "particle-after-quote", "participle-after-quote",
         "passive-agent", "relative-verb-final", "conjunction-verb-final", "apposition-object-after-verb",
         "zitierte-man", "field-after-last-quote"],
)
def test_speakers_named_around_a_quotation(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Die Rauchschwaden, die als „nebelartig“ beschrieben wurden, ziehen langsam ab.",  # passive, nobody speaks
        "Griechische Ermittler hatten ihre Erkenntnisse der Zeitung „Herald Tribune“ mitgeteilt.",  # a name after its noun
        "Der Ort, der früher „Southwest Regional Spaceport“ hieß, liegt in der Wüste.",  # a name given
    ],
    ids=["passive-without-agent", "name-after-noun", "name-given"],
)
def test_a_verb_after_a_quoted_name_makes_no_direct_quotation(text):
    assert [q for q in _quotes(text) if q[0] == "direct"] == []


def test_speaker_labels_name_the_antecedent_of_a_relative_pronoun():
    quotes = pd.DataFrame({"speaker": ["Tausende von Demonstranten, die", "Die Rauchschwaden"], "entity_id": [pd.NA, pd.NA]})
    assert speaker_labels(quotes).tolist() == ["Tausende von Demonstranten", "Rauchschwaden"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a relative pronoun after a phrase that ends a prepositional phrase: its antecedent is unclear, no speaker
        ("Der Minister traf Ärzte aus Afrika, die riefen: „Wir brauchen endlich mehr Impfstoff!“",
         [("direct", "Wir brauchen endlich mehr Impfstoff!", "riefen", None, None)]),
        # without a cue a demonstrative opens no speaker: the sentence before names nobody who speaks
        ("Das Krabbelkind heult los. „Gib doch dem Kleinen auch etwas zum Spielen!“",
         [("direct", "Gib doch dem Kleinen auch etwas zum Spielen!", None, None, None)]),
        # reported speech in a relative clause: the pronoun speaks for its antecedent
        ("Die Regierung, die nur konstatiert, dass die neuen Schulden notwendig seien, sorgt sich nicht.",
         [("indirect", "dass die neuen Schulden notwendig seien, sorgt sich nicht", "konstatiert", "Die Regierung, die", None)]),
    ],
    ids=["antecedent-after-preposition", "demonstrative-without-cue", "relative-indirect"],
)
def test_speakers_of_relative_clauses_and_demonstratives(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a medium named in quotation marks is the subject, not a quotation: the reported speech keeps its cue
        ("Eine Studie wird vorbereitet, wie der „Spiegel“ berichtete.",
         [("reported", "Eine Studie wird vorbereitet, wie der „Spiegel“ berichtete", "berichtete", "der „Spiegel“", None)]),
        # a work named after "in": no quotation of its own
        ("Die Dichtung ist der Anfang der Wissenschaft, wie Hölderlin in seinem „Hyperion“ schreibt.",
         [("reported", "Die Dichtung ist der Anfang der Wissenschaft, wie Hölderlin in seinem „Hyperion“ schreibt",
           "schreibt", "Hölderlin", None)]),
        # the field before the verb names nobody: the subject after it speaks
        ("Das Schweigen, Verheimlichen, glaubt Sabine Ellwanger, „ist fatal. Weil man nicht gesehen wird.“",
         [("direct", "ist fatal. Weil man nicht gesehen wird.", "glaubt", "Sabine Ellwanger", None)]),
        # a verb joined by "und" keeps the subject from before an earlier quotation of the sentence
        (("Der Vorsitzende lobte die »Zusammenarbeit zwischen Regierungen und Unternehmen« bei den Impfstoffen der WHO "
          "und hoffte, dass solche Muster »eher zu einem Merkmal unserer Wirtschaft werden können«."),
         [("direct", "Zusammenarbeit zwischen Regierungen und Unternehmen", "lobte", "Der Vorsitzende", None),
          ("direct", "eher zu einem Merkmal unserer Wirtschaft werden können", "hoffte", "Der Vorsitzende", None)]),
    ],
    ids=["medium-as-subject", "work-after-in", "subject-after-verb", "coordinated-verb-across-quotation"],
)
def test_speakers_beside_names_in_quotation_marks(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (("Täglich kommen 2.000 Neuinfektionen hinzu. Für den brasilianischen Gesundheitsminister Jose Gomes Temporao "
          "ist die Lage in Rio de Janeiro „alarmierend“."),
         [("direct", "alarmierend", "ist", "den brasilianischen Gesundheitsminister Jose Gomes Temporao", None)]),
        ("Für Angela Merkel war das Treffen „ein großer Erfolg“.",
         [("direct", "ein großer Erfolg", "war", "Angela Merkel", "merkel")]),
        ("Für Deutschland ist die Lage „sehr ernst“.", []),  # an entity that is no person judges nothing
        ("Für die Wirtschaft ist die Lage „sehr ernst“.", []),  # no role, no person
    ],
    ids=["role", "person", "country", "no-role"],
)
def test_a_judgement_for_someone_names_its_speaker_after_fuer(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Konjunktiv: the judgement is reported by the one who speaks after the quotation
        ("Für viele Eltern sei es ein „emotionaler Rückschlag“, sagt der Landrat.",
         [("direct", "emotionaler Rückschlag", "sagt", "der Landrat", None)]),
        # a term inside the clause, not the judgement
        ("Für die Kanzlerin ist die Umsetzung des „Green Deals“ das wichtigste Ziel.", []),
    ],
    ids=["konjunktiv", "term-inside-the-clause"],
)
def test_no_judgement_for_someone_in_konjunktiv_or_inside_the_clause(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a medium or a work named after "im"/"in seinem …" is no quotation
        ("Ähnliches behauptet auch ein Artikel im englischen „Express“.", []),
        ("Möglicherweise spricht der Regisseur die Katastrophe in seinem neuesten Film „The Dead Don't Die“ an.", []),
        # ... but words in quotation marks after "im" that read as a statement are one
        ("Nach der Ankündigung der Ministerin soll die Phase im „Regelfall um vier Jahre verschoben“ werden.",
         [("direct", "Regelfall um vier Jahre verschoben", None, "Ankündigung der Ministerin", None)]),
        # "zitieren": the one quoted speaks, not the one who quotes
        (("Er schrieb einen Brief an die Regierung. Das Unternehmen zitierte die Antwort des Krankenhauses: "
          "„Wir haben kein Diagnose-Set und nehmen niemanden auf.“"),
         [("direct", "Wir haben kein Diagnose-Set und nehmen niemanden auf.", "zitierte", "die Antwort des Krankenhauses", None)]),
        ("Die Zeitung zitierte am Montag: „Wir schaffen das nicht allein.“",
         [("direct", "Wir schaffen das nicht allein.", "zitierte", "Die Zeitung", None)]),
    ],
    ids=["medium-after-im", "work-after-in-seinem", "statement-after-im", "zitierte-object", "zitierte-without-object"],
)
def test_names_of_media_and_works_and_the_one_quoted(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a short quoted term inside the clause does not end the field before the next quotation's verb
        (("Der Professor Ulrich Kortenkamp sagte als „nicht wissenschaftliche“ Erkenntnis, dass das ganze Spektrum "
          "vertreten sei: „Lehrkräfte, die überfordern und unterfordern, gibt es überall.“"),
         [("direct", "nicht wissenschaftliche", "sagte", "Der Professor Ulrich Kortenkamp", None),
          ("direct", "Lehrkräfte, die überfordern und unterfordern, gibt es überall.", None,
           "Der Professor Ulrich Kortenkamp", None)]),
        # a pronoun after the relative one is the subject; "man" names nobody
        ("Er traf die Reporter, die er zuvor als „Lügner“ bezeichnet hatte.",
         [("direct", "Lügner", "bezeichnet", "er", None)]),
        ("Es gibt höchstens eine Explosion gegen die Leute, die man früher noch „das Volk“ genannt hätte.", []),
    ],
    ids=["term-inside-the-field", "pronoun-after-relative", "man-after-relative"],
)
def test_fields_and_subjects_of_relative_clauses(text, expected):
    assert _quotes(text) == expected


def test_an_english_title_in_marks_is_no_quotation_but_a_german_phrase_or_a_term_is():
    title = "Tokajew bekräftigte die Unterstützung für die „Route for International Peace and Prosperity“ der USA."
    assert _quotes(title) == []
    phrase = "Der Forscher riet zu „Gelassenheit und Aufmerksamkeit“."
    assert _quotes(phrase) == [("direct", "Gelassenheit und Aufmerksamkeit", "riet", "Der Forscher", None)]
    term = "Premierminister Johnson sprach von „Hay-on-Wifi“."
    assert _quotes(term) == [("direct", "Hay-on-Wifi", "sprach", "Premierminister Johnson", "johnson")]


def test_a_speaker_before_zufolge_keeps_its_brackets_whole():
    text = "Die Zahl der Neuinfektionen liegt dem Robert Koch-Institut (RKI) zufolge bei 7.334."
    assert _quotes(text) == [("reported", "Die Zahl der Neuinfektionen liegt dem Robert Koch-Institut (RKI) zufolge bei 7.334",
                              "zufolge", "dem Robert Koch-Institut (RKI)", None)]
    office = "Im Mai sank die Produktion dem Zentralen Statistikamt (GUS) zufolge um zwei Prozent."
    assert [q[3] for q in _quotes(office)] == ["dem Zentralen Statistikamt (GUS)"]
    survey = "In Berlin wohnen einer Umfrage der ARD zufolge die meisten Singles."
    assert [q[3] for q in _quotes(survey)] == ["einer Umfrage der ARD"]
