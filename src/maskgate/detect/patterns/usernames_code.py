"""Logins in git output and source code (label USERNAME): `TODO(jdoe)`, `@author tpark`, bare
logins in commit trailers (`Reviewed-by: kwu`), `git blame` lines, GitHub profile and remote URLs,
and the user segment of profile URLs (`/users/aisha.k`, `/u/tpark2`).

Repository owners and URL segments may name an organisation (`github.com/golang/go`,
`/users/octocat`), so there only a login shaped like a person's counts (`person_login`, or one with
digits or a separator that is not made of English words); a full name in these places is the name
layer's (PERSON).
"""

from __future__ import annotations

import re

from maskgate.detect.patterns.accounts import is_service_account, person_login
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.usernames_fields import login_ok, loginish, value_loginish
from maskgate.detect.words import english_words, gazetteer

_LOWER_LOGIN = r"[a-z][a-z0-9._-]{0,30}[a-z0-9]"
# topics that `TODO(...)` names instead of a person
_TODO_TAGS = frozenset(
    {"perf", "security", "refactor", "cleanup", "later", "someday", "docs", "tests", "test", "ui", "ux", "api",
     "i18n", "a11y", "sec", "compat", "migration", "deprecation", "typing", "types", "followup", "bug", "hack",
     "optional", "future", "v1", "v2", "v3", "py2", "py3", "windows", "linux", "macos", "ios", "android"}
)  # fmt: skip


def strict_login(value: str) -> bool:
    """A login where an organisation or a topic could stand too: person-shaped, or carrying digits or
    a separator between parts that are not all English words."""
    if not login_ok(value):
        return False
    if person_login(value):
        return True
    if not re.search(r"[\d._-]", value):
        return False
    english = english_words()
    parts = [p for p in re.split(r"[._-]+|\d+", value.lower()) if p]
    return bool(parts) and not all(p in english for p in parts)


def _todo_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    return value.lower() not in _TODO_TAGS and loginish(value)


# `// TODO(jdoe): remove after the migration`, `# FIXME(mlopez) flaky on arm64`
USERNAME_TODO = Recognizer(
    "username_todo",
    "USERNAME",
    r"\b(?:TODO|FIXME|XXX|HACK|NOTE|BUG|OPTIMIZE|REVIEW)\(@?(?P<value>" + _LOWER_LOGIN + r")\)",
    score=0.85,
    group="value",
    accept=_todo_ok,
    requires=("todo(", "fixme(", "xxx(", "hack(", "note(", "bug(", "optimize(", "review("),
)

# `@author tpark` (Javadoc, PHPDoc, JSDoc), `__author__ = "jdoe"`, and the bare login of a commit
# trailer or a `git log` author line (`Reviewed-by: kwu`, `Author: jdoe <jdoe@...>`).
USERNAME_AUTHOR = Recognizer(
    "username_author",
    "USERNAME",
    r"(?:@author[ \t]+|__author__[ \t]*=[ \t]*[\"']|(?<!\S)(?:Author|Commit|Signed-off-by|Co-authored-by|"
    r"Reviewed-by|Acked-by|Tested-by|Reported-by|Suggested-by|Helped-by|Approved-by):[ \t]+)"
    r"(?P<value>" + _LOWER_LOGIN + r")(?=[ \t]*(?:<|[\"']|$|\n|\*))",
    score=0.85,
    group="value",
    accept=value_loginish,
    requires=("author", "-by:", "commit:"),
    prefix=r"@author|__author__|author:|commit:|signed-off-by:|co-authored-by:|reviewed-by:|acked-by:|tested-by:|"
    r"reported-by:|suggested-by:|helped-by:|approved-by:",
)

# `^8f3a2c1 (jdoe  2024-11-12 10:00:00 +0000 14)  retries = 3`
USERNAME_BLAME = Recognizer(
    "username_blame",
    "USERNAME",
    r"(?m:^\^?[0-9a-f]{7,40}[ \t]+(?:\S+[ \t]+)?\((?P<value>"
    + _LOWER_LOGIN
    + r")[ \t]+\d{4}-\d{2}-\d{2}[ \t])",
    score=0.85,
    group="value",
    accept=value_loginish,
    requires=(" (",),
)


# a one-word owner that ends like a brand is an organisation (`ledgerly`, `shopify`, `acmehq`, `denojs`)
_BRAND = re.compile(
    r"[a-z]+(?:ly|ify|hq|labs?|inc|io|ai|js|py|rs|sh|hub|soft|tech|corp|org|works|ware|cloud)"
)


def _owner_ok(m: re.Match[str]) -> bool:
    value = m.group("value").lower()
    if _BRAND.fullmatch(value) and "f" not in gazetteer().get(value, ""):
        return False  # `kelly` stays a person
    return strict_login(value)


# `git@github.com:jdoe/dotfiles.git (fetch)`, `git clone https://gitlab.com/mlopez-dev/app`, and a
# profile link `https://github.com/tpark2` (no repository after it).
USERNAME_FORGE = Recognizer(
    "username_forge",
    "USERNAME",
    r"(?:git@|://(?:[\w.-]+@)?)(?:www\.)?(?:github|gitlab|bitbucket|codeberg)\.(?:com|org)[:/]"
    r"(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){0,38})"
    r"(?:/[\w.-]+?(?:\.git)?(?=[ \t]+\((?:fetch|push)\))|/?(?=[\s\"'<>)\]?#,]|$))",
    score=0.85,
    group="value",
    accept=_owner_ok,
    requires=("github.", "gitlab.", "bitbucket.", "codeberg."),
)


def _clone_ok(m: re.Match[str]) -> bool:
    return strict_login(m.group("value"))


# `git clone git@github.com:jdoe/repo.git`, `git remote add fork https://github.com/mlopez-dev/app`
USERNAME_CLONE = Recognizer(
    "username_clone",
    "USERNAME",
    r"\bgit[ \t]+(?:clone|remote[ \t]+(?:add|set-url)[ \t]+[\w.-]+)[ \t]+(?:-\S+[ \t]+)*"
    r"(?:git@|https?://(?:[\w.-]+@)?|ssh://git@)[\w.-]+[:/](?P<value>[A-Za-z0-9][\w.-]{0,38})/",
    score=0.85,
    group="value",
    accept=_clone_ok,
    requires=("git clone", "git remote"),
)


def _profile_ok(m: re.Match[str]) -> bool:
    token_start = max(m.string.rfind(c, 0, m.start()) for c in " \t\n\"'(<[")
    token = m.string[token_start + 1 : m.start()]
    return ("://" in token or token.startswith("www.")) and strict_login(m.group("value"))


# `https://gitlab.com/users/aisha.k/projects`, `https://forum.example.org/u/tpark2`,
# `https://example.com/members/k_osei/`: the user segment of a profile URL.
USERNAME_PROFILE_URL = Recognizer(
    "username_profile_url",
    "USERNAME",
    r"/(?:(?:users?|u|profiles?|people|members?|authors?)/|@)(?P<value>[A-Za-z0-9][\w.-]{0,38}[A-Za-z0-9])"
    r"(?=[/?#\s\"'<>)\]]|$)",
    score=0.85,
    group="value",
    accept=_profile_ok,
    requires=("/user", "/u/", "/profile", "/people/", "/member", "/author", "/@"),
)


def _arn_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    return "@" not in value and login_ok(value) and not is_service_account(value)


# `arn:aws:iam::418276530912:user/kboateng`, `...:assumed-role/Dev/jdoe`: an IAM user or a role session
USERNAME_ARN = Recognizer(
    "username_arn",
    "USERNAME",
    r"\barn:aws[\w-]*:(?:iam|sts)::\d{12}:(?:user|assumed-role/[\w+=,.@-]{1,64})/(?:[\w+=,.@-]+/)*"
    r"(?P<value>[\w+=,.@-]{1,64})(?![\w/])",
    score=0.85,
    group="value",
    accept=_arn_ok,
    requires=("arn:aws",),
    prefix=r"arn:aws",
)


def _branch_owner_ok(m: re.Match[str]) -> bool:
    from maskgate.detect.patterns.usernames_prose import name_login

    value = m.group("value")
    if not login_ok(value) or is_service_account(value):
        return False
    return name_login(value) is not None or (bool(re.search(r"[._\d]", value)) and loginish(value))


# `origin/rachterberg/cart-fix`, `git checkout -b jdoe/fix-login`: a branch named after its owner
USERNAME_BRANCH_OWNER = Recognizer(
    "username_branch_owner",
    "USERNAME",
    r"(?:(?<![\w/.-])(?:origin|upstream|refs/heads|remotes/[\w.-]{1,30})/|"
    r"\b(?:checkout[ \t]+-[bB]|switch[ \t]+-[cC]|push[ \t]+(?:-u[ \t]+)?[\w.-]+|branch(?:[ \t]+-[dDmM])?)[ \t]+)"
    r"(?P<value>[a-z][a-z0-9._-]{1,30}[a-z0-9])/[\w.-]",
    score=0.8,
    group="value",
    accept=_branch_owner_ok,
    requires=("origin/", "upstream/", "refs/", "remotes/", "checkout", "switch", "push", "branch"),
)

RECOGNIZERS: list[Recognizer | Finder] = [
    USERNAME_TODO,
    USERNAME_AUTHOR,
    USERNAME_BLAME,
    USERNAME_FORGE,
    USERNAME_CLONE,
    USERNAME_PROFILE_URL,
    USERNAME_ARN,
    USERNAME_BRANCH_OWNER,
]
