"""Identifiers and SSNs with invisible or full-width characters inside (`4410<ZWSP>2093<ZWSP>88`,
`５３６-２２-１２３４`, a soft hyphen in an account number): adversarial text and copy-paste from PDFs
and East Asian input methods.

The labelled-id, loose-id and SSN rules read ASCII digits and separators, so one hidden character
splits a value in two and each half is too short to be an id. Here those rules run again over a
plain view of the text (format characters dropped, full-width ASCII folded), and only the values
that contained such a character are mapped back: the rest the rules already found in the text
itself. Texts without such characters cost one regex search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.identifiers import LABELLED_ID
from maskgate.detect.patterns.loose_ids import LOOSE_ID
from maskgate.detect.spans import Span

# Soft hyphen, Mongolian vowel separator, zero-width and directional marks, word joiner and
# invisible operators, BOM; full-width ASCII (U+FF01..U+FF5E).
_HIDDEN = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\uff01-\uff5e]")
_FULL_WIDTH_OFFSET = 0xFEE0


def plain_view(text: str) -> tuple[str, list[int]] | None:
    """The text without format characters and with full-width ASCII folded, and for each of its
    characters (plus the end) the offset in `text`; None when there is nothing to change."""
    hits = list(_HIDDEN.finditer(text))
    if not hits:
        return None
    parts: list[str] = []
    where: list[int] = []
    pos = 0
    for m in hits:
        i = m.start()
        parts.append(text[pos:i])
        where.extend(range(pos, i))
        c = text[i]
        if "\uff01" <= c <= "\uff5e":
            parts.append(chr(ord(c) - _FULL_WIDTH_OFFSET))
            where.append(i)
        pos = i + 1
    parts.append(text[pos:])
    where.extend(range(pos, len(text)))
    where.append(len(text))
    return "".join(parts), where


class PlainViewFinder:
    """Runs `finders` over the plain view; yields the spans that had a hidden character inside."""

    def __init__(self, name: str, finders: Iterable[Recognizer | Finder], locale: str) -> None:
        self.name = name
        self.label = "ACCOUNT_NUMBER"  # nominal; spans keep their finders' labels
        self.locale = locale
        self.version = "1"
        self.requires: tuple[str, ...] = ()
        self._finders = tuple(finders)

    def find(self, text: str) -> Iterator[Span]:
        view = plain_view(text)
        if view is None:
            return
        plain, where = view
        seen: set[tuple[int, int, str]] = set()
        for finder in self._finders:
            for s in finder.find(plain):
                start, end = where[s.start], where[s.end - 1] + 1
                if _HIDDEN.search(text, start, end) is None or (start, end, s.label) in seen:
                    continue  # found in the text itself too, or by another of the finders
                seen.add((start, end, s.label))
                yield Span(start, end, s.label, s.score, f"regex:{self.name}")


def _ssn_finders() -> list[Recognizer | Finder]:
    from maskgate.detect.patterns import us

    return list(us.RECOGNIZERS)


PLAIN_IDS = PlainViewFinder("plain_ids", (LABELLED_ID, LOOSE_ID), "any")
PLAIN_SSN = PlainViewFinder("plain_ssn", _ssn_finders(), "us")
RECOGNIZERS: list[Finder] = [PLAIN_IDS, PLAIN_SSN]
