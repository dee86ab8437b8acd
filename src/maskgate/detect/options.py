"""What detection is configured with: its own small options object, so that `detect/` needs nothing
from the configuration module (the app builds them: `Settings.detect_options()`).

A detection setting read anywhere under `detect/` is a field here, named as in Settings (tests check
that every field here exists in Settings with the same default)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

from maskgate.detect.patterns.base import LOCALES
from maskgate.detect.resolve import DEFAULT_MERGE_GAPS, DEFAULT_THRESHOLD


@dataclass(frozen=True)
class DetectOptions:
    """The detection settings (see docs/configuration.md for each); defaults are the app's defaults."""

    locales: list[str] = field(default_factory=lambda: list(LOCALES))
    ner: Literal["spacy", "transformers", "none"] = "spacy"
    model: str | None = None
    ner_device: str = "auto"
    ner_dtype: str = "auto"
    ner_window: int = 512
    ner_batch_size: int = 8
    ner_labels: dict[str, str] = field(default_factory=dict)  # model entity -> label ("" drops it)
    deny: dict[str, list[str]] | list[str] = field(default_factory=list)
    allow: list[str] = field(default_factory=list)
    default_allow: bool = True
    patterns: dict[str, list[str]] = field(default_factory=dict)
    ignore_labels: list[str] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    default_threshold: float = DEFAULT_THRESHOLD
    merge_gaps: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MERGE_GAPS))
    # Rule layers switched off (the model layer is switched with `ner`; the dictionary and the
    # validated recognizers cannot be: without them e-mails, cards and keys would pass).
    disabled_layers: list[Literal["address", "names", "open_ids", "orgs", "places", "us_driver_license"]] = (
        field(default_factory=list)
    )
    # Worker processes running detection (0: the caller's threads); None: 1 for spaCy, else 0.
    detect_processes: int | None = None

    @classmethod
    def of(cls, source: object) -> DetectOptions:
        """`source` itself if it is DetectOptions, else the fields of the same names read from it (the
        app's Settings has them all: `build_pipeline(Settings(ner="none"))` works)."""
        if isinstance(source, cls):
            return source
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})
