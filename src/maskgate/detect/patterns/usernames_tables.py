"""Logins and passwords in table columns, chat speakers, device names and auth-server logs.

- Tables with a header row (CSV, TSV, `|` tables from psql or Markdown): the cells under a
  `username`/`login`/`sAMAccountName` column are USERNAME, under a `password`/`pwd`/`totp` column
  SECRET: password-manager exports (Chrome, Bitwarden, LastPass, 1Password, KeePass), user tables,
  admin exports.
- Chat exports: the speaker at the start of a line after a time stamp (`[9:41 PM] wren.hollis:`,
  `[21:41] <koji_n>`, `Wren (wren.hollis):`).
- Device names made of a login (`MFITZGERALD-LT`, `akhan-mbp`).
- FreeRADIUS (`Login OK: [s.achebe]`) and logins named after a cue word (`the old fal-mansouri login`,
  `username is still fal-mansouri`).

A cell is reported only where it has a login's shape: no blank, no e-mail (the e-mail recognizer's),
no service account (`admin`, `svc_backup`), no placeholder (`****`, `N/A`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.patterns.accounts import is_service_account
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.usernames_fields import ROLE_SPEAKER, login_not_word, login_ok, loginish
from maskgate.detect.patterns.usernames_prose import name_login
from maskgate.detect.spans import Span
from maskgate.detect.tables import Quotes, first_delimiter, split_row
from maskgate.detect.words import english_words

# -- tables with a header row -------------------------------------------------------------------------

_USER_HEADS = frozenset(
    {
        "username",
        "user name",
        "user_name",
        "login",
        "login name",
        "login_name",
        "loginname",
        "login_username",
        "samaccountname",
        "sam account name",
        "account name",
        "accountname",
        "screen name",
        "screen_name",
        "handle",
        "user",
        "user id",
        "userid",
        "user_id",
        "uid",
        "nickname",
    }
)
# headers where a plain word could be a value too: `user` (`guest`, `anonymous`)
_WEAK_USER_HEADS = frozenset({"user", "handle", "nickname", "user id", "userid", "user_id", "uid"})
_SECRET_HEADS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pass",
        "passcode",
        "pin",
        "login_password",
        "login password",
        "totp",
        "login_totp",
        "otpauth",
        "secret",
        "temp password",
        "temporary password",
        "initial password",
    }
)
_HEAD_WORDS = (
    r"user(?:[ _]?name|[ _]?id)?|login(?:[ _]?(?:name|username|password|totp))?|samaccountname|sam account name|"
    r"account[ ]?name|screen[ _]name|handle|nickname|uid|passwd|password|pwd|pass|passcode|pin|totp|otpauth|"
    r"secret|(?:temp|temporary|initial) password"
)
# a header cell naming a login or password column, between delimiters
_HEAD = re.compile(
    r"(?:^|[,\t|;])[ \t]*[\"']?(?i:" + _HEAD_WORDS + r")[\"']?[ \t]*(?=[,\t|;]|$)",
    re.M,
)
_HEAD_CELL = re.compile(r"[a-z][a-z0-9 _./()#-]{0,40}|")
_PLACEHOLDER = re.compile(
    r"\**|-+|n/?a|null|none|\(none\)|<[^>]*>|\[[^\]]*\]|true|false|yes|no|t|f|set|not set|unset|"
    r"hidden|redacted|expired|required|x+|\?+|\.+",
    re.I,
)


def _cells(line: str, delim: str) -> list[tuple[int, str]]:
    """(offset, value) of each cell but those outside a Markdown row's outer pipes; values stripped of
    blanks and CSV quotes."""
    quotes: Quotes = "strict" if delim == "," else ""
    return [(a, line[a:b]) for a, b in split_row(line, delim, quotes=quotes, pipes="markdown", strip=" \t")]


def _user_cell_ok(value: str, weak: bool) -> bool:
    if not value or " " in value or "@" in value or len(value) > 40 or _PLACEHOLDER.fullmatch(value):
        return False
    if not login_ok(value) or not re.fullmatch(r"[A-Za-z0-9][\w.\\-]*", value):
        return False
    if "\\" in value:  # `CORP\jdoe`: the domain part is no one's
        return False
    return loginish(value) if weak else value.lower() not in english_words() or bool(name_login(value))


def _secret_cell_ok(value: str) -> bool:
    if not value or len(value) > 128 or _PLACEHOLDER.fullmatch(value):
        return False
    return not value.startswith(("$", "{{", "${", "%"))


def _rows(text: str) -> Iterator[tuple[int, list[str], list[tuple[int, str]], list[str]]]:
    """For each table whose header names a login or secret column: (row offset, label, cells, heads)
    of each data row (label is the kind each head names, `U`, `S` or empty)."""
    seen: set[int] = set()
    for h in _HEAD.finditer(text):
        start = text.rfind("\n", 0, h.start() + 1) + 1
        if start in seen:
            continue
        seen.add(start)
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        header = text[start:end]
        delim = first_delimiter(header, ("\t", "|", ";", ","), ",")
        heads = [v.lower().strip("\"'") for _, v in _cells(header, delim)]
        if len(heads) < 2 or not all(_HEAD_CELL.fullmatch(hd) for hd in heads):
            continue  # a row of values (`| Temp password | Welcome-2026! |`), not a header
        before = text[text.rfind("\n", 0, max(0, start - 1)) + 1 : max(0, start - 1)]
        if start > 0 and delim in before:
            continue  # the header is a table's first row: a key-value table's row is not one
        kinds = ["U" if hd in _USER_HEADS else "S" if hd in _SECRET_HEADS else "" for hd in heads]
        if not any(kinds):
            continue
        pos = end + 1
        while pos < len(text):
            nl = text.find("\n", pos)
            nl = len(text) if nl < 0 else nl
            line = text[pos:nl]
            if not line.strip():
                break
            if re.fullmatch(r"[\s|+:=-]+", line):  # `----+----`, `|---|---|`
                pos = nl + 1
                continue
            cells = _cells(line, delim)
            if len(cells) != len(heads):
                break
            yield pos, heads, cells, kinds
            pos = nl + 1


class TableColumnFinder:
    """USERNAME or SECRET cells under a column the header row names."""

    locale = "any"
    version = "1"
    requires = (
        "user",
        "login",
        "pass",
        "pwd",
        "account",
        "handle",
        "pin",
        "totp",
        "otp",
        "secret",
        "uid",
        "nick",
    )

    def __init__(self, name: str, label: str) -> None:
        self.name = name
        self.label = label
        self._kind = "U" if label == "USERNAME" else "S"

    def find(self, text: str) -> Iterator[Span]:
        for pos, heads, cells, kinds in _rows(text):
            for (offset, value), kind, head in zip(cells, kinds, heads, strict=False):
                if kind != self._kind:
                    continue
                ok = _user_cell_ok(value, head in _WEAK_USER_HEADS) if kind == "U" else _secret_cell_ok(value)
                if ok:
                    start = pos + offset
                    yield Span(start, start + len(value), self.label, 0.85, f"regex:{self.name}")


USERNAME_TABLE_COLUMN = TableColumnFinder("username_table_column", "USERNAME")
SECRET_TABLE_COLUMN = TableColumnFinder("secret_table_column", "SECRET")

# -- chat speakers ------------------------------------------------------------------------------------

_STAMP = (
    r"(?:\[[^\]\n]{3,30}\]|\(?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?\)?|"
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)"
)
_SPEAKER = re.compile(
    r"^[ \t]*" + _STAMP + r"[ \t]+(?:<(?P<irc>[A-Za-z][\w.|-]{1,30})>|"
    r"(?P<login>[A-Za-z][\w.'’-]{0,30}[A-Za-z0-9_])(?P<disc>#\d{4})?"
    r"(?:[ \t][A-Z][\w'’-]{1,20})?[ \t]*(?:\((?P<paren>[A-Za-z][\w.-]{1,30}[A-Za-z0-9_])\)[ \t]*)?:)",
    re.M,
)


def _speaker_ok(value: str) -> bool:
    if is_service_account(value) or not login_ok(value) or ROLE_SPEAKER.match(value.replace("_", " ")):
        return False
    if re.search(r"[._\d]", value) or name_login(value):
        return loginish(value)
    return False  # `Wren:` `ModBot:` a display name (the name layer's), not a login


class ChatSpeakerFinder:
    """The login that speaks a line of a chat export (Discord, IRC, Slack, Teams)."""

    name = "username_chat_speaker"
    label = "USERNAME"
    locale = "any"
    version = "1"

    def find(self, text: str) -> Iterator[Span]:
        for m in _SPEAKER.finditer(text):
            for group in ("irc", "login", "paren"):
                value = m.group(group)
                if value and _speaker_ok(value):
                    end = m.end("disc") if group == "login" and m.group("disc") else m.end(group)
                    yield Span(m.start(group), end, self.label, 0.8, f"regex:{self.name}")


USERNAME_CHAT_SPEAKER = ChatSpeakerFinder()

# -- device names, RADIUS, post-cues ------------------------------------------------------------------


def _device_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    return not is_service_account(value) and name_login(value.lower()) is not None


# `MFITZGERALD-LT`, `jsmith-pc`, `akhan-mbp`: a login, then a device suffix
USERNAME_DEVICE = Recognizer(
    "username_device_name",
    "USERNAME",
    r"(?<![\w.-])(?P<value>[A-Za-z][A-Za-z0-9._]{3,24})-(?i:lt|pc|laptop|desktop|ws|mbp|mba|macbook(?:-pro|-air)?|"
    r"nb|ntb|wks)(?:-?\d{1,3})?(?![\w-])",
    score=0.75,
    group="value",
    accept=_device_ok,
    requires=("-lt", "-pc", "-laptop", "-desktop", "-ws", "-mb", "-nb", "-ntb", "-wks"),
)


def _radius_ok(m: re.Match[str]) -> bool:
    return login_ok(m.group("value")) and not is_service_account(m.group("value"))


# FreeRADIUS: `Login OK: [s.achebe] (from client ...)`, `Login incorrect (...): [jdoe/<via ...>]`
USERNAME_RADIUS = Recognizer(
    "username_radius",
    "USERNAME",
    r"\bLogin (?:OK|incorrect)\b[^\n\[]{0,120}:[ \t]*\[(?P<value>[^\]\s/<>]{1,64}?)(?=[\]/])",
    score=0.85,
    group="value",
    accept=_radius_ok,
    requires=("login ok", "login incorrect"),
)


def _post_cue_ok(m: re.Match[str]) -> bool:
    value = m.group("value") or m.group("value2")
    if not login_not_word(value):
        return False
    return bool(re.search(r"[._\d-]", value)) or name_login(value) is not None


# `the old fal-mansouri login`, `my jdoe_2 account`, `username is still fal-mansouri`
USERNAME_POST_CUE = Recognizer(
    "username_post_cue",
    "USERNAME",
    r"\b(?i:(?:the|my|your|his|her|their|old|new|former)[ \t]+(?:(?:old|new|former|previous)[ \t]+)?)"
    r"(?P<value>[a-z][A-Za-z0-9._-]{1,30}[A-Za-z0-9_])[ \t]+(?i:login|username|user[ \t]?id|account)\b|"
    r"\b(?i:user[ \t]?name|login|user[ \t]?id)[ \t]+(?i:is|was)[ \t]+(?i:still|now|just|actually|probably|"
    r"currently|always)[ \t]+(?P<value2>[A-Za-z][A-Za-z0-9._-]{1,30}[A-Za-z0-9_])(?![\w@])",
    score=0.8,
    group=("value", "value2"),
    accept=_post_cue_ok,
    requires=("login", "username", "user name", "user id", "userid", "account"),
)


# `mvo_draws on insta`: the platform first (rare), then the handle just before it
_ON_PLATFORM = re.compile(
    r"[ \t]+on[ \t]+(?i:insta(?:gram)?|ig|tiktok|twitter|snap(?:chat)?|twitch|discord|reddit|youtube|threads|"
    r"bluesky|bsky|tumblr|steam|roblox|xbox|psn|venmo)\b"
)
_HANDLE_BEFORE = re.compile(r"(?<![\w@.-])[a-z][a-z0-9._-]{1,30}[a-z0-9_]$")


class OnPlatformFinder:
    """A handle named with its platform after it: `mvo_draws on insta`, `jxs.99 on tiktok`."""

    name = "username_on_platform"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = (" on ",)

    def find(self, text: str) -> Iterator[Span]:
        for m in _ON_PLATFORM.finditer(text):
            h = _HANDLE_BEFORE.search(text, max(0, m.start() - 33), m.start())
            if h is None:
                continue
            value = h.group(0)
            shaped = re.search(r"[._\d-]", value) is not None or name_login(value) is not None
            if shaped and loginish(value) and value not in english_words():
                yield Span(h.start(), h.end(), self.label, 0.8, f"regex:{self.name}")


USERNAME_ON_PLATFORM = OnPlatformFinder()

RECOGNIZERS: list[Recognizer | Finder] = [
    USERNAME_TABLE_COLUMN,
    SECRET_TABLE_COLUMN,
    USERNAME_CHAT_SPEAKER,
    USERNAME_DEVICE,
    USERNAME_RADIUS,
    USERNAME_POST_CUE,
    USERNAME_ON_PLATFORM,
]
