"""The pages of the admin UI. Each handler gets a `Page` (who asks, the form) and answers HTML;
what it shows and changes comes from the REST API's endpoint logic (`page.call`)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from starlette.responses import JSONResponse, RedirectResponse, Response

from maskgate.audit import AuditRecord
from maskgate.detect.labels import LABELS
from maskgate.detect.patterns.base import LOCALES
from maskgate.server.runtime import SETTINGS_KEYS
from maskgate.server.ui import inspect
from maskgate.server.ui.server import COOKIE, Page

HINTS = {
    "locales": 'regional recognizer packs: ["us", "uk", "au", "nz", "es"]',
    "ner": "the model that finds names, organisations and places",
    "thresholds": 'per-label minimum score: {"ORG": 0.9}',
    "default_threshold": "minimum score of a span with no threshold of its own (0-1)",
    "ignore_labels": 'labels never masked: ["LOCATION", "ORG"]',
    "merge_gaps": "characters that may join two spans of the same label",
    "system_inject": "tell the model what the <LABEL_N> tokens are",
    "system_note": "that note, in your words (empty: the built-in one)",
    "session_ttl": "seconds a session lives after its last use (0: forever)",
    "audit_retention_days": "days the audit trail is kept (0: forever)",
}
SINCE = {"15m": 900, "1h": 3600, "24h": 86400, "7d": 7 * 86400}
ALL_LABELS = sorted(LABELS)


def known_labels(page: Page) -> list[str]:
    """Built-in labels and the dictionary's own (deny labels, pattern labels, CUSTOM)."""
    s = page.ui.api.runtime.settings
    extra = set(s.patterns) | (set(s.deny) if isinstance(s.deny, dict) else set()) | {"CUSTOM"}
    return sorted(set(ALL_LABELS) | extra)


def redirect(to: str) -> Response:
    return RedirectResponse(to, status_code=303)


# -- overview --------------------------------------------------------------------------------------
def workers(page: Page) -> dict[str, Any]:
    masker = page.ui.api.proxy.masker
    pipeline = getattr(masker, "pipeline", None)
    base = getattr(pipeline, "base", pipeline)
    processes = int(getattr(base, "processes", 0) or 0)
    found = getattr(base, "_workers", None)
    alive = sum(1 for w in found if w.process.is_alive()) if found is not None else None
    return {"processes": processes, "alive": alive, "ready": masker is not None}


async def overview(page: Page) -> Response:
    stats = None
    if page.allows("read"):
        result = await page.call("stats", "GET", "/stats")
        stats = result.data if result.ok else None
    providers = [
        {"name": name, "api": p.api, "base_url": p.base_url, "mask": p.mask}
        for name, p in sorted(page.ui.api.proxy.providers.items())
    ]
    rate = 0.0
    if stats:
        recent = [m for m in stats["last_hour"] if m["minute"] >= time.time() - 300]
        rate = sum(m.get("requests", 0) for m in recent) / 300
    return page.render(
        "overview.html", stats=stats, providers=providers, rate=rate, workers=workers(page), title="Overview"
    )


async def stats_json(page: Page) -> Response:
    result = await page.call("stats", "GET", "/stats")
    return JSONResponse(result.data, status_code=result.status)


async def logout(page: Page) -> Response:
    page.ui.logins.drop(page.sid)
    resp = redirect("/ui/login" if page.ui.auth.mode == "tokens" else "/ui/")
    resp.delete_cookie(COOKIE, path="/ui")
    return resp


# -- inspector ---------------------------------------------------------------------------------------
async def inspector(page: Page) -> Response:
    settings = page.ui.api.runtime.settings
    labels = known_labels(page)
    opts = inspect.options(page)
    if page.request.method == "GET":
        opts.update(
            labels=[x for x in labels if x not in settings.ignore_labels],
            locales=list(settings.locales),
            min_score=settings.default_threshold,
        )
    shown = None
    text = page.field("text")
    if page.request.method == "POST" and text:
        shown = await inspect.preview(page, text, opts, labels)
    values: dict[str, Any] = {
        "opts": opts,
        "text": text,
        "preview": shown,
        "labels": labels,
        "locales": LOCALES,
    }
    if "hx-request" in page.request.headers:
        return page.render("_preview.html", partial=True, **values)
    return page.render("inspector.html", title="Inspector", applied=None, **values)


async def inspector_apply(page: Page) -> Response:
    opts = inspect.options(page)
    labels = known_labels(page)
    patch: dict[str, Any] = {
        "locales": opts["locales"],
        "default_threshold": opts["min_score"],
        "ignore_labels": [x for x in labels if x not in opts["labels"]],
    }
    result = await page.call("patch_settings", "PATCH", "/settings", body=patch)
    values = {"opts": opts, "text": page.field("text"), "preview": None, "labels": labels}
    applied = "Applied: new requests use these settings." if result.ok else result.message
    return page.render(
        "inspector.html",
        200 if result.ok else 422,
        title="Inspector",
        applied=applied,
        locales=LOCALES,
        **values,
    )


# -- traffic ----------------------------------------------------------------------------------------
def filters(page: Page, names: tuple[str, ...]) -> dict[str, str]:
    q = page.request.query_params
    return {k: q.get(k, "").strip() for k in names}


def paging(page: Page, where: str, f: dict[str, str]) -> dict[str, Any]:
    try:
        offset = max(0, int(page.request.query_params.get("offset", "0")))
    except ValueError:
        offset = 0
    return {"offset": offset, "base": f"/ui/{where}?" + urlencode({k: v for k, v in f.items() if v}) + "&"}


async def audit_records(page: Page, f: dict[str, str], kind: str | None, limit: int = 100) -> Any:
    query: dict[str, Any] = {
        k: v for k, v in f.items() if k in ("provider", "path", "status", "label", "session")
    }
    if kind:
        query["kind"] = kind
    if f.get("since") in SINCE:
        query["since"] = time.time() - SINCE[f["since"]]
    query["limit"] = limit
    try:
        query["offset"] = max(0, int(page.request.query_params.get("offset", "0")))
    except ValueError:
        query["offset"] = 0
    return await page.call("audit", "GET", "/audit", query=query)


async def traffic(page: Page) -> Response:
    f = filters(page, ("provider", "path", "status", "label", "since"))
    result = await audit_records(page, f, "proxy")
    records = result.data.get("records", []) if result.ok else []
    ring = page.ui.api.bodies
    for r in records:
        rid = r.get("detail", {}).get("request_id")
        r["body_id"] = rid if rid and ring.get(rid) is not None else None
    providers = sorted(page.ui.api.proxy.providers)
    return page.render(
        "traffic.html",
        title="Traffic",
        records=records,
        f=f,
        error=None if result.ok else result.message,
        providers=providers,
        labels=known_labels(page),
        next_offset=result.data.get("next_offset") if result.ok else None,
        **paging(page, "traffic", f),
    )


async def traffic_one(page: Page) -> Response:
    rid = page.request.path_params["rid"]
    result = await page.call("audit", "GET", "/audit", query={"kind": "proxy", "limit": 1000})
    record = next(
        (
            r
            for r in (result.data.get("records", []) if result.ok else [])
            if r["detail"].get("request_id") == rid
        ),
        None,
    )
    kept = page.ui.api.bodies.get(rid)
    if record is None and kept is None:
        return page.ui.problem(page, 404, "Not found", "That request is no longer kept.")
    body, size = (None, 0) if kept is None else kept
    shown = None
    if body is not None:
        text = body.decode("utf-8", "replace")
        try:
            shown = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            shown = text
    return page.render(
        "traffic_one.html",
        title="Request",
        record=record,
        body=shown,
        size=size,
        cut=body is not None and len(body) < size,
    )


# -- audit -----------------------------------------------------------------------------------------
async def audit(page: Page) -> Response:
    f = filters(page, ("kind", "provider", "path", "status", "label", "session", "since"))
    result = await audit_records(page, f, f.get("kind") or None)
    q = {k: v for k, v in f.items() if v}
    return page.render(
        "audit.html",
        title="Audit",
        records=result.data.get("records", []) if result.ok else [],
        error=None if result.ok else result.message,
        f=f,
        labels=known_labels(page),
        download="/ui/audit.jsonl?" + urlencode(q),
        next_offset=result.data.get("next_offset") if result.ok else None,
        **paging(page, "audit", f),
    )


async def audit_jsonl(page: Page) -> Response:
    f = filters(page, ("kind", "provider", "path", "status", "label", "session", "since"))
    query: dict[str, Any] = {k: v for k, v in f.items() if v and k != "since"}
    if f.get("since") in SINCE:
        query["since"] = time.time() - SINCE[f["since"]]
    query.update(format="jsonl", limit=1000)
    result = await page.call("audit", "GET", "/audit", query=query)
    if not result.ok:
        return page.ui.problem(page, result.status, "Audit", result.message)
    return Response(
        result.data,
        media_type="application/x-ndjson",
        headers={"content-disposition": 'attachment; filename="maskgate-audit.jsonl"'},
    )


# -- settings ------------------------------------------------------------------------------------------
def kind_of(key: str, value: Any) -> str:
    if key == "ner":
        return "ner"
    if key == "system_note":
        return "note"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (list, dict)):
        return "json"
    return "text"


def shown_value(kind: str, value: Any) -> str:
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    return "" if value is None else str(value)


async def settings(page: Page) -> Response:
    if page.request.method == "POST" and not page.allows("admin"):
        return page.ui.problem(page, 403, "Not allowed", "Changing settings needs the 'admin' scope.")
    current = page.ui.api.runtime.settings
    errors: dict[str, str] = {}
    message: str | None = None
    entered: dict[str, str] = {}
    if page.request.method == "POST":
        patch: dict[str, Any] = {}
        for key in SETTINGS_KEYS:
            if key not in page.form:
                continue
            old = getattr(current, key)
            kind = kind_of(key, old)
            raw = entered[key] = page.field(key)
            if raw == shown_value(kind, old):
                continue
            try:
                if kind == "json":
                    patch[key] = json.loads(raw)
                elif kind == "bool":
                    patch[key] = raw == "true"
                elif kind == "number":
                    patch[key] = float(raw) if "." in raw or "e" in raw.lower() else int(raw)
                elif kind == "note":
                    patch[key] = raw or None
                else:
                    patch[key] = raw
            except ValueError:
                errors[key] = "not valid JSON" if kind == "json" else "not a number"
        if not errors and patch:
            result = await page.call("patch_settings", "PATCH", "/settings", body=patch)
            if result.ok:
                message, entered = f"Saved: {', '.join(sorted(patch))}.", {}
                current = page.ui.api.runtime.settings
            else:
                where = next((k for k in sorted(patch, key=len, reverse=True) if k in result.message), "_")
                errors[where] = result.message
        elif not errors:
            message = "Nothing changed."
    rows = []
    for key in SETTINGS_KEYS:
        value = getattr(current, key)
        kind = kind_of(key, value)
        rows.append(
            {
                "key": key,
                "kind": kind,
                "value": entered.get(key, shown_value(kind, value)),
                "error": errors.get(key),
            }
        )
    return page.render(
        "settings.html",
        422 if errors else 200,
        title="Settings",
        rows=rows,
        message=message,
        error=errors.get("_"),
        version=page.ui.api.runtime.version,
    )


# -- sessions and dictionary live in pages_edit; the table of routes is here ------------------------
def audit_ui(page: Page, action: str, status: int, detail: dict[str, Any] | None = None) -> None:
    """Record a UI action that has no API endpoint (no value in it)."""
    page.ui.api.recorder.record(
        AuditRecord(
            time=time.time(),
            kind="ui",
            method=page.request.method,
            path=page.request.url.path,
            status=status,
            actor=page.login.principal.actor,
            action=action,
            detail=detail or {},
        )
    )


async def in_thread(fn: Any, *args: Any) -> Any:
    return await anyio.to_thread.run_sync(fn, *args)


def _routes() -> list[tuple[str, Any, str | None, list[str]]]:
    from maskgate.server.ui import pages_edit as edit

    get, post = ["GET"], ["POST"]
    return [
        ("/", overview, None, get),
        ("/stats.json", stats_json, "read", get),
        ("/logout", logout, None, post),
        ("/inspector", inspector, "redact", ["GET", "POST"]),
        ("/inspector/apply", inspector_apply, "admin", post),
        ("/traffic", traffic, "read", get),
        ("/traffic/{rid}", traffic_one, "read", get),
        ("/sessions", edit.sessions, "read", ["GET", "POST"]),
        ("/sessions/{id}", edit.session, "read", get),
        ("/sessions/{id}/reveal", edit.session_reveal, "reveal", post),
        ("/sessions/{id}/extend", edit.session_extend, "admin", post),
        ("/sessions/{id}/export", edit.session_export, "reveal", post),
        ("/sessions/{id}/delete", edit.session_delete, "admin", post),
        ("/forget", edit.forget, "admin", post),
        ("/dictionary", edit.dictionary, "admin", ["GET", "POST"]),
        ("/settings", settings, "read", ["GET", "POST"]),
        ("/audit", audit, "read", get),
        ("/audit.jsonl", audit_jsonl, "read", get),
    ]


ROUTES = _routes()
