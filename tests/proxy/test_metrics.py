"""`/metrics`: Prometheus text with requests, entities, timings and cache counts, never a raw value."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from benchmarks.fake_upstream import FakeUpstream
from prometheus_client.parser import text_string_to_metric_families

from maskgate.config import ProviderConfig, Settings
from maskgate.detect.factory import build_pipeline
from maskgate.masking import Masker
from maskgate.server.app import create_app
from maskgate.server.metrics import path_label
from maskgate.vault import MemoryStore
from proxy_fixtures import Served

EMAIL = "dana.whitfield@example.com"
CARD = "4111 1111 1111 1111"


@pytest.fixture(scope="module")
def proxy() -> Iterator[str]:
    upstream = Served(FakeUpstream())
    providers = {
        "anthropic": ProviderConfig(base_url=upstream.url, api="anthropic"),
        "openai": ProviderConfig(base_url=upstream.url, api="openai"),
    }
    settings = Settings(store="memory://", providers=providers)
    masker = Masker(build_pipeline(Settings(ner="none")), MemoryStore())
    served = Served(create_app(settings, masker))
    yield served.url
    served.stop()
    upstream.stop()


def samples(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"{url}/metrics").text
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(snap: dict, name: str, **labels: str) -> float:
    return snap.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_entities_timings_and_cache(proxy: str) -> None:
    before = samples(proxy)
    body = {
        "model": "claude-test",
        "max_tokens": 10,
        "system": "You help the billing team.",
        "messages": [{"role": "user", "content": f"Mail {EMAIL} about card {CARD}."}],
    }
    headers = {"x-api-key": "k-metrics"}
    for _ in range(2):
        r = httpx.post(f"{proxy}/anthropic/v1/messages", json=body, headers=headers)
        assert r.status_code == 200
    r = httpx.post(f"{proxy}/anthropic/v1/files/file-123/content", json={"a": 1}, headers=headers)
    assert r.status_code >= 400
    resp = httpx.get(f"{proxy}/metrics")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    after = samples(proxy)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"provider": "anthropic", "path": "v1/messages", "status": "200"}
    assert delta("maskgate_requests_total", **ok) == 2
    assert (
        sum(
            v - value(before, n, **dict(lb))
            for (n, lb), v in after.items()
            if n == "maskgate_requests_total" and dict(lb)["path"] == "other"
        )
        == 1
    )
    assert delta("maskgate_entities_masked_total", label="EMAIL") == 2
    assert delta("maskgate_entities_masked_total", label="CREDIT_CARD") == 2
    assert delta("maskgate_detection_seconds_count") == 2
    # the unknown path carries no text, so it is passed through: three upstream calls
    assert delta("maskgate_upstream_seconds_count", provider="anthropic") == 3
    # two text leaves per request: the first request analyses both, the second finds both cached
    assert delta("maskgate_analysis_cache_misses_total") == 2
    assert delta("maskgate_analysis_cache_hits_total") == 2
    assert EMAIL not in resp.text and "4111" not in resp.text and "k-metrics" not in resp.text


def test_path_label_is_bounded() -> None:
    assert path_label("v1/messages") == "v1/messages"
    assert path_label("v1/messages/count_tokens") == "v1/messages/count_tokens"
    assert path_label("openai/v1/chat/completions") == "v1/chat/completions"
    assert path_label("v1/files/file-abc/content") == "other"
    assert path_label("v1/messages/dana@example.com") == "other"
