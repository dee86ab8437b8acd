"""Cost of the vault calls the proxy makes, per store (one thread).

    .venv/bin/python benchmarks/bench_vault.py [--n 20000] [--redis redis://127.0.0.1:6379/0]

Rows: `assign` of 10 values the session already has (answered from the SQLite process cache: MACs,
lookups and one stat of the database file), `resolve` of 10 known placeholders, and `assign` of one
new value (a write transaction; for SQLite one fsync of the WAL, synchronous=FULL). A second table:
8 threads, each assigning 4 new values per call in its own session, as the proxy's masking threads
do under load: calls per second and write transactions per call (SQLite groups concurrent calls
into one transaction, one fsync: group commit).
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from maskgate.vault import MemoryStore
from maskgate.vault.sqlite import SQLiteStore


def timed(fn: Callable[[], Any], n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


def row(name: str, store: Any, n: int) -> str:
    items = [("EMAIL", f"user{i}@example.com") for i in range(10)]
    phs = store.assign("bench", items)
    known = timed(lambda: store.assign("bench", items), n)
    resolve = timed(lambda: store.resolve("bench", phs), n)
    counter = iter(range(10**9))
    new = timed(
        lambda: store.assign("bench", [("EMAIL", f"new{next(counter)}@example.com")]), max(20, n // 200)
    )
    return f"| {name:<7} | {known * 1e6:>10.1f} µs | {resolve * 1e6:>10.1f} µs | {new * 1e3:>9.2f} ms |"


def concurrent(store: Any, threads: int = 8, calls: int = 100) -> str:
    def work(t: int) -> None:
        for c in range(calls):
            store.assign(f"t{t}", [("EMAIL", f"t{t}c{c}v{v}@example.com") for v in range(4)])

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    start = time.perf_counter()
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    took = time.perf_counter() - start
    commits = getattr(store, "commits", None)
    per_call = f"{commits / (threads * calls):.2f}" if commits is not None else "-"
    return f"| {threads} threads x {calls} calls | {threads * calls / took:>10.0f} | {per_call:>8} |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--redis", default=None)
    args = ap.parse_args()
    print("| store   | assign 10 known | resolve 10 known | assign 1 new |")
    print("|---------|-----------------|------------------|--------------|")
    print(row("memory", MemoryStore(), args.n))
    with tempfile.TemporaryDirectory() as d:
        print(row("sqlite", SQLiteStore(Path(d) / "v.db", key=b"k" * 32), args.n))
    if args.redis:
        from maskgate.vault.redis import RedisStore

        print(row("redis", RedisStore(args.redis, key=b"k" * 32, prefix="bench"), max(200, args.n // 20)))
    print()
    print("| sqlite, 4 new values per call | calls/s | transactions per call |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        print(concurrent(SQLiteStore(Path(d) / "v.db", key=b"k" * 32)))


if __name__ == "__main__":
    main()
