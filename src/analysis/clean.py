"""Clean scraped article text: remove boilerplate lines and record every removal.

Cleaning works line by line on the Unicode-normalised raw text. Each removed line (or the
removed start or end of a line) is recorded with the rule that removed it, so that the clean text
plus the removed pieces account for the whole normalised input. Rules that only make sense
at the edges of an article (disclaimers, bylines, bios, signatures) are applied to its head
and tail only; a few rules apply anywhere (lone punctuation, image captions, paragraphs in
square brackets, the recurring lines learned per outlet by :func:`learn_outlet_boilerplate`).
"""
from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.engine import map_partitions, reduce_partitions, stable_hash


logger = logging.getLogger(__name__)

#: What each rule removes; the keys are the values of the ``rule`` column of :func:`audit`.
RULES = {
    "disclaimer": "legal or affiliation disclaimer at the top of the article",
    "metadata_header": "scraper metadata at the start of the text, such as ' date 2025-11-10'",
    "date_line": "a line that holds nothing but a date",
    "punctuation_line": "a line of punctuation only, such as a lone ','",
    "title": "the headline at the top of the text (moved to the title column)",
    "image_caption": "an English image caption followed by its German translation, or a photo credit",
    "byline": "an author line such as 'Von Max Muster' or a name on its own at the end",
    "author_bio": "a short biography of the author at the end",
    "partner_note": "a syndication or partner note such as 'Dieser Artikel erschien zuerst bei ...'",
    "related_posts": "a link block such as 'Related Post' or 'Mehr zum Thema'",
    "bracketed_note": "a paragraph wholly in square brackets: a teaser of another article, a newsletter or "
                      "subscription offer, a pointer to a video ('[Mehr zum Thema: ...]', '[Siehe Video HIER]')",
    "signature": "a sign-off such as 'DAZ', 'aro.' or '(rt/dpa)' on the last line, or in brackets at its end "
                 "('... beschlossen. (DM)')",
    "social_embed": "an embedded social-media post (with its pic.twitter.com link or '(@handle) Date') or a bare link",
    "outlet_boilerplate": "a line that recurs in many articles of the same outlet",
}
#: The rules' names in German, for figures.
RULE_LABELS = {
    "disclaimer": "Rechtlicher Hinweis",
    "metadata_header": "Metadaten am Textanfang",
    "date_line": "Datumszeile",
    "punctuation_line": "Zeile nur aus Satzzeichen",
    "title": "Überschrift im Text",
    "image_caption": "Bildunterschrift, Bildnachweis",
    "byline": "Autorenzeile",
    "author_bio": "Autorenbiografie",
    "partner_note": "Partnerhinweis",
    "related_posts": "Linkliste",
    "bracketed_note": "Hinweis in eckigen Klammern",
    "signature": "Kürzel am Ende",
    "social_embed": "Social-Media-Einbettung",
    "outlet_boilerplate": "Textbaustein der Quelle",
}

# Only the first and last few non-empty lines are searched for edge rules.
HEAD_LINES = 6
TAIL_LINES = 8
# The longest line taken for the headline of a link in a link block ("Mehr zum Thema" and links).
LINK_CHARS = 150

# After normalisation the only whitespace left is " " and "\n".
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPACES = "\t\v\f\x1f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_LINE_BREAKS = "\r\x1c\x1d\x1e\x85\u2028\u2029"
_SPECIAL_CHARACTERS = _INVISIBLE + _SPACES + _LINE_BREAKS
_SPECIAL_PATTERN = re.compile(f"[{_SPECIAL_CHARACTERS}]")
_REPLACEMENTS = {**dict.fromkeys(_INVISIBLE, ""), **dict.fromkeys(_SPACES, " "), **dict.fromkeys(_LINE_BREAKS, "\n")}

GERMAN_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}
_MONTH_NAMES = "|".join(GERMAN_MONTHS)
_WEEKDAY = r"(?:(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag),?\s+)?"
_DATE_ONLY = re.compile(
    rf"^{_WEEKDAY}(?:\d{{1,2}}\.\s*(?:{_MONTH_NAMES})\s+\d{{4}}"
    rf"|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:,?\s+(?:um\s+)?\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?$",
    re.IGNORECASE,
)
_METADATA_HEADER = re.compile(r"^\s*(?:date|datum)\s*:?\s+(\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"^(?:Haftungsausschluss|Disclaimer|Rechtlicher Hinweis)\s*:|steht in keiner Verbindung zu",
    re.IGNORECASE,
)
_NAME_WORD = r"[A-ZÄÖÜ][a-zäöüßéèáàçñ'’]+(?:-[A-ZÄÖÜ][a-zäöüßéèáàçñ'’]+)?"
_PERSON = rf"(?!(?:Der|Die|Das|Ein|Eine|Unser|Unsere)\s)(?:{_NAME_WORD}|[A-Z]\.)(?:\s+(?:{_NAME_WORD}|[A-Z]\.|von|van|de|der|zu)){{0,2}}\s+{_NAME_WORD}"
# Where the author writes from, after a comma: "Frankfurt", "Frankfurt am Main", "St. Petersburg".
_PLACE = r"(?:St\.\s+)?[A-ZÄÖÜ][\w-]+(?:\s+(?:am|an der|im|in|bei)\s+[A-ZÄÖÜ][\w-]+)?"
_BYLINE = re.compile(
    rf"^(?:(?:Ein\s+)?(?:Gastbeitrag|Kommentar|Beitrag|Analyse|Interview)\s+von|Von|von|By)\s+"
    rf"(?:Dr\.\s+|Prof\.\s+)?(?P<author>{_PERSON}(?:\s+und\s+{_PERSON})?|{_NAME_WORD})(?:,\s+{_PLACE})?\.?$"
)
_NAME_ONLY = re.compile(rf"^(?P<author>{_PERSON})$")
_BIO = re.compile(
    rf"^(?:Ich bin\s+(?P<me>{_PERSON}),|(?:Dr\.\s+|Prof\.\s+)?(?P<author>{_PERSON})\s+"
    r"(?:ist|war|arbeitet|schreibt)\s+(?:\w+\s+){0,3}?"
    r"(?:Journalist|Redakteur|Korrespondent|Autor|Reporter|Publizist|Chefredakteur|Referent|Politologe|Historiker)\w*)"
)
_PARTNER = re.compile(
    r"\b(?:erschien|erscheint|ist|wurde)\b.{0,80}?\b(?:zuerst|zuvor|erstmals|ursprünglich)\b"
    r"|mit freundlicher Genehmigung|^\(?Mit Material von\b",
    re.IGNORECASE,
)
_PARTNER_WORDS = ("zuerst", "zuvor", "erstmals", "ursprünglich", "Genehmigung", "Material von")
_RELATED = re.compile(
    r"^(?:Related Posts?|Ähnliche (?:Beiträge|Artikel)|Das könnte Sie auch interessieren|Lesen Sie auch"
    r"|Mehr zum Thema|Weitere Artikel|Auch interessant)\b",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(?:[A-ZÄÖÜ]{2,6}|(?P<initials>[a-zäöü]{2,4}\.)"
    r"|\(\s*[A-Za-z]{2,8}(?:\s*/\s*[A-Za-z]{2,8})*(?:\s+[A-Za-z]{2,8})?\s*\)"
    r"|[A-Za-z]{2,8}(?:\s*/\s*[A-Za-z]{2,8})+)$"
)
_SENTENCE_END = (".", "!", "?", "“", "\"", "»", "«", ")", "”")
# Initials or agency names in brackets after the last sentence of an article: "... beschlossen. (DM)", "(Tsp/dpa)".
_TRAILING_SIGNATURE = re.compile(r"(?<=[.!?“”\"»«])\s+(\([A-Za-zÄÖÜäöü]{2,8}(?:\s*/\s*[A-Za-zÄÖÜäöü]{2,8})*\))$")
_EMBED = re.compile(
    r"^(?:https?://|www\.)\S+$|pic\.twitter\.com/"
    r"|\(@\w{1,15}\)\s+(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember)\s+\d{1,2},\s+\d{4}"
)
# Lines that start like a photo credit or a link may match _LINE_RULES or _EMBED.
_RULE_STARTS = ("Foto", "Bild", "Photo", "Image", "Titelbild", "http://", "https://", "www.", "[")
# Whole lines that are boilerplate by themselves: the group that matches names the rule.
_LINE_RULES = re.compile(
    r"(?P<punctuation_line>[\W_]+$)"
    r"|(?P<image_caption>(?:Foto|Fotos|Bild|Bildquelle|Photo|Image|Titelbild)\s*:\s*\S.{0,120}$)"
    r"|(?P<bracketed_note>\[(?!…|\.\.\.)[^\[\]]+\]$)"  # not "[…]", which marks a cut in a quote
)

_ENGLISH_WORDS = frozenset(
    "the of and with to in at on for is are was by from his her their meets holds talks during".split()
)
_GERMAN_WORDS = frozenset(
    "der die das und mit den dem des ist sind war von zu im auf für bei trifft führt eine ein einen".split()
)
_SENTENCE_BREAK = re.compile(r"[a-zäöüß]{2}[.!?] +[A-ZÄÖÜ][a-zäöüß]* +[a-zäöüß]")
_NAME_TOKEN = re.compile(r"\b(?:[A-ZÄÖÜ][\w-]+|\d+)\b")


@dataclass
class CleanResult:
    """The outcome of cleaning one article.

    Attributes
    ----------
    text : str
        The clean body, paragraphs separated by blank lines.
    removed : list of dict
        One entry per removal: ``line`` (0-based index into the normalised lines),
        ``rule`` and ``text`` (the removed text).
    fields : dict
        Metadata found in the text: ``date``, ``author`` or ``title``.
    n_words : int
        Words in the clean text.
    """

    text: str
    removed: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    n_words: int = 0


def normalize_unicode(text: str) -> str:
    """Normalise text to NFC with plain spaces and Unix line ends.

    Soft hyphens and zero-width characters are dropped, tabs, non-breaking and other
    special spaces become plain spaces, and ``\\r\\n``, ``\\r`` and the other line
    separators become ``\\n``: afterwards the only whitespace is ``" "`` and ``"\\n"``.

    Examples
    --------
    >>> normalize_unicode("Pra\\u0308si\\u00addent\\u00a0Trump\\r\\n")
    'Präsident Trump\\n'
    """
    if any(character in text for character in _SPECIAL_CHARACTERS):
        text = _SPECIAL_PATTERN.sub(lambda m: _REPLACEMENTS[m.group()], text.replace("\r\n", "\n"))
    return unicodedata.normalize("NFC", text)  # after the removals, which can bring a letter and its accent together


def boilerplate_key(line: str) -> str:
    """Return a normalised line stripped, with runs of spaces folded into one."""
    line = line.strip()
    return " ".join(line.split()) if "  " in line else line


def _language_votes(line: str) -> tuple[int, int]:
    words = [w.lower() for w in re.findall(r"\w+", line)]
    return sum(w in _ENGLISH_WORDS for w in words), sum(w in _GERMAN_WORDS for w in words)


def _may_be_caption(line: str) -> bool:
    """Tell whether a line may be an English image caption: short, with one of its commonest words."""
    return len(line) <= CAPTION_CHARS and (" the " in line or " of " in line or " with " in line)


def _is_caption_pair(english: str, german: str) -> bool:
    """Tell whether ``english`` is a one-sentence caption and ``german`` its translation.

    Both lines must be short single sentences of similar length, the first English and
    the second German, and they must share most of the first line's names and numbers.
    """
    if not _may_be_caption(english) or len(german) > CAPTION_CHARS:
        return False
    if not 0.6 < len(german) / len(english) < 1.7 or _SENTENCE_BREAK.search(english) or _SENTENCE_BREAK.search(german):
        return False
    en_votes, de_votes = _language_votes(english)
    en_next, de_next = _language_votes(german)
    if en_votes < 2 or de_votes > 0 or de_next <= en_next:
        return False
    names = set(_NAME_TOKEN.findall(english))
    shared = names & set(_NAME_TOKEN.findall(german))
    return len(shared) >= 2 and len(shared) >= 0.5 * len(names)


def _edge_rule(line: str, at_head: bool, is_last: bool, previous: str = "") -> tuple[str, dict] | None:
    """Return the edge rule that removes ``line`` and the fields it yields, if any.

    Initials on the last line ("aro.") count only after a finished sentence, so that the
    last word of a paragraph broken over two lines ("kann.") is not taken for them.
    """
    if at_head and ("Verbindung" in line or ":" in line[:40]) and _DISCLAIMER.search(line):
        return "disclaimer", {}
    if m := _BYLINE.match(line):
        return "byline", {"author": m["author"]}
    if not at_head:
        if m := _BIO.match(line):
            return "author_bio", {"author": m["me"] or m["author"]}
        if len(line) < 300 and any(word in line for word in _PARTNER_WORDS) and _PARTNER.search(line):
            return "partner_note", {}
        if len(line) < 200 and _RELATED.match(line):
            return "related_posts", {}
        if is_last and (m := _SIGNATURE.match(line)):
            if not m["initials"]:
                return "signature", {}
            if previous.endswith(_SENTENCE_END):
                return "signature", {"author": m["initials"]}
    return None


def clean_text(raw: str, boilerplate: frozenset[str] | set[str] = frozenset(), title: str | None = None) -> CleanResult:
    """Clean one article and record what was removed.

    Parameters
    ----------
    raw : str
        The article exactly as read.
    boilerplate : set of str, optional
        Lines (as :func:`boilerplate_key` gives them) learned as recurring furniture of
        the article's outlet; they are removed anywhere with rule ``outlet_boilerplate``.
    title : str, optional
        The known headline. A first line equal to it is removed; when no title is known,
        a short headline-like first line is moved to ``fields["title"]``.

    Returns
    -------
    CleanResult
        The clean text, the removals and the metadata found in the text.

    Examples
    --------
    >>> result = clean_text(" date 2025-11-10 Tokajew reiste nach Washington.\\n\\nDAZ")
    >>> result.text, result.fields["date"]
    ('Tokajew reiste nach Washington.', '2025-11-10')
    >>> [r["rule"] for r in result.removed]
    ['metadata_header', 'signature']
    """
    return _clean(raw, {stable_hash(boilerplate_key(line)) for line in boilerplate}, title)


def _clean(raw: str, boilerplate: set[int] | frozenset[int], title: str | None) -> CleanResult:
    """Clean one article; ``boilerplate`` holds the hashes of the learned lines (see :func:`_is_learned`).

    Rules that judge a line by itself run once. A removal can bring another line to the
    head or the tail of the article, to its top or next to a caption, so the rules that
    depend on a line's position run again until they remove nothing: cleaning a clean
    text changes nothing.
    """
    article = _Article(raw)
    _clean_article(article, boilerplate, title)
    return article.result()


def _clean_article(article: _Article, boilerplate: set[int] | frozenset[int], title: str | None) -> None:
    if boilerplate:
        _drop_learned(article, article.content(), boilerplate)
    _apply_line_rules(article, [i for i in article.flagged if article.kept[i]])  # no other line can match
    title_key = boilerplate_key(title) if title else None
    while _apply_position_rules(article, boilerplate, title_key):
        continue
    article.removed.sort(key=lambda r: r["line"])


class _Article:
    """The lines of an article being cleaned (blank where removed), the removals and the fields found.

    ``kept`` holds the normalised lines, blank where cleaning removed them, and ``words``
    the number of words of each; ``flagged`` the lines that may match a rule
    for whole lines and ``english`` those that may begin an image caption (see
    :func:`_scan_lines`). With ``min_words``, ``keys`` holds the hashes of the lines
    and templates that may be learned. ``kept_at_head`` holds the lines the rules for the
    head have kept: they need not judge them again.
    """

    def __init__(self, raw: str, min_words: int | None = None) -> None:
        self.kept, self.words, self.flagged, english, self.keys, short_lines = _scan_lines(normalize_unicode(raw), min_words)
        self.english: set[int] | None = set(english)
        if min_words is not None:  # short lines may be learned when they are bylines, tags or link headers
            unusual = [line for line in short_lines if not _is_ordinary_text(line, min_words)]
            self.keys.update(map(stable_hash, unusual))
            self.keys.update(_frame_hashes([line for line in unusual if _has_words(line, 2 * FRAME_WORDS)]))
        self.removed: list[dict] = []
        self.fields: dict = {}
        self.kept_at_head: set[int] = set()

    def content(self) -> list[int]:
        """Return the indexes of the lines not removed (nor blank)."""
        return list(itertools.compress(range(len(self.kept)), self.kept))

    def drop(self, i: int, rule: str, found: dict | None = None) -> None:
        self.removed.append({"line": i, "rule": rule, "text": self.kept[i]})
        self.kept[i] = ""
        for key, value in (found or {}).items():
            if value and key not in self.fields:
                self.fields[key] = value

    def n_words(self) -> int:
        """Return the number of words of the clean text."""
        return sum(itertools.compress(self.words, self.kept))

    def result(self) -> CleanResult:
        text = "\n\n".join(filter(None, self.kept))  # the kept lines, separated by blank lines
        return CleanResult(text, self.removed, self.fields, self.n_words())


def _drop_learned(article: _Article, lines: list[int], boilerplate: set[int] | frozenset[int]) -> None:
    """Remove the given lines that are, or follow the frame of, learned boilerplate."""
    for i in _find_learned(article.kept, lines, boilerplate):
        byline = _BYLINE.match(article.kept[i])
        article.drop(i, "outlet_boilerplate", {"author": byline["author"]} if byline else None)


def _apply_line_rules(article: _Article, lines: list[int]) -> None:
    """Remove the given lines that are boilerplate by themselves, wherever they stand."""
    kept = article.kept
    for i in lines:
        line = kept[i]
        if m := _LINE_RULES.match(line):
            article.drop(i, m.lastgroup)
        elif (line.startswith(("http://", "https://", "www.")) or "@" in line or "pic.twitter.com/" in line) \
                and _EMBED.search(line):
            article.drop(i, "social_embed")


def _apply_position_rules(article: _Article, boilerplate: set[int] | frozenset[int], title_key: str | None) -> bool:
    """Apply the rules that depend on a line's position once; tell whether they removed anything.

    ``title_key`` is the known headline as :func:`boilerplate_key` gives it.
    """
    kept, removed, fields, drop = article.kept, article.removed, article.fields, article.drop
    n_removed = len(removed)
    content = article.content()
    if content and (m := _METADATA_HEADER.match(kept[content[0]])):
        i = content[0]
        removed.append({"line": i, "rule": "metadata_header", "text": m.group(0).strip()})
        fields.setdefault("date", m.group(1))
        kept[i] = kept[i][m.end():].strip()
        article.words[i] = count_words(kept[i])
        article.english = None  # what is left of the line may now be short enough for a caption
        article.kept_at_head.discard(i)
        if kept[i]:
            if boilerplate:
                _drop_learned(article, [i], boilerplate)
            if kept[i]:
                _apply_line_rules(article, [i])

    content = [i for i in content if kept[i]]
    if article.english is None:
        article.english = {i for i in content if _may_be_caption(kept[i])}
    for a, b in zip(content, content[1:]):
        if a in article.english and kept[a] and kept[b] and _is_caption_pair(kept[a], kept[b]):
            drop(a, "image_caption")
            drop(b, "image_caption")

    content = [i for i in content if kept[i]]
    for i in content[:HEAD_LINES]:
        line = kept[i]
        if i in article.kept_at_head:  # the rules for the head judge a line by itself
            continue
        if _DATE_ONLY.match(line):
            drop(i, "date_line", {"date": line})
        elif line == title_key:
            drop(i, "title")
        elif (hit := _edge_rule(line, at_head=True, is_last=False)) is not None:
            drop(i, *hit)
        else:
            article.kept_at_head.add(i)
    content = [i for i in content if kept[i]]
    if title_key is None and len(content) > 1 and _looks_like_headline(kept[content[0]]) \
            and not _looks_like_headline(kept[content[1]]):
        drop(content[0], "title", {"title": kept[content[0]]})
        content = content[1:]

    if _drop_link_block(article, content[-TAIL_LINES:]):
        content = [i for i in content if kept[i]]
    tail_removed: list[str] = []
    tail = content[-TAIL_LINES:]
    for position, i in enumerate(reversed(tail)):
        previous = kept[content[-2]] if position == 0 and len(content) > 1 else ""
        hit = _edge_rule(kept[i], at_head=False, is_last=position == 0, previous=previous)
        if hit is None and (m := _NAME_ONLY.match(kept[i])) and any(m["author"] in t for t in tail_removed):
            hit = "byline", {"author": m["author"]}  # a name on its own, repeated in the bio below it
        if hit is None:
            break
        tail_removed.append(kept[i])
        drop(i, *hit)
    last = next((j for j in reversed(content) if kept[j]), None)  # the last line left
    if last is not None and kept[last].endswith(")") and (m := _TRAILING_SIGNATURE.search(kept[last])):
        removed.append({"line": last, "rule": "signature", "text": m.group(1)})
        kept[last] = kept[last][:m.start()]
        article.words[last] = count_words(kept[last])

    return len(removed) > n_removed


def _drop_link_block(article: _Article, tail: list[int]) -> bool:
    """Remove a link block at the end: "Mehr zum Thema" and the headlines after it; tell whether there was one.

    A headline is a short line of three words or more without a final full stop; a sign-off
    after the block ("(rt/dpa)") is left to the rule for signatures.
    """
    kept = article.kept
    k = len(tail) - 1
    while k > 0 and _is_link(kept[tail[k]]) and not _RELATED.match(kept[tail[k]]):  # up over the headlines
        k -= 1
    if k < len(tail) - 1 and len(kept[tail[k]]) < 200 and _RELATED.match(kept[tail[k]]):
        for j in tail[k:]:
            article.drop(j, "related_posts")
        return True
    return False


def _is_link(line: str) -> bool:
    """Tell whether a line may be the headline of a link: short, three words or more, no final full stop."""
    return not line.endswith(".") and len(line) <= LINK_CHARS and len(line.split()) >= 3


def _looks_like_headline(line: str) -> bool:
    """Tell whether a line may be a headline: short and without a final stop.

    The first line is taken for the headline only when the line after it does not look like
    one: a judgement on the lines alone, not on the blank lines between them, which the
    clean text does not keep.
    """
    return len(line.split()) <= 16 and not line.endswith((".", ":", ",", ";", "!", "?", "“", '"'))


def learn_outlet_boilerplate(
    corpus: pd.DataFrame,
    by: str = "source",
    min_articles: int = 20,
    min_share: float = 0.01,
    min_docs: int = 5,
    min_words: int = 4,
) -> pd.DataFrame:
    """Learn, per outlet, the lines that recur across many of its articles.

    A line is learned when it occurs in at least ``min_docs`` articles and in at least
    ``min_share`` of its outlet's articles. Templates with a changing middle (an app
    promotion worded a little differently each month) are learned by their frame: a line
    of ten words or more whose first five words and last 30 letters and digits both recur
    that often is taken as well. Lines shorter than ``min_words`` words are learned only when they are
    bylines ("von Max Erdinger"), tags in brackets ("(rt/dpa)") or link headers ("Mehr
    zum Thema"), so that ordinary German that happens to repeat ("Das ist gut.", a lone
    "Die") stays in the text. Outlets with fewer than ``min_articles`` articles are
    skipped: there is too little to learn from.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``raw_text`` (or ``text``) and the column ``by``.
    by : str, default "source"
        The outlet column.
    min_articles, min_share, min_docs, min_words
        Thresholds as described above.

    Returns
    -------
    pandas.DataFrame
        One row per learned line or template (``"first words … last words"``):
        ``source``, ``line``, ``n_articles`` (articles it was removed from), ``share``
        (of the outlet's articles), sorted by outlet and descending ``n_articles``.
    """
    if by not in corpus.columns:
        raise ValueError(f"by={by!r} is not a column of the corpus; columns: {list(corpus.columns)}")
    text_column = "raw_text" if "raw_text" in corpus.columns else "text"
    frame = pd.DataFrame({by: corpus[by], "raw_text": corpus[text_column]})
    thresholds = {"min_articles": min_articles, "min_share": min_share, "min_docs": min_docs, "min_words": min_words}
    return clean_corpus(frame, by=by, **thresholds).attrs["boilerplate"]


def _check_thresholds(min_articles: int, min_share: float, min_docs: int, min_words: int) -> None:
    for name, value in {"min_articles": min_articles, "min_docs": min_docs, "min_words": min_words}.items():
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")


def learned_table(rows: list[dict]) -> pd.DataFrame:
    """Return learned boilerplate lines as a table ``source, line, n_articles, share``."""
    learned = pd.DataFrame(rows, columns=["source", "line", "n_articles", "share"])
    return learned.sort_values(["source", "n_articles", "line"], ascending=[True, False, True], ignore_index=True)


FRAME_WORDS = 5  # lines of at least twice this many words are also learned by their frame
FRAME_LETTERS = 30
FRAME_CHARS = 60
_FIRST_WORDS = re.compile(rf"(?:[^ ]+ ){{{FRAME_WORDS - 1}}}[^ ]+")


# Frame keys are told apart from line keys by these bits, flipped in their hashes.
_START_BITS, _END_BITS = 0x2B7E151628AED2A6, 0x3243F6A8885A308D


def _scan_lines(text: str, min_words: int | None) -> tuple[list, list, list, list, set | None, set]:
    """Split normalised text into lines and find what the rules need of each line.

    Returns
    -------
    lines : list of str
        The lines, stripped, with runs of spaces folded (as :func:`boilerplate_key` gives them).
    words : list of int
        The number of words of each line (as :func:`count_words` gives it).
    flagged : list of int
        The non-empty lines that may match a rule for whole lines: they start like a photo
        credit or a link, hold "@" or "pic.twitter.com/", or no letter or digit.
    english : list of int
        The lines that may begin an English image caption (:func:`_may_be_caption`).
    keys : set of int or None
        With ``min_words``: the hashes of the distinct lines of at least ``min_words``
        words and of the frames of those of ``2 * FRAME_WORDS`` words or more.
    short_lines : set of str
        With ``min_words``: the distinct non-empty lines of fewer words.
    """
    lines = text.split("\n")
    if "  " in text or " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " ":
        lines = [boilerplate_key(line) for line in lines]
    words = [line.count(" ") + 1 if line else 0 for line in lines]
    flagged = [i for i, line in enumerate(lines) if line and (
        line.startswith(_RULE_STARTS) or "@" in line or "pic.twitter.com/" in line or not any(map(str.isalnum, line)))]
    english = [i for i, line in enumerate(lines) if _may_be_caption(line)]
    if min_words is None:
        return lines, words, flagged, english, None, set()
    keys, long_lines, short_lines = set(), [], set()
    for line in set(lines):
        if not line:
            continue
        n_spaces = line.count(" ")  # words - 1
        if n_spaces < min_words - 1:
            short_lines.add(line)
            continue
        keys.add(stable_hash(line))
        if n_spaces >= 2 * FRAME_WORDS - 1:
            long_lines.append(line)
    keys.update(_frame_hashes(long_lines))
    return lines, words, flagged, english, keys, short_lines


def _frame_hashes(lines: list[str]) -> list[int]:
    """Return the hashes of the starts (first words) of lines of ``2 * FRAME_WORDS`` words or more, then of their ends.

    At the end (the last letters), spaces and full stops do not count and case is folded,
    so that a missing space or a stray full stop ("fürApple-", "können. ]") does not make
    a variant of a template look new. The ends of all lines are folded in one go.
    """
    if not lines:
        return []
    return [stable_hash(_FIRST_WORDS.match(line).group()) ^ _START_BITS for line in lines] + _end_hashes(lines)


def _end_hashes(lines: list[str]) -> list[int]:
    """Return the hashes of the ends of lines, as :func:`_frame_hashes` gives them."""
    ends = "\n".join([line[-FRAME_CHARS:] for line in lines]).replace(" ", "").replace(".", "").lower().split("\n")
    return [stable_hash(end[-FRAME_LETTERS:]) ^ _END_BITS for end in ends]


CAPTION_CHARS = 250  # longer lines are not taken for image captions


def _has_words(line: str, n_words: int) -> bool:
    """Tell whether a line (words separated by single spaces) has at least ``n_words`` words."""
    return line.count(" ") >= n_words - 1


def _frame_label(line: str) -> str:
    """Show a template by its first and last words."""
    words = line.split(" ")
    return " ".join(words[:FRAME_WORDS]) + " … " + " ".join(words[-FRAME_WORDS:])


def _find_learned(lines: list[str], indexes: list[int], learned: set[int] | frozenset[int]) -> list[int]:
    """Return the given indexes of the lines that are learned: whose hash, or the hashes of whose frame, ``learned`` holds."""
    return [i for i in indexes if _is_learned(lines[i], learned)]


def _is_learned(line: str, learned: set[int] | frozenset[int]) -> bool:
    """Tell whether a line, or the frame of a long line, is among the learned hashes."""
    if stable_hash(line) in learned:
        return True
    if not _has_words(line, 2 * FRAME_WORDS) or stable_hash(_FIRST_WORDS.match(line).group()) ^ _START_BITS not in learned:
        return False
    return _end_hashes([line])[0] in learned




def _is_ordinary_text(line: str, min_words: int) -> bool:
    """Tell whether a recurring line may be ordinary text: short, and not a byline or a tag."""
    if _has_words(line, min_words):
        return False
    is_tag = line.startswith("(") and line.endswith(")")
    return not (is_tag or _BYLINE.match(line) or _RELATED.match(line))


def clean_corpus(
    corpus: pd.DataFrame,
    learn_boilerplate: bool = True,
    by: str = "source",
    n_jobs: int | None = None,
    **thresholds,
) -> pd.DataFrame:
    """Clean every article of a corpus read with its ``raw_text``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Needs ``raw_text``; ``title``, ``date``, ``author`` and ``by`` are used when present.
    learn_boilerplate : bool, default True
        Learn recurring lines per outlet first (see :func:`learn_outlet_boilerplate`,
        whose thresholds ``**thresholds`` may set).
    by : str, default "source"
        The outlet column for boilerplate learning.
    n_jobs : int, optional
        Worker processes, as scikit-learn reads it: None is 1, -1 all cores (see
        :mod:`analysis.engine`, which also runs the work on a named Dask cluster).

    Returns
    -------
    pandas.DataFrame
        A copy with ``text``, ``removed`` (list of removals per article), ``n_words`` and
        ``is_duplicate`` (the same clean text as an earlier article);
        ``title``, ``author`` and ``date`` found in the text fill missing values.
        The learned lines are in ``.attrs["boilerplate"]``.
    """
    if "raw_text" not in corpus.columns:
        raise ValueError(f"corpus needs a 'raw_text' column; columns: {list(corpus.columns)}")
    settings = {**BOILERPLATE_THRESHOLDS, **thresholds}
    _check_thresholds(**settings)
    out = corpus.copy()
    outlets = [o if isinstance(o, str) else None for o in out[by].tolist()] if by in out.columns else [None] * len(out)
    titles = [t if isinstance(t, str) and t else None for t in out["title"].tolist()] if "title" in out.columns else [None] * len(out)

    # A first pass splits the articles into lines and collects the keys of those that may be
    # learned; each outlet's lines are learned from them, and a second pass cleans the articles.
    sizes = Counter(o for o in outlets if o is not None)
    eligible = {o for o, n in sizes.items() if n >= settings["min_articles"]} if learn_boilerplate else set()
    min_words = [settings["min_words"] if o in eligible else None for o in outlets]
    tasks = pd.DataFrame({"raw_text": out["raw_text"].array, **{name: pd.Series(values, dtype=object) for name, values
                                                                 in (("title", titles), ("outlet", outlets), ("min_words", min_words))}})
    keys = reduce_partitions(_read_partition, tasks, n_jobs=n_jobs) if eligible else []
    learned = _learn(keys, outlets=outlets, eligible=eligible, sizes=sizes, min_docs=settings["min_docs"],
                     min_share=settings["min_share"]) if eligible else {}
    cleaned = map_partitions(_clean_partition, tasks, _CLEANED_META, learned=learned, n_jobs=n_jobs)

    out["text"] = cleaned["text"].array
    removed = cleaned["removed"].tolist()
    out["removed"] = removed
    for name in ("title", "author"):
        found = pd.Series(cleaned[name].to_numpy(), index=out.index, dtype=object)
        current = out[name].astype(object) if name in out.columns else pd.Series(None, index=out.index, dtype=object)
        out[name] = current.where(current.notna() & (current != ""), found)
    dates_in_text, _ = parse_dates(pd.Series(cleaned["date"].to_numpy(), index=out.index, dtype=object))
    out["date"] = out["date"].fillna(dates_in_text) if "date" in out.columns else dates_in_text
    out["n_words"] = pd.Series(cleaned["n_words"].to_numpy(), index=out.index, dtype="int64")
    out["is_duplicate"] = pd.Series(_repeated(cleaned["text"], cleaned["fingerprint"].to_numpy()), index=out.index)
    out.attrs["boilerplate"] = _learned_lines(removed, outlets, learned, sizes)
    logger.info("cleaned %d articles", len(out))
    return out


_CLEANED_META = pd.DataFrame({"text": pd.Series(dtype="str"), "fingerprint": pd.Series(dtype="int64"),
                              **{name: pd.Series(dtype=object) for name in ("removed", "title", "author", "date")},
                              "n_words": pd.Series(dtype="int64")})


def _repeated(texts: pd.Series, fingerprints: np.ndarray) -> np.ndarray:
    """Flag each text equal to an earlier one, comparing only texts whose fingerprints are shared."""
    codes, _ = pd.factorize(fingerprints)
    flags, seen = np.zeros(len(codes), dtype=bool), set()
    for row in np.flatnonzero(np.bincount(codes)[codes] > 1).tolist():
        text = texts.iloc[row]
        flags[row] = text in seen
        seen.add(text)
    return flags


def _fingerprint(data: bytes, start: int, end: int) -> int:
    """Hash the text at ``data[start:end]`` by its length and its ends.

    Equal texts share it, at a fraction of the cost of hashing them.
    """
    return stable_hash(b"%d:%b:%b" % (end - start, data[start:min(start + 100, end)], data[max(start, end - 100):end]))


def _join_utf8(texts: list[list[str]]) -> tuple[bytes, list[int]]:
    """Join the non-empty lines of each text by blank lines.

    Returns the texts encoded as UTF-8, one after the other, and where each ends.
    """
    encoded = ["\n\n".join(filter(None, lines)).encode() for lines in texts]
    return b"".join(encoded), list(itertools.accumulate(map(len, encoded)))




def _read_partition(tasks: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Split articles into normalised lines; return the keys of the lines and templates that may be learned.

    The first pass of :func:`clean_corpus`, on a partition of its tasks (``raw_text``,
    ``min_words``): the keys article after article, and how many each article has.
    """
    keys = [_Article(raw, min_words).keys if min_words is not None else None
            for raw, min_words in zip(tasks["raw_text"].tolist(), tasks["min_words"].tolist())]
    flat = np.fromiter(itertools.chain.from_iterable(k for k in keys if k), dtype=np.int64)
    return flat, np.array([len(k) if k else 0 for k in keys], dtype=np.int64)


def _clean_partition(tasks: pd.DataFrame, learned: dict[str, frozenset]) -> pd.DataFrame:
    """Clean a partition of articles (``raw_text``, ``title``, ``outlet``) with their outlet's learned lines.

    The second pass of :func:`clean_corpus`: one row per article with the clean ``text``,
    its :func:`_fingerprint`, the removals, the title, author and date found, ``n_words``.
    """
    articles = []
    for raw, title, outlet in zip(*(tasks[name].tolist() for name in ("raw_text", "title", "outlet"))):
        article = _Article(raw)
        _clean_article(article, learned.get(outlet, frozenset()), title)
        articles.append(article)
    return _packed(articles, tasks.index)


def _packed(articles: list[_Article], index: pd.Index | None = None) -> pd.DataFrame:
    """Tabulate cleaned articles as :func:`_clean_partition` returns them, the texts as one Arrow array."""
    data, ends = _join_utf8([article.kept for article in articles])
    offsets = [0, *ends]
    texts = pa.LargeStringArray.from_buffers(len(ends), pa.py_buffer(np.array(offsets, dtype=np.int64)), pa.py_buffer(data))
    return pd.DataFrame({
        "text": pd.array(texts, dtype="str"),
        "fingerprint": pd.Series([_fingerprint(data, start, end) for start, end in zip(offsets, ends)], dtype="int64"),
        "removed": pd.Series([a.removed for a in articles], dtype=object),
        **{name: pd.Series([a.fields.get(name) for a in articles], dtype=object) for name in ("title", "author", "date")},
        "n_words": pd.Series([a.n_words() for a in articles], dtype="int64"),
    }).set_axis(index if index is not None else pd.RangeIndex(len(articles)))


BOILERPLATE_THRESHOLDS = {"min_articles": 20, "min_share": 0.01, "min_docs": 5, "min_words": 4}


def _learn(parts: list[tuple[np.ndarray, np.ndarray]], outlets: list, eligible: set, sizes: Counter, min_docs: int,
           min_share: float) -> dict[str, frozenset]:
    """Learn each eligible outlet's recurring lines from the keys of the first pass.

    ``parts`` holds, chunk after chunk, the keys of the articles and how many each has (see
    :func:`_read_articles`). A key is learned when at least ``max(min_docs, min_share *
    articles of the outlet)`` articles of the outlet hold it.
    """
    keys = np.concatenate([np.empty(0, np.int64), *(k for k, _ in parts)])
    n_keys = np.concatenate([np.empty(0, np.int64), *(n for _, n in parts)])
    names = sorted(eligible)
    codes = {name: code for code, name in enumerate(names)}
    outlet_of_key = np.repeat(np.array([codes.get(o, -1) for o in outlets], dtype=np.int64), n_keys)
    learned = {}
    for code, outlet in enumerate(names):
        distinct, n_articles = np.unique(keys[outlet_of_key == code], return_counts=True)
        learned[outlet] = frozenset(distinct[n_articles >= max(min_docs, min_share * sizes[outlet])].tolist())
    return learned


def _learned_lines(removed: list[list[dict]], outlets: list, learned: dict, sizes: Counter) -> pd.DataFrame:
    """Tabulate the learned lines and templates by the articles they were removed from."""
    articles: dict[tuple, set] = {}
    for number, (removals, outlet) in enumerate(zip(removed, outlets)):
        for removal in removals:
            if removal["rule"] == "outlet_boilerplate":
                line = removal["text"]
                pattern = line if stable_hash(line) in learned[outlet] else _frame_label(line)
                articles.setdefault((outlet, pattern), set()).add(number)
    rows = [{"source": o, "line": line, "n_articles": len(found), "share": len(found) / sizes[o]}
            for (o, line), found in articles.items()]
    return learned_table(rows)


def count_words(text: str) -> int:
    """Count the words of a clean text (its whitespace is single spaces and blank lines)."""
    return text.count(" ") + text.count("\n\n") + 1 if text else 0


def parse_dates(values: pd.Series) -> tuple[pd.Series, int]:
    """Parse dates written in mixed formats; return them and how many could not be parsed.

    Understood: ISO dates with or without time and offset (``2020-11-13T16:31:47+01:00``,
    ``2020-04-01 10:00:00``, ``2021-03-5``, ``2025/11/06``, ``20251106``), German numeric dates
    (``13.11.2020``, ``13.11.20``), dates with a month name, German or English, written out or
    abbreviated (``24. Dezember 2025``, ``6. Nov. 2025``, ``Nov 6, 2025``, ``6 November 2025``),
    each with a weekday before it and a time after it (``Montag, 10. November 2025, 14:03 Uhr``,
    ``Thu, 06 Nov 2025 14:03:00 +0100``), and Unix timestamps in seconds or milliseconds (taken
    as UTC). A time zone is dropped and the local wall-clock time kept, so the date is the one
    the outlet printed.

    Parameters
    ----------
    values : pandas.Series
        Strings (or datetimes); missing or blank values become NaT without counting as
        failures. Dates outside the years 1801 to 2199 count as failures.

    Returns
    -------
    dates : pandas.Series
        ``datetime64[ns]`` values, NaT where unknown.
    n_failed : int
        Non-blank values that could not be parsed.

    Examples
    --------
    >>> dates, n_failed = parse_dates(pd.Series(["24. Dezember 2025", "2020-04-01 10:00:00", "bald"]))
    >>> [str(d) for d in dates], n_failed
    (['2025-12-24 00:00:00', '2020-04-01 10:00:00', 'NaT'], 1)
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        in_range = dates.isna() | ((dates.dt.year > 1800) & (dates.dt.year < 2200))  # as for strings, and within ns
        return dates.where(in_range).astype("datetime64[ns]"), int((~in_range).sum())
    text = pd.Series([" ".join(v.split()) if isinstance(v, str) else "" if pd.api.types.is_scalar(v) and pd.isna(v)
                      else " ".join(str(v).split()) for v in values.astype(object)], index=values.index, dtype=object)
    distinct = pd.Series(pd.unique(text[text != ""]), dtype=object)
    parsed = pd.Series(pd.NaT, index=distinct, dtype="datetime64[ns]")
    iso = distinct.str.fullmatch(_ISO_DATE).to_numpy(dtype=bool)  # the usual forms, parsed in one go
    in_one_go = pd.to_datetime(distinct[iso].str.slice(0, 19), format="ISO8601", errors="coerce")
    parsed[iso] = in_one_go.to_numpy("datetime64[ns]")
    parsed[~iso] = pd.Series([_parse_date(value) for value in distinct[~iso]], dtype="datetime64[ns]").to_numpy()
    dates = pd.Series(parsed.reindex(text).to_numpy(), index=values.index, dtype="datetime64[ns]")
    return dates, int(((text != "") & dates.isna()).sum())


# ISO dates of the years 1801 to 2199 with a valid month and day (not checked: days beyond the end of a month,
# which pandas' parser rejects), alone or with a valid time in seconds after "T" or " ", with or without an offset.
_ISO_DATE = (r"(?:18(?:0[1-9]|[1-9][0-9])|19[0-9]{2}|2[01][0-9]{2})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
             r"(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:Z|[+-][0-9]{2}:?[0-9]{2})?)?")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
# Month names and abbreviations, German and English, as they key the month numbers.
_MONTHS = {
    **GERMAN_MONTHS, "jan": 1, "feb": 2, "mär": 3, "mrz": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dez": 12, "january": 1, "february": 2, "march": 3, "may": 5, "june": 6,
    "july": 7, "october": 10, "december": 12, "mar": 3, "oct": 10, "dec": 12,
}
# A weekday before the date and a time (with seconds, "Uhr" or a zone, which is dropped) after it.
_AROUND_DATE = re.compile(
    r"^(?:(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Mo|Di|Mi|Do|Fr|Sa|So"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?,?\s+)?"
    r"(.+?)(?:,?\s+(?:um\s+)?(\d{1,2})[:.](\d{2})(?::(\d{2}))?(?:\s*Uhr)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|GMT|UTC|MEZ|MESZ|CET|CEST))?)?$",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$"  # 2025-11-06, 2025/11/06
                           r"|^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$"  # 06.11.2025, 06.11.25
                           r"|^(\d{4})(\d{2})(\d{2})$")  # 20251106
_NAMED_DATE = re.compile(r"^(\d{1,2})\.?\s*([^\W\d_]+)\.?\s+(\d{4})$|^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_EPOCH = re.compile(r"^(\d{10}|\d{13})(?:\.0)?$")


def _parse_date(value: str) -> pd.Timestamp | None:
    """Parse one date (see :func:`parse_dates`); None if it is not one of the known forms."""
    try:
        if m := _ISO.match(value):
            year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
            return pd.Timestamp(year, month, day, hour, minute, second) if 1800 < year < 2200 else None
        if m := _EPOCH.match(value):  # seconds or milliseconds since 1970, in UTC
            return pd.Timestamp(int(m.group(1)), unit="s" if len(m.group(1)) == 10 else "ms")
        if not (around := _AROUND_DATE.match(value)):
            return None
        date, time = around.group(1), [int(g) if g else 0 for g in around.groups()[1:]]
        if m := _NUMERIC_DATE.match(date):
            if m.group(1):
                year, month, day = m.group(1, 2, 3)
            elif m.group(4):
                day, month, year = m.group(4, 5, 6)
            else:
                year, month, day = m.group(7, 8, 9)
            if len(year) == 2:  # as strptime's %y: 69 to 99 are 1969 to 1999, 00 to 68 are 2000 to 2068
                year = ("19" if int(year) >= 69 else "20") + year
            month = int(month)
        elif m := _NAMED_DATE.match(date):
            day, name, year = m.group(1, 2, 3) if m.group(1) else m.group(5, 4, 6)
            if (month := _MONTHS.get(name.lower())) is None:
                return None
        else:
            return None
        year, day = int(year), int(day)
        return pd.Timestamp(year, month, day, *time) if 1800 < year < 2200 else None
    except ValueError:  # a day or month out of range, such as 2025-02-30
        return None


def audit(corpus: pd.DataFrame) -> pd.DataFrame:
    """Return one row per removed piece of text: ``doc_id, line, rule, text``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A cleaned corpus with ``doc_id`` and ``removed`` columns.
    """
    missing = {"doc_id", "removed"} - set(corpus.columns)
    if missing:
        raise ValueError(f"corpus lacks the columns {sorted(missing)}; clean it with clean_corpus first")
    rows = [{"doc_id": doc_id, **r} for doc_id, removals in zip(corpus["doc_id"], corpus["removed"]) for r in removals]
    return pd.DataFrame(rows, columns=["doc_id", "line", "rule", "text"])
