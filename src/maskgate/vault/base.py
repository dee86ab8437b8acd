"""The store interface: per-session placeholder <-> value mappings."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SessionInfo:
    session: str
    entries: int
    created: float
    updated: float


@dataclass(frozen=True)
class Entry:
    placeholder: str
    label: str
    value: str


class Store(Protocol):
    """Mappings never change once issued: a placeholder always means the same value.

    Proxy methods (`assign`, `resolve`) take the session *name* (X-Maskgate-Session or the id
    derived from a credential); stores keep and show only its keyed hash, the session *id*
    (`session_id(name)`), which the admin methods take.
    """

    def session_id(self, name: str) -> str:
        """The id under which the session `name` is stored and may be logged: `s_` + 32 hex digits,
        a keyed hash (the same for every process sharing the vault key)."""
        ...

    def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
        """Placeholders for (label, value) pairs: the existing one if the value is known in the
        session, else a new `<LABEL_N>` with the next N for that label. One atomic step."""
        ...

    def resolve(self, session: str, placeholders: Collection[str]) -> dict[str, str]:
        """Values of the given placeholders issued in this session; unknown ones are absent."""
        ...

    def sessions(self) -> list[SessionInfo]: ...

    def entries(self, session: str) -> list[Entry]: ...

    def delete_session(self, session: str) -> int: ...

    def close(self) -> None: ...


class StoreError(RuntimeError):
    """The store cannot be opened or used."""
