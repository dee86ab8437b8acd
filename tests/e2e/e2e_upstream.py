"""A scripted provider for the e2e session: a real HTTP app (served by uvicorn on loopback) speaking the
Anthropic Messages and OpenAI Responses / Chat Completions wire formats, streamed or not.

It records every request as received (raw header bytes, raw query, body) and plays the session of
e2e_session.py: thinking as a signed thinking block / encrypted reasoning item (both must come back byte
for byte), text in 1-3 character deltas, tool arguments in 1-5 character deltas, and the SSE bytes
in random network chunks.

Faults per API key (`script`): `overload` answers the first request 529 (Anthropic) / 429 (OpenAI);
`cut` drops the first streamed answer half way.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import random
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from e2e_planted import Received
from e2e_session import WRITE, Plan, Script, call_id, kind_of, next_step, patch_lines, text_of, tool_names
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

DUMP = os.environ.get("MASKGATE_E2E_DUMP", "")


class ScriptedUpstream:
    url = ""

    def __init__(self, seed: int = 11) -> None:
        self.lock = threading.Lock()
        self.requests: list[Received] = []
        self.scripts: dict[str, Script] = {}
        self.rng = random.Random(seed)
        self.opaque_sent: dict[str, str] = {}  # signature / encrypted_content -> what it signs
        self.counter = 0
        self.app = Starlette(
            routes=[
                Route("/v1/messages", self.messages, methods=["POST"]),
                Route("/v1/messages/count_tokens", self.count_tokens, methods=["POST"]),
                Route("/v1/responses", self.responses, methods=["POST"]),
                Route("/v1/chat/completions", self.chat, methods=["POST"]),
                Route("/{path:path}", self.other, methods=["GET", "POST", "HEAD", "DELETE"]),
            ]
        )

    # -- recording and per-key scripts -----------------------------------------------------
    def script(self, key: str, workspace: str, faults: set[str] | None = None) -> None:
        with self.lock:
            self.scripts[key] = Script(workspace, set(faults or ()))

    def for_key(self, key: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if key_of(r) == key]

    async def record(self, request: Request) -> tuple[Received, Script | None]:
        body = await request.body()
        rec = Received(
            request.method, request.url.path, request.scope.get("query_string", b""),
            list(request.scope["headers"]), body,
        )  # fmt: skip
        with self.lock:
            self.requests.append(rec)
            n = len(self.requests)
        if DUMP:  # MASKGATE_E2E_DUMP=dir: every request as received, for debugging a failing run
            Path(DUMP).mkdir(parents=True, exist_ok=True)
            meta = {"method": rec.method, "path": rec.path, "query": rec.query.decode("latin-1")}
            meta["headers"] = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in rec.headers]
            Path(DUMP, f"{n:04d}.json").write_text(json.dumps(meta, indent=1))
            Path(DUMP, f"{n:04d}.body").write_bytes(rec.body)
        with self.lock:
            script = self.scripts.get(key_of(rec))
            if script is not None:
                script.turns += 1
            return rec, script

    def fault(self, script: Script | None, name: str) -> bool:
        """True the first time a fault named in the script is due."""
        with self.lock:
            if script is None or name not in script.faults or name in script.fired:
                return False
            script.fired.add(name)
            return True

    def opaque(self, text: str, prefix: str) -> str:
        """A signature-like token bound to its content: what comes back must match byte for byte."""
        with self.lock:
            self.counter += 1
            raw = hashlib.sha256(f"{self.counter}:{text}".encode()).digest() * 3 + bytes(range(200, 256))
        token = prefix + base64.b64encode(raw).decode()
        with self.lock:
            self.opaque_sent[token] = text
        return token

    def pieces(self, text: str, lo: int, hi: int) -> list[str]:
        out, i = [], 0
        while i < len(text):
            n = self.rng.randint(lo, hi)
            out.append(text[i : i + n])
            i += n
        return out

    async def chunked(self, data: bytes, cut: bool) -> AsyncIterator[bytes]:
        """The SSE bytes in random network chunks; `cut` drops the connection half way."""
        end = len(data) // 2 if cut else len(data)
        pos = 0
        while pos < end:
            n = min(self.rng.randint(1, 64), end - pos)
            yield data[pos : pos + n]
            pos += n
            await asyncio.sleep(0)
        if cut:
            await asyncio.sleep(0.05)
            raise ConnectionResetError("scripted upstream cuts the stream")

    def sse(self, events: Iterator[bytes], cut: bool) -> StreamingResponse:
        return StreamingResponse(self.chunked(b"".join(events), cut), media_type="text/event-stream")

    @staticmethod
    def ev(data: Any, event: str | None = None) -> bytes:
        head = f"event: {event}\n" if event else ""
        return f"{head}data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()

    # -- the session, independent of the wire format ---------------------------------------
    # -- Anthropic Messages ----------------------------------------------------------------
    async def count_tokens(self, request: Request) -> Response:
        rec, _ = await self.record(request)
        return JSONResponse({"input_tokens": max(1, len(rec.body) // 4)})

    async def messages(self, request: Request) -> Response:
        rec, script = await self.record(request)
        body = rec.json()
        if self.fault(script, "overload"):
            err = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
            return JSONResponse(err, 529, headers={"retry-after": "0"})
        msgs = [m for m in body.get("messages") or [] if m.get("role") != "system"]
        history: list[str] = []
        for m in msgs:
            for b in m.get("content") if isinstance(m.get("content"), list) else []:
                if b.get("type") == "tool_use" and kind_of(b.get("id", "")) == WRITE:
                    history.append(b["input"].get("content", ""))
        results: dict[str, str] = {}
        question = ""
        last = msgs[-1] if msgs else {}
        content = last.get("content")
        for b in content if isinstance(content, list) else [{"type": "text", "text": content or ""}]:
            if b.get("type") == "tool_result" and (kind := kind_of(b.get("tool_use_id", ""))):
                c = b.get("content")
                results[kind] = c if isinstance(c, str) else "\n".join(x.get("text", "") for x in c or [])
            elif b.get("type") == "text":
                question = b.get("text", "")
        plan = next_step(script, tool_names(body), results, history, question)
        msg = self.anthropic_message(body, plan, len(msgs))
        if not body.get("stream"):
            return JSONResponse(msg)
        return self.sse(self.anthropic_events(msg), self.fault(script, "cut"))

    def anthropic_message(self, body: dict[str, Any], plan: Plan, turn: int) -> dict[str, Any]:
        blocks: list[dict[str, Any]] = []
        if plan.opaque:
            sig = self.opaque(plan.opaque, "EqQB")
            blocks.append({"type": "thinking", "thinking": plan.opaque, "signature": sig})
        blocks.append({"type": "text", "text": plan.text})
        for c in plan.calls:
            blocks.append({"type": "tool_use", "id": call_id(c.kind, turn), "name": c.name, "input": c.args})
        return {
            "id": f"msg_e2e_{turn}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-e2e"),
            "content": blocks,
            "stop_reason": "tool_use" if plan.calls else "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 120, "output_tokens": 40, "cache_read_input_tokens": 0},
        }

    def anthropic_events(self, msg: dict[str, Any]) -> Iterator[bytes]:
        start = {**msg, "content": [], "stop_reason": None, "usage": {**msg["usage"], "output_tokens": 1}}
        yield self.ev({"type": "message_start", "message": start}, "message_start")
        yield self.ev({"type": "ping"}, "ping")
        for i, block in enumerate(msg["content"]):
            kind = block["type"]
            if kind == "text":
                first: dict[str, Any] = {"type": "text", "text": ""}
                deltas = [{"type": "text_delta", "text": p} for p in self.pieces(block["text"], 1, 3)]
            elif kind == "thinking":
                first = {"type": "thinking", "thinking": "", "signature": ""}
                deltas = [
                    {"type": "thinking_delta", "thinking": p} for p in self.pieces(block["thinking"], 1, 9)
                ]
                deltas.append({"type": "signature_delta", "signature": block["signature"]})
            else:
                first = {**block, "input": {}}
                raw = json.dumps(block["input"], ensure_ascii=False)
                deltas = [{"type": "input_json_delta", "partial_json": p} for p in self.pieces(raw, 1, 5)]
            yield self.ev(
                {"type": "content_block_start", "index": i, "content_block": first}, "content_block_start"
            )
            for d in deltas:
                yield self.ev({"type": "content_block_delta", "index": i, "delta": d}, "content_block_delta")
            yield self.ev({"type": "content_block_stop", "index": i}, "content_block_stop")
        delta = {"stop_reason": msg["stop_reason"], "stop_sequence": None}
        yield self.ev(
            {"type": "message_delta", "delta": delta, "usage": {"output_tokens": 40}}, "message_delta"
        )
        yield self.ev({"type": "message_stop"}, "message_stop")

    # -- OpenAI Responses ------------------------------------------------------------------
    async def responses(self, request: Request) -> Response:
        rec, script = await self.record(request)
        body = rec.json()
        if self.fault(script, "overload"):
            return self.openai_429()
        items = body.get("input")
        items = (
            items
            if isinstance(items, list)
            else [{"type": "message", "role": "user", "content": items or ""}]
        )
        # this turn's tool outputs: the run of outputs the input ends with
        start = len(items)
        while start > 0 and items[start - 1].get("type", "").endswith("_call_output"):
            start -= 1
        asked = max((i for i, it in enumerate(items) if it.get("role") == "user"), default=0)
        results: dict[str, str] = {}
        history: list[str] = []
        question = ""
        for i, it in enumerate(items):
            cid = it.get("call_id", "")
            if it.get("type") == "custom_tool_call" and kind_of(cid) == WRITE:
                history.append(patch_lines(it.get("input", "")))
            elif it.get("type") == "function_call" and kind_of(cid) == WRITE:
                history.append(json.loads(it.get("arguments") or "{}").get("content", ""))
            elif it.get("type", "").endswith("_call_output") and (kind := kind_of(cid)) and i >= start:
                out = it.get("output")
                results[kind] = out if isinstance(out, str) else json.dumps(out, ensure_ascii=False)
            elif it.get("role") == "user" and i == asked:
                question = text_of(it.get("content"))
        plan = next_step(script, tool_names(body), results, history, question)
        resp = self.responses_object(body, plan, len(items))
        if not body.get("stream"):
            return JSONResponse(resp)
        return self.sse(self.responses_events(resp), self.fault(script, "cut"))

    def openai_429(self) -> Response:
        err = {
            "error": {
                "message": "Rate limit reached",
                "type": "rate_limit_error",
                "param": None,
                "code": None,
            }
        }
        return JSONResponse(err, 429, headers={"retry-after": "0", "retry-after-ms": "10"})

    def responses_object(self, body: dict[str, Any], plan: Plan, turn: int) -> dict[str, Any]:
        output: list[dict[str, Any]] = []
        if plan.opaque:
            enc = self.opaque(plan.opaque, "gAAAAABp")
            output.append(
                {"id": f"rs_e2e_{turn}", "type": "reasoning", "summary": [], "encrypted_content": enc}
            )
        output.append(
            {
                "id": f"msg_e2e_{turn}",
                "type": "message",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": plan.text, "annotations": [], "logprobs": []}],
            }
        )
        for n, c in enumerate(plan.calls):
            base = {
                "id": f"fc_e2e_{turn}_{n}",
                "status": "completed",
                "call_id": call_id(c.kind, turn),
                "name": c.name,
            }
            if c.custom is not None:
                output.append({**base, "type": "custom_tool_call", "input": c.custom})
            else:
                output.append(
                    {**base, "type": "function_call", "arguments": json.dumps(c.args, ensure_ascii=False)}
                )
        return {
            "id": f"resp_e2e_{turn}_{self.rng.randrange(10**9)}",
            "object": "response",
            "created_at": 1764460800,
            "status": "completed",
            "error": None,
            "incomplete_details": None,
            "instructions": body.get("instructions"),
            "model": body.get("model", "gpt-e2e"),
            "output": output,
            "parallel_tool_calls": True,
            "tool_choice": "auto",
            "tools": [],
            "usage": {
                "input_tokens": 120,
                "input_tokens_details": {"cached_tokens": 0},
                "output_tokens": 40,
                "output_tokens_details": {"reasoning_tokens": 8},
                "total_tokens": 160,
            },
        }

    def responses_events(self, resp: dict[str, Any]) -> Iterator[bytes]:
        seq = iter(range(100_000))

        def ev(kind: str, **fields: Any) -> bytes:
            return self.ev({"type": kind, "sequence_number": next(seq), **fields}, kind)

        yield ev("response.created", response={**resp, "status": "in_progress", "output": [], "usage": None})
        yield ev(
            "response.in_progress", response={**resp, "status": "in_progress", "output": [], "usage": None}
        )
        for oi, item in enumerate(resp["output"]):
            iid = item["id"]
            if item["type"] == "reasoning":
                yield ev(
                    "response.output_item.added", output_index=oi, item={**item, "encrypted_content": None}
                )
            elif item["type"] == "message":
                text = item["content"][0]["text"]
                yield ev(
                    "response.output_item.added",
                    output_index=oi,
                    item={**item, "status": "in_progress", "content": []},
                )
                part = {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
                yield ev(
                    "response.content_part.added", item_id=iid, output_index=oi, content_index=0, part=part
                )
                for p in self.pieces(text, 1, 3):
                    yield ev(
                        "response.output_text.delta",
                        item_id=iid,
                        output_index=oi,
                        content_index=0,
                        delta=p,
                        logprobs=[],
                    )
                yield ev(
                    "response.output_text.done",
                    item_id=iid,
                    output_index=oi,
                    content_index=0,
                    text=text,
                    logprobs=[],
                )
                yield ev(
                    "response.content_part.done",
                    item_id=iid,
                    output_index=oi,
                    content_index=0,
                    part={**part, "text": text},
                )
            else:
                custom = item["type"] == "custom_tool_call"
                key, kind = (
                    ("input", "custom_tool_call_input")
                    if custom
                    else ("arguments", "function_call_arguments")
                )
                yield ev(
                    "response.output_item.added",
                    output_index=oi,
                    item={**item, "status": "in_progress", key: ""},
                )
                for p in self.pieces(item[key], 1, 5):
                    yield ev(f"response.{kind}.delta", item_id=iid, output_index=oi, delta=p)
                yield ev(f"response.{kind}.done", item_id=iid, output_index=oi, **{key: item[key]})
            yield ev("response.output_item.done", output_index=oi, item=item)
        yield ev("response.completed", response=resp)

    # -- OpenAI Chat Completions -----------------------------------------------------------
    async def chat(self, request: Request) -> Response:
        rec, script = await self.record(request)
        body = rec.json()
        if self.fault(script, "overload"):
            return self.openai_429()
        msgs = body.get("messages") or []
        start = len(msgs)  # this turn's tool results: the tool messages the conversation ends with
        while start > 0 and msgs[start - 1].get("role") == "tool":
            start -= 1
        asked = max((i for i, m in enumerate(msgs) if m.get("role") == "user"), default=0)
        results: dict[str, str] = {}
        history: list[str] = []
        for i, m in enumerate(msgs):
            for tc in m.get("tool_calls") or []:
                if kind_of(tc.get("id", "")) == WRITE:
                    history.append(json.loads(tc["function"].get("arguments") or "{}").get("content", ""))
            if m.get("role") == "tool" and (kind := kind_of(m.get("tool_call_id", ""))) and i >= start:
                results[kind] = text_of(m.get("content"))
        question = text_of(msgs[asked].get("content")) if msgs else ""
        plan = next_step(script, tool_names(body), results, history, question)
        turn = len(msgs)
        message: dict[str, Any] = {"role": "assistant", "content": plan.text, "refusal": None}
        if plan.calls:
            message["tool_calls"] = [
                {
                    "id": call_id(c.kind, turn),
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.args, ensure_ascii=False)},
                }
                for c in plan.calls
            ]
        resp = {
            "id": f"chatcmpl-e2e-{turn}",
            "object": "chat.completion",
            "created": 1764460800,
            "model": body.get("model", "gpt-e2e"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if plan.calls else "stop",
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160},
        }
        if not body.get("stream"):
            return JSONResponse(resp)
        return self.sse(self.chat_events(resp), self.fault(script, "cut"))

    def chat_events(self, resp: dict[str, Any]) -> Iterator[bytes]:
        base = {k: resp[k] for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            return self.ev(
                {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
            )

        choice = resp["choices"][0]
        msg = choice["message"]
        yield chunk({"role": "assistant", "content": ""})
        for p in self.pieces(msg["content"], 1, 3):
            yield chunk({"content": p})
        for t, call in enumerate(msg.get("tool_calls") or []):
            head = {
                "index": t,
                "id": call["id"],
                "type": "function",
                "function": {"name": call["function"]["name"], "arguments": ""},
            }
            yield chunk({"tool_calls": [head]})
            for p in self.pieces(call["function"]["arguments"], 1, 5):
                yield chunk({"tool_calls": [{"index": t, "function": {"arguments": p}}]})
        yield chunk({}, choice["finish_reason"])
        yield self.ev({**base, "choices": [], "usage": resp["usage"]})
        yield b"data: [DONE]\n\n"

    async def other(self, request: Request) -> Response:
        await self.record(request)
        return JSONResponse({"error": {"message": "not scripted", "type": "not_found"}}, 404)


def key_of(rec: Received) -> str:
    return rec.header("x-api-key") or rec.header("authorization").removeprefix("Bearer ")


def opaque_returned(upstream: ScriptedUpstream, requests: list[Received]) -> list[tuple[str, str, str]]:
    """(token, content sent with it, content that came back) for every thinking block / reasoning item
    the client re-sent: token and content must come back byte for byte."""
    out = []
    for rec in requests:
        if not rec.decoded().startswith(b"{"):
            continue
        body = rec.json()
        for m in body.get("messages") or []:
            for b in m.get("content") if isinstance(m.get("content"), list) else []:
                if b.get("type") == "thinking":
                    out.append(
                        (
                            b.get("signature", ""),
                            upstream.opaque_sent.get(b.get("signature", ""), "?"),
                            b.get("thinking", ""),
                        )
                    )
        for it in body.get("input") if isinstance(body.get("input"), list) else []:
            if it.get("type") == "reasoning":
                enc = it.get("encrypted_content") or ""
                out.append((enc, upstream.opaque_sent.get(enc, "?"), upstream.opaque_sent.get(enc, "?")))
    return out
