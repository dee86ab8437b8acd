"""Failure paths and switches: fail closed, error shapes, passthrough, upstream errors and drops."""

from __future__ import annotations

import json
import logging

import anthropic
import httpx
import openai
import pytest

from fake_upstream import EMAIL, EMAIL_B, FAIL_TRIGGER, NAME, assert_no_pii, new_key

pytest_plugins = ("proxy_fixtures",)

ANTHROPIC_ERROR_KEYS = {"type", "error"}
MSG = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": f"hi {EMAIL}"}]}
CHAT = {"model": "gpt-test", "messages": [{"role": "user", "content": f"hi {EMAIL}"}]}


def post(proxy: str, path: str, key: str, content: bytes | None = None, **kw) -> httpx.Response:
    headers = {"x-api-key": key, "authorization": f"Bearer {key}", "content-type": "application/json"}
    headers.update(kw.pop("headers", {}))
    return httpx.post(f"{proxy}{path}", content=content, headers=headers, timeout=30, **kw)


def assert_anthropic_error(resp: httpx.Response, status: int) -> None:
    assert resp.status_code == status
    body = resp.json()
    assert body["type"] == "error" and set(body["error"]) == {"type", "message"}


def assert_openai_error(resp: httpx.Response, status: int) -> None:
    assert resp.status_code == status
    assert set(resp.json()["error"]) == {"message", "type", "param", "code"}


def test_bad_requests_never_reach_upstream(proxy, fake_upstream):
    key = new_key()
    assert_anthropic_error(post(proxy, "/anthropic/v1/messages", key, b'{"messages": [}'), 400)
    assert_openai_error(post(proxy, "/openai/v1/chat/completions", key, b"not json"), 400)
    big = json.dumps({**CHAT, "pad": "x" * 300_000}).encode()
    assert_anthropic_error(post(proxy, "/anthropic/v1/messages", key, big), 413)
    assert post(proxy, "/anthropic/v1/messages", key, big).json()["error"]["type"] == "request_too_large"
    assert_openai_error(post(proxy, "/openai/v1/chat/completions", key, big), 413)
    form = post(proxy, "/openai/v1/chat/completions", key, b"a=b", headers={"content-type": "text/plain"})
    assert_openai_error(form, 415)
    # a path maskgate cannot mask, carrying text: refused
    refused = post(
        proxy, "/anthropic/v1/messages/batches", key, json.dumps({"requests": [{"params": MSG}]}).encode()
    )
    assert_anthropic_error(refused, 400)
    assert "refusing" in refused.json()["error"]["message"]
    assert fake_upstream.for_key(key) == []


def test_detection_failure_fails_closed(proxy, fake_upstream, anthropic_client, openai_client):
    key = new_key()
    bad = f"{FAIL_TRIGGER} for {NAME}"
    with pytest.raises(anthropic.InternalServerError) as a_err:
        anthropic_client(key).messages.create(
            model="m", max_tokens=5, messages=[{"role": "user", "content": bad}]
        )
    assert a_err.value.status_code == 503
    assert a_err.value.body["error"]["type"] == "api_error"
    with pytest.raises(openai.InternalServerError) as o_err:
        openai_client(key).chat.completions.create(
            model="m", messages=[{"role": "user", "content": bad}], stream=True
        )
    assert o_err.value.status_code == 503
    assert "nothing was sent upstream" in o_err.value.message
    assert fake_upstream.for_key(key) == []


def test_unknown_path_without_text_passes(proxy, fake_upstream):
    key = new_key()
    got = httpx.get(f"{proxy}/openai/v1/files/abc?limit=2", headers={"authorization": f"Bearer {key}"})
    assert got.status_code == 200 and got.json() == {"ok": True, "path": "/v1/files/abc"}
    assert fake_upstream.for_key(key)[0].query == "limit=2"


def test_rate_limit_passes_through_unmasked(fake_upstream, anthropic_client, openai_client):
    key = new_key()
    with pytest.raises(anthropic.RateLimitError) as a_err:
        anthropic_client(key).messages.create(**MSG, extra_headers={"x-fake-mode": "error429"})
    assert a_err.value.response.headers["retry-after"] == "7"
    assert a_err.value.response.headers["x-fake"] == "kept"
    assert a_err.value.body["error"]["message"] == f"Slow down. Echo: hi {EMAIL}"
    with pytest.raises(openai.RateLimitError) as o_err:
        openai_client(key).chat.completions.create(
            **CHAT, stream=True, extra_headers={"x-fake-mode": "error429,gzip"}
        )
    assert o_err.value.response.headers["retry-after"] == "7"
    assert o_err.value.body["message"] == f"Slow down. Echo: hi {EMAIL}"
    assert_no_pii(fake_upstream, key)


def test_gzipped_upstream_json_is_unmasked(fake_upstream, openai_client):
    resp = openai_client().chat.completions.create(**CHAT, extra_headers={"x-fake-mode": "gzip"})
    assert resp.choices[0].message.content == f"[0] Echo: hi {EMAIL}"


def test_upstream_drop_mid_stream(fake_upstream, anthropic_client, openai_client):
    key = new_key()
    a = anthropic_client(key)
    with (
        pytest.raises(anthropic.APIStatusError) as a_err,
        a.messages.stream(**MSG, extra_headers={"x-fake-mode": "drop"}) as s,
    ):
        for _ in s:
            pass
    assert "upstream connection lost" in str(a_err.value)
    o = openai_client(key)
    with pytest.raises(openai.APIError, match="upstream connection lost"):
        for _ in o.chat.completions.create(**CHAT, stream=True, extra_headers={"x-fake-mode": "drop"}):
            pass
    events = list(
        o.responses.create(model="m", input=f"hi {EMAIL}", stream=True, extra_headers={"x-fake-mode": "drop"})
    )
    assert events[-1].type == "error" and "upstream connection lost" in events[-1].message
    # and the proxy keeps serving
    assert a.messages.create(**MSG).content[0].text == f"Echo: hi {EMAIL}"
    assert_no_pii(fake_upstream, key)


def test_untouched_events_are_forwarded_byte_for_byte(proxy):
    body = json.dumps({**MSG, "stream": True}).encode()
    headers = {"x-fake-mode": "thinking"}
    with httpx.stream(
        "POST", f"{proxy}/anthropic/v1/messages", content=body, headers={"x-api-key": new_key(), **headers}
    ) as r:
        raw = b"".join(r.iter_bytes()).decode()
    events = [e for e in raw.split("\n\n") if e]
    untouched = [
        e
        for e in events
        if any(k in e for k in ("thinking_delta", "signature_delta", "ping", "message_stop"))
    ]
    assert len(untouched) > 5
    # the fake writes JSON with ", " separators; the proxy's own encoder writes none
    assert all('", "' in e or '": "' in e for e in untouched)
    text = "".join(json.loads(e.split("data: ", 1)[1])["delta"]["text"] for e in events if "text_delta" in e)
    assert text == f"Echo: hi {EMAIL}"


def test_switches_sessions_and_headers(proxy, fake_upstream):
    key = new_key()
    url = f"{proxy}/anthropic/v1/messages"
    base = {"x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json"}
    body = json.dumps(MSG).encode()
    # mask off: the raw text goes out by the client's explicit choice; maskgate headers never do
    r = httpx.post(url, content=body, headers={**base, "x-maskgate-mask": "off"})
    assert r.json()["content"][0]["text"] == f"Echo: hi {EMAIL}"
    rec = fake_upstream.for_key(key)[-1]
    assert EMAIL in rec.body.decode() and not any(h.startswith("x-maskgate-") for h in rec.headers)
    assert rec.headers["anthropic-version"] == "2023-06-01"
    # unmask off: the client sees the placeholders
    r = httpx.post(url, content=body, headers={**base, "x-maskgate-unmask": "off"})
    assert r.json()["content"][0]["text"] == "Echo: hi <EMAIL_1>"
    # an explicit session is shared by whoever names it
    shared = {"x-maskgate-session": f"team-{key[-8:]}", "content-type": "application/json"}
    first = {**MSG, "messages": [{"role": "user", "content": f"hi {EMAIL_B}"}]}
    httpx.post(url, content=json.dumps(first).encode(), headers={**shared, "x-api-key": key})
    other = new_key()
    r = httpx.post(url, content=body, headers={**shared, "x-api-key": other})
    assert r.json()["content"][0]["text"] == f"Echo: hi {EMAIL}"
    assert "hi <EMAIL_2>" in fake_upstream.for_key(other)[0].body.decode()
    assert r.headers["x-maskgate-session"] == shared["x-maskgate-session"]


def test_bare_v1_routes_and_unmasked_provider(proxy, fake_upstream):
    key = new_key()
    r = httpx.post(f"{proxy}/v1/messages", json=MSG, headers={"x-api-key": key})
    assert r.json()["content"][0]["text"] == f"Echo: hi {EMAIL}"
    r = httpx.post(f"{proxy}/v1/chat/completions", json=CHAT, headers={"authorization": f"Bearer {key}"})
    assert r.json()["choices"][0]["message"]["content"] == f"[0] Echo: hi {EMAIL}"
    assert_no_pii(fake_upstream, key)
    # mask = false (a local model): forwarded as is
    local_key = new_key()
    r = httpx.post(
        f"{proxy}/local/v1/chat/completions", json=CHAT, headers={"authorization": f"Bearer {local_key}"}
    )
    assert r.json()["choices"][0]["message"]["content"] == f"[0] Echo: hi {EMAIL}"
    assert EMAIL in fake_upstream.for_key(local_key)[0].body.decode()
    assert httpx.get(f"{proxy}/healthz").json()["status"] == "ok"
    assert httpx.get(f"{proxy}/nowhere/x").status_code == 404


def test_logs_carry_no_raw_values_unless_debug(anthropic_client, proxy_masker, caplog):
    from maskgate.config import Settings
    from maskgate.server.app import Proxy

    caplog.set_level(logging.DEBUG, logger="maskgate.proxy")
    anthropic_client().messages.create(**MSG)
    assert "masked=" in caplog.text and EMAIL not in caplog.text
    caplog.clear()
    texts = [f"hi {EMAIL}"]
    Proxy(Settings(debug=True), proxy_masker).service.log_masked(
        "x", "s", texts, proxy_masker.mask_many(texts, "dbg")
    )
    assert f"<EMAIL_1> <- '{EMAIL}'" in caplog.text and "+ hi <EMAIL_1>" in caplog.text


def test_odd_shapes_are_refused_or_masked_never_raw(proxy, fake_upstream):
    key = new_key()
    odd = {
        **MSG,
        "messages": [
            {"role": "user", "content": [{"type": "text"}, {"type": "document", "source": {"type": "text"}}]}
        ],
    }
    r = post(proxy, "/anthropic/v1/messages", key, json.dumps(odd).encode())
    assert r.status_code == 200  # missing fields are the upstream's to judge; nothing to mask in them
    weird = {**MSG, "messages": {"first": {"role": "user", "content": f"hi {EMAIL}"}}}
    post(proxy, "/anthropic/v1/messages", key, json.dumps(weird).encode())
    assert_no_pii(fake_upstream, key)
