"""The one currency every detection layer pays in: a labelled span of the original text."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from maskgate.errors import DetectionError as DetectionError  # its old home: still importable here


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """`text[start:end]` is an entity of `label`; `source` names the layer that found it."""

    start: int
    end: int
    label: str
    score: float = 1.0
    source: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"invalid span offsets {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


class Ranges:
    """Asks whether `[start, end)` lies wholly inside one of many ranges (the allow list's
    occurrences) in O(log n): the furthest end of the ranges starting at or before `start` is all
    that matters. A scan of every range per span made a long text's resolution quadratic."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [a for a, _ in ordered]
        self._reach: list[int] = []  # furthest end among ranges[: i + 1]
        reach = -1
        for _, b in ordered:
            reach = max(reach, b)
            self._reach.append(reach)

    def contain(self, start: int, end: int) -> bool:
        k = bisect_right(self._starts, start)
        return k > 0 and self._reach[k - 1] >= end
