"""Logins in directory and Windows records, forms, prose and code (label USERNAME).

- Windows security events and directories: `Account Name:  jdoe`, `<Data Name="TargetUserName">jdoe`,
  `CORP\\jdoe`, `sAMAccountName: jdoe`.
- Forms and prose: `Network ID: mlopez2`, `my Windows login is kwu`, `logged in as ksmith`.
- Git and code: `TODO(jdoe)`, `@author tpark`, `Reviewed-by: kwu`, blame lines, GitHub profile and
  remote URLs, `/users/<login>` URL segments.

A value is reported only where the field names a person's account, never a system or service account
(patterns/accounts.py), a variable, or an ordinary word; where an organisation's name could stand
too (GitHub owners, URL segments), only a login shaped like a person's (`person_login`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from maskgate.detect.patterns.accounts import is_service_account, person_login
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.literals import CODE_WORDS
from maskgate.detect.spans import Span
from maskgate.detect.words import english_words

_LOGIN = r"[A-Za-z_][A-Za-z0-9._-]{0,31}[A-Za-z0-9_]|[A-Za-z]"
# `user_id`, `USERNAME`, `userName`: variables (an underscore joins the words; `david` is a login)
_CODE_NAME = re.compile(
    r"(?:[a-z]+_)*(?:e?uid|id|user(?:name|id)?|u?name|login|owner|account)(?:_[a-z]+)*|[A-Z_]{2,}|[a-z]+[A-Z]\w*"
)


def login_ok(value: str) -> bool:
    """Not a service account, a variable (`user_id`, `USERNAME`, `userName`), a placeholder or a number."""
    low = value.lower()
    if value.isdigit() or low in CODE_WORDS or _CODE_NAME.fullmatch(value) or is_service_account(value):
        return False
    return not value.startswith(("$", "{", "<", "%"))


def loginish(value: str) -> bool:
    """A login where a plain word could stand too: person-shaped (`jdoe`, `k.abernathy`), or not an
    English word and carrying a digit or a separator (`mlopez2`, `kwu_design`), or no word at all."""
    if not login_ok(value):
        return False
    if person_login(value):
        return True
    english = english_words()
    parts = [p for p in re.split(r"[._-]+|\d+", value.lower()) if p]
    return bool(parts) and not all(p in english for p in parts) and (value.lower() not in english)


def login_not_word(value: str) -> bool:
    """`loginish` and no English word, even one shaped like a person's login (`mark`, `ross`): the value
    a cue word names (`user jdoe2`, `the old fal-mansouri login`)."""
    return loginish(value) and value.lower() not in english_words()


def _value_login_ok(m: re.Match[str]) -> bool:
    return login_ok(m.group("value"))


def value_loginish(m: re.Match[str]) -> bool:
    return loginish(m.group("value"))


# -- Windows security events and directory records ------------------------------------------------

# `Account Name:		jdoe` (event 4624/4625 text), `<Data Name="TargetUserName">jdoe</Data>`,
# `sAMAccountName: jdoe`, `userPrincipalName: jdoe@corp.example` (the e-mail recognizer takes that).
USERNAME_WINDOWS_EVENT = Recognizer(
    "username_windows_event",
    "USERNAME",
    r"(?:\b(?i:account[ \t]+name|samaccountname|logon[ \t]+name|pre-windows[ \t]+2000[ \t]+logon[ \t]+name)"
    r"[ \t]*[:=][ \t]*\"?|Name=\"(?:Target|Subject)UserName\">)(?P<value>" + _LOGIN + r")(?![\w@$\\])",
    score=0.85,
    group="value",
    accept=_value_login_ok,
    requires=("account", "logon", 'username">'),
    prefix=r"account|samaccountname|logon|pre-windows|name=\"",
)


def _domain_user_ok(m: re.Match[str]) -> bool:
    value, domain = m.group("value"), m.group("domain")
    if domain in ("HKLM", "HKCU", "HKCR", "HKU", "HKCC", "NT AUTHORITY", "BUILTIN", "IIS APPPOOL"):
        return False
    if m.group("sep") == "\\" and value[0] in "ntrbfvaux0" and not person_login(value):
        return False  # `"FAILED\nretrying"`: an escape sequence in a string, not DOMAIN\user
    return login_ok(value) and not english_words().__contains__(value.lower())


# `CORP\jdoe`, `ACME\\m.lopez` (JSON-escaped): a NetBIOS domain, then the account.
USERNAME_DOMAIN = Recognizer(
    "username_domain",
    "USERNAME",
    r"(?P<domain>[A-Z](?<![\w\\/.-][A-Z])[A-Z0-9-]{1,14})(?P<sep>\\{1,2})(?P<value>[a-z][a-z0-9._-]{0,30}[a-z0-9])"
    r"(?![\w\\/]|\.\w)",
    score=0.85,
    group="value",
    accept=_domain_user_ok,
    requires=("\\",),
)

# -- forms and prose ------------------------------------------------------------------------------

# What IT and HR forms call a login: `Network ID: mlopez2`, `Windows login - kwu`, `my VPN username is
# tpark`, `Employee login: rnguyen`. (`Username:`, `User ID:`, `Login ID:` are username_assignment's
# and username_cue's.)
_FORM_SYSTEMS = (
    r"windows|domain|ad|active[ \t]+directory|employee|student|vpn|sso|okta|jira|slack|github|gitlab"
)
_FORM_CUES = (
    r"network[ \t]+(?:id|login|user(?:[ \t]?name)?|account)|net[ \t]?id|lan[ \t]+id|"
    r"(?:" + _FORM_SYSTEMS + r")[ \t]+(?:login|log-?on|user[ \t]?name|user[ \t]?id|account|id|handle)"
    r"(?:[ \t]+(?:name|id))?|sign-?(?:in|on)[ \t]+(?:name|id)"
)
USERNAME_FORM = Recognizer(
    "username_form",
    "USERNAME",
    r"\b(?i:" + _FORM_CUES + r")(?:[ \t]*[:=\-–][ \t]*|[ \t]+(?i:is|was)[ \t]+|[ \t]*\|[ \t]*)[\"'“`]?"
    r"(?P<value>" + _LOGIN + r")(?![\w@\\]|\.\w)",
    score=0.85,
    group="value",
    accept=value_loginish,
    # the first word of every cue (`system`, `company`, `portal` logins were left out: too often prose)
    requires=("network", "net id", "netid", "lan id", "windows", "domain", "ad ", "active directory", "employee",
              "student", "vpn", "sso", "okta", "jira", "slack", "github", "gitlab", "sign"),
    prefix=r"network|net|lan|windows|domain|ad[ \t]|active|employee|student|vpn|sso|okta|jira|slack|github|gitlab|"
    r"sign",
)  # fmt: skip


# `logged in as ksmith`, `signed in as aisha_k`, `authenticated as "mlopez"`, `impersonating tpark`.
# Capitalised names there are the name layer's (PERSON).
USERNAME_LOGGED_IN_AS = Recognizer(
    "username_logged_in_as",
    "USERNAME",
    r"\b(?i:(?:logged|signed|logging|signing|log|sign)[ \t-]?(?:in|on)[ \t]+as|authenticated[ \t]+as|"
    r"connected[ \t]+as|running[ \t]+as[ \t]+user|impersonat(?:e|es|ed|ing)(?:[ \t]+user)?|"
    r"switch(?:ed)?[ \t]+to[ \t]+user)[ \t]+[\"'`@]?(?P<value>[a-z][a-z0-9._-]{0,30}[a-z0-9])(?![\w@]|\.\w)",
    score=0.85,
    group="value",
    accept=value_loginish,
    requires=(" as ", "impersonat", "to user"),
    prefix=r"(?:(?:logged|signed|logging|signing|log|sign)[ \t-]?(?:in|on)[ \t]+as|authenticated[ \t]+as|"
    r"connected[ \t]+as|running[ \t]+as|impersonat|switch)",
)

# `account: @kwu_design`, `(user: @mlopez)`: a handle written with its `@` after an account label.
USERNAME_LABELLED_HANDLE = Recognizer(
    "username_labelled_handle",
    "USERNAME",
    r"\b(?i:account|acct|user(?:[ \t]?name)?|login|profile|handle|ig|insta(?:gram)?|twitter|tiktok|x)"
    r"[ \t]*[:=][ \t]*[\"']?(?P<handle>@(?P<value>[A-Za-z0-9_](?:[A-Za-z0-9_]|[.-](?=[A-Za-z0-9_])){1,38}))"
    r"(?![\w@/(]|[.-]\w)",
    score=0.85,
    group="handle",
    accept=_value_login_ok,
    requires=("@",),
    prefix=r"(?:account|acct|user(?:[ \t]?name)?|login|profile|handle|ig|insta(?:gram)?|twitter|tiktok|x)"
    r"[ \t]*[:=][ \t]*[\"']?@",
)

_PAREN_LOGIN = re.compile(r"[(\[](?P<value>[a-z][a-z0-9._-]{1,30}[a-z0-9])[)\]]")
_NAME_BEFORE = re.compile(
    r"(?P<name>[A-Z][^\W\d_]+(?:[ \t]+[A-Z][^\W\d_'’-]*(?:['’-][^\W\d_]+)?){1,3})[ \t]*$"
)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if c.isalpha() and c.isascii())


class NamedLoginFinder:
    """`Helen Achterberg (hachterberg)`, `Tomasz Wróbel [twrobel]`: a login written after its owner's
    name, made from that name (surname, first name, or initial and surname), so no ordinary word."""

    name = "username_named_login"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = ("(", "[")

    def find(self, text: str) -> Iterator[Span]:
        for m in _PAREN_LOGIN.finditer(text):
            before = _NAME_BEFORE.search(text, max(0, m.start() - 60), m.start())
            if before is None:
                continue
            words = [_plain(w) for w in before.group("name").split()]
            first, last = words[0], words[-1]
            login = _plain(m.group("value"))
            derived = (len(last) >= 3 and last in login) or (len(first) >= 3 and login.startswith(first))
            if derived and login_ok(m.group("value")):
                yield Span(m.start("value"), m.end("value"), self.label, 0.85, f"regex:{self.name}")


USERNAME_NAMED_LOGIN = NamedLoginFinder()

# Chat transcripts whose speakers are handles: `TechGuru42: my router keeps dropping`, `jen_k: same here`.
_SPEAKER_LINE = re.compile(
    r"^(?:\[[^\]\n]{1,24}\][ \t]*)?(?P<h>[A-Za-z][A-Za-z0-9._-]{1,31})(?<![._-]):[ \t]+(?P<msg>[^\n]+)$", re.M
)
# a support desk's or a bot's own name (`agent_maya`, `mod-team`), not a customer's login
ROLE_SPEAKER = re.compile(
    r"(?i:agent|support|help|bot|mod|admin|staff|team|rep|csr?|sys|service|auto)\b|.*bot$"
)
_CAMEL_PARTS = re.compile(r"[._-]+|\d+|(?<=[a-z])(?=[A-Z])")


def _handle_shaped(h: str) -> bool:
    """Digits, an underscore or inner capitals, and not only English words (`TechGuru42`, `jen_k`;
    not `max_retries`, `SupportAgent`, `HTTP2`)."""
    if h.isupper() or not (re.search(r"\d|_|[a-z][A-Z]", h)):
        return False
    english = english_words()
    parts = [p.lower() for p in _CAMEL_PARTS.split(h) if p]
    if not parts or not login_ok(h) or ROLE_SPEAKER.match(h.replace("_", " ")):
        return False
    # words with digits joined into one name (`TechGuru42`, `sunny_day_99`) are a handle too; one word
    # and a number (`Step1`, `Error404`) or words alone (`max_retries`) are not
    return not all(p in english for p in parts) or (len(parts) >= 2 and any(c.isdigit() for c in h))


def _chat_prose(msg: str) -> bool:
    words = msg.split()
    english = english_words()
    known = sum(1 for w in re.findall(r"[a-z]+", msg.lower()) if w in english)
    return len(words) >= 3 and known >= 2 and not msg.rstrip().endswith(("{", "[", ",", "(", "\\"))


class SpeakerHandleFinder:
    """Handle-shaped speakers of a chat transcript (two prose lines `speaker: message` or more)."""

    name = "username_speaker"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = (": ",)

    def find(self, text: str) -> Iterator[Span]:
        if "\n" not in text:
            return
        lines = [m for m in _SPEAKER_LINE.finditer(text) if _chat_prose(m.group("msg"))]
        if len(lines) < 2:
            return
        for m in lines:
            if _handle_shaped(m.group("h")):
                yield Span(m.start("h"), m.end("h"), self.label, 0.8, f"regex:{self.name}")


USERNAME_SPEAKER = SpeakerHandleFinder()

RECOGNIZERS: list[Recognizer | Finder] = [
    USERNAME_NAMED_LOGIN,
    USERNAME_SPEAKER,
    USERNAME_WINDOWS_EVENT,
    USERNAME_DOMAIN,
    USERNAME_FORM,
    USERNAME_LOGGED_IN_AS,
    USERNAME_LABELLED_HANDLE,
]
