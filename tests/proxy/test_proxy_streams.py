"""The SSE rewriters on their own: placeholders cut at every position, held tails, JSON escaping."""

from __future__ import annotations

import json

import pytest

from maskgate.detect.pipeline import Pipeline
from maskgate.masking import Masker
from maskgate.providers import Unmask
from maskgate.providers.anthropic import AnthropicStream
from maskgate.providers.base import SseParser
from maskgate.providers.openai_chat import ChatStream
from maskgate.providers.openai_responses import ResponsesStream

VALUE = 'Ann "Q" O\\Brien'


@pytest.fixture(scope="module")
def unmask() -> Unmask:
    masker = Masker(Pipeline([]))
    assert masker.store.assign("s", [("PERSON", VALUE)]) == ["<PERSON_1>"]
    return Unmask(masker, "s")


def ev(data: object, event: str | None = None) -> bytes:
    return (f"event: {event}\n" if event else "").encode() + b"data: " + json.dumps(data).encode() + b"\n\n"


def run(rewriter, raw: bytes, cut: int) -> list[dict]:
    parser = SseParser()
    out = b""
    for piece in (raw[:cut], raw[cut:]):
        for e in parser.feed(piece):
            out += b"".join(rewriter.event(e))
    return [json.loads(e.data) for e in SseParser().feed(out) if e.data and e.data != "[DONE]"]


def pieces(text: str, at: int) -> list[str]:
    return [text[:at], text[at:]] if 0 < at < len(text) else [text]


@pytest.mark.parametrize("at", range(0, 14))
def test_anthropic_text_and_json(unmask, at):
    text = "Hi <PERSON_1>, bye <PERS"  # ends in something that only looks like a placeholder start
    args = json.dumps({"who": "<PERSON_1>"})
    raw = ev(
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        "content_block_start",
    )
    for p in pieces(text, at):
        raw += ev(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
            "content_block_delta",
        )
    raw += ev({"type": "content_block_stop", "index": 0}, "content_block_stop")
    raw += ev(
        {
            "type": "content_block_start",
            "index": 1,
            "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}},
        },
        "content_block_start",
    )
    for p in pieces(args, at):
        raw += ev(
            {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": p},
            },
            "content_block_delta",
        )
    raw += ev({"type": "content_block_stop", "index": 1}, "content_block_stop")
    out = run(AnthropicStream(unmask), raw, at * 7)
    deltas = [e["delta"] for e in out if e["type"] == "content_block_delta"]
    assert "".join(d.get("text", "") for d in deltas) == f"Hi {VALUE}, bye <PERS"
    assert json.loads("".join(d.get("partial_json", "") for d in deltas)) == {"who": VALUE}
    assert out[-1]["type"] == "content_block_stop"


@pytest.mark.parametrize("at", range(0, 14, 3))
def test_chat_held_tail_released_in_finish_chunk(unmask, at):
    raw = b""
    for ci in (0, 1):
        for p in pieces("<PERSON_1> and <PERSON_", at):
            raw += ev({"choices": [{"index": ci, "delta": {"content": p}, "finish_reason": None}]})
        args = json.dumps({"a": "<PERSON_1>"})
        for p in pieces(args, at):
            raw += ev(
                {
                    "choices": [
                        {
                            "index": ci,
                            "delta": {"tool_calls": [{"index": 0, "function": {"arguments": p}}]},
                            "finish_reason": None,
                        }
                    ]
                }
            )
        raw += ev({"choices": [{"index": ci, "delta": {}, "finish_reason": "stop"}]})
    raw += b"data: [DONE]\n\n"
    out = run(ChatStream(unmask), raw, len(raw) // 2)
    for ci in (0, 1):
        deltas = [c["delta"] for e in out for c in e["choices"] if c["index"] == ci]
        assert "".join(d.get("content") or "" for d in deltas) == f"{VALUE} and <PERSON_"
        args = "".join(t["function"]["arguments"] for d in deltas for t in d.get("tool_calls", []))
        assert json.loads(args) == {"a": VALUE}


def test_responses_done_events(unmask):
    text = "x <PERSON_1> <PE"
    raw = b""
    for p in pieces(text, 5):
        raw += ev(
            {
                "type": "response.output_text.delta",
                "item_id": "m",
                "output_index": 0,
                "content_index": 0,
                "delta": p,
                "sequence_number": 1,
            },
            "response.output_text.delta",
        )
    raw += ev(
        {
            "type": "response.output_text.done",
            "item_id": "m",
            "output_index": 0,
            "content_index": 0,
            "text": text,
            "sequence_number": 2,
        },
        "response.output_text.done",
    )
    item = {
        "type": "function_call",
        "id": "f",
        "call_id": "c",
        "name": "n",
        "arguments": json.dumps({"a": "<PERSON_1>"}),
    }
    raw += ev(
        {"type": "response.output_item.done", "output_index": 1, "item": item, "sequence_number": 3},
        "response.output_item.done",
    )
    out = run(ResponsesStream(unmask), raw, 10)
    deltas = "".join(e["delta"] for e in out if e["type"] == "response.output_text.delta")
    done = next(e for e in out if e["type"] == "response.output_text.done")
    assert deltas == done["text"] == f"x {VALUE} <PE"
    assert json.loads(out[-1]["item"]["arguments"]) == {"a": VALUE}


def test_off_is_identity():
    rewriter = AnthropicStream(Unmask(None, "s"))
    raw = ev(
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        "content_block_start",
    )
    raw += ev(
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "<PERSON_1>"}},
        "content_block_delta",
    )
    out = b"".join(b for e in SseParser().feed(raw) for b in rewriter.event(e))
    assert out == raw


def test_tool_data_keys_are_masked_and_restored():
    from maskgate.detect.dictionary import DenyLayer
    from maskgate.providers.anthropic import AnthropicMessages
    from maskgate.providers.jsonwalk import Leaves
    from maskgate.providers.openai_chat import OpenAIChat

    masker = Masker(Pipeline([DenyLayer({"EMAIL": ["ann@x.org"]})]))
    args = json.dumps({"ann@x.org": {"note": "ann@x.org"}, "plain": 1})
    body = {
        "messages": [
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {"ann@x.org": "hi"}}],
            },
            {"role": "assistant", "tool_calls": [{"function": {"name": "f", "arguments": args}}]},
            {"role": "assistant", "tool_calls": [{"function": {"name": "f", "arguments": '{"a":  1}'}}]},
        ]
    }
    leaves = Leaves()
    AnthropicMessages().collect(body, leaves)
    OpenAIChat().collect(body, leaves)
    leaves.write([r.text for r in masker.mask_many(leaves.texts(), "s")])
    assert body["messages"][0]["content"][0]["input"] == {"<EMAIL_1>": "hi"}
    assert json.loads(body["messages"][1]["tool_calls"][0]["function"]["arguments"]) == {
        "<EMAIL_1>": {"note": "<EMAIL_1>"},
        "plain": 1,
    }
    assert body["messages"][2]["tool_calls"][0]["function"]["arguments"] == '{"a":  1}'  # untouched bytes
    answer = {"content": [{"type": "tool_use", "input": {"<EMAIL_1>": ["<EMAIL_1>"]}}]}
    AnthropicMessages().unmask_response(answer, Unmask(masker, "s"))
    assert answer["content"][0]["input"] == {"ann@x.org": ["ann@x.org"]}


@pytest.mark.parametrize(
    "api_name, body",
    [
        ("anthropic", {"messages": {"0": {"content": "ann@x.org"}}}),
        ("anthropic", {"messages": [{"role": "user", "content": ["ann@x.org", [{"x": "ann@x.org"}]]}]}),
        ("anthropic", {"messages": [{"role": "user", "content": {"text": "ann@x.org"}}], "system": 5}),
        (
            "chat",
            {"messages": [{"role": "user", "content": ["ann@x.org", {"type": "new", "text": "ann@x.org"}]}]},
        ),
        ("chat", {"messages": ["ann@x.org"]}),
        ("responses", {"input": ["ann@x.org", {"weird": "ann@x.org"}]}),
        ("responses", {"input": {"text": "ann@x.org"}}),
    ],
)
def test_malformed_shapes_are_masked_anyway(api_name, body):
    from maskgate.detect.dictionary import DenyLayer
    from maskgate.providers.anthropic import AnthropicMessages
    from maskgate.providers.jsonwalk import Leaves
    from maskgate.providers.openai_chat import OpenAIChat
    from maskgate.providers.openai_responses import OpenAIResponses

    api = {"anthropic": AnthropicMessages(), "chat": OpenAIChat(), "responses": OpenAIResponses()}[api_name]
    masker = Masker(Pipeline([DenyLayer({"EMAIL": ["ann@x.org"]})]))
    leaves = Leaves()
    api.collect(body, leaves)
    leaves.write([r.text for r in masker.mask_many(leaves.texts(), "s")])
    assert "ann@x.org" not in json.dumps(body)
