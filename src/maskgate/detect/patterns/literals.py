"""Is a value after `password=` / `user:` a literal, or code, a template or a placeholder?

Shared by the secret (`secrets.py`) and user-name (`usernames.py`) recognizers: both mask only
literal values, never `os.environ[...]`, `${VAR}`, `request.user` or a docstring's type name.
"""

from __future__ import annotations

import re

TEMPLATE_START = ("$", "{", "<", "%", "*", "!", "(", "[", "]", "@", "&", "`", "|")
# Values that appear after `password:` / `user=` in code, configs and docs and are not literals.
CODE_WORDS = frozenset(
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
CODE_OBJECTS = frozenset(
    {
        "self", "cls", "this", "os", "request", "req", "ctx", "context", "settings", "config", "cfg",
        "conf", "args", "kwargs", "opts", "options", "params", "props", "state", "env", "process",
        "data", "form", "body", "payload", "user", "current_user", "session", "g", "app", "secrets",
        "vault", "credentials", "creds", "auth", "response", "res", "result", "record", "row", "obj",
        "input", "values", "item", "model", "dto", "event", "msg", "message", "account", "profile",
    }
)  # fmt: skip
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SECRETISH_IDENT = re.compile(r"(?i)[a-z_]*(?:pass|pwd|secret|token|key|cred|auth)[a-z_]*")
CAMEL_CASE = re.compile(r"[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*")
TITLE_WORD = re.compile(r"[A-Z][a-z]+")  # `The`, `Tensor`, `Optional`: prose or a type
DOTTED_NAME = re.compile(r"[A-Za-z_]+(?:\.[A-Za-z_]+)+")  # `conditioning.atom_to_token`
HEX_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{3,4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")
PLACEHOLDER_WORDS = (
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


def looks_like_code(value: str, following: str, *, dotted_names: bool = False) -> bool:
    """True when an unquoted value is an expression or a word rather than a literal:
    `os.environ[...]`, `get_pw()`, `db_password`, `API_KEY`, `Tensor`, `The` (docstrings).
    With `dotted_names`, `john.smith` stays a value (user names) unless its head is a code object."""
    low = value.lower()
    if low in CODE_WORDS or value.startswith(TEMPLATE_START) or TITLE_WORD.fullmatch(value):
        return True
    if "(" in value or "[" in value or following[:1] in ("(", "[") or following.startswith(("::", "->")):
        return True
    if value.endswith("+"):  # `token: a.token + ".end"`: concatenation
        return True
    head = value.split(".", 1)[0]
    if "." in value and (head.lower() in CODE_OBJECTS or head[:1].isupper()):
        return True
    if not dotted_names and DOTTED_NAME.fullmatch(value):
        return True
    # `password=password`, `api_key=API_KEY`, `secret=client_secret`: a variable, not a literal.
    return bool(IDENT.fullmatch(value) and (SECRETISH_IDENT.fullmatch(value) or value.isupper()))
