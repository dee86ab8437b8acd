"""Masking: the Masker (detect, assign placeholders, unmask), the stream unmasker, and the masking
service the proxy, the REST API and the CLI call."""

from typing import TYPE_CHECKING, Any

from maskgate.masking.masker import (
    DEFAULT_SESSION,
    AnalysisCache,
    Entity,
    MaskedMemo,
    Masker,
    MaskResult,
    anonymize,
    deanonymize,
)
from maskgate.masking.stream import StreamUnmasker

if TYPE_CHECKING:
    from maskgate.masking.service import MaskingService

__all__ = [
    "DEFAULT_SESSION",
    "AnalysisCache",
    "Entity",
    "MaskResult",
    "MaskedMemo",
    "Masker",
    "MaskingService",
    "StreamUnmasker",
    "anonymize",
    "deanonymize",
]


def __getattr__(name: str) -> Any:
    # The service brings the provider shapes and anyio: imported when asked for, not by `import maskgate`.
    if name == "MaskingService":
        from maskgate.masking.service import MaskingService

        return MaskingService
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
