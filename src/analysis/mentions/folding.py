"""Fold Unicode variants of texts and name forms for matching, keeping offsets into the text as given."""
from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

from analysis.text import APOSTROPHES, HYPHENS, INVISIBLE, LINE_BREAKS, SPACES

# ---------------------------------------------------------------------------------------
# Unicode folding. Same-length substitutions keep offsets; the rest goes to a slow path.
# ---------------------------------------------------------------------------------------

# Spaces and line breaks fold to " ", hyphens to "-", apostrophes to "'" (same length); invisible
# characters are removed (on the slow path).
_SAME_LENGTH = tuple((c, " ") for c in "\n" + SPACES + LINE_BREAKS) + tuple((c, "-") for c in HYPHENS) + tuple(
    (c, "'") for c in APOSTROPHES
)
_SAME_LENGTH_TABLE = str.maketrans({a: b for a, b in _SAME_LENGTH})
# Characters whose presence sends a text to the slow path (length-changing folds).
_MARK_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_COMPAT_RANGES = "\ufb00-\ufb06\uff01-\uff5e\u2126\u212a\u212b\u0132\u0133\u013f\u0140\u01c4-\u01cc\u01f1-\u01f3"
# Characters outside the BMP (emoji, mathematical letters) are folded on the slow path too.
_ASTRAL_RANGE = "\U00010000-\U0010ffff"
_SPECIAL_RE = re.compile(f"[{_MARK_RANGES}]+|[{INVISIBLE}{_COMPAT_RANGES}{_ASTRAL_RANGE}]")
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
    piece = "".join(ch for ch in piece if ch not in INVISIBLE)
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
    kept = set(INVISIBLE) | {" ", "-", "'", "+"} | {old for old, _ in _SAME_LENGTH}
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
_GATE_RE = re.compile(f"[{_MARK_RANGES}{INVISIBLE}{_COMPAT_RANGES}{_ASTRAL_RANGE}]")

