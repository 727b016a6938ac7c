"""Tokenise German news text into terms for counting, TF-IDF and keyness.

The module offers one tokeniser (:func:`tokenize`), one stopword list
(:func:`german_stopwords`, with :func:`english_stopwords` beside it), a memoised
German Snowball stemmer (:func:`stem`) and an analyzer factory (:func:`make_analyzer`) whose result can be passed to
scikit-learn's ``TfidfVectorizer(analyzer=...)``. :func:`count_terms` counts the
terms of many texts into a sparse matrix; a :class:`TermCounts` of unstemmed words
folds into the counts of their stems (:meth:`TermCounts.stemmed`), so that one pass
over a corpus serves both readable word lists and stemmed topic models.
:func:`display_forms` maps the (stemmed) terms back to the word a reader expects in
a label.

Everything here is built for corpora of tens of millions of tokens: one compiled
regular expression, a dictionary cache for the term of each token, and counting in
which Arrow splits the texts and Python tokenises each distinct piece of text once.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp
from nltk.stem.snowball import SnowballStemmer

from analysis.engine import is_partitioned, reduce_partitions

if TYPE_CHECKING:  # load imports this module's users
    from analysis.load import CorpusStore

logger = logging.getLogger(__name__)

__all__ = [
    "Analyzer",
    "TermCounts",
    "blank_domains",
    "blank_links",
    "count_terms",
    "display_forms",
    "english_stopwords",
    "german_stopwords",
    "make_analyzer",
    "normalize_unicode",
    "stem",
    "tokenize",
    "unit_terms",
]

# The characters every stage folds alike (cleaning, term counts, mention matching): one table.
#: Characters that carry no text and are dropped: soft hyphen, zero-width spaces and joiners,
#: direction marks, variation selectors, byte order mark.
INVISIBLE = (
    "\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u202a\u202b\u202c\u202d\u202e\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a\ufe0b"
    "\ufe0c\ufe0d\ufe0e\ufe0f\ufeff"
)
#: Spaces other than " " inside a line (tab, no-break, thin and other typographic spaces): a plain space.
SPACES = "\t\v\f\x1f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
#: Line breaks other than "\n" (carriage return, separators): "\n".
LINE_BREAKS = "\r\x1c\x1d\x1e\x85\u2028\u2029"
#: Unicode hyphens: "-".
HYPHENS = "\u2010\u2011"
#: Typographic apostrophes and the quotation marks and accents typed as apostrophes ("Trump‘s"): "'".
APOSTROPHES = "\u2019\u2018\u02bc\u00b4`\u2032"

# For terms, after :func:`normalize_unicode` (which cleaning applies to every text): hyphens become
# "-", apostrophes "'", "_" separates words, and the two invisible characters common in scraped
# text vanish here too, for texts tokenized without cleaning. Each replacement runs only when
# its character occurs, which is far cheaper than a regular expression or ``str.translate``.
_TERM_FOLDS = (
    ("\u00ad", ""), ("\u200b", ""), *((c, "-") for c in HYPHENS), *((c, "'") for c in APOSTROPHES), ("_", " ")
)
# normalize_unicode: invisible characters vanish, other spaces become " ", other line breaks "\n".
_SPECIAL_CHARACTERS = INVISIBLE + SPACES + LINE_BREAKS
_SPECIAL_PATTERN = re.compile(f"[{_SPECIAL_CHARACTERS}]")
_SPECIAL_FOLDS = {**dict.fromkeys(INVISIBLE, ""), **dict.fromkeys(SPACES, " "), **dict.fromkeys(LINE_BREAKS, "\n")}

# A word is a run of letters/digits; "-", "'" and "+" may join two such runs
# ("US-Präsident", "Miami-G20-Gipfel", "geht's", "C5+1"). Anything else, including
# a trailing hyphen ("Ein- und Ausfuhr"), quotes around a word and the separators
# inside numbers ("1.000" -> "1", "000"), splits tokens.
_TOKEN_RE = re.compile(r"\w+(?:[-'+]\w+)*")

# Web and e-mail addresses: their pieces are neither words of the text ("https", "co", "www")
# nor mentions ("zeit.de/thema/kasachstan", "tokajew@akorda.kz"). An e-mail address is found
# by its "@domain" and then extended to the left (a pattern starting with its name would try
# every word of the text).
# An address ends at a space, a quotation mark or a bracket, and a final full stop or comma is
# the sentence's; the domain of an e-mail address ends in lower case (".de", not "Twitter.Tokajew").
_URL_RE = re.compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)"
                     r"[^\s\"'<>„“”«»()\[\]{}|,]*[^\s\"'<>„“”«»()\[\]{}|,.:;!?]")
_MAIL_DOMAIN_RE = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}(?![\w-])")
_MAIL_NAME_RE = re.compile(r"[\w.+-]+$")
# Bare domain names ("derStandard.at", "orf.at/stories", "leute.tagesspiegel.de"): a dot right after
# a word, more labels, a top-level domain in lower case and no letter after it. Found from the first
# dot (a pattern that starts with a literal is fast to search) and extended to the left by the name
# before it, as e-mail addresses are.
# Abbreviations ("z.B.", "d.h.", "e.V.") have one letter or a capital after the dot and stay.
_DOMAIN_END_RE = re.compile(r"\.(?:[\w-]+\.)*[a-z]{2,24}(?![\w-])(?:/[^\s\"'<>„“”«»()\[\]{}|,]*[^\s\"'<>„“”«»()\[\]{}|,.:;!?])?")
_DOMAIN_NAME_RE = re.compile(r"[\w-]+$")

_STEMMER = SnowballStemmer("german")
_STEM_CACHE: dict[str, str] = {}
# Token -> term caches shared by all analyzers with the same settings, so that a second
# pass over the corpus (topics, then keyness) finds every token already stemmed.
_TERM_CACHES: dict[tuple, dict[str, str]] = {}
_CACHE_MAX = 2_000_000  # entries per cache; a full cache is cleared (~250 MB at worst).
# Characters that a token cannot start or end with, trimmed off the pieces of text between spaces.
_NOT_IN_WORDS = ".,:;!?()[]{}\"'„“”‚‘’»«›‹-–—…/*&%$§+=<>|#@~^\\"
# Texts whose token columns count_terms holds at once before turning them into sparse counts.
_COUNT_BATCH = 1000


def blank_links(text: str) -> str:
    """Replace web addresses (``https://…``, ``www.…``) and e-mail addresses by spaces, keeping the text's length.

    Examples
    --------
    >>> blank_links("Mehr: https://t.co/x1 oder info@taz.de.")
    'Mehr:                 oder            .'
    """
    spans = []
    if "://" in text or "www." in text or "WWW." in text or "Www." in text:
        spans += [link.span() for link in _URL_RE.finditer(text)]
    if "@" in text:
        for domain in _MAIL_DOMAIN_RE.finditer(text):
            name = _MAIL_NAME_RE.search(text, max(0, domain.start() - 64), domain.start())
            if name:
                spans.append((name.start(), domain.end()))
    if not spans:
        return text
    pieces, done = [], 0
    for start, end in sorted(spans):
        start = max(start, done)  # an e-mail address inside a web address
        pieces += [text[done:start], " " * max(0, end - start)]
        done = max(done, end)
    return "".join(pieces) + text[done:]


def blank_domains(text: str) -> str:
    """Replace bare domain names ("derStandard.at", "zeit.de/politik") by spaces, keeping the text's length.

    Web and e-mail addresses are left to :func:`blank_links`; abbreviations such as
    "z.B." or "e.V." are no domain (one letter, or a capital, after the dot).

    Examples
    --------
    >>> blank_domains("Laut derStandard.at und orf.at, z.B. heute.")
    'Laut                und       , z.B. heute.'
    """
    if "." not in text:
        return text
    pieces, done = [], 0
    for end in _DOMAIN_END_RE.finditer(text):
        name = _DOMAIN_NAME_RE.search(text, max(done, end.start() - 64), end.start())
        if name:
            pieces += [text[done : name.start()], " " * (end.end() - name.start())]
            done = end.end()
    return "".join(pieces) + text[done:] if pieces else text


def _normalize(text: str) -> str:
    """Return ``text`` in NFC without addresses and domain names, soft hyphens removed, hyphens/apostrophes unified."""
    text = blank_domains(blank_links(text))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    for char, replacement in _TERM_FOLDS:
        if char in text:
            text = text.replace(char, replacement)
    return text


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
    if _SPECIAL_PATTERN.search(text):
        text = _SPECIAL_PATTERN.sub(lambda m: _SPECIAL_FOLDS[m.group()], text.replace("\r\n", "\n"))
    return unicodedata.normalize("NFC", text)  # after the removals, which can bring a letter and its accent together


def tokenize(text: str) -> list[str]:
    """Split German text into word tokens in their original case.

    Hyphen compounds ("Trump-Regierung", "Miami-G20-Gipfel") and alphanumeric tokens
    ("G20", "C5+1", "5+1") stay whole; digit groups split ("1.000" -> "1", "000").
    Punctuation and quotation marks („…“, »…«, '…') are dropped, soft hyphens are
    removed, and typographic apostrophes are written as "'" ("geht’s" -> "geht's").

    Parameters
    ----------
    text : str
        Text to split.

    Returns
    -------
    list of str
        Tokens in order of appearance.

    Examples
    --------
    >>> tokenize("„Der US-Präsident lädt zum Miami-G20-Gipfel“, hieß es.")
    ['Der', 'US-Präsident', 'lädt', 'zum', 'Miami-G20-Gipfel', 'hieß', 'es']
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    return _TOKEN_RE.findall(_normalize(text))


@functools.cache
def german_stopwords() -> frozenset[str]:
    """Return the German stopword list, casefolded.

    The list shipped as ``analysis/data/stopwords_de.txt`` (function words,
    auxiliaries, pronouns and news fillers such as "sagte", "laut", "heute") is
    united with NLTK's German list when NLTK's data is installed; nothing is
    downloaded.

    Returns
    -------
    frozenset of str
        Casefolded stopwords.

    Examples
    --------
    >>> {"und", "sagte", "dass"} <= german_stopwords()  # casefolded: "daß" -> "dass"
    True
    """
    words = set(_word_list("stopwords_de.txt"))
    try:
        from nltk.corpus import stopwords as nltk_stopwords

        words.update(w.casefold() for w in nltk_stopwords.words("german"))
    except LookupError:
        logger.debug("NLTK German stopwords not installed; using the bundled list only")
    return frozenset(words)


@functools.cache
def english_stopwords() -> frozenset[str]:
    """Return the English stopword list shipped as ``analysis/data/stopwords_en.txt``, casefolded.

    English function words reach German news through titles, quotes and names of
    works; they are removed beside the German ones. Words that are also German content
    words or, casefolded, acronyms ("who" is WHO, "is" is IS) are not in the list.

    Returns
    -------
    frozenset of str
        Casefolded stopwords.

    Examples
    --------
    >>> {"the", "of", "and"} <= english_stopwords(), "who" in english_stopwords()
    (True, False)
    """
    return _word_list("stopwords_en.txt")


def _word_list(name: str) -> frozenset[str]:
    """Read a word list of ``analysis/data``: one word a line, casefolded; blank lines and ``#`` comments skipped."""
    lines = resources.files("analysis").joinpath("data", name).read_text("utf-8").splitlines()
    return frozenset(word for line in lines if (word := line.strip().casefold()) and not word.startswith("#"))


def stem(token: str) -> str:
    """Stem a German token with NLTK's Snowball stemmer, memoised.

    Parameters
    ----------
    token : str
        A single token; the stemmer lowercases it.

    Returns
    -------
    str
        The stem, e.g. "prasident" for "Präsidenten".

    Examples
    --------
    >>> stem("Präsidenten")
    'prasident'
    """
    try:
        return _STEM_CACHE[token]
    except KeyError:
        pass
    if len(_STEM_CACHE) >= _CACHE_MAX:
        _STEM_CACHE.clear()
    result = _STEM_CACHE[token] = _STEMMER.stem(token)
    return result


def _is_number(token: str) -> bool:
    """Tell whether ``token`` has no letters ("2025", "5+1")."""
    return not token.isalpha() and not any(ch.isalpha() for ch in token)


class Analyzer:
    """Turn a text into casefolded, stopword-free, optionally stemmed terms.

    Instances are callables usable as ``TfidfVectorizer(analyzer=...)``; they are
    picklable, so they also work in worker processes. Analyzers with the same
    settings share a cache of the term of every distinct token seen, so the
    per-token work is one dictionary lookup. Build them with :func:`make_analyzer`.

    Parameters
    ----------
    stem : bool
        Reduce each term with the German Snowball stemmer.
    remove_stopwords : bool
        Drop words in :func:`german_stopwords` and :func:`english_stopwords`.
    min_length : int
        Drop tokens shorter than this many characters.
    drop_numbers : bool
        Drop tokens without any letter ("2025", "5+1"); "G20" stays.
    """

    def __init__(
        self,
        stem: bool = True,
        remove_stopwords: bool = True,
        min_length: int = 2,
        drop_numbers: bool = True,
    ) -> None:
        if not isinstance(min_length, int) or isinstance(min_length, bool) or min_length < 1:
            raise ValueError(f"min_length must be a positive int, got {min_length!r}")
        self.stem = bool(stem)
        self.remove_stopwords = bool(remove_stopwords)
        self.min_length = min_length
        self.drop_numbers = bool(drop_numbers)
        self._init_caches()

    def _init_caches(self) -> None:
        self._stopwords = german_stopwords() | english_stopwords() if self.remove_stopwords else frozenset()
        # casefolded token -> term, "" if filtered out; shared with same-settings analyzers
        self._terms: dict[str, str] = _TERM_CACHES.setdefault(tuple(self.settings.values()), {})

    @property
    def settings(self) -> dict[str, bool | int]:
        """The arguments of :func:`make_analyzer` that build an analyzer like this one."""
        return {
            "stem": self.stem,
            "remove_stopwords": self.remove_stopwords,
            "min_length": self.min_length,
            "drop_numbers": self.drop_numbers,
        }

    def __repr__(self) -> str:
        return "Analyzer(" + ", ".join(f"{name}={value}" for name, value in self.settings.items()) + ")"

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("_stopwords", "_terms")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._init_caches()

    def _lookup(self, folded: str) -> str:
        """Compute, cache and return the term of a casefolded token ("" if filtered out)."""
        if len(self._terms) >= _CACHE_MAX:
            self._terms.clear()
        if (
            len(folded) < self.min_length
            or folded in self._stopwords
            or (self.drop_numbers and _is_number(folded))
        ):
            result = ""
        else:
            result = _STEMMER.stem(folded) if self.stem else folded
        self._terms[folded] = result
        return result

    def term(self, token: str) -> str | None:
        """Return the term for one token, or None if the token is filtered out.

        Parameters
        ----------
        token : str
            A token as returned by :func:`tokenize`.

        Returns
        -------
        str or None
            The casefolded (and stemmed) term.

        Examples
        --------
        >>> make_analyzer().term("Präsidenten"), make_analyzer().term("sagte")
        ('prasident', None)
        """
        folded = token.casefold()
        result = self._terms.get(folded)
        if result is None:
            result = self._lookup(folded)
        return result or None

    def tokens(self, text: str) -> list[str]:
        """Return the casefolded tokens of ``text``, before any is filtered out or stemmed.

        ``[analyzer.term(token) for token in analyzer.tokens(text)]`` without the
        None values is ``analyzer(text)``.

        Parameters
        ----------
        text : str
            Text to split.

        Returns
        -------
        list of str
            Casefolded tokens in order of appearance, as :func:`tokenize` splits them.

        Examples
        --------
        >>> make_analyzer().tokens("Die Straße nach Kasachstan.")
        ['die', 'strasse', 'nach', 'kasachstan']
        """
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        return _TOKEN_RE.findall(_normalize(text).casefold())

    def __call__(self, text: str) -> list[str]:
        """Return the terms of ``text`` in order of appearance."""
        # Runs once per document of the corpus: keep the per-token work in C
        # (regex, dict lookups, list filtering) and fall back to Python only for
        # tokens not seen before.
        tokens = self.tokens(text)
        terms = list(map(self._terms.get, tokens))
        if None in terms:
            lookup = self._lookup
            terms = [lookup(tok) if t is None else t for t, tok in zip(terms, tokens)]
        return [t for t in terms if t]


def make_analyzer(
    stem: bool = True,
    remove_stopwords: bool = True,
    min_length: int = 2,
    *,
    drop_numbers: bool = True,
) -> Analyzer:
    """Build a text-to-terms callable for scikit-learn vectorisers.

    Parameters
    ----------
    stem : bool, default True
        Reduce terms with the German Snowball stemmer ("Präsidenten" -> "prasident").
    remove_stopwords : bool, default True
        Drop the words in :func:`german_stopwords` and :func:`english_stopwords`.
    min_length : int, default 2
        Drop tokens shorter than this (counted after casefolding, before stemming).
    drop_numbers : bool, default True
        Drop tokens that contain no letter ("2025", "1.000"); "G20" and "C5+1" stay.

    Returns
    -------
    Analyzer
        Callable ``text -> list[str]``; also offers ``term(token)`` for one token.

    Examples
    --------
    >>> analyzer = make_analyzer()
    >>> analyzer("Die Präsidenten trafen sich 2025 beim G20-Gipfel.")
    ['prasident', 'traf', 'g20-gipfel']
    >>> make_analyzer(stem=False)("Die Präsidenten trafen sich.")
    ['präsidenten', 'trafen']
    """
    return Analyzer(
        stem=stem,
        remove_stopwords=remove_stopwords,
        min_length=min_length,
        drop_numbers=drop_numbers,
    )


def count_terms(
    texts: list[str] | CorpusStore, analyzer: Callable[[str], list[str]], min_df: int = 1, n_jobs: int | None = None
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Count the terms of every text, partition by partition where :mod:`analysis.engine` runs the work.

    The result is what scikit-learn's ``CountVectorizer(analyzer=analyzer,
    dtype=np.int32)`` returns, without its per-token Python loop: each distinct
    token is mapped to its column once, and the columns of a batch of texts are
    counted with NumPy. An :class:`Analyzer` is applied through its ``tokens``
    and ``term`` methods, so that no list of terms is built per text.

    Parameters
    ----------
    texts : list of str or CorpusStore
        The documents, or a corpus store (:func:`analysis.load.open_store`) whose ``text``
        column each task reads itself.
    analyzer : callable
        Text -> list of terms, such as :func:`make_analyzer`'s.
    min_df : int, default 1
        Keep only terms found in at least this many documents.
    n_jobs : int, optional
        Worker processes, as scikit-learn reads it: None is 1, -1 all cores. Each
        partition counts with a vocabulary of its own; the parts are joined here.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
        Counts, documents x terms (int32), column indices sorted in each row.
    terms : numpy.ndarray
        The terms, sorted, one per column.

    Examples
    --------
    >>> matrix, terms = count_terms(["Die Brücke", "Brücke und Gipfel"], make_analyzer(stem=False))
    >>> terms.tolist(), matrix.toarray().tolist()
    (['brücke', 'gipfel'], [[1, 0], [1, 1]])
    """
    frame = texts if is_partitioned(texts) else pd.DataFrame({"text": pd.Series(texts, dtype=object)})
    parts = [part for parts in reduce_partitions(_count_partition, frame, analyzer, n_jobs=n_jobs, columns=["text"])
             for part in parts]
    if not parts:
        return sp.csr_matrix((0, 0), dtype=np.int32), np.array([], dtype=object)
    if len(parts) == 1:
        matrix, terms = parts[0]
        terms = terms.to_numpy(zero_copy_only=False)
    else:
        # each part's terms are sorted: numbered among all the terms in the same order, each row's columns stay sorted
        joint = pa.concat_arrays([part_terms for _, part_terms in parts]).dictionary_encode()
        order, rank = _sorting(joint.dictionary, np.int32)
        joint_columns = rank[joint.indices.to_numpy()]
        terms = joint.dictionary.take(order).to_numpy(zero_copy_only=False)
        del joint, order, rank
        offsets = np.cumsum([0] + [len(part_terms) for _, part_terms in parts])
        blocks = []
        for first, end in zip(offsets[:-1], offsets[1:]):  # renumber each part's columns, freeing the parts as we go
            part, _ = parts.pop(0)
            columns = joint_columns[first:end][part.indices]
            blocks.append(sp.csr_matrix((part.data, columns, part.indptr), shape=(part.shape[0], len(terms)), copy=False))
        matrix = sp.vstack(blocks, format="csr")
        del blocks
    matrix.sort_indices()  # a check only: the rows are sorted already
    if min_df > 1:
        keep = np.flatnonzero(np.bincount(matrix.indices, minlength=len(terms)) >= min_df)
        matrix, terms = matrix[:, keep], terms[keep]
    return matrix, terms


def sorted_unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct strings of ``values``, sorted, and the position of each value among them.

    What ``np.unique(values, return_inverse=True)`` returns, found by hashing (pandas) and
    sorting only the distinct strings (Arrow, in code-point order as Python compares them).

    Examples
    --------
    >>> terms, columns = sorted_unique(np.array(["zoll", "öl", "astana", "zoll"], dtype=object))
    >>> terms.tolist(), columns.tolist()
    (['astana', 'zoll', 'öl'], [1, 2, 0, 1])
    """
    codes, distinct = pd.factorize(values)
    order, rank = _sorting(pa.array(distinct, type=pa.large_string()), np.int64)
    return np.asarray(distinct, dtype=object)[order], rank[codes]


def _sorting(strings: pa.Array, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """Return the order that sorts distinct ``strings`` (code-point order) and each one's rank in it, as ``dtype``."""
    order = pc.sort_indices(strings).to_numpy()
    rank = np.empty(len(order), dtype=dtype)
    rank[order] = np.arange(len(order), dtype=dtype)
    return order, rank


def _count_partition(part: pd.DataFrame, analyzer: Callable[[str], list[str]]) -> list[tuple[sp.csr_matrix, pa.Array]]:
    """Count the terms of a partition's ``text`` column (see :func:`_count_chunk`)."""
    return _count_chunk(analyzer, part["text"].tolist())


def _count_chunk(analyzer: Callable[[str], list[str]], texts: list[str]) -> list[tuple[sp.csr_matrix, pa.Array]]:
    """Count the terms of ``texts``; return one (counts, terms) pair, the terms sorted, each row's columns in order.

    The sorting is done here, by each worker, so that joining the parts of a corpus
    needs no sort of the whole matrix; the terms are an Arrow array, which travels
    back from a worker as one buffer rather than one object per term.
    """
    if not texts:
        return []
    vocabulary: dict[str, int] = {}  # term -> column
    if isinstance(analyzer, Analyzer):
        cache: dict[str, tuple[int, ...]] = {}  # piece of text -> the columns of its terms, shared by the batches
        blocks = [_count_pieces(analyzer, *split, vocabulary, cache) for split in _split_batches(texts)]
    else:
        blocks = [_count_tokens(analyzer, texts[start : start + _COUNT_BATCH], vocabulary)
                  for start in range(0, len(texts), _COUNT_BATCH)]
    for block in blocks:  # earlier blocks were built when the vocabulary was smaller
        block.resize((block.shape[0], len(vocabulary)))
    matrix = sp.vstack(blocks, format="csr")
    terms = pa.array(list(vocabulary), pa.large_string())
    order, rank = _sorting(terms, matrix.indices.dtype)
    matrix.indices = rank[matrix.indices]
    matrix.has_sorted_indices = False
    matrix.sort_indices()
    return [(matrix, terms.take(order))]


def _split_batches(texts: list[str]) -> Iterator[tuple[np.ndarray, pa.DictionaryArray]]:
    """Yield the pieces of each batch of texts (see :func:`_split_pieces`).

    Arrow works without Python's lock, so a thread splits the next batch while the
    caller counts this one.
    """
    with ThreadPoolExecutor(1) as pool:
        pending = None
        for start in range(0, len(texts), _COUNT_BATCH):
            batch = pa.array([_normalize(text) for text in texts[start : start + _COUNT_BATCH]], pa.large_string())
            submitted = pool.submit(_split_pieces, batch)
            if pending is not None:
                yield pending.result()
            pending = submitted
        yield pending.result()


def _split_pieces(texts: pa.Array) -> tuple[np.ndarray, pa.DictionaryArray]:
    """Cut normalised texts into pieces at whitespace, which no token holds, and trim punctuation off their ends.

    Returns the number of pieces of each text and the pieces, numbered by their distinct values.
    """
    pieces = pc.utf8_split_whitespace(texts)
    return pc.list_value_length(pieces).to_numpy(), pc.dictionary_encode(pc.utf8_trim(pieces.flatten(), _NOT_IN_WORDS))


def _count_pieces(
    analyzer: Analyzer, n_pieces: np.ndarray, pieces: pa.DictionaryArray, vocabulary: dict[str, int], cache: dict
) -> sp.csr_matrix:
    """Count the terms of a batch of texts cut into pieces by :func:`_split_pieces`.

    Each distinct piece is casefolded and tokenised as :meth:`Analyzer.tokens` would,
    once for the whole corpus (the columns of its terms are cached); NumPy then spreads
    the columns of all pieces over the texts.
    """
    lengths, columns = array("q"), array("i")
    findall, term = _TOKEN_RE.findall, analyzer.term
    for piece in pieces.dictionary.to_pylist():
        found = cache.get(piece)
        if found is None:
            terms = [term(token) for token in findall(piece.casefold())]
            found = cache[piece] = tuple([vocabulary.setdefault(t, len(vocabulary)) for t in terms if t is not None])
        lengths.append(len(found))
        columns.extend(found)
    piece_lengths = np.frombuffer(lengths, dtype=np.int64)
    starts = np.cumsum(piece_lengths) - piece_lengths
    codes = pieces.indices.to_numpy()
    per_occurrence = piece_lengths[codes]
    rows = np.repeat(np.repeat(np.arange(len(n_pieces)), n_pieces), per_occurrence)
    positions = np.repeat(starts[codes] - (np.cumsum(per_occurrence) - per_occurrence), per_occurrence)
    token_columns = np.frombuffer(columns, dtype=np.int32)[positions + np.arange(len(positions))]
    return _sparse_counts(rows, token_columns, len(n_pieces))


def _count_tokens(analyzer: Callable[[str], list[str]], texts: list[str], vocabulary: dict[str, int]) -> sp.csr_matrix:
    """Count the terms of a batch of texts with any text -> terms callable."""
    rows, columns = array("q"), array("i")
    for row, text in enumerate(texts):
        terms = analyzer(text)
        columns.extend(vocabulary.setdefault(term, len(vocabulary)) for term in terms)
        rows.extend([row] * len(terms))
    return _sparse_counts(np.frombuffer(rows, dtype=np.int64), np.frombuffer(columns, dtype=np.int32), len(texts))


def _sparse_counts(rows: np.ndarray, columns: np.ndarray, n_rows: int) -> sp.csr_matrix:
    """Count the (row, column) pairs into a sparse matrix."""
    n_columns = int(columns.max(initial=-1)) + 1
    ones = np.ones(len(rows), dtype=np.int32)
    return sp.csr_matrix((ones, (rows, columns)), shape=(n_rows, n_columns))  # sums duplicates


@dataclass(frozen=True)
class TermCounts:
    """A document-term count matrix, the term of each column and how the terms were made.

    Build one with :func:`analysis.compare.term_counts` (or from :func:`count_terms`).

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Counts, one row per document (in corpus order), one column per term.
    terms : numpy.ndarray
        The term of each column.
    analyzer : callable, optional
        The analyzer that turned the texts into terms, if known; :meth:`stemmed`
        needs an :class:`Analyzer`.
    min_df : int, default 1
        Terms found in fewer documents than this were dropped.
    """

    matrix: sp.csr_matrix
    terms: np.ndarray
    analyzer: Callable[[str], list[str]] | None = None
    min_df: int = 1

    def stemmed(self, n_jobs: int | None = None) -> TermCounts:
        """Fold the counts of words into the counts of their stems.

        Each distinct term is stemmed once, with the Snowball stemmer that a
        stemming :class:`Analyzer` applies to every token, and the columns of the
        terms that share a stem are summed (one sparse product with a terms x stems
        indicator matrix). An analyzer with ``stem=True`` and otherwise the same
        settings drops the same casefolded tokens and stems the others, so the
        result equals ``count_terms(texts, make_analyzer(stem=True, ...))`` on the
        same texts: one pass over the texts serves both the word counts and the
        stem counts.

        Parameters
        ----------
        n_jobs : int, optional
            Worker processes for the stemmer (pure Python: on 600,000 words it takes
            seconds), as scikit-learn reads it: None is 1, -1 all cores.

        Returns
        -------
        TermCounts
            Counts of stems, sorted, with the stemming analyzer of the same
            settings as ``analyzer``; these counts themselves if the terms are
            already stems.

        Raises
        ------
        ValueError
            If the counts were not made by an :class:`Analyzer`, or lack the
            words found in fewer than ``min_df`` > 1 documents (a stem's count
            would then miss its rare forms).

        Examples
        --------
        >>> words = make_analyzer(stem=False)
        >>> matrix, terms = count_terms(["Der Präsident", "Die Präsidenten am Gipfel"], words)
        >>> counts = TermCounts(matrix, terms, analyzer=words)
        >>> counts.terms.tolist()
        ['gipfel', 'präsident', 'präsidenten']
        >>> stems = counts.stemmed()
        >>> stems.terms.tolist(), stems.matrix.toarray().tolist()
        (['gipfel', 'prasident'], [[0, 1], [1, 1]])
        """
        if not isinstance(self.analyzer, Analyzer):
            raise ValueError(f"only counts made by an Analyzer can be stemmed; these have analyzer={self.analyzer!r}")
        if self.analyzer.stem:
            return self
        if self.min_df > 1:
            raise ValueError(
                f"counts pruned with min_df={self.min_df} cannot be stemmed exactly (a stem's rare forms are "
                "missing); count the terms with min_df=1"
            )
        # _STEMMER.stem is what Analyzer._lookup applies; it never returns "" for a non-empty word
        # (Snowball keeps a word's first three letters), so no stem is dropped here.
        n_terms = len(self.terms)
        words = pd.DataFrame({"word": pd.Series(self.terms, dtype=object)})
        stemmed = [stem for part in reduce_partitions(_stem_words, words, n_jobs=n_jobs) for stem in part]
        stems, column_of_term = sorted_unique(np.array(stemmed, dtype=object))
        fold = sp.csr_matrix(
            (np.ones(n_terms, dtype=self.matrix.dtype), (np.arange(n_terms), column_of_term.ravel())),
            shape=(n_terms, len(stems)),
        )
        matrix = sp.csr_matrix(self.matrix @ fold)
        matrix.sort_indices()
        return TermCounts(matrix, stems, make_analyzer(**{**self.analyzer.settings, "stem": True}), self.min_df)


def _stem_words(words: pd.DataFrame) -> list[str]:
    return [_STEMMER.stem(word) for word in words["word"].tolist()]


def display_forms(
    texts: Iterable[str],
    analyzer: Callable[[str], list[str]] | None = None,
    terms: Iterable[str] | None = None,
) -> dict[str, str]:
    """Map each term to its most frequent original-case surface form.

    A cluster label then reads "Präsident, Gipfel, Kasachstan" instead of the stems
    "prasident, gipfel, kasachstan". Ties go to the form seen first.

    Parameters
    ----------
    texts : iterable of str
        Texts in which to count surface forms (the corpus, or a sample of it).
    analyzer : callable, optional
        The analyzer that produced the terms; default ``make_analyzer()``. An
        :class:`Analyzer` is applied token by token through ``term``; any other
        callable is called on each token and its first term is used.
    terms : iterable of str, optional
        Only look up these terms (faster on large corpora). Default: all terms.

    Returns
    -------
    dict of str to str
        Term -> most frequent surface form. Terms never seen in ``texts`` are absent.

    Examples
    --------
    >>> display_forms(["Der Präsident und die Präsidenten.", "Präsident Tokajew"])
    {'prasident': 'Präsident', 'tokajew': 'Tokajew'}
    """
    if isinstance(texts, str):
        raise ValueError("texts must be an iterable of str, not a single str")
    if analyzer is None:
        analyzer = make_analyzer()
    if not callable(analyzer):
        raise ValueError(f"analyzer must be callable, got {type(analyzer).__name__}")
    to_term = analyzer.term if isinstance(analyzer, Analyzer) else _first_term(analyzer)
    wanted = None if terms is None else set(terms)

    surface_counts: dict[str, Counter[str]] = defaultdict(Counter)
    token_terms: dict[str, str | None] = {}
    for text in texts:
        for token in tokenize(text):
            try:
                term = token_terms[token]
            except KeyError:
                term = token_terms[token] = to_term(token)
            if term is not None and (wanted is None or term in wanted):
                surface_counts[term][token] += 1
    return {term: counts.most_common(1)[0][0] for term, counts in surface_counts.items()}


def unit_terms(
    texts: Iterable[str], analyzer: Callable[[str], list[str]] | None = None, terms: Iterable[str] | None = None,
    min_share: float = 0.5,
) -> set[str]:
    """Return the terms that follow a number in at least ``min_share`` of their occurrences.

    Such terms are units and number words ("3,5 Mrd", "20 Prozent", "10 km"): they say
    how much, not what about, so they make weak labels on their own.

    Parameters
    ----------
    texts : iterable of str
        Texts in which to look at the terms' occurrences (the corpus, or a sample).
    analyzer : callable, optional
        The analyzer that produced the terms; default ``make_analyzer()``.
    terms : iterable of str, optional
        Only judge these terms. Default: all terms.
    min_share : float, default 0.5
        Least share of a term's occurrences right after a number token.

    Returns
    -------
    set of str
        The terms that mostly follow a number.

    Examples
    --------
    >>> sorted(unit_terms(["Es kostet 3,5 Mrd Euro.", "Die Mrd. waren 20 Prozent, sagte der Präsident."]))
    ['mrd', 'prozent']
    """
    if isinstance(texts, str):
        raise ValueError("texts must be an iterable of str, not a single str")
    if analyzer is None:
        analyzer = make_analyzer()
    to_term = analyzer.term if isinstance(analyzer, Analyzer) else _first_term(analyzer)
    wanted = None if terms is None else set(terms)
    after_number: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    for text in texts:
        previous = ""
        for token in tokenize(text):
            term = to_term(token)
            if term is not None and (wanted is None or term in wanted):
                occurrences[term] += 1
                after_number[term] += bool(previous) and _is_number(previous)
            previous = token
    return {term for term, n in occurrences.items() if after_number[term] >= min_share * n}


def _first_term(analyzer: Callable[[str], list[str]]) -> Callable[[str], str | None]:
    """Wrap a text analyzer as a one-token-to-one-term function."""

    def to_term(token: str) -> str | None:
        result = analyzer(token)
        return result[0] if result else None

    return to_term
