"""Who may call the REST API: bearer tokens with scopes, or loopback clients when no token is set.

Scopes: `redact` (redact, hydrate), `read` (sessions, audit, stats, settings without values),
`reveal` (raw values: implies `read`), `admin` (settings, dictionary, delete, extend, forget:
implies `read`). `MASKGATE_ADMIN_TOKEN` holds every scope. Tokens are compared in constant time and
never logged or recorded: the audit trail names a token by a short hash (`actor`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SCOPES = ("redact", "read", "reveal", "admin")
_IMPLIES = {"reveal": {"read"}, "admin": {"read"}}


@dataclass(frozen=True)
class Principal:
    actor: str  # "loopback" or "tok-<8 hex>" (a hash of the token, never the token)
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


def expand(scopes: Sequence[str] | frozenset[str]) -> frozenset[str]:
    out = set(scopes)
    for s in list(out):
        out |= _IMPLIES.get(s, set())
    return frozenset(out)


def actor_of(token: str) -> str:
    return "tok-" + hashlib.sha256(b"maskgate-actor\0" + token.encode()).hexdigest()[:8]


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class Auth:
    """`mode` is "tokens" (bearer tokens required), "loopback" (no token configured, served to
    loopback clients only) or "disabled" (no token and a non-loopback bind: the API refuses)."""

    def __init__(self, admin_token: str | None, tokens: Mapping[str, Sequence[str]], bind_host: str) -> None:
        self._tokens: list[tuple[bytes, Principal]] = []
        if admin_token:
            self._tokens.append((admin_token.encode(), Principal(actor_of(admin_token), frozenset(SCOPES))))
        for token, scopes in tokens.items():
            self._tokens.append((token.encode(), Principal(actor_of(token), expand(scopes))))
        if self._tokens:
            self.mode = "tokens"
        elif is_loopback(bind_host):
            self.mode = "loopback"
        else:
            self.mode = "disabled"

    def principal(self, authorization: str | None, client_host: str | None) -> Principal | None:
        """The caller, or None when the request carries no valid credential."""
        if self.mode == "disabled":
            return None
        if self.mode == "loopback":
            return Principal("loopback", frozenset(SCOPES)) if is_loopback(client_host) else None
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return None
        presented = given.strip().encode()
        found = None
        for token, principal in self._tokens:  # every token compared: no early exit to time
            if hmac.compare_digest(token, presented):
                found = principal
        return found
