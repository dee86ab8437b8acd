"""Relaying a stream with fewer writes: chunks that arrive in a burst go out together.

An upstream that streams faster than the proxy relays (a local model, a cached answer, a burst
after a network stall) hands over hundreds of tiny SSE events at once. Rewriting and writing them
one by one costs a pass through the HTTP stack each; `coalesced` joins whatever has arrived since
the last write instead. Chunks that arrive one at a time (a model generating tokens) still go out
one at a time, as soon as they arrive; the first token never waits, and no chunk waits longer
than `max_delay` for company.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

# Every provider's token events carry it: Anthropic `text_delta`, OpenAI `"delta":`, Responses `.delta`.
FIRST_TOKEN = b"delta"


class Coalesced:
    """Async iterator over `source` that yields the chunks received since the last yield, joined.
    Errors of `source` are raised where its chunks would have been. Close it with `aclose()`."""

    def __init__(self, source: AsyncIterator[bytes], max_delay: float = 0.001) -> None:
        self._source = source
        self._max_delay = max_delay
        self._buf: list[bytes] = []
        self._done = False
        self._error: BaseException | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _pump(self) -> None:
        last = time.perf_counter()
        first_token = False
        try:
            async for chunk in self._source:
                self._buf.append(chunk)
                self._wake.set()
                now = time.perf_counter()
                # The chunk with the first token goes out at once (with whatever came before it in
                # the same burst); after that the writer takes what is here at least every
                # `max_delay`. Whenever the source has to wait for the network, the writer runs.
                if not first_token and FIRST_TOKEN in chunk:
                    first_token = True
                    last = now
                    await asyncio.sleep(0)
                elif now - last >= self._max_delay:
                    last = now
                    await asyncio.sleep(0)
        except Exception as exc:
            self._error = exc
        finally:
            self._done = True
            self._wake.set()

    def __aiter__(self) -> Coalesced:
        return self

    async def __anext__(self) -> bytes:
        if self._task is None:
            self._task = asyncio.ensure_future(self._pump())
        while not self._buf and not self._done:
            self._wake.clear()
            await self._wake.wait()
        if self._buf:
            data = b"".join(self._buf)
            self._buf.clear()
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


def coalesced(source: AsyncIterator[bytes], max_delay: float = 0.001) -> Coalesced:
    return Coalesced(source, max_delay)
