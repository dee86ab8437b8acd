"""Masker: mask and unmask text for a session, with the analysis cache and the masked-text memo."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from maskgate.detect.jsonview import analyze_decoded, decoded
from maskgate.detect.spans import Span
from maskgate.masking.stream import StreamUnmasker
from maskgate.vault.memory import MemoryStore
from maskgate.vault.placeholder import LITERAL_LABEL, PLACEHOLDER_RE

if TYPE_CHECKING:
    from maskgate.config import Settings
    from maskgate.detect.pipeline import Analyzer
    from maskgate.vault.base import Store

DEFAULT_SESSION = "default"
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str
    text: str
    score: float
    source: str
    placeholder: str

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "score": self.score,
            "source": self.source,
            "placeholder": self.placeholder,
        }


@dataclass(frozen=True)
class MaskResult:
    text: str
    entities: list[Entity] = field(default_factory=list)
    session: str = DEFAULT_SESSION


class _ByteLRU(Generic[K, V]):
    """An LRU map bounded by the cost its callers assign to each entry (approximate bytes)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._data: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[K]) -> list[V | None]:
        out: list[V | None] = []
        with self._lock:
            for key in keys:
                item = self._data.get(key)
                if item is None:
                    out.append(None)
                else:
                    self._data.move_to_end(key)
                    out.append(item[0])
        return out

    def put(self, key: K, value: V, cost: int) -> None:
        if cost > self.max_bytes:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._data[key] = (value, cost)
            self._bytes += cost
            while self._bytes > self.max_bytes and self._data:
                _, (_, c) = self._data.popitem(last=False)
                self._bytes -= c

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._data)


class AnalysisCache(_ByteLRU[bytes, list[Span]]):
    """LRU of detection results keyed by a hash of (pipeline fingerprint, text), bounded in bytes.

    A re-sent message is never analysed twice; spans are a pure function of text and config, so
    a hit gives exactly what a fresh analysis would.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        super().__init__(max_bytes)
        self.hits = 0
        self.misses = 0
        self.observer: Callable[[int, int], None] | None = None  # e.g. the proxy's metrics

    @staticmethod
    def key(fingerprint: str, text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=fingerprint.encode()[:64]).digest()

    def get_many(self, keys: Sequence[bytes]) -> list[list[Span] | None]:
        """Look up a batch; `observer(hits, misses)` hears about it once."""
        out = super().get_many(keys)
        misses = out.count(None)
        with self._lock:
            self.hits += len(out) - misses
            self.misses += misses
        if self.observer is not None:
            self.observer(len(out) - misses, misses)
        return out

    def count_hits(self, n: int) -> None:
        """Texts answered without a lookup here (a memoised masking result): still cache hits."""
        with self._lock:
            self.hits += n
        if self.observer is not None and n:
            self.observer(n, 0)

    def put(self, key: bytes, spans: list[Span], text_len: int) -> None:  # type: ignore[override]
        # Keys and spans only: the text itself is not kept.
        super().put(key, spans, 64 + 48 * len(spans) + text_len // 16)


class MaskedMemo:
    """What masking a text gave in a session, LRU-bounded in bytes.

    Placeholders never change once issued, so a text masked before in a session masks exactly the
    same way again: a re-sent history is answered from here, with no detection, no vault call and
    no thread hop. Entries hold raw values (like the vault's own process cache); memory only.
    """

    def __init__(self, max_bytes: int = 16 * 1024 * 1024) -> None:
        self._lru: _ByteLRU[tuple[str, bytes], MaskResult] = _ByteLRU(max_bytes)

    def get_many(self, session: str, keys: Sequence[bytes]) -> list[MaskResult | None]:
        return self._lru.get_many([(session, k) for k in keys])

    def put(self, session: str, key: bytes, result: MaskResult) -> None:
        cost = 200 + 2 * len(result.text) + sum(120 + 2 * len(e.text) for e in result.entities)
        self._lru.put((session, key), result, cost)

    def __len__(self) -> int:
        return len(self._lru)

    def clear(self) -> None:
        """Forget every result (after a session was deleted or a value erased)."""
        self._lru.clear()


def _with_literals(text: str, spans: list[Span]) -> list[Span]:
    """Placeholder-shaped text already in the input becomes a LITERAL entity of its own."""
    if "<" not in text:
        return spans
    literals = [
        Span(m.start(), m.end(), LITERAL_LABEL, 1.0, "literal") for m in PLACEHOLDER_RE.finditer(text)
    ]
    if not literals:
        return spans
    out: list[Span] = []
    merged = sorted(spans + literals)
    for s in merged:
        if out and s.start < out[-1].end:
            prev = out[-1]
            win = prev if prev.label == LITERAL_LABEL else s
            label = LITERAL_LABEL if LITERAL_LABEL in (prev.label, s.label) else win.label
            out[-1] = Span(prev.start, max(prev.end, s.end), label, max(prev.score, s.score), win.source)
        else:
            out.append(s)
    return out


class Masker:
    """Detects PII and swaps it for per-session placeholders; restores them exactly (in JSON text, the
    same JSON data: see detect/jsonview.py).

    `Masker()` is the default pipeline (dictionary, regex recognizers of all locales, spaCy NER)
    over an in-memory store. maskgate/runtime.py builds the ones the CLI and server use from Settings.
    """

    def __init__(
        self,
        pipeline: Analyzer | None = None,
        store: Store | None = None,
        *,
        cache: AnalysisCache | None = None,
    ) -> None:
        if pipeline is None:
            from maskgate.detect.factory import build_pipeline
            from maskgate.detect.options import DetectOptions

            pipeline = build_pipeline(DetectOptions())
        self.pipeline: Analyzer = pipeline
        self.store: Store = store if store is not None else MemoryStore()
        self.cache = cache if cache is not None else AnalysisCache()
        self.memo = MaskedMemo(max(1, self.cache.max_bytes // 4))

    @classmethod
    def from_settings(cls, settings: Settings) -> Masker:
        """The pipeline and vault of `settings`, in this process (maskgate/runtime.py builds it)."""
        from maskgate.runtime import build_masker

        return build_masker(settings)

    # -- detection -------------------------------------------------------------------------
    def _keys(self, texts: Sequence[str]) -> list[bytes]:
        fp = self.pipeline.fingerprint()
        return [AnalysisCache.key(fp, t) for t in texts]

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        """Spans in the texts as given (JSON text is analysed decoded: see detect/jsonview.py)."""
        found = analyze_decoded(texts, lambda plain: self._analyze(plain, self._keys(plain)))
        return [[Span(*f.original(s), s.label, s.score, s.source) for s in f.spans] for f in found]

    def _analyze(self, texts: Sequence[str], keys: list[bytes]) -> list[list[Span]]:
        results = self.cache.get_many(keys)
        todo = [i for i, r in enumerate(results) if r is None]
        if todo:
            fresh = self.pipeline.analyze_many([texts[i] for i in todo])
            for i, spans in zip(todo, fresh, strict=True):
                results[i] = spans
                self.cache.put(keys[i], spans, len(texts[i]))
        return results  # type: ignore[return-value]

    def all_cached(self, texts: Sequence[str]) -> bool:
        """Whether masking `texts` needs no detection (every analysis is cached); not counted as hits."""
        return all(k in self.cache for k in self._keys(decoded(texts)[1]))

    def analyze(self, text: str) -> list[Span]:
        return self.analyze_many([text])[0]

    # -- masking ---------------------------------------------------------------------------
    def mask(self, text: str, session: str = DEFAULT_SESSION) -> MaskResult:
        return self.mask_many([text], session)[0]

    def mask_cached(self, texts: Sequence[str], session: str = DEFAULT_SESSION) -> list[MaskResult] | None:
        """The results of `mask_many` if every text was masked before in this session (then cheap
        enough for an event loop: hashing and dictionary lookups), else None."""
        found = self.memo.get_many(session, self._keys(texts))
        if any(r is None for r in found):
            return None
        self.cache.count_hits(len(found))
        return found  # type: ignore[return-value]

    def mask_many(self, texts: Sequence[str], session: str = DEFAULT_SESSION) -> list[MaskResult]:
        """Mask several texts of one request with one detection batch and one vault transaction.
        Texts masked before in the session come from the memo: every value in them already has its
        placeholder, so leaving them out of the vault call changes no numbering."""
        keys = self._keys(texts)
        results = self.memo.get_many(session, keys)
        todo = [i for i, r in enumerate(results) if r is None]
        if len(todo) < len(texts):
            self.cache.count_hits(len(texts) - len(todo))
        if todo:
            fresh = self._mask_fresh([texts[i] for i in todo], [keys[i] for i in todo], session)
            for i, r in zip(todo, fresh, strict=True):
                results[i] = r
                self.memo.put(session, keys[i], r)
        return results  # type: ignore[return-value]

    def _mask_fresh(self, texts: Sequence[str], keys: list[bytes], session: str) -> list[MaskResult]:
        # JSON text is analysed decoded (see detect/jsonview.py): the vault gets the decoded value, so
        # `Ren\u00e9e` in a tool result and `Renée` in prose share one placeholder.
        def analyze(plain: list[str]) -> list[list[Span]]:
            # a text analysed as it is keeps its key; a JSON view is keyed by its decoded text
            akeys = [k if p is t else self._keys([p])[0] for k, t, p in zip(keys, texts, plain, strict=True)]
            return self._analyze(plain, akeys)

        found = analyze_decoded(texts, analyze)
        all_spans = [_with_literals(f.plain, f.spans) for f in found]
        items = [
            (s.label, f.plain[s.start : s.end])
            for f, spans in zip(found, all_spans, strict=True)
            for s in spans
        ]
        placeholders = iter(self._assign(session, items) if items else [])
        results = []
        for text, f, spans in zip(texts, found, all_spans, strict=True):
            parts: list[str] = []
            entities: list[Entity] = []
            pos = 0
            for s in spans:
                ph = next(placeholders)
                start, end = f.original(s)
                parts.append(text[pos:start])
                parts.append(ph)
                entities.append(Entity(start, end, s.label, f.plain[s.start : s.end], s.score, s.source, ph))
                pos = end
            parts.append(text[pos:])
            results.append(MaskResult("".join(parts), entities, session))
        return results

    def _assign(self, session: str, items: list[tuple[str, str]]) -> list[str]:
        """One vault call for the distinct (label, value) pairs, in order of first appearance (so
        numbering is unchanged): a re-sent history repeats the same values many times."""
        index: dict[tuple[str, str], int] = {}
        for item in items:
            index.setdefault(item, len(index))
        if len(index) == len(items):
            return self.store.assign(session, items)
        placeholders = self.store.assign(session, list(index))
        return [placeholders[index[item]] for item in items]

    # -- unmasking -------------------------------------------------------------------------
    def unmask(
        self, text: str, session: str = DEFAULT_SESSION, escape: Callable[[str], str] | None = None
    ) -> str:
        """Replace placeholders issued in `session`; anything else is left exactly as it is.

        Cost is one scan of the text plus one lookup per distinct placeholder in it: independent
        of how many values the vault holds.
        """
        if "<" not in text:
            return text
        found = {m.group(0) for m in PLACEHOLDER_RE.finditer(text)}
        if not found:
            return text
        values = self.store.resolve(session, found)
        if not values:
            return text
        if escape is not None:
            values = {k: escape(v) for k, v in values.items()}
        return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(0), m.group(0)), text)

    def stream_unmasker(self, session: str, escape: Callable[[str], str] | None = None) -> StreamUnmasker:
        return StreamUnmasker(self, session, escape)


# -- one-shot helpers ----------------------------------------------------------------------
_default_masker: Masker | None = None
_default_lock = threading.Lock()


def _shared_masker() -> Masker:
    global _default_masker
    with _default_lock:
        if _default_masker is None:
            _default_masker = Masker()
        return _default_masker


def anonymize(text: str) -> tuple[str, dict[str, str]]:
    """Mask `text` once, returning the masked text and its placeholder -> value mapping."""
    shared = _shared_masker()
    one_shot = Masker(shared.pipeline, MemoryStore(), cache=shared.cache)
    result = one_shot.mask(text)
    return result.text, {e.placeholder: e.text for e in result.entities}


def deanonymize(text: str, mapping: dict[str, str]) -> str:
    """Put the values of `mapping` back; placeholders not in it are left untouched."""
    return PLACEHOLDER_RE.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)
