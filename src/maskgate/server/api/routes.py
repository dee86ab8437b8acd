"""The REST API (`/api/v1/...`): redact and hydrate, sessions, erasure, dictionary, settings, audit
trail and statistics. Every call is authorised by scope and recorded in the audit trail (without
values); answers that carry raw values need the `reveal` scope and are audited as reveals."""

from __future__ import annotations

import functools
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from maskgate.audit import AuditQuery, AuditRecord
from maskgate.config import ConfigError
from maskgate.detect.spans import DetectionError
from maskgate.server.api import models, redaction
from maskgate.server.api.auth import Auth, Principal
from maskgate.server.runtime import DICTIONARY_KEYS, SETTINGS_KEYS, Runtime, validation_message
from maskgate.vault import StoreError

if TYPE_CHECKING:
    from maskgate.server.app import Proxy
    from maskgate.server.recorder import Recorder

log = logging.getLogger("maskgate.api")
PREFIX = "/api/v1"
MAX_PAGE = 1000


class ApiError(Exception):
    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


def error(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)


class Call:
    """What a handler knows about its call, and what it adds to the call's audit record."""

    def __init__(self, request: Request, principal: Principal) -> None:
        self.request = request
        self.principal = principal
        self.session: str | None = None  # keyed-hash id
        self.action: str | None = None
        self.labels: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.detail: dict[str, Any] = {}

    def reveal(self, asked: bool) -> bool:
        if not asked:
            return False
        if not self.principal.allows("reveal"):
            raise ApiError(403, "permission_error", "revealing values needs the 'reveal' scope")
        self.action = "reveal"
        return True


Handler = Callable[["AdminApi", Call], Awaitable[Any]]


def endpoint(method: str, path: str, scope: str, action: str) -> Callable[[Handler], Handler]:
    def mark(fn: Handler) -> Handler:
        fn.route = (method, path, scope, action)  # type: ignore[attr-defined]
        return fn

    return mark


def page_args(request: Request) -> tuple[int, int]:
    try:
        offset = int(request.query_params.get("offset", "0"))
        limit = int(request.query_params.get("limit", "100"))
    except ValueError as exc:
        raise ApiError(400, "invalid_request_error", "offset and limit must be integers") from exc
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise ApiError(400, "invalid_request_error", f"offset >= 0 and 1 <= limit <= {MAX_PAGE}")
    return offset, limit


def session_out(info: Any) -> dict[str, Any]:
    return {
        "id": info.id,
        "created": info.created,
        "last_used": info.updated,
        "expires": info.expires,
        "entries": info.entries,
        "labels": dict(info.labels),
    }


class AdminApi:
    def __init__(self, proxy: Proxy, auth: Auth, recorder: Recorder, runtime: Runtime) -> None:
        self.proxy = proxy
        self.auth = auth
        self.recorder = recorder
        self.runtime = runtime

    @property
    def masker(self) -> Any:
        assert self.proxy.masker is not None
        return self.proxy.masker

    # -- plumbing ---------------------------------------------------------------------------
    def routes(self) -> list[Route]:
        out = []
        for name in dir(type(self)):
            fn = getattr(type(self), name)
            spec = getattr(fn, "route", None)
            if spec is not None:
                method, path, scope, action = spec
                out.append(Route(PREFIX + path, self._wrap(fn, path, scope, action), methods=[method]))
        return out

    def _wrap(
        self, fn: Handler, path: str, scope: str, action: str
    ) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(fn)
        async def handle(request: Request) -> Response:
            principal = self.auth.principal(
                request.headers.get("authorization"), request.client.host if request.client else None
            )
            if principal is None:
                if self.auth.mode == "disabled":
                    return error(
                        403,
                        "permission_error",
                        "the REST API is off: maskgate listens beyond loopback and no API token is set "
                        "(MASKGATE_ADMIN_TOKEN)",
                    )
                denied = error(401, "authentication_error", "a valid bearer token is required")
                denied.headers["www-authenticate"] = "Bearer"
                return denied
            return await self._run(fn, path, scope, action, request, principal)

        return handle

    async def run_as(self, principal: Principal, name: str, request: Request) -> Response:
        """Run endpoint `name` for a caller authenticated elsewhere (the admin UI's login): the same
        scope check, validation, errors and audit record as over HTTP."""
        fn = getattr(type(self), name)
        _, path, scope, action = fn.route
        return await self._run(fn, path, scope, action, request, principal)

    async def _run(
        self, fn: Handler, path: str, scope: str, action: str, request: Request, principal: Principal
    ) -> Response:
        started = time.perf_counter()
        call = Call(request, principal)
        call.action = action
        size = int(request.headers.get("content-length") or 0)
        resp: Response
        try:
            if not principal.allows(scope):
                raise ApiError(403, "permission_error", f"this call needs the '{scope}' scope")
            result = await fn(self, call)
            resp = result if isinstance(result, Response) else JSONResponse(result)
        except ApiError as exc:
            resp = error(exc.status, exc.kind, exc.message)
        except ValidationError as exc:
            resp = error(422, "invalid_request_error", validation_message(exc, "invalid"))
        except ConfigError as exc:
            resp = error(422, "invalid_request_error", str(exc))
        except DetectionError as exc:
            log.error("%s: detection failed: %s", path, type(exc).__name__)
            resp = error(503, "api_error", "PII detection failed; nothing was masked")
        except StoreError as exc:
            log.error("%s: store failed: %s", path, exc)
            resp = error(503, "api_error", "the vault is unavailable")
        except Exception as exc:  # a clear error, never a traceback (which could quote values)
            log.error("%s: failed: %s", path, type(exc).__name__)
            resp = error(500, "api_error", f"internal error ({type(exc).__name__})")
        self.recorder.record(
            AuditRecord(
                time=time.time(),
                kind="api",
                method=request.method,
                path=PREFIX + path,
                status=resp.status_code,
                session=call.session,
                actor=principal.actor,
                action=call.action,
                labels=call.labels,
                sources=call.sources,
                bytes_in=size,
                bytes_out=len(getattr(resp, "body", b"") or b""),
                detect_ms=round((time.perf_counter() - started) * 1000, 3),
                detail=call.detail,
            )
        )
        return resp

    async def body(self, call: Call, model: type[BaseModel]) -> Any:
        raw = await call.request.body()
        try:
            data = json.loads(raw or b"null")
        except ValueError as exc:
            raise ApiError(400, "invalid_request_error", "the body is not valid JSON") from exc
        return model.model_validate(data)

    def sid(self, name: str) -> str:
        return str(self.masker.store.session_id(name))

    def find_session(self, ref: str) -> Any:
        """A session by its id, or by its name (hashed the same way)."""
        store = self.masker.store
        info = store.session_info(ref)
        if info is None:
            info = store.session_info(store.session_id(ref))
        if info is None:
            raise ApiError(404, "not_found_error", "no such session")
        return info

    async def in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        assert self.proxy.service is not None
        return await anyio.to_thread.run_sync(fn, *args, limiter=self.proxy.service.limiter)

    def count(self, call: Call, results: list[Any]) -> None:
        for r in results:
            for e in r.entities:
                call.labels[e.label] = call.labels.get(e.label, 0) + 1
                call.sources[e.source] = call.sources.get(e.source, 0) + 1

    # -- redact / hydrate ------------------------------------------------------------------------
    @endpoint("POST", "/redact", "redact", "redact")
    async def redact(self, call: Call) -> Any:
        req: models.RedactRequest = await self.body(call, models.RedactRequest)
        reveal = call.reveal(req.reveal)
        session = req.session or "api-" + secrets.token_urlsafe(16)
        self.own_session(call, session)
        call.session = self.sid(session)
        try:
            masker = redaction.masker_for(self.masker, req.labels, req.locales)
        except ValueError as exc:
            raise ApiError(422, "invalid_request_error", str(exc)) from exc
        if "text" in req.model_fields_set:
            assert req.text is not None
            results = await self.in_thread(masker.mask_many, [req.text], session)
            self.count(call, results)
            return {
                "text": results[0].text,
                "session": session,
                "entities": redaction.entities_of(results, None, reveal),
            }
        found = list(redaction.strings(req.json_))
        results = await self.in_thread(masker.mask_many, [s for _, _, s in found], session) if found else []
        self.count(call, results)
        out = redaction.replaced(req.json_, iter(r.text for r in results))
        where = list(redaction.pointers(req.json_, iter(r.text for r in results)))  # masked keys
        return {"json": out, "session": session, "entities": redaction.entities_of(results, where, reveal)}

    @endpoint("POST", "/hydrate", "redact", "hydrate")
    async def hydrate(self, call: Call) -> Any:
        req: models.HydrateRequest = await self.body(call, models.HydrateRequest)
        self.own_session(call, req.session)
        if req.session.startswith("key-"):  # a proxy credential's values handed out: a reveal
            call.action = "reveal"
        call.session = self.sid(req.session)
        if "text" in req.model_fields_set:
            assert req.text is not None
            texts, n = await self.in_thread(redaction.hydrate_texts, self.masker, [req.text], req.session)
            call.detail = {"replaced": n}
            return {"text": texts[0], "session": req.session, "replaced": n}
        found = [s for _, _, s in redaction.strings(req.json_)]
        texts, n = await self.in_thread(redaction.hydrate_texts, self.masker, found, req.session)
        call.detail = {"replaced": n}
        return {"json": redaction.replaced(req.json_, iter(texts)), "session": req.session, "replaced": n}

    def own_session(self, call: Call, session: str) -> None:
        # `key-` sessions belong to proxy credentials: hydrating one hands out a client's values.
        if session.startswith("key-") and not call.principal.allows("reveal"):
            raise ApiError(403, "permission_error", "sessions of proxy credentials need the 'reveal' scope")

    # -- sessions --------------------------------------------------------------------------------
    @endpoint("GET", "/sessions", "read", "sessions.list")
    async def list_sessions(self, call: Call) -> Any:
        offset, limit = page_args(call.request)
        infos = await self.in_thread(self.masker.store.sessions, offset, limit + 1)
        more = len(infos) > limit
        return {
            "sessions": [session_out(i) for i in infos[:limit]],
            "offset": offset,
            "limit": limit,
            "next_offset": offset + limit if more else None,
        }

    @endpoint("GET", "/sessions/{id}", "read", "sessions.show")
    async def show_session(self, call: Call) -> Any:
        info = await self.in_thread(self.find_session, call.request.path_params["id"])
        call.session = info.id
        reveal = call.reveal(call.request.query_params.get("reveal", "").lower() in ("1", "true", "yes"))
        entries = await self.in_thread(self.masker.store.entries, info.id)
        places = [
            {"placeholder": e.placeholder, "label": e.label, **({"value": e.value} if reveal else {})}
            for e in entries
        ]
        return {**session_out(info), "placeholders": places}

    @endpoint("DELETE", "/sessions/{id}", "admin", "sessions.delete")
    async def delete_session(self, call: Call) -> Any:
        info = await self.in_thread(self.find_session, call.request.path_params["id"])
        call.session = info.id
        n = await self.in_thread(self.masker.store.delete_session, info.id)
        self.masker.memo.clear()
        call.detail = {"deleted": n}
        return {"deleted": n}

    @endpoint("POST", "/sessions/{id}/extend", "admin", "sessions.extend")
    async def extend_session(self, call: Call) -> Any:
        info = await self.in_thread(self.find_session, call.request.path_params["id"])
        call.session = info.id
        req: models.ExtendRequest = (
            await self.body(call, models.ExtendRequest)
            if await call.request.body()
            else models.ExtendRequest(seconds=None)
        )
        seconds = req.seconds if req.seconds is not None else self.runtime.settings.session_ttl
        got = await self.in_thread(self.masker.store.extend, info.id, seconds)
        if got is None:
            raise ApiError(404, "not_found_error", "no such session")
        return session_out(got)

    @endpoint("GET", "/sessions/{id}/export", "reveal", "sessions.export")
    async def export_session(self, call: Call) -> Any:
        info = await self.in_thread(self.find_session, call.request.path_params["id"])
        call.session = info.id
        call.action = "reveal"
        entries = await self.in_thread(self.masker.store.entries, info.id)
        self.recorder.flush()
        used = await self.in_thread(
            self.recorder.audit.query, AuditQuery(session=info.id, limit=MAX_PAGE * 10)
        )
        return {
            "session": session_out(info),
            "values": [{"placeholder": e.placeholder, "label": e.label, "value": e.value} for e in entries],
            "used": [r.as_dict() for r in used],
        }

    @endpoint("POST", "/sessions/prune", "admin", "sessions.prune")
    async def prune(self, call: Call) -> Any:
        n = await self.in_thread(self.masker.store.prune)
        self.masker.memo.clear()
        call.detail = {"pruned": n}
        return {"pruned": n}

    @endpoint("POST", "/forget", "admin", "forget")
    async def forget(self, call: Call) -> Any:
        req: models.ForgetRequest = await self.body(call, models.ForgetRequest)
        n = await self.in_thread(self.masker.store.forget, req.value)
        self.masker.memo.clear()
        call.detail = {"erased": n}
        return {"erased": n}

    # -- dictionary and settings -----------------------------------------------------------------
    @endpoint("GET", "/dictionary", "admin", "dictionary.show")
    async def get_dictionary(self, call: Call) -> Any:
        s = self.runtime.settings
        return {"deny": s.deny, "allow": s.allow, "patterns": s.patterns}

    @endpoint("PUT", "/dictionary", "admin", "dictionary.update")
    async def put_dictionary(self, call: Call) -> Any:
        req: models.Dictionary = await self.body(call, models.Dictionary)
        for label, regexes in req.patterns.items():
            if not re.fullmatch(r"[A-Z][A-Z0-9_]{0,39}", label):
                raise ApiError(
                    422, "invalid_request_error", "pattern labels are upper-case words (e.g. TICKET)"
                )
            for rx in regexes:
                try:
                    re.compile(rx)
                except re.error as exc:
                    raise ApiError(
                        422, "invalid_request_error", f"pattern for {label} is not a regex: {exc}"
                    ) from exc
        patch = req.model_dump()
        await anyio.to_thread.run_sync(self.runtime.update, patch)
        deny = req.deny if isinstance(req.deny, list) else [t for ts in req.deny.values() for t in ts]
        call.detail = {
            "deny": len(deny),
            "allow": len(req.allow),
            "patterns": sum(map(len, req.patterns.values())),
        }
        s = self.runtime.settings
        return {"deny": s.deny, "allow": s.allow, "patterns": s.patterns}

    def settings_view(self) -> dict[str, Any]:
        s = self.runtime.settings
        return {
            "version": self.runtime.version,
            "settings": {k: getattr(s, k) for k in SETTINGS_KEYS if hasattr(s, k)},
        }

    @endpoint("GET", "/settings", "read", "settings.show")
    async def get_settings(self, call: Call) -> Any:
        return self.settings_view()

    @endpoint("PATCH", "/settings", "admin", "settings.update")
    async def patch_settings(self, call: Call) -> Any:
        req = await self.body(call, models.SettingsPatch)
        patch = req.model_dump()
        if not patch:
            raise ApiError(422, "invalid_request_error", "give at least one setting to change")
        wrong = sorted(k for k in patch if k in DICTIONARY_KEYS)
        if wrong:
            raise ApiError(
                422, "invalid_request_error", f"change {', '.join(wrong)} with PUT {PREFIX}/dictionary"
            )
        await anyio.to_thread.run_sync(self.runtime.update, patch)
        call.detail = {"changed": sorted(patch)}
        return self.settings_view()

    # -- audit and stats -------------------------------------------------------------------------
    @endpoint("GET", "/audit", "read", "audit.list")
    async def audit(self, call: Call) -> Any:
        q = call.request.query_params
        offset, limit = page_args(call.request)
        try:
            query = AuditQuery(
                since=float(q["since"]) if "since" in q else None,
                until=float(q["until"]) if "until" in q else None,
                session=q.get("session"),
                provider=q.get("provider"),
                path=q.get("path"),
                status=int(q["status"]) if "status" in q else None,
                label=q.get("label"),
                kind=q.get("kind"),
                limit=limit + 1,
                offset=offset,
            )
        except ValueError as exc:
            raise ApiError(
                400, "invalid_request_error", "since/until are epoch seconds, status an integer"
            ) from exc
        self.recorder.flush()
        records = await self.in_thread(self.recorder.audit.query, query)
        more = len(records) > limit
        records = records[:limit]
        if q.get("format") == "jsonl":
            lines = "".join(json.dumps(r.as_dict()) + "\n" for r in records)
            return Response(lines, media_type="application/x-ndjson")
        return {
            "records": [r.as_dict() for r in records],
            "offset": offset,
            "limit": limit,
            "next_offset": offset + limit if more else None,
        }

    @endpoint("GET", "/stats", "read", "stats")
    async def stats(self, call: Call) -> Any:
        cache = self.masker.cache
        return self.recorder.stats.snapshot(cache.hits, cache.misses)
