"""The proxy's HTTP client for upstreams: one aiohttp session for every user, never a cookie kept.

aiohttp parses answers in C and hands over a streamed body as it arrives: under load a 4 KB answer
streamed in 261 SSE events costs ~1 ms of the serving process's CPU here, against ~6 ms through
httpx/httpcore/h11, which run a pure-Python state machine per chunk of the upstream's chunked
encoding (docs/performance.md, "The serving path"). Only this module knows the client library: the
proxy sees `Upstream.send`, `UpstreamResponse` and `UpstreamFailed`.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterable

import aiohttp
import certifi

# Idle connections are dropped before the 5 s keep-alive of common servers (uvicorn's default), so
# a request is rarely written into a connection the upstream is closing.
KEEPALIVE_SECONDS = 4.0
# Response header lines as long as httpx/h11 took them (aiohttp's own default is 8 KB).
MAX_HEADER_BYTES = 65536


class UpstreamFailed(Exception):
    """The upstream could not be reached, or its answer broke off. `kind` names the failure (the
    client library's exception class): logs and error messages carry it, never a URL or a body."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


_FAILURES = (aiohttp.ClientError, TimeoutError)


class UpstreamResponse:
    """An upstream's answer: status and headers at once, the body streamed (`chunks`) or whole
    (`read`). Close it with `close()` whatever happened (the connection is reused when the body
    was read to the end)."""

    def __init__(self, resp: aiohttp.ClientResponse) -> None:
        self._resp = resp
        self.status = resp.status
        self.headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.raw_headers]
        self.content_type = resp.headers.get("content-type", "")

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives (whatever the network delivered since the last chunk)."""
        try:
            async for chunk in self._resp.content.iter_any():
                yield chunk
        except _FAILURES as exc:
            raise UpstreamFailed(type(exc).__name__) from exc

    async def read(self) -> bytes:
        try:
            return await self._resp.read()
        except _FAILURES as exc:
            raise UpstreamFailed(type(exc).__name__) from exc

    async def close(self) -> None:
        if self._resp.content.at_eof():
            self._resp.release()  # read to the end: the connection goes back to the pool
        else:
            self._resp.close()  # given up half-way: the rest of the answer must not be read by another


class Upstream:
    """One connection pool for every upstream and user. `start()` and `close()` run in the event
    loop that sends (the app's lifespan)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        # The same trust store httpx used (certifi's), not whatever the host has.
        context = ssl.create_default_context(cafile=certifi.where())
        connector = aiohttp.TCPConnector(
            limit=0, limit_per_host=0, keepalive_timeout=KEEPALIVE_SECONDS, ssl=context
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=min(30.0, self.timeout), sock_read=self.timeout
            ),
            # One client serves every user: it must never remember an upstream's Set-Cookie and send
            # it with someone else's request. Cookies the client itself sends travel in its headers.
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            max_line_size=MAX_HEADER_BYTES,
            max_field_size=MAX_HEADER_BYTES,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(
        self, method: str, url: str, headers: Iterable[tuple[bytes, bytes]], body: bytes | None
    ) -> UpstreamResponse:
        """Send a request and return once the answer's headers are in. Raises UpstreamFailed."""
        assert self._session is not None, "Upstream.start() first"
        try:
            resp = await self._session.request(
                method,
                url,
                headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers],
                data=body,
                allow_redirects=False,  # a redirect goes back to the client, as it came
                skip_auto_headers=("Content-Type",),  # only the client's own, if it sent one
            )
        except _FAILURES as exc:
            raise UpstreamFailed(type(exc).__name__) from exc
        return UpstreamResponse(resp)
