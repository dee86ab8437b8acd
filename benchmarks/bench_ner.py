"""Benchmark 1c: the spaCy NER backend against plain spaCy, one core (issue 17).

"Plain" is what the backend did before it was made fast: a freshly loaded model with its stock ops
(blis), one `nlp(piece)` per piece, entities trimmed against `doc.text`, no memory zone. The backend
batches pieces as `ner.pipe` does, runs the model's matrix products in numpy (OpenBLAS, one thread),
each pass in a memory zone, and decodes with ner/decode.py (spaCy's greedy transition loop
vectorised in numpy; 1h compares the two decodes alone). Rounds are interleaved (plain, fast, plain,
fast, ...) because the development machine is shared; CPU time (time.process_time) throughout.

    python benchmarks/bench_ner.py [--rounds 3] [--no-identity] [--no-rss]

It fails (exit 1) if the backend's spans differ from plain spaCy's, or from the backend with
spaCy's own decode loop, on any text of any dataset.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from benchmarks.corpus import corpus
from maskgate.detect.ner.base import chunks
from maskgate.detect.ner.spacy_backend import DEFAULT_MODEL, SpacyBackend, prose_only, trim_entity
from maskgate.evaluation.datasets import load_dataset

ROOT = Path(__file__).resolve().parent.parent


def plain_spans(nlp: Any, text: str) -> list[tuple[int, int, str]]:
    """The spans of the backend before it was made fast: same pieces, one plain `nlp()` call each."""
    out: list[tuple[int, int, str]] = []
    for off, raw in chunks(text, 5000):
        piece = prose_only(raw)
        if piece is None:
            continue
        doc = nlp(piece)
        for ent in doc.ents:
            start, end = trim_entity(doc.text, ent.start_char, ent.end_char)
            if end > start:
                out.append((off + start, off + end, ent.label_))
    return out


def plain_nlp() -> Any:
    """A second copy of the model, loaded by spaCy itself: stock ops, nothing of the backend's."""
    import spacy

    return spacy.load(DEFAULT_MODEL, enable=["ner"])


def fast_spans(backend: SpacyBackend, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(s.start, s.end, s.label) for s in spans] for spans in backend.predict(texts)]


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def interleaved(variants: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """CPU seconds of each variant per round, the variants alternating within every round."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, fn in variants.items():
            t0 = time.process_time()
            fn()
            times[name].append(time.process_time() - t0)
    return times


def prompt_2kb(seed: int) -> str:
    from benchmarks.bench_serve import prompt_2kb as make

    return make(seed)


def throughput(console: Console, backend: SpacyBackend, nlp: Any, rounds: int) -> None:
    texts = corpus(200_000)
    n = sum(map(len, texts))
    prompts = [prompt_2kb(1000 + i) for i in range(30)]
    backend.predict(texts[:10])
    [plain_spans(nlp, t) for t in texts[:10]]
    corp = interleaved(
        {
            "plain spaCy (stock ops, one nlp() per piece)": lambda: [plain_spans(nlp, t) for t in texts],
            "maskgate backend (ner.pipe batches, numpy matmul and decode, memory zone)": lambda: (
                backend.predict(texts)
            ),
        },
        rounds,
    )
    table = Table(title=f"1c. spaCy NER alone, one core, {n:,} chars of the benchmark corpus (CPU time)")
    for col in ("variant", "rounds (chars/s)", "best chars/s", "vs plain"):
        table.add_column(col, justify="left" if col == "variant" else "right")
    plain_best = min(next(iter(corp.values())))
    for name, secs in corp.items():
        table.add_row(
            name,
            " ".join(f"{n / s:,.0f}" for s in secs),
            f"{n / min(secs):,.0f}",
            f"{plain_best / min(secs):.2f}x",
        )
    console.print(table)
    per_prompt: dict[str, list[float]] = {"plain": [], "fast": []}
    for _ in range(rounds):
        for p in prompts:  # one request's text at a time, as a cold 2 KB prompt reaches the worker
            t0 = time.process_time()
            plain_spans(nlp, p)
            t1 = time.process_time()
            backend.predict([p])
            per_prompt["plain"].append(t1 - t0)
            per_prompt["fast"].append(time.process_time() - t1)
    console.print(
        "1d. NER of one 2 KB prompt (median of "
        f"{len(per_prompt['fast'])}): plain {1000 * statistics.median(per_prompt['plain']):.1f} ms, "
        f"backend {1000 * statistics.median(per_prompt['fast']):.1f} ms"
    )
    decode_speed(console, backend, rounds)


def decode_speed(console: Console, backend: SpacyBackend, rounds: int) -> None:
    """The backend with spaCy's transition loop against the numpy decode (the default), nothing
    else changed: 2 KB prompts one call each (median), the dev split joined (77 KB), 1 MB of the
    benchmark corpus (best of the rounds; one round for 1 MB)."""
    loop = SpacyBackend(decode="spacy")
    decoder = backend.decoder
    cases = {
        "2 KB prompt (median of 30 calls)": [prompt_2kb(3000 + i) for i in range(30)],
        "dev split joined (77 KB)": [
            "\n".join(r.text for r in load_dataset(ROOT / "tests/data/corpus/dev.jsonl"))
        ],
        "benchmark corpus (1 MB)": ["\n".join(corpus(1_000_000))],
    }
    backend.predict(cases["2 KB prompt (median of 30 calls)"][:2])
    loop.predict(cases["2 KB prompt (median of 30 calls)"][:2])
    table = Table(title="1h. NER decode: spaCy's transition loop vs the numpy decode, one core (CPU time)")
    cols = ("text", "spaCy loop chars/s", "numpy decode chars/s", "speed-up", "model pass", "decode loop")
    for col in cols:
        table.add_column(col, justify="left" if col == "text" else "right")
    for name, calls in cases.items():
        n = len(calls[0])
        secs: dict[str, list[float]] = {"loop": [], "numpy": []}
        model_s = decode_s = 0.0
        for _ in range(rounds if n < 500_000 else 1):
            for text in calls:
                for key, b in (("loop", loop), ("numpy", backend)):
                    if decoder is not None:
                        decoder.model_s = decoder.decode_s = 0.0
                    t0 = time.process_time()
                    b.predict([text])
                    secs[key].append(time.process_time() - t0)
                    if b is backend and decoder is not None:
                        model_s += decoder.model_s
                        decode_s += decoder.decode_s
        pick = statistics.median if len(calls) > 1 else min
        loop_s, fast_s = pick(secs["loop"]), pick(secs["numpy"])
        per = len(secs["numpy"])
        table.add_row(
            name,
            f"{n / loop_s:,.0f} ({seconds(loop_s)})",
            f"{n / fast_s:,.0f} ({seconds(fast_s)})",
            f"{loop_s / fast_s:.2f}x",
            seconds(model_s / per),
            seconds(decode_s / per),
        )
    console.print(table)
    console.print(
        "model pass / decode loop: the numpy backend's CPU time per call in the token vectors and lower "
        "layer / in the decode; the rest is tokenisation, blob blanking and trimming."
    )


def seconds(s: float) -> str:
    return f"{1000 * s:.1f} ms" if s < 1 else f"{s:.2f} s"


def profile(console: Console, rounds: int) -> None:
    """Where a cold 2 KB prompt's detection time goes, in this process: each layer alone, then the
    whole pipeline (medians over 30 different prompts, CPU time)."""
    from maskgate.config import Settings
    from maskgate.detect.factory import build_pipeline

    pipeline = build_pipeline(Settings())
    prompts = [prompt_2kb(2000 + i) for i in range(30)]
    pipeline.analyze_many(prompts[:2])
    steps: dict[str, Callable[[str], object]] = {
        layer.name: (lambda t, layer=layer: layer.detect(t)) for layer in pipeline.layers
    }
    steps["whole pipeline"] = pipeline.analyze
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(rounds):
        for p in prompts:
            for name, fn in steps.items():
                t0 = time.process_time()
                fn(p)
                times[name].append(time.process_time() - t0)
    whole = statistics.median(times["whole pipeline"])
    table = Table(title="1g. Detection of a cold 2 KB prompt, by layer (median ms, CPU time, in-process)")
    for col in ("step", "ms", "share of the pipeline"):
        table.add_column(col, justify="left" if col == "step" else "right")
    for name, secs in times.items():
        med = statistics.median(secs)
        table.add_row(name, f"{1000 * med:.2f}", f"{100 * med / whole:.0f}%")
    console.print(table)


def identity(console: Console, backend: SpacyBackend, nlp: Any) -> int:
    """Texts of every dataset whose spans differ between the backend and plain spaCy, or between
    the backend's numpy decode and spaCy's own decode loop."""
    paths = [
        *sorted((ROOT.parent / "shared" / "datasets").glob("*.json*")),
        ROOT / "tests/data/realistic.jsonl",
        *[p for p in sorted((ROOT / "tests/data/corpus").glob("*.jsonl")) if p.name != "test.jsonl"],
    ]
    loop = SpacyBackend(decode="spacy")
    table = Table(title="1e. NER spans: backend (numpy decode) vs plain spaCy and vs spaCy's decode loop")
    cols = ("dataset", "texts", "chars", "spans", "texts differ vs plain", "vs loop: texts", "vs loop: spans")
    for col in cols:
        table.add_column(col, justify="left" if col == "dataset" else "right")
    bad = 0
    for path in paths:
        texts = [r.text for r in load_dataset(path)]
        fast = fast_spans(backend, texts)
        plain = [plain_spans(nlp, t) for t in texts]
        looped = fast_spans(loop, texts)
        differ = sum(1 for a, b in zip(fast, plain, strict=True) if a != b)
        vs_loop = sum(1 for a, b in zip(fast, looped, strict=True) if a != b)
        spans_off = sum(len(set(a) ^ set(b)) for a, b in zip(fast, looped, strict=True))
        bad += differ + vs_loop
        table.add_row(
            path.name,
            str(len(texts)),
            f"{sum(map(len, texts)):,}",
            str(sum(map(len, plain))),
            str(differ),
            str(vs_loop),
            str(spans_off),
        )
    console.print(table)
    console.print(
        "NER backend: spans identical on every dataset (numpy decode = spaCy's loop = plain spaCy)"
        if not bad
        else f"NER backend CHANGES {bad}"
    )
    return bad


def rss_child(zone: bool, rounds: int) -> None:
    """Fresh text through the backend in rounds; prints the RSS (MB) after each round."""
    import contextlib
    import random

    backend = SpacyBackend()
    if not zone:
        type(backend.nlp).memory_zone = lambda self, mem=None: contextlib.nullcontext()
    r = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"

    def word() -> str:
        return r.choice(letters).upper() + "".join(r.choice(letters) for _ in range(r.randint(4, 9)))

    def text() -> str:  # ~0.5 KB of prose with unseen names, places and tokens, as in the soak
        return " ".join(
            f"{word()} {word()} met {word()} at {word()} Labs in {word()}, ref {word().lower()}{r.randint(0, 99999)}."
            for _ in range(8)
        )

    backend.predict([text() for _ in range(50)])
    sizes = []
    for _ in range(rounds):
        backend.predict([text() for _ in range(400)])  # ~200 KB, ~25K unseen tokens
        with open("/proc/self/statm") as f:
            sizes.append(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20)
    print(" ".join(f"{s:.1f}" for s in sizes))


def rss(console: Console, rounds: int = 8) -> None:
    table = Table(title=f"1f. RSS of a process running the backend on fresh text ({rounds} x 200 KB, MB)")
    for col in ("variant", "after each round", "growth after round 1"):
        table.add_column(col, justify="left" if col == "variant" else "right")
    for zone in (True, False):
        out = subprocess.run(
            [sys.executable, __file__, "--rss-child", "zone" if zone else "nozone", "--rounds", str(rounds)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        sizes = [float(x) for x in out]
        name = "memory zone per pass (default)" if zone else "without memory zones (before)"
        table.add_row(name, " ".join(out), f"{sizes[-1] - sizes[0]:+.1f}")
    console.print(table)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-identity", action="store_true")
    ap.add_argument("--no-rss", action="store_true")
    ap.add_argument("--rss-child", choices=["zone", "nozone"])
    args = ap.parse_args()
    one_core()
    if args.rss_child:
        rss_child(args.rss_child == "zone", args.rounds)
        return
    console = Console(width=150)
    backend = SpacyBackend()
    nlp = plain_nlp()
    throughput(console, backend, nlp, args.rounds)
    profile(console, args.rounds)
    if not args.no_rss:
        rss(console)
    if not args.no_identity and identity(console, backend, nlp):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
