"""Detection off the serving process: a small process pool whose workers build the pipeline once.

Threads cannot run detection in parallel (spaCy holds the GIL for most of its work), and a thread
holding the GIL also slows the event loop that streams other responses. `ProcessPipeline` has the
`Analyzer` interface the `Masker` uses (`fingerprint`, `analyze_many`, `close`), so the analysis cache and
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
import queue
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from maskgate.detect.options import DetectOptions
from maskgate.detect.spans import DetectionError, Span

if TYPE_CHECKING:
    from maskgate.detect.pipeline import Pipeline

# Below this many characters a batch is not split across workers: the round trip costs more.
SPLIT_MIN_CHARS = 4096


@contextlib.contextmanager
def lean_imports(settings: DetectOptions) -> Iterator[None]:
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


def build_pipeline_lean(settings: DetectOptions) -> Pipeline:
    from maskgate.detect.factory import build_pipeline

    with lean_imports(settings):
        return build_pipeline(settings)


# -- worker side ----------------------------------------------------------------------------------
_worker_pipeline: Pipeline | None = None


def _init_worker(options: DetectOptions, parent: int) -> None:
    global _worker_pipeline
    # Ctrl-C goes to the whole process group: the server shuts the pool down, workers do not race it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _worker_pipeline = build_pipeline_lean(options)
    gc.freeze()  # the model is permanent: keep it out of every GC pass


def _exit_with_parent(parent: int) -> None:
    """A server killed outright (or re-raising SIGTERM after a graceful stop, as uvicorn does) gets
    no chance to stop its pool: workers notice they were orphaned and leave."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _serve(conn: Connection, options: DetectOptions, parent: int) -> None:
    """A worker: build the pipeline, then answer (op, payload) requests on `conn` until it closes.
    Every answer is (True, result) or (False, message); a failed start answers every request with
    its error, so the server reports it instead of waiting."""
    failure: str | None = None
    try:
        _init_worker(options, parent)
    except Exception as exc:
        failure = str(exc) if isinstance(exc, DetectionError | ValueError) else type(exc).__name__
        failure = f"detection worker failed to start: {failure}"
    while True:
        try:
            op, payload = conn.recv()
        except (EOFError, OSError):
            return
        if op == "stop":
            return
        if failure is not None or _worker_pipeline is None:
            conn.send((False, failure or "detection worker not ready"))
            continue
        try:
            result = (
                _worker_pipeline.fingerprint()
                if op == "fingerprint"
                else _worker_pipeline.analyze_many(payload)
            )
        except DetectionError as exc:
            conn.send((False, str(exc)))
        except Exception as exc:
            conn.send((False, f"detection failed in a worker process: {type(exc).__name__}"))
        else:
            conn.send((True, result))


# -- serving side ---------------------------------------------------------------------------------
class _Worker:
    """One spawned worker process and the pipe to it (one request at a time)."""

    def __init__(self, options: DetectOptions) -> None:
        ctx = multiprocessing.get_context("spawn")  # never fork the server's threads and event loop
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_serve, args=(child, options, os.getpid()), name="maskgate-detect", daemon=True
        )
        self.process.start()
        child.close()

    def send(self, op: str, payload: Any = None) -> None:
        self.conn.send((op, payload))

    def receive(self) -> Any:
        ok, result = self.conn.recv()
        if not ok:
            raise DetectionError(result)
        return result

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(("stop", None))
        self.conn.close()
        self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)


class ProcessPipeline:
    """The pipeline of `options`, run in `processes` worker processes, each reached through its
    own pipe: a request costs one message each way, with no extra threads in the server process.
    An `Analyzer` (detect/pipeline.py). `options` may be the app's Settings (it has every option)."""

    def __init__(self, options: DetectOptions, processes: int) -> None:
        self.options = DetectOptions.of(options)  # what travels to the workers: detection's own
        self.processes = max(1, processes)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = [_Worker(self.options) for _ in range(self.processes)]
        try:
            # Every worker builds the pipeline now (config and model errors surface at startup).
            for w in self._workers:
                w.send("fingerprint")
            fingerprints = {w.receive() for w in self._workers}
        except (EOFError, OSError) as exc:
            self.close()
            raise DetectionError("detection worker failed to start (see its error above)") from exc
        except DetectionError:
            self.close()
            raise
        self._fingerprint = fingerprints.pop()
        for w in self._workers:
            self._idle.put(w)

    def fingerprint(self) -> str:
        return self._fingerprint

    def _take(self, want: int) -> list[_Worker]:
        """One worker (waiting for it), plus up to `want - 1` more that are idle right now."""
        taken = [self._idle.get()]
        while len(taken) < want:
            try:
                taken.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for i, w in enumerate(taken):
            if not w.process.is_alive():  # died while idle: replace it before using it
                taken[i] = self._replace(w)
        return taken

    def _replace(self, dead: _Worker) -> _Worker:
        with contextlib.suppress(Exception):
            dead.close()
        fresh = _Worker(self.options)
        self._workers = [fresh if w is dead else w for w in self._workers]
        return fresh

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        if not texts:
            return []
        workers = self._take(len(_split(list(texts), self.processes)))
        batches = _split(list(texts), len(workers))
        used = workers[: len(batches)]
        for w in workers[len(batches) :]:
            self._idle.put(w)
        out: list[list[Span]] = []
        error: DetectionError | None = None
        sent: list[_Worker] = []
        try:
            for w, batch in zip(used, batches, strict=True):
                w.send("analyze", batch)
                sent.append(w)
        except (OSError, ValueError):
            error = DetectionError("a detection worker process died; it was restarted")
        for i, w in enumerate(used):
            if w not in sent:
                continue
            try:
                result = w.receive()
                if error is None:
                    out.extend(result)
            except DetectionError as exc:
                error = error or exc
            except (EOFError, OSError):
                used[i] = self._replace(w)
                error = DetectionError("a detection worker process died; it was restarted")
        for i, w in enumerate(used):
            if w not in sent and not w.process.is_alive():
                used[i] = self._replace(w)
            self._idle.put(used[i])
        if error is not None:
            raise error
        return out

    def close(self) -> None:
        for w in self._workers:
            w.close()

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


def detect_processes(settings: DetectOptions) -> int:
    """Worker processes for detection: the setting, else 1 for spaCy (the serving process keeps
    the event loop, JSON and vault work on one core while the model runs on the other) and 0 for
    the regex-only pipeline (too fast to be worth a round trip) and for transformers (which manages
    its own threads and device)."""
    if settings.detect_processes is not None:
        return max(0, settings.detect_processes)
    return 1 if settings.ner == "spacy" else 0
