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
import heapq
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from maskgate.detect.ner.base import chunks
from maskgate.detect.options import DetectOptions
from maskgate.detect.spans import DetectionError, Span

if TYPE_CHECKING:
    from maskgate.detect.pipeline import Pipeline


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


WARM_UP = (
    "Dear Dr. Rosalind Porter, call +1 415 555 0134 or mail r.porter@example.com about 12 Oak Street,"
    " Springfield, IL 62704 (SSN 123-45-6789, card 4111 1111 1111 1111). Returns None; the value of x."
)

# -- worker side ----------------------------------------------------------------------------------
_worker_pipeline: Pipeline | None = None


def _init_worker(options: DetectOptions, parent: int) -> None:
    global _worker_pipeline
    # Ctrl-C goes to the whole process group: the server shuts the pool down, workers do not race it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _worker_pipeline = build_pipeline_lean(options)
    # Word lists, gazetteers and the model's first-call set-up load lazily: here, not in the first
    # request (Claude Code's first request paid seconds for them).
    _worker_pipeline.analyze_many([WARM_UP])
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
            result = _run(_worker_pipeline, op, payload)
        except DetectionError as exc:
            conn.send((False, str(exc)))
        except Exception as exc:
            conn.send((False, f"detection failed in a worker process: {type(exc).__name__}"))
        else:
            conn.send((True, result))


def _run(p: Pipeline, op: str, payload: Any) -> Any:
    if op == "fingerprint":
        return p.fingerprint()
    if op == "ner":
        return run_ner(p, payload)
    if op == "finish":
        return finish(p, payload)
    if op == "rules":
        return rules(p, payload)
    if op == "settle":
        return [p.settle(text, raw) for text, raw in payload]
    return p.analyze_many(payload)


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


class DetectionBudgetExceeded(DetectionError):
    """A request's detection ran past `detect_budget_seconds`: refused, never forwarded (not even
    with fail_open: an unbounded analysis is a denial of service, not a detection failure)."""


@dataclass
class _Ticket:
    """One `analyze_many` call: its jobs, their results, and whether it was given up."""

    pending: int
    results: dict[int, Any] = field(default_factory=dict)
    error: DetectionError | None = None
    cancelled: bool = False
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Job:
    """One unit of work for a worker: `op` ("analyze", "ner" or "finish", see `analyze_sliced`) on
    one `payload` of `size` characters."""

    ticket: _Ticket
    index: int
    op: str
    payload: Any
    size: int

    def finish(self, result: Any, error: DetectionError | None, lock: threading.Lock) -> None:
        t = self.ticket
        with lock:
            if error is not None:
                t.error = t.error or error
            elif result is not None:
                t.results[self.index] = result
            t.pending -= 1
            if t.pending <= 0 or t.error is not None:
                t.done.set()


class ProcessPipeline:
    """The pipeline of `options`, run in `processes` worker processes, each reached through its
    own pipe by a dispatcher thread of the server process. An `Analyzer` (detect/pipeline.py).

    Fair: every text (and every slice of a text longer than `SLICE_MIN_CHARS`, see `plan_slices`)
    is a job in one priority queue, ordered by how many characters of the same request come before
    it, so a small request's texts go ahead of a big request's remaining slices. A dispatcher takes
    jobs of several requests at once up to `BATCH_CHARS` (one model pass). A request still waiting
    after `budget` seconds is refused (DetectionBudgetExceeded) and its remaining jobs dropped.
    `options` may be the app's Settings (it has every option)."""

    _idle = 0  # dispatchers waiting for work (under _cv)

    def __init__(self, options: DetectOptions, processes: int, *, budget: float | None = None) -> None:
        self.options = DetectOptions.of(options)  # what travels to the workers: detection's own
        self.processes = max(1, processes)
        self.budget = budget if budget and budget > 0 else None
        self._heap: list[tuple[int, int, _Job]] = []
        self._seq = itertools.count()
        self._cv = threading.Condition()
        self._lock = threading.Lock()  # ticket bookkeeping
        self._closing = False
        self.passes = 0  # model passes (batches sent to a worker): tests and benchmarks read it
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
        self._threads = [
            threading.Thread(target=self._dispatch, args=(i,), name=f"maskgate-dispatch-{i}", daemon=True)
            for i in range(self.processes)
        ]
        for t in self._threads:
            t.start()

    def fingerprint(self) -> str:
        return self._fingerprint

    # -- the caller's side ----------------------------------------------------------------------
    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        """Short texts: one "analyze" job each. Long ones (see `analyze_sliced`): a "ner" job per
        slice, then, once those are done, a "finish" job (rule layers and resolution, whole text).
        When at least two workers are idle and nothing is queued (`_spread_now`), a short text is
        spread instead: its "ner" job and its "rules" job (every other layer) run at once on two
        workers, then a "settle" job resolves their spans (see `analyze_spread`): a cold request
        takes max(NER, rules) instead of their sum. Same spans either way."""
        if not texts:
            return []
        deadline = None if self.budget is None else time.monotonic() + self.budget
        model = self.options.ner != "none"
        plans = [plan_slices(t) if model else [(0, len(t), 0, len(t))] for t in texts]
        spread = model and self._spread_now()
        jobs: list[tuple[str, Any, int]] = []
        later: list[tuple[str, Any, int]] = []  # "rules" jobs, after every "ner" job (one batch each)
        where: list[tuple[str, int, int]] = []  # per text: how its first-round results are found
        for text, plan in zip(texts, plans, strict=True):
            if len(plan) > 1:
                where.append(("slices", len(jobs), len(plan)))
                jobs += [("ner", [text[lo:hi]], hi - lo) for lo, hi, _, _ in plan]
            elif spread:
                where.append(("spread", len(jobs), len(later)))
                jobs.append(("ner", [text], len(text)))
                later.append(("rules", [text], len(text) // 2 + 1))  # about half the model's cost
            else:
                where.append(("whole", len(jobs), 1))
                jobs.append(("analyze", [text], len(text)))
        first_later = len(jobs)
        jobs += later
        first = self._submit(jobs, 0, deadline)
        out: list[list[Span] | None] = []
        finishing: list[tuple[str, Any, int]] = []
        for text, plan, (kind, n, k) in zip(texts, plans, where, strict=True):
            if kind == "whole":
                out.append(first[n][0])
                continue
            if kind == "slices":
                ner = join_slices(plan, [first[n + i][0] for i in range(k)])
                finishing.append(("finish", [(text, ner)], len(text)))
            else:
                before, after = first[first_later + k][0]
                finishing.append(("settle", [(text, before + first[n][0] + after)], len(text) // 16 + 1))
            out.append(None)
        if finishing:
            done = iter(self._submit(finishing, sum(size for _, _, size in jobs), deadline))
            out = [r if r is not None else next(done)[0] for r in out]
        return out  # type: ignore[return-value]

    def _spread_now(self) -> bool:
        """Whether a request's work may be spread over workers: two or more wait for work and no
        other request's job does (spreading costs a round trip and ~1 ms of CPU more, worth it only
        on cores that would be idle)."""
        with self._cv:
            return self._idle >= 2 and not self._heap

    def _submit(self, jobs: list[tuple[str, Any, int]], before: int, deadline: float | None) -> list[Any]:
        """Queue one request's jobs and wait for their results (in order). A job's priority is how
        many characters of the same request are queued ahead of it."""
        ticket = _Ticket(pending=len(jobs))
        with self._cv:
            if self._closing:
                raise DetectionError("detection is shutting down")
            for i, (op, payload, size) in enumerate(jobs):
                heapq.heappush(self._heap, (before, next(self._seq), _Job(ticket, i, op, payload, size)))
                before += size
            self._cv.notify_all()
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not ticket.done.wait(wait):
            self._cancel(ticket)
            raise DetectionBudgetExceeded(
                f"detection took longer than the budget of {self.budget:g} s (detect_budget_seconds)"
            )
        if ticket.error is not None:
            self._cancel(ticket)
            raise ticket.error
        return [ticket.results[i] for i in range(len(jobs))]

    def _cancel(self, ticket: _Ticket) -> None:
        """Drop the ticket's queued jobs (a running one just ends; its result is ignored)."""
        with self._cv:
            ticket.cancelled = True
            self._heap = [item for item in self._heap if item[2].ticket is not ticket]
            heapq.heapify(self._heap)

    # -- dispatchers --------------------------------------------------------------------------
    def _next_batch(self) -> list[_Job] | None:
        """The most urgent job, plus the next ones while they fit in BATCH_CHARS (any request)."""
        with self._cv:
            while True:
                while self._heap and self._heap[0][2].ticket.cancelled:
                    job = heapq.heappop(self._heap)[2]
                    job.finish(None, None, self._lock)
                if self._heap:
                    break
                if self._closing:
                    return None
                self._idle += 1
                try:
                    self._cv.wait()
                finally:
                    self._idle -= 1
            batch = [heapq.heappop(self._heap)[2]]
            size = batch[0].size
            limit = BATCH_CHARS
            if self._idle:  # other workers wait: leave them their share of the same kind of work
                same = size + sum(item[2].size for item in self._heap if item[2].op == batch[0].op)
                limit = min(BATCH_CHARS, max(size, -(-same // (self._idle + 1))))
            while self._heap and self._heap[0][2].op == batch[0].op and size + self._heap[0][2].size <= limit:
                job = heapq.heappop(self._heap)[2]
                if job.ticket.cancelled:
                    job.finish(None, None, self._lock)
                    continue
                batch.append(job)
                size += job.size
            return batch

    def _dispatch(self, i: int) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            w = self._workers[i]
            if not w.process.is_alive():  # died while idle: replace it before using it
                w = self._replace(i)
            try:
                w.send(batch[0].op, [x for j in batch for x in j.payload])
                result = w.receive()
            except DetectionError as exc:
                for j in batch:
                    j.finish(None, exc, self._lock)
                continue
            except (EOFError, OSError, ValueError):
                self._replace(i)
                dead = DetectionError("a detection worker process died; it was restarted")
                for j in batch:
                    j.finish(None, dead, self._lock)
                continue
            self.passes += 1
            for j, spans in zip(batch, result, strict=True):
                j.finish([spans], None, self._lock)

    def _replace(self, i: int) -> _Worker:
        with contextlib.suppress(Exception):
            self._workers[i].close()
        fresh = _Worker(self.options)
        self._workers[i] = fresh
        return fresh

    def close(self) -> None:
        with self._cv:
            self._closing = True
            self._cv.notify_all()
        for t in getattr(self, "_threads", []):
            t.join(10)
        for w in self._workers:
            w.close()

    def __getstate__(self) -> dict[str, Any]:  # pragma: no cover - never sent to a worker
        raise TypeError("ProcessPipeline cannot be pickled")


# -- slices ---------------------------------------------------------------------------------------
# The model is ~90% of detection's time and sees a text only in the backend's own chunks (`chunks`, cut
# at line breaks or spaces, NER_CHUNK as in the spaCy backend), each on its own. So a text longer than
# SLICE_MIN_CHARS has its NER run in slices of about SLICE_CHARS cut at those chunk boundaries (other
# requests get a turn between slices), each with one chunk on either side (OVERLAP_CHUNKS) so the
# layer's refinements see the same neighbourhood; a span belongs to the slice its start falls in. The
# rule layers and the resolution then run on the whole text at once ("finish"): they are fast, and
# some look across the whole text (a surname used again alone). The spans are exactly those of the
# unsliced analysis (property-tested in tests/masking/test_performance_fair.py).
NER_CHUNK = 5000
SLICE_CHARS = 48_000
SLICE_MIN_CHARS = 64_000
OVERLAP_CHUNKS = 1
BATCH_CHARS = 16_000  # texts of several requests sent to a worker together, up to this many


def plan_slices(text: str) -> list[tuple[int, int, int, int]]:
    """(lo, hi, core_lo, core_hi) per slice: run the model on text[lo:hi], keep the spans that start
    in [core_lo, core_hi). One slice covering everything for a text that is not long."""
    n = len(text)
    if n < SLICE_MIN_CHARS:
        return [(0, n, 0, n)]
    bounds = [off for off, _ in chunks(text, NER_CHUNK)] + [n]
    cores: list[tuple[int, int]] = []  # indexes into bounds
    k = 0
    while k < len(bounds) - 1:
        m = k + 1
        while m < len(bounds) - 1 and bounds[m + 1] - bounds[k] <= SLICE_CHARS:
            m += 1
        cores.append((k, m))
        k = m
    last = len(bounds) - 1
    return [
        (bounds[max(0, a - OVERLAP_CHUNKS)], bounds[min(last, b + OVERLAP_CHUNKS)], bounds[a], bounds[b])
        for a, b in cores
    ]


def join_slices(plan: list[tuple[int, int, int, int]], found: list[list[Span]]) -> list[Span]:
    """The model's spans in the whole text from those in its slices (see `plan_slices`)."""
    if len(plan) == 1:
        return found[0]
    return [
        Span(s.start + lo, s.end + lo, s.label, s.score, s.source)
        for (lo, _, core_lo, core_hi), spans in zip(plan, found, strict=True)
        for s in spans
        if core_lo <= s.start + lo < core_hi
    ]


def _ner_index(p: Pipeline) -> int | None:
    found = [i for i, layer in enumerate(p.layers) if layer.name.startswith("ner:")]
    return found[-1] if found else None


def _layer_spans(layer: Any, texts: Sequence[str]) -> list[list[Span]]:
    """A layer's spans, any failure a DetectionError (fail closed), as in Pipeline.analyze_many."""
    try:
        many = getattr(layer, "detect_many", None)
        return many(texts) if many else [layer.detect(t) for t in texts]
    except DetectionError:
        raise
    except Exception as exc:
        raise DetectionError(f"detection layer {layer.name!r} failed: {type(exc).__name__}") from exc


def run_ner(p: Pipeline, texts: Sequence[str]) -> list[list[Span]]:
    """The model layer's spans alone (none without a model)."""
    i = _ner_index(p)
    return [[] for _ in texts] if i is None else _layer_spans(p.layers[i], texts)


def finish(p: Pipeline, items: Sequence[tuple[str, list[Span]]]) -> list[list[Span]]:
    """What `p.analyze_many` gives, the model's spans being given: every other layer in its place in
    the layer order, then the resolution."""
    texts = [t for t, _ in items]
    i = _ner_index(p)
    raw: list[list[Span]] = [[] for _ in texts]
    for k, layer in enumerate(p.layers):
        found = [ner for _, ner in items] if k == i else _layer_spans(layer, texts)
        for acc, spans in zip(raw, found, strict=True):
            acc.extend(spans)
    return [p.settle(text, spans) for text, spans in zip(texts, raw, strict=True)]


def rules(p: Pipeline, texts: Sequence[str]) -> list[tuple[list[Span], list[Span]]]:
    """Per text, the spans of every layer but the model's: (those of the layers before it, those
    after it), so that before + model + after is what `p.analyze_many` settles."""
    i = _ner_index(p)
    out: list[tuple[list[Span], list[Span]]] = [([], []) for _ in texts]
    for k, layer in enumerate(p.layers):
        if k == i:
            continue
        for acc, spans in zip(out, _layer_spans(layer, texts), strict=True):
            acc[0 if i is None or k < i else 1].extend(spans)
    return out


def analyze_spread(p: Pipeline, text: str) -> list[Span]:
    """In this process, the steps the pool takes for a spread text (tests compare it with
    `p.analyze`)."""
    before, after = rules(p, [text])[0]
    return p.settle(text, before + run_ner(p, [text])[0] + after)


def analyze_sliced(p: Pipeline, text: str) -> list[Span]:
    """In this process, the steps the pool takes for one text (tests compare it with `p.analyze`)."""
    plan = plan_slices(text)
    if len(plan) == 1:
        return p.analyze(text)
    ner = join_slices(plan, run_ner(p, [text[lo:hi] for lo, hi, _, _ in plan]))
    return finish(p, [(text, ner)])[0]


def detect_processes(settings: DetectOptions) -> int:
    """Worker processes for detection: the setting, else for spaCy one per core but one (the serving
    process keeps the event loop, JSON and vault work on a core of its own) and 0 for
    the regex-only pipeline (too fast to be worth a round trip) and for transformers (which manages
    its own threads and device)."""
    if settings.detect_processes is not None:
        return max(0, settings.detect_processes)
    return spare_cores() if settings.ner == "spacy" else 0


def spare_cores() -> int:
    """The cores this process may use, less one for the server's event loop (at least 1, at most 8:
    each worker holds its own model, ~230 MB)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 2
    return max(1, min(8, cores - 1))
