"""The REST API against a real server (uvicorn on loopback) and the fake upstream: redact and
hydrate, auth scopes, runtime dictionary and settings reaching the next proxied request, the audit
trail (never a raw value), statistics."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fake_upstream import FakeUpstream, new_key
from maskgate.audit import AuditQuery, AuditRecord, MemoryAudit
from maskgate.config import ProviderConfig, Settings
from maskgate.masking import Masker
from maskgate.runtime import build_analyzer
from maskgate.server.app import create_app
from maskgate.vault import MemoryStore
from proxy_fixtures import Served

pytest_plugins = ("proxy_fixtures",)

ADMIN, REDACT, READ, REVEAL, OPS = "adm-tok-1", "red-tok-2", "read-tok-3", "rev-tok-4", "ops-tok-5"
PLANTED = ("Odile Marchetti", "odile.marchetti@example.fr", "4111 1111 1111 1111")
TEXT = f"Please call {PLANTED[0]} ({PLANTED[1]}), card {PLANTED[2]}."


def api_settings(upstream: str, **extra: Any) -> Settings:
    providers = {
        "anthropic": ProviderConfig(base_url=upstream, api="anthropic"),
        "openai": ProviderConfig(base_url=upstream, api="openai"),
    }
    return Settings(
        store="memory://",
        providers=providers,
        detect_processes=0,
        admin_token=ADMIN,
        api_tokens={REDACT: ["redact"], READ: ["read"], REVEAL: ["reveal"], OPS: ["admin"]},
        **extra,
    )


@pytest.fixture(scope="module")
def server(fake_upstream: FakeUpstream) -> Iterator[tuple[str, Any]]:
    app = create_app(api_settings(fake_upstream.url))
    served = Served(app)
    yield served.url, app
    served.stop()


def call(
    base: str, method: str, path: str, token: str | None = ADMIN, body: Any = None, **kw: Any
) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.request(method, f"{base}/api/v1{path}", headers=headers, json=body, timeout=60, **kw)


def test_redact_then_hydrate_text(server: tuple[str, Any]) -> None:
    base, _ = server
    r = call(base, "POST", "/redact", body={"text": TEXT})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["session"].startswith("api-")
    for value in PLANTED:
        assert value not in out["text"]
    labels = {e["label"] for e in out["entities"]}
    assert {"PERSON", "EMAIL", "CREDIT_CARD"} <= labels
    for e in out["entities"]:
        assert "value" not in e
        assert TEXT[e["start"] : e["end"]] in PLANTED
    back = call(base, "POST", "/hydrate", body={"text": "Re: " + out["text"], "session": out["session"]})
    assert back.status_code == 200, back.text
    assert back.json()["text"] == "Re: " + TEXT
    assert back.json()["replaced"] == 3
    # another session resolves nothing
    other = call(base, "POST", "/hydrate", body={"text": out["text"], "session": "someone-else"})
    assert other.json()["text"] == out["text"] and other.json()["replaced"] == 0


def test_redact_json_keys_and_values_round_trip(server: tuple[str, Any]) -> None:
    base, _ = server
    doc = {"patient": {"name": PLANTED[0], "contacts": [PLANTED[1], 42, None]}, PLANTED[1]: True}
    r = call(base, "POST", "/redact", body={"json": doc, "session": "json-s1"})
    assert r.status_code == 200, r.text
    masked = r.json()["json"]
    dumped = json.dumps(masked)
    assert PLANTED[0] not in dumped and PLANTED[1] not in dumped
    assert masked["patient"]["contacts"][1:] == [42, None]
    paths = {(e["path"], e["key"]) for e in r.json()["entities"]}
    assert ("/patient/name", False) in paths
    assert any(key for _, key in paths)
    back = call(base, "POST", "/hydrate", body={"json": masked, "session": "json-s1"})
    assert back.json()["json"] == doc


def test_labels_and_locales_filter_one_request(server: tuple[str, Any]) -> None:
    base, _ = server
    only = call(base, "POST", "/redact", body={"text": TEXT, "labels": ["EMAIL"]}).json()
    assert {e["label"] for e in only["entities"]} == {"EMAIL"}
    assert PLANTED[0] in only["text"] and PLANTED[1] not in only["text"]
    nino = "My NI number is AB 12 34 56 C."
    uk = call(base, "POST", "/redact", body={"text": nino, "locales": ["uk"]}).json()
    us = call(base, "POST", "/redact", body={"text": nino, "locales": ["us"]}).json()
    assert "AB 12 34 56 C" not in uk["text"]
    assert "AB 12 34 56 C" in us["text"]
    assert not any("uk_" in e["source"] for e in us["entities"])
    bad = call(base, "POST", "/redact", body={"text": "x", "locales": ["mars"]})
    assert bad.status_code == 422 and "locales" in bad.json()["error"]["message"]


def test_reveal_needs_the_scope_and_is_audited(server: tuple[str, Any]) -> None:
    base, app = server
    denied = call(base, "POST", "/redact", token=REDACT, body={"text": TEXT, "reveal": True})
    assert denied.status_code == 403
    shown = call(base, "POST", "/redact", token=ADMIN, body={"text": TEXT, "reveal": True, "session": "rv"})
    assert {e["value"] for e in shown.json()["entities"]} == set(PLANTED)
    app.state.api.recorder.flush()
    reveals = call(base, "GET", "/audit", params={"kind": "api"}).json()["records"]
    assert any(r["action"] == "reveal" and r["path"] == "/api/v1/redact" for r in reveals)


def test_bad_bodies_get_clear_errors(server: tuple[str, Any]) -> None:
    base, _ = server
    raw = httpx.post(f"{base}/api/v1/redact", content=b"{nope", headers={"authorization": f"Bearer {ADMIN}"})
    assert raw.status_code == 400 and raw.json()["error"]["type"] == "invalid_request_error"
    both = call(base, "POST", "/redact", body={"text": "a", "json": {}})
    assert both.status_code == 422 and "exactly one" in both.json()["error"]["message"]
    neither = call(base, "POST", "/redact", body={})
    assert neither.status_code == 422
    bad_session = call(base, "POST", "/hydrate", body={"text": "a", "session": "has space"})
    assert bad_session.status_code == 422
    assert call(base, "POST", "/redact", token=None, body={"text": "a"}).status_code == 401
    assert call(base, "POST", "/redact", token="wrong", body={"text": "a"}).status_code == 401


# (method, path, body, scope that allows it)
MATRIX: list[tuple[str, str, Any, str]] = [
    ("POST", "/redact", {"text": "hello"}, "redact"),
    ("POST", "/hydrate", {"text": "hello", "session": "m"}, "redact"),
    ("GET", "/sessions", None, "read"),
    ("GET", "/audit", None, "read"),
    ("GET", "/stats", None, "read"),
    ("GET", "/settings", None, "read"),
    ("GET", "/dictionary", None, "admin"),
    ("PATCH", "/settings", {"default_threshold": 0.5}, "admin"),
    ("POST", "/forget", {"value": "nobody-known@example.com"}, "admin"),
    ("POST", "/sessions/prune", None, "admin"),
]
HOLDS = {
    ADMIN: {"redact", "read", "reveal", "admin"},
    REDACT: {"redact"},
    READ: {"read"},
    REVEAL: {"reveal", "read"},
    OPS: {"admin", "read"},
}


@pytest.mark.parametrize("token", list(HOLDS))
def test_auth_matrix(server: tuple[str, Any], token: str) -> None:
    base, _ = server
    for method, path, body, scope in MATRIX:
        r = call(base, method, path, token=token, body=body)
        if scope in HOLDS[token]:
            assert r.status_code == 200, (token, method, path, r.text)
        else:
            assert r.status_code == 403, (token, method, path, r.status_code)
            assert r.json()["error"]["type"] == "permission_error"


def test_dictionary_change_reaches_the_next_proxied_request(
    server: tuple[str, Any], fake_upstream: FakeUpstream
) -> None:
    base, _ = server
    term = "Project Nightjar"
    body = {"deny": {"CODENAME": [term]}, "allow": [], "patterns": {"TICKET": [r"\bTCK-\d{5}\b"]}}
    r = call(base, "PUT", "/dictionary", body=body)
    assert r.status_code == 200, r.text
    assert call(base, "GET", "/dictionary").json()["patterns"] == {"TICKET": [r"\bTCK-\d{5}\b"]}
    shown = call(base, "POST", "/redact", body={"text": f"{term} ticket TCK-12345"}).json()
    assert {e["label"] for e in shown["entities"]} >= {"CODENAME", "TICKET"}
    key = new_key()
    msg = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": f"About {term}."}]}
    resp = httpx.post(
        f"{base}/anthropic/v1/messages",
        json=msg,
        headers={"x-api-key": key, "anthropic-version": "2023-06-01"},
        timeout=60,
    )
    assert resp.status_code == 200
    sent = fake_upstream.for_key(key)[-1].body.decode()
    assert term not in sent and "<CODENAME_1>" in sent
    assert term in resp.text  # the answer echoes it back unmasked
    bad = call(base, "PUT", "/dictionary", body={"patterns": {"TICKET": ["(unclosed"]}})
    assert bad.status_code == 422


def test_settings_patch_validates_and_applies(server: tuple[str, Any], fake_upstream: FakeUpstream) -> None:
    base, _ = server
    before = call(base, "GET", "/settings").json()
    assert call(base, "PATCH", "/settings", body={"port": 1}).status_code == 422
    wrong = call(base, "PATCH", "/settings", body={"default_threshold": "high"})
    assert wrong.status_code == 422 and "default_threshold" in wrong.json()["error"]["message"]
    assert call(base, "PATCH", "/settings", body={"locales": ["xx"]}).status_code == 422
    r = call(base, "PATCH", "/settings", body={"system_inject": False})
    assert r.status_code == 200 and r.json()["version"] > before["version"]
    assert r.json()["settings"]["system_inject"] is False
    key = new_key()
    msg = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hello"}]}
    httpx.post(
        f"{base}/anthropic/v1/messages",
        json=msg,
        headers={"x-api-key": key, "anthropic-version": "2023-06-01"},
        timeout=60,
    )
    assert "system" not in fake_upstream.for_key(key)[-1].json()
    call(base, "PATCH", "/settings", body={"system_inject": True})


def test_audit_records_proxy_traffic_without_values(
    server: tuple[str, Any], fake_upstream: FakeUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    base, app = server
    caplog.set_level(logging.DEBUG)
    key = new_key()
    msg = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": TEXT}]}
    resp = httpx.post(
        f"{base}/anthropic/v1/messages?beta=true",
        json=msg,
        headers={"x-api-key": key, "anthropic-version": "2023-06-01", "x-maskgate-session": "audit-s"},
        timeout=60,
    )
    assert resp.status_code == 200
    app.state.api.recorder.flush()
    got = call(base, "GET", "/audit", params={"kind": "proxy", "label": "EMAIL"}).json()["records"]
    mine = [r for r in got if r["labels"].get("CREDIT_CARD")]
    assert mine, got
    rec = mine[0]
    assert rec["provider"] == "anthropic" and rec["path"] == "v1/messages" and rec["status"] == 200
    assert rec["labels"]["PERSON"] >= 1 and rec["bytes_in"] > 0 and rec["bytes_out"] > 0
    assert rec["session"] and rec["session"] != "audit-s"
    by_status = call(base, "GET", "/audit", params={"status": 200, "provider": "anthropic"}).json()
    assert by_status["records"]
    lines = call(base, "GET", "/audit", params={"format": "jsonl", "limit": 1000})
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    everything = lines.text + json.dumps(call(base, "GET", "/stats").json()) + caplog.text
    for value in PLANTED:
        assert value not in everything
    assert "audit-s" not in lines.text


def test_stats_count_requests_and_entities(server: tuple[str, Any]) -> None:
    base, _ = server
    before = call(base, "GET", "/stats").json()
    call(base, "POST", "/redact", body={"text": TEXT})
    after = call(base, "GET", "/stats").json()
    assert after["requests"]["total"] > before["requests"]["total"]
    assert after["entities"]["EMAIL"] > before["entities"].get("EMAIL", 0)
    assert 0.0 <= after["cache"]["hit_rate"] <= 1.0
    assert set(after["latency_ms"]["detect"]) == {"p50", "p90", "p99"}


def test_openapi_document_lists_every_route(server: tuple[str, Any]) -> None:
    base, app = server
    doc = httpx.get(f"{base}/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    served = {
        (m.lower(), r.path)
        for r in app.routes
        if getattr(r, "path", "").startswith("/api/v1/") and r.path != "/api/v1/openapi.json"
        for m in (r.methods or []) - {"HEAD"}
    }
    documented = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert served == documented


def test_no_token_means_loopback_only(fake_upstream: FakeUpstream) -> None:
    from maskgate.server.api.auth import Auth

    loop = Auth(None, {}, "127.0.0.1")
    assert loop.mode == "loopback"
    assert loop.principal(None, "127.0.0.1") is not None
    assert loop.principal(None, "10.1.2.3") is None
    off = Auth(None, {}, "0.0.0.0")
    assert off.mode == "disabled" and off.principal("Bearer x", "127.0.0.1") is None
    settings = api_settings(fake_upstream.url).model_copy(update={"admin_token": None, "api_tokens": {}})
    served = Served(create_app(settings))
    try:
        r = httpx.post(f"{served.url}/api/v1/redact", json={"text": "hi"})
        assert r.status_code == 200
    finally:
        served.stop()


def test_sessions_show_reveal_export_extend_delete(server: tuple[str, Any]) -> None:
    base, app = server
    out = call(base, "POST", "/redact", body={"text": TEXT, "session": "life-1"}).json()
    sid = app.state.proxy.masker.store.session_id("life-1")
    listed = call(base, "GET", "/sessions", params={"limit": 1000}).json()
    mine = [s for s in listed["sessions"] if s["id"] == sid]
    assert mine and mine[0]["labels"]["EMAIL"] == 1 and mine[0]["entries"] == 3
    assert "life-1" not in json.dumps(listed)
    shown = call(base, "GET", f"/sessions/{sid}", token=READ).json()
    assert {p["placeholder"] for p in shown["placeholders"]} == {e["placeholder"] for e in out["entities"]}
    assert all("value" not in p for p in shown["placeholders"])
    assert call(base, "GET", f"/sessions/{sid}", token=READ, params={"reveal": "true"}).status_code == 403
    revealed = call(base, "GET", "/sessions/life-1", token=REVEAL, params={"reveal": "true"}).json()
    assert {p["value"] for p in revealed["placeholders"]} == set(PLANTED)
    assert call(base, "GET", f"/sessions/{sid}/export", token=READ).status_code == 403
    export = call(base, "GET", f"/sessions/{sid}/export", token=REVEAL).json()
    assert {v["value"] for v in export["values"]} == set(PLANTED)
    assert any(u["path"] == "/api/v1/redact" for u in export["used"])
    longer = call(base, "POST", f"/sessions/{sid}/extend", token=OPS, body={"seconds": 60 * 86400}).json()
    assert shown["expires"] is not None and longer["expires"] > shown["expires"] + 29 * 86400
    forever = call(base, "POST", f"/sessions/{sid}/extend", token=OPS, body={"seconds": 0}).json()
    assert forever["expires"] is None
    app.state.api.recorder.flush()
    reveals = call(base, "GET", "/audit", params={"session": sid, "kind": "api"}).json()["records"]
    assert sum(r["action"] == "reveal" for r in reveals) >= 2
    assert call(base, "DELETE", f"/sessions/{sid}", token=OPS).json()["deleted"] == 3
    assert call(base, "GET", f"/sessions/{sid}").status_code == 404
    gone = call(base, "POST", "/hydrate", body={"text": out["text"], "session": "life-1"}).json()
    assert gone["replaced"] == 0


def test_forget_erases_a_value_from_every_session(server: tuple[str, Any]) -> None:
    base, app = server
    value = "forget.me@example.net"
    masked = {}
    for name in ("fg-a", "fg-b", "fg-c"):
        r = call(
            base,
            "POST",
            "/redact",
            body={"text": f"{name} wrote from {value} about Jo Malone", "session": name},
        )
        masked[name] = r.json()["text"]
        assert value not in masked[name]
    erased = call(base, "POST", "/forget", token=OPS, body={"value": value}).json()
    assert erased["erased"] == 3
    for name, text in masked.items():
        back = call(base, "POST", "/hydrate", body={"text": text, "session": name}).json()
        assert value not in back["text"]
        assert "Jo Malone" in back["text"] or "Jo Malone" in text  # other values of the session stay
    again = call(base, "POST", "/redact", body={"text": f"mail {value}", "session": "fg-a"}).json()
    assert value not in again["text"]
    numbers = [e["placeholder"] for e in again["entities"] if e["label"] == "EMAIL"]
    assert numbers and numbers[0] != "<EMAIL_1>"  # a placeholder number is never reused
    app.state.api.recorder.flush()
    trail = call(base, "GET", "/audit", params={"format": "jsonl", "limit": 1000}).text
    assert value not in trail


def test_housekeeping_purges_expired_sessions_and_old_records(fake_upstream: FakeUpstream) -> None:
    now = [1_000_000.0]
    store = MemoryStore(ttl=60, clock=lambda: now[0])
    settings = api_settings(fake_upstream.url, audit_retention_days=1)
    audit = MemoryAudit()
    app = create_app(settings, Masker(build_analyzer(settings), store), audit=audit)
    served = Served(app)
    try:
        audit.append([AuditRecord(time=1.0, kind="proxy", method="POST", path="v1/messages", status=200)])
        store.assign("short-lived", [("EMAIL", "x@example.com")])
        assert len(store.sessions()) == 1
        now[0] += 3600
        assert app.state.api.housekeeping() == (1, 1)
        assert store.sessions() == []
        assert audit.query(AuditQuery()) == []
    finally:
        served.stop()


def test_rule_layers_switch_off_and_on_at_run_time(server: tuple[str, Any]) -> None:
    base, _ = server
    text = "Ship it to 42 Wallaby Way, Sydney NSW 2000 for Odile Marchetti."

    def sources() -> set[str]:
        r = call(base, "POST", "/redact", body={"text": text})
        return {e["source"] for e in r.json()["entities"]}

    assert "address" in sources()
    r = call(base, "PATCH", "/settings", body={"disabled_layers": ["address"]})
    assert r.status_code == 200 and r.json()["settings"]["disabled_layers"] == ["address"]
    assert "address" not in sources()
    bad = call(base, "PATCH", "/settings", body={"disabled_layers": ["regex"]})
    assert bad.status_code == 422  # the validated recognizers cannot be switched off
    call(base, "PATCH", "/settings", body={"disabled_layers": []})
    assert "address" in sources()
