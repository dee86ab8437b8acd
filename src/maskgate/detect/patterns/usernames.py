"""Account names (label USERNAME): where user names are found in logs, configs, paths and chats.

Only the value is masked, only when it is a literal (not `request.user` or `${USER}`), and never a
system or service account (`root`, `postgres`, `runner`) that coding agents need to see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.names import english_words, gazetteer
from maskgate.detect.patterns.accounts import brand_handle, is_service_account, person_login
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.literals import (
    CAMEL_CASE,
    CODE_WORDS,
    IDENT,
    looks_like_code,
)
from maskgate.detect.patterns.usernames_chat import USERNAME_CHAT, USERNAME_IRC
from maskgate.detect.spans import Span

# -- user names in logs -------------------------------------------------------------------------

# System and service accounts name no person, and coding agents need to see them.
_SYSTEM_USERS = frozenset(
    {
        "root", "admin", "administrator", "nobody", "daemon", "www-data", "www", "nginx", "apache",
        "postgres", "mysql", "redis", "ubuntu", "ec2-user", "centos", "debian", "git", "guest",
        "anonymous", "test", "user", "sys", "system", "bin", "docker", "node", "jenkins", "runner",
        "default", "service", "app", "vagrant", "pi", "sa", "dbo", "public", "me",
    }
)  # fmt: skip
_USER_VALUE = r"(?P<value>[A-Za-z_][A-Za-z0-9._-]{0,31}[A-Za-z0-9_]|[A-Za-z])"


def _username_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    low = value.lower()
    following = m.string[m.end() : m.end() + 2]
    if low in CODE_WORDS or is_service_account(value) or re.match(r":[^\s]", following):  # `user :attr:`
        return False
    if re.match(r"'[a-z]", following):
        return False  # `user: here's my .env`: a chat turn, not a value
    if IDENT.fullmatch(value) and re.fullmatch(r"[a-z_]*(?:user|login|name|owner)[a-z_]*", low):
        return False  # `user_id=user_id`, `username=current_user`: variables
    if len(value) <= 2 and following[:1] in ("'", '"'):  # string prefixes: `username = f"uid_{n}"`
        return False
    return not looks_like_code(value, following, dotted_names=True)


def _assignment_ok(m: re.Match[str]) -> bool:
    if m.string[m.end() : m.end() + 1] == "=":
        return False  # `admin-user: YWRtaW4=`: base64 (a Kubernetes secret), not a login
    # `User: need to update my address`: a chat turn whose first word is an English word, not a value
    if m.group("value").lower() in english_words() and re.match(
        r"[ \t]+[a-z]+[ \t]", m.string[m.end() : m.end() + 24]
    ):
        return False
    return _username_ok(m)


USERNAME_ASSIGNMENT = Recognizer(
    "username_assignment",
    "USERNAME",
    # `User Id=crm_svc;` (connection strings), `acct="kfischer"` (auditd)
    r"(?i:(?:(?<=_)|(?<![A-Za-z0-9]))(?:user|username|user_name|userid|user_id|user id|login|logname|"
    r"login_name|uname|account_name|acct))\\?[\"']?[ \t]*(?:=|:)[ \t]*\\?[\"']?" + _USER_VALUE + r"(?![\w@])",
    score=0.85,
    group="value",
    accept=_assignment_ok,
    requires=("user", "login", "logname", "uname", "account_name", "acct"),
    prefix=r"user|login|logname|uname|account_name|acct",
)

XML_USERNAME = Recognizer(
    "xml_username",
    "USERNAME",
    r"<(?P<tag>(?i:user|username|user_name|login|userid|user_id))>" + _USER_VALUE + r"</(?P=tag)>",
    score=0.85,
    group="value",
    accept=_username_ok,
    requires=("</",),
)

USERNAME_LOG = Recognizer(
    "username_log",
    "USERNAME",
    r"(?i:\bfor[ \t]+(?:invalid[ \t]+|illegal[ \t]+|unknown[ \t]+)?user[ \t]+|"
    r"\b(?:accepted|failed)[ \t]+(?:password|publickey|keyboard-interactive(?:/pam)?|none|hostbased)"
    r"[ \t]+for[ \t]+"
    r"(?:invalid[ \t]+user[ \t]+)?)" + _USER_VALUE + r"(?![\w@])"
    # A log line goes on with `from`/`by`/`port`... or stops; prose (`for user visible outputs`) does not.
    r"(?=[ \t]+(?i:from|by|on|at|port|via|using|with|uid|ip)\b|[ \t]*(?:[.,;:)\]'\"(\[\r\n]|\Z))",
    score=0.9,
    group="value",
    accept=_username_ok,
    requires=("user", "accepted", "failed"),
    prefix=r"for|accepted|failed",
)


def _role_handle_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    parts = re.split(r"[._-]+", value.lower())
    english = english_words()
    if all(p in english or p.isdigit() for p in parts):
        return False  # `"owner": "platform-team"`, `"author": "release-bot"`: a team or a bot
    if m.group("plain") and not person_login(value):
        return False  # `"owner": "finance"`: a plain word; `"owner": "jdoe"`: a login
    return value.lower() not in _BOT_USERS and _username_ok(m)


# `"assignee": "jdoe-support"`, `reviewer: o.bakker`: a person's field holding an account, not a name
# (capitalised names there are the name layer's).
USERNAME_ROLE = Recognizer(
    "username_role",
    "USERNAME",
    r"(?i:\b(?:assignee|assigned_?to|author|reporter|reviewer|approver|requester|requestor|creator|committer|"
    r"(?:created|updated|modified|reported|requested|approved|opened|closed|submitted|uploaded|changed|deleted|"
    r"resolved|edited)_?by|owner))\\?[\"']?[ \t]*[:=][ \t]*\\?[\"']"
    r"(?P<value>[a-z][a-z0-9]*(?:[._-][a-z0-9]+)+|[a-z]+\d+|(?P<plain>[a-z]{3,20}))\\?[\"']",
    score=0.8,
    group="value",
    accept=_role_handle_ok,
    requires=(
        "assign",
        "author",
        "report",
        "review",
        "approv",
        "request",
        "creat",
        "commit",
        "updated",
        "modified",
        "owner",
        "_by",
        "ed by",
        "edby",
    ),
    # the key with its `:`/`=`, so words in prose (`reported`, `closed`) cost one failed search step
    prefix=r"(?:assign|author|report|review|approv|request|creat|commit|updated|modified|owner|opened|closed|"
    r"submitted|uploaded|changed|deleted|resolved|edited)[a-z_]*\\?[\"']?[ \t]*[:=]",
)


def _cue_handle_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    if value.isupper() or not _username_ok(m):
        return False  # `handle is INVALID_HANDLE_VALUE`: a constant
    words = [w for w in re.split(r"[._-]+|(?<=[a-z])(?=[A-Z])", value) if w]
    english = english_words()
    return any(c.isdigit() for c in value) or not all(w.lower() in english for w in words) or len(words) > 1


# `Login ID: mgarcia2024`, `Screen name: sunny_day_99`, `my handle on the forum is QuietStorm`,
# `log in with my username "TechGuru_77"`: an account after its cue, handle-shaped (a separator, digits
# or inner capitals: no plain word).
USERNAME_CUE = Recognizer(
    "username_cue",
    "USERNAME",
    r"(?i:\b(?:login[ \t]+id|log-?in|screen[ \t]?name|gamer[ \t]?tag|handle|account[ \t]+(?:user[ \t]?)?name|"
    r"username|user[ \t]+name|user[ \t]?id))(?:[ \t]+(?i:on|at|in|for)[ \t]+(?:the[ \t]+)?\w+)?"
    r"(?:[ \t]*[:=\-–][ \t]*|[ \t]+(?i:is|was)[ \t]+|[ \t]+(?=[\"'“`])"
    # `your screen name BlessingO_88`, `under the username JaneDoe`, `user ID jdoe123`: no separator, so
    # only a value with an underscore, digits or inner capitals
    r"|(?:(?<=(?i:name))|(?<=(?i:tag))|(?<=(?i:id)))[ \t]+"
    r"(?=[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]|\d)|[A-Z][a-z]+[A-Z][a-z]))[\"'“`]?"
    r"(?P<value>[A-Za-z][A-Za-z0-9]*(?:[._-][A-Za-z0-9]+)+|[A-Za-z]+\d+[A-Za-z0-9]*|[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+)"
    r"(?![\w@(]|\.\w)",
    score=0.8,
    group="value",
    accept=_cue_handle_ok,
    requires=("login", "log-in", "log in", "screen", "gamer", "handle", "name", "user id", "userid"),
    prefix=r"login|log-in|log in|screen|gamer|handle|account|username|user name|user id|userid",
)


_DETERMINERS = frozenset(
    ("my", "your", "his", "her", "our", "their", "its", "the", "a", "an", "this", "that", "same", "not",
     "also", "still", "now", "just")
)  # fmt: skip


def _prose_ok(m: re.Match[str]) -> bool:
    low = m.group("value").lower()
    if low in _DETERMINERS:
        return False  # `the login is my email now`
    if low in english_words() and "f" not in gazetteer().get(low, ""):
        return False  # `my Windows login is rejected`; `my username is mark` stays a login
    return _username_ok(m)


# `my username is jsmith`, `login was mgarcia` in chat prose.
USERNAME_PROSE = Recognizer(
    "username_prose",
    "USERNAME",
    r"(?i:\b(?:username|user name|user id|userid|login(?: name)?)[ \t]+(?:is|was)[ \t]+)[\"'`]?"
    + _USER_VALUE
    + r"(?![\w@])",
    score=0.85,
    group="value",
    accept=_prose_ok,
    requires=("user", "login"),
    prefix=r"user|login",
)

# Accounts that CI images, dev containers and package managers create: their home directories name
# no person.
_SERVICE_HOMES = frozenset(
    {
        "shared", "dev", "developer", "username", "yourname", "your_user", "your-user", "you", "linuxbrew",
        "vscode", "codespace", "codespaces", "coder", "gitpod", "circleci", "travis", "appveyor", "opc",
        "azureuser", "jovyan", "sandbox", "build", "builder", "buildbot", "worker", "airflow", "ci",
        "all users", "defaultuser0", "steam", "deploy", "ansible", "ftp", "mail", "backup",
        "foo", "bar", "baz", "someone", "somebody", "myuser", "myname",
    }
)  # fmt: skip


def _home_user_ok(m: re.Match[str]) -> bool:
    if m.group("full") is not None:
        return True
    value = m.group("value")  # `/home/u/`: a placeholder
    if re.fullmatch(r"[A-Z][a-z]+(?:[._-][A-Z][a-z'-]+)+", value) and m.string[m.end() : m.end() + 1] in (
        "/",
        "\\",
    ):
        return True  # `C:\Users\Priya.Raman\`: a directory, not `Class.attr`
    return len(value) > 1 and value.lower() not in _SERVICE_HOMES and _username_ok(m)


# `/home/aisha/`, `/Users/aisha/`, `C:\Users\aisha\` (also JSON-escaped `C:\\Users\\aisha`): the user
# segment of a home directory.
USERNAME_HOME = Recognizer(
    "username_home",
    "USERNAME",
    # `/Users/` may follow other path parts (a workspace copied under /tmp); macOS and Windows
    # accounts may be a full name with spaces (`/Users/Margaret Thornton/project`).
    r"(?:(?<![\w.~-])/home/|/Users/|\b[A-Za-z]:(?:\\{1,2}|/)Users(?:\\{1,2}|/))"
    r"(?:(?P<full>[A-Z][a-z]+(?: [A-Z][a-z'-]+){1,3})(?=[/\\])|" + _USER_VALUE + r"(?![\w@$%{-]))",
    score=0.85,
    group=("full", "value"),
    accept=_home_user_ok,
    requires=("/home/", "/users/", "\\users\\"),
)


def _audit_user_ok(m: re.Match[str]) -> bool:
    if (m.group("key") or "").lower() == "target":
        # `target=` names a user only in an audit line that also has an actor (`actor=a target=b`);
        # elsewhere it is a build target, a link target, a compiler target.
        line_start = m.string.rfind("\n", 0, m.start()) + 1
        if re.search(r"(?i)\bactor[ \t]*[=:]", m.string[line_start : m.start()]) is None:
            return False
    # `actor: SpendLimitActor`, `Actor: TypeAlias`: a type annotation.
    return CAMEL_CASE.fullmatch(m.group("value")) is None and _username_ok(m)


# Audit logs: `actor=alice action=role.grant target=o.bakker`; `peer id "o.bakker"`.
USERNAME_AUDIT = Recognizer(
    "username_audit",
    "USERNAME",
    # `actor` and `target` with `=`/`:` only (`per actor unless` is prose); `peer id` with a quoted value.
    r"(?i:\b(?:(?P<key>actor|target)[ \t]*[=:][ \t]*\\?[\"']?|peer[ _]id[ \t]*[=:]?[ \t]*\\?[\"']))"
    + _USER_VALUE
    + r"(?![\w@\[(-]|\.\w)",
    score=0.85,
    group="value",
    accept=_audit_user_ok,
    requires=("actor", "peer"),
    prefix=r"actor|target|peer",
)


# Bots push branches under their own name (`dependabot/pip/requests-2.32`).
_BOT_USERS = frozenset(
    {"dependabot", "renovate", "renovate-bot", "github-actions", "snyk-bot", "greenkeeper", "pre-commit-ci",
     "mergify", "release-please", "imgbot", "allcontributors", "pyup-bot", "depfu", "whitesource"}
)  # fmt: skip


def _merge_user_ok(m: re.Match[str]) -> bool:
    return m.group("value").lower() not in _BOT_USERS and _username_ok(m)


# GitHub's merge commit subject names the fork owner: `Merge pull request #409 from tkowalski/feature-x`.
USERNAME_MERGE = Recognizer(
    "username_merge",
    "USERNAME",
    r"\bMerge pull request #\d+ from " + _USER_VALUE + r"(?=/)",
    score=0.85,
    group="value",
    accept=_merge_user_ok,
    requires=("merge pull request",),
)


# `@ryoung`, `venmo @tay-morales`, `slack: "@ngozi.eze"`: a handle mentioned in prose, posts and
# profiles. Not code: decorators and annotations start their line or follow `*` (`@dataclass`,
# ` * @param`), npm scopes go on with `/`, calls with `(`, and e-mail addresses have a local part.
_CODE_AT_WORDS = frozenset(
    {
        "param", "return", "returns", "type", "throws", "throw", "raises", "see", "since", "deprecated",
        "override", "media", "import", "keyframes", "font", "supports", "charset", "property", "example",
        "todo", "fixme", "author", "version", "link", "inheritdoc", "internal", "private", "public",
        "protected", "static", "abstract", "interface", "end", "else", "if", "include", "mixin", "extend",
        "apply", "layer", "tailwind", "container", "page", "namespace", "everyone", "here", "channel",
        "all", "latest", "next", "types", "babel", "angular", "vue", "nestjs", "aws", "azure", "google",
        "classmethod", "staticmethod", "abstractmethod", "overload", "dataclass", "given", "retry",
        "cached_property", "contextmanager", "wraps", "fixture", "pytest", "class", "protocol", "synthesize",
    }
)  # fmt: skip


_SOCIAL_CUE = re.compile(
    r"(?i)\b(?:venmo|cash ?app|paypal|slack|twitter|x\.com|instagram|insta|ig|tiktok|telegram|tg|github|gitlab|"
    r"discord|mastodon|threads|bluesky|reddit|snapchat|linkedin|handle|follow(?:ed|ing)?|dm|cc|ping(?:ed)?|"
    r"thanks|thank you|shout ?out|congrats|congratulations|happy birthday|hbd|reporting|reported|blocked|tagged?|mention(?:ed)?|from|via|"
    r"(?:reviewed|approved|assigned|reported|written|owned|signed[ \t]+off)[ \t]+(?:by|to))\b"
    r"(?:[^\n@]|@[\w.-]+[ \t,]+(?:and[ \t]+|&[ \t]+)?){0,30}$"
)
# a casual sentence before a mention: `lol @x and`, `me and @x are`, `w/ @x`
_PROSE_AROUND = re.compile(
    r"(?i)(?:^|[ \t])(?:lol|lmao|omg|me|and|&|w/|with|to|by|ty|thx|ya|hey|hi|love|miss)[ \t]+$"
)
_ANOTHER_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{2,}")
_CODE_MARKS = tuple("`|*$[{<")


# code before a mention on its line: an operator, a call or a keyword (`a @ b_1`, `x = f(@y_2`)
_CODE_BEFORE = re.compile(r"[=({;<>]|\b(?:def|class|import|from|return)\b")


def _personal_handle(value: str) -> bool:
    """Shaped like a person's handle: a name-derived login, or letters with digits or an underscore
    (`kdotfan_22`, `emmaxo_04`); no brand's (`AmazonHelp`) or code word's (`cached_property`)."""
    from maskgate.detect.patterns.usernames_prose import name_login

    if brand_handle(value) or value.lower() in _CODE_AT_WORDS or ("." in value and "_" in value):
        return False
    if name_login(value) == "strong":
        return True
    return bool(re.search(r"[A-Za-z]{2}", value)) and bool(re.search(r"\d|_", value)) and not value.isupper()


def _handle_ok(m: re.Match[str]) -> bool:
    """A mention, not code: after a social cue (`venmo @x`, `slack: "@x"`, `thanks @x`), in a
    `Name (@handle)` credit, beside another mention, in a post with emoji, or opening a line of prose.
    Decorators and annotations (`@dataclass`, ` * @param`, "the `@given` decorator") are none of these."""
    text, start, end = m.string, m.start(), m.end()
    value = m.group("value")
    if (
        value.lower() in _CODE_AT_WORDS
        or value.lower() in _SYSTEM_USERS
        or re.fullmatch(r"\d+[a-z]{0,2}", value)
        or (value.count(".") > 1 and not re.search(r"\.\d+$", value))  # `@rosa.delgado.71` is a handle
        or ("." in value and "_" in value)  # `@pytest.mark.xfail`, `@typing_extensions.runtime_checkable`
        or brand_handle(value)
    ):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    before = text[line_start:start]
    prev = before[-1:]
    if prev in _CODE_MARKS:
        return False
    if _SOCIAL_CUE.search(before):
        return True  # also quoted: `slack: "@ngozi.eze"`
    if prev and prev in "\"'":
        return False
    if prev == "(" and text[end : end + 1] == ")" and before[-2:-1] in ("", " "):
        return True  # `Rose Young (@ryoung)`
    if before.strip() and _personal_handle(value) and not _CODE_BEFORE.search(before):
        return True  # `RT @kdotfan_22: ...`, `so good. @emmaxo_04 thank u`: a person's handle in a post
    if not before.strip():
        return re.match(r" [a-z]", text[end : end + 2]) is not None  # `@sarah_bakes your rolls...`
    if re.search(r"(?:[.!?]|[\U0001F000-\U0001FFFF])[ \t]+$", before) and re.match(
        r"[ \t]*(?:$|\n)", text[end : end + 2]
    ):
        return True  # `love you auntie. @rosa.delgado.71`: a handle closing a post
    if _PROSE_AROUND.search(before) and re.match(
        r"[ \t]+(?:and|&|w/|were|was|is|are|said|says|just|lol)\b", text[end : end + 8]
    ):
        return True  # `lol @ashley and mike were late`: a person in a sentence
    if any(ord(c) >= 0x1F000 for c in line):
        return True
    # beside another mention with nothing but blanks or commas between (`@rosie.p @yj_kim01`); not
    # `@classmethod or @staticmethod`
    return bool(re.search(r"(?<![\w.@])@[A-Za-z0-9_][\w.-]*[ \t,]+$", before)) or bool(
        re.match(r"[ \t,]+@[A-Za-z0-9_]", text[end : end + 40])
    )


USERNAME_HANDLE = Recognizer(
    "username_handle",
    "USERNAME",
    # the span keeps the `@`: the mention is written with it, and a visible `@` beside a placeholder
    # says little, but the labelled sets put it inside
    r"(?<![\w.@/+-])(?P<handle>@(?P<value>[A-Za-z0-9_](?:[A-Za-z0-9_]|[.-](?=[A-Za-z0-9_])){1,38}))(?![\w@/(]|[.-]\w|\.\w)",
    score=0.8,
    group="handle",
    accept=_handle_ok,
    requires=("@",),
)

_NOT_TAGS = frozenset(
    {"pr", "mr", "issue", "issues", "bug", "ticket", "gh", "case", "no", "id", "ref", "item", "page", "step"}
)


# Reddit users (`u/throwaway_jess`, `/u/jess`) and Discord tags (`kayla#4821`): the whole handle.
USERNAME_REDDIT = Recognizer(
    "username_reddit",
    "USERNAME",
    r"(?:(?<=[\s(\[\"'])|^)(?P<handle>/?u/(?P<value>[A-Za-z0-9_-]{3,20}))(?![\w/-]|\.\w)",
    score=0.85,
    group="handle",
    accept=_username_ok,
    requires=("u/",),
)
_TAG_DIGITS = re.compile(r"#\d{4}(?![\w#])")
_TAG_NAME = re.compile(r"(?<![\w@#/.:&-])[A-Za-z][A-Za-z0-9_.]{1,31}$")


class DiscordTagFinder:
    """`kayla#4821`: found from its `#dddd` (rare) and then its name, not by trying every word."""

    name = "username_discord"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = ("#",)

    def find(self, text: str) -> Iterator[Span]:
        for d in _TAG_DIGITS.finditer(text):
            m = _TAG_NAME.search(text, max(0, d.start() - 32), d.start())
            if m is None:
                continue
            name = m.group(0).lower()
            if name in _NOT_TAGS or name in english_words() or name in _SYSTEM_USERS or name in CODE_WORDS:
                continue
            yield Span(m.start(), d.end(), self.label, 0.8, f"regex:{self.name}")


USERNAME_DISCORD = DiscordTagFinder()
# Exchange/X.500 recipient addresses name the mailbox last: `</O=ENRON/OU=NA/CN=RECIPIENTS/CN=Stweed>`.
USERNAME_X500 = Recognizer(
    "username_x500",
    "USERNAME",
    r"/CN=RECIPIENTS/CN=(?P<value>[A-Za-z][A-Za-z0-9._-]{1,63})(?=>|\s|$)",
    score=0.85,
    group="value",
    requires=("cn=recipients",),
)


# `User brennan.c changed password`, `user analytics_ro`: after the word `user`, a handle-shaped
# token (a dot, underscore or digit inside: no English word) is an account name.
USERNAME_HANDLE_AFTER_USER = Recognizer(
    "username_after_user",
    "USERNAME",
    r"\b(?i:user)[ \t]+(?P<value>[a-z][a-z0-9]*(?:[._][a-z0-9]+)+|[a-z]+\d+[a-z0-9]*)(?![\w@.-]|\.\w)",
    score=0.8,
    group="value",
    accept=_username_ok,
    requires=("user",),
    prefix=r"user",
)

# Access logs (common/combined log format): `10.1.4.22 - mwaweru [12/Nov/2024:10:05:01 +0000] "GET ...`.
USERNAME_ACCESS_LOG = Recognizer(
    "username_access_log",
    "USERNAME",
    r"(?m:^\S+[ \t]+\S+[ \t]+(?P<value>[A-Za-z_][\w.@-]{0,63})[ \t]+\[\d{1,2}/[A-Za-z]{3}/\d{4}:)",
    score=0.85,
    group="value",
    accept=_username_ok,
    requires=("/20", "/19"),
)

# `ssh deploy@142.93.18.240`, `scp build.tar.gz deploy@host:/opt/app/`: the login of a remote shell.
USERNAME_SSH = Recognizer(
    "username_ssh",
    "USERNAME",
    r"\b(?:ssh|scp|sftp|rsync|mosh|ssh-copy-id)[ \t][^\n`]*?(?<![\w.-])(?P<value>[a-z_][a-z0-9._-]{0,31})@"
    r"(?=[A-Za-z0-9][\w.-]*)",
    score=0.85,
    group="value",
    accept=_username_ok,
    requires=("ssh", "scp", "sftp", "rsync", "mosh"),
)

RECOGNIZERS: list[Recognizer | Finder] = [
    USERNAME_HANDLE,
    USERNAME_REDDIT,
    USERNAME_DISCORD,
    USERNAME_X500,
    USERNAME_ROLE,
    USERNAME_CUE,
    USERNAME_IRC,
    USERNAME_HANDLE_AFTER_USER,
    USERNAME_ACCESS_LOG,
    USERNAME_SSH,
    XML_USERNAME,
    USERNAME_ASSIGNMENT,
    USERNAME_LOG,
    USERNAME_PROSE,
    USERNAME_HOME,
    USERNAME_AUDIT,
    USERNAME_MERGE,
    USERNAME_CHAT,
]
