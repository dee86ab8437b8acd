"""The proxy app: route, mask the request, forward it, unmask the answer (streamed or whole)."""

from __future__ import annotations

import contextlib
import contextvars
import gc
import logging
import os
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from maskgate.audit import AuditLog
from maskgate.config import ProviderConfig, Settings
from maskgate.errors import BadRequest, MaskgateError, NotFound, TooLarge, UpstreamError
from maskgate.masking import Masker, MaskResult
from maskgate.masking.service import MaskingService
from maskgate.providers import Api, Family, Unmask, api_for, error_body
from maskgate.providers.base import SseParser, StreamRewriter, rewrite_chunk
from maskgate.providers.jsonwalk import loads
from maskgate.runtime import build_service, server_masker
from maskgate.server import metrics, routing
from maskgate.server.headers import mask_headers
from maskgate.server.streaming import coalesced
from maskgate.server.upstream import Upstream, UpstreamFailed, UpstreamResponse

log = logging.getLogger("maskgate.proxy")

_ERROR_KINDS: dict[Family, dict[int, str]] = {
    "anthropic": {413: "request_too_large", 404: "not_found_error", 502: "api_error", 503: "api_error"},
    "openai": {502: "server_error", 503: "server_error"},
}


def error_response(family: Family, status: int, message: str, session: str | None = None) -> Response:
    kind = _ERROR_KINDS[family].get(status, "invalid_request_error")
    resp = JSONResponse(error_body(family, message, kind), status_code=status)
    if session:
        resp.headers[routing.SESSION_HEADER] = session
    return resp


def error_for(family: Family, exc: MaskgateError, session: str | None = None) -> Response:
    """The one place a MaskgateError becomes an answer: its status, in the provider's error shape."""
    return error_response(family, exc.http_status, f"maskgate: {exc}", session)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"request body exceeds the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"request body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


# The request being masked, so the masking service's observer can leave the request's results
# where the audit trail reads them (the service itself knows no HTTP).
_REQUEST: contextvars.ContextVar[Request | None] = contextvars.ContextVar("maskgate_request", default=None)


def _observe_masking(results: list[MaskResult], seconds: float) -> None:
    metrics.observe_masking(results, seconds)
    request = _REQUEST.get()
    if request is not None:
        request.state.masked, request.state.detect_ms = results, seconds * 1000


class Proxy:
    """Routes a request, has the masking service mask it, forwards it and unmasks the answer; turns
    every MaskgateError into the provider's error shape (`error_for`)."""

    def __init__(self, settings: Settings, masker: Masker | None = None) -> None:
        self.settings = settings
        self.masker = masker
        self.service = None if masker is None else self._service(masker)
        self.providers = routing.providers_of(settings)
        self.client: Upstream | None = None

    def _service(self, masker: Masker) -> MaskingService:
        return build_service(self.settings, masker, log=log, on_masked=_observe_masking)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        if self.settings.fail_open:
            log.warning("fail_open is set: a request whose detection fails is forwarded UNMASKED")
        if self.masker is None:
            self.masker = await anyio.to_thread.run_sync(server_masker, self.settings)
            self.service = self._service(self.masker)
        assert self.service is not None
        self.masker.cache.observer = metrics.observe_cache
        gc.freeze()  # the model and imports are permanent: keep them out of every GC pass (no pauses)
        client = Upstream(self.settings.upstream_timeout)  # one pool, no cookies (server/upstream.py)
        await client.start()
        self.client = client
        try:
            yield
        finally:
            self.client = None
            await client.close()
        await anyio.to_thread.run_sync(self.service.close)

    async def healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "providers": sorted(self.providers)})

    async def handle(self, request: Request) -> Response:
        headers = request.headers
        try:  # routed once, by the one path that is also forwarded (walker)
            found = routing.route_request(request.scope, headers, self.providers, self.settings)
        except routing.BadPath as exc:
            return error_for(exc.family, BadRequest(str(exc)))
        if found is None:
            return error_for("openai", NotFound(f"no provider for path {request.url.path}"))
        name, provider, rest = found
        request.state.provider, request.state.rest = name, rest  # for metrics (walker)
        session = routing.session_of(headers, self.settings.anonymous_session)  # (walker)
        if session is None:
            return error_for(provider.api, BadRequest("invalid X-Maskgate-Session header"))
        request.state.session, request.state.rest = session, rest  # for the audit trail
        token = _REQUEST.set(request)
        try:
            return await self.relay(request, name, provider, rest, session)
        except MaskgateError as exc:
            return error_for(provider.api, exc, session)
        finally:
            _REQUEST.reset(token)

    async def relay(
        self, request: Request, name: str, provider: ProviderConfig, rest: str, session: str
    ) -> Response:
        """Mask the request (body, then query string), forward it, unmask the answer."""
        assert self.service is not None
        headers = request.headers
        body = await read_body(request, self.settings.body_limit)
        api = api_for(provider.api, rest)
        mask_on = provider.mask and not routing.switched_off(headers, "x-maskgate-mask")
        unmask_on = provider.mask and not routing.switched_off(headers, "x-maskgate-unmask")
        if body and mask_on:
            body = await self.service.mask_body(
                body,
                api,
                session,
                content_type=headers.get("content-type", "application/json"),
                content_encoding=headers.get("content-encoding", "identity"),
                where=f"{name}/{rest}",
            )
            request.state.upstream_body = body  # what the provider receives (the UI's Traffic page)
        query = request.url.query
        if query and mask_on:
            query = await self.service.mask_query(query, session)
        sent_headers = routing.upstream_headers(request.headers.raw)
        if mask_on:  # fail closed: only what the provider needs raw passes raw (server/headers.py)
            sent_headers = await mask_headers(sent_headers, self.service, session)
        return await self.forward(
            request, provider, rest, body, api, self.service.unmasker(session, unmask_on), query, sent_headers
        )

    async def forward(
        self,
        request: Request,
        provider: ProviderConfig,
        rest: str,
        body: bytes,
        api: Api | None,
        u: Unmask,
        query: str,
        headers: list[tuple[bytes, bytes]],
    ) -> Response:
        assert self.client is not None and self.service is not None
        url = routing.upstream_url(provider, rest, query)
        started = time.perf_counter()
        try:
            resp = await self.client.send(request.method, url, headers, body or None)
        except UpstreamFailed as exc:
            log.warning("upstream %s unreachable: %s", provider.base_url, exc.kind)
            raise UpstreamError(f"upstream unreachable ({exc.kind})") from exc
        metrics.observe_upstream(getattr(request.state, "provider", "none"), started)
        request.state.upstream_ms = (time.perf_counter() - started) * 1000
        request.state.unmasked = provider.mask and u.masker is not None
        out_headers = routing.client_headers(resp.headers)
        out_headers.append((routing.SESSION_HEADER.encode(), u.session.encode()))
        ctype = resp.content_type.lower()
        rewrite = provider.mask and u.masker is not None
        if rewrite and api is not None and "text/event-stream" in ctype:
            return self._respond(StreamingResponse(self.sse(resp, api.stream(u)), resp.status), out_headers)
        if rewrite and "json" in ctype and (api is not None or resp.status >= 400):
            try:
                raw = await resp.read()
            except UpstreamFailed as exc:
                raise UpstreamError(f"upstream failed ({exc.kind})") from exc
            finally:
                await resp.close()
            log.debug("upstream %s %s in %.1f ms", resp.status, url, (time.perf_counter() - started) * 1000)
            content = self.service.unmask_json(raw, api, u)
            return self._respond(Response(content, resp.status), out_headers)
        return self._respond(StreamingResponse(self.passthrough(resp), resp.status), out_headers)

    @staticmethod
    def _respond(resp: Response, headers: list[tuple[bytes, bytes]]) -> Response:
        resp.raw_headers = [h for h in resp.raw_headers if h[0] == b"content-length"] + headers
        return resp

    @staticmethod
    async def sse(resp: UpstreamResponse, rewriter: StreamRewriter) -> AsyncIterator[bytes]:
        parser = SseParser()
        chunks = coalesced(resp.chunks())  # a burst of events is rewritten and written at once
        try:
            async for chunk in chunks:
                out = rewrite_chunk(parser, rewriter, chunk)
                if out:
                    yield out
            tail = [b for ev in parser.close() for b in rewriter.event(ev)]
            if tail:
                yield b"".join(tail)
        except UpstreamFailed as exc:
            log.warning("upstream stream ended early: %s", exc.kind)
            yield rewriter.error(f"maskgate: upstream connection lost mid-stream ({exc.kind})")
        except ValueError as exc:  # an event that is not the JSON it should be: stop rather than guess
            log.warning("upstream sent a malformed event: %s", exc)
            yield rewriter.error("maskgate: upstream sent a malformed event")
        except Exception as exc:  # the vault, most likely: end the stream cleanly all the same
            log.error("stream rewriting failed: %s", type(exc).__name__)
            yield rewriter.error(f"maskgate: unmasking failed ({type(exc).__name__})")
        finally:
            await chunks.aclose()
            await resp.close()

    @staticmethod
    async def passthrough(resp: UpstreamResponse) -> AsyncIterator[bytes]:
        try:
            async for chunk in resp.chunks():
                yield chunk
        except UpstreamFailed as exc:
            log.warning("upstream body ended early: %s", exc.kind)
        finally:
            await resp.close()


def create_app(
    settings: Settings, masker: Masker | None = None, *, audit: AuditLog | None = None
) -> Starlette:
    """The proxy, `/healthz`, `/metrics`, the REST API (`/api/v1`, see server/api/) and the admin
    web UI (`/ui`, see server/ui/)."""
    from maskgate.server.api import ApiServer
    from maskgate.server.ui.server import UiServer

    proxy = Proxy(settings, masker)
    api = ApiServer(proxy, settings, audit)
    ui = UiServer(api)
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    routes = [
        Route("/healthz", proxy.healthz, methods=["GET"]),
        Route("/metrics", metrics.metrics_endpoint, methods=["GET"]),
        *api.routes(),
        *ui.routes(),  # the admin web UI at /ui (server/ui/)
        Route(
            "/{path:path}",
            api.audited(metrics.instrument(proxy.handle)),
            methods=methods,
        ),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with proxy.lifespan(app):
            await anyio.to_thread.run_sync(api.start)
            try:
                yield
            finally:
                await anyio.to_thread.run_sync(api.stop)

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.proxy = proxy
    app.state.api = api
    return app


SETTINGS_ENV = "MASKGATE_SERVE_SETTINGS_JSON"


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if settings.debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("aiohttp",):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from maskgate.server import accesslog

    accesslog.install()  # no query strings or session names in uvicorn's request lines


def app_from_env() -> Starlette:
    """Factory for `uvicorn --factory` worker processes: settings travel as JSON in the environment."""
    data: dict[str, Any] = loads(os.environ[SETTINGS_ENV])
    settings = Settings.model_validate(data)
    setup_logging(settings)
    return create_app(settings)
