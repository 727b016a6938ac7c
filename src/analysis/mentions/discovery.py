"""Names the entity table does not know: frequent unknown names, alias suggestions and Cologne phonetics."""
from __future__ import annotations

import bisect
import os
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from analysis.mentions.entities import Gazetteer, _german_lexicon, _is_common_noun
from analysis.mentions.folding import _fold_alias
from analysis.mentions.matching import _find, _gazetteer, _texts, all_first_names

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
    holds 90 % of the two-word names it ends, where at least half of the articles with the word
    alone also hold that name, or the name begins with a first name and the word is none ("Spahn"
    into "Jens Spahn"; first names from Faker's person providers). A first name that is also a
    common noun ("Horst", "Ernst") stays at the head of a name; a single word left on its own that
    is a form of a common noun ("Erden" of "Erde", "Flammen") is not listed.

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
    first_names = all_first_names()
    seq_counts: Counter = Counter()
    seq_docs: dict[str, set] = defaultdict(set)
    examples: dict[str, str] = {}
    n_before_known: Counter = Counter()  # single words seen right before a known name ("College" in "College London")
    for di, run in runs:
        text = texts[di]
        known_starts = {s for s, _ in spans_by_doc.get(di, [])}
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
            # unless a common noun follows too ("Deutsche Bank") or the noun is a first name ("Horst Seehofer").
            while len(segment) > 1 and (segment[0][0][:1].islower() or (
                    common_noun(segment[0][0]) and not common_noun(segment[1][0])
                    and segment[0][0] not in first_names)):
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
                    if len(segment) == 1 and end + 1 in known_starts and text[end] in " -":
                        n_before_known[name] += 1
                    examples.setdefault(name, re.sub(r"\s+", " ", text[max(0, start - 40) : end + 40]).strip())
            segment = [item] if item is not None and item[0][:1].isupper() and name_part(item) else []

    # Merge genitive forms into their base ("Söders" -> "Söder"), then a last word alone into the
    # two-word name it ends ("Spahn" -> "Jens Spahn"), as a surname counts for its entity: when that
    # name holds 90 % of the occurrences of the two-word names that end in the word, and either at
    # least half of the articles with the word alone also hold that name (as an article names a person
    # in full before it uses the surname), or the name begins with a first name and the word is none
    # (headlines name a person in full in one and by surname in the next). Otherwise the word is
    # something else: a city apart from its club ("Stuttgart", "TVB Stuttgart"), a first name apart
    # from one person's surname ("Michael", "Wolfgang Michael"), a surname apart from one misspelt
    # full name ("Seehofer", "Hors Seehofer"). A word that ends several such names stays apart, and so
    # does one that ends a longer phrase ("Österreich" is not "Grand Prix von Österreich").
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
        beside = 2 * len(seq_docs[name] & seq_docs[full]) >= len(seq_docs[name])
        surname = name not in first_names and full.split(" ", 1)[0] in first_names
        if seq_counts[full] >= 0.9 * sum(seq_counts[n] for n in longer_names[name]) and (beside or surname):
            seq_counts[full] += seq_counts.pop(name)
            seq_docs[full] |= seq_docs.pop(name)
    # A single word that stands only right before a known name, and was merged into no other, is the
    # head of a longer name that holds it ("University College London"), not a name of its own; nor is
    # one left alone that is a form of a common noun ("Erden" of "Erde", "Flammen"): as a surname it
    # has joined its full name above ("Drosten" in "Christian Drosten").
    for name, count in n_before_known.items():
        if seq_counts.get(name) == count:
            del seq_counts[name]
    lexicon = _german_lexicon()
    for name in [n for n in seq_counts if " " not in n and "-" not in n and common_noun(lexicon.get(n) or n)]:
        del seq_counts[name]
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

    # Group the names among themselves: the connected groups of variant pairs, numbered by their first name.
    pair = process.cdist(cand_forms, cand_forms, scorer=fuzz.ratio)
    same_pair = (cand_codes[:, None] == cand_codes[None, :]) & cand_long[:, None] & cand_long[None, :]
    linked = ((pair >= min_similarity) & cand_long[:, None] & cand_long[None, :]) | (same_pair & (pair >= min_phonetic_similarity))
    _, component = connected_components(csr_matrix(linked), directed=False)
    sizes = np.bincount(component)
    group_no = {c: k for k, c in enumerate(dict.fromkeys(c for c in component.tolist() if sizes[c] > 1))}
    out = pd.DataFrame(rows, columns=_SUGGESTION_COLUMNS[:-1])
    out["group"] = pd.array([group_no.get(c) for c in component.tolist()], dtype="Int64")
    out = out[out["entity_id"].notna() | out["group"].notna()]
    return out.sort_values(["phonetic_match", "similarity", "count"], ascending=False, ignore_index=True)
