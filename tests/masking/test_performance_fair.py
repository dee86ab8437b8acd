"""Fair detection (issue 12 item 5): long texts are analysed in slices with exactly the spans of the
unsliced analysis, a small request goes ahead of a big one's remaining slices (through a real server),
texts of concurrent requests share a model pass, and a request over its detection budget is refused
with nothing forwarded."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from benchmarks.fake_upstream import FakeUpstream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detect import test_false_positives  # tests/detect (a namespace package on the pythonpath)
from maskgate.config import ProviderConfig, Settings
from maskgate.detect import pool
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.pool import (
    DetectionBudgetExceeded,
    ProcessPipeline,
    _Job,
    _Ticket,
    analyze_sliced,
    plan_slices,
)
from maskgate.evaluation.datasets import load_dataset
from maskgate.masking import Masker
from maskgate.server.app import create_app
from maskgate.vault import MemoryStore
from proxy_fixtures import Served

ROOT = Path(__file__).resolve().parents[2]
DATASETS = sorted((ROOT.parent / "shared" / "datasets").glob("*.json*"))


def documents() -> list[str]:
    """Texts of every kind the project has: false-positive corpora, the realistic set, the datasets."""
    docs = [v for v in vars(test_false_positives).values() if isinstance(v, str) and len(v) > 200]
    docs += [r.text for r in load_dataset(ROOT / "tests" / "data" / "realistic.jsonl")]
    for path in DATASETS:
        docs += [r.text for r in load_dataset(path, limit=150)]
    return docs


DOCS = documents()


@pytest.fixture
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slices of ~1-2 NER chunks: many more boundaries per text than the defaults give."""
    monkeypatch.setattr(pool, "SLICE_CHARS", 9_000)
    monkeypatch.setattr(pool, "SLICE_MIN_CHARS", 12_000)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(range(len(DOCS))), min_size=30, max_size=60),
    st.sampled_from(["\n", " ", "\n\n"]),
)
def test_slices_give_the_spans_of_the_whole_text(
    small_slices: None, default_pipeline: Pipeline, picks: list[int], sep: str
) -> None:
    text = sep.join(DOCS[i] for i in picks)
    while len(text) < pool.SLICE_MIN_CHARS:
        text = text + sep + text
    assert len(plan_slices(text)) > 1
    assert analyze_sliced(default_pipeline, text) == default_pipeline.analyze(text)


def test_slices_give_the_spans_of_the_whole_text_on_every_document(
    small_slices: None, default_pipeline: Pipeline
) -> None:
    text = "\n".join(DOCS[::3])[:150_000]
    plan = plan_slices(text)
    assert len(plan) > 10
    assert all(a <= c < d <= b for a, b, c, d in plan)
    assert [p[2] for p in plan[1:]] == [p[3] for p in plan[:-1]]  # cores tile the text
    assert analyze_sliced(default_pipeline, text) == default_pipeline.analyze(text)


def test_short_texts_are_not_sliced() -> None:
    assert plan_slices("x" * 1000) == [(0, 1000, 0, 1000)]


def test_texts_of_several_requests_share_one_model_pass() -> None:
    p = ProcessPipeline.__new__(ProcessPipeline)  # the queue alone, no workers
    p._heap, p._cv, p._lock, p._closing = [], threading.Condition(), threading.Lock(), False
    import heapq
    import itertools

    seq = itertools.count()
    tickets = [_Ticket(pending=1) for _ in range(5)]
    for t in tickets:
        heapq.heappush(p._heap, (0, next(seq), _Job(t, 0, "analyze", ["mail dana@example.com"], 21)))
    big = _Ticket(pending=2)
    heapq.heappush(p._heap, (0, next(seq), _Job(big, 0, "analyze", ["x"], pool.BATCH_CHARS)))
    heapq.heappush(p._heap, (pool.BATCH_CHARS, next(seq), _Job(big, 1, "analyze", ["y"], 10)))
    batch = p._next_batch()
    assert batch is not None and len(batch) == 5
    assert [j.ticket for j in batch] == tickets  # the five small requests in one pass, in order
    assert p._next_batch()[0].ticket is big  # type: ignore[index]


@pytest.fixture
def rules_pool() -> Iterator[ProcessPipeline]:
    """A spaCy pool of one worker (a server closes its analyzer when it stops: one per test)."""
    p = ProcessPipeline(Settings(), 1, budget=120)  # the model is what slices
    yield p
    p.close()


BIG = "\n".join(DOCS)[:150_000]  # seconds of NER, in slices


def test_a_small_request_finishes_before_a_big_one_sent_earlier(rules_pool: ProcessPipeline) -> None:
    upstream_app = FakeUpstream()
    upstream = Served(upstream_app)
    settings_ = Settings(
        store="memory://", providers={"openai": ProviderConfig(base_url=upstream.url, api="openai")}
    )
    served = Served(create_app(settings_, Masker(rules_pool, MemoryStore())))  # type: ignore[arg-type]
    finished: list[str] = []

    def send(name: str, text: str) -> None:
        body = {"model": "m", "messages": [{"role": "user", "content": text}]}
        r = httpx.post(f"{served.url}/openai/v1/chat/completions", json=body, timeout=120)
        assert r.status_code == 200, r.text
        finished.append(name)

    try:
        assert len(plan_slices(BIG)) > 2
        passes = rules_pool.passes
        big = threading.Thread(target=send, args=("big", BIG))
        big.start()
        deadline = time.monotonic() + 60
        while rules_pool.passes == passes and time.monotonic() < deadline:  # its first slice is done
            time.sleep(0.005)
        send("small", "Call me back, dana@example.com")
        big.join(120)
        assert finished == ["small", "big"]
    finally:
        served.stop()
        upstream.stop()


def test_over_budget_is_a_503_nothing_forwarded_and_the_rest_dropped(rules_pool: ProcessPipeline) -> None:
    p = rules_pool
    p.budget = 0.3
    upstream_app = FakeUpstream()
    upstream_app.keep_bodies = True
    upstream = Served(upstream_app)
    providers = {"anthropic": ProviderConfig(base_url=upstream.url, api="anthropic")}
    app = create_app(
        Settings(store="memory://", providers=providers, fail_open=True), Masker(p, MemoryStore())
    )  # type: ignore[arg-type]
    served = Served(app)
    try:
        body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": BIG}]}
        passes = p.passes
        r = httpx.post(f"{served.url}/anthropic/v1/messages", json=body, timeout=120)
        assert r.status_code == 503
        err = r.json()
        assert err["type"] == "error" and "budget" in err["error"]["message"]
        assert upstream_app.bodies == []  # not even with fail_open
        total = len(plan_slices(BIG)) + 1  # slices and the finishing pass
        time.sleep(1.0)
        assert p.passes - passes < total  # the remaining slices were dropped, not analysed
        assert p._heap == []
        p.budget = 120  # the slice that was running still ends first
        ok = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi dana@example.com"}]}
        assert httpx.post(f"{served.url}/anthropic/v1/messages", json=ok, timeout=60).status_code == 200
    finally:
        served.stop()
        upstream.stop()
        p.budget = 120
    with pytest.raises(DetectionBudgetExceeded):
        raise DetectionBudgetExceeded("x")


def test_the_pool_gives_the_spans_of_the_pipeline(
    default_pipeline: Pipeline, rules_pool: ProcessPipeline
) -> None:
    texts = [BIG, "a@b.io", BIG[:70_000]]
    assert len(plan_slices(BIG)) > 1
    assert rules_pool.analyze_many(texts) == default_pipeline.analyze_many(texts)


pytestmark = pytest.mark.slow  # property tests over long texts and real servers
