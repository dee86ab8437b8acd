"""A fake Anthropic/OpenAI upstream that answers instantly, for benchmarks and performance tests.

A bare ASGI app (no framework) so its own cost is small and the same for direct and proxied calls.
The answer repeats a sentence naming the placeholders found in the request (so the proxy really
unmasks), padded to `x-bench-answer-bytes` (default 1024); streamed answers go out as SSE
`text_delta` / `delta.content` events of `x-bench-chunk` characters (default 16), one send each.

    python benchmarks/fake_upstream.py --port 9100
"""

from __future__ import annotations

import argparse
import re
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_PLACEHOLDER = re.compile(rb"<[A-Z][A-Z0-9_]*_[1-9][0-9]*>")


def answer_text(body: bytes, size: int) -> str:
    found: list[str] = []
    for m in _PLACEHOLDER.finditer(body[-8192:]):
        ph = m.group(0).decode()
        if ph not in found:
            found.append(ph)
        if len(found) == 4:
            break
    who = found or ["the team"]
    parts: list[str] = []
    n = 0
    i = 0
    while n < size:
        s = f"Sure, I will write to {who[i % len(who)]} about the export report and the invoice. "
        parts.append(s)
        n += len(s)
        i += 1
    return "".join(parts)[:size]


def _event(data: Any, event: str | None = None) -> bytes:
    head = b"event: " + event.encode() + b"\n" if event else b""
    return head + b"data: " + orjson.dumps(data) + b"\n\n"


def anthropic_events(text: str, chunk: int) -> list[bytes]:
    msg = {
        "id": "msg_bench",
        "type": "message",
        "role": "assistant",
        "model": "claude-bench",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 1},
    }
    out = [
        _event({"type": "message_start", "message": msg}, "message_start"),
        _event(
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            "content_block_start",
        ),
    ]
    for i in range(0, len(text), chunk):
        delta = {"type": "text_delta", "text": text[i : i + chunk]}
        out.append(_event({"type": "content_block_delta", "index": 0, "delta": delta}, "content_block_delta"))
    out.append(_event({"type": "content_block_stop", "index": 0}, "content_block_stop"))
    stop = {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}}
    out.append(_event({**stop, "usage": {"output_tokens": 5}}, "message_delta"))
    out.append(_event({"type": "message_stop"}, "message_stop"))
    return out


def anthropic_message(text: str) -> dict[str, Any]:
    return {
        "id": "msg_bench",
        "type": "message",
        "role": "assistant",
        "model": "claude-bench",
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 5},
    }


def openai_events(text: str, chunk: int) -> list[bytes]:
    base = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1, "model": "gpt-bench"}

    def ev(delta: dict[str, Any], finish: str | None = None) -> bytes:
        return _event({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

    out = [ev({"role": "assistant", "content": ""})]
    out += [ev({"content": text[i : i + chunk]}) for i in range(0, len(text), chunk)]
    out.append(ev({}, "stop"))
    out.append(b"data: [DONE]\n\n")
    return out


def openai_message(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-bench",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class FakeUpstream:
    """Counts requests and keeps the last body received (to check what was sent upstream)."""

    def __init__(self) -> None:
        self.count = 0
        self.last_body = b""
        self.bodies: list[bytes] = []
        self.keep_bodies = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        chunks: list[bytes] = []
        while True:
            msg = await receive()
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        body = b"".join(chunks)
        self.count += 1
        self.last_body = body
        if self.keep_bodies:
            self.bodies.append(body)
        headers = dict(scope["headers"])
        size = int(headers.get(b"x-bench-answer-bytes", b"1024"))
        chunk = max(1, int(headers.get(b"x-bench-chunk", b"16")))
        path: str = scope["path"]
        anthropic = path.endswith("/messages")
        if not (anthropic or path.endswith("/chat/completions")):
            await self._send(send, 404, b'{"error":"not found"}', b"application/json")
            return
        try:
            stream = bool(orjson.loads(body).get("stream")) if body else False
        except orjson.JSONDecodeError:
            await self._send(send, 400, b'{"error":"bad json"}', b"application/json")
            return
        text = answer_text(body, size)
        if not stream:
            obj = anthropic_message(text) if anthropic else openai_message(text)
            await self._send(send, 200, orjson.dumps(obj), b"application/json")
            return
        events = anthropic_events(text, chunk) if anthropic else openai_events(text, chunk)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")],
            }
        )
        for ev in events:
            await send({"type": "http.response.body", "body": ev, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    @staticmethod
    async def _send(send: Send, status: int, body: bytes, ctype: bytes) -> None:
        headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    import uvicorn

    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9100)
    args = ap.parse_args()
    uvicorn.run(FakeUpstream(), host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
