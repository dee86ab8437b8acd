"""Deny by default: a request field the walker does not know is masked, not forwarded raw (issue 12
item 1). Known fields on the allow lists (model, ids, enums, tool names, signatures) keep their bytes."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx

from fake_upstream import EMAIL, NAME, FakeUpstream, assert_no_pii, new_key

pytest_plugins = ("proxy_fixtures",)

CARD = "4111 1111 1111 1111"
PLANTED = (EMAIL, NAME, CARD)


def post(proxy: str, path: str, body: dict[str, Any], key: str) -> httpx.Response:
    headers = {"x-api-key": key, "authorization": f"Bearer {key}", "anthropic-version": "2023-06-01"}
    return httpx.post(f"{proxy}{path}", json=body, headers=headers, timeout=30)


def sent(fake: FakeUpstream, key: str) -> dict[str, Any]:
    return fake.for_key(key)[-1].json()  # type: ignore[no-any-return]


def test_unknown_fields_are_masked_in_the_issue_example(proxy, fake_upstream):
    key = new_key()
    body = {
        "model": "m",
        "max_tokens": 5,
        "container": EMAIL,
        "messages": [{"role": "user", "content": "hi", "note": f"card {CARD}"}],
    }
    assert post(proxy, "/anthropic/v1/messages", body, key).status_code == 200
    assert_no_pii(fake_upstream, key, PLANTED)
    out = sent(fake_upstream, key)
    assert out["container"] == "<EMAIL_1>" and out["model"] == "m" and out["max_tokens"] == 5


def test_anthropic_unknown_places_are_masked(proxy, fake_upstream):
    key = new_key()
    body = {
        "model": "claude-x",
        "max_tokens": 5,
        "mcp_servers": [
            {
                "type": "url",
                "url": "https://mcp.example.net/sse",
                "name": "crm",
                "tool_configuration": {"allowed_tools": [f"mail {EMAIL}"], "enabled": True},
            }
        ],
        "future_field": {"deep": [{"deeper": f"call {NAME}"}]},
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "hi", "extra": EMAIL},
                    {"type": "brand_new_block", "payload": {"who": NAME, "n": 3}},
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok", "meta": {"x": CARD}},
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0K"},
                     "caption": EMAIL},
                ],
            }
        ],
    }  # fmt: skip
    assert post(proxy, "/anthropic/v1/messages", copy.deepcopy(body), key).status_code == 200
    assert post(proxy, "/anthropic/v1/messages/count_tokens", copy.deepcopy(body), key).status_code == 200
    assert_no_pii(fake_upstream, key, PLANTED)
    out = sent(fake_upstream, key)
    server = out["mcp_servers"][0]
    assert (server["url"], server["name"], server["type"]) == ("https://mcp.example.net/sse", "crm", "url")
    blocks = out["messages"][0]["content"]
    assert blocks[1]["type"] == "brand_new_block" and blocks[1]["payload"]["n"] == 3
    assert blocks[3]["source"] == body["messages"][0]["content"][3]["source"]  # type: ignore[index]


def test_anthropic_kept_fields_keep_their_bytes(proxy, fake_upstream):
    """Signed thinking blocks, tool names and settings are on the allow lists: not even looked at."""
    key = new_key()
    thinking = {"type": "thinking", "thinking": f"about {NAME}", "signature": "c2ln"}
    use = {"type": "tool_use", "id": "toolu_1", "name": "John_Smith_tool", "input": {"to": EMAIL}}
    body = {
        "model": "claude-x",
        "max_tokens": 5,
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "tool_choice": {"type": "tool", "name": "John_Smith_tool"},
        "messages": [
            {"role": "user", "content": "go"},
            {"role": "assistant", "content": [thinking, use]},
        ],
    }
    assert post(proxy, "/anthropic/v1/messages", copy.deepcopy(body), key).status_code == 200
    out = sent(fake_upstream, key)
    assert out["thinking"] == body["thinking"] and out["tool_choice"] == body["tool_choice"]
    assert out["messages"][1]["content"][0] == thinking
    assert out["messages"][1]["content"][1]["name"] == "John_Smith_tool"
    assert out["messages"][1]["content"][1]["input"] == {"to": "<EMAIL_1>"}


def test_openai_chat_unknown_places_are_masked(proxy, fake_upstream):
    key = new_key()
    body = {
        "model": "gpt-x",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "hi", "annotation": EMAIL}], "x_note": NAME},
            {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "x": CARD,
                                                  "function": {"name": "lookup", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "name": "lookup", "content": "done"},
        ],
        "tools": [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}},
                   "x_owner": EMAIL}],
        "new_setting": f"owner {NAME}",
    }  # fmt: skip
    assert post(proxy, "/openai/v1/chat/completions", body, key).status_code == 200
    assert_no_pii(fake_upstream, key, PLANTED)
    out = sent(fake_upstream, key)
    messages = out["messages"][1:]  # after the system note
    assert messages[1]["tool_calls"][0]["function"] == {"name": "lookup", "arguments": "{}"}
    assert messages[2]["name"] == "lookup" and out["tools"][0]["function"]["name"] == "lookup"


def test_openai_responses_unknown_places_are_masked(proxy, fake_upstream):
    key = new_key()
    body = {
        "model": "gpt-x",
        "reasoning": {"effort": "low"},
        "input": [
            {"role": "user", "content": [{"type": "input_text", "text": "hi", "x": EMAIL}]},
            {"type": "web_search_call", "id": "ws_1", "status": "completed",
             "action": {"type": "search", "query": f"where does {NAME} live"}},
            {"type": "future_item", "id": "fi_1", "stuff": [[{"k": CARD}]]},
            {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "ZW5j"},
        ],
        "future": {"x": EMAIL},
    }  # fmt: skip
    for path in ("responses", "responses/input_tokens", "responses/compact"):
        assert post(proxy, f"/openai/v1/{path}", copy.deepcopy(body), key).status_code == 200
    assert_no_pii(fake_upstream, key, PLANTED)
    out = sent(fake_upstream, key)
    assert out["reasoning"] == {"effort": "low"} and out["input"][3] == body["input"][3]  # type: ignore[index]


def test_embeddings_and_moderations_extra_fields_are_masked(proxy, fake_upstream):
    key = new_key()
    body = {"model": "emb", "input": "hello", "encoding_format": "float", "tag": EMAIL, "x": {"y": NAME}}
    assert post(proxy, "/openai/v1/embeddings", copy.deepcopy(body), key).status_code == 200
    assert post(proxy, "/openai/v1/moderations", copy.deepcopy(body), key).status_code == 200
    assert_no_pii(fake_upstream, key, PLANTED)
    assert sent(fake_upstream, key)["encoding_format"] == "float"


def test_masked_unknown_fields_are_byte_stable(proxy, fake_upstream):
    """The same request masks to the same bytes every time (prompt caches keep hitting)."""
    key = new_key()
    body = {"model": "m", "max_tokens": 5, "x_profile": {"mail": EMAIL, "card": CARD},
            "messages": [{"role": "user", "content": "hi", "x": NAME}]}  # fmt: skip
    for _ in range(2):
        assert post(proxy, "/anthropic/v1/messages", copy.deepcopy(body), key).status_code == 200
    first, second = (r.body for r in fake_upstream.for_key(key))
    assert first == second
    assert json.loads(first)["x_profile"]["card"] != CARD


def test_signed_blocks_keep_their_content_but_not_unknown_fields(proxy, fake_upstream):
    key = new_key()
    thinking = {"type": "thinking", "thinking": f"about {NAME}", "signature": "c2ln"}
    body = {
        "model": "m",
        "max_tokens": 5,
        "messages": [
            {"role": "user", "content": "go"},
            {"role": "assistant", "content": [{**thinking, "x_note": EMAIL}]},
            {"role": "user", "content": "on"},
        ],
    }
    assert post(proxy, "/anthropic/v1/messages", body, key).status_code == 200
    block = sent(fake_upstream, key)["messages"][1]["content"][0]
    assert {k: block[k] for k in thinking} == thinking and block["x_note"] == "<EMAIL_1>"
