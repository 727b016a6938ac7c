"""Count who and what is mentioned how often, spelling variants included.

The German press writes the same person many ways (Tokayev, Tokajew, Toqaev), inflects
names (Tokajews, Kasachstans) and builds compounds (Trump-Regierung, G20-Gipfel). This
module finds such mentions with an entity table (a :class:`Gazetteer`) in one pass over each
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
"""
from __future__ import annotations

import bisect
import csv
import io
import logging
import os
import re
import unicodedata
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import ahocorasick
import numpy as np
import pandas as pd

from analysis.engine import map_partitions
from analysis.paths import PACKAGE_DATA_DIR
from analysis.text import blank_links


__all__ = [
    "ENTITY_TYPES",
    "Entity",
    "Gazetteer",
    "find_mentions",
    "count_mentions",
    "kwic",
    "unknown_names",
    "suggest_aliases",
    "koelner_phonetik",
]

logger = logging.getLogger(__name__)

ENTITY_TYPES = ("person", "country", "organisation", "place", "event", "topic")
DEFAULT_ENTITIES_PATH = PACKAGE_DATA_DIR / "entities.yaml"
#: The rest of the default table: every sovereign state and capital (made by scripts/build_state_entities.py).
DEFAULT_EXTRA_PATHS = (PACKAGE_DATA_DIR / "states.yaml",)
#: Topic entities, opt-in: ``Gazetteer.from_file(TOPICS_ENTITIES_PATH)`` adds them to the default table.
TOPICS_ENTITIES_PATH = PACKAGE_DATA_DIR / "topics.yaml"
MENTION_COLUMNS = ["doc_id", "entity_id", "entity", "type", "surface", "start", "end", "form"]
NORMALIZE_OPTIONS = (None, "per_1000_words", "share_of_articles")

#: Endings allowed after a name form when an entity sets no ``suffixes`` of its own.
DEFAULT_NAME_SUFFIXES = ("s",)
#: Endings allowed after an adjective or demonym form ("kasachisch" + "e", "Kasache" + "n").
ADJECTIVE_SUFFIXES = ("innen", "in", "em", "en", "er", "es", "e", "n", "s")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
# The keys of an entry. ``units`` (not in the head of entities.yaml yet): name forms that are also units
# of measure ("Zoll", the inch); right after a number ("5,5 Zoll", "10-Zoll-Display") they are not a mention.
_ENTRY_KEYS = {"id", "name", "type", "aliases", "adjectives", "case_sensitive", "ignore", "units", "suffixes", "note"}

# ---------------------------------------------------------------------------------------
# Unicode folding. Same-length substitutions keep offsets; the rest goes to a slow path.
# ---------------------------------------------------------------------------------------

_SPACE_CHARS = "\n\r\t\v\f\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_HYPHEN_CHARS = "\u2010\u2011"
_APOSTROPHE_CHARS = "\u2019\u2018\u02bc\u00b4`\u2032"
_SAME_LENGTH = tuple((c, " ") for c in _SPACE_CHARS) + tuple((c, "-") for c in _HYPHEN_CHARS) + tuple(
    (c, "'") for c in _APOSTROPHE_CHARS
)
_SAME_LENGTH_TABLE = str.maketrans({a: b for a, b in _SAME_LENGTH})
# Characters removed outright: soft hyphen, zero-width space and joiners, direction marks, variation selectors, BOM.
_IGNORABLE = "\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f\ufeff"
# Characters whose presence sends a text to the slow path (length-changing folds).
_MARK_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_COMPAT_RANGES = "\ufb00-\ufb06\uff01-\uff5e\u2126\u212a\u212b\u0132\u0133\u013f\u0140\u01c4-\u01cc\u01f1-\u01f3"
# Characters outside the BMP (emoji, mathematical letters) are folded on the slow path too.
_ASTRAL_RANGE = "\U00010000-\U0010ffff"
_SPECIAL_RE = re.compile(f"[{_MARK_RANGES}]+|[{_IGNORABLE}{_COMPAT_RANGES}{_ASTRAL_RANGE}]")
_MARK_RE = re.compile(f"[{_MARK_RANGES}]")
# Every name form is looked for after a space, a hyphen or an apostrophe: all other characters
# that are not part of a word are folded to a space, in the texts and in the name forms alike
# (see _separator_re and Gazetteer._compile).
_KEY_PREFIXES = (" ", "-", "'")
# Endings after an apostrophe that belong to the name before it ("die Merkel'sche Politik").
_APOSTROPHE_ADJECTIVES = ("sche", "schen", "scher", "sches", "schem")
# Frequency of first letters after a space in German news (most frequent first); the automaton
# searches a node's children linearly, so inserting keys in this order makes the scan faster.
_FIRST_CHAR_ORDER = "dseawiuSvgDbAMmznBEhWPKGkfIFVCTRHLNZUolJ12ütprjO3QÜ54cä6ÖÄö798Y0Xqyx"
_FIRST_CHAR_RANK = {c: i for i, c in enumerate(_FIRST_CHAR_ORDER)}


def _same_length_fold(text: str) -> str:
    """Replace spaces, hyphens and apostrophes by their ASCII forms (same length)."""
    for old, new in _SAME_LENGTH:
        if old in text:
            text = text.replace(old, new)
    return text


def _fold_piece(piece: str) -> str:
    """Fold one slow-path piece: NFKC, ignorables removed, same-length substitutions."""
    piece = "".join(ch for ch in piece if ch not in _IGNORABLE)
    return unicodedata.normalize("NFKC", piece).translate(_SAME_LENGTH_TABLE)


def _fold_special(piece: str) -> str:
    """Fold one slow-path piece for matching: as :func:`_fold_piece`, and what separates words becomes a space.

    Fullwidth punctuation ("（") and characters outside the BMP that are not part of a
    word (emoji) separate words like their ordinary counterparts.
    """
    folded = _separator_re().sub(" ", _fold_piece(piece))
    return "".join(c if c < "\U00010000" or _is_word_char(c) else " " for c in folded)


def _fold_alias(alias: str) -> str:
    """Fold a name form the same way texts are folded (its inner spaces squeezed first).

    Punctuation becomes a space as in texts ("U.S." -> "U S"), so "U.S." is looked for as
    written, and a name form is found after any character that is not part of a word.
    Punctuation at its ends is a boundary like any other ("Jr." -> "Jr").
    """
    folded = re.sub(r" +", " ", _fold_piece(unicodedata.normalize("NFC", alias))).strip()
    return _separator_re().sub(" ", folded).strip()


@lru_cache(maxsize=1)
def _separator_re() -> re.Pattern:
    """Match every BMP character that separates words, other than spaces, hyphens, apostrophes and "+".

    Characters of words (letters, digits, marks, "_"), characters that folding removes or
    replaces on the slow path, and those that :func:`_same_length_fold` already replaces
    are left alone. A "+" joins, as in the tokenizer: "C5+1" and "OPEC+" are names of their own.
    """
    kept = set(_IGNORABLE) | {" ", "-", "'", "+"} | {old for old, _ in _SAME_LENGTH}
    separators = [c for c in map(chr, range(0x10000))
                  if c not in kept and not _is_word_char(c) and not _GATE_RE.match(c)]
    return re.compile("[" + "".join(map(re.escape, separators)) + "]")


class _OffsetMap:
    """Map positions in a folded text back to the text as given."""

    __slots__ = ("norm_starts", "orig_starts", "orig_ends", "plain")

    def __init__(self) -> None:
        self.norm_starts: list[int] = []
        self.orig_starts: list[int] = []
        self.orig_ends: list[int] = []
        self.plain: list[bool] = []

    def add(self, norm_start: int, orig_start: int, orig_end: int, plain: bool) -> None:
        self.norm_starts.append(norm_start)
        self.orig_starts.append(orig_start)
        self.orig_ends.append(orig_end)
        self.plain.append(plain)

    def start(self, pos: int) -> int:
        i = bisect.bisect_right(self.norm_starts, pos) - 1
        if self.plain[i]:
            return self.orig_starts[i] + pos - self.norm_starts[i]
        return self.orig_starts[i]

    def end(self, pos: int) -> int:
        """Map an exclusive end position (the character before it is the last one)."""
        i = bisect.bisect_right(self.norm_starts, pos - 1) - 1
        if self.plain[i]:
            return self.orig_starts[i] + pos - self.norm_starts[i]
        return self.orig_ends[i]


def _fold_slow(text: str) -> tuple[str, _OffsetMap]:
    """Fold a text whose folding changes its length; return the folded text and an offset map."""
    pieces: list[str] = []
    omap = _OffsetMap()
    pos = norm_pos = 0
    for m in _SPECIAL_RE.finditer(text):
        s, e = m.span()
        if s > pos and _MARK_RE.match(text, s):
            s -= 1  # combining marks fold together with the character they sit on
        if s > pos:
            pieces.append(text[pos:s])
            omap.add(norm_pos, pos, s, True)
            norm_pos += s - pos
        folded = _fold_special(text[s:e])
        if folded:
            pieces.append(folded)
            omap.add(norm_pos, s, e, False)
            norm_pos += len(folded)
        pos = e
    if pos < len(text) or not pieces:
        pieces.append(text[pos:])
        omap.add(norm_pos, pos, len(text), True)
    return "".join(pieces), omap


def _is_word_char(ch: str) -> bool:
    """Tell whether a character belongs to a word (Unicode letters, digits, marks, "_")."""
    return ch.isalnum() or ch == "_" or (ch > "\u02ff" and unicodedata.category(ch)[0] == "M")


# ---------------------------------------------------------------------------------------
# German words and the names of clubs, media and companies
# ---------------------------------------------------------------------------------------

NAME_CONTEXTS_PATH = PACKAGE_DATA_DIR / "name_contexts.yaml"
# Endings of a German noun's plural and genitive that proper names do not take ("Zolles", "Köche").
_NOUN_INFLECTIONS = ("e", "en", "er", "es")


@lru_cache(maxsize=1)
def _german_lexicon():
    """Return simplemma's German dictionary (word form -> lemma), read once from the package (about 110 MB)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary("de")


def _lower_case_word(word: str) -> str | None:
    """Return the German word a name form also is in lower case ("Kurz" -> "kurz"), or None.

    The lower-cased form must be a dictionary word in its base form (an adjective, adverb or
    verb such as "kurz", "lange", "blinken"), not only an inflected form ("laschet").
    """
    low = word.lower()
    return low if low != word and _german_lexicon().get(low) == low else None


def _is_common_noun(word: str) -> bool:
    """Tell whether a capitalised word is a German common noun ("Zoll", "Wasserkraftwerk", "Präsident").

    The dictionary knows proper names too ("Berlin", "Merkel"), but only common nouns have a
    plural or genitive in -e, -en, -er or -es ("Zolles", "Präsidenten"), or in -n after -e ("Rosen").
    """
    lexicon = _german_lexicon()
    if not word[:1].isupper() or lexicon.get(word) != word:
        return False
    endings = _NOUN_INFLECTIONS + (("n",) if word.endswith("e") else ())
    return any(lexicon.get(word + ending) == word for ending in endings)


def _word_alternatives(words: Iterable[str]) -> str:
    """A regex alternation of words and phrases, longest first; a space matches any run of spaces."""
    escaped = (re.escape(w).replace(r"\ ", "[ \xa0]+") for w in sorted(set(words), key=len, reverse=True))
    return "|".join(escaped)


@dataclass(frozen=True)
class _NameContexts:
    before: re.Pattern  # searched in the text right before a place name
    before_last: frozenset[str]  # the last words of the ``before`` phrases, to look up first
    after: re.Pattern  # matched right after it
    after_name: re.Pattern  # matched right after a name form (not an adjective)
    names: tuple[str, ...]


@lru_cache(maxsize=1)
def _name_contexts() -> _NameContexts:
    """Read the words that make a place name part of the name of a club, race, medium or company."""
    import yaml

    data = yaml.safe_load(NAME_CONTEXTS_PATH.read_text(encoding="utf-8"))
    before = _word_alternatives(data["before"])
    after = _word_alternatives(data["after"])
    after_name = _word_alternatives(data["after_name"])
    return _NameContexts(
        before=re.compile(f"(?<![\\w'])(?:{before})[ \xa0\\-]\\Z"),
        before_last=frozenset(phrase.split()[-1] for phrase in data["before"]),
        after=re.compile(f"[ \xa0](?:{after})(?![\\w'])"),
        after_name=re.compile(f"[ \xa0\\-](?:{after_name})(?![\\w'])"),
        names=tuple(data["names"]),
    )


# ---------------------------------------------------------------------------------------
# The entity table
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    """One entity of the table: an id, a display name, a type and its name forms."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...] = ()
    case_sensitive: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    suffixes: tuple[str, ...] | None = None
    note: str = ""

    def to_dict(self) -> dict:
        """Return the entry as a plain dict, in the shape of the YAML file."""
        out = {"id": self.id, "name": self.name, "type": self.type, "aliases": list(self.aliases)}
        if self.adjectives:
            out["adjectives"] = list(self.adjectives)
        if self.case_sensitive:
            out["case_sensitive"] = list(self.case_sensitive)
        if self.ignore:
            out["ignore"] = list(self.ignore)
        if self.units:
            out["units"] = list(self.units)
        if self.suffixes is not None:
            out["suffixes"] = list(self.suffixes)
        if self.note:
            out["note"] = self.note
        return out


def _looks_like_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= 5 and not any(c.islower() for c in alias)


def _case_variants(alias: str) -> set[str]:
    """Spellings under which a case-insensitive form is looked for."""
    variants = {alias, alias.lower(), alias.upper()}
    variants.add(alias[:1].upper() + alias[1:])
    variants.add(alias[:1].lower() + alias[1:])
    title = re.sub(r"(^|[ \-])(\w)", lambda m: m.group(1) + m.group(2).upper(), alias)
    variants.add(title)
    # Keep ß in capitals too ("WEIßRUSSLAND" besides "WEISSRUSSLAND").
    if "ß" in alias:
        variants.add("".join(c if c == "ß" else c.upper() for c in alias))
    return variants


def _separator_variants(alias: str) -> set[str]:
    """The form as given, with its spaces as hyphens, and with its hyphens as spaces."""
    out = {alias}
    if " " in alias:
        out.add(alias.replace(" ", "-"))
    if "-" in alias:
        inner = re.sub(r"(?<=\w)-(?=\w)", " ", alias)
        out.add(inner)
    return out


def _entry_label(index: int, raw: object) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"entry #{index + 1} (id {raw['id']!r})"
    return f"entry #{index + 1}"


def _str_list(value: object, key: str, label: str, *, allow_empty: bool) -> tuple[str, ...]:
    if value is None:
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{label}: {key!r} must be a list of strings, got {type(value).__name__}")
    out = []
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"{label}: {key!r} must hold strings only, got {item!r}")
        if not item.strip():
            raise ValueError(f"{label}: {key!r} holds an empty name")
        out.append(item.strip())
    if not out and not allow_empty:
        raise ValueError(f"{label}: {key!r} is empty; give at least one name form")
    return tuple(dict.fromkeys(out))


def _parse_entry(index: int, raw: object) -> Entity:
    label = _entry_label(index, raw)
    if not isinstance(raw, dict):
        raise ValueError(f"{label}: expected a mapping with id, name, type and aliases, got {raw!r}")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise ValueError(f"{label}: unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(_ENTRY_KEYS)}")
    for key in ("id", "name", "type"):
        if key not in raw:
            raise ValueError(f"{label}: missing {key!r}")
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise ValueError(f"{label}: {key!r} must be a non-empty string, got {raw[key]!r}")
    entity_id = raw["id"].strip()
    if not _ID_RE.match(entity_id):
        raise ValueError(f"{label}: id {entity_id!r} must be lower-case letters, digits and '_'")
    entity_type = raw["type"].strip()
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"{label}: type {entity_type!r} is not one of {list(ENTITY_TYPES)}")
    aliases = _str_list(raw.get("aliases"), "aliases", label, allow_empty=True)
    adjectives = _str_list(raw.get("adjectives"), "adjectives", label, allow_empty=True)
    case_sensitive = _str_list(raw.get("case_sensitive"), "case_sensitive", label, allow_empty=True)
    ignore = _str_list(raw.get("ignore"), "ignore", label, allow_empty=True)
    units = _str_list(raw.get("units"), "units", label, allow_empty=True)
    if not aliases and not case_sensitive:
        raise ValueError(f"{label}: 'aliases' is missing or empty; give at least one name form")
    # A form under case_sensitive is looked for exactly as written, also when 'aliases' lists it too.
    exact_forms = {_fold_alias(f) for f in case_sensitive}
    aliases = tuple(a for a in aliases if _fold_alias(a) not in exact_forms)
    name_forms = {_fold_alias(f).casefold() for f in aliases + case_sensitive}
    for unit in units:
        if _fold_alias(unit).casefold() not in name_forms:
            raise ValueError(f"{label}: unit {unit!r} is not one of the entity's name forms (aliases or case_sensitive)")
    suffixes = raw.get("suffixes")
    if suffixes is not None:
        suffixes = _str_list(suffixes, "suffixes", label, allow_empty=True)
        for suffix in suffixes:
            if not suffix.isalpha():
                raise ValueError(f"{label}: suffix {suffix!r} must be letters only")
    note = raw.get("note", "") or ""
    if not isinstance(note, str):
        raise ValueError(f"{label}: 'note' must be a string")
    return Entity(
        id=entity_id,
        name=raw["name"].strip(),
        type=entity_type,
        aliases=aliases,
        adjectives=adjectives,
        case_sensitive=case_sensitive,
        ignore=ignore,
        units=units,
        suffixes=tuple(s.lower() for s in suffixes) if suffixes is not None else None,
        note=note,
    )


def _parse_entries(raw_entries: Sequence[object], source: str) -> list[Entity]:
    entities = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_entries):
        entity = _parse_entry(index, raw)
        if entity.id in seen:
            raise ValueError(
                f"{source}: {_entry_label(index, raw)} repeats id {entity.id!r} of entry #{seen[entity.id] + 1}"
            )
        seen[entity.id] = index
        entities.append(entity)
    return entities


def _read_yaml_entries(path: Path) -> list[object]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if isinstance(data, dict) and "entities" in data:
        data = data["entities"]
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of entities (or a mapping with key 'entities')")
    return data


def _read_csv_entries(path: Path) -> list[object]:
    """Read a CSV with one row per name form: id, name, type, alias[, kind]."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    required = {"id", "name", "type", "alias"}
    if reader.fieldnames is None or not required <= set(reader.fieldnames):
        raise ValueError(f"{path}: a CSV entity file needs the columns {sorted(required)} (and optionally 'kind')")
    kinds = {"alias": "aliases", "": "aliases", "adjective": "adjectives", "case_sensitive": "case_sensitive",
             "ignore": "ignore", "unit": "units"}
    entries: dict[str, dict] = {}
    for line_no, row in enumerate(reader, start=2):
        entity_id = (row.get("id") or "").strip()
        if not entity_id:
            raise ValueError(f"{path}: line {line_no}: empty id")
        kind = (row.get("kind") or "").strip()
        if kind not in kinds:
            raise ValueError(f"{path}: line {line_no} (id {entity_id!r}): kind {kind!r} is not one of alias, adjective, "
                             "case_sensitive, ignore, unit")
        entry = entries.setdefault(
            entity_id, {"id": entity_id, "name": row["name"], "type": row["type"], "aliases": []}
        )
        if (row["name"], row["type"]) != (entry["name"], entry["type"]):
            raise ValueError(f"{path}: line {line_no} (id {entity_id!r}): name or type differs from an earlier row")
        alias = row.get("alias")
        if alias is None or not alias.strip():
            raise ValueError(f"{path}: line {line_no} (id {entity_id!r}): empty alias")
        entry.setdefault(kinds[kind], []).append(alias)
        if kind == "unit":  # a unit is a name form too
            entry["aliases"].append(alias)
    return list(entries.values())


# Entity types whose names stand in datelines and inside the names of clubs, races and media.
_PLACE_TYPES = ("place", "country")
# Values of the form column, by the code in _Compiled.key_form.
FORMS = ("name", "adjective", "ignored", "dateline")
_FORM_DATELINE = 3
# What the context rules check for a search key (bits of _Compiled.key_rules).
_RULE_UNIT = 1  # the form is also a unit: not a mention right after a number ("5,5 Zoll")
_RULE_PLACE = 2  # a place or country: club and race names, datelines
_RULE_COMMON_WORD = 4  # a person's one-word name that is also a German word ("Kurz")
_RULE_FULL_NAME = 8  # a person's name of several words ("Sebastian Kurz")
_RULE_PLACE_NAME = 16  # a place's or country's name form (not an adjective): may be a dateline


@dataclass
class _Compiled:
    automaton: ahocorasick.Automaton
    key_len: list[int]
    key_entity: np.ndarray  # twice as long as the keys: key + number of keys is the key as a dateline
    key_form: np.ndarray  # see FORMS; 0 = name, 1 = adjective, 2 = ignored, 3 = dateline
    key_suffixes: list[tuple[str, ...]]
    key_apostrophe: list[bool]
    key_right: list[bool]
    key_exact: list[bool]  # case-sensitive form: its endings must match case-sensitively too
    ignored: frozenset[int]  # keys of ignored forms: they win overlaps, then are dropped
    key_rules: list[int]  # the context rules that apply to the key (_RULE_* bits)


class Gazetteer:
    """An entity table: ids, display names, types and the name forms to look for.

    Build one with :meth:`default` (the table shipped with the package), :meth:`from_file`
    (a user's YAML or CSV file, extending or replacing the default) or from a list of dicts.

    Parameters
    ----------
    entities : iterable of Entity or dict
        The entries; dicts have the keys of the YAML file (``id``, ``name``, ``type``,
        ``aliases`` and optionally ``adjectives``, ``case_sensitive``, ``ignore``, ``units``,
        ``suffixes``, ``note``). ``units`` lists name forms that are also units of measure
        ("Zoll"): right after a number they are not a mention ("5,5 Zoll").

    Raises
    ------
    ValueError
        If an entry is malformed, two entries share an id or a display name, or one name form
        is claimed by two entities. The message names the entry.

    Examples
    --------
    >>> gaz = Gazetteer([{"id": "tokayev", "name": "Tokajew", "type": "person",
    ...                   "aliases": ["Kassym-Schomart Tokajew", "Tokajew", "Tokayev"]}])
    >>> len(gaz)
    1
    """

    def __init__(self, entities: Iterable[Entity | dict], *, source: str = "entities") -> None:
        items = list(entities)
        raw = [e.to_dict() if isinstance(e, Entity) else e for e in items]
        self.entities: tuple[Entity, ...] = tuple(_parse_entries(raw, source))
        self.source = source
        self._by_id = {e.id: i for i, e in enumerate(self.entities)}
        names: dict[str, str] = {}
        for e in self.entities:
            if e.name in names:
                raise ValueError(f"{source}: entities {names[e.name]!r} and {e.id!r} share the display name {e.name!r}")
            names[e.name] = e.id
        self._keys = self._build_keys()
        self._compiled: _Compiled | None = None

    # -- construction -----------------------------------------------------------------
    @classmethod
    def default(cls) -> "Gazetteer":
        """Return the entity table shipped with the package (``analysis/data/entities.yaml`` and ``states.yaml``)."""
        return _default_gazetteer()

    @classmethod
    def from_file(cls, path: str | os.PathLike, extend: bool = True) -> "Gazetteer":
        """Read a user's entity file (YAML or CSV).

        Parameters
        ----------
        path : str or path-like
            A ``.yaml``/``.yml`` file in the format of the default table, or a ``.csv`` file
            with the columns ``id, name, type, alias`` and optionally ``kind``
            (``alias``, ``adjective``, ``case_sensitive``, ``ignore`` or ``unit``), one row per name form.
            One-word name forms that are also common German words (simplemma's German
            dictionary: "Kurz", "Koch") are reported in one warning that says how to mark them.
        extend : bool, default True
            True: add the file's entities to the default table; an entry whose id is already
            in the default table replaces that entry. False: use the file's entities only.

        Returns
        -------
        Gazetteer
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"entity file not found: {path}")
        if path.suffix.lower() == ".csv":
            raw = _read_csv_entries(path)
        elif path.suffix.lower() in (".yaml", ".yml"):
            raw = _read_yaml_entries(path)
        else:
            raise ValueError(f"{path}: entity files must end in .yaml, .yml or .csv")
        user = _parse_entries(raw, str(path))  # validates the file on its own first
        _warn_common_words(user, str(path))
        if not extend:
            return cls(user, source=str(path))
        base = list(cls.default().entities)
        index = {e.id: i for i, e in enumerate(base)}
        for entity in user:
            if entity.id in index:
                logger.info("entity %r from %s replaces the default entry", entity.id, path)
                base[index[entity.id]] = entity
            else:
                base.append(entity)
        return cls(base, source=f"default table + {path}")

    def with_aliases(self, additions: dict[str, Iterable[str]]) -> "Gazetteer":
        """Return a new table with extra name forms for existing entities.

        This is the explicit step after reviewing :func:`suggest_aliases`; nothing is added
        anywhere else.
        """
        entities = list(self.entities)
        for entity_id, aliases in additions.items():
            i = self._index(entity_id)
            e = entities[i]
            entities[i] = Entity(**{**e.__dict__, "aliases": tuple(dict.fromkeys(e.aliases + tuple(aliases)))})
        return Gazetteer(entities, source=self.source)

    # -- inspection -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self):
        return iter(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._by_id

    def __repr__(self) -> str:
        return f"Gazetteer({len(self)} entities, {len(self._keys)} search keys, from {self.source})"

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_compiled"] = None  # rebuilt on demand after unpickling
        return state

    @property
    def ids(self) -> list[str]:
        """The entity ids, in table order."""
        return [e.id for e in self.entities]

    def get(self, entity_id: str) -> Entity:
        """Return the entity with this id."""
        return self.entities[self._index(entity_id)]

    def _index(self, entity_id: str) -> int:
        try:
            return self._by_id[entity_id]
        except KeyError:
            raise ValueError(f"unknown entity id {entity_id!r}") from None

    def resolve(self, entity: str) -> Entity:
        """Find an entity by id, display name or any of its name forms (case-insensitive)."""
        if not isinstance(entity, str) or not entity.strip():
            raise ValueError(f"entity must be a non-empty string, got {entity!r}")
        if entity in self._by_id:
            return self.entities[self._by_id[entity]]
        wanted = _fold_alias(entity).casefold()
        for e in self.entities:
            if wanted == e.name.casefold():
                return e
        for e in self.entities:
            forms = e.aliases + e.case_sensitive + e.adjectives
            if any(wanted == _fold_alias(f).casefold() for f in forms):
                return e
        raise ValueError(f"entity {entity!r} is neither an id, a display name nor a name form in the table")

    def to_frame(self) -> pd.DataFrame:
        """Return one row per name form: id, name, type, alias, form (name, adjective, ignored), case_sensitive."""
        rows = []
        for e in self.entities:
            for a in e.aliases:
                rows.append((e.id, e.name, e.type, a, "name", _looks_like_acronym(a)))
            for a in e.case_sensitive:
                rows.append((e.id, e.name, e.type, a, "name", True))
            for a in e.adjectives:
                rows.append((e.id, e.name, e.type, a, "adjective", False))
            for a in e.ignore:
                rows.append((e.id, e.name, e.type, a, "ignored", _looks_like_acronym(a)))
        return pd.DataFrame(rows, columns=["id", "name", "type", "alias", "form", "case_sensitive"])

    # -- compilation ------------------------------------------------------------------
    def _build_keys(self) -> dict[str, tuple[int, int, str, bool]]:
        """Expand every name form into its search keys: key -> (entity index, form, written form, exact)."""
        keys: dict[str, tuple[int, int, str, bool]] = {}
        for ei, e in enumerate(self.entities):
            forms: list[tuple[str, int, bool]] = []
            for a in e.case_sensitive:
                forms.append((a, 0, True))
            for a in e.aliases:
                forms.append((a, 0, _looks_like_acronym(a)))
            for a in e.adjectives:
                forms.append((a, 1, False))
            for a in e.ignore:
                forms.append((a, 2, _looks_like_acronym(a)))
            for written, form, exact in forms:
                folded = _fold_alias(written)
                if not folded:
                    raise ValueError(f"{self.source}: entity {e.id!r}: name form {written!r} is empty after folding")
                # A person's name never matches in lower case ("kurz" is not Sebastian Kurz).
                lower_ok = e.type != "person" or form != 0 or folded.islower()
                for sep in _separator_variants(folded):
                    for key in ({sep} if exact else _case_variants(sep)):
                        if not lower_ok and key.islower():
                            continue
                        old = keys.get(key)
                        if old is None:
                            keys[key] = (ei, form, written, exact)
                        elif old[0] == ei and (old[1] == 2) != (form == 2):
                            raise ValueError(f"{self.source}: entity {e.id!r} lists {written!r} both as a name or "
                                             f"adjective form and under 'ignore'")
                        elif old[1] == 2 or form == 2:  # an entity's name form beats another's ignored form
                            if form != 2:
                                keys[key] = (ei, form, written, exact)
                        elif old[0] != ei:
                            other = self.entities[old[0]]
                            raise ValueError(
                                f"{self.source}: name form {written!r} of entity {e.id!r} is also claimed by "
                                f"entity {other.id!r} (as {old[2]!r}); one form may belong to one entity only"
                            )
                        elif old[1] == 1 and form == 0:
                            keys[key] = (ei, form, written, exact)  # a name beats an adjective of the same entity
        self._add_context_names(keys)
        return keys

    def _add_context_names(self, keys: dict[str, tuple[int, int, str, bool]]) -> None:
        """Add the shipped names of clubs, media and companies as ignored forms of the place they hold.

        "Austria Wien" holds a name form of Vienna (and of Austria): it is added as an ignored
        form of the first place or country whose name form it holds as whole words, so neither
        name inside it counts. A name that holds no place's form, or that is an entity's form
        itself, is left out.
        """
        for written in _name_contexts().names:
            folded = _fold_alias(written)
            words = folded.replace("-", " ").split(" ")
            parts = (" ".join(words[i:j]) for i in range(len(words)) for j in range(len(words), i, -1))
            # a part may carry a genitive ending: "Germany's Next Topmodel"
            forms = (form for part in parts for form in (part, re.sub(r"'?s$", "", part)))
            holder = next((keys[form] for form in forms if form in keys and keys[form][1] != 2
                           and self.entities[keys[form][0]].type in _PLACE_TYPES), None)
            if holder is None:
                continue
            for sep in _separator_variants(folded):
                for key in _case_variants(sep):
                    keys.setdefault(key, (holder[0], 2, written, False))

    def _compile(self) -> _Compiled:
        """Build the automaton once per table.

        Every key is stored behind each of the prefixes " ", "-" and "'" (the text gets a
        leading space, and every other character between words is folded to a space), so
        a hit already starts at a word boundary, and the automaton's root has three children
        instead of one per letter: pyahocorasick searches children linearly, so this is
        what keeps the scan fast.
        """
        if self._compiled is not None:
            return self._compiled
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        key_len, key_entity, key_form, key_suffixes, key_apos, key_right = [], [], [], [], [], []
        key_exact, key_rules = [], []
        ordered = sorted(self._keys.items(), key=lambda item: _FIRST_CHAR_RANK.get(item[0][0], len(_FIRST_CHAR_RANK)))
        for i, (key, (ei, form, written, exact)) in enumerate(ordered):
            for prefix in _KEY_PREFIXES:
                automaton.add_word(prefix + key, i)
            e = self.entities[ei]
            key_rules.append(self._rules(e, form, written, exact))
            key_len.append(len(key))
            key_entity.append(ei)
            key_form.append(form)
            if form == 1:
                key_suffixes.append(ADJECTIVE_SUFFIXES)
            else:
                key_suffixes.append(e.suffixes if e.suffixes is not None else DEFAULT_NAME_SUFFIXES)
            key_apos.append(key[-1].lower() in "sxzß")
            key_right.append(_is_word_char(key[-1]) and form != 2)  # an ignored form covers its compounds
            key_exact.append(exact)
        automaton.make_automaton()
        self._compiled = _Compiled(
            automaton=automaton,
            key_len=key_len,
            key_entity=np.asarray(key_entity + key_entity, dtype=np.int64),
            key_form=np.asarray(key_form + [_FORM_DATELINE] * len(key_form), dtype=np.int8),
            key_suffixes=key_suffixes,
            key_apostrophe=key_apos,
            key_right=key_right,
            key_exact=key_exact,
            ignored=frozenset(np.flatnonzero(np.asarray(key_form) == 2).tolist()),
            key_rules=key_rules,
        )
        return self._compiled

    @staticmethod
    def _rules(entity: Entity, form: int, written: str, exact: bool) -> int:
        """Return the context rules (``_RULE_*`` bits) for a search key of this entity, form and written form."""
        rules = 0
        if form == 2:
            return rules
        folded = _fold_alias(written)
        if entity.units and folded.casefold() in {_fold_alias(u).casefold() for u in entity.units}:
            rules |= _RULE_UNIT
        if entity.type in _PLACE_TYPES:
            rules |= _RULE_PLACE | (_RULE_PLACE_NAME if form == 0 else 0)
        if entity.type == "person" and form == 0:
            if re.search(r"[ \-]", folded):
                rules |= _RULE_FULL_NAME
            elif not _looks_like_acronym(written) and _lower_case_word(folded):
                rules |= _RULE_COMMON_WORD
        return rules


def _warn_common_words(entities: Sequence[Entity], source: str) -> None:
    """Warn once about the one-word name forms of a file that are also common German words.

    "Kurz" is also the adjective "kurz", "Koch" also the noun (a cook). Forms listed under
    ``case_sensitive`` and the forms of topic entities (common words by design) are not checked.
    """
    found = []
    for e in entities:
        if e.type == "topic":
            continue
        for alias in e.aliases:
            folded = _fold_alias(alias)
            if " " in folded or "-" in folded or _looks_like_acronym(alias):
                continue
            word = _lower_case_word(folded)
            if word:
                found.append(f"{alias!r} ({e.id}) is also the word {word!r}")
            elif _is_common_noun(folded):
                found.append(f"{alias!r} ({e.id}) is also a common noun")
    if found:
        warnings.warn(
            f"{source}: {len(found)} name form(s) are also common German words: {'; '.join(found)}. "
            "List such a form under 'case_sensitive' to match it only as written (a person's name "
            "never matches in lower case, and at a sentence start only after the full name), or "
            "list the phrases that hold it without meaning the entity under 'ignore'.",
            stacklevel=3,
        )


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    paths = (DEFAULT_ENTITIES_PATH, *DEFAULT_EXTRA_PATHS)
    entries = [entry for path in paths for entry in _read_yaml_entries(path)]
    return Gazetteer(_parse_entries(entries, str(DEFAULT_ENTITIES_PATH)), source=" + ".join(map(str, paths)))


# ---------------------------------------------------------------------------------------
# The scanner (hot path)
# ---------------------------------------------------------------------------------------


def _match_folded(t: str, comp: _Compiled) -> list[tuple[int, int, int]]:
    """Return resolved mentions (start, end, key) in a folded text.

    ``t`` is the folded text behind one leading space; offsets returned are into ``t``
    without that space.
    """
    n = len(t)
    key_len = comp.key_len
    key_right = comp.key_right
    key_exact = comp.key_exact
    cands = []
    for last, k in comp.automaton.iter(t):
        start = last - key_len[k] + 1
        end = last + 1
        if t[start - 1] == "'" and start > 1 and _is_word_char(t[start - 2]):
            continue  # an apostrophe between letters joins a word: "O'Neill" holds no "Neill"
        if end < n:
            c = t[end]
            if c == "'":
                # apostrophe genitive ("Trump's", "Paris'") or adjective ("Merkel'sche"); otherwise
                # a word goes on ("Xi'an" is not "Xi")
                j = end + 1
                while j < n and _is_word_char(t[j]):
                    j += 1
                ending = t[end + 1 : j]
                if ending == "s" or (ending == "S" and not key_exact[k]) or ending in _APOSTROPHE_ADJECTIVES:
                    end = j
                elif not ending:
                    end += comp.key_apostrophe[k]
                else:
                    continue
            elif key_right[k] and (c.isalnum() or c == "_" or (c > "\u02ff" and unicodedata.category(c)[0] == "M")):
                exact = key_exact[k]
                for suffix in comp.key_suffixes[k]:
                    j = end + len(suffix)
                    seg = t[end:j]
                    if (seg if exact else seg.lower()) == suffix and (j == n or not _is_word_char(t[j])):
                        end = j
                        break
                else:
                    continue
        cands.append((start - 1, end - 1, k))
    if len(cands) > 1:
        cands.sort(key=lambda c: (c[0], -c[1], c[2]))
        resolved = []
        last_end = -1
        for c in cands:
            if c[0] >= last_end:
                resolved.append(c)
                last_end = c[1]
        cands = resolved
    if comp.ignored and cands:
        cands = [c for c in cands if c[2] not in comp.ignored]
    return cands


_GATE_RE = re.compile(f"[{_MARK_RANGES}{_IGNORABLE}{_COMPAT_RANGES}{_ASTRAL_RANGE}]")


def _fold_punctuation(text: str) -> str:
    """Make spaces, hyphens and apostrophes their ASCII forms and other word separators a space (same length)."""
    return _separator_re().sub(" ", _same_length_fold(text))


def _fold_for_matching(text: str, comp: _Compiled) -> tuple[str, bool, bool]:
    """Fold a text for matching; return it behind a space (same length) and two flags: slow path, address.

    The slow path (:func:`_fold_slow`) is needed where a combining mark, an ignorable or a compatibility
    character remains after :func:`_fold_punctuation`. A text that holds none of "@",
    "//", "www." and "WWW." holds no address.
    """
    folded = _fold_punctuation(text)
    links = "@" in text or "//" in text or "www." in text or "WWW." in text
    return " " + folded, _GATE_RE.search(folded) is not None, links


def _scan_text(text: str, comp: _Compiled) -> list[tuple[int, int, int]]:
    """Return the mentions (start, end, key) of one text, offsets into ``text`` as given; none in addresses."""
    spaced, slow, links = _fold_for_matching(text, comp)
    if links:
        spaced, slow, _ = _fold_for_matching(blank_links(text), comp)
    if not slow:
        found = _match_folded(spaced, comp)
    else:
        folded, omap = _fold_slow(spaced[1:])
        found = [(omap.start(s), omap.end(e), k) for s, e, k in _match_folded(" " + folded, comp)]
    found = [m for m in found if not ((text[m[0] - 1:m[0]] in (".", "/") or text[m[1]:m[1] + 1] == ".")
                                      and _in_address(text, m[0], m[1]))]
    found = _without_restatements(text, found, comp)
    rules = comp.key_rules
    if any(rules[m[2]] for m in found):
        found = _apply_context_rules(text, found, comp)
    return found


# A number right before a unit: "5,5 Zoll", "10-Zoll-Display", "½ Zoll".
_NUMBER_BEFORE = re.compile(r"[\d½¼¾⅓⅔][ \xa0\-\u2010\u2011]{0,2}\Z")
# What ends a dateline after its place(s): "Berlin –", "BERLIN (dpa) -", "Berlin/Moskau, 14. März (AFP) –",
# "Wien. Die ...". Further places after "/" are datelines too. An agency in brackets is words
# without digits ("(dpa/AFP)", "(dts Nachrichtenagentur)"), not a reference ("(Science, 2020)").
_DATELINE_TAIL = re.compile(
    r"(?:[ \t\xa0]*/[ \t\xa0]*[^\W\d_][\w.'’\-]*(?:[ \xa0][^\W\d_][\w.'’\-]*)?)*"  # /Moskau, /New York
    r"(?P<date>[ \t\xa0]*,[ \t\xa0]*\d{1,2}\.[ \t\xa0]*(?:\d{1,2}\.|[^\W\d_]+\.?)(?:[ \t\xa0]*\d{2,4})?)?"  # , 14. März
    r"[ \t\xa0]*(?:(?P<agency>\([^\W\d_][^()\n\d:;,]{0,39}\))(?:[ \t\xa0]*[–—\-](?=[ \t\xa0])|[ \t\xa0]*[:.](?=[ \t\xa0]))?(?=\s|\Z)"  # (dpa) –
    r"|(?:[–—]|(?<=[ \t\xa0])-)(?=[ \t\xa0])|(?P<stop>\.)(?=[ \t\xa0]+[A-ZÄÖÜ]))"  # – or a full stop
    r"[ \t\xa0]*"
)
# A byline place: "(Thomas Mayer aus Brüssel, 14.12.2015)", "Von Thomas Mayer aus Brüssel".
_BYLINE_HEAD = re.compile(
    r"(?:\([ \t\xa0]*(?:[A-ZÄÖÜ][\w.'’\-]*[ \t\xa0]+){2,4}"  # (Thomas Mayer aus
    r"|(?:^|\n)[ \t\xa0]*[Vv]on[ \t\xa0]+(?:[A-ZÄÖÜ][\w.'’\-]*[ \t\xa0]+){1,4})aus[ \t\xa0]+\Z"  # Von Thomas Mayer aus
)
_BYLINE_TAIL = re.compile(r"[ \t\xa0]*(?:,[^()\n]{0,30})?(?:\)|[ \t\xa0]*(?:\n|\Z))")
# A title in quotation marks: the place and one to three capitalised words ("„Studio Berlin“", "»Babylon Berlin«").
_OPENING_QUOTES = "„“\"»«‚‹"
_TITLE_WORDS_BEFORE = re.compile(r"(?:[A-ZÄÖÜ0-9][\w'’.\-]*[ \xa0]){0,3}")
_TITLE_WORDS_AFTER = re.compile(r"(?:[ \xa0][A-ZÄÖÜ0-9][\w'’.\-]*){0,3}[“”\"«»‘‹›]")
# What may stand before a sentence's first word after its end mark: spaces, quotes, brackets.
_SENTENCE_OPENERS = " \t\xa0\"'„“”‚‘’«»‹›(["


def _apply_context_rules(text: str, found: list[tuple[int, int, int]], comp: _Compiled) -> list[tuple[int, int, int]]:
    """Drop or re-mark mentions that their context shows are something else.

    * A form that is also a unit (``units`` in the table) is not a mention right after a
      number ("5,5 Zoll", "10-Zoll-Display").
    * A place or country name inside the name of a club, race, medium or company is not a
      mention ("Dynamo Kiew", "Washington Capitals"; the words are in ``data/name_contexts.yaml``),
      nor is one in quotation marks with one to three capitalised words, as in a title
      ("„Studio Berlin“").
    * A place at the start of the text or a line, followed by a dash, an agency in brackets
      or a full stop ("Berlin –", "Wien (APA) –"), and the place of a byline ("(Thomas Mayer
      aus Brüssel, 14.12.2015)") are kept with the form "dateline" (left out of counts).
    * A person's one-word name that is also a German word ("Kurz") is not a mention at the
      start of a sentence ("Kurz vor ..."), unless a name of the person of several words
      ("Sebastian Kurz") came earlier in the text.
    """
    rules = comp.key_rules
    n_keys = len(rules)
    contexts = _name_contexts()
    kept: list[tuple[int, int, int]] = []
    full_names: set[int] = set()  # entities named in full so far
    dateline_end = -1  # end of the last dateline place, for "Berlin/Moskau –"
    text_after_dateline = -1  # where the text after the last dateline begins
    for start, end, key in found:
        rule = rules[key]
        if not rule:
            kept.append((start, end, key))
            continue
        if rule & _RULE_UNIT and _NUMBER_BEFORE.search(text, max(0, start - 3), start):
            continue
        if rule & _RULE_PLACE:
            is_name = rule & _RULE_PLACE_NAME
            before = text[start - 1:start] if start else "\n"
            if before in " \xa0-":
                previous = text[max(0, start - 25):start - 1].rsplit(None, 1)
                word = previous[-1].rpartition("-")[2] if previous else ""
                if word in contexts.before_last and contexts.before.search(text, max(0, start - 40), start):
                    continue
            # Every word of the lists begins with a capital letter.
            after_char = text[end:end + 1]
            if after_char in (" ", "-", "\xa0") and text[end + 1:end + 2].isupper() and (
                    (after_char != "-" and contexts.after.match(text, end))
                    or (is_name and end - start == comp.key_len[key] and contexts.after_name.match(text, end))):
                continue
            if is_name and end - start == comp.key_len[key] and _in_title_quotes(text, start, end):
                continue
            # Datelines begin a line or follow the place before ("Wien/Berlin –"); bylines follow "aus".
            if is_name and (before in "\n\r/" or (before in " \t\xa0" and (
                    start < 2 or text[start - 2] in "\n\r\t /\xa0" or text[start - 4:start - 1] == "aus"))):
                after = _dateline_end(text, start, end, dateline_end)
                if after >= 0:
                    kept.append((start, end, key + n_keys))
                    dateline_end, text_after_dateline = end, after
                    continue
        if rule & _RULE_FULL_NAME:
            full_names.add(int(comp.key_entity[key]))
        elif rule & _RULE_COMMON_WORD and comp.key_entity[key] not in full_names and (
                start == text_after_dateline or _starts_sentence(text, start)):
            continue
        kept.append((start, end, key))
    return kept


def _in_title_quotes(text: str, start: int, end: int) -> bool:
    """Tell whether a name stands in quotation marks with one to three capitalised words, as in a title.

    "„Studio Berlin“", "»Babylon Berlin«", "„Letzte Spur Berlin“" are the names of programmes,
    films or groups; a quoted sentence ("„Berlin muss handeln“") has words in lower case.
    """
    after = _TITLE_WORDS_AFTER.match(text, end)
    if after is None:
        return False
    low = max(0, start - 60)
    opening = max(text.rfind(q, low, start) for q in _OPENING_QUOTES)
    before = _TITLE_WORDS_BEFORE.fullmatch(text, opening + 1, start) if opening >= 0 else None
    if before is None:
        return False
    n_words = len(before.group().split()) + len(after.group()[:-1].split())
    return 1 <= n_words <= 3


def _dateline_end(text: str, start: int, end: int, previous_end: int) -> int:
    """Return where the text after a dateline or byline begins if the place at ``start:end`` is its place, else -1.

    ``previous_end`` is the end of the place of the dateline before, if any ("Wien/Berlin –").
    """
    i = start
    while i > 0 and text[i - 1] in " \t\xa0":
        i -= 1
    if i == 0 or text[i - 1] in "\n\r" or (text[i - 1] == "/" and 0 <= start - previous_end <= 3):
        tail = _DATELINE_TAIL.match(text, end)
        if tail is None:
            return -1
        # With an agency in brackets or a date a dateline may open any paragraph; with a dash alone only
        # the first or second line ("Berlin – ...", after a title: "China – ..." further down is a
        # subheading); with a full stop the first line, or the second after a sentence's end
        # ("in\n\nHamburg. Wie ..." is a broken line).
        if not (tail.group("agency") or tail.group("date")):
            lines_before = sum(1 for line in text[:i].splitlines() if line.strip())
            if lines_before > 1 or (tail.group("stop") and lines_before and not _starts_paragraph(text, i)):
                return -1
        return tail.end()
    if text[start - 4:start - 1] == "aus" and _BYLINE_HEAD.search(text, max(0, start - 80), start):
        tail = _BYLINE_TAIL.match(text, end)
        return tail.end() if tail else -1
    return -1


def _starts_paragraph(text: str, start: int) -> bool:
    """Tell whether the line at ``start`` begins the text or follows a line that ends a sentence."""
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i == 0 or text[i - 1] in ".!?…:\"“”»«)]"


def _starts_sentence(text: str, start: int) -> bool:
    """Tell whether the word at ``start`` begins the text, a line or a sentence ("... Ende. Kurz vor ...")."""
    i = start
    while i > 0 and text[i - 1] in _SENTENCE_OPENERS:
        i -= 1
    return i == 0 or text[i - 1] in ".!?…\n\r"


# What may stand between a name and its restatement: "Weltgesundheitsorganisation (WHO)", "... WHO".
_RESTATEMENT_GAP = re.compile(r" ?[(\[]? ?")


def _without_restatements(text: str, found: list[tuple[int, int, int]], comp: _Compiled) -> list[tuple[int, int, int]]:
    """Drop a name that restates the one right before it, alone or in brackets: one occurrence, one mention.

    "Weltgesundheitsorganisation (WHO)" and "Vereinte Nationen UN" count once, as their first name.
    """
    kept: list[tuple[int, int, int]] = []
    for mention in found:
        if kept and mention[0] - kept[-1][1] <= 3:
            previous = kept[-1][2]
            if comp.key_entity[previous] == comp.key_entity[mention[2]] and comp.key_form[previous] == 0 \
                    and comp.key_form[mention[2]] == 0 and _RESTATEMENT_GAP.fullmatch(text, kept[-1][1], mention[0]):
                continue
        kept.append(mention)
    return kept


def _in_address(text: str, start: int, end: int) -> bool:
    """Tell whether a hit is part of a web address ("demo.berlin.de", "zeit.de/kasachstan", "hau-berlin.de").

    A hit in lower case is, when it follows "." or "/" right after a letter or digit, or when
    "." and a letter or digit follow it. A capitalised name right after a full stop counts, as
    where a sentence runs on ("war.Deutschland").
    """
    if not text[start:end].islower():
        return False
    after_dot = start > 1 and text[start - 1] in "./" and text[start - 2].isalnum()
    before_dot = text[end:end + 1] == "." and text[end + 1:end + 2].isalnum()
    return after_dot or before_dot


def _scan_many(texts: Sequence[str], comp: _Compiled, offset: int = 0, surfaces: bool = False) -> tuple:
    """Scan texts; return parallel arrays doc index, key, start, end, and with ``surfaces`` the mentions' text."""
    docs: list[int] = []
    keys: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    found_text: list[str] = []
    for i, text in enumerate(texts):
        if not text:
            continue
        found = _scan_text(text, comp)
        if found:
            docs.extend([offset + i] * len(found))
            for s, e, k in found:
                starts.append(s)
                ends.append(e)
                keys.append(k)
            if surfaces:
                found_text.extend([text[s:e] for s, e, _ in found])
    arrays = tuple(np.asarray(values, dtype=np.int64) for values in (docs, keys, starts, ends))
    return (*arrays, found_text) if surfaces else arrays


_SCAN_META = pd.DataFrame({name: pd.Series(dtype="int64") for name in ("doc", "key", "start", "end")}
                          | {"surface": pd.Series(dtype=object)})


def _scan_partition(part: pd.DataFrame, comp: _Compiled, surfaces: bool) -> pd.DataFrame:
    """Scan a partition of texts (index: their rows in the corpus); one row per mention, as :func:`_scan_many` finds it."""
    found = _scan_many(_texts(part["text"]), comp, surfaces=surfaces)
    offset = part.index[0] if len(part) else 0
    return pd.DataFrame({"doc": found[0] + offset, "key": found[1], "start": found[2], "end": found[3],
                         "surface": pd.Series(found[4] if surfaces else [None] * len(found[0]), dtype=object)})


def _scan_corpus(texts: pd.Series, comp: _Compiled, n_jobs: int | None, surfaces: bool = False) -> tuple:
    """Scan a column of texts (non-strings count as empty); return what :func:`_scan_many` returns for all.

    The texts are scanned partition by partition where :mod:`analysis.engine` runs the work.
    """
    frame = pd.DataFrame({"text": texts.array})  # rows numbered from 0: a partition's index gives its offset
    found = map_partitions(_scan_partition, frame, _SCAN_META, comp=comp, surfaces=surfaces, n_jobs=n_jobs,
                           per_article=False)
    arrays = tuple(found[name].to_numpy(dtype=np.int64) for name in ("doc", "key", "start", "end"))
    return (*arrays, found["surface"].tolist()) if surfaces else arrays


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _as_corpus(corpus: object) -> pd.DataFrame:
    """Validate the corpus argument and return a DataFrame with doc_id and text."""
    if isinstance(corpus, str):
        return pd.DataFrame({"doc_id": [0], "text": [corpus]})
    if isinstance(corpus, pd.Series):
        return pd.DataFrame({"doc_id": corpus.index, "text": corpus.to_numpy()})
    if not isinstance(corpus, pd.DataFrame):
        raise ValueError(f"corpus must be a DataFrame with columns 'doc_id' and 'text', got {type(corpus).__name__}")
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise ValueError(f"corpus lacks the column(s) {sorted(missing)}; it needs 'doc_id' and 'text'")
    return corpus


def _texts(texts: pd.Series) -> list[str]:
    """Return a column of texts as Python strings, "" where there is no text."""
    return [t if isinstance(t, str) else "" for t in texts.tolist()]


def _gazetteer(gazetteer: Gazetteer | str | os.PathLike | None) -> Gazetteer:
    if gazetteer is None:
        return Gazetteer.default()
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    if isinstance(gazetteer, (str, os.PathLike)):
        return Gazetteer.from_file(gazetteer)
    raise ValueError(f"gazetteer must be a Gazetteer, a path to an entity file or None, got {type(gazetteer).__name__}")


def _find(corpus: object, gazetteer, n_jobs, surfaces: bool = False) -> tuple:
    """Validate inputs and scan; return corpus, table, compiled table and what :func:`_scan_many` returns."""
    corpus = _as_corpus(corpus)
    gaz = _gazetteer(gazetteer)
    comp = gaz._compile()
    return (corpus, gaz, comp) + _scan_corpus(corpus["text"], comp, n_jobs, surfaces)


def find_mentions(
    corpus: pd.DataFrame,
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    *,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Find every entity mention in a corpus.

    Parameters
    ----------
    corpus : DataFrame
        One row per article with columns ``doc_id`` and ``text`` (a Series of texts or a
        single string are accepted too).
    gazetteer : Gazetteer, path or None
        The entity table; None uses :meth:`Gazetteer.default`, a path is read with
        :meth:`Gazetteer.from_file` (extending the default).
    n_jobs : int or None
        Processes to scan with, as scikit-learn reads it: None is 1, -1 all cores (see
        :mod:`analysis.engine`, which also runs the scan on a named Dask cluster).

    Returns
    -------
    DataFrame
        One row per mention with columns ``doc_id, entity_id, entity, type, surface, start,
        end, form``; ``start``/``end`` are offsets into the ``text`` given, so
        ``text[start:end] == surface``; ``form`` is ``"name"``, ``"adjective"`` or
        ``"dateline"`` (the place of a dateline or byline: "Berlin –"); only names count
        by default in :func:`count_mentions`.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": [1], "text": ["Die Trump-Regierung und Präsident Donald Trump."]})
    >>> find_mentions(df)[["surface", "entity", "start", "end"]].values.tolist()
    [['Trump', 'Donald Trump', 4, 9], ['Donald Trump', 'Donald Trump', 34, 46]]
    """
    corpus, gaz, comp, docs, keys, starts, ends, surfaces = _find(corpus, gazetteer, n_jobs, surfaces=True)
    ent = comp.key_entity[keys]
    doc_ids = corpus["doc_id"].to_numpy()
    ids = np.array([e.id for e in gaz.entities] or [""], dtype=object)
    names = np.array([e.name for e in gaz.entities] or [""], dtype=object)
    types = np.array([e.type for e in gaz.entities] or [""], dtype=object)
    forms = np.array(FORMS, dtype=object)
    return pd.DataFrame(
        {
            "doc_id": doc_ids[docs] if len(docs) else np.array([], dtype=doc_ids.dtype),
            "entity_id": ids[ent],
            "entity": names[ent],
            "type": types[ent],
            "surface": pd.Series(surfaces, dtype=object),
            "start": starts,
            "end": ends,
            "form": forms[comp.key_form[keys]],
        },
        columns=MENTION_COLUMNS,
    )


def _count_words(texts: list[str]) -> np.ndarray:
    return np.fromiter((len(t.split()) for t in texts), dtype=np.int64, count=len(texts))


def count_mentions(
    corpus: pd.DataFrame,
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    by: str | list[str] = "doc_id",
    normalize: str | None = None,
    include_adjectives: bool = False,
    *,
    include_datelines: bool = False,
    label: str = "name",
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Count entity mentions per group of articles.

    Parameters
    ----------
    corpus : DataFrame
        One row per article with ``doc_id`` and ``text``, plus any columns to group by
        (``source``, a period column the user made, ...). If it has ``n_words``, that is the
        article length for ``per_1000_words``; otherwise words are counted as
        whitespace-separated tokens of ``text``.
    gazetteer : Gazetteer, path or None
        The entity table; None uses the default table.
    by : str or list of str, default "doc_id"
        Column(s) whose values form the rows.
    normalize : {None, "per_1000_words", "share_of_articles"}
        None: raw counts. ``per_1000_words``: mentions per 1,000 words of the group's
        articles. ``share_of_articles``: the share (0-1) of the group's articles that mention
        the entity at least once.
    include_adjectives : bool, default False
        Also count adjective and demonym forms ("kasachische", "Kasachen").
    include_datelines : bool, default False
        Also count the places of datelines and bylines ("Berlin –", "aus Brüssel," in a byline).
    label : {"name", "id"}, default "name"
        Label the columns with the entities' display names or with their ids.
    n_jobs : int or None
        Processes to scan with (see :func:`find_mentions`).

    Returns
    -------
    DataFrame
        Rows: every group present in the corpus, sorted, also groups without any mention
        (articles whose ``by`` value is missing form a NaN group). Columns: every entity of
        the table, labelled by display name, most mentioned first (ties in table order),
        entities never mentioned included as zero columns; ``columns.name`` is ``"entity"``.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Tokajews Besuch", "Trumpf"]})
    >>> count_mentions(df)["Kassym-Schomart Tokajew"].tolist()
    [1, 0]
    """
    if normalize not in NORMALIZE_OPTIONS:
        raise ValueError(f"normalize must be one of {list(NORMALIZE_OPTIONS)}, got {normalize!r}")
    if label not in ("name", "id"):
        raise ValueError(f"label must be 'name' or 'id', got {label!r}")
    by_cols = [by] if isinstance(by, str) else list(by)
    if not by_cols:
        raise ValueError("by must name at least one column")
    checked = _as_corpus(corpus)
    missing = [c for c in by_cols if c not in checked.columns]
    if missing:
        raise ValueError(f"by: column(s) {missing} not in the corpus (columns: {list(checked.columns)})")
    corpus, gaz, comp, docs, keys, _starts, _ends = _find(checked, gazetteer, n_jobs)
    if not (include_adjectives and include_datelines):
        keep = _counted(comp.key_form[keys], include_adjectives, include_datelines)
        docs, keys = docs[keep], keys[keep]
    ent = comp.key_entity[keys]
    n_ent = len(gaz)

    grouped = corpus.groupby(by_cols if len(by_cols) > 1 else by_cols[0], sort=True, dropna=False, observed=True)
    group_of_doc = grouped.ngroup().to_numpy()
    index = grouped.size().index
    n_groups = len(index)

    if normalize == "share_of_articles":
        pairs = np.unique(docs * n_ent + ent)
        cells = group_of_doc[pairs // n_ent] * n_ent + pairs % n_ent
        counts = np.bincount(cells, minlength=n_groups * n_ent).reshape(n_groups, n_ent).astype(float)
        counts /= np.bincount(group_of_doc, minlength=n_groups)[:, None]
    else:
        cells = group_of_doc[docs] * n_ent + ent
        counts = np.bincount(cells, minlength=n_groups * n_ent).reshape(n_groups, n_ent)
        if normalize == "per_1000_words":
            if "n_words" in corpus.columns:
                words = pd.to_numeric(corpus["n_words"], errors="coerce").fillna(0).to_numpy(dtype=float)
            else:
                words = _count_words(_texts(corpus["text"]))
            group_words = np.bincount(group_of_doc, weights=words, minlength=n_groups)
            safe = np.where(group_words > 0, group_words, 1.0)
            counts = np.where(group_words[:, None] > 0, counts * 1000.0 / safe[:, None], 0.0)

    labels = [e.name if label == "name" else e.id for e in gaz.entities]
    order = np.lexsort((np.arange(n_ent), -counts.sum(axis=0)))
    return pd.DataFrame(counts[:, order], index=index, columns=pd.Index([labels[i] for i in order], name="entity"))


def _counted(forms: np.ndarray, include_adjectives: bool, include_datelines: bool) -> np.ndarray:
    """Tell which mentions, by their form codes, count: names, and adjectives and datelines on request."""
    keep = forms == 0
    if include_adjectives:
        keep |= forms == 1
    if include_datelines:
        keep |= forms == _FORM_DATELINE
    return keep


def kwic(
    corpus: pd.DataFrame,
    entity: str,
    window: int = 60,
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    *,
    include_adjectives: bool = False,
    include_datelines: bool = False,
) -> pd.DataFrame:
    """List an entity's mentions in context (keyword in context).

    Parameters
    ----------
    corpus : DataFrame
        Articles with ``doc_id`` and ``text``.
    entity : str
        An entity id, display name or any of its name forms ("Tokajew" finds ``tokayev``).
    window : int, default 60
        Characters of context on each side; runs of whitespace are shown as one space.
    gazetteer : Gazetteer, path or None
        The entity table; None uses the default table.
    include_adjectives : bool, default False
        Also list adjective and demonym forms.
    include_datelines : bool, default False
        Also list the places of datelines and bylines.

    Returns
    -------
    DataFrame
        Columns ``doc_id, left, match, right``, one row per mention, in corpus order.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": [7], "text": ["Gestern rief Tokajew in Washington an."]})
    >>> kwic(df, "Tokayev", window=8).values.tolist()
    [[7, 'rn rief ', 'Tokajew', ' in Wash']]
    """
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 0:
        raise ValueError(f"window must be a non-negative integer, got {window!r}")
    gaz = _gazetteer(gazetteer)
    target = gaz.resolve(entity)
    corpus = _as_corpus(corpus)
    comp = gaz._compile()
    texts = _texts(corpus["text"])
    docs, keys, starts, ends = _scan_many(texts, comp)  # in one process, on the strings needed below anyway
    keep = comp.key_entity[keys] == gaz._index(target.id)
    keep &= _counted(comp.key_form[keys], include_adjectives, include_datelines)
    doc_ids = corpus["doc_id"].tolist()
    squeeze = re.compile(r"\s+")
    rows = []
    for d, s, e in zip(docs[keep].tolist(), starts[keep].tolist(), ends[keep].tolist()):
        text = texts[d]
        left = squeeze.sub(" ", text[max(0, s - window) : s])
        right = squeeze.sub(" ", text[e : e + window])
        rows.append((doc_ids[d], left, text[s:e], right))
    return pd.DataFrame(rows, columns=["doc_id", "left", "match", "right"])


# ---------------------------------------------------------------------------------------
# Names the table does not know
# ---------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    anders auch auf aus bei beide beiden beim bereits bin bis bisher bist bitte da dabei dadurch
    dafür dagegen daher dahin damals damit danach daneben dann daran darauf daraus darf darin
    darüber darum darunter das dass davon davor dazu dein deine deinem deinen deiner dem demnach
    den denen denn dennoch der deren derer des deshalb dessen dich die dies diese diesem diesen
    dieser dieses doch dort du durch eben ebenfalls ebenso ehe eher eigentlich ein eine einem
    einen einer eines einige einigen einiger einmal er erst erste ersten es etwa etwas euch euer
    falls fast ferner für gab gar gegen gemäß genau gerade gern gestern getan gewesen gibt ging
    gleich gleichzeitig habe haben hat hatte hatten hier hierbei hin hinter ich ihm ihn ihnen ihr
    ihre ihrem ihren ihrer ihres im immer in indem infolge ins inzwischen ist ja je jede jedem
    jeden jeder jedes jedoch jemand jene jenem jenen jener jenes jetzt kann kaum kein keine keinem
    keinen keiner keines können könnte lassen laut lediglich machen man manche manchem manchen
    mancher manches mehr mehrere mein meine meinem meinen meiner meist meisten mich mir mit
    mittels muss musste nach nachdem neben nein nicht nichts noch nun nur ob obwohl oder ohne per
    rund schon sehr sei seid sein seine seinem seinen seiner seines seit seitdem selbst sich sie
    sind so sodass sofern sogar solche solchem solchen solcher soll sollen sollte sondern sonst
    sowie sowohl statt trotz um und uns unser unsere unserem unseren unter viel viele vielen vom
    von vor während wann war waren warum was weder wegen weil weiter weitere weiteren welche
    welchem welchen welcher welches wenig wenige wenn wer werde werden wie wieder wir wird wo
    wobei wohl wollen worden wurde wurden würde würden zu zum zur zwar zwischen zudem zuletzt
    zunächst heute morgen neue neuen neuer neues erstmals insbesondere außerdem allerdings
    trotzdem hinaus herr frau
    hause beginn bord sachen ende anfang mitte angaben hilfe recht platz fuß kraft teil grund
    folge frage seiten stelle bedarf prozent uhr euro dollar cent millionen milliarden minuten
    stunden tage wochen monate jahre jahren kilometer meter menschen
    montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend januar februar märz
    april mai juni juli august september oktober november dezember jänner
    the of and to in for on with by at from is are was were be this that it as an or not
    """.split()
)
# Words that stand before a name without being part of it ("Präsident Tokajew").
_TITLES = frozenset(
    """
    präsident präsidentin präsidenten vizepräsident vizepräsidentin staatspräsident staatschef
    regierungschef regierungschefin premierminister premierministerin ministerpräsident
    ministerpräsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin minister ministerin
    außenminister außenministerin verteidigungsminister innenminister finanzminister
    wirtschaftsminister gesundheitsminister botschafter botschafterin sondergesandter
    sondergesandte gesandter sprecher sprecherin chef chefin vorsitzende vorsitzender
    kommissionspräsidentin kommissionspräsident generalsekretär senator senatorin abgeordnete
    abgeordneter könig königin prinz prinzessin papst dr prof professor journalist journalistin
    redakteur redakteurin autor autorin experte expertin analyst analystin general admiral
    oberst bürgermeister bürgermeisterin gouverneur gouverneurin kandidat kandidatin president
    mr mrs ms sir
    """.split()
)
# Endings of German common nouns: a single capitalised word with one is not taken for a name.
_NOUN_ENDINGS = (
    "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen",
    "sion", "sionen", "ität", "itäten", "ismus", "ismen", "nis", "nisse", "tum", "tümer", "chen",
    "lein", "ment", "ments", "enz", "enzen", "anz", "anzen", "ik", "iken", "ie", "ien", "ur",
    "uren", "ling", "linge", "ist", "isten", "ei", "eien", "tät", "täten",
)
_DETERMINERS = frozenset(
    """der die das dem den des ein eine einen einem einer eines kein keine keinen keinem keiner
    keines im am vom zum zur beim ins ans aufs fürs dieser diese dieses diesem diesen jeder jede
    jedes jedem jeden sein seine seinen seinem seiner ihr ihre ihren ihrem ihrer unser unsere
    unseren mein meine welche welcher welches jene jener viele mehrere einige alle""".split()
)
_WORD_RE = re.compile(r"[^\W\d_](?:\w|['’](?=[^\W\d_]))*")
_SENTENCE_MARKS = frozenset(".!?:;\n\"„“”«»")
# Lower-case words allowed inside a name ("Ursula von der Leyen", "Osama bin Laden").
_NAME_PARTICLES = frozenset("von van de da di del della dos al el bin ibn zu ten ter".split())
_PARTICLE_FOLLOWERS = {"von": {"der", "den", "dem"}, "van": {"der", "den"}, "de": {"la", "los", "las", "le"}}


_PLACE_PREFIXES = frozenset(
    "nord süd ost west nordost nordwest südost südwest mittel zentral ober unter nieder groß klein alt neu ex".split()
)


def _is_title(low: str) -> bool:
    """Tell whether a lower-cased word is a title or office, also inflected ("Präsidenten")."""
    return low in _TITLES or low[:-1] in _TITLES or low[:-2] in _TITLES


def _is_inflected_adjective(token: str) -> bool:
    """Tell whether a lower-case word looks like an inflected adjective ("strategische").

    Past-tense verbs ("sagte", "lobten") are not taken: they often stand before names.
    """
    if not token[:1].islower() or not token.endswith(("e", "en", "er", "es", "em")):
        return False
    return not token.endswith(("te", "ten")) or token.endswith(("ste", "sten"))


def _looks_like_noun(token: str) -> bool:
    low = token.lower()
    return any(low.endswith(end) and len(low) > len(end) + 2 for end in _NOUN_ENDINGS)


def unknown_names(
    corpus: pd.DataFrame,
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    min_count: int = 3,
    *,
    max_tokens: int = 4,
) -> pd.DataFrame:
    """List frequent proper names that no entity of the table covers.

    German capitalises every noun, so a capital letter alone says little. The corpus is read
    twice. First, evidence is gathered for every capitalised word: whether it also occurs in
    lower case anywhere (then it is an ordinary word capitalised at a sentence start), how
    often it follows an article, a number or an inflected adjective ("der Handel",
    "25 Prozent", "neue Projekte") or ends a hyphen compound ("Corona-Pandemie"), and
    whether it has a typical noun ending (-ung, -heit, -ismus, ...). A word is name-like when
    none of that holds (articles etc. for at most a fifth of its occurrences). Second, runs of
    capitalised words (with particles such as "von der" inside, and hyphens) are cut at
    function words, titles ("Präsident"), mentions of known entities and words that are not
    name-like; what remains are the candidates ("Lennart Krüger", "Alaska"). A one-word
    candidate must also occur mid-sentence at least once. Genitive forms are merged into
    their base ("Söders" into "Söder"), and a last word alone into the two-word name that
    holds 90 % of the two-word names it ends ("Spahn" into "Jens Spahn").

    Parameters
    ----------
    corpus : DataFrame
        Articles with ``doc_id`` and ``text``.
    gazetteer : Gazetteer, path or None
        The entity table whose mentions are excluded.
    min_count : int, default 3
        Least number of occurrences to report.
    max_tokens : int, default 4
        Longest name, in words.

    Returns
    -------
    DataFrame
        Columns ``name, count, n_docs, n_tokens, example``, most frequent first.
    """
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
        raise ValueError(f"min_count must be a positive integer, got {min_count!r}")
    if not isinstance(max_tokens, (int, np.integer)) or max_tokens < 1:
        raise ValueError(f"max_tokens must be a positive integer, got {max_tokens!r}")
    corpus, gaz, comp, docs, _keys, starts, ends = _find(corpus, gazetteer, None)
    texts = _texts(corpus["text"])
    spans_by_doc: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for d, s, e in zip(docs.tolist(), starts.tolist(), ends.tolist()):
        spans_by_doc[d].append((s, e))
    known_forms = {_fold_alias(a).casefold() for a in gaz.to_frame()["alias"]}

    # Pass 1: evidence per capitalised word, and the runs of capitalised words.
    lower_vocab: set[str] = set()
    n_seen: Counter = Counter()
    n_noun: Counter = Counter()
    n_mid: Counter = Counter()
    runs: list[tuple[int, list[tuple[str, int, int, str, bool]]]] = []  # doc, [(token, start, end, gap, sentence start)]
    for di, text in enumerate(texts):
        spans = spans_by_doc.get(di, [])  # sorted by start
        span_starts = [s for s, _ in spans]
        run: list[tuple[str, int, int, str, bool]] = []
        prev_token = prev2_token = ""
        prev_end = 0
        for m in _WORD_RE.finditer(text):
            tok, s, e = m.group(), m.start(), m.end()
            gap = text[prev_end:s]
            low = tok.lower()
            after = text[e : e + 2]
            # Words inside URLs, e-mail addresses and handles say nothing about how a word is written.
            in_prose = (not gap or gap[-1].isspace() or gap[-1] in "„“\"(«»") and not (
                after[:1] in ("/", "@") or (after[:1] == "." and after[1:2].isalnum())
            )
            truncated = after[:1] == "-" and (len(after) == 1 or after[1].isspace())  # "Staats- und"
            sentence_start = prev_end == 0 or any(ch in _SENTENCE_MARKS for ch in gap)
            if not tok[:1].isupper():
                if in_prose:
                    lower_vocab.add(low)
                particle_ok = run and gap == " " and (
                    low in _NAME_PARTICLES or low in _PARTICLE_FOLLOWERS.get(run[-1][0], ())
                )
                if particle_ok:
                    run.append((low, s, e, gap, False))
                else:
                    _close_run(run, di, runs, n_noun)
            else:
                i = bisect.bisect_right(span_starts, s) - 1
                known = (i >= 0 and s < spans[i][1]) or (i + 1 < len(spans) and spans[i + 1][0] < e)
                if in_prose or gap == "-":
                    n_seen[tok] += 1
                    n_mid[tok] += not sentence_start
                    after_article = gap == " " and (
                        prev_token.lower() in _DETERMINERS
                        or (prev_token[:1].islower() and prev2_token.lower() in _DETERMINERS)
                        or _is_inflected_adjective(prev_token)
                    )
                    if after_article or any(ch.isdigit() for ch in gap):
                        n_noun[tok] += 1
                if truncated:
                    n_noun[tok] += 1
                if known or truncated or len(tok) < 2 or low in _STOPWORDS or _is_title(low):
                    _close_run(run, di, runs, n_noun)
                else:
                    if run and (sentence_start or gap not in (" ", "-")):
                        _close_run(run, di, runs, n_noun)
                    run.append((tok, s, e, gap, sentence_start))
            prev2_token, prev_token, prev_end = prev_token, tok, e
        _close_run(run, di, runs, n_noun)

    noun_like: dict[str, bool] = {}
    common_noun = lru_cache(maxsize=None)(_is_common_noun)

    def is_noun(tok: str) -> bool:
        """Noun evidence pooled over inflected variants (Frage/Fragen, Partner/Partnern)."""
        if tok not in noun_like:
            variants = {tok, tok + "n", tok + "en", tok + "e", tok + "s"}
            for ending in ("n", "e", "s", "en", "er", "es", "ern"):
                if tok.endswith(ending) and len(tok) - len(ending) >= 3:
                    variants.add(tok[: -len(ending)])
            seen = sum(n_seen[v] for v in variants)
            noun_like[tok] = _looks_like_noun(tok) or sum(n_noun[v] for v in variants) > 0.2 * seen
        return noun_like[tok]

    def name_part(item: tuple[str, int, int, str, bool]) -> bool:
        """A capitalised word can be part of a name: no noun evidence, and not an ordinary word at a sentence start."""
        return not is_noun(item[0]) and not (item[4] and item[0].lower() in lower_vocab)

    # Words that end longer capitalised words are compound heads, i.e. nouns ("Führungsebene" -> "Ebene").
    reversed_vocab = sorted(w.lower()[::-1] for w in n_seen)

    def is_compound_tail(tok: str) -> bool:
        rev = tok.lower()[::-1]
        i = bisect.bisect_left(reversed_vocab, rev)
        while i < len(reversed_vocab) and reversed_vocab[i].startswith(rev):
            prefix = reversed_vocab[i][len(rev) :][::-1]
            if len(prefix) >= 3 and prefix not in _PLACE_PREFIXES:
                return True
            i += 1
        return False

    # Pass 2: cut the runs at words that cannot be part of a name and count what remains.
    seq_counts: Counter = Counter()
    seq_docs: dict[str, set] = defaultdict(set)
    examples: dict[str, str] = {}
    for di, run in runs:
        text = texts[di]
        segment: list[tuple[str, int, int, str, bool]] = []
        for item in run + [None]:
            if item is not None and segment and item[0][:1].islower():
                segment.append(item)  # a particle; dropped again if nothing follows it
                continue
            if item is not None and item[0][:1].isupper() and name_part(item) and (not segment or item[3] in (" ", "-")):
                segment.append(item)
                continue
            while segment and segment[-1][0][:1].islower():
                segment.pop()
            # Common nouns before a name are not part of it ("Wasserkraftwerk Graz", "25-Jährige Thiem"),
            # unless a common noun follows too ("Deutsche Bank").
            while len(segment) > 1 and (segment[0][0][:1].islower() or (
                    common_noun(segment[0][0]) and not common_noun(segment[1][0]))):
                segment.pop(0)
            if segment and len(segment) <= max_tokens:
                start, end = segment[0][1], segment[-1][2]
                name = re.sub(r"\s+", " ", text[start:end])
                if len(segment) == 1 and name.endswith("s") and n_seen[name[:-1]]:
                    name = name[:-1]  # a genitive ("Europas") is judged and counted as its base form
                # A single word must be name-like on its own too: not an ordinary word anywhere,
                # seen mid-sentence, and not the head of compounds.
                single_ok = len(segment) > 1 or (
                    n_mid[name] > 0 and name.lower() not in lower_vocab and not is_compound_tail(name)
                    and not common_noun(name)
                )
                if single_ok and not _is_known_form(name, known_forms):
                    seq_counts[name] += 1
                    seq_docs[name].add(di)
                    examples.setdefault(name, re.sub(r"\s+", " ", text[max(0, start - 40) : end + 40]).strip())
            segment = [item] if item is not None and item[0][:1].isupper() and name_part(item) else []

    # Merge genitive forms into their base ("Söders" -> "Söder"), then a last word alone into the
    # two-word name it ends ("Spahn" -> "Jens Spahn"), as a surname counts for its entity: when that
    # name holds 90 % of the occurrences of the two-word names that end in the word. A word that
    # ends several such names stays apart, and so does one that ends a longer phrase ("Österreich"
    # is not "Grand Prix von Österreich").
    for name in sorted(seq_counts, key=len, reverse=True):
        base = name[:-1]
        if name.endswith("s") and base in seq_counts:
            seq_counts[base] += seq_counts.pop(name)
            seq_docs[base] |= seq_docs.pop(name)
    longer_names: dict[str, list[str]] = defaultdict(list)
    for name in seq_counts:
        if name.count(" ") == 1 and "-" not in name:
            longer_names[name.rsplit(" ", 1)[1]].append(name)
    for name in [n for n in seq_counts if n in longer_names]:
        full = max(longer_names[name], key=seq_counts.__getitem__)
        if seq_counts[full] >= 0.9 * sum(seq_counts[n] for n in longer_names[name]):
            seq_counts[full] += seq_counts.pop(name)
            seq_docs[full] |= seq_docs.pop(name)
    rows = []
    for name, count in seq_counts.items():
        n_tokens = len(re.split(r"[ \-]+", name))
        if count < min_count:
            continue
        rows.append((name, count, len(seq_docs[name]), n_tokens, examples[name]))
    out = pd.DataFrame(rows, columns=["name", "count", "n_docs", "n_tokens", "example"])
    return out.sort_values(["count", "n_tokens", "name"], ascending=[False, False, True], ignore_index=True)


# Endings after a known name form that leave it the same name ("Trumps", "Nationen", "Kasachstaner" is not one).
_KNOWN_FORM_ENDINGS = ("s", "es", "'s", "'", "n", "en")


def _is_known_form(name: str, known_forms: set[str]) -> bool:
    """Tell whether a name is a form of the table, also with a genitive or plural ending ("Trumps")."""
    folded = _fold_alias(name).casefold()
    return folded in known_forms or any(
        folded.endswith(ending) and folded[: -len(ending)] in known_forms for ending in _KNOWN_FORM_ENDINGS)


def _close_run(run: list, di: int, runs: list, n_noun: Counter) -> None:
    """Store a finished run of capitalised words and empty it.

    The head of a hyphen compound (the last part: "Corona-Pandemie", "Jackson-Vanik-Gesetz")
    counts as evidence that the word is a common noun.
    """
    if not run:
        return
    for i, (tok, _s, _e, gap, _sentence_start) in enumerate(run):
        if gap == "-" and (i + 1 == len(run) or run[i + 1][3] != "-"):
            n_noun[tok] += 1
    runs.append((di, list(run)))
    run.clear()


def koelner_phonetik(word: str, raw: bool = False) -> str:
    """Return the Kölner Phonetik code of a word (Postel 1969).

    Parameters
    ----------
    word : str
        A word or name; characters other than letters are skipped.
    raw : bool, default False
        Return the code before repeated digits are collapsed and zeros removed.

    Examples
    --------
    >>> koelner_phonetik("Müller-Lüdenscheidt", raw=True)
    '60550750206880022'
    >>> koelner_phonetik("Müller-Lüdenscheidt")
    '65752682'
    >>> koelner_phonetik("Tokajew") == koelner_phonetik("Tokayev")
    True
    """
    if not isinstance(word, str):
        raise ValueError(f"word must be a string, got {type(word).__name__}")
    letters = []
    for c in unicodedata.normalize("NFC", word):
        if c == "ß":
            letters.append("ß")
        elif c.isalpha():
            base = unicodedata.normalize("NFD", c)[0].upper()  # Ä -> A, é -> E
            letters.append(base)
    codes = []
    for i, c in enumerate(letters):
        prev = letters[i - 1] if i > 0 else ""
        nxt = letters[i + 1] if i + 1 < len(letters) else ""
        if c in "AEIJOUY":
            code = "0"
        elif c == "H":
            code = ""
        elif c == "B":
            code = "1"
        elif c == "P":
            code = "3" if nxt == "H" else "1"
        elif c in "DT":
            code = "8" if nxt in ("C", "S", "Z", "ß") else "2"
        elif c in "FVW":
            code = "3"
        elif c in "GKQ":
            code = "4"
        elif c == "C":
            if i == 0:
                code = "4" if nxt in ("A", "H", "K", "L", "O", "Q", "R", "U", "X") else "8"
            elif prev in ("S", "Z", "ß"):
                code = "8"
            else:
                code = "4" if nxt in ("A", "H", "K", "O", "Q", "U", "X") else "8"
        elif c == "X":
            code = "8" if prev in ("C", "K", "Q") else "48"
        elif c == "L":
            code = "5"
        elif c in "MN":
            code = "6"
        elif c == "R":
            code = "7"
        elif c in ("S", "Z", "ß"):
            code = "8"
        else:
            code = ""  # letters outside the Latin alphabet are skipped
        codes.append(code)
    raw_code = "".join(codes)
    if raw:
        return raw_code
    collapsed = re.sub(r"(\d)\1+", r"\1", raw_code)
    return collapsed[:1] + collapsed[1:].replace("0", "")


def _phonetic_key(name: str) -> str:
    return " ".join(koelner_phonetik(part) for part in re.split(r"[\s\-]+", name) if part)


_SUGGESTION_COLUMNS = ["name", "count", "entity_id", "entity", "closest_alias", "similarity", "phonetic_match", "group"]


def suggest_aliases(
    names: pd.DataFrame | Iterable[str],
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    *,
    min_similarity: float = 85.0,
    min_phonetic_similarity: float = 78.0,
    min_count: int = 3,
) -> pd.DataFrame:
    """Suggest, for review, which names are spelling variants of known entities or of each other.

    Only names of four letters or more are compared. Two spellings are taken for variants
    when their Kölner Phonetik codes agree and their similarity (rapidfuzz ``fuzz.ratio`` on case-folded text,
    0-100, an edit-distance measure) reaches ``min_phonetic_similarity``, or when the
    similarity alone reaches ``min_similarity``. The
    last word of a name is compared with single-word name forms too ("Bachtijor Saidow"
    against "Saidov"). Nothing is added to any table: adopt a suggestion with
    :meth:`Gazetteer.with_aliases` or by editing the entity file.

    Parameters
    ----------
    names : DataFrame or iterable of str
        The output of :func:`unknown_names` (columns ``name`` and ``count``), a corpus
        (columns ``doc_id`` and ``text``; :func:`unknown_names` is run on it) or names.
    gazetteer : Gazetteer, path or None
        The entity table to compare with.
    min_similarity : float, default 85
        Similarity from which two spellings are variants without sounding alike.
    min_phonetic_similarity : float, default 78
        Similarity from which two spellings that sound alike are variants.
    min_count : int, default 3
        Passed to :func:`unknown_names` when ``names`` is a corpus.

    Returns
    -------
    DataFrame
        Columns ``name, count, entity_id, entity, closest_alias, similarity, phonetic_match,
        group``: one row per name that resembles a known entity (``entity_id`` set) or
        another listed name (same ``group`` number); phonetic matches and the most similar
        first.

    Examples
    --------
    >>> suggest_aliases(["Tokajeff", "Lennart Krüger"])[["name", "entity_id"]].values.tolist()
    [['Tokajeff', 'tokayev']]
    """
    from rapidfuzz import fuzz, process

    gaz = _gazetteer(gazetteer)
    if isinstance(names, str):
        raise ValueError("names must be a list of names or a DataFrame, not a single string")
    if isinstance(names, pd.DataFrame) and "text" in names.columns:
        names = unknown_names(names, gaz, min_count=min_count)
    if isinstance(names, pd.DataFrame):
        if "name" not in names.columns:
            raise ValueError("names: a DataFrame needs a 'name' column (the output of unknown_names)")
        count_col = names["count"] if "count" in names.columns else pd.Series(np.nan, index=names.index)
        counts = dict(zip(names["name"], count_col))
    else:
        counts = {str(n): np.nan for n in names}
    # Names the table already counts, also with an ending ("Trumps"), are not suggested.
    known_forms = {_fold_alias(a).casefold() for a in gaz.to_frame()["alias"]}
    cand = [n for n in counts if isinstance(n, str) and n.strip() and not _is_known_form(n, known_forms)]
    if not cand:
        return pd.DataFrame(columns=_SUGGESTION_COLUMNS)

    alias_table = gaz.to_frame()
    alias_table = alias_table[alias_table["form"] == "name"].reset_index(drop=True)
    alias_forms = [_fold_alias(a).casefold() for a in alias_table["alias"]]
    alias_codes = np.array([_phonetic_key(a) for a in alias_table["alias"]] or [""], dtype=object)
    single_word = np.array([not re.search(r"[\s\-]", a) for a in alias_forms] or [False])
    cand_forms = [_fold_alias(n).casefold() for n in cand]
    cand_last = [re.split(r"[\s\-]+", f)[-1] for f in cand_forms]
    cand_codes = np.array([_phonetic_key(n) for n in cand], dtype=object)
    cand_last_codes = np.array([koelner_phonetik(last) for last in cand_last], dtype=object)

    cand_long = np.array([len(f) >= 4 for f in cand_forms])
    rows = []
    if alias_forms:
        full = process.cdist(cand_forms, alias_forms, scorer=fuzz.ratio)
        last = process.cdist(cand_last, alias_forms, scorer=fuzz.ratio)
        # Only names of four letters or more are compared ("Bord" is not "BRD", "Bak" is not "Baku").
        alias_long = np.array([len(a) >= 4 for a in alias_forms])
        last_long = np.array([len(f) >= 4 and f != c for f, c in zip(cand_last, cand_forms)])
        same_full = (cand_codes[:, None] == alias_codes[None, :]) & cand_long[:, None] & alias_long[None, :]
        same_last = (
            (cand_last_codes[:, None] == alias_codes[None, :]) & single_word[None, :] & last_long[:, None] & alias_long[None, :]
        )
        best_sim = np.maximum(np.where(same_full, full, 0), np.where(same_last, last, 0))
        sound_ok = (same_full & (full >= min_phonetic_similarity)) | (same_last & (last >= min_phonetic_similarity))
        plain_sim = np.maximum(full, last)
        # Rank: sounding alike first, then similarity.
        plain_ok = (plain_sim >= min_similarity) & cand_long[:, None] & alias_long[None, :]
        score = np.where(sound_ok, 1000 + best_sim, np.where(plain_ok, plain_sim, -1))
        best = score.argmax(axis=1)
    for i, name in enumerate(cand):
        if alias_forms and score[i, best[i]] >= 0:
            j = best[i]
            row = alias_table.iloc[j]
            sim = float(score[i, j] - 1000) if score[i, j] >= 1000 else float(score[i, j])
            rows.append([name, counts[name], row["id"], row["name"], row["alias"], round(sim, 1), bool(score[i, j] >= 1000)])
        else:
            rows.append([name, counts[name], None, None, None, np.nan, False])

    # Group the names among themselves (union-find over variant pairs).
    parent = list(range(len(cand)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pair = process.cdist(cand_forms, cand_forms, scorer=fuzz.ratio)
    same_pair = (cand_codes[:, None] == cand_codes[None, :]) & cand_long[:, None] & cand_long[None, :]
    linked = ((pair >= min_similarity) & cand_long[:, None] & cand_long[None, :]) | (same_pair & (pair >= min_phonetic_similarity))
    for i, j in zip(*np.nonzero(np.triu(linked, k=1))):
        parent[find(int(i))] = find(int(j))
    roots = [find(i) for i in range(len(cand))]
    sizes = Counter(roots)
    group_no = {r: k for k, r in enumerate(dict.fromkeys(r for r in roots if sizes[r] > 1))}
    out = pd.DataFrame(rows, columns=_SUGGESTION_COLUMNS[:-1])
    out["group"] = pd.array([group_no.get(r) for r in roots], dtype="Int64")
    out = out[out["entity_id"].notna() | out["group"].notna()]
    return out.sort_values(["phonetic_match", "similarity", "count"], ascending=False, ignore_index=True)
