"""The audit trail and the runtime settings the REST API changes, stored beside the vault.

An audit record says what happened to a request: when, which session (its keyed-hash id, never the
name), provider, path, status, how many values were masked per label and per detector, bytes in
and out, detection and upstream time, whether anything was unmasked. It never holds a raw value, a
placeholder-to-value pair or a token: `AuditRecord` has no field that could carry one, and
`detail` takes only keys and counts from the code that writes it.

Backends follow the vault: memory (tests, `memory://`), SQLite (a file beside the vault, 0600),
Redis (a stream trimmed by time). Each also keeps one small JSON document of runtime overrides
(settings and dictionary changed through the API) with a version number, so every server process
sharing the store picks a change up.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from maskgate.vault import StoreError

DAY = 86_400.0


@dataclass(frozen=True)
class AuditRecord:
    time: float
    kind: str  # "proxy" | "api"
    method: str
    path: str  # proxy: the provider-relative path; api: the endpoint
    status: int
    session: str | None = None  # keyed-hash id of the vault session
    provider: str | None = None
    actor: str | None = None  # API: a short hash naming the token used, never the token
    action: str | None = None  # API: what was done ("redact", "reveal", "settings.update", ...)
    labels: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    bytes_in: int = 0
    bytes_out: int = 0
    detect_ms: float = 0.0
    upstream_ms: float = 0.0
    unmasked: bool = False
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AuditRecord:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True)
class AuditQuery:
    since: float | None = None
    until: float | None = None
    session: str | None = None
    provider: str | None = None
    path: str | None = None
    status: int | None = None
    label: str | None = None
    kind: str | None = None
    limit: int = 100
    offset: int = 0

    def matches(self, r: AuditRecord) -> bool:
        return (
            (self.since is None or r.time >= self.since)
            and (self.until is None or r.time < self.until)
            and (self.session is None or r.session == self.session)
            and (self.provider is None or r.provider == self.provider)
            and (self.path is None or r.path == self.path)
            and (self.status is None or r.status == self.status)
            and (self.label is None or self.label in r.labels)
            and (self.kind is None or r.kind == self.kind)
        )


def page(records: Iterable[AuditRecord], q: AuditQuery) -> list[AuditRecord]:
    """The records (newest first) `q` matches, past its offset and up to its limit; stops reading
    `records` once the page is full."""
    start = min(q.offset, sys.maxsize)  # islice takes no bigger index (an API caller can ask for one)
    return list(itertools.islice(filter(q.matches, records), start, min(start + q.limit, sys.maxsize)))


class AuditLog(Protocol):
    def append(self, records: Iterable[AuditRecord]) -> None: ...

    def query(self, q: AuditQuery) -> list[AuditRecord]:
        """Newest first, filtered, paged."""
        ...

    def purge(self, older_than: float) -> int: ...

    def runtime(self) -> tuple[int, dict[str, Any]]:
        """(version, overrides): the settings and dictionary changed through the API."""
        ...

    def set_runtime(self, overrides: dict[str, Any]) -> int:
        """Replace the overrides; returns the new version."""
        ...

    def close(self) -> None: ...


class MemoryAudit:
    def __init__(self) -> None:
        self._records: list[AuditRecord] = []
        self._lock = threading.Lock()
        self._runtime: tuple[int, dict[str, Any]] = (0, {})

    def append(self, records: Iterable[AuditRecord]) -> None:
        with self._lock:
            self._records.extend(records)

    def query(self, q: AuditQuery) -> list[AuditRecord]:
        with self._lock:
            return page(reversed(self._records), q)

    def purge(self, older_than: float) -> int:
        with self._lock:
            keep = [r for r in self._records if r.time >= older_than]
            n = len(self._records) - len(keep)
            self._records = keep
        return n

    def runtime(self) -> tuple[int, dict[str, Any]]:
        return self._runtime

    def set_runtime(self, overrides: dict[str, Any]) -> int:
        with self._lock:
            self._runtime = (self._runtime[0] + 1, json.loads(json.dumps(overrides)))
            return self._runtime[0]

    def close(self) -> None:
        pass


_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    kind TEXT NOT NULL,
    session TEXT,
    provider TEXT,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_time ON audit(time);
CREATE INDEX IF NOT EXISTS audit_session ON audit(session, time);
CREATE TABLE IF NOT EXISTS runtime (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
);
"""


class SQLiteAudit:
    """One file beside the vault (`vault.db` -> `vault-audit.db`), mode 0600."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            self._conn().executescript(_SCHEMA)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise StoreError(f"cannot open the audit trail at {self.path}: {exc}") from exc

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA mmap_size=0")
            self._local.conn = conn
        return conn

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"audit trail {what} failed: {exc}") from exc

    def append(self, records: Iterable[AuditRecord]) -> None:
        rows = [
            (r.time, r.kind, r.session, r.provider, r.path, r.status, json.dumps(r.as_dict()))
            for r in records
        ]
        if not rows:
            return
        with self._errors("write"):
            self._conn().executemany(
                "INSERT INTO audit (time, kind, session, provider, path, status, record) "
                "VALUES (?,?,?,?,?,?,?)",
                rows,
            )

    def query(self, q: AuditQuery) -> list[AuditRecord]:
        where, args = ["1=1"], []
        for col, val, op in (
            ("time", q.since, ">="),
            ("time", q.until, "<"),
            ("session", q.session, "="),
            ("provider", q.provider, "="),
            ("path", q.path, "="),
            ("status", q.status, "="),
            ("kind", q.kind, "="),
        ):
            if val is not None:
                where.append(f"{col} {op} ?")
                args.append(val)
        sql = f"SELECT record FROM audit WHERE {' AND '.join(where)} ORDER BY id DESC"
        with self._errors("read"):
            rows = self._conn().execute(sql, args)
            return page((AuditRecord.from_dict(json.loads(doc)) for (doc,) in rows), q)

    def purge(self, older_than: float) -> int:
        with self._errors("purge"):
            return self._conn().execute("DELETE FROM audit WHERE time < ?", (older_than,)).rowcount

    def runtime(self) -> tuple[int, dict[str, Any]]:
        with self._errors("read"):
            row = self._conn().execute("SELECT version, doc FROM runtime WHERE id = 1").fetchone()
        return (row[0], json.loads(row[1])) if row else (0, {})

    def set_runtime(self, overrides: dict[str, Any]) -> int:
        conn = self._conn()
        with self._errors("write"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT version FROM runtime WHERE id = 1").fetchone()
                version = (row[0] if row else 0) + 1
                conn.execute(
                    "INSERT INTO runtime (id, version, doc) VALUES (1, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET version=excluded.version, doc=excluded.doc",
                    (version, json.dumps(overrides)),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return version

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class RedisAudit:
    """A stream `maskgate:audit` (ids are milliseconds, so time ranges are id ranges) and a hash
    `maskgate:runtime` with the overrides and their version."""

    STREAM = "maskgate:audit"
    RUNTIME = "maskgate:runtime"

    def __init__(self, url: str) -> None:
        try:
            import redis
        except ImportError as exc:  # the optional extra
            raise StoreError(
                "the Redis store needs the redis package: pip install 'maskgate[redis]'"
            ) from exc
        self._r = redis.Redis.from_url(url, decode_responses=True)
        self._error = redis.RedisError

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except self._error as exc:
            raise StoreError(f"audit trail {what} failed: {type(exc).__name__}") from exc

    def append(self, records: Iterable[AuditRecord]) -> None:
        with self._errors("write"):
            pipe = self._r.pipeline(transaction=False)
            for r in records:
                pipe.xadd(self.STREAM, {"r": json.dumps(r.as_dict())}, id=f"{int(r.time * 1000)}-*")
            pipe.execute()

    def query(self, q: AuditQuery) -> list[AuditRecord]:
        with self._errors("read"):
            return page(self._newest_first(q), q)

    def _newest_first(self, q: AuditQuery) -> Iterator[AuditRecord]:
        """The records of q's time range, read from the stream in batches of 500 as needed."""
        last = "+" if q.until is None else f"({int(q.until * 1000)}"
        lo = "-" if q.since is None else str(int(q.since * 1000))
        while True:
            batch: list[tuple[str, dict[str, str]]] = self._r.xrevrange(  # type: ignore[assignment]
                self.STREAM, max=last, min=lo, count=500
            )
            if not batch:
                return
            for _id, fields in batch:
                yield AuditRecord.from_dict(json.loads(fields["r"]))
            last = f"({batch[-1][0]}"

    def purge(self, older_than: float) -> int:
        with self._errors("purge"):
            return int(self._r.xtrim(self.STREAM, minid=str(int(older_than * 1000)), approximate=False))

    def runtime(self) -> tuple[int, dict[str, Any]]:
        with self._errors("read"):
            got: dict[str, str] = self._r.hgetall(self.RUNTIME)  # type: ignore[assignment]
        if not got:
            return 0, {}
        return int(got["version"]), json.loads(got["doc"])

    def set_runtime(self, overrides: dict[str, Any]) -> int:
        with self._errors("write"):
            pipe = self._r.pipeline(transaction=True)
            pipe.hincrby(self.RUNTIME, "version", 1)
            pipe.hset(self.RUNTIME, "doc", json.dumps(overrides))
            version, _ = pipe.execute()
        return int(version)

    def close(self) -> None:
        self._r.close()


def open_audit(store_url: str | None) -> AuditLog:
    """The audit trail beside the vault the URL names (see `maskgate.vault.open_store`)."""
    from maskgate.vault import default_store_url

    url = store_url or default_store_url()
    if url in ("memory", "memory://"):
        return MemoryAudit()
    if url.startswith("sqlite://"):
        path = Path(url[len("sqlite://") :])
        return SQLiteAudit(path.with_name(path.stem + "-audit.db"))
    if url.startswith(("redis://", "rediss://")):
        return RedisAudit(url)
    raise StoreError(f"unknown store {url!r}")


def retention_cutoff(days: float, now: float | None = None) -> float | None:
    """The oldest time kept with a retention of `days` (0 keeps everything: None)."""
    if days <= 0:
        return None
    return (time.time() if now is None else now) - days * DAY
