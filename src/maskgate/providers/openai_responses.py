"""OpenAI Responses API (`/v1/responses`)."""

from __future__ import annotations

from typing import Any

from maskgate.providers.base import (
    SYSTEM_NOTE,
    Family,
    Feeder,
    SseEvent,
    Unmask,
    encode_event,
    may_hold_placeholder,
)
from maskgate.providers.jsonwalk import Leaves, loads
from maskgate.providers.openai_chat import JSON_TEXT, collect_ids, collect_part, collect_parts

# Reasoning items are opaque (encrypted content, summaries of masked text): untouched both ways.
SKIPPED = frozenset({"reasoning", "item_reference", "compaction"})
# Request fields that pass as they are (settings, enums, ids); every other string not masked by a
# rule below is masked by `Leaves.sweep` (deny by default).
KEPT = ("model", "stream", "stream_options", "temperature", "top_p", "top_logprobs", "max_output_tokens",
        "max_tool_calls", "parallel_tool_calls", "previous_response_id", "store", "background",
        "service_tier", "truncation", "include", "reasoning", "tool_choice", "conversation",
        "prompt_cache_retention", "context_management")  # fmt: skip


def _collect_item(item: Any, leaves: Leaves) -> None:
    """The known fields of one input item; every other string in it is left to `Leaves.sweep`."""
    if not isinstance(item, dict):
        return
    kind = item.get("type", "message" if "role" in item else None)
    if kind in SKIPPED:  # opaque content kept; a field the API does not know is swept
        leaves.keep(item, "summary", "content", "encrypted_content")
    elif kind == "message":
        collect_parts(item, "content", leaves)
    elif kind in ("function_call_output", "custom_tool_call_output"):
        collect_parts(item, "output", leaves)
    elif kind == "custom_tool_call":
        leaves.text(item, "input")
    elif isinstance(item.get("arguments"), str):  # function and MCP calls: JSON text
        leaves.json_string(item, "arguments")
    leaves.keep(item, "name", "server_label")  # tool names


def unmask_response_object(resp: Any, u: Unmask, done: set[tuple[int, Any]] | None = None) -> bool:
    """A response object (or an item, a list of them, an error): every field but reasoning items.
    True if anything changed."""
    changed = False
    if isinstance(resp, dict):
        own = resp.get("instructions")
        if isinstance(own, str) and own.endswith(SYSTEM_NOTE):  # the client's, as it sent them
            resp["instructions"] = own[: -len(SYSTEM_NOTE)].removesuffix("\n\n") or None
            changed = True
    return u.everything(resp, SKIPPED, JSON_TEXT, done or frozenset()) or changed


class OpenAIResponses:
    family: Family = "openai"

    def collect(self, body: dict[str, Any], leaves: Leaves) -> None:
        if body.get("instructions") is not None:
            leaves.everything(body, "instructions")
        inp = body.get("input")
        if isinstance(inp, str):
            leaves.text(body, "input")
        elif isinstance(inp, list):
            for i, item in enumerate(inp):
                if isinstance(item, dict):
                    _collect_item(item, leaves)
                else:  # malformed, but never forwarded unmasked
                    leaves.everything(inp, i)
        elif inp is not None:
            leaves.everything(body, "input")
        prompt = leaves.within(body, "prompt")
        variables = leaves.within(prompt, "variables") if prompt else None
        if prompt:
            leaves.keep(prompt, "id", "version")
        if variables:  # substituted into the stored prompt: strings or input parts
            for name in variables:
                collect_part(variables, name, leaves)
        leaves.tool_definitions(body, "tools")
        leaves.schema(body, "text")
        collect_ids(body, leaves)
        leaves.keep(body, *KEPT)
        leaves.sweep(body)

    def inject(self, body: dict[str, Any], note: str) -> None:
        # A suffix: the client's instructions keep their bytes at the start of the prompt.
        own = body.get("instructions")
        body["instructions"] = f"{own}\n\n{note}" if isinstance(own, str) and own else note

    def unmask_response(self, body: Any, u: Unmask) -> None:
        unmask_response_object(body, u)

    def stream(self, u: Unmask) -> ResponsesStream:
        return ResponsesStream(u)


# delta event -> (its done event, the done event's full-text field, JSON text?)
_DELTAS = {
    "response.output_text.delta": ("response.output_text.done", "text", False),
    "response.refusal.delta": ("response.refusal.done", "refusal", False),
    "response.function_call_arguments.delta": ("response.function_call_arguments.done", "arguments", True),
    "response.custom_tool_call_input.delta": ("response.custom_tool_call_input.done", "input", False),
    "response.shell_call_command.delta": ("response.shell_call_command.done", "command", False),
    "response.mcp_call_arguments.delta": ("response.mcp_call_arguments.done", "arguments", True),
    "response.code_interpreter_call_code.delta": ("response.code_interpreter_call_code.done", "code", False),
}
_DONES = {done: delta for delta, (done, _, _) in _DELTAS.items()}


class ResponsesStream:
    """Deltas are unmasked incrementally; `.done`, item, part and `response.*` events carry the full
    text and are unmasked whole (same result as the deltas, as unmasking is deterministic)."""

    def __init__(self, u: Unmask) -> None:
        self.u = u
        self.feeders: dict[tuple[str, Any, Any], Feeder] = {}
        self.last_seq = -1

    def quiet(self, raw: bytes) -> bool:
        return False  # every event moves `last_seq`: each is parsed

    def event(self, ev: SseEvent) -> list[bytes]:
        if ev.data is None:
            return [ev.raw]
        data = loads(ev.data)
        kind = data.get("type") if isinstance(data, dict) else None
        if not isinstance(kind, str) or kind.startswith("response.reasoning"):
            return [ev.raw]  # reasoning: opaque both ways
        if isinstance(data.get("sequence_number"), int):
            self.last_seq = data["sequence_number"]
        done: set[tuple[int, Any]] = set()  # fields unmasked incrementally, not again as a whole
        out: list[bytes] = []
        changed = False
        if kind in _DELTAS and isinstance(data.get("delta"), str):
            feeder = self.feeders.setdefault(self._key(kind, data), self._new(kind))
            chunk = data["delta"]
            data["delta"] = feeder.feed(chunk)
            changed = data["delta"] != chunk
            done.add((id(data), "delta"))
        elif kind in _DONES:
            out, changed = self._done(kind, data, ev, done)
        if may_hold_placeholder(ev.data):  # the note in echoed instructions holds a `<` too
            changed |= unmask_response_object(data.get("response"), self.u, done)
            done.add((id(data), "response"))
            changed |= self.u.everything(data, SKIPPED, JSON_TEXT, done)  # items, parts, errors, newer
        out.append(encode_event(data, ev.event) if changed else ev.raw)
        return out

    @staticmethod
    def _key(kind: str, data: dict[str, Any]) -> tuple[str, Any, Any]:
        item = data.get("item_id") or data.get("output_index")
        return (kind, item, data.get("content_index", data.get("command_index")))

    def _new(self, kind: str) -> Feeder:
        return self.u.stream(json_fragments=_DELTAS[kind][2])

    def _done(
        self, kind: str, data: dict[str, Any], ev: SseEvent, done: set[tuple[int, Any]]
    ) -> tuple[list[bytes], bool]:
        """The held-back tail of a partial placeholder as one last delta, then the full text unmasked."""
        delta_kind = _DONES[kind]
        feeder = self.feeders.pop(self._key(delta_kind, data), None)
        rest = feeder.flush() if feeder else ""
        out: list[bytes] = []
        _, field, json_text = _DELTAS[delta_kind]
        if rest:
            extra = {k: v for k, v in data.items() if k not in (field, "logprobs")}
            extra.update(type=delta_kind, delta=rest)
            out.append(encode_event(extra, delta_kind if ev.event else None))
        value = data.get(field)
        if not isinstance(value, str):
            return out, False
        new = self.u.json_text(value) if json_text else self.u.text(value)
        data[field] = new
        done.add((id(data), field))
        return out, new != value

    def error(self, message: str) -> bytes:
        body = {
            "type": "error",
            "code": "server_error",
            "message": message,
            "param": None,
            "sequence_number": self.last_seq + 1,
        }
        return encode_event(body, "error")


class OpenAIResponsesRead(OpenAIResponses):
    """`GET /v1/responses/{id}` (a stored response, or its replay with `?stream=true`) and
    `GET /v1/responses/{id}/input_items`: nothing to mask, the output and items are unmasked."""

    def collect(self, body: dict[str, Any], leaves: Leaves) -> None:
        leaves.walk(body)  # no such request carries a body; if one does, it is masked whole

    def inject(self, body: dict[str, Any], note: str) -> None:
        return None


class OpenAIConversations(OpenAIResponses):
    """`/v1/conversations[/{id}[/items[/{item_id}]]]`: the items are Responses input items."""

    def collect(self, body: dict[str, Any], leaves: Leaves) -> None:
        for key in body:
            items = body[key]
            if key == "items" and isinstance(items, list):
                for i, item in enumerate(items):
                    if isinstance(item, dict):
                        _collect_item(item, leaves)
                    else:
                        leaves.everything(items, i)
            else:  # metadata, and anything newer: every string, fail closed
                leaves.everything(body, key)
        leaves.sweep(body)

    def inject(self, body: dict[str, Any], note: str) -> None:
        return None
