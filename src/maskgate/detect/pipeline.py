"""The detection pipeline: run every layer, then the resolution step."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from maskgate.detect.base import Layer
from maskgate.detect.repeat import SETTLE_VERSION, mask_repeats
from maskgate.detect.resolve import ResolveConfig, resolve
from maskgate.detect.spans import DetectionError, Span


class Analyzer(Protocol):
    """What the Masker needs from detection: the in-process `Pipeline` here, or the process pool
    (`detect/pool.py: ProcessPipeline`) that runs one in worker processes."""

    processes: int  # detection worker processes (0: runs in the caller's thread)

    def fingerprint(self) -> str:
        """Identifies the configuration: equal fingerprints give equal spans (the cache key)."""
        ...

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]: ...

    def close(self) -> None:
        """Release what it runs (worker processes); the analyzer is not used afterwards."""
        ...


class Pipeline:
    """Layers in order; any layer that raises makes the whole analysis fail (fail closed)."""

    processes = 0  # runs in the caller's thread

    def __init__(
        self,
        layers: Sequence[Layer],
        resolve_config: ResolveConfig | None = None,
        allow_finder: AllowFinder | None = None,
    ) -> None:
        self.layers = list(layers)
        self.resolve_config = resolve_config or ResolveConfig()
        self.allow_finder = allow_finder
        self._fingerprint: str | None = None

    def fingerprint(self) -> str:
        """Identifies the configuration: two pipelines with equal fingerprints give equal spans."""
        if self._fingerprint is None:
            parts = [layer.fingerprint() for layer in self.layers]
            parts.append(self.resolve_config.fingerprint())
            parts.append(f"settle:{SETTLE_VERSION}")  # resolve + repeats: code no setting describes
            if self.allow_finder is not None:
                parts.append(self.allow_finder.fingerprint())
            self._fingerprint = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
        return self._fingerprint

    def analyze(self, text: str) -> list[Span]:
        return self.analyze_many([text])[0]

    def close(self) -> None:
        """Nothing to release: layers and models live as long as the process."""

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        if not texts:
            return []
        raw: list[list[Span]] = [[] for _ in texts]
        for layer in self.layers:
            try:
                many = getattr(layer, "detect_many", None)
                found = many(texts) if many else [layer.detect(t) for t in texts]
            except DetectionError:
                raise
            except Exception as exc:  # any layer failure must stop the request, never let text through
                raise DetectionError(f"detection layer {layer.name!r} failed: {type(exc).__name__}") from exc
            for acc, spans in zip(raw, found, strict=True):
                acc.extend(spans)
        return [self.settle(text, spans) for text, spans in zip(texts, raw, strict=True)]

    def settle(self, text: str, spans: list[Span]) -> list[Span]:
        """The steps after the layers, for one text: resolution (allow list, thresholds, overlaps),
        then every repeat of a detected value (the pool's sliced analysis ends here too)."""
        allowed = self.allow_finder.find(text) if self.allow_finder else []
        return mask_repeats(text, resolve(text, spans, self.resolve_config, allowed), allowed)


class AllowFinder:
    """Interface of the allow-list matcher (implemented in maskgate.detect.dictionary)."""

    def find(self, text: str) -> list[tuple[int, int]]:  # pragma: no cover - interface
        raise NotImplementedError

    def fingerprint(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError
