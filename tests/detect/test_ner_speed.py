"""The spaCy backend's speed-ups change no span (issue 17): its spans on every text of the corpus's
dev split (all 13 genres) equal stored expectations computed with plain spaCy, one `nlp(piece)` per
piece on a freshly loaded model with its stock ops (blis), nothing batched, no memory zone
(`benchmarks/bench_ner.py: plain_spans`, which also compares the two on every dataset).

Regenerate the expectations (only when the model, the chunking or `trim_entity` change on purpose):

    PYTHONPATH=. .venv/bin/python tests/detect/test_ner_speed.py
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "data" / "corpus" / "dev.jsonl"
EXPECTED = ROOT / "tests" / "data" / "ner_spans_dev.json"


def dev_texts() -> dict[str, str]:
    records = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    # the recorded spans cover the balanced split (numbers < 100); later dev-only texts are not in them
    return {r["id"]: r["text"] for r in records if int(r["id"].rsplit("-", 1)[1]) < 100}


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def backend() -> Any:
    from maskgate.detect.ner.spacy_backend import SpacyBackend

    return SpacyBackend()


def test_expectations_cover_the_dev_split() -> None:
    texts = dev_texts()
    stored = expected()
    assert set(stored["texts"]) == set(texts)
    assert all(stored["texts"][k]["digest"] == digest(t) for k, t in texts.items()), "dev.jsonl changed"
    assert sum(len(v["spans"]) for v in stored["texts"].values()) > 300  # names, orgs, places found


def test_batched_spans_equal_plain_spacy(backend: Any) -> None:
    """All texts in one `predict` call (one `nlp.pipe` pass, batches mixing genres and lengths)."""
    texts = dev_texts()
    stored = expected()["texts"]
    found = backend.predict(list(texts.values()))
    for (key, _), spans in zip(texts.items(), found, strict=True):
        assert [[s.start, s.end, s.label] for s in spans] == stored[key]["spans"], key


def test_spans_do_not_depend_on_batch_neighbours(backend: Any) -> None:
    """The pool batches texts of unrelated requests together: a text's spans must be the same alone,
    in a small batch, and after a long text (other matrix shapes in the model's matrix products)."""
    texts = dev_texts()
    stored = expected()["texts"]
    keys = [k for k in texts if stored[k]["spans"]][::9]
    long_text = max(texts.values(), key=len)
    for key in keys:
        assert [[s.start, s.end, s.label] for s in backend.predict([texts[key]])[0]] == stored[key]["spans"]
    found = backend.predict([long_text] + [texts[k] for k in keys])[1:]
    for key, spans in zip(keys, found, strict=True):
        assert [[s.start, s.end, s.label] for s in spans] == stored[key]["spans"], key


def test_fresh_words_leave_no_trace_in_the_vocabulary(backend: Any) -> None:
    """Each pass runs in a spaCy memory zone: the words and strings of analysed texts are not kept,
    so a long-running worker's memory does not grow with the traffic it has seen."""
    vocab = backend.nlp.vocab
    backend.predict(["Warm-up: Dr. Quentin Abernathy wrote from Ulaanbaatar."])
    before = (len(vocab.strings), sum(1 for _ in vocab))  # len(vocab) is a counter that never drops
    fresh = [
        f"Zyx{i}qua met Dr. Vorblik{i} Quandrel at Pemberton{i} Labs in Ostravia{i}." for i in range(200)
    ]
    found = backend.predict(fresh)
    assert any(spans for spans in found)  # the model did run on them
    assert (len(vocab.strings), sum(1 for _ in vocab)) == before
    assert "Vorblik7" not in vocab.strings
    assert "Vorblik7" not in vocab


def main() -> None:
    """Write EXPECTED from plain spaCy (a fresh model, never the backend's patched one)."""
    from benchmarks.bench_ner import plain_nlp, plain_spans

    nlp = plain_nlp()
    texts = dev_texts()
    out = {
        "model": f"{nlp.meta['name']}-{nlp.meta['version']}",
        "texts": {
            k: {"digest": digest(t), "spans": [list(s) for s in plain_spans(nlp, t)]}
            for k, t in texts.items()
        },
    }
    lines = [f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(out["texts"].items())]
    body = ",\n".join(lines)
    EXPECTED.write_text(
        f'{{"model": {json.dumps(out["model"])}, "texts": {{\n{body}\n}}}}\n', encoding="utf-8"
    )
    print(f"wrote {EXPECTED} ({sum(len(v['spans']) for v in out['texts'].values())} spans)", file=sys.stderr)


if __name__ == "__main__":
    main()
