"""OpenAI Chat Completions (`/v1/chat/completions`)."""

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

# Images, audio and files: passed as they are (no OCR or transcription).
BINARY_PARTS = frozenset({"image_url", "input_image", "input_audio", "file", "input_file"})
# Their data and the URLs the provider fetches (`filename` is masked, its extension kept).
BINARY_FIELDS = ("url", "image_url", "data", "file_data", "file_url", "format")
# Request fields that pass as they are (settings, enums); every other string not masked by a rule
# below is masked by `Leaves.sweep` (deny by default).
KEPT = ("model", "max_tokens", "max_completion_tokens", "n", "temperature", "top_p", "stream",
        "stream_options", "logprobs", "top_logprobs", "logit_bias", "presence_penalty",
        "frequency_penalty", "seed", "service_tier", "store", "parallel_tool_calls", "tool_choice",
        "function_call", "reasoning_effort", "verbosity", "modalities", "audio", "web_search_options",
        "prompt_cache_retention")  # fmt: skip


def collect_parts(container: dict[str, Any], key: str, leaves: Leaves) -> None:
    """`content` as a string or a list of parts; only text parts carry text."""
    content = container.get(key)
    if isinstance(content, str):
        leaves.text(container, key)
    elif isinstance(content, list):
        for i in range(len(content)):
            collect_part(content, i, leaves)
    elif content is not None:
        leaves.everything(container, key)


def collect_part(parts: Any, i: Any, leaves: Leaves) -> None:
    """One part of a content list (or a prompt variable): text, refusal, file name or unknown."""
    part = parts[i]
    kind = part.get("type") if isinstance(part, dict) else None
    if kind in ("text", "input_text", "output_text"):
        leaves.text(part, "text")
    elif kind == "refusal":
        leaves.text(part, "refusal")
    elif kind in BINARY_PARTS:
        # the data is passed as it is, but a file's name is shown to the model
        holder = part.get(kind) if isinstance(part.get(kind), dict) else part
        leaves.keep(holder, *BINARY_FIELDS)
        if "filename" in holder:
            leaves.filename(holder, "filename")
    elif isinstance(part, dict):  # newer part types: `sweep` masks every string but the allowed keys
        return
    else:  # a string (a prompt variable) or malformed: never forwarded unmasked
        leaves.everything(parts, i)


def collect_ids(body: dict[str, Any], leaves: Leaves) -> None:
    """End-user identifiers and metadata: meant to be opaque, but often an email or a name."""
    for key in ("user", "safety_identifier", "prompt_cache_key"):
        leaves.text(body, key)
    if body.get("metadata") is not None:
        leaves.everything(body, "metadata")


def collect_stop(body: dict[str, Any], leaves: Leaves) -> None:
    """Stop sequences are masked like the text they must match (a speaker's name in a dialogue)."""
    if body.get("stop") is not None:
        leaves.everything(body, "stop")


# Answer fields holding JSON text (tool-call arguments): a value put back there is JSON-escaped.
JSON_TEXT = frozenset({"arguments"})


class OpenAIChat:
    family: Family = "openai"

    def collect(self, body: dict[str, Any], leaves: Leaves) -> None:
        messages = body.get("messages")
        if not isinstance(messages, list):  # malformed: every string, so nothing slips through
            if messages is not None:
                leaves.everything(body, "messages")
            messages = []
        for i, msg in enumerate(messages):
            if not isinstance(msg, dict):
                leaves.everything(messages, i)
                continue
            collect_parts(msg, "content", leaves)
            leaves.text(msg, "refusal")
            if msg.get("role") not in ("function", "tool"):  # a participant's name, not a function's
                leaves.bare_name(msg, "name")
            else:
                leaves.keep(msg, "name")
            for call in leaves.objects(msg, "tool_calls"):
                if fn := leaves.within(call, "function"):
                    leaves.json_string(fn, "arguments")
                    leaves.keep(fn, "name")
                if custom := leaves.within(call, "custom"):  # custom tools take free text
                    leaves.text(custom, "input")
                    leaves.keep(custom, "name")
            if fc := leaves.within(msg, "function_call"):
                leaves.json_string(fc, "arguments")
                leaves.keep(fc, "name")
        if prediction := leaves.within(body, "prediction"):
            collect_parts(prediction, "content", leaves)
        for key in ("tools", "functions"):
            leaves.tool_definitions(body, key)
        leaves.schema(body, "response_format")
        collect_ids(body, leaves)
        collect_stop(body, leaves)
        leaves.keep(body, *KEPT)
        leaves.sweep(body)

    def inject(self, body: dict[str, Any], note: str) -> None:
        # After the client's leading system/developer messages: their prefix is unchanged and the
        # note is constant, so OpenAI's automatic prefix cache keeps hitting.
        messages = body.get("messages")
        if not isinstance(messages, list):
            return
        n = 0
        while (
            n < len(messages)
            and isinstance(messages[n], dict)
            and messages[n].get("role") in ("system", "developer")
        ):
            n += 1
        role = messages[0]["role"] if n else "system"
        messages.insert(n, {"role": role, "content": note})

    def unmask_response(self, body: Any, u: Unmask) -> None:
        # every choice, a stored completion's messages and metadata, errors, and any newer field
        u.everything(body, json_keys=JSON_TEXT)

    def stream(self, u: Unmask) -> ChatStream:
        return ChatStream(u)


class OpenAIChatStored(OpenAIChat):
    """`/v1/chat/completions/{id}` (a stored completion; POST updates its metadata) and `.../messages`."""

    def collect(self, body: dict[str, Any], leaves: Leaves) -> None:
        for key in body:  # metadata, and anything newer: every string, fail closed
            leaves.everything(body, key)

    def inject(self, body: dict[str, Any], note: str) -> None:
        return None


# Streamed text of a choice: (field, the delta's object holding it or None, JSON text?).
_STREAMED = (
    ("content", None, False),
    ("refusal", None, False),
    ("transcript", "audio", False),
    ("arguments", "function_call", True),  # legacy functions
)


_CALL_TEXT = (("function", "arguments"), ("custom", "input"))  # streamed custom: openai-openapi#576


class ChatStream:
    """Unmasks a choice's `delta.content`, `refusal`, `audio.transcript`, `function_call.arguments` and
    `tool_calls[i].function.arguments` / `.custom.input`; what a partial placeholder held back is
    released in the choice's finishing chunk."""

    def __init__(self, u: Unmask) -> None:
        self.u = u
        self.text: dict[tuple[int, str], Feeder] = {}  # (choice, field or its holder)
        self.calls: dict[tuple[int, int], tuple[str, str, Feeder]] = {}  # (choice, call): holder, field
        self._holding = False  # a feeder holds back a partial placeholder

    def quiet(self, raw: bytes) -> bool:
        """Chunks with no placeholder in them, nor a piece of one held back from before, pass as
        they are (a feeder made later for such a field starts as empty as this one would be)."""
        return not self._holding and no_placeholder(raw)

    def event(self, ev: SseEvent) -> list[bytes]:
        out = self._event(ev)
        self._holding = holding(self.text.values()) or holding(c[2] for c in self.calls.values())
        return out

    def _event(self, ev: SseEvent) -> list[bytes]:
        if ev.data is None or ev.data.strip() == "[DONE]":
            return [ev.raw]
        data = loads(ev.data)
        if not isinstance(data, dict):
            return [ev.raw]
        changed = False
        done: set[tuple[int, Any]] = set()  # fields unmasked incrementally, not again as a whole
        for choice in data.get("choices") or []:
            if isinstance(choice, dict):
                changed |= self._choice(choice, done)
        if may_hold_placeholder(ev.data):  # errors, newer fields
            changed |= self.u.everything(data, json_keys=JSON_TEXT, done=done)
        return [encode_event(data, ev.event)] if changed else [ev.raw]

    def _choice(self, choice: dict[str, Any], done: set[tuple[int, Any]]) -> bool:
        ci = choice.get("index", 0)
        delta = choice.get("delta")
        if not isinstance(delta, dict):
            delta = None
        changed = False
        for field, parent, json_text in _STREAMED:
            holder = (delta.get(parent) if parent else delta) if delta is not None else None
            if isinstance(holder, dict) and isinstance(holder.get(field), str):
                key = (ci, parent or field)
                if key not in self.text:
                    self.text[key] = self.u.stream(json_fragments=json_text)
                done.add((id(holder), field))
                out = self.text[key].feed(holder[field])
                if out != holder[field]:
                    holder[field] = out
                    changed = True
        for call in (delta or {}).get("tool_calls") or []:
            for parent, field in _CALL_TEXT:  # function arguments (JSON text), custom tool input
                holder = call.get(parent)
                if not isinstance(holder, dict) or not isinstance(holder.get(field), str):
                    continue
                at = (ci, call.get("index", 0))
                done.add((id(holder), field))
                if at not in self.calls:
                    self.calls[at] = (parent, field, self.u.stream(json_fragments=parent == "function"))
                out = self.calls[at][2].feed(holder[field])
                if out != holder[field]:
                    holder[field] = out
                    changed = True
        if choice.get("finish_reason"):
            changed |= self._finish(ci, choice, done)
        return changed

    def _finish(self, ci: int, choice: dict[str, Any], done: set[tuple[int, Any]]) -> bool:
        changed = False
        for field, parent, _ in _STREAMED:
            feeder = self.text.pop((ci, parent or field), None)
            rest = feeder.flush() if feeder else ""
            if rest:
                delta = choice.get("delta") or {}
                choice["delta"] = delta
                holder = delta
                if parent:
                    holder = delta[parent] = delta.get(parent) or {}
                holder[field] = (holder.get(field) or "") + rest
                done.add((id(holder), field))
                changed = True
        for key in sorted(k for k in self.calls if k[0] == ci):
            parent, field, feeder = self.calls.pop(key)
            rest = feeder.flush()
            if not rest:
                continue
            delta = choice.get("delta") or {}
            choice["delta"] = delta
            calls = delta.setdefault("tool_calls", [])
            mine = next((c for c in calls if c.get("index", 0) == key[1]), None)
            if mine is None:
                mine = {"index": key[1], parent: {}}
                calls.append(mine)
            holder = mine.setdefault(parent, {})
            holder[field] = (holder.get(field) or "") + rest
            done.add((id(holder), field))
            changed = True
        return changed

    def error(self, message: str) -> bytes:
        return encode_event(error_body("openai", message, "server_error"))
