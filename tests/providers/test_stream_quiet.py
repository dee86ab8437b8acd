"""`rewrite_chunk`: events a stream rewriter calls quiet pass unparsed, and a chunk of whole quiet
events passes unsplit. For any stream (placeholders cut across deltas, escaped `<`, tool input, CRLF
framing) and any split into network chunks, the bytes sent are exactly those of parsing and
rewriting every event."""

from __future__ import annotations

import itertools
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate.detect.pipeline import Pipeline
from maskgate.masking.masker import Masker
from maskgate.providers.anthropic import AnthropicMessages
from maskgate.providers.base import SseParser, StreamRewriter, Unmask, rewrite_chunk
from maskgate.providers.openai_chat import OpenAIChat
from maskgate.vault.memory import MemoryStore

SESSION = "quiet"
MASKER = Masker(Pipeline([]), MemoryStore())
PERSON, EMAIL = MASKER.store.assign(SESSION, [("PERSON", "Rose Young"), ("EMAIL", "r.young@example.org")])
PIECES = st.sampled_from(
    ["Hello ", PERSON, EMAIL, " a<b ", "<", "<PERS", "<EMAIL_9>", "é ", "x" * 20, "\n", '"q"', "<PERSON_1"]
)


def cut(text: str, points: list[int]) -> list[str]:
    at = sorted({p % (len(text) + 1) for p in points} | {0, len(text)})
    return [text[a:b] for a, b in itertools.pairwise(at) if b > a]


def event(data: Any, name: str | None, escape: bool, crlf: bool) -> bytes:
    body = orjson.dumps(data)
    if escape:  # the same JSON, its `<` written as an escape (some servers escape HTML characters)
        body = body.replace(b"<", b"\\u003c")
    head = f"event: {name}\n".encode() if name else b""
    out = head + b"data: " + body + b"\n\n"
    return out.replace(b"\n", b"\r\n") if crlf else out


@st.composite
def anthropic_stream(draw: st.DrawFn) -> bytes:
    crlf = draw(st.booleans()) and draw(st.booleans())
    esc = st.booleans()
    text = "".join(draw(st.lists(PIECES, max_size=12)))
    tool = orjson.dumps({"to": draw(PIECES) + draw(PIECES), "n": 1}).decode()
    out = [
        event({"type": "message_start", "message": {"id": "m", "content": []}}, "message_start", False, crlf)
    ]
    start = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
    out.append(event(start, "content_block_start", draw(esc), crlf))
    for piece in cut(text, draw(st.lists(st.integers(0, 200), max_size=8))):
        delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}
        out.append(event(delta, "content_block_delta", draw(esc), crlf))
    out.append(event({"type": "content_block_stop", "index": 0}, "content_block_stop", False, crlf))
    use = {"type": "tool_use", "id": "t", "name": "mail", "input": {}}
    out.append(
        event(
            {"type": "content_block_start", "index": 1, "content_block": use},
            "content_block_start",
            False,
            crlf,
        )
    )
    for piece in cut(tool, draw(st.lists(st.integers(0, 200), max_size=6))):
        delta = {
            "type": "content_block_delta",
            "index": 1,
            "delta": {"type": "input_json_delta", "partial_json": piece},
        }
        out.append(event(delta, "content_block_delta", draw(esc), crlf))
    out.append(event({"type": "content_block_stop", "index": 1}, "content_block_stop", False, crlf))
    out.append(event({"type": "message_stop"}, "message_stop", False, crlf))
    return b"".join(out)


@st.composite
def chat_stream(draw: st.DrawFn) -> bytes:
    crlf = draw(st.booleans()) and draw(st.booleans())
    text = "".join(draw(st.lists(PIECES, max_size=12)))
    base = {"id": "c", "object": "chat.completion.chunk", "model": "m"}
    out = []
    for piece in cut(text, draw(st.lists(st.integers(0, 200), max_size=8))):
        choice = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
        out.append(event({**base, "choices": [choice]}, None, draw(st.booleans()), crlf))
    out.append(
        event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}, None, False, crlf)
    )
    out.append(b"data: [DONE]\r\n\r\n" if crlf else b"data: [DONE]\n\n")
    return b"".join(out)


def every_event(stream: bytes, rewriter: StreamRewriter) -> bytes:
    parser = SseParser()
    out = [b for ev in parser.feed(stream) for b in rewriter.event(ev)]
    return b"".join(out + [b for ev in parser.close() for b in rewriter.event(ev)])


def quietly(chunks: list[bytes], rewriter: StreamRewriter) -> bytes:
    parser = SseParser()
    out = [rewrite_chunk(parser, rewriter, c) for c in chunks]
    return b"".join(out + [b for ev in parser.close() for b in rewriter.event(ev)])


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


@settings(max_examples=300, deadline=None)
@given(stream=anthropic_stream(), cuts=st.lists(st.integers(0, 5000), max_size=10))
def test_anthropic_quiet_events_change_no_byte(stream: bytes, cuts: list[int]) -> None:
    api = AnthropicMessages()
    expected = every_event(stream, api.stream(Unmask(MASKER, SESSION)))
    assert quietly(split(stream, cuts), api.stream(Unmask(MASKER, SESSION))) == expected


@settings(max_examples=300, deadline=None)
@given(stream=chat_stream(), cuts=st.lists(st.integers(0, 5000), max_size=10))
def test_chat_quiet_chunks_change_no_byte(stream: bytes, cuts: list[int]) -> None:
    api = OpenAIChat()
    expected = every_event(stream, api.stream(Unmask(MASKER, SESSION)))
    assert quietly(split(stream, cuts), api.stream(Unmask(MASKER, SESSION))) == expected


def test_a_placeholder_cut_across_deltas_is_still_put_back() -> None:
    """The quiet path must not let a held-back `<PERS` pass: its rest has no `<` of its own."""
    head, tail = PERSON[:4], PERSON[4:]
    events = [
        event({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}, "content_block_start", False, False),
        event({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "to " + head}}, "content_block_delta", False, False),
        event({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": tail + " now"}}, "content_block_delta", False, False),
        event({"type": "content_block_stop", "index": 0}, "content_block_stop", False, False),
    ]  # fmt: skip
    out = quietly(events, AnthropicMessages().stream(Unmask(MASKER, SESSION)))
    assert b"Rose Young now" in out and b"PERSON" not in out


def test_a_chunk_without_placeholders_passes_unsplit() -> None:
    rewriter = AnthropicMessages().stream(Unmask(MASKER, SESSION))
    parser = SseParser()
    start = event({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}, "content_block_start", False, False)  # fmt: skip
    assert rewrite_chunk(parser, rewriter, start) == start
    burst = b"".join(
        event({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": f"w{i} "}}, "content_block_delta", False, False)
        for i in range(50)
    )  # fmt: skip
    assert rewriter.quiet(burst) and parser.idle
    assert rewrite_chunk(parser, rewriter, burst) == burst
