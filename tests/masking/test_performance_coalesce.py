"""`coalesced`: a burst of chunks is relayed in few writes, byte for byte; chunks that arrive one
by one still go out one by one; an upstream error surfaces after the chunks that preceded it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from maskgate.server.streaming import coalesced


async def burst(n: int, fail: bool = False) -> AsyncIterator[bytes]:
    for i in range(n):
        yield f"event {i}\n\n".encode()
    if fail:
        raise ConnectionResetError("upstream dropped")


async def trickle(n: int) -> AsyncIterator[bytes]:
    for i in range(n):
        await asyncio.sleep(0.005)
        yield f"token {i}\n\n".encode()


async def collect(source: AsyncIterator[bytes], max_delay: float = 1.0) -> list[bytes]:
    chunks = coalesced(source, max_delay)
    try:
        return [c async for c in chunks]
    finally:
        await chunks.aclose()


def test_a_burst_goes_out_in_few_writes_byte_for_byte() -> None:
    out = asyncio.run(collect(burst(500)))
    assert b"".join(out) == b"".join(f"event {i}\n\n".encode() for i in range(500))
    assert len(out) <= 2  # all together (the first token alone at most)


def test_chunks_that_trickle_in_go_out_one_by_one() -> None:
    out = asyncio.run(collect(trickle(10), max_delay=0.001))
    assert out == [f"token {i}\n\n".encode() for i in range(10)]


def test_an_upstream_error_comes_after_the_chunks_before_it() -> None:
    async def run() -> tuple[bytes, BaseException | None]:
        got = b""
        chunks = coalesced(burst(50, fail=True))
        try:
            async for c in chunks:
                got += c
        except ConnectionResetError as exc:
            return got, exc
        finally:
            await chunks.aclose()
        return got, None

    got, error = asyncio.run(run())
    assert got == b"".join(f"event {i}\n\n".encode() for i in range(50))
    assert isinstance(error, ConnectionResetError)


def test_closing_early_stops_reading_the_source() -> None:
    read = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal read
        while True:
            read += 1
            await asyncio.sleep(0.001)
            yield b"x"

    async def run() -> None:
        chunks = coalesced(endless())
        async for _ in chunks:
            break
        await chunks.aclose()
        before = read
        await asyncio.sleep(0.05)
        assert read == before

    asyncio.run(run())


@pytest.mark.parametrize("n", [0, 1, 3])
def test_short_streams(n: int) -> None:
    assert b"".join(asyncio.run(collect(burst(n)))) == b"".join(f"event {i}\n\n".encode() for i in range(n))


def test_the_first_token_does_not_wait_for_the_rest_of_a_burst() -> None:
    async def run() -> list[bytes]:
        async def source() -> AsyncIterator[bytes]:
            yield b"event: message_start\n\n"
            yield b'data: {"type":"text_delta","text":"Hi"}\n\n'
            for i in range(300):
                yield f"data: {i}\n\n".encode()

        chunks = coalesced(source(), max_delay=10.0)
        try:
            return [c async for c in chunks]
        finally:
            await chunks.aclose()

    out = asyncio.run(run())
    assert out[0].endswith(b'"Hi"}\n\n') and out[0].startswith(b"event: message_start")
    assert len(out) == 2


def test_a_burst_read_one_event_at_a_time_still_goes_out_in_few_writes() -> None:
    """Under load the proxy reads an upstream's burst one event per read (the loop runs between
    reads): after the first token, writes are at least `max_delay` apart whatever the reads."""

    async def run() -> list[bytes]:
        async def source() -> AsyncIterator[bytes]:
            for i in range(300):
                await asyncio.sleep(0)  # each event its own network read
                yield f'data: {{"type":"text_delta","text":"{i}"}}\n\n'.encode()

        chunks = coalesced(source(), max_delay=10.0)
        try:
            return [c async for c in chunks]
        finally:
            await chunks.aclose()

    out = asyncio.run(run())
    assert b"".join(out) == b"".join(
        f'data: {{"type":"text_delta","text":"{i}"}}\n\n'.encode() for i in range(300)
    )
    assert len(out) == 2  # the first token at once, then the rest when the stream ends


def test_tokens_after_a_quiet_spell_go_out_at_once() -> None:
    async def run() -> list[tuple[float, bytes]]:
        async def source() -> AsyncIterator[bytes]:
            for i in range(5):
                await asyncio.sleep(0.02)
                yield f'data: {{"type":"text_delta","text":"{i}"}}\n\n'.encode()

        got: list[tuple[float, bytes]] = []
        chunks = coalesced(source(), max_delay=0.005)
        try:
            async for c in chunks:
                got.append((asyncio.get_running_loop().time(), c))
        finally:
            await chunks.aclose()
        return got

    out = asyncio.run(run())
    assert len(out) == 5  # 20 ms apart: each alone, none held for company


async def answer_at_once() -> AsyncIterator[bytes]:
    """An upstream that answers at once: the whole stream in one read, first token included."""
    events = [b'event: message_start\ndata: {"type":"message_start"}\n\n']
    events += [f'event: content_block_delta\ndata: {{"delta":"tok{i}"}}\n\n'.encode() for i in range(200)]
    yield b"".join(events)


def test_the_first_token_goes_out_alone_when_the_whole_answer_comes_in_one_read() -> None:
    out = asyncio.run(collect(answer_at_once()))
    assert out[0].endswith(b'{"delta":"tok0"}\n\n')  # message_start and the first delta, alone
    assert b"tok1" not in out[0]
    assert len(out) == 2  # then the rest, at once (no max_delay wait: collect's is 1 s)
    assert b"".join(out).count(b"tok") == 200


@pytest.mark.parametrize(
    ("data", "head"),
    [
        (b"data: a\n\ndata: delta 1\n\ndata: b\n\n", b"data: a\n\ndata: delta 1\n\n"),
        (b"data: delta 1\r\n\r\ndata: b\r\n\r\n", b"data: delta 1\r\n\r\n"),
        (b"data: delta 1\r\rdata: b\r\r", b"data: delta 1\r\r"),
        (b"data: delta 1 (event not ended)", b"data: delta 1 (event not ended)"),
        (b"data: no token\n\n", b"data: no token\n\n"),
    ],
)
def test_first_token_cut(data: bytes, head: bytes) -> None:
    from maskgate.server.streaming import first_token_cut

    got_head, rest = first_token_cut(data)
    assert got_head == head
    assert got_head + rest == data
