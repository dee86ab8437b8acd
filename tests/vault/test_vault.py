"""Vault rules: stable numbering per label, session isolation, persistence, concurrency, encryption."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest

from maskgate.vault import MemoryStore, StoreError, open_store
from maskgate.vault.sqlite import SQLiteStore


@pytest.fixture(params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def store(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "memory":
        s = MemoryStore()
    elif request.param == "sqlite":
        s = SQLiteStore(tmp_path / "v.db")
    else:
        from maskgate.vault.redis import RedisStore

        s = RedisStore(request.getfixturevalue("redis_url"), key=b"r" * 32, prefix=f"t{uuid.uuid4().hex}")
    yield s
    s.close()


def test_numbering_is_per_label_and_stable(store) -> None:  # type: ignore[no-untyped-def]
    a = store.assign("s", [("EMAIL", "a@x.io"), ("PERSON", "Ann"), ("EMAIL", "b@x.io"), ("EMAIL", "a@x.io")])
    assert a == ["<EMAIL_1>", "<PERSON_1>", "<EMAIL_2>", "<EMAIL_1>"]
    assert store.assign("s", [("EMAIL", "b@x.io")]) == ["<EMAIL_2>"]
    assert store.assign("s", [("PERSON", "Bob")]) == ["<PERSON_2>"]


def test_sessions_are_isolated(store) -> None:  # type: ignore[no-untyped-def]
    store.assign("alice", [("EMAIL", "alice@x.io")])
    assert store.assign("bob", [("EMAIL", "bob@x.io")]) == ["<EMAIL_1>"]
    assert store.resolve("alice", ["<EMAIL_1>"]) == {"<EMAIL_1>": "alice@x.io"}
    assert store.resolve("bob", ["<EMAIL_1>"]) == {"<EMAIL_1>": "bob@x.io"}
    assert store.resolve("eve", ["<EMAIL_1>"]) == {}


def test_resolve_ignores_unknown(store) -> None:  # type: ignore[no-untyped-def]
    store.assign("s", [("EMAIL", "a@x.io")])
    assert store.resolve("s", ["<EMAIL_1>", "<EMAIL_9>", "<PERSON_1>", "nonsense"]) == {"<EMAIL_1>": "a@x.io"}


def test_sessions_entries_delete(store) -> None:  # type: ignore[no-untyped-def]
    store.assign("s", [("EMAIL", "a@x.io"), ("PHONE", "+1 415 555 2671")])
    assert [s.session for s in store.sessions()] == [store.session_id("s")]
    assert {e.placeholder: e.value for e in store.entries(store.session_id("s"))} == {
        "<EMAIL_1>": "a@x.io",
        "<PHONE_1>": "+1 415 555 2671",
    }
    assert store.delete_session(store.session_id("s")) == 2
    assert store.resolve("s", ["<EMAIL_1>"]) == {}
    assert store.assign("s", [("EMAIL", "z@x.io")]) == ["<EMAIL_1>"]


def test_sqlite_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    SQLiteStore(path).assign("s", [("EMAIL", "a@x.io")])
    again = SQLiteStore(path)
    assert again.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "a@x.io"}
    assert again.assign("s", [("EMAIL", "a@x.io"), ("EMAIL", "c@x.io")]) == ["<EMAIL_1>", "<EMAIL_2>"]


def test_sqlite_encrypts_values_at_rest(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    SQLiteStore(path).assign("s", [("EMAIL", "secret.person@hospital.example")])
    raw = path.read_bytes() + (
        path.with_name("v.db-wal").read_bytes() if path.with_name("v.db-wal").exists() else b""
    )
    assert b"secret.person" not in raw
    rows = sqlite3.connect(path).execute("SELECT value_enc FROM entries").fetchall()
    assert rows and b"secret.person" not in rows[0][0]
    key_file = path.with_name("v.db.key")
    assert key_file.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_sqlite_wrong_key_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    SQLiteStore(path, key=b"k" * 32).assign("s", [("EMAIL", "a@x.io")])
    with pytest.raises(StoreError, match="another vault key"):
        SQLiteStore(path, key=b"j" * 32)


def test_sqlite_concurrent_threads_never_duplicate(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "v.db")
    results: list[list[str]] = []

    def work(i: int) -> None:
        results.append(store.assign("s", [("EMAIL", f"user{j}@x.io") for j in range(i, i + 20)]))

    threads = [threading.Thread(target=work, args=(i * 10,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = store.entries(store.session_id("s"))
    assert len({e.placeholder for e in entries}) == len(entries) == 90  # user0..user89, once each
    by_value = {e.value: e.placeholder for e in entries}
    for t_results in results:
        values = [store.resolve("s", [ph])[ph] for ph in t_results]
        assert [by_value[v] for v in values] == t_results


def _proc_assign(path: str, start: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    s = SQLiteStore(path)
    out.put(s.assign("s", [("EMAIL", f"user{j}@x.io") for j in range(start, start + 30)]))


def test_sqlite_concurrent_processes(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    path = str(tmp_path / "v.db")
    procs = [ctx.Process(target=_proc_assign, args=(path, i * 15, q)) for i in range(4)]
    for p in procs:
        p.start()
    got = [q.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    entries = SQLiteStore(path).entries(SQLiteStore(path).session_id("s"))
    assert len(entries) == 75  # values user0..user74, each exactly once
    assert len({e.placeholder for e in entries}) == 75
    by_placeholder = {e.placeholder: e.value for e in entries}
    for start in range(4):
        expected = [f"user{j}@x.io" for j in range(start * 15, start * 15 + 30)]
        assert any([by_placeholder[ph] for ph in phs] == expected for phs in got)


def test_open_store_urls(tmp_path: Path) -> None:
    assert isinstance(open_store("memory://"), MemoryStore)
    assert isinstance(open_store(f"sqlite:///{tmp_path}/x.db"), SQLiteStore)
    with pytest.raises(StoreError, match="unknown store"):
        open_store("ftp://nope")
    with pytest.raises(StoreError, match="cannot open vault"):
        open_store("sqlite:///proc/definitely/not/here.db")


def test_corrupt_sqlite_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open vault"):
        SQLiteStore(path)


@pytest.mark.redis
def test_redis_replicas_share_one_consistent_vault(redis_url: str) -> None:
    from maskgate.vault.redis import RedisStore

    prefix = f"t{uuid.uuid4().hex}"
    replicas = [RedisStore(redis_url, key=b"r" * 32, prefix=prefix) for _ in range(4)]
    results: list[list[str]] = []

    def work(store: RedisStore, start: int) -> None:
        for j in range(start, start + 25):
            results.append(store.assign("s", [("EMAIL", f"user{j}@x.io")]))

    threads = [threading.Thread(target=work, args=(r, i * 10)) for i, r in enumerate(replicas)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = replicas[0].entries(replicas[0].session_id("s"))
    assert len(entries) == 55  # user0..user54, each exactly once, one number each
    assert len({e.placeholder for e in entries}) == 55
    by_value = {e.value: e.placeholder for e in entries}
    assert replicas[3].resolve("s", list(by_value.values())) == {p: v for v, p in by_value.items()}


@pytest.mark.redis
def test_redis_holds_no_plain_values(redis_url: str) -> None:
    import redis

    from maskgate.vault.redis import RedisStore

    prefix = f"t{uuid.uuid4().hex}"
    RedisStore(redis_url, key=b"r" * 32, prefix=prefix).assign(
        "s", [("EMAIL", "plain.value@hospital.example")]
    )
    r = redis.Redis.from_url(redis_url)
    hashes = [k for k in r.keys(f"{prefix}*") if r.type(k) == b"hash"]
    dump = b"".join(k + b"".join(x for kv in r.hgetall(k).items() for x in kv) for k in hashes)
    assert dump and b"plain.value" not in dump


def test_redis_unreachable_is_store_error() -> None:
    with pytest.raises(StoreError, match="cannot reach redis"):
        open_store("redis://127.0.0.1:1/0")


def test_sqlite_refuses_a_vault_deleted_or_replaced_under_it(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "v.db")
    store.assign("s", [("EMAIL", "a@x.io")])
    (tmp_path / "v.db").rename(tmp_path / "moved.db")
    with pytest.raises(StoreError, match=r"v\.db is gone"):
        store.assign("s", [("EMAIL", "b@x.io")])
    with pytest.raises(StoreError, match=r"v\.db is gone"):  # from the process cache, too
        store.assign("s", [("EMAIL", "a@x.io")])
    (tmp_path / "moved.db").rename(tmp_path / "v.db")  # the same file back: usable again
    assert store.assign("s", [("EMAIL", "b@x.io")]) == ["<EMAIL_2>"]
    (tmp_path / "v.db-wal").unlink()
    with pytest.raises(StoreError, match=r"v\.db-wal is gone"):
        store.resolve("s", ["<EMAIL_9>"])
