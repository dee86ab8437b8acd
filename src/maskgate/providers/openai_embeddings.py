"""OpenAI Embeddings (`/v1/embeddings`): inputs are masked; the answer is vectors, nothing to unmask."""

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
        elif isinstance(inp, list):
            for i, v in enumerate(inp):
                if isinstance(v, str):
                    leaves.text(inp, i)  # token-id arrays pass: they carry no text to detect in

    def inject(self, body: dict[str, Any], note: str) -> None:
        return None  # no prompt: a note would change the vectors

    def unmask_response(self, body: Any, u: Unmask) -> None:
        return None

    def stream(self, u: Unmask) -> _NoStream:
        return _NoStream()


class _NoStream:
    def event(self, ev: SseEvent) -> list[bytes]:
        return [ev.raw]

    def error(self, message: str) -> bytes:
        return b""
