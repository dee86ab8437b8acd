"""Anthropic Messages API (`/v1/messages`, `/v1/messages/count_tokens`)."""

from __future__ import annotations

from typing import Any

from maskgate.providers.base import (
    Family,
    Feeder,
    SseEvent,
    Unmask,
    encode_event,
    error_body,
    holding,
    may_hold_placeholder,
    no_placeholder,
)
from maskgate.providers.jsonwalk import Leaves, loads

# Signed or opaque: never masked on the way out, never unmasked on the way back. (The model wrote
# thinking and compaction summaries from masked text: they hold placeholders, and their signatures
# record them.) Images and web search results keep only their data / encrypted content as is.
UNTOUCHED = frozenset({"thinking", "redacted_thinking", "compaction", "image", "web_search_tool_result"})
SIGNED = frozenset({"thinking", "redacted_thinking", "compaction"})
TOOL_CALLS = frozenset({"tool_use", "server_tool_use", "mcp_tool_use"})
# Request fields that pass as they are (settings, enums); every other string not masked by a rule
# below is masked by `Leaves.sweep` (deny by default), `container` included.
KEPT = ("model", "max_tokens", "stream", "temperature", "top_k", "top_p", "thinking", "tool_choice",
        "service_tier", "context_management")  # fmt: skip


def _collect_block(block: Any, leaves: Leaves) -> None:
    """The known fields of one block; every other string in it is left to `Leaves.sweep` (masked)."""
    if not isinstance(block, dict):
        return
    kind = block.get("type")
    if kind in SIGNED:  # what the signature covers; a field the API does not know is swept
        leaves.keep(block, "thinking", "data", "content", "signature")
    elif kind == "web_search_tool_result":  # encrypted results the provider checks
        leaves.keep(block, "content")
    elif kind == "image":
        _binary_source(block.get("source"), leaves)
    elif kind == "text":
        leaves.text(block, "text")
    elif kind in TOOL_CALLS:
        leaves.walk(block.get("input"), opaque=())
        leaves.keep(block, "name", "server_name")
    elif kind in ("tool_result", "mcp_tool_result"):
        _collect_content(block, "content", leaves)
    elif kind == "document":
        source = leaves.within(block, "source")
        if source is not None:
            if source.get("type") == "text":
                leaves.text(source, "data")
            elif source.get("type") == "content":
                _collect_content(source, "content", leaves)
            else:  # base64 / url / file sources are binary or remote: passed as they are
                _binary_source(source, leaves)
        for key in ("title", "context"):
            leaves.text(block, key)
    elif kind == "browser_state":  # the client's own tabs: their URLs are its data, nothing to fetch
        leaves.walk(block)
    # search_result and anything newer: `sweep` masks every string but the allowed keys


def _binary_source(source: Any, leaves: Leaves) -> None:
    if isinstance(source, dict):
        leaves.keep(source, "data", "url", "file_id")


def _collect_content(container: dict[str, Any], key: str, leaves: Leaves) -> None:
    content = container.get(key)
    if isinstance(content, str):
        leaves.text(container, key)
    elif isinstance(content, list):
        for i, block in enumerate(content):
            if isinstance(block, dict):
                _collect_block(block, leaves)
            else:  # not a valid block, but never forwarded unmasked
                leaves.everything(content, i)
    elif content is not None:
        leaves.everything(container, key)


class AnthropicMessages:
    family: Family = "anthropic"

    def collect(self, body: dict[str, Any], leaves: Leaves) -> None:
        _collect_content(body, "system", leaves)
        messages = body.get("messages")
        if not isinstance(messages, list):  # malformed: every string, so nothing slips through
            _collect_content(body, "messages", leaves)
            messages = []
        for i, msg in enumerate(messages):
            if isinstance(msg, dict):
                _collect_content(msg, "content", leaves)
            else:
                leaves.everything(messages, i)
        leaves.tool_definitions(body, "tools")
        for key in ("output_format", "output_config"):
            leaves.schema(body, key)
        # user_id: meant to be opaque, but often an email; stop sequences: masked like the text they
        # must match (a speaker's name in a dialogue)
        for key in ("metadata", "stop_sequences"):
            if body.get(key) is not None:
                leaves.everything(body, key)
        for server in leaves.objects(body, "mcp_servers"):  # tool_configuration: swept
            leaves.keep(server, "name", "url", "authorization_token")
        leaves.keep(body, *KEPT)
        leaves.sweep(body)

    def inject(self, body: dict[str, Any], note: str) -> None:
        # Appended after the client's own system blocks, without cache_control: every prefix the
        # client marked with cache_control (tools, then its system blocks) keeps exactly the bytes it
        # had, and the later prefixes (messages) only gain this constant block, so caches still hit
        # from one request to the next. Placing it first would invalidate the client's system cache.
        block = {"type": "text", "text": note}
        system = body.get("system")
        if isinstance(system, list):
            body["system"] = [*system, block]
        elif isinstance(system, str) and system:
            body["system"] = [{"type": "text", "text": system}, block]
        else:
            body["system"] = [block]

    def unmask_response(self, body: Any, u: Unmask) -> None:
        u.everything(body, UNTOUCHED)  # every field but signed and encrypted blocks, errors included

    def stream(self, u: Unmask) -> AnthropicStream:
        return AnthropicStream(u)


# Deltas of signed blocks: passed as they are, like the blocks.
STREAM_UNTOUCHED = UNTOUCHED | {"thinking_delta", "signature_delta"}
_STREAMED = {"text_delta": "text", "input_json_delta": "partial_json"}


class AnthropicStream:
    """Text and tool-input deltas are unmasked incrementally (a placeholder may be cut across events);
    every other string of every event is unmasked whole; thinking passes byte for byte."""

    def __init__(self, u: Unmask) -> None:
        self.u = u
        self.blocks: dict[Any, tuple[str, Feeder]] = {}
        self._holding = False  # a feeder holds back a partial placeholder

    def quiet(self, raw: bytes) -> bool:
        """Events with no placeholder in them (nor a piece of one held back from before) that open
        or close no block pass as they are: most of a streamed answer's text deltas."""
        return not self._holding and no_placeholder(raw) and b"content_block_st" not in raw

    def event(self, ev: SseEvent) -> list[bytes]:
        out = self._event(ev)
        self._holding = holding(f for _, f in self.blocks.values())
        return out

    def _event(self, ev: SseEvent) -> list[bytes]:
        if ev.data is None:
            return [ev.raw]
        data = loads(ev.data)
        if not isinstance(data, dict):
            return [ev.raw]
        name = ev.event if ev.event is not None else data.get("type")
        index = data.get("index")
        done: set[tuple[int, Any]] = set()
        before: list[bytes] = []
        changed = False
        if name == "content_block_start" and isinstance(data.get("content_block"), dict):
            block = data["content_block"]
            kind = block.get("type")
            if kind == "text":
                feeder = self.u.stream()
                self.blocks[index] = ("text_delta", feeder)
                if isinstance(block.get("text"), str) and block["text"]:
                    out = feeder.feed(block["text"])
                    changed = out != block["text"]
                    block["text"] = out
                done.add((id(block), "text"))
            elif kind in TOOL_CALLS:  # the input arrives as JSON text deltas; `input` is unmasked below
                self.blocks[index] = ("input_json_delta", self.u.stream(json_fragments=True))
        elif name == "content_block_delta" and isinstance(data.get("delta"), dict):
            delta = data["delta"]
            field = _STREAMED.get(delta.get("type"))
            state = self.blocks.get(index)
            if field is not None and state is not None and isinstance(delta.get(field), str):
                chunk = delta[field]
                out = state[1].feed(chunk)
                changed = out != chunk
                delta[field] = out
                done.add((id(delta), field))
        elif name == "content_block_stop":  # release what a partial placeholder held back
            state = self.blocks.pop(index, None)
            rest = state[1].flush() if state else ""
            if state and rest:
                delta = {"type": state[0], _STREAMED[state[0]]: rest}
                extra = {"type": "content_block_delta", "index": index, "delta": delta}
                before.append(encode_event(extra, "content_block_delta" if ev.event else None))
        if may_hold_placeholder(ev.data):
            changed |= self.u.everything(data, STREAM_UNTOUCHED, done=done)
        return [*before, encode_event(data, ev.event) if changed else ev.raw]

    def error(self, message: str) -> bytes:
        return encode_event(error_body("anthropic", message, "api_error"), "error")
