"""Clean scraped article text: remove boilerplate and record every removal.

Cleaning works line by line on the Unicode-normalised raw text. Each removed line, or piece
cut out of a line, is recorded with the rule that removed it and where it stood, so that the
clean text plus the removed pieces account for the whole normalised input. Rules that only
make sense at the edges of an article (disclaimers, bylines, bios, signatures) are applied to
its head and tail only, and never remove the last line left; a few rules apply anywhere (lone
punctuation, image captions, paragraphs in square brackets, the recurring lines learned per
outlet by :func:`learn_outlet_boilerplate`). Embedded posts, bare links, photo credits and
dated sign-offs are cut out of the lines that hold them, so that an article stored as one line
keeps its body. Notices that stand in for an article are told by :func:`is_stub`, articles
that lost most of their words by :func:`heavily_cleaned`.
"""
from __future__ import annotations

import itertools
import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.engine import map_partitions, reduce_partitions, stable_hash
from analysis.text import normalize_unicode


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

#: Lines of more words are never removed whole by a rule that judges a line by its form (an embedded post, a
#: paragraph in brackets, a disclaimer, an author's biography): they hold more than the boilerplate, which is cut
#: out of them instead (:func:`_apply_inline_rules`), so that an article stored as one line keeps its body.
INLINE_WORDS = 60
# Only the first and last few non-empty lines are searched for edge rules.
HEAD_LINES = 6
TAIL_LINES = 8
# The longest line taken for the headline of a link in a link block ("Mehr zum Thema" and links).
LINK_CHARS = 150


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
# A news agency after a byline, as agencies write themselves: "dpa", "dpa/AFP".
_AGENCY = r"[a-z]{2,5}(?:/[A-Za-z]{2,5})*"
_BYLINE = re.compile(
    rf"^(?:(?:Eine?\s+)?(?:Gastbeitrag|Kommentar|Beitrag|Analyse|Interview)\s+von|Von|von|By)\s+"
    rf"(?:Dr\.\s+|Prof\.\s+)?(?P<author>{_PERSON}(?:\s+und\s+{_PERSON})?|{_NAME_WORD})(?:,\s+(?:{_PLACE}|{_AGENCY}))?\.?$"
)
_NAME_ONLY = re.compile(rf"^(?P<author>{_PERSON})$")
_BIO = re.compile(
    rf"^(?:Ich bin\s+(?P<me>{_PERSON}),|(?:Dr\.\s+|Prof\.\s+)?(?P<author>{_PERSON})\s+"
    r"(?:ist|war|arbeitet|schreibt)\s+(?:\w+\s+){0,3}?"
    r"(?:Journalist|Redakteur|Korrespondent|Autor|Reporter|Publizist|Chefredakteur|Referent|Politologe|Historiker)\w*)"
)
# "Erschien zuerst" speaks of the text itself ("Dieser Artikel erschien zuerst bei ..."), not of a book or a magazine.
_PARTNER = re.compile(
    r"\b(?:Artikel|Beitrag|Text|Interview|Kommentar|Essay|Bericht|Gastbeitrag)\b.{0,40}?"
    r"\b(?:erschien|erscheint|ist|wurde)\b.{0,80}?\b(?:zuerst|zuvor|erstmals|ursprünglich)\b"
    r"|\b(?:erschien|erscheint|ist|wurde)\b.{0,80}?\b(?:zuerst|zuvor|erstmals|ursprünglich)\b.{0,80}?"
    r"\b(?:Artikel|Beitrag|Text|Interview|Kommentar|Essay|Bericht|Gastbeitrag)\b"
    r"|mit freundlicher Genehmigung|^\(?Mit Material von\b",
    re.IGNORECASE,
)
_PARTNER_WORDS = ("zuerst", "zuvor", "erstmals", "ursprünglich", "Genehmigung", "Material von")
_RELATED = re.compile(
    r"^(?:Related Posts?|Ähnliche (?:Beiträge|Artikel)|Das könnte Sie auch interessieren|Lesen Sie auch"
    r"|Mehr zum Thema|Weitere Artikel|Auch interessant)\b",
    re.IGNORECASE,
)
# A sign-off in brackets: agencies and initials ("(rt/dpa)", "(nim, krud, mika, jub, mro)", "(sda)"), with a date
# after them ("(red, 15.1.2016)", "(APA, 3.2.2016)"), or a byline with the place and the date the author writes
# from ("(Thomas Mayer aus Brüssel, 14.12.2015)"), as German, Austrian and Swiss outlets write them.
_SIGN_TOKEN = r"[A-Za-zÄÖÜäöü]{2,8}\.?"
_SIGN_DATE = r"\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})"
_SIGN_TOKENS = rf"{_SIGN_TOKEN}(?:\s*[,/;]\s*{_SIGN_TOKEN}){{0,7}}"
_SIGN_BYLINE = rf"{_PERSON}(?:\s+(?:aus|in)\s+{_PLACE})?"
_BRACKETED_SIGN_OFF = rf"\(\s*(?:{_SIGN_TOKENS}(?:\s*,\s*{_SIGN_DATE})?|{_SIGN_BYLINE}\s*,\s*{_SIGN_DATE})\s*\)"
_SIGNATURE = re.compile(
    r"^(?:[A-ZÄÖÜ]{2,6}|(?P<initials>[a-zäöü]{2,4}\.)"
    rf"|{_BRACKETED_SIGN_OFF}|\(\s*{_SIGN_TOKENS}\s+[A-Za-z]{{2,8}}\s*\)"  # "(dpa/rt deutsch)"
    r"|[A-Za-z]{2,8}(?:\s*/\s*[A-Za-z]{2,8})+)$"
)
_SENTENCE_END = (".", "!", "?", "“", "\"", "»", "«", ")", "”")
SIGN_OFF_CHARS = 160  # the longest sign-off looked for at the end of a line, with the space before it
# A sign-off after the last sentence of an article: "... beschlossen. (DM)", "(Tsp/dpa)", "(red, 15.1.2016)", "DAZ", "aro.".
_TRAILING_SIGNATURE = re.compile(
    rf"(?<=[.!?“”\"»«])\s+({_BRACKETED_SIGN_OFF})$"
    # without brackets only after a sentence that ends with a word, not an abbreviation ("Putin vs. USA", "Co. laut.")
    r"|(?:(?<=[a-zäöüß]{3}[.!?])|(?<=[a-zäöüß]{3}[.!?][“”\"»«]))\s+([A-ZÄÖÜ]{2,6}|(?P<initials>[a-zäöü]{2,4}\.))$")
# A sign-off with a date is one wherever it follows a sentence inside a line: "... beschlossen. (APA, 3.2.2016) Mehr ..."
_DATED_SIGN_OFF = re.compile(
    rf"(?<=[.!?“”\"»«])\s+(\(\s*(?:{_SIGN_TOKENS}|{_SIGN_BYLINE})\s*,\s*{_SIGN_DATE}\s*\))(?=\s|$)"
)
_ENGLISH_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_SHORT_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# The date of an embedded post: "January 24, 2021", "Apr 18, 2020 at 12:12pm PDT", "5. Juni 2016", "5.6.2016".
_POST_DATE = (rf"(?:on\s+)?(?:(?:{_ENGLISH_MONTHS}|{_SHORT_MONTHS}|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember)"
              rf"\.?\s+\d{{1,2}},\s+\d{{4}}(?:\s+at\s+\d{{1,2}}:\d{{2}}\s*[ap]m(?:\s+[A-Z]{{2,4}})?)?"
              rf"|\d{{1,2}}\.\s*(?:{_MONTH_NAMES})\s+\d{{4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})")
# A line that is an embedded post: a bare link, or a post that ends with its picture link or its signature
# ("Eindhoven is a war zone. pic.twitter.com/qWUPmmZKHV", "— Max Muster (@maxmuster) January 24, 2021").
_POST_LINE = re.compile(rf"^(?:https?://|www\.)\S+$|(?:pic\.twitter\.com/\w+|https?://t\.co/\w+|\(@\w{{1,15}}\)\s*{_POST_DATE})$",
                        re.IGNORECASE)
# The parts of an embedded post inside a line: its signature ("— Name (@handle) 5. Juni 2016", "A post shared by
# RT (@rt) on Apr 18, 2020"), its picture link with the words before it in the same sentence, short links (t.co).
_EMBED_SIGNATURE = re.compile(
    r"(?:(?:[—–]|(?<=\s)-)\s*[^—–()\n]{0,60}?|(?:A post shared by|Ein Beitrag geteilt von)\s[^()\n]{0,60}?)?"
    rf"\(@\w{{1,15}}\)\s*{_POST_DATE}",
    re.IGNORECASE,
)
_PICTURE_LINK = re.compile(r"pic\.twitter\.com/\w+|https?://t\.co/\w+")
# A link that stands as a sentence of its own inside a line: after the start or the end of a sentence (or the date
# of an embedded post), before the end or the start of the next one ("... beschlossen. https://www.youtube.com/watch?v=5jut Die Polizei ...").
_BARE_LINK = re.compile(r"(?:^|(?<=[.!?“”\"»«:\d]\s))(?:https?://|www\.)[^\s()<>\[\]]+(?=$|\s+[A-ZÄÖÜ„\"»«(\[])")
# A photo credit inside a line: after a sentence or a ";", with the "|" before it ("... Reichstag. Foto: Paul Klemm
# Etwa ...", "... in Jerusalem. | Foto: US Embassy"), or in brackets ("(Foto: dpa)").
_CREDIT = re.compile(
    r"\((?:Foto|Fotos|Bild|Bildquelle|Photo|Image|Titelbild)\s*:\s*[^()]{1,80}\)"
    r"|(?:(?<=\s)\|\s+|^|(?<=[.!?“”\"»«;|]\s))(?:Foto|Fotos|Bild|Bildquelle|Photo|Image|Titelbild)\s*:\s*"
)
# The words a credit is made of: names, agencies behind a slash, "©", licences.
_CREDIT_WORD = re.compile(r"(?:©|\||CC\d?|BY(?:-SA|-ND|-NC)*|\d[\d.]*|[A-ZÄÖÜ][\w'’.&-]*(?: ?/ ?[\w'’.&-]+)*"
                          r"|[a-zäöü]{2,6}(?:/[\w'’.&-]+)*|/[\w'’.&-]+)[.,]?")
# Lines that start like a photo credit or a link may match _LINE_RULES or _POST_LINE.
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
# Words that begin a German sentence and are no names: a photo credit ends before them.
_SENTENCE_STARTS = _GERMAN_WORDS | frozenset((
    "kein", "keine", "auch", "doch", "aber", "so", "dann", "nun", "jetzt", "heute", "hier", "es", "er", "sie", "wir",
    "ich", "man", "was", "wie", "wer", "warum", "als", "wenn", "nach", "in", "am", "um", "an", "aus", "über", "unter",
    "vor", "seit", "während", "dabei", "damit", "denn",
))
_SENTENCE_BREAK = re.compile(r"[a-zäöüß]{2}[.!?] +[A-ZÄÖÜ][a-zäöüß]* +[a-zäöüß]")
_NAME_TOKEN = re.compile(r"\b(?:[A-ZÄÖÜ][\w-]+|\d+)\b")

# Edge boilerplate inside the first or the last line, for articles stored as one line (see _cut_at_head, _cut_at_tail).
# A disclaimer is cut with the sentences right after it that say the same ("... ist nicht Teil der Deutschen Bahn-Gruppe").
_DISCLAIMER_MORE = re.compile(r"\b(?:nicht Teil (?:der|des|von)|keine Haftung|keine Gewähr|nicht verbunden|unabhängig\w*)\b")
# A byline near the top: "Von Max Muster, dpa", "Ein Kommentar von Anna Weber", "Von Kourosh Ziabari / Asia Times",
# where the text goes on after it; it ends where a sentence ("Die Regierung ...") or a dateline ("Berlin – ...",
# "Wien (APA) ...") begins, or a quotation.
_CAPITALISED_STARTS = "|".join(sorted(word.capitalize() for word in _SENTENCE_STARTS))
_HEAD_BYLINE = re.compile(
    rf"(?<!\S)(?:(?:Eine?\s+)?(?:Gastbeitrag|Kommentar|Analyse|Interview)\s+von|Von)\s+(?:Dr\.\s+|Prof\.\s+)?"
    rf"(?P<author>{_PERSON}(?:\s+und\s+{_PERSON})?|{_NAME_WORD})"
    rf"(?:,\s+(?:{_AGENCY}|{_PLACE})|\s+für\s+{_NAME_WORD}|\s+/\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?)?"
    rf"(?=\s+(?:(?:{_CAPITALISED_STARTS})\s|[A-ZÄÖÜ][\w.-]*\s+(?:[–—-]\s|\()|„))"
)
# A headline before the byline: a few words, no finished sentence; how far into the first line a byline is looked for.
HEADLINE_WORDS = 20
HEAD_CHARS = 300
_FINISHED_SENTENCE = re.compile(r"[a-zäöüß]{2}\.\s")
# The last characters of an article searched for a partner note, and the way such a note begins: with a label
# ("Redaktionelle Anmerkung: ..."), or speaking of the text itself ("Dieser Beitrag erschien ...", "Der Text ...").
TAIL_CHARS = 300
_PARTNER_START = re.compile(
    r"(?:[^.:]{1,40}:\s*)?(?:Dies(?:er|es|e)\s|(?:Der|Das)\s+(?:Artikel|Beitrag|Text|Interview|Kommentar|Essay|Gastbeitrag)\b)"
    r"|\(?Mit Material von\b|.*\bmit freundlicher Genehmigung\b"
)


@dataclass
class CleanResult:
    """The outcome of cleaning one article.

    Attributes
    ----------
    text : str
        The clean body, paragraphs separated by blank lines.
    removed : list of dict
        One entry per removal: ``line`` (0-based index into the normalised lines),
        ``start`` (where the piece begins in that line, stripped and its spaces folded),
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
    is_short = line.count(" ") < INLINE_WORDS
    if at_head and is_short and ("Verbindung" in line or ":" in line[:40]) and _DISCLAIMER.search(line):
        return "disclaimer", {}
    if m := _BYLINE.match(line):
        return "byline", {"author": m["author"]}
    if not at_head:
        if is_short and (m := _BIO.match(line)):
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
    if article.may_hold_inline:
        _apply_inline_rules(article, [i for i in article.content() if _may_hold_inline(article.kept[i])])
    title_key = boilerplate_key(title) if title else None
    while _apply_position_rules(article, boilerplate, title_key):
        continue
    article.removed.sort(key=lambda r: (r["line"], r["start"]))


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
        text = normalize_unicode(raw)
        self.kept, self.words, self.flagged, english, self.keys, short_lines = _scan_lines(text, min_words)
        self.may_hold_inline = _may_hold_inline(text)  # if not, no line does
        self.english: set[int] | None = set(english)
        if min_words is not None:  # short lines may be learned when they are bylines, tags or link headers
            unusual = [line for line in short_lines if not _is_ordinary_text(line, min_words)]
            self.keys.update(map(stable_hash, unusual))
            self.keys.update(_frame_hashes([line for line in unusual if _has_words(line, 2 * FRAME_WORDS)]))
        self.removed: list[dict] = []
        self.fields: dict = {}
        self.kept_at_head: set[int] = set()
        self.lines: dict[int, str] = {}  # the lines cut inside, as read
        self.segments: dict[int, list[tuple[int, int]]] = {}  # the pieces of them that are kept

    def content(self) -> list[int]:
        """Return the indexes of the lines not removed (nor blank)."""
        return list(itertools.compress(range(len(self.kept)), self.kept))

    def drop(self, i: int, rule: str, found: dict | None = None) -> None:
        """Remove line ``i`` (what is left of it) with ``rule``; ``found`` holds the fields it yields."""
        line = self.lines.get(i, self.kept[i])
        for start, end in self.segments.pop(i, None) or [(0, len(line))]:
            self.removed.append({"line": i, "start": start, "rule": rule, "text": line[start:end]})
        self.kept[i] = ""
        self._found(found)

    def cut(self, i: int, start: int, end: int, rule: str, found: dict | None = None) -> None:
        """Remove ``kept[i][start:end]`` (spaces around it ignored) with ``rule``; keep the rest of the line.

        The pieces left on either side are joined by one space. Each removal records where it
        stood in the line as read (``start``), even when the line was cut before.
        """
        line = self._line(i)
        segments, position, rest = self.segments.get(i) or [(0, len(line))], 0, []
        for a, b in segments:  # kept[i] is these pieces of the line joined by single spaces
            lo, hi = max(start - position, 0), min(end - position, b - a)
            if lo < hi:
                piece = _strip_span(line, a + lo, a + hi)
                if piece[0] < piece[1]:
                    self.removed.append({"line": i, "start": piece[0], "rule": rule, "text": line[piece[0]:piece[1]]})
                rest.extend(_strip_span(line, *span) for span in ((a, a + lo), (a + hi, b)))
            else:
                rest.append((a, b))
            position += b - a + 1
        self.segments[i] = [(a, b) for a, b in rest if a < b]
        self.kept[i] = " ".join(line[a:b] for a, b in self.segments[i])
        self.words[i] = count_words(self.kept[i])
        if not self.kept[i]:
            del self.segments[i]
        self._found(found)

    def _line(self, i: int) -> str:
        """Return line ``i`` as read (stripped, its spaces folded), before any cut."""
        return self.lines.setdefault(i, self.kept[i])

    def _found(self, found: dict | None) -> None:
        for key, value in (found or {}).items():
            if value and key not in self.fields:
                self.fields[key] = value

    def n_words(self) -> int:
        """Return the number of words of the clean text."""
        return sum(itertools.compress(self.words, self.kept))

    def result(self) -> CleanResult:
        text = "\n\n".join(filter(None, self.kept))  # the kept lines, separated by blank lines
        return CleanResult(text, self.removed, self.fields, self.n_words())


def _strip_span(line: str, start: int, end: int) -> tuple[int, int]:
    """Return the span ``line[start:end]`` without the spaces at its ends."""
    while start < end and line[start] == " ":
        start += 1
    while end > start and line[end - 1] == " ":
        end -= 1
    return start, end


def _drop_learned(article: _Article, lines: list[int], boilerplate: set[int] | frozenset[int]) -> None:
    """Remove the given lines that are, or follow the frame of, learned boilerplate."""
    for i in _find_learned(article.kept, lines, boilerplate):
        byline = _BYLINE.match(article.kept[i])
        article.drop(i, "outlet_boilerplate", {"author": byline["author"]} if byline else None)


def _apply_line_rules(article: _Article, lines: list[int]) -> None:
    """Remove the given lines that are boilerplate by themselves, wherever they stand.

    An embedded post is removed whole only beside other lines: an article of one line keeps
    its body, and the post is cut out of it (:func:`_apply_inline_rules`).
    """
    kept = article.kept
    one_line = sum(map(bool, kept)) == 1
    for i in lines:
        line = kept[i]
        if article.words[i] > INLINE_WORDS:  # more than boilerplate: cut inside it (see _apply_inline_rules)
            continue
        if m := _LINE_RULES.match(line):
            if m.lastgroup != "image_caption" or _is_credit_line(line):
                article.drop(i, m.lastgroup)
        elif (line.startswith(("http://", "https://", "www.")) or "@" in line or "pic.twitter.com/" in line) \
                and not one_line and len(line) <= POST_CHARS + 120 and _POST_LINE.search(line):
            article.drop(i, "social_embed")


def _is_credit_line(line: str) -> bool:
    """Tell whether a line that starts like a photo credit is one: a credit and nothing after it, or no sentence."""
    return _credit_end(line, _CREDIT.match(line)) == len(line) or not _SENTENCE_ENDS.search(line + " ")


def _may_hold_inline(line: str) -> bool:
    """Tell whether a line (or a text) may hold boilerplate that :func:`_apply_inline_rules` cuts out (a quick test)."""
    return ("/" in line and ("://" in line or "www." in line or "pic.twitter.com/" in line)) or "(@" in line \
        or (":" in line and ("Foto" in line or "Bild" in line or "Photo" in line or "Image" in line)) \
        or (")" in line and "." in line and _SIGN_DATE_END.search(line) is not None)


_SIGN_DATE_END = re.compile(r"\d\.\s?\d{2,4}\s*\)")


def _apply_inline_rules(article: _Article, lines: list[int]) -> None:
    """Cut embedded posts, bare links, photo credits and dated sign-offs out of the given lines, wherever they stand.

    Pieces that overlap are cut as one, with the rule of the first. Cutting goes from the end
    of a line to its start, so that the positions of the pieces before stay valid.
    """
    kept = article.kept
    for i in lines:
        n_removed = len(article.removed)
        while kept[i] and _cut_inline(article, i):  # a cut can bring a piece after the end of a sentence
            continue
        if len(article.removed) > n_removed:
            article.english = None  # what is left of the line may now be short enough for a caption
            if kept[i]:
                _apply_line_rules(article, [i])  # it may be a credit, a post or punctuation alone


def _cut_inline(article: _Article, i: int) -> bool:
    """Cut the pieces :func:`_apply_inline_rules` finds out of line ``i`` once; tell whether there were any."""
    line = article.kept[i]
    spans = []
    if "(@" in line:
        spans += [(m.start(), m.end(), "social_embed") for m in _EMBED_SIGNATURE.finditer(line)]
    if "/" in line:
        for m in _PICTURE_LINK.finditer(line):
            start = _sentence_start(line, m.start()) if m.group().startswith("pic.") else m.start()
            spans.append((start, m.end(), "social_embed"))
        spans += [(m.start(), m.end(), "social_embed") for m in _BARE_LINK.finditer(line)]
    if ":" in line:
        for m in _CREDIT.finditer(line):
            if (end := _credit_end(line, m)) is not None:
                spans.append((m.start(), end, "image_caption"))
    if ")" in line:
        spans += [(m.start(1), m.end(1), "signature") for m in _DATED_SIGN_OFF.finditer(line)]
    if not spans:
        return False
    spans.sort()
    merged = [list(spans[0])]
    for start, end, rule in spans[1:]:
        if start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, rule])
    for start, end, rule in reversed(merged):
        article.cut(i, start, end, rule)
    return True


# The end of a sentence inside a line, and the longest text of an embedded post before its picture link.
_SENTENCE_ENDS = re.compile(r"[.!?…][\"“”»«')]?\s+")
POST_CHARS = 280


def _sentence_start(line: str, position: int) -> int:
    """Return where the sentence that holds ``line[position]`` begins: the text of a post before its picture link.

    A post is at most :data:`POST_CHARS` long: without a sentence end that close, only the link is cut.
    """
    begin = max(0, position - POST_CHARS)
    ends = [m.end() for m in _SENTENCE_ENDS.finditer(line, begin, position)]
    if ends:
        return ends[-1]
    return 0 if begin == 0 else position


def _credit_end(line: str, match: re.Match) -> int | None:
    """Return where a photo credit that starts with ``match`` ends in ``line``; None if no credit follows.

    A credit in brackets ends with them; else it is made of name words (:data:`_CREDIT_WORD`). It
    ends after a word with an agency behind a slash and the capitalised name words after it
    ("APA/HERBERT NEUBAUER"), at the end of the line, before a common German word ("Foto: Twitter
    Die Polizei ..."), or after two name words, one fewer when a word in lower case follows: that
    name word begins the next sentence ("Foto: © Falke Lachen steckt an").
    """
    if match.group().startswith("("):
        return match.end()
    words, position = [], match.end()
    while len(words) < 8 and (word := _CREDIT_WORD.match(line, position)) is not None:
        text = word.group()
        if word.end() < len(line) and line[word.end()] != " " or (words and text[0].islower() and "/" not in text) \
                or text.lower() in _SENTENCE_STARTS:  # "Der", "Die", "Kein": the next sentence begins
            break
        words.append(word)
        position = word.end() + 1
        if word.end() == len(line):
            return word.end()
    if not words:
        return None
    for k, word in enumerate(words):
        if "/" in word.group():
            while k + 1 < len(words) and words[k + 1].group().rstrip(",").isupper():
                k += 1
            return words[k].end()
    names = [w for w in words if w.group() not in ("©", "|")]
    last = min(len(names), 2)
    following = line[names[last - 1].end() + 1:names[last - 1].end() + 2] if last else ""
    if following.islower():  # the last name word begins the next sentence
        last -= 1
    return names[last - 1].end() if last else None


def _apply_position_rules(article: _Article, boilerplate: set[int] | frozenset[int], title_key: str | None) -> bool:
    """Apply the rules that depend on a line's position once; tell whether they removed anything.

    ``title_key`` is the known headline as :func:`boilerplate_key` gives it.
    """
    kept, removed, drop = article.kept, article.removed, article.drop
    n_removed = len(removed)
    content = article.content()
    if content and (m := _METADATA_HEADER.match(kept[content[0]])):
        i = content[0]
        article.cut(i, m.start(), m.end(), "metadata_header", {"date": m.group(1)})
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
    n_left = len(content)  # the last line left is never removed by these rules: it holds the body
    for i in content[:HEAD_LINES]:
        line = kept[i]
        if i in article.kept_at_head:  # the rules for the head judge a line by itself
            continue
        if n_left == 1:
            break
        n_left -= 1
        if _DATE_ONLY.match(line):
            drop(i, "date_line", {"date": line})
        elif line == title_key:
            drop(i, "title")
        elif (hit := _edge_rule(line, at_head=True, is_last=False)) is not None:
            drop(i, *hit)
        else:
            article.kept_at_head.add(i)
            n_left += 1
    content = [i for i in content if kept[i]]
    if title_key is None and len(content) > 1 and _looks_like_headline(kept[content[0]]) \
            and not _looks_like_headline(kept[content[1]]):
        drop(content[0], "title", {"title": kept[content[0]]})
        content = content[1:]
    if content:
        _cut_at_head(article, content[0])

    if _drop_link_block(article, content[-TAIL_LINES:]):
        content = [i for i in content if kept[i]]
    tail_removed: list[str] = []
    tail = content[-TAIL_LINES:]
    for position, i in enumerate(reversed(tail)):
        if position == len(content) - 1:  # the last line left
            break
        previous = kept[content[-2]] if position == 0 and len(content) > 1 else ""
        hit = _edge_rule(kept[i], at_head=False, is_last=position == 0, previous=previous)
        if hit is None and (m := _NAME_ONLY.match(kept[i])) and any(m["author"] in t for t in tail_removed):
            hit = "byline", {"author": m["author"]}  # a name on its own, repeated in the bio below it
        if hit is None:
            break
        tail_removed.append(kept[i])
        drop(i, *hit)
    last = next((j for j in reversed(content) if kept[j]), None)  # the last line left
    ending = kept[last][-1:] if last is not None else ""
    if ending and (ending in ")." or ending.isupper()) \
            and (m := _TRAILING_SIGNATURE.search(kept[last], max(0, len(kept[last]) - SIGN_OFF_CHARS))):
        group = 1 if m.group(1) else 2
        article.cut(last, m.start(group), m.end(group), "signature", {"author": m["initials"]})
        if kept[last]:
            _apply_line_rules(article, [last])  # what is left may be punctuation alone
    if last is not None and kept[last]:
        _cut_at_tail(article, last)

    return len(removed) > n_removed


def _cut_at_head(article: _Article, i: int) -> None:
    """Cut a disclaimer or a byline out of the first line ``i``, where the text goes on after it.

    A disclaimer is cut with its first sentences ("Haftungsausschluss: ... steht in keiner
    Verbindung zu ..."); a byline ("Von Max Muster, dpa") at the start of the line or after a
    headline of at most :data:`HEADLINE_WORDS` words, up to where a sentence or a dateline begins.
    A line that is all disclaimer is left to the rules for whole lines.
    """
    line = article.kept[i]
    if ("Verbindung" in line or ":" in line[:40]) and _DISCLAIMER.search(line, 0, _sentence_end(line, 0)):
        end = _sentence_end(line, 0)
        while end < len(line) and _DISCLAIMER_MORE.search(line, end, following := _sentence_end(line, end)):
            end = following
        if end < len(line):
            article.cut(i, 0, end, "disclaimer")
            _apply_line_rules(article, [i])  # what is left may be punctuation alone
            return
    if "Von " in line[:HEAD_CHARS] or "von " in line[:HEAD_CHARS]:
        for m in _HEAD_BYLINE.finditer(line, 0, HEAD_CHARS):
            before = line[:m.start()]
            if before.count(" ") <= HEADLINE_WORDS and not _FINISHED_SENTENCE.search(before):
                article.cut(i, m.start(), m.end(), "byline", {"author": m["author"]})
                _apply_line_rules(article, [i])
                return


def _cut_at_tail(article: _Article, i: int) -> None:
    """Cut a partner note or a byline out of the last line ``i``, after the text.

    A partner note is a sentence among the last :data:`TAIL_CHARS` characters that says where
    the text appeared first, begins with a label or speaks of the text itself ("Redaktionelle
    Anmerkung: Dieser Text erschien zuerst hier."); a byline is the last sentence ("...
    beschlossen. Von Max Muster, dpa"). The first sentence of the line is never cut.
    """
    line = article.kept[i]
    starts = [m.end() for m in _SENTENCE_ENDS.finditer(line, max(0, len(line) - TAIL_CHARS))]
    if not starts:
        return
    if byline := _BYLINE.match(line[starts[-1]:]):
        article.cut(i, starts[-1], len(line), "byline", {"author": byline["author"]})
        _apply_line_rules(article, [i])
        return
    if not any(word in line[starts[0]:] for word in _PARTNER_WORDS):
        return
    for start in starts:
        end = _sentence_end(line, start)
        if line.startswith("(", start) and (bracket := line.find(")", start, end)) > 0:
            end = bracket + 1  # "(Mit Material von dts)" ends with its bracket
        sentence = line[start:end]
        if _PARTNER_START.match(sentence) and _PARTNER.search(sentence):
            article.cut(i, start, end, "partner_note")
            _apply_line_rules(article, [i])
            return


def _sentence_end(line: str, start: int) -> int:
    """Return where the sentence that begins at ``line[start]`` ends (after its final mark), or the line's end.

    A full stop after a day or a number of one or two digits ("am 29. April") ends no sentence.
    """
    m = _SENTENCE_END_NOT_ORDINAL.search(line, start)
    return m.end() if m else len(line)


_SENTENCE_END_NOT_ORDINAL = re.compile(r"(?:(?<!\s\d)(?<!\s\d\d)\.|[!?…])[\"“”»«')]?\s+")


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

    removed = take_cleaned(out, cleaned)
    out["is_duplicate"] = pd.Series(_repeated(cleaned["text"], cleaned["fingerprint"].to_numpy()), index=out.index)
    out.attrs["boilerplate"] = _learned_lines(removed, outlets, learned, sizes)
    _warn_heavily_cleaned(out)
    logger.info("cleaned %d articles", len(out))
    return out


def take_cleaned(out: pd.DataFrame, cleaned: pd.DataFrame) -> list[list[dict]]:
    """Put what the cleaning pass found into ``out``, in place; return the removals per article.

    Sets ``text``, ``removed``, ``n_words`` and ``is_stub``, fills missing ``title``, ``author`` and
    ``date`` from the text, and sets ``is_duplicate`` to False (repeats are flagged over the whole corpus).
    """
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
    out["is_duplicate"] = False
    out["is_stub"] = pd.Series([_is_stub_article(text, removals) if n <= STUB_WORDS + 50 else False
                                for text, removals, n in zip(out["text"], removed, out["n_words"])],
                               index=out.index, dtype=bool)
    return removed


#: Texts of at most this many words may be stubs (:func:`is_stub`).
STUB_WORDS = 120
# What a notice says instead of an article: that the text is gone or withheld, or that the rest is for subscribers.
_NOTICE = re.compile(
    r"nicht\s+(?:mehr\s+|länger\s+)*(?:verfügbar|abrufbar|erreichbar|zur\s+Verfügung|online|sichtbar|zugänglich)"
    r"|no\s+longer\s+available|(?:aus|wegen)\s+(?:rechtlichen|lizenzrechtlichen|urheberrechtlichen)\s+Gründen"
    r"|\b(?:wurde|wurden|ist|sind|war)\s+(?:\S+\s+){0,4}?(?:entfernt|gelöscht|depubliziert)\b|Agenturmeldung|\bVolltext"
    r"|nur\s+(?:für|mit)\s+(?:\w+[- ]?)?(?:Abonnent|Abo|Plus|Premium|Digital|registrierte|Mitglied)"
    r"|(?:Lesen\s+Sie|weiterlesen)\s+(?:\w+\s+){0,3}?(?:mit|im|als|nach)\b"
    r"|\b(?:abonnieren|Abonnement|Abo|Probeabo|Paywall|Bezahlschranke|freischalten|registrieren)\b",
    re.IGNORECASE,
)
# A notice speaks of the text itself or to the reader.
_SELF_REFERENCE = re.compile(
    r"\b(?:Artikel\w*|Inhalt\w*|Beitr[aä]g\w*|Seite|Volltext|Text(?:e|es)?|Video|Meldung)\b|(?<=\w\s)(?:Sie|Ihnen|Ihr\w*)\b"  # "Sie" not first: "Lesen Sie"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+|\n+")


def is_stub(text: str) -> bool:
    """Tell whether a text is a notice instead of an article: a stub, a withdrawn text, a paywall teaser.

    A notice sentence says that the text is gone or withheld ("nicht mehr verfügbar", "aus
    rechtlichen Gründen", "Agenturmeldung") or that the rest is for subscribers ("nur für
    Abonnenten", "Lesen Sie weiter mit ..."), and speaks of the text itself ("dieser Artikel",
    "der Inhalt") or to the reader ("Lesen Sie"). A text of at most :data:`STUB_WORDS` words is a stub
    when such sentences make up half its words or more, or when it ends with one (a teaser
    cut off before the paywall).

    Examples
    --------
    >>> is_stub("Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen "
    ...         "Gründen nicht mehr zur Verfügung.")
    True
    >>> is_stub("Die Website des Ministeriums ist nicht mehr erreichbar. Die Behörde prüft den Fehler.")
    False
    """
    n_words = len(text.split())
    if not n_words or n_words > STUB_WORDS or _NOTICE.search(text) is None:
        return False
    sentences = [sentence for sentence in _SENTENCE_SPLIT.split(text) if sentence.strip()]
    notices = [bool(_NOTICE.search(s) and _SELF_REFERENCE.search(s)) for s in sentences]
    notice_words = sum(len(s.split()) for s, notice in zip(sentences, notices) if notice)
    return notices[-1] or 2 * notice_words >= n_words


def _is_stub_article(text: str, removals: list[dict]) -> bool:
    """Tell whether a clean article is a stub, with the learned lines it lost (a notice an outlet repeats is learned)."""
    learned = [r["text"] for r in removals if r["rule"] == "outlet_boilerplate"]
    return is_stub("\n".join([text, *learned]) if learned else text)


#: Rules whose removals are not lost: what they remove becomes the title or the date.
MOVED_RULES = ("title", "metadata_header", "date_line")
#: Articles that lose a larger share of their words to cleaning are listed by :func:`heavily_cleaned`.
HEAVY_SHARE = 0.5
# At most this many heavily cleaned articles get a warning of their own.
MAX_WARNED = 10


def heavily_cleaned(corpus: pd.DataFrame, share: float = HEAVY_SHARE) -> pd.DataFrame:
    """List the articles that cleaning took more than ``share`` of the words from.

    Words moved to the title or the date (rules ``title``, ``metadata_header``, ``date_line``)
    do not count as taken.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A cleaned corpus with ``doc_id``, ``n_words`` and ``removed``.
    share : float, default 0.5

    Returns
    -------
    pandas.DataFrame
        ``doc_id, n_words_before, n_words_removed, share_removed, rule`` (the rule that took
        the most words), in the corpus's order.
    """
    missing = {"doc_id", "n_words", "removed"} - set(corpus.columns)
    if missing:
        raise ValueError(f"corpus lacks the columns {sorted(missing)}; clean it with clean_corpus first")
    rows = []
    for doc_id, n_words, removals in zip(corpus["doc_id"], corpus["n_words"], corpus["removed"]):
        by_rule = Counter()
        for removal in removals:
            if removal["rule"] not in MOVED_RULES:
                by_rule[removal["rule"]] += len(removal["text"].split())
        n_removed = sum(by_rule.values())
        if n_removed and n_removed > share * (n_words + n_removed):
            rows.append({"doc_id": doc_id, "n_words_before": int(n_words + n_removed), "n_words_removed": n_removed,
                         "share_removed": n_removed / (n_words + n_removed), "rule": by_rule.most_common(1)[0][0]})
    return pd.DataFrame(rows, columns=["doc_id", "n_words_before", "n_words_removed", "share_removed", "rule"])


def _warn_heavily_cleaned(corpus: pd.DataFrame, heavy: pd.DataFrame | None = None) -> None:
    """Warn about each article that lost more than half its words to cleaning (the first :data:`MAX_WARNED`).

    ``heavy`` is :func:`heavily_cleaned` of the corpus where it is already known (gathered piece by piece).
    """
    if heavy is None:
        if "doc_id" not in corpus.columns:
            corpus = corpus.assign(doc_id=corpus.index.astype(str))
        heavy = heavily_cleaned(corpus)
    for row in heavy.head(MAX_WARNED).itertuples():
        warnings.warn(f"article {row.doc_id!r}: cleaning removed {row.n_words_removed:,} of its {row.n_words_before:,} "
                      f"words ({row.share_removed:.0%}), most by the rule {row.rule!r}; see analysis.audit", stacklevel=4)
    if len(heavy) > MAX_WARNED:
        warnings.warn(f"{len(heavy) - MAX_WARNED:,} more articles lost more than half their words to cleaning; "
                      "analysis.clean.heavily_cleaned lists them all", stacklevel=4)


class _Tasks:
    """The cleaning tasks of all articles, made slice by slice where they are used.

    Worker processes inherit this object by fork and receive index ranges only, so each
    turns its own share of the raw texts into Python strings.
    """

    def __init__(self, raws: pd.Series, extras: list[tuple]) -> None:
        self.raws, self.extras = raws.array, extras

    def __len__(self) -> int:
        return len(self.extras)

    def __getitem__(self, part: slice) -> list[tuple]:
        return [(raw, *extra) for raw, extra in zip(self.raws[part].tolist(), self.extras[part])]


_CLEANED_META = pd.DataFrame({"text": pd.Series(dtype="str"), "fingerprint": pd.Series(dtype="int64"),
                              **{name: pd.Series(dtype=object) for name in ("removed", "title", "author", "date")},
                              "n_words": pd.Series(dtype="int64")})


def _repeated(texts: pd.Series, fingerprints: np.ndarray) -> np.ndarray:
    """Flag each text equal to an earlier one, comparing only texts whose fingerprints are shared; never an empty text."""
    codes, _ = pd.factorize(fingerprints)
    flags, seen = np.zeros(len(codes), dtype=bool), set()
    for row in np.flatnonzero(np.bincount(codes)[codes] > 1).tolist():
        text = texts.iloc[row]
        flags[row] = text in seen and text != ""  # an emptied text repeats nothing
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
    articles of the outlet)`` articles of the outlet hold it. Copies of one article (the same
    keys) count once: the lines of an article stored five times are not boilerplate.
    """
    keys = np.concatenate([np.empty(0, np.int64), *(k for k, _ in parts)])
    n_keys = np.concatenate([np.empty(0, np.int64), *(n for _, n in parts)])
    names = sorted(eligible)
    codes = {name: code for code, name in enumerate(names)}
    outlet_codes = np.array([codes.get(o, -1) for o in outlets], dtype=np.int64)
    outlet_of_key = np.repeat(outlet_codes, n_keys)
    first_copy = np.repeat(_first_copies(_key_prints(keys, n_keys), n_keys, outlet_codes), n_keys)
    learned = {}
    for code, outlet in enumerate(names):
        distinct, n_articles = np.unique(keys[(outlet_of_key == code) & first_copy], return_counts=True)
        learned[outlet] = frozenset(distinct[n_articles >= max(min_docs, min_share * sizes[outlet])].tolist())
    return learned


def _key_prints(keys: np.ndarray, n_keys: np.ndarray) -> np.ndarray:
    """Return the XOR of each article's keys (0 for an article without keys); ``n_keys`` says how many each has."""
    has_keys = n_keys > 0
    starts = np.concatenate([[0], np.cumsum(n_keys)[:-1]]).astype(np.int64)
    prints = np.zeros(len(n_keys), dtype=np.int64)
    if keys.size:
        prints[has_keys] = np.bitwise_xor.reduceat(keys, starts[has_keys])
    return prints


def _first_copies(prints: np.ndarray, n_keys: np.ndarray, outlet_codes: np.ndarray) -> np.ndarray:
    """Flag each article whose keys no earlier article of its outlet has (told by their count and XOR, :func:`_key_prints`)."""
    _, first = np.unique(np.stack([prints, n_keys, outlet_codes], axis=1), axis=0, return_index=True)
    flags = np.zeros(len(n_keys), dtype=bool)
    flags[first] = True
    return flags


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


def removal_summary(corpus, n_examples: int = 3, n_jobs: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Count what cleaning removed, per rule, with a few examples of each, over a frame or a store.

    Parameters
    ----------
    corpus : pandas.DataFrame or analysis.load.CorpusStore
        A cleaned corpus with ``doc_id``, ``removed`` and ``raw_text``; a store is read a partition at a time.
    n_examples : int, default 3
        Removed pieces shown per rule: the first ones in the corpus's order.
    n_jobs : int, optional
        Worker processes for a store (see :mod:`analysis.engine`).

    Returns
    -------
    by_rule : pandas.DataFrame
        Indexed by ``rule``, most removals first: ``lines`` (pieces removed), ``words`` and ``articles``.
    examples : pandas.DataFrame
        ``doc_id, rule, text``: up to ``n_examples`` pieces per rule.
    raw_words : int
        Words of the raw texts, the whole of which the removed words are a share.
    """
    parts = reduce_partitions(_removals_of_part, corpus, n_examples, n_jobs=n_jobs,
                              columns=["doc_id", "removed", "raw_text"])
    counts = pd.concat([counted for counted, _, _ in parts])
    by_rule = counts.groupby("rule").sum() if len(counts) else counts.set_index("rule")
    by_rule = by_rule.sort_values("lines", ascending=False, kind="stable").astype("int64")
    examples = pd.concat([shown for _, shown, _ in parts]).groupby("rule", sort=True).head(n_examples)
    return by_rule, examples.sort_values("rule", kind="stable").reset_index(drop=True), sum(words for _, _, words in parts)


def _removals_of_part(part: pd.DataFrame, n_examples: int) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Count one partition's removals per rule (lines, words, articles), with its first examples and its raw words."""
    removals = audit(part)
    removals["words"] = removals["text"].str.split().str.len().astype("int64")
    counted = removals.groupby("rule", sort=False).agg(lines=("text", "size"), words=("words", "sum"),
                                                       articles=("doc_id", "nunique")).reset_index()
    shown = removals.groupby("rule", sort=False).head(n_examples)[["doc_id", "rule", "text"]]
    return counted, shown, int(part["raw_text"].str.split().str.len().sum())


def audit(corpus: pd.DataFrame) -> pd.DataFrame:
    """Return one row per removed piece of text: ``doc_id, line, start, rule, text``.

    ``line`` is the 0-based number of the line in the normalised raw text and ``start`` where the
    piece begins in that line, stripped and with runs of spaces folded (as :func:`boilerplate_key`
    gives it): a piece cut out of a line (an embedded post, a credit, a sign-off) is told apart
    from a whole line by it.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A cleaned corpus with ``doc_id`` and ``removed`` columns.
    """
    missing = {"doc_id", "removed"} - set(corpus.columns)
    if missing:
        raise ValueError(f"corpus lacks the columns {sorted(missing)}; clean it with clean_corpus first")
    rows = [{"doc_id": doc_id, **r} for doc_id, removals in zip(corpus["doc_id"], corpus["removed"]) for r in removals]
    return pd.DataFrame(rows, columns=["doc_id", "line", "start", "rule", "text"])
