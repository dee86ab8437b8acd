"""Secrets at rest: the vault's files are private to their owner, and session names (which may be
e-mail addresses) are stored only as keyed hashes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest

from maskgate.vault import StoreError
from maskgate.vault.sqlite import SQLiteStore

NAME = "person.name@example.org"
DATA = Path(__file__).parents[1] / "data"


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_new_vault_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "vault.db"
    store = SQLiteStore(path)
    store.assign(NAME, [("EMAIL", "a@x.io")])
    assert _mode(path.parent) == 0o700
    for name in ("vault.db", "vault.db-wal", "vault.db-shm", "vault.db.key"):
        assert _mode(path.with_name(name)) == 0o600, name
    store.close()


def test_existing_vault_files_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "vault.db"
    SQLiteStore(path).close()
    os.chmod(path, 0o644)
    store = SQLiteStore(path)
    store.assign(NAME, [("EMAIL", "a@x.io")])
    for name in ("vault.db", "vault.db-wal", "vault.db-shm"):
        assert _mode(path.with_name(name)) == 0o600, name
    store.close()


def _raw(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


def test_sqlite_stores_session_names_only_as_keyed_ids(tmp_path: Path) -> None:
    path = tmp_path / "vault.db"
    store = SQLiteStore(path, key=b"k" * 32)
    store.assign(NAME, [("EMAIL", "a@x.io")])
    sid = store.session_id(NAME)
    assert sid.startswith("s_") and len(sid) == 34 and NAME not in sid
    assert sid != SQLiteStore(tmp_path / "other.db", key=b"j" * 32).session_id(NAME)  # keyed
    assert [s.session for s in store.sessions()] == [sid]
    assert NAME.encode() not in _raw(path) and b"person.name" not in _raw(path)
    conn = sqlite3.connect(path)
    assert {r[0] for r in conn.execute("SELECT session FROM entries UNION SELECT session FROM sessions")} == {
        sid
    }
    store.close()


def test_legacy_vault_loses_its_plain_session_names(tmp_path: Path) -> None:
    for name in ("legacy-vault.db", "legacy-vault.db.key"):
        shutil.copy(DATA / name, tmp_path / name)
    path = tmp_path / "legacy-vault.db"
    assert b"alice@example.org" in path.read_bytes()
    store = SQLiteStore(path, key=b"legacy-test-key-not-a-secret-32b")
    assert store.resolve("alice@example.org", ["<EMAIL_1>"]) == {"<EMAIL_1>": "alice.fake@example.org"}
    store.close()
    assert b"alice@example.org" not in _raw(path) and b"team/shared" not in _raw(path)


@pytest.mark.redis
def test_opening_with_another_key_is_refused(tmp_path: Path, redis_url: str) -> None:
    from maskgate.vault.redis import RedisStore

    SQLiteStore(tmp_path / "v.db", key=b"k" * 32).assign("s", [("EMAIL", "a@x.io")])
    with pytest.raises(StoreError, match="another vault key"):
        SQLiteStore(tmp_path / "v.db", key=b"j" * 32)
    prefix = f"t{uuid.uuid4().hex}"
    RedisStore(redis_url, key=b"k" * 32, prefix=prefix).assign("s", [("EMAIL", "a@x.io")])
    with pytest.raises(StoreError, match="another vault key"):
        RedisStore(redis_url, key=b"j" * 32, prefix=prefix)


@pytest.mark.redis
def test_redis_stores_session_names_only_as_keyed_ids(redis_url: str) -> None:
    import redis

    from maskgate.vault.redis import RedisStore

    prefix = f"t{uuid.uuid4().hex}"
    store = RedisStore(redis_url, key=b"r" * 32, prefix=prefix)
    store.assign(NAME, [("EMAIL", "a@x.io")])
    r = redis.Redis.from_url(redis_url)
    dump = b""
    for k in r.keys(f"{prefix}*"):
        dump += k
        kind = r.type(k)
        if kind == b"hash":
            dump += b"".join(x for kv in r.hgetall(k).items() for x in kv)
        elif kind == b"zset":
            dump += b"".join(m for m, _ in r.zrange(k, 0, -1, withscores=True))
        elif kind == b"string":
            dump += r.get(k) or b""
    assert store.session_id(NAME).encode() in dump
    assert b"person.name" not in dump
    store.close()
