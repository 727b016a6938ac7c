"""Helpers shared by the tests."""
from analysis.text import normalize_unicode


def reconstruct(raw: str, result) -> str:
    """Put kept paragraphs and removed pieces back where they stood, whitespace folded.

    Each removal names its line and where it starts in it (the line stripped, its spaces
    folded); the piece must stand there. What is left of the line, its parts joined by single
    spaces, must be the next kept paragraph; the line is rebuilt from that paragraph and the
    removed pieces, so nothing of it is taken from the input.
    """
    removed_by_line = {}
    for removal in result.removed:
        removed_by_line.setdefault(removal["line"], []).append(removal)
    kept = iter(result.text.split("\n\n") if result.text else [])
    rebuilt = []
    for i, line in enumerate(normalize_unicode(raw).split("\n")):
        line = " ".join(line.split())
        gaps, pieces, position = [], [], 0  # the parts of the line between the removed pieces, and the pieces
        for removal in sorted(removed_by_line.pop(i, []), key=lambda r: r["start"]):
            start, text = removal["start"], removal["text"]
            assert start >= position and line[start:start + len(text)] == text, (i, removal, line)
            gaps.append(line[position:start])
            pieces.append(text)
            position = start + len(text)
        gaps.append(line[position:])
        rest = [gap.strip() for gap in gaps if gap.strip()]
        paragraph = next(kept) if rest else ""
        assert paragraph == " ".join(rest), (i, paragraph, rest)
        parts, offset = [], 0
        for gap, piece in zip(gaps, [*pieces, ""]):  # the spaces of the gap, its words from the paragraph
            n = len(gap.strip())
            parts.extend([gap[:len(gap) - len(gap.lstrip())], paragraph[offset:offset + n],
                          gap[len(gap.rstrip()):] if n else "", piece])
            offset += n + (n > 0)
        rebuilt.append("".join(parts))
    assert not removed_by_line, "a removal names a line the input lacks"
    assert next(kept, None) is None, "a kept paragraph matches no line of the input"
    return " ".join(" ".join(rebuilt).split())
