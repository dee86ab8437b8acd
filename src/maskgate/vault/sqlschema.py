"""The SQLite vault's schema, its upgrades and its file modes."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from maskgate.vault.base import StoreError
from maskgate.vault.crypto import KEY_ENV, LegacyKeys, VaultKeys
from maskgate.vault.placeholder import make

# user_version of the file. 0: written by maskgate up to a9e7a20 (values sealed with sha256-derived
# keys, plain session names); 1: sealed format v1, session ids; 2: + expiry and per-label counters
# (so numbers are never reused after `forget`).
FORMAT = 2

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
CREATE TABLE IF NOT EXISTS counters (
    session TEXT NOT NULL,
    label TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (session, label)
);
CREATE TABLE IF NOT EXISTS sessions (
    session TEXT PRIMARY KEY,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    expires REAL
);
CREATE TABLE IF NOT EXISTS meta (
    k TEXT PRIMARY KEY,
    v BLOB NOT NULL
);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS sessions_by_age ON sessions (created, session);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires);
"""


def private_files(path: Path) -> None:
    """A new directory 0700 (an existing one is the operator's choice), the database and its
    companions 0600: created so before SQLite opens them (SQLite gives -wal and -shm the database
    file's mode), tightened if they exist."""
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if os.stat(p).st_mode & 0o077:
                os.chmod(p, 0o600)
        except FileNotFoundError:
            pass


def prepare(conn: sqlite3.Connection, keys: VaultKeys, key: bytes, where: Path) -> None:
    """Create or upgrade the schema in one transaction (several processes may open the vault at
    once: the first one upgrades, the others find it done) and check the vault key."""
    conn.executescript(SCHEMA)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != FORMAT:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > FORMAT:
                raise StoreError(f"vault at {where} was written by a newer maskgate (format {version})")
            if version == 0:
                _from_legacy(conn, keys, LegacyKeys(key))
            if version < 2:
                columns = {r[1] for r in conn.execute("PRAGMA table_info(sessions)")}
                if "expires" not in columns:
                    conn.execute("ALTER TABLE sessions ADD COLUMN expires REAL")
                conn.execute(
                    "INSERT OR IGNORE INTO counters "
                    "SELECT session, label, MAX(n) FROM entries GROUP BY session, label"
                )
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('key_check', ?)", (keys.check_value,))
            conn.execute(f"PRAGMA user_version={FORMAT}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if version == 0:  # rewrite the file so no page keeps a plain session name
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.executescript(INDEXES)
    row = conn.execute("SELECT v FROM meta WHERE k='key_check'").fetchone()
    if row is None or row[0] != keys.check_value:
        raise StoreError(f"vault at {where} was written with another vault key ({KEY_ENV} or its key file)")


def _from_legacy(conn: sqlite3.Connection, keys: VaultKeys, legacy: LegacyKeys) -> None:
    """Re-seal every value in the current format and replace session names by their ids."""
    rows = conn.execute("SELECT session, label, n, value_enc FROM entries").fetchall()
    for name, label, n, enc in rows:
        ph, sid = make(label, n), keys.session_id(name)
        value = legacy.open(name, ph, enc)
        conn.execute(
            "UPDATE entries SET session=?, value_mac=?, value_enc=? WHERE session=? AND label=? AND n=?",
            (sid, keys.mac(sid, value), keys.seal(sid, ph, value), name, label, n),
        )
    for (name,) in conn.execute("SELECT session FROM sessions").fetchall():
        conn.execute("UPDATE sessions SET session=? WHERE session=?", (keys.session_id(name), name))
