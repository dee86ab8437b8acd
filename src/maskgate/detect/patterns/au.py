"""Australia: Tax File Numbers, ABNs (python-stdnum) and Medicare card numbers."""

from __future__ import annotations

import re

from stdnum.au import abn, tfn

from maskgate.detect.patterns.base import DIGIT_START, Finder, Recognizer

_SEP = re.compile(r"[ -]")
_END = r"(?![\w]|[.-]\d)"
TFN_CONTEXT = ("tfn", "tax file")
ABN_CONTEXT = ("abn", "business number")
MEDICARE_CONTEXT = ("medicare",)


def _digits(value: str) -> str:
    return _SEP.sub("", value)


def _tfn_ok(value: str) -> bool:
    d = _digits(value)
    return len(set(d)) > 1 and tfn.is_valid(d)


def _abn_ok(value: str) -> bool:
    d = _digits(value)
    return len(set(d)) > 1 and abn.is_valid(d)


def medicare_is_valid(value: str) -> bool:
    """Medicare card number: 10 digits (+ optional individual reference number), first digit 2-6,
    digit 9 = weighted sum (1, 3, 7, 9, 1, 3, 7, 9) of digits 1-8 mod 10. python-stdnum has none."""
    d = _digits(value)
    if len(d) not in (10, 11) or not d.isdigit() or d[0] not in "23456":
        return False
    total = sum(w * int(c) for w, c in zip((1, 3, 7, 9, 1, 3, 7, 9), d[:8], strict=True))
    return total % 10 == int(d[8])


TFN = Recognizer(
    "au_tfn", "AU_TFN", DIGIT_START + r"\d{2}-\d{3}-\d{3}" + _END, score=0.7, validate=_tfn_ok,
    context=TFN_CONTEXT, context_score=1.0, locale="au",
)  # fmt: skip
TFN_BARE = Recognizer(
    "au_tfn_bare", "AU_TFN", DIGIT_START + r"(?:\d{7,8}|\d{2} \d{3} \d{3})" + _END, score=0.9, validate=_tfn_ok,
    context=TFN_CONTEXT, require_context=True, locale="au",
)  # fmt: skip
ABN = Recognizer(
    "au_abn", "AU_ABN", DIGIT_START + r"\d([ -])\d{3}\1\d{3}\1\d{3}" + _END, score=0.95, validate=_abn_ok,
    context=ABN_CONTEXT, context_score=1.0, locale="au",
)  # fmt: skip
ABN_BARE = Recognizer(
    "au_abn_bare", "AU_ABN", DIGIT_START + r"\d{10}" + _END, score=0.9, validate=_abn_ok,
    context=ABN_CONTEXT, require_context=True, locale="au",
)  # fmt: skip
MEDICARE = Recognizer(
    "au_medicare", "AU_MEDICARE", r"[2-6](?<![\w.+-][2-6])\d{3}([ -])\d{5}\1\d(?:[ -/]\d)?" + _END, score=0.9,
    validate=medicare_is_valid, context=MEDICARE_CONTEXT, context_score=1.0, locale="au",
)  # fmt: skip
MEDICARE_BARE = Recognizer(
    "au_medicare_bare", "AU_MEDICARE", r"[2-6](?<![\w.+-][2-6])\d{9,10}" + _END, score=0.9,
    validate=medicare_is_valid, context=MEDICARE_CONTEXT, require_context=True, locale="au",
)  # fmt: skip

RECOGNIZERS: list[Recognizer | Finder] = [TFN, TFN_BARE, ABN, ABN_BARE, MEDICARE, MEDICARE_BARE]
