"""Detection never blocks the event loop: while one request is stuck in detection, other requests
(streamed ones included) are answered, and several requests are analysed at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from benchmarks.fake_upstream import FakeUpstream

from maskgate.config import ProviderConfig, Settings
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import Span
from maskgate.masking import Masker
from maskgate.server.app import create_app
from maskgate.vault import MemoryStore
from proxy_fixtures import Served

BLOCK = "please block detection"


class Gate:
    """A layer that parks any text containing BLOCK until released, counting who waits at once."""

    name = "gate"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.waiting = 0
        self.most_waiting = 0
        self.entered = threading.Semaphore(0)

    def detect(self, text: str) -> list[Span]:
        if BLOCK in text:
            with self.lock:
                self.waiting += 1
                self.most_waiting = max(self.most_waiting, self.waiting)
            self.entered.release()
            self.release.wait(30)
            with self.lock:
                self.waiting -= 1
        return []

    def detect_many(self, texts: Sequence[str]) -> list[list[Span]]:
        return [self.detect(t) for t in texts]

    def fingerprint(self) -> str:
        return "gate:1"


@pytest.fixture
def served() -> Iterator[tuple[str, Gate]]:
    upstream = Served(FakeUpstream())
    gate = Gate()
    settings = Settings(
        store="memory://",
        detect_threads=4,  # two slots stay free for the other requests
        providers={"anthropic": ProviderConfig(base_url=upstream.url, api="anthropic")},
    )
    proxy = Served(create_app(settings, Masker(Pipeline([gate]), MemoryStore())))
    yield proxy.url, gate
    gate.release.set()
    proxy.stop()
    upstream.stop()


def post(url: str, text: str, stream: bool = False) -> httpx.Response:
    body: dict[str, Any] = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": text}]}
    if stream:
        body["stream"] = True
    headers = {"x-api-key": "k", "x-bench-answer-bytes": "2048", "x-bench-chunk": "8"}
    return httpx.post(f"{url}/anthropic/v1/messages", json=body, headers=headers, timeout=30)


def test_other_requests_flow_while_detection_is_busy(served: tuple[str, Gate]) -> None:
    url, gate = served
    with ThreadPoolExecutor(4) as pool:
        stuck = [pool.submit(post, url, f"{BLOCK} {i}") for i in range(2)]
        for _ in range(2):  # both are inside detection, at the same time
            assert gate.entered.acquire(timeout=30)
        assert gate.most_waiting == 2  # several requests analysed in parallel
        # meanwhile: a streamed answer, a plain one and the health check all complete
        streamed = post(url, "a short question", stream=True)
        assert streamed.status_code == 200 and streamed.text.count("event: content_block_delta") == 256
        assert post(url, "another question").status_code == 200
        assert httpx.get(f"{url}/healthz").status_code == 200
        assert not any(f.done() for f in stuck)
        gate.release.set()
        assert all(f.result().status_code == 200 for f in stuck)


def test_a_cached_request_does_not_wait_for_a_detection_slot(served: tuple[str, Gate]) -> None:
    url, gate = served
    assert post(url, "a question asked before").status_code == 200  # now cached
    with ThreadPoolExecutor(8) as pool:
        stuck = [pool.submit(post, url, f"{BLOCK} {i}") for i in range(4)]
        for _ in range(4):  # every detection slot is taken
            assert gate.entered.acquire(timeout=30)
        waiting = pool.submit(post, url, "a new question")  # needs a slot: waits
        again = post(url, "a question asked before", stream=True)  # cached: answered at once
        assert again.status_code == 200 and again.text.count("event: content_block_delta") == 256
        assert not waiting.done() and not any(f.done() for f in stuck)
        gate.release.set()
        assert waiting.result().status_code == 200
        assert all(f.result().status_code == 200 for f in stuck)
