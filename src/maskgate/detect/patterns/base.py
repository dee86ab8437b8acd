"""Regex recognizers with validation. A bare regex match is a candidate; `validate` decides."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from maskgate.detect.labels import check_label
from maskgate.detect.spans import Span

LOCALES = ("us", "uk", "au", "nz")
CONTEXT_WINDOW = 40


@dataclass(frozen=True)
class Recognizer:
    """One entity format.

    `group` selects the part of the match that is the entity (so a pattern can require context
    such as `user=` without masking it). `validate` gets that part and returns False to reject.
    Matches with `context` words within CONTEXT_WINDOW chars before them get `context_score`.
    """

    name: str
    label: str
    pattern: str
    score: float = 0.9
    validate: Callable[[str], bool] | None = None
    group: int | str = 0
    flags: int = 0
    context: tuple[str, ...] = ()
    context_score: float | None = None
    locale: str = "any"
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_label(self.label)
        object.__setattr__(self, "compiled", re.compile(self.pattern, self.flags))

    def find(self, text: str) -> Iterable[Span]:
        for m in self.compiled.finditer(text):
            start, end = m.span(self.group)
            if start < 0 or end <= start:
                continue
            if self.validate is not None and not self.validate(m.group(self.group)):
                continue
            score = self.score
            if self.context and self.context_score is not None and self._has_context(text, start):
                score = self.context_score
            yield Span(start, end, self.label, score, f"regex:{self.name}")

    def _has_context(self, text: str, start: int) -> bool:
        before = text[max(0, start - CONTEXT_WINDOW) : start].lower()
        return any(word in before for word in self.context)


class RegexLayer:
    """All recognizers of the selected locales (plus operator patterns) over the text."""

    name = "regex"

    def __init__(self, recognizers: Sequence[Recognizer]) -> None:
        self.recognizers = list(recognizers)

    def detect(self, text: str) -> list[Span]:
        out: list[Span] = []
        for r in self.recognizers:
            out.extend(r.find(text))
        return out

    def fingerprint(self) -> str:
        desc = repr([(r.name, r.label, r.pattern, r.score, r.group, r.flags) for r in self.recognizers])
        return "regex:" + hashlib.sha256(desc.encode()).hexdigest()[:16]


def custom_recognizers(patterns: dict[str, list[str]]) -> list[Recognizer]:
    """Operator-supplied regexes per label (config `patterns`); the whole match is the entity."""
    out = []
    for label, regexes in patterns.items():
        for i, rx in enumerate(regexes):
            try:
                out.append(Recognizer(f"custom_{label.lower()}_{i}", label, rx, score=1.0))
            except re.error as exc:
                raise ValueError(f"invalid pattern for {label}: {rx!r}: {exc}") from exc
    return out
