"""Detection: layers that find PII spans in text, and the pipeline that resolves them."""

from maskgate.detect.options import DetectOptions
from maskgate.detect.pipeline import Analyzer, Pipeline
from maskgate.detect.spans import DetectionError, Span

__all__ = ["Analyzer", "DetectOptions", "DetectionError", "Pipeline", "Span"]
