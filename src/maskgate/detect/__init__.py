"""Detection: layers that find PII spans in text, and the pipeline that resolves them."""

from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import DetectionError, Span

__all__ = ["DetectionError", "Pipeline", "Span"]
