"""Regex recognizers with validation. A bare regex match is a candidate; `validate` decides."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from maskgate.detect.labels import check_label
from maskgate.detect.spans import Span
from maskgate.detect.trie import alternation

LOCALES = ("us", "uk", "au", "nz", "es")
CONTEXT_WINDOW = 40
# Bump when validation or acceptance logic changes, so cached analyses keyed by the layer's
# fingerprint are not reused across rule changes.
RULES_VERSION = "2026.12-3"
# The first digit of a number that is not glued to a word, a decimal point, a sign or a dash.
# Matching the digit first and looking behind afterwards lets the regex engine skip ahead to digits
# (a leading lookbehind makes it try every position: ~4x slower). Consumes one digit.
DIGIT_START = r"[0-9](?<![\w.+-][0-9])"


@runtime_checkable
class Finder(Protocol):
    """Anything RegexLayer can run: a Recognizer, or a small class with its own `find` (phones).

    An optional `requires` attribute (tuple of lower-case substrings) lets the layer skip the
    finder when none of them occurs in the lower-cased text.
    """

    name: str
    label: str
    locale: str

    def find(self, text: str) -> Iterable[Span]: ...


@dataclass(frozen=True)
class Recognizer:
    """One entity format.

    `group` selects the part of the match that is the entity (so a pattern can require context
    such as `user=` without masking it); a tuple of groups names alternatives, the first that
    took part in the match is used. `validate` gets that part and returns False to reject;
    `accept` gets the whole match (with `.string`, for looking around it) and may reject too.
    Matches with `context` words (whole words, case-insensitive) within CONTEXT_WINDOW chars
    before them get `context_score`; with `require_context` a match without context is dropped.
    `requires` is a cheap pre-check:
    lower-case substrings of which at least one must occur in the lower-cased text. `prefix` is a
    lower-case, case-sensitive regex every match starts with: the full pattern is then tried only
    where it occurs in the lower-cased text.
    """

    name: str
    label: str
    pattern: str
    score: float = 0.9
    validate: Callable[[str], bool] | None = None
    group: int | str | tuple[int | str, ...] = 0
    flags: int = 0
    context: tuple[str, ...] = ()
    context_score: float | None = None
    locale: str = "any"
    accept: Callable[[re.Match[str]], bool] | None = None
    require_context: bool = False
    requires: tuple[str, ...] = ()
    prefix: str | None = None
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    context_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    prefix_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_label(self.label)
        object.__setattr__(self, "compiled", re.compile(self.pattern, self.flags))
        object.__setattr__(self, "prefix_re", re.compile(self.prefix) if self.prefix else None)
        words = "|".join(re.escape(w.lower()) for w in self.context)
        # Context words are whole words (`_` may follow: `nhs_no`): `ird` is context, `third` and
        # `abnormal` are not.
        object.__setattr__(self, "context_re", re.compile(rf"\b(?:{words})(?![a-z0-9])") if words else None)
        if self.require_context and not self.requires:
            # No context word anywhere in the text: nothing this recognizer could accept.
            object.__setattr__(self, "requires", tuple(w.lower() for w in self.context))

    def find(self, text: str) -> Iterable[Span]:
        groups = self.group if isinstance(self.group, tuple) else (self.group,)
        for m in self._matches(text):
            # With several groups (alternatives), the first that took part in the match counts.
            group = next((g for g in groups if m.start(g) >= 0), groups[0])
            start, end = m.span(group)
            if start < 0 or end <= start:
                continue
            if self.validate is not None and not self.validate(m.group(group)):
                continue
            if self.accept is not None and not self.accept(m):
                continue
            score = self.score
            if self.context:
                has = self._has_context(text, start)
                if self.require_context and not has:
                    continue
                if has and self.context_score is not None:
                    score = self.context_score
            yield Span(start, end, self.label, score, f"regex:{self.name}")

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        """`compiled.finditer(text)`; with `prefix`, only tried where the prefix occurs in the
        lower-cased text (case-insensitive patterns are ~10x slower to scan than a case-sensitive
        prefix). Every match must start with a `prefix` match for the two to agree."""
        low = text.lower() if self.prefix_re is not None else ""
        if self.prefix_re is None or len(low) != len(text):
            yield from self.compiled.finditer(text)
            return
        pos = 0
        search, match = self.prefix_re.search, self.compiled.match
        while (hit := search(low, pos)) is not None:
            m = match(text, hit.start())
            if m is None:
                pos = hit.start() + 1  # another start may lie inside this prefix hit
                continue
            yield m
            pos = max(m.end(), hit.start() + 1)

    def _has_context(self, text: str, start: int) -> bool:
        if self.context_re is None:
            return False
        return self.context_re.search(text[max(0, start - CONTEXT_WINDOW) : start].lower()) is not None


# No-break, figure, thin and other fixed-width spaces, and the hyphen look-alikes (not the en or em
# dash, which separate ranges and clauses): text pasted from PDFs, web pages and word processors puts
# them between a label and its value and inside numbers (`MRN:\u00a0551203`, `536\u201122\u20111234`).
# Each is one character for one, so offsets stay the same.
_PLAIN = str.maketrans(
    {
        c: " "
        for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
    }
    | {c: "-" for c in "\u2010\u2011\u2012\u2212"}
)


class RequiredWords:
    """Which of the recognizers' required words the lower-cased text holds, in one pass: ~450
    substring searches of a 2 KB text cost ~0.5 ms, one scan with the words as a trie ~0.2 ms.

    At each position the trie (in a lookahead) matches the longest word starting there; every
    shorter word starting there is a prefix of it, so the words present are the prefixes (that are
    words) of the longest words found: exactly the words `w` with `w in low`."""

    def __init__(self, requires: Iterable[tuple[str, ...]]) -> None:
        self.sets = {req: frozenset(req) for req in requires if req}
        words = set().union(*self.sets.values())
        self.finder = re.compile("(?=(" + alternation(words) + "))") if words else None
        self.prefixes = {w: frozenset(w[:k] for k in range(len(w) + 1) if w[:k] in words) for w in words}

    def present(self, low: str) -> frozenset[str]:
        if self.finder is None:
            return frozenset()
        return frozenset().union(*(self.prefixes[w] for w in set(self.finder.findall(low))))

    def any_in(self, requires: tuple[str, ...], low: str, present: frozenset[str]) -> bool:
        """Does `low` hold one of `requires`? (words not known at construction: searched)"""
        known = self.sets.get(requires)
        if known is None:
            return any(word in low for word in requires)
        return not known.isdisjoint(present)


class RegexLayer:
    """All recognizers of the selected locales (plus operator patterns) over the text."""

    name = "regex"

    def __init__(self, recognizers: Sequence[Recognizer | Finder]) -> None:
        self.recognizers = list(recognizers)
        self._words = RequiredWords(getattr(r, "requires", ()) for r in self.recognizers)

    def detect(self, text: str) -> list[Span]:
        out: list[Span] = []
        low: str | None = None
        present: frozenset[str] = frozenset()
        if not text.isascii():
            text = text.translate(_PLAIN)
        for r in self.recognizers:
            requires: tuple[str, ...] = getattr(r, "requires", ())
            if requires:
                if low is None:
                    low = text.lower()
                    present = self._words.present(low)
                if not self._words.any_in(requires, low, present):
                    continue
            out.extend(r.find(text))
        return out

    def fingerprint(self) -> str:
        # RULES_VERSION covers what the description cannot see (validate/accept code).
        desc = RULES_VERSION + repr([_describe(r) for r in self.recognizers])
        return "regex:" + hashlib.sha256(desc.encode()).hexdigest()[:16]


def _describe(r: Recognizer | Finder) -> tuple[object, ...]:
    if isinstance(r, Recognizer):
        return (r.name, r.label, r.pattern, r.score, r.group, r.flags, r.context, r.require_context, r.prefix)
    return (r.name, r.label, r.locale, getattr(r, "version", type(r).__qualname__))


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
