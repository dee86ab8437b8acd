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

from maskgate.detect.patterns.accounts import is_service_account, person_login
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.literals import CODE_WORDS
from maskgate.detect.words import english_words

_LOGIN = r"[A-Za-z_][A-Za-z0-9._-]{0,31}[A-Za-z0-9_]|[A-Za-z]"
_CODE_NAME = re.compile(r"[a-z_]*(?:uid|id|user|name|login|owner|account)[a-z_]*|[A-Z_]{2,}|[a-z]+[A-Z]\w*")


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


def _value_login_ok(m: re.Match[str]) -> bool:
    return login_ok(m.group("value"))


def _value_loginish(m: re.Match[str]) -> bool:
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
    r"(?<![\w\\/.-])(?P<domain>[A-Z][A-Z0-9-]{1,14})(?P<sep>\\{1,2})(?P<value>[a-z][a-z0-9._-]{0,30}[a-z0-9])"
    r"(?![\w\\/]|\.\w)",
    score=0.85,
    group="value",
    accept=_domain_user_ok,
    requires=("\\",),
)

RECOGNIZERS: list[Recognizer | Finder] = [
    USERNAME_WINDOWS_EVENT,
    USERNAME_DOMAIN,
]
