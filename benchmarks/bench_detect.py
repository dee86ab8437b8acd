"""Benchmarks 1 and 5: detection throughput on one core, maskgate vs Presidio on the same texts;
1c-1g (benchmarks/bench_ner.py): the spaCy backend against plain spaCy, same spans on every dataset.

python benchmarks/bench_detect.py [--chars 200000] [--no-presidio] [--no-ner]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from benchmarks.corpus import corpus
from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def timed(fn, texts: list[str], repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    fn(texts[:5])  # warm-up: model load, regex compile
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - t0)
    return best


def presidio_fn():  # type: ignore[no-untyped-def]
    """Presidio as `maskgate eval --compare presidio` runs it: same spaCy package, nothing downloaded."""
    from maskgate.evaluation.runners import PresidioRunner

    runner = PresidioRunner()
    return lambda texts: runner.run(texts)


def layer_fn(layer):  # type: ignore[no-untyped-def]
    many = getattr(layer, "detect_many", None)
    return many if many else (lambda texts: [layer.detect(t) for t in texts])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=200_000)
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("--mb", type=float, default=1.0, help="size of the one long text (0: skip)")
    ap.add_argument("--no-ner", action="store_true", help="skip 1c-1g (bench_ner.py)")
    args = ap.parse_args()
    one_core()
    texts = corpus(args.chars)
    n = sum(map(len, texts))
    console = Console(width=150)
    rules = build_pipeline(Settings(ner="none"))
    default = build_pipeline(Settings())
    rows: list[tuple[str, float]] = []
    for layer in default.layers:
        rows.append((f"  layer {layer.name} alone", timed(layer_fn(layer), texts)))
    rows.append(("rule layers + resolution (no NER)", timed(rules.analyze_many, texts)))
    default_s = timed(default.analyze_many, texts)
    rows.append(("default pipeline (rules + spaCy sm NER + resolution)", default_s))
    table = Table(title=f"1. Detection throughput, one core, {n:,} chars of mixed prose/logs/code/JSON")
    for col in ("pipeline", "seconds", "chars/s"):
        table.add_column(col, justify="right" if col != "pipeline" else "left")
    for name, secs in rows:
        table.add_row(name, f"{secs:.3f}", f"{n / secs:,.0f}")
    console.print(table)
    gate_identity(console, default)
    if args.mb > 0:
        big = "\n".join(corpus(int(args.mb * 1_000_000)))
        t0 = time.perf_counter()
        default.analyze_many([big])
        secs = time.perf_counter() - t0
        console.print(
            f"1b. one text of {len(big):,} chars, default pipeline, one core: {secs:.1f} s "
            f"(target ≤ 12 s: {'holds' if secs <= 12 else 'does NOT hold'})"
        )
    if not args.no_ner:
        ner_benchmarks(console)
    if args.no_presidio:
        return
    presidio_s = timed(presidio_fn(), texts, repeat=1)
    table = Table(title="5. maskgate vs Presidio on the same texts and the same spaCy model, one core")
    for col in ("engine", "seconds", "chars/s", "ratio"):
        table.add_column(col, justify="right" if col != "engine" else "left")
    table.add_row(
        "maskgate default pipeline",
        f"{default_s:.2f}",
        f"{n / default_s:,.0f}",
        f"{presidio_s / default_s:.2f}x",
    )
    table.add_row(
        "Presidio AnalyzerEngine (en_core_web_sm)", f"{presidio_s:.2f}", f"{n / presidio_s:,.0f}", "1.00x"
    )
    console.print(table)


def ner_benchmarks(console: Console) -> None:
    """bench_ner.py: the backend vs plain spaCy (throughput, a 2 KB prompt, RSS on fresh text, the
    per-layer profile) and the same spans on every dataset (exits non-zero if not)."""
    from benchmarks import bench_ner
    from maskgate.detect.ner.spacy_backend import SpacyBackend

    backend = SpacyBackend()
    nlp = bench_ner.plain_nlp()
    bench_ner.throughput(console, backend, nlp, 3)
    bench_ner.profile(console, 2)
    bench_ner.rss(console)
    if bench_ner.identity(console, backend, nlp):
        raise SystemExit(1)


def gate_identity(console: Console, default: object) -> None:
    """The NER gate changes no span: the model finds nothing in any text the gate keeps from it, on
    every dataset (issue 17 item 3). Exits non-zero if it ever does."""
    from maskgate.detect.ner import gate
    from maskgate.evaluation.datasets import load_dataset

    ner = next(layer for layer in default.layers if layer.name.startswith("ner:"))  # type: ignore[attr-defined]
    root = Path(__file__).resolve().parent.parent
    paths = [
        *sorted((root.parent / "shared" / "datasets").glob("*.json*")),
        root / "tests/data/realistic.jsonl",
    ]
    paths += [p for p in sorted((root / "tests/data/corpus").glob("*.jsonl")) if p.name != "test.jsonl"]
    table = Table(title="NER gate: spans with and without it (texts the gate keeps from the model)")
    for col in ("dataset", "texts", "kept from the model", "of those, with a model span"):
        table.add_column(col, justify="right" if col != "dataset" else "left")
    bad = 0
    for path in paths:
        texts = [r.text for r in load_dataset(path)]
        skipped = [t for t in texts if not gate.needs_model(t)]
        gate.enabled = False
        try:
            differ = sum(1 for spans in (ner.detect_many(skipped) if skipped else []) if spans)
        finally:
            gate.enabled = True
        bad += differ
        table.add_row(path.name, str(len(texts)), str(len(skipped)), str(differ))
    console.print(table)
    console.print(
        "NER gate: spans identical on every dataset" if not bad else f"NER gate CHANGES {bad} texts"
    )
    if bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
