"""Detection off the serving process: a small process pool whose workers build the pipeline once.

Threads cannot run detection in parallel (spaCy holds the GIL for most of its work), and a thread
holding the GIL also slows the event loop that streams other responses. `ProcessPipeline` has the
`Pipeline` interface the `Masker` uses (`fingerprint`, `analyze_many`), so the analysis cache and
the vault stay in the serving process; only texts that miss the cache travel to a worker, and
only their spans come back. A worker that dies fails the request closed (DetectionError) and the
pool is rebuilt for the next one.

`lean_imports()` keeps torch out of a spaCy-only process: thinc imports torch whenever it is
installed (the optional transformers extra, or a dev environment), which costs ~250 MB of RSS and
is never used by the spaCy CPU pipeline.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from maskgate.detect.spans import DetectionError, Span

if TYPE_CHECKING:
    from maskgate.config import Settings
    from maskgate.detect.pipeline import Pipeline
    from maskgate.masking import Masker

# Below this many characters a batch is not split across workers: the round trip costs more.
SPLIT_MIN_CHARS = 4096


@contextlib.contextmanager
def lean_imports(settings: Settings) -> Iterator[None]:
    """While spaCy and its model load for the spaCy backend, make `import torch` fail (thinc then
    uses its numpy ops, as it does when torch is not installed). Does nothing for other backends
    or when torch is already imported."""
    if settings.ner != "spacy" or "torch" in sys.modules or os.environ.get("MASKGATE_ALLOW_TORCH"):
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


def build_pipeline_lean(settings: Settings) -> Pipeline:
    from maskgate.detect.factory import build_pipeline

    with lean_imports(settings):
        return build_pipeline(settings)


# -- worker side ----------------------------------------------------------------------------------
_worker_pipeline: Pipeline | None = None


def _init_worker(settings_json: str, parent: int) -> None:
    global _worker_pipeline
    from maskgate.config import Settings

    # Ctrl-C goes to the whole process group: the server shuts the pool down, workers do not race it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _worker_pipeline = build_pipeline_lean(Settings.model_validate_json(settings_json))
    gc.freeze()  # the model is permanent: keep it out of every GC pass


def _exit_with_parent(parent: int) -> None:
    """A server killed outright (or re-raising SIGTERM after a graceful stop, as uvicorn does) gets
    no chance to stop its pool: workers notice they were orphaned and leave."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _fingerprint() -> str:
    assert _worker_pipeline is not None
    return _worker_pipeline.fingerprint()


def _analyze(texts: list[str]) -> list[list[Span]]:
    assert _worker_pipeline is not None
    return _worker_pipeline.analyze_many(texts)


# -- serving side ---------------------------------------------------------------------------------
class ProcessPipeline:
    """The pipeline of `settings`, run in `processes` worker processes (spawned, so the serving
    process's threads and event loop are never forked)."""

    def __init__(self, settings: Settings, processes: int) -> None:
        self.settings = settings
        self.processes = max(1, processes)
        self._lock = threading.Lock()
        self._executor = self._start()
        try:
            # Every worker builds the pipeline now (config and model errors surface at startup).
            warm = [self._executor.submit(_fingerprint) for _ in range(self.processes)]
            fingerprints = {f.result() for f in warm}
        except BrokenProcessPool as exc:
            self.close()
            raise DetectionError("detection worker failed to start (see its error above)") from exc
        self._fingerprint = fingerprints.pop()

    def _start(self) -> ProcessPoolExecutor:
        settings_json = self.settings.model_dump_json()
        return ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(settings_json, os.getpid()),
        )

    def fingerprint(self) -> str:
        return self._fingerprint

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        if not texts:
            return []
        batches = _split(list(texts), self.processes)
        executor = self._executor
        try:
            futures: list[Future[list[list[Span]]]] = [executor.submit(_analyze, b) for b in batches]
            out: list[list[Span]] = []
            for f in futures:
                out.extend(f.result())
            return out
        except BrokenProcessPool as exc:
            self._restart(executor)
            raise DetectionError("a detection worker process died; the pool was restarted") from exc
        except DetectionError:
            raise
        except Exception as exc:
            raise DetectionError(f"detection failed in a worker process: {type(exc).__name__}") from exc

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self._executor = self._start()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __getstate__(self) -> dict[str, Any]:  # pragma: no cover - never sent to a worker
        raise TypeError("ProcessPipeline cannot be pickled")


def _split(texts: list[str], parts: int) -> list[list[str]]:
    """Consecutive batches of about equal size in characters (order kept), one per worker, when the
    request is large enough for the split to pay off."""
    total = sum(map(len, texts))
    if parts <= 1 or len(texts) < 2 or total < SPLIT_MIN_CHARS:
        return [texts]
    target = total / parts
    out: list[list[str]] = [[]]
    size = 0
    for t in texts:
        if size >= target * len(out) and len(out) < parts:
            out.append([])
        out[-1].append(t)
        size += len(t)
    return [b for b in out if b]


def detect_processes(settings: Settings) -> int:
    """Worker processes for detection: the setting, else 1 for spaCy (the serving process keeps
    the event loop, JSON and vault work on one core while the model runs on the other) and 0 for
    the regex-only pipeline (too fast to be worth a round trip) and for transformers (which manages
    its own threads and device)."""
    if settings.detect_processes is not None:
        return max(0, settings.detect_processes)
    return 1 if settings.ner == "spacy" else 0


def server_masker(settings: Settings) -> Masker:
    """The Masker `maskgate serve` uses: detection in a process pool (see `detect_processes`) or in
    the serving process's threads; the analysis cache and the vault always in the serving process."""
    from maskgate.masking import AnalysisCache, Masker
    from maskgate.vault import open_store

    store = open_store(settings.store)
    processes = detect_processes(settings)
    pipeline: Any = ProcessPipeline(settings, processes) if processes > 0 else build_pipeline_lean(settings)
    return Masker(pipeline, store, cache=AnalysisCache(settings.cache_bytes))
