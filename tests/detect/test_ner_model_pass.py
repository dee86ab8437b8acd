"""The NER model pass in slices of tokens (ner/model_pass.py) gives the decode the same table as
spaCy's one pass over the batch: the same hidden vectors for any state, byte for byte where the
BLAS kernel allows (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "data" / "corpus" / "dev.jsonl"


@pytest.fixture(scope="module")
def nlp() -> Any:
    from maskgate.detect.ner.spacy_backend import load_spacy

    return load_spacy()


def dev_text() -> str:
    lines = DEV.read_text(encoding="utf-8").splitlines()
    return "\n".join(json.loads(line)["text"] for line in lines if line.strip())


@pytest.mark.parametrize("max_tokens", [4000, 700, 1])
def test_sliced_table_equals_one_pass(nlp: Any, max_tokens: int) -> None:
    from maskgate.detect.ner import model_pass
    from maskgate.detect.ner.base import chunks

    ner = nlp.get_pipe("ner")
    assert model_pass.sliced(ner.model)
    text = dev_text()
    pieces = [raw for _, raw in chunks(text, 5000)][:12]
    pieces += ["Short one: Ana Diaz.", "x", "Dr. Lee"]  # documents shorter than a product's 5 rows
    with nlp.memory_zone():
        docs = [nlp.make_doc(p) for p in pieces]
        whole = ner.model.predict(docs)
        sliced = model_pass.predict(ner.model, docs, max_tokens)
        assert isinstance(sliced, model_pass.StepModel)
        n = sum(len(d) for d in docs)
        ids = np.random.default_rng(3).integers(-1, n, size=(20000, 3)).astype(np.int32)
        ids[:n, 0] = np.arange(n)  # every token at least once, and the padding (-1)
        want, _ = whole.state2vec(ids, False)
        got, _ = sliced.state2vec(ids, False)
        assert sliced.vec2scores is whole.vec2scores
        whole.clear_memory()
        sliced.clear_memory()
    assert got.dtype == want.dtype == np.float32
    # byte-identical where the BLAS kernel's sums do not depend on the number of rows (AVX-512
    # OpenBLAS kernels); on OpenBLAS's Haswell kernel (AVX2-only CPUs) the last bits move with the
    # slice as they do with spaCy's own batch size, so float32 rounding there: the entities stay
    # identical (benchmarks/bench_ner.py table 1e, tests/detect/test_ner_unique_embed.py)
    assert np.array_equal(got, want) or np.allclose(got, want, rtol=1e-4, atol=1e-4)


def test_small_batch_is_spacys_own_pass(nlp: Any) -> None:
    from maskgate.detect.ner import model_pass

    with nlp.memory_zone():
        docs = [nlp.make_doc("Maria Lopez flew to Lisbon with Acme staff.")]
        step = model_pass.predict(nlp.get_pipe("ner").model, docs)
        assert not isinstance(step, model_pass.StepModel)
        step.clear_memory()
