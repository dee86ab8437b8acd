"""Locale-free recognizers: e-mail, payment cards, IBAN, IP and MAC addresses, URL parts.

Phones are in `phones.py`, user names in `usernames.py`, secrets in `secrets.py`, account and other
labelled numbers in `identifiers.py`.
"""

from __future__ import annotations

import ipaddress
import re

from stdnum import iban, luhn

from maskgate.detect.patterns.base import Finder, Recognizer

# -- e-mail -------------------------------------------------------------------------------------

# SSH remotes (`git@github.com:org/repo.git`) look like addresses but name no person.
# No-reply senders (`noreply@anthropic.com` in Claude Code's commit trailer) reach nobody.
_SERVICE_LOCALS = frozenset(
    {"git", "hg", "svn", "noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon"}
)
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


# Internationalised addresses (RFC 6531/6532): letters of any script in the local part and the domain
# (`josé.garcía@correo.es`, `用户@例子.广告`, `info@münchen.de`), punycode labels (`xn--mnchen-3ya.de`).
# `\w` is Unicode; Indic, Thai, Lao, Myanmar and Khmer vowel signs are marks, not `\w`, so they are
# added, with the zero-width (non-)joiners those scripts use.
_MARKS = r"\u0300-\u036f\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u200c\u200d"
_DOMAIN_LABEL = rf"[^\W_](?:[\w{_MARKS}-]*[\w{_MARKS}])?"
_TLD = rf"(?:[^\W\d_](?:[^\W\d_]|[{_MARKS}]){{1,23}}|xn--[A-Za-z0-9-]{{2,59}})"  # letters only

EMAIL = Recognizer(
    "email",
    "EMAIL",
    rf"(?<![\w.+%-])[\w{_MARKS}.%+-]+@(?:{_DOMAIN_LABEL}\.)+{_TLD}(?![\w-])",
    score=1.0,
    accept=_email_ok,
    requires=("@",),
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
    value = value.replace("-", "")
    return (value.isupper() or value.islower()) and iban.is_valid(value.upper())


IBAN = Recognizer(
    "iban",
    "IBAN",
    # groups of four with one separator throughout: none, spaces or dashes (`FR38-2227-9180-...`)
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:(?P<sep>[ -]?)[A-Za-z0-9]{4})(?:(?P=sep)[A-Za-z0-9]{4}){1,6}"
    # a short last group holds a digit: `... 7892 ha sido` must not take the word `ha` as one
    r"(?:(?P=sep)(?=[A-Za-z]{0,3}\d)[A-Za-z0-9]{1,4})?(?![A-Za-z0-9]|-[A-Za-z0-9])",
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
    r"|\.(?![\s\"'.]|$))",
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
    # An ellipsis is no dot of the address (`198.51.100.4...88.217.34.201` in a VPN log).
    r"[0-9](?<![\w][0-9])(?<![^.]\.[0-9])(?<!^\.[0-9])\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?![\w]|\.\d)",
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

# A netfilter log's `MAC=` field glues the destination and source addresses and the EtherType into one
# run (`MAC=11:2c:93:f4:33:43:00:1a:2b:3c:4d:5e:08:00`): both addresses are MACs.
_NETFILTER_MAC = (
    r"(?<![\w])MAC=(?P<dst>(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}):(?P<src>(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})"
    r"(?::[0-9A-Fa-f]{2}){1,2}(?![\w:])"
)
MAC_NETFILTER_DST = Recognizer(
    "mac_netfilter_dst", "MAC_ADDRESS", _NETFILTER_MAC, score=0.95, group="dst", validate=_mac_ok,
    requires=("mac=",),
)  # fmt: skip
MAC_NETFILTER_SRC = Recognizer(
    "mac_netfilter_src", "MAC_ADDRESS", _NETFILTER_MAC, score=0.95, group="src", validate=_mac_ok,
    requires=("mac=",),
)  # fmt: skip

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
    CREDIT_CARD,
    CREDIT_CARD_CONTEXT,
    IBAN,
    IPV4,
    IPV6,
    MAC,
    MAC_NETFILTER_DST,
    MAC_NETFILTER_SRC,
    URL_QUERY,
    URL_QUERY_PASSWORD,
]
