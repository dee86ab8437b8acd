"""What the server remembers about requests: the audit trail (written in the background, so a
request never waits on it) and live statistics for `/api/v1/stats` and the admin UI.

Both see only `AuditRecord`s: counts, sizes and timings, never a value.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import Counter, deque
from typing import Any

from maskgate.audit import AuditLog, AuditRecord, retention_cutoff

log = logging.getLogger("maskgate.audit")

WINDOW = 10_000  # requests kept for latency percentiles
HOUR = 3600
# Records waiting for the trail's writer (~1 KB each). Past this the trail is behind (a slow or stuck
# store): further records are dropped and counted like failed writes, rather than growing without
# bound or holding traffic up (docs/api.md: a request never waits on the trail).
MAX_QUEUED = 20_000


def percentiles(values: list[float], points: tuple[int, ...] = (50, 90, 99)) -> dict[str, float]:
    if not values:
        return {f"p{p}": 0.0 for p in points}
    ordered = sorted(values)
    last = len(ordered) - 1
    return {f"p{p}": round(ordered[min(last, round(p / 100 * last))], 3) for p in points}


class Stats:
    def __init__(self) -> None:
        self.started = time.time()
        self._lock = threading.Lock()
        self._recent: deque[AuditRecord] = deque(maxlen=WINDOW)
        self.requests: Counter[str] = Counter()  # by kind
        self.statuses: Counter[str] = Counter()  # "2xx", "4xx", ...
        self.entities: Counter[str] = Counter()  # by label
        self.sources: Counter[str] = Counter()
        self._minutes: dict[int, Counter[str]] = {}

    def observe(self, r: AuditRecord) -> None:
        minute = int(r.time // 60) * 60
        with self._lock:
            self._recent.append(r)
            self.requests[r.kind] += 1
            self.statuses[f"{r.status // 100}xx"] += 1
            self.entities.update(r.labels)
            self.sources.update(r.sources)
            bucket = self._minutes.setdefault(minute, Counter())
            bucket["requests"] += 1
            bucket["entities"] += sum(r.labels.values())
            bucket["detect_ms"] += int(r.detect_ms)
            if len(self._minutes) > 61:
                for old in sorted(self._minutes)[:-61]:
                    del self._minutes[old]

    def snapshot(self, cache_hits: int, cache_misses: int) -> dict[str, Any]:
        now = time.time()
        with self._lock:
            recent = list(self._recent)
            minutes = {m: dict(c) for m, c in self._minutes.items() if m >= now - HOUR}
            out: dict[str, Any] = {
                "since": self.started,
                "requests": {"total": sum(self.requests.values()), **self.requests},
                "statuses": dict(self.statuses),
                "entities": dict(self.entities),
                "sources": dict(self.sources),
            }
        proxied = [r for r in recent if r.kind == "proxy"]
        looked = cache_hits + cache_misses
        out["cache"] = {
            "hits": cache_hits,
            "misses": cache_misses,
            "hit_rate": round(cache_hits / looked, 4) if looked else 0.0,
        }
        out["latency_ms"] = {
            "detect": percentiles([r.detect_ms for r in proxied]),
            "upstream": percentiles([r.upstream_ms for r in proxied]),
            "window": len(proxied),
        }
        out["last_hour"] = [{"minute": m, **minutes[m]} for m in sorted(minutes)]
        return out


class Recorder:
    """Queue records for the audit trail and feed the statistics. Writes happen on one background
    thread in batches; a failing audit store is logged (without values) and counted, and does not
    hold traffic up. At most `max_queued` records wait: beyond, a record is dropped and counted
    (`failures`, `dropped`), with one error line a minute while it lasts."""

    def __init__(self, audit: AuditLog, retention_days: float, max_queued: int = MAX_QUEUED) -> None:
        self.audit = audit
        self.retention_days = retention_days
        self.stats = Stats()
        self.failures = 0
        self.dropped = 0
        self._dropped_told = 0.0
        self._queue: queue.Queue[AuditRecord | None] = queue.Queue(max(1, max_queued))
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="maskgate-audit", daemon=True)
        self._thread.start()
        self._last_purge = 0.0

    def record(self, r: AuditRecord) -> None:
        self.stats.observe(r)
        self._idle.clear()
        try:
            self._queue.put_nowait(r)
        except queue.Full:
            self.dropped += 1
            self.failures += 1
            now = time.monotonic()
            if now - self._dropped_told >= 60.0:
                self._dropped_told = now
                log.error("audit trail behind: %d records dropped so far (queue full)", self.dropped)

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every queued record is written (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while not (self._queue.empty() and self._idle.is_set()):
            if time.monotonic() > deadline:
                return
            time.sleep(0.005)

    def close(self) -> None:
        self.flush()
        with contextlib.suppress(queue.Full):  # a trail stuck for good: its thread is a daemon
            self._queue.put(None, timeout=5.0)
        self._thread.join(5)
        self.audit.close()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < 500:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            try:
                self.audit.append(batch)
                self._purge_now_and_then()
            except Exception as exc:  # the trail must never take the proxy down
                self.failures += len(batch)
                log.error("audit trail write failed (%d records): %s", len(batch), type(exc).__name__)
            if self._queue.empty():
                self._idle.set()
            if stop:
                return

    def _purge_now_and_then(self) -> None:
        now = time.time()
        if now - self._last_purge < 600:
            return
        self._last_purge = now
        cutoff = retention_cutoff(self.retention_days, now)
        if cutoff is not None:
            self.audit.purge(cutoff)
