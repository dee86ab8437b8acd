"""The REST API and what serves it: auth, the audit trail of every request, runtime settings."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from maskgate.audit import AuditRecord, open_audit, retention_cutoff
from maskgate.config import Settings
from maskgate.providers import SYSTEM_NOTE
from maskgate.server.api.auth import Auth
from maskgate.server.api.openapi import document
from maskgate.server.api.routes import PREFIX, AdminApi
from maskgate.server.metrics import path_label
from maskgate.server.recorder import Recorder
from maskgate.server.runtime import Runtime, close_later, detection_changed
from maskgate.server.ui.bodies import BodyRing

if TYPE_CHECKING:
    from maskgate.server.app import Proxy

log = logging.getLogger("maskgate.api")
HOUSEKEEPING_SECONDS = 300.0


class ApiServer:
    """Built with the app; `start()` runs in the lifespan once the proxy's masker exists."""

    def __init__(self, proxy: Proxy, settings: Settings, audit: Any = None) -> None:
        self.proxy = proxy
        self.auth = Auth(settings.admin_token, settings.api_tokens, settings.host)
        self.recorder = Recorder(
            audit if audit is not None else open_audit(settings.store), settings.audit_retention_days
        )
        self.runtime = Runtime(settings, self.recorder.audit, self.apply)
        self.api = AdminApi(proxy, self.auth, self.recorder, self.runtime)
        self.bodies = BodyRing()  # the last masked bodies sent upstream, named in their audit record
        self._openapi = document(PREFIX)
        self._stop = threading.Event()

    def start(self) -> None:
        if self.auth.mode == "loopback":
            log.warning(
                "REST API: no token configured (MASKGATE_ADMIN_TOKEN); answering loopback clients only"
            )
        elif self.auth.mode == "disabled":
            log.warning(
                "REST API off: listening on %s without an API token; set MASKGATE_ADMIN_TOKEN to enable it",
                self.proxy.settings.host,
            )
        self.runtime.load()
        self._stop.clear()
        threading.Thread(target=self._housekeeping_loop, name="maskgate-prune", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self.recorder.close()

    def housekeeping(self) -> tuple[int, int]:
        """Purge expired sessions and audit records past their retention: (sessions, records)."""
        sessions = records = 0
        masker = self.proxy.masker
        if masker is not None:
            sessions = masker.store.prune()
            if sessions:
                masker.memo.clear()  # no result of a purged session may be served again
        cutoff = retention_cutoff(self.recorder.retention_days)
        if cutoff is not None:
            records = self.recorder.audit.purge(cutoff)
        return sessions, records

    def _housekeeping_loop(self) -> None:
        while not self._stop.wait(HOUSEKEEPING_SECONDS):
            try:
                sessions, records = self.housekeeping()
                if sessions or records:
                    log.info("purged %d expired sessions, %d old audit records", sessions, records)
            except Exception as exc:  # the vault or trail is down: try again next round
                log.warning("purge failed: %s", type(exc).__name__)

    def apply(self, old: Settings, new: Settings) -> None:
        """Install runtime settings: rebuild detection when it changed (the new analyzer is built
        before the old one is replaced), then point the proxy at the new settings."""
        masker, service = self.proxy.masker, self.proxy.service
        if masker is not None and detection_changed(old, new):
            from maskgate.runtime import build_analyzer

            analyzer = build_analyzer(new, pool=True)
            previous, masker.pipeline = masker.pipeline, analyzer
            close_later(previous)
        if service is not None:
            service.system_inject, service.system_note = new.system_inject, new.system_note or SYSTEM_NOTE
        self.recorder.retention_days = new.audit_retention_days
        self.proxy.settings = new

    def routes(self) -> list[Route]:
        async def openapi(request: Request) -> Response:
            return JSONResponse(self._openapi)

        return [Route(PREFIX + "/openapi.json", openapi, methods=["GET"]), *self.api.routes()]

    def audited(
        self, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        """Wrap the proxy handler: pick up runtime changes, then write one audit record per request
        (for a stream, when it ends, with the bytes actually sent)."""

        async def handle(request: Request) -> Response:
            self.runtime.poll()
            resp = await handler(request)
            if isinstance(resp, StreamingResponse):
                resp.body_iterator = self._counted(request, resp, resp.body_iterator)
            else:
                self._record(request, resp.status_code, len(resp.body or b""))
            return resp

        return handle

    async def _counted(
        self, request: Request, resp: Response, body: AsyncIterable[Any]
    ) -> AsyncIterator[Any]:
        sent = 0
        try:
            async for chunk in body:
                sent += len(chunk)
                yield chunk
        finally:
            self._record(request, resp.status_code, sent)

    def _record(self, request: Request, status: int, bytes_out: int) -> None:
        state = request.state
        results = getattr(state, "masked", None) or []
        labels: dict[str, int] = {}
        sources: dict[str, int] = {}
        for r in results:
            for e in r.entities:
                labels[e.label] = labels.get(e.label, 0) + 1
                sources[e.source] = sources.get(e.source, 0) + 1
        session = getattr(state, "session", None)
        sid = None
        if session is not None and self.proxy.masker is not None:
            try:
                sid = self.proxy.masker.store.session_id(session)
            except Exception:  # the vault is down: the record still counts, without the session
                sid = None
        detail: dict[str, Any] = {}
        sent = getattr(state, "upstream_body", None)
        if sent is not None and getattr(state, "masked", None) is not None:  # masked: never a raw body
            detail["request_id"] = self.bodies.add(sent)
        self.recorder.record(
            AuditRecord(
                time=time.time(),
                kind="proxy",
                method=request.method,
                path=path_label(getattr(state, "rest", "")),
                status=status,
                session=sid,
                provider=getattr(state, "provider", None),
                labels=labels,
                sources=sources,
                bytes_in=int(request.headers.get("content-length") or 0),
                bytes_out=bytes_out,
                detect_ms=round(getattr(state, "detect_ms", 0.0), 3),
                upstream_ms=round(getattr(state, "upstream_ms", 0.0), 3),
                unmasked=bool(getattr(state, "unmasked", False)),
                detail=detail,
            )
        )
