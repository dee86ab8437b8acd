"""The labelled corpus of issue 11 (tests/data/corpus): built from its sources, labels known, split fixed."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from maskgate.evaluation.datasets import load_jsonl
from maskgate.evaluation.mapping import NATIVE

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return _build()


@pytest.fixture(scope="module")
def records(build: ModuleType) -> list[dict[str, object]]:
    return build.build_all()  # type: ignore[no-any-return]


def test_committed_splits_match_the_sources(build: ModuleType, records: list[dict[str, object]]) -> None:
    for split in build.SPLITS:
        committed = (CORPUS / f"{split}.jsonl").read_text(encoding="utf-8")
        assert build.render(records, split) == committed, "run tests/data/corpus/build.py"


def test_every_span_is_its_markup_value(build: ModuleType) -> None:
    """Span offsets point at exactly the value written inside [[LABEL:value]], in every source."""
    for path in sorted((CORPUS / "src").glob("*/*.txt")):
        source = path.read_text(encoding="utf-8")
        heads = list(build.HEADER.finditer(source))
        assert heads, path.name
        for h, nxt in zip(heads, [*heads[1:], None], strict=True):
            body = source[h.end() + 1 : nxt.start() if nxt else len(source)]
            marks = [(m.group(1), m.group(2)) for m in build.MARK.finditer(body)]
            text, spans = build.parse_record(body)
            assert [(s["label"], text[s["start"] : s["end"]]) for s in spans] == marks, path.name


def test_labels_are_known_and_spans_fit(records: list[dict[str, object]]) -> None:
    for split in ("dev", "test"):
        for rec in load_jsonl(CORPUS / f"{split}.jsonl"):
            for s in rec.spans:
                assert s.label in NATIVE, (rec.id, s.label)
                value = rec.text[s.start : s.end]
                assert value == value.strip() and value, (rec.id, value)
    labels = Counter(str(s["label"]) for r in records for s in r["spans"])  # type: ignore[attr-defined]
    assert labels["PERSON"] > 300 and labels["EMAIL"] > 50 and labels["PHONE"] > 50


def test_split_is_deterministic_disjoint_and_balanced(
    build: ModuleType, records: list[dict[str, object]]
) -> None:
    dev = [json.loads(x) for x in (CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    test = [json.loads(x) for x in (CORPUS / "test.jsonl").read_text(encoding="utf-8").splitlines()]
    dev_ids, test_ids = {r["id"] for r in dev}, {r["id"] for r in test}
    assert not dev_ids & test_ids
    assert dev_ids | test_ids == {r["id"] for r in records}
    assert len(dev_ids) == len(dev) and len(test_ids) == len(test)  # ids are unique
    # the split depends on the id only: recomputing it (and building again) changes nothing
    assert all(build.split_of(i) == "dev" for i in dev_ids)
    assert all(build.split_of(i) == "test" for i in test_ids)
    assert build.split_of("email-007") != build.split_of("email-006")  # pairs are split
    # the first 100 numbers of each genre are the balanced split; texts written later for tuning
    # (numbers 100 and up) go to dev only, so that test.jsonl never changes
    first = [r for r in records if int(str(r["id"]).rsplit("-", 1)[1]) < 100]
    assert all(build.split_of(str(r["id"])) == "dev" for r in records if r not in first)
    per_genre = Counter((r["genre"], build.split_of(r["id"])) for r in first)
    genres = {r["genre"] for r in records}
    assert len(genres) >= 12
    for g in genres:
        assert abs(per_genre[g, "dev"] - per_genre[g, "test"]) <= 1, g
        assert any(not r["spans"] for r in records if r["genre"] == g), f"{g}: no text without PII"


def test_a_text_filed_under_the_wrong_split_is_refused(build: ModuleType, tmp_path: Path) -> None:
    for split in build.SPLITS:
        (tmp_path / split).mkdir()
    wrong = "test" if build.split_of("g-000") == "dev" else "dev"
    (tmp_path / wrong / "g.txt").write_text("=== 000 nopii\nhello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="belongs in"):
        build.build_all(tmp_path)


def test_markup_errors_are_reported(build: ModuleType) -> None:
    with pytest.raises(ValueError, match="unbalanced"):
        build.parse_record("a [[PERSON:x]] b ]] c")
    with pytest.raises(ValueError, match="whitespace"):
        build.parse_record("a [[PERSON: x]]")
    with pytest.raises(ValueError, match="nopii"):
        build.build_genre("g", "=== 000 nopii\nhi [[PERSON:Ann]]\n")
    with pytest.raises(ValueError, match="nopii"):
        build.build_genre("g", "=== 000\nno names here\n")
