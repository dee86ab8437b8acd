"""`sessions_with(value)`, the admin UI's search by value, on every store (Redis against a real
redis-server): live sessions holding exactly that value, found by its keyed hash."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from maskgate.vault import MemoryStore
from maskgate.vault.sqlite import SQLiteStore


class Clock:
    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    opened: list[Any] = []

    def make(ttl: float | None, clock: Clock) -> Any:
        if request.param == "memory":
            store: Any = MemoryStore(ttl=ttl, clock=clock)
        elif request.param == "sqlite":
            store = SQLiteStore(tmp_path / "v.db", key=b"k" * 32, ttl=ttl, clock=clock)
        else:
            from maskgate.vault.redis import RedisStore

            url = request.getfixturevalue("redis_url")
            store = RedisStore(url, key=b"k" * 32, prefix=f"t{uuid.uuid4().hex}", ttl=ttl, clock=clock)
        opened.append(store)
        return store

    yield make
    for s in opened:
        s.close()


def test_sessions_with_finds_exactly_the_sessions_holding_the_value(make: Any) -> None:
    clock = Clock()
    store = make(100.0, clock)
    store.assign("a", [("EMAIL", "ann@x.io"), ("PERSON", "Ann")])
    store.assign("b", [("PERSON", "Ann")])
    store.assign("c", [("PERSON", "Bob")])
    ids = {n: store.session_id(n) for n in "abc"}
    assert sorted(store.sessions_with("Ann")) == sorted([ids["a"], ids["b"]])
    assert store.sessions_with("ann@x.io") == [ids["a"]]
    assert store.sessions_with("ann") == []  # exactly the value, not a prefix or another case
    assert store.sessions_with("nobody") == []
    store.forget("Ann")
    assert store.sessions_with("Ann") == []
    clock.now += 101  # expired sessions are not found
    assert store.sessions_with("Bob") == []
