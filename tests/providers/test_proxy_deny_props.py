"""Property test of deny by default (issue 12 item 1): random extra fields and unknown block or item
types, at any depth of every API's request, with planted values in them; no planted value reaches the
upstream in any encoding. Bounded (a few hundred requests to a real proxy on loopback)."""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_upstream import EMAIL, NAME, FakeUpstream, new_key
from maskgate.providers import anthropic, openai_chat, openai_responses
from maskgate.providers.jsonwalk import TOOL_KEEP

pytest_plugins = ("proxy_fixtures",)

PLANTED = (EMAIL, NAME, "4111 1111 1111 1111", "(415) 555-2671")
TEMPLATES = ("{}", "Contact: {}.")
# Places passed as they are by design (settings, schemas, signed blocks): no field is planted there.
KEPT = (
    set(anthropic.KEPT) | set(openai_chat.KEPT) | set(openai_responses.KEPT) | TOOL_KEEP
    | {"response_format", "text", "input_schema", "encoding_format"}
)  # fmt: skip
SIGNED = {"thinking", "redacted_thinking", "compaction", "reasoning", "item_reference"}

TOOLS_ANTHROPIC = [{"name": "f", "description": "d", "input_schema": {"type": "object"}}]
ANTHROPIC = {
    "model": "m",
    "max_tokens": 5,
    "system": [{"type": "text", "text": "sys"}],
    "metadata": {"user_id": "u1"},
    "tools": TOOLS_ANTHROPIC,
    "messages": [
        {"role": "user", "content": [
            {"type": "text", "text": "hi"},
            {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "doc"}, "title": "t"},
        ]},
        {"role": "assistant", "content": [{"type": "thinking", "thinking": "<PERSON_1> asked", "signature": "c2ln"},
                                          {"type": "tool_use", "id": "t1", "name": "f", "input": {"a": "b"}}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "ok"}]},
        ]},
    ],
}  # fmt: skip
CHAT = {
    "model": "m",
    "user": "u1",
    "stop": ["END"],
    "tools": [{"type": "function", "function": {"name": "f", "description": "d", "parameters": {}}}],
    "messages": [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": [{"type": "text", "text": "hi"},
                                     {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}]},
        {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                                              "function": {"name": "f", "arguments": "{\"a\": 1}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "done"},
    ],
}  # fmt: skip
RESPONSES = {
    "model": "m",
    "instructions": "be brief",
    "metadata": {"k": "v"},
    "prompt": {"id": "pmpt_1", "variables": {"who": "someone"}},
    "tools": [{"type": "function", "name": "f", "description": "d", "parameters": {}}],
    "input": [
        {"role": "user", "content": [{"type": "input_text", "text": "hi"}]},
        {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "done"},
        {"type": "custom_tool_call", "call_id": "c2", "name": "g", "input": "go"},
        {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "s"}], "encrypted_content": "ZW5j"},
    ],
}  # fmt: skip
EMBEDDINGS = {"model": "e", "input": ["one", "two"], "user": "u1"}
MODERATIONS = {"model": "e", "input": [{"type": "text", "text": "one"}]}
CONVERSATION = {"items": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}],
                "metadata": {"k": "v"}}  # fmt: skip

CASES = [
    ("/anthropic/v1/messages", ANTHROPIC),
    ("/anthropic/v1/messages/count_tokens", ANTHROPIC),
    ("/openai/v1/chat/completions", CHAT),
    ("/openai/v1/chat/completions/chatcmpl_1", {"metadata": {"k": "v"}}),
    ("/openai/v1/responses", RESPONSES),
    ("/openai/v1/responses/input_tokens", RESPONSES),
    ("/openai/v1/responses/compact", RESPONSES),
    ("/openai/v1/conversations", CONVERSATION),
    ("/openai/v1/conversations/conv_1/items", CONVERSATION),
    ("/openai/v1/embeddings", EMBEDDINGS),
    ("/openai/v1/moderations", MODERATIONS),
]

names = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).map(lambda s: "zz_" + s)
planted = st.builds(lambda t, v: t.format(v), st.sampled_from(TEMPLATES), st.sampled_from(PLANTED))
payloads = st.recursive(
    planted | planted.map(lambda p: json.dumps({"zz_json": p})),
    lambda inner: (
        st.lists(inner, min_size=1, max_size=2) | st.dictionaries(names, inner, min_size=1, max_size=2)
    ),
    max_leaves=4,
)


def containers(node: Any, out: list[Any]) -> list[Any]:
    """Every object and list of a request where a field may be planted (not kept places)."""
    if isinstance(node, dict):
        out.append(node)
        if node.get("type") in SIGNED:  # a new field may be added, the signed content is kept
            return out
        for k, v in node.items():
            if k not in KEPT:
                containers(v, out)
    elif isinstance(node, list):
        out.append(node)
        for v in node:
            containers(v, out)
    return out


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        spots = containers(body, [])
        spot = spots[draw(st.integers(0, len(spots) - 1))]
        value = draw(payloads)
        if isinstance(spot, dict):
            spot[draw(names)] = value
        else:  # an unknown block / item / part type, or a bare value where one is expected
            kind = draw(st.sampled_from(["block", "bare"]))
            item = {"type": draw(names), draw(names): value} if kind == "block" else value
            spot.insert(draw(st.integers(0, len(spot))), item)
    return body


def encodings(value: str) -> set[str]:
    escaped = json.dumps(value)[1:-1]
    return {
        value,
        escaped,
        json.dumps(escaped)[1:-1],  # JSON text inside a JSON string
        "".join(f"\\u{ord(c):04x}" for c in value),
        quote(value),
        quote_plus(value),
    }


def assert_nothing_planted(fake: FakeUpstream, key: str) -> None:
    records = fake.for_key(key)
    assert records, "no request reached the upstream"
    for rec in records:
        seen = rec.body.decode() + "\n" + rec.query
        for value in PLANTED:
            for form in encodings(value):
                assert form not in seen, f"{value!r} leaked to {rec.path}: {seen[:2000]}"


@pytest.mark.parametrize(("path", "base"), CASES, ids=[c[0] for c in CASES])
def test_planted_values_in_unknown_places_never_reach_the_upstream(proxy, fake_upstream, path, base):
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=mutated(base), ascii_only=st.booleans())
    def check(body: dict[str, Any], ascii_only: bool) -> None:
        key = new_key()
        raw = json.dumps(body, ensure_ascii=ascii_only)  # \\u-escaped on the wire, or not
        headers = {"x-api-key": key, "authorization": f"Bearer {key}", "content-type": "application/json"}
        resp = httpx.post(f"{proxy}{path}", content=raw, headers=headers, timeout=60)
        if not fake_upstream.for_key(key):  # refused whole (a shape no rule reads): a clean 4xx
            assert 400 <= resp.status_code < 500, resp.text
            return
        # sent: the fake upstream may choke on a mutated shape (its 500), but nothing planted went out
        assert_nothing_planted(fake_upstream, key)

    check()


pytestmark = pytest.mark.slow  # hypothesis over every API shape
