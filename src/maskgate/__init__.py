"""maskgate: a local privacy proxy for LLM APIs."""

from maskgate.masking import Entity, Masker, MaskResult, StreamUnmasker, anonymize, deanonymize

__all__ = ["Entity", "MaskResult", "Masker", "StreamUnmasker", "anonymize", "deanonymize"]
__version__ = "0.1.0"
