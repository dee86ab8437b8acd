"""Pages that change things: sessions (reveal, extend, export, delete, forget) and the dictionary."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from maskgate.server.ui import inspect
from maskgate.server.ui.pages import audit_ui, in_thread, known_labels, redirect
from maskgate.server.ui.server import Page

PAGE_SIZE = 50


# -- sessions ---------------------------------------------------------------------------------------
async def sessions(page: Page) -> Response:
    try:
        offset = max(0, int(page.request.query_params.get("offset", "0")))
    except ValueError:
        offset = 0
    result = await page.call(
        "list_sessions", "GET", "/sessions", query={"offset": offset, "limit": PAGE_SIZE}
    )
    found = None
    search_error = None
    if page.request.method == "POST" and page.field("value"):
        found, search_error = await search(page, page.field("value"))
    return page.render(
        "sessions.html",
        title="Sessions",
        sessions=result.data.get("sessions", []) if result.ok else [],
        error=None if result.ok else result.message,
        next_offset=result.data.get("next_offset") if result.ok else None,
        offset=offset,
        found=found,
        search_error=search_error,
        message=page.request.query_params.get("done"),
    )


async def search(page: Page, value: str) -> tuple[list[str] | None, str | None]:
    """Sessions holding `value`, found by its keyed hash in the vault (never by scanning values)."""
    masker = page.ui.api.proxy.masker
    lookup = getattr(getattr(masker, "store", None), "sessions_with", None)
    if lookup is None:
        return None, "This vault cannot search by value yet."
    try:
        ids: list[str] = await in_thread(lookup, value)
    except Exception as exc:
        audit_ui(page, "sessions.search", 503)
        return None, f"The vault failed ({type(exc).__name__})."
    audit_ui(page, "sessions.search", 200, {"found": len(ids)})
    return ids, None


async def show(page: Page, reveal: bool, status: int = 200, message: str | None = None) -> Response:
    sid = page.request.path_params["id"]
    query = {"reveal": "true"} if reveal else None
    result = await page.call("show_session", "GET", f"/sessions/{sid}", query=query, path_params={"id": sid})
    if not result.ok:
        return page.ui.problem(page, result.status, "Session", result.message)
    return page.render(
        "session.html", status, title="Session", s=result.data, revealed=reveal, message=message
    )


async def session(page: Page) -> Response:
    return await show(page, reveal=False)


async def session_reveal(page: Page) -> Response:
    return await show(page, reveal=True)


async def session_extend(page: Page) -> Response:
    sid = page.request.path_params["id"]
    raw = page.field("days").strip()
    body: dict[str, Any] = {}
    if raw:
        try:
            body["seconds"] = float(raw) * 86400
        except ValueError:
            return await show(page, False, 422, "Days must be a number.")
    result = await page.call(
        "extend_session", "POST", f"/sessions/{sid}/extend", body=body, path_params={"id": sid}
    )
    return await show(
        page, False, 200 if result.ok else result.status, "Extended." if result.ok else result.message
    )


async def session_export(page: Page) -> Response:
    sid = page.request.path_params["id"]
    result = await page.call("export_session", "GET", f"/sessions/{sid}/export", path_params={"id": sid})
    if not result.ok:
        return page.ui.problem(page, result.status, "Export", result.message)
    name = "".join(c for c in str(result.data["session"]["id"]) if c.isalnum() or c == "_")[:40]
    return Response(
        json.dumps(result.data, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="maskgate-session-{name}.json"'},
    )


async def session_delete(page: Page) -> Response:
    sid = page.request.path_params["id"]
    result = await page.call("delete_session", "DELETE", f"/sessions/{sid}", path_params={"id": sid})
    if not result.ok:
        return page.ui.problem(page, result.status, "Delete", result.message)
    return redirect(f"/ui/sessions?done=Deleted+a+session+({result.data['deleted']}+mappings).")


async def forget(page: Page) -> Response:
    result = await page.call("forget", "POST", "/forget", body={"value": page.field("value")})
    if not result.ok:
        return page.ui.problem(page, result.status, "Forget", result.message)
    return redirect(f"/ui/sessions?done=Erased+{result.data['erased']}+mappings+of+that+value.")


# -- dictionary ------------------------------------------------------------------------------------
def deny_pairs(deny: Any) -> list[tuple[str, str]]:
    """(label, term) pairs; terms of a plain list have no label of their own ("")."""
    if isinstance(deny, dict):
        return [(label, t) for label, terms in sorted(deny.items()) for t in terms]
    return [("", t) for t in deny]


def deny_value(pairs: list[tuple[str, str]]) -> Any:
    """Back to the settings shape: a list while no term has a label, else {LABEL: [terms]}."""
    if all(label == "" for label, _ in pairs):
        return [t for _, t in pairs]
    out: dict[str, list[str]] = {}
    for label, t in pairs:
        out.setdefault(label or "CUSTOM", []).append(t)
    return out


def changed(page: Page, d: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The dictionary after the form's action, or an error for the form."""
    action = page.field("action")
    deny = deny_pairs(d["deny"])
    allow = list(d["allow"])
    patterns = {k: list(v) for k, v in d["patterns"].items()}
    term = page.field("term").strip()
    label = page.field("label").strip().upper()
    if action in ("add_deny", "add_allow", "add_pattern") and not term:
        return d, "Give a term."
    if action == "add_deny":
        if (label, term) not in deny:
            deny.append((label, term))
    elif action == "remove_deny":
        deny = [p for p in deny if p != (label, term)]
    elif action == "add_allow":
        if term not in allow:
            allow.append(term)
    elif action == "remove_allow":
        allow = [t for t in allow if t != term]
    elif action == "add_pattern":
        if not label:
            return d, "A pattern needs a label."
        patterns.setdefault(label, [])
        if term not in patterns[label]:
            patterns[label].append(term)
    elif action == "remove_pattern":
        patterns[label] = [t for t in patterns.get(label, []) if t != term]
        if not patterns[label]:
            del patterns[label]
    else:
        return d, None
    return {"deny": deny_value(deny), "allow": allow, "patterns": patterns}, None


async def dictionary(page: Page) -> Response:
    result = await page.call("get_dictionary", "GET", "/dictionary")
    if not result.ok:
        return page.ui.problem(page, result.status, "Dictionary", result.message)
    d = result.data
    error = message = None
    preview = None
    status = 200
    action = page.field("action")
    if page.request.method == "POST" and action == "test":
        opts = {
            "mode": "text",
            "labels": [],
            "locales": [],
            "min_score": 0.0,
            "layers": [],
            "layers_seen": [],
        }
        preview = await inspect.preview(page, page.field("text"), opts, known_labels(page))
    elif page.request.method == "POST":
        new, error = changed(page, d)
        if error is None and new is not d:
            put = await page.call("put_dictionary", "PUT", "/dictionary", body=new)
            if put.ok:
                d, message = put.data, "Saved: new requests use it."
            else:
                error = put.message
        if error:
            status = 422
    return page.render(
        "dictionary.html",
        status,
        title="Dictionary",
        deny=deny_pairs(d["deny"]),
        allow=d["allow"],
        patterns=sorted((label, rx) for label, rxs in d["patterns"].items() for rx in rxs),
        labels=known_labels(page),
        error=error,
        message=message,
        preview=preview,
        text=page.field("text"),
    )
