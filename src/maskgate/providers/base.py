"""What every API shape provides, the unmasking helpers they share, and SSE framing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from maskgate.providers.jsonwalk import ALLOWED, Leaves, dumps, json_escape, map_strings, rename_keys

if TYPE_CHECKING:
    from maskgate.masking import Masker

Family = Literal["anthropic", "openai"]

# Told to the model once per request. A constant: the same bytes every request, so prompt caches hit.
SYSTEM_NOTE = (
    "Some values in this conversation were replaced by placeholder tokens of the form <LABEL_N>: an "
    "upper-case label and a number in angle brackets. Each token stands for one real value and means "
    "the same value throughout the conversation. Use the tokens verbatim, exactly as written, wherever "
    "you need the value (in text, code and tool-call arguments); do not alter, translate or explain "
    "them, and do not ask what they stand for."
)


class Feeder(Protocol):
    def feed(self, chunk: str) -> str: ...

    def flush(self) -> str: ...


class _Identity:
    def feed(self, chunk: str) -> str:
        return chunk

    def flush(self) -> str:
        return ""


# Never unmasked in an answer: what a request passes raw (allow lists: a value put back there would go
# out raw when the client sends it back), signatures and encrypted content.
KEPT_RAW = ALLOWED | {"name", "server_name", "server_label"}


def may_hold_placeholder(data: str) -> bool:
    """Whether JSON text may hold a placeholder anywhere (a `<`, raw or escaped): most stream events
    do not, and skip the walk over their every field."""
    return "<" in data or "\\u003c" in data or "\\u003C" in data


class Unmask:
    """Unmasking bound to one session; a no-op when `masker` is None (X-Maskgate-Unmask: off)."""

    def __init__(self, masker: Masker | None, session: str) -> None:
        self.masker = masker
        self.session = session

    def text(self, s: str) -> str:
        return self.masker.unmask(s, self.session) if self.masker and s else s

    def json_text(self, s: str) -> str:
        """Unmask inside JSON text (tool-call arguments): values are JSON-string escaped."""
        return self.masker.unmask(s, self.session, json_escape) if self.masker and s else s

    def stream(self, json_fragments: bool = False) -> Feeder:
        if self.masker is None:
            return _Identity()
        return self.masker.stream_unmasker(self.session, json_escape if json_fragments else None)

    def leaves(self, obj: Any, opaque: tuple[str, ...] = ()) -> Any:
        return map_strings(obj, self.text, opaque) if self.masker else obj

    def everything(
        self,
        obj: Any,
        skip_types: frozenset[str] = frozenset(),
        json_keys: frozenset[str] = frozenset(),
        done: frozenset[tuple[int, Any]] | set[tuple[int, Any]] = frozenset(),
        skip_keys: frozenset[str] = frozenset(),
    ) -> bool:
        """Unmask every string (and object key) below `obj` in place, whatever field holds it, so a
        placeholder in a field the walker does not know still reaches the client as its value. Not
        touched: objects whose `type` is in `skip_types` (signed or encrypted), `KEPT_RAW` and
        `skip_keys` fields, and the places in `done` (id of the container, key) a rule already
        unmasked. Values under `json_keys` are JSON text (escaped when put back). True if changed."""
        if self.masker is None:
            return False
        changed = False
        stack = [obj]
        while stack:
            node = stack.pop()
            items: list[tuple[Any, Any]]
            if isinstance(node, dict):
                if node.get("type") in skip_types:
                    continue
                renamed = {k: self.text(k) for k in node if isinstance(k, str) and "<" in k}
                if any(k != v for k, v in renamed.items()):
                    rename_keys(node, renamed.get)
                    changed = True
                items = [(k, v) for k, v in node.items() if k not in KEPT_RAW and k not in skip_keys]
            elif isinstance(node, list):
                items = list(enumerate(node))
            else:
                continue
            nid = id(node)
            for k, v in items:
                if isinstance(v, str):
                    if "<" in v and (nid, k) not in done:
                        new = self.json_text(v) if k in json_keys else self.text(v)
                        if new != v:
                            node[k] = new
                            changed = True
                elif isinstance(v, (dict, list)) and (nid, k) not in done:
                    stack.append(v)
        return changed


@dataclass
class SseEvent:
    raw: bytes  # the event exactly as received, separator included
    event: str | None
    data: str | None


_SEP = re.compile(rb"\r?\n\r?\n|\r\r")


class SseParser:
    """Splits a byte stream into SSE events, keeping each event's raw bytes. Linear in the stream: a
    chunk is appended, and only its bytes (plus the 3 before them, a separator cut in two) are
    searched for the end of an event, so one large event fed in many chunks is not rescanned."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._scanned = 0  # no separator starts before this offset in `_buf`

    def feed(self, chunk: bytes) -> Iterator[SseEvent]:
        buf = self._buf
        buf += chunk
        pos = 0
        at = max(0, self._scanned - 3)
        events: list[SseEvent] = []
        while (m := _SEP.search(buf, at)) is not None:
            events.append(parse_event(bytes(buf[pos : m.end()])))
            pos = at = m.end()
        if pos:
            del buf[:pos]
        self._scanned = len(buf)
        return iter(events)

    def close(self) -> Iterator[SseEvent]:
        rest, self._buf, self._scanned = bytes(self._buf), bytearray(), 0
        if rest.strip():
            yield parse_event(rest)


def parse_event(raw: bytes) -> SseEvent:
    event: str | None = None
    data: list[str] = []
    for line in raw.decode("utf-8", "replace").splitlines():
        if not line or line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            event = value
        elif field == "data":
            data.append(value)
    return SseEvent(raw, event, "\n".join(data) if data else None)


def encode_event(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n".encode() if event else b""
    return head + b"data: " + dumps(data) + b"\n\n"


class StreamRewriter(Protocol):
    def event(self, ev: SseEvent) -> list[bytes]:
        """Bytes to send for one upstream event (the raw bytes when nothing changes)."""
        ...

    def error(self, message: str) -> bytes:
        """A final SSE error event in the provider's format."""
        ...


class Api(Protocol):
    """One API shape: which request fields carry text, how to unmask answers, how to rewrite streams."""

    family: Family

    def collect(self, body: dict[str, Any], leaves: Leaves) -> None: ...

    def inject(self, body: dict[str, Any], note: str) -> None: ...

    def unmask_response(self, body: Any, u: Unmask) -> None: ...

    def stream(self, u: Unmask) -> StreamRewriter: ...


def error_body(family: Family, message: str, kind: str = "invalid_request_error") -> dict[str, Any]:
    """An error in the provider's own JSON shape, so SDKs raise their usual exceptions."""
    if family == "anthropic":
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}
