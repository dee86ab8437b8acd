"""OpenAI Embeddings (`/v1/embeddings`) and Moderations (`/v1/moderations`): inputs are masked; the
answers are vectors and scores (only an error or a newer field may hold a placeholder)."""

from __future__ import annotations

from typing import Any

from maskgate.providers.base import Family, SseEvent, Unmask
from maskgate.providers.jsonwalk import Leaves


class OpenAIEmbeddings:
    family: Family = "openai"

    def collect(self, body: dict[str, Any], leaves: Leaves) -> None:
        inp = body.get("input")
        if isinstance(inp, str):
            leaves.text(body, "input")
        elif inp is not None:
            # strings, moderation parts ({"type": "text", "text": ...}; images pass) and token-id
            # arrays, which hold no strings: every string in them, at any depth
            leaves.walk(inp)
        leaves.text(body, "user")  # an end-user id: meant to be opaque, but often an email
        leaves.keep(body, "model", "encoding_format", "dimensions")
        leaves.sweep(body)  # any other field: deny by default

    def inject(self, body: dict[str, Any], note: str) -> None:
        return None  # no prompt: a note would change the vectors

    def unmask_response(self, body: Any, u: Unmask) -> None:
        u.everything(body, skip_keys=frozenset({"embedding"}))  # vectors carry no text; errors do

    def stream(self, u: Unmask) -> _NoStream:
        return _NoStream()


class _NoStream:
    def event(self, ev: SseEvent) -> list[bytes]:
        return [ev.raw]

    def quiet(self, raw: bytes) -> bool:
        return False

    def error(self, message: str) -> bytes:
        return b""
