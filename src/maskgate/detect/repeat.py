"""Consistency inside one text: a value detected once is masked wherever else it occurs.

Layers judge each occurrence by its context, so a secret masked after `token:` on one line stayed
raw two lines down, and a name masked in a greeting stayed visible in the signature. After
resolution, every other exact occurrence of a detected value (whole words, 4+ characters) gets the
same label. One Aho-Corasick pass over the text whatever the number of values.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from operator import attrgetter

import ahocorasick

from maskgate.detect.name_parts import coordinated_given, name_part_spans, relabel_parts
from maskgate.detect.names.complete import complete_names
from maskgate.detect.spans import Ranges, Span

# Span's own order (its fields in turn), compared in C rather than by the dataclass's __lt__
_SPAN_ORDER = attrgetter("start", "end", "label", "score", "source")
MIN_LENGTH = 4  # `Ann`, `Li`, `May`, `123`: too short to say the same thing twice
# Names and places are repeated only when written as names (a capital first letter): a lower-case
# span from the NER model (`el paciente`, `masa`) is its guess about a word, not a value to spread.
NAME_LABELS = frozenset({"PERSON", "ORG", "LOCATION", "FACILITY"})
SOURCE = "repeat"
_PART = "\x00part"  # the key of a name part's hits (no text value is this)
PART_SCORE = 0.6


# bump when resolve.py, repeat.py or the name completion they call change: it is in the pipeline
# fingerprint, so cached analyses do not outlive the code that settled them
SETTLE_VERSION = "2"


def _word_edge(text: str, start: int, end: int) -> bool:
    """Not glued to more letters or digits than the value has (`Rose` in `Rosemary`)."""
    if text[start].isalnum() and start > 0 and text[start - 1].isalnum():
        return False
    return not (text[end - 1].isalnum() and end < len(text) and text[end].isalnum())


def mask_repeats(text: str, spans: list[Span], allowed: Iterable[tuple[int, int]] = ()) -> list[Span]:
    """`spans` (resolved, non-overlapping) plus a span for every other occurrence of their values
    that no span covers and no allow-list range contains. PERSON spans are first grown over the rest
    of their names (names/complete.py), and the parts of a name are repeated too (name_parts.py)."""
    allowed = list(allowed)
    if any(s.label == "PERSON" for s in spans):
        spans = complete_names(text, spans, allowed)
        relabelled = relabel_parts(text, spans)
        if relabelled is not spans:  # `Vance` was an ORG guess: now a name that may grow too
            fresh = frozenset((b.start, b.end) for a, b in zip(spans, relabelled, strict=True) if a is not b)
            spans = complete_names(text, relabelled, allowed, fresh)
    values: dict[str, Span] = {}
    for s in spans:
        value = text[s.start : s.end]
        if s.label in NAME_LABELS and not value[:1].isupper():
            continue
        if len(value.strip()) >= MIN_LENGTH and (value not in values or s.score > values[value].score):
            values[value] = s
    hits: list[tuple[int, int, str]] = []
    if not values:
        pass
    elif len(values) == 1:
        (value,) = values
        pos = text.find(value)
        while pos >= 0:
            hits.append((pos, pos + len(value), value))
            pos = text.find(value, pos + 1)
    else:
        automaton = ahocorasick.Automaton()
        for value in values:
            automaton.add_word(value, value)
        automaton.make_automaton()
        hits = [(end + 1 - len(value), end + 1, value) for end, value in automaton.iter(text)]
    if len(hits) <= 1:
        hits = []
    part_hits = name_part_spans(text, spans) + coordinated_given(text, spans)
    if part_hits:
        values[_PART] = Span(0, 1, "PERSON", PART_SCORE, SOURCE)
        hits.extend((a, b, _PART) for a, b in part_hits)
    if not hits:
        return spans
    current = sorted(spans, key=_SPAN_ORDER)
    starts = [s.start for s in current]
    inside_allowed = Ranges(allowed).contain
    changed = False
    # Longest first where two values start at one place (`John Smith` before `John`).
    for start, end, value in sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]))):
        if not _word_edge(text, start, end) or inside_allowed(start, end):
            continue
        # spans overlapping the occurrence: the one starting before it, and those starting inside it
        lo = bisect.bisect_left(starts, start)
        if lo > 0 and current[lo - 1].end > start:
            lo -= 1
        hi = bisect.bisect_left(starts, end)
        inside = current[lo:hi]
        if any(x.start < start or x.end > end for x in inside):
            continue  # crosses a span: resolution already settled that stretch
        if len(inside) == 1 and (inside[0].start, inside[0].end) == (start, end):
            continue  # the occurrence that was detected
        # Pieces found inside the value (`Yu` in a token) give way to the whole value.
        model = values[value]
        current[lo:hi] = [Span(start, end, model.label, model.score, SOURCE)]
        starts[lo:hi] = [start]
        changed = True
    # a repeated part takes its initial, title or particles too (`R. Vance`)
    if not changed:
        return spans
    fresh = frozenset((s.start, s.end) for s in current if s.source == SOURCE and s.label == "PERSON")
    return complete_names(text, current, allowed, fresh) if fresh else current
