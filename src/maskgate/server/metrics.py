"""Prometheus metrics for the proxy: counts and timings only, never a raw value or a session id.

Labels are bounded: the provider name (from the configuration), the API path shape (one of the
paths maskgate understands, else `other`), the HTTP status and the entity label.

With `maskgate serve --workers N` each uvicorn worker is its own process; `cli_serve` then points
`PROMETHEUS_MULTIPROC_DIR` at a fresh directory before the workers start, every worker writes its
samples there and `/metrics` (answered by whichever worker gets the scrape) sums them over all
workers (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

if TYPE_CHECKING:
    from maskgate.masking import MaskResult

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CLIENT_GONE = 499  # the status counted for a client that left mid-request (nginx's convention)
log = logging.getLogger("maskgate.proxy")

# Request paths (relative to the provider) reported as they are; anything else is `other`, so a
# path carrying ids or text never becomes a label value.
KNOWN_PATHS = (
    "v1/messages",
    "v1/messages/count_tokens",
    "v1/chat/completions",
    "v1/responses",
    "v1/embeddings",
    "v1/models",
    "v1/complete",
)

_FAST = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_SLOW = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

REQUESTS = Counter("maskgate_requests", "Requests answered by the proxy.", ["provider", "path", "status"])
ENTITIES = Counter("maskgate_entities_masked", "Values replaced by placeholders, by label.", ["label"])
TEXTS = Counter("maskgate_texts_masked", "Text leaves of request bodies passed through masking.")
DETECTION = Histogram(
    "maskgate_detection_seconds",
    "Masking time per request: cache lookups, detection of new text and vault assignment.",
    buckets=_FAST,
)
UPSTREAM = Histogram(
    "maskgate_upstream_seconds",
    "Time from sending a request upstream to its response headers.",
    ["provider"],
    buckets=_SLOW,
)
CACHE_HITS = Counter(
    "maskgate_analysis_cache_hits", "Text leaves whose detection result came from the cache."
)
CACHE_MISSES = Counter("maskgate_analysis_cache_misses", "Text leaves that had to be analysed.")


def path_label(rest: str) -> str:
    clean = rest.strip("/")
    for known in KNOWN_PATHS:
        if clean == known or clean.endswith("/" + known):
            return known
    return "other"


def observe_cache(hits: int, misses: int) -> None:
    """The AnalysisCache observer: one call per batch of lookups."""
    if hits:
        CACHE_HITS.inc(hits)
    if misses:
        CACHE_MISSES.inc(misses)


def observe_masking(results: Sequence[MaskResult], seconds: float) -> None:
    DETECTION.observe(seconds)
    TEXTS.inc(len(results))
    counts: dict[str, int] = {}
    for r in results:
        for e in r.entities:
            counts[e.label] = counts.get(e.label, 0) + 1
    for label, n in counts.items():
        ENTITIES.labels(label).inc(n)


def observe_upstream(provider: str, started: float) -> None:
    UPSTREAM.labels(provider).observe(time.perf_counter() - started)


def observe_request(provider: str, rest: str, status: int) -> None:
    REQUESTS.labels(provider, path_label(rest), str(status)).inc()


def instrument(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Count every answer of `handler` by provider, path shape and status. The handler routes the
    request (once) and leaves the provider's name and path in `request.state.provider` / `.rest`."""

    async def counted(request: Request) -> Response:
        try:
            response = await handler(request)
        except ClientDisconnect:  # gone mid-upload: nothing to answer, one line instead of a traceback
            provider, rest = _state(request, "provider", "none"), _state(request, "rest", "")
            log.info("%s %s: client disconnected before sending its whole body", provider, path_label(rest))
            observe_request(provider, rest, CLIENT_GONE)
            return Response(status_code=CLIENT_GONE)
        except Exception:
            observe_request(_state(request, "provider", "none"), _state(request, "rest", ""), 500)
            raise
        observe_request(
            _state(request, "provider", "none"), _state(request, "rest", ""), response.status_code
        )
        return response

    return counted


def _state(request: Request, name: str, default: str) -> str:
    return str(getattr(request.state, name, default))


def render() -> tuple[bytes, str]:
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


async def metrics_endpoint(request: Request) -> Response:
    body, ctype = render()
    return Response(body, media_type=ctype)
