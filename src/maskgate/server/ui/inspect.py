"""Inspector and dictionary test box: redact through the API (a throwaway session), then show the
spans over the text the user pasted, re-filtered by score and detector layer for a preview."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread

from maskgate.server.api import redaction
from maskgate.server.ui.server import Page

PREVIEW_LIMIT = 256 * 1024


def layer_of(source: str) -> str:
    """The detector layer of a span's source (`regex:email` -> `regex`, `ner:spacy` -> `ner`)."""
    return source.split(":", 1)[0]


@dataclass
class Piece:
    text: str
    entity: dict[str, Any] | None = None

    @property
    def tip(self) -> str:
        e = self.entity or {}
        return (
            f"{e.get('label')} · {e.get('source')} · score {e.get('score', 0):.2f} → {e.get('placeholder')}"
        )


@dataclass
class Shown:
    """One string with its highlighted pieces (a JSON body has one per string)."""

    where: str
    pieces: list[Piece]


@dataclass
class Preview:
    shown: list[Shown] = field(default_factory=list)
    masked: str = ""
    kept: list[dict[str, Any]] = field(default_factory=list)
    dropped: int = 0
    layers: list[str] = field(default_factory=list)  # every layer seen in the unfiltered result
    error: str | None = None


def pieces(text: str, entities: list[dict[str, Any]]) -> list[Piece]:
    out: list[Piece] = []
    at = 0
    for e in sorted(entities, key=lambda e: (e["start"], -e["end"])):
        if e["start"] < at:  # overlapping spans do not come out of the masker; be safe anyway
            continue
        if e["start"] > at:
            out.append(Piece(text[at : e["start"]]))
        out.append(Piece(text[e["start"] : e["end"]], e))
        at = e["end"]
    if at < len(text):
        out.append(Piece(text[at:]))
    return out


def masked_with(text: str, entities: list[dict[str, Any]]) -> str:
    """`text` with only the kept spans replaced by their placeholders (the preview of a filter)."""
    return "".join(p.entity["placeholder"] if p.entity else p.text for p in pieces(text, entities))


def options(page: Page) -> dict[str, Any]:
    """The preview switches of the form: labels, locales, minimum score, layers."""
    try:
        min_score = float(page.field("min_score", "0") or 0)
    except ValueError:
        min_score = 0.0
    return {
        "mode": "json" if page.field("mode") == "json" else "text",
        "labels": page.fields("label"),
        "locales": page.fields("locale"),
        "min_score": min(max(min_score, 0.0), 1.0),
        "layers": page.fields("layer"),
        "layers_seen": page.fields("layers_seen"),
    }


async def preview(page: Page, text: str, opts: dict[str, Any], all_labels: list[str]) -> Preview:
    """Redact `text` (or the JSON document in it) in a throwaway session, then filter for display."""
    out = Preview()
    if len(text.encode()) > PREVIEW_LIMIT:
        out.error = "The text is larger than 256 KiB."
        return out
    doc: Any = None
    if opts["mode"] == "json":
        try:
            doc = json.loads(text)
        except ValueError as exc:
            out.error = f"Not valid JSON: {exc}"
            return out
    labels = opts["labels"] if opts["labels"] and set(opts["labels"]) != set(all_labels) else None
    body: dict[str, Any] = {"session": "ui-preview-" + secrets.token_urlsafe(12)}
    body["json" if doc is not None else "text"] = doc if doc is not None else text
    if labels is not None:
        body["labels"] = labels
    if opts["locales"]:
        body["locales"] = opts["locales"]
    result = await page.call("redact", "POST", "/redact", body=body)
    await forget_session(page, body["session"])
    if not result.ok:
        out.error = result.message
        return out
    entities: list[dict[str, Any]] = result.data["entities"]
    out.layers = sorted({layer_of(e["source"]) for e in entities} | set(opts["layers_seen"]))
    off = set(opts["layers_seen"]) - set(opts["layers"])

    def keep(e: dict[str, Any]) -> bool:
        return e["score"] >= opts["min_score"] and layer_of(e["source"]) not in off

    out.kept = [e for e in entities if keep(e)]
    out.dropped = len(entities) - len(out.kept)
    if doc is None:
        out.shown = [Shown("", pieces(text, out.kept))]
        out.masked = result.data["text"] if not out.dropped else masked_with(text, out.kept)
        return out
    strings = list(redaction.strings(doc))
    by_place: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for e in out.kept:
        by_place.setdefault((e["path"], e["key"]), []).append(e)
    new = []
    for pointer, is_key, s in strings:
        found = by_place.get((pointer, is_key), [])
        if found:
            out.shown.append(Shown(pointer + (" (key)" if is_key else ""), pieces(s, found)))
        new.append(masked_with(s, found))
    masked_doc = result.data["json"] if not out.dropped else redaction.replaced(doc, iter(new))
    out.masked = json.dumps(masked_doc, indent=2, ensure_ascii=False)
    return out


async def forget_session(page: Page, name: str) -> None:
    """The preview's session is thrown away at once (its name was random and is never reused)."""
    masker = page.ui.api.proxy.masker
    if masker is None:
        return

    def drop() -> None:
        try:
            store = masker.store
            store.delete_session(store.session_id(name))
        except Exception:  # best effort: an unused session also expires with the TTL
            pass

    await anyio.to_thread.run_sync(drop)
