"""The admin UI's protections over plain HTTP (no browser): security headers, CSRF, the login form,
its throttle, login expiry, the cookie's flags, and the bounded ring of masked bodies."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response

from fake_upstream import FakeUpstream
from maskgate.config import ProviderConfig, Settings
from maskgate.server.api.auth import Principal
from maskgate.server.app import create_app
from maskgate.server.ui.bodies import BodyRing
from maskgate.server.ui.server import LOGIN_FAILURES, Logins, UiServer
from proxy_fixtures import Served

pytest_plugins = ("proxy_fixtures",)

ADMIN, READ = "http-adm-1", "http-read-2"


@pytest.fixture(scope="module")
def server(fake_upstream: FakeUpstream) -> Iterator[str]:
    settings = Settings(
        store="memory://",
        providers={"openai": ProviderConfig(base_url=fake_upstream.url, api="openai")},
        detect_processes=0,
        admin_token=ADMIN,
        api_tokens={READ: ["read"]},
    )
    served = Served(create_app(settings))
    yield served.url
    served.stop()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@contextlib.contextmanager
def login(base: str, token: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60) as c:
        form = c.get("/ui/login")
        r = c.post("/ui/login", data={"csrf": csrf_of(form.text), "token": token})
        assert r.status_code == 303 and r.headers["location"] == "/ui/", r.text
        yield c


def test_every_ui_answer_carries_the_security_headers(server: str) -> None:
    with login(server, ADMIN) as c:
        for path in ("/ui/login", "/ui/", "/ui/static/ui.css", "/ui/static/vendor/htmx-2.0.11.min.js"):
            r = c.get(path)
            assert r.status_code == 200, path
            csp = r.headers["content-security-policy"]
            assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["x-content-type-options"] == "nosniff"
        page = c.get("/ui/inspector").text
        assert "<style" not in page and " style=" not in page  # nothing inline for the CSP to block
        assert re.search(r"<script(?![^>]*\bsrc=)", page) is None


def test_state_changes_need_the_login_csrf_token(server: str) -> None:
    with login(server, ADMIN) as c:
        token = csrf_of(c.get("/ui/dictionary").text)
        assert c.post("/ui/dictionary", data={"action": "add_allow", "term": "t1"}).status_code == 403
        assert (
            c.post("/ui/dictionary", data={"action": "add_allow", "term": "t1", "csrf": "nope"}).status_code
            == 403
        )
        ok = c.post("/ui/dictionary", data={"action": "add_allow", "term": "t1", "csrf": token})
        assert ok.status_code == 200 and "t1" in ok.text
        # htmx sends it as a header
        r = c.post(
            "/ui/dictionary", data={"action": "remove_allow", "term": "t1"}, headers={"x-csrf-token": token}
        )
        assert r.status_code == 200
        # another login's token does not work here
        with login(server, ADMIN) as other:
            theirs = csrf_of(other.get("/ui/dictionary").text)
        assert (
            c.post("/ui/dictionary", data={"action": "add_allow", "term": "t2", "csrf": theirs}).status_code
            == 403
        )


def test_login_form_has_its_own_csrf_and_logout_ends_the_login(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as c:
        assert c.post("/ui/login", data={"token": ADMIN}).status_code == 403  # no double-submit cookie
    with login(server, READ) as c:
        assert c.get("/ui/traffic").status_code == 200
        assert c.get("/ui/dictionary").status_code == 403  # read may not
        token = csrf_of(c.get("/ui/").text)
        assert c.post("/ui/logout", data={"csrf": token}).status_code == 303
        r = c.get("/ui/traffic")
        assert r.status_code == 303 and r.headers["location"].startswith("/ui/login")


def test_guessing_tokens_is_throttled(fake_upstream: FakeUpstream) -> None:
    settings = Settings(
        store="memory://",
        providers={"openai": ProviderConfig(base_url=fake_upstream.url, api="openai")},
        detect_processes=0,
        admin_token=ADMIN,
    )
    served = Served(create_app(settings))
    try:
        with httpx.Client(base_url=served.url, timeout=60) as c:
            for _ in range(LOGIN_FAILURES):
                token = csrf_of(c.get("/ui/login").text)
                assert c.post("/ui/login", data={"csrf": token, "token": "guess"}).status_code == 401
            token = csrf_of(c.get("/ui/login").text)
            assert c.post("/ui/login", data={"csrf": token, "token": ADMIN}).status_code == 429
    finally:
        served.stop()


def test_logins_expire() -> None:
    logins = Logins(ttl=0.05)
    sid, login_ = logins.new(Principal("tok-x", frozenset({"read"})))
    assert logins.get(sid) is login_ and sid not in login_.csrf
    time.sleep(0.08)
    assert logins.get(sid) is None
    assert logins.get("made-up") is None and logins.get(None) is None


def test_cookie_is_secure_over_tls() -> None:
    ui = UiServer.__new__(UiServer)
    for scheme, secure in (("https", True), ("http", False)):
        scope = {"type": "http", "scheme": scheme, "server": ("example.org", 443), "path": "/ui/"}
        request = Request({**scope, "headers": [(b"host", b"example.org")], "query_string": b""})
        resp = Response()
        ui.set_cookie(request, resp, "sid")
        cookie = resp.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/ui" in cookie
        assert ("secure" in cookie.split("; ")) is secure


def test_body_ring_is_bounded() -> None:
    ring = BodyRing(size=3, limit=10)
    ids = [ring.add(f"body-{i}-".encode() * 5) for i in range(5)]
    assert ring.get(ids[0]) is None and ring.get(ids[1]) is None
    body, size = ring.get(ids[4]) or (b"", 0)
    assert len(body) == 10 and size == 35
    assert len(set(ids)) == 5


def test_search_by_value_then_forget_it_everywhere(server: str) -> None:
    value = "quentin.ardoise@example.org"
    for name in ("search-1", "search-2"):
        r = httpx.post(
            f"{server}/openai/v1/chat/completions",
            headers={"authorization": "Bearer sk-test", "x-maskgate-session": name},
            json={"model": "m", "messages": [{"role": "user", "content": f"Mail {value} today"}]},
            timeout=60,
        )
        assert r.status_code == 200, r.text
    with login(server, READ) as c:
        token = csrf_of(c.get("/ui/sessions").text)
        found = c.post("/ui/sessions", data={"csrf": token, "value": value})
        assert found.status_code == 200 and "In 2 sessions" in found.text
        assert c.post("/ui/forget", data={"csrf": token, "value": value}).status_code == 403  # admin only
    with login(server, ADMIN) as c:
        token = csrf_of(c.get("/ui/sessions").text)
        export = c.post("/ui/sessions/search-1/export", data={"csrf": token})
        assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
        assert value in {v["value"] for v in export.json()["values"]}
        r = c.post("/ui/forget", data={"csrf": token, "value": value}, follow_redirects=True)
        assert "Erased 2 mappings" in r.text
        assert "In no session" in c.post("/ui/sessions", data={"csrf": token, "value": value}).text
        audit = c.get("/ui/audit.jsonl").text
        assert value not in audit and '"sessions.search"' in audit


def test_inspector_apply_patches_the_runtime_settings(server: str) -> None:
    def current() -> dict[str, Any]:
        r = httpx.get(f"{server}/api/v1/settings", headers={"authorization": f"Bearer {ADMIN}"}, timeout=30)
        return dict(r.json()["settings"])

    before = current()
    with login(server, ADMIN) as c:
        page = c.get("/ui/inspector").text
        token = csrf_of(page)
        labels = re.findall(r'name="label" value="([A-Z_]+)" checked', page)
        assert "LOCATION" in labels and "CUSTOM" in labels
        form = {
            "csrf": token,
            "min_score": "0.6",
            "locale": ["uk"],
            "label": [x for x in labels if x != "LOCATION"],
        }
        r = c.post("/ui/inspector/apply", data=form)
        assert r.status_code == 200 and "Applied" in r.text
        got = current()
        assert got["ignore_labels"] == ["LOCATION"] and got["locales"] == ["uk"]
        assert got["default_threshold"] == 0.6
        page = c.get("/ui/inspector").text  # the page starts from the applied settings
        assert 'value="LOCATION" checked' not in page and 'value="PERSON" checked' in page
        restore = {
            "csrf": token,
            "min_score": str(before["default_threshold"]),
            "locale": before["locales"],
            "label": labels,
        }
        assert "Applied" in c.post("/ui/inspector/apply", data=restore).text
    assert {k: current()[k] for k in ("locales", "ignore_labels", "default_threshold")} == {
        k: before[k] for k in ("locales", "ignore_labels", "default_threshold")
    }


def test_patterns_with_the_test_box_and_an_invalid_regex(server: str) -> None:
    with login(server, ADMIN) as c:
        token = csrf_of(c.get("/ui/dictionary").text)
        bad = c.post(
            "/ui/dictionary",
            data={"csrf": token, "action": "add_pattern", "label": "TICKET", "term": "TCK-("},
        )
        assert bad.status_code == 422 and "not a regex" in bad.text
        ok = c.post(
            "/ui/dictionary",
            data={"csrf": token, "action": "add_pattern", "label": "TICKET", "term": r"TCK-\d{6}"},
        )
        assert ok.status_code == 200 and "TCK-" in ok.text
        tested = c.post(
            "/ui/dictionary", data={"csrf": token, "action": "test", "text": "See TCK-123456 now"}
        )
        assert 'data-label="TICKET"' in tested.text and "&lt;TICKET_1&gt;" in tested.text
        gone = c.post(
            "/ui/dictionary",
            data={"csrf": token, "action": "remove_pattern", "label": "TICKET", "term": r"TCK-\d{6}"},
        )
        assert gone.status_code == 200 and 'id="patterns">\n  <li class="muted">none' in gone.text


def test_extend_a_session(server: str) -> None:
    r = httpx.post(
        f"{server}/openai/v1/chat/completions",
        headers={"authorization": "Bearer sk-test", "x-maskgate-session": "extend-1"},
        json={"model": "m", "messages": [{"role": "user", "content": "Call Odile Marchetti"}]},
        timeout=60,
    )
    assert r.status_code == 200
    with login(server, ADMIN) as c:
        token = csrf_of(c.get("/ui/sessions").text)
        r = c.post("/ui/sessions/extend-1/extend", data={"csrf": token, "days": "0"})
        assert r.status_code == 200 and "Extended." in r.text
        assert re.search(r"<dt>Expires</dt><dd>never</dd>", r.text)
        r = c.post("/ui/sessions/extend-1/extend", data={"csrf": token, "days": "2"})
        assert "Extended." in r.text and "never" not in r.text.split("<dt>Expires</dt>")[1][:40]
        assert c.post("/ui/sessions/extend-1/extend", data={"csrf": token, "days": "soon"}).status_code == 422
