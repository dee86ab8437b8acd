"""The masking service: what the proxy (and the REST API and CLI) call to mask a request body, a
query string or plain texts, and to unmask a JSON answer.

It knows JSON and the provider API shapes (which fields carry text), not HTTP: every failure is a
`MaskgateError` (maskgate/errors.py) whose message the caller shows after "maskgate: ", and the
caller picks the shape of the error (a provider's error body, an exit status). Fail closed: when
masking fails the caller gets an error, never the unmasked body, unless `fail_open` is set and the
failure is detection's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from urllib.parse import parse_qsl, quote, urlencode

import anyio
import anyio.to_thread

from maskgate.detect.pool import DetectionBudgetExceeded
from maskgate.errors import (
    BadRequest,
    DetectionError,
    MaskgateError,
    MaskingFailed,
    StoreError,
    UnsupportedMedia,
)
from maskgate.masking.masker import Masker, MaskResult
from maskgate.providers import SYSTEM_NOTE, Api, Unmask
from maskgate.providers.jsonwalk import Leaves, dumps, has_strings, loads

MaskedObserver = Callable[[list[MaskResult], float], None]  # results and seconds (e.g. the proxy's metrics)


class MaskingService:
    """Masks requests and unmasks answers with one `Masker`, under one detection limiter of `slots`.
    Built from Settings by the composition root (maskgate/runtime.py: `build_service`)."""

    def __init__(
        self,
        masker: Masker,
        *,
        fail_open: bool = False,
        system_inject: bool = True,
        system_note: str | None = None,
        debug: bool = False,
        slots: int = 1,
        log: logging.Logger | None = None,
        on_masked: MaskedObserver | None = None,
    ) -> None:
        self.masker = masker
        self.fail_open = fail_open
        self.system_inject = system_inject
        self.system_note = system_note or SYSTEM_NOTE
        self.debug = debug
        self.slots = max(1, slots)
        self.log = log or logging.getLogger("maskgate.masking")
        self.on_masked = on_masked
        self._limiter: anyio.CapacityLimiter | None = None  # made in the event loop that uses it

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.slots)
        return self._limiter

    # -- masking ---------------------------------------------------------------------------------
    async def mask_texts(self, texts: Sequence[str], session: str) -> list[MaskResult]:
        """Mask the texts of one request (one detection batch, one vault transaction).

        A request re-sent as it was is masked from memory, here (no thread, no vault); a fully
        analysed one needs no detection slot, so it never queues behind cold ones. Raises
        DetectionError, StoreError or MaskingFailed (anything unexpected)."""
        t0 = time.perf_counter()
        try:
            results = self.masker.mask_cached(texts, session, vault=False)  # no disk on the loop
            if results is None:
                limiter = None if self.masker.all_cached(texts, session) else self.limiter
                results = await anyio.to_thread.run_sync(
                    self.masker.mask_many, texts, session, limiter=limiter
                )
        except MaskgateError:
            raise
        except Exception as exc:  # fail closed on anything else too
            raise MaskingFailed(f"masking failed ({type(exc).__name__})") from exc
        if self.on_masked is not None:
            self.on_masked(results, time.perf_counter() - t0)
        return results

    async def mask_body(
        self,
        body: bytes,
        api: Api | None,
        session: str,
        *,
        content_type: str = "application/json",
        content_encoding: str = "identity",
        where: str = "request",
    ) -> bytes:
        """The masked body to send upstream for a request to `api` (None: an endpoint maskgate has no
        rules for, which may pass only if it carries no text). `where` names the request in logs."""
        encoding = content_encoding.lower()
        if encoding != "identity":
            raise UnsupportedMedia(f"compressed request bodies ({encoding}) are not supported")
        ctype = content_type.lower()
        if "json" not in ctype:
            if api is None and not body.strip():
                return body
            raise UnsupportedMedia(f"expected a JSON body, got content-type {ctype!r}")
        try:
            obj = loads(body)
        except ValueError as exc:
            raise BadRequest(f"request body is not valid JSON: {exc}") from exc
        if api is None:
            if has_strings(obj):
                raise BadRequest(
                    f"cannot mask requests to {where}; refusing to forward text it does not understand"
                )
            return body
        if not isinstance(obj, dict):
            raise BadRequest("request body must be a JSON object")
        leaves = Leaves()
        try:
            api.collect(obj, leaves)
        except Exception as exc:  # a shape no rule expected: refuse rather than guess
            self.log.warning("%s: cannot read the request body: %s", where, type(exc).__name__)
            raise BadRequest("request body has an unexpected shape") from exc
        texts = leaves.texts()
        if texts:
            try:
                results = await self.mask_texts(texts, session)
            except DetectionError as exc:
                if self.fail_open and not isinstance(
                    exc, DetectionBudgetExceeded
                ):  # the operator chose availability over privacy
                    self.log.warning("%s: detection failed (%s); fail_open: forwarding unmasked", where, exc)
                    return body
                self.log.error("%s: masking failed, nothing sent upstream: %s", where, exc)
                raise DetectionError(f"PII detection failed ({exc}); nothing was sent upstream") from exc
            except StoreError as exc:
                self.log.error("%s: vault failed, nothing sent upstream: %s", where, exc)
                raise StoreError(f"vault unavailable ({exc}); nothing was sent upstream") from exc
            except MaskingFailed as exc:
                self.log.error("%s: masking failed, nothing sent upstream", where, exc_info=exc.__cause__)
                raise MaskingFailed(f"{exc}; nothing was sent upstream") from exc.__cause__
            leaves.write([r.text for r in results])
            self.log_masked(where, session, texts, results)
        if self.system_inject:
            api.inject(obj, self.system_note)
        return dumps(obj)

    async def mask_query(self, query: str, session: str) -> str:
        """Free-text filter values in a query string (`metadata[owner]=John Smith` when listing stored
        completions) are masked like the body, so the filter matches what was stored masked. Ids,
        cursors, limits and orders pass as they are: masking one would point it elsewhere."""
        pairs = parse_qsl(query, keep_blank_values=True)
        picked = [i for i, (k, v) in enumerate(pairs) if k.startswith("metadata") and v]
        if not picked:
            return query
        try:
            results = await anyio.to_thread.run_sync(
                self.masker.mask_many, [pairs[i][1] for i in picked], session
            )
        except Exception as exc:
            self.log.error("query string: masking failed, nothing sent upstream: %s", type(exc).__name__)
            raise MaskingFailed("masking the query string failed") from exc
        for i, r in zip(picked, results, strict=True):
            pairs[i] = (pairs[i][0], r.text)
        return urlencode(pairs, quote_via=quote)

    def log_masked(self, where: str, session: str, texts: list[str], results: list[MaskResult]) -> None:
        entities = [e for r in results for e in r.entities]
        # a name may be an e-mail: log the vault's keyed id (as `maskgate sessions list` shows it)
        session = self.masker.store.session_id(session)
        if not self.debug:
            self.log.info("%s session=%s texts=%d masked=%d", where, session, len(texts), len(entities))
            return
        self.log.debug("%s session=%s texts=%d masked=%d", where, session, len(texts), len(entities))
        for e in entities:
            self.log.debug("  %s <- %r (%s, %s, %.2f)", e.placeholder, e.text, e.label, e.source, e.score)
        for raw, r in zip(texts, results, strict=True):
            if r.text != raw:
                self.log.debug("  - %s\n  + %s", raw[:2000], r.text[:2000])

    # -- unmasking -------------------------------------------------------------------------------
    def unmasker(self, session: str, enabled: bool = True) -> Unmask:
        """Unmasking bound to `session` for the provider walkers (a no-op when not `enabled`)."""
        return Unmask(self.masker if enabled else None, session)

    def unmask_text(self, text: str, session: str) -> str:
        """`text` with the placeholders of `session` put back (any others left as they are). Raises
        StoreError."""
        try:
            return self.masker.unmask(text, session)
        except StoreError as exc:
            self.log.error("unmasking failed: %s", exc)
            raise StoreError(f"vault unavailable ({exc})") from exc

    def unmask_json(self, raw: bytes, api: Api | None, unmask: Unmask) -> bytes:
        """A JSON answer with its placeholders put back (`raw` itself when nothing changed or it is
        not JSON). Raises StoreError."""
        try:
            obj = loads(raw)
        except ValueError:
            return raw
        before = dumps(obj)
        try:
            if api is not None:
                api.unmask_response(obj, unmask)
            else:
                unmask.leaves(obj)
        except StoreError as exc:
            self.log.error("unmasking failed: %s", exc)
            raise StoreError(f"vault unavailable ({exc})") from exc
        after = dumps(obj)
        if after == before:
            return raw
        if self.debug:  # raw values: only ever logged with --debug
            new, old = after[:2000].decode(errors="replace"), before[:2000].decode(errors="replace")
            self.log.debug("  answer unmasked:\n  - %s\n  + %s", old, new)
        return after

    def close(self) -> None:
        """Stop what the analyzer runs (a detection process pool)."""
        self.masker.pipeline.close()
