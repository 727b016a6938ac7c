"""The entity table: entries read from YAML or CSV, their name forms, and the German words and name contexts the rules need."""
from __future__ import annotations

import csv
import io
import logging
import os
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import ahocorasick
import numpy as np
import pandas as pd

from analysis.mentions.folding import (
    _FIRST_CHAR_RANK,
    _KEY_PREFIXES,
    _fold_alias,
    _is_word_char,
)
from analysis.paths import PACKAGE_DATA_DIR

logger = logging.getLogger(__name__)

ENTITY_TYPES = ("person", "country", "organisation", "place", "event", "topic")
DEFAULT_ENTITIES_PATH = PACKAGE_DATA_DIR / "entities.yaml"
#: The rest of the default table: every sovereign state and capital (made by scripts/build_state_entities.py).
DEFAULT_EXTRA_PATHS = (PACKAGE_DATA_DIR / "states.yaml",)
#: Topic entities, opt-in: ``Gazetteer.from_file(TOPICS_ENTITIES_PATH)`` adds them to the default table.
TOPICS_ENTITIES_PATH = PACKAGE_DATA_DIR / "topics.yaml"
#: Endings allowed after a name form when an entity sets no ``suffixes`` of its own.
DEFAULT_NAME_SUFFIXES = ("s",)
#: Endings allowed after an adjective or demonym form ("kasachisch" + "e", "Kasache" + "n").
ADJECTIVE_SUFFIXES = ("innen", "in", "em", "en", "er", "es", "e", "n", "s")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
# The keys of an entry. ``units`` (not in the head of entities.yaml yet): name forms that are also units
# of measure ("Zoll", the inch); right after a number ("5,5 Zoll", "10-Zoll-Display") they are not a mention.
_ENTRY_KEYS = {"id", "name", "type", "aliases", "adjectives", "case_sensitive", "ignore", "units", "suffixes", "note"}
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
_RULE_TEAM_PLACE = 32  # a city's or region's name form: may stand for its team ("Bayern siegt")


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
            if entity.type == "place" and form == 0:
                rules |= _RULE_TEAM_PLACE
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
