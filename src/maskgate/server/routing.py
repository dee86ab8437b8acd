"""Providers, routes, sessions and header rules: the parts of the proxy that are plain functions."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from maskgate.config import ProviderConfig, Settings
from maskgate.providers import Family

BUILTIN_PROVIDERS = {
    "anthropic": ProviderConfig(base_url="https://api.anthropic.com", api="anthropic"),
    "openai": ProviderConfig(base_url="https://api.openai.com", api="openai"),
}

HOP_BY_HOP = frozenset(
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
        "trailer", "trailers", "transfer-encoding", "upgrade",
    }
)  # fmt: skip
# Recomputed or re-chosen by the proxy for the body it actually sends.
REQUEST_DROP = HOP_BY_HOP | {"host", "content-length", "accept-encoding", "expect"}
RESPONSE_DROP = HOP_BY_HOP | {"content-length", "content-encoding"}
OWN_PREFIX = "x-maskgate-"
SESSION_HEADER = "x-maskgate-session"
_SESSION_RE = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def providers_of(settings: Settings) -> dict[str, ProviderConfig]:
    return {**BUILTIN_PROVIDERS, **settings.providers}


class BadPath(ValueError):
    """A request path the proxy refuses: its rules could differ from the path the upstream sees.
    `family` is the error format to answer in."""

    family: Family = "openai"


# Escapes that change a path's structure once decoded: `?` and `#` end the path, `/` and `\` split it,
# `%25` decodes to another escape (double encoding), `.` makes dot segments.
_STRUCTURAL_ESCAPES = re.compile(rb"%(?:3[fF]|23|2[fF]|5[cC]|25|2[eE])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def request_path(scope: Mapping[str, Any]) -> str:
    """The one decoded path a request is routed by and forwarded to. Refused (BadPath) when decoding
    could make the two differ: an encoded `?`, `#`, `/`, `\\` or `.`, double encoding, a `.` or `..`
    segment, a backslash or a control character."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    if _STRUCTURAL_ESCAPES.search(raw):
        raise BadPath("the request path holds an encoded ?, #, /, \\, . or %; refused")
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise BadPath("the request path is not UTF-8; refused") from None
    if any(c in path for c in "\\?#%") or _CONTROL.search(path):
        raise BadPath("the request path holds a character a path may not hold; refused")
    if any(seg in (".", "..") for seg in path.split("/")):
        raise BadPath("the request path holds a . or .. segment; refused")
    return path


def route(
    path: str, headers: Mapping[str, str], providers: Mapping[str, ProviderConfig], settings: Settings
) -> tuple[str, ProviderConfig, str] | None:
    """`/{provider}/{rest}` or, for clients that cannot add a prefix, `/v1/...` to a default provider."""
    clean = path.lstrip("/")
    first, _, rest = clean.partition("/")
    if first in providers:
        return first, providers[first], rest
    if first == "v1":
        anthropic = clean.startswith("v1/messages") or "anthropic-version" in headers
        name = settings.default_provider_anthropic if anthropic else settings.default_provider_openai
        if name in providers:
            return name, providers[name], clean
    return None


def session_of(headers: Mapping[str, str], anonymous: str | None = None) -> str | None:
    """The X-Maskgate-Session header, else a hash of the client's credential, else `anonymous` (the
    `anonymous_session` setting) or a fresh random session; None if the header (or the setting) is
    malformed. Two keys never share a session, and the id does not reveal the key."""
    cred = headers.get("x-api-key") or headers.get("authorization") or headers.get("api-key") or ""
    if cred:
        digest = hashlib.sha256(b"maskgate-session\0" + cred.strip().encode()).hexdigest()
        own = f"key-{digest[:24]}"
    else:  # no credential: one request's values must never be echoed to another anonymous client
        own = anonymous if anonymous is not None else f"anon-{secrets.token_hex(12)}"
        if not _SESSION_RE.fullmatch(own):
            return None
    given = headers.get(SESSION_HEADER)
    if given is None:
        return own
    if not _SESSION_RE.fullmatch(given):
        return None
    # `key-` ids belong to credentials: naming another key's session would unmask its values.
    if given.startswith("key-") and given != own:
        return None
    return given


def route_request(
    scope: Mapping[str, Any],
    headers: Mapping[str, str],
    providers: Mapping[str, ProviderConfig],
    settings: Settings,
) -> tuple[str, ProviderConfig, str] | None:
    """`route` on the checked `request_path`: the API rules and the forwarded URL come from the same
    decoded path. Raises BadPath (with the family to answer in) for a path it refuses."""
    try:
        path = request_path(scope)
    except BadPath as exc:
        guess = route(scope.get("path", ""), headers, providers, settings)
        exc.family = guess[1].api if guess else "openai"
        raise
    return route(path, headers, providers, settings)


def switched_off(headers: Mapping[str, str], name: str) -> bool:
    return headers.get(name, "").strip().lower() in ("off", "0", "false", "no")


def upstream_headers(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    out = [
        (k, v)
        for k, v in raw
        if k.lower().decode("latin-1") not in REQUEST_DROP and not k.lower().startswith(b"x-maskgate-")
    ]
    # identity so SSE and JSON arrive as text the proxy can rewrite event by event
    out.append((b"accept-encoding", b"identity"))
    return out


def client_headers(items: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [
        (k.lower().encode("latin-1"), v.encode("latin-1"))
        for k, v in items
        if k.lower() not in RESPONSE_DROP and not k.lower().startswith(OWN_PREFIX)
    ]


def upstream_url(provider: ProviderConfig, rest: str, query: str) -> str:
    url = provider.base_url.rstrip("/") + "/" + rest.lstrip("/")
    return f"{url}?{query}" if query else url
