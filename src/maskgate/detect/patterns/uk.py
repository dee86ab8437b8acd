"""United Kingdom: National Insurance numbers, NHS numbers, postcodes."""

from __future__ import annotations

import re

from stdnum.gb import nhs

from maskgate.detect.patterns.base import DIGIT_START, Finder, Recognizer

# -- National Insurance number ------------------------------------------------------------------
# python-stdnum 2.2 has no NINO module; HMRC's rules: first letter not D F I Q U V, second letter
# not D F I O Q U V, prefixes BG GB KN NK NT TN ZZ never issued, suffix A-D.
_NINO_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def _nino_ok(value: str) -> bool:
    return value[:2].upper() not in _NINO_BAD_PREFIXES


NINO = Recognizer(
    "uk_nino",
    "UK_NINO",
    r"(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?: ?\d{2}){3} ?[A-D](?![A-Za-z0-9])",
    score=0.95,
    validate=_nino_ok,
    context=("national insurance", "nino", "ni number", "ni no"),
    context_score=1.0,
    locale="uk",
)

# -- NHS number (mod 11, python-stdnum) ----------------------------------------------------------
NHS_CONTEXT = ("nhs", "health service", "patient")
_NHS_SEP = re.compile(r"[ -]")


def _nhs_ok(value: str) -> bool:
    digits = _NHS_SEP.sub("", value)
    return len(set(digits)) > 1 and nhs.is_valid(digits)


# 3-3-4 with dashes: low score alone (US phone numbers share the shape), sure with context.
# Bare or spaced (`943 476 5919` could be three table columns): only with context.
NHS = Recognizer(
    "uk_nhs",
    "UK_NHS",
    DIGIT_START + r"\d{2}-\d{3}-\d{4}(?![\w]|[.-]\d)",
    score=0.6,
    validate=_nhs_ok,
    context=NHS_CONTEXT,
    context_score=1.0,
    locale="uk",
)
NHS_BARE = Recognizer(
    "uk_nhs_bare",
    "UK_NHS",
    DIGIT_START + r"\d{2}( ?)\d{3}\1\d{4}(?![\w]|[.-]\d)",
    score=0.95,
    validate=_nhs_ok,
    context=NHS_CONTEXT,
    require_context=True,
    locale="uk",
)

# -- Postcodes ------------------------------------------------------------------------------------
# Full postcodes only (outward + inward), upper case. Outward: A9, A99, A9A, AA9, AA99, AA9A.
_OUTWARD = (
    r"(?:[A-PR-UWYZ]\d[A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY]|[A-PR-UWYZ][A-HK-Y]\d\d?"
    r"|[A-PR-UWYZ]\d\d?)"
)
_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
POSTCODE_CONTEXT = ("postcode", "post code", "postal code", "address")

POSTCODE = Recognizer(
    "uk_postcode",
    "POSTCODE",
    rf"(?<![A-Za-z0-9-])(?:{_OUTWARD} {_INWARD}|GIR 0AA)(?![A-Za-z0-9-])",
    score=0.9,
    context=POSTCODE_CONTEXT,
    context_score=1.0,
    locale="uk",
)
# Without the space (`SW1A1AA`) the shape is too close to identifiers; only with context.
POSTCODE_COMPACT = Recognizer(
    "uk_postcode_compact",
    "POSTCODE",
    rf"(?<![A-Za-z0-9-]){_OUTWARD}{_INWARD}(?![A-Za-z0-9-])",
    score=0.9,
    context=POSTCODE_CONTEXT,
    require_context=True,
    locale="uk",
)

RECOGNIZERS: list[Recognizer | Finder] = [NINO, NHS, NHS_BARE, POSTCODE, POSTCODE_COMPACT]
