"""Count who and what is mentioned how often, spelling variants included.

The German press writes the same person many ways (Tokayev, Tokajew, Toqaev), inflects
names (Tokajews, Kasachstans) and builds compounds (Trump-Regierung, G20-Gipfel). This
sub-package finds such mentions with an entity table (a :class:`Gazetteer`) in one pass over each
text, whatever the number of entities: an Aho-Corasick automaton finds every name form,
then Unicode-aware word boundaries, allowed endings and a leftmost-longest rule decide
which hits are mentions.

Main entry points: :func:`find_mentions` (one row per mention), :func:`count_mentions`
(a wide table of counts per article, outlet or period), :func:`kwic` (keyword in context),
:func:`unknown_names` and :func:`suggest_aliases` (help with names the table lacks), and
:func:`koelner_phonetik`.

Matching rules (the README's "Methodology and caveats" has them with examples):

* A mention is one occurrence of an entity; a full name ("Donald Trump") is one mention,
  not two: overlapping hits are resolved leftmost-longest.
* A name form must stand as a word of its own: the characters before and after it are not
  letters, digits, combining marks or "_" (any Unicode letter counts, ä ö ü ß included);
  an apostrophe between letters joins a word ("Xi'an" holds no "Xi").
  A hyphen is a boundary, so hyphen compounds count ("Trump-Regierung", "US-Präsident",
  "Miami-G20-Gipfel"), closed compounds do not ("Ölpreis" is not "Öl", "Trumpf" is not
  "Trump", "Uranus" is not "Uran").
* A name may be followed by a genitive "s" ("Trumps", "Kasachstans") or an apostrophe
  genitive ("Trump's", "Trump’s", "Paris'"); entities may allow more endings
  (``suffixes`` in the table).
* Adjective and demonym forms ("kasachische", "Kasachen") are found with
  ``form="adjective"`` and left out of counts unless ``include_adjectives=True``.
* Forms under ``ignore`` ("US-Dollar", "Washington Post") are found and dropped, so the
  name inside them does not count; nor does a name in a web or e-mail address or written
  in lower case right after a dot or a slash ("demo.berlin.de", "zeit.de/kasachstan").
* Short all-capital forms (up to five letters and no lower-case letter: US, EU, G20, C5+1)
  and the forms listed under ``case_sensitive`` must match exactly; everything else matches
  whether written as in the table, in lower case, capitalised, in capitals or title case,
  except that a person's name never matches in lower case ("kurz" is not Sebastian Kurz).
* Context tells homonyms apart: a form listed under ``units`` is not a mention right after a
  number ("5,5 Zoll"); a place or country inside the name of a club, race, medium or company
  ("Dynamo Kiew", "USA Today", "„Babylon Berlin“"; ``data/name_contexts.yaml``) is not the
  place; the place of a dateline or byline ("Berlin –") has the form ``"dateline"`` and is
  left out of counts unless ``include_datelines=True``; a person's one-word name that is also
  a German word ("Kurz") counts at a sentence start only after a longer name of the person.
* Texts are compared after folding Unicode variants (NFC/NFKC, soft hyphens and zero-width
  characters removed, typographic apostrophes and hyphens, no-break and other spaces);
  offsets always point into the text as given: ``text[start:end] == surface``.

Modules, in the order the work flows: :mod:`~analysis.mentions.folding` (Unicode folding
that keeps offsets), :mod:`~analysis.mentions.entities` (the entity table),
:mod:`~analysis.mentions.matching` (finding mentions), :mod:`~analysis.mentions.counts`
(counting them) and :mod:`~analysis.mentions.discovery` (names the table lacks).
"""
from analysis.mentions.counts import NORMALIZE_OPTIONS, co_occurrence, count_mentions, top_pairs
from analysis.mentions.discovery import koelner_phonetik, suggest_aliases, unknown_names
from analysis.mentions.entities import (
    ADJECTIVE_SUFFIXES,
    DEFAULT_ENTITIES_PATH,
    DEFAULT_EXTRA_PATHS,
    DEFAULT_NAME_SUFFIXES,
    ENTITY_TYPES,
    FORMS,
    NAME_CONTEXTS_PATH,
    TOPICS_ENTITIES_PATH,
    Entity,
    Gazetteer,
)
from analysis.mentions.matching import MENTION_COLUMNS, find_mentions, kwic

__all__ = [
    "ADJECTIVE_SUFFIXES",
    "DEFAULT_ENTITIES_PATH",
    "DEFAULT_EXTRA_PATHS",
    "DEFAULT_NAME_SUFFIXES",
    "ENTITY_TYPES",
    "FORMS",
    "MENTION_COLUMNS",
    "NAME_CONTEXTS_PATH",
    "NORMALIZE_OPTIONS",
    "TOPICS_ENTITIES_PATH",
    "Entity",
    "Gazetteer",
    "co_occurrence",
    "count_mentions",
    "find_mentions",
    "koelner_phonetik",
    "kwic",
    "suggest_aliases",
    "top_pairs",
    "unknown_names",
]
