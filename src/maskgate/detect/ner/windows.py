"""Where a token-classification model looks and what its spans cover: windows over a long token
sequence, and token ranges widened to whole words. Pure Python (no torch): the transformers backend
(transformers_backend.py) uses them, and they are tested alone."""

from __future__ import annotations

import unicodedata

from maskgate.detect.spans import Span

# --- windows ------------------------------------------------------------------------------------


def plan_windows(n: int, size: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """Windows over n tokens as (start, end, own_start, own_end).

    The model sees tokens [start, end); its logits for [own_start, own_end) are kept. Consecutive
    windows overlap by at least `overlap` tokens and hand over at the middle of their overlap, so
    the owned ranges tile [0, n) exactly and every kept token has context on both sides.
    """
    if size < 1:
        raise ValueError("window size must be at least 1 token")
    if n <= 0:
        return []
    if n <= size:
        return [(0, n, 0, n)]
    overlap = max(0, min(overlap, size - 1))
    step = size - overlap
    starts = list(range(0, n - size, step))
    starts.append(n - size)  # the last window ends at the text's end, full size
    wins: list[tuple[int, int, int, int]] = []
    own_start = 0
    for k, s in enumerate(starts):
        e = s + size
        own_end = (starts[k + 1] + e) // 2 if k + 1 < len(starts) else n
        wins.append((s, e, own_start, own_end))
        own_start = own_end
    return wins


# --- character offsets --------------------------------------------------------------------------


# Scripts written without spaces between words: a "word" there is a whole clause, never widen.
_NO_SPACE_SCRIPTS = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x2E80, 0xA4CF), (0xAC00, 0xD7AF),
                     (0xF900, 0xFAFF), (0x20000, 0x3FFFF))  # fmt: skip


def _wordish(c: str) -> bool:
    if not (c.isalnum() or unicodedata.category(c)[0] == "M"):
        return False
    o = ord(c)
    return not any(a <= o <= b for a, b in _NO_SPACE_SCRIPTS)


def char_range(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace off [start, end), then widen it to whole words (not in Thai, Khmer, Myanmar or
    CJK text, which has no spaces between words). May return an empty range."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return start, start
    while start > 0 and _wordish(text[start - 1]) and _wordish(text[start]):
        start -= 1
    while end < len(text) and _wordish(text[end]) and _wordish(text[end - 1]):
        end += 1
    return start, end


def merge_same_label(spans: list[Span]) -> list[Span]:
    """Drop duplicates and join overlapping spans of one label (word widening can make them meet)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda x: (x.label, x.start, x.end)):
        if out and out[-1].label == s.label and s.start < out[-1].end:
            last = out[-1]
            out[-1] = Span(last.start, max(last.end, s.end), s.label, max(last.score, s.score), s.source)
        else:
            out.append(s)
    return sorted(out, key=lambda x: (x.start, x.end, x.label))
