"""The persistent tier of the analysis cache: detection results that outlive the process.

A restarted server (or a second `--workers` process) answers a coding agent's unchanged system
prompt and tool definitions from here instead of analysing ~76 KB again. An entry is a `Record`:
spans only, never text, keyed by a keyed hash of (pipeline fingerprint, code fingerprint, text),
with the sharing state of docs/performance.md ("Cache and sessions"): the keyed tags of the sessions
that may see it, or `shared` once enough sessions sent the text. Session names are never stored,
only `tag(session)`, a keyed hash whose salt lives in the store.

Stores: SQLite beside a SQLite vault (`vault-cache.db`, mode 0600), Redis beside a Redis vault,
none for `memory://`. Each is bounded in bytes (`cache_store_bytes`): the least recently used
entries go first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import orjson

from maskgate.detect.spans import Span
from maskgate.errors import StoreError

TAG_BYTES = 12


@dataclass(frozen=True, slots=True)
class Record:
    """What the cache knows about one text: its spans, and who may see them (`tags` of sessions that
    analysed it, or `shared`)."""

    spans: tuple[Span, ...]
    tags: frozenset[bytes] = frozenset()
    shared: bool = False

    def visible(self, tag: bytes) -> bool:
        return self.shared or tag in self.tags

    def dumps(self) -> bytes:
        return orjson.dumps(
            {
                "s": [[s.start, s.end, s.label, s.score, s.source] for s in self.spans],
                "t": sorted(t.hex() for t in self.tags),
                "sh": self.shared,
            }
        )

    @classmethod
    def loads(cls, raw: bytes) -> Record:
        d = orjson.loads(raw)
        return cls(
            tuple(Span(*s) for s in d["s"]), frozenset(bytes.fromhex(t) for t in d["t"]), bool(d["sh"])
        )


class CacheStore(Protocol):
    salt: bytes  # keys session tags, so a restart recognises the same sessions

    def get_many(self, keys: Sequence[bytes]) -> list[Record | None]: ...

    def put_many(self, items: Sequence[tuple[bytes, Record]]) -> None: ...

    def close(self) -> None: ...


_code_fp: str | None = None


def code_fingerprint() -> str:
    """A hash of detection's code and data files: a persistent entry must not outlive a rule change
    that the pipeline's own fingerprint (settings, model version) does not see."""
    global _code_fp
    if _code_fp is None:
        h = hashlib.blake2b(digest_size=16)
        root = Path(str(resources.files("maskgate.detect")))
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix in (".py", ".gz", ".txt", ".json", ".tsv", ".csv"):
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
        _code_fp = h.hexdigest()
    return _code_fp


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS analysis (
    key BLOB PRIMARY KEY, record BLOB NOT NULL, size INTEGER NOT NULL, used REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS analysis_used ON analysis(used);
"""


class SQLiteCacheStore:
    """Entries in a SQLite file of their own (WAL, so `--workers` processes share it)."""

    def __init__(self, path: str | Path, max_bytes: int) -> None:
        self.path = Path(path).expanduser()
        self.max_bytes = max_bytes
        self._local = threading.local()
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # 0600 from the start; SQLite gives -wal/-shm the same mode
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = self._conn()
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('salt', ?)", (os.urandom(32),))
            self.salt = bytes(conn.execute("SELECT v FROM meta WHERE k = 'salt'").fetchone()[0])
            self._bytes = int(conn.execute("SELECT COALESCE(SUM(size), 0) FROM analysis").fetchone()[0])
        except (OSError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"cannot open the analysis cache at {self.path}: {exc}") from exc

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA mmap_size=0")
            self._local.conn = conn
        return conn

    def get_many(self, keys: Sequence[bytes]) -> list[Record | None]:
        if not keys:
            return []
        found: dict[bytes, bytes] = {}
        try:
            conn = self._conn()
            for i in range(0, len(keys), 500):
                part = list(keys[i : i + 500])
                marks = ",".join("?" * len(part))
                for key, raw in conn.execute(
                    f"SELECT key, record FROM analysis WHERE key IN ({marks})", part
                ):
                    found[bytes(key)] = bytes(raw)
            if found:  # least recently *used*, not written, goes first
                conn.executemany(
                    "UPDATE analysis SET used = ? WHERE key = ?", [(time.time(), k) for k in found]
                )
        except sqlite3.Error:
            return [None] * len(keys)  # a cache that cannot be read is a miss, never a failure
        return [Record.loads(found[k]) if k in found else None for k in keys]

    def put_many(self, items: Sequence[tuple[bytes, Record]]) -> None:
        if not items:
            return
        now = time.time()
        rows = [(k, r.dumps()) for k, r in items]
        try:
            conn = self._conn()
            with self._lock:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for key, raw in rows:
                        old = conn.execute("SELECT size FROM analysis WHERE key = ?", (key,)).fetchone()
                        conn.execute(
                            "INSERT OR REPLACE INTO analysis VALUES (?, ?, ?, ?)",
                            (key, raw, len(raw) + 64, now),
                        )
                        self._bytes += len(raw) + 64 - (old[0] if old else 0)
                    if self._bytes > self.max_bytes:
                        self._evict(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error:
            return  # not persisted: the next process analyses again, nothing is lost

    def _evict(self, conn: sqlite3.Connection) -> None:
        """Down to 90% of the bound, least recently used first."""
        goal = self.max_bytes * 0.9
        while self._bytes > goal:
            rows = conn.execute("SELECT key, size FROM analysis ORDER BY used LIMIT 256").fetchall()
            if not rows:
                self._bytes = 0
                return
            conn.executemany("DELETE FROM analysis WHERE key = ?", [(k,) for k, _ in rows])
            self._bytes -= sum(s for _, s in rows)

    def __len__(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM analysis").fetchone()[0])

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
            self._local.conn = None


class RedisCacheStore:
    """Entries as Redis strings beside a Redis vault, with a sorted set of last use that bounds them."""

    def __init__(self, url: str, max_bytes: int, prefix: str = "maskgate:acache") -> None:
        import redis

        self.max_bytes = max_bytes
        self._prefix = prefix
        self._errors = redis.RedisError
        self._added = 0  # bytes written since the bound was last checked
        try:
            self._r = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
            self._r.set(f"{prefix}:salt", os.urandom(32), nx=True)
            salt: Any = self._r.get(f"{prefix}:salt")
            self.salt = bytes(salt or b"")
        except (redis.RedisError, ValueError) as exc:
            raise StoreError(f"cannot reach the redis analysis cache: {type(exc).__name__}") from exc

    def _k(self, key: bytes) -> str:
        return f"{self._prefix}:e:{key.hex()}"

    def get_many(self, keys: Sequence[bytes]) -> list[Record | None]:
        if not keys:
            return []
        try:
            raw: list[Any] = self._r.mget([self._k(k) for k in keys])
            hit = {k.hex(): time.time() for k, r in zip(keys, raw, strict=True) if r is not None}
            if hit:
                self._r.zadd(f"{self._prefix}:used", hit)
        except self._errors:
            return [None] * len(keys)
        return [Record.loads(r) if r is not None else None for r in raw]

    def put_many(self, items: Sequence[tuple[bytes, Record]]) -> None:
        if not items:
            return
        try:
            pipe = self._r.pipeline(transaction=False)
            now = time.time()
            for key, rec in items:
                raw = rec.dumps()
                pipe.set(self._k(key), raw)
                pipe.zadd(f"{self._prefix}:used", {key.hex(): now})
                pipe.hset(f"{self._prefix}:size", key.hex(), len(raw) + 64)
                self._added += len(raw) + 64
            pipe.execute()
            # Summing the sizes reads every entry: done once per 5% of the bound written, not on
            # every request (that made each request's cost grow with the cache, issue 17).
            if self._added >= self.max_bytes // 20:
                self._added = 0
                self._evict()
        except self._errors:
            return

    def _evict(self) -> None:
        raw: Any = self._r.hgetall(f"{self._prefix}:size")
        sizes = {_text(k): int(v) for k, v in raw.items()}
        total = sum(sizes.values())
        if total <= self.max_bytes:
            return
        while total > self.max_bytes * 0.9:
            oldest: Any = self._r.zrange(f"{self._prefix}:used", 0, 255)
            if not oldest:
                return
            pipe = self._r.pipeline(transaction=False)
            for hexkey in oldest:
                if total <= self.max_bytes * 0.9:
                    break
                h = _text(hexkey)
                pipe.delete(f"{self._prefix}:e:{h}")
                pipe.zrem(f"{self._prefix}:used", h)
                pipe.hdel(f"{self._prefix}:size", h)
                total -= sizes.get(h, 0)
            pipe.execute()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._r.close()


def _text(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


def cache_store_for(vault_url: str, setting: str | None, max_bytes: int) -> CacheStore | None:
    """The persistent tier for the vault at `vault_url`: `setting` None/"auto" puts it beside the
    vault (`vault-cache.db` next to a SQLite vault, the same Redis, none for memory://); "none"
    turns it off; `sqlite:///path` or `redis://...` names one."""
    where = (setting or "auto").strip()
    if where in ("none", "off", "") or max_bytes <= 0:
        return None
    if where == "auto":
        if vault_url in ("memory", "memory://"):
            return None
        if vault_url.startswith("sqlite://"):
            vault = Path(vault_url[len("sqlite://") :])
            return SQLiteCacheStore(vault.with_name(f"{vault.stem}-cache.db"), max_bytes)
        where = vault_url
    if where.startswith("sqlite://"):
        return SQLiteCacheStore(where[len("sqlite://") :], max_bytes)
    if where.startswith(("redis://", "rediss://")):
        return RedisCacheStore(where, max_bytes)
    raise StoreError(f"unknown analysis cache store {where!r}: use auto, none, sqlite:///path.db or redis://")
