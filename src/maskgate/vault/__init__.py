"""Vault: per-session placeholder <-> value mappings and their stores."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

from maskgate.vault.base import Entry, SessionInfo, Store, StoreError
from maskgate.vault.memory import MemoryStore

__all__ = ["Entry", "MemoryStore", "SessionInfo", "Store", "StoreError", "default_store_url", "open_store"]


def default_store_url() -> str:
    return f"sqlite:///{Path(user_data_dir('maskgate')) / 'vault.db'}"


def open_store(url: str | None = None) -> Store:
    """`memory://`, `sqlite:///abs/path.db` (or `sqlite://rel/path.db`), default: the user's data dir."""
    url = url or default_store_url()
    if url in ("memory", "memory://"):
        return MemoryStore()
    if url.startswith("sqlite://"):
        from maskgate.vault.sqlite import SQLiteStore

        path = url[len("sqlite://") :]
        if path.startswith("/") and url.startswith("sqlite:///"):
            path = path  # sqlite:///abs -> /abs
        if not path:
            raise StoreError("sqlite store URL needs a path, e.g. sqlite:///var/lib/maskgate/vault.db")
        return SQLiteStore(path)
    if url.startswith(("redis://", "rediss://")):
        try:
            from maskgate.vault.redis import RedisStore  # type: ignore[import-not-found,unused-ignore]
        except ImportError as exc:
            raise StoreError("redis store is not available in this build") from exc
        return RedisStore(url)  # type: ignore[no-any-return,unused-ignore]
    raise StoreError(f"unknown store {url!r}: use memory://, sqlite:///path.db or redis://host:port/db")
