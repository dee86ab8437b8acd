"""A fake Anthropic + OpenAI upstream: a real ASGI app that records every request and answers like
the real APIs, echoing the text it received (placeholders included) so unmasking is exercised.

Streams go out in tiny random pieces: text split into 1-3 character deltas and the SSE bytes split
into random network chunks, so placeholders get cut across events and events across reads.
Behaviour per request via the `x-fake-mode` header: tool, thinking, error429, drop, gzip.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import re
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*_[1-9][0-9]*>")
# Test data: values the default pipeline detects (checked by the proxy_masker fixture).
FAIL_TRIGGER = "TRIGGER-DETECTION-FAILURE"
# Values the default pipeline detects; a codename from the deny list carries a quote and a backslash
# to check JSON escaping of tool-call arguments.
NAME = "John Smith"
EMAIL = "john.smith@example.com"
EMAIL_B = "mary.jones@example.org"
CODENAME = 'Blue "Falcon\\7"'
PII = (NAME, EMAIL, EMAIL_B, CODENAME)
QUOTED = 'say "hi" \\ bye'  # tool arguments carry quotes and backslashes next to the echoed text


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class FakeUpstream:
    url = ""  # set once served

    def __init__(self, seed: int = 7) -> None:
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.stored: dict[str, dict[str, Any]] = {}
        self.app = Starlette(
            routes=[
                Route("/v1/messages", self.anthropic_messages, methods=["POST"]),
                Route("/v1/messages/count_tokens", self.count_tokens, methods=["POST"]),
                Route("/v1/chat/completions", self.chat, methods=["POST"]),
                Route("/v1/responses", self.responses, methods=["POST"]),
                Route("/v1/responses/{rid}", self.stored_response, methods=["GET"]),
                Route("/v1/embeddings", self.embeddings, methods=["POST"]),
                Route("/v1/moderations", self.moderations, methods=["POST"]),
                Route("/v1/models", self.models, methods=["GET"]),
                Route("/{path:path}", self.other, methods=["GET", "POST", "DELETE"]),
            ]
        )

    # -- recording -------------------------------------------------------------------------
    async def record(self, request: Request) -> Recorded:
        body = await request.body()
        rec = Recorded(request.method, request.url.path, request.url.query, dict(request.headers), body)
        with self.lock:
            self.requests.append(rec)
        return rec

    def for_key(self, key: str) -> list[Recorded]:
        """Requests made with one API key (each test uses its own keys)."""
        with self.lock:
            return [
                r
                for r in self.requests
                if key
                in (r.headers.get("x-api-key"), r.headers.get("authorization", "").removeprefix("Bearer "))
            ]

    # -- helpers ---------------------------------------------------------------------------
    def pieces(self, text: str, lo: int = 1, hi: int = 3) -> list[str]:
        out, i = [], 0
        while i < len(text):
            n = self.rng.randint(lo, hi)
            out.append(text[i : i + n])
            i += n
        return out or [""]

    async def chunked(self, events: Iterator[bytes], drop_after: int | None = None) -> AsyncIterator[bytes]:
        data = b"".join(events)
        cut = len(data) // 2 if drop_after is not None else None
        pos = 0
        while pos < len(data):
            n = self.rng.randint(1, 48)
            if cut is not None and pos + n >= cut:
                yield data[pos:cut]
                await asyncio.sleep(0.01)
                raise ConnectionResetError("fake upstream drops the connection")
            yield data[pos : pos + n]
            pos += n
            await asyncio.sleep(0)

    def sse(self, events: Iterator[bytes], mode: set[str]) -> StreamingResponse:
        return StreamingResponse(
            self.chunked(events, 1 if "drop" in mode else None), media_type="text/event-stream"
        )

    @staticmethod
    def modes(request: Request) -> set[str]:
        return {m.strip() for m in request.headers.get("x-fake-mode", "").split(",") if m.strip()}

    @staticmethod
    def ev(data: Any, event: str | None = None) -> bytes:
        head = f"event: {event}\n" if event else ""
        return f"{head}data: {json.dumps(data)}\n\n".encode()

    @staticmethod
    def json_response(
        data: Any, mode: set[str], status: int = 200, headers: dict[str, str] | None = None
    ) -> Response:
        raw = json.dumps(data).encode()
        headers = dict(headers or {})
        if "gzip" in mode:
            raw = gzip.compress(raw)
            headers["content-encoding"] = "gzip"
        return Response(raw, status, headers=headers, media_type="application/json")

    # -- Anthropic -------------------------------------------------------------------------
    @staticmethod
    def anthropic_text(body: dict[str, Any]) -> str:
        last = (body.get("messages") or [{}])[-1]
        content = last.get("content")
        if isinstance(content, str):
            return content
        parts = []
        for block in content or []:
            if block.get("type") == "text":
                parts.append(block.get("text", ""))
            elif block.get("type") == "tool_result":
                c = block.get("content")
                parts.append(c if isinstance(c, str) else " ".join(b.get("text", "") for b in c or []))
        return " ".join(parts)

    async def anthropic_messages(self, request: Request) -> Response:
        rec = await self.record(request)
        body, mode = rec.json(), self.modes(request)
        echo = "Echo: " + self.anthropic_text(body)
        if "error429" in mode:
            err = {"type": "error", "error": {"type": "rate_limit_error", "message": f"Slow down. {echo}"}}
            return self.json_response(err, mode, 429, {"retry-after": "7", "x-fake": "kept"})
        found = PLACEHOLDER.findall(json.dumps(body.get("messages")))
        blocks: list[dict[str, Any]] = []
        if "thinking" in mode:
            blocks.append(
                {"type": "thinking", "thinking": f"Thinking about {' '.join(found)}", "signature": "c2ln"}
            )
        blocks.append({"type": "text", "text": echo})
        if "tool" in mode:
            inp = {"to": found[0] if found else "", "note": f"{QUOTED} {echo}", "nested": {"all": found}}
            blocks.append({"type": "tool_use", "id": "toolu_01", "name": "send", "input": inp})
        stop = "tool_use" if "tool" in mode else "end_turn"
        msg = {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-test"),
            "content": blocks,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 5},
        }
        if not body.get("stream"):
            return self.json_response(msg, mode)
        return self.sse(self.anthropic_events(msg), mode)

    def anthropic_events(self, msg: dict[str, Any]) -> Iterator[bytes]:
        start = {**msg, "content": [], "stop_reason": None}
        yield self.ev({"type": "message_start", "message": start}, "message_start")
        yield self.ev({"type": "ping"}, "ping")
        for i, block in enumerate(msg["content"]):
            kind = block["type"]
            empty = {
                "text": {"type": "text", "text": ""},
                "thinking": {"type": "thinking", "thinking": "", "signature": ""},
            }
            first = empty.get(kind) or {**block, "input": {}}
            yield self.ev(
                {"type": "content_block_start", "index": i, "content_block": first}, "content_block_start"
            )
            if kind == "text":
                deltas = [{"type": "text_delta", "text": p} for p in self.pieces(block["text"])]
            elif kind == "thinking":
                deltas = [{"type": "thinking_delta", "thinking": p} for p in self.pieces(block["thinking"])]
                deltas.append({"type": "signature_delta", "signature": block["signature"]})
            else:
                raw = json.dumps(block["input"])
                deltas = [{"type": "input_json_delta", "partial_json": p} for p in self.pieces(raw, 1, 5)]
            for d in deltas:
                yield self.ev({"type": "content_block_delta", "index": i, "delta": d}, "content_block_delta")
            yield self.ev({"type": "content_block_stop", "index": i}, "content_block_stop")
        delta = {"type": "message_delta", "delta": {"stop_reason": msg["stop_reason"], "stop_sequence": None}}
        yield self.ev({**delta, "usage": {"output_tokens": 5}}, "message_delta")
        yield self.ev({"type": "message_stop"}, "message_stop")

    async def count_tokens(self, request: Request) -> Response:
        rec = await self.record(request)
        return JSONResponse({"input_tokens": len(rec.body) // 4})

    # -- OpenAI chat -----------------------------------------------------------------------
    @staticmethod
    def openai_text(content: Any) -> str:
        if isinstance(content, str):
            return content
        return " ".join(p.get("text", "") for p in content or [] if isinstance(p, dict))

    async def chat(self, request: Request) -> Response:
        rec = await self.record(request)
        body, mode = rec.json(), self.modes(request)
        echo = "Echo: " + self.openai_text((body.get("messages") or [{}])[-1].get("content"))
        if "error429" in mode:
            err = {
                "error": {
                    "message": f"Slow down. {echo}",
                    "type": "rate_limit_error",
                    "param": None,
                    "code": None,
                }
            }
            return self.json_response(err, mode, 429, {"retry-after": "7"})
        found = PLACEHOLDER.findall(echo)
        choices = []
        for n in range(body.get("n") or 1):
            msg: dict[str, Any] = {"role": "assistant", "content": f"[{n}] {echo}"}
            finish = "stop"
            if "tool" in mode:
                args = [{"to": f, "note": f"{QUOTED} {echo}"} for f in (found or [""])[:2]]
                args.append({"n": n, "all": found})
                msg["tool_calls"] = [
                    {
                        "id": f"call_{n}_{i}",
                        "type": "function",
                        "function": {"name": "send", "arguments": json.dumps(a)},
                    }
                    for i, a in enumerate(args)
                ]
                finish = "tool_calls"
            choices.append({"index": n, "message": msg, "finish_reason": finish, "logprobs": None})
        resp = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1700000000,
            "model": body.get("model", "gpt-test"),
            "choices": choices,
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }
        if not body.get("stream"):
            return self.json_response(resp, mode)
        return self.sse(
            self.chat_events(resp, bool((body.get("stream_options") or {}).get("include_usage"))), mode
        )

    def chat_events(self, resp: dict[str, Any], usage: bool) -> Iterator[bytes]:
        base = {k: resp[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}

        def chunk(choice: dict[str, Any]) -> bytes:
            return self.ev({**base, "choices": [{"logprobs": None, "finish_reason": None, **choice}]})

        # choices interleaved, as the real API does with n > 1
        streams = []
        for c in resp["choices"]:
            i, msg = c["index"], c["message"]
            items = [chunk({"index": i, "delta": {"role": "assistant", "content": ""}})]
            items += [chunk({"index": i, "delta": {"content": p}}) for p in self.pieces(msg["content"])]
            for t, call in enumerate(msg.get("tool_calls") or []):
                head = {
                    "index": t,
                    "id": call["id"],
                    "type": "function",
                    "function": {"name": "send", "arguments": ""},
                }
                items.append(chunk({"index": i, "delta": {"tool_calls": [head]}}))
                for p in self.pieces(call["function"]["arguments"], 1, 5):
                    items.append(
                        chunk(
                            {
                                "index": i,
                                "delta": {"tool_calls": [{"index": t, "function": {"arguments": p}}]},
                            }
                        )
                    )
            items.append(chunk({"index": i, "delta": {}, "finish_reason": c["finish_reason"]}))
            streams.append(items)
        for s in streams:  # the first chunk of each choice in order (the SDK indexes by arrival)
            yield s.pop(0)
        while any(streams):
            s = self.rng.choice([s for s in streams if s])
            yield s.pop(0)
        if usage:
            yield self.ev({**base, "choices": [], "usage": resp["usage"]})
        yield b"data: [DONE]\n\n"

    # -- OpenAI responses ------------------------------------------------------------------
    async def responses(self, request: Request) -> Response:
        rec = await self.record(request)
        body, mode = rec.json(), self.modes(request)
        inp = body.get("input")
        if isinstance(inp, list):
            last = inp[-1]
            text = self.openai_text(last.get("content") if "content" in last else last.get("output"))
        else:
            text = inp or ""
        echo = "Echo: " + text
        if "error429" in mode:
            err = {
                "error": {
                    "message": f"Slow down. {echo}",
                    "type": "rate_limit_error",
                    "param": None,
                    "code": None,
                }
            }
            return self.json_response(err, mode, 429, {"retry-after": "7"})
        found = PLACEHOLDER.findall(echo)
        output: list[dict[str, Any]] = [
            {
                "id": "msg_1",
                "type": "message",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": echo, "annotations": []}],
            }
        ]
        if "tool" in mode:
            args = json.dumps({"to": found[0] if found else "", "note": f"{QUOTED} {echo}"})
            output.append(
                {
                    "id": "fc_1",
                    "type": "function_call",
                    "status": "completed",
                    "call_id": "call_1",
                    "name": "send",
                    "arguments": args,
                }
            )
        resp = {
            "id": f"resp_{len(self.requests)}",
            "object": "response",
            "created_at": 1700000000,
            "status": "completed",
            "model": body.get("model", "gpt-test"),
            "output": output,
            "parallel_tool_calls": True,
            "tool_choice": "auto",
            "tools": [],
            "usage": {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15},
        }
        self.stored[resp["id"]] = resp
        if not body.get("stream"):
            return self.json_response(resp, mode)
        return self.sse(self.responses_events(resp), mode)

    async def stored_response(self, request: Request) -> Response:
        await self.record(request)
        resp = self.stored.get(request.path_params["rid"])
        return JSONResponse(resp) if resp else JSONResponse({"error": {"message": "no such response"}}, 404)

    def responses_events(self, resp: dict[str, Any]) -> Iterator[bytes]:
        seq = iter(range(10_000))

        def ev(kind: str, **fields: Any) -> bytes:
            return self.ev({"type": kind, "sequence_number": next(seq), **fields}, kind)

        yield ev("response.created", response={**resp, "status": "in_progress", "output": []})
        for oi, item in enumerate(resp["output"]):
            if item["type"] == "message":
                text = item["content"][0]["text"]
                yield ev(
                    "response.output_item.added",
                    output_index=oi,
                    item={**item, "status": "in_progress", "content": []},
                )
                part = {"type": "output_text", "text": "", "annotations": []}
                yield ev(
                    "response.content_part.added",
                    item_id=item["id"],
                    output_index=oi,
                    content_index=0,
                    part=part,
                )
                for p in self.pieces(text):
                    yield ev(
                        "response.output_text.delta",
                        item_id=item["id"],
                        output_index=oi,
                        content_index=0,
                        delta=p,
                        logprobs=[],
                    )
                yield ev(
                    "response.output_text.done",
                    item_id=item["id"],
                    output_index=oi,
                    content_index=0,
                    text=text,
                    logprobs=[],
                )
                yield ev(
                    "response.content_part.done",
                    item_id=item["id"],
                    output_index=oi,
                    content_index=0,
                    part={**part, "text": text},
                )
            else:
                yield ev(
                    "response.output_item.added",
                    output_index=oi,
                    item={**item, "status": "in_progress", "arguments": ""},
                )
                for p in self.pieces(item["arguments"], 1, 5):
                    yield ev(
                        "response.function_call_arguments.delta", item_id=item["id"], output_index=oi, delta=p
                    )
                yield ev(
                    "response.function_call_arguments.done",
                    item_id=item["id"],
                    output_index=oi,
                    arguments=item["arguments"],
                )
            yield ev("response.output_item.done", output_index=oi, item=item)
        yield ev("response.completed", response=resp)

    # -- the rest --------------------------------------------------------------------------
    async def embeddings(self, request: Request) -> Response:
        rec = await self.record(request)
        inp = rec.json().get("input")
        n = len(inp) if isinstance(inp, list) and inp and not isinstance(inp[0], int) else 1
        data = [{"object": "embedding", "index": i, "embedding": [0.25, -0.5, float(i)]} for i in range(n)]
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": "emb-test",
                "usage": {"prompt_tokens": 3, "total_tokens": 3},
            }
        )

    async def moderations(self, request: Request) -> Response:
        await self.record(request)
        result = {"flagged": False, "categories": {}, "category_scores": {}}
        return JSONResponse({"id": "modr-1", "model": "omni-moderation-latest", "results": [result]})

    async def models(self, request: Request) -> Response:
        await self.record(request)
        return JSONResponse(
            {
                "object": "list",
                "data": [{"id": "gpt-test", "object": "model", "created": 0, "owned_by": "fake"}],
            }
        )

    async def other(self, request: Request) -> Response:
        await self.record(request)
        return JSONResponse({"ok": True, "path": request.url.path})


def new_key() -> str:
    return f"sk-test-{uuid.uuid4().hex}"


def assert_no_pii(fake: FakeUpstream, key: str, values: tuple[str, ...] = PII) -> None:
    """Nothing detected reaches the upstream: checked on the raw bytes and the query string, as written,
    JSON-escaped once, or escaped twice (JSON text inside a JSON string: tool arguments)."""
    records = fake.for_key(key)
    assert records, "no request reached the upstream"
    for rec in records:
        raw = rec.body.decode() + "\n" + unquote(rec.query)
        for value in values:
            once = json.dumps(value)[1:-1]
            for form in (value, once, json.dumps(once)[1:-1]):
                assert form not in raw, f"{value!r} leaked to {rec.path}"
