"""Cost of the vault calls the proxy makes, per store (one thread).

    .venv/bin/python benchmarks/bench_vault.py [--n 20000] [--redis redis://127.0.0.1:6379/0]

Rows: `assign` of 10 values the session already has (answered from the SQLite process cache: MACs,
lookups and one stat of the database file), `resolve` of 10 known placeholders, and `assign` of one
new value (a write transaction; for SQLite one fsync of the WAL, synchronous=FULL).
"""

from __future__ import annotations

import argparse
import tempfile
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


if __name__ == "__main__":
    main()
