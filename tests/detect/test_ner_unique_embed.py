"""The NER model's embedding block run once per distinct token (ner/unique_embed.py) gives the same
numbers as the stock model: token vectors and the precomputed lower layer, on every dev text, batched
as the backend batches them and one text at a time (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "data" / "corpus" / "dev.jsonl"


@pytest.fixture(scope="module")
def models() -> tuple[Any, Any]:
    import spacy

    from maskgate.detect.ner.spacy_backend import DEFAULT_MODEL, load_spacy, numpy_matmul

    fast = load_spacy()
    stock = spacy.load(DEFAULT_MODEL, enable=["ner"])
    numpy_matmul(stock)  # the same matrix products, only the embedding shortcut left out
    return fast, stock


def pieces() -> list[str]:
    from maskgate.detect.ner.base import chunks
    from maskgate.detect.ner.spacy_backend import prose_only

    texts = [
        json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    out = [p for t in texts for _, raw in chunks(t, 5000) if (p := prose_only(raw)) is not None]
    assert len(out) > 100
    return out


def outputs(nlp: Any, docs: list[Any], batch: int) -> list[tuple[np.ndarray, np.ndarray]]:
    model = nlp.get_pipe("ner").model
    tok2vec, lower = model.get_ref("tok2vec"), model.get_ref("lower")
    res = []
    for i in range(0, len(docs), batch):
        vectors = tok2vec.predict(docs[i : i + batch])
        res.append((vectors, lower.predict(vectors)))
    return res


def same_numbers(a: np.ndarray, b: np.ndarray) -> bool:
    """Byte-identical where the BLAS kernel's sums do not depend on the number of rows (AVX-512
    OpenBLAS kernels: every machine this was built on); where they do (OpenBLAS's Haswell kernel on
    AVX2-only CPUs), stock spaCy's own vectors move in the last bits with the batch, so the shortcut
    (fewer rows) is held to float32 rounding instead, and the entities to identity (below and
    `benchmarks/bench_ner.py` table 1e)."""
    return (
        a.shape == b.shape
        and a.dtype == b.dtype
        and (np.array_equal(a, b) or bool(np.allclose(a, b, rtol=1e-4, atol=1e-4)))
    )


def test_shortcut_is_installed(models: tuple[Any, Any]) -> None:
    from maskgate.detect.ner.unique_embed import embed_chain

    fast, stock = models
    assert embed_chain(fast.get_pipe("ner").model).attrs.get("unique_rows")
    assert not embed_chain(stock.get_pipe("ner").model).attrs.get("unique_rows")


@pytest.mark.parametrize("batch", [16, 1])
def test_vectors_are_byte_identical(models: tuple[Any, Any], batch: int) -> None:
    fast, stock = models
    texts = pieces()
    with fast.memory_zone():
        docs = [fast.make_doc(p) for p in texts]
        got = outputs(fast, docs, batch)
        want = outputs(stock, docs, batch)
    assert len(got) == len(want)
    for (v1, l1), (v2, l2) in zip(got, want, strict=True):
        assert v1.dtype == v2.dtype == np.float32
        assert same_numbers(v1, v2)
        assert same_numbers(l1, l2)


def test_training_call_uses_the_stock_chain(models: tuple[Any, Any]) -> None:
    """A training forward keeps its backprop (the shortcut is inference only)."""
    from maskgate.detect.ner.unique_embed import embed_chain

    fast, _ = models
    chain = embed_chain(fast.get_pipe("ner").model)
    with fast.memory_zone():
        docs = [fast.make_doc("Maria Lopez met Tom Baker in Leeds.")]
        out, backprop = chain(docs, is_train=True)
        grads = backprop([np.zeros_like(a) for a in out])
    assert grads is not None


def test_short_and_repetitive_texts(models: tuple[Any, Any]) -> None:
    """Texts around MIN_ROWS tokens, and long texts of a few distinct words (padded distinct rows)."""
    fast, stock = models
    words = [
        "Anna",
        "Kowalski",
        "from",
        "Leeds",
        "wrote",
        "to",
        "Bob",
        "at",
        "Acme",
        "Corp",
        "in",
        "Paris",
        ",",
    ]
    texts = [" ".join(words[: n % len(words) + 1] * (1 + n // len(words))) for n in range(1, 120, 3)]
    with fast.memory_zone():
        docs = [fast.make_doc(t) for t in texts]
        for doc in docs:
            got, want = outputs(fast, [doc], 1), outputs(stock, [doc], 1)
            assert same_numbers(got[0][0], want[0][0]), len(doc)
            assert same_numbers(got[0][1], want[0][1]), len(doc)


def test_entities_are_identical(models: tuple[Any, Any]) -> None:
    fast, stock = models
    texts = pieces()
    got = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in fast.pipe(texts, batch_size=16)]
    want = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in stock.pipe(texts, batch_size=16)]
    assert sum(map(len, want)) > 100
    assert got == want
