"""What every API shape provides, the unmasking helpers they share, and SSE framing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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

    @property
    def pending(self) -> str:
        """What is held back (a possible partial placeholder), to be put in front of the next chunk."""
        ...


class _Identity:
    def feed(self, chunk: str) -> str:
        return chunk

    def flush(self) -> str:
        return ""

    @property
    def pending(self) -> str:
        return ""


# Never unmasked in an answer: what a request passes raw (allow lists: a value put back there would go
# out raw when the client sends it back), signatures and encrypted content.
KEPT_RAW = ALLOWED | {"name", "server_name", "server_label"}


def may_hold_placeholder(data: str) -> bool:
    """Whether JSON text may hold a placeholder anywhere (a `<`, raw or escaped): most stream events
    do not, and skip the walk over their every field."""
    return "<" in data or "\\u003c" in data or "\\u003C" in data


def no_placeholder(raw: bytes) -> bool:
    """Whether raw SSE bytes certainly hold no placeholder, nor a piece of one: no `<`, raw or JSON
    escaped (`\\u003c`; any `\\u003` counts, which errs on the safe side)."""
    return b"<" not in raw and b"\\u003" not in raw


def holding(feeders: Iterable[Feeder]) -> bool:
    """Whether any of `feeders` holds back a partial placeholder."""
    return any(f.pending for f in feeders)


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


def _blank_line(buf: bytearray, at: int) -> int:
    """Where the next "\\n\\n" starts at or after `at` (-1: none): the end of an event in a stream
    without carriage returns."""
    return buf.find(b"\n\n", at)


class SseParser:
    """Splits a byte stream into SSE events, keeping each event's raw bytes. Linear in the stream: a
    chunk is appended, and only its bytes (plus the 3 before them, a separator cut in two) are
    searched for the end of an event, so one large event fed in many chunks is not rescanned."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._scanned = 0  # no separator starts before this offset in `_buf`
        self._cr = False  # a carriage return seen: separators may be "\r\n\r\n", "\r\r", ...

    def feed(self, chunk: bytes) -> Iterator[SseEvent]:
        return iter([parse_event(raw) for raw in self.feed_raw(chunk)])

    @property
    def idle(self) -> bool:
        """Nothing buffered: the next chunk starts an event."""
        return not self._buf

    def feed_raw(self, chunk: bytes) -> list[bytes]:
        """The raw bytes of each event that `chunk` completes (separator included), unparsed."""
        buf = self._buf
        buf += chunk
        pos = 0
        at = max(0, self._scanned - 3)
        events: list[bytes] = []
        self._cr = self._cr or b"\r" in chunk
        if not self._cr:  # the common framing, every event ending at "\n\n": a plain search
            while (end := _blank_line(buf, at)) != -1:
                events.append(bytes(buf[pos : end + 2]))
                pos = at = end + 2
        else:
            while (m := _SEP.search(buf, at)) is not None:
                events.append(bytes(buf[pos : m.end()]))
                pos = at = m.end()
        if pos:
            del buf[:pos]
        self._scanned = len(buf)
        return events

    def close(self) -> Iterator[SseEvent]:
        rest, self._buf, self._scanned, self._cr = bytes(self._buf), bytearray(), 0, False
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


def rewrite_chunk(parser: SseParser, rewriter: StreamRewriter, chunk: bytes) -> bytes:
    """What to send for `chunk` of an upstream's event stream: the events it completes, rewritten.
    Events the rewriter calls quiet pass unparsed, and a chunk of whole quiet events passes without
    even being split (most of a streamed answer: no `<` in it). The bytes are those of rewriting
    every event (tests/providers/test_stream_quiet.py)."""
    if parser.idle and chunk.endswith(b"\n\n") and rewriter.quiet(chunk):
        return chunk
    out: list[bytes] = []
    for raw in parser.feed_raw(chunk):
        out += [raw] if rewriter.quiet(raw) else rewriter.event(parse_event(raw))
    return b"".join(out)


def encode_event(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n".encode() if event else b""
    return head + b"data: " + dumps(data) + b"\n\n"


class StreamRewriter(Protocol):
    def event(self, ev: SseEvent) -> list[bytes]:
        """Bytes to send for one upstream event (the raw bytes when nothing changes)."""
        ...

    def quiet(self, raw: bytes) -> bool:
        """Whether whole events `raw` pass exactly as they are and change no state of the rewriter,
        so they need not be parsed (False whenever unsure)."""
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
