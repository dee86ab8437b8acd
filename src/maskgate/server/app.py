"""The proxy app: route, mask the request, forward it, unmask the answer (streamed or whole)."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import time
from collections.abc import AsyncIterator
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import anyio
import anyio.to_thread
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from maskgate.config import ProviderConfig, Settings
from maskgate.detect.spans import DetectionError
from maskgate.masking import Masker, MaskResult
from maskgate.providers import SYSTEM_NOTE, Api, Family, Unmask, api_for, error_body
from maskgate.providers.base import SseParser, StreamRewriter
from maskgate.providers.jsonwalk import Leaves, dumps, has_strings, loads
from maskgate.server import metrics, routing
from maskgate.server.streaming import coalesced
from maskgate.vault import StoreError

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


def detection_slots(masker: Masker, settings: Settings) -> int:
    """Requests masked at once: `detect_threads` threads, or with a process pool enough requests in
    flight to keep every worker busy while the others wait on I/O and wake-ups."""
    processes = getattr(masker.pipeline, "processes", 0)
    return max(1, settings.detect_threads, 8 * processes)


class TooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class Proxy:
    def __init__(self, settings: Settings, masker: Masker | None = None) -> None:
        self.settings = settings
        self.masker = masker
        self.providers = routing.providers_of(settings)
        self.client: httpx.AsyncClient | None = None
        self.limiter: anyio.CapacityLimiter | None = None

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        if self.settings.fail_open:
            log.warning("fail_open is set: a request whose detection fails is forwarded UNMASKED")
        if self.masker is None:
            from maskgate.detect.pool import server_masker

            self.masker = await anyio.to_thread.run_sync(server_masker, self.settings)
        self.masker.cache.observer = metrics.observe_cache
        self.limiter = anyio.CapacityLimiter(detection_slots(self.masker, self.settings))
        gc.freeze()  # the model and imports are permanent: keep them out of every GC pass (no pauses)
        timeout = httpx.Timeout(
            self.settings.upstream_timeout, connect=min(30.0, self.settings.upstream_timeout)
        )
        # Idle connections are dropped before the 5 s keep-alive of common servers (uvicorn's default),
        # so a request is never written into a connection the upstream is closing.
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=100, keepalive_expiry=4.0)
        # One client serves every user: it must never remember an upstream's Set-Cookie and send it
        # with someone else's request. Cookies the client itself sends travel in its own headers.
        no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
        async with httpx.AsyncClient(
            timeout=timeout, limits=limits, trust_env=False, cookies=no_cookies
        ) as client:
            self.client = client
            yield
        self.client = None
        close = getattr(self.masker.pipeline, "close", None)  # a detection process pool
        if close is not None:
            await anyio.to_thread.run_sync(close)

    async def healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "providers": sorted(self.providers)})

    async def handle(self, request: Request) -> Response:
        headers = request.headers
        try:  # routed once, by the one path that is also forwarded (walker)
            found = routing.route_request(request.scope, headers, self.providers, self.settings)
        except routing.BadPath as exc:
            return error_response(exc.family, 400, str(exc))
        if found is None:
            return error_response("openai", 404, f"maskgate: no provider for path {request.url.path}")
        name, provider, rest = found
        request.state.provider, request.state.rest = name, rest  # for metrics (walker)
        family: Family = provider.api
        session = routing.session_of(headers, self.settings.anonymous_session)  # (walker)
        if session is None:
            return error_response(family, 400, "maskgate: invalid X-Maskgate-Session header")
        try:
            body = await read_body(request, self.settings.body_limit)
        except TooLarge:
            limit = self.settings.body_limit
            return error_response(
                family, 413, f"maskgate: request body exceeds the limit of {limit} bytes", session
            )
        api = api_for(family, rest)
        mask_on = provider.mask and not routing.switched_off(headers, "x-maskgate-mask")
        unmask_on = provider.mask and not routing.switched_off(headers, "x-maskgate-unmask")
        if body and mask_on:
            prepared = await self.prepare(request, family, api, body, session, f"{name}/{rest}")
            if isinstance(prepared, Response):
                return prepared
            body = prepared
        query = request.url.query
        if query and mask_on and self.masker is not None:
            masked_query = await self.mask_query(query, session, family)
            if isinstance(masked_query, Response):
                return masked_query
            query = masked_query
        return await self.forward(
            request, provider, rest, body, api, Unmask(self.masker if unmask_on else None, session), query
        )

    async def mask_query(self, query: str, session: str, family: Family) -> str | Response:
        """Free-text filter values in the query string (`metadata[owner]=John Smith` when listing stored
        completions) are masked like the body, so the filter matches what was stored masked. Ids,
        cursors, limits and orders pass as they are: masking one would point it elsewhere."""
        pairs = parse_qsl(query, keep_blank_values=True)
        picked = [i for i, (k, v) in enumerate(pairs) if k.startswith("metadata") and v]
        if not picked:
            return query
        assert self.masker is not None
        try:
            results = await anyio.to_thread.run_sync(
                self.masker.mask_many, [pairs[i][1] for i in picked], session
            )
        except (DetectionError, StoreError) as exc:
            log.error("query string: masking failed, nothing sent upstream: %s", type(exc).__name__)
            return error_response(family, 503, "maskgate: masking the query string failed", session)
        for i, r in zip(picked, results, strict=True):
            pairs[i] = (pairs[i][0], r.text)
        return urlencode(pairs, quote_via=quote)

    async def prepare(
        self, request: Request, family: Family, api: Api | None, body: bytes, session: str, where: str
    ) -> bytes | Response:
        """The masked body to send, or the error to answer with (nothing is sent upstream then)."""
        encoding = request.headers.get("content-encoding", "identity").lower()
        if encoding != "identity":
            return error_response(
                family, 415, f"maskgate: compressed request bodies ({encoding}) are not supported", session
            )
        ctype = request.headers.get("content-type", "application/json").lower()
        if "json" not in ctype:
            if api is None and not body.strip():
                return body
            return error_response(
                family, 415, f"maskgate: expected a JSON body, got content-type {ctype!r}", session
            )
        try:
            obj = loads(body)
        except ValueError as exc:
            return error_response(family, 400, f"maskgate: request body is not valid JSON: {exc}", session)
        if api is None:
            if has_strings(obj):
                msg = f"maskgate cannot mask requests to {request.url.path}; refusing to forward text it does not understand"
                return error_response(family, 400, msg, session)
            return body
        if not isinstance(obj, dict):
            return error_response(family, 400, "maskgate: request body must be a JSON object", session)
        leaves = Leaves()
        try:
            api.collect(obj, leaves)
        except Exception as exc:  # a shape no rule expected: refuse rather than guess
            log.warning("%s: cannot read the request body: %s", where, type(exc).__name__)
            return error_response(family, 400, "maskgate: request body has an unexpected shape", session)
        texts = leaves.texts()
        if texts:
            assert self.masker is not None and self.limiter is not None
            try:
                t0 = time.perf_counter()
                # a request re-sent as it was is masked from memory, here (no thread, no vault)
                cached = self.masker.mask_cached(texts, session)
                if cached is not None:
                    results = cached
                else:
                    # a fully analysed request needs no detection slot: it never queues behind cold ones
                    limiter = None if self.masker.all_cached(texts) else self.limiter
                    results = await anyio.to_thread.run_sync(
                        self.masker.mask_many, texts, session, limiter=limiter
                    )
            except DetectionError as exc:
                if self.settings.fail_open:  # the operator chose availability over privacy
                    log.warning("%s: detection failed (%s); fail_open: forwarding unmasked", where, exc)
                    return body
                log.error("%s: masking failed, nothing sent upstream: %s", where, exc)
                return error_response(
                    family, 503, f"maskgate: PII detection failed ({exc}); nothing was sent upstream", session
                )
            except StoreError as exc:
                log.error("%s: vault failed, nothing sent upstream: %s", where, exc)
                return error_response(
                    family, 503, f"maskgate: vault unavailable ({exc}); nothing was sent upstream", session
                )
            except Exception as exc:  # fail closed on anything else too
                log.exception("%s: masking failed, nothing sent upstream", where)
                return error_response(
                    family,
                    503,
                    f"maskgate: masking failed ({type(exc).__name__}); nothing was sent upstream",
                    session,
                )
            metrics.observe_masking(results, time.perf_counter() - t0)
            leaves.write([r.text for r in results])
            self.log_masked(where, session, texts, results)
        if self.settings.system_inject:
            api.inject(obj, SYSTEM_NOTE)
        return dumps(obj)

    def log_masked(self, where: str, session: str, texts: list[str], results: list[MaskResult]) -> None:
        entities = [e for r in results for e in r.entities]
        if not self.settings.debug:
            log.info("%s session=%s texts=%d masked=%d", where, session, len(texts), len(entities))
            return
        log.debug("%s session=%s texts=%d masked=%d", where, session, len(texts), len(entities))
        for e in entities:
            log.debug("  %s <- %r (%s, %s, %.2f)", e.placeholder, e.text, e.label, e.source, e.score)
        for raw, r in zip(texts, results, strict=True):
            if r.text != raw:
                log.debug("  - %s\n  + %s", raw[:2000], r.text[:2000])

    async def forward(
        self,
        request: Request,
        provider: ProviderConfig,
        rest: str,
        body: bytes,
        api: Api | None,
        u: Unmask,
        query: str,
    ) -> Response:
        assert self.client is not None
        family: Family = provider.api
        url = routing.upstream_url(provider, rest, query)
        upstream = self.client.build_request(
            request.method, url, headers=routing.upstream_headers(request.headers.raw), content=body or None
        )
        started = time.perf_counter()
        try:
            resp = await self.client.send(upstream, stream=True)
        except httpx.HTTPError as exc:
            log.warning("upstream %s unreachable: %s", provider.base_url, type(exc).__name__)
            return error_response(
                family, 502, f"maskgate: upstream unreachable ({type(exc).__name__})", u.session
            )
        metrics.observe_upstream(getattr(request.state, "provider", "none"), started)
        out_headers = routing.client_headers(resp.headers.multi_items())
        out_headers.append((routing.SESSION_HEADER.encode(), u.session.encode()))
        ctype = resp.headers.get("content-type", "").lower()
        rewrite = provider.mask and u.masker is not None
        if rewrite and api is not None and "text/event-stream" in ctype:
            return self._respond(
                StreamingResponse(self.sse(resp, api.stream(u)), resp.status_code), out_headers
            )
        if rewrite and "json" in ctype and (api is not None or resp.status_code >= 400):
            try:
                raw = await resp.aread()
            except httpx.HTTPError as exc:
                return error_response(
                    family, 502, f"maskgate: upstream failed ({type(exc).__name__})", u.session
                )
            finally:
                await resp.aclose()
            log.debug(
                "upstream %s %s in %.1f ms", resp.status_code, url, (time.perf_counter() - started) * 1000
            )
            try:
                content = self.unmask_json(raw, api, u)
            except StoreError as exc:
                log.error("unmasking failed: %s", exc)
                return error_response(family, 503, f"maskgate: vault unavailable ({exc})", u.session)
            return self._respond(Response(content, resp.status_code), out_headers)
        return self._respond(StreamingResponse(self.passthrough(resp), resp.status_code), out_headers)

    @staticmethod
    def _respond(resp: Response, headers: list[tuple[bytes, bytes]]) -> Response:
        resp.raw_headers = [h for h in resp.raw_headers if h[0] == b"content-length"] + headers
        return resp

    def unmask_json(self, raw: bytes, api: Api | None, u: Unmask) -> bytes:
        try:
            obj = loads(raw)
        except ValueError:
            return raw
        before = dumps(obj)
        if api is not None:
            api.unmask_response(obj, u)
        else:
            u.leaves(obj)
        after = dumps(obj)
        if after == before:
            return raw
        if self.settings.debug:  # raw values: only ever logged with --debug
            new, old = after[:2000].decode(errors="replace"), before[:2000].decode(errors="replace")
            log.debug("  answer unmasked:\n  - %s\n  + %s", old, new)
        return after

    @staticmethod
    async def sse(resp: httpx.Response, rewriter: StreamRewriter) -> AsyncIterator[bytes]:
        parser = SseParser()
        chunks = coalesced(resp.aiter_bytes())  # a burst of events is rewritten and written at once
        try:
            async for chunk in chunks:
                out = [b for ev in parser.feed(chunk) for b in rewriter.event(ev)]
                if out:
                    yield b"".join(out)
            tail = [b for ev in parser.close() for b in rewriter.event(ev)]
            if tail:
                yield b"".join(tail)
        except httpx.HTTPError as exc:
            log.warning("upstream stream ended early: %s", type(exc).__name__)
            yield rewriter.error(f"maskgate: upstream connection lost mid-stream ({type(exc).__name__})")
        except ValueError as exc:  # an event that is not the JSON it should be: stop rather than guess
            log.warning("upstream sent a malformed event: %s", exc)
            yield rewriter.error("maskgate: upstream sent a malformed event")
        except Exception as exc:  # the vault, most likely: end the stream cleanly all the same
            log.error("stream rewriting failed: %s", type(exc).__name__)
            yield rewriter.error(f"maskgate: unmasking failed ({type(exc).__name__})")
        finally:
            await chunks.aclose()
            await resp.aclose()

    @staticmethod
    async def passthrough(resp: httpx.Response) -> AsyncIterator[bytes]:
        try:
            async for chunk in resp.aiter_bytes():
                yield chunk
        except httpx.HTTPError as exc:
            log.warning("upstream body ended early: %s", type(exc).__name__)
        finally:
            await resp.aclose()


def create_app(settings: Settings, masker: Masker | None = None) -> Starlette:
    proxy = Proxy(settings, masker)
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    routes = [
        Route("/healthz", proxy.healthz, methods=["GET"]),
        Route("/metrics", metrics.metrics_endpoint, methods=["GET"]),
        Route("/{path:path}", metrics.instrument(proxy.handle), methods=methods),
    ]
    app = Starlette(routes=routes, lifespan=proxy.lifespan)
    app.state.proxy = proxy
    return app


SETTINGS_ENV = "MASKGATE_SERVE_SETTINGS_JSON"


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if settings.debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def app_from_env() -> Starlette:
    """Factory for `uvicorn --factory` worker processes: settings travel as JSON in the environment."""
    data: dict[str, Any] = loads(os.environ[SETTINGS_ENV])
    settings = Settings.model_validate(data)
    setup_logging(settings)
    return create_app(settings)
