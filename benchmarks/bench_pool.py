"""Benchmark 1h: the latency of one cold request through the detection process pool, one worker
against two (issue 17 item 2), and the spans of both against the in-process pipeline.

With two idle workers a request's model pass and its rule layers run at once on two workers
(`ProcessPipeline.analyze_many`, "spread"); with one they run one after the other. Both pools are
started first and used alternately, one prompt at a time (the machine is shared: interleaving keeps
its load the same for both); the load average is printed with every round. Wall-clock figures:
this is the time a request waits for detection, the serving process being idle meanwhile.

    python benchmarks/bench_pool.py [--rounds 3] [--prompts 20]

It fails (exit 1) if a pool's spans differ from the in-process pipeline's on any prompt.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from benchmarks.bench_serve import prompt_2kb
from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline
from maskgate.detect.pool import ProcessPipeline


def latency(console: Console, rounds: int, prompts: int) -> int:
    """Cold 2 KB latency with 1 and 2 workers, interleaved; returns the prompts whose spans differ."""
    settings = Settings()
    pools = {n: ProcessPipeline(settings, n) for n in (1, 2)}
    local = build_pipeline(settings)
    times: dict[int, list[float]] = {1: [], 2: []}
    loads: list[float] = []
    passes = {n: p.passes for n, p in pools.items()}
    differ = 0
    try:
        seed = 5000
        for _ in range(rounds):
            loads.append(os.getloadavg()[0])
            for _ in range(prompts):
                text = prompt_2kb(seed)  # a new text each time: nothing cached anywhere
                seed += 1
                expected = local.analyze(text)
                for n, pool in pools.items():
                    time.sleep(0.02)  # the other pool's workers settle back to waiting
                    t0 = time.perf_counter()
                    got = pool.analyze_many([text])[0]
                    times[n].append(time.perf_counter() - t0)
                    differ += got != expected
        loads.append(os.getloadavg()[0])
        table = Table(
            title=f"1h. One cold 2 KB prompt through the detection pool ({len(times[1])} prompts each, "
            f"wall ms, interleaved; load average {' '.join(f'{x:.1f}' for x in loads)}, "
            f"{len(os.sched_getaffinity(0))} cores)"
        )
        for col in ("workers", "median ms", "p10 ms", "p90 ms", "passes per prompt", "vs 1 worker"):
            table.add_column(col, justify="left" if col == "workers" else "right")
        base = statistics.median(times[1])
        for n, secs in times.items():
            q = statistics.quantiles(secs, n=10)
            table.add_row(
                f"{n}" + (" (spread: model and rules at once, then settle)" if n > 1 else ""),
                f"{1000 * statistics.median(secs):.1f}",
                f"{1000 * q[0]:.1f}",
                f"{1000 * q[-1]:.1f}",
                f"{(pools[n].passes - passes[n]) / len(secs):.1f}",
                f"{statistics.median(secs) / base:.2f}x",
            )
        console.print(table)
        console.print(f"1h. prompts whose pool spans differ from the in-process pipeline's: {differ}")
    finally:
        for p in pools.values():
            p.close()
    return differ


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--prompts", type=int, default=20)
    args = ap.parse_args()
    if latency(Console(width=150), args.rounds, args.prompts):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
