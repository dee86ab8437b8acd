"""Telephone numbers (label PHONE): where phones are found.

`PhoneFinder` runs `phonenumbers.PhoneNumberMatcher` on cheap candidate runs; the `phone_labelled`,
`phone_labelled_after` and `phone_cued` recognizers take numbers the matcher cannot judge alone
(local numbers, other countries' plans) where a phone label or a telephony verb says what they are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from maskgate.detect.patterns.base import CONTEXT_WINDOW, DIGIT_START, Finder, Recognizer
from maskgate.detect.spans import Span

PHONE_REGIONS = ("US", "GB", "AU", "NZ")
# National formats of other countries are tried only for numbers written with the trunk prefix `0`
# and separators (`0688 872 49 99`, `01.84.17.61.18`): several of these numbering plans (DE, IT) accept
# almost any digit run, so a run without that shape never gets here.
TRUNK_REGIONS = ("DE", "FR", "IT", "NL", "BE", "IE", "CH", "AT", "SE", "FI", "ZA")
PHONE_CONTEXT = (
    r"phone\w*", "telephone", "tel", "ph", r"call(?:ed|ing)?", "mobile", "mob", r"cell(?:phone)?", "fax", "sms",
    r"contact\w*", "ring", "whatsapp", "landline", r"text(?:ed|ing)?", "txt", "hmu", "msg", "reach",
)  # fmt: skip
# Whole words: `tel` is context, `telemetry_id` is not.
_PHONE_CONTEXT_RE = re.compile(r"\b(?:" + "|".join(PHONE_CONTEXT) + r")(?![a-z0-9])")
_DIGIT_GROUPS = re.compile(r"\d+")
# Candidate runs: optional `+`/`(`, then digits and phone separators; not starting inside a word,
# a longer number or a date (`2024-01-15`, `02-15-2019`).
_PHONE_CANDIDATE = re.compile(
    # `(` only when the number opens one too (`(Dr Lee ((770) 555-0160))`): `f(1234 5678)` is code.
    r"(?<![\w+*/^%.$#@])(?<!\((?!\())(?<![A-Za-z0-9]-)(?!\d{4}-\d\d-\d\d|\d\d[-/.]\d\d[-/.]\d{4})"
    r"(?:\+|\(\+?)?\d[\d \t().\-\u00a0]{5,24}\d"
    # An extension (`x4587`, ` ext. 12`) belongs to the number.
    r"(?P<ext>[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,6})?"
    # Not glued to a word, except a phone-type label (`020 7946 0958-Fax`).
    r"(?!\w|-(?!(?:Office|Fax|Mobile|Home|Work|Cell|Desk)\b)\w)"
)
# `+41 (0)96 471 07 95`: the national trunk prefix in parentheses after the country code.
_TRUNK_ZERO = re.compile(r"^(\+\d{1,3}[ \t.-]?)\(0\)")
_EIN_SHAPE = re.compile(r"\d\d-\d{7}")
# French national numbers: ten digits in pairs, trunk `0` first, one separator throughout.
_FR_PAIRS = re.compile(r"0[1-9]([ .])\d\d(?:\1\d\d){3}")
# NANP grouping: (415) 555-2671, 415-555-2671, 415.555.2671.
_NANP_SHAPE = re.compile(r"(?:\(\d{3}\)[ \t]?|\d{3}([-.]))\d{3}[-. ]\d{4}")
# The standard NANP writing, one separator throughout or the area code in parentheses, optionally
# after the country code `1`: `(415) 555-0134`, `415-555-0134`, `1-555-123-4567`. Nothing else is
# written this way, so a possible number in this shape is a phone even with an unassigned area code.
_NANP_STANDARD = re.compile(r"(?:\+?1[-. ]?)?(?:\(\d{3}\)[ \t]?\d{3}[-. ]|\d{3}([-.])\d{3}\1)\d{4}")
# A national number with the trunk prefix and at least one separator.
_TRUNK_SHAPE = re.compile(r"\(?0[1-9]\d{0,4}\)?[ \t.\-]")

# Dotted quads (IPs, versions), decimals (`0.39453125`), US ZIP+4 (`02110-1301`).
# IPs, decimals, ZIP+4, and a year then a serial (`2024-008812`: a report, case or invoice number;
# no country writes a phone number 4-6), drug codes (NDC 4-4-2, 5-3-2, 5-4-1: `0378-1805-10`).
_NOT_PHONE = re.compile(
    r"\d{1,3}(?:\.\d{1,3}){3}|\d+\.\d+|\d{5}-\d{4}|(?:19|20)\d\d-\d{5,7}"
    r"|\d{4}-\d{4}-\d{2}|\d{5}-\d{3,4}-\d{1,2}"
)


@functools.lru_cache(maxsize=8192)
def _match_window(
    window: str, regions: tuple[str, ...]
) -> tuple[tuple[int, int, str, phonenumbers.PhoneNumber], ...]:
    """All matcher hits in a short candidate window (cached: the same numbers recur in conversations)."""
    out = []
    for region in regions:
        for m in PhoneNumberMatcher(window, region, leniency=Leniency.VALID):
            out.append((m.start, m.end, m.raw_string, m.number))
    return tuple(out)


def clear_caches() -> None:
    """Forget memoised phone matches (benchmarks measure cold passes)."""
    _match_window.cache_clear()


class PhoneFinder:
    """Telephone numbers via `phonenumbers.PhoneNumberMatcher` (leniency VALID) for each region.

    `+` international numbers are found whatever the region. The matcher is slow on long text, so
    a cheap regex first picks candidate runs (digits with phone separators, at least 8 digits) and
    the matcher runs on each candidate plus a little context only. A bare run of digits (no
    separators, no `+`) is an ID, a timestamp or an abbreviated commit hash far more often than a
    phone number in what coding agents send, so it needs a phone word before it (`tel`, `call`,
    `mobile`, ...).
    """

    name = "phone"
    label = "PHONE"
    locale = "any"
    version = "phone-v3"
    requires: tuple[str, ...] = ()

    def __init__(self, regions: Iterable[str] = PHONE_REGIONS) -> None:
        self.regions = tuple(regions)

    def find(self, text: str) -> Iterator[Span]:
        seen: set[tuple[int, int]] = set()
        for cand in _PHONE_CANDIDATE.finditer(text):
            ext = cand.group("ext")
            value = cand.group(0)[: len(cand.group(0)) - len(ext)] if ext else cand.group(0)
            digits = sum(c.isdigit() for c in value)
            # < 8: AU `13 20 24` service numbers, times, years; > 15: longer than any E.164 number
            # (card numbers, IDs); a dotted quad is an IP address or a version.
            if not 8 <= digits <= 15 or _NOT_PHONE.fullmatch(value):
                continue
            # Written without `+`, every US/UK/AU/NZ number has 9+ digits (`(09) 379 1234`), so an
            # 8-digit run (`200 15333`: status and size in an access log) needs no matcher.
            if digits < 9 and not value.startswith("+"):
                continue
            groups = _DIGIT_GROUPS.findall(value)
            # Dots in phone numbers separate short groups (`415.555.2671`); `20220623.1-1` is a version.
            if "." in value and ("-" in value or any(len(g) > 4 for g in groups)):
                continue
            if value.isdigit() and not self._has_context(text, cand.start()):
                continue
            # Hex dumps `90 78 56 34 12`; not the French pairs `01 84 17 61 18` / `01.84.17.61.18`.
            if (
                not value.startswith("+")
                and max(len(g) for g in groups) <= 2
                and not _FR_PAIRS.fullmatch(value)
            ):
                continue
            whole = (cand.start(), cand.end())
            if whole not in seen and _possible_as_written(value, bool(ext)):
                seen.add(whole)
                yield Span(*whole, self.label, 0.95 if value.startswith("+") else 0.9, "regex:phone")
                continue
            lo = max(0, cand.start() - 2)
            window = text[lo : cand.end() + 2]
            hits = _match_window(window, self.regions)
            if not hits and _trunk_national(value, groups):
                hits = _match_window(window, TRUNK_REGIONS)
            found = False
            for rel_start, rel_end, raw, number in hits:
                start, end = lo + rel_start, lo + rel_end
                if start < cand.start() or end > cand.end() or (start, end) in seen:
                    continue
                seen.add((start, end))
                span = self._span(text, start, end, raw, number)
                if span is not None:
                    found = True
                    yield span
            # Well formed but not assigned (area code 555, fictional and new codes): the standard
            # NANP shape, or any possible number with a phone word before it, is still a phone.
            # With context it needs one group of 4+ digits (`020 7946 0000`) or French pairs: the
            # call returned `200 404 500` is status codes.
            if (
                not found
                and whole not in seen
                and not value.isdigit()
                and (
                    _NANP_STANDARD.fullmatch(value)
                    or (
                        (max(len(g) for g in groups) >= 4 or _FR_PAIRS.fullmatch(value))
                        and self._has_context(text, cand.start())
                        and _possible_national(value, self.regions)
                    )
                )
            ):
                seen.add(whole)
                yield Span(*whole, self.label, 0.75, "regex:phone")

    def _span(
        self, text: str, start: int, end: int, raw: str, number: phonenumbers.PhoneNumber
    ) -> Span | None:
        if sum(c.isdigit() for c in raw) < 8:
            return None
        if start >= 2 and text[start - 1] in ":." and text[start - 2].isdigit():  # `22:01:13 2024`
            return None
        score = 0.95 if raw.startswith("+") else 0.9
        if raw.isdigit():
            if not self._has_context(text, start):
                return None
            score = 0.85
        if not phonenumbers.is_valid_number(number):
            return None
        return Span(start, end, self.label, score, "regex:phone")

    @staticmethod
    def _has_context(text: str, start: int) -> bool:
        return _PHONE_CONTEXT_RE.search(text[max(0, start - CONTEXT_WINDOW) : start].lower()) is not None


def _possible_national(value: str, regions: tuple[str, ...]) -> bool:
    """A possible number (right length) in one of the regions, written nationally."""
    for region in regions:
        try:
            if phonenumbers.is_possible_number(phonenumbers.parse(value, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def _trunk_national(value: str, groups: list[str]) -> bool:
    """Worth trying as another country's national number: trunk `0` and area code first, then
    separators; no one-digit group (`0614-050707-104-8`: a tax id), dots only in French pairs
    (`03.05.16.0001.01`: a formula id), not the US EIN shape `07-1144442`."""
    if not _TRUNK_SHAPE.match(value) or min(len(g) for g in groups) < 2 or _EIN_SHAPE.fullmatch(value):
        return False
    return "." not in value or _FR_PAIRS.fullmatch(value) is not None


def _possible_as_written(value: str, has_extension: bool) -> bool:
    """Numbers whose writing alone says "phone", so a possible number (right length for its
    country) is enough even where `is_valid_number` says no (unassigned ranges, Ofcom's drama
    numbers `07700 900xxx`, NANP exchanges starting with 0/1):

    - an explicit `+` country code: `+44 7700 900461`, `+1-984-182-0190`, `+41 (0)96 471 07 95`
      (the trunk `(0)` is dropped), `+447700677662` (compact E.164, 10+ digits);
    - a NANP 3-3-4 number with an extension: `345-899-3560x4587`, `(898)666-3621x0135`.
    """
    if value.startswith("+"):
        national = _TRUNK_ZERO.sub(r"\1", value)
        if national == value and "(" in value:  # `+(44)...` or stray parentheses: leave to the matcher
            return False
        if national[1:].isdigit() and len(national) < 11:
            return False
        try:
            number = phonenumbers.parse(national, None)
        except phonenumbers.NumberParseException:
            return False
        reason = phonenumbers.is_possible_number_with_reason(number)
        return reason == phonenumbers.ValidationResult.IS_POSSIBLE
    if has_extension:
        m = _NANP_SHAPE.fullmatch(value)
        return m is not None and value.lstrip("(")[0] in "23456789"
    return False


PHONE = PhoneFinder()

# `Phone: 467 3395`, `call me on 9472 7916`, `Mobile: 72 128 827`, `555 1234 (office)`: next to a phone
# label, grouped digits are a phone number whatever the country (local numbers without area code,
# numbering plans the matcher is not given). The label must touch the number: before it only
# punctuation or a line break (form layouts), after it `-Fax` or ` (office)`. Touching a label, an
# unformatted run of 7-12 digits is a phone number too (`Fax: 3660170548`, `3660170548-Fax`).
# After the first digit: `415) 555-2671`, `8 651 450`, `20 (7946) 0958`; a closing parenthesis only
# closes one this number opened (`(Phone: 555-123-4567)` ends before its `)`).
_GROUPS = r"\d{1,3}\)?(?:[ .\-](?:\(\d{2,7}\)|\d{2,7})){1,4}"
_GROUPED_NUMBER = rf"\(?{DIGIT_START}{_GROUPS}"
# Bare and grouped share the first digit, so the scan costs what the grouped pattern alone does.
# `+` and a compact international number (`Phone: +1234567890`) too.
_PHONE_LABEL_NUMBER = rf"(?:\+[0-9]|\(?{DIGIT_START})(?:{_GROUPS}|\d{{6,13}})"
_DATE_SHAPE = re.compile(
    r"\d{4}[-/.]\d\d[-/.]\d\d|\d\d[-/.]\d\d[-/.]\d{4}|(?:19|20)\d\d(?:0[1-9]|1[0-2])\d\d"
)
_PHONE_WORDS = r"tele?phone|phone|tel|mobile|mob|cell(?:phone)?|fax|landline|whatsapp|contact"
# Thousands grouping (`1 000 000`, `12,345,678`): figures, unless a phone noun says otherwise.
_THOUSANDS = re.compile(r"\d{1,3}(?:([ ,])\d{3})(?:\1\d{3})*")


def _phone_label_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    digits = sum(c.isdigit() for c in value)
    if not 7 <= digits <= (15 if value.startswith("+") else 12):
        return False
    if _NOT_PHONE.fullmatch(value) or _DATE_SHAPE.fullmatch(value):
        return False
    return value.count("(") == value.count(")") and len(set(value) - set(" .-()")) > 1


_PHONE_WORD_RE = re.compile(rf"(?i)\b(?:{_PHONE_WORDS})")


def _phone_labelled_ok(m: re.Match[str]) -> bool:
    # After a verb (`call 555-1234`), `reach 1 000 000 users` is a figure; after a noun it is a number.
    if not _phone_label_ok(m) or (m.group("verb") and _THOUSANDS.fullmatch(m.group("value"))):
        return False
    label = m.string[m.start() : m.start("value")]
    # `contact number of 555-1234` is a phone; `our number of 1234567 users` is a count.
    return not (label.rstrip().lower().endswith(" of") and _PHONE_WORD_RE.search(label) is None)


# `my number is 555-1234`, `her new number: ...`: someone's own number is a phone number.
_OWN_NUMBER = r"(?:my|your|his|her|our|their)[ \t]+(?:(?:new|old|cell|mobile|home|work|direct)[ \t]+)?number"
_LABEL_REQUIRES = ("number", "phone", "tel", "mob", "cell", "fax", "call", "ring", "text", "reach", "landline", "whatsapp", "contact", "dial")  # fmt: skip
# The label: a phone word (`Phone`, `Fax number`, `contact #`), then a colon, `#`, `is`, or aligned
# spaces, tabs and table pipes (`Phone:      555-0134`, `| Phone | 555-0134 |`), a line break at most
# (form layouts); or a telephony verb right before the number (`call 555-1234`, `text me on ...`).
PHONE_LABELLED = Recognizer(
    "phone_labelled",
    "PHONE",
    rf"(?i:(?:\b(?:(?:home|work|mobile|cell|office|primary|contact|emergency|business|direct)[ _-]?)?"
    rf"(?:{_PHONE_WORDS}|{_OWN_NUMBER})"
    r"(?:[ \t_-]*(?:numbers?|no\.?|num|#))?"
    # a JSON or XML key (`"phone_number": "..."`, `<Phone>`) or a form label
    r"(?:\\?[\"'][ \t]*[:=][ \t]*\\?[\"']|>|[ \t]*[:#.=|][ \t|]{0,40}(?:\r?\n[ \t|]{0,40})?|[ \t]+(?:is|was|of)[ \t]+(?:(?:now|still|at)[ \t]+)?|[ \t|]{1,40})"
    r"|\b(?P<verb>call|ring|text|reach|dial|phone)[ \t]+(?:(?:me|us|him|her|them)[ \t]+)?(?:(?:on|at)[ \t]+)?))"
    rf"(?P<value>{_PHONE_LABEL_NUMBER})(?![\w/]|[.-]\d|-\w)",
    score=0.8,
    group="value",
    accept=_phone_labelled_ok,
    requires=_LABEL_REQUIRES,
    prefix=r"tele?phone|phone|tel|mob|cell|fax|landline|whatsapp|call|ring|text|reach|contact|dial|my|your|his|her|our|their",
)
PHONE_LABELLED_AFTER = Recognizer(
    "phone_labelled_after",
    "PHONE",
    rf"(?P<value>{_PHONE_LABEL_NUMBER})(?=-(?:Office|Fax|Mobile|Cell)\b|[ \t]+\(?(?:office|fax|mobile|cell)\b)",
    score=0.8,
    group="value",
    accept=_phone_label_ok,
    requires=("office", "fax", "mobile", "cell"),
)

# `They're not answering at 78 651 450`, `stop sending messages to 699 956 915`, `I called her on
# 71-33-52-22.`: a telephony verb, then in the same clause a preposition right before grouped digits
# that end the clause or go on with a function word (`rang from 77 204 5519 but`). Written with
# separators and no label this is still how people quote a phone number; the verb, the preposition
# and what follows together keep out the grouped figures of logs and reports (`took 12 345 678 ns`,
# `called flush at 12 345 678 bytes`). Unformatted runs are not taken.
_TELEPHONY_VERBS = (
    r"call(?:s|ed|ing)?|ring(?:s|ing)?|rang|dial(?:s|led|ed|ling|ing)?|text(?:s|ed|ing)?|sms|"
    r"messag(?:e|es|ed|ing)|answer(?:s|ed|ing)?|reach(?:able)?|voicemail|whatsapp"
)
_TELEPHONY_REQUIRES = ("call", "ring", "rang", "dial", "text", "sms", "messag", "answer", "reach", "voicemail", "whatsapp")  # fmt: skip


def _phone_cued_ok(m: re.Match[str]) -> bool:
    if not _phone_label_ok(m):
        return False
    groups = _DIGIT_GROUPS.findall(m.group("value"))
    # Pairs only (`71-33-52-22`) need four of them; `10 20 30` is a list of figures.
    return max(len(g) for g in groups) > 2 or len(groups) >= 4


PHONE_CUED = Recognizer(
    "phone_cued",
    "PHONE",
    rf"(?i:\b(?:{_TELEPHONY_VERBS})\b[^\n.!?;:]{{0,40}}?"
    r"\b(?:at|on|to|from|via|registered|number|no\.|nos?)[ \t]+)"
    rf"(?P<value>{_GROUPED_NUMBER})"
    r"(?=[ \t]*(?:[\n,;!?)]|\.(?!\d)|$)|[ \t]+\(?(?:office|fax|mobile|cell|home|work)\b"
    # or a clause going on with a function word, not a unit (`on 77 204 5519 to confirm`)
    r"|[ \t]+(?i:to|if|and|or|but|so|because|since|as|while|when|before|after|until|about|for|at|on|in|with|"
    r"from|between|tomorrow|today|tonight|yesterday|earlier|later|now|again|twice|once|instead|please|asap|"
    r"this|last|next|every)\b)",
    score=0.75,
    group="value",
    accept=_phone_cued_ok,
    requires=_TELEPHONY_REQUIRES,
    prefix=r"call|ring|rang|dial|text|sms|messag|answer|reach|voicemail|whatsapp",
)

# A local number without area code, `555-1234`, in a conversation about phones: a phone word (or
# `my number`) within the 120 characters before it, in the same message or the question just above
# (`can you text me your new number?` / `Sure! It's 555-0123.`). Nothing else is written 3-4 so often.
_LOCAL_CUE = re.compile(
    rf"\b(?:{_PHONE_WORDS}|{_OWN_NUMBER}|number|call(?:ed|ing)?|text(?:ed|ing)?|ring|reach|dial(?:l?ed)?)\b",
    re.IGNORECASE,
)
# Words one of which a text needs before the cue is looked for (the pre-filter of both recognizers).
_LOCAL_REQUIRES = (
    "phone",
    "tel",
    "mob",
    "cell",
    "fax",
    "number",
    "call",
    "text",
    "ring",
    "reach",
    "dial",
    "contact",
)


def _local_cued(m: re.Match[str]) -> bool:
    return _LOCAL_CUE.search(m.string[max(0, m.start() - 120) : m.start()]) is not None


def _local_phone_ok(m: re.Match[str]) -> bool:
    if len(set(m.group(0).replace("-", ""))) < 2:
        return False
    return _local_cued(m)


PHONE_LOCAL = Recognizer(
    "phone_local",
    "PHONE",
    # not the tail of a longer number (`(555) 123-4567`, `+1 555 123-4567`)
    rf"{DIGIT_START}(?<![)\d][ .\t][0-9])\d{{2}}-\d{{4}}(?![\w-]|[.,]\d)",
    score=0.7,
    accept=_local_phone_ok,
    requires=_LOCAL_REQUIRES,
)

# A number read out in words (`three one zero, five five five, zero one four two`, `zero seven seven
# zero zero, nine double-zero, three one four`): people write numbers so to dodge filters or in
# transcripts. Seven to fifteen digits, with a phone word or `number` in the 120 characters before.
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_SPOKEN_DIGITS = rf"(?:(?:double|triple)[ -]{_DIGIT_WORD}|{_DIGIT_WORD})"
_SPOKEN_COUNT = re.compile(rf"(?P<n>double|triple)?[ -]?{_DIGIT_WORD}")


def _spoken_phone_ok(m: re.Match[str]) -> bool:
    value = m.group(0).lower()
    if value.startswith("oh"):
        return False
    digits = sum({"double": 2, "triple": 3}.get(d.group("n") or "", 1) for d in _SPOKEN_COUNT.finditer(value))
    return 7 <= digits <= 15 and _local_cued(m)


PHONE_SPOKEN = Recognizer(
    "phone_spoken",
    "PHONE",
    rf"(?<![A-Za-z])(?i:{_SPOKEN_DIGITS}(?:(?:[ \t]*[,-][ \t]*|[ \t]+){_SPOKEN_DIGITS}){{4,14}}(?![a-z]))",
    score=0.8,
    accept=_spoken_phone_ok,
    requires=_LOCAL_REQUIRES,
    prefix=r"zero|one|two|three|four|five|six|seven|eight|nine|double|triple",
)

# A number with look-alike letters for digits (`4I5-555-O123`, `+44 77OO 900123`): people write
# numbers so to dodge filters in posts. The phone's shape with each group holding a digit, 1-3
# letters O, o, I or l among 7+ digits; read with the letters as digits, a standard phone shape.
_LOOK = "[0-9OoIl]"
_LOOKALIKE_TABLE = str.maketrans("OoIl", "0011")
_LOOK_GROUP = re.compile(f"{_LOOK}+")
_NOT_DIGIT = re.compile(r"\D")


def _lookalike_ok(m: re.Match[str]) -> bool:
    value = m.group(0)
    letters = sum(c in "OoIl" for c in value)
    groups = _LOOK_GROUP.findall(value)
    if (
        not 1 <= letters <= 3
        or sum(c.isdigit() for c in value) < 7
        or not all(any(c.isdigit() for c in g) for g in groups)
    ):
        return False
    plain = value.translate(_LOOKALIKE_TABLE)
    return _NANP_STANDARD.fullmatch(plain) is not None or (
        plain.startswith("+") and 8 <= len(_NOT_DIGIT.sub("", plain)) <= 15
    )


_LOOKALIKE = Recognizer(
    "phone_lookalike",
    "PHONE",
    rf"(?<![\w+])(?:\+?1[-. ]?)?(?:\({_LOOK}{{3}}\)[ \t]?{_LOOK}{{3}}[-. ]|{_LOOK}{{3}}([-.]){_LOOK}{{3}}\1){_LOOK}{{4}}(?![\w])"
    rf"|(?<![\w+])\+\d{{1,3}}(?:[ .-]{_LOOK}{{2,6}}){{2,4}}(?![\w])",
    score=0.8,
    accept=_lookalike_ok,
)
_LOOK_GATE = re.compile(r"\d[OoIl]|[OoIl]\d")


class LookalikePhoneFinder:
    """PHONE_LOOKALIKE: the pattern runs only on texts with a look-alike letter beside a digit."""

    name = "phone_lookalike"
    label = "PHONE"
    locale = "any"
    version = "1"

    def find(self, text: str) -> Iterator[Span]:
        if _LOOK_GATE.search(text) is not None:
            yield from _LOOKALIKE.find(text)


PHONE_LOOKALIKE = LookalikePhoneFinder()

RECOGNIZERS: list[Recognizer | Finder] = [
    PHONE,
    PHONE_LABELLED,
    PHONE_LABELLED_AFTER,
    PHONE_CUED,
    PHONE_LOCAL,
    PHONE_SPOKEN,
    PHONE_LOOKALIKE,
]
