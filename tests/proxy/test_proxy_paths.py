"""Path confusion (issue 12 item 2): the API rules are chosen from exactly the path that is forwarded;
an encoded `?`, `#`, `/`, `\\`, `.`, double encoding or a dot segment is refused with a 400 in the
provider's error format, and nothing is sent upstream."""

from __future__ import annotations

import copy
import http.client
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_upstream import EMAIL, FakeUpstream, new_key
from maskgate.providers import SYSTEM_NOTE, api_for

pytest_plugins = ("proxy_fixtures",)

BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "input": "hi"}


def send(proxy: str, path: str, body: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    """POST with the path bytes exactly as given (no client-side normalisation)."""
    where = urlsplit(proxy)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    try:
        data = json.dumps(body).encode()
        headers = {"content-type": "application/json", "authorization": f"Bearer {key}", "x-api-key": key}
        conn.request("POST", path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, json.loads(raw) if raw.startswith(b"{") else {}
    finally:
        conn.close()


@pytest.mark.parametrize(
    "path",
    [
        "/openai/v1/chat/completions%23/v1/embeddings",
        "/openai/v1/chat/completions%3F/v1/embeddings",
        "/openai/v1/responses%2Fresp_abc",
        "/openai/v1/chat%5Ccompletions",
        "/openai/v1/embeddings/../chat/completions",
        "/openai/v1/embeddings/%2e%2e/chat/completions",
        "/openai/v1/chat/completions%2523/v1/embeddings",
        "/openai/v1/./chat/completions",
    ],
)
def test_structural_escapes_are_refused(proxy, fake_upstream: FakeUpstream, path: str):
    key = new_key()
    body = {**BODY, "messages": [{"role": "user", "content": f"mail {EMAIL}"}]}
    status, err = send(proxy, path, body, key)
    assert status == 400 and err["error"]["type"] == "invalid_request_error", err
    assert fake_upstream.for_key(key) == []


def test_refusal_uses_the_providers_error_format(proxy, fake_upstream: FakeUpstream):
    key = new_key()
    status, err = send(proxy, "/anthropic/v1/messages%3Fbeta=true", BODY, key)
    assert status == 400 and err["type"] == "error" and err["error"]["type"] == "invalid_request_error"


def test_harmless_escapes_are_decoded_once(proxy, fake_upstream: FakeUpstream):
    """`%69` is `i`: routed and forwarded as `chat/completions`, with the chat rules (the system note)."""
    key = new_key()
    status, _ = send(proxy, "/openai/v1/chat/complet%69ons", copy.deepcopy(BODY), key)
    assert status == 200
    rec = fake_upstream.for_key(key)[-1]
    assert rec.path == "/v1/chat/completions" and rec.json()["messages"][0]["content"] == SYSTEM_NOTE


TARGETS = ["/openai/v1/chat/completions", "/openai/v1/responses", "/openai/v1/embeddings", "/v1/responses"]
INSERTS = ["%23/v1/embeddings", "%3F/x", "%2F", "%2f", "%5C", "/..", "/.", "%252F", "%2e", "%25", "/%2E%2E"]


@st.composite
def encoded_paths(draw: st.DrawFn) -> str:
    target = draw(st.sampled_from(TARGETS))
    out = []
    for ch in target:
        if ch != "/" and draw(st.booleans()):
            hexa = f"{ord(ch):02X}"
            out.append("%" + (hexa.lower() if draw(st.booleans()) else hexa))
        else:
            out.append(ch)
    if draw(st.booleans()):
        at = draw(st.integers(1, len(out)))
        out.insert(at, draw(st.sampled_from(INSERTS)))
    return "".join(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=encoded_paths())
def test_random_encodings_are_refused_or_ruled_by_the_forwarded_path(proxy, fake_upstream, path):
    """Either nothing is sent, or the body was masked by the rules of the path the upstream saw."""
    key = new_key()
    status, _ = send(proxy, path, copy.deepcopy(BODY), key)
    records = fake_upstream.for_key(key)
    if not records:  # refused (400) or no provider for it (404): nothing sent
        assert status in (400, 404), (path, status)
        return
    assert status == 200, (path, status)
    rec = records[-1]
    api = api_for("openai", rec.path.lstrip("/"))  # the rules of the path the upstream saw
    assert api is not None, (path, rec.path)
    expected = copy.deepcopy(BODY)
    api.inject(expected, SYSTEM_NOTE)
    assert rec.json() == expected, (path, rec.path)
