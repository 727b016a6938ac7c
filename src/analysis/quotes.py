"""Find quotations in German news and who speaks in them: direct, indirect and reported speech.

:func:`find_quotes` returns one row per quotation with its form, the quoted or reported words, the
cue (the reporting verb or phrase) and the speaker, each with offsets into the text as given, and
the entity of the table behind the speaker. The work on each article is done by
:func:`quotes_in_partition`, a pure function of a DataFrame of articles, which :mod:`analysis.engine`
maps over the partitions of a corpus: in this process, on this machine's cores or on a Dask cluster.

Everything is rules and the word lists in ``analysis/data/quote_lexicon.yaml`` (reporting verbs,
whose inflected forms are built here by rule, utterance nouns, Konjunktiv forms, and the nouns for
people, roles, institutions and texts that can be speakers), with simplemma's German dictionary
(read through :mod:`analysis.mentions`) to tell names from common nouns; nothing is learned from
annotated data and nothing is downloaded.

Examples
--------
>>> df = pd.DataFrame({"doc_id": [1], "text": ["„Wir sind bereit“, sagte Tokajew am Montag."]})
>>> find_quotes(df)[["form", "text", "cue", "speaker", "entity_id"]].values.tolist()
[['direct', 'Wir sind bereit', 'sagte', 'Tokajew', 'tokayev']]
"""
from __future__ import annotations

import bisect
import collections
import functools
import itertools
import logging
import os
import re
from dataclasses import dataclass
from importlib import resources

import ahocorasick
import numpy as np
import pandas as pd
import yaml

from analysis.engine import is_partitioned, map_partitions
from analysis.mentions import Gazetteer, find_mentions
from analysis.mentions.discovery import _looks_like_noun
from analysis.mentions.entities import _german_lexicon, _is_common_noun, _lower_case_word
from analysis.mentions.folding import _is_word_char
from analysis.mentions.matching import _as_corpus, _first_names, _gazetteer, all_first_names

logger = logging.getLogger(__name__)

QUOTE_COLUMNS = [
    "doc_id", "form", "start", "end", "text", "cue", "cue_start", "cue_end",
    "speaker", "speaker_start", "speaker_end", "entity_id",
]
_OFFSETS = ("start", "end", "cue_start", "cue_end", "speaker_start", "speaker_end")
_STRINGS = ("form", "text", "cue", "speaker", "entity_id")
#: The columns and dtypes :func:`quotes_in_partition` returns (``meta=`` for Dask), doc_id aside.
QUOTE_META = {c: ("Int64" if c in _OFFSETS else "string") for c in QUOTE_COLUMNS if c != "doc_id"}

# ---------------------------------------------------------------------------------------
# The lexicon
# ---------------------------------------------------------------------------------------

_INSEPARABLE = ("be", "emp", "ent", "er", "ge", "miss", "ver", "zer", "hinter", "über", "unter", "wider")
_AUXILIARIES = frozenset(
    "hat haben hatte hatten habe hätte hätten ist sind war waren sei seien wäre wird werden wurde wurden "
    "worden werde würde würden".split()
)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Word forms that mark reported speech, built from ``quote_lexicon.yaml``."""

    finite: frozenset  # finite forms usable on their own: sagte, erklärt, mitteilte, ...
    participles: frozenset  # gesagt, mitgeteilt, ...
    separable: dict  # base forms that need their particle later in the clause: teilte -> {mit}
    nouns: frozenset  # Angaben, Aussage, ...
    konjunktiv_1: frozenset
    konjunktiv_2: frozenset
    triggers: frozenset  # every word that can begin a cue: the verb forms, "laut", "zufolge", "nach", ...
    separable_only: frozenset  # forms that are a cue only with their particle ("gibt" … "an")
    verb_forms: frozenset  # finite, participles and separable together
    speaker_nouns: re.Pattern  # matches the end of a noun for people, roles, institutions: "Polizeisprecherin"
    source_nouns: re.Pattern  # texts named as a source: "Mitteilung", "Studie"
    words: frozenset  # the triggers and the nouns
    automaton: ahocorasick.Automaton  # finds the words behind each of _HIT_PREFIXES


def _weak_forms(verb: str) -> tuple[list[str], str]:
    """Return the finite forms and the participle of a weak verb given by its infinitive."""
    stem = verb[:-1] if verb.endswith(("eln", "ern")) else verb[:-2]
    joint = "e" if re.search(r"([td]|chn|ffn|[^aeiouäöülrhmn][mn])$", stem) else ""
    prefix = "" if verb.startswith(_INSEPARABLE) or verb.endswith("ieren") else "ge"
    finite = [stem + joint + "t", verb, stem + joint + "te", stem + joint + "ten", stem + "e"]
    return finite, prefix + stem + joint + "t"


def _noun_endings(stems: list[str]) -> re.Pattern:
    """Compile stems into a pattern for lower-cased nouns ending in one of them, with "-in" or an inflection.

    A stem in "-e" also has its feminine without the "e": "experte" matches "Expertin", "Expertinnen".
    """
    forms = {stem.lower() for stem in stems} | {stem.lower()[:-1] + "in" for stem in stems if stem.endswith("e")}
    alternatives = "|".join(sorted((re.escape(form) for form in forms), key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?:in|innen|en|n|e|es|s|er|ern)?$")


def _build_lexicon(raw: dict) -> Lexicon:
    finite: set[str] = set()
    participles: set[str] = set()
    separable: dict[str, set[str]] = {}
    for entry in raw["verbs"]:
        verb, irregular = next(iter(entry.items())) if isinstance(entry, dict) else (entry, "")
        particle, _, base = verb.strip().rpartition("|")
        if irregular:
            third, past, past_plural, participle, konjunktiv = irregular.split()
            forms = [third, base, past, past_plural, konjunktiv]
        else:
            forms, participle = _weak_forms(base)
        if particle:
            for form in forms:
                separable.setdefault(form, set()).add(particle)
            finite.update(particle + form for form in forms)
            participles.add(particle + participle)
        else:
            finite.update(forms)
            participles.add(participle)
    starters = {"laut", "gemäß", "zufolge", "nach", "so"} | _ANAPHORIC_CUES
    triggers = finite | participles | set(separable) | starters | {w.capitalize() for w in starters}
    words = frozenset(triggers | set(raw["nouns"]))
    automaton = ahocorasick.Automaton()
    for word in words:
        for prefix in _HIT_PREFIXES:
            automaton.add_word(prefix + word, word)
    automaton.make_automaton()
    return Lexicon(
        words=words,
        speaker_nouns=_noun_endings(raw["speaker_nouns"]),
        source_nouns=_noun_endings(raw["source_nouns"]),
        automaton=automaton,
        triggers=frozenset(triggers),
        separable_only=frozenset(set(separable) - finite - participles),
        verb_forms=frozenset(finite | participles | set(separable)),
        finite=frozenset(finite),
        participles=frozenset(participles),
        separable={k: frozenset(v) for k, v in separable.items()},
        nouns=frozenset(raw["nouns"]),
        konjunktiv_1=frozenset(raw["konjunktiv_1"]),
        konjunktiv_2=frozenset(raw["konjunktiv_2"]),
    )


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """Return the lexicon shipped with the package (``analysis/data/quote_lexicon.yaml``)."""
    text = resources.files("analysis").joinpath("data/quote_lexicon.yaml").read_text(encoding="utf-8")
    return _build_lexicon(yaml.safe_load(text))


# ---------------------------------------------------------------------------------------
# Words of the grammar around a cue
# ---------------------------------------------------------------------------------------

_DETERMINERS = frozenset(
    "der die das des dem den ein eine einer eines einem einen sein seine seiner seines seinem seinen ihr ihre "
    "ihrer ihres ihrem ihren dessen deren kein keine zwei drei vier mehrere viele alle beide beiden einige "
    "andere weitere zahlreiche unser unsere".split()
)
_PRONOUNS = frozenset("er sie ich wir".split())
_SKIP_AFTER_VERB = frozenset(
    "auch jedoch dazu nun zudem bereits ebenfalls heute gestern damals außerdem weiter erneut später zuvor noch "
    "dann kürzlich jetzt mehrfach daher deshalb allerdings aber wiederum schließlich abschließend bislang "
    "neulich einst einmal mal zunächst gegenüber offenbar sich einerseits andererseits dabei inzwischen mittlerweile "
    "vor wenigen tagen kurz danach".split()
)
_TIME_PREPOSITIONS = frozenset("am im vor nach seit".split())
_NOT_SUBJECT_START = frozenset(
    "am im in an auf aus bei mit nach seit von vor zu zum zur über unter für gegen ohne um durch während wegen "
    "trotz nach dazu darauf daraufhin dabei damit danach davor deshalb daher dennoch jedoch trotzdem zudem "
    "außerdem gestern heute morgen jetzt nun später zuvor bereits schon erst auch noch so dies das diese dieser "
    "dieses es hier dort damals anschließend zunächst schließlich inzwischen mittlerweile bislang bisher "
    "gleichzeitig zugleich ebenso allerdings als wenn weil nachdem während obwohl da bevor sobald ob wie weiter "
    "weiterhin ferner abschließend hierzu dazu demnach damals ebenfalls offiziell gegenüber insbesondere besonders "
    "zwar immerhin derweil unterdessen indes hingegen jedenfalls vielleicht wahrscheinlich angeblich tatsächlich "
    "eigentlich natürlich wohl stattdessen ebenso gerade".split()
)
_NOT_NAMES = frozenset(
    "man wer was dann es das dies diese dieser dieses hier da doch so nun jetzt heute alle viele einige andere "
    "wir ich ihr sie er jeder jede niemand jemand nichts alles beide".split()
)
_DEMONSTRATIVES = frozenset("das dies diese dieser dieses".split())
_NOT_NOMINATIVE = frozenset("den dem einem einen diesem diesen".split())
_CLAUSE_OPENERS = frozenset("und oder aber doch denn sondern auch selbst sogar nur".split())
_COMPLEMENTIZERS = frozenset("dass daß ob warum weshalb wieso wann wo wer was wie inwieweit welche welcher".split())
_NOT_COMPLEMENT = frozenset("nachdem als weil wenn bevor obwohl während sobald da damit um und welche".split())
_NOT_VERBS_E = frozenset(
    "heute gerne alleine lange ohne bitte gerade beinahe nahe eine keine seine ihre meine deine unsere eure diese "
    "jede jene welche solche manche alle beide viele einige mehrere andere weitere wenige sämtliche etliche "
    "derselbe dieselbe ebenfalls ende halbe ganze gewisse bzw je wurde".split()
)
_RARE_TRIGGERS = frozenset("so nach Nach So".split())  # cues only beside a comma or an utterance noun
_ANAPHORIC_CUES = frozenset("demnach wonach demzufolge".split())
_CLAUSE_WITHOUT_COMMA = re.compile(r"^\W*(?:[Dd]as|[Dd]ies|[Ss]o)\b|\b(?:dass|daß|ob|[Ww]ie)\b")

_WORD = re.compile(r"\w+")
_WORD_OR_NAME = re.compile(r"\w+(?:-\w+)*")
_FIRST_WORD = re.compile(r"\s*,?\s*(\w+)")
_SPACE_AND_TOKEN = re.compile(r"(\s*)(\w+(?:[-'’]\w+)*|[^\w\s])")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_TITLES = frozenset("dr prof med jur phil rer nat hr fr st".split())
_LINE_ENDS = frozenset(".!?…:;\"“”»«)]")
_MONTH_NAMES = "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
_ABBREVIATIONS = frozenset(
    "dr prof st nr abs art bzw ca co etc evtl ggf hr fr inkl jh mio mrd mr mrs ms str usw vgl chr jr gen lt sen "
    "rep gov bd kap tel jan feb mär apr jun jul aug sep sept okt nov dez bspw sog".split()
)
#: Where a sentence may end: . ! ? or … (and closing marks) before a space and a capital, a digit
#: or an opening mark. :func:`_sentences` then leaves out a full stop after an abbreviation
#: ("Dr.", "z. B."), an initial ("Rafik Y.") or a day before a month ("am 25. Mai").
_SENTENCE_END = re.compile(r"[.!?…][.!?…]*[\"“”»«’‘)]*([^\S\n]+)[\"„“»«‚(\[]?[A-ZÄÖÜ0-9]")
_WORD_BEFORE = re.compile(r"\w+$")
_OPENING_MARKS = re.compile(r"[ „“\"»«‚‘\-–—(]*")  # what may stand before the first word of a sentence
_FIRST_NAME_BEFORE = re.compile(r"(?:(\w+)[^\S\n]+)?\b([A-ZÄÖÜ][a-zäöüß]+)[^\S\n]+$")
_CAPITALISED_BEFORE = re.compile(r"[A-ZÄÖÜ][a-zäöüß]+[^\S\n]+$")  # what every match of the one above ends with
_ARTICLES_AND_CONTRACTIONS = frozenset("der die das des dem den ein eine einer eines einem einen im am vom zum zur beim ins ans".split())
_WORD_BEFORE_NAME = re.compile(r"([\w-]+)\s*$")
_MONTH_AFTER = re.compile(rf"\s+(?:{_MONTH_NAMES})\b")


@functools.lru_cache(maxsize=64)
def _before_mark(particle: str) -> re.Pattern:
    """Compile a pattern for a particle as a word of its own right before a mark: "an,", "aus."."""
    return re.compile(rf"\b{re.escape(particle)}\s*[,:.;„«»]")


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _is_adjective(token: str) -> bool:
    return ((token[:1].islower() or (token[:1].isdigit() and "-" in token)) and token.endswith(("e", "en", "er", "es", "em")) and token not in _PRONOUNS
            and token not in _DETERMINERS and token not in _NOT_SUBJECT_START)


# ---------------------------------------------------------------------------------------
# Paragraphs, sentences, tokens
# ---------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each paragraph of a text.

    A blank line ends a paragraph; a single line break only after a line that ends like a
    sentence (. ! ? … : or a closing mark), so a text wrapped at a fixed width ("…“, sagt\nMaillard.")
    keeps its sentences whole. The same holds for a blank line before a line in lower case, and,
    in a text whose line breaks mostly fall inside sentences (wrapped lines set apart by blank
    lines), for a blank line after a line of 40 characters or more; a shorter line there is a
    heading or a signature ("Ihr\n\nFlorian Zinnecker").
    """
    breaks = [m.span() for m in _PARAGRAPH.finditer(text)]
    wrapped = len(breaks) >= 4 and 2 * sum(_inside_sentence(text, start) for start, _ in breaks) > len(breaks)
    spans, pos = [], 0
    for start, end in breaks:
        single = end - start == 1 or text[end:end + 1].islower()
        if single or wrapped:
            before = text[max(pos, start - 8):start].rstrip(" \t\r")
            if before and before[-1] not in _LINE_ENDS and (single or start - text.rfind("\n", 0, start) > 40):
                continue  # a wrapped line
        spans.append((pos, start))
        pos = end
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _inside_sentence(text: str, start: int) -> bool:
    """Tell whether the line that ends at ``start`` ends inside a sentence (in none of :data:`_LINE_ENDS`)."""
    last = text[start - 1] if start else ""
    if last in " \t\r":
        last = text[max(0, start - 8):start].rstrip(" \t\r")[-1:]
    return last != "" and last not in _LINE_ENDS


def _sentences(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Split paragraphs into sentences; return (start, end, paragraph index) of each."""
    cuts = [m.end(1) for m in _SENTENCE_END.finditer(text)
            if text[(mark := m.start())] != "." or text[mark - 5:mark].isalpha() and text[mark - 4:mark].islower()
            or _ends_sentence(text, mark)]  # after a word of five letters or more: no abbreviation
    out = []
    k = 0
    for p, (start, end) in enumerate(paragraphs):
        pos = start
        while k < len(cuts) and cuts[k] <= start:
            k += 1
        while k < len(cuts) and cuts[k] < end:
            out.append((pos, cuts[k], p))
            pos = cuts[k]
            k += 1
        if text[pos:end].strip():
            out.append((pos, end, p))
    return out


def _ends_sentence(text: str, dot: int) -> bool:
    """Tell whether the full stop at ``dot`` ends a sentence: not after an abbreviation, an initial or a day."""
    before = text[dot - 1] if dot else "\n"
    if before != "\n" and not (before.isalnum() or before == "_"):
        return True  # no word before the stop (a line break may stand between a word and the stop)
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if word is None:
        return True
    w = word.group()
    if text[dot + 1] in ".!?…":
        return True  # "Nicholas D.. ", "S.O.S.!": the next mark ends the sentence
    if word.start() > 0 and (text[word.start() - 1].isalnum() or text[word.start() - 1] == "_"):
        return True  # longer than the window: no abbreviation
    if len(w) == 1:
        return False
    if (w.islower() or w == w.capitalize()) and w.lower() in _ABBREVIATIONS:
        return False
    return not (w[-1].isdigit() and _MONTH_AFTER.match(text, dot + 1))


#: The characters that stand before nearly every lexicon word in news text. The automaton stores each
#: word behind each of them, so that its root has a few children instead of one per letter (pyahocorasick
#: searches them one by one, for every character of the text); a word after any other character that
#: ends a word (or at the start of the text) is found by :data:`_OTHER_WORD_START`.
_HIT_PREFIXES = " \n-„\"("
_OTHER_WORD_START = re.compile(r"[^a-zA-Z0-9äöüß" + re.escape(_HIT_PREFIXES) + r"\w](\w+)")  # letters first: fast to rule out


def _word_hits(text: str, lex: Lexicon) -> tuple[list[int], list[str]]:
    """Return the start and the word of each lexicon word (trigger or noun) in a text, in text order.

    A hit is a whole word: no letter, digit or underscore on either side.
    """
    starts, words = [], []
    last = len(text) - 1
    for end, word in lex.automaton.iter(text):
        if end == last or not (text[end + 1].isalnum() or text[end + 1] == "_"):
            starts.append(end - len(word) + 1)
            words.append(word)
    other = [(m.start(1), word) for m in _OTHER_WORD_START.finditer(text) if (word := m.group(1)) in lex.words]
    first = _WORD.match(text)
    if first is not None and first.group() in lex.words:
        other.append((0, first.group()))
    if other:
        hits = sorted([*zip(starts, words), *other])
        starts, words = [h[0] for h in hits], [h[1] for h in hits]
    return starts, words


def _hits_by_sentence(hit_starts: list[int], hit_words: list[str], sentence_starts: list[int],
                      triggers: frozenset) -> tuple[dict[int, list[int]], set[int]]:
    """Group the lexicon hits (their indices) by the sentence they start in, and name the sentences with a trigger.

    Hits and sentences are both in text order; a hit before the first sentence counts to it, like
    every position :func:`_article_quotes` places.
    """
    by_sentence: dict[int, list[int]] = {}
    with_triggers: set[int] = set()
    si, n_sentences = 0, len(sentence_starts)
    following = sentence_starts[1] if n_sentences > 1 else None
    for i, pos in enumerate(hit_starts):
        if following is not None and pos >= following:
            si = bisect.bisect_right(sentence_starts, pos, si + 1) - 1
            following = sentence_starts[si + 1] if si + 1 < n_sentences else None
        found = by_sentence.get(si)
        if found is None:
            by_sentence[si] = [i]
        else:
            found.append(i)
        if hit_words[i] in triggers:
            with_triggers.add(si)
    return by_sentence, with_triggers


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Return (token, start, end) of each token of ``text[start:end]``.

    Every character is white space or part of a token, so the offsets are counted from the
    lengths that one ``findall`` returns, without a match object per token.
    """
    out = []
    pos = start
    for space, token in _SPACE_AND_TOKEN.findall(text, start, end):
        first = pos + len(space)
        pos = first + len(token)
        out.append((token, first, pos))
    return out


# ---------------------------------------------------------------------------------------
# Quotation marks
# ---------------------------------------------------------------------------------------

_MARK_CHARS = "\"„“”»«‚‘’‹›"
#: The double marks around a quoted name or phrase in a sentence ("der „Spiegel“", "„Tatort“-Star"):
#: those that open it, those that close it (« and » do both: »…« and «…»), and all of them.
_NAME_OPENERS = "„\"»«"
_NAME_CLOSERS = "“\"«»"
_NAME_MARKS = "„“\"»«"
_CLOSERS = {"„": "“”\"", "“": "”\"“", "»": "«", "«": "»", '"': "\"“”", "‚": "‘’", "‹": "›", "›": "‹"}
_OPEN_BEFORE = " \t\n([{–—-/:"


def _mark_positions(text: str) -> list[int]:
    """Return the positions of the quotation marks and apostrophes of a text, in order.

    One ``str.find`` pass per mark character: several times faster than a character class
    searched by a regular expression, as the marks are few.
    """
    found = []
    for mark in _MARK_CHARS:
        i = text.find(mark)
        while i >= 0:
            found.append(i)
            i = text.find(mark, i + 1)
    found.sort()
    return found


def _mark_role(text: str, i: int, stack: list[tuple[str, int]]) -> str | None:
    """Say whether the mark at ``i`` opens ("open"), closes ("close") or is no quotation mark (None)."""
    ch = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "‘’" and before.isalnum() and after.isalpha():
        return None  # an apostrophe: Trump’s
    if ch == '"' and before.isdigit():
        return None  # an inch or second sign: 12"
    top = stack[-1][0] if stack else None
    if top is not None and ch in _CLOSERS[top] and not (ch == top and before in _OPEN_BEFORE and not after.isspace()):
        return "close"
    if ch in "„»«‚‹›" or (ch in "\"“" and before in _OPEN_BEFORE and not after.isspace()):
        if ch in "‚‹›" and stack:
            return None  # single marks inside a double quotation: nested, left to the outer one
        return "open"
    return None


def _direct_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Pair quotation marks; return (start, end, closed) of each outermost quotation's inside.

    An opening mark without its closing mark in the paragraph it starts in (the next opening mark
    in a later paragraph, or the end of the text, comes first) yields a quotation that ends with
    its paragraph; closing marks without an opening mark are ignored.
    """
    ends = [e for _, e in paragraphs]
    starts = [s for s, _ in paragraphs]

    def paragraph_end(pos: int) -> int:
        k = bisect.bisect_right(starts, pos) - 1
        return ends[max(k, 0)] if ends else len(text)

    spans: list[tuple[int, int, bool]] = []
    stack: list[tuple[str, int]] = []
    for i in _mark_positions(text):
        if stack and i > paragraph_end(stack[0][1]) and text[i] in "„»«\"“‚‹›":
            role = _mark_role(text, i, [])
            if role == "open":  # a new quotation in a later paragraph: the open one ended with its paragraph
                spans.append((stack[0][1] + 1, paragraph_end(stack[0][1]), False))
                stack = []
        role = _mark_role(text, i, stack)
        if role == "open":
            stack.append((text[i], i))
        elif role == "close":
            _, opened = stack.pop()
            if not stack:
                spans.append((opened + 1, i, True))
    if stack:
        spans.append((stack[0][1] + 1, paragraph_end(stack[0][1]), False))
    return spans


#: "in" / "im" / "auf" / "aus", an article, up to two adjectives and a noun before the opening mark:
#: where a medium or a work is named ("im englischen „Express“", "in seinem neuesten Film „…“")
_AFTER_PLACE = re.compile(
    r"\b(?:in|im|auf|aus)\s+(?:(?:der|dem|des|den|einem|einer|eines|seinem|seiner|seines|ihrem|ihrer|ihres)\s+)?"
    r"(?:(?!(?:eine|einen|einem|einer|eines|keine|seine|ihre|diese|jene|welche|wie|denen|deren|dessen|alle|viele|beide)\b)"
    r"[a-zäöüß]+(?:e|en|em|er|es)\s+){0,2}(?:[A-ZÄÖÜ][\w-]*\s*)?$")
_LONG_LOWER_WORD = re.compile(r"\b[a-zäöüß]{4,}\b")
#: the endings of a noun for a medium right before an opening mark: "der Nachrichtenseite „Daily Beast“", "Tageszeitung „La Repubblica“"
_MEDIUM_NOUN_ENDINGS = ("zeitung", "magazin", "agentur", "sender", "senders", "seite", "blatt", "blattes", "portal", "journal",
                        "sendung", "podcast")
_DATIVE_BEFORE = re.compile(r"(?<![\w-])(\w+)\s+(?:der|dem)\s+$")


def _told_to(text: str, start: int) -> bool:
    """Tell whether a capitalised span in marks follows "der" or "dem" after a verb, a name or "mit": the medium told.

    "sagte Spahn der „Rheinischen Post“", "im Gespräch mit dem „Spiegel“"; a term after another
    preposition, a conjunction or a common noun stays a quotation ("warnte vor dem „Notstand“", "dass
    der „Wumms“", "ein Ende der „Kleinstaaterei“").
    """
    before = _DATIVE_BEFORE.search(text, max(0, start - 40), start - 1)
    return (before is not None and text[start:start + 1].isupper()
            and before.group(1).lower() not in _NOT_BEFORE_MEDIUM and not _is_common_noun(before.group(1)))


# The short words that join the capitalised words of an English name or title ("Route for International Peace").
_ENGLISH_TITLE_LINKS = frozenset("of and for the a on to at by with from".split())  # not "an", a German word too
_LOWER_WORD_OF_FIVE = re.compile(r"\b[a-zäöüß]{5,}\b")


def _is_english_title(text: str, start: int, end: int) -> bool:
    """Tell whether a quoted span is an English name or title, not speech („The Mind of Adolf Hitler“).

    Two words or more between spaces, two of them capitalised, joined by English links ("of",
    "and", "for", ...; "in" and numbers may stand too), no other word and no mark that ends or cuts
    a sentence at its end.
    German phrases of nouns („Gefahr für Leib und Leben“) are quoted speech or terms: their links
    are German.
    """
    if text[end - 1] in ".!?…,:;" or _LOWER_WORD_OF_FIVE.search(text, start, end):
        return False  # most quotations: a sentence mark, or a lower-case word longer than any link
    if len(text[start:end].split()) < 2:
        return False  # one word, hyphens and all ("Hay-on-Wifi"), is a term
    words = _WORD.findall(text, start, end)
    links = [w for w in words if not w[:1].isupper() and not w[:1].isdigit()]
    return (len(words) - len(links) >= 2 and any(w in _ENGLISH_TITLE_LINKS for w in links)
            and all(w in _ENGLISH_TITLE_LINKS or w == "in" for w in links))


def _is_quotation(text: str, start: int, end: int, colon_before: bool) -> bool:
    """Tell a quotation from a quoted name, title or term („con energy“, „volle Verantwortung“)."""
    inside = text[start:end].strip()
    if not inside:
        return False
    if colon_before or inside[-1] in ".!?…,":
        return True
    return len(inside.split()) >= 5


# ---------------------------------------------------------------------------------------
# Noun phrases: who speaks
# ---------------------------------------------------------------------------------------


#: The words that open a genitive or "von" attribute after a noun: "der Sprecher des Kreml", "Angaben einer Sprecherin".
_ATTRIBUTE_LINKS = frozenset("des der eines einer von vom".split())
_NOBLE_TITLES = frozenset("Graf Gräfin Fürst Fürstin Prinz Prinzessin Freiherr Freifrau Herzog Herzogin".split())


@functools.lru_cache(maxsize=1 << 12)
def _before_nobility_zu(word: str) -> bool:
    """Tell whether "zu" after ``word`` belongs to a name: after a first name or a title ("Karl-Theodor zu Guttenberg").

    After another word "zu" opens a phrase of its own: "Drogenbeauftragter Streeck zu Silvester".
    """
    return word in _NOBLE_TITLES or any(part in all_first_names() for part in word.split("-"))


def _joins_compound(toks: list, j: int, stop: int) -> bool:
    """Tell whether ``toks[j]`` is a hyphen that joins a quoted name to the word after it: "„Tatort“-Kommissar"."""
    return (toks[j][0] == "-" and 0 < j and j + 1 < stop and toks[j - 1][0] in _NAME_CLOSERS
            and toks[j - 1][2] == toks[j][1] and toks[j][2] == toks[j + 1][1])


def _quoted_name_end(toks: list, k: int, stop: int) -> int:
    """Return the end of a quoted name of up to four capitalised words at ``toks[k]`` („Kommersant“, "Abendblatts"), or ``k``.

    A hyphenated word glued to its closing mark belongs to it: „Bild“-Zeitung.
    """
    if not (k + 2 < stop and toks[k][0] in _NAME_OPENERS and _is_capitalised(toks[k + 1][0])):
        return k
    m = k + 1
    while m < stop and m - k <= 4 and _is_capitalised(toks[m][0]):
        m += 1
    if m == stop or toks[m][0] not in _NAME_CLOSERS:
        return k
    return m + 3 if _joins_compound(toks, m + 1, stop) else m + 1


_POSSESSIVE_GENITIVES = frozenset(f"{stem}{ending}" for stem in ("mein", "dein", "sein", "ihr", "unser", "eur")
                                  for ending in ("er", "es"))
_GENITIVE_DETERMINERS = frozenset("dieser dieses jener jenes mancher solcher anderer".split()) | _POSSESSIVE_GENITIVES


@functools.lru_cache(maxsize=1 << 12)
def _opens_genitive(word: str) -> bool:
    """Tell whether a word opens a genitive without an article: "mehrerer", "vieler", "dieser", "seines".

    It is a determiner or possessive in a genitive form, or a word in -er that is an inflected form of
    the word the dictionary gives as its lemma ("zahlreicher": "zahlreich"), which rules out "oder",
    "aber", "immer", "wieder" and the article "einer"/"keiner". "jeder" and "jedes" open a subject
    more often ("laut Verband jedes dritte Fahrrad").
    """
    if word in _GENITIVE_DETERMINERS:
        return True
    if not (word.endswith("er") and word[:1].islower()):
        return False
    lemma = _german_lexicon().get(word)
    return lemma is not None and lemma != word and word.startswith(lemma) and lemma not in ("ein", "kein")


def _noun_phrase(toks: list, i: int, stop: int, source: bool = False) -> int:
    """Return the end index (exclusive) of a noun phrase starting at ``toks[i]``, or ``i`` if none.

    With ``source`` the phrase names a source after "laut" or "nach", whose genitive may be a quoted
    name ("Berichten des „Spiegel“"); after a verb "der „Welt“" is rather the medium told.
    """
    j = i
    if j < stop and toks[j][0].lower() in _PRONOUNS:
        return j + 1
    if j < stop and toks[j][0].lower() in _DETERMINERS:
        j += 1
    while j < stop and j - i < 5 and (_is_adjective(toks[j][0]) or (  # "einer gestern verbreiteten Erklärung"
            toks[j][0] in _SKIP_AFTER_VERB and toks[j][0] not in _PREPOSITIONS and j + 1 < stop
            and _is_adjective(toks[j + 1][0]))):
        j += 1
    head = j
    longest = 9 if j < stop and toks[j][0] in _NAME_OPENERS else 6  # the marks and hyphen of "„Hobbit“-Star" are no words
    while j < stop and (_is_capitalised(toks[j][0]) or (toks[j][0] in _NAME_MARKS and j + 1 < stop) or _joins_compound(toks, j, stop)
                        or (toks[j][0] in ("von", "van", "de", "der", "zu") and j > head
                                                        and j + 1 < stop and _is_capitalised(toks[j + 1][0])
                                                        and toks[j][0] not in ("der",)
                                                        and (toks[j][0] != "zu" or (_before_nobility_zu(toks[j - 1][0])
                                                                                    and _is_name(toks[j + 1][0], False))))) and j - head < longest:
        if toks[j][0].lower() in _DETERMINERS and j > head and toks[j - 1][0] not in _NAME_MARKS:
            break
        j += 1
        if j + 1 < stop and toks[j][0] == "." and toks[j - 1][0].lower() in _TITLES and _is_capitalised(toks[j + 1][0]):
            j += 1  # "Dr. Anna Weber", "Prof. Drosten"
    if j > head and toks[head][0].lower() in _NOT_NAMES:
        return i  # "Man", "Wer", "Dann" at the start of a sentence
    while j > head and toks[j - 1][0] in _NAME_MARKS:
        j -= 1
    if j < stop and toks[j][0] in "“\"«" and any(t[0] in "„\"»" for t in toks[head:j]):
        j += 1  # the closing mark of a quoted name: „Die Zeit“
    if j == head:
        if j == i + 1 and _is_capitalised(toks[i][0]) and j < stop and toks[j][0] in ("der", "des"):
            head = j = i  # "Einer der Feuerwehrmänner": the pronoun heads the phrase
            j = i + 1
        else:
            return i
    # genitive or "von" attributes: "des Kreml", "der Stadt Berlin", "von Microsoft", "mehrerer Medien"
    for _ in range(2):
        bare = False  # a genitive without an article
        if j < stop and toks[j][0] in _ATTRIBUTE_LINKS:
            k = j + 1
            if k < stop and toks[k][0].lower() in _DETERMINERS:
                k += 1
        elif (j + 1 < stop and _opens_genitive(toks[j][0]) and toks[j - 1][0] in default_lexicon().nouns
              and toks[j + 1][0] not in _TIME_NOUNS):  # "ein Kollege dieser Tage": a time
            # after an utterance noun only: "sagte die Polizei unserer Zeitung" names the one told
            bare, k = True, j + 1  # "Angaben mehrerer Medien", "Angaben seines Arztes"
        else:
            break
        while k < stop and _is_adjective(toks[k][0]) and k - j < 4:
            k += 1
        if (bare and (toks[j][0].endswith("es") or toks[j][0] not in _GENITIVE_DETERMINERS)
                and k < stop and _german_lexicon().get(toks[k][0], toks[k][0]) == toks[k][0]):
            break  # a noun in its base form is a nominative: "Laut Bericht neuer Rekord", "dieses Jahr"
        g = k
        while k < stop and k - g < 5:  # capitalised words, quoted names: "Informationen der Zeitung „Kommersant“"
            if toks[k][0].lower() in _DETERMINERS:
                break  # a new phrase, as after the head's words: "Gefahren künstlicher Intelligenz »…« Der Forscher"
            end = k + 1 if _is_capitalised(toks[k][0]) else _quoted_name_end(toks, k, stop) if source else k
            if end == k:
                break
            k = end
        if k == g:
            break
        j = k
    # brackets: "(CDU)"
    if j < stop and toks[j][0] == "(":
        k = j + 1
        while k < stop and toks[k][0] != ")" and k - j < 6:
            k += 1
        if k < stop and toks[k][0] == ")":
            j = k + 1
    # apposition: "der Sprecher des Kreml, Dmitri Peskow,"
    if j + 1 < stop and toks[j][0] == ",":
        k = j + 1
        while k < stop and _is_capitalised(toks[k][0]) and k - j < 5:
            k += 1
        if k > j + 1 and k + 2 < stop and toks[k][0] == "(" and toks[k + 2][0] == ")":
            k += 3  # "der Bürgermeister, Henning Scherf (SPD),"
        if k > j + 1 and (k == stop or toks[k][0] in (",", ".", ")")):
            j = k
    return j


_QUANTIFIERS = frozenset("einer eine eines einige viele mehrere manche alle beide zwei drei".split())
_SPEAKING_PRONOUNS = frozenset("er sie ich wir ihr du einer eine".split())


_ABBREVIATION_IN_BRACKETS = re.compile(r"\([A-ZÄÖÜ]{2,}\)")  # "das Zentrale Statistikamt (GUS)": an institution
_QUOTED_COMPOUND = re.compile(rf"[{_NAME_CLOSERS}]-\w")  # "„Kanzlei“-Spielfilm"
#: Nouns that end a time phrase ("Jeden Tag", "Ende Mai", "Nächstes Jahr"): see :func:`_is_time_phrase`
_TIME_NOUNS = frozenset(_MONTH_NAMES.split("|")) | frozenset(
    "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Tag Tage Tagen Woche Wochen Wochenende Monat Monate "
    "Monaten Jahr Jahre Jahren Jahrzehnt Stunde Stunden Minute Minuten".split())


@functools.lru_cache(maxsize=1 << 16)
def _can_speak(phrase: str, lex: Lexicon, initial: bool, label: bool = False) -> bool:
    """Tell whether a noun phrase naming no entity of the table can name who speaks.

    The head of the phrase (its first capitalised word after articles and adjectives; after a
    quantifier the noun of the genitive: "einer der Ärzte") must be a speaker noun of the lexicon ("Sprecherin",
    "CDU-Politiker"), an utterance or source noun ("Angaben", "Studie"), an abbreviation ("RKI")
    or a name: a capitalised word that is not a common noun and, at the start of a sentence
    (``initial``), not another German word in lower case either ("Derzeit", "Aktuell"). A head that
    is none of these still speaks when a name follows it ("Projektkoordinator Andreas Grassauer"),
    when two capitalised words without an article open the phrase ("Frank Biermann"), or when its
    genitive or "von" attribute speaks ("die Äußerungen Hassemers"); a name in quotation marks is
    a medium ("„Die Zeit“"), and a phrase with an abbreviation in brackets an institution ("das
    Zentrale Statistikamt (GUS)"). So "die Einladung", "Zeit" and "Derzeit" are no speakers.

    A ``label`` (a phrase without a verb before a colon, as headlines open) names a topic as often
    as a speaker ("Skispringen:", "Pop:", "„Kanzlei“-Spielfilm:"): there one of its words must be
    no :func:`_topic_word`, and a quoted part of a compound is no medium.
    """
    if (any(mark in phrase for mark in _NAME_MARKS) and not (label and _QUOTED_COMPOUND.search(phrase))
            or _ABBREVIATION_IN_BRACKETS.search(phrase)):
        return True
    words = _WORD_OR_NAME.findall(phrase)
    if not words or _is_time_phrase(words, lex):
        return False
    if len(words) == 1 and words[0].lower() in _SPEAKING_PRONOUNS:
        return True
    capitalised = [w for w in words if _is_capitalised_word(w)]
    if label and capitalised and all(_topic_word(w, lex) for w in capitalised):
        return False  # a label of topic words: "Skispringen", "„Kanzlei“-Spielfilm", "Mentale Gesundheit"
    i = 0
    while i < len(words) and (not _is_capitalised_word(words[i]) or words[i].lower() in _DETERMINERS
                              or _is_capitalised_adjective(words[i], lex) and not (
                                  i == len(words) - 1 and _is_participle_noun(words[i].lower()))):
        i += 1  # articles and adjectives: "Die Süddeutsche Zeitung", "Künstlerischer Leiter"
    if i == 0 and len(words) >= 2 and all(_is_capitalised_word(w) for w in words[:2]) \
            and not _is_capitalised_adjective(words[0], lex) and words[1].lower() not in _FUNCTION_WORDS:
        return True  # a name of two or more words without an article: "Frank Biermann", not "Lesen Sie"
    if i < len(words) and words[i].lower() in _QUANTIFIERS:
        i += 1  # "einer der Ärzte": the noun in the genitive names who speaks
        while i < len(words) and not _is_capitalised_word(words[i]):
            i += 1
    if i >= len(words):
        return False
    head = words[i]
    if head in lex.nouns or lex.source_nouns.search(head.lower()) or _speaks(head, lex, initial and i == 0):
        return True
    rest = words[i + 1:]
    if rest and _is_capitalised_word(rest[0]) and _is_name(rest[0], False):
        return True  # a title before a name: "Oberst Franz Polzer"
    if rest[:1] == ["zu"] and len(rest) > 1 and _before_nobility_zu(head) and _is_name(rest[1], False):
        return True  # "Karl-Theodor zu Guttenberg": a first name that is also a noun ("Theodor") before "zu"
    if rest and rest[0] in _ATTRIBUTE_LINKS:
        k = 1
        while k < len(rest) and (not _is_capitalised_word(rest[k]) or rest[k].lower() in _DETERMINERS
                                 or _is_capitalised_adjective(rest[k], lex)):
            k += 1
        return k < len(rest) and _speaks(rest[k], lex, False)  # "die Pläne der Bundesregierung"
    if _is_capitalised_word(head) and len(head) > 1 and head.isupper():
        return True
    return False


_WITHOUT_UMLAUTS = str.maketrans("äöüÄÖÜ", "aouAOU")


@functools.lru_cache(maxsize=1 << 14)
def _topic_word(word: str, lex: Lexicon) -> bool:
    """Tell whether a capitalised word the dictionary knows names a topic rather than who speaks.

    A word the dictionary knows that is no speaker noun, abbreviation, first name ("Jan",
    "Matthäus") or feminine of a noun ("Konditorin", "Anwältin"): "Skispringen", "Pop", "Zukunft",
    "Bodycams" are topics.
    """
    dictionary = _german_lexicon()
    if dictionary.get(word) is None or lex.speaker_nouns.search(word.lower()) or word in all_first_names():
        return False
    if any(len(p) >= 2 and p.isupper() for p in word.split("-")):
        return False
    stem = word[:-2] if word.endswith("in") else ""
    return not any(dictionary.get(s) == s for s in {stem, stem.translate(_WITHOUT_UMLAUTS)} if s)


def _is_time_phrase(words: list[str], lex: Lexicon) -> bool:
    """Tell whether a phrase of up to three words is a time phrase ("Jeden Tag", "Ende Mai", "Vergangene Woche").

    It ends in a time noun, and no word before it speaks or links a noun to the date ("Lagebericht
    vom Montag", "Fuest Ende Juni" name a source).
    """
    if len(words) > 3 or words[-1] not in _TIME_NOUNS:
        return False
    return not any(w in ("vom", "von", "der", "des") or w in lex.nouns
                   or (_is_capitalised_word(w) and not _is_capitalised_adjective(w, lex) and _speaks(w, lex, True))
                   for w in words[:-1])


def _is_capitalised_word(word: str) -> bool:
    """Tell whether a word, or the last part of a hyphenated one ("el-Baradei"), is capitalised."""
    return word[:1].isupper() or word.rsplit("-", 1)[-1][:1].isupper()


@functools.lru_cache(maxsize=1 << 16)
def _is_capitalised_adjective(word: str, lex: Lexicon) -> bool:
    """Tell whether a capitalised word is an inflected adjective ("Süddeutsche", "Politischen")."""
    low = word.lower()
    if not low.endswith(("e", "en", "er", "es", "em")) or lex.speaker_nouns.search(low) or _is_common_noun(word):
        return False
    lemma = _german_lexicon().get(low)
    return lemma is not None and lemma != low and low.startswith(lemma)


@functools.lru_cache(maxsize=1 << 16)
def _is_name(word: str, initial: bool) -> bool:
    """Tell whether a capitalised word is a name: no common noun (in any form) and no verb used as a noun.

    At a sentence start (``initial``) it must not be another German word in lower case either.
    """
    last = word.rsplit("-", 1)[-1]
    if not last[:1].isupper() or last.lower() in _FUNCTION_WORDS:
        return False  # "Dass", "Wie", "Nachdem": a capitalised function word is no name anywhere
    dictionary = _german_lexicon()
    lemma = dictionary.get(last)
    if _is_common_noun(last) or (lemma is not None and lemma != last and _is_common_noun(lemma)):
        return False
    low = last.lower()
    if low.endswith("en") and dictionary.get(low) == low:
        return False  # a verb used as a noun: "das Vorgehen", "das Treffen"
    return not initial or dictionary.get(low) is None


@functools.lru_cache(maxsize=1 << 16)
def _speaks(word: str, lex: Lexicon, initial: bool) -> bool:
    """Tell whether one capitalised word names a speaker: a speaker or source noun, an abbreviation, a name."""
    parts = word.split("-")
    if any(len(p) >= 2 and p.isupper() for p in parts):
        return True  # "RKI", "US-Präsident", "CDU-Politiker"
    if initial and len(parts) == 1 and _german_lexicon().get(word) is None and _lower_case_word(word):
        return False  # a word in lower case that opens the sentence ("Insgesamt"), though it ends like "Amt"
    low = parts[-1].lower()
    if lex.speaker_nouns.search(low) or lex.source_nouns.search(low):
        return True
    if not initial and _is_participle_noun(low):
        return True  # "die Studierenden", "eine Pflegende"
    return _is_name(word, initial)


def _is_participle_noun(low: str) -> bool:
    """Tell whether a lower-case noun is a present participle made a noun for people: "studierenden", "pflegende"."""
    stem = low[:-1] if low.endswith("e") else low[:-2] if low.endswith(("en", "er")) else ""
    return stem.endswith("end") and _is_present_participle(stem)


def _speaker_after(toks: list, i: int, stop: int, nominative: bool = True) -> tuple[int, int] | None:
    """Find the speaker after a verb at ``toks[i - 1]``: skip adverbs and time phrases, then a noun phrase.

    With ``nominative``, a phrase that opens with "den", "dem", "einem" … is an object and no speaker.
    """
    while i < stop:
        word = toks[i][0].lower()
        if word in _SKIP_AFTER_VERB:
            i += 1
        elif word in _TIME_PREPOSITIONS and i + 1 < stop and _is_capitalised(toks[i + 1][0]):
            i += 2
        elif word in _TIME_PREPOSITIONS and i + 2 < stop and _is_adjective(toks[i + 1][0]) and _is_capitalised(toks[i + 2][0]):
            i += 3  # "am vorigen Donnerstag"
        else:
            break
    if nominative and i < stop and toks[i][0] in _NOT_NOMINATIVE:
        return None  # "rief vor den versammelten Demonstranten aus": an object, no subject
    j = _noun_phrase(toks, i, stop)
    if j == i:
        if i + 1 < stop and toks[i][0] == "es" and toks[i + 1][0] in ("in", "im", "von", "vom", "aus", "bei", "seitens"):
            k = _noun_phrase(toks, i + 2, stop)
            return (i + 2, k) if k > i + 2 else None
        return None
    return i, j


def _speaker_before(toks: list, start: int, verb: int, cue: bool = True) -> tuple[int, int] | None:
    """Find the subject in the field before a verb in second position, or None if the field is no subject.

    Before a cue (``cue``) a demonstrative opens a subject ("Das Auswärtige Amt empfiehlt"); before
    another verb it does not ("Das Ergebnis ist bekannt:").
    """
    i = start
    while i < verb and (toks[i][0].lower() in _CLAUSE_OPENERS or (toks[i][0] in _NAME_MARKS or toks[i][0] in ",–-")):
        i += 1
    if i >= verb or toks[i][0].lower() in _NOT_NOMINATIVE:
        return None
    if toks[i][0].lower() in _NOT_SUBJECT_START and not (
            cue and toks[i][0].lower() in _DEMONSTRATIVES and i + 1 < verb and _is_capitalised(toks[i + 1][0])):
        return None  # "Das sagte er", but "Das Auswärtige Amt empfiehlt", "Diese Studie zeigt"
    if _is_present_participle(toks[i][0]):
        return None  # an adverb: "Relativierend fügt Gall hinzu", "Lachend sagte sie"
    j = _noun_phrase(toks, i, verb)
    if i > start and toks[i - 1][0] in _NAME_OPENERS and any(t[0] in _NAME_CLOSERS for t in toks[i:j]):
        i -= 1  # the opening mark of a quoted name in the phrase: "„Titanic“-Anwältin"
    return (i, j) if j > i else None


# ---------------------------------------------------------------------------------------
# One article
# ---------------------------------------------------------------------------------------


@dataclass
class _Quote:
    form: str
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    sentence: int
    entity: str | None = None


def _konjunktiv(words: list[str], lex: Lexicon, second: bool) -> bool:
    """Tell whether a clause holds a Konjunktiv I form (or, with ``second``, a Konjunktiv II form).

    Besides the listed forms, a lower-case word of four letters or more ending in "e" counts as
    Konjunktiv I ("benötige", "besitze") unless it is a function word, ends in "-te" (past tense),
    follows a determiner or precedes a capitalised word (an adjective: "die neue Regel").
    """
    if not lex.konjunktiv_1.isdisjoint(words) or (second and not lex.konjunktiv_2.isdisjoint(words)):
        return True
    for i, w in enumerate(words):  # words are never empty: w[-1], w[0] and, past four letters, w[-2] exist
        if (w[-1] == "e" and len(w) >= 4 and w[-2] != "t" and w[0].islower() and w not in _NOT_VERBS_E
                and w not in lex.konjunktiv_2
                and (i == 0 or words[i - 1].lower() not in _DETERMINERS)
                and (i + 1 == len(words) or not words[i + 1][:1].isupper())):
            return True
    return False


def _reports(toks: list, lex: Lexicon) -> bool:
    """Tell whether a clause after a reporting verb is reported speech: dass/ob, Konjunktiv, zu-infinitive."""
    if not toks:
        return False
    first = toks[0][0].lower()
    if first in _NOT_COMPLEMENT:
        return False
    if first in _COMPLEMENTIZERS:
        return True
    words = [t[0] for t in toks]
    if _konjunktiv(words, lex, second=True):
        return True
    return len(words) > 2 and words[-2] == "zu" and words[-1].endswith("en")


def _cue_at(toks: list, k: int, stop: int, lex: Lexicon) -> tuple[int, int] | None:
    """Return (index of the verb in second position, index after the cue) if ``toks[k]`` is a cue, else None."""
    low = toks[k][0]
    if k > 0 and toks[k - 1][0] == "zu":
        return None  # an infinitive with "zu" ("um sie zu warnen") reports nothing
    if low in lex.finite:
        return k, k + 1
    if low in lex.separable:
        for m in range(k + 1, stop):
            w = toks[m][0]
            if w == "." and m + 1 < stop and toks[m + 1][1] == toks[m][2] and not toks[m + 1][0][:1].isupper():
                continue  # a full stop inside a name or a number: "gegenüber space.com aus", "7.500"
            if w in (",", ":", ".", ";", "„", "«", "»"):
                if toks[m - 1][0] in lex.separable[low]:
                    return k, m
                return None
        return None
    if low in lex.participles:
        for m in range(k - 1, max(-1, k - 12), -1):
            w = toks[m][0]
            if w in (",", ":", ";"):
                return None
            if w in _AUXILIARIES:
                return m, k + 1
        return None
    return None


_NAME_WORD = re.compile(r"[A-ZÄÖÜ][\w'’]+(?:-[A-ZÄÖÜ][\w'’]*)*")
_ADDRESSEE = re.compile(r"[^\S\n]+(?:der|dem)[^\S\n]+")
_WORD_BEFORE_SPEAKER = re.compile(r"(\w+)[^\S\n]+$")


def _in_dictionary(word: str) -> bool:
    """Tell whether the dictionary knows a word as written or in lower case ("Spahn", "Katina": no)."""
    return _german_lexicon().get(word) is not None or _german_lexicon().get(word.lower()) is not None


def _without_addressee(text: str, span: tuple[int, int], lex: Lexicon, mentions: list) -> tuple[int, int]:
    """Cut "der …"/"dem …" off a speaker that is a bare name: "sagte Spahn der Rheinischen Post" speaks as "Spahn".

    After a reporting verb a name takes no genitive ("Spahns Sprecher" would be one), so what
    follows is the one told. The name is a person of the table (among ``mentions``, those in the
    span) or one to three capitalised words without an article, none a role or a noun of the
    lexicon, the last with no noun ending and no word of the dictionary, the others first names
    or none either ("Sprecher der Polizei", "Schätzungen der Forscher" and "laut Plan der Behörde"
    stay whole).
    """
    cut = _ADDRESSEE.search(text, span[0], span[1])
    words = text[span[0]:cut.start()].split() if cut else []
    if not 1 <= len(words) <= 3 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return span  # no "der"/"dem", or an article or a lower-case word before it: "der Sprecher der Polizei"
    verb = _WORD_BEFORE_SPEAKER.search(text, max(0, span[0] - 30), span[0])
    if verb is None or verb.group(1) not in lex.verb_forms:
        return span
    if any(m[0] == span[0] and m[1] == cut.start() and m[3] == "person" for m in mentions):
        return span[0], cut.start()
    unknown = [not _in_dictionary(w) for w in words]
    if (not unknown[-1] or _looks_like_noun(words[-1]) or any(lex.speaker_nouns.search(w.lower()) or w in lex.nouns for w in words)
            or not all(known or w in _first_names() for w, known in zip(words[:-1], unknown[:-1]))):
        return span
    return span[0], cut.start()


def _article_quotes(text: str, mentions: list[tuple[int, int, str, str]], lex: Lexicon) -> list[_Quote]:
    """Find the quotations of one article (``mentions``: start, end, entity id, type, in text order)."""
    if not text or text.isspace():
        return []
    paragraphs = _paragraphs(text)
    sentences = _sentences(text, paragraphs)
    sentence_starts = [s for s, _, _ in sentences]

    def sentence_of(pos: int) -> int:
        return max(0, bisect.bisect_right(sentence_starts, pos) - 1)

    hit_starts, hit_words = _word_hits(text, lex)
    triggers = lex.triggers
    mention_starts = [m[0] for m in mentions]
    surnames: dict[str, bool] = {}  # phrase -> introduced as a surname in this article (a search of the whole text)

    def who_speaks(span: tuple[int, int] | None, label: bool = False) -> tuple[int, int] | None:
        """Keep a speaker span only if it can speak: it names an entity of the table, or :func:`_can_speak`."""
        if span is None:
            return None
        lo, hi = bisect.bisect_left(mention_starts, span[0]), bisect.bisect_left(mention_starts, span[1])
        if text.find(" de", span[0], span[1]) >= 0:  # perhaps the medium told: "Spahn der Rheinischen Post"
            span = _without_addressee(text, span, lex, mentions[lo:hi])
            hi = bisect.bisect_left(mention_starts, span[1], lo, hi)
        if any(not _owns_next_noun(text, m[0], m[1], span[1], lex) for m in mentions[lo:hi]):
            return span  # an entity of the table is named in it, not as the owner of another noun
        opening = sentences[sentence_of(span[0])][0]  # what stands before it in its sentence: marks and brackets at most
        initial = opening >= span[0] or _OPENING_MARKS.match(text, opening, span[0]).end() == span[0]
        phrase = text[span[0]:span[1]]
        if _can_speak(phrase, lex, initial, label):
            return span
        if phrase not in surnames:
            surnames[phrase] = _introduced_surname(phrase, text)
        return span if surnames[phrase] else None

    quotes: list[_Quote] = []
    used_cues: set[int] = set()
    covered: list[tuple[int, int]] = []
    utterances: list[tuple[int, int]] = []  # the quotations long enough to end the field before the next one

    # -- direct quotations ---------------------------------------------------------------
    for start, end, closed in _direct_spans(text, paragraphs):
        left = text[max(0, start - 3):start - 1].rstrip()
        colon = left.endswith(":")
        s_open, s_close = sentence_of(start - 1), sentence_of(end)
        quote = _Quote("direct", start, end, None, None, s_open)
        long_enough = _is_quotation(text, start, end, colon)
        if (not colon and text[end - 1:end] not in ".!?…" and not _LONG_LOWER_WORD.search(text, start, end)
                and (_AFTER_PLACE.search(text, max(0, start - 80), start - 1) or _told_to(text, start)
                     or text[max(0, start - 30):start - 1].rstrip(" \t").lower().endswith(_MEDIUM_NOUN_ENDINGS))):
            continue  # the name of a medium or a work: "im englischen „Express“", "sagte er der „Rheinischen Post“"
        if not colon and _is_english_title(text, start, end):
            continue  # a name or title in marks: "die „Trump Route for International Peace and Prosperity“"
        if closed and text[end + 1:end + 2] == "-" and text[end + 2:end + 3].isalnum():
            continue  # a quoted part of a compound: "„Traumschiff“-Gast", "„Tatort“-Kommissarin"
        # after the closing mark: ", sagte Tokajew." / ", so der Sprecher." / "„…“ sprach der Minister"
        first_after = _FIRST_WORD.match(text, end + 1) if closed else None
        if first_after is not None and first_after.group(1) in lex.triggers:
            stop = sentences[s_close][1]
            after = _tokens(text, end + 1, min(stop, end + 200))
            k = 1 if after and after[0][0] == "," else 0
            if k < len(after):
                if after[k][0] == "so" and k == 1:
                    first = k + 1  # "„…“, so formulierte es der Minister": past the verb and "es"
                    word = after[first][0] if first + 1 < len(after) else ""
                    if word.isalpha() and word.islower() and word not in _DETERMINERS and word not in _SKIP_AFTER_VERB:
                        first += 1 + (after[first + 1][0] == "es")
                    who = _speaker_after(after, first, len(after))
                    quote.cue, quote.speaker = after[k][1:], who_speaks(_span(after, who))
                else:
                    cue = _cue_at(after, k, len(after), lex)
                    if cue is not None and after[k][0][:1].islower():
                        who = _speaker_after(after, cue[1] if cue[1] == k + 1 else k + 1, len(after))
                        if who is None and after[k][0].startswith("zitier") and k + 1 < len(after) and after[k + 1][0] == "man":
                            who = _speaker_after(after, k + 2, len(after))  # "zitierte man X": the one quoted speaks
                        impersonal = cue[1] < len(after) and after[cue[1]][0] == "es"
                        if who is not None or (k == 1 and impersonal):
                            quote.cue, quote.speaker = after[k][1:], who_speaks(_span(after, who))
        elif (first_after is not None and long_enough and text[end + 1:first_after.start(1)].strip() == ","
              and _is_finite_verb(first_after.group(1))):
            # a verb outside the lexicon in second place, its subject after it: "„…“, zeigte sich X zufrieden"
            stop = sentences[s_close][1]
            after = _tokens(text, end + 1, min(stop, end + 200))
            who = who_speaks(_span(after, _speaker_after(after, 2, len(after))))
            if who is not None and text[who[0]:who[1]].split()[0].lower() not in _NOT_NAMES:
                quote.cue, quote.speaker = after[1][1:], who
        # the second part of a quotation split by its cue: "„…“, sagte Tokajew, „…“"
        split = quotes[-1] if quotes and quotes[-1].cue is not None else None
        if (quote.cue is None and split is not None and split.end < split.cue[0] < start
                and sentence_of(split.end) == s_open and start - split.end < 150):
            quote.speaker = split.speaker
            covered.append((start - 1, end + 1))
            if long_enough:
                utterances.append((start - 1, end + 1))
            quotes.append(quote)
            continue
        # before the opening mark: "Tokajew sagte: „…“", "Er nannte den Bericht „eine Ente“"
        clause = max(sentences[s_open][0], start - 300 if long_enough else text.rfind(",", 0, start) + 1)
        if quote.cue is None and (long_enough or any(
                w in triggers for w in hit_words[bisect.bisect_left(hit_starts, clause):bisect.bisect_left(hit_starts, start)])):
            uncut = _tokens(text, clause, start - 1)
            before = _after_last_quote(uncut, utterances)
            for k in range(len(before) - 1, -1, -1):
                if not long_enough and before[k][0] in (",", ";"):
                    break  # a short quoted phrase takes a cue of its own clause only
                if before[k][0] not in lex.verb_forms:
                    continue
                cue = _cue_at(before, k, len(before), lex)
                if cue is not None and before[k][1] not in used_cues:
                    quote.cue = before[k][1:]
                    whole = verb = None
                    if cue[0] == 0 and clause > sentences[s_open][0]:
                        # a short quotation's clause begins with its verb: "X, Y, nannte dies „…“"
                        whole = _after_last_quote(_tokens(text, sentences[s_open][0], start - 1), utterances)
                        verb = next((m for m, t in enumerate(whole) if t[1] == before[0][1]), None)
                    if verb is not None and _only_noun_phrases(whole[:verb]):
                        # its subject and an apposition fill the field before the comma, the phrase after
                        # the verb is an object: "Der Bürgermeister, Henning Scherf, warnte die CDU vor „…“"
                        quote.speaker = who_speaks(_span(whole, _subject(whole, verb, len(whole), lex, relative=True)))
                    if quote.speaker is None and cue[0] > 0 and before[cue[0] - 1][0] == "und" and len(uncut) > len(before):
                        # a verb joined by "und" shares the subject before an earlier quotation: "X bewunderte die
                        # „…“ bei der Entwicklung und hoffte, dass „…“"
                        shift = len(uncut) - len(before)
                        quote.speaker = who_speaks(_span(uncut, _subject(uncut, cue[0] + shift, len(uncut), lex)))
                    if quote.speaker is None:
                        quote.speaker = who_speaks(_span(before, _subject(before, cue[0], len(before), lex, relative=True)))
                    if quote.speaker is None and verb is not None:
                        quote.speaker = who_speaks(_span(whole, _subject(whole, verb, len(whole), lex, relative=True)))
                    if quote.speaker is None:  # the field before the verb names nobody: "Nicht umsonst warnt X"
                        quote.speaker = who_speaks(_span(before, _speaker_after(before, cue[0] + 1, len(before))))
                    if before[k][0].startswith("zitier"):  # who is quoted speaks: "Das Unternehmen zitierte die Antwort des Spitals"
                        quote.speaker = who_speaks(_span(before, _quoted_object(before, k, quote.speaker is not None))) or quote.speaker
                    break
            if quote.cue is None and colon and len(before) > 1:
                quote.speaker = who_speaks(_span(before, _phrase_before_colon(before)), label=True)  # "…, und Minister X: „…“"
            if quote.cue is None and quote.speaker is None and len(before) > 1:
                field = before
                if colon:  # the field between two colons, after a label: "Leute: Anthony Hopkins über Abstinenz: „…“"
                    label = max((k for k in range(len(before) - 1) if before[k][0] == ":" and not (
                        before[k + 1][1] == before[k][2] and before[k + 1][0][:1].islower())), default=-1)  # not "Minister:innen"
                    field = before[label + 1:-1]
                who = _sentence_subject(field, lex, label=colon)
                if not colon and _spoken_of(field, who, lex):
                    who = None
                verbless = colon and who is not None and not any(_is_finite_verb(t[0]) for t in field[who[1]:])
                quote.speaker = who_speaks(_span(field, who), label=verbless)
            if quote.speaker is None and colon and len(before) > 2:
                # the subject after the last verb that has one: "Den Unmut brachte die Sprecherin zum Ausdruck: „…“"
                last_comma = max((k for k, t in enumerate(before) if t[0] == ","), default=0)
                relative = 0 < last_comma < len(before) - 1 and before[last_comma + 1][0] in _RELATIVE_PRONOUNS
                for verb in [] if relative else range(len(before) - 2, 0, -1):  # "…, der gemeint hat:" is no subject
                    if _is_finite_verb(before[verb][0]) and not (  # "vor den versammelten Demonstranten": no verb
                            before[verb - 1][0].lower() in _DETERMINERS and _is_capitalised(before[verb + 1][0])):
                        quote.speaker = who_speaks(_span(before, _speaker_after(before, verb + 1, len(before) - 1)))
                        if quote.speaker is not None:
                            break
        if quote.cue is None and closed and text[sentences[s_open][0]:start - 1].strip():
            # the verb ends the clause after the closing mark: "X wies dies als „Unverschämtheit“ zurück"
            found = _cue_after_closing_mark(text, sentences[s_open][0], start, end, utterances, lex)
            if found is not None:
                quote.cue = found[0]
                quote.speaker = who_speaks(found[1])
        if (quote.cue is None and quote.speaker is None and closed and text[end + 1:end + 2] in (".", ",", ";", "!", "?")
                and "ür" in text[sentences[s_open][0]:start - 1]):  # "Für …", "für …": a check before tokenising
            # a judgement "for" someone: "Für den Gesundheitsminister ist die Lage „alarmierend“"
            found = _judgement_for(_tokens(text, sentences[s_open][0], start - 1), lex)
            if found is not None and _judges(text, found[1], mentions, mention_starts, lex):
                quote.cue, quote.speaker = found
        if quote.cue is None and not long_enough:
            continue
        if quote.cue is not None:
            used_cues.add(quote.cue[0])
        covered.append((start - 1, end + 1))
        if long_enough:
            utterances.append((start - 1, end + 1))
        if quote.speaker is None and quotes and quotes[-1].speaker is not None and s_open - quotes[-1].sentence <= 2:
            quote.speaker = quotes[-1].speaker  # a quotation continued: the same speaker
        if quote.speaker is None and quote.cue is None and s_open > 0 and text[sentences[s_open][0]:start].strip(" " + _NAME_OPENERS) == "":
            previous = _tokens(text, *sentences[s_open - 1][:2])
            quote.speaker = who_speaks(_span(previous, _sentence_subject(previous, lex)))  # the subject of the sentence before
        quotes.append(quote)

    # -- indirect and reported speech, sentence by sentence ------------------------------
    covered.sort()
    covered_ends = [b for _, b in covered]
    covered_starts = [a for a, _ in covered]
    last_speech = {q.sentence: q for q in quotes}
    sentence_hits, with_triggers = _hits_by_sentence(hit_starts, hit_words, sentence_starts, lex.triggers)
    for si, (s_start, s_end, _) in enumerate(sentences):
        if si in with_triggers:
            first = bisect.bisect_right(covered_ends, s_start)
            inside = covered[first:bisect.bisect_left(covered_starts, s_end, first)]
            # the lexicon words of the sentence outside its quotations, not yet taken as a cue
            in_sentence = {hit_words[i] for i in sentence_hits[si]
                           if hit_starts[i] not in used_cues and not (inside and _inside(hit_starts[i], inside))}
            hits = lex.triggers & in_sentence
            cue_words = bool(hits)  # a token that is a trigger word is one of these hits
            if hits:
                sentence = text[s_start:s_end]
                separable = hits & lex.separable_only
                if separable:  # "gibt", "geht" without "an", "aus" before a mark: no separable verb
                    hits -= {w for w in separable
                             if not any(p in sentence and _before_mark(p).search(sentence) for p in lex.separable[w])}
                if hits & _RARE_TRIGGERS:  # "so" only after a comma, "nach" only with an utterance noun
                    hits -= {"So"} if ", so " in sentence else {"so", "So"}
                    if lex.nouns.isdisjoint(in_sentence):
                        hits -= {"nach", "Nach"}
                if hits and hits <= lex.verb_forms and not ("," in sentence or ":" in sentence
                                                            or _CLAUSE_WITHOUT_COMMA.search(sentence)):
                    hits = set()  # a verb is a cue only beside a comma, colon, "dass", "ob", "wie" or "das"
            if not hits:
                previous = last_speech.get(si - 1)
                if previous is None or (previous.speaker is None and lex.triggers.isdisjoint(in_sentence)):
                    continue  # no quotation to continue, or (no cue to try either) none with a speaker
                if not _konjunktiv(_WORD.findall(text, s_start, s_end), lex, False):
                    continue  # no word that could begin reported speech, and no quotation to continue
        else:  # no word that could begin reported speech: at most a quotation continued in Konjunktiv I
            previous = last_speech.get(si - 1)
            if previous is None or previous.speaker is None:
                continue
            if not _konjunktiv(_WORD.findall(text, s_start, s_end), lex, False):
                continue
            cue_words = False
            first = bisect.bisect_right(covered_ends, s_start)
            inside = covered[first:bisect.bisect_left(covered_starts, s_end, first)]
        toks = _tokens(text, s_start, s_end)
        if inside:
            toks = [t for t in toks if not _inside(t[1], inside)]
        if not toks:
            continue
        if (toks[-1][0] == "?" and len(toks) > 2 and toks[1][0] in _ADDRESSED and not any(t[0] == ":" for t in toks)
                and (toks[0][0].lower() in _AUXILIARIES or _is_finite_verb(toks[0][0].lower()))):
            continue  # a question that opens with its verb and a pronoun reports nothing: "Würden Sie sagen, dass …?"
        n = len(toks)
        found = None
        for k in [k for k, t in enumerate(toks) if t[0] in triggers and t[1] not in used_cues] if cue_words else ():
            word, a, b = toks[k]
            low = word.lower()
            if low == "laut" or low == "gemäß":
                first = k + 1 + (k + 1 < n and toks[k + 1][0] in _NAME_MARKS)
                who = _noun_phrase(toks, first, n, source=True)
                if who == first and first < n and toks[first][0][:1].isalpha() and toks[first][0].lower() not in _NOT_SUBJECT_START:
                    who = first + 1  # a name in lower case: "laut el-Baradei", "laut ai-Bericht"
                if who > first:
                    found = _Quote("reported", *_rest(toks, k, who, s_start, s_end), (a, b),
                                   _span(toks, (first, who)), si)
                    break
            elif low == "zufolge" and k > 0:
                i = k - 1  # the noun phrase before it: capitalised words, articles, adjectives
                if toks[i][0] == ")":  # "dem Robert Koch-Institut (RKI) zufolge": the brackets belong to it
                    i = next((m for m in range(i - 1, max(-1, i - 6), -1) if toks[m][0] == "("), i)
                elif toks[i][0] in _NAME_CLOSERS or i > 1 and _joins_compound(toks, i - 1, k):
                    # "dem „Spiegel“ zufolge", "der „Bild“-Zeitung zufolge": the quoted name with its marks
                    i = next((m for m in range(i - 1, max(-1, i - 8), -1) if _quoted_name_end(toks, m, k) == i + 1), i)
                while i > 0 and k - i < 8 and (_is_capitalised(toks[i - 1][0]) or toks[i - 1][0].lower() in _DETERMINERS
                                               or _is_adjective(toks[i - 1][0])) and toks[i - 1][0].lower() not in _NOT_SUBJECT_START \
                        and (toks[i][0].lower() not in _DETERMINERS or toks[i][0] in ("des", "der") and _is_capitalised(toks[i - 1][0])):
                    i -= 1  # its article opens the phrase ("die Produktion | dem Amt"), but a genitive belongs to the noun before it
                found = _Quote("reported", *_rest(toks, i, k + 1, s_start, s_end), (a, b), _span(toks, (i, k)), si)
                break
            elif low == "nach" and k > 0 and toks[k - 1][0] in lex.nouns and (k + 1 == n or not _is_capitalised(toks[k + 1][0])):
                i = k - 1
                if i > 0 and toks[i - 1][0].lower() in _DETERMINERS | {"seiner", "ihrer", "dem", "eigener"}:
                    i -= 1
                found = _Quote("reported", *_rest(toks, i, k + 1, s_start, s_end), (a, b), _span(toks, (i, k)), si)
                break
            elif low == "nach" and k + 1 < n:
                m = k + 1
                while m < n and m - k <= 3 and toks[m][0] not in lex.nouns and (toks[m][0].lower() in _DETERMINERS or _is_adjective(toks[m][0])):
                    m += 1
                if m < n and toks[m][0] in lex.nouns:
                    who = _noun_phrase(toks, m, n, source=True)
                    found = _Quote("reported", *_rest(toks, k, who, s_start, s_end), (a, toks[m][2]),
                                   _span(toks, (m, who)), si)
                    break
            elif low in _ANAPHORIC_CUES:
                found = _Quote("reported", *_rest(toks, k, k + 1, s_start, s_end), (a, b), None, si)
                break
            elif low == "so" and k > 0 and toks[k - 1][0] == "," and k + 1 < n:
                who = _speaker_after(toks, k + 1, n)
                if who is not None and (toks[k + 1][0].lower() in _DETERMINERS or _is_capitalised(toks[k + 1][0])):
                    used_cues.add(a)
                    found = _Quote("reported", toks[0][1], toks[k - 1][1], (a, b), _span(toks, who), si)
                    break
            cue = _cue_at(toks, k, n, lex)
            if cue is None:
                continue
            verb, cue_end = cue
            # "wie der Sprecher mitteilte"
            if k >= 2 and toks[verb][0] == word:
                w = k - 1
                while w > 0 and toks[w][0].lower() != "wie" and toks[w][0] != "," and k - w < 10:
                    w -= 1
                if toks[w][0].lower() == "wie" and (w == 0 or toks[w - 1][0] == ","):
                    who = _noun_phrase(toks, w + 1, k)
                    if who > w + 1:
                        found = _Quote("reported", *_rest(toks, w, cue_end, s_start, s_end), (a, b), _span(toks, (w + 1, who)), si)
                        break
            # "Das erklärte ein Sprecher." after the words it refers to
            if toks[0][0].lower() in ("das", "dies", "so") and si > 0 and (verb == 1 or (
                    n > 2 and toks[1][0][:1].islower() and all(t[0] != "," for t in toks[1:verb]))):
                who = _span(toks, _speaker_after(toks, 2, n))  # "Das musste der Minister einräumen."
                earlier = next((q for q in reversed(quotes) if q.form == "direct" and q.cue is None
                                and sentences[si - 1][0] <= q.end <= s_start), None)
                if earlier is not None:
                    earlier.cue, earlier.speaker = (a, b), who
                    used_cues.add(a)
                    break
                p_start, p_end, _ = sentences[si - 1]
                found = _Quote("indirect", p_start, len(text[:p_end].rstrip()), (a, b), who, si - 1)
                break
            # "Kasachstan sei bereit, sagte Tokajew." / "…, heißt es."
            if verb > 0 and toks[verb - 1][0] == "," and verb >= 2:
                who = _speaker_after(toks, cue_end if cue_end == verb + 1 else verb + 1, n)
                impersonal = verb + 1 < n and toks[verb + 1][0] == "es"
                message = _without_marks(toks[:verb - 1])
                if (who is not None or impersonal) and message and toks[0][0].lower() not in _NOT_COMPLEMENT:
                    found = _Quote("indirect", message[0][1], message[-1][2], (a, b), _span(toks, who), si)
                    break
            # "Tokajew sagte, Kasachstan sei bereit." / "Der Sprecher erklärte, dass …"
            comma = next((m for m in range(max(cue_end, k + 1) - 1, min(n, k + 14)) if toks[m][0] in (",", ":")), None)
            if comma is None and cue_end < n and toks[cue_end][0] in ("dass", "ob"):
                comma = cue_end - 1
            if comma is not None:
                stop = n - 1 if toks[-1][0] in ".!?" else n
                message = _without_marks(toks[comma + 1:stop])
                who = _speaker_after(toks, cue_end, comma, nominative=False) if cue_end < comma else None
                adjacent = cue_end >= comma or (who is not None and who[1] == comma)
                if message and message[0][0] in lex.finite:
                    continue  # "sprach von X, betonte aber, dass …": the next verb is the cue
                if message and _relative_clause_of_object(toks, k, verb, comma, message, lex):
                    continue  # "kündigte eine WM an, die so groß wie nie sein wird": the clause describes the object
                if message and (_reports(message, lex) or (adjacent and message[0][0].lower() not in _NOT_COMPLEMENT)):
                    relative = message[0][0].lower() in _COMPLEMENTIZERS or _konjunktiv([t[0] for t in message], lex, False)
                    who = _subject(toks, verb, comma, lex, relative=relative)
                    passive = (toks[verb][0] in _PASSIVE and verb != k) or (
                        toks[k][0] in lex.participles and k > 0 and toks[k - 1][0] in _PASSIVE)  # "werden beschuldigt"
                    if who is not None and passive and (who[0] == 0 or toks[who[0] - 1][0] not in ("von", "vom")):
                        who = None  # in the passive the subject is who is spoken to or of: "Ihm wurde vorgeworfen, …"
                    found = _Quote("indirect", message[0][1], message[-1][2], (a, b), _span(toks, who), si)
                    break
        if found is not None:
            quotes.append(found)
            last_speech[si] = found
            continue
        # a sentence in Konjunktiv I right after a quotation continues it, without a cue of its own
        previous = last_speech.get(si - 1)
        if previous is not None and previous.speaker is not None and _konjunktiv([t[0] for t in toks], lex, False):
            stop = n - 1 if toks[-1][0] in ".!?" else n
            if si not in {q.sentence for q in quotes} and stop > 0:
                colon = next((c for c in range(1, min(stop - 1, 8)) if toks[c][0] == ":" and not (
                    toks[c + 1][1] == toks[c][2] and toks[c + 1][0][:1].islower())), None)  # not "LIT:potsdam"
                own = None
                if colon is not None and toks[0][0].lower() not in _PREPOSITIONS:  # "Auf gut Deutsch:" names nobody
                    own = who_speaks(_span(toks, _sentence_subject(toks[:colon], lex, label=True)))
                if own is not None:  # a speaker of its own before a colon: "X widerspricht: Es handle sich …"
                    cont = _Quote("indirect", toks[colon + 1][1], toks[stop - 1][2], None, own, si)
                    quotes.append(cont)
                    last_speech[si] = cont
                elif previous.cue is None and previous.form == "indirect":  # the continuation goes on
                    previous.end, previous.sentence = toks[stop - 1][2], si
                    last_speech[si] = previous
                else:
                    cont = _Quote("indirect", toks[0][1], toks[stop - 1][2], None, previous.speaker, si)
                    quotes.append(cont)
                    last_speech[si] = cont

    for q in quotes:
        if q.form != "direct":
            q.speaker = who_speaks(q.speaker)
    quotes.sort(key=lambda q: (q.start, q.end))
    _link_entities(text, quotes, mentions, sentences, lex)
    return quotes


_COPULAS = frozenset("ist sind war waren".split())  # in Konjunktiv ("sei") the judgement is reported by someone else


def _judgement_for(toks: list, lex: Lexicon) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Find "für" + noun phrase + copula opening the clause before a quotation; return (copula, phrase) spans.

    The caller checks that the quotation ends the clause (it is the judgement, not a term in it).
    """
    first = max((k + 1 for k, t in enumerate(toks) if t[0] in (",", ";", ":")), default=0)
    if first >= len(toks) or toks[first][0].lower() != "für":
        return None
    end = _noun_phrase(toks, first + 1, len(toks))
    if end == first + 1 or end >= len(toks) or toks[end][0] not in _COPULAS:
        return None
    return toks[end][1:], _span(toks, (first + 1, end))


def _judges(text: str, span: tuple[int, int], mentions: list, mention_starts: list, lex: Lexicon) -> bool:
    """Tell whether a phrase after "für" names someone who judges: a person of the table, else a role and no place.

    "Für Angela Merkel", "Für den Gesundheitsminister Jose Temporao" judge; "Für Deutschland" (an
    entity that is no person) and "Für die Wirtschaft" (no role) do not.
    """
    inside = mentions[bisect.bisect_left(mention_starts, span[0]):bisect.bisect_left(mention_starts, span[1])]
    if inside:
        return any(m[3] == "person" for m in inside)
    return any(lex.speaker_nouns.search(w.lower()) for w in _WORD_OR_NAME.findall(text[span[0]:span[1]]) if w[:1].isupper())


_PLACE_PREPOSITIONS = frozenset("in im auf aus".split())
_PASSIVE = frozenset("wird werden wurde wurden worden würde würden".split())
_SUBORDINATORS = frozenset("dass daß weil da nachdem als wie ob obwohl wenn während".split())


def _cue_after_closing_mark(text: str, s_start: int, start: int, end: int, utterances: list,
                            lex: Lexicon) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    """Find the cue of a quotation inside a clause whose verb stands after the closing mark; return (cue, speaker).

    The word after the closing mark is a participle of the lexicon ("hatte den Bericht als „falsch“
    zurückgewiesen"), the particle of a separable verb of the clause ("wies dies als „…“ zurück")
    or a finite verb at the end of a subordinate clause ("…, der die Wahl als „Fest“ bezeichnete").
    The speaker is the subject of the clause: the noun phrase a relative pronoun stands for, the
    one after a conjunction ("weil die Regierung …"), the subject of the auxiliary or the separable
    verb, or in the passive the agent after "von" ("wurden von Kennern als „…“ bezeichnet").
    """
    word = _FIRST_WORD.match(text, end + 1)
    if word is None or text[end + 1:word.start(1)].strip() or not word.group(1).islower():
        return None
    after = word.group(1)
    then = _FIRST_WORD.match(text, word.end())
    auxiliary = then.group(1) if then is not None and then.group(1) in _AUXILIARIES else None
    if auxiliary is None and not text[word.end():word.end() + 1] in (",", ".", ";", ":", "!", "?"):
        return None  # the verb does not end the clause: "„Yemen Observer“ berichtet jedoch, dass …"
    toks = _after_last_quote(_tokens(text, s_start, start - 1), utterances)
    if not toks or _is_capitalised(toks[-1][0]):
        return None  # a name in quotation marks after its noun: "der Zeitung „Herald Tribune“ mitgeteilt"
    place = len(toks) - 1 - (toks[-1][0].lower() in _DETERMINERS)
    if place >= 0 and toks[place][0].lower() in _PLACE_PREPOSITIONS:
        return None  # a medium or a work: "im „Standard“ bezeichnet", "in seinem „Hyperion“ schreibt"
    first = max((k + 1 for k, t in enumerate(toks) if t[0] in (",", ";", ":")), default=0)  # the clause's start
    if first >= len(toks):
        return None
    if all(t[0].lower() in _DETERMINERS for t in toks[first + 1:]) and (
            toks[first][0].lower() in _SUBORDINATORS or toks[first][0] in _RELATIVE_PRONOUNS):
        return None  # the quotation names the subject itself: "wie der „Spiegel“ berichtete"
    verb = None
    if after in lex.participles:
        verb = next((k for k in range(len(toks) - 1, first - 1, -1) if toks[k][0] in _AUXILIARIES), None)
        if (auxiliary or (toks[verb][0] if verb is not None else None)) is None:
            return None  # no clause of its own: "sogenannte „PACs“ genannt"
        if (auxiliary or toks[verb][0]) in _PASSIVE:  # the passive names its speaker after "von", if at all
            agent = next((k for k in range(first, len(toks)) if toks[k][0] in ("von", "vom")), None)
            who = _noun_phrase(toks, agent + 1, len(toks)) if agent is not None else None
            return (word.span(1), _span(toks, (agent + 1, who))) if who else None
        cue = word.span(1)
    elif (after in lex.finite and first > 0 and toks[first][0] in _RELATIVE_PRONOUNS | _SUBORDINATORS
          and not after.startswith(("heiß", "hieß")) and all(t[0] != "sich" for t in toks[first:])):
        cue = word.span(1)  # not a name given: "der früher „…“ hieß", "die sich selbst „…“ nennt"
    else:
        verb = next((k for k in range(first, len(toks)) if after in lex.separable.get(toks[k][0], ())), None)
        if verb is None:
            return None
        cue = toks[verb][1:]
    if first > 1 and toks[first][0] in _RELATIVE_PRONOUNS and first + 1 < len(toks) and toks[first + 1][0] in _SUBJECT_PRONOUNS:
        # the pronoun after the relative one is the subject: "die er als „Lügner“ bezeichnete"; "man" names nobody
        return None if toks[first + 1][0] in ("man", "es") else (cue, toks[first + 1][1:])
    if first > 1 and toks[first][0] in _RELATIVE_PRONOUNS and toks[first - 1][0] == "," and (
            first + 1 == len(toks) or not _is_capitalised(toks[first + 1][0])):
        antecedent = _antecedent(toks, first - 1)
        return cue, (_span(toks, (antecedent, first + 1)) if antecedent is not None else None)
    if toks[first][0].lower() in _SUBORDINATORS:
        return cue, _span(toks, _speaker_after(toks, first + 1, len(toks)))
    if verb is None:
        return cue, None
    return cue, _span(toks, _subject(toks, verb, len(toks), lex))


def _introduced_surname(phrase: str, text: str) -> bool:
    """Tell whether a phrase is a surname the article introduces after a first name ("Reinhold Gall" … "Gall").

    The phrase is one capitalised word, alone or after a title ("Dr."). A first name here is a
    capitalised word that is no German word in any form and does not follow an article (or a
    preposition joined with one), so "Reinhold Gall" makes "Gall" a name of this article, while
    "Die Gall" or "im Münchner Garten" do not.
    """
    words = _WORD_OR_NAME.findall(phrase)
    while words and words[0].lower() in _TITLES:
        words = words[1:]
    if len(words) != 1 or not words[0][:1].isupper():
        return False
    word = words[0]
    pos = text.find(word)
    while pos >= 0:
        after = pos + len(word)
        if after == len(text) or not (text[after].isalnum() or text[after] == "_"):
            first = _FIRST_NAME_BEFORE.search(text, max(0, pos - 60), pos) if _CAPITALISED_BEFORE.search(
                text, max(0, pos - 60), pos) else None  # a quick search for the capitalised word first
            if first is not None and _is_name(first.group(2), True) and (
                    first.group(1) is None or first.group(1).lower() not in _ARTICLES_AND_CONTRACTIONS):
                return True
        pos = text.find(word, after)
    return False


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Tell whether a position lies in one of a few spans."""
    for a, b in spans:
        if a <= pos < b:
            return True
    return False


def _without_marks(toks: list) -> list:
    """Drop quotation marks left at either end of a message (a stray closing mark)."""
    a, b = 0, len(toks)
    while a < b and toks[a][0] in _MARK_CHARS:
        a += 1
    while b > a and toks[b - 1][0] in _MARK_CHARS:
        b -= 1
    return toks[a:b]


def _after_last_quote(toks: list, utterances: list[tuple[int, int]]) -> list:
    """Keep the tokens after the last quoted utterance among them (the field before the next one).

    A short quoted term inside the clause ("sagte als „nicht wissenschaftliche“ Erkenntnis, dass …:")
    does not end the field; a quoted sentence ("„Thaksin raus!“ und der Unternehmer rief:") does.
    """
    last = max((b for a, b in utterances), default=-1)
    return [t for t in toks if t[1] >= last]


def _subject(toks: list, verb: int, stop: int, lex: Lexicon, relative: bool = False) -> tuple[int, int] | None:
    """Find who speaks in a clause with its finite verb at ``verb``: the field before it, else after it.

    With ``relative``, a relative pronoun that opens the clause stands for the noun phrase before
    its comma, and the speaker spans both ("Demonstranten, die skandierten").
    """
    if verb + 1 < stop and toks[verb + 1][0] in ("er", "ich", "wir"):
        return verb + 1, verb + 2  # "Ursprünglich sagte er": only the subject has this form
    if verb > 1 and toks[verb - 1][0] == "und":
        first = verb - 1  # "biss der Randalierer den Fluggast und rief": the subject of the first verb
        while first > 0 and toks[first - 1][0] not in (",", ";", ":"):
            first -= 1
        if toks[first][0][:1].islower() and toks[first][0].isalpha() and toks[first][0] not in _DETERMINERS:
            who = _speaker_after(toks, first + 1, verb - 1)
            if who is not None:
                return who
        who = _sentence_subject(toks[first:verb - 1], lex)  # "zogen die Demonstranten … und skandierten"
        if who is not None:
            return first + who[0], first + who[1]
    start = verb
    while start > 0 and toks[start - 1][0] not in (",", ";", ":"):
        start -= 1
    if relative and start > 1 and toks[start - 1][0] == "," and toks[start][0] in _RELATIVE_PRONOUNS and (
            start + 1 == verb or not (_is_capitalised(toks[start + 1][0]) or toks[start + 1][0] in _SUBJECT_PRONOUNS)):
        first = _antecedent(toks, start - 1)  # "…, die skandierten": the noun phrase the pronoun stands for
        return (first, start + 1) if first is not None else None
    who = _speaker_before(toks, start, verb)
    if who is not None and who[1] - who[0] <= 3 and toks[who[1] - 1][0] in _TIME_NOUNS and who[1] == verb:
        return _speaker_after(toks, verb + 1, stop)  # a time phrase fills the field: "Vergangene Woche warnte die Behörde"
    if who is not None:
        return who
    if start == verb:  # "Der Leiter der Behörde, Klaus Stöhr, sagte": the field holds commas
        while start > 0 and toks[start - 1][0] not in (";", ":"):
            start -= 1
        who = _speaker_before(toks, start, verb)
        if who is not None:
            return who
    if verb + 1 < stop and toks[verb + 1][0] == "es" and toks[start][0].lower() in ("in", "im", "auf", "aus"):
        j = _noun_phrase(toks, start + 1, verb)
        return (start + 1, j) if j > start + 1 else None  # "In der Mitteilung der Polizei heißt es, …"
    return _speaker_after(toks, verb + 1, stop)


_NOUN_PHRASE_LINKS = frozenset("und von vom des der zu".split())


def _only_noun_phrases(toks: list) -> bool:
    """Tell whether tokens hold only noun phrases, commas and brackets (no verb): "Der Bürgermeister, Henning Scherf (SPD),"."""
    return bool(toks) and all(
        not t[0][:1].islower() or t[0] in _NOUN_PHRASE_LINKS or t[0] in _DETERMINERS or _is_adjective(t[0]) for t in toks)


_PREPOSITIONS = frozenset("in im an am auf aus bei beim mit nach seit vom vor zu zum zur über unter für gegen gegenüber ohne um "
                          "durch und oder sowie".split())


_NOT_BEFORE_MEDIUM = (_PREPOSITIONS - {"mit", "gegenüber"}) | {"von", "bis", "wegen", "trotz"} | _COMPLEMENTIZERS


def _quoted_object(toks: list, verb: int, has_subject: bool) -> tuple[int, int] | None:
    """Find the object of "zitieren" (the one quoted): the phrase after the verb, or after its subject if that follows it."""
    first = _speaker_after(toks, verb + 1, len(toks), nominative=False)
    if first is None:
        return None
    if first[1] < len(toks) and toks[first[1]][0] in ("den", "einen"):  # "zitiert die „Bild“ den Minister"
        end = _noun_phrase(toks, first[1], len(toks))
        return (first[1], end) if end > first[1] else None
    if not has_subject or toks[first[0]][0].lower() not in _DETERMINERS:
        return None
    return first


def _antecedent(toks: list, comma: int) -> int | None:
    """Return the first index of the noun phrase that ends at the comma before a relative pronoun, or None."""
    for i in range(max(0, comma - 10), comma):
        if _noun_phrase(toks, i, comma) == comma and (_is_capitalised(toks[i][0]) or toks[i][0].lower() in _DETERMINERS):
            if i > 0 and toks[i][0].lower() not in _DETERMINERS and (
                    toks[i - 1][0] in _PREPOSITIONS or not (toks[i - 1][0][:1].isalnum() or toks[i - 1][0] == ",")):
                return None  # the end of a longer phrase: "Präsident des Landes in Afrika", "vom 8. Dezember"
            return i
    return None


_FUNCTION_WORDS = (_DETERMINERS | _PRONOUNS | _NOT_NAMES | _NOT_SUBJECT_START | _CLAUSE_OPENERS | _COMPLEMENTIZERS
                   | _NOT_COMPLEMENT)
_ADDRESSED = frozenset("Sie du ihr wir ich man".split())  # after the verb that opens a question
_SUBJECT_PRONOUNS = frozenset("man er sie es wir ich ihr du".split())  # after a relative pronoun: it is no subject
_RELATIVE_PRONOUNS = frozenset("der die das welcher welche welches".split())


@functools.lru_cache(maxsize=1 << 12)
def _is_finite_verb(word: str) -> bool:
    """Tell whether a lower-case word is a verb form: its dictionary lemma is an infinitive ("zeigte": zeigen)."""
    if not word.isalpha() or not word.islower() or len(word) < 3 or word in _FUNCTION_WORDS:
        return False
    lemma = _german_lexicon().get(word)
    return lemma is not None and lemma.endswith(("en", "ern", "eln"))


def _is_present_participle(word: str) -> bool:
    """Tell whether a word is a verb's present participle ("relativierend", "Lachend"): an adverb, no noun."""
    low = word.lower()
    return low.endswith("end") and _is_finite_verb(low[:-1])


_FIELD_BOUNDS = frozenset([",", ";", "(", ")", "–", "und", "sowie"])


def _phrase_before_colon(toks: list) -> tuple[int, int] | None:
    """Find a noun phrase that fills the field before a closing colon alone: "…, und Minister X:"."""
    stop = len(toks) - 1
    start = stop
    while start > 0 and toks[start - 1][0] not in _FIELD_BOUNDS and stop - start < 12:
        start -= 1
    if start == stop or (start > 0 and toks[start - 1][0] not in _FIELD_BOUNDS) or toks[start][0].lower() in _NOT_SUBJECT_START:
        return None
    return (start, stop) if _noun_phrase(toks, start, stop) == stop else None


#: The prepositions (and "und", "oder") that are no verb in a label before a colon: "X im Interview:", "Nach dem
#: Brand in Crans-Montana:". "von" and "vom" stay: they name where the words come from ("Tipps vom Experten:").
_LABEL_LINKS = _PREPOSITIONS - {"von", "vom"}


#: Verbs that tell where words stand or are read ("Auf der Homepage steht:"): the phrase before them is the source.
_WRITTEN = frozenset("steht stand stehen standen heißt hieß findet fand finden fanden lesen erfährt erfahren".split())


def _verb_after_phrase(toks: list, start: int) -> int | None:
    """Return the index of the first finite verb from ``start`` on, outside quotation marks, or None.

    A participle between a lower-case word and a noun is an attribute, no verb: "des von ihm geforderten Shutdowns".
    """
    quoted = False
    for k in range(start, len(toks)):
        word = toks[k][0]
        quoted = quoted != (word in _NAME_MARKS)
        if not quoted and _is_finite_verb(word) and not (
                k + 1 < len(toks) and _is_capitalised(toks[k + 1][0]) and toks[k - 1][0][:1].islower()):
            return k
    return None


def _sentence_subject(toks: list, lex: Lexicon, label: bool = False) -> tuple[int, int] | None:
    """Find the subject of a main clause without a cue: the noun phrase before the verb, else after it.

    With ``label`` the clause is the field before a colon, often a headline's label without a verb:
    a preposition there is no verb, so "X im Interview:" names nobody after it.
    """
    who = _speaker_before(toks, 0, len(toks), cue=False)
    if who is not None and (who[1] == len(toks) or toks[who[1]][0] == "," or toks[who[1]][0][:1].islower()):
        return who  # "Der Minister sagte dazu", "Bundesinnenminister Schäuble:"
    verb = next((k for k in range(1, len(toks)) if toks[k][0][:1].islower() and toks[k][0].isalpha()
                 and not (label and toks[k][0] in _LABEL_LINKS)), None)
    if (verb is not None and toks[verb][0] in _DETERMINERS and toks[0][0].lower() in _PREPOSITIONS
            and toks[0][0].lower() not in ("nach", "für") and not any(t[0] in lex.nouns for t in toks[:verb + 2])):
        # the article of a phrase that names neither a source ("Nach der Ankündigung der Ministerin soll …"),
        # a judge ("Für die Forscherin ist …") nor words ("Aus Sicht der Ministerin") is no verb: the subject
        # after the verb speaks ("Unter dem Motto „Freiheit statt Angst“ zogen die Demonstranten …"); where
        # the verb has none, is passive ("wurde X gefragt") or tells where words are read ("Auf der Homepage
        # des Festivals steht:"), the phrase names the source
        after = _verb_after_phrase(toks, verb + 1)
        if after is not None and toks[after][0] not in _WRITTEN and toks[after][0] not in _PASSIVE:
            who = _speaker_after(toks, after + 1, len(toks))
            if who is not None:
                return who
    if verb is not None and verb + 1 < len(toks) and toks[verb + 1][0] in ("er", "ich", "wir"):
        return verb + 1, verb + 2
    if verb is None or (who is None and toks[0][0].lower() not in _NOT_SUBJECT_START):
        return None
    return _speaker_after(toks, verb + 1, len(toks))


def _spoken_of(toks: list, who: tuple[int, int] | None, lex: Lexicon) -> bool:
    """Tell whether the subject ``who`` of a clause before a quotation is whom someone speaks of, not who speaks.

    Its clause (up to a colon) is in Konjunktiv I: "Die Kanzlerin müsse …, damit nicht „…“". A
    personal pronoun speaks ("Er werde sich „…“ richten"), and so does a phrase that names whose
    words or view they are ("Nach den Worten Junckers sei es „…“", "Nach Auffassung des Ministers").
    """
    if who is None or (who[1] - who[0] == 1 and toks[who[0]][0].lower() in _PRONOUNS):
        return False
    if (toks[who[0]][0] in lex.nouns and who[1] - who[0] > 1
            or who[0] > 1 and toks[who[0] - 1][0] in _ATTRIBUTE_LINKS and toks[who[0] - 2][0] in lex.nouns):
        return False
    clause = itertools.takewhile(lambda t: t[0] != ":", toks[who[0]:])
    return _konjunktiv([t[0] for t in clause], lex, False)


def _span(toks: list, span: tuple[int, int] | None) -> tuple[int, int] | None:
    if span is None or span[1] <= span[0]:
        return None
    return toks[span[0]][1], toks[span[1] - 1][2]


def _rest(toks: list, cue_first: int, cue_last: int, s_start: int, s_end: int) -> tuple[int, int]:
    """Return the message of a reported-speech phrase: the sentence after it if it opens the sentence, else all."""
    stop = len(toks) - 1 if toks[-1][0] in ".!?" else len(toks)
    if cue_first == 0 and cue_last < stop:
        first = cue_last + 1 if toks[cue_last][0] == "," else cue_last
        if first < stop:
            return toks[first][1], toks[stop - 1][2]
    return toks[0][1], toks[stop - 1][2]


_RELATIVE_OPENERS = frozenset("der die das dem den deren dessen welcher welche welches".split())
_POLITE_PRONOUNS = frozenset("Sie Ihnen Ihr Euch Dir Dich".split())


def _relative_clause_of_object(toks: list, k: int, verb: int, comma: int, message: list, lex: Lexicon) -> bool:
    """Tell whether the clause after a cue's comma is a relative clause on the object before it, not a message.

    It opens with a relative pronoun (no article before a noun phrase: "rief die Deutschen auf, dem
    eigenen Mut zu vertrauen" is a message), holds no Konjunktiv, and an object ends the field
    before the comma, the cue's particle or participle aside: a capitalised word after the finite
    verb, right after it or after an article and adjectives ("kündigte eine Fußball-WM an, die so
    groß wie nie sein wird", "nennt Strategien, die jeder umsetzen kann"). "Er sagte, die
    Lage sei ernst" keeps its message.
    """
    words = [t[0] for t in message]
    if (words[0] not in _RELATIVE_OPENERS or len(words) < 3 or _is_capitalised(words[1])
            or (_is_adjective(words[1]) and _is_capitalised(words[2])) or _konjunktiv(words, lex, True) or words[-2] == "zu"):
        return False  # an article before a noun phrase opens an infinitive: "warf ihm vor, den Dienst zu spät gestärkt zu haben"
    last = comma - 1
    if last > k and toks[last][0] in lex.separable.get(toks[k][0], ()) or last == k and verb != k:
        last -= 1  # the particle of "kündigte … an", or the participle of "hat … angekündigt"
    if last <= verb or not _is_capitalised(toks[last][0]) or toks[last][0] in _POLITE_PRONOUNS:
        return False  # "Ich sage Ihnen, das ist es": no object noun
    before = last - 1
    while before > verb and _is_adjective(toks[before][0]):
        before -= 1
    return before == verb or toks[before][0].lower() in _DETERMINERS


_CAPITALISED_NEXT = re.compile(r"[^\S\n]+([A-ZÄÖÜ][\w-]*)")


def _owns_next_noun(text: str, start: int, end: int, stop: int, lex: Lexicon) -> bool:
    """Tell whether a name at ``start:end`` is in the genitive before a noun it owns that speaks for itself.

    Such a name is an attribute of the speaker, not the speaker: "Bayerns Ministerpräsident", "Merkels
    Sprecher", "Tsipras' Regierung". It does speak when what it owns is its words or plans ("Trumps Worte",
    "Steinmeiers Weihnachtsansprache", "Trumps Plan"), or when an article makes it a genitive after a
    noun ("eine Sprecherin des UN-Flüchtlingshilfswerks UNHCR").
    """
    if text[end - 1:end] not in ("s", "'", "’") or text[start:end] in all_first_names():
        return False  # "Andreas Gassen", "Boris Rhein": a first name, no genitive
    owned = _CAPITALISED_NEXT.match(text, end, stop)
    if (owned is None or owned.group(1) in lex.nouns or lex.source_nouns.search(owned.group(1).lower())
            or not _speaks(owned.group(1), lex, False)):
        return False
    article = _WORD_BEFORE.search(text, max(0, start - 8), start - 1) if start > 0 else None
    return article is None or article.group().lower() not in _DETERMINERS


def _link_entities(text: str, quotes: list[_Quote], mentions: list, sentences: list, lex: Lexicon) -> None:
    """Give each speaker the entity of the table it names, or that its pronoun or role refers back to."""
    sentence_starts = [s for s, _, _ in sentences]

    def sentence_of(pos: int) -> int:
        return bisect.bisect_right(sentence_starts, pos) - 1

    starts = [m[0] for m in mentions]
    people = {m[2] for m in mentions if m[3] == "person"}
    roles: dict[str, set[str]] | None = None  # the capitalised word before each person's name, read when needed

    def person_roles() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for m_start, _, entity, kind in mentions:
            if kind == "person":
                word = _WORD_BEFORE_NAME.search(text, max(0, m_start - 40), m_start)
                if word and word.group(1)[:1].isupper():
                    found.setdefault(word.group(1).split("-")[-1].lower(), set()).add(entity)
        return found
    last = previous = None
    for q in sorted(quotes, key=lambda q: q.sentence):
        if q.speaker is None:
            continue
        if last is not None and q.speaker == last.speaker:
            q.entity = last.entity
            continue
        previous, last = last, q
        a, b = q.speaker
        lo = bisect.bisect_left(starts, a)
        hi = bisect.bisect_left(starts, b, lo)
        inside = [m for m in mentions[lo:hi] if m[1] <= b and text[m[1]:m[1] + 1] != "-"  # not "US-Vizepräsidentin"
                  and not _owns_next_noun(text, m[0], m[1], b, lex)]  # nor "Bayerns Ministerpräsident"
        if inside:
            persons = [m for m in inside if m[3] == "person"]
            q.entity = (persons or inside)[0][2]
            continue
        words = text[a:b].split()
        if len(words) == 1 and words[0].lower() in ("er", "sie"):
            s_prev = sentences[max(0, sentence_of(a) - 1)][0]
            near = {m[2] for m in mentions[bisect.bisect_left(starts, s_prev):lo]
                    if m[3] == "person" and not q.start <= m[0] < q.end}  # names inside the quotation do not speak
            recent = (previous is not None and previous.entity in people
                      and sentence_of(q.speaker[0]) - sentence_of(previous.end) <= 2)
            if recent and (not near or previous.entity in near):
                q.entity = previous.entity  # the person who spoke just before goes on speaking
            elif len(near) == 1:
                q.entity = near.pop()
            continue
        if len(words) <= 3 and words[0].lower() in ("der", "die"):
            head = words[-1].split("-")[-1].lower()
            if roles is None:
                roles = person_roles()
            earlier = roles.get(head, set())
            if len(earlier) == 1:
                q.entity = next(iter(earlier))


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def quotes_in_partition(
    part: pd.DataFrame,
    gazetteer: Gazetteer,
    lexicon: Lexicon | None = None,
    mentions: pd.DataFrame | None = None,
    mentions_column: str | None = None,
) -> pd.DataFrame:
    """Find the quotations of a DataFrame of articles (columns ``doc_id`` and ``text``).

    A pure function of its arguments, which :func:`find_quotes` maps over the partitions of a
    corpus (see :mod:`analysis.engine`).

    Parameters
    ----------
    part : DataFrame
        Articles with columns ``doc_id`` and ``text``; texts that are not strings count as empty.
    gazetteer : Gazetteer
        The entity table speakers are linked to.
    lexicon : Lexicon or None
        The reporting words; None uses :func:`default_lexicon`.
    mentions : DataFrame or None
        The output of :func:`~analysis.mentions.find_mentions` for these articles with the same
        ``gazetteer``, if the caller has it already; None takes them from ``mentions_column``,
        or scans the texts for mentions here.
    mentions_column : str or None
        A column of ``part`` that holds each article's mentions by name as (start, end, entity id,
        type) tuples in text order, as :func:`find_quotes` hands on the mentions it was given.

    Returns
    -------
    DataFrame
        The columns of :func:`find_quotes`.
    """
    lex = lexicon or default_lexicon()
    texts = [t if isinstance(t, str) else "" for t in part["text"].tolist()]
    ids = part["doc_id"].tolist()
    if mentions is not None:
        per_article = _name_mentions(mentions, _article_positions(mentions, part["doc_id"]), len(texts))
    elif mentions_column is not None:
        per_article = part[mentions_column].tolist()
    else:
        found = find_mentions(pd.DataFrame({"doc_id": np.arange(len(texts)), "text": texts}), gazetteer, n_jobs=1)
        per_article = _name_mentions(found, found["doc_id"].to_numpy(), len(texts))
    rows = []
    for doc_id, text, named in zip(ids, texts, per_article):
        try:
            found = _article_quotes(text, named, lex)
        except (IndexError, ValueError) as err:  # a text the rules did not foresee: say which, keep going
            logger.warning("article %r: quotations not searched (%s: %s)", doc_id, type(err).__name__, err)
            continue
        for q in found:
            cue = q.cue or (None, None)
            who = q.speaker or (None, None)
            rows.append((
                doc_id, q.form, q.start, q.end, text[q.start:q.end],
                text[cue[0]:cue[1]] if q.cue else None, cue[0], cue[1],
                text[who[0]:who[1]] if q.speaker else None, who[0], who[1], q.entity,
            ))
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    return out.astype({"doc_id": part["doc_id"].dtype, **QUOTE_META})


#: The column in which :func:`find_quotes` hands each article's mentions to the partitions.
_MENTIONS_COLUMN = "name_mentions"


def _name_mentions(mentions: pd.DataFrame, positions: np.ndarray, n_articles: int) -> list[list[tuple]]:
    """Return, per article, the (start, end, entity id, type) of its mentions by name, in text order.

    ``positions`` gives the row of each mention's article among the ``n_articles``.
    """
    per_article: list[list[tuple]] = [[] for _ in range(n_articles)]
    for row in zip(positions.tolist(), mentions["start"].tolist(), mentions["end"].tolist(),
                   mentions["entity_id"].tolist(), mentions["type"].tolist(), mentions["form"].tolist()):
        if row[5] == "name":
            per_article[row[0]].append(row[1:5])
    return per_article


def _article_positions(mentions: pd.DataFrame, doc_ids: pd.Series) -> np.ndarray:
    """Return the row position of each mention's article, after checking that mentions and articles fit together."""
    missing = [c for c in ("doc_id", "start", "end", "entity_id", "type", "form") if c not in mentions.columns]
    if missing:
        raise ValueError(f"mentions: missing columns {missing}; pass the output of find_mentions")
    index = pd.Index(doc_ids)
    if not index.is_unique:
        raise ValueError("mentions: the articles' doc_id values repeat, so mentions cannot be told apart; "
                         "leave mentions=None")
    positions = index.get_indexer(mentions["doc_id"])
    if (positions < 0).any():
        unknown = mentions["doc_id"][positions < 0].iloc[0]
        raise ValueError(f"mentions: doc_id {unknown!r} is not among the articles")
    return positions


def find_quotes(
    corpus: pd.DataFrame,
    gazetteer: Gazetteer | str | os.PathLike | None = None,
    *,
    mentions: pd.DataFrame | None = None,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Find the quotations of a corpus and who speaks in them.

    Parameters
    ----------
    corpus : DataFrame or CorpusStore
        One row per article with columns ``doc_id`` and ``text``, or a corpus store
        (:func:`analysis.load.open_store`), whose texts the tasks read a partition at a time.
    gazetteer : Gazetteer, path or None
        The entity table speakers are linked to; None uses :meth:`Gazetteer.default`, a path
        is read with :meth:`Gazetteer.from_file`.
    mentions : DataFrame or None
        The output of :func:`~analysis.mentions.find_mentions` on the same corpus with the same
        gazetteer, if the caller has it already (saves scanning the texts twice; the quotations
        are the same); the corpus's ``doc_id`` values must then be unique, and the corpus a
        DataFrame. None scans here.
    n_jobs : int or None
        Processes to work with, as scikit-learn reads it: None is 1, -1 all cores (see
        :mod:`analysis.engine`, which also runs the work on a named Dask cluster).

    Returns
    -------
    DataFrame
        One row per quotation, in text order, with columns ``doc_id, form, start, end, text, cue,
        cue_start, cue_end, speaker, speaker_start, speaker_end, entity_id``. ``form`` is
        ``"direct"`` (in quotation marks; ``text`` is the inside of the marks), ``"indirect"``
        (reported speech after a reporting verb, or a sentence in Konjunktiv I continuing it) or
        ``"reported"`` ("laut X", "X zufolge", "nach Angaben von X", "wie X mitteilte", "so X").
        Offsets point into the text given: ``text[start:end]``, ``text[cue_start:cue_end] == cue``,
        ``text[speaker_start:speaker_end] == speaker``. Missing parts are NA. ``entity_id`` is the
        entity the speaker names, or that a pronoun ("er") or role ("der Präsident") refers back to
        where only one person fits.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": [1], "text": ["Tokajew sagte, Kasachstan sei bereit."]})
    >>> find_quotes(df)[["form", "text", "cue", "speaker"]].values.tolist()
    [['indirect', 'Kasachstan sei bereit', 'sagte', 'Tokajew']]
    """
    if is_partitioned(corpus):
        if mentions is not None:
            raise ValueError("mentions: the partitions of a corpus store find their own; leave mentions=None")
        articles = corpus
        doc_ids = corpus.read_partition(0, ["doc_id"])["doc_id"] if corpus.n_partitions else pd.Series([], dtype="int64")
    else:
        articles = _as_corpus(corpus)[["doc_id", "text"]]
        doc_ids = articles["doc_id"]
        if mentions is not None:
            positions = _article_positions(mentions, articles["doc_id"])
            articles = articles.assign(**{_MENTIONS_COLUMN: _name_mentions(mentions, positions, len(articles))})
    meta = pd.DataFrame(columns=QUOTE_COLUMNS).astype({"doc_id": doc_ids.dtype, **QUOTE_META})
    return map_partitions(quotes_in_partition, articles, meta, _gazetteer(gazetteer), n_jobs=n_jobs,
                          per_article=False, columns=["doc_id", "text"],
                          mentions_column=None if mentions is None else _MENTIONS_COLUMN).reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Reading the quotations
# ---------------------------------------------------------------------------------------

_RELATIVE_AT_END = re.compile(r",\s*(?:der|die|das|welcher|welche|welches)$")  # "Demonstranten, die" names Demonstranten
_LEADING_ARTICLE = re.compile(r"^(?:der|die|das|des|dem|den|ein|eine|einer|eines)\s+", re.IGNORECASE)


def _unquoted(phrase: str) -> str:
    """Drop the quotation marks around a phrase ("„Die Zeit“"), but not those of a quoted name inside it ("„Tatort“-Star")."""
    inner = phrase.strip(_NAME_MARKS + " ")
    return phrase.strip() if any(mark in inner for mark in _NAME_MARKS) else inner


def _source_label(speaker: str, lex: Lexicon) -> str | None:
    """Name a speaker phrase without its article; "Angaben der Polizei" is "Polizei", "eigenen Angaben" nobody."""
    words = _unquoted(_RELATIVE_AT_END.sub("", " ".join(speaker.split()))).split(" ")
    k = 0
    while k < len(words) and (words[k].lower() in _DETERMINERS or _is_adjective(words[k])):
        k += 1
    if k < len(words) and words[k] in lex.nouns:
        rest = words[k + 1:]
        if len(rest) > 1 and _opens_genitive(rest[0]):
            words = rest[1:] if rest[0] in _POSSESSIVE_GENITIVES else rest  # "mehrerer Medien"; "seiner Sprecherin": "Sprecherin"
        elif not rest or rest[0] not in _ATTRIBUTE_LINKS:
            return pd.NA
        else:
            words = rest[1:]
    return _unquoted(_LEADING_ARTICLE.sub("", " ".join(words))) or pd.NA


_POSSESSIVES = frozenset(
    "sein seine seiner seines seinem seinen ihr ihre ihrer ihres ihrem ihren unser unsere unserer unseres unserem unseren".split()
)


_ROLE_IN_ATTRIBUTE = _ATTRIBUTE_LINKS | {"dem", "den"} | _PREPOSITIONS  # a word before the role that puts it in an attribute


def _person_name(label: str, lex: Lexicon, first_names: frozenset) -> str | None:
    """Return the person's name a speaker label ends with, without the role before it, or None.

    "Gesundheitsminister Jens Spahn", "Bayerns Ministerpräsident Markus Söder" and "Leiter des
    RKI, Lothar Wieler" name "Jens Spahn", "Markus Söder" and "Lothar Wieler"; "Spahn" names
    "Spahn". A name is one to three capitalised words after the last role word (or after the last
    comma, or the whole label), none of them a role, a noun of the lexicon or a common noun; two
    or three words open with a first name, and one word is no first name. A role inside an
    attribute ("Professorin der Hochschule Rhein-Main") names no person after it, nor does one
    word after a role that the dictionary knows ("Fachagentur Windenergie") or that may be a
    genitive ("Sprecher Spahns").
    """
    head, _, tail = label.rpartition(", ")
    words = [w for w in tail.split(" ") if w.rstrip(".").lower() not in _TITLES]
    role = max((k for k, w in enumerate(words) if lex.speaker_nouns.search(w.lower())), default=-1)
    name = words[role + 1:]
    if not 1 <= len(name) <= 3 or any(w.lower() in _ROLE_IN_ATTRIBUTE for w in words[:max(role, 0)]) or any(
            not _NAME_WORD.fullmatch(w) or lex.speaker_nouns.search(w.lower()) or lex.source_nouns.search(w.lower())
            or w in lex.nouns or _is_common_noun(w) for w in name):
        return None
    if len(name) > 1:
        return " ".join(name) if name[0] in first_names else None
    after_role = role >= 0 or bool(head)
    if name[0] in first_names or after_role and (name[0].endswith("s") or _german_lexicon().get(name[0]) is not None):
        return None
    return name[0]


def _fold_surnames(names: list, doc_ids: list, known: frozenset, first_names: frozenset, texts: dict | None,
                   lex: Lexicon) -> list:
    """Give a surname alone the full name it stands for, where one full name fits.

    ``names`` holds a person's name per quotation, or None. A surname takes the one full name
    ending in it among the same article's speakers. Else, where ``texts`` holds the article and
    no word before the surname there may be another first name (:func:`_first_names_before`), it
    takes the one first name before it in the text, or, where the text has none, the corpus's
    full name: the one that holds nine in ten of the quotations by full names ending in it, and
    at least a tenth as many as the surname alone (not for a surname that is also a German word,
    such as "Kurz", or that the dictionary lists as a word of its own, as it does common surnames
    such as "Schreiber"). A surname that names an entity of the table (``known``) stays.
    """
    in_article: dict[tuple, str | None] = {}  # (doc_id, surname) -> the full name, None where several
    by_surname: dict[str, collections.Counter] = {}
    alone: collections.Counter = collections.Counter()
    for name, doc in zip(names, doc_ids):
        if name is None:
            continue
        surname = name.rsplit(" ", 1)[-1]
        if surname == name:
            alone[name] += 1
            continue
        in_article[doc, surname] = name if in_article.get((doc, surname), name) == name else None
        by_surname.setdefault(surname, collections.Counter())[name] += 1
    corpus_wide, full_names = {}, {}
    if texts is not None:
        for surname, counts in by_surname.items():
            (top, n), total = counts.most_common(1)[0], sum(counts.values())
            if (alone[surname] and n >= 0.9 * total and total >= 0.1 * alone[surname] and not _lower_case_word(surname)
                    and _german_lexicon().get(surname) != surname):  # "Schreiber", "Müller": shared by many
                corpus_wide[surname] = top
            for name in counts:  # "Ulrich Montgomery" in a text is "Frank Ulrich Montgomery" where that is the one
                short = " ".join(name.split(" ")[-2:])
                full_names[short] = name if full_names.get(short, name) == name else short
    folded: dict[tuple, str] = {}
    out = []
    for name, doc in zip(names, doc_ids):
        if name is None or " " in name or name in known:
            out.append(name)
            continue
        if (doc, name) not in folded:
            target = in_article.get((doc, name))
            if (doc, name) not in in_article and texts is not None and doc in texts:
                before, other = _first_names_before(texts[doc], name, first_names, lex)
                if len(before) == 1 and not other:
                    short = f"{before.pop()} {name}"
                    target = full_names.get(short, short)
                elif not before and not other:
                    target = corpus_wide.get(name)
            folded[doc, name] = target or name
        out.append(folded[doc, name])
    return out


_WORD_BEFORE_SURNAME = re.compile(r"(\S+)\s+$")


def _first_names_before(text: str, surname: str, first_names: frozenset, lex: Lexicon) -> tuple[set, bool]:
    """Return the first names right before ``surname`` in ``text``, and whether another word there may be one.

    That is an initial ("F.", "CJ") or a capitalised word that is neither a role nor a word of the
    dictionary ("Katina").
    """
    found, other = set(), False
    for at in _occurrences(text, surname):
        match = _WORD_BEFORE_SURNAME.search(text, max(0, at - 40), at)
        word = match.group(1) if match else ""
        letters = word.rstrip(".")
        if word in first_names:
            found.add(word)
        elif letters.isalpha() and letters.isupper() and len(letters) <= 3:
            other = True  # an initial: "F.", "CJ", "T"
        elif _NAME_WORD.fullmatch(word):  # not a title ("Dr.") or the end of a sentence
            last = word.rsplit("-", 1)[-1]  # a compound is known by its last part: "Benzin-Autos"
            other |= not (lex.speaker_nouns.search(word.lower()) or _in_dictionary(last))
    return found, other


def _occurrences(text: str, word: str) -> list[int]:
    """Return where ``word`` stands in ``text`` as a whole word."""
    found, at = [], text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _is_word_char(text[at - 1])) and (end == len(text) or not _is_word_char(text[end])):
            found.append(at)
        at = text.find(word, end)
    return found


def speaker_labels(quotes: pd.DataFrame, gazetteer: Gazetteer | None = None,
                   corpus: pd.DataFrame | None = None) -> pd.Series:
    """Name who speaks in each quotation: the entity's display name, else the speaker without its article.

    A person the table lacks is named without the role before the name ("Gesundheitsminister Jens
    Spahn": "Jens Spahn"), and a surname alone ("Spahn") by the one full name that the same
    article's speakers give it, else (with ``corpus``) its article's text or the corpus's speakers
    (see :func:`_fold_surnames`), so that one person is counted once.

    Parameters
    ----------
    quotes : DataFrame
        The result of :func:`find_quotes`.
    gazetteer : Gazetteer or None
        The entity table the quotes were linked with; None uses :meth:`Gazetteer.default`.
    corpus : DataFrame or None
        The articles the quotations were found in (``doc_id``, ``text``): a surname alone then
        also takes the first name before it in its article's text, or the corpus's one full name
        for it. None, and for an article missing from it: only the full names of the same
        article's speakers.

    Raises
    ------
    ValueError
        If ``corpus`` lacks ``doc_id`` or ``text``, or holds none of the quotations' articles.

    Returns
    -------
    Series
        One label per quotation (same index); NA where no speaker was found, or the speaker is a
        pronoun or a phrase with a possessive ("sein Büro") that the entity table did not resolve.

    Examples
    --------
    >>> q = pd.DataFrame({"speaker": ["Der Sprecher des Kreml", "er", "Präsident Tokajew", "Angaben der Polizei", "sein Büro"],
    ...                   "entity_id": [pd.NA, pd.NA, "tokayev", pd.NA, pd.NA]})
    >>> speaker_labels(q).tolist()
    ['Sprecher des Kreml', <NA>, 'Kassym-Schomart Tokajew', 'Polizei', <NA>]
    """
    gaz = _gazetteer(gazetteer)
    lex = default_lexicon()
    # all first names but those that are lower-case words ("Per Instagram"); a first name that is also a noun
    # ("Horst") still opens a full name here, unlike mentions.matching._first_names
    first_names = frozenset(n for n in all_first_names() if not _lower_case_word(n))
    names = {e.id: e.name for e in gaz.entities}
    out, people = [], []
    seen: dict[str, tuple] = {}  # speaker phrase -> label, person's name
    for speaker, entity in zip(quotes["speaker"].tolist(), quotes["entity_id"].tolist()):
        person = None
        if not pd.isna(entity):
            label = names.get(entity, entity)
        elif pd.isna(speaker) or not speaker.strip() or speaker.lower() in _PRONOUNS or speaker.split()[0].lower() in _POSSESSIVES:
            label = pd.NA  # "er", "sein Büro": who is meant lies outside the words
        elif speaker in seen:
            label, person = seen[speaker]
        else:
            label = _source_label(speaker, lex)
            person = None if pd.isna(label) else _person_name(label, lex, first_names)
            seen[speaker] = label, person
        out.append(label)
        people.append(person)
    surnames = sorted({p for p in people if p is not None and " " not in p})
    found = find_mentions(pd.DataFrame({"doc_id": np.arange(len(surnames)), "text": surnames}), gaz, n_jobs=1)
    known = frozenset(surnames[i] for i in found["doc_id"].unique())
    doc_ids = quotes["doc_id"].tolist() if "doc_id" in quotes.columns else list(range(len(quotes)))
    texts = None if corpus is None else _quoted_texts(corpus, doc_ids)
    folded = _fold_surnames(people, doc_ids, known, first_names, texts, lex)
    out = [label if person is None else name for label, person, name in zip(out, people, folded)]
    return pd.Series(out, index=quotes.index, dtype="string", name="speaker_label")


def _quoted_texts(corpus: pd.DataFrame, doc_ids: list) -> dict:
    """Return the text of each quoted article that ``corpus`` holds as a string, by ``doc_id``."""
    missing = [c for c in ("doc_id", "text") if c not in corpus.columns]
    if missing:
        raise ValueError(f"corpus: missing columns {missing}; pass the articles the quotations were found in")
    quoted = set(doc_ids)
    texts = {doc: text for doc, text in zip(corpus["doc_id"].tolist(), corpus["text"].tolist())
             if doc in quoted and isinstance(text, str)}
    if quoted and not texts:
        raise ValueError("corpus: none of the quotations' doc_id values is among its articles (compare their types); "
                         "pass the articles the quotations were found in")
    return texts


def mentions_in_quotes(quotes: pd.DataFrame, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Find the entities each quotation talks about (mentioned in its words, not its speaker).

    Parameters
    ----------
    quotes : DataFrame
        The result of :func:`find_quotes`.
    gazetteer : Gazetteer or None
        The entity table; None uses :meth:`Gazetteer.default`.

    Returns
    -------
    DataFrame
        One row per quotation and entity it mentions by name: ``quote`` (the index of the
        quotation in ``quotes``), ``doc_id``, ``speaker_entity`` (NA if none), ``entity_id``
        and ``entity``; an entity that is also the speaker is left out ("Tokajew says Tokajew").

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": [1], "text": ["Trump versteht Kasachstan nicht"], "entity_id": ["tokayev"]})
    >>> mentions_in_quotes(q)[["speaker_entity", "entity_id"]].values.tolist()
    [['tokayev', 'trump'], ['tokayev', 'kazakhstan']]
    """
    gaz = _gazetteer(gazetteer)
    texts = pd.DataFrame({"doc_id": np.arange(len(quotes)), "text": quotes["text"].astype(object).tolist()})
    found = find_mentions(texts, gaz, n_jobs=1)
    found = found[found["form"] == "name"]
    rows = found["doc_id"].to_numpy()
    speaker = quotes["entity_id"].astype(object).to_numpy()[rows]
    out = pd.DataFrame({
        "quote": quotes.index.to_numpy()[rows],
        "doc_id": quotes["doc_id"].to_numpy()[rows],
        "speaker_entity": pd.array(speaker, dtype="string"),
        "entity_id": found["entity_id"].to_numpy(),
        "entity": found["entity"].to_numpy(),
    })
    out = out[out["speaker_entity"].isna() | (out["speaker_entity"] != out["entity_id"]).fillna(True)]
    return out.drop_duplicates(["quote", "entity_id"]).reset_index(drop=True)


def count_speakers(quotes: pd.DataFrame, label: str = "speaker_label") -> pd.DataFrame:
    """Count the quotations and the articles quoting each speaker, the most quoted first.

    Parameters
    ----------
    quotes : DataFrame
        Quotations with the column ``doc_id`` and a speaker column ``label`` (as
        :func:`speaker_labels` gives); rows without a speaker are left out.
    label : str
        The column that names the speaker.

    Returns
    -------
    DataFrame
        Indexed by speaker, with the columns ``quotes`` and ``articles``; sorted by both,
        descending, ties by name.

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": [1, 1, 2, 2], "speaker_label": ["Tokajew", "Trump", "Tokajew", pd.NA]})
    >>> count_speakers(q).values.tolist()
    [[2, 2], [1, 1]]
    """
    named = quotes.dropna(subset=[label])
    counts = named.groupby(label).agg(quotes=("doc_id", "size"), articles=("doc_id", "nunique"))
    return counts.sort_values(["quotes", "articles"], ascending=False, kind="stable")


def quote_crosstab(
    quotes: pd.DataFrame,
    rows: str,
    columns: str,
    *,
    keep: list | None = None,
    min_quotes: int = 0,
    by_total: bool = False,
) -> pd.DataFrame:
    """Count quotations per pair of values of two columns (outlet × speaker, outlet × form, speaker × entity).

    Parameters
    ----------
    quotes : DataFrame
        One row per quotation (or per quotation and entity, as :func:`mentions_in_quotes` gives);
        rows with NA in ``rows`` or ``columns`` are left out.
    rows, columns : str
        The columns whose values make the rows and the columns of the table.
    keep : list or None
        Show only these columns, in this order (missing ones as zeros); the row totals still
        count all of the row's quotations, so that shares are shares of all of them.
    min_quotes : int
        Leave out rows with fewer quotations than this.
    by_total : bool
        Sort rows and columns by their totals, descending (ties in order of the values); else
        rows and columns are in the order of their values.

    Returns
    -------
    DataFrame
        The counts, one column per value of ``columns`` (or of ``keep``), and ``n_quotes``: the
        row's quotations over all values. Divide by ``n_quotes`` for each row's shares.

    Examples
    --------
    >>> q = pd.DataFrame({"source": ["taz", "taz", "Zeit"], "form": ["direct", "indirect", "direct"]})
    >>> quote_crosstab(q, "source", "form").values.tolist()
    [[1, 0, 1], [1, 1, 2]]
    """
    for name in (rows, columns):
        if name not in quotes.columns:
            raise ValueError(f"quote_crosstab: no column {name!r} in the quotations")
    pairs = quotes[[rows, columns]].dropna()
    table = pd.crosstab(pairs[rows], pairs[columns])
    n_quotes = table.sum(axis=1)
    if by_total:
        table = table.loc[n_quotes.sort_values(ascending=False, kind="stable").index,
                          table.sum().sort_values(ascending=False, kind="stable").index]
        n_quotes = n_quotes.loc[table.index]
    if keep is not None:
        table = table.reindex(columns=list(keep), fill_value=0)
    table = table.assign(n_quotes=n_quotes)[n_quotes >= min_quotes]
    table.columns.name = None
    return table


def outlet_quote_labels(n_quotes: pd.Series, n_articles: pd.Series, min_articles: int = 20) -> list[str]:
    """Name each outlet with its articles and quotations, for the rows of a chart.

    Parameters
    ----------
    n_quotes : Series
        Quotations per outlet (index: outlet), in the order of the chart's rows.
    n_articles : Series
        Articles per outlet (index: outlet).
    min_articles : int
        Below this many articles an outlet is marked as descriptive only.

    Returns
    -------
    list of str
        One label per outlet of ``n_quotes``, numbers written the German way.

    Examples
    --------
    >>> outlet_quote_labels(pd.Series({"taz": 1250}), pd.Series({"taz": 12}))
    ['taz (12 Artikel, 1.250 Zitate, nur beschreibend)']
    """
    from analysis.plots import format_number

    labels = []
    for outlet, n in n_quotes.items():
        articles = int(n_articles.get(outlet, 0))
        thin = ", nur beschreibend" if articles < min_articles else ""
        labels.append(f"{outlet} ({format_number(articles)} Artikel, {format_number(int(n))} Zitate{thin})")
    return labels
