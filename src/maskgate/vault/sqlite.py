"""SQLite store: the embedded default. Values are encrypted at rest (AES-GCM) and looked up by an
HMAC of the value, so the file alone reveals neither the values nor which sessions share one.

Safe under concurrent writers (threads and processes): WAL mode, a busy timeout, and
`BEGIN IMMEDIATE` around each assignment so numbering never races.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from maskgate.vault.base import Entry, SessionInfo, StoreError
from maskgate.vault.placeholder import make, parse

KEY_ENV = "MASKGATE_VAULT_KEY"
# A value that does not decrypt was written under another key (replicas or restarts given different keys).
WRONG_KEY = f"a vault entry does not decrypt: {KEY_ENV} is not the key this vault was written with"
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


def load_key(path: Path) -> bytes:
    """The vault key: from MASKGATE_VAULT_KEY (urlsafe base64 of 32 bytes), else a key file
    beside the database, created with mode 0600 on first use."""
    env = os.environ.get(KEY_ENV)
    if env:
        try:
            key = base64.urlsafe_b64decode(env.encode() + b"=" * (-len(env) % 4))
        except ValueError as exc:
            raise StoreError(f"{KEY_ENV} is not valid base64") from exc
        if len(key) != 32:
            raise StoreError(f"{KEY_ENV} must encode 32 bytes")
        return key
    key_path = path.with_name(path.name + ".key")
    try:
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as f:
            f.write(base64.urlsafe_b64encode(os.urandom(32)))
    for _ in range(50):  # another process may be writing it right now
        data = key_path.read_bytes().strip()
        if data:
            key = base64.urlsafe_b64decode(data)
            if len(key) == 32:
                return key
        time.sleep(0.01)
    raise StoreError(f"vault key file {key_path} is unreadable or corrupt")


class SQLiteStore:
    def __init__(self, path: str | Path, key: bytes | None = None) -> None:
        self.path = Path(path).expanduser()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._key = key or load_key(self.path)
        except OSError as exc:
            raise StoreError(f"cannot open vault at {self.path}: {exc.strerror or exc}") from exc
        self._mac_key = hashlib.sha256(b"maskgate-mac" + self._key).digest()
        self._aead = AESGCM(hashlib.sha256(b"maskgate-enc" + self._key).digest())
        self._local = threading.local()
        # Entries never change once written, so a process-local cache is always correct.
        self._by_value: OrderedDict[tuple[str, bytes], str] = OrderedDict()
        self._by_ph: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._cache_lock = threading.Lock()
        conn = self._conn()
        try:
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open vault at {self.path}: {exc}") from exc

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

    def _mac(self, session: str, value: str) -> bytes:
        return hmac.new(self._mac_key, f"{session}\x00{value}".encode(), hashlib.sha256).digest()

    def _encrypt(self, session: str, ph: str, value: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, value.encode(), f"{session}\x00{ph}".encode())

    def _decrypt(self, session: str, ph: str, blob: bytes) -> str:
        try:
            return self._aead.decrypt(blob[:12], blob[12:], f"{session}\x00{ph}".encode()).decode()
        except InvalidTag as exc:
            raise StoreError(WRONG_KEY) from exc

    def _remember(self, session: str, mac: bytes, ph: str, value: str) -> None:
        with self._cache_lock:
            self._by_value[(session, mac)] = ph
            self._by_ph[(session, ph)] = value
            while len(self._by_value) > CACHE_ENTRIES:
                self._by_value.popitem(last=False)
            while len(self._by_ph) > CACHE_ENTRIES:
                self._by_ph.popitem(last=False)

    def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
        macs = [self._mac(session, v) for _, v in items]
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
                            (session, label, n, mac, self._encrypt(session, ph, value), now),
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
                value = self._decrypt(session, ph, row[0])
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
        return [Entry(make(lb, n), lb, self._decrypt(session, make(lb, n), enc)) for lb, n, enc in rows]

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
