"""Case-sensitive twins of case-insensitive patterns, run over the lower-cased text.

Where `fastre.pick` gives a pattern's ASCII twin (the text is ASCII, or its non-ASCII characters
have no case), `text.lower()` changes only the ASCII letters and keeps every offset. A pattern with
IGNORECASE then finds the same matches in `text` as its twin without IGNORECASE finds in the
lower-cased text, once every upper-case letter the pattern names (a literal, or a range in a set)
is written in lower case too; and the engine, which folds each character at each step under
IGNORECASE, scans 2-4x faster. Inline flag changes (`(?-i:...)`) get no folded twin.

A folded match reads the lower-cased text: `finditer` gives the ASCII twin's own match at each start
it finds (the same span and groups, over the original text) for callers that read groups.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

from maskgate.detect.fastre import pick, sre_compiler, sre_parser
from maskgate.detect.fastre import sre_constants as _c

_folded: dict[re.Pattern[str], re.Pattern[str] | None] = {}
_lock = threading.Lock()
_last: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """text.lower(), remembered for the last text (the layers ask it of one text many times)."""
    global _last
    last = _last
    if last[0] is not text:
        last = _last = (text, text.lower())
    return last[1]


def fold(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """`rx`'s case-sensitive ASCII twin for lower-cased text, or None where there is none."""
    found = _folded.get(rx, rx)
    if found is rx:
        with _lock:
            found = _folded[rx] = _fold(rx)
    return found


def folded_for(rx: re.Pattern[str], text: str) -> re.Pattern[str] | None:
    """fold(rx) where it finds in lowered(text) what `rx` finds in `text`, else None."""
    if not rx.flags & re.IGNORECASE or pick(rx, text) is rx:
        return None
    return fold(rx)


def finditer(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """rx.finditer(text), the same matches (over `text`), found by the folded twin where it holds."""
    folded = folded_for(rx, text)
    twin = pick(rx, text)
    if folded is None:
        yield from twin.finditer(text)
        return
    match = twin.match
    for m in folded.finditer(lowered(text)):
        real = match(text, m.start())
        if real is None or real.end() != m.end():  # pragma: no cover - cannot differ
            raise AssertionError("folded pattern disagrees")
        yield real


def search(rx: re.Pattern[str], text: str) -> bool:
    """Does rx.search(text) find anything? (the folded twin where it holds)"""
    folded = folded_for(rx, text)
    if folded is None:
        return pick(rx, text).search(text) is not None
    return folded.search(lowered(text)) is not None


def _fold(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    if sre_parser is None or not isinstance(rx.pattern, str) or not rx.flags & re.IGNORECASE:
        return None
    if rx.flags & re.LOCALE:
        return None
    try:
        tree = sre_parser.parse(rx.pattern, rx.flags)
        if not _lower(tree):
            return None
        flags = (tree.state.flags & ~(re.IGNORECASE | re.UNICODE)) | re.ASCII
        tree.state.flags = flags
        out: re.Pattern[str] = sre_compiler.compile(tree, flags)
        return out
    except Exception:  # a parser of another Python: keep the ASCII twin
        return None


def _up(code: int) -> bool:
    return 65 <= code <= 90


def _lower(node: Any) -> bool:
    """Rewrite the parsed pattern in place for lower-cased text; False where it cannot be."""
    items = node.data if hasattr(node, "data") else node
    for i, item in enumerate(items):
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], _c._NamedIntConstant)):
            if _nested(item) and not _lower(item):
                return False
            continue
        op, av = item
        if op in (_c.LITERAL, _c.NOT_LITERAL):
            if _up(av):
                items[i] = (op, av + 32)
        elif op is _c.IN:
            extra = []
            for sop, sav in av:
                if sop is _c.LITERAL and _up(sav):
                    extra.append((_c.LITERAL, sav + 32))
                elif sop is _c.RANGE:
                    lo, hi = max(sav[0], 65), min(sav[1], 90)
                    if lo <= hi:
                        extra.append((_c.RANGE, (lo + 32, hi + 32)))
                elif sop not in (_c.LITERAL, _c.RANGE, _c.NEGATE, _c.CATEGORY):
                    return False
            av.extend(extra)  # upper case never occurs in lower-cased text: keep it, add lower
        elif op is _c.SUBPATTERN:
            if av[1] or av[2]:
                return False  # (?i:...), (?-i:...), (?a:...)
            if not _lower(av[3]):
                return False
        elif op in (_c.GROUPREF, _c.GROUPREF_IGNORE, _c.AT, _c.ANY, _c.CATEGORY):
            continue
        elif op in (
            _c.LITERAL_IGNORE,
            _c.NOT_LITERAL_IGNORE,
            _c.LITERAL_UNI_IGNORE,
            _c.NOT_LITERAL_UNI_IGNORE,
        ):
            return False  # the parser gives none of these; a compiler's form is not known here
        elif _nested(av) and not _lower(av):
            return False
    return True


def _nested(node: Any) -> bool:
    return isinstance(node, (list, tuple)) or hasattr(node, "data")
