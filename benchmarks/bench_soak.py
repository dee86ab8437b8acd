"""Soak (issue 12): 50 concurrent streaming clients with fresh personal data in every request, for a
bounded time, against `maskgate serve` and the fake upstream (real subprocesses). The load generator
runs in a process of its own. Every `--window` seconds (default 60, and at the end) it prints errors, p50/p99 added latency
(proxied time minus the median of direct requests measured first), requests/s, and the RSS of the
server and of its detection workers.

python benchmarks/bench_soak.py [--minutes 10] [--clients 50] [--serve-arg=...]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_serve import _descendants, _rss, _stream_once, anthropic_body, pct, servers
from benchmarks.corpus import prose

FIRST = ["Dana", "Marta", "Bram", "Odile", "Anil", "Rosalind", "Kenji", "Ines", "Tomasz", "Leila"]
LAST = ["Whitfield", "Okafor", "Lindqvist", "Deshpande", "Porter", "Navarro", "Kowalski", "Haddad"]


def fresh_text(r: random.Random, n: int) -> str:
    """~0.5 KB of prose with personal data nobody sent before."""
    name = f"{r.choice(FIRST)} {r.choice(LAST)}"
    mail = f"{name.split()[0].lower()}.{n}@example.com"
    phone = f"+1 415 {r.randint(200, 999)} {r.randint(1000, 9999)}"
    return f"{prose(r)[:380]} Contact {name} at {mail} or {phone} (request {n})."


async def _load(port: int, clients: int, seconds: float, out: Any) -> None:
    """Streams from `clients` connections until `seconds` pass; (time, latency or None) per request."""
    stop = time.monotonic() + seconds

    async def one(c: int) -> None:
        headers = {
            "content-type": "application/json",
            "x-api-key": f"soak-{c}",
            "anthropic-version": "2023-06-01",
            "x-bench-answer-bytes": "2048",
            "x-bench-chunk": "16",
        }
        r = random.Random(c)
        n = 0
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < stop:
            n += 1
            body = anthropic_body(
                [{"role": "user", "content": fresh_text(r, c * 1_000_000 + n)}], stream=True
            )
            try:
                t = await _stream_once(reader, writer, "/anthropic/v1/messages", body, headers)
                out.put((time.monotonic(), t.total))
            except Exception as exc:
                out.put((time.monotonic(), f"{type(exc).__name__}: {str(exc)[:120]}"))
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()

    await asyncio.gather(*(one(c) for c in range(clients)))


def _generator(port: int, clients: int, seconds: float, out: Any) -> None:
    asyncio.run(_load(port, clients, seconds, out))
    out.put(None)


async def _direct(port: int, n: int) -> list[float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    headers = {"content-type": "application/json", "x-bench-answer-bytes": "2048", "x-bench-chunk": "16"}
    r = random.Random(99)
    times = []
    for i in range(n):
        body = anthropic_body([{"role": "user", "content": fresh_text(r, i)}], stream=True)
        times.append((await _stream_once(reader, writer, "/v1/messages", body, headers)).total)
    writer.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--window", type=float, default=60.0, help="seconds per printed row")
    ap.add_argument("--serve-arg", action="append", default=[])
    args = ap.parse_args()
    with servers(args.serve_arg) as s:
        base = statistics.median(asyncio.run(_direct(s.upstream_port, 50)))
        print(
            f"direct median {base * 1000:.2f} ms; {args.clients} clients for {args.minutes:g} min", flush=True
        )
        print("   end s  requests  errors  req/s   added p50 ms  added p99 ms  RSS server MB  RSS workers MB")
        out: Any = multiprocessing.get_context("spawn").Queue()
        gen = multiprocessing.get_context("spawn").Process(
            target=_generator, args=(s.proxy_port, args.clients, args.minutes * 60, out), daemon=True
        )
        gen.start()
        start = time.monotonic()
        window: list[float] = []
        errors = total_errors = total = 0
        row = 1
        win = args.window
        done = False
        while not done:
            try:
                item = out.get(timeout=1.0)
            except Exception:
                item = ()
            if item is None:
                done = True
            elif item:
                total += 1
                if isinstance(item[1], str):
                    errors += 1
                    total_errors += 1
                    if total_errors <= 5:
                        print(f"  error: {item[1]}", flush=True)
                else:
                    window.append(item[1] - base)
            if done or time.monotonic() - start >= row * win:
                own = _rss(s.proxy.pid) / 1024
                workers = sum(_rss(p) for p in _descendants(s.proxy.pid)) / 1024
                elapsed = time.monotonic() - start
                span = min(win, elapsed - (row - 1) * win) or 1.0
                print(
                    f"{elapsed:>8.0f}  {len(window) + errors:>8}  {errors:>6}  {(len(window) + errors) / span:>5.1f}"
                    f"  {pct(window, 50) * 1000:>12.1f}  {pct(window, 99) * 1000:>12.1f}"
                    f"  {own:>13.0f}  {workers:>14.0f}",
                    flush=True,
                )
                window, errors, row = [], 0, row + 1
        gen.join(30)
        print(f"total: {total} requests, {total_errors} errors")


if __name__ == "__main__":
    main()
