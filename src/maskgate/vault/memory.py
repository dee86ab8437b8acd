"""In-memory store: one process, gone on exit. Kept by session id like the others."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from maskgate.vault.base import Clock, Entry, SessionInfo, ttl_seconds
from maskgate.vault.crypto import VaultKeys
from maskgate.vault.placeholder import make, parse


@dataclass
class _Session:
    created: float
    updated: float
    expires: float | None
    by_value: dict[str, str] = field(default_factory=dict)
    by_placeholder: dict[str, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def info(self, sid: str) -> SessionInfo:
        labels: dict[str, int] = {}
        for ph in self.by_placeholder:
            parsed = parse(ph)
            label = parsed[0] if parsed else ""
            labels[label] = labels.get(label, 0) + 1
        return SessionInfo(sid, len(self.by_placeholder), self.created, self.updated, self.expires, labels)


class MemoryStore:
    def __init__(self, ttl: float | None = None, clock: Clock = time.time) -> None:
        self.ttl = ttl_seconds(ttl)
        self._clock = clock
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()
        self._keys = VaultKeys(os.urandom(32))  # ids only: they differ from run to run
        self._ids: dict[str, str] = {}  # name -> id: an HMAC saved per call

    def session_id(self, name: str) -> str:
        sid = self._ids.get(name)
        if sid is None:
            if len(self._ids) >= 20_000:
                self._ids.clear()
            sid = self._ids[name] = self._keys.session_id(name)
        return sid

    def _live(self, sid: str, now: float) -> _Session | None:
        s = self._sessions.get(sid)
        if s is not None and s.expires is not None and s.expires <= now:
            del self._sessions[sid]  # expired: used again, it starts over
            return None
        return s

    def _touch(self, s: _Session, now: float) -> None:
        s.updated = now
        if self.ttl is not None:
            s.expires = max(s.expires or 0.0, now + self.ttl)

    def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
        sid = self.session_id(session)
        out = []
        with self._lock:
            now = self._clock()
            s = self._live(sid, now)
            if s is None:
                s = self._sessions[sid] = _Session(now, now, None)
            self._touch(s, now)
            for label, value in items:
                ph = s.by_value.get(value)
                if ph is None:
                    n = s.counters.get(label, 0) + 1
                    s.counters[label] = n
                    ph = make(label, n)
                    s.by_value[value] = ph
                    s.by_placeholder[ph] = value
                out.append(ph)
        return out

    def resolve(self, session: str, placeholders: Collection[str]) -> dict[str, str]:
        sid = self.session_id(session)
        with self._lock:
            now = self._clock()
            s = self._live(sid, now)
            if s is None:
                return {}
            self._touch(s, now)
            return {ph: s.by_placeholder[ph] for ph in placeholders if ph in s.by_placeholder}

    def sessions(self, offset: int = 0, limit: int = 100) -> list[SessionInfo]:
        with self._lock:
            now = self._clock()
            live = [(s.created, sid, s) for sid, s in self._sessions.items() if self._alive(s, now)]
            live.sort(key=lambda t: (t[0], t[1]))
            return [s.info(sid) for _, sid, s in live[offset : offset + limit]]

    @staticmethod
    def _alive(s: _Session, now: float) -> bool:
        return s.expires is None or s.expires > now

    def session_info(self, session_id: str) -> SessionInfo | None:
        with self._lock:
            s = self._sessions.get(session_id)
            return s.info(session_id) if s is not None and self._alive(s, self._clock()) else None

    def entries(self, session_id: str) -> list[Entry]:
        with self._lock:
            s = self._sessions.get(session_id)
            if s is None or not self._alive(s, self._clock()):
                return []
            rows = [(parse(ph) or ("", 0), ph, v) for ph, v in s.by_placeholder.items()]
        return [Entry(ph, parsed[0], v) for parsed, ph, v in sorted(rows)]

    def delete_session(self, session_id: str) -> int:
        with self._lock:
            s = self._sessions.pop(session_id, None)
        return len(s.by_placeholder) if s else 0

    def extend(self, session_id: str, seconds: float | None = None) -> SessionInfo | None:
        with self._lock:
            now = self._clock()
            s = self._live(session_id, now)
            if s is None:
                return None
            span = self.ttl if seconds is None else ttl_seconds(seconds)
            s.expires = None if span is None else now + span
            return s.info(session_id)

    def prune(self, now: float | None = None) -> int:
        with self._lock:
            at = self._clock() if now is None else now
            dead = [sid for sid, s in self._sessions.items() if not self._alive(s, at)]
            for sid in dead:
                del self._sessions[sid]
        return len(dead)

    def forget(self, value: str) -> int:
        n = 0
        with self._lock:
            for s in self._sessions.values():
                ph = s.by_value.pop(value, None)
                if ph is not None:
                    del s.by_placeholder[ph]
                    n += 1
        return n

    def sessions_with(self, value: str) -> list[str]:
        now = self._clock()
        with self._lock:
            return sorted(
                sid for sid in list(self._sessions) if (s := self._live(sid, now)) and value in s.by_value
            )

    def close(self) -> None:
        pass
