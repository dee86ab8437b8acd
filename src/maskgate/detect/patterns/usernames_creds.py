"""Credentials written as a pair, and handles after a platform's name.

- `login jdoe / Winter2024!x`, `creds are mlopez:Tr0ub4dor&3`, `user tpark pw Zk3qP9xW2m`, `my login
  is aisha_k / Falcon#2024`: the login (USERNAME, unless a service account) and the password beside
  it (SECRET, also a service account's). The password must look like one (letters with digits or
  symbols, no word, no path), so `user jdoe / admin` or `account 4471 / 2024` are left alone.
- `mysql -u bwells -pS3cr3tPass!`, `psql -U kwu`: database clients' login and attached password.
- `snap: priya.k.29`, `ig: aisha.k_`, `xbox gamertag - FalconKid07`: a handle after a platform's name
  without its `@`.
"""

from __future__ import annotations

import re

from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.usernames_fields import login_ok, loginish
from maskgate.detect.words import english_words

_USER = r"(?P<user>[A-Za-z0-9_][\w.@-]{0,40}?)"
_PASSWORD = r"[\"'`]?(?P<pw>[^\s\"'`]{6,64}?)[\"'`]?(?=[\s,;)]|[.!?](?:\s|$)|$)"
_CRED_PAIR = (
    r"\b(?i:(?:creds?|credentials|login|logon|user(?:[ \t]?name)?|account|acct|u/p|user/pass(?:word)?)"
    r"(?:[ \t]+(?:is|are|was|were))?)[ \t]*[:=]?[ \t]+[\"'`]?" + _USER + r"[\"'`]?"
    r"(?:[ \t]*[/|][ \t]*|:(?=\S)|[ \t]+(?i:(?:and[ \t]+(?:the[ \t]+)?)?(?:pw|pwd|pass(?:word)?|pin))(?:[ \t]+is)?"
    r"[ \t]*[:=]?[ \t]*)" + _PASSWORD
)


def _password_shaped(pw: str) -> bool:
    """Letters with digits or symbols, no path, URL, date, version or e-mail address."""
    if "/" in pw or "\\" in pw or "://" in pw or pw.count("@") or pw.lower() in english_words():
        return False
    if pw.endswith(":") and pw[:-1].isalpha():
        return False  # the next field's label in a `User: x | Location: y` line
    if re.fullmatch(r"[\d.:-]+|v?\d+(?:\.\d+)+\w*|\$\{?\w+\}?|<\w+>|\{\{?[\w.]+\}\}?|\*+|x+", pw, re.I):
        return False  # numbers, versions, `${PASSWORD}`, `<password>`, `****`
    letters = any(c.isalpha() for c in pw)
    others = any(not c.isalpha() for c in pw)
    return letters and others


def _pair_password_ok(m: re.Match[str]) -> bool:
    return _password_shaped(m.group("pw")) and not m.group("user").isdigit()


def _pair_user_ok(m: re.Match[str]) -> bool:
    user = m.group("user")
    return "@" not in user and _pair_password_ok(m) and login_ok(user) and user.lower() not in english_words()


_PAIR_REQUIRES = ("cred", "login", "logon", "user", "account", "acct", "u/p")
_PAIR_PREFIX = r"(?:cred|login|logon|user|account|acct|u/p)"
CREDENTIAL_PAIR_USER = Recognizer(
    "credential_pair_user",
    "USERNAME",
    _CRED_PAIR,
    score=0.85,
    group="user",
    accept=_pair_user_ok,
    requires=_PAIR_REQUIRES,
    prefix=_PAIR_PREFIX,
)
CREDENTIAL_PAIR_PASSWORD = Recognizer(
    "credential_pair_password",
    "SECRET",
    _CRED_PAIR,
    score=0.9,
    group="pw",
    accept=_pair_password_ok,
    requires=_PAIR_REQUIRES,
    prefix=_PAIR_PREFIX,
)

# `mysql -u bwells -pS3cr3tPass! -h db`, `mysqldump -ubwells`, `psql -U kwu -d orders`
_DB_CLIENT = r"\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|psql|pg_dump|pg_dumpall|pg_restore)\b"


def _db_user_ok(m: re.Match[str]) -> bool:
    return login_ok(m.group("value"))


DB_CLIENT_USER = Recognizer(
    "db_client_user",
    "USERNAME",
    _DB_CLIENT
    + r"[^\n|;&]*?[ \t](?:-u[ \t]?|-U[ \t]?|--user(?:name)?=)[\"']?(?P<value>[A-Za-z_][\w.-]{0,31})",
    score=0.85,
    group="value",
    accept=_db_user_ok,
    requires=("mysql", "mariadb", "psql", "pg_"),
    prefix=r"mysql|mariadb|psql|pg_",
)


def _db_password_ok(m: re.Match[str]) -> bool:
    pw = m.group("pw")
    return not pw.startswith(("<", "$", "{", "%")) and (_password_shaped(pw) or len(pw) >= 8)


DB_CLIENT_PASSWORD = Recognizer(
    "db_client_password",
    "SECRET",
    r"\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n|;&]*?[ \t]-p(?P<pw>[^\s\"'-][^\s\"']{3,63})",
    score=0.9,
    group="pw",
    accept=_db_password_ok,
    requires=("mysql", "mariadb"),
    prefix=r"mysql|mariadb",
)

# Platforms whose name may stand before a bare handle.
_PLATFORMS = (
    r"snap(?:chat)?|sc|ig|insta(?:gram)?|tiktok|tt|twitter|telegram|tg|discord|kik|wechat|skype|threads|"
    r"bluesky|bsky|mastodon|twitch|yt|youtube|psn|xbox(?:[ \t]+gamertag)?|steam|roblox|epic(?:[ \t]+games)?|"
    r"reddit|venmo|cash[ \t]?app|line[ \t]+id|signal"
)


def _platform_handle_ok(m: re.Match[str]) -> bool:
    return loginish(m.group("value").rstrip("._"))


PLATFORM_HANDLE = Recognizer(
    "username_platform_handle",
    "USERNAME",
    r"\b(?i:" + _PLATFORMS + r")[ \t]*(?:[:=\-–][ \t]*|[ \t]+(?i:is|handle|name|id|username)[ \t:]+)"
    r"(?P<handle>@?(?P<value>[A-Za-z0-9_](?:[\w]|[.-](?=\w)){1,30}[._]?))(?![\w@/#]|[.-]\w)",
    score=0.85,
    group="handle",
    accept=_platform_handle_ok,
    # two-letter names only with their separator (`ig` alone is inside every `right`)
    # two-letter names and everyday words (`cash`, `signal`) only with their separator
    requires=("snap", "sc:", "sc -", "ig:", "ig -", "ig is", "insta", "tiktok", "tt:", "twitter", "telegram", "tg:",
              "discord", "kik:", "wechat", "skype", "threads:", "bluesky", "bsky", "mastodon", "twitch", "yt:",
              "youtube", "psn", "xbox", "steam:", "steam id", "roblox", "epic:", "epic games", "reddit:", "venmo",
              "cash app", "cashapp", "line id", "signal:"),
    # the platform's name as a word with its `:`/`-`/`is` (`ig` inside `right` costs one failed step)
    prefix=r"(?:" + _PLATFORMS + r")(?:[ \t]*[:=\-–]|[ \t]+(?:is|handle|name|id|username)\b)",
)  # fmt: skip

# ~/.pgpass: `host:port:database:user:password`, one a line (`*` may stand for any field but the last)
_PGPASS = (
    r"(?m)^[ \t]*[\w.*-]{1,253}:(?:\d{1,5}|\*):[\w.*-]{1,63}:(?P<user>[A-Za-z_*][\w.@*-]{0,62}):"
    r"(?P<pw>[^\s:][^\s]{0,127})[ \t]*$"
)


def _pgpass_user_ok(m: re.Match[str]) -> bool:
    user = m.group("user")
    return "@" not in user and user != "*" and login_ok(user)


def _pgpass_password_ok(m: re.Match[str]) -> bool:
    return m.group("pw") not in ("*", "-") and not m.group("pw").startswith(("$", "{", "<"))


PGPASS_USER = Recognizer(
    "pgpass_user", "USERNAME", _PGPASS, score=0.85, group="user", accept=_pgpass_user_ok, requires=(":",)
)
PGPASS_PASSWORD = Recognizer(
    "pgpass_password", "SECRET", _PGPASS, score=0.9, group="pw", accept=_pgpass_password_ok, requires=(":",)
)

RECOGNIZERS: list[Recognizer | Finder] = [
    PGPASS_USER,
    PGPASS_PASSWORD,
    CREDENTIAL_PAIR_USER,
    CREDENTIAL_PAIR_PASSWORD,
    DB_CLIENT_USER,
    DB_CLIENT_PASSWORD,
    PLATFORM_HANDLE,
]
