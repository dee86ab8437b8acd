"""The admin web UI at `/ui`: logins, CSRF, security headers, and the bridge to the REST API.

Every action goes through the REST API's own endpoint logic (`AdminApi.run_as`): the same scope
checks, validation, errors and audit records as a call with a bearer token. The UI adds a login:
an API token is exchanged once for a random session id kept in server memory (the token is never
put in a cookie), with a per-login CSRF token checked on every state-changing request.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maskgate.audit import AuditRecord
from maskgate.server.api.auth import Principal
from maskgate.server.api.routes import PREFIX

if TYPE_CHECKING:
    from maskgate.server.api import ApiServer

HERE = Path(__file__).parent
COOKIE = "maskgate_ui"
LOGIN_COOKIE = "maskgate_ui_login"  # CSRF token of the login form itself (double submit)
LOGIN_TTL = 8 * 3600.0
MAX_LOGINS = 1000
LOGIN_FAILURES = 10  # failed logins per client and minute before the form refuses for a while
FORM_LIMIT = 1024 * 1024
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def secured(app: ASGIApp) -> ASGIApp:
    """Add the security headers (CSP first of all) to every UI response, static files included."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                if not scope["path"].startswith("/ui/static/"):
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await app(scope, receive, send_headers)

    return wrapped


@dataclass
class Login:
    principal: Principal
    csrf: str
    expires: float
    new: bool = False  # created by this request: its cookie must be set on the answer


class Logins:
    """Session id -> Principal, in memory, with expiry (a restart logs everyone out)."""

    def __init__(self, ttl: float = LOGIN_TTL) -> None:
        self.ttl = ttl
        self._by_id: dict[str, Login] = {}
        self._lock = threading.Lock()

    def new(self, principal: Principal) -> tuple[str, Login]:
        sid = secrets.token_urlsafe(32)
        login = Login(principal, secrets.token_urlsafe(32), time.time() + self.ttl, new=True)
        with self._lock:
            now = time.time()
            for old in [k for k, v in self._by_id.items() if v.expires < now]:
                del self._by_id[old]
            while len(self._by_id) >= MAX_LOGINS:  # bounded: drop the oldest
                del self._by_id[next(iter(self._by_id))]
            self._by_id[sid] = login
        return sid, login

    def get(self, sid: str | None) -> Login | None:
        if not sid:
            return None
        with self._lock:
            login = self._by_id.get(sid)
            if login is None:
                return None
            if login.expires < time.time():
                del self._by_id[sid]
                return None
            return login

    def drop(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid or "", None)


@dataclass
class ApiResult:
    status: int
    data: Any

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def message(self) -> str:
        if isinstance(self.data, dict) and isinstance(self.data.get("error"), dict):
            return str(self.data["error"].get("message", ""))
        return "" if self.ok else f"failed ({self.status})"


@dataclass
class Page:
    """One UI request: who asks, the form it sent, and helpers to render and call the API."""

    ui: UiServer
    request: Request
    login: Login
    sid: str
    form: dict[str, list[str]] = field(default_factory=dict)

    def allows(self, scope: str) -> bool:
        return self.login.principal.allows(scope)

    def field(self, name: str, default: str = "") -> str:
        values = self.form.get(name)
        return values[-1] if values else default

    def fields(self, name: str) -> list[str]:
        return self.form.get(name, [])

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        return self.ui.render(template, self, status, **values)

    async def call(
        self,
        name: str,
        method: str = "GET",
        path: str = "",
        body: Any = None,
        query: dict[str, Any] | None = None,
        path_params: dict[str, str] | None = None,
    ) -> ApiResult:
        raw = b"" if body is None else json.dumps(body).encode()
        q = {k: v for k, v in (query or {}).items() if v not in (None, "")}
        scope = {
            "type": "http",
            "method": method,
            "path": PREFIX + path,
            "raw_path": (PREFIX + path).encode(),
            "root_path": "",
            "scheme": self.request.url.scheme,
            "query_string": urlencode(q).encode(),
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())],
            "client": self.request.client,
            "server": self.request.scope.get("server"),
            "path_params": path_params or {},
            "app": self.request.scope.get("app"),
            "state": {},
        }
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        resp = await self.ui.api.api.run_as(self.login.principal, name, Request(scope, receive))
        content = bytes(resp.body or b"")
        if resp.media_type == "application/json":
            return ApiResult(resp.status_code, json.loads(content or b"null"))
        return ApiResult(resp.status_code, content)


def chip_class(label: str) -> str:
    return "chip chip-" + "".join(c for c in label.lower() if c.isalnum() or c == "_")


def fmt_time(t: float | None) -> str:
    if t is None:
        return "never"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))


class UiServer:
    def __init__(self, api: ApiServer) -> None:
        self.api = api
        self.logins = Logins()
        self._failures: dict[str, list[float]] = {}
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True)
        )
        self.env.filters["chip"] = chip_class
        self.env.filters["when"] = fmt_time

    @property
    def auth(self) -> Any:
        return self.api.auth

    def routes(self) -> list[BaseRoute]:
        from maskgate.server.ui import pages

        inner = Router(
            routes=[
                Mount("/static", app=StaticFiles(directory=HERE / "static")),
                Route("/login", self.login_page, methods=["GET", "POST"]),
                *[
                    Route(path, self.page(handler, scope), methods=methods)
                    for path, handler, scope, methods in pages.ROUTES
                ],
            ]
        )

        async def to_overview(request: Request) -> Response:
            return RedirectResponse("/ui/", status_code=307)

        return [Route("/ui", to_overview, methods=["GET"]), Mount("/ui", app=secured(inner))]

    # -- rendering -------------------------------------------------------------------------------
    def render(self, template: str, page: Page | None, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(
            page=page,
            principal=page.login.principal if page else None,
            csrf=page.login.csrf if page else "",
            auth_mode=self.auth.mode,
            path=page.request.url.path if page else "",
            **values,
        )
        return HTMLResponse(html, status_code=status)

    def problem(self, page: Page | None, status: int, title: str, message: str) -> HTMLResponse:
        return self.render("problem.html", page, status, title=title, message=message)

    # -- who is asking ---------------------------------------------------------------------------
    def set_cookie(self, request: Request, resp: Response, sid: str) -> None:
        resp.set_cookie(
            COOKIE,
            sid,
            max_age=int(LOGIN_TTL),
            path="/ui",  # never sent to the proxy routes (which forward cookies upstream)
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )

    def current(self, request: Request) -> tuple[str, Login] | Response:
        """The caller's login, a new one for a loopback caller when no token is configured, or the
        answer to give instead (the login page, or a refusal)."""
        if self.auth.mode == "disabled":
            return self.problem(
                None,
                403,
                "Admin UI off",
                "maskgate listens beyond loopback and no API token is set (MASKGATE_ADMIN_TOKEN).",
            )
        sid = request.cookies.get(COOKIE)
        login = self.logins.get(sid)
        if login is not None and sid is not None:
            login.new = False
            return sid, login
        if self.auth.mode == "loopback":
            principal = self.auth.principal(None, request.client.host if request.client else None)
            if principal is None:
                return self.problem(
                    None, 403, "Loopback only", "Without a token the UI answers loopback clients only."
                )
            return self.logins.new(principal)
        if request.method == "GET" and "hx-request" not in request.headers:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/ui/login?" + urlencode({"next": target}), status_code=303)
        return self.problem(None, 401, "Logged out", "Your login expired: log in again.")

    async def read_form(self, request: Request) -> dict[str, list[str]]:
        if request.method == "GET":
            return {}
        raw = await request.body()
        if len(raw) > FORM_LIMIT:
            raise ValueError("form too large")
        out: dict[str, list[str]] = {}
        for k, v in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
            out.setdefault(k, []).append(v)
        return out

    def page(self, handler: Any, scope: str | None) -> Any:
        async def endpoint(request: Request) -> Response:
            found = self.current(request)
            if isinstance(found, Response):
                return found
            sid, login = found
            try:
                form = await self.read_form(request)
            except ValueError:
                return self.problem(None, 413, "Too large", "The form is larger than 1 MiB.")
            page = Page(self, request, login, sid, form)
            if request.method != "GET":
                given = request.headers.get("x-csrf-token") or page.field("csrf")
                if not hmac.compare_digest(given.encode(), login.csrf.encode()):
                    return self.problem(page, 403, "Refused", "Missing or wrong CSRF token: reload the page.")
            if scope is not None and not login.principal.allows(scope):
                return self.problem(page, 403, "Not allowed", f"This page needs the '{scope}' scope.")
            resp: Response = await handler(page)
            if login.new:
                self.set_cookie(request, resp, sid)
            return resp

        return endpoint

    # -- login -----------------------------------------------------------------------------------
    async def login_page(self, request: Request) -> Response:
        if self.auth.mode != "tokens":
            return RedirectResponse("/ui/", status_code=303)
        nxt = request.query_params.get("next", "/ui/")
        if not nxt.startswith("/ui/") or nxt.startswith("//"):
            nxt = "/ui/"
        if request.method == "GET":
            return self.login_form(request, nxt, None, 200)
        form = await self.read_form(request)
        given = (form.get("csrf") or [""])[-1]
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return self.login_form(request, nxt, "The form expired: try again.", 403)
        token = (form.get("token") or [""])[-1].strip()
        host = request.client.host if request.client else None
        if self.throttled(host or "", time.time()):
            return self.login_form(request, nxt, "Too many failed logins: wait a minute.", 429)
        principal = self.auth.principal("Bearer " + token, host) if token else None
        self.audit_login(request, principal, 303 if principal else 401)
        if principal is None:
            self._failures.setdefault(host or "", []).append(time.time())
            return self.login_form(request, nxt, "That token is not valid.", 401)
        self.logins.drop(request.cookies.get(COOKIE))
        sid, _ = self.logins.new(principal)
        resp = RedirectResponse(nxt, status_code=303)
        self.set_cookie(request, resp, sid)
        resp.delete_cookie(LOGIN_COOKIE, path="/ui/login")
        return resp

    def throttled(self, host: str, now: float) -> bool:
        """Guessing tokens through the form is slowed down: a client with too many recent
        failures is refused for a minute (bounded memory: the table is reset when it grows)."""
        if len(self._failures) > 10_000:
            self._failures.clear()
        recent = [t for t in self._failures.get(host, []) if t > now - 60]
        if recent:
            self._failures[host] = recent
        else:
            self._failures.pop(host, None)
        return len(recent) >= LOGIN_FAILURES

    def login_form(self, request: Request, nxt: str, error: str | None, status: int) -> Response:
        pre = secrets.token_urlsafe(24)
        html = self.env.get_template("login.html").render(
            page=None,
            principal=None,
            csrf=pre,
            auth_mode=self.auth.mode,
            path="/ui/login",
            next=nxt,
            error=error,
        )
        resp = HTMLResponse(html, status_code=status)
        resp.set_cookie(
            LOGIN_COOKIE,
            pre,
            max_age=3600,
            path="/ui/login",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return resp

    def audit_login(self, request: Request, principal: Principal | None, status: int) -> None:
        self.api.recorder.record(
            AuditRecord(
                time=time.time(),
                kind="ui",
                method=request.method,
                path="/ui/login",
                status=status,
                actor=principal.actor if principal else None,
                action="ui.login" if principal else "ui.login_failed",
            )
        )
