"""The one currency every detection layer pays in: a labelled span of the original text."""

from __future__ import annotations

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
