"""The masking service on its own, with no HTTP server: what the proxy, the REST API and the CLI get.
Every failure is a MaskgateError carrying its HTTP status; nothing unmasked comes back unless the
operator chose fail_open and detection is what failed."""

from __future__ import annotations

import json
from collections.abc import Sequence

import anyio
import pytest

from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import Span
from maskgate.errors import BadRequest, DetectionError, MaskgateError, MaskingFailed, UnsupportedMedia
from maskgate.masking import Masker, MaskingService
from maskgate.providers import SYSTEM_NOTE, api_for
from maskgate.vault import MemoryStore

EMAIL = "ana.lopez@example.com"
TRIGGER = "crash the detector"
MESSAGES = api_for("anthropic", "v1/messages")


class Crashing:
    """A layer that fails on a trigger phrase (the pipeline turns that into a DetectionError)."""

    name = "crashing"

    def detect(self, text: str) -> list[Span]:
        if TRIGGER in text:
            raise RuntimeError("boom")
        return []

    def fingerprint(self) -> str:
        return "crashing:1"


class BrokenAnalyzer:
    """An Analyzer with a bug: what the service must still fail closed on."""

    processes = 0

    def fingerprint(self) -> str:
        return "broken"

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        raise KeyError("a bug")

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def masker(regex_pipeline: Pipeline) -> Masker:
    pipeline = Pipeline([*regex_pipeline.layers, Crashing()], regex_pipeline.resolve_config)
    return Masker(pipeline, MemoryStore())


def body(text: str) -> bytes:
    return json.dumps(
        {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": text}]}
    ).encode()


def mask(service: MaskingService, raw: bytes, api=MESSAGES, **kw) -> bytes:  # type: ignore[no-untyped-def]
    async def go() -> bytes:
        return await service.mask_body(raw, api, "s1", **kw)

    return anyio.run(go)


def test_a_body_is_masked_with_the_system_note_and_unmasked_back(masker: Masker) -> None:
    service = MaskingService(masker)
    sent = json.loads(mask(service, body(f"write to {EMAIL}")))
    assert sent["messages"][0]["content"] == "write to <EMAIL_1>"
    assert SYSTEM_NOTE in json.dumps(sent["system"])
    answer = json.dumps({"content": [{"type": "text", "text": "Sent to <EMAIL_1>."}]}).encode()
    back = service.unmask_json(answer, MESSAGES, service.unmasker("s1"))
    assert json.loads(back)["content"][0]["text"] == f"Sent to {EMAIL}."
    assert service.unmask_text("<EMAIL_1> and <EMAIL_9>", "s1") == f"{EMAIL} and <EMAIL_9>"
    assert service.unmask_json(answer, MESSAGES, service.unmasker("s1", enabled=False)) == answer


def test_bodies_it_cannot_read_are_refused_with_their_status(masker: Masker) -> None:
    service = MaskingService(masker)
    cases = [
        (dict(raw=body(EMAIL), content_encoding="gzip"), UnsupportedMedia, 415),
        (dict(raw=body(EMAIL), content_type="text/plain"), UnsupportedMedia, 415),
        (dict(raw=b"{not json"), BadRequest, 400),
        (dict(raw=b"[1, 2]"), BadRequest, 400),
        (dict(raw=body(EMAIL), api=None, where="openai/v1/unknown"), BadRequest, 400),
    ]
    for kw, kind, status in cases:
        with pytest.raises(kind) as err:
            mask(service, **kw)
        assert err.value.http_status == status and EMAIL not in str(err.value)
    assert "refusing" in str(err.value) and "openai/v1/unknown" in str(err.value)
    # an unknown endpoint whose body carries no text passes as it is
    assert mask(service, b'{"limit": 3}', api=None) == b'{"limit": 3}'


def test_a_detection_failure_fails_closed_unless_fail_open(masker: Masker) -> None:
    raw = body(f"{TRIGGER}: {EMAIL}")
    with pytest.raises(DetectionError, match="nothing was sent upstream") as err:
        mask(MaskingService(masker), raw)
    assert err.value.http_status == 503 and err.value.exit_code == 3
    assert mask(MaskingService(masker, fail_open=True), raw) == raw  # the operator's choice


def test_an_unexpected_failure_is_masking_failed_even_with_fail_open() -> None:
    service = MaskingService(Masker(BrokenAnalyzer(), MemoryStore()), fail_open=True)
    with pytest.raises(MaskingFailed, match=r"masking failed \(KeyError\); nothing was sent upstream"):
        mask(service, body(EMAIL))
    with pytest.raises(MaskgateError, match="query string"):
        anyio.run(service.mask_query, "metadata[owner]=Ana", "s1")


def test_only_free_text_filters_of_a_query_are_masked(masker: Masker) -> None:
    service = MaskingService(masker)
    query = f"limit=5&after=msg_{EMAIL}&metadata%5Bowner%5D={EMAIL}"
    out = anyio.run(service.mask_query, query, "q1")
    assert out == "limit=5&after=msg_ana.lopez%40example.com&metadata%5Bowner%5D=%3CEMAIL_1%3E"
    assert anyio.run(service.mask_query, "limit=5", "q1") == "limit=5"
