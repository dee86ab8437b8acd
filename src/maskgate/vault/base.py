"""The store interface: per-session placeholder <-> value mappings."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from maskgate.errors import StoreError as StoreError  # its old home: still importable here


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
    """Mappings never change once issued: a placeholder always means the same value."""

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
