"""Secrets people write in prose, chats and tables (label SECRET), without a vendor prefix or a
`key=value` shape: `reset my password yesterday to Marigold#2291`, `pw is Trellis!88staging`, `the temp
pass the helpdesk gave me, Tmp-4417-xq`, `| Temp password | Welcome-2026-Tz! |`, `pin is 4821`,
`VPN PIN: 550913`, `one of them is 7KQ2-M9XD` after a question about recovery codes.

After a password cue only a password-shaped token is taken (a letter and a digit or a symbol, 6+
characters; no URL, path, e-mail, version, hash name or ticket number), so `the password is stored in
Vault` and `password policy v3.2` stay visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.patterns.accounts import is_service_account
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.literals import CODE_WORDS, TEMPLATE_START, looks_like_code
from maskgate.detect.patterns.secrets import high_entropy
from maskgate.detect.spans import Span

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# `password`, `pw`, `passcode`, `wifi password`, `temp pass`; `pass` alone only after such a word
# (`boarding pass`, `pass the test` are no secret)
# `creds for dmurphy: ...`; `wifi is sunshine2019` (the bare word only with its verb)
_PASSWORD_CUE = re.compile(
    r"\b(?:pass(?:word|wd|phrase|code)s?|pwd?|creds|credentials|(?:temp(?:orary)?|one-time|wi-?fi|guest|"
    r"initial|new|old)[ \t]+pass|wi-?fi(?:[ \t]+key)?[ \t]+(?:is|was)|wi-?fi(?:[ \t]+key)?:)(?![-_.]\w)(?!\w)"
)
# `told him the new one is Harbour-Lights-19`, `it's hunter2`: the password named again a line or two
# after the cue
_ANAPHORA = re.compile(
    r"(?i)\b(?:(?:the[ \t]+)?(?:new|old|temp|temporary|current|right|correct)[ \t]+one|it)(?:'s|’s|[ \t]+is|"
    r"[ \t]+was|[ \t]+should[ \t]+be)[ \t]+"
)
_PIN_CUE = re.compile(r"\b(?:pin(?:[ \t]+(?:number|no\.?|#))?|passcode)\b(?![ \t-]?code)(?![-_.]\w)")
_CODES_CUE = re.compile(
    r"\b(?:one[ -]time|recovery|backup|verification|2fa|mfa|otp|security|reset|sms|access|login)[ \t]+"
    r"(?:codes?|pins?|passcodes?)\b"
)
# a connector after the cue: the value follows it (`is`, `was`, `to`, `:`, `=`, a table's `|`)
_CONNECTOR = re.compile(r"(?i)(?:^|[ \t])(?:is|was|are|to|reads|=|:|\|)(?=[ \t]|$)|[:=|](?=[ \t]|$)")
# not `!`: passwords end with one (`Welcome-2026-Tz!`); the window is short anyway
# a JSON string's end (`"message":"password reset requested","user":...`) closes the clause too
_SENTENCE_END = re.compile(r"[.?](?:[ \t]|$)|\n|\\?[\"'][ \t]*[,:}\]]")
_TOKEN = re.compile(r"[^\s\"'`,;<>|]+")
_STRIP_END = ".,;:?)]}\"'`”’*"
_STRIP_START = "([{\"'`“‘*"
_SYMBOL = re.compile(r"[!#$%&*@^~+=?]")
# hash names, encodings and formats that carry digits; version strings; ticket and change numbers
_NOT_PASSWORD = re.compile(
    r"(?i)(?:sha|md|crc|utf|argon|pbkdf|bcrypt|scrypt|aes|rsa|des|hmac|ntlm|tls|ssl|http|ipv|win|office|"
    r"ios|android|mp|h)\d\w*|v?\d+(?:\.\d+)+\w*|(?-i:[A-Z]{2,6})[-#]?\d{3,}|\d+(?:st|nd|rd|th|am|pm|min|mins|"
    r"h|hrs?|days?|x|gb|mb|kb|ms|s)|\d+[a-z]?-(?:digit|char|character|letter)s?\w*"
)
# what may stand between a PIN cue and its digits: `is`, `:`, a table's `|`, `(`, or a short `for my
# debit card is`
_PIN_LEAD = re.compile(
    r"(?i)(?:[ \t]+(?:for|on|of|to)[ \t]+[^\n.:|\d]{1,30}?[ \t]+(?:is|was)|"
    r"[ \t]+I[ \t]+(?:put|entered|typed|used|tried|gave|set)(?:[ \t]+(?:in|it|as|to))?|[ \t]*(?:is|was|:|=|\||-|#|\()?)"
    r"[ \t]*(?:\|[ \t]*)?\d"
)
# `4821`, `582 913` (read out in groups)
_PIN = re.compile(r"(?<![\w.:/-])(?:\d{4,8}|\d{3}[ -]\d{3})(?![\w.:/-]|[.:/-]\d)")
_CODE = re.compile(
    r"(?<![\w-])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]{3,6}(?:-[A-Za-z0-9]{3,6}){1,3}(?![\w-])"
    r"|(?<![\w.:/-])\d{6,8}(?![\w.:/-])|(?<![\w.:/-])\d{4,5}(?:[- ]\d{4,5}){1,2}(?![\w.:/-])"
)


def _cues(cue: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The cue's matches, found in the lower-cased text (a case-insensitive scan is several times
    slower); where lower-casing changes the length (`İ`), in the text itself, ignoring case."""
    low = text.lower()
    if len(low) == len(text):
        return cue.finditer(low)
    return re.compile(cue.pattern, re.IGNORECASE).finditer(text)


def password_shaped(value: str) -> bool:
    """`Marigold#2291`, `hunter2`, `Tmp-4417-xq`; not `svc-backup`, `sha256`, `v3.2`, `INC0091123`,
    `https://...`, `a@b.com`, `/etc/shadow`, `${PASSWORD}`."""
    if not 6 <= len(value) <= 64 or value.startswith(TEMPLATE_START) or value.endswith("..."):
        return False
    if not any(c.isalpha() for c in value):
        return False
    if not (any(c.isdigit() for c in value) or _SYMBOL.search(value[1:])):
        return False
    # `user:password` pairs are usernames_creds' (each half with its label); URLs, paths
    if ":" in value or "/" in value or "\\" in value or value.lower() in CODE_WORDS:
        return False
    if re.fullmatch(r"[^@\s]+@[\w-]+\.[\w.-]+", value) or re.fullmatch(r"[\w.-]+\.[a-z]{2,4}", value):
        return False  # e-mail addresses, file and host names
    if (
        "(" in value
        or "[" in value
        or ("=" in value and not re.fullmatch(r"[A-Za-z0-9+/]{16,}={1,2}", value))
    ):
        return False  # code: `get_pw()`, `a=b`, `sslmode=`
    return not (_NOT_PASSWORD.fullmatch(value) or is_service_account(value))


def _tokens(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    for m in _TOKEN.finditer(text, start, end):
        s, e = m.start(), m.end()
        while s < e and text[s] in _STRIP_START:
            s += 1
        while e > s and text[e - 1] in _STRIP_END:
            e -= 1
        if e > s:
            yield s, e, text[s:e]


def _clause_end(text: str, start: int, limit: int) -> int:
    end = min(len(text), start + limit)
    m = _SENTENCE_END.search(text, start, end)
    return m.start() if m else end


class PasswordCueFinder:
    """A password after a password cue in the same clause (48 characters at most), after the cue's
    connector when there is one (`password for jdoe2 is X` takes X, not `jdoe2`)."""

    name = "password_cue"
    label = "SECRET"
    locale = "any"
    version = "1"
    requires = ("pass", "pw", "cred", "wifi", "wi-fi")

    def find(self, text: str) -> Iterator[Span]:
        for cue in _cues(_PASSWORD_CUE, text):
            end = _clause_end(text, cue.end(), 56)
            start = cue.end()
            conn = _CONNECTOR.search(text, start, end)
            # `password=...`, `password: ...`: a key and its value; only that value (the next
            # arguments of a call, `user=username, sslmode=...`, are no password)
            most = (
                1 if conn is not None and conn.start() == start and conn.group(0).strip() in ("=", ":") else 6
            )
            if conn is not None:
                # `my old password Sunflower2023! is cached`: the value right after the cue, then
                # whatever follows the connector
                first = next(_tokens(text, start, conn.start()), None)
                if first is not None and first[0] - start <= 1 and password_shaped(first[2]):
                    yield Span(first[0], first[1], self.label, 0.85, f"regex:{self.name}")
                start = conn.end()
            found = False
            for n, (s, e, value) in enumerate(_tokens(text, start, end)):
                if n >= most:
                    break
                if password_shaped(value) and not looks_templated(text, s, e):
                    found = True
                    yield Span(s, e, self.label, 0.85, f"regex:{self.name}")
            if not found:
                yield from self._named_again(text, end)

    def _named_again(self, text: str, start: int) -> Iterator[Span]:
        stop = start
        for _ in range(3):
            nl = text.find("\n", stop + 1)
            stop = len(text) if nl < 0 else nl
        for m in _ANAPHORA.finditer(text, start, min(stop, start + 200)):
            tok = next(_tokens(text, m.end(), _clause_end(text, m.end(), 40)), None)
            if tok is not None and tok[0] == m.end() and password_shaped(tok[2]):
                yield Span(tok[0], tok[1], self.label, 0.8, f"regex:{self.name}")
                return


def looks_templated(text: str, s: int, e: int) -> bool:
    """`${DB_PASSWORD}`, `<password>`, `{{ pw }}` around a token."""
    return text[max(0, s - 2) : s].endswith(("${", "{{", "<")) or text[e : e + 1] in (">", "}")


class PinFinder:
    """`pin is 4821`, `VPN PIN: 550913`, `| Badge PIN | 7319 |`: 4 to 8 digits right after a PIN cue."""

    name = "pin_cue"
    label = "SECRET"
    locale = "any"
    version = "1"
    requires = ("pin", "passcode")

    def find(self, text: str) -> Iterator[Span]:
        for cue in _cues(_PIN_CUE, text):
            window = text[cue.end() : cue.end() + 48]
            if not _PIN_LEAD.match(window):
                continue
            m = _PIN.search(text, cue.end(), _clause_end(text, cue.end(), 48))
            # groups read out (`582 913`) only after `passcode`: a conference line's `PIN 883 119` is none
            if m is not None and (m.group(0).isdigit() or cue.group(0).lower() == "passcode"):
                yield Span(m.start(), m.end(), self.label, 0.85, f"regex:{self.name}")


class RecoveryCodeFinder:
    """One-time, recovery and backup codes (`7KQ2-M9XD`, `481920`) up to three lines after such a
    cue: the codes often follow in the next chat turn."""

    name = "recovery_code"
    label = "SECRET"
    locale = "any"
    version = "1"
    requires = ("code", "pin")

    def find(self, text: str) -> Iterator[Span]:
        for cue in _cues(_CODES_CUE, text):
            end = cue.end()
            for _ in range(3):
                nl = text.find("\n", end + 1)
                end = len(text) if nl < 0 else nl
            end = min(end, cue.end() + 240)
            for m in _CODE.finditer(text, cue.end(), end):
                yield Span(m.start(), m.end(), self.label, 0.8, f"regex:{self.name}")


def _literal_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    return not value.startswith(TEMPLATE_START) and value.lower() not in CODE_WORDS


# `auth=("amurray", "Ch1cago-Winds-42")`, `HTTPBasicAuth('jdoe', 's3cret!')`, `BasicAuth(login="u",
# password="p")`: the second literal of a basic-auth pair in code is the password.
BASIC_AUTH_PAIR = Recognizer(
    "basic_auth_pair",
    "SECRET",
    r"(?i:\b\w*auth\w*)[ \t]*(?:=[ \t]*\(|\()[ \t]*(?:\w+=)?(?P<q1>[\"'])[^\"'\n]{1,64}(?P=q1)[ \t]*,[ \t]*"
    r"(?:\w+=)?(?P<q2>[\"'])(?P<value>[^\"'\n]{1,128})(?P=q2)[ \t]*\)",
    score=0.9,
    group="value",
    accept=_literal_ok,
    requires=("auth",),
)

# A key whose last word says secret (`X-Auth-Key: 9f8e...`, `authKey: '...'`, `DB_CREDENTIAL=...`,
# `&sig=...` in a signed URL) and a machine-made value: 16+ characters of two classes or more. Not keys
# that name a public or an indexing value (`public_key`, `cache_key`, `key_id`, `idempotency-key`).
_KEY_END = re.compile(
    r"(?:key|secret|token|pass|pwd|auth|credentials?|sig|signature)s?\\?[\"']?[ \t]*[:=][ \t]*\\?[\"']?"
)
_KEY_START = re.compile(r"[A-Za-z][\w-]{0,40}$")
_KEY_VALUE = re.compile(r"[A-Za-z0-9+/_.%~=-]{16,512}(?![A-Za-z0-9+/_.%~=-])")
_KEY_PARTS = re.compile(r"[_-]+|(?<=[a-z])(?=[A-Z])")
_SECRET_WORDS = frozenset(("key", "secret", "token", "pass", "pwd", "auth", "credential", "sig", "signature"))
_PUBLIC_WORDS = frozenset(
    (
        "public", "pub", "cache", "idempotency", "id", "ids", "hash", "checksum", "etag", "fingerprint",
        "sort", "partition", "primary", "foreign", "lookup", "request", "trace", "session", "kid", "name",
        "type", "url", "uri", "path", "file", "length", "size", "count", "max", "min", "ttl", "expiry",
        "expires", "header", "version", "prefix", "format", "algorithm", "alg", "mode", "row", "object",
    )
)  # fmt: skip


class KeyNameSecretFinder:
    """Machine-made values of keys named as secrets, in configs, headers, query strings and logs."""

    name = "secret_key_name"
    label = "SECRET"
    locale = "any"
    version = "1"
    requires = ("key", "secret", "token", "pass", "pwd", "auth", "cred", "sig")

    def find(self, text: str) -> Iterator[Span]:
        for end in _cues(_KEY_END, text):
            head = _KEY_START.search(text, max(0, end.start() - 41), end.start())
            key = (head.group(0) if head else "") + text[end.start() : end.end()]
            name = re.match(r"[\w-]*", key)
            words = [w.lower() for w in _KEY_PARTS.split(name.group(0) if name else "") if w]
            if not words or (
                words[-1].removesuffix("s") not in _SECRET_WORDS and words[-1] not in _SECRET_WORDS
            ):
                continue
            if any(w in _PUBLIC_WORDS for w in words):
                continue
            m = _KEY_VALUE.match(text, end.end())
            if m is None:
                continue
            value = m.group(0).rstrip(".")
            if value.startswith(("/", "~", "./", "\\")):
                continue  # `PWD: '/Users/dev/project'`: the shell's working directory
            core = re.sub(r"%[0-9A-Fa-f]{2}|=+$", "", value)
            # an object key or path (`key=db/2024-10-14.sql.gz`); base64 with `/` mixes cases and digits
            if re.search(r"\.[a-z][a-z0-9]{1,4}$", value) or (
                "/" in value and not (re.search(r"[A-Z]", value) and re.search(r"[a-z]", value))
            ):
                continue
            if looks_like_code(value, text[m.end() : m.end() + 3]) or re.search(
                r"\.[A-Z][A-Z0-9_]{2,}$", value
            ):
                continue  # `settings.API_KEY`, `os.environ`
            if high_entropy(core) and not _UUID.fullmatch(value) and not value.startswith(TEMPLATE_START):
                yield Span(m.start(), m.start() + len(value), self.label, 0.85, f"regex:{self.name}")


RECOGNIZERS: list[Recognizer | Finder] = [
    PasswordCueFinder(),
    PinFinder(),
    RecoveryCodeFinder(),
    BASIC_AUTH_PAIR,
    KeyNameSecretFinder(),
]
