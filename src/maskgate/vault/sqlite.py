"""SQLite store: the embedded default. Values are encrypted at rest (AES-GCM) and looked up by an
HMAC of the value, sessions are stored under a keyed hash of their name (vault/crypto.py), so the
file alone reveals neither the values, nor the session names, nor which sessions share a value. The
directory is created 0700 and the database 0600 (vault/sqlschema.py).

Safe under concurrent writers (threads and processes): WAL mode, a busy timeout, and
`BEGIN IMMEDIATE` around each assignment so numbering never races. Concurrent assignments are
grouped (group commit): while one thread's write transaction is on its way to the disk, the others
queue, and the next transaction writes all of them, each under a savepoint of its own, with one
fsync; every caller gets its placeholders only once that transaction is committed (`synchronous=FULL`:
on disk). Each store has one connection,
used under a lock after the file checks of vault/files.py (a damaged -shm would crash the process,
a deleted database would silently lose what is written to it).

Mappings never change once written, so answers come from a process-local cache when they can: an
assign of known values or a resolve of known placeholders costs HMACs, dictionary lookups and one
stat. What the cache cannot know (another process deleted or forgot something, a session expired
or must be renewed) is checked against the database at most every `renew_every(ttl)` seconds per
session, in the write transaction that renews the session.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from maskgate.vault.base import Clock, Entry, SessionInfo, StoreError, renew_every, ttl_seconds
from maskgate.vault.crypto import KEY_ENV, VaultKeys, load_key
from maskgate.vault.files import VaultFiles
from maskgate.vault.placeholder import make, parse
from maskgate.vault.sqlschema import prepare, private_files

__all__ = ["KEY_ENV", "SQLiteStore", "load_key"]
_ABANDONED: list[sqlite3.Connection] = []  # connections whose files were damaged: never closed
CACHE_ENTRIES = 100_000  # values per map of the process cache: ~460 bytes each in both (~46 MB)


@dataclass(frozen=True)
class _Seen:
    """What this process last read about a session: trusted until `checked` + renew interval."""

    created: float
    expires: float | None
    checked: float


@dataclass
class _Job:
    """One caller's assignment, waiting to be written in a grouped transaction."""

    sid: str
    items: Sequence[tuple[str, str]]
    macs: list[bytes]
    now: float
    wake: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # woken to write the queue itself, not because its job is done
    result: list[str] | None = None
    error: BaseException | None = None
    new: list[tuple[bytes, str, str]] = field(default_factory=list)


class SQLiteStore:
    def __init__(
        self,
        path: str | Path,
        key: bytes | None = None,
        ttl: float | None = None,
        clock: Clock = time.time,
        cache_entries: int = CACHE_ENTRIES,
    ) -> None:
        self.path = Path(path).expanduser()
        self.cache_entries = max(1, cache_entries)
        self.ttl = ttl_seconds(ttl)
        self._clock = clock
        self._renew = renew_every(self.ttl)
        try:
            private_files(self.path)
            self._key = key or load_key(self.path)
        except OSError as exc:
            raise StoreError(f"cannot open vault at {self.path}: {exc.strerror or exc}") from exc
        self._keys = VaultKeys(self._key)
        self._files = VaultFiles(self.path)
        # One connection per store, used under a lock: SQLite maps -shm once per process, and the
        # file checks in vault/files.py guard every use of that one connection.
        self._db_lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None
        self._by_value: OrderedDict[tuple[str, bytes], str] = OrderedDict()
        self._by_ph: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._seen: dict[str, _Seen] = {}
        self._ids: dict[str, str] = {}  # session name -> id: an HMAC saved per call
        self._generation = 0  # meta 'generation': bumped by every delete, prune and forget
        self._queue: list[_Job] = []  # assignments waiting for the next grouped transaction
        self._queue_lock = threading.Lock()
        self._writing = False  # a thread is writing the queue
        self.commits = 0  # write transactions of assign (fewer than calls when they were grouped)
        with self._db_lock:
            try:
                conn = self._connect()
                prepare(conn, self._keys, self._key, self.path)
                self._files.record()
            except (sqlite3.DatabaseError, OSError, StoreError) as exc:
                if self._connection is not None:
                    self._connection.close()
                    self._connection = None
                if isinstance(exc, StoreError):
                    raise
                raise StoreError(f"cannot open vault at {self.path}: {exc}") from exc

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._connection = conn
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA mmap_size=0")  # the database file is read, never mapped
        conn.execute("PRAGMA secure_delete=ON")  # erased entries are overwritten, not just unlinked
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk when COMMIT returns, so a placeholder handed out survives a
        # power cut too (NORMAL would lose the last commits; ~3 ms per write transaction here).
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    @contextmanager
    def _db(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """The connection, after the file checks, under the store's lock. SQLite errors become
        StoreError."""
        with self._db_lock:
            self._files.check()
            conn = self._connection
            if conn is None:
                raise StoreError("vault is closed")
            try:
                yield conn
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"vault {'write' if write else 'read'} failed: {exc}") from exc
            if write:  # committed, but to the files that are still the vault?
                self._files.check()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: `BEGIN IMMEDIATE` takes the write lock first, so numbering never
        races with another thread or process."""
        with self._db(write=True) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    # -- process cache ---------------------------------------------------------------------
    def _remember(self, sid: str, mac: bytes, ph: str, value: str) -> None:
        with self._cache_lock:
            self._by_value[(sid, mac)] = ph
            self._by_ph[(sid, ph)] = value
            while len(self._by_value) > self.cache_entries:
                self._by_value.popitem(last=False)
            while len(self._by_ph) > self.cache_entries:
                self._by_ph.popitem(last=False)

    def _drop(self, sid: str) -> None:
        with self._cache_lock:
            self._seen.pop(sid, None)
            for k in [k for k in self._by_value if k[0] == sid]:
                del self._by_value[k]
            for k2 in [k for k in self._by_ph if k[0] == sid]:
                del self._by_ph[k2]

    def _trusted(self, sid: str, now: float) -> bool:
        """Whether the cache may answer for this session without asking the database."""
        seen = self._seen.get(sid)
        return (
            seen is not None
            and (seen.expires is None or seen.expires > now)
            and now - seen.checked < self._renew
        )

    def _bump(self, conn: sqlite3.Connection) -> None:
        """Tell other processes (at their next renewal) that mappings were removed."""
        (gen,) = conn.execute("SELECT COALESCE(MAX(v), 0) FROM meta WHERE k='generation'").fetchone()
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (gen + 1,))
        if gen == self._generation:  # nothing else changed since we last looked: no need to clear
            self._generation = gen + 1

    def _sync(self, conn: sqlite3.Connection, sid: str, now: float, create: bool) -> bool:
        """Inside a write transaction: catch up with other processes' deletions, start an expired
        session over, renew it (or create it if `create`). False if there is no such session."""
        (gen,) = conn.execute("SELECT COALESCE(MAX(v), 0) FROM meta WHERE k='generation'").fetchone()
        if gen != self._generation:
            with self._cache_lock:
                self._by_value.clear()
                self._by_ph.clear()
                self._seen.clear()
            self._generation = gen
        row = conn.execute("SELECT created, expires FROM sessions WHERE session=?", (sid,)).fetchone()
        if row and row[1] is not None and row[1] <= now:
            self._purge(conn, sid)
            row = None
            self._drop(sid)
        seen = self._seen.get(sid)
        if seen is not None and (row is None or row[0] != seen.created):
            self._drop(sid)  # deleted or started over elsewhere: what we cached is not its
        if row is None:
            if not create:
                return False
            created, expires = now, (now + self.ttl if self.ttl else None)
            conn.execute("INSERT INTO sessions VALUES (?,?,?,?)", (sid, now, now, expires))
        else:
            created, expires = row
            if self.ttl:
                expires = max(expires or 0.0, now + self.ttl)
            conn.execute("UPDATE sessions SET updated=?, expires=? WHERE session=?", (now, expires, sid))
        self._seen[sid] = _Seen(created, expires, now)
        return True

    def _purge(self, conn: sqlite3.Connection, sid: str) -> int:
        n = conn.execute("DELETE FROM entries WHERE session=?", (sid,)).rowcount
        conn.execute("DELETE FROM counters WHERE session=?", (sid,))
        conn.execute("DELETE FROM sessions WHERE session=?", (sid,))
        return int(n)

    # -- proxy -----------------------------------------------------------------------------
    def session_id(self, name: str) -> str:
        sid = self._ids.get(name)
        if sid is None:
            if len(self._ids) >= max(1000, self.cache_entries // 10):
                self._ids.clear()
            sid = self._ids[name] = self._keys.session_id(name)
        return sid

    def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
        sid = self.session_id(session)
        now = self._clock()
        macs = [self._keys.mac(sid, v) for _, v in items]
        out: list[str | None] = [self._by_value.get((sid, m)) for m in macs]
        if all(out) and self._trusted(sid, now):
            self._files.check_db()
            return out  # type: ignore[return-value]
        job = _Job(sid, items, macs, now)
        with self._queue_lock:
            self._queue.append(job)
            lead = not self._writing
            self._writing = True
        if not lead:
            job.wake.wait()
            lead = job.lead
        if lead:
            self._write_queue()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def _write_queue(self) -> None:
        """Write every queued assignment in one transaction, wake their callers, and hand the
        writing on to the first caller that queued meanwhile (so no caller writes for long)."""
        with self._queue_lock:
            batch, self._queue = self._queue, []
        try:
            self._write_batch(batch)
        finally:  # whatever happened, no caller is left waiting and the writing goes on
            with self._queue_lock:
                if self._queue:
                    nxt = self._queue[0]
                    nxt.lead = True
                    nxt.wake.set()
                else:
                    self._writing = False
            for job in batch:
                if job.result is None and job.error is None:
                    job.error = StoreError("vault write failed")
                job.wake.set()

    def _write_batch(self, batch: list[_Job]) -> None:
        try:
            with self._write() as conn:
                for job in batch:
                    conn.execute("SAVEPOINT job")
                    try:
                        job.result = self._assign_in(conn, job)
                        conn.execute("RELEASE job")
                    except Exception as exc:  # this caller's failure only: the others go on
                        conn.execute("ROLLBACK TO job")
                        conn.execute("RELEASE job")
                        job.error = (
                            StoreError(f"vault write failed: {exc}")
                            if isinstance(exc, sqlite3.DatabaseError)
                            else exc
                        )
            self.commits += 1
        except BaseException as exc:  # nothing of the batch was written
            for job in batch:
                if job.error is None:
                    job.error = exc
        for job in batch:
            if job.error is None:
                for mac, ph, value in job.new:  # only once committed
                    self._remember(job.sid, mac, ph, value)
            else:
                job.result = None
                self._seen.pop(job.sid, None)  # what _sync read was rolled back with it

    def _assign_in(self, conn: sqlite3.Connection, job: _Job) -> list[str]:
        sid, now = job.sid, job.now
        self._sync(conn, sid, now, create=True)
        out: list[str] = []
        for (label, value), mac in zip(job.items, job.macs, strict=True):
            ph = self._by_value.get((sid, mac))
            if ph is None:
                row = conn.execute(
                    "SELECT label, n FROM entries WHERE session=? AND value_mac=?", (sid, mac)
                ).fetchone()
                if row:
                    ph = make(row[0], row[1])
                else:
                    (n,) = conn.execute(
                        "INSERT INTO counters VALUES (?,?,1) "
                        "ON CONFLICT(session, label) DO UPDATE SET n = n + 1 RETURNING n",
                        (sid, label),
                    ).fetchone()
                    ph = make(label, n)
                    conn.execute(
                        "INSERT INTO entries VALUES (?,?,?,?,?,?)",
                        (sid, label, n, mac, self._keys.seal(sid, ph, value), now),
                    )
                job.new.append((mac, ph, value))
            out.append(ph)
        return out

    def resolve(self, session: str, placeholders: Collection[str]) -> dict[str, str]:
        sid = self.session_id(session)
        now = self._clock()
        trusted = self._trusted(sid, now)
        found: dict[str, str] = {}
        missing: list[tuple[str, str, int]] = []
        for ph in placeholders:
            v = self._by_ph.get((sid, ph)) if trusted else None
            if v is not None:
                found[ph] = v
            elif parsed := parse(ph):
                missing.append((ph, *parsed))
        if not missing and trusted:
            return found  # values this session owns: right whatever happened to the files since
        with self._write() if not trusted else self._db() as conn:
            if not trusted and not self._sync(conn, sid, now, create=False):
                return {}
            rows = [
                (ph, conn.execute(
                    "SELECT value_enc, value_mac FROM entries WHERE session=? AND label=? AND n=?",
                    (sid, label, n),
                ).fetchone())
                for ph, label, n in missing
            ]  # fmt: skip
        for ph, row in rows:
            if row:
                value = self._keys.open(sid, ph, row[0])
                self._remember(sid, row[1], ph, value)
                found[ph] = value
        return found

    # -- admin -----------------------------------------------------------------------------
    _LIVE = "(expires IS NULL OR expires > ?)"

    def _info(self, conn: sqlite3.Connection, row: tuple[str, float, float, float | None]) -> SessionInfo:
        labels = dict(
            conn.execute("SELECT label, COUNT(*) FROM entries WHERE session=? GROUP BY label", (row[0],))
        )
        return SessionInfo(row[0], sum(labels.values()), row[1], row[2], row[3], labels)

    def sessions(self, offset: int = 0, limit: int = 100) -> list[SessionInfo]:
        with self._db() as conn:
            rows = conn.execute(
                f"SELECT session, created, updated, expires FROM sessions WHERE {self._LIVE} "
                "ORDER BY created, session LIMIT ? OFFSET ?",
                (self._clock(), max(0, limit), max(0, offset)),
            ).fetchall()
            return [self._info(conn, r) for r in rows]

    def session_info(self, session_id: str) -> SessionInfo | None:
        with self._db() as conn:
            row = conn.execute(
                f"SELECT session, created, updated, expires FROM sessions WHERE session=? AND {self._LIVE}",
                (session_id, self._clock()),
            ).fetchone()
            return self._info(conn, row) if row else None

    def entries(self, session_id: str) -> list[Entry]:
        with self._db() as conn:
            if not conn.execute(
                f"SELECT 1 FROM sessions WHERE session=? AND {self._LIVE}", (session_id, self._clock())
            ).fetchone():
                return []
            rows = conn.execute(
                "SELECT label, n, value_enc FROM entries WHERE session=? ORDER BY label, n", (session_id,)
            ).fetchall()
        return [Entry(make(lb, n), lb, self._keys.open(session_id, make(lb, n), enc)) for lb, n, enc in rows]

    def delete_session(self, session_id: str) -> int:
        with self._write() as conn:
            n = self._purge(conn, session_id)
            self._bump(conn)
        self._drop(session_id)
        return n

    def extend(self, session_id: str, seconds: float | None = None) -> SessionInfo | None:
        now = self._clock()
        span = self.ttl if seconds is None else ttl_seconds(seconds)
        with self._write() as conn:
            if not self._sync(conn, session_id, now, create=False):
                return None
            expires = None if span is None else now + span
            conn.execute("UPDATE sessions SET expires=? WHERE session=?", (expires, session_id))
            self._seen.pop(session_id, None)
            row = conn.execute(
                "SELECT session, created, updated, expires FROM sessions WHERE session=?", (session_id,)
            ).fetchone()
            return self._info(conn, row)

    def prune(self, now: float | None = None) -> int:
        at = self._clock() if now is None else now
        with self._write() as conn:
            dead = [
                r[0]
                for r in conn.execute(
                    "SELECT session FROM sessions WHERE expires IS NOT NULL AND expires <= ?", (at,)
                )
            ]
            for sid in dead:
                self._purge(conn, sid)
            if dead:
                self._bump(conn)
        for sid in dead:
            self._drop(sid)
        return len(dead)

    def forget(self, value: str) -> int:
        erased: list[tuple[str, bytes, str]] = []
        with self._write() as conn:
            for (sid,) in conn.execute("SELECT session FROM sessions").fetchall():
                mac = self._keys.mac(sid, value)
                row = conn.execute(
                    "DELETE FROM entries WHERE session=? AND value_mac=? RETURNING label, n", (sid, mac)
                ).fetchone()
                if row:
                    erased.append((sid, mac, make(row[0], row[1])))
            if erased:
                self._bump(conn)
        with self._cache_lock:
            for sid, mac, ph in erased:
                self._by_value.pop((sid, mac), None)
                self._by_ph.pop((sid, ph), None)
        return len(erased)

    def sessions_with(self, value: str) -> list[str]:
        with self._db() as conn:
            sids = [
                r[0]
                for r in conn.execute(
                    f"SELECT session FROM sessions WHERE {self._LIVE} ORDER BY created, session",
                    (self._clock(),),
                ).fetchall()
            ]
            return [
                sid
                for sid in sids
                if conn.execute(
                    "SELECT 1 FROM entries WHERE session=? AND value_mac=?", (sid, self._keys.mac(sid, value))
                ).fetchone()
            ]

    def close(self) -> None:
        with self._db_lock:
            conn, self._connection = self._connection, None
            if conn is None:
                return
            try:
                self._files.check()
            except StoreError:
                # Closing may checkpoint through the damaged mapping and crash: leave it open.
                _ABANDONED.append(conn)
                return
            conn.close()
