"""Overhead of the transformers NER backend around the model, per 1,000 characters (one core).

    .venv/bin/python benchmarks/bench_transformers_overhead.py [--chars 200000] [--repeat 3]

Needs `make install-transformers`. Builds a tiny random `openai_privacy_filter` model (2 layers,
4 experts, hidden size 64) and a byte-level BPE tokenizer trained on the benchmark corpus, in a
temporary directory, and loads it through the backend's real loading code. With a tiny model the
detection quality means nothing, and its forward time is a floor, not the real model's; what this
measures is what the backend adds around any model: tokenisation with offsets, windowing and
batching, and decoding (log-softmax, constrained Viterbi, offsets back to characters).

The real openai/privacy-filter (1.5B parameters, 50M active) is not available on this machine and
no GPU is lent here; shared/DESIGN-NOTES.md quotes a CPU fp32 latency of 214 ms for 95 tokens,
which the last column uses as the scale for the overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from benchmarks.corpus import corpus

REAL_MS_PER_TOKEN = 214 / 95  # openai/privacy-filter, CPU fp32 (shared/DESIGN-NOTES.md)


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def build_model(directory: Path, texts: list[str]) -> None:
    import torch
    import transformers
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    transformers.utils.logging.disable_progress_bar()
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=8000,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=["<|endoftext|>"],
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer)
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<|endoftext|>", eos_token="<|endoftext|>"
    )
    config = transformers.OpenAIPrivacyFilterConfig(
        vocab_size=len(fast),
        hidden_size=64,
        intermediate_size=64,
        num_hidden_layers=2,
        num_local_experts=4,
        num_experts_per_tok=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=32,
        pad_token_id=fast.pad_token_id,
        eos_token_id=fast.pad_token_id,
    )
    torch.manual_seed(0)
    transformers.OpenAIPrivacyFilterForTokenClassification(config).save_pretrained(directory)
    fast.save_pretrained(directory)


def best_of(repeat: int, fn: Callable[[], dict[str, float]]) -> dict[str, float]:
    runs = [fn() for _ in range(repeat)]
    return min(runs, key=lambda r: r["total"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    one_core()
    import torch

    torch.set_num_threads(1)
    from maskgate.detect.ner.transformers_backend import load_backend
    from maskgate.detect.ner.viterbi import BIAS_KEYS

    texts = corpus(args.chars)
    joined = "\n\n".join(texts)
    console = Console(width=150)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        build_model(Path(tmp) / "model", texts)
        built = time.perf_counter() - t0
        # The real privacy filter ships a viterbi_calibration.json: with biases the decoder runs its
        # full loop. Values here are small made-up ones; only their being non-zero matters.
        calibrated = Path(tmp) / "calibrated"
        shutil.copytree(Path(tmp) / "model", calibrated)
        biases = {k: 0.1 * (i - 2) for i, k in enumerate(BIAS_KEYS)}
        (calibrated / "viterbi_calibration.json").write_text(
            json.dumps({"operating_points": {"default": {"biases": biases}}})
        )
        t0 = time.perf_counter()
        plain = str(Path(tmp) / "model")
        sparse = {w: load_backend(str(calibrated), device="cpu", window=w, batch_size=8) for w in (512, 128)}
        uncalibrated = load_backend(plain, device="cpu", window=512, batch_size=8)
        dense = load_backend(str(calibrated), device="cpu", window=512, batch_size=8, overlap=127)
        loaded = time.perf_counter() - t0
        for b in (*sparse.values(), uncalibrated):
            # A random model tags tokens at random: bias it towards O, as real text mostly is.
            with torch.no_grad():
                b.model.score.bias[0] += 3.0  # type: ignore[attr-defined]
        console.print(
            f"tiny model built in {built:.1f} s, loaded x4 in {loaded:.1f} s; "
            f"corpus {len(joined):,} chars in {len(texts)} segments"
        )
        n_tokens = len(uncalibrated.tokenizer(joined, add_special_tokens=False)["input_ids"])
        console.print(f"{n_tokens:,} tokens: {1000 * n_tokens / len(joined):.0f} tokens per 1,000 chars")

        n = len(texts)
        cases: list[tuple[str, object, list[str]]] = [
            ("1 text of 1k chars", sparse[512], [joined[:1000]]),
            ("1 text of 10k chars", sparse[512], [joined[:10_000]]),
            (f"1 text of {len(joined) // 1000}k chars", sparse[512], [joined]),
            (f"{n} segments in one call", sparse[512], texts),
            (f"{n} segments, window 128", sparse[128], texts),
            (f"{n} segments, no calibration (argmax is legal)", uncalibrated, texts),
            (f"{n} segments, random tags (spans everywhere)", dense, texts),
        ]
        table = Table(
            title="Backend overhead around the model, ms per 1,000 chars (one core; window 512 unless said)"
        )
        for col in (
            "case",
            "spans",
            "tokenize",
            "window+batch",
            "decode",
            "overhead",
            "tiny fwd",
            "ovh/real fwd",
        ):
            table.add_column(col, justify="left" if col == "case" else "right")
        for name, backend, batch in cases:

            def run(backend: object = backend, batch: list[str] = batch) -> dict[str, float]:
                t = time.perf_counter()
                backend.predict(batch)  # type: ignore[attr-defined]
                total = time.perf_counter() - t
                return {**backend.timings, "total": total}  # type: ignore[attr-defined]

            run()  # warm-up
            r = best_of(args.repeat, run)
            chars = sum(len(x) for x in batch)
            tokens = sum(len(ids) for ids in backend.tokenizer(batch, add_special_tokens=False)["input_ids"])  # type: ignore[attr-defined]
            k = 1e6 / chars  # seconds per text -> ms per 1,000 chars
            overhead = r["tokenize"] + r["window"] + r["decode"]
            real = REAL_MS_PER_TOKEN * tokens * 1000 / chars
            spans = sum(len(x) for x in backend.predict(batch))  # type: ignore[attr-defined]
            table.add_row(
                name,
                f"{spans * 1000 / chars:.0f}",
                f"{r['tokenize'] * k:.2f}",
                f"{r['window'] * k:.2f}",
                f"{r['decode'] * k:.2f}",
                f"{overhead * k:.2f}",
                f"{r['forward'] * k:.2f}",
                f"{100 * overhead * k / real:.2f}% of {real:.0f}",
            )
        console.print(table)
        console.print(
            "spans: found per 1,000 chars; overhead = tokenize + window/batch + decode (log-softmax, Viterbi, offsets); tiny fwd = the "
            "2-layer model's forward; last column: overhead against the real model's CPU forward, "
            f"estimated at {REAL_MS_PER_TOKEN:.2f} ms per token"
        )


if __name__ == "__main__":
    main()
