"""ASCII twins of case-insensitive patterns, for texts written in ASCII (most of an agent's traffic).

With IGNORECASE, Python's `re` folds every character through the full Unicode case tables and can
skip no branch of an alternation by its first letter; the same pattern compiled with re.ASCII runs
~1.5x faster. On a text of ASCII characters the two find exactly the same matches when:

- the text holds none of U+001C..U+001F: `\\s` matches those in Unicode mode only (every other
  class, `\\w`, `\\d`, `\\b`, agrees on ASCII characters);
- the pattern names no non-ASCII character that is a case variant of an ASCII one (KELVIN SIGN
  `K` matches `k` in Unicode mode only; `ſ`, `İ`, `ı` likewise): checked once per pattern, on its
  parsed form, so escapes and ranges count too.

`pick(rx, text)` gives the twin when both hold, else `rx` itself. Use it for whole-text scans: it
reads the whole text once (remembered for the last text), never inside a loop over positions.
"""

from __future__ import annotations

import importlib
import re
import threading
from typing import Any

# The standard library's own regex parser and case tables (what a pattern names, which case pairs
# the engine adds): internal modules, so any surprise means no twin, never a different match.
try:
    _parser: Any = importlib.import_module("re._parser")
    _constants: Any = importlib.import_module("re._constants")
    _EXTRA_CASES: dict[int, tuple[int, ...]] = importlib.import_module("re._casefix")._EXTRA_CASES
    _tolower: Any = importlib.import_module("_sre").unicode_tolower
    _ASCII_EXTRA = {v for a in range(128) for v in _EXTRA_CASES.get(_tolower(a), ())}
except (ImportError, AttributeError):  # pragma: no cover - another Python
    _parser = None

_UNICODE_ONLY_SPACE = re.compile("[\x1c-\x1f]")
_twins: dict[re.Pattern[str], re.Pattern[str] | None] = {}
_lock = threading.Lock()
_last: tuple[str, bool] = ("", True)


def ascii_text(text: str) -> bool:
    """Does every pattern's ASCII twin find in `text` what the pattern finds?"""
    global _last
    last_text, verdict = _last
    if text is last_text:
        return verdict
    verdict = text.isascii() and _UNICODE_ONLY_SPACE.search(text) is None
    _last = (text, verdict)
    return verdict


def pick(rx: re.Pattern[str], text: str) -> re.Pattern[str]:
    """`rx`'s ASCII twin where it finds the same matches in `text`, else `rx`."""
    if not ascii_text(text):
        return rx
    found = _twins.get(rx, rx)  # rx: not computed yet (None: no twin)
    if found is rx:
        with _lock:
            found = _twins[rx] = twin(rx)
    return found or rx


def twin(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """`rx` compiled for ASCII, or None where the two could differ on ASCII text."""
    if _parser is None or not isinstance(rx.pattern, str) or rx.flags & re.LOCALE:
        return None
    try:
        for lo, hi in _code_ranges(_parser.parse(rx.pattern, rx.flags)):
            lo = max(lo, 128)
            if hi >= lo and (hi - lo > 200_000 or any(map(_ascii_partner, range(lo, hi + 1)))):
                return None
        return re.compile(rx.pattern, (rx.flags & ~re.UNICODE) | re.ASCII)
    except Exception:  # an inline (?u), a parser of another Python: keep the pattern as it is
        return None


def _code_ranges(node: Any) -> Any:
    """(first, last) code point of every literal and range in a parsed pattern."""
    c = _constants
    for item in node:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], c._NamedIntConstant):
            op, av = item
            if op in (c.LITERAL, c.NOT_LITERAL):
                yield av, av
                continue
            if op is c.RANGE:
                yield av
                continue
            item = av
        if isinstance(item, (list, tuple)) or hasattr(item, "data"):
            yield from _code_ranges(item.data if hasattr(item, "data") else item)


def _ascii_partner(code: int) -> bool:
    """Does case-insensitive matching pair this non-ASCII character with an ASCII one? The engine
    pairs characters of one simple lower case (KELVIN SIGN and `k`) plus its table of extra pairs
    (`ſ` and `s`); `ß` pairs with no ASCII letter."""
    low = _tolower(code)
    return low < 128 or low in _ASCII_EXTRA or any(v < 128 for v in _EXTRA_CASES.get(low, ()))
