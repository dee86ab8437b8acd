"""Answers are unmasked in every field, known or not (issue 12 item 1, response side): a placeholder in
a field or event type the walker does not know still reaches the client as its value; signed and
encrypted content (thinking, reasoning) keeps its placeholders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.responses import JSONResponse, Response
from test_proxy_audit import Scripted, sse

from fake_upstream import EMAIL, PLACEHOLDER, new_key
from maskgate.masking import Masker
from maskgate.server.app import create_app

pytest_plugins = ("proxy_fixtures",)


@pytest.fixture(scope="module")
def scripted(proxy_masker: Masker) -> Iterator[tuple[Scripted, str]]:
    from proxy_fixtures import Served, proxy_settings

    up = Scripted()
    upstream = Served(up.app)
    proxy = Served(create_app(proxy_settings(upstream.url), proxy_masker))
    yield up, proxy.url
    proxy.stop()
    upstream.stop()


def ask(url: str, path: str, body: dict[str, Any]) -> httpx.Response:
    key = new_key()
    headers = {"x-api-key": key, "authorization": f"Bearer {key}", "anthropic-version": "2023-06-01"}
    return httpx.post(f"{url}{path}", json=body, headers=headers, timeout=30)


def events(resp: httpx.Response) -> list[dict[str, Any]]:
    return [json.loads(line[6:]) for line in resp.text.splitlines() if line.startswith("data: {")]


ANTHROPIC = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": f"mail {EMAIL}"}]}


def test_anthropic_unknown_answer_fields_are_unmasked(scripted):
    up, url = scripted

    def reply(found: list[str]) -> Response:
        p = found[0]
        thinking = {"type": "thinking", "thinking": f"about {p}", "signature": "c2ln"}
        content = [thinking, {"type": "text", "text": "ok", "x_note": p}, {"type": "new_block", "who": [p]}]
        msg = {"id": "msg_1", "type": "message", "role": "assistant", "content": content,
               "x_summary": {"deep": f"for {p}"}, "stop_reason": "end_turn"}  # fmt: skip
        if not up.streamed:
            return JSONResponse(msg)
        return sse(
            [
                {"type": "message_start", "message": {**msg, "content": []}},
                {"type": "content_block_start", "index": 0, "content_block": thinking},
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "thinking_delta", "thinking": p},
                },
                {"type": "content_block_stop", "index": 0},
                {"type": "brand_new_event", "payload": {"list": [f"to {p}"]}},
                {"type": "message_stop"},
            ]
        )

    up.reply = reply
    up.streamed = False
    out = ask(url, "/anthropic/v1/messages", ANTHROPIC).json()
    assert out["x_summary"] == {"deep": f"for {EMAIL}"}
    assert out["content"][1]["x_note"] == EMAIL and out["content"][2]["who"] == [EMAIL]
    assert PLACEHOLDER.search(out["content"][0]["thinking"])  # signed: as the model wrote it
    up.streamed = True
    evs = events(ask(url, "/anthropic/v1/messages", {**ANTHROPIC, "stream": True}))
    assert evs[0]["message"]["x_summary"] == {"deep": f"for {EMAIL}"}
    assert evs[4]["payload"] == {"list": [f"to {EMAIL}"]}
    assert PLACEHOLDER.fullmatch(evs[2]["delta"]["thinking"]) and PLACEHOLDER.search(
        evs[1]["content_block"]["thinking"]
    )


def test_chat_unknown_answer_fields_are_unmasked(scripted):
    up, url = scripted

    def reply(found: list[str]) -> Response:
        p = found[0]
        if not up.streamed:
            msg = {"role": "assistant", "content": "ok", "reasoning_content": f"think {p}"}
            return JSONResponse({"id": "c1", "object": "chat.completion", "x_top": [p],
                                 "choices": [{"index": 0, "message": msg, "finish_reason": "stop"}]})  # fmt: skip
        chunks = [
            {"id": "c1", "choices": [{"index": 0, "delta": {"reasoning_content": f"think {p}"}}]},
            {"id": "c1", "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": "stop"}]},
        ]
        return sse(chunks, named=False)

    up.reply = reply
    body = {"model": "m", "messages": [{"role": "user", "content": f"mail {EMAIL}"}]}
    up.streamed = False
    out = ask(url, "/openai/v1/chat/completions", body).json()
    assert out["x_top"] == [EMAIL] and out["choices"][0]["message"]["reasoning_content"] == f"think {EMAIL}"
    up.streamed = True
    evs = events(ask(url, "/openai/v1/chat/completions", {**body, "stream": True}))
    assert evs[0]["choices"][0]["delta"]["reasoning_content"] == f"think {EMAIL}"
    assert evs[1]["choices"][0]["delta"]["content"] == EMAIL  # once, not unmasked twice


def test_responses_unknown_answer_fields_are_unmasked(scripted):
    up, url = scripted

    def reply(found: list[str]) -> Response:
        p = found[0]
        reasoning = {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": p}]}
        output = [reasoning, {"type": "future_call", "id": "fc_1", "detail_text": f"for {p}"}]
        resp = {"id": "resp_1", "object": "response", "output": output, "x_new": {"v": p}}
        if not up.streamed:
            return JSONResponse(resp)
        return sse(
            [
                {"type": "response.created", "sequence_number": 0, "response": {**resp, "output": []}},
                {"type": "response.future_thing.done", "sequence_number": 1, "value": f"to {p}"},
                {"type": "response.completed", "sequence_number": 2, "response": resp},
            ]
        )

    up.reply = reply
    body = {"model": "m", "input": f"mail {EMAIL}"}
    up.streamed = False
    out = ask(url, "/openai/v1/responses", body).json()
    assert out["x_new"] == {"v": EMAIL} and out["output"][1]["detail_text"] == f"for {EMAIL}"
    assert PLACEHOLDER.fullmatch(out["output"][0]["summary"][0]["text"])  # reasoning: opaque
    up.streamed = True
    evs = events(ask(url, "/openai/v1/responses", {**body, "stream": True}))
    assert evs[0]["response"]["x_new"] == {"v": EMAIL} and evs[1]["value"] == f"to {EMAIL}"
    assert evs[2]["response"]["output"][1]["detail_text"] == f"for {EMAIL}"


def test_embeddings_answer_errors_and_new_fields_are_unmasked(scripted):
    up, url = scripted
    up.streamed = False
    up.reply = lambda found: JSONResponse(
        {"object": "list", "data": [{"embedding": [0.5], "index": 0}], "x_echo": found[0]}
    )
    out = ask(url, "/openai/v1/embeddings", {"model": "e", "input": f"mail {EMAIL}"}).json()
    assert out["x_echo"] == EMAIL and out["data"][0]["embedding"] == [0.5]


def test_escaped_placeholders_in_stream_events_are_unmasked(scripted):
    """An upstream may write `<` as `\\u003c` (Go's encoding/json does): still unmasked."""
    up, url = scripted

    def reply(found: list[str]) -> Response:
        escaped = json.dumps({"id": "c1", "x_note": f"to {found[0]}", "choices": []}).replace("<", "\\u003c")
        return Response(f"data: {escaped}\n\ndata: [DONE]\n\n", media_type="text/event-stream")

    up.reply = reply
    body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": f"mail {EMAIL}"}]}
    assert events(ask(url, "/openai/v1/chat/completions", body))[0]["x_note"] == f"to {EMAIL}"
