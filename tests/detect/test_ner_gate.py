"""The NER gate (issue 17 item 3): texts it keeps from the model are texts the model finds nothing
in, so the spans with and without it are identical (checked here on a sample of every dataset and the
agent prompts; on all of them by benchmarks/bench_detect.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from maskgate.detect.factory import build_ner_layer
from maskgate.detect.ner import gate
from maskgate.detect.options import DetectOptions
from maskgate.evaluation.datasets import load_dataset

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT.parent / "shared" / "datasets").glob("*.json*")),
    ROOT / "tests" / "data" / "realistic.jsonl",
    *sorted((ROOT / "tests" / "data" / "corpus").glob("*.jsonl")),
]


def _strings(obj: object) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def sample() -> list[str]:
    texts: list[str] = []
    for path in SOURCES:
        if path.name == "test.jsonl":
            continue  # the corpus's held-out half is not read here
        texts += [r.text for r in load_dataset(path, limit=400)]
    for path in sorted((ROOT / "tests" / "data" / "agent_prompts").glob("*.json")):
        if not path.name.endswith(".headers.json"):
            texts += list(_strings(json.loads(path.read_text(encoding="utf-8"))))
    return texts


def test_the_model_finds_nothing_in_what_the_gate_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    ner = build_ner_layer(DetectOptions())
    assert ner is not None
    texts = sample()
    skipped = [t for t in texts if not gate.needs_model(t)]
    assert skipped  # the gate does skip something (agent tool descriptions, short prose)
    monkeypatch.setattr(gate, "enabled", False)
    assert ner.detect_many(skipped) == [[] for _ in skipped]


@pytest.mark.parametrize(
    "text",
    [
        "Compare losartan and valsartan for heart failure.",  # the model labels lower-case words
        "$ whoami && hostname && pwd",
        "Optional timeout in milliseconds (max 600000)",
        "Rose will call",
        "Ask McDonald",
        "Письмо от Ивана",
        "ask 王小明",
        "Contact IBM support",
    ],
)
def test_what_could_hold_an_entity_goes_to_the_model(text: str) -> None:
    assert gate.needs_model(text)


@pytest.mark.parametrize(
    "text",
    ["Returns the value of the field.", "ERROR: file not found, returning None", "x = 3 # TODO: false"],
)
def test_ordinary_words_and_code_do_not(text: str) -> None:
    assert not gate.needs_model(text)
