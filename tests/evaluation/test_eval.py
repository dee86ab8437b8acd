"""maskgate eval: loaders, scoring math on hand-made cases, the --json contract, a quality guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maskgate.cli import app
from maskgate.config import Settings
from maskgate.evaluation.datasets import (
    DatasetError,
    GoldSpan,
    Record,
    load_dataset,
    load_jsonl,
    load_presidio,
)
from maskgate.evaluation.mapping import MAPPING_VERSION, PRESIDIO_DATASET, mapping_for
from maskgate.evaluation.runners import MaskgateRunner
from maskgate.evaluation.scoring import Prediction, score

ROOT = Path(__file__).resolve().parents[2]
REALISTIC = ROOT / "tests" / "data" / "realistic.jsonl"
PRESIDIO_SYNTH = ROOT.parent / "shared" / "datasets" / "presidio_synth_v2.json"
CORPUS_DEV = ROOT / "tests" / "data" / "corpus" / "dev.jsonl"


# -- loaders -------------------------------------------------------------------------------------
def test_load_presidio(tmp_path: Path) -> None:
    p = tmp_path / "d.json"
    p.write_text(
        json.dumps(
            [
                {
                    "full_text": "Call John at 5",
                    "spans": [
                        {
                            "entity_type": "PERSON",
                            "entity_value": "John",
                            "start_position": 5,
                            "end_position": 9,
                        }
                    ],
                    "template_id": 3,
                },
                {"full_text": "nothing here", "spans": []},
            ]
        )
    )
    recs = load_presidio(p)
    assert [r.text for r in recs] == ["Call John at 5", "nothing here"]
    assert recs[0].spans == (GoldSpan(5, 9, "PERSON"),)
    assert recs[1].spans == ()
    assert load_dataset(p, limit=1) == recs[:1]


def test_load_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text(
        '{"text": "mail a@b.co", "spans": [{"start": 5, "end": 11, "label": "EMAIL"}]}\n\n{"text": "x"}\n'
    )
    recs = load_jsonl(p)
    assert recs[0].spans == (GoldSpan(5, 11, "EMAIL"),)
    assert recs[1].spans == ()
    assert load_dataset(p)[0].text == "mail a@b.co"  # format from the extension


@pytest.mark.parametrize(
    "line",
    [
        '{"text": "abc", "spans": [{"start": 2, "end": 9, "label": "X"}]}',  # past the end
        '{"text": "abc", "spans": [{"start": 2, "end": 2, "label": "X"}]}',  # empty
        '{"spans": []}',  # no text
        "not json",
    ],
)
def test_load_jsonl_rejects_bad_records(tmp_path: Path, line: str) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text(line + "\n")
    with pytest.raises(DatasetError):
        load_jsonl(p)


def test_missing_dataset_is_an_error() -> None:
    with pytest.raises(DatasetError):
        load_dataset("/nonexistent/file.jsonl")


def test_realistic_jsonl_matches_its_source() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_realistic", ROOT / "tests" / "data" / "build_realistic.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    built = mod.render(mod.build((ROOT / "tests" / "data" / "realistic.txt").read_text(encoding="utf-8")))
    assert built == REALISTIC.read_text(encoding="utf-8"), "run tests/data/build_realistic.py"
    recs = load_jsonl(REALISTIC)
    assert 60 <= len(recs) <= 120
    assert all(r.text[s.start : s.end].strip() == r.text[s.start : s.end] for r in recs for s in r.spans)


# -- mapping ------------------------------------------------------------------------------------
def test_mapping_is_versioned_and_complete() -> None:
    assert MAPPING_VERSION
    for label in ("TITLE", "NRP", "AGE", "DATE_TIME"):
        assert PRESIDIO_DATASET[label].kind == "quasi"
    direct = {k for k, v in PRESIDIO_DATASET.items() if v.kind == "direct"}
    assert direct == {
        "PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "US_SSN",
        "IP_ADDRESS", "US_DRIVER_LICENSE",
    }  # fmt: skip
    rules = mapping_for({"PERSON", "STREET_ADDRESS", "SOMETHING_NEW"})
    assert rules["SOMETHING_NEW"].kind == "ignored"  # unknown labels are listed, never scored silently
    assert mapping_for({"PERSON", "EMAIL"})["EMAIL"].kind == "direct"  # maskgate's own labels


# -- scoring math ---------------------------------------------------------------------------------
TEXT = "Call John Smith now"  # John Smith = 5..15


def _one(preds: list[Prediction], gold: tuple[GoldSpan, ...] = (GoldSpan(5, 15, "PERSON"),)):  # type: ignore[no-untyped-def]
    return score([Record(TEXT, gold)], [preds])


def test_exact_match() -> None:
    rep = _one([Prediction(5, 15, "PERSON")])
    o = rep.overall
    assert (o["precision"], o["recall"], o["f1"]) == (1.0, 1.0, 1.0)
    assert o["exact"]["f1"] == 1.0
    assert o["leak_rate"] == 0.0 and o["overmask_rate"] == 0.0
    assert rep.labels["PERSON"]["precision"] == 1.0


def test_partial_match_counts_for_overlap_not_exact_and_leaks_the_rest() -> None:
    o = _one([Prediction(5, 9, "PERSON")]).overall  # "John" only
    assert o["precision"] == 1.0 and o["recall"] == 1.0
    assert o["exact"]["precision"] == 0.0 and o["exact"]["recall"] == 0.0
    assert o["pii_chars"] == 9  # letters of "John Smith", the space not counted
    assert o["leaked_chars"] == 5
    assert o["leak_rate"] == pytest.approx(5 / 9)


def test_wrong_label_still_hides_the_value_but_is_not_a_typed_hit() -> None:
    rep = _one([Prediction(5, 15, "ORG")])
    assert rep.overall["leak_rate"] == 0.0
    assert rep.overall["recall"] == 1.0  # label-agnostic overall
    assert rep.overall["typed"]["recall"] == 0.0
    assert rep.labels["PERSON"]["recall"] == 0.0 and rep.labels["PERSON"]["recall_any_label"] == 1.0


def test_false_positive_and_overmasking() -> None:
    o = _one([Prediction(5, 15, "PERSON"), Prediction(0, 4, "PERSON")]).overall
    assert o["precision"] == 0.5 and o["recall"] == 1.0
    assert o["non_pii_chars"] == len("Call") + len("now")  # whitespace is not counted
    assert o["overmasked_chars"] == 4
    assert o["overmask_rate"] == pytest.approx(4 / 7)
    assert o["f1"] == pytest.approx(2 * 0.5 / 1.5)


def test_miss() -> None:
    o = _one([]).overall
    assert o["recall"] == 0.0 and o["precision"] is None and o["leak_rate"] == 1.0


def test_quasi_identifiers_are_reported_separately() -> None:
    text = "Dr. Ann Lee"
    gold = (GoldSpan(0, 3, "TITLE"), GoldSpan(4, 11, "PERSON"))
    rep = score([Record(text, gold)], [[Prediction(0, 3, "PERSON"), Prediction(4, 11, "PERSON")]])
    assert rep.overall["precision"] == 1.0  # the prediction on the title is neither TP nor FP
    assert rep.overall["gold_spans"] == 1
    assert rep.quasi["TITLE"]["masked_share"] == 1.0
    assert rep.overall["non_pii_chars"] == 0  # title characters are not over-masking either
    # a DATE prediction is masked (counts for leak) but is not a scored positive
    rep2 = score([Record("born 1990", (GoldSpan(5, 9, "DATE_TIME"),))], [[Prediction(5, 9, "DATE")]])
    assert rep2.overall["predicted_spans"] == 0


def test_leak_rate_covers_only_direct_identifiers() -> None:
    text = "Lives in Paris"
    rep = score([Record(text, (GoldSpan(9, 14, "GPE"), GoldSpan(0, 5, "PERSON")))], [[]])
    assert rep.overall["pii_chars"] == 5  # "Lives" as PERSON; GPE is scored but not part of the leak rate
    assert rep.labels["GPE"]["leak_rate"] == 1.0


def test_per_genre_figures_score_each_genre_alone() -> None:
    recs = [
        Record("Call John Smith now", (GoldSpan(5, 15, "PERSON"),), "a", "email"),
        Record("mail ann@x.io today", (GoldSpan(5, 13, "EMAIL"),), "b", "logs"),
        Record("nothing here at all", (), "c", "logs"),
    ]
    preds = [[Prediction(5, 15, "PERSON")], [], [Prediction(0, 7, "PERSON")]]
    rep = score(recs, preds)
    assert set(rep.genres) == {"email", "logs"}
    email, logs = rep.genres["email"], rep.genres["logs"]
    assert email["records"] == 1 and email["leak_rate"] == 0.0 and email["recall"] == 1.0
    assert logs["records"] == 2 and logs["leak_rate"] == 1.0 and logs["recall"] == 0.0
    assert logs["precision"] == 0.0 and logs["overmask_rate"] > 0  # the false positive is in logs
    assert email["overmask_rate"] == 0.0 and email["precision"] == 1.0
    # the whole set's figures are unchanged by the grouping
    assert rep.overall["recall"] == 0.5 and rep.as_dict()["genres"] == rep.genres
    assert score([Record("x", ())], [[]]).genres == {}  # no genre field, no per-genre table


def test_load_jsonl_reads_genre_or_category(tmp_path: Path) -> None:
    p = tmp_path / "g.jsonl"
    p.write_text('{"text": "a", "genre": "logs"}\n{"text": "b", "category": "ticket"}\n{"text": "c"}\n')
    assert [r.genre for r in load_jsonl(p)] == ["logs", "ticket", ""]
    p.write_text('{"text": "a", "genre": 3}\n')
    with pytest.raises(DatasetError):
        load_jsonl(p)


def test_score_requires_one_prediction_list_per_record() -> None:
    with pytest.raises(ValueError):
        score([Record("a")], [])


# -- CLI contract -----------------------------------------------------------------------------------
def test_eval_json_has_stable_keys() -> None:
    result = CliRunner().invoke(app, ["eval", str(REALISTIC), "--json", "--limit", "12"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("leak_rate", "overmask_rate", "precision", "recall", "f1", "chars_per_s"):
        assert key in data["overall"]
    assert data["mapping_version"] == MAPPING_VERSION
    assert data["records"] == 12
    assert "PERSON" in data["labels"]
    for key in ("precision", "recall", "f1", "exact", "leak_rate", "kind", "gold"):
        assert key in data["labels"]["PERSON"]


def test_eval_reads_the_corpus_and_reports_genres() -> None:
    result = CliRunner().invoke(app, ["eval", str(CORPUS_DEV), "--json", "--limit", "40"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["records"] == 40 and data["genres"]
    for figures in data["genres"].values():
        for key in ("records", "leak_rate", "overmask_rate", "precision", "recall", "f1", "pii_chars"):
            assert key in figures
    assert sum(g["records"] for g in data["genres"].values()) == 40
    table = CliRunner().invoke(app, ["eval", str(CORPUS_DEV), "--limit", "40"])
    assert table.exit_code == 0 and "per genre" in table.output


def test_eval_genre_option_scores_only_those_genres() -> None:
    result = CliRunner().invoke(app, ["eval", str(CORPUS_DEV), "--json", "--genre", "social, logs"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["genres"]) == {"social", "logs"}
    assert data["records"] == sum(g["records"] for g in data["genres"].values()) >= 40
    bad = CliRunner().invoke(app, ["eval", str(CORPUS_DEV), "--genre", "poetry"])
    assert bad.exit_code == 2 and "unknown --genre poetry" in bad.output


def test_eval_rejects_bad_options(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["eval", str(REALISTIC), "--compare", "nope"]).exit_code == 2
    assert runner.invoke(app, ["eval", str(REALISTIC), "--format", "csv"]).exit_code == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{")
    res = runner.invoke(app, ["eval", str(bad)])
    assert res.exit_code == 2 and "invalid JSON" in res.output


# -- quality regression guard -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def runner() -> MaskgateRunner:
    return MaskgateRunner(Settings())


def test_quality_on_realistic_set(runner: MaskgateRunner) -> None:
    recs = load_jsonl(REALISTIC)
    preds, _ = runner.run([r.text for r in recs])
    o = score(recs, preds).overall
    # measured 2026-11-22 (105 texts): leak 0.6%, over-masking 2.0%, P 0.923, R 0.977
    assert o["leak_rate"] <= 0.015
    assert o["overmask_rate"] <= 0.03
    assert o["precision"] >= 0.90 and o["recall"] >= 0.95


def test_quality_guard_on_corpus_dev_split(runner: MaskgateRunner) -> None:
    """Issue 11's corpus, dev split (339 texts, ~8 s): detection changes must not raise over-masking
    past the issue's 5% or let the leak grow. Measured 2026-11-30 (main da2cc0b): leak 20.6%,
    over-masking 2.2%; with the name-side fixes of branch detect-names leak 16.2%, over-masking 2.0%
    (PERSON leak 6.4%); docs/quality.md has the per-genre figures. Tighten as detection improves."""
    recs = load_jsonl(CORPUS_DEV)
    preds, _ = runner.run([r.text for r in recs])
    o = score(recs, preds).overall
    assert o["overmask_rate"] <= 0.05
    assert o["leak_rate"] <= 0.18


@pytest.mark.skipif(not PRESIDIO_SYNTH.exists(), reason="shared/datasets not checked out beside the repo")
def test_quality_targets_on_presidio_synth(runner: MaskgateRunner) -> None:
    """The issue's targets on the whole file (1,500 texts, about 4 s): leak <= 5%, over-masking <= 3%,
    every structured label at recall >= 0.99, well above Presidio's published P 0.733 / R 0.646."""
    recs = load_presidio(PRESIDIO_SYNTH)
    preds, _ = runner.run([r.text for r in recs])
    rep = score(recs, preds)
    o = rep.overall
    # measured 2026-11-22: leak 1.92%, over-masking 1.76%, P 0.975, R 0.920; PERSON leak 2.9%,
    # STREET_ADDRESS leak 1.9%; recall 1.0 for phone, e-mail, IBAN, SSN, IP; card 0.993
    assert o["leak_rate"] <= 0.025
    assert o["overmask_rate"] <= 0.025
    assert o["precision"] >= 0.95 and o["recall"] >= 0.90
    for label in ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS"):
        assert rep.labels[label]["recall"] >= 0.99, label
    assert rep.labels["PERSON"]["leak_rate"] <= 0.04
    assert rep.labels["STREET_ADDRESS"]["leak_rate"] <= 0.03
    assert rep.labels["STREET_ADDRESS"]["recall_any_label"] >= 0.97


def test_compare_presidio_same_run() -> None:
    pytest.importorskip("presidio_analyzer")
    result = CliRunner().invoke(
        app, ["eval", str(REALISTIC), "--json", "--limit", "5", "--compare", "presidio"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    other = data["compare"]["presidio"]
    assert other["detector"] == "presidio" and other["records"] == 5
    for key in ("leak_rate", "overmask_rate", "precision", "recall", "f1", "chars_per_s"):
        assert key in other["overall"]


pytestmark = pytest.mark.slow  # whole datasets, Presidio
