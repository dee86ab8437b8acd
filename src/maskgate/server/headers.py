"""Which request headers reach the provider as the client sent them, and the masking of all others.

Fail closed: a header is forwarded raw only when the provider needs it raw (credentials, content
negotiation, API versions and betas) or an SDK sets it from its own build (`x-stainless-*`). Any other
header, a client's own (`x-codex-turn-metadata`, `x-claude-code-session-id`, `session-id`, cookies,
tracing), has its value masked by the same service and session as the body: JSON values key by key and
string by string (Codex puts working-directory paths in keys), other values as text. A value that is
not UTF-8 cannot be read, so it is dropped. Ids carry no personal data, so detection leaves them as
they are, and a masked value maps to the same placeholder on every request of a session.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio.to_thread

from maskgate.errors import DetectionError, MaskgateError, MaskingFailed
from maskgate.masking.masker import MaskResult
from maskgate.masking.service import MaskingService

log = logging.getLogger("maskgate.proxy")

RAW_HEADERS = frozenset(
    {
        "authorization", "x-api-key", "api-key", "chatgpt-account-id", "openai-organization",
        "openai-project", "content-type", "content-encoding", "accept", "accept-language", "user-agent",
        "idempotency-key", "accept-encoding",  # the last: maskgate's own `identity`
    }
)  # fmt: skip
# Namespaces the providers and their SDKs define: versions, betas, retry counts, runtimes.
RAW_PREFIXES = ("anthropic-", "openai-", "x-stainless-")


def raw_header(name: str) -> bool:
    return name in RAW_HEADERS or name.startswith(RAW_PREFIXES)


def _strings(obj: Any, out: list[str]) -> None:
    """Every key and string value of a JSON document, in a fixed walk order (`_rebuild`'s)."""
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out.append(k)
            _strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _strings(v, out)


def _rebuild(obj: Any, masked: list[str], at: list[int]) -> Any:
    if isinstance(obj, str):
        at[0] += 1
        return masked[at[0] - 1]
    if isinstance(obj, dict):
        out = {}
        for v in obj.values():
            at[0] += 1
            key = masked[at[0] - 1]
            out[key] = _rebuild(v, masked, at)
        return out
    if isinstance(obj, list):
        return [_rebuild(v, masked, at) for v in obj]
    return obj


def _json_of(value: str) -> Any | None:
    if not value.lstrip().startswith(("{", "[")):
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


async def _mask(texts: list[str], service: MaskingService, session: str) -> list[MaskResult]:
    """`MaskingService.mask_texts` without its observer: the proxy's metrics count request bodies."""
    masker = service.masker
    try:
        results = masker.mask_cached(texts, session, vault=False)  # no disk on the loop
        if results is None:
            limiter = None if masker.all_cached(texts, session) else service.limiter
            results = await anyio.to_thread.run_sync(masker.mask_many, texts, session, limiter=limiter)
    except MaskgateError:
        raise
    except Exception as exc:  # fail closed on anything else too
        raise MaskingFailed(f"masking the request headers failed ({type(exc).__name__})") from exc
    return results


async def mask_headers(
    headers: list[tuple[bytes, bytes]], service: MaskingService, session: str
) -> list[tuple[bytes, bytes]]:
    """`headers` as they may go upstream: raw ones as they are, the others' values masked (one
    detection batch for all of them). Raises DetectionError, StoreError or MaskingFailed."""
    plan: list[tuple[bytes, bytes, Any, int, int]] = []  # name, raw value, JSON or None, text slice
    texts: list[str] = []
    for name, value in headers:
        if raw_header(name.decode("latin-1").lower()):
            plan.append((name, value, None, -1, -1))
            continue
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            log.warning(
                "request header %s is not UTF-8 and cannot be masked: dropped", name.decode("latin-1")
            )
            continue
        doc = _json_of(text)
        start = len(texts)
        if doc is None:
            texts.append(text)
        else:
            _strings(doc, texts)
        plan.append((name, value, doc, start, len(texts)))
    if not texts:
        return [(name, value) for name, value, *_ in plan]
    try:
        results = await _mask(texts, service, session)
    except DetectionError:
        if not service.fail_open:
            raise
        log.warning("request headers: detection failed; fail_open: forwarding them unmasked")
        return [(name, value) for name, value, *_ in plan]
    masked = [r.text for r in results]
    out = []
    for name, value, doc, start, end in plan:
        if start < 0 or masked[start:end] == texts[start:end]:
            out.append((name, value))  # nothing found: the client's own bytes
        elif doc is None:
            out.append((name, masked[start].encode("utf-8")))
        else:
            rebuilt = _rebuild(doc, masked[start:end], [0])
            out.append((name, json.dumps(rebuilt, separators=(",", ":")).encode("ascii")))
    return out
