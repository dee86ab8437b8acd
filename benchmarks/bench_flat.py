"""Is the cost of a request flat as a server sees more data? (issue 17)

The soak's traffic (benchmarks/bench_soak.py: 50 sessions, a fresh name, e-mail and phone number in
~0.5 KB of prose in every request) through a `Masker` in this process, with a SQLite vault and the
persistent analysis cache in a temporary directory, and the rule layers only: the model runs in the
detection worker in a server, its cost per text does not depend on what was seen before, and leaving
it out makes the server's own share visible. Every `--window` requests it prints the milliseconds per
request, split into detection (rules), known values (`add` + `find`), the vault's `assign`, the
persistent cache and the rest, the Python GC's pauses, and the RSS of this process.

    .venv/bin/python benchmarks/bench_flat.py [--requests 10000] [--window 1000] [--cache-bytes N]
        [--vault-cache N] [--known-values N]

Smaller bounds than the defaults show the plateau sooner: every structure that grows with fresh
traffic stops growing at its bound (tests/masking/test_performance_bounded.py checks the bytes).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_soak import fresh_text
from maskgate.detect.factory import build_pipeline
from maskgate.detect.options import DetectOptions
from maskgate.masking.cache_store import SQLiteCacheStore
from maskgate.masking.known import MAX_VALUES
from maskgate.masking.masker import AnalysisCache, Masker
from maskgate.vault.sqlite import CACHE_ENTRIES, SQLiteStore

PARTS = ("rules", "known", "vault", "pcache", "gc")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(obj: Any, name: str, part: str, acc: dict[str, float]) -> None:
    fn: Callable[..., Any] = getattr(obj, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            acc[part] = acc.get(part, 0.0) + time.perf_counter() - t

    setattr(obj, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--window", type=int, default=1_000)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--cache-bytes", type=int, default=64 * 1024 * 1024)
    ap.add_argument(
        "--vault-cache", type=int, default=CACHE_ENTRIES, help="values in the vault's process cache"
    )
    ap.add_argument("--known-values", type=int, default=MAX_VALUES, help="known values kept in memory")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="maskgate-flat-"))
    store = SQLiteStore(tmp / "vault.db", key=b"f" * 32, cache_entries=args.vault_cache)
    persistent = SQLiteCacheStore(tmp / "vault-cache.db", 256 * 1024 * 1024)
    cache = AnalysisCache(args.cache_bytes, persistent)
    m = Masker(build_pipeline(DetectOptions(ner="none")), store, cache=cache)
    m.known.max_values = args.known_values
    acc: dict[str, float] = {}
    timed(m.pipeline, "analyze_many", "rules", acc)
    timed(m.known, "find", "known", acc)
    timed(m.known, "add", "known", acc)
    timed(store, "assign", "vault", acc)
    timed(persistent, "put_many", "pcache", acc)
    timed(persistent, "get_many", "pcache", acc)
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            acc["gc"] = acc.get("gc", 0.0) + time.perf_counter() - started[0]

    m.mask_many(["warm up: Dana Whitfield, dana@example.com"], "warm-up")
    gc.freeze()  # as the server does once loaded
    gc.callbacks.append(on_gc)
    rands = [random.Random(c) for c in range(args.sessions)]
    print(
        f"{args.sessions} sessions, cache_bytes {args.cache_bytes}, vault cache {args.vault_cache} values, "
        f"known values {args.known_values}; ms per request, RSS in MB"
    )
    print("| requests | total | rules | known | vault | pcache | gc | rest | RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    t0 = time.perf_counter()
    for i in range(args.requests):
        c = i % args.sessions
        m.mask_many([fresh_text(rands[c], c * 1_000_000 + i)], f"soak-{c}")
        if (i + 1) % args.window == 0:
            now = time.perf_counter()
            per = {k: acc.get(k, 0.0) * 1000 / args.window for k in PARTS}
            total = (now - t0) * 1000 / args.window
            rest = total - sum(per[k] for k in PARTS if k != "gc")
            cells = " | ".join(f"{per[k]:.2f}" for k in PARTS)
            print(f"| {i + 1:,} | {total:.2f} | {cells} | {rest:.2f} | {rss_mb():.0f} |", flush=True)
            acc.clear()
            t0 = now


if __name__ == "__main__":
    main()
