"""The one resolution step that turns every layer's raw spans into the final, non-overlapping set.

Order (documented in docs/detection.md):
1. drop spans whose label is ignored, or whose score is below that label's threshold;
2. drop spans lying wholly inside an allow-list occurrence (deny-list spans are never dropped);
3. join same-label spans separated only by that label's gap characters (`Jean` `-` `Luc`), and two
   PERSON spans separated by a middle initial (`Martim` `A` `Pereira`);
4. settle overlaps: in each group of overlapping spans the winner (deny-list first, then highest
   score, then longest, then earliest) gives its label to the union of the group. Privacy first:
   a character any layer flagged stays masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from maskgate.detect.spans import Ranges, Span

DEFAULT_THRESHOLD = 0.5
DEFAULT_MERGE_GAPS: dict[str, str] = {
    "PERSON": " -'.",
    "ADDRESS": " ,\n",
    "ORG": " &-,",
    "LOCATION": " ,",
}
MAX_GAP = 3
# A middle initial between two name spans is part of the name: "Martim A Pereira", "John F. Kennedy".
_INITIAL_GAP = re.compile(r"[ \t]+[A-Z]\.?[ \t]+")
DENY_SOURCE = "dictionary"


@dataclass(frozen=True)
class ResolveConfig:
    ignore_labels: frozenset[str] = frozenset()
    thresholds: Mapping[str, float] = field(default_factory=dict)
    default_threshold: float = DEFAULT_THRESHOLD
    merge_gaps: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_MERGE_GAPS))

    def fingerprint(self) -> str:
        return repr(
            (
                sorted(self.ignore_labels),
                sorted(self.thresholds.items()),
                self.default_threshold,
                sorted(self.merge_gaps.items()),
            )
        )


def _rank(span: Span) -> tuple[int, float, int, int]:
    return (span.source == DENY_SOURCE, span.score, len(span), -span.start)


def resolve(
    text: str,
    spans: Iterable[Span],
    config: ResolveConfig,
    allowed: Iterable[tuple[int, int]] = (),
) -> list[Span]:
    inside_allowed = Ranges(allowed).contain
    kept: list[Span] = []
    for s in spans:
        if s.label in config.ignore_labels:
            continue
        if s.score < config.thresholds.get(s.label, config.default_threshold):
            continue
        if s.source != DENY_SOURCE and inside_allowed(s.start, s.end):
            continue
        kept.append(s)
    kept = _merge_gaps(text, kept, config.merge_gaps)
    return _settle_overlaps(kept)


def _merge_gaps(text: str, spans: list[Span], gaps: Mapping[str, str]) -> list[Span]:
    by_label: dict[str, list[Span]] = {}
    for s in spans:
        by_label.setdefault(s.label, []).append(s)
    out: list[Span] = []
    for label, group in by_label.items():
        allowed = gaps.get(label, "")
        group.sort()
        cur = group[0]
        for nxt in group[1:]:
            gap = text[cur.end : nxt.start] if nxt.start > cur.end else ""
            joinable = (
                nxt.start <= cur.end
                or (
                    allowed
                    and len(gap) <= MAX_GAP
                    and all(c in allowed for c in gap)
                    and not _sentence_end(text, cur, gap)
                )
                or (label == "PERSON" and _INITIAL_GAP.fullmatch(gap) is not None)
            )
            if joinable:
                cur = Span(
                    cur.start,
                    max(cur.end, nxt.end),
                    label,
                    max(cur.score, nxt.score),
                    cur.source if _rank(cur) >= _rank(nxt) else nxt.source,
                )
            else:
                out.append(cur)
                cur = nxt
        out.append(cur)
    return out


def _sentence_end(text: str, cur: Span, gap: str) -> bool:
    """ "Rose Fisher. Fisher noted": a full stop after a word (not an initial) ends the name."""
    return gap.startswith(". ") and cur.end - cur.start > 1 and text[cur.end - 2 : cur.end].isalpha()


def _settle_overlaps(spans: list[Span]) -> list[Span]:
    spans = sorted(spans)
    out: list[Span] = []
    i = 0
    while i < len(spans):
        group = [spans[i]]
        end = spans[i].end
        j = i + 1
        while j < len(spans) and spans[j].start < end:
            group.append(spans[j])
            end = max(end, spans[j].end)
            j += 1
        win = max(group, key=_rank)
        out.append(Span(group[0].start, end, win.label, win.score, win.source))
        i = j
    return out
