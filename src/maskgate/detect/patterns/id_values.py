"""What a labelled value must look like to be an identifier (`identifiers.py`): the shape check
(digits enough, not a date, time, amount, version, year or file name) and the checksums of the
numbers that have one (NPI, DEA)."""

from __future__ import annotations

import re

from stdnum import luhn

_CODE_NAME = re.compile(r"[a-z][A-Z]|[0-9_][A-Z][a-z]{2,}")  # `RFC822Policy`, `getUser`: code
DATE = re.compile(
    r"(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)?\d\d"
    r"|(?:19|20)\d\d[-/](?:19|20)?\d\d"  # year ranges `2024-2025`, `2023/24`
    r"|\d{1,2}:\d\d(?::\d\d)?"  # times
)
_DECIMAL = re.compile(r"\d+[.,]\d+|\d+(?:\.\d+){2,}")  # amounts, versions
_YEAR = re.compile(r"(?:19|20)\d\d")


def _dotted_id(value: str) -> bool:
    """Digit groups joined by dots that no amount, version or address is written in: 7+ digits, a
    group of 4+ (`0044.1772.3`, `7720.1190.4`); with one dot, 4+ digits on each side."""
    groups = value.split(".")
    if len(groups) < 2 or not all(g.isdigit() for g in groups) or sum(map(len, groups)) < 7:
        return False
    lengths = [len(g) for g in groups]
    return min(lengths) >= 4 if len(groups) == 2 else max(lengths) >= 4


_FILE_NAME = re.compile(r".*\.[a-z]{2,4}")  # `2023-report.pdf`


def shape_ok(value: str, *, loose: bool) -> bool:
    """An identifier: 4+ digits (5+ after a bare space, where a label word may be prose), or 3 with
    two letters in a code of 5+ characters (`321XYZ`); at least two different digits; not a date,
    a time, an amount, a version, a year or a file name."""
    digits = sum(c.isdigit() for c in value)
    if value[:1] in "*•":  # `****4471`: the visible tail of a masked number
        return digits >= 3 and len({c for c in value if c.isdigit()}) >= 2
    letters = sum(c.isalpha() for c in value)
    enough = digits >= 4 or (digits == 3 and letters >= 2 and digits + letters >= 5)
    if not enough or (loose and digits < 5) or len({c for c in value if c.isdigit()}) < 2:
        return False
    if _CODE_NAME.search(value) or _FILE_NAME.fullmatch(value):
        return False
    compact = value.replace(" ", "")
    if DATE.fullmatch(compact) or _YEAR.fullmatch(compact):
        return False
    return _dotted_id(compact) or not _DECIMAL.fullmatch(compact)


def npi_is_valid(value: str) -> bool:
    """US National Provider Identifier: 10 digits, Luhn over the card-issuer prefix 80840."""
    digits = value.replace("-", "").replace(" ", "")
    return len(digits) == 10 and digits.isdigit() and digits[0] in "12" and luhn.is_valid("80840" + digits)


_DEA = re.compile(r"[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}")


def dea_is_valid(value: str) -> bool:
    """DEA registration number: two letters, seven digits; the last digit is the last digit of
    (d1 + d3 + d5) + 2 * (d2 + d4 + d6)."""
    value = value.upper()
    if not _DEA.fullmatch(value):
        return False
    d = [int(c) for c in value[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


CHECKS = {"NPI": npi_is_valid, "DEA": dea_is_valid}
# Right after its label, a number of the right shape is the writer's NPI or DEA number even where the
# check digit fails (a typo, an example written by hand): the label says what it is, as for SSNs.
_LABELLED_SHAPES = {"NPI": re.compile(r"[12]\d{9}"), "DEA": re.compile(r"[A-Za-z][A-Za-z9]\d{7}")}


def checked_ok(value: str, key: str) -> bool:
    compact = value.replace("-", "").replace(" ", "")
    return CHECKS[key](value) or _LABELLED_SHAPES[key].fullmatch(compact) is not None
