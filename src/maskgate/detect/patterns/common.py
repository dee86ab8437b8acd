"""Locale-free recognizers: e-mail, phone, payment cards, IBAN, IP and MAC addresses, URL parts."""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable, Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher
from stdnum import iban, luhn

from maskgate.detect.patterns.base import CONTEXT_WINDOW, DIGIT_START, Finder, Recognizer
from maskgate.detect.spans import Span

# -- e-mail -------------------------------------------------------------------------------------

# SSH remotes (`git@github.com:org/repo.git`) look like addresses but name no person.
_SERVICE_LOCALS = frozenset({"git", "hg", "svn"})
# systemd template units (`getty@tty1.service`) look like addresses too.
_UNIT_SUFFIXES = frozenset(
    {"service", "socket", "target", "timer", "mount", "path", "slice", "scope", "device"}
)


def _email_ok(m: re.Match[str]) -> bool:
    local, domain = m.group(0).lower().split("@", 1)
    if local in _SERVICE_LOCALS or domain.rsplit(".", 1)[-1] in _UNIT_SUFFIXES:
        return False
    # `scheme://user:password@host`: the password and user are found by the credential recognizers.
    before = m.string[max(0, m.start() - 256) : m.start()]
    token = before.rsplit(None, 1)[-1] if before.strip() else ""
    return not ("://" in token and "/" not in token.split("://", 1)[1])


EMAIL = Recognizer(
    "email",
    "EMAIL",
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])",
    score=1.0,
    accept=_email_ok,
    requires=("@",),
)

# -- phone --------------------------------------------------------------------------------------

PHONE_REGIONS = ("US", "GB", "AU", "NZ")
# National formats of other countries are tried only for numbers written with the trunk prefix `0`
# and separators (`0688 872 49 99`, `01.84.17.61.18`): several of these numbering plans (DE, IT) accept
# almost any digit run, so a run without that shape never gets here.
TRUNK_REGIONS = ("DE", "FR", "IT", "NL", "BE", "IE", "CH", "AT", "SE", "FI", "ZA")
PHONE_CONTEXT = (
    r"phone\w*", "telephone", "tel", "ph", r"call(?:ed|ing)?", "mobile", "mob", r"cell(?:phone)?", "fax", "sms",
    r"contact\w*", "ring", "whatsapp", "landline",
)  # fmt: skip
# Whole words: `tel` is context, `telemetry_id` is not.
_PHONE_CONTEXT_RE = re.compile(r"\b(?:" + "|".join(PHONE_CONTEXT) + r")(?![a-z0-9])")
_DIGIT_GROUPS = re.compile(r"\d+")
# Candidate runs: optional `+`/`(`, then digits and phone separators; not starting inside a word,
# a longer number or a date (`2024-01-15`, `02-15-2019`).
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+(*/^%.$#@])(?<![A-Za-z0-9]-)(?!\d{4}-\d\d-\d\d|\d\d[-/.]\d\d[-/.]\d{4})"
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
# A national number with the trunk prefix and at least one separator.
_TRUNK_SHAPE = re.compile(r"\(?0[1-9]\d{0,4}\)?[ \t.\-]")

# Dotted quads (IPs, versions), decimals (`0.39453125`), US ZIP+4 (`02110-1301`).
_NOT_PHONE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|\d+\.\d+|\d{5}-\d{4}")


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
    version = "phone-v2"
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
            for rel_start, rel_end, raw, number in hits:
                start, end = lo + rel_start, lo + rel_end
                if start < cand.start() or end > cand.end() or (start, end) in seen:
                    continue
                seen.add((start, end))
                span = self._span(text, start, end, raw, number)
                if span is not None:
                    yield span

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
_GROUPS = r"\d{1,3}\)?(?:[ .\-]\(?\d{2,7}\)?){1,4}"  # after the first digit: `415) 555-2671`, `8 651 450`
_GROUPED_NUMBER = rf"\(?{DIGIT_START}{_GROUPS}"
# Bare and grouped share the first digit, so the scan costs what the grouped pattern alone does.
_PHONE_LABEL_NUMBER = rf"\(?{DIGIT_START}(?:{_GROUPS}|\d{{6,11}})"
_DATE_SHAPE = re.compile(
    r"\d{4}[-/.]\d\d[-/.]\d\d|\d\d[-/.]\d\d[-/.]\d{4}|(?:19|20)\d\d(?:0[1-9]|1[0-2])\d\d"
)
_PHONE_WORDS = r"tele?phone|phone|tel|mobile|mob|cell(?:phone)?|fax|landline|whatsapp"


def _phone_label_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    digits = sum(c.isdigit() for c in value)
    if not 7 <= digits <= 12 or _NOT_PHONE.fullmatch(value) or _DATE_SHAPE.fullmatch(value):
        return False
    return value.count("(") == value.count(")") and len(set(value) - set(" .-()")) > 1


PHONE_LABELLED = Recognizer(
    "phone_labelled",
    "PHONE",
    rf"(?i:(?:\b(?:{_PHONE_WORDS})"
    r"(?:[ \t]+(?:number|no\.?|num))?(?:[ \t]*[:#.]\s{0,3}|[ \t]+(?:is|was)[ \t]+|[ \t]+)"
    r"|\b(?:call|ring|text|reach)[ \t]+(?:me|us)[ \t]+(?:on|at)[ \t]+))"
    rf"(?P<value>{_PHONE_LABEL_NUMBER})(?![\w/]|[.-]\d|-\w)",
    score=0.8,
    group="value",
    accept=_phone_label_ok,
    requires=("phone", "tel", "mob", "cell", "fax", "call", "ring", "text", "reach", "landline", "whatsapp"),
    prefix=r"tele?phone|phone|tel|mob|cell|fax|landline|whatsapp|call|ring|text|reach",
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

# -- payment cards ------------------------------------------------------------------------------

# Card networks: IIN prefix and the lengths that network issues. (Lengths matter: a 13-digit epoch
# in milliseconds from the 2040s starts like a Mastercard 2-series number, which is always 16 long.)
_CARD_NETWORKS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = tuple(
    (re.compile(prefix), frozenset(lengths))
    for prefix, lengths in (
        (r"4", (13, 16, 19)),  # Visa
        (r"5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)", (16,)),  # Mastercard
        (r"3[47]", (15,)),  # American Express
        (r"6(?:011|5|4[4-9])", (16, 17, 18, 19)),  # Discover
        (r"3(?:0[0-5]|[689])", (14, 15, 16, 17, 18, 19)),  # Diners Club
        (r"35(?:2[89]|[3-8]\d)", (16, 17, 18, 19)),  # JCB
        (r"1800|2131", (15,)),  # JCB (15-digit legacy ranges)
        (r"62", (16, 17, 18, 19)),  # UnionPay
        (r"5[06-9]|6\d", (12, 13, 14, 15, 16, 17, 18, 19)),  # Maestro
    )
)


def _card_ok(value: str) -> bool:
    digits = re.sub(r"[ -]", "", value)
    if len(set(digits)) < 2:  # 0000 0000 0000 0000 style fillers
        return False
    if not any(prefix.match(digits) and len(digits) in lengths for prefix, lengths in _CARD_NETWORKS):
        return False
    return luhn.is_valid(digits)


CREDIT_CARD = Recognizer(
    "credit_card",
    "CREDIT_CARD",
    # 4-4-4-4(-3), Amex 4-6-5, or a bare run of 13-16 digits (longer bare runs are 64-bit hashes and
    # IDs far more often than 17-19 digit cards, which people write in groups: a bare 19-digit run is
    # a card only after a card word, `credit_card_context` below).
    r"[0-9](?<![\w.+/-][0-9])(?:\d{3}(?:[ -]\d{4}){2}[ -]\d{1,4}(?:[ -]\d{1,3})?|\d{3}[ -]\d{6}[ -]\d{4,5}|\d{12,15})"
    r"(?![\w/]|[.-]\d)",
    score=0.95,
    validate=_card_ok,
)

CARD_CONTEXT = ("card", "cc", "credit", "debit", "visa", "mastercard", "amex", "maestro", "jcb", "pan")


def _card_in_context_ok(value: str) -> bool:
    """With a card word right before it, a Luhn-valid 12-19 digit run is a card number even where the
    IIN table above does not list its prefix (`card number 630427373398`: 12-digit Maestro;
    `card 3598899323053410`) or its length is one bare runs skip (12, 17-19). The first digit must
    be an ISO/IEC 7812 major industry identifier of card issuers (1-6)."""
    digits = re.sub(r"[ -]", "", value)
    return digits[0] in "123456" and len(set(digits)) >= 2 and luhn.is_valid(digits)


CREDIT_CARD_CONTEXT = Recognizer(
    "credit_card_context",
    "CREDIT_CARD",
    r"[0-9](?<![\w.+/-][0-9])\d{11,18}(?![\w/]|[.-]\d)",
    score=0.9,
    validate=_card_in_context_ok,
    context=CARD_CONTEXT,
    require_context=True,
)

# -- IBAN ---------------------------------------------------------------------------------------


def _iban_ok(value: str) -> bool:
    # One case throughout (`GB42NAWI...` or `gb42nawi...`); the check runs on the upper-cased value.
    return (value.isupper() or value.islower()) and iban.is_valid(value.upper())


IBAN = Recognizer(
    "iban",
    "IBAN",
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])",
    score=1.0,
    validate=_iban_ok,
)

# -- IP addresses -------------------------------------------------------------------------------

# Words that, shortly before a dotted quad, say it is a version, an OID or a build number.
_VERSION_WORDS = re.compile(
    r"(?:\b(?:ver|version|versions|release|rel|build|tag|oid|objectidentifier|firmware|fw|kernel|sdk|"
    r"upgrade[sd]?|update[sd]?|downgrade[sd]?|bump(?:ed|s)?|pin(?:ned)?|require[sd]?|dependency)\b"
    r"[\s:=\"'(]*(?:[\w.-]+\s+)?(?:to\s+|from\s+)?"
    r"|\b(?:section|sec\.?|chapter|para(?:graph)?|clause|rfc\s*\d+)\s*"
    r"|(?:==|[<>~!]=|[\^~§])\s*)$",
    re.IGNORECASE,
)
_OID_WORDS = re.compile(r"\b(?:oid|oids|objectidentifier|snmp|mib|asn\.1)\b", re.IGNORECASE)
# After it: a pre-release or Debian revision (`-rc1`, `-2`, `+deb12u2`), more name (`.tar.gz`), or
# a dot glued to what follows (`9.2.6.2.</strong>`: a section number in a table of contents).
_VERSION_AFTER = re.compile(
    r"^(?:-\d{1,2}(?![\d.])|[-+~](?:alpha|beta|rc|dev|post|pre|snapshot|final|ga|release|b\d|a\d)"
    r"|\.(?![\s\"']|$))",
    re.IGNORECASE,
)


_PREFIX_LEN = re.compile(r"/(\d{1,3})(?!\d)")


def _is_network(address: str, text: str, end: int) -> bool:
    """`10.0.0.0/16`, `2001:db8::/32`: a CIDR block (host bits zero) names a network, not a machine."""
    m = _PREFIX_LEN.match(text, end)
    if m is None:
        return False
    try:
        net = ipaddress.ip_network(f"{address}/{m.group(1)}", strict=True)
    except ValueError:
        return False
    return net.num_addresses > 1


def _ipv4_ok(m: re.Match[str]) -> bool:
    text, start, end = m.string, m.start(), m.end()
    try:
        ip = ipaddress.IPv4Address(m.group(0))
    except ValueError:
        return False
    # Loopback, 0.0.0.0, multicast, link-local (169.254.169.254 metadata) and netmasks identify nobody.
    if (
        ip.is_loopback
        or ip.is_unspecified
        or ip.is_multicast
        or ip.is_link_local
        or m.group(0).startswith("255.")
    ):
        return False
    if start > 0:
        prev = text[start - 1]
        # `Chrome/120.0.6099.109`, `foo-1.2.3.4.tar.gz`, `python3.1.2.3`: part of a name or path.
        if prev in "/-_" and start > 1 and (text[start - 2].isalpha()):
            return False
    if _VERSION_WORDS.search(text[max(0, start - 24) : start]):
        return False
    if _OID_WORDS.search(text[max(0, start - 80) : start]):
        return False
    if _is_network(m.group(0), text, end):
        return False
    return not _VERSION_AFTER.match(text[end : end + 10])


IPV4 = Recognizer(
    "ipv4",
    "IP_ADDRESS",
    # No further dotted digits on either side (OIDs, 5-part versions), not glued to letters.
    r"[0-9](?<![\w.][0-9])\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?![\w]|\.\d)",
    score=0.95,
    accept=_ipv4_ok,
    requires=(".",),
)


def _ipv6_ok(m: re.Match[str]) -> bool:
    value = m.group(0)
    if not any(c.isdigit() for c in value):  # `dead::beef`, `abc::def` (code) need a digit at least
        return False
    if "::" not in value and value.count(":") != 7 and "." not in value:
        return False
    groups = [g for g in value.split("%", 1)[0].split(":") if g]
    # Python slices (`a[1::2]`, `x[::3]`) are valid IPv6 by the letter; real addresses have at least
    # two groups and one of 3+ hex digits (`fe80::1`, `2001:db8::7334`).
    if len(groups) < 2 or max(len(g) for g in groups) < 3:
        return False
    try:
        ip = ipaddress.IPv6Address(value.split("%", 1)[0])
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or _is_network(value, m.string, m.end()))


IPV6 = Recognizer(
    "ipv6",
    "IP_ADDRESS",
    # Candidate: hex digits and at least two colons; `ipaddress` decides.
    r"(?<![\w:.])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}"
    r"(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.]+)?(?![\w:]|\.\w)",
    score=0.95,
    accept=_ipv6_ok,
    requires=(":",),
)

# -- MAC addresses ------------------------------------------------------------------------------

_NON_IDENTIFYING_MACS = frozenset({"000000000000", "ffffffffffff"})


def _mac_ok(value: str) -> bool:
    return re.sub(r"[:.-]", "", value).lower() not in _NON_IDENTIFYING_MACS


MAC = Recognizer(
    "mac",
    "MAC_ADDRESS",
    # First hex digit, then the look-behind (faster than a leading look-behind), then the rest.
    r"[0-9A-Fa-f](?<![\w:.-][0-9A-Fa-f])(?:[0-9A-Fa-f]([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}"
    r"|[0-9A-Fa-f]{3}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:.-])",
    score=0.95,
    validate=_mac_ok,
)

# -- account numbers ----------------------------------------------------------------------------

_ACCOUNT_WORDS = r"account|acct|a/c|customer|cust|policy|member(?:ship)?|policyholder|subscriber|client"


def _account_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    if len(set(c for c in value if c.isdigit())) < 2:  # `00000000`, `ACC-1111111`: fillers
        return False
    # Cloud and service accounts (`AWS account 123456789012`, `service account 1234567`) are
    # infrastructure ids that agents need, not a person's account.
    before = m.string[max(0, m.start() - 12) : m.start()].lower()
    return re.search(r"\b(?:aws|gcp|azure|cloud|service|storage|billing)[ \t]*$", before) is None


# `account number 12345678`, `acct #00481234`, `Customer ID: CUS-0048213`, `policy POL-7731920`: an id
# (digits, or a short upper-case prefix, a dash and digits) right after an account word. Without the
# word, `OPS-1234567` is a ticket and `12345678` anything.
ACCOUNT_NUMBER = Recognizer(
    "account_number",
    "ACCOUNT_NUMBER",
    rf"(?i:\b(?:{_ACCOUNT_WORDS})(?:[ _\t]+(?:number|no\.?|num|id|ref(?:erence)?))?)"
    r"\\?[\"']?(?:[ \t]*[:#=][ \t]*|[ \t]+(?:is[ \t]+)?)#?[ \t]*\\?[\"']?"
    r"(?P<value>[A-Z]{1,5}-?\d{5,16}|[0-9](?<![\w.+-][0-9])\d{5,16})(?![\w-]|[.,]\d)",
    score=0.85,
    group="value",
    accept=_account_ok,
    requires=("account", "acct", "a/c", "cust", "policy", "member", "subscriber", "client"),
    prefix=r"account|acct|a/c|cust|policy|member|subscriber|client",
)

# -- URL parts ----------------------------------------------------------------------------------

URL_QUERY_KEYS = (
    "token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "key", "session_id",
    "sessionid", "session", "sid", "email", "user", "username", "user_id", "userid", "uid", "auth",
    "code", "signature", "sig", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
    "phone", "login", "account", "client_secret", "secret",
)  # fmt: skip
URL_SECRET_KEYS = ("password", "passwd", "pwd", "pass")
_TEMPLATE_START = tuple("${<%*")


_NOT_VALUES = frozenset({"null", "none", "undefined", "true", "false", "password", "secret", "token", "xxx"})


def _query_value_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    return not value.startswith(_TEMPLATE_START) and value.lower() not in _NOT_VALUES


def _query_recognizer(name: str, label: str, keys: tuple[str, ...]) -> Recognizer:
    alternation = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return Recognizer(
        name,
        label,
        rf"[?&](?i:{alternation})=(?P<value>[^&#\s\"'<>`;)\]}},]+)",
        score=0.9,
        group="value",
        accept=_query_value_ok,
        requires=("=",),
    )


URL_QUERY = _query_recognizer("url_query", "URL", URL_QUERY_KEYS)
URL_QUERY_PASSWORD = _query_recognizer("url_query_password", "SECRET", URL_SECRET_KEYS)

RECOGNIZERS: list[Recognizer | Finder] = [
    EMAIL,
    PHONE,
    PHONE_LABELLED,
    PHONE_LABELLED_AFTER,
    PHONE_CUED,
    CREDIT_CARD,
    CREDIT_CARD_CONTEXT,
    IBAN,
    IPV4,
    IPV6,
    MAC,
    URL_QUERY,
    URL_QUERY_PASSWORD,
    ACCOUNT_NUMBER,
]
