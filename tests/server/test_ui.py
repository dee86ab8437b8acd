"""The admin web UI in a real browser: Debian's chromium driven by Playwright, against a real server
(uvicorn on loopback) and the fake upstream, proxied requests sent with the OpenAI SDK.

Login, Inspector highlights, a deny term reaching the Inspector and a proxied request, Traffic with
the masked body, reveal by scope, delete, CSRF, the Content-Security-Policy (header present, no
violation in the console), axe-core (no serious or critical finding). With
MASKGATE_UI_SCREENSHOTS=docs/ui the pages are also photographed for docs/ui.md.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from fake_upstream import FakeUpstream, new_key
from maskgate.audit import AuditQuery
from maskgate.config import ProviderConfig, Settings
from maskgate.server.app import create_app
from proxy_fixtures import Served

pytest_plugins = ("proxy_fixtures",)

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ADMIN, READ, REVEAL, REDACT = "ui-adm-1", "ui-read-2", "ui-rev-3", "ui-red-4"
PLANTED = ("Odile Marchetti", "odile.marchetti@example.fr", "4111 1111 1111 1111")
TEXT = f"Please call {PLANTED[0]} ({PLANTED[1]}), card {PLANTED[2]}."
ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("MASKGATE_UI_SCREENSHOTS")

if not Path(CHROMIUM).exists():  # .ci/run installs it; never let playwright download a browser
    if os.environ.get("MASKGATE_REQUIRE_CHROMIUM"):
        raise RuntimeError(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def ui_settings(upstream: str, **extra: Any) -> Settings:
    providers = {
        "openai": ProviderConfig(base_url=upstream, api="openai"),
        "anthropic": ProviderConfig(base_url=upstream, api="anthropic"),
    }
    return Settings(
        store="memory://",
        providers=providers,
        detect_processes=0,
        admin_token=ADMIN,
        api_tokens={READ: ["read"], REVEAL: ["reveal"], REDACT: ["redact"]},
        **extra,
    )


@pytest.fixture(scope="module")
def server(fake_upstream: FakeUpstream) -> Iterator[tuple[str, Any]]:
    app = create_app(ui_settings(fake_upstream.url))
    served = Served(app)
    yield served.url, app
    served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Tab:
    """A browser page that remembers every console message (CSP violations land there)."""

    def __init__(self, context: Any, base: str) -> None:
        self.context, self.base = context, base
        self.page = context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def login(self, token: str) -> None:
        self.go("/ui/login")
        self.page.fill("#token", token)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/ui/$"))

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Refused to" in m]

    def csrf(self) -> str:
        return str(self.page.get_attribute("input[name=csrf]", "value"))


@pytest.fixture
def tab(browser: Any, server: tuple[str, Any]) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    t = Tab(context, server[0])
    yield t
    assert t.csp_violations() == []
    context.close()


def chat(base: str, text: str, session: str | None = None) -> tuple[str, Any]:
    key = new_key()
    headers = {"X-Maskgate-Session": session} if session else {}
    client = openai.OpenAI(api_key=key, base_url=f"{base}/openai/v1", max_retries=0, default_headers=headers)
    out = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}])
    return key, out


def shot(t: Tab, name: str) -> None:
    if SHOTS:
        folder = Path(SHOTS) if Path(SHOTS).is_absolute() else ROOT / SHOTS
        folder.mkdir(parents=True, exist_ok=True)
        t.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


# -- tests ------------------------------------------------------------------------------------------
def test_unauthenticated_visit_gets_the_login_page(tab: Tab) -> None:
    resp = tab.go("/ui/traffic")
    assert "/ui/login" in tab.page.url
    assert resp is not None and "default-src 'self'" in resp.headers["content-security-policy"]
    assert tab.page.is_visible("#token")
    shot(tab, "login")
    # a wrong token is refused and says so, without echoing it
    tab.page.fill("#token", "not-a-token")
    tab.page.click("button[type=submit]")
    assert "not valid" in tab.page.inner_text("main")
    assert "not-a-token" not in tab.page.content()


def test_session_cookie_is_httponly_strict_and_holds_no_token(tab: Tab) -> None:
    tab.login(ADMIN)
    cookies = {c["name"]: c for c in tab.context.cookies()}
    ui = cookies["maskgate_ui"]
    assert ui["httpOnly"] and ui["sameSite"] == "Strict" and ui["path"] == "/ui"
    assert ADMIN not in ui["value"]
    assert tab.page.evaluate("document.cookie") == ""


def test_inspector_highlights_every_span(tab: Tab) -> None:
    tab.login(ADMIN)
    tab.go("/ui/inspector")
    tab.page.fill("#text", TEXT)
    tab.page.click("button:has-text('Preview')")
    tab.page.wait_for_selector("#preview mark")
    marks = tab.page.query_selector_all("#preview mark")
    found = {m.get_attribute("data-label"): m for m in marks}
    assert {"PERSON", "EMAIL", "CREDIT_CARD"} <= set(found)
    person = found["PERSON"]
    assert person.evaluate("e => e.firstChild.textContent") == PLANTED[0]
    tip = str(person.get_attribute("title"))
    assert "<PERSON_1>" in tip and "score" in tip  # detector, score and placeholder on hover
    masked = tab.page.inner_text("#masked-output")
    assert "<PERSON_1>" in masked and all(v not in masked for v in PLANTED)
    shot(tab, "inspector")
    # a label switched off is not masked in the preview
    tab.page.click("summary")
    tab.page.uncheck("input[name=label][value=EMAIL]")
    tab.page.wait_for_selector("#preview mark[data-label=EMAIL]", state="detached")
    assert PLANTED[1] in tab.page.inner_text("#masked-output")
    # a minimum score above the name's leaves the name out of the preview, and says so
    tab.page.fill("#min_score", "0.95")
    tab.page.dispatch_event("#min_score", "change")
    tab.page.wait_for_selector("#preview mark[data-label=PERSON]", state="detached")
    assert "left out by the preview filters" in tab.page.inner_text("#preview-summary")
    assert PLANTED[0] in tab.page.inner_text("#masked-output")


def test_inspector_json_body(tab: Tab) -> None:
    tab.login(ADMIN)
    tab.go("/ui/inspector")
    body = '{"messages": [{"role": "user", "content": "Mail ' + PLANTED[1] + ' now"}]}'
    tab.page.fill("#text", body)
    tab.page.check("input[name=mode][value=json]")
    tab.page.click("button:has-text('Preview')")
    tab.page.wait_for_selector("#preview mark[data-label=EMAIL]")
    assert "/messages/0/content" in tab.page.inner_text("#preview")
    assert PLANTED[1] not in tab.page.inner_text("#masked-output")


def test_deny_term_masked_in_inspector_proxy_and_traffic(
    tab: Tab, server: tuple[str, Any], fake_upstream: FakeUpstream
) -> None:
    base, _ = server
    term = "Kestrel-Nine"
    tab.login(ADMIN)
    tab.go("/ui/dictionary")
    tab.page.fill("#deny-term", term)
    tab.page.fill("#deny-label", "PROJECT")
    tab.page.click("button:has-text('Add deny term')")
    assert term in tab.page.inner_text("#deny-terms")
    # the test box on the same page
    tab.page.fill("#test-text", f"Status of {term}?")
    tab.page.click("button:has-text('Test')")
    tab.page.wait_for_selector("main mark[data-label=PROJECT]")
    shot(tab, "dictionary")
    # the Inspector
    tab.go("/ui/inspector")
    tab.page.fill("#text", f"Ship {term} on Monday")
    tab.page.click("button:has-text('Preview')")
    tab.page.wait_for_selector("#preview mark[data-label=PROJECT]")
    assert term not in tab.page.inner_text("#masked-output")
    # a proxied request: the provider gets the placeholder, the client the term back
    key, out = chat(base, f"Ship {term} on Monday, asks {PLANTED[0]}")
    sent = fake_upstream.for_key(key)[0].json()
    assert term not in str(sent) and "<PROJECT_1>" in str(sent)
    assert term in str(out.choices[0].message.content)  # unmasked on the way back
    # Traffic shows it, with its counts and the masked body
    tab.go("/ui/traffic")
    row = tab.page.locator("#traffic tbody tr").filter(has_text="PROJECT").first
    assert "PROJECT 1" in row.inner_text() and "PERSON 1" in row.inner_text()
    shot(tab, "traffic")
    row.locator("a").click()
    body = tab.page.inner_text("#masked-body")
    assert "<PROJECT_1>" in body and "<PERSON_1>" in body
    assert term not in body and PLANTED[0] not in body
    assert sent["messages"][0]["content"] in body  # exactly what the provider received
    shot(tab, "traffic-request")
    # clean up for the other tests of this server
    tab.go("/ui/dictionary")
    tab.page.locator("#deny-terms li", has_text=term).locator("button").click()
    assert term not in tab.page.inner_text("#deny-terms")


def test_unmasked_bodies_are_never_kept(server: tuple[str, Any]) -> None:
    base, app = server
    key = new_key()
    client = openai.OpenAI(
        api_key=key, base_url=f"{base}/openai/v1", max_retries=0, default_headers={"x-maskgate-mask": "off"}
    )
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": TEXT}])
    app.state.api.recorder.flush()
    records = app.state.api.recorder.audit.query(AuditQuery(kind="proxy"))
    assert "request_id" not in records[0].detail
    ring = app.state.api.bodies
    assert all(PLANTED[0].encode() not in ring.get(rid)[0] for rid in list(ring._bodies))


def test_reveal_with_reveal_scope_only_and_audited(browser: Any, server: tuple[str, Any]) -> None:
    base, app = server
    chat(base, f"Write to {PLANTED[1]} for {PLANTED[0]}", session="ui-reveal-1")
    sid = app.state.proxy.masker.store.session_id("ui-reveal-1")
    context = browser.new_context()
    reader = Tab(context, base)
    reader.login(READ)
    reader.go(f"/ui/sessions/{sid}")
    assert "<EMAIL_1>" in reader.page.inner_text("#placeholders")
    assert PLANTED[1] not in reader.page.content()
    assert not reader.page.is_visible("#reveal")
    refused = reader.context.request.post(f"{base}/ui/sessions/{sid}/reveal", form={"csrf": reader.csrf()})
    assert refused.status == 403 and PLANTED[1] not in refused.text()
    context.close()

    context = browser.new_context()
    revealer = Tab(context, base)
    revealer.login(REVEAL)
    revealer.go(f"/ui/sessions/{sid}")
    assert PLANTED[1] not in revealer.page.content()
    revealer.page.click("#reveal")
    revealer.page.wait_for_selector("#placeholders .value")
    assert PLANTED[1] in revealer.page.inner_text("#placeholders")
    assert not revealer.page.is_visible("#delete")  # reveal is not admin
    shot(revealer, "session-revealed")
    assert revealer.csp_violations() == []
    context.close()
    app.state.api.recorder.flush()
    reveals = [
        r
        for r in app.state.api.recorder.audit.query(AuditQuery(kind="api"))
        if r.action == "reveal" and r.session == sid
    ]
    assert reveals and reveals[0].actor is not None


def test_delete_session(tab: Tab, server: tuple[str, Any]) -> None:
    base, app = server
    chat(base, f"Call {PLANTED[0]}", session="ui-delete-1")
    sid = app.state.proxy.masker.store.session_id("ui-delete-1")
    tab.login(ADMIN)
    tab.go("/ui/sessions")
    assert sid[:18] in tab.page.inner_text("#sessions")
    shot(tab, "sessions")
    tab.go(f"/ui/sessions/{sid}")
    shot(tab, "session")
    tab.page.click("#delete")
    tab.page.wait_for_url(re.compile(r".*/ui/sessions\?done=.*"))
    assert "Deleted" in tab.page.inner_text("main")
    assert app.state.proxy.masker.store.session_info(sid) is None


def test_post_without_csrf_token_is_refused(tab: Tab, server: tuple[str, Any]) -> None:
    base, app = server
    tab.login(ADMIN)
    before = app.state.api.runtime.settings.deny
    for form in (
        {"action": "add_deny", "term": "csrf-probe"},
        {"action": "add_deny", "term": "csrf-probe", "csrf": "x"},
    ):
        r = tab.context.request.post(f"{base}/ui/dictionary", form=form)
        assert r.status == 403
    assert app.state.api.runtime.settings.deny == before
    # and the same request with the token works (the refusal was the token's doing)
    tab.go("/ui/dictionary")
    ok = tab.context.request.post(
        f"{base}/ui/dictionary", form={"action": "add_allow", "term": "csrf-ok", "csrf": tab.csrf()}
    )
    assert ok.status == 200 and "csrf-ok" in app.state.api.runtime.settings.allow
    tab.context.request.post(
        f"{base}/ui/dictionary", form={"action": "remove_allow", "term": "csrf-ok", "csrf": tab.csrf()}
    )


def test_settings_validation_error_inline(tab: Tab) -> None:
    tab.login(ADMIN)
    tab.go("/ui/settings")
    tab.page.fill("#s-thresholds", "{not json")
    tab.page.click("button:has-text('Save')")
    assert "not valid JSON" in tab.page.inner_text("#e-thresholds")
    tab.page.fill("#s-thresholds", '{"PERSON": "high"}')
    tab.page.click("button:has-text('Save')")
    assert "thresholds" in tab.page.inner_text("#e-thresholds")
    shot(tab, "settings")


def test_scopes_hide_pages(tab: Tab, server: tuple[str, Any]) -> None:
    tab.login(READ)
    nav = tab.page.inner_text("nav")
    assert "Traffic" in nav and "Dictionary" not in nav and "Inspector" not in nav
    resp = tab.go("/ui/dictionary")
    assert resp is not None and resp.status == 403


def test_audit_page_and_download(tab: Tab, server: tuple[str, Any]) -> None:
    base, _ = server
    chat(base, f"Hello {PLANTED[0]}")
    tab.login(ADMIN)
    tab.go("/ui/audit?kind=proxy")
    assert "PERSON" in tab.page.inner_text("#audit")
    shot(tab, "audit")
    href = str(tab.page.get_attribute("a[download]", "href"))
    got = tab.context.request.get(base + href)
    assert got.status == 200
    lines = got.text().splitlines()
    assert lines and all(r["kind"] == "proxy" for r in map(json.loads, lines))
    assert PLANTED[0] not in got.text()


def test_pages_pass_axe_and_screenshots(tab: Tab, server: tuple[str, Any]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, _ = server
    chat(base, TEXT, session="ui-shots")
    tab.login(ADMIN)
    axe = Axe()
    problems = []
    for name, path in [
        ("overview", "/ui/"),
        ("inspector-empty", "/ui/inspector"),
        ("traffic", "/ui/traffic"),
        ("sessions", "/ui/sessions"),
        ("dictionary", "/ui/dictionary"),
        ("settings", "/ui/settings"),
        ("audit", "/ui/audit"),
    ]:
        resp = tab.go(path)
        assert resp is not None and resp.status == 200, path
        assert "default-src 'self'" in resp.headers["content-security-policy"]
        if name == "overview":
            tab.page.wait_for_selector(".chart canvas")
            shot(tab, "overview")
        results = axe.run(tab.page)
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{path}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}")
    tab.go("/ui/inspector")
    tab.page.fill("#text", TEXT)
    tab.page.click("button:has-text('Preview')")
    tab.page.wait_for_selector("#preview mark")
    results = axe.run(tab.page)
    problems += [
        f"inspector: {v['id']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert problems == []
    # narrow screens: readable at 400 px (no horizontal scroll of the page itself)
    tab.page.set_viewport_size({"width": 400, "height": 900})
    for name, path in [("overview-400", "/ui/"), ("inspector-400", "/ui/inspector")]:
        tab.go(path)
        if name == "inspector-400":
            tab.page.fill("#text", TEXT)
            tab.page.click("button:has-text('Preview')")
            tab.page.wait_for_selector("#preview mark")
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, (path, width)
        shot(tab, name)


def test_loopback_without_token_needs_no_login(fake_upstream: FakeUpstream) -> None:
    settings = ui_settings(fake_upstream.url).model_copy(update={"admin_token": None, "api_tokens": {}})
    served = Served(create_app(settings))
    try:
        with httpx.Client(base_url=served.url, timeout=30) as c:
            r = c.get("/ui/traffic")
            assert r.status_code == 200 and "Traffic" in r.text
            assert "httponly" in r.headers["set-cookie"].lower()
            assert c.post("/ui/dictionary", data={"action": "add_allow", "term": "x"}).status_code == 403
    finally:
        served.stop()


pytestmark = pytest.mark.slow  # drives a real Chromium
