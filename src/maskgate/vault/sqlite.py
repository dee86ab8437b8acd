"""SQLite store: the embedded default. Values are encrypted at rest (AES-GCM) and looked up by an
HMAC of the value, so the file alone reveals neither the values nor which sessions share one.

Safe under concurrent writers (threads and processes): WAL mode, a busy timeout, and
`BEGIN IMMEDIATE` around each assignment so numbering never races.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Sequence
from pathlib import Path

from maskgate.vault.base import Entry, SessionInfo, StoreError
from maskgate.vault.crypto import KEY_ENV, LegacyKeys, VaultKeys, load_key
from maskgate.vault.placeholder import make, parse

__all__ = ["KEY_ENV", "SQLiteStore", "load_key"]
# user_version of the file: 0 = written by maskgate up to a9e7a20 (upgraded on open).
FORMAT = 1
CACHE_ENTRIES = 200_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    session TEXT NOT NULL,
    label TEXT NOT NULL,
    n INTEGER NOT NULL,
    value_mac BLOB NOT NULL,
    value_enc BLOB NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (session, label, n),
    UNIQUE (session, value_mac)
);
CREATE TABLE IF NOT EXISTS sessions (
    session TEXT PRIMARY KEY,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
"""


class SQLiteStore:
    def __init__(self, path: str | Path, key: bytes | None = None) -> None:
        self.path = Path(path).expanduser()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._key = key or load_key(self.path)
        except OSError as exc:
            raise StoreError(f"cannot open vault at {self.path}: {exc.strerror or exc}") from exc
        self._keys = VaultKeys(self._key)
        self._local = threading.local()
        # Entries never change once written, so a process-local cache is always correct.
        self._by_value: OrderedDict[tuple[str, bytes], str] = OrderedDict()
        self._by_ph: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._cache_lock = threading.Lock()
        conn = self._conn()
        try:
            conn.executescript(SCHEMA)
            self._upgrade(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open vault at {self.path}: {exc}") from exc

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        """Re-seal a vault written before the current format, in one transaction (several processes
        may open it at once: the first one upgrades, the others find it done)."""
        if conn.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > FORMAT:
                raise StoreError(f"vault at {self.path} was written by a newer maskgate (format {version})")
            if version == 0:
                legacy = LegacyKeys(self._key)
                rows = conn.execute("SELECT session, label, n, value_enc FROM entries").fetchall()
                for session, label, n, enc in rows:
                    ph = make(label, n)
                    value = legacy.open(session, ph, enc)
                    conn.execute(
                        "UPDATE entries SET value_mac=?, value_enc=? WHERE session=? AND label=? AND n=?",
                        (
                            self._keys.mac(session, value),
                            self._keys.seal(session, ph, value),
                            session,
                            label,
                            n,
                        ),
                    )
            conn.execute(f"PRAGMA user_version={FORMAT}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA busy_timeout=30000")
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"cannot open vault at {self.path}: {exc}") from exc
            self._local.conn = conn
        return conn

    def _remember(self, session: str, mac: bytes, ph: str, value: str) -> None:
        with self._cache_lock:
            self._by_value[(session, mac)] = ph
            self._by_ph[(session, ph)] = value
            while len(self._by_value) > CACHE_ENTRIES:
                self._by_value.popitem(last=False)
            while len(self._by_ph) > CACHE_ENTRIES:
                self._by_ph.popitem(last=False)

    def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
        macs = [self._keys.mac(session, v) for _, v in items]
        out: list[str | None] = [self._by_value.get((session, m)) for m in macs]
        if all(out):
            return out  # type: ignore[return-value]
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                now = time.time()
                for i, ((label, value), mac) in enumerate(zip(items, macs, strict=True)):
                    if out[i]:
                        continue
                    row = conn.execute(
                        "SELECT label, n FROM entries WHERE session=? AND value_mac=?", (session, mac)
                    ).fetchone()
                    if row:
                        ph = make(row[0], row[1])
                    else:
                        (n,) = conn.execute(
                            "SELECT COALESCE(MAX(n), 0) + 1 FROM entries WHERE session=? AND label=?",
                            (session, label),
                        ).fetchone()
                        ph = make(label, n)
                        conn.execute(
                            "INSERT INTO entries VALUES (?,?,?,?,?,?)",
                            (session, label, n, mac, self._keys.seal(session, ph, value), now),
                        )
                        conn.execute(
                            "INSERT INTO sessions VALUES (?,?,?) "
                            "ON CONFLICT(session) DO UPDATE SET updated=excluded.updated",
                            (session, now, now),
                        )
                    out[i] = ph
                    self._remember(session, mac, ph, value)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"vault write failed: {exc}") from exc
        return out  # type: ignore[return-value]

    def resolve(self, session: str, placeholders: Collection[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        missing: list[str] = []
        for ph in placeholders:
            v = self._by_ph.get((session, ph))
            if v is None:
                missing.append(ph)
            else:
                found[ph] = v
        if not missing:
            return found
        conn = self._conn()
        for ph in missing:
            parsed = parse(ph)
            if parsed is None:
                continue
            row = conn.execute(
                "SELECT value_enc, value_mac FROM entries WHERE session=? AND label=? AND n=?",
                (session, parsed[0], parsed[1]),
            ).fetchone()
            if row:
                value = self._keys.open(session, ph, row[0])
                self._remember(session, row[1], ph, value)
                found[ph] = value
        return found

    def sessions(self) -> list[SessionInfo]:
        rows = self._conn().execute(
            "SELECT s.session, COUNT(e.n), s.created, s.updated FROM sessions s "
            "LEFT JOIN entries e ON e.session = s.session GROUP BY s.session ORDER BY s.session"
        )
        return [SessionInfo(*r) for r in rows]

    def entries(self, session: str) -> list[Entry]:
        rows = self._conn().execute(
            "SELECT label, n, value_enc FROM entries WHERE session=? ORDER BY label, n", (session,)
        )
        return [Entry(make(lb, n), lb, self._keys.open(session, make(lb, n), enc)) for lb, n, enc in rows]

    def delete_session(self, session: str) -> int:
        conn = self._conn()
        cur = conn.execute("DELETE FROM entries WHERE session=?", (session,))
        conn.execute("DELETE FROM sessions WHERE session=?", (session,))
        with self._cache_lock:
            for k in [k for k in self._by_value if k[0] == session]:
                del self._by_value[k]
            for k2 in [k for k in self._by_ph if k[0] == session]:
                del self._by_ph[k2]
        return cur.rowcount

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
