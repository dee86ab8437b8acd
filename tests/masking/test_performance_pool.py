"""Detection in worker processes: the same spans as in-process, batches split across workers in
order, a dead worker fails the request closed and the pool comes back for the next one."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator

import pytest

from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline
from maskgate.detect.pool import ProcessPipeline, detect_processes, lean_imports, spare_cores
from maskgate.detect.spans import DetectionError
from maskgate.masking import Masker
from maskgate.vault import MemoryStore

TEXTS = [
    f"Ticket {i}: mail dana{i}@example.com, card 4111 1111 1111 1111, from 10.0.{i}.7. " * (3 + i % 5)
    for i in range(40)
]


@pytest.fixture(scope="module")
def pooled() -> Iterator[ProcessPipeline]:
    p = ProcessPipeline(Settings(ner="none"), 2)
    yield p
    p.close()


def test_same_spans_and_fingerprint_as_in_process(pooled: ProcessPipeline) -> None:
    local = build_pipeline(Settings(ner="none"))
    assert pooled.analyze_many(TEXTS) == local.analyze_many(TEXTS)
    assert pooled.fingerprint() == local.fingerprint()


def test_masker_over_the_pool_caches_in_the_serving_process(pooled: ProcessPipeline) -> None:
    masker = Masker(pooled, MemoryStore())  # type: ignore[arg-type]
    first = masker.mask_many(TEXTS[:5], "s")
    again = masker.mask_many(TEXTS[:5], "s")
    assert [r.text for r in first] == [r.text for r in again]
    assert masker.cache.hits == 5 and masker.cache.misses == 5


def test_a_worker_dying_mid_request_fails_closed_then_the_pool_recovers(pooled: ProcessPipeline) -> None:
    import threading
    import time

    big = [TEXTS[0] * 1500, TEXTS[1] * 1500]  # seconds of work, split over both workers
    outcome: list[BaseException | object] = []
    t = threading.Thread(target=lambda: outcome.append(_run(pooled, big)))
    t.start()
    time.sleep(0.5)
    killed = list(pooled._workers)
    for w in killed:
        os.kill(w.process.pid, signal.SIGKILL)
    for w in killed:  # SIGKILL is asynchronous: wait until both are really gone
        w.process.join(10)
    t.join(60)
    assert isinstance(outcome[0], DetectionError)  # no spans rather than partial ones
    assert pooled.analyze_many(["mail dana@example.com"])[0][0].label == "EMAIL"


def test_a_worker_that_died_while_idle_is_replaced_before_use(pooled: ProcessPipeline) -> None:
    # every worker dies while idle: whichever one a request is given, it is replaced before use
    # (which worker's thread takes a job is not fixed, so all of them die)
    victims = list(pooled._workers)
    for victim in victims:
        os.kill(victim.process.pid, signal.SIGKILL)
    for victim in victims:
        victim.process.join(10)
    for _ in range(3):
        assert pooled.analyze_many(["mail dana@example.com"])[0][0].label == "EMAIL"
    assert any(victim not in pooled._workers for victim in victims)


def _run(p: ProcessPipeline, texts: list[str]) -> BaseException | object:
    try:
        return p.analyze_many(texts)
    except BaseException as exc:
        return exc


def test_default_processes_per_backend() -> None:
    assert detect_processes(Settings()) == spare_cores() >= 1
    assert detect_processes(Settings(ner="none")) == 0
    assert detect_processes(Settings(detect_processes=3)) == 3
    assert detect_processes(Settings(detect_processes=0)) == 0


def test_lean_imports_hide_torch_only_while_loading() -> None:
    if "torch" in sys.modules:
        pytest.skip("torch already imported in this process")
    with lean_imports(Settings()), pytest.raises(ImportError):
        import torch  # noqa: F401
    assert "torch" not in sys.modules or sys.modules["torch"] is not None


def test_a_worker_that_cannot_start_is_a_one_line_startup_error() -> None:
    with pytest.raises(DetectionError, match="not installed"):
        ProcessPipeline(Settings(model="no_such_spacy_model_xyz"), 1)


def test_many_callers_share_the_workers(pooled: ProcessPipeline) -> None:
    from concurrent.futures import ThreadPoolExecutor

    local = build_pipeline(Settings(ner="none"))
    batches = [TEXTS[i : i + 7] for i in range(0, len(TEXTS), 3)]
    with ThreadPoolExecutor(8) as ex:
        got = list(ex.map(pooled.analyze_many, batches))
    assert got == [local.analyze_many(b) for b in batches]
    assert pooled._heap == []  # every job was taken


pytestmark = pytest.mark.slow  # detection worker processes
