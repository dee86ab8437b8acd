"""Vault: per-session placeholder <-> value mappings and their stores."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

from maskgate.vault.base import Entry, SessionInfo, Store, StoreError
from maskgate.vault.crypto import SESSION_ID_RE
from maskgate.vault.memory import MemoryStore

__all__ = [
    "Entry",
    "MemoryStore",
    "SessionInfo",
    "Store",
    "StoreError",
    "default_store_url",
    "open_store",
    "session_ref",
]


def session_ref(store: Store, text: str) -> str:
    """The session id a user means by `text` (CLI and API arguments): an id as `sessions` lists it
    (`s_` + 32 hex digits) is taken as it is, anything else is a session name and hashed. A name
    that itself looks like an id is therefore only reachable through its id."""
    return text if SESSION_ID_RE.fullmatch(text) else store.session_id(text)


def default_store_url() -> str:
    return f"sqlite:///{Path(user_data_dir('maskgate')) / 'vault.db'}"


def open_store(url: str | None = None, ttl: float | None = None) -> Store:
    """`memory://`, `sqlite:///abs/path.db` (or `sqlite://rel/path.db`), `redis://host:port/db`;
    default: SQLite in the user's data dir. `ttl`: sliding session expiry in seconds (None or 0:
    sessions never expire)."""
    url = url or default_store_url()
    if url in ("memory", "memory://"):
        return MemoryStore(ttl=ttl)
    if url.startswith("sqlite://"):
        from maskgate.vault.sqlite import SQLiteStore

        path = url[len("sqlite://") :]  # sqlite:///abs/x.db -> /abs/x.db, sqlite://rel/x.db -> rel/x.db
        if not path:
            raise StoreError("sqlite store URL needs a path, e.g. sqlite:///var/lib/maskgate/vault.db")
        return SQLiteStore(path, ttl=ttl)
    if url.startswith(("redis://", "rediss://")):
        try:
            import redis  # noqa: F401 - the optional extra
        except ImportError as exc:
            raise StoreError("redis:// stores need the redis client: pip install 'maskgate[redis]'") from exc
        from maskgate.vault.redis import RedisStore

        return RedisStore(url, ttl=ttl)
    raise StoreError(f"unknown store {url!r}: use memory://, sqlite:///path.db or redis://host:port/db")
