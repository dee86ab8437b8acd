"""The OpenAPI 3.1 document of the REST API, built from the pydantic models the handlers validate
with, so the schema and the behaviour cannot drift apart."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from maskgate import __version__
from maskgate.server.api import models as m

_PAGE = [
    {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
    },
]
_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
_REVEAL = [{"name": "reveal", "in": "query", "required": False, "schema": {"type": "boolean"}}]
_AUDIT = [
    *_PAGE,
    {"name": "since", "in": "query", "required": False, "schema": {"type": "number"}},
    {"name": "until", "in": "query", "required": False, "schema": {"type": "number"}},
    {"name": "session", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "provider", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "path", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "status", "in": "query", "required": False, "schema": {"type": "integer"}},
    {"name": "label", "in": "query", "required": False, "schema": {"type": "string"}},
    {
        "name": "kind",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["proxy", "api"]},
    },
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["json", "jsonl"]},
    },
]

# (method, path): (summary, scope, request model, response model, parameters)
OPERATIONS: dict[
    tuple[str, str], tuple[str, str, type[BaseModel] | None, type[BaseModel] | None, list[Any]]
] = {
    ("post", "/redact"): ("Mask text or JSON", "redact", m.RedactRequest, m.RedactResponse, []),
    ("post", "/hydrate"): (
        "Restore placeholders of a session",
        "redact",
        m.HydrateRequest,
        m.HydrateResponse,
        [],
    ),
    ("get", "/sessions"): ("List sessions", "read", None, m.SessionList, _PAGE),
    ("get", "/sessions/{id}"): ("Show a session", "read", None, m.SessionDetail, _ID + _REVEAL),
    ("delete", "/sessions/{id}"): ("Delete a session", "admin", None, m.Deleted, _ID),
    ("post", "/sessions/{id}/extend"): (
        "Extend a session's lifetime",
        "admin",
        m.ExtendRequest,
        m.SessionOut,
        _ID,
    ),
    ("get", "/sessions/{id}/export"): ("Data-subject export", "reveal", None, m.ExportOut, _ID),
    ("post", "/sessions/prune"): ("Purge expired sessions", "admin", None, m.Pruned, []),
    ("post", "/forget"): ("Erase a value from every session", "admin", m.ForgetRequest, m.ForgetResponse, []),
    ("get", "/dictionary"): ("Deny and allow terms, custom patterns", "admin", None, m.Dictionary, []),
    ("put", "/dictionary"): ("Replace the dictionary", "admin", m.Dictionary, m.Dictionary, []),
    ("get", "/settings"): ("Runtime settings", "read", None, m.RuntimeSettings, []),
    ("patch", "/settings"): ("Change runtime settings", "admin", m.SettingsPatch, m.RuntimeSettings, []),
    ("get", "/audit"): ("The audit trail", "read", None, m.AuditList, _AUDIT),
    ("get", "/stats"): ("Live statistics", "read", None, None, []),
}
_ERRORS = {
    "400": "Malformed request",
    "401": "No valid bearer token",
    "403": "Scope missing",
    "404": "Not found",
    "422": "Invalid value",
    "500": "Internal error",
    "503": "Detection or vault unavailable",
}


def document(prefix: str = "/api/v1") -> dict[str, Any]:
    used = {x for op in OPERATIONS.values() for x in (op[2], op[3]) if x is not None} | {m.Error}
    keyed = [(model, "validation") for model in sorted(used, key=lambda x: x.__name__)]
    refs, defs = models_json_schema(
        keyed,  # type: ignore[arg-type]
        ref_template="#/components/schemas/{model}",
        by_alias=True,
    )
    schemas = defs.get("$defs", {})

    def ref(model: type[BaseModel]) -> dict[str, Any]:
        return refs[(model, "validation")]

    paths: dict[str, dict[str, Any]] = {}
    for (method, path), (summary, scope, req, resp, params) in OPERATIONS.items():
        op: dict[str, Any] = {
            "summary": summary,
            "description": f"Needs the `{scope}` scope.",
            "operationId": f"{method}_{path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}",
            "security": [{"bearer": []}],
            "parameters": params,
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": ref(resp) if resp else {"type": "object"}}},
                },
                **{
                    code: {"description": text, "content": {"application/json": {"schema": ref(m.Error)}}}
                    for code, text in _ERRORS.items()
                },
            },
        }
        if path == "/audit":
            op["responses"]["200"]["content"]["application/x-ndjson"] = {"schema": {"type": "string"}}
        if req is not None:
            op["requestBody"] = {
                "required": req is not m.ExtendRequest,
                "content": {"application/json": {"schema": ref(req)}},
            }
        paths.setdefault(prefix + path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "maskgate REST API",
            "version": __version__,
            "description": "Redact and restore text and JSON, manage vault sessions, the dictionary, "
            "runtime settings and the audit trail. No call returns a raw value without the `reveal` scope.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": paths,
    }
