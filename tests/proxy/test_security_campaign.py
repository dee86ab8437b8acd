"""Adversarial campaign against a real `maskgate serve` process (SECURITY.md): one credential's
values never resolve for another, the session rules, headers, the REST API's scopes, and no planted
value in any answer, audit record or log line unless the call had `reveal`.

The upstream is the recording fake (tests/fake_upstream.py) in mirror mode: every answer's text is
the whole request body it received, so whatever a client sent in any field comes back through the
unmasking path. The figures (requests, planted values, leaks, cross-credential resolutions) are
printed by the last test (`pytest -s`)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest
from starlette.requests import Request

from fake_upstream import PLACEHOLDER, FakeUpstream, Recorded
from proxy_fixtures import Served

pytestmark = pytest.mark.slow  # a real server process

ADMIN, REDACT, READ, REVEAL = (
    "adm-" + uuid.uuid4().hex,
    "red-" + uuid.uuid4().hex,
    "rd-" + uuid.uuid4().hex,
    "rv-" + uuid.uuid4().hex,
)
DENY_TERM = "Zebediah Quartermain"  # a deny-list term: masked as CODENAME
FIXED = ("(212) 736-4120", "123-45-6789", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", DENY_TERM)
TOOL_SCHEMA = {"type": "object", "properties": {"q": {"type": "string"}}}


class MirrorUpstream(FakeUpstream):
    """The fake upstream, answering with the whole request body as the text it echoes, after what
    `say` holds (the model writing placeholders of its own choosing). Set by `proxy(..., say=)`, not
    by a header: maskgate masks client headers, placeholder-shaped text included."""

    say = ""

    async def record(self, request: Request) -> Recorded:
        rec = await super().record(request)  # the original is what gets recorded
        if request.method != "POST" or not rec.body:
            return rec
        body = rec.json()
        dump = self.say + " " + json.dumps(body)
        if rec.path.endswith(("/messages", "/chat/completions")):
            body["messages"] = [{"role": "user", "content": dump}]
        elif rec.path.endswith("/responses"):
            body["input"] = dump
        return Recorded(rec.method, rec.path, rec.query, rec.headers, json.dumps(body).encode())


@dataclass
class Campaign:
    url: str
    upstream: MirrorUpstream
    log: Path
    data: Path
    proc: subprocess.Popen[bytes]
    requests: int = 0
    placed: int = 0  # planted values written into requests (a value in five fields counts five)
    planted: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # session names (never logged)
    leaks: list[str] = field(default_factory=list)
    resolutions: int = 0  # another credential's value come back

    def values(self, tag: str) -> list[str]:
        """Fresh planted values: a unique e-mail and the fixed ones (numbers, card, IBAN, deny term)."""
        mine = [f"{tag}.{uuid.uuid4().hex[:8]}@example.com", *FIXED]
        self.planted.update(mine)
        return mine

    def send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        self.requests += 1
        sent = (kw.get("content") or b"").decode(errors="replace") + json.dumps(kw.get("json"))
        self.placed += sum(sent.count(v) + sent.count(json.dumps(v)[1:-1]) for v in self.planted)
        return httpx.request(method, self.url + path, timeout=60, **kw)

    def api(self, method: str, path: str, token: str | None = ADMIN, **kw: Any) -> httpx.Response:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return self.send(method, "/api/v1" + path, headers=headers, **kw)

    def check(self, where: str, text: str, allowed: tuple[str, ...] = ()) -> None:
        found = [
            f"{v!r} in {where}"
            for v in sorted(self.planted - set(allowed))
            if any(f in text for f in forms(v))
        ]
        self.leaks += found
        assert not found, found


def forms(value: str) -> set[str]:
    """A value as written, JSON-escaped (once, twice) and percent-encoded (both ways)."""
    once = json.dumps(value)[1:-1]
    return {value, once, json.dumps(once)[1:-1], quote(value), quote_plus(value), quote(value, safe="")}


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campaign]:
    upstream = MirrorUpstream(seed=11)
    served = Served(upstream.app)
    upstream.url = served.url
    data = tmp_path_factory.mktemp("security")
    port = _free_port()
    exe = Path(sys.executable).with_name("maskgate")
    cmd = [str(exe), "serve", "--port", str(port), "--ner", "none", "--no-system-inject"]
    cmd += ["--store", f"sqlite:///{data / 'vault' / 'vault.db'}"]
    cmd += ["--provider", f"anthropic={served.url}", "--provider", f"openai={served.url},api=openai"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASKGATE_", "PROMETHEUS_"))}
    env |= {
        "MASKGATE_ADMIN_TOKEN": ADMIN,
        "MASKGATE_API_TOKENS": json.dumps({REDACT: ["redact"], READ: ["read"], REVEAL: ["reveal"]}),
        "MASKGATE_DENY": json.dumps({"CODENAME": [DENY_TERM]}),
    }
    log = data / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, "maskgate serve did not come up"
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield Campaign(url, upstream, log, data, proc)
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    served.stop()


# -- request shapes: the same text in every field of every API ------------------------------------
def anthropic_body(t: str, stream: bool) -> dict[str, Any]:
    return {
        "model": "m",
        "max_tokens": 5,
        "stream": stream,
        "system": [{"type": "text", "text": t}],
        "metadata": {"user_id": t},
        "stop_sequences": [t],
        "tools": [{"name": "lookup", "description": t, "input_schema": TOOL_SCHEMA}],
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": t}]},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": t}}],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_1",
                        "content": [{"type": "text", "text": t}],
                    },
                    {
                        "type": "document",
                        "source": {"type": "text", "media_type": "text/plain", "data": t},
                        "title": t,
                    },
                    {"type": "text", "text": t},
                ],
            },
        ],
    }


def chat_body(t: str, stream: bool) -> dict[str, Any]:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "lookup", "arguments": json.dumps({"q": t})},
    }
    return {
        "model": "gpt-test",
        "stream": stream,
        "user": t,
        "metadata": {"note": t},
        "stop": [t],
        "tools": [
            {"type": "function", "function": {"name": "lookup", "description": t, "parameters": TOOL_SCHEMA}}
        ],
        "messages": [
            {"role": "system", "content": t},
            {"role": "user", "content": [{"type": "text", "text": t}]},
            {"role": "assistant", "content": t, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "call_1", "content": t},
            {"role": "user", "content": t},
        ],
    }


def responses_body(t: str, stream: bool) -> dict[str, Any]:
    return {
        "model": "gpt-test",
        "stream": stream,
        "instructions": t,
        "user": t,
        "metadata": {"note": t},
        "tools": [{"type": "function", "name": "lookup", "description": t, "parameters": TOOL_SCHEMA}],
        "input": [
            {"role": "user", "content": [{"type": "input_text", "text": t}]},
            {
                "type": "function_call",
                "call_id": "call_1",
                "name": "lookup",
                "arguments": json.dumps({"q": t}),
            },
            {"type": "function_call_output", "call_id": "call_1", "output": t},
            {"role": "user", "content": t},
        ],
    }


SHAPES = (
    ("/anthropic/v1/messages", anthropic_body, True),
    ("/openai/v1/chat/completions", chat_body, True),
    ("/openai/v1/responses", responses_body, True),
    (
        "/anthropic/v1/messages/count_tokens",
        lambda t, s: {
            k: v
            for k, v in anthropic_body(t, s).items()
            if k not in ("stream", "max_tokens", "metadata", "stop_sequences")
        },
        False,
    ),
    ("/openai/v1/embeddings", lambda t, s: {"model": "emb", "input": [t, t], "user": t}, False),
    ("/openai/v1/moderations", lambda t, s: {"model": "omni", "input": t}, False),
)


def answer_text(resp: httpx.Response) -> str:
    """Everything a client reads in an answer: the body, and for SSE the text deltas joined."""
    raw = resp.text
    if "text/event-stream" not in resp.headers.get("content-type", ""):
        return raw
    parts = []
    for line in raw.splitlines():
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        ev = json.loads(line[6:])
        delta = ev.get("delta")
        if isinstance(delta, dict):  # Anthropic
            parts.append(delta.get("text") or delta.get("partial_json") or "")
        elif isinstance(delta, str):  # Responses
            parts.append(delta)
        for choice in ev.get("choices") or []:  # chat
            d = choice.get("delta") or {}
            parts.append(d.get("content") or "")
            parts += [(c.get("function") or {}).get("arguments") or "" for c in d.get("tool_calls") or []]
    return raw + "\n" + "".join(parts)


def proxy(
    c: Campaign, path: str, body: Any, key: str | None, say: str = "", **headers: str
) -> httpx.Response:
    """POST through the proxy; `say`: what the mirror upstream writes before its echo."""
    h = {"content-type": "application/json", "anthropic-version": "2023-06-01", **headers}
    if key:
        h |= {"x-api-key": key, "authorization": f"Bearer {key}"}
    c.upstream.say = say
    try:
        return c.send("POST", path, content=json.dumps(body).encode(), headers=h)
    finally:
        c.upstream.say = ""


def plant(c: Campaign, key: str, tag: str, **headers: str) -> tuple[list[str], list[str]]:
    """Credential `key` sends fresh values through every shape: (values, placeholders it got)."""
    values = c.values(tag)
    text = "Contact " + "; ".join(values)
    got: set[str] = set()
    for path, make, _ in SHAPES:
        before = len(c.upstream.requests)
        r = proxy(c, path, make(text, False), key, **headers)
        assert r.status_code == 200, (path, r.text)
        sent = c.upstream.requests[before]
        got |= set(PLACEHOLDER.findall(sent.body.decode()))
        c.check(f"upstream {path}", sent.body.decode() + json.dumps(sent.headers))
    assert len(got) >= len(values), got
    return values, sorted(got)


# -- (a) cross-credential oracle ---------------------------------------------------------------------
def test_another_credentials_placeholders_never_resolve(campaign: Campaign) -> None:
    c = campaign
    key_a, key_b = "sk-a-" + uuid.uuid4().hex, "sk-b-" + uuid.uuid4().hex
    values, placeholders = plant(c, key_a, "oracle-a")
    # B guesses too: every low number of every label A used
    guesses = sorted(
        {f"<{p[1:].rsplit('_', 1)[0]}_{n}>" for p in placeholders for n in range(1, 4)} | set(placeholders)
    )
    text = "Who are " + " and ".join(guesses) + "?"
    for path, make, streams in SHAPES:
        for stream in (False, True) if streams else (False,):
            for mode in ("", "tool"):
                extra = {"x-fake-mode": mode} if mode else {}
                r = proxy(c, path, make(text, stream), key_b, say=" ".join(guesses), **extra)
                assert r.status_code == 200, (path, r.text)
                seen = answer_text(r)
                for v in values:
                    if any(f in seen for f in forms(v)):
                        c.resolutions += 1
                c.check(f"B's answer from {path} stream={stream} mode={mode}", seen)
                if path.endswith(("messages", "completions", "responses")):
                    # the upstream said A's placeholders to B, and B sent them in every field:
                    # they come back literally
                    assert all(g in seen for g in guesses), (path, stream, mode)
    assert c.resolutions == 0


def test_keyed_ids_do_not_unlock_other_sessions(campaign: Campaign) -> None:
    c = campaign
    key_a = "sk-a-" + uuid.uuid4().hex
    values, placeholders = plant(c, key_a, "ids-a")
    first = proxy(c, "/anthropic/v1/messages", anthropic_body("hi", False), key_a)
    own = first.headers["x-maskgate-session"]
    assert own.startswith("key-")
    text = " ".join(placeholders)
    # naming A's derived session from another credential, or without one: refused, nothing sent
    before = len(c.upstream.requests)
    for key in ("sk-b-" + uuid.uuid4().hex, None):
        r = proxy(
            c, "/anthropic/v1/messages", anthropic_body(text, False), key, **{"x-maskgate-session": own}
        )
        assert r.status_code == 400 and r.json()["type"] == "error", r.text
    assert len(c.upstream.requests) == before
    # the vault's keyed id of A's session is just another name: a different, empty session
    sid = c.api("GET", f"/sessions/{own}").json()["id"]
    r = proxy(
        c,
        "/openai/v1/chat/completions",
        chat_body(text, False),
        "sk-c-" + uuid.uuid4().hex,
        say=text,
        **{"x-maskgate-session": sid},
    )
    c.check("answer to a request naming A's keyed id", answer_text(r))
    assert all(p in r.text for p in placeholders)
    # the REST API: a `redact` token may hydrate named sessions, not a credential's (`key-`) ...
    r = c.api("POST", "/hydrate", REDACT, json={"text": text, "session": own})
    assert r.status_code == 403
    c.check("hydrate of a key- session without reveal", r.text)
    # ... and a keyed id is hashed again as a name: nothing resolves
    r = c.api("POST", "/hydrate", REDACT, json={"text": text, "session": sid})
    assert r.status_code == 200 and r.json()["replaced"] == 0
    c.check("hydrate by keyed id", r.text)
    # with `reveal` (and `redact`: the admin token) it is allowed, and audited as a reveal
    r = c.api("POST", "/hydrate", ADMIN, json={"text": text, "session": own})
    assert r.status_code == 200 and values[0] in r.json()["text"]
    last = c.api("GET", "/audit?kind=api&limit=5", READ).json()["records"]
    hydrate = next(t for t in last if t["path"] == "/api/v1/hydrate")
    assert hydrate["action"] == "reveal" and hydrate["detail"]["replaced"] == len(placeholders)


# -- (b) an explicit session shared by two credentials ------------------------------------------------
def test_explicit_session_is_shared_by_whoever_names_it(campaign: Campaign) -> None:
    c = campaign
    name = f"team-{uuid.uuid4().hex[:8]}@example.org"  # a session name may be an e-mail
    c.names.add(name)
    values, placeholders = plant(c, "sk-a-" + uuid.uuid4().hex, "shared-a", **{"x-maskgate-session": name})
    r = proxy(
        c,
        "/anthropic/v1/messages",
        anthropic_body("hi", False),
        "sk-b-" + uuid.uuid4().hex,
        say=" ".join(placeholders),  # the model answers with A's placeholders
        **{"x-maskgate-session": name},
    )
    assert r.status_code == 200 and r.headers["x-maskgate-session"] == name
    assert all(v in r.json()["content"][0]["text"] for v in values)  # as documented: the name is the secret
    # B's own values get A's numbering: one session, one mapping
    before = len(c.upstream.requests)
    proxy(
        c,
        "/openai/v1/chat/completions",
        chat_body(values[0], False),
        "sk-b-" + uuid.uuid4().hex,
        **{"x-maskgate-session": name},
    )
    assert placeholders[0] in c.upstream.requests[before].body.decode() or any(
        p in c.upstream.requests[before].body.decode() for p in placeholders
    )
    r = proxy(
        c,
        "/anthropic/v1/messages",
        anthropic_body("hi", False),
        "sk-b-" + uuid.uuid4().hex,
        say=" ".join(placeholders),
    )
    c.check("the same placeholders without the session header", answer_text(r))
    assert all(p in answer_text(r) for p in placeholders)


# -- (c) headers --------------------------------------------------------------------------------------
ADDED_BY_TRANSPORT = {"host", "content-length", "accept-encoding", "user-agent", "accept", "connection"}


def test_no_body_value_in_a_header_maskgate_adds(campaign: Campaign) -> None:
    c = campaign
    key = "sk-h-" + uuid.uuid4().hex
    values = c.values("headers")
    text = "Mail " + "; ".join(values)
    sent_headers = {"x-client-note": "build 42", "x-maskgate-mask": "on"}
    for path, make, streams in SHAPES:
        for stream in (False, True) if streams else (False,):
            before = len(c.upstream.requests)
            r = proxy(c, path, make(text, stream), key, **sent_headers)
            assert r.status_code == 200
            rec = c.upstream.requests[before]
            client = {k.lower(): v for k, v in r.request.headers.items()}
            added = {k: v for k, v in rec.headers.items() if client.get(k) != v}
            assert set(added) <= ADDED_BY_TRANSPORT, added  # x-maskgate-* never forwarded
            assert rec.headers["accept-encoding"] == "identity"
            c.check(f"headers maskgate sent upstream for {path}", json.dumps(added))
            c.check(f"headers of the answer from {path}", json.dumps(dict(r.headers)))
            c.check(f"body sent upstream for {path}", rec.body.decode())


def test_client_headers_with_values_are_masked(campaign: Campaign) -> None:
    """Fail-closed header policy (server/headers.py): what the provider needs raw passes raw, any other
    header's value is masked with the body's session (JSON key by key), an unreadable one is dropped."""
    c = campaign
    email = f"codex.{uuid.uuid4().hex[:8]}@example.com"
    sid = str(uuid.uuid4())
    meta = json.dumps(
        {"workspaces": {f"/home/{email}/project": {"has_changes": False}}, "turn_id": sid, "n": 3},
        separators=(",", ":"),
    )
    quiet = json.dumps({"turn_id": sid, "sandbox": "read-only"}, separators=(",", ":"))
    key = "sk-x-" + uuid.uuid4().hex
    before = len(c.upstream.requests)
    r = proxy(
        c,
        "/openai/v1/responses",
        responses_body(f"Write to {email}", False),
        key,
        **{
            "x-codex-turn-metadata": meta,
            "x-quiet-metadata": quiet,
            "x-reply-to": f"Reply to {email} today",
            "session-id": sid,
            "x-stainless-os": "Linux",
            "openai-beta": "responses=experimental",
        },
    )
    assert r.status_code == 200, r.text
    sent = c.upstream.requests[before].headers
    body_placeholders = set(PLACEHOLDER.findall(c.upstream.requests[before].body.decode()))
    masked_meta = json.loads(sent["x-codex-turn-metadata"])
    (path,) = masked_meta["workspaces"]
    assert email not in path and path.startswith("/home/<EMAIL_") and path.endswith("/project")
    assert masked_meta["turn_id"] == sid and masked_meta["n"] == 3  # ids and numbers kept
    assert set(PLACEHOLDER.findall(path)) <= body_placeholders  # one session: the body's placeholder
    assert email not in sent["x-reply-to"] and sent["x-reply-to"].startswith("Reply to <EMAIL_")
    # nothing to mask: the client's bytes; the providers' and SDKs' own headers raw
    assert sent["x-quiet-metadata"] == quiet and sent["session-id"] == sid
    assert sent["x-stainless-os"] == "Linux" and sent["openai-beta"] == "responses=experimental"
    assert sent["authorization"] == f"Bearer {key}" and sent["x-api-key"] == key
    c.check("headers sent upstream", json.dumps(dict(sent)))

    # a value that is not UTF-8 cannot be read, so it cannot be masked: it does not go
    before = len(c.upstream.requests)
    raw = [(b"content-type", b"application/json"), (b"anthropic-version", b"2023-06-01"),
           (b"x-api-key", key.encode()), (b"x-latin", "Ren\xe9e M\xfcller".encode("latin-1"))]  # fmt: skip
    body = json.dumps(responses_body("hi", False)).encode()
    r = c.send("POST", "/openai/v1/responses", content=body, headers=raw)
    assert r.status_code == 200, r.text
    assert "x-latin" not in c.upstream.requests[before].headers


# -- (d) the REST API -----------------------------------------------------------------------------------
NARROWER = {"redact": READ, "read": REDACT, "reveal": READ, "admin": REVEAL}


def operations(c: Campaign) -> list[tuple[str, str, str]]:
    """(method, path, scope) of every operation in the API's own OpenAPI document: a new endpoint is
    in the matrix without editing this test."""
    doc = c.send("GET", "/api/v1/openapi.json").json()
    ops = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            found = re.search(r"Needs the `(\w+)` scope", op.get("description", ""))
            assert found, (method, path)
            ops.append((method.upper(), path, found.group(1)))
    assert len(ops) >= 15
    return sorted(ops, key=lambda o: o[0] == "DELETE")  # delete the session last


def test_every_endpoint_needs_a_token_and_its_scope(campaign: Campaign) -> None:
    c = campaign
    name = f"matrix-{uuid.uuid4().hex[:8]}"
    c.names.add(name)
    values = c.values("matrix")
    assert (
        c.api("POST", "/redact", REDACT, json={"text": " ".join(values), "session": name}).status_code == 200
    )
    sid = c.api("GET", f"/sessions/{name}", READ).json()["id"]
    bodies: dict[str, Any] = {
        "/redact": {"text": "hi"},
        "/hydrate": {"text": "hi", "session": name},
        "/forget": {"value": "nobody-" + uuid.uuid4().hex},
        "/dictionary": c.api("GET", "/dictionary").json(),
        "/settings": {"default_threshold": 0.5},
        "/sessions/{id}/extend": {},
    }
    # the reveal switch of calls that otherwise need less
    r = c.api("GET", f"/sessions/{sid}?reveal=true", READ)
    assert r.status_code == 403
    r = c.api("POST", "/redact", REDACT, json={"text": " ".join(values), "reveal": True})
    assert r.status_code == 403
    c.check("refused reveals", r.text)
    for method, path, scope in operations(c):
        target = "/api/v1" + path.removeprefix("/api/v1").replace("{id}", sid)
        kw = (
            {"json": bodies.get(path.removeprefix("/api/v1"), {})}
            if method in ("POST", "PUT", "PATCH")
            else {}
        )
        for token in (None, "not-a-token"):
            h = {"authorization": f"Bearer {token}"} if token else {}
            r = c.send(method, target, headers=h, **kw)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", (method, path, token)
        r = c.send(method, target, headers={"authorization": f"Bearer {NARROWER[scope]}"}, **kw)
        assert r.status_code == 403 and scope in r.json()["error"]["message"], (method, target, r.text)
        c.check(f"403 of {method} {path}", r.text)
        right = ADMIN if scope == "admin" else {"redact": REDACT, "read": READ, "reveal": REVEAL}[scope]
        r = c.send(method, target, headers={"authorization": f"Bearer {right}"}, **kw)
        assert r.status_code < 400, (method, path, r.text)


def test_api_answers_hold_no_value_without_reveal(campaign: Campaign) -> None:
    c = campaign
    name = f"dpo.{uuid.uuid4().hex[:8]}@example.net"
    c.names.add(name)
    values = c.values("api")
    text = "Write to " + "; ".join(values)
    r = c.api("POST", "/redact", REDACT, json={"text": text, "session": name})
    assert (
        r.status_code == 200 and r.json()["entities"] and all("value" not in e for e in r.json()["entities"])
    )
    c.check("redact", r.text)
    doc = {"to": values[0], values[1]: [text, {"deep": values[2]}]}
    r = c.api("POST", "/redact", REDACT, json={"json": doc, "session": name})
    assert r.status_code == 200
    c.check("redact json", r.text)
    masked = r.json()["json"]
    r = c.api("POST", "/hydrate", REDACT, json={"json": masked, "session": name})
    assert r.json()["json"] == doc  # the caller's own session: restoring is the point
    sid = c.api("GET", f"/sessions/{name}", READ).json()["id"]
    for path in (
        "/sessions",
        f"/sessions/{sid}",
        f"/sessions/{name}",
        "/audit",
        "/audit?format=jsonl",
        "/stats",
        "/settings",
    ):
        r = c.api("GET", path, READ)
        assert r.status_code == 200, (path, r.text)
        c.check(f"GET {path} (read)", r.text)
        assert name not in r.text, path
    # errors name the field, never echo the value
    for bad in (
        {"text": text, "session": f"bad name {values[0]}"},
        {"text": text, "labels": [values[0]]},
        {"text": text, "locales": [values[0]]},
        {"json": doc, "session": name, "reveal": values[0]},
    ):
        r = c.api("POST", "/redact", ADMIN, json=bad)
        assert r.status_code in (400, 422), r.text
        c.check(f"{r.status_code} of /redact", r.text)
    for patch in (
        {"thresholds": {"EMAIL": values[0]}},
        {"locales": [values[0]]},  # a validator's own message
        {"merge_gaps": {values[0]: 3}},  # a mapping's key
        {"ner": values[0]},
    ):
        r = c.api("PATCH", "/settings", ADMIN, json=patch)
        assert r.status_code == 422, r.text
        c.check("422 of PATCH /settings", r.text)
    r = c.api("POST", "/hydrate", REDACT, content=b'{"text": "' + values[0].encode() + b'"')
    assert r.status_code == 400
    c.check("400 of /hydrate", r.text)
    # with `reveal`: the values, and the trail says so
    r = c.api("GET", f"/sessions/{sid}?reveal=true", REVEAL)
    assert values[0] in r.text
    r = c.api("GET", f"/sessions/{sid}/export", REVEAL)
    assert values[0] in r.text
    trail = c.api("GET", f"/audit?session={sid}&limit=1000", READ).json()["records"]
    reveals = [t for t in trail if t["action"] == "reveal"]
    assert len(reveals) >= 2 and {t["actor"] for t in reveals} == {reveals[0]["actor"]}
    assert all(REVEAL not in json.dumps(t) for t in trail)  # the token is named by a hash
    # erasure by value: the value goes in, only a count comes out
    r = c.api("POST", "/forget", ADMIN, json={"value": values[0]})
    assert r.status_code == 200 and r.json()["erased"] >= 1
    c.check("forget", r.text)
    r = c.api("GET", f"/sessions/{sid}?reveal=true", REVEAL)
    assert values[0] not in r.text


# -- (e) a mixed run: nothing in the log, the trail or the files at rest ----------------------------------
def test_logs_trail_and_files_hold_no_value_and_no_session_name(campaign: Campaign) -> None:
    c = campaign
    key = "sk-log-" + uuid.uuid4().hex
    name = f"jane.{uuid.uuid4().hex[:8]}@example.com"
    c.names.add(name)
    values, _ = plant(c, key, "log", **{"x-maskgate-session": name})
    v = values[0]
    h = {"x-api-key": key, "content-type": "application/json"}
    # proxy errors carrying values: malformed JSON, a bad session header, a text body, an unknown path
    bad = [
        c.send("POST", "/anthropic/v1/messages", headers=h, content=f'{{"messages": ["{v}"'.encode()),
        c.send(
            "POST", "/anthropic/v1/messages", headers={**h, "x-maskgate-session": f"bad {v}"}, content=b"{}"
        ),
        c.send(
            "POST",
            "/openai/v1/chat/completions",
            headers={**h, "content-type": "text/plain"},
            content=v.encode(),
        ),
        c.send(
            "POST", "/anthropic/v1/messages/batches", headers=h, json={"requests": [{"params": {"x": v}}]}
        ),
    ]
    assert [r.status_code for r in bad] == [400, 400, 415, 400]
    before = len(c.upstream.requests)  # a body of unexpected shape is masked whole
    r = c.send("POST", "/openai/v1/chat/completions", headers=h, content=json.dumps({"messages": v}).encode())
    assert r.status_code == 200
    c.check("a body of unexpected shape sent upstream", c.upstream.requests[before].body.decode())
    for r in bad:
        c.check("an error answer", r.text, allowed=(v,) if v in r.request.content.decode() else ())
    # a filter in the query string, session names in API paths and filters
    r = c.send("GET", f"/openai/v1/chat/completions?metadata[owner]={quote(v)}&limit=2", headers=h)
    assert r.status_code == 200
    for path in (f"/sessions/{quote(name)}", f"/audit?session={quote(name)}"):
        assert c.api("GET", path, READ).status_code == 200
    r = c.api("POST", f"/sessions/{quote(name)}/extend", ADMIN, json={"seconds": 600})
    assert r.status_code == 200
    # the admin UI with a `read` login: its pages, and a search for sessions holding a value
    with httpx.Client(base_url=c.url, timeout=60) as ui:
        form = ui.get("/ui/login").text
        r = ui.post("/ui/login", data={"csrf": _csrf(form), "token": READ})
        assert r.status_code == 303, r.text
        for page in ("/ui/", "/ui/traffic", "/ui/audit", "/ui/sessions", "/ui/settings"):
            r = ui.get(page)
            assert r.status_code == 200, page
            c.check(f"UI page {page}", r.text)
        r = ui.post("/ui/sessions", data={"csrf": _csrf(ui.get("/ui/sessions").text), "value": v})
        assert r.status_code == 200
        c.check("UI session search", r.text, allowed=(v,))  # the form shows what was typed
        c.requests += 9
    # the trail, as the API exports it and as stored
    trail = c.api("GET", "/audit?format=jsonl&limit=1000", READ).text
    assert trail.count("\n") >= 10
    c.check("the audit trail (JSONL)", trail)
    time.sleep(1.5)  # the trail is written in the background
    for f in sorted(c.data.rglob("*")):
        if f.is_file() and f.name != "server.log":
            raw = f.read_bytes().decode("latin-1")
            # the runtime settings document beside the trail holds the dictionary: configuration
            dictionary = (DENY_TERM,) if f.name.startswith("vault-audit.db") else ()
            c.check(f"file {f.name}", raw, allowed=dictionary)
            assert not any(n in raw for n in c.names), f.name
    log = c.log.read_text()
    c.check("the server log", log)
    assert not any(n in log or quote(n, safe="") in log for n in c.names), [n for n in c.names if n in log]
    assert "Traceback" not in log
    print(
        f"\nsecurity campaign: {c.requests} requests, {len(c.planted)} planted values placed {c.placed} times, "
        f"{len(c.leaks)} leaked, {c.resolutions} cross-credential resolutions, {len(c.names)} session names"
    )


def test_request_errors_do_not_echo_mapping_keys(campaign: Campaign) -> None:
    c = campaign
    value = c.values("dict")[0]
    r = c.api("PUT", "/dictionary", ADMIN, json={"deny": {value: ["x"]}})
    assert r.status_code == 422
    assert value not in r.text


def test_access_log_targets_lose_query_strings_and_session_names() -> None:
    from maskgate.server.accesslog import redact_target

    assert (
        redact_target("/openai/v1/chat/completions?metadata[owner]=jane%40x.org")
        == "/openai/v1/chat/completions?..."
    )
    assert redact_target("/api/v1/sessions/jane%40x.org/export") == "/api/v1/sessions/{name}/export"
    sid = "s_" + "0" * 32
    assert redact_target(f"/api/v1/sessions/{sid}?reveal=true") == f"/api/v1/sessions/{sid}?..."
    assert redact_target("/anthropic/v1/messages") == "/anthropic/v1/messages"
