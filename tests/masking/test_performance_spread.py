"""One request spread over idle detection workers (issue 17 item 2): its model pass and its rule
layers run at once on two workers, then the spans are settled; the spans are those of the
in-process pipeline, a busy pool does not spread, idle workers share a request's texts, and a small
request still finishes before a big one sent earlier."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from detect import test_false_positives  # tests/detect (a namespace package on the pythonpath)
from maskgate.config import Settings
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.pool import ProcessPipeline, _Job, _Ticket, analyze_spread, plan_slices
from maskgate.evaluation.datasets import load_dataset

ROOT = Path(__file__).resolve().parents[2]
DATASETS = sorted((ROOT.parent / "shared" / "datasets").glob("*.json*"))

PROMPT = (
    "Hi team, Dr. Rosalind Porter (r.porter@example.com, +1 415 555 0134) moved to 12 Oak Street,"
    " Springfield, IL 62704. Ask Marcus Bell at Acme Freight about invoice 4471; his SSN is on file."
    " The build log says: ERROR worker-3 timed out after 30 s; retry with --max-wait 60.\n"
) * 8  # ~2 KB, a cold request's size


def spread_docs() -> list[str]:
    docs = [v for v in vars(test_false_positives).values() if isinstance(v, str) and len(v) > 200]
    docs += [r.text for r in load_dataset(ROOT / "tests" / "data" / "realistic.jsonl")]
    docs += [r.text for r in load_dataset(ROOT / "tests" / "data" / "corpus" / "dev.jsonl")][:60]
    for path in DATASETS:
        docs += [r.text for r in load_dataset(path, limit=40)]
    return docs


def test_spread_steps_give_the_spans_of_the_pipeline(default_pipeline: Pipeline) -> None:
    docs = spread_docs()
    assert len(docs) > 200
    differ = [
        i
        for i, doc in enumerate(docs)
        if analyze_spread(default_pipeline, doc) != default_pipeline.analyze(doc)
    ]
    assert differ == []


@pytest.fixture(scope="module")
def two_workers() -> Iterator[ProcessPipeline]:
    p = ProcessPipeline(Settings(), 2, budget=120)
    yield p
    p.close()


def wait_idle(p: ProcessPipeline, workers: int) -> None:
    deadline = time.monotonic() + 30
    while p._idle < workers and time.monotonic() < deadline:
        time.sleep(0.005)
    assert p._idle == workers


def test_an_idle_pool_spreads_one_text_over_two_workers(
    two_workers: ProcessPipeline, default_pipeline: Pipeline
) -> None:
    p = two_workers
    wait_idle(p, 2)
    passes = p.passes
    assert p.analyze_many([PROMPT]) == [default_pipeline.analyze(PROMPT)]
    assert p.passes - passes == 3  # the model and the rules at once, then the settling
    texts = [PROMPT, "mail dana@example.com", PROMPT[:700]]
    wait_idle(p, 2)
    assert p.analyze_many(texts) == default_pipeline.analyze_many(texts)


def test_a_small_request_finishes_before_a_big_one_sent_earlier(two_workers: ProcessPipeline) -> None:
    p = two_workers
    wait_idle(p, 2)
    big = "\n".join(spread_docs())[:110_000]
    assert len(plan_slices(big)) > 1
    finished: list[str] = []

    def send(name: str, text: str) -> None:
        p.analyze_many([text])
        finished.append(name)

    passes = p.passes
    worker = threading.Thread(target=send, args=("big", big))
    worker.start()
    deadline = time.monotonic() + 60
    while p.passes == passes and time.monotonic() < deadline:  # a slice is done: both workers busy
        time.sleep(0.005)
    assert not p._spread_now()  # a busy pool does not spread
    send("small", "Call me back, dana@example.com")
    worker.join(120)
    assert finished == ["small", "big"]


def test_idle_workers_share_the_texts_of_one_request() -> None:
    p = ProcessPipeline.__new__(ProcessPipeline)  # the queue alone, no workers
    p._heap, p._cv, p._lock, p._closing = [], threading.Condition(), threading.Lock(), False
    seq = itertools.count()
    ticket = _Ticket(pending=4)
    for i in range(4):
        heapq.heappush(p._heap, (100 * i, next(seq), _Job(ticket, i, "ner", [f"text {i}"], 100)))
    p._idle = 1  # another dispatcher waits for work: this one takes half
    first = p._next_batch()
    assert first is not None and [j.index for j in first] == [0, 1]
    p._idle = 0
    rest = p._next_batch()
    assert rest is not None and [j.index for j in rest] == [2, 3]


pytestmark = pytest.mark.slow  # real worker processes with the spaCy model
