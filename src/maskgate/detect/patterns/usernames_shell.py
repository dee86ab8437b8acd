"""Logins in what shells and system tools print (label USERNAME): `id`, `ls -l`, `ps`/`top`,
`who`/`last`, `/etc/passwd`, sudo and audit lines, prompts (`jdoe@laptop:~$`), `~jdoe/`, `user@IP`,
and commands that take a user (`crontab -u`, `su -`, `chown`, `usermod`).

Coding agents paste such output all day, so every pattern is anchored on its tool's literal shape
(a permission string, a tty column, `uid=`, `sudo:`) and never reports a system or service account
(`root`, `postgres`, `www-data`: patterns/accounts.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.patterns.accounts import is_service_account
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.literals import CODE_WORDS
from maskgate.detect.spans import Span
from maskgate.detect.words import english_words

# a login as tools print it: `jdoe`, `k.abernathy`, `mlopez2`, `aisha_k` (no `$VAR`, no `{id}`)
_LOGIN = r"[a-z_][a-z0-9._-]{0,31}"
_LOGIN_CI = r"[A-Za-z_][A-Za-z0-9._-]{0,31}"


# `uid=user_id`, `-u username`: variables (an underscore joins the words; `david` is a login)
_VARIABLE = re.compile(r"(?:[a-z]+_)*(?:e?uid|id|user(?:name|id)?|u?name|login|owner)(?:_[a-z]+)*")


def _login_ok(value: str) -> bool:
    value = value.rstrip(".-")
    if not value or value.isdigit() or value[0] in "<$%{[(" or value.lower() in CODE_WORDS:
        return False  # `-u $USER`, a placeholder already put in
    return _VARIABLE.fullmatch(value.lower()) is None and not is_service_account(value)


def _value_ok(m: re.Match[str]) -> bool:
    return _login_ok(m.group("value"))


def _span(m: re.Match[str], group: str, name: str) -> Span:
    return Span(m.start(group), m.end(group), "USERNAME", 0.85, f"regex:{name}")


def _uid_ok(m: re.Match[str]) -> bool:
    return _login_ok(m.group("value") or m.group("named")) and m.group("named") != "unset"


def _sudo_ok(m: re.Match[str]) -> bool:
    return _login_ok(m.group("value") or m.group("by"))


# `uid=1003(ksmith) gid=1003(ksmith)` (`id`), `auid=aisha`, `AUID="aisha"` (ausearch -i).
USERNAME_UID = Recognizer(
    "username_uid",
    "USERNAME",
    r"\b(?:(?:[ug]id=\d+\((?P<value>" + _LOGIN + r")\))|(?:(?i:a|o|e|s|fs)?uid|AUID|UID|OUID)=\"?"
    r"(?P<named>" + _LOGIN + r")\"?(?![\w(]))",
    score=0.85,
    group=("value", "named"),
    accept=_uid_ok,
    requires=("uid=", "gid="),
)

# `sudo:    tpark : TTY=pts/3 ; PWD=...`, `session opened for user root by tpark(uid=1004)`
USERNAME_SUDO = Recognizer(
    "username_sudo",
    "USERNAME",
    r"(?:\bsudo(?:\[\d+\])?:[ \t]+(?P<value>"
    + _LOGIN
    + r")[ \t]+:[ \t]+(?:TTY|PWD|user NOT|[0-9]+ incorrect)"
    r"|\bby[ \t]+(?P<by>" + _LOGIN + r")\(uid=\d+\))",
    score=0.9,
    group=("value", "by"),
    accept=_sudo_ok,
    requires=("sudo", "(uid="),
)

# `/etc/passwd` lines: `rnguyen:x:1004:1004:Rosa Nguyen,,,:/home/rnguyen:/bin/bash`
USERNAME_PASSWD = Recognizer(
    "username_passwd",
    "USERNAME",
    r"(?m:(?:^|(?<=\\n))(?P<value>" + _LOGIN + r"):[x*!]?:\d+:\d+:[^:\n]*:/[^:\n]*:)",
    score=0.9,
    group="value",
    accept=_value_ok,
    requires=(":/bin/", ":/usr/", ":/sbin/", ":/home/"),
)

# `~jdoe/notes.txt`, `https://example.edu/~tpark/thesis.pdf`: a user's home by tilde.
USERNAME_TILDE = Recognizer(
    "username_tilde",
    "USERNAME",
    r"~(?<![\w~]~)(?P<value>" + _LOGIN + r")(?=/)",
    score=0.85,
    group="value",
    accept=_value_ok,
    requires=("~",),
)

# Shell prompts: `jdoe@laptop:~/src$ `, `[ksmith@web01 ~]$ `, `(venv) aisha@mbp ~ % `; and `jdoe@10.0.0.5`,
# `scp x mlopez@192.168.1.20:/tmp` (a login at an IPv4 address is never e-mail). Both are found from
# their `@` and what follows it, then the login before it is read.
_PROMPT_TAIL = re.compile(r"@[A-Za-z0-9][\w.-]{0,62}(?::[~/][^\s$#%]*[$#]|[ \t]+[~/][^\s\]]*\]?[ \t]?[$#%])")
_PROMPT_HEAD = re.compile(r"(?:\([\w.-]{1,24}\) )?\[?(?P<value>" + _LOGIN + r")")
_AT_IP = re.compile(r"@(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)")
_LOGIN_BEFORE = re.compile(r"(?<![\w.@/+-])(?P<value>" + _LOGIN_CI + r")$")


class PromptFinder:
    """Logins of shell prompts and of `user@IPv4` targets."""

    name = "username_prompt"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = ("@",)

    def find(self, text: str) -> Iterator[Span]:
        for m in _PROMPT_TAIL.finditer(text):
            escaped = text.rfind("\\n", 0, m.start())  # a JSON-escaped line break
            line_start = max(text.rfind("\n", 0, m.start()) + 1, escaped + 2 if escaped >= 0 else 0)
            head = _PROMPT_HEAD.fullmatch(text, line_start, m.start())
            if head is not None and _login_ok(head.group("value")):
                yield _span(head, "value", self.name)
        for m in _AT_IP.finditer(text):
            login = _LOGIN_BEFORE.search(text, max(0, m.start() - 33), m.start())
            if login is not None and _login_ok(login.group("value")):
                yield Span(login.start("value"), login.end("value"), self.label, 0.85, "regex:username_at_ip")


USERNAME_PROMPT = PromptFinder()


def _command_user_ok(m: re.Match[str]) -> bool:
    low = m.group("value").lower()
    if low in english_words():
        return False  # `finger prints were taken`, `passwd file`: prose that starts with a command's name
    return _login_ok(low)


# Commands that take a login: `crontab -l -u bwells`, `sudo -u kwu`, `su - tpark`, `chown mlopez:staff`,
# `usermod -aG docker rnguyen`, `passwd aisha`.
USERNAME_COMMAND = Recognizer(
    "username_command",
    "USERNAME",
    r"(?:\b(?:crontab|sudo|pkill|pgrep|killall|ps|top|htop|loginctl|quota)(?:[ \t]+-[A-Za-z]+)*[ \t]+-u[ \t]+"
    r"|(?:^|(?<=[$#] )|(?<=sudo ))(?:su[ \t]+(?:-l?[ \t]+)?|chown[ \t]+(?:-R[ \t]+)?|"
    r"(?:useradd|adduser|userdel|deluser|usermod|passwd|chage|chfn|finger|lastlog -u)(?:[ \t]+-\S+(?:[ \t]+[\w,-]+)?)*[ \t]+))"
    r"(?P<value>" + _LOGIN + r")(?=[ \t:.]|$)",
    score=0.85,
    group="value",
    flags=re.M,
    accept=_command_user_ok,
    requires=("-u ", "su ", "chown", "user", "passwd", "chage", "chfn", "finger"),
    prefix=r"crontab|sudo|pkill|pgrep|killall|ps|top|htop|loginctl|quota|su|chown|useradd|adduser|userdel|deluser|"
    r"usermod|passwd|chage|chfn|finger|lastlog",
)

# `ls -l` rows: `-rw-r--r--  1 jdoe  staff  4096 Nov 12 10:00 report.txt` (owner; the group when it
# is the owner's own group).
_LS_ROW = re.compile(
    r"^[ \t]*[-dlcbps][rwxsStT-]{9}[.@+]?[ \t]+\d+[ \t]+(?P<owner>\S+)[ \t]+(?P<group>\S+)[ \t]+\d",
    re.M,
)
# `who`, `w` and `last` rows: a login, then its terminal.
_TTY_ROW = re.compile(r"^(?P<value>" + _LOGIN + r")[ \t]+(?:pts/\d+|tty\w*|:\d+(?:\.\d+)?|console)\b", re.M)
_PS_HEADER = re.compile(
    r"(?:^|(?<=[\"']))[ \t]*(?:(?P<ps>USER)[ \t]+PID\b|PID[ \t]+(?P<top>USER)[ \t]+PR\b)[^\n]*\n", re.M
)


class ShellListingFinder:
    """Owners in `ls -l`, logins in `who`/`last`, the USER column of `ps aux` and `top`."""

    name = "username_listing"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = ("rw-", "r--", "r-x", "-x", "pts/", "tty", "console", "pid")

    def find(self, text: str) -> Iterator[Span]:
        for m in _LS_ROW.finditer(text):
            if _login_ok(m.group("owner")):
                yield _span(m, "owner", self.name)
                if m.group("group") == m.group("owner"):
                    yield _span(m, "group", self.name)
        for m in _TTY_ROW.finditer(text):
            # `use console for logs` starts a line of prose, not of `who`
            if _login_ok(m.group("value")) and m.group("value") not in english_words():
                yield _span(m, "value", self.name)
        for h in _PS_HEADER.finditer(text):
            yield from self._table(text, h.end(), 0 if h.group("ps") else 1)

    def _table(self, text: str, pos: int, column: int) -> Iterator[Span]:
        for row in re.finditer(r"[^\n]*(?:\n|$)", text[pos : pos + 20000]):
            line = row.group(0).rstrip("\n")
            cells = list(re.finditer(r"\S+", line))
            if len(cells) < 6 or not cells[1 - column].group(0).isdigit():
                return  # the table ended
            cell = cells[column]
            value = cell.group(0)
            if value.endswith("+"):  # `ps` cuts long names: `systemd+`, `ingrid.h+`
                value = value[:-1]
            if _login_ok(value) and not is_service_account(value + "-"):
                start = pos + row.start() + cell.start()
                yield Span(start, start + len(value), self.label, 0.85, f"regex:{self.name}")


USERNAME_LISTING = ShellListingFinder()

RECOGNIZERS: list[Recognizer | Finder] = [
    USERNAME_UID,
    USERNAME_SUDO,
    USERNAME_PASSWD,
    USERNAME_TILDE,
    USERNAME_PROMPT,
    USERNAME_COMMAND,
    USERNAME_LISTING,
]
