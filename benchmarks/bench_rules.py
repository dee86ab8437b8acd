"""The rule layers (everything but the model): where their CPU time goes, and proof that a speed-up
kept every span.

    .venv/bin/python benchmarks/bench_rules.py profile [--rounds 3] [--mb 1] [--cprofile N]
    .venv/bin/python benchmarks/bench_rules.py digest [--save FILE | --check FILE] [--no-ner]

`profile` prints the CPU time (time.process_time: the machine is shared) of each layer alone and of
the resolution steps, on cold 2 KB prompts, the corpus dev split, realistic.jsonl, the agents' first
requests and one 1 MB mixed text; `--cprofile N` adds the N most expensive functions per text set.

`digest` computes the spans (start, end, label, score) of the default pipeline over every dataset
that may be read (the corpus dev split, realistic, the Spanish dev set, the agents' requests and
the public sets in ../shared/datasets, which are only hashed), twice: with the model layer off, and
with the model's raw predictions fixed (computed once, kept in .cache/, so only the rule layers and
the model spans' refinement can change). It prints one digest per dataset, never a text or a span;
`--save` writes them, `--check` compares with a saved run and exits 1 when any digest moved.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pickle
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_serve import prompt_2kb  # noqa: E402
from benchmarks.corpus import corpus  # noqa: E402
from maskgate.config import Settings  # noqa: E402
from maskgate.detect.factory import build_pipeline  # noqa: E402
from maskgate.detect.jsonview import json_view  # noqa: E402
from maskgate.detect.patterns.phones import clear_caches  # noqa: E402
from maskgate.detect.pipeline import Pipeline  # noqa: E402
from maskgate.detect.spans import Span  # noqa: E402
from maskgate.evaluation.datasets import load_dataset  # noqa: E402

NER_CACHE = ROOT / ".cache" / "bench_rules_ner.pkl"
AGENTS = ROOT / "tests" / "data" / "agent_prompts"


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def agent_texts() -> list[str]:
    """Each agent request's strings one by one, and the whole body as the JSON view reads it."""
    texts: list[str] = []
    for path in sorted(AGENTS.glob("*.json")):
        if path.name.endswith(".headers.json"):
            continue
        raw = path.read_text(encoding="utf-8")
        texts += list(_strings(json.loads(raw)))
        view = json_view(raw)
        texts.append(view.text if view is not None else raw)
    return texts


def datasets(public: bool = True) -> dict[str, list[str]]:
    """Every text set the rule work may be checked on (never the corpus test split nor the holdout)."""
    sets = {
        "corpus/dev.jsonl": [r.text for r in load_dataset(ROOT / "tests/data/corpus/dev.jsonl")],
        "realistic.jsonl": [r.text for r in load_dataset(ROOT / "tests/data/realistic.jsonl")],
        "es/dev.jsonl": [r.text for r in load_dataset(ROOT / "tests/data/es/dev.jsonl")],
        "agent_prompts": agent_texts(),
    }
    if public:
        for path in sorted((ROOT.parent / "shared" / "datasets").glob("*.json*")):
            sets[path.name] = [r.text for r in load_dataset(path)]
    return sets


class FixedBackend:
    """The spaCy backend's raw predictions, computed once per text and then read from a file."""

    def __init__(self, inner: Any, cache: dict[str, list[tuple[int, int, str, float]]]) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache = cache
        self.misses = 0

    def fingerprint(self) -> str:
        return str(self.inner.fingerprint())

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        todo = [i for i, k in enumerate(keys) if k not in self.cache]
        if todo:
            self.misses += len(todo)
            for i, spans in zip(todo, self.inner.predict([texts[i] for i in todo]), strict=True):
                self.cache[keys[i]] = [(s.start, s.end, s.label, s.score) for s in spans]
        return [[Span(a, b, label, score, self.name) for a, b, label, score in self.cache[k]] for k in keys]


def fixed_ner_pipeline() -> tuple[Pipeline, FixedBackend]:
    pipeline = build_pipeline(Settings())
    ner = pipeline.layers[-1]
    assert ner.name.startswith("ner:"), ner.name
    cache: dict[str, list[tuple[int, int, str, float]]] = {}
    if NER_CACHE.exists():
        cache = pickle.loads(NER_CACHE.read_bytes())
    fixed = FixedBackend(ner.backend, cache)  # type: ignore[attr-defined]
    ner.backend = fixed  # type: ignore[attr-defined]
    return pipeline, fixed


def digest_of(spans: list[list[Span]]) -> str:
    h = hashlib.sha256()
    for one in spans:
        h.update(repr([(s.start, s.end, s.label, s.score) for s in one]).encode())
        h.update(b"\x1e")
    return h.hexdigest()[:16]


def digest(args: argparse.Namespace) -> int:
    sets = datasets()
    pipelines: dict[str, Pipeline] = {"rules": build_pipeline(Settings(ner="none"))}
    fixed: FixedBackend | None = None
    if not args.no_ner:
        pipelines["fixed NER"], fixed = fixed_ner_pipeline()
    result: dict[str, dict[str, Any]] = {}
    t0 = time.process_time()
    for name, texts in sets.items():
        for kind, pipeline in pipelines.items():
            spans = [pipeline.analyze(t) for t in texts]
            result[f"{name} [{kind}]"] = {
                "texts": len(texts),
                "spans": sum(map(len, spans)),
                "digest": digest_of(spans),
                "per_text": [digest_of([s]) for s in spans],
            }
    cpu = time.process_time() - t0
    if fixed is not None and fixed.misses:
        NER_CACHE.parent.mkdir(exist_ok=True)
        NER_CACHE.write_bytes(pickle.dumps(fixed.cache))
    saved: dict[str, dict[str, Any]] = {}
    if args.check:
        saved = json.loads(Path(args.check).read_text())
    moved = 0
    print(f"{'dataset [pipeline]':<44} {'texts':>6} {'spans':>7}  digest            vs saved")
    for key, row in result.items():
        note = ""
        if args.check:
            old = saved.get(key)
            if old is None:
                note = "not in saved run"
            elif old["digest"] == row["digest"]:
                note = "same"
            else:
                differ = sum(1 for a, b in zip(old["per_text"], row["per_text"], strict=False) if a != b)
                note = f"MOVED: {differ} texts differ (spans {old['spans']} -> {row['spans']})"
                moved += 1
        print(f"{key:<44} {row['texts']:>6} {row['spans']:>7}  {row['digest']}  {note}")
    total = hashlib.sha256("".join(r["digest"] for r in result.values()).encode()).hexdigest()[:16]
    print(f"all: {total}   ({cpu:.1f} CPU s; model predictions computed now: {fixed.misses if fixed else 0})")
    if args.save:
        Path(args.save).write_text(json.dumps(result))
    if args.check:
        print("spans identical on every dataset" if not moved else f"SPANS MOVED in {moved} sets")
    return 1 if moved else 0


def cpu(fn: Callable[[Sequence[str]], object], texts: Sequence[str]) -> float:
    """CPU seconds of fn(texts); the settle step reports its own (its layers run first, untimed)."""
    clear_caches()
    t0 = time.process_time()
    fn(texts)
    secs = time.process_time() - t0
    return float(getattr(fn, "cpu", secs))


def steps_of(pipeline: Pipeline) -> dict[str, Callable[[Sequence[str]], object]]:
    steps: dict[str, Callable[[Sequence[str]], object]] = {}
    for layer in pipeline.layers:
        many = getattr(layer, "detect_many", None)
        steps[layer.name] = many if many else (lambda ts, layer=layer: [layer.detect(t) for t in ts])

    def settle(ts: Sequence[str]) -> None:
        raw = [[s for layer in pipeline.layers for s in layer.detect(t)] for t in ts]
        t0 = time.process_time()
        for t, spans in zip(ts, raw, strict=True):
            pipeline.settle(t, spans)
        settle.cpu = time.process_time() - t0  # type: ignore[attr-defined]

    steps["settle (resolve + repeats)"] = settle
    steps["whole (no NER)"] = pipeline.analyze_many
    return steps


def profile(args: argparse.Namespace) -> None:
    pipeline = build_pipeline(Settings(ner="none"))
    prompts = [prompt_2kb(2000 + i) for i in range(30)]
    sets: dict[str, list[str]] = {"2 KB prompts (30, each alone)": prompts}
    sets.update({k: v for k, v in datasets(public=False).items() if k != "es/dev.jsonl"})
    if args.mb > 0:
        sets[f"{args.mb:g} MB mixed text"] = ["\n".join(corpus(int(args.mb * 1_000_000)))]
    if args.only:
        sets = {k: v for k, v in sets.items() if any(w in k for w in args.only.split(","))}
    pipeline.analyze_many(prompts[:2])  # imports, vocabularies
    steps = steps_of(pipeline)
    for name, texts in sets.items():
        chars = sum(map(len, texts))
        per: dict[str, list[float]] = {k: [] for k in steps}
        rounds = 1 if chars > 500_000 else args.rounds
        for _ in range(rounds):
            for step, fn in steps.items():
                if name.startswith("2 KB"):
                    per[step].append(statistics.median(cpu(fn, [t]) for t in texts))
                else:
                    per[step].append(cpu(fn, texts))
        unit = "median ms per prompt" if name.startswith("2 KB") else "ms, best round"
        print(f"\n{name}: {len(texts)} texts, {chars:,} chars ({unit}, CPU)")
        whole = min(per["whole (no NER)"])
        size = chars / len(texts) if name.startswith("2 KB") else chars
        for step, secs in per.items():
            best = min(secs)
            print(
                f"  {step:<34} {1000 * best:>10.2f}  {100 * best / whole:>4.0f}%  {size / best:>12,.0f} chars/s"
            )
        if args.cprofile:
            prof = cProfile.Profile()
            clear_caches()
            prof.enable()
            if name.startswith("2 KB"):
                for t in texts:
                    pipeline.analyze(t)
            else:
                pipeline.analyze_many(texts)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(args.cprofile)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("profile")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--mb", type=float, default=1.0)
    p.add_argument("--cprofile", type=int, default=0)
    p.add_argument("--only", help="text sets whose names hold one of these words (comma-separated)")
    d = sub.add_parser("digest")
    d.add_argument("--save")
    d.add_argument("--check")
    d.add_argument("--no-ner", action="store_true")
    args = ap.parse_args()
    if args.cmd == "profile":
        profile(args)
    else:
        sys.exit(digest(args))


if __name__ == "__main__":
    main()
