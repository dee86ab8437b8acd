"""Session lifecycle on every store: sliding TTL with an injected clock, paging, extend, prune,
forget across sessions. Redis runs against a real redis-server."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from maskgate.vault import MemoryStore, Store, session_ref
from maskgate.vault.base import RENEW_EVERY
from maskgate.vault.sqlite import SQLiteStore

DAY = 86400.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def make(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> Iterator[Callable[..., Any]]:
    """Stores of one kind sharing one vault (for SQLite and Redis: as two processes would)."""
    opened: list[Any] = []
    prefix = f"t{uuid.uuid4().hex}"
    memory = MemoryStore

    def make(ttl: float | None = None) -> Any:
        if request.param == "memory":  # one process: the "other" store is the same one
            store: Any = opened[0] if opened else memory(ttl=ttl, clock=clock)
        elif request.param == "sqlite":
            store = SQLiteStore(tmp_path / "v.db", key=b"k" * 32, ttl=ttl, clock=clock)
        else:
            from maskgate.vault.redis import RedisStore

            url = request.getfixturevalue("redis_url")
            store = RedisStore(url, key=b"k" * 32, prefix=prefix, ttl=ttl, clock=clock)
        opened.append(store)
        return store

    yield make
    for s in opened:
        s.close()


def test_sliding_ttl_renews_on_use_and_expired_sessions_start_over(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=10 * DAY)
    assert store.assign("s", [("EMAIL", "a@x.io"), ("PERSON", "Ann")]) == ["<EMAIL_1>", "<PERSON_1>"]
    sid = store.session_id("s")
    info = store.session_info(sid)
    assert info is not None and info.expires == clock.now + 10 * DAY and info.created == clock.now
    clock.now += 9 * DAY
    assert store.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "a@x.io"}  # renews
    info = store.session_info(sid)
    assert info is not None and info.expires == clock.now + 10 * DAY and info.updated == clock.now
    clock.now += 9 * DAY  # 18 days after creation, 9 after last use: still alive
    assert store.assign("s", [("EMAIL", "a@x.io")]) == ["<EMAIL_1>"]
    clock.now += 10 * DAY + 1  # unused for longer than the TTL
    assert store.session_info(sid) is None and store.sessions() == [] and store.entries(sid) == []
    assert store.resolve("s", ["<EMAIL_1>"]) == {}
    assert store.assign("s", [("EMAIL", "b@x.io")]) == ["<EMAIL_1>"]  # a fresh session
    assert {e.value for e in store.entries(sid)} == {"b@x.io"}


def test_expiry_applies_to_cached_mappings(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=100)
    store.assign("s", [("EMAIL", "a@x.io")])
    assert store.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "a@x.io"}  # now in any process cache
    clock.now += 101
    assert store.resolve("s", ["<EMAIL_1>"]) == {}
    assert store.assign("s", [("EMAIL", "z@x.io"), ("EMAIL", "a@x.io")]) == ["<EMAIL_1>", "<EMAIL_2>"]


def test_no_ttl_never_expires(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=0)
    store.assign("s", [("EMAIL", "a@x.io")])
    clock.now += 10_000 * DAY
    assert store.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "a@x.io"}
    (info,) = store.sessions()
    assert info.expires is None and store.prune() == 0


def test_session_info_counts_labels(make: Any) -> None:
    store: Store = make(ttl=DAY)
    store.assign("s", [("EMAIL", "a@x.io"), ("EMAIL", "b@x.io"), ("PERSON", "Ann")])
    info = store.session_info(store.session_id("s"))
    assert info is not None
    assert (info.id, info.entries, info.labels) == (store.session_id("s"), 3, {"EMAIL": 2, "PERSON": 1})
    assert info.as_dict()["labels"] == {"EMAIL": 2, "PERSON": 1} and info.session == info.id
    assert store.session_info("s_" + "0" * 32) is None


def test_paging_is_stable_and_complete(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=DAY)
    names = [f"user{i}@example.org" for i in range(7)]
    for i, name in enumerate(names):
        clock.now += 1 if i != 3 else 0  # two sessions created at the same second
        store.assign(name, [("EMAIL", f"{i}@x.io")])
    pages = [store.sessions(offset=o, limit=3) for o in (0, 3, 6, 9)]
    assert [len(p) for p in pages] == [3, 3, 1, 0]
    ids = [s.id for p in pages for s in p]
    assert sorted(ids) == sorted(store.session_id(n) for n in names)
    assert ids == [s.id for s in store.sessions(limit=100)]  # same order in one page
    assert [s.created for s in store.sessions()] == sorted(s.created for s in store.sessions())


def test_extend(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=DAY)
    store.assign("s", [("EMAIL", "a@x.io")])
    sid = store.session_id("s")
    info = store.extend(sid, 30 * DAY)
    assert info is not None and info.expires == clock.now + 30 * DAY
    clock.now += 20 * DAY  # past the TTL, within the extension
    assert store.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "a@x.io"}
    info = store.extend(sid)  # back to the TTL from now
    assert info is not None and info.expires == clock.now + DAY
    assert store.extend("s_" + "0" * 32, DAY) is None


def test_extend_to_never_on_a_store_without_ttl(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=None)
    store.assign("s", [("EMAIL", "a@x.io")])
    sid = store.session_id("s")
    info = store.extend(sid, DAY)
    assert info is not None and info.expires == clock.now + DAY
    info = store.extend(sid, 0)  # 0 = never, like the setting
    assert info is not None and info.expires is None
    clock.now += 1000 * DAY
    assert store.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "a@x.io"}


def test_prune_removes_only_expired_sessions(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=DAY)
    store.assign("old1", [("EMAIL", "a@x.io")])
    store.assign("old2", [("EMAIL", "b@x.io")])
    clock.now += DAY / 2
    store.assign("young", [("EMAIL", "c@x.io")])
    assert store.prune(now=clock.now + DAY / 2 + 1) == 2
    assert [s.id for s in store.sessions()] == [store.session_id("young")]
    assert store.prune() == 0
    clock.now += DAY / 2 + 1
    assert store.resolve("old1", ["<EMAIL_1>"]) == {}


def test_forget_erases_a_value_from_every_session(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=DAY)
    other: Store = make(ttl=DAY)  # another process on the same vault, with the value cached
    target = "jane.doe@example.org"
    for name, items in {
        "a": [("EMAIL", target), ("EMAIL", "keep.a@x.io")],
        "b": [("EMAIL", "keep.b@x.io"), ("EMAIL", target)],
        "c": [("PERSON", "Jane"), ("EMAIL", target)],
        "d": [("EMAIL", "keep.d@x.io")],
    }.items():
        store.assign(name, items)
    assert other.resolve("b", ["<EMAIL_2>"]) == {"<EMAIL_2>": target}
    assert store.forget(target) == 3
    assert store.forget(target) == 0
    assert store.resolve("a", ["<EMAIL_1>", "<EMAIL_2>"]) == {"<EMAIL_2>": "keep.a@x.io"}
    assert store.resolve("b", ["<EMAIL_2>"]) == {}
    assert all(target not in {e.value for e in store.entries(s.id)} for s in store.sessions())
    assert {s.id: s.entries for s in store.sessions()} == {
        store.session_id(n): c for n, c in {"a": 1, "b": 1, "c": 1, "d": 1}.items()
    }
    # numbers are never reused: the value comes back under a new placeholder
    assert store.assign("a", [("EMAIL", target), ("EMAIL", "new@x.io")]) == ["<EMAIL_3>", "<EMAIL_4>"]
    assert store.assign("c", [("EMAIL", "other@x.io")]) == ["<EMAIL_2>"]
    clock.now += RENEW_EVERY  # another process notices within the renewal interval
    assert other.resolve("b", ["<EMAIL_2>"]) == {}


def test_delete_then_reuse(make: Any, clock: Clock) -> None:
    store: Store = make(ttl=DAY)
    other: Store = make(ttl=DAY)
    store.assign("s", [("EMAIL", "a@x.io"), ("PHONE", "+1 415 555 2671")])
    assert other.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "a@x.io"}
    assert store.delete_session(store.session_id("s")) == 2
    assert store.delete_session(store.session_id("s")) == 0
    assert store.resolve("s", ["<EMAIL_1>"]) == {}
    assert store.assign("s", [("EMAIL", "z@x.io")]) == ["<EMAIL_1>"]
    clock.now += RENEW_EVERY
    assert other.resolve("s", ["<EMAIL_1>", "<PHONE_1>"]) == {"<EMAIL_1>": "z@x.io"}


def test_session_ref_takes_ids_and_names(make: Any) -> None:
    store: Store = make()
    sid = store.session_id("team")
    assert session_ref(store, "team") == sid and session_ref(store, sid) == sid
