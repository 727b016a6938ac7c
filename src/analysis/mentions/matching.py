"""Find mentions: one Aho-Corasick pass over each folded text, word boundaries, endings and context rules."""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import pandas as pd

from analysis.engine import is_partitioned, map_partitions, reduce_partitions
from analysis.mentions.entities import (
    _FORM_DATELINE,
    _RULE_COMMON_WORD,
    _RULE_FULL_NAME,
    _RULE_PLACE,
    _RULE_PLACE_NAME,
    _RULE_TEAM_PLACE,
    _RULE_UNIT,
    FORMS,
    NAME_CONTEXTS_PATH,
    Gazetteer,
    _Compiled,
    _is_common_noun,
    _lower_case_word,
    _name_contexts,
    _word_alternatives,
)
from analysis.mentions.folding import (
    _APOSTROPHE_ADJECTIVES,
    _GATE_RE,
    _fold_slow,
    _is_word_char,
    _same_length_fold,
    _separator_re,
)
from analysis.text import blank_links

MENTION_COLUMNS = ["doc_id", "entity_id", "entity", "type", "surface", "start", "end", "form"]


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
    r"|(?:^|\n)[ \t\xa0]*[Vv]on[ \t\xa0]+(?:[A-ZÄÖÜ][\w.'’\-]*[ \t\xa0]+){2,4})aus[ \t\xa0]+\Z"  # Von Thomas Mayer aus
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
      ("„Studio Berlin“"), unless a slogan word comes before it ("Motto „America First“").
    * A city's or region's name standing for its team is not the place ("Transfer-Ticker: Bayern
      verkündet ...", "Bayern-Sieg"; see :func:`_is_team`).
    * A place or country name right after a first name is a person's surname ("Tilo Berlin",
      "Jack London"; first names from Faker's person providers, see :func:`_first_names`).
    * A place at the start of the text or a line, followed by a dash, an agency in brackets
      or a full stop ("Berlin –", "Wien (APA) –"), and the place of a byline ("(Thomas Mayer
      aus Brüssel, 14.12.2015)") are kept with the form "dateline" (left out of counts). After
      a dash alone the line must go on with body text, not a subheading ("Wien – Neue Regeln").
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
            if rule & _RULE_TEAM_PLACE and _is_team(text, start, end, comp.key_len[key]):
                continue
            if is_name and before == " " and _after_first_name(text, start):
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


@dataclass(frozen=True)
class _TeamContexts:
    locative: re.Pattern  # searched right before a place name: "in ", "nach "
    sport: re.Pattern  # searched in the sentence: "Trainer", "Bundesliga"
    compound: re.Pattern  # matched right after the name: "-Sieg", "-Fans"
    slogan: re.Pattern  # searched right before an opening quotation mark: "Motto ", "Slogan "


@lru_cache(maxsize=1)
def _team_contexts() -> _TeamContexts:
    """Read the words that tell a place standing for its team, and a slogan in quotation marks (``data/name_contexts.yaml``)."""
    import yaml

    data = yaml.safe_load(NAME_CONTEXTS_PATH.read_text(encoding="utf-8"))
    return _TeamContexts(
        locative=re.compile(f"(?<![\\w'])(?:{_word_alternatives(data['locative'])})[ \xa0]+\\Z", re.IGNORECASE),
        sport=re.compile(f"(?<![^\\W\\d_])(?:{_word_alternatives(data['sport_words'])})"),
        compound=re.compile(f"[-\u2010\u2011](?:[^\\W\\d_]+(?i:{_word_alternatives(data['team_compounds'])})|"
                            f"(?:{_word_alternatives(data['team_compounds'])}))(?![\\w'])"),
        slogan=re.compile(f"(?<![\\w'])(?:{_word_alternatives(data['slogan_words'])})(?:[ \xa0]+[^ \xa0]+){{0,2}}[ \xa0]*\\Z"),
    )


# What ends a sentence for the team rule: a headline's rubric before a colon belongs to the sentence after it.
_SENTENCE_BOUNDARY = re.compile(r"[.!?…\n]")
# How far from a place's name a sport word is looked for, in its sentence: about six words; in a text
# no longer than a headline with its teaser, anywhere.
SPORT_CHARS = 50
SHORT_TEXT_CHARS = 400


def _is_team(text: str, start: int, end: int, base_len: int) -> bool:
    """Tell whether a city's or region's name at ``start:end`` stands for its team ("Bayern siegt").

    Not after a preposition of place ("in Bayern"), it does when a team word follows it after a
    hyphen, alone or ending a compound ("Bayern-Sieg", "Bayern-Superstar"), or a sport word stands
    close to it in its sentence, at most :data:`SPORT_CHARS` characters away ("Transfer-Ticker:
    Bayern verkündet ...", "im Derby gegen Leipzig"), or anywhere in a text of at most
    :data:`SHORT_TEXT_CHARS` characters (a headline and its teaser). The words are in
    ``data/name_contexts.yaml``.
    """
    contexts = _team_contexts()
    if contexts.locative.search(text, max(0, start - 16), start):
        return False
    if contexts.compound.match(text, start + base_len):
        return True
    if len(text) <= SHORT_TEXT_CHARS:  # a headline and its teaser: the whole text is the context
        return contexts.sport.search(text) is not None
    low = max([text.rfind(mark, max(0, start - SPORT_CHARS), start) for mark in ".!?…\n"] + [start - SPORT_CHARS - 1]) + 1
    high = _SENTENCE_BOUNDARY.search(text, end, end + SPORT_CHARS)
    return contexts.sport.search(text, max(0, low), high.start() if high else min(len(text), end + SPORT_CHARS)) is not None


# The languages whose first names are read from Faker's person providers: those of the people
# German-language news speaks of most, in the Latin script.
FIRST_NAME_LOCALES = ("de_DE", "de_AT", "de_CH", "en_US", "en_GB", "en_IE", "fr_FR", "it_IT", "es_ES", "nl_NL",
                      "pl_PL", "cs_CZ", "hu_HU", "hr_HR", "ro_RO", "pt_PT", "sv_SE", "da_DK", "tr_TR")


@lru_cache(maxsize=1)
def all_first_names() -> frozenset[str]:
    """Return the first names of Faker's person providers (:data:`FIRST_NAME_LOCALES`), also those that are German words ("Horst")."""
    import importlib

    names: set[str] = set()
    for locale in FIRST_NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names.update(getattr(provider, attribute, None) or ())
    return frozenset(n for n in names if n.isalpha() and n[:1].isupper() and len(n) > 2)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """Return the first names of :func:`all_first_names` that are no German words.

    "Tilo", "George", "Jack" stay; "Rosa" (rosa), "Hans" and "Winter" (a noun) go, so that "den
    Winter Berlin" is not taken for a person.
    """
    return frozenset(n for n in all_first_names() if not _lower_case_word(n) and not _is_common_noun(n))


def _after_first_name(text: str, start: int) -> bool:
    """Tell whether the place name at ``start`` follows a first name, as a person's surname ("Tilo Berlin", "Jack London")."""
    word_start = text.rfind(" ", max(0, start - 25), start - 1) + 1
    word = text[word_start:start - 1]
    if not word or not word[0].isupper() or word not in _first_names():
        return False
    return word_start == 0 or text[word_start - 1] in " \n\t\xa0\"„“‚'(»«"


def _in_title_quotes(text: str, start: int, end: int) -> bool:
    """Tell whether a name stands in quotation marks with one to three capitalised words, as in a title.

    "„Studio Berlin“", "»Babylon Berlin«", "„Letzte Spur Berlin“" are the names of programmes,
    films or groups; a quoted sentence ("„Berlin muss handeln“") has words in lower case, and a
    slogan follows a word such as "Motto" ("unter dem Motto „America First“": ``slogan_words`` in
    ``data/name_contexts.yaml``).
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
    return 1 <= n_words <= 3 and not _team_contexts().slogan.search(text, max(0, opening - 60), opening)


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
            if not tail.group("stop") and not _body_follows(text, tail.end()):
                return -1  # a subheading: "Wien – Neue Regeln"
        return tail.end()
    if text[start - 4:start - 1] == "aus" and _BYLINE_HEAD.search(text, max(0, start - 80), start):
        tail = _BYLINE_TAIL.match(text, end)
        return tail.end() if tail else -1
    return -1


# The fewest words after a dash that make a line without a final sentence mark a paragraph of body text.
BODY_WORDS = 8


def _body_follows(text: str, start: int) -> bool:
    """Tell whether the rest of the line from ``start`` is body text: a finished sentence or :data:`BODY_WORDS` words."""
    end = text.find("\n", start)
    rest = text[start:end if end >= 0 else len(text)].rstrip()
    return rest.endswith((".", "!", "?", "…", "\"", "“", "”", "»", "«", ")", ":")) or len(rest.split()) >= BODY_WORDS


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
    """Scan a column of texts (non-strings count as empty), or a corpus store's; return what :func:`_scan_many` returns for all.

    The texts are scanned partition by partition where :mod:`analysis.engine` runs the work;
    the tasks read a store's texts themselves.
    """
    # rows numbered from 0 (a store numbers its partitions' rows so too): a partition's index gives its offset
    frame = texts if is_partitioned(texts) else pd.DataFrame({"text": texts.array})
    found = map_partitions(_scan_partition, frame, _SCAN_META, comp=comp, surfaces=surfaces, n_jobs=n_jobs,
                           per_article=False, columns=["text"])
    arrays = tuple(found[name].to_numpy(dtype=np.int64) for name in ("doc", "key", "start", "end"))
    return (*arrays, found["surface"].tolist()) if surfaces else arrays


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _as_corpus(corpus: object) -> pd.DataFrame:
    """Validate the corpus argument and return a DataFrame with doc_id and text (of a corpus store: every column but the texts)."""
    if is_partitioned(corpus):
        return corpus.read([column for column in corpus.columns if column not in ("text", "raw_text", "removed")])
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
    frame = _as_corpus(corpus)
    gaz = _gazetteer(gazetteer)
    comp = gaz._compile()
    return (frame, gaz, comp) + _scan_corpus(corpus if is_partitioned(corpus) else frame["text"], comp, n_jobs, surfaces)


def find_mentions(
    corpus: pd.DataFrame,
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    *,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Find every entity mention in a corpus.

    Parameters
    ----------
    corpus : DataFrame or CorpusStore
        One row per article with columns ``doc_id`` and ``text`` (a Series of texts or a
        single string are accepted too), or a corpus store (:func:`analysis.load.open_store`),
        whose texts the tasks read a partition at a time; ``start``/``end`` are then offsets
        into the store's ``text``.
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
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """List an entity's mentions in context (keyword in context).

    Parameters
    ----------
    corpus : DataFrame or CorpusStore
        Articles with ``doc_id`` and ``text``, or a corpus store (:func:`analysis.load.open_store`),
        read partition by partition: only the mentions in context come back.
    entity : str
        An entity id, display name or any of its name forms ("Tokajew" finds ``tokayev``).
    window : int, default 60
        Characters of context on each side, less a word the window would cut; runs of
        whitespace are shown as one space.
    gazetteer : Gazetteer, path or None
        The entity table; None uses the default table.
    include_adjectives : bool, default False
        Also list adjective and demonym forms.
    include_datelines : bool, default False
        Also list the places of datelines and bylines.
    n_jobs : int or None
        Processes for a store's partitions, as scikit-learn reads it (see :mod:`analysis.engine`);
        a frame is scanned in this process.

    Returns
    -------
    DataFrame
        Columns ``doc_id, left, match, right``, one row per mention, in corpus order.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": [7], "text": ["Gestern rief Tokajew in Washington an."]})
    >>> kwic(df, "Tokayev", window=8).values.tolist()
    [[7, ' rief ', 'Tokajew', ' in ']]
    """
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 0:
        raise ValueError(f"window must be a non-negative integer, got {window!r}")
    gaz = _gazetteer(gazetteer)
    target = gaz._index(gaz.resolve(entity).id)
    comp = gaz._compile()
    options = {"window": window, "include_adjectives": include_adjectives, "include_datelines": include_datelines}
    if not is_partitioned(corpus):
        return _kwic_partition(_as_corpus(corpus), comp, target, **options)
    parts = reduce_partitions(_kwic_partition, corpus, comp, target, n_jobs=n_jobs, columns=["doc_id", "text"], **options)
    parts = [part for part in parts if len(part)]  # only partitions with mentions: an empty one has no column types
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame([], columns=_KWIC_COLUMNS)


_KWIC_COLUMNS = ["doc_id", "left", "match", "right"]
_KWIC_CUT_START = re.compile(r"\w\w")  # two word characters: a window edge between them cuts a word
_KWIC_WORD_END = re.compile(r"\w*")  # the rest of a cut word at the start of the left context
_KWIC_WORD_START = re.compile(r"\w*$")  # the start of a cut word at the end of the right context


def _kwic_partition(part: pd.DataFrame, comp: _Compiled, target: int, window: int, include_adjectives: bool,
                    include_datelines: bool) -> pd.DataFrame:
    """List the mentions of the entity numbered ``target`` in a partition's articles, in context (see :func:`kwic`)."""
    texts = _texts(part["text"])
    docs, keys, starts, ends = _scan_many(texts, comp)  # in one process, on the strings needed below anyway
    keep = comp.key_entity[keys] == target
    keep &= _counted(comp.key_form[keys], include_adjectives, include_datelines)
    doc_ids = part["doc_id"].tolist()
    squeeze = re.compile(r"\s+")
    rows = []
    for d, s, e in zip(docs[keep].tolist(), starts[keep].tolist(), ends[keep].tolist()):
        text = texts[d]
        first, last = max(0, s - window), min(len(text), e + window)
        if first > 0 and _KWIC_CUT_START.match(text, first - 1):  # the window began inside a word: leave it out
            first = min(s, _KWIC_WORD_END.search(text, first).end())
        if last < len(text) and _KWIC_CUT_START.match(text, last - 1):  # it ended inside a word
            last = max(e, _KWIC_WORD_START.search(text, e, last).start())
        rows.append((doc_ids[d], squeeze.sub(" ", text[first:s]), text[s:e], squeeze.sub(" ", text[e:last])))
    return pd.DataFrame(rows, columns=_KWIC_COLUMNS)


# ---------------------------------------------------------------------------------------
# Names the table does not know
# ---------------------------------------------------------------------------------------

