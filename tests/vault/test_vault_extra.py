"""The redis client is an optional extra (`maskgate[redis]`): without it a redis:// store is a clear
StoreError, and the other stores work."""

from __future__ import annotations

import sys

import pytest

from maskgate.vault import MemoryStore, StoreError, open_store


def test_a_redis_store_without_the_client_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # as if the extra were not installed
    with pytest.raises(StoreError, match=r"maskgate\[redis\]"):
        open_store("redis://127.0.0.1:1/0")
    assert isinstance(open_store("memory://"), MemoryStore)
