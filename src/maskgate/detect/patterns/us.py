"""United States: Social Security numbers and ITINs (validated with python-stdnum)."""

from __future__ import annotations

import re

from stdnum.us import itin, ssn

from maskgate.detect.patterns.base import DIGIT_START, Finder, Recognizer

_SEP = re.compile(r"[ .\t-]")
SSN_CONTEXT = (
    "ssn", "social security", "ss#", "ss no", "soc sec", "socsec", "social sec", "socialnum", "social_security",
    "soc_sec",
)  # fmt: skip
ITIN_CONTEXT = ("itin", "taxpayer", "tax id")

# 3-2-4 digits with dashes, not part of a longer number.
_FORMATTED = DIGIT_START + r"\d{2}-\d{2}-\d{4}(?![\w]|[.-]\d)"
# 3-2-4 with dots (`536.22.1234`): nothing else is written so, but a dash is the norm, so lower.
_DOTTED = DIGIT_START + r"\d{2}\.\d{2}\.\d{4}(?![\w]|[.-]\d)"
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
SSN_DOTTED = Recognizer(
    "us_ssn_dotted", "US_SSN", _DOTTED, score=0.6, validate=_ssn_ok, context=SSN_CONTEXT, context_score=1.0,
    locale="us",
)  # fmt: skip


def _labelled_ssn_ok(m: re.Match[str]) -> bool:
    digits = _SEP.sub("", m.group("value"))
    return len(digits) == 9 and len(set(digits)) > 1


# Right after an SSN label (`SSN: `, `SSN#`, `Social Security No.`, `SOCIALNUM=`, `"ssn": "`), any nine
# digits are the writer's SSN: dashed, dotted, spaced, spaced out digit by digit (`5 3 6 - 2 2 - ...`),
# even a reserved or advertising number (`078-05-1120`, `987-65-4321`) that validation rejects.
SSN_LABELLED = Recognizer(
    "us_ssn_labelled",
    "US_SSN",
    r"(?i:(?:(?<=[_-])|(?<![a-z0-9]))(?:ssn|ss[ ]?no\.?|ss\#|socialnum|soc(?:ial)?\.?[ _.-]?sec(?:urity)?\.?)"
    r"(?:[ _.-]?(?:number|num|nbr|no\.?|nr|\#))?s?)"
    r"\\?[\"']?[ \t]*(?:[:=#]|is|was)?[ \t]*\\?[\"']?\#?[ \t]*"
    r"(?P<value>[0-9](?<![\w.+-][0-9])(?:[ \t]{0,2}[-.]?[ \t]{0,2}\d){8})(?!\d|[ .-]\d)",
    score=0.97,
    group="value",
    accept=_labelled_ssn_ok,
    requires=("ssn", "ss#", "ss no", "soc", "social"),
    prefix=r"ssn|ss|soc",
    locale="us",
)
_GROUPS_324 = re.compile(r"\d{3}[-.]\d{2}[-.]\d{4}")


def _tin_value_ok(m: re.Match[str]) -> bool:
    """Nine digits written as an SSN or ITIN is (3-2-4, bare, or spaced out), not an EIN's 2-7."""
    value = m.group("value").replace(" ", "").replace("\t", "")
    digits = [c for c in value if c.isdigit()]
    return len(set(digits)) > 1 and (value.isdigit() or _GROUPS_324.fullmatch(value) is not None)


# Right after a taxpayer-number label written in capitals (`TIN:`, `TIN/ITIN:`, `ITIN #`) or spelled
# out (`taxpayer ID`): a person's SSN or ITIN on 1099s, W-9s and KYC forms, spaced out too
# (`9 2 1 - 7 4 - 3 3 0 8`); an employer's EIN (2-7) is not this shape.
TIN_LABELLED = Recognizer(
    "us_tin_labelled",
    "US_SSN",
    r"(?:(?<![A-Za-z0-9])(?:I?TIN|(?i:taxpayer[ _.-]?(?:id|identification)))(?:[ _.-]?(?i:number|no\.?|\#))?)"
    r"[\\\"']?[ \t]*(?:[:=#]|is|was)?[ \t]*[\\\"']?\#?[ \t]*"
    r"(?P<value>[0-9](?<![\w.+-][0-9])(?:[ \t]{0,2}[-.]?[ \t]{0,2}\d){8})(?!\d|[ .-]\d)",
    score=0.96,
    group="value",
    accept=_tin_value_ok,
    requires=("tin", "taxpayer"),
    prefix=r"i?tin|taxpayer",
    locale="us",
)
_OCR_DIGITS = str.maketrans("OoIlSB", "001158")


def _ocr_ssn_ok(value: str) -> bool:
    """An OCR'd or retyped SSN with letters for digits (`5l8-3O-7726`): mostly digits, valid once read."""
    letters = sum(c.isalpha() for c in value)
    return 1 <= letters <= 3 and ssn.is_valid(value.translate(_OCR_DIGITS).replace("-", ""))


# 3-2-4 with dashes where a scanner or a typist put O, l, I, S or B for a digit: nothing else is
# written in that shape. It starts with a digit (the scan then only tries digits).
SSN_OCR = Recognizer(
    "us_ssn_ocr",
    "US_SSN",
    r"(?<![\w-])\d[0-9OoIlSB]{2}-[0-9OoIlSB]{2}-[0-9OoIlSB]{4}(?![\w-])",
    score=0.8,
    validate=_ocr_ssn_ok,
    context=SSN_CONTEXT,
    context_score=1.0,
    locale="us",
)
# An SSN label earlier on the same line (lower-cased text): `SSN`, `S.S.N.`, `SS#`, `Soc. Sec.`,
# `social security`, `SOCIALNUM`, or `social` as a field or said to be one (`Social: ...`,
# `your social is ...`; not `social media`).
_NEAR_LABEL = re.compile(
    r"(?<![a-z0-9])(?:ssn|s\.s\.n|ss\#|ss[ ]?no|socialnum|soc(?:ial)?\.?[ _.-]?sec(?:urity)?"
    r"|social(?=[ \t]*(?:[:#=]|no\b|num|is\b|was\b)))(?:[ _.-]?(?:number|num|nbr|no|nr))?(?![a-z])"
)
_NEAR = 60  # how far back the label may be
# Between the label and the value: a few words (`SSN on file is`, `SSN provided was`), a
# parenthesis (`Social Security Number (SSN):`), `/TIN`, markup (`<SSN>`); no other number and no
# sentence end, so that the label belongs to this value.
_SENTENCE_END = re.compile(r"[!?]|[.][ \t]+\S+[ \t]+\S")  # `no. ` is an abbreviation


def _label_before(m: re.Match[str]) -> bool:
    text = m.string
    start = m.start("value")
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - _NEAR) : start].lower()
    labels = list(_NEAR_LABEL.finditer(before))
    if not labels:
        return _label_above(text, line_start, start) or _label_after(text, m.end("value"))
    between = before[labels[-1].end() :]
    if _LAST4.search(between):
        return False  # `SSN (last 4) ...`: a fragment
    return len(between) <= 40 and not any(c.isdigit() for c in between) and not _SENTENCE_END.search(between)


_LAST4 = re.compile(r"last[ \t-]*(?:4|four)|ending")
# The label alone on the line above a value that starts its line (`Social Security Number:\n536221234`).
_LABEL_LINE = re.compile(r"[ \t*#|-]*(?:[a-z]+[ \t]+){0,2}$", re.IGNORECASE)
# The label right after the value (`536-22-1234 (SSN)`, `536221234 - social security no.`).
_LABEL_AFTER = re.compile(
    r"[ \t]*(?:\([ \t]*|[-–,][ \t]*|[ \t])(?i:ssn|social[ \t]+security|soc\.?[ \t]*sec)(?![a-z])"
)


_UNDERLINE = re.compile(r"[ \t]*[-=_]{3,}[ \t]*\r?")


def _label_above(text: str, line_start: int, start: int) -> bool:
    if line_start == 0 or text[line_start:start].strip(" \t*#|>-\"'"):
        return False
    above_start = text.rfind("\n", 0, line_start - 1) + 1
    if above_start and _UNDERLINE.fullmatch(text, above_start, line_start - 1):  # `SSN\n-----\n...`
        line_start, above_start = above_start, text.rfind("\n", 0, above_start - 1) + 1
    above = text[above_start : line_start - 1].rstrip(" \t:*#|=-\r")
    labels = list(_NEAR_LABEL.finditer(above.lower()))
    return (
        bool(labels)
        and labels[-1].end() >= len(above) - 8
        and _LABEL_LINE.fullmatch(above, 0, labels[0].start()) is not None
    )


def _label_after(text: str, end: int) -> bool:
    return _LABEL_AFTER.match(text, end) is not None


def _near_ok(m: re.Match[str]) -> bool:
    digits = [c for c in m.group("value") if c.isdigit()]
    return len(set(digits)) > 1 and _label_before(m)


# An SSN-shaped value (3-2-4 with one separator throughout, or nine bare digits) or a masked SSN that
# still shows more than the last four (`536-22-XXXX`, `536-2X-XXXX`), when an SSN label stands
# earlier on its line with only words between: the writer says what it is, so it needs no
# validation (`SSN on file is 000-12-3456`, `Social: 536221234`, `<SSN>219099999</SSN>`).
SSN_NEAR_LABEL = Recognizer(
    "us_ssn_near_label",
    "US_SSN",
    r"(?P<value>" + DIGIT_START + r"\d{2}(?:(?P<sep>[- .]?)\d{2}(?P=sep)\d{4}(?![\w]|[.-]\d)"
    r"|(?P<msep>[- .])(?:\d\d|\d[Xx*•#])(?P=msep)[Xx*•#]{4}(?![\w*•#])))",
    score=0.95,
    group="value",
    accept=_near_ok,
    requires=("ssn", "s.s.n", "ss#", "ss no", "soc"),
    locale="us",
)
# The last four digits of an SSN, said so (`SSN (last 4): 1234`, `SSN ending in 1234`, `last four of
# your social: 1234`): they are what call centres and forms verify identity with.
SSN_LAST4 = Recognizer(
    "us_ssn_last4",
    "US_SSN",
    r"(?i:(?:\bssn|social(?:[ \t]+security)?(?:[ \t]+(?:number|no\.?|#))?)[ \t]*\(?[ \t]*(?:last[ \t-]+(?:4|four)"
    r"(?:[ \t]+digits)?|ending(?:[ \t]+(?:in|with))?)\)?|\blast[ \t-]+(?:4|four)(?:[ \t]+digits)?[ \t]+of[ \t]+"
    r"(?:your|my|his|her|the)[ \t]+(?:ssn|social(?:[ \t]+security(?:[ \t]+number)?)?))"
    r"[ \t]*(?:is|was|[:#=-])?[ \t]*(?P<value>\d{4})(?![\d-])",
    score=0.9,
    group="value",
    requires=("ssn", "social"),
    locale="us",
)
ITIN = Recognizer(
    "us_itin", "US_ITIN", _FORMATTED, score=0.95, validate=_itin_ok, context=ITIN_CONTEXT,
    context_score=1.0, locale="us",
)  # fmt: skip
ITIN_BARE = Recognizer(
    "us_itin_bare", "US_ITIN", _BARE, score=0.7, validate=_itin_ok, context=ITIN_CONTEXT,
    require_context=True, locale="us",
)  # fmt: skip

RECOGNIZERS: list[Recognizer | Finder] = [
    SSN,
    SSN_BARE,
    SSN_DOTTED,
    SSN_LABELLED,
    SSN_NEAR_LABEL,
    SSN_LAST4,
    TIN_LABELLED,
    SSN_OCR,
    ITIN,
    ITIN_BARE,
]
