"""ASCII twins of case-insensitive patterns, for texts written (nearly) in ASCII: most of an agent's
traffic, and prose whose only non-ASCII characters are dashes, arrows, quotes and emoji.

With IGNORECASE, Python's `re` folds every character through the full Unicode case tables and can
skip no branch of an alternation by its first letter; the same pattern compiled with re.ASCII runs
~1.5x faster. The two find exactly the same matches in a text when:

- every character of the text is one the two modes treat alike: an ASCII character other than
  U+001C..U+001F (`\\s` matches those in Unicode mode only), or a non-ASCII one that is no letter,
  digit or white space and has no case (`—`, `→`, `’`, `…`, emoji): `\\w`, `\\d`, `\\s`, `\\b`
  and case folding then agree character by character;
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

# The standard library's own regex parser, compiler and case tables (what a pattern names, which case
# pairs the engine adds): internal modules, so any surprise means no twin, never a different match.
# The one place they are imported (foldre reads them from here).
try:
    sre_parser: Any = importlib.import_module("re._parser")
    sre_compiler: Any = importlib.import_module("re._compiler")
    sre_constants: Any = importlib.import_module("re._constants")
    _EXTRA_CASES: dict[int, tuple[int, ...]] = importlib.import_module("re._casefix")._EXTRA_CASES
    _tolower: Any = importlib.import_module("_sre").unicode_tolower
    _ASCII_EXTRA = {v for a in range(128) for v in _EXTRA_CASES.get(_tolower(a), ())}
except (ImportError, AttributeError):  # pragma: no cover - another Python
    sre_parser = sre_compiler = sre_constants = None

# The characters to look at: non-ASCII ones, and the ASCII ones only Unicode calls white space.
_SPECIAL = re.compile("[^\x00-\x1b\x20-\x7f]")
_twins: dict[re.Pattern[str], re.Pattern[str] | None] = {}
_inert: dict[str, bool] = {}
_lock = threading.Lock()
_last: tuple[str, bool] = ("", True)


def twin_safe(text: str) -> bool:
    """Does every pattern's ASCII twin find in `text` what the pattern finds?"""
    global _last
    last_text, verdict = _last
    if text is last_text:
        return verdict
    verdict = text.isascii() and _SPECIAL.search(text) is None
    if not verdict:
        verdict = all(map(_inert_char, set(_SPECIAL.findall(text))))
    _last = (text, verdict)
    return verdict


def _inert_char(ch: str) -> bool:
    """A non-ASCII character both modes treat alike: no letter, digit or space, and no case."""
    found = _inert.get(ch)
    if found is None:
        found = (
            ord(ch) >= 128
            and not ch.isalnum()
            and not ch.isspace()
            and ch.lower() == ch == ch.upper()
            and _tolower(ord(ch)) == ord(ch)
            and ord(ch) not in _EXTRA_CASES
        )
        if len(_inert) < 10_000:
            _inert[ch] = found
    return found


def pick(rx: re.Pattern[str], text: str) -> re.Pattern[str]:
    """`rx`'s ASCII twin where it finds the same matches in `text`, else `rx`."""
    if not twin_safe(text):
        return rx
    found = _twins.get(rx, rx)  # rx: not computed yet (None: no twin)
    if found is rx:
        with _lock:
            found = _twins[rx] = twin(rx)
    return found or rx


def twin(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """`rx` compiled for ASCII, or None where the two could differ on ASCII text."""
    if sre_parser is None or not isinstance(rx.pattern, str) or rx.flags & re.LOCALE:
        return None
    try:
        for lo, hi in _code_ranges(sre_parser.parse(rx.pattern, rx.flags)):
            lo = max(lo, 128)
            if hi >= lo and (hi - lo > 200_000 or any(map(_ascii_partner, range(lo, hi + 1)))):
                return None
        return re.compile(rx.pattern, (rx.flags & ~re.UNICODE) | re.ASCII)
    except Exception:  # an inline (?u), a parser of another Python: keep the pattern as it is
        return None


def _code_ranges(node: Any) -> Any:
    """(first, last) code point of every literal and range in a parsed pattern."""
    c = sre_constants
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
