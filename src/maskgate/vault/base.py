"""The store interface: per-session placeholder <-> value mappings, and their lifecycle."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from maskgate.errors import StoreError as StoreError  # its old home: still importable here

Clock = Callable[[], float]
# How often (seconds, at most) a store writes that a session was used, which renews its expiry and
# lets a process notice admin changes made by another one. The smaller of this and 1% of the TTL.
RENEW_EVERY = 60.0


def ttl_seconds(ttl: float | None) -> float | None:
    """None and 0 (or less) mean "never expires"."""
    return float(ttl) if ttl and ttl > 0 else None


def renew_every(ttl: float | None) -> float:
    return RENEW_EVERY if ttl is None else min(RENEW_EVERY, ttl / 100)


@dataclass(frozen=True)
class SessionInfo:
    """A session as admin tools see it: never its name, never a value."""

    id: str  # the keyed hash of the name (Store.session_id): `s_` + 32 hex digits
    entries: int  # mappings it holds now
    created: float  # epoch seconds
    updated: float  # last used (assign or resolve), to within the renewal interval
    expires: float | None = None  # epoch seconds; None: never
    labels: dict[str, int] = field(default_factory=dict)  # mappings per label

    @property
    def session(self) -> str:
        """The id (the name this field had before sessions were stored as ids)."""
        return self.id

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "updated": self.updated,
            "expires": self.expires,
            "entries": self.entries,
            "labels": dict(self.labels),
        }


@dataclass(frozen=True)
class Entry:
    placeholder: str
    label: str
    value: str


class Store(Protocol):
    """Mappings never change once issued: a placeholder always means the same value, and a number
    is never issued twice in a session (not even after `forget`).

    Names and ids: proxy methods (`assign`, `resolve`) take the session *name* (X-Maskgate-Session
    or the id derived from a credential). Stores keep and show only its keyed hash, the session
    *id* (`session_id(name)`); admin methods take the id (`vault.session_ref` turns a user's
    argument into one). Ids are the same in every process that shares the vault key.

    Lifecycle: a store built with `ttl` (seconds; None or 0: never) gives each session a sliding
    expiry: every assign or resolve moves `expires` to at least now + ttl (written at most every
    `renew_every(ttl)` seconds per process). A session used after it expired starts over, empty:
    its old mappings are gone. `prune` deletes expired sessions; `sessions` and `session_info`
    never show them. `clock` (epoch seconds) is injectable for tests.
    """

    ttl: float | None

    def session_id(self, name: str) -> str:
        """The id under which the session `name` is stored and may be logged: `s_` + 32 hex digits."""
        ...

    def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
        """Placeholders for (label, value) pairs of session *name* `session`: the existing one if the
        value is known in the session, else a new `<LABEL_N>` with the next N for that label. One
        atomic step; returns only once the mappings are stored (durably, for SQLite)."""
        ...

    def resolve(self, session: str, placeholders: Collection[str]) -> dict[str, str]:
        """Values of the given placeholders issued in session *name* `session`; unknown ones are
        absent."""
        ...

    def sessions(self, offset: int = 0, limit: int = 100) -> list[SessionInfo]:
        """Live sessions, oldest first (by created, then id: a stable order for paging)."""
        ...

    def session_info(self, session_id: str) -> SessionInfo | None:
        """The session with this id, or None if there is none (or it expired)."""
        ...

    def entries(self, session_id: str) -> list[Entry]:
        """Mappings of the session with this id, values decrypted, by label and number."""
        ...

    def delete_session(self, session_id: str) -> int:
        """Delete the session with this id; returns how many mappings it held (0 if none)."""
        ...

    def extend(self, session_id: str, seconds: float | None = None) -> SessionInfo | None:
        """Set the session's expiry to now + `seconds` (None: the store's TTL; 0 or less, or None
        with no TTL: never); None if there is no such session. Use renews it to at least now + ttl
        afterwards (so "never" lasts only on stores without a TTL)."""
        ...

    def prune(self, now: float | None = None) -> int:
        """Delete the sessions expired at `now` (default: the clock); returns how many."""
        ...

    def forget(self, value: str) -> int:
        """Erase the mappings of exactly this value (as it was detected) from every session, found
        by its keyed hash in each session; returns how many were erased. Their placeholders stay
        unresolvable; numbers are never reused."""
        ...

    def sessions_with(self, value: str) -> list[str]:
        """Ids of the live sessions holding exactly this value (as it was detected), found by its
        keyed hash in each session, like `forget` (the admin UI's search by value)."""
        ...

    def close(self) -> None: ...
