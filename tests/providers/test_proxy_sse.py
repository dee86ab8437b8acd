"""The SSE parser (issue 10 item 8): any split of a byte stream into network chunks parses to the same
events, with the same raw bytes, as the stream read whole."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate.providers import base
from maskgate.providers.base import SseEvent, SseParser

LINE_ENDS = st.sampled_from([b"\n", b"\r\n", b"\r"])
LINES = st.sampled_from([b"event: message_start", b"data: {\"a\": 1}", b"data: x", b": comment", b"data:",
                         b"id: 7", b"data: \xc3\xa9t\xc3\xa9", b"retry: 10"])  # fmt: skip


@st.composite
def streams(draw: st.DrawFn) -> bytes:
    out = b""
    for _ in range(draw(st.integers(0, 6))):
        for line in draw(st.lists(LINES, min_size=1, max_size=4)):
            out += line + draw(LINE_ENDS)
        out += draw(LINE_ENDS)  # the blank line that ends the event
    if draw(st.booleans()):  # a last event without its blank line
        out += draw(LINES)
    return out


def parse(chunks: list[bytes]) -> list[SseEvent]:
    parser = SseParser()
    events = [ev for chunk in chunks for ev in parser.feed(chunk)]
    return events + list(parser.close())


def as_tuples(events: list[SseEvent]) -> list[tuple[bytes, str | None, str | None]]:
    return [(e.raw, e.event, e.data) for e in events]


@settings(max_examples=300, deadline=None)
@given(data=streams(), cuts=st.lists(st.integers(0, 400), max_size=12))
def test_any_split_parses_to_the_same_events(data: bytes, cuts: list[int]) -> None:
    points = sorted({c for c in cuts if c < len(data)})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    assert as_tuples(parse(chunks)) == as_tuples(parse([data]))


@settings(max_examples=50, deadline=None)
@given(data=streams())
def test_byte_by_byte_keeps_every_byte(data: bytes) -> None:
    events = parse([data[i : i + 1] for i in range(len(data))])
    assert as_tuples(events) == as_tuples(parse([data]))
    joined = b"".join(e.raw for e in events)
    assert data.startswith(joined) and not data[len(joined) :].strip()


def test_one_large_event_in_small_chunks() -> None:
    payload = b"data: " + b"x" * 200_000 + b"\n\n"
    events = parse([payload[i : i + 7] for i in range(0, len(payload), 7)])
    assert len(events) == 1 and events[0].raw == payload and events[0].data == "x" * 200_000


class CountingPattern:
    """The separator pattern, counting the bytes each search may look at."""

    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        self.pattern = pattern
        self.scanned = 0

    def search(self, buf: bytes | bytearray, pos: int = 0) -> re.Match[bytes] | None:
        self.scanned += len(buf) - pos
        return self.pattern.search(buf, pos)


@pytest.mark.parametrize("end", [b"\r\n\r\n", b"\n\n"])
def test_scanning_is_linear_in_the_stream(monkeypatch: pytest.MonkeyPatch, end: bytes) -> None:
    """One 60 KB event in 3-byte chunks: each byte is searched a bounded number of times (the old
    parser rescanned the whole buffer on every chunk: ~600 MB of scanning), by the pattern or, in a
    stream without carriage returns, by the plain search for a blank line."""
    counting = CountingPattern(base._SEP)
    monkeypatch.setattr(base, "_SEP", counting)
    plain = base._blank_line

    def blank_line(buf: bytearray, at: int) -> int:
        counting.scanned += len(buf) - at
        return plain(buf, at)

    monkeypatch.setattr(base, "_blank_line", blank_line)
    payload = b"data: " + b"y" * 60_000 + end + b"data: z" + end
    events = parse([payload[i : i + 3] for i in range(0, len(payload), 3)])
    assert [e.data for e in events] == ["y" * 60_000, "z"]
    assert 0 < counting.scanned <= 4 * len(payload)
