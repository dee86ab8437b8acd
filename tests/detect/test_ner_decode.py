"""The numpy NER decode (maskgate.detect.ner.decode) finds exactly the entities of spaCy's own
transition loop (issue 17): same docs, same batches, compared token for token, on the dev split,
the realistic set and texts written to reach the decode's edges (other scripts, whitespace runs, a
long line with no break, empty and one-token docs, sentence starts, every chunk size down to one
token per chunk, every score recomputed by blis)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]

Ents = list[list[tuple[int, int, str]]]


@pytest.fixture(scope="module")
def nlp() -> Any:
    from maskgate.detect.ner.spacy_backend import load_spacy

    return load_spacy()


def spacy_loop(nlp: Any, docs: list[Any]) -> Ents:
    ner = nlp.get_pipe("ner")
    ner.set_annotations(docs, ner.predict(docs))
    return [[(e.start, e.end, e.label_) for e in d.ents] for d in docs]


def batches(texts: list[str], size: int = 16) -> Iterator[list[str]]:
    for i in range(0, len(texts), size):
        yield texts[i : i + size]


def compare(nlp: Any, texts: list[str], **options: Any) -> tuple[int, int]:
    """(entities found by spaCy, docs whose entities differ), batch by batch."""
    from maskgate.detect.ner.decode import NerDecoder

    decoder = NerDecoder(nlp.get_pipe("ner"), **options)
    found = differ = 0
    with nlp.memory_zone():
        for batch in batches(texts):
            want = spacy_loop(nlp, [nlp.make_doc(t) for t in batch])
            got = decoder([nlp.make_doc(t) for t in batch])
            found += sum(map(len, want))
            differ += sum(a != b for a, b in zip(want, got, strict=True))
    return found, differ


def jsonl_texts(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"][:5000] for line in lines if line.strip()]


def edge_texts() -> list[str]:
    names = "Олег Петров встретил Анну Смирнову в Москве. 王小明和李华在北京见面。 محمد علي في القاهرة."
    prose = "Dr. Jane Okafor met Carlos Mendes of Banco Santander in New York on 3 May. "
    return [
        "",
        "Paris",
        "Smith",
        " ",
        "\n\n\n",
        names,
        "Greek: Νίκος Παπαδόπουλος, Αθήνα. " + names,
        "John   Smith \n\n   lives in \t\t London   ,  UK  \n" * 20,
        " ".join(["Maria Garcia and Peter Jones visited Acme Corp headquarters"] * 120),  # no break
        prose * 40,
        "\n".join(f"{i}. Contact: Michael O'Brien, Dublin; Siobhan Kelly, Cork" for i in range(60)),
        "New York New York New York Los Angeles San Francisco Washington D.C. " * 30,
    ]


def test_identical_on_the_dev_split_and_realistic_set(nlp: Any) -> None:
    texts = jsonl_texts(ROOT / "tests/data/corpus/dev.jsonl") + jsonl_texts(
        ROOT / "tests/data/realistic.jsonl"
    )
    found, differ = compare(nlp, texts)
    assert found > 1000
    assert differ == 0


def test_identical_on_one_long_doc(nlp: Any) -> None:
    """The dev split joined into one doc (~15k tokens, ~4000 chunks in lockstep)."""
    text = "\n".join(jsonl_texts(ROOT / "tests/data/corpus/dev.jsonl"))
    found, differ = compare(nlp, [text, "Alice Johnson", text[:9000]])
    assert found > 1000
    assert differ == 0


@pytest.mark.parametrize("chunk_tokens", [1, 2, 3, 7, 16, 40, 10**6])
def test_identical_at_every_chunk_size(nlp: Any, chunk_tokens: int) -> None:
    """Chunks of one token start everywhere, even inside entities: the splice must still be exact."""
    texts = edge_texts() + jsonl_texts(ROOT / "tests/data/realistic.jsonl")[:40]
    found, differ = compare(nlp, texts, chunk_tokens=chunk_tokens)
    assert found > 200
    assert differ == 0


def test_identical_with_every_score_from_blis(nlp: Any) -> None:
    """The fallback for near ties (blis, spaCy's own kernel) gives spaCy's entities on every row."""
    from maskgate.detect.ner.decode import NerDecoder

    texts = edge_texts() + jsonl_texts(ROOT / "tests/data/realistic.jsonl")[:30]
    found, differ = compare(nlp, texts, rounding=np.inf)
    assert found > 200
    assert differ == 0
    decoder = NerDecoder(nlp.get_pipe("ner"), rounding=np.inf)
    decoder([nlp.make_doc(t) for t in texts[:5]])
    assert decoder.blis_rows > 0  # the path really ran


def test_sentence_starts_and_empty_docs_in_a_batch(nlp: Any) -> None:
    """Entities never cross a sentence start (set by hand here: the pipeline has no sentencizer),
    and empty docs between others shift no offsets."""
    from spacy.tokens import Doc

    from maskgate.detect.ner.decode import NerDecoder

    words = ["Alice", "Johnson", "met", "Bob", "Stone", "in", "New", "York", "City", "on", "Monday"]

    def docs() -> list[Any]:
        out = []
        for cut in (None, 1, 3, 7, 8):
            starts: list[bool | int | None] = [i == 0 or i == cut for i in range(len(words))]
            out.append(Doc(nlp.vocab, words=words, sent_starts=starts))
            out.append(nlp.make_doc(""))
        return out

    want = spacy_loop(nlp, docs())
    assert want[0] and want[1] == []
    assert want[6] != want[0]  # the cut inside "New York City" changes spaCy's answer
    assert NerDecoder(nlp.get_pipe("ner"))(docs()) == want


def test_preset_entities_are_refused(nlp: Any) -> None:
    from spacy.tokens import Span

    from maskgate.detect.ner.decode import NerDecoder, UnsupportedModel

    doc = nlp.make_doc("Alice Johnson lives in Leeds")
    doc.ents = [Span(doc, 0, 2, label="PERSON")]
    with pytest.raises(UnsupportedModel):
        NerDecoder(nlp.get_pipe("ner"))([doc])


def test_backend_spans_equal_with_either_decode() -> None:
    from maskgate.detect.ner.spacy_backend import SpacyBackend

    texts = edge_texts() + jsonl_texts(ROOT / "tests/data/realistic.jsonl")
    fast, loop = SpacyBackend(decode="numpy"), SpacyBackend(decode="spacy")
    assert fast.decoder is not None and loop.decoder is None
    a, b = fast.predict(texts), loop.predict(texts)
    assert sum(map(len, b)) > 100
    assert a == b


def test_a_failing_decode_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any error in the decode is a DetectionError, never an empty answer."""
    from maskgate.detect.ner.spacy_backend import SpacyBackend
    from maskgate.detect.spans import DetectionError

    backend = SpacyBackend(decode="numpy")

    def broken(docs: Any) -> Any:
        raise FloatingPointError("non-finite NER scores")

    monkeypatch.setattr(backend, "decoder", broken)
    with pytest.raises(DetectionError):
        backend.predict(["Alice Johnson lives in Leeds."])
    with pytest.raises(ValueError):
        SpacyBackend(decode="beam")
