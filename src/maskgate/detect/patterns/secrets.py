"""Secrets and credentials (label SECRET).

Vendor tokens are recognised by their documented prefixes; one combined pre-filter (`_PREFIXES`)
lets the layer skip all of them on text that contains none of the prefixes. Assignments such as
`password=...` mask only the value, and only when the value is a literal rather than code.
User names (label USERNAME) are in `usernames.py`, except the user of `scheme://user:password@host`
and `curl -u user:password`, found here with the password by one pattern.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterator

from maskgate.detect.patterns.accounts import is_service_account
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.literals import (
    CODE_WORDS,
    DOTTED_NAME,
    HEX_COLOUR,
    PLACEHOLDER_WORDS,
    TEMPLATE_START,
    TITLE_WORD,
    looks_like_code,
)
from maskgate.detect.spans import Span

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
    return not m.group("value").startswith(TEMPLATE_START)


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
    r"|sessionid|session_id|session_token|phpsessid|jsessionid|csrftoken|csrf_token|xsrf-token|pass"
    # written as words in forms, e-mails and consoles: `Secret access key: ...`, `API token: ...`
    r"|credentials|creds|secret (?:access )?key|(?:api|access|private|auth|app|client|signing|encryption|master) (?:key|token|secret)"
)
_SECRET_ASSIGNMENT_RE = (
    # `\\?` before quotes: JSON inside a JSON string (tool-call arguments) escapes them.
    # a short note in parentheses may follow the key (`secret access key (AWS): ...`)
    # the key may end a camelCase name (`clientSecret`, `dbPassword`)
    rf"(?:(?<=[_-])|(?<![A-Za-z0-9])|(?<=[a-z])(?=[A-Z]))(?i:(?P<key>{_SECRET_KEYS}))(?:[ \t]*\([\w .-]{{1,20}}\))?"
    r"\\?[\"']?[ \t]*(?:=>|:=|=|:)[ \t]*"
    r"(?:\\?(?P<q>[\"'])(?P<quoted>[^\"'\n\r]{1,256}?)\\?(?P=q)"
    # A bare value does not end with `.` or `:` (end of sentence, `token: str:` in docstrings).
    r"|(?P<bare>[^\s\"',;&<>)\]}\\`]{0,255}[^\s\"',;&<>)\]}\\`.:]))"
)


# Keys whose values anyone may choose (a password can be `hunter`); tokens, keys and session ids are
# machine-made, so a value without a digit or mixed case (`token: "identifier"`) is a name.
_CHOSEN_SECRET_KEYS = frozenset(
    {"password", "passwd", "passphrase", "pwd", "pass", "secret", "client_secret", "db_pass", "pgpassword"}
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


# A session *id* written as a canonical UUID names a conversation (Claude Code's metadata.user_id,
# Codex's client_metadata), not a login: web frameworks' session cookies are not UUIDs.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _secret_assignment_ok(m: re.Match[str]) -> bool:
    quoted = m.group("quoted")
    if m.group("key").lower() not in _CHOSEN_SECRET_KEYS and not _machine_made(quoted or m.group("bare")):
        return False
    if m.group("key").lower() in ("session_id", "sessionid") and _UUID.fullmatch(
        (quoted or m.group("bare")).strip()
    ):
        return False
    if quoted is not None:
        value = quoted.strip()
        if not value or value.startswith(TEMPLATE_START) or value.lower() in CODE_WORDS:
            return False
        if HEX_COLOUR.fullmatch(value) or value.endswith("..."):  # `Token: '#dcdccc'`, `"hf_..."`
            return False
        if value.islower() and DOTTED_NAME.fullmatch(value):  # `{token: "support.constant"}` (a name)
            return False
        if m.group(0).lower().lstrip("\"'").startswith(("pwd", "oldpwd")) and value.startswith(("/", "~")):
            return False  # `PWD: '/Users/me'`: the shell's working directory
        # `"your-api-key-here"`, `"my_secret_password"`: documentation placeholders.
        low = value.lower()
        return not (re.fullmatch(r"[a-z_ -]+", low) and any(w in low for w in PLACEHOLDER_WORDS))
    value = m.group("bare")
    following = m.string[m.end() : m.end() + 3]
    if value.startswith(("/", "~", "\\", "./")) or re.match(r"[A-Za-z]:\\", value):  # `PWD=/home/me`: a path
        return False
    if value.endswith("...") or HEX_COLOUR.fullmatch(value):
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
    return not looks_like_code(value, following)


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
    return not password.startswith(TEMPLATE_START) and password.lower() not in CODE_WORDS


def _url_user_ok(m: re.Match[str]) -> bool:
    user = m.group("user")
    # `postgres://orders_app:...@db`: a service account names no one (its password is still SECRET)
    return (
        bool(user)
        and not user.startswith(TEMPLATE_START)
        and not is_service_account(user)
        and _url_password_ok(m)
    )


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
    return not (user.isdigit() or password.isdigit() or password.startswith(TEMPLATE_START))


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
    # `<ClientSecret>`, `<AdminPassword>`: a name ending in a secret word
    r"<(?P<tag>[A-Za-z]*_?(?i:password|passwd|pwd|secret|api_?key|access_?token|token|private_?key))>"
    r"(?P<value>[^<>\s][^<>]{0,255})</(?P=tag)>",
    score=0.95,
    group="value",
    accept=_not_template,
    requires=("</",),
)


def _prose_password_ok(m: re.Match[str]) -> bool:
    if m.group("quoted") is not None:
        return not m.group("quoted").startswith(TEMPLATE_START)
    value = m.group("value")
    if value.lower() in CODE_WORDS or value.startswith(TEMPLATE_START) or value.endswith("..."):
        return False
    # `the password is expired`, `password was Changed`: a word, unless quoted; a password has a digit,
    # a symbol or mixed case.
    plain = value.isalpha() and (value.islower() or value.isupper() or TITLE_WORD.fullmatch(value))
    if plain:
        return False
    return not looks_like_code(value, m.string[m.end() : m.end() + 3])


# `the password is Tr0ub4dor&3x`, `my passphrase was "correct horse"`, `password reset to Welcome1!`.
PASSWORD_PROSE = Recognizer(
    "password_prose",
    "SECRET",
    r"(?i:\b(?:password|passphrase|passcode|passwd)"
    # `the password for the vpn: ...`, `password for bob is ...`
    r"(?:(?:[ \t]+(?:for|to|of)[ \t]+[^\n:]{1,30}?)?[ \t]+(?:is|was|(?:re)?set[ \t]+to|changed[ \t]+to)"
    r"|[ \t]+(?:for|to|of)[ \t]+[^\n:]{1,30}?(?=:))[ \t]*:?[ \t]*)(?:(?P<q>[\"'`])(?P<quoted>[^\"'`\n]{1,128})(?P=q)"
    r"|(?P<value>[^\s\"'`]{1,128}?))(?=[.,;:!?)]*(?:\s|$))",
    score=0.9,
    group=("quoted", "value"),
    accept=_prose_password_ok,
    requires=("pass",),
    prefix=r"pass",
)


def _entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts: dict[str, int] = {}
    for c in value:
        counts[c] = counts.get(c, 0) + 1
    n = len(value)
    return -sum(k / n * math.log2(k / n) for k in counts.values())


def high_entropy(value: str) -> bool:
    """Machine-made: 16+ characters of two classes or more (lower, upper, digit), no spaces, and the
    spread of a random string (3+ bits a character: `aaaaaaaabbbbbbbb1` is not one)."""
    if len(value) < 16 or any(c.isspace() for c in value):
        return False
    classes = sum(any(f(c) for c in value) for f in (str.isdigit, str.isupper, str.islower))
    return classes >= 2 and _entropy(value) >= 3.0


def _secret_prose_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    if value.startswith(TEMPLATE_START) or "://" in value or value.startswith(("/", "~", "./")):
        return False
    return high_entropy(value) and not looks_like_code(value, m.string[m.end() : m.end() + 3])


# `the API token is 7f3a9c21e4b8...`, `here's the secret key - wJalrXUtnFEMI/K7MDENG/...`: a secret cue
# in prose, then a high-entropy value (a word or a short value after such a cue is prose).
SECRET_PROSE = Recognizer(
    "secret_prose",
    "SECRET",
    r"(?i:\b(?:(?:secret|api|access|private|auth|app|client|signing|encryption|master|bot|personal access)"
    r"[ _-]?(?:access[ _-]?)?(?:key|token|secret)|token|secret)s?[ \t]+(?:is|was|=|-|–|:)?[ \t]*:?[ \t]*"
    r"(?:(?:now|still|set to|changed to)[ \t]+)?[\"'`]?)"
    r"(?P<value>[A-Za-z0-9+/=_~.$!@#%^&*-]{16,256}?)(?=[\"'`]?[.,;:!?)]*(?:\s|$))",
    score=0.9,
    group="value",
    accept=_secret_prose_ok,
    requires=("key", "token", "secret"),
    prefix=r"secret|api|access|private|auth|app|client|signing|encryption|master|bot|personal|token",
)


# An id and its secret written as a pair (`client id / secret: 4471abcd / Zx8kQ2...`, `API key + secret:
# pk_... + ...`, `user/password: bob / hunter2`): the second value is the secret.
def _secret_pair_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    if value.startswith(TEMPLATE_START) or value.lower() in CODE_WORDS:
        return False
    return m.group("pw") is not None or _machine_made(value)


SECRET_PAIR = Recognizer(
    "secret_pair",
    "SECRET",
    r"(?i:\b(?:(?:client|app|api|access|consumer|account)[ _-]?)?(?:id|key|username|user|login|name)[ \t]*"
    r"(?:/|\+|&|and)[ \t]*(?:(?:secret|token)(?:[ _-]?key)?|(?P<pw>password|passwd|pass|pwd)))s?"
    r"[ \t]*[:=][ \t]*\S{1,128}?[ \t]*(?:/|\+|&|,)[ \t]*[\"'`]?(?P<value>[^\s\"'`,;]{4,256}?)[\"'`]?(?=[.,;)]*(?:\s|$))",
    score=0.9,
    group="value",
    accept=_secret_pair_ok,
    requires=("secret", "pass", "pwd", "token"),
)


# A key in a URL's user part with no password (`https://4f1c9e2b8a7d6c5e@o447120.ingest.sentry.io/5`, a
# Sentry DSN), and a bare `key` whose value is machine-made (`{"username": "m", "key": "9f8e7d6c..."}`:
# Kaggle's kaggle.json): high-entropy values only, so `user@host` and `"key": "user.name"` stay.
def _keyish_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    return high_entropy(value) and not HEX_COLOUR.fullmatch(value)


URL_USER_KEY = Recognizer(
    "url_user_key",
    "SECRET",
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}://(?P<value>[A-Za-z0-9_-]{16,128})@(?=[A-Za-z0-9])",
    score=0.9,
    group="value",
    accept=_keyish_ok,
    requires=("://",),
)
# `session=<signed cookie>` in a Cookie header or a log of one (Flask, Express): high entropy only, so
# `session = requests.Session()` and `session: PipSession` stay.
COOKIE_SESSION = Recognizer(
    "cookie_session",
    "SECRET",
    r"(?<![\w-])(?i:session)=(?P<value>[A-Za-z0-9._~+/-]{20,4096}=*)",
    score=0.9,
    group="value",
    accept=_keyish_ok,
    requires=("session=",),
)
BARE_KEY = Recognizer(
    "bare_key",
    "SECRET",
    r"(?<![A-Za-z0-9_.-])\\?[\"']?(?i:key)\\?[\"']?[ \t]*[:=][ \t]*\\?[\"'](?P<value>[A-Za-z0-9+/_=-]{20,256})\\?[\"']",
    score=0.85,
    group="value",
    accept=_keyish_ok,
    requires=("key",),
)


# A literal default of an environment lookup for a secret: `os.environ.get("SMTP_PASSWORD", "Nf8#...")`,
# `os.getenv('API_TOKEN', '...')`, `process.env.DB_PASS || "..."`: the fallback is the secret itself.
def _env_default_ok(m: re.Match[str]) -> bool:
    return not (m.group("value") or m.group("value2") or "").startswith(TEMPLATE_START)


ENV_DEFAULT_SECRET = Recognizer(
    "env_default_secret",
    "SECRET",
    r"(?:getenv|environ\.get|env\.get|Getenv)\(\s*[\"'][A-Za-z0-9_]*(?i:pass|secret|token|key|pwd|cred)[A-Za-z0-9_]*[\"']"
    r"\s*,\s*(?P<q>[\"'])(?P<value>[^\"'\n]{4,256})(?P=q)"
    r"|process\.env\.[A-Za-z0-9_]*(?i:pass|secret|token|key|pwd|cred)[A-Za-z0-9_]*\s*(?:\|\||\?\?)\s*"
    r"(?P<q2>[\"'`])(?P<value2>[^\"'`\n]{4,256})(?P=q2)",
    score=0.9,
    group=("value", "value2"),
    accept=_env_default_ok,
    requires=("getenv", "environ.get", "env.get", "process.env"),
)

# An AWS secret access key beside its key id (`AKIA... / wJalr...`, a console CSV row, two lines of a
# form): 40 base64 characters within 200 characters of an access key id, mixed case and a digit or
# `/`+`=` so a 40-hex git SHA never counts.
_AWS_KEY_ID = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_HEX = re.compile(r"[0-9a-fA-F]+")


class AwsSecretNearIdFinder:
    name = "aws_secret_near_id"
    label = "SECRET"
    locale = "any"
    version = "1"
    requires = ("akia", "asia")

    def find(self, text: str) -> Iterator[Span]:
        done: set[int] = set()
        for key_id in _AWS_KEY_ID.finditer(text):
            lo, hi = max(0, key_id.start() - 200), min(len(text), key_id.end() + 200)
            for m in _AWS_SECRET.finditer(text, lo, hi):
                value = m.group(0)
                if m.start() in done or _HEX.fullmatch(value) or not high_entropy(value):
                    continue
                if not (any(c.islower() for c in value) and any(c.isupper() for c in value)):
                    continue
                done.add(m.start())
                yield Span(m.start(), m.end(), self.label, 0.9, f"regex:{self.name}")


AWS_SECRET_NEAR_ID = AwsSecretNearIdFinder()

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
    PASSWORD_PROSE,
    SECRET_PROSE,
    SECRET_PAIR,
    AWS_SECRET_NEAR_ID,
    URL_USER_KEY,
    BARE_KEY,
    ENV_DEFAULT_SECRET,
    COOKIE_SESSION,
]
