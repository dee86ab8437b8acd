"""SQLite store: the embedded default. Values are encrypted at rest (AES-GCM) and looked up by an
HMAC of the value, sessions are stored under a keyed hash of their name (vault/crypto.py), so the
file alone reveals neither the values, nor the session names, nor which sessions share a value. The
directory is created 0700 and the database 0600 (SQLite gives -wal and -shm the database's mode).

Safe under concurrent writers (threads and processes): WAL mode, a busy timeout, and
`BEGIN IMMEDIATE` around each assignment so numbering never races. Each store has one connection,
used under a lock after the file checks of vault/files.py (a damaged -shm would crash the process).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from maskgate.vault.base import Entry, SessionInfo, StoreError
from maskgate.vault.crypto import KEY_ENV, LegacyKeys, VaultKeys, load_key
from maskgate.vault.files import VaultFiles
from maskgate.vault.placeholder import make, parse

__all__ = ["KEY_ENV", "SQLiteStore", "load_key"]
# user_version of the file: 0 = written by maskgate up to a9e7a20 (upgraded on open: values
# re-sealed, session names replaced by their ids).
FORMAT = 1
_ABANDONED: list[sqlite3.Connection] = []  # connections whose files were damaged: never closed
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
CREATE TABLE IF NOT EXISTS meta (
    k TEXT PRIMARY KEY,
    v BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    session TEXT PRIMARY KEY,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
"""


def _private_files(path: Path) -> None:
    """A new directory 0700 (an existing one is the operator's choice), the database and its
    companions 0600: created so before SQLite opens them, tightened if they exist."""
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if os.stat(p).st_mode & 0o077:
                os.chmod(p, 0o600)
        except FileNotFoundError:
            pass


class SQLiteStore:
    def __init__(self, path: str | Path, key: bytes | None = None) -> None:
        self.path = Path(path).expanduser()
        try:
            _private_files(self.path)
            self._key = key or load_key(self.path)
        except OSError as exc:
            raise StoreError(f"cannot open vault at {self.path}: {exc.strerror or exc}") from exc
        self._keys = VaultKeys(self._key)
        self._files = VaultFiles(self.path)
        # One connection per store, used under a lock: SQLite maps -shm once per process, and the
        # file checks in vault/files.py guard every use of that one connection.
        self._db_lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None
        # Entries never change once written, so a process-local cache is always correct.
        self._by_value: OrderedDict[tuple[str, bytes], str] = OrderedDict()
        self._by_ph: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._cache_lock = threading.Lock()
        with self._db_lock:
            try:
                conn = self._connect()
                conn.executescript(SCHEMA)
                self._upgrade(conn)
                self._files.record()
            except (sqlite3.DatabaseError, OSError) as exc:
                raise StoreError(f"cannot open vault at {self.path}: {exc}") from exc

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        """Re-seal a vault written before the current format, in one transaction (several processes
        may open it at once: the first one upgrades, the others find it done)."""
        if conn.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
            row = conn.execute("SELECT v FROM meta WHERE k='key_check'").fetchone()
            if row is None:
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('key_check', ?)", (self._keys.check_value,))
            elif row[0] != self._keys.check_value:
                raise StoreError(f"vault at {self.path} was written with another vault key")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > FORMAT:
                raise StoreError(f"vault at {self.path} was written by a newer maskgate (format {version})")
            if version == 0:
                legacy = LegacyKeys(self._key)
                rows = conn.execute("SELECT session, label, n, value_enc FROM entries").fetchall()
                for name, label, n, enc in rows:
                    ph, sid = make(label, n), self._keys.session_id(name)
                    value = legacy.open(name, ph, enc)
                    conn.execute(
                        "UPDATE entries SET session=?, value_mac=?, value_enc=? "
                        "WHERE session=? AND label=? AND n=?",
                        (sid, self._keys.mac(sid, value), self._keys.seal(sid, ph, value), name, label, n),
                    )
                for (name,) in conn.execute("SELECT session FROM sessions").fetchall():
                    conn.execute(
                        "UPDATE sessions SET session=? WHERE session=?", (self._keys.session_id(name), name)
                    )
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('key_check', ?)", (self._keys.check_value,))
            conn.execute(f"PRAGMA user_version={FORMAT}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if version == 0:  # rewrite the file so no page keeps a plain session name
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA mmap_size=0")  # the database file is read, never mapped
        conn.execute("PRAGMA secure_delete=ON")  # erased entries are overwritten, not just unlinked
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk when COMMIT returns, so a placeholder handed out survives a
        # power cut too (NORMAL would lose the last commits; ~3 ms per write transaction here).
        conn.execute("PRAGMA synchronous=FULL")
        self._connection = conn
        return conn

    @contextmanager
    def _db(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """The connection, after the file checks, under the store's lock. SQLite errors become
        StoreError."""
        with self._db_lock:
            self._files.check()
            conn = self._connection
            if conn is None:
                raise StoreError("vault is closed")
            try:
                yield conn
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"vault {'write' if write else 'read'} failed: {exc}") from exc
            if write:  # committed, but to the files that are still the vault?
                self._files.check()

    def _remember(self, session: str, mac: bytes, ph: str, value: str) -> None:
        with self._cache_lock:
            self._by_value[(session, mac)] = ph
            self._by_ph[(session, ph)] = value
            while len(self._by_value) > CACHE_ENTRIES:
                self._by_value.popitem(last=False)
            while len(self._by_ph) > CACHE_ENTRIES:
                self._by_ph.popitem(last=False)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: `BEGIN IMMEDIATE` takes the write lock first, so numbering never
        races with another thread or process."""
        with self._db(write=True) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def session_id(self, name: str) -> str:
        return self._keys.session_id(name)

    def assign(self, name: str, items: Sequence[tuple[str, str]]) -> list[str]:
        session = self._keys.session_id(name)
        macs = [self._keys.mac(session, v) for _, v in items]
        out: list[str | None] = [self._by_value.get((session, m)) for m in macs]
        if all(out):
            self._files.check_db()
            return out  # type: ignore[return-value]
        new: list[tuple[bytes, str, str]] = []
        with self._write() as conn:
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
                new.append((mac, ph, value))
        for mac, ph, value in new:  # only once committed
            self._remember(session, mac, ph, value)
        return out  # type: ignore[return-value]

    def resolve(self, name: str, placeholders: Collection[str]) -> dict[str, str]:
        session = self._keys.session_id(name)
        found: dict[str, str] = {}
        missing: list[tuple[str, str, int]] = []
        for ph in placeholders:
            v = self._by_ph.get((session, ph))
            if v is not None:
                found[ph] = v
            elif parsed := parse(ph):
                missing.append((ph, *parsed))
        if not missing:
            self._files.check_db()
            return found
        with self._db() as conn:
            rows = [
                (
                    ph,
                    conn.execute(
                        "SELECT value_enc, value_mac FROM entries WHERE session=? AND label=? AND n=?",
                        (session, label, n),
                    ).fetchone(),
                )
                for ph, label, n in missing
            ]
        for ph, row in rows:
            if row:
                value = self._keys.open(session, ph, row[0])
                self._remember(session, row[1], ph, value)
                found[ph] = value
        return found

    def sessions(self) -> list[SessionInfo]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT s.session, COUNT(e.n), s.created, s.updated FROM sessions s "
                "LEFT JOIN entries e ON e.session = s.session GROUP BY s.session ORDER BY s.session"
            ).fetchall()
        return [SessionInfo(*r) for r in rows]

    def entries(self, session: str) -> list[Entry]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT label, n, value_enc FROM entries WHERE session=? ORDER BY label, n", (session,)
            ).fetchall()
        return [Entry(make(lb, n), lb, self._keys.open(session, make(lb, n), enc)) for lb, n, enc in rows]

    def delete_session(self, session: str) -> int:
        with self._write() as conn:
            n = conn.execute("DELETE FROM entries WHERE session=?", (session,)).rowcount
            conn.execute("DELETE FROM sessions WHERE session=?", (session,))
        with self._cache_lock:
            for k in [k for k in self._by_value if k[0] == session]:
                del self._by_value[k]
            for k2 in [k for k in self._by_ph if k[0] == session]:
                del self._by_ph[k2]
        return n

    def close(self) -> None:
        with self._db_lock:
            conn, self._connection = self._connection, None
            if conn is None:
                return
            try:
                self._files.check()
            except StoreError:
                # Closing may checkpoint through the damaged mapping and crash: leave it open.
                _ABANDONED.append(conn)
                return
            conn.close()
