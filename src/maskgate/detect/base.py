"""Interfaces of the detection layers."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from maskgate.detect.spans import Span


@runtime_checkable
class Layer(Protocol):
    """One detection layer: finds spans in text. Knows text, not HTTP."""

    name: str

    def detect(self, text: str) -> list[Span]: ...

    def fingerprint(self) -> str:
        """A stable string describing this layer's configuration (used as part of cache keys)."""
        ...
