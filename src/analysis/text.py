"""Tokenise German news text into terms for counting, TF-IDF and keyness.

The module offers one tokeniser (:func:`tokenize`), one stopword list
(:func:`german_stopwords`), a memoised German Snowball stemmer (:func:`stem`) and
an analyzer factory (:func:`make_analyzer`) whose result can be passed to
scikit-learn's ``TfidfVectorizer(analyzer=...)``. :func:`display_forms` maps the
(stemmed) terms back to the word a reader expects in a label.

Everything here is built for corpora of tens of millions of tokens: one compiled
regular expression, one translation table, a dictionary cache for stems and no
per-token objects beyond strings.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from importlib import resources

import numpy as np
import scipy.sparse as sp
from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import CountVectorizer

from analysis.parallel import map_chunks, n_jobs_for

logger = logging.getLogger(__name__)

__all__ = [
    "Analyzer",
    "display_forms",
    "german_stopwords",
    "make_analyzer",
    "stem",
    "tokenize",
]

# Soft hyphens and zero-width spaces vanish; Unicode hyphens become "-"; typographic
# apostrophes become "'"; "_" separates words. Each replacement runs only when its
# character occurs, which is far cheaper than ``str.translate`` on long texts.
_REPLACEMENTS = (
    ("\u00ad", ""),  # soft hyphen
    ("\u200b", ""),  # zero-width space
    ("\u2010", "-"),  # hyphen
    ("\u2011", "-"),  # non-breaking hyphen
    ("\u2018", "'"),  # single quotation marks typed as apostrophes ("Trump‘s")
    ("\u2019", "'"),
    ("\u02bc", "'"),  # modifier letter apostrophe
    ("\u00b4", "'"),  # acute accent typed as apostrophe
    ("`", "'"),
    ("_", " "),
)

# A word is a run of letters/digits; "-", "'" and "+" may join two such runs
# ("US-Präsident", "Miami-G20-Gipfel", "geht's", "C5+1"). Anything else, including
# a trailing hyphen ("Ein- und Ausfuhr"), quotes around a word and the separators
# inside numbers ("1.000" -> "1", "000"), splits tokens.
_TOKEN_RE = re.compile(r"\w+(?:[-'+]\w+)*")

_STEMMER = SnowballStemmer("german")
_STEM_CACHE: dict[str, str] = {}
# Token -> term caches shared by all analyzers with the same settings, so that a second
# pass over the corpus (topics, then keyness) finds every token already stemmed.
_TERM_CACHES: dict[tuple, dict[str, str]] = {}
_CACHE_MAX = 2_000_000  # entries per cache; a full cache is cleared (~250 MB at worst).


def _normalize(text: str) -> str:
    """Return ``text`` in NFC with soft hyphens removed and hyphens/apostrophes unified."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    for char, replacement in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, replacement)
    return text


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
    lines = resources.files("analysis").joinpath("data", "stopwords_de.txt").read_text("utf-8")
    words = {line.strip().casefold() for line in lines.splitlines()}
    words = {w for w in words if w and not w.startswith("#")}
    try:
        from nltk.corpus import stopwords as nltk_stopwords

        words.update(w.casefold() for w in nltk_stopwords.words("german"))
    except LookupError:
        logger.debug("NLTK German stopwords not installed; using the bundled list only")
    return frozenset(words)


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
        Drop words in :func:`german_stopwords`.
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
        self._stopwords = german_stopwords() if self.remove_stopwords else frozenset()
        settings = (self.stem, self.remove_stopwords, self.min_length, self.drop_numbers)
        # casefolded token -> term, "" if filtered out; shared with same-settings analyzers
        self._terms: dict[str, str] = _TERM_CACHES.setdefault(settings, {})

    def __repr__(self) -> str:
        return (
            f"Analyzer(stem={self.stem}, remove_stopwords={self.remove_stopwords}, "
            f"min_length={self.min_length}, drop_numbers={self.drop_numbers})"
        )

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

    def __call__(self, text: str) -> list[str]:
        """Return the terms of ``text`` in order of appearance."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        # Runs once per document of the corpus: keep the per-token work in C
        # (regex, dict lookups, list filtering) and fall back to Python only for
        # tokens not seen before.
        tokens = _TOKEN_RE.findall(_normalize(text).casefold())
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
        Drop the words in :func:`german_stopwords`.
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
    texts: list[str], analyzer: Callable[[str], list[str]], min_df: int = 1, n_jobs: int | None = None
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Count the terms of every text, in worker processes for large corpora.

    Parameters
    ----------
    texts : list of str
        The documents.
    analyzer : callable
        Text -> list of terms, such as :func:`make_analyzer`'s.
    min_df : int, default 1
        Keep only terms found in at least this many documents.
    n_jobs : int, optional
        Worker processes; by default all cores for 2,000 texts or more.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
        Counts, documents x terms (int32).
    terms : numpy.ndarray
        The terms, sorted, one per column.

    Examples
    --------
    >>> matrix, terms = count_terms(["Die Brücke", "Brücke und Gipfel"], make_analyzer(stem=False))
    >>> terms.tolist(), matrix.toarray().tolist()
    (['brücke', 'gipfel'], [[1, 0], [1, 1]])
    """
    n_jobs = n_jobs_for(n_jobs, len(texts))
    chunk_size = max(1000, -(-len(texts) // n_jobs))  # one chunk per worker: one vocabulary each
    parts = map_chunks(functools.partial(_count_chunk, analyzer), texts, n_jobs, chunk_size)
    terms = np.unique(np.concatenate([part_terms for _, part_terms in parts])) if parts else np.array([], dtype=object)
    blocks = []
    while parts:  # renumber each part's columns into the joint vocabulary, freeing the parts as we go
        part, part_terms = parts.pop(0)
        columns = np.searchsorted(terms, part_terms).astype(part.indices.dtype)[part.indices]
        blocks.append(sp.csr_matrix((part.data, columns, part.indptr), shape=(part.shape[0], len(terms)), copy=False))
    matrix = sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, 0), dtype=np.int32)
    del blocks
    matrix.sort_indices()
    if min_df > 1:
        keep = np.flatnonzero(np.bincount(matrix.indices, minlength=len(terms)) >= min_df)
        matrix, terms = matrix[:, keep], terms[keep]
    return matrix, terms


def _count_chunk(analyzer: Callable[[str], list[str]], texts: list[str]) -> list[tuple[sp.csr_matrix, np.ndarray]]:
    if not texts:
        return []
    vectorizer = CountVectorizer(analyzer=analyzer, dtype=np.int32)
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no text has any term
        return [(sp.csr_matrix((len(texts), 0), dtype=np.int32), np.array([], dtype=object))]
    return [(matrix, vectorizer.get_feature_names_out())]


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


def _first_term(analyzer: Callable[[str], list[str]]) -> Callable[[str], str | None]:
    """Wrap a text analyzer as a one-token-to-one-term function."""

    def to_term(token: str) -> str | None:
        result = analyzer(token)
        return result[0] if result else None

    return to_term
