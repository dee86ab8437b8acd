"""The proxy's one upstream client is shared by every user: it must not carry cookies between them."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from maskgate.config import ProviderConfig, Settings
from maskgate.masking import Masker
from maskgate.server.app import create_app

pytest_plugins = ("proxy_fixtures",)


def cookie_upstream() -> Starlette:
    async def models(request: Request) -> JSONResponse:
        resp = JSONResponse({"data": [], "cookie_seen": request.headers.get("cookie")})
        resp.set_cookie("upstream_session", "alice-secret", domain=None)
        return resp

    return Starlette(routes=[Route("/v1/models", models)])


def test_upstream_cookies_never_reach_another_user(proxy_masker: Masker) -> None:
    from proxy_fixtures import Served

    upstream = Served(cookie_upstream())
    settings = Settings(
        store="memory://", providers={"up": ProviderConfig(base_url=upstream.url, api="openai")}
    )
    proxy = Served(create_app(settings, proxy_masker))
    try:
        first = httpx.get(f"{proxy.url}/up/v1/models", headers={"authorization": "Bearer alice"})
        assert first.status_code == 200
        assert "alice-secret" in first.headers.get("set-cookie", "")  # the client still gets its cookie
        second = httpx.get(f"{proxy.url}/up/v1/models", headers={"authorization": "Bearer bob"})
        assert second.json()["cookie_seen"] is None  # ...but the proxy never replays it for bob
        own = httpx.get(
            f"{proxy.url}/up/v1/models", headers={"authorization": "Bearer bob", "cookie": "mine=1"}
        )
        assert own.json()["cookie_seen"] == "mine=1"  # a client's own cookie header is forwarded
    finally:
        proxy.stop()
        upstream.stop()
