"""United States: Social Security numbers and ITINs (validated with python-stdnum)."""

from __future__ import annotations

import re

from stdnum.us import itin, ssn

from maskgate.detect.patterns.base import DIGIT_START, Finder, Recognizer

_SEP = re.compile(r"[ -]")
SSN_CONTEXT = ("ssn", "social security", "ss#", "ss no", "soc sec")
ITIN_CONTEXT = ("itin", "taxpayer", "tax id")

# 3-2-4 digits with dashes, not part of a longer number.
_FORMATTED = DIGIT_START + r"\d{2}-\d{2}-\d{4}(?![\w]|[.-]\d)"
# Nine digits bare or spaced 3-2-4 (`128 32 4096` is as likely a row of a table): context needed.
_BARE = DIGIT_START + r"\d{2}( ?)\d{2}\1\d{4}(?![\w]|[.-]\d)"


def _ssn_ok(value: str) -> bool:
    return ssn.is_valid(_SEP.sub("", value))


def _itin_ok(value: str) -> bool:
    return itin.is_valid(_SEP.sub("", value))


SSN = Recognizer(
    "us_ssn", "US_SSN", _FORMATTED, score=0.95, validate=_ssn_ok, context=SSN_CONTEXT, context_score=1.0,
    locale="us",
)  # fmt: skip
# Bare or spaced digits are an SSN only when the text says so nearby.
SSN_BARE = Recognizer(
    "us_ssn_bare", "US_SSN", _BARE, score=0.7, validate=_ssn_ok, context=SSN_CONTEXT, require_context=True,
    locale="us",
)  # fmt: skip
ITIN = Recognizer(
    "us_itin", "US_ITIN", _FORMATTED, score=0.95, validate=_itin_ok, context=ITIN_CONTEXT,
    context_score=1.0, locale="us",
)  # fmt: skip
ITIN_BARE = Recognizer(
    "us_itin_bare", "US_ITIN", _BARE, score=0.7, validate=_itin_ok, context=ITIN_CONTEXT,
    require_context=True, locale="us",
)  # fmt: skip

RECOGNIZERS: list[Recognizer | Finder] = [SSN, SSN_BARE, ITIN, ITIN_BARE]
