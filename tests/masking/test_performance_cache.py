"""Incremental masking through the proxy: a re-sent system prompt, message or tool result is not
analysed again (cache by content per text leaf), and what goes upstream is byte-identical."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import orjson
import pytest
from benchmarks.fake_upstream import FakeUpstream

from maskgate.config import ProviderConfig, Settings
from maskgate.detect.factory import build_pipeline
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import Span
from maskgate.masking import Masker
from maskgate.server.app import create_app
from maskgate.vault import MemoryStore
from proxy_fixtures import Served


class Recording:
    """A layer that finds nothing and remembers every text it was asked to analyse."""

    name = "recording"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def detect_many(self, texts: Sequence[str]) -> list[list[Span]]:
        self.seen.extend(texts)
        return [[] for _ in texts]

    def detect(self, text: str) -> list[Span]:
        return self.detect_many([text])[0]

    def fingerprint(self) -> str:
        return "recording:1"


@pytest.fixture(scope="module")
def setup() -> Iterator[tuple[str, FakeUpstream, Recording, Masker]]:
    upstream_app = FakeUpstream()
    upstream_app.keep_bodies = True
    upstream = Served(upstream_app)
    recording = Recording()
    base = build_pipeline(Settings(ner="none"))
    masker = Masker(
        Pipeline([*base.layers, recording], base.resolve_config, base.allow_finder), MemoryStore()
    )
    settings = Settings(
        store="memory://", providers={"anthropic": ProviderConfig(base_url=upstream.url, api="anthropic")}
    )
    served = Served(create_app(settings, masker))
    yield served.url, upstream_app, recording, masker
    served.stop()
    upstream.stop()


SYSTEM = "You are the billing agent. Escalations go to ops-lead@example.com."
LOG = "\n".join(
    f"2026-11-20T10:{i:02d}:00Z sshd: Accepted publickey for jsmith from 10.2.3.{i}" for i in range(30)
)


def turn(i: int) -> list[dict[str, Any]]:
    return [
        {
            "role": "user",
            "content": f"Turn {i}: card 4111 1111 1111 1111 was charged twice, mail dana{i}@example.com",
        },
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": f"Checking the logs ({i})."},
                {
                    "type": "tool_use",
                    "id": f"t{i}",
                    "name": "bash",
                    "input": {"cmd": f"tail /var/log/{i}.log"},
                },
            ],
        },
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": f"t{i}", "content": f"{LOG}\nrun {i}"}],
        },
    ]


def test_history_is_not_analysed_again_and_masks_identically(setup: Any) -> None:
    url, upstream, recording, masker = setup
    history: list[dict[str, Any]] = []
    sent: list[dict[str, Any]] = []
    analysed_per_turn: list[list[str]] = []
    for i in range(1, 6):
        history.extend(turn(i))
        recording.seen.clear()
        body = {"model": "m", "max_tokens": 10, "system": SYSTEM, "messages": history}
        r = httpx.post(f"{url}/anthropic/v1/messages", json=body, headers={"x-api-key": "k-incremental"})
        assert r.status_code == 200, r.text
        analysed_per_turn.append(list(recording.seen))
        sent.append(orjson.loads(upstream.bodies[-1]))
        history.append({"role": "assistant", "content": f"Done with {i}."})

    # turn 1 analyses everything it holds; every later turn only what it adds (never a text seen before)
    assert SYSTEM in analysed_per_turn[0] and LOG + "\nrun 1" in analysed_per_turn[0]
    seen = set(analysed_per_turn[0])
    for i, later in enumerate(analysed_per_turn[1:], start=2):
        assert not seen & set(later), "a re-sent text was analysed again"
        assert f"Done with {i - 1}." in later and LOG + f"\nrun {i}" in later
        assert len(later) <= 6  # the last reply and the five leaves of the new turn, at most
        seen |= set(later)

    # the masked history is byte-identical every time it is re-sent
    for prev, cur in itertools.pairwise(sent):
        n = len(prev["messages"])
        assert orjson.dumps(cur["messages"][:n]) == orjson.dumps(prev["messages"])
        assert orjson.dumps(cur["system"]) == orjson.dumps(prev["system"])
    flat = orjson.dumps(sent[-1]).decode()
    assert "4111" not in flat and "@example.com" not in flat and "jsmith" not in flat
    assert masker.cache.hits > 0


def test_cache_is_bounded_in_bytes() -> None:
    from maskgate.masking import AnalysisCache

    cache = AnalysisCache(max_bytes=10_000)
    for i in range(1_000):
        cache.put(AnalysisCache.key("fp", f"text {i}"), [Span(0, 4, "EMAIL")], 500)
    assert cache.size_bytes <= 10_000
    assert 0 < len(cache) < 1_000
    newest = AnalysisCache.key("fp", "text 999")
    oldest = AnalysisCache.key("fp", "text 0")
    assert cache.get_many([newest, oldest]) == [[Span(0, 4, "EMAIL")], None]
    assert (cache.hits, cache.misses) == (1, 1)


def test_memoised_masking_is_identical_and_skips_the_vault() -> None:
    import random

    from maskgate.masking import MaskedMemo

    class CountingStore(MemoryStore):
        calls = 0

        def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
            CountingStore.calls += 1
            return super().assign(session, items)

    pipeline = build_pipeline(Settings(ner="none"))
    memo_on = Masker(pipeline, CountingStore())
    memo_off = Masker(pipeline, MemoryStore())
    memo_off.memo = MaskedMemo(max_bytes=1)  # stores nothing
    r = random.Random(5)
    pool = [f"mail u{i}@example.com and card 4111 1111 1111 1111, ip 10.0.0.{i}" for i in range(12)]
    for _ in range(60):
        texts = r.sample(pool, r.randint(1, 5))
        session = r.choice(["a", "b"])
        got = memo_on.mask_many(texts, session)
        want = memo_off.mask_many(texts, session)
        assert [x.text for x in got] == [x.text for x in want]
        assert [x.entities for x in got] == [x.entities for x in want]
    texts = pool[:4]
    memo_on.mask_many(texts, "c")
    before = CountingStore.calls
    again = memo_on.mask_cached(texts, "c")
    assert again is not None and CountingStore.calls == before  # no vault call, no detection
    assert [x.text for x in again] == [x.text for x in memo_on.mask_many(texts, "c")]
    assert CountingStore.calls == before
    assert memo_on.mask_cached([*texts, "something new: v@example.com"], "c") is None
    assert memo_on.mask_cached(texts, "another-session") is None
