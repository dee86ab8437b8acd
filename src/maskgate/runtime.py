"""The composition root: the one place that turns Settings into working parts (analyzer, vault,
Masker, MaskingService). `maskgate serve`, `redact`, `unmask` and the proxy's app build through here;
`detect/` and `vault/` know nothing about Settings or about each other.
"""

from __future__ import annotations

import logging

from maskgate.config import Settings
from maskgate.detect.pipeline import Analyzer, Pipeline
from maskgate.masking.masker import AnalysisCache, Masker
from maskgate.masking.service import MaskedObserver, MaskingService


def build_analyzer(settings: Settings, *, pool: bool = False) -> Analyzer:
    """Detection as `settings` describe it: in worker processes when `pool` is asked for and
    `detect_processes` (see detect/pool.py) says so, else in the calling process. Raises
    DetectionError or ValueError on a bad detection setting (a model that does not load, a bad regex)."""
    from maskgate.detect.factory import build_pipeline
    from maskgate.detect.pool import ProcessPipeline, build_pipeline_lean, detect_processes

    options = settings.detect_options()
    if not pool:
        return build_pipeline(options)
    processes = detect_processes(options)
    return ProcessPipeline(options, processes) if processes > 0 else build_pipeline_lean(options)


def build_masker(settings: Settings, *, pool: bool = False) -> Masker:
    """The vault of `settings` and its analyzer (see `build_analyzer`) behind one Masker; the analysis
    cache and the vault always live in this process. Raises StoreError, DetectionError, ValueError."""
    from maskgate.vault import open_store

    store = open_store(settings.store, ttl=settings.session_ttl)
    return Masker(build_analyzer(settings, pool=pool), store, cache=AnalysisCache(settings.cache_bytes))


def server_masker(settings: Settings) -> Masker:
    """The Masker `maskgate serve` uses: detection in a process pool (see `detect_processes`) or in
    the serving process's threads; the analysis cache and the vault always in the serving process."""
    return build_masker(settings, pool=True)


def unmasking_masker(settings: Settings) -> Masker:
    """A Masker that only unmasks: the vault of `settings`, no detection model loaded."""
    from maskgate.vault import open_store

    return Masker(Pipeline([]), open_store(settings.store, ttl=settings.session_ttl))


def build_service(
    settings: Settings,
    masker: Masker,
    *,
    log: logging.Logger | None = None,
    on_masked: MaskedObserver | None = None,
) -> MaskingService:
    """The masking service over `masker`, with the policies of `settings` (fail_open, system_inject,
    debug) and one detection slot per thread or enough to keep a process pool busy."""
    return MaskingService(
        masker,
        fail_open=settings.fail_open,
        system_inject=settings.system_inject,
        system_note=settings.system_note,
        debug=settings.debug,
        slots=detection_slots(masker.pipeline, settings.detect_threads),
        log=log,
        on_masked=on_masked,
    )


def detection_slots(analyzer: Analyzer, detect_threads: int) -> int:
    """Requests masked at once: `detect_threads` threads, or with a process pool enough requests in
    flight to keep every worker busy while the others wait on I/O and wake-ups."""
    return max(1, detect_threads, 8 * analyzer.processes)
