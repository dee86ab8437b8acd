"""Shared fixtures. Models load once per test process."""

from __future__ import annotations

import pytest

from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline
from maskgate.detect.pipeline import Pipeline


@pytest.fixture(scope="session")
def default_pipeline() -> Pipeline:
    """The embedded default pipeline (dictionary, all recognizers, spaCy NER)."""
    return build_pipeline(Settings())


@pytest.fixture(scope="session")
def regex_pipeline() -> Pipeline:
    """Everything but the NER model: fast, for property tests over many inputs."""
    return build_pipeline(Settings(ner="none"))
