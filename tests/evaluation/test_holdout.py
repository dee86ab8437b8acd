"""The held-out detection set (tests/data/holdout): built from its sources, offsets exact, labels known.

Only the data's integrity is checked here. No detection quality is asserted on this set, on purpose:
it measures how detection generalises, so nobody tunes on it (tests/data/holdout/README.md).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from maskgate.evaluation.datasets import load_jsonl
from maskgate.evaluation.mapping import NATIVE

HOLDOUT = Path(__file__).resolve().parents[1] / "data" / "holdout"


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("holdout_build", HOLDOUT / "build.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return _build()


@pytest.fixture(scope="module")
def committed() -> list[dict[str, object]]:
    lines = (HOLDOUT / "holdout.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "", "the file ends with a newline"
    return [json.loads(line) for line in lines[:-1]]


def test_committed_file_matches_the_sources(build: ModuleType) -> None:
    committed = (HOLDOUT / "holdout.jsonl").read_text(encoding="utf-8")
    assert build.render(build.build_all()) == committed, "run tests/data/holdout/build.py"


def test_every_span_is_its_marked_value(build: ModuleType) -> None:
    """text[start:end] is exactly the value written inside [[LABEL:value]], label included."""
    checked = 0
    for path in sorted((HOLDOUT / "src").glob("*.txt")):
        for _num, _nopii, body in build.records_of(path.read_text(encoding="utf-8"), path.stem):
            marked = build.unescape(body)
            marks = [(m.group(1), m.group(2)) for m in build.MARK.finditer(marked)]
            text, spans = build.parse_record(marked)
            assert [(s["label"], text[s["start"] : s["end"]]) for s in spans] == marks, path.name
            checked += len(marks)
    assert checked > 0


def test_spans_fit_do_not_overlap_and_have_known_labels(committed: list[dict[str, object]]) -> None:
    for rec in committed:
        text = rec["text"]
        assert isinstance(text, str) and text.strip(), rec["id"]
        spans = sorted((s["start"], s["end"], s["label"]) for s in rec["spans"])  # type: ignore[attr-defined]
        prev_end = 0
        for start, end, label in spans:
            assert 0 <= start < end <= len(text), (rec["id"], start, end)
            assert start >= prev_end, (rec["id"], "overlapping spans", start)
            assert label in NATIVE, (rec["id"], label)
            value = text[start:end]
            assert value == value.strip() and value, (rec["id"], start)
            prev_end = end


def test_ids_unique_genres_set_and_the_evaluator_reads_every_record(
    committed: list[dict[str, object]],
) -> None:
    ids = [rec["id"] for rec in committed]
    assert len(ids) == len(set(ids))
    assert all(rec["genre"] and str(rec["id"]).startswith(f"ho-{rec['genre']}-") for rec in committed)
    loaded = load_jsonl(HOLDOUT / "holdout.jsonl")
    assert [r.id for r in loaded] == ids
    assert [len(r.spans) for r in loaded] == [len(rec["spans"]) for rec in committed]  # type: ignore[arg-type]
