"""Secrets and credentials (label SECRET) and account names in logs (label USERNAME).

Vendor tokens are recognised by their documented prefixes; one combined pre-filter (`_PREFIXES`)
lets the layer skip all of them on text that contains none of the prefixes. Assignments such as
`password=...` mask only the value, and only when the value is a literal rather than code.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator

from maskgate.detect.names import english_words
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.spans import Span

# -- helpers ------------------------------------------------------------------------------------

_TEMPLATE_START = ("$", "{", "<", "%", "*", "!", "(", "[", "]", "@", "&", "`", "|")
# Values that appear after `password:` / `user=` in code, configs and docs and are not literals.
_CODE_WORDS = frozenset(
    {
        "none", "null", "nil", "undefined", "true", "false", "str", "string", "int", "bytes", "bool",
        "any", "optional", "secretstr", "required", "env", "environ", "getenv", "input",
        "prompt", "self", "this", "os", "field", "default", "value", "values", "type", "object",
        "redacted", "masked", "hidden", "xxx", "xxxx", "xxxxxx", "changeme", "placeholder",
        "your_password", "yourpassword", "your-password", "password", "secret", "token", "pass", "pwd",
        "passwd", "current",
        "user", "username", "login", "name", "example", "empty", "blank", "na", "n/a", "todo",
        "number", "boolean", "text", "char", "varchar", "void", "await", "async", "new", "return",
        # English words that follow `for user` / `user:` in prose and docstrings
        "in", "of", "is", "to", "and", "or", "not", "with", "from", "the", "a", "an", "that",
        "which", "who", "when", "if", "on", "at", "as", "are", "was", "be", "can", "will", "should",
        "must", "may", "id", "ids", "email", "emails", "message", "messages", "data", "info", "details",
        "account", "accounts", "profile", "settings", "inputs", "content", "request",
        "requests", "access", "authentication", "interaction", "interactions", "defined", "provided",
        "specified", "supplied", "given", "only", "multiple", "single", "all", "each", "code",
        "feedback", "experience", "interface", "space", "mode", "land", "friendly", "facing", "level",
        "agent", "agents", "error", "errors", "guide", "docs", "documentation", "support", "home",
        "privileges", "permissions", "namespace", "namespaces", "directory", "config", "configuration",
        "used", "uses", "using", "needs", "invalid", "missing", "taken", "already", "incorrect", "wrong",
        "unique", "case", "stored", "set", "unset", "changed", "correct", "too", "also", "still", "now",
        "present", "absent", "shown", "displayed", "available", "valid", "it", "its", "connections",
        "sessions", "names", "roles", "groups", "list", "objects",
    }
)  # fmt: skip
_CODE_OBJECTS = frozenset(
    {
        "self", "cls", "this", "os", "request", "req", "ctx", "context", "settings", "config", "cfg",
        "conf", "args", "kwargs", "opts", "options", "params", "props", "state", "env", "process",
        "data", "form", "body", "payload", "user", "current_user", "session", "g", "app", "secrets",
        "vault", "credentials", "creds", "auth", "response", "res", "result", "record", "row", "obj",
        "input", "values", "item", "model", "dto", "event", "msg", "message", "account", "profile",
    }
)  # fmt: skip
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SECRETISH_IDENT = re.compile(r"(?i)[a-z_]*(?:pass|pwd|secret|token|key|cred|auth)[a-z_]*")
_CAMEL_CASE = re.compile(r"[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*")
_TITLE_WORD = re.compile(r"[A-Z][a-z]+")  # `The`, `Tensor`, `Optional`: prose or a type
_DOTTED_NAME = re.compile(r"[A-Za-z_]+(?:\.[A-Za-z_]+)+")  # `conditioning.atom_to_token`
_HEX_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{3,4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")
_PLACEHOLDER_WORDS = (
    "password",
    "secret",
    "token",
    "api-key",
    "api_key",
    "apikey",
    "your",
    "here",
    "example",
)


def _looks_like_code(value: str, following: str, *, dotted_names: bool = False) -> bool:
    """True when an unquoted value is an expression or a word rather than a literal:
    `os.environ[...]`, `get_pw()`, `db_password`, `API_KEY`, `Tensor`, `The` (docstrings).
    With `dotted_names`, `john.smith` stays a value (user names) unless its head is a code object."""
    low = value.lower()
    if low in _CODE_WORDS or value.startswith(_TEMPLATE_START) or _TITLE_WORD.fullmatch(value):
        return True
    if "(" in value or "[" in value or following[:1] in ("(", "[") or following.startswith(("::", "->")):
        return True
    if value.endswith("+"):  # `token: a.token + ".end"`: concatenation
        return True
    head = value.split(".", 1)[0]
    if "." in value and (head.lower() in _CODE_OBJECTS or head[:1].isupper()):
        return True
    if not dotted_names and _DOTTED_NAME.fullmatch(value):
        return True
    # `password=password`, `api_key=API_KEY`, `secret=client_secret`: a variable, not a literal.
    return bool(_IDENT.fullmatch(value) and (_SECRETISH_IDENT.fullmatch(value) or value.isupper()))


# -- private keys, vendor tokens ----------------------------------------------------------------

PEM_PRIVATE_KEY = Recognizer(
    "pem_private_key",
    "SECRET",
    # The whole block. Without an END line (a truncated paste): the header lines and the base64
    # lines after BEGIN (64 chars in PEM; 40+ taken as key material, then one shorter last line).
    r"-----BEGIN (?P<kind>[A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----"
    r"(?:[\s\S]{0,20000}?-----END (?P=kind)PRIVATE KEY( BLOCK)?-----"
    r"|(?:(?:\s|\\[nr])*(?:[A-Za-z0-9+/=]{40,}|(?:Proc-Type|DEK-Info):[^\n\\]*))*"
    r"(?:(?:\s|\\[nr])*[A-Za-z0-9+/]{1,39}={0,2}(?=\s|\\[nr]|[\"']|$))?)",
    score=1.0,
    requires=("private key",),
)

AWS_ACCESS_KEY_ID = Recognizer(
    "aws_access_key_id",
    "SECRET",
    r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])",
    score=1.0,
    requires=("akia", "asia", "abia", "acca", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "apka"),
)

AWS_SECRET_ACCESS_KEY = Recognizer(
    "aws_secret_access_key",
    "SECRET",
    r"(?i:aws_?secret_?access_?key|aws_?secret_?key|secretaccesskey)[\"']?\s*(?:=|:|=>)\s*[\"']?"
    r"(?P<value>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
    score=1.0,
    group="value",
    requires=("secret",),
)

_TOKEN_PATTERNS: dict[str, str] = {
    "github_token": r"gh[pousr]_[A-Za-z0-9]{36,251}",
    "github_pat": r"github_pat_[A-Za-z0-9_]{22,255}",
    "gitlab_token": r"gl(?:pat|dt|ptt|rt|cbt|oas|soat|ft|imt|agent)-[A-Za-z0-9_-]{20,}",
    "slack_token": r"xox[abposre]-(?:\d+-)*[A-Za-z0-9-]{10,}",
    "slack_app_token": r"xapp-\d-[A-Za-z0-9-]{10,}",
    "stripe_key": r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}",
    "anthropic_key": r"sk-ant-(?:api\d\d|admin\d\d|oat\d\d|sid\d\d)-[A-Za-z0-9_-]{20,}",
    "openai_key": r"sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}",
    "google_api_key": r"AIza[0-9A-Za-z_-]{35}",
    "npm_token": r"npm_[A-Za-z0-9]{36}",
    "pypi_token": r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
    "huggingface_token": r"hf_[A-Za-z]{34}",
}
_TOKEN_REQUIRES: dict[str, tuple[str, ...]] = {
    "github_token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    "github_pat": ("github_pat_",),
    "gitlab_token": ("gl",),
    "slack_token": ("xox",),
    "slack_app_token": ("xapp-",),
    "stripe_key": ("_live_", "_test_"),
    "anthropic_key": ("sk-ant-",),
    "openai_key": ("sk-",),
    "google_api_key": ("aiza",),
    "npm_token": ("npm_",),
    "pypi_token": ("pypi-",),
    "huggingface_token": ("hf_",),
}


def _mixed(value: str) -> bool:
    """A real token body mixes character classes; `sk-this-is-not-a-real-key-at-all` does not."""
    body = value.split("_")[-1] if value.startswith(("gh", "npm_", "hf_")) else value
    return sum(any(f(c) for c in body) for f in (str.isdigit, str.isupper, str.islower)) >= 2


def _token_recognizer(name: str, pattern: str) -> Recognizer:
    return Recognizer(
        name,
        "SECRET",
        rf"(?<![A-Za-z0-9_-]){pattern}(?![A-Za-z0-9_-])",
        score=1.0,
        validate=_mixed,
        requires=_TOKEN_REQUIRES[name],
    )


VENDOR_TOKENS = [_token_recognizer(name, rx) for name, rx in _TOKEN_PATTERNS.items()]

SLACK_WEBHOOK = Recognizer(
    "slack_webhook",
    "SECRET",
    r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<path>[A-Za-z0-9_/-]{20,})",
    score=1.0,
    group="path",
    requires=("hooks.slack.com",),
)


def _jwt_ok(value: str) -> bool:
    header = value.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    except ValueError:
        return False
    return isinstance(decoded, dict) and "alg" in decoded


JWT = Recognizer(
    "jwt",
    "SECRET",
    r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])",
    score=1.0,
    validate=_jwt_ok,
    requires=("eyj",),
)

# -- headers, assignments, connection strings ---------------------------------------------------


def _bearer_ok(m: re.Match[str]) -> bool:
    return _mixed(m.group("value")) and _not_template(m)


def _not_template(m: re.Match[str]) -> bool:
    return not m.group("value").startswith(_TEMPLATE_START)


BEARER = Recognizer(
    "bearer_token",
    "SECRET",
    r"(?i:\bbearer\s+|\bauthorization[\"']?\s*[:=]\s*[\"']?(?:basic|token|digest)\s+)"
    r"(?P<value>[A-Za-z0-9._~+/-]{12,}=*)(?![A-Za-z0-9._~+/=-])",
    score=1.0,
    group="value",
    accept=_bearer_ok,
    requires=("bearer", "authorization"),
)

_SECRET_KEYS = (
    r"password|passwd|passphrase|pwd|secret|secret_key|secretkey|client_secret|api_key|apikey|api-key"
    r"|access_key|private_key|auth_token|access_token|refresh_token|token_secret|db_pass|pgpassword|token"
    r"|sessionid|session_id|session_token|phpsessid|jsessionid|csrftoken|csrf_token|xsrf-token"
)
_SECRET_ASSIGNMENT_RE = (
    # `\\?` before quotes: JSON inside a JSON string (tool-call arguments) escapes them.
    rf"(?i:(?:(?<=[_-])|(?<![A-Za-z0-9]))(?P<key>{_SECRET_KEYS}))\\?[\"']?[ \t]*(?:=>|:=|=|:)[ \t]*"
    r"(?:\\?(?P<q>[\"'])(?P<quoted>[^\"'\n\r]{1,256}?)\\?(?P=q)"
    # A bare value does not end with `.` or `:` (end of sentence, `token: str:` in docstrings).
    r"|(?P<bare>[^\s\"',;&<>)\]}\\`]{0,255}[^\s\"',;&<>)\]}\\`.:]))"
)


# Keys whose values anyone may choose (a password can be `hunter`); tokens, keys and session ids are
# machine-made, so a value without a digit or mixed case (`token: "identifier"`) is a name.
_CHOSEN_SECRET_KEYS = frozenset(
    {"password", "passwd", "passphrase", "pwd", "secret", "client_secret", "db_pass", "pgpassword"}
)


def _machine_made(value: str) -> bool:
    return (
        len(value) >= 8
        and not any(c.isspace() for c in value)
        and (
            any(c.isdigit() for c in value)
            or (any(c.isupper() for c in value) and any(c.islower() for c in value))
        )
    )


def _secret_assignment_ok(m: re.Match[str]) -> bool:
    quoted = m.group("quoted")
    if m.group("key").lower() not in _CHOSEN_SECRET_KEYS and not _machine_made(quoted or m.group("bare")):
        return False
    if quoted is not None:
        value = quoted.strip()
        if not value or value.startswith(_TEMPLATE_START) or value.lower() in _CODE_WORDS:
            return False
        if _HEX_COLOUR.fullmatch(value) or value.endswith("..."):  # `Token: '#dcdccc'`, `"hf_..."`
            return False
        if value.islower() and _DOTTED_NAME.fullmatch(value):  # `{token: "support.constant"}` (a name)
            return False
        if m.group(0).lower().lstrip("\"'").startswith(("pwd", "oldpwd")) and value.startswith(("/", "~")):
            return False  # `PWD: '/Users/me'`: the shell's working directory
        # `"your-api-key-here"`, `"my_secret_password"`: documentation placeholders.
        low = value.lower()
        return not (re.fullmatch(r"[a-z_ -]+", low) and any(w in low for w in _PLACEHOLDER_WORDS))
    value = m.group("bare")
    following = m.string[m.end() : m.end() + 3]
    if value.startswith(("/", "~", "\\", "./")) or re.match(r"[A-Za-z]:\\", value):  # `PWD=/home/me`: a path
        return False
    if value.endswith("...") or _HEX_COLOUR.fullmatch(value):
        return False
    if len(value) <= 2 and following[:1] in ("'", '"'):  # string prefixes: `password = f"{a}{b}"`
        return False
    if value.startswith("=") or (value.isdigit() and len(value) < 6):  # `==`; `token=45075` (token ids)
        return False
    separator = m.group(0)[m.end("key") - m.start() : m.start("bare") - m.start()]
    # `password: the one in the vault` (prose after a colon) is no password.
    if value.isalpha() and re.match(r" [a-z]", following) and ":" in separator:
        return False
    # `"passwd:gecos"` (a glued name:field pair); `password = split` (code assigns a variable).
    if value.isalpha() and (separator.endswith(":") or (" =" in separator and value.islower())):
        return False
    return not _looks_like_code(value, following)


SECRET_ASSIGNMENT = Recognizer(
    "secret_assignment",
    "SECRET",
    _SECRET_ASSIGNMENT_RE,
    score=0.95,
    group=("quoted", "bare"),
    accept=_secret_assignment_ok,
    requires=("pass", "pwd", "secret", "key", "token", "session", "csrf", "xsrf"),
    prefix=_SECRET_KEYS.lower(),
)

# `scheme://user:password@host`: the password is a SECRET, the user name a USERNAME.
_URL_CREDENTIALS_RE = (
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}://(?P<user>[^\s:@/?#\[\]\"'<>]*)"
    r":(?P<password>[^\s@/?#\"'<>]+)@(?=[A-Za-z0-9\[_-])"
)


def _url_password_ok(m: re.Match[str]) -> bool:
    password = m.group("password")
    # `ftp://username:password@host` in docs is a placeholder, not a credential.
    return not password.startswith(_TEMPLATE_START) and password.lower() not in _CODE_WORDS


def _url_user_ok(m: re.Match[str]) -> bool:
    user = m.group("user")
    return bool(user) and not user.startswith(_TEMPLATE_START) and _url_password_ok(m)


URL_CREDENTIALS_PASSWORD = Recognizer(
    "url_credentials_password",
    "SECRET",
    _URL_CREDENTIALS_RE,
    score=1.0,
    group="password",
    accept=_url_password_ok,
    requires=("://",),
)
URL_CREDENTIALS_USER = Recognizer(
    "url_credentials_user",
    "USERNAME",
    _URL_CREDENTIALS_RE,
    score=0.95,
    group="user",
    accept=_url_user_ok,
    requires=("://",),
)

# `curl -u user:password`, `--user user:password` (not `docker run -u 1000:1000`).
_CLI_CREDENTIALS_RE = r"(?<!\S)(?:-u|--user)[ =]+[\"']?(?P<user>[^\s:\"']+):(?P<password>[^\s\"']+)"


def _cli_credentials_ok(m: re.Match[str]) -> bool:
    user, password = m.group("user"), m.group("password")
    return not (user.isdigit() or password.isdigit() or password.startswith(_TEMPLATE_START))


CLI_CREDENTIALS_PASSWORD = Recognizer(
    "cli_credentials_password",
    "SECRET",
    _CLI_CREDENTIALS_RE,
    score=0.95,
    group="password",
    accept=_cli_credentials_ok,
    requires=("-u",),
)
CLI_CREDENTIALS_USER = Recognizer(
    "cli_credentials_user",
    "USERNAME",
    _CLI_CREDENTIALS_RE,
    score=0.9,
    group="user",
    accept=_cli_credentials_ok,
    requires=("-u",),
)

# `<password>hunter2</password>` in XML configs and SOAP bodies.
XML_SECRET = Recognizer(
    "xml_secret",
    "SECRET",
    r"<(?P<tag>(?i:password|passwd|pwd|secret|client_secret|api_?key|access_?token|token|private_?key))>"
    r"(?P<value>[^<>\s][^<>]{0,255})</(?P=tag)>",
    score=0.95,
    group="value",
    accept=_not_template,
    requires=("</",),
)

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
    if low in _SYSTEM_USERS or low in _CODE_WORDS or re.match(r":[^\s]", following):  # `user :attr:`
        return False
    if _IDENT.fullmatch(value) and re.fullmatch(r"[a-z_]*(?:user|login|name|owner)[a-z_]*", low):
        return False  # `user_id=user_id`, `username=current_user`: variables
    if len(value) <= 2 and following[:1] in ("'", '"'):  # string prefixes: `username = f"uid_{n}"`
        return False
    return not _looks_like_code(value, following, dotted_names=True)


USERNAME_ASSIGNMENT = Recognizer(
    "username_assignment",
    "USERNAME",
    r"(?i:(?:(?<=_)|(?<![A-Za-z0-9]))(?:user|username|user_name|userid|user_id|login|logname|"
    r"login_name|uname|account_name))\\?[\"']?[ \t]*(?:=|:)[ \t]*\\?[\"']?" + _USER_VALUE + r"(?![\w@])",
    score=0.85,
    group="value",
    accept=_username_ok,
    requires=("user", "login", "logname", "uname", "account_name"),
    prefix=r"user|login|logname|uname|account_name",
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

# `my username is jsmith`, `login was mgarcia` in chat prose.
USERNAME_PROSE = Recognizer(
    "username_prose",
    "USERNAME",
    r"(?i:\b(?:username|user name|user id|userid|login(?: name)?)[ \t]+(?:is|was)[ \t]+)[\"'`]?"
    + _USER_VALUE
    + r"(?![\w@])",
    score=0.85,
    group="value",
    accept=_username_ok,
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
    value = m.group("value")  # `/home/u/`: a placeholder
    return len(value) > 1 and value.lower() not in _SERVICE_HOMES and _username_ok(m)


# `/home/aisha/`, `/Users/aisha/`, `C:\Users\aisha\` (also JSON-escaped `C:\\Users\\aisha`): the user
# segment of a home directory.
USERNAME_HOME = Recognizer(
    "username_home",
    "USERNAME",
    r"(?:(?<![\w.~-])/(?:home|Users)/|\b[A-Za-z]:(?:\\{1,2}|/)Users(?:\\{1,2}|/))"
    + _USER_VALUE
    + r"(?![\w@$%{-])",
    score=0.85,
    group="value",
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
    return _CAMEL_CASE.fullmatch(m.group("value")) is None and _username_ok(m)


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


# Chat transcripts pasted from Slack, Teams or IRC: `dev_ops_lena: anyone know who owns this?`.
# Capitalised speaker names are the name layer's (PERSON); lower-case handles are accounts. A
# line-start `word: ` is also YAML, object dumps, logs and mail headers, so a handle counts only in a
# transcript: unindented lines whose message is prose (three words or more, two of them ordinary
# English words, not ending in `,` `{` `[`), three such lines or more making up most of their block,
# two handles or more, one of them on two lines, and no handle an ordinary English word (`error:`,
# `description:`, `run:`) or a common key.
_CHAT_LINE = re.compile(
    r"^(?:\[\d{1,2}:\d{2}(?::\d{2})?\][ \t]*)?@?(?P<h>[a-z][a-z0-9._-]{1,31})(?<![._-]):[ \t]+"
    r"(?P<msg>[^\W\d][^\n]*)$",
    re.MULTILINE,
)
_NOT_HANDLES = frozenset(
    {"msg", "desc", "stderr", "stdout", "todo", "fixme", "xxx", "nb", "ps", "eg", "ie", "tldr", "re", "fwd",
     "cc", "bcc", "http", "https", "ftp", "ssh", "git", "npm", "pip", "src", "dst", "env", "cfg", "args",
     "kwargs", "err", "warn", "info", "debug", "trace", "fatal", "hint", "remote", "usr", "tmp", "var",
     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
     "wed", "thu", "fri", "sat", "sun", "am", "pm", "utc", "gmt", "bot", "ai", "llm", "gpt", "claude"}
)  # fmt: skip
_MSG_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


class ChatHandleFinder:
    """Lower-case speaker handles of a chat transcript (see `_CHAT_LINE` above). Label USERNAME."""

    name = "username_chat"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = (": ",)

    def find(self, text: str) -> Iterator[Span]:
        if "\n" not in text:
            return
        english = english_words()
        lines = [m for m in _CHAT_LINE.finditer(text) if self._prose(m.group("msg"), english)]
        if len(lines) < 3:
            return
        counts: dict[str, int] = {}
        for m in lines:
            counts[m.group("h")] = counts.get(m.group("h"), 0) + 1
        handles = {h for h in counts if h not in english and h not in _NOT_HANDLES}
        if len(handles) < 2 or max(counts[h] for h in handles) < 2:
            return
        block = text[lines[0].start() : lines[-1].end()]
        if 2 * len(lines) < sum(1 for line in block.split("\n") if line.strip()):
            return  # chat-shaped lines here and there in a longer document
        for m in lines:
            if m.group("h") in handles:
                yield Span(m.start("h"), m.end("h"), self.label, 0.8, f"regex:{self.name}")

    @staticmethod
    def _prose(msg: str, english: frozenset[str]) -> bool:
        msg = msg.rstrip()
        if msg.endswith((",", "{", "[", "(", "\\")):
            return False
        words = msg.split()
        known = sum(1 for w in _MSG_WORD.findall(msg.lower()) if w in english)
        return len(words) >= 3 and known >= 2


USERNAME_CHAT = ChatHandleFinder()


def _prose_password_ok(m: re.Match[str]) -> bool:
    if m.group("quoted") is not None:
        return not m.group("quoted").startswith(_TEMPLATE_START)
    value = m.group("value")
    if value.lower() in _CODE_WORDS or value.startswith(_TEMPLATE_START) or value.endswith("..."):
        return False
    # `the password is expired`, `password was Changed`: a word, unless quoted; a password has a digit,
    # a symbol or mixed case.
    plain = value.isalpha() and (value.islower() or value.isupper() or _TITLE_WORD.fullmatch(value))
    if plain:
        return False
    return not _looks_like_code(value, m.string[m.end() : m.end() + 3])


# `the password is Tr0ub4dor&3x`, `my passphrase was "correct horse"`, `password reset to Welcome1!`.
PASSWORD_PROSE = Recognizer(
    "password_prose",
    "SECRET",
    r"(?i:\b(?:password|passphrase|passcode|passwd)[ \t]+(?:is|was|(?:re)?set[ \t]+to|changed[ \t]+to)"
    r"[ \t]*:?[ \t]*)(?:(?P<q>[\"'`])(?P<quoted>[^\"'`\n]{1,128})(?P=q)"
    r"|(?P<value>[^\s\"'`]{1,128}?))(?=[.,;:!?)]*(?:\s|$))",
    score=0.9,
    group=("quoted", "value"),
    accept=_prose_password_ok,
    requires=("pass",),
    prefix=r"pass",
)

RECOGNIZERS: list[Recognizer | Finder] = [
    PEM_PRIVATE_KEY,
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    *VENDOR_TOKENS,
    SLACK_WEBHOOK,
    JWT,
    BEARER,
    SECRET_ASSIGNMENT,
    URL_CREDENTIALS_PASSWORD,
    URL_CREDENTIALS_USER,
    CLI_CREDENTIALS_PASSWORD,
    CLI_CREDENTIALS_USER,
    XML_SECRET,
    XML_USERNAME,
    USERNAME_ASSIGNMENT,
    USERNAME_LOG,
    USERNAME_PROSE,
    USERNAME_HOME,
    USERNAME_AUDIT,
    USERNAME_MERGE,
    USERNAME_CHAT,
    PASSWORD_PROSE,
]
