"""New Zealand: IRD numbers (python-stdnum) and National Health Index numbers."""

from __future__ import annotations

import re

from stdnum.nz import ird

from maskgate.detect.patterns.base import DIGIT_START, Finder, Recognizer

_SEP = re.compile(r"[ -]")
IRD_CONTEXT = ("ird", "inland revenue", "gst", "tax number")
NHI_CONTEXT = ("nhi", "health index", "patient", "health number")


def _ird_ok(value: str) -> bool:
    return ird.is_valid(_SEP.sub("", value))


IRD = Recognizer(
    "nz_ird",
    "NZ_IRD",
    DIGIT_START + r"\d{1,2}-\d{3}-\d{3}(?![\w]|[.-]\d)",
    score=0.8,
    validate=_ird_ok,
    context=IRD_CONTEXT,
    context_score=1.0,
    locale="nz",
)
IRD_BARE = Recognizer(
    "nz_ird_bare",
    "NZ_IRD",
    DIGIT_START + r"(?:\d{7,8}|\d{1,2} \d{3} \d{3})(?![\w]|[.-]\d)",
    score=0.9,
    validate=_ird_ok,
    context=IRD_CONTEXT,
    require_context=True,
    locale="nz",
)

# -- NHI ------------------------------------------------------------------------------------------
# python-stdnum 2.2 has no NHI module. HISO 10046: letters exclude I and O and count A=1 .. Z=24;
# weights 7..2 over the first six characters. Old format AAANNNN: check digit (11 - sum % 11) % 10,
# sum % 11 == 0 invalid. New format AAANNAA: check letter value 23 - sum % 23.
_NHI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_OLD_NHI = re.compile(r"[A-HJ-NP-Z]{3}\d{4}")
_NEW_NHI = re.compile(r"[A-HJ-NP-Z]{3}\d{2}[A-HJ-NP-Z]{2}")


def _nhi_value(c: str) -> int:
    return int(c) if c.isdigit() else _NHI_LETTERS.index(c) + 1


def nhi_is_valid(value: str) -> bool:
    v = value.upper()
    if _OLD_NHI.fullmatch(v):
        total = sum(w * _nhi_value(c) for w, c in zip(range(7, 1, -1), v[:6], strict=True)) % 11
        return total != 0 and (11 - total) % 10 == int(v[6])
    if _NEW_NHI.fullmatch(v):
        total = sum(w * _nhi_value(c) for w, c in zip(range(7, 1, -1), v[:6], strict=True)) % 23
        return 23 - total == _nhi_value(v[6])
    return False


# Upper case only: code is full of lower-case `abc1234`. Standard names (RFC7231) and linter codes
# (PLC0415, after `noqa`) are skipped.
_NOT_NHI_PREFIXES = frozenset({"RFC", "ISO", "CVE", "PEP", "UTF", "SHA", "AES", "RSA", "CWE", "ECMA", "KB"})


_LINT_CONTEXT = re.compile(r"(?i)\b(?:noqa|pylint|ruff|flake8|disable|ignore)\b")


def _nhi_ok(value: str) -> bool:
    return value[:3] not in _NOT_NHI_PREFIXES and not value.startswith("PL") and nhi_is_valid(value)


def _nhi_not_lint_code(m: re.Match[str]) -> bool:
    """`# noqa: PLC0415` and friends: linter rule codes share the old NHI shape."""
    return _LINT_CONTEXT.search(m.string[max(0, m.start() - 40) : m.start()]) is None


# Old format (3 letters + 4 digits) is the shape of countless codes (`DEP0055`, `ERR0001`) and one
# in eleven passes the check by chance: only with context. The new format is rarer: alone at 0.7.
NHI = Recognizer(
    "nz_nhi",
    "NZ_NHI",
    r"(?<![A-Za-z0-9_-])[A-HJ-NP-Z]{3}\d{2}[A-HJ-NP-Z]{2}(?![A-Za-z0-9_-])",
    score=0.7,
    validate=_nhi_ok,
    accept=_nhi_not_lint_code,
    context=NHI_CONTEXT,
    context_score=1.0,
    locale="nz",
)
NHI_OLD = Recognizer(
    "nz_nhi_old",
    "NZ_NHI",
    r"(?<![A-Za-z0-9_-])[A-HJ-NP-Z]{3}\d{4}(?![A-Za-z0-9_-])",
    score=0.95,
    validate=_nhi_ok,
    accept=_nhi_not_lint_code,
    context=NHI_CONTEXT,
    require_context=True,
    locale="nz",
)

RECOGNIZERS: list[Recognizer | Finder] = [IRD, IRD_BARE, NHI, NHI_OLD]
