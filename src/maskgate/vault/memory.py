"""In-memory store: one process, gone on exit."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from maskgate.vault.base import Entry, SessionInfo
from maskgate.vault.crypto import VaultKeys
from maskgate.vault.placeholder import make, parse


@dataclass
class _Session:
    by_value: dict[str, str] = field(default_factory=dict)
    by_placeholder: dict[str, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)


class MemoryStore:
    def __init__(self) -> None:
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()
        self._keys = VaultKeys(os.urandom(32))  # ids only: they differ from run to run

    def session_id(self, name: str) -> str:
        return self._keys.session_id(name)

    def assign(self, name: str, items: Sequence[tuple[str, str]]) -> list[str]:
        session = self._keys.session_id(name)
        out = []
        with self._lock:
            s = self._sessions.setdefault(session, _Session())
            for label, value in items:
                ph = s.by_value.get(value)
                if ph is None:
                    n = s.counters.get(label, 0) + 1
                    s.counters[label] = n
                    ph = make(label, n)
                    s.by_value[value] = ph
                    s.by_placeholder[ph] = value
                    s.updated = time.time()
                out.append(ph)
        return out

    def resolve(self, name: str, placeholders: Collection[str]) -> dict[str, str]:
        session = self._keys.session_id(name)
        s = self._sessions.get(session)
        if s is None:
            return {}
        found = {}
        for ph in placeholders:
            v = s.by_placeholder.get(ph)
            if v is not None:
                found[ph] = v
        return found

    def sessions(self) -> list[SessionInfo]:
        with self._lock:
            return [
                SessionInfo(k, len(s.by_value), s.created, s.updated)
                for k, s in sorted(self._sessions.items())
            ]

    def entries(self, session: str) -> list[Entry]:
        s = self._sessions.get(session)
        if s is None:
            return []
        rows = []
        for ph, v in s.by_placeholder.items():
            parsed = parse(ph)
            rows.append(Entry(ph, parsed[0] if parsed else "", v))
        return rows

    def delete_session(self, session: str) -> int:
        with self._lock:
            s = self._sessions.pop(session, None)
        return len(s.by_value) if s else 0

    def close(self) -> None:
        pass
