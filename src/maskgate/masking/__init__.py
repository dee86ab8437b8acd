"""Masking: the Masker (detect, assign placeholders, unmask), the stream unmasker, and the masking
service the proxy, the REST API and the CLI call."""

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

__all__ = [
    "DEFAULT_SESSION",
    "AnalysisCache",
    "Entity",
    "MaskResult",
    "MaskedMemo",
    "Masker",
    "StreamUnmasker",
    "anonymize",
    "deanonymize",
]
