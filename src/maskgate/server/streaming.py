"""Relaying a stream with fewer writes: chunks that arrive in a burst go out together.

An upstream that streams faster than the proxy relays (a local model, a cached answer, a burst
after a network stall) hands over hundreds of tiny SSE events at once. Rewriting and writing them
one by one costs a pass through the HTTP stack each (and a socket write: under load, most of the
server's CPU); `coalesced` joins whatever has arrived since the last write instead, and writes at
most once per `max_delay` once the first token is out. Chunks that arrive one at a time (a model
generating tokens, tens of milliseconds apart) still go out one at a time, as soon as they arrive;
the first token never waits, and no chunk waits longer than `max_delay` for company.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

# Every provider's token events carry it: Anthropic `text_delta`, OpenAI `"delta":`, Responses `.delta`.
FIRST_TOKEN = b"delta"
# After the first token, writes of one stream at least this far apart (seconds): see `Coalesced`.
DEFAULT_DELAY = 0.005


class Coalesced:
    """Async iterator over `source` that yields the chunks received since the last yield, joined.
    Errors of `source` are raised where its chunks would have been. Close it with `aclose()`.

    A pump task reads `source` into a buffer; the writer (this iterator) takes the whole buffer.
    Until the first token has gone out, the writer takes what is there at once. After that it
    takes it at most once per `max_delay`: a chunk that comes after a quiet spell goes out at once,
    chunks that come in a burst (however the network cuts them) wait at most `max_delay` for the
    rest and go out together. Under load the pump's reads come one at a time, so coalescing by
    "what arrived in the same read" alone gave a write per upstream event."""

    def __init__(self, source: AsyncIterator[bytes], max_delay: float = DEFAULT_DELAY) -> None:
        self._source = source
        self._max_delay = max_delay
        self._buf: list[bytes] = []
        self._done = False
        self._error: BaseException | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._first_token = False  # the pump has read the first token (it is in the buffer or out)
        self._throttled = False  # the first token has gone out: at most one write per max_delay
        self._last = 0.0  # when the writer last took the buffer
        self._held: asyncio.Future[None] | None = None  # the writer waiting for a burst to end

    async def _pump(self) -> None:
        try:
            async for chunk in self._source:
                self._buf.append(chunk)
                self._wake.set()
                # The chunk with the first token goes out at once (with whatever came before it in
                # the same burst): let the writer run.
                if not self._first_token and FIRST_TOKEN in chunk:
                    self._first_token = True
                    await asyncio.sleep(0)
        except Exception as exc:
            self._error = exc
        finally:
            self._done = True
            self._wake.set()
            _settle(self._held)

    async def _hold(self, seconds: float) -> None:
        """Sleep `seconds`, or less if the stream ends meanwhile."""
        loop = asyncio.get_running_loop()
        self._held = loop.create_future()
        timer = loop.call_later(seconds, _settle, self._held)
        try:
            await self._held
        finally:
            timer.cancel()
            self._held = None

    def __aiter__(self) -> Coalesced:
        return self

    async def __anext__(self) -> bytes:
        if self._task is None:
            self._task = asyncio.ensure_future(self._pump())
        while not self._buf and not self._done:
            self._wake.clear()
            await self._wake.wait()
        if self._buf and self._throttled and not self._done:
            wait = self._last + self._max_delay - time.perf_counter()
            if wait > 0:  # a burst: let the rest of it come (the pump keeps reading meanwhile)
                await self._hold(wait)
        if self._buf:
            data = b"".join(self._buf)
            self._buf.clear()
            if not self._throttled and self._first_token:
                # The burst holding the first token may hold most of the answer (an upstream that
                # answers at once): the events up to the first token's go out alone, so the first
                # token does not wait for the rest to be rewritten; the rest follows at once.
                head, rest = first_token_cut(data)
                if rest:
                    self._buf.append(rest)
                    self._throttled = True
                    self._last = 0.0
                    return head
            self._throttled = self._first_token
            self._last = time.perf_counter()
            return data
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        raise StopAsyncIteration

    async def aclose(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


def first_token_cut(data: bytes) -> tuple[bytes, bytes]:
    """`data` cut after the SSE event that holds the first token (its blank line included);
    (data, b"") when that event does not end in `data`."""
    at = data.find(FIRST_TOKEN)
    if at < 0:
        return data, b""
    ends = [e + len(sep) for sep in (b"\n\n", b"\r\n\r\n", b"\r\r") if (e := data.find(sep, at)) >= 0]
    if not ends:
        return data, b""
    end = min(ends)
    return data[:end], data[end:]


def _settle(fut: asyncio.Future[None] | None) -> None:
    if fut is not None and not fut.done():
        fut.set_result(None)


def coalesced(source: AsyncIterator[bytes], max_delay: float = DEFAULT_DELAY) -> Coalesced:
    return Coalesced(source, max_delay)
