"""Masker: mask and unmask text for a session, with the analysis cache and the masked-text memo."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from maskgate.detect.jsonview import analyze_decoded, decoded
from maskgate.detect.spans import Span
from maskgate.masking.cache_store import CacheStore, Record, code_fingerprint
from maskgate.masking.known import KnownValues, with_known
from maskgate.masking.stream import StreamUnmasker
from maskgate.vault.base import renew_every
from maskgate.vault.memory import MemoryStore
from maskgate.vault.placeholder import LITERAL_LABEL, PLACEHOLDER_RE

if TYPE_CHECKING:
    from maskgate.config import Settings
    from maskgate.detect.pipeline import Analyzer
    from maskgate.vault.base import Store

DEFAULT_SESSION = "default"
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


# A text becomes visible to every session once this many distinct sessions sent it (and it is at
# least SHARE_MIN_CHARS long): see docs/performance.md, "Cache and sessions".
SHARE_SESSIONS = 3
SHARE_MIN_CHARS = 512
_MAX_TAGS = 8  # sessions remembered per unshared entry; an older one just analyses again
NO_SESSION = b""  # the tag of analyses outside any session (CLI, eval, analyze_many)


class AnalysisCache(_ByteLRU[bytes, Record]):
    """Detection results keyed by a hash of (pipeline fingerprint, text), bounded in bytes, with an
    optional persistent tier (`store`, masking/cache_store.py) behind the memory LRU.

    Spans are a pure function of text and config, so a hit gives exactly what a fresh analysis
    would. A hit is only given to a session that may see the entry (`Record.visible`): one that
    analysed the text itself, or any session once `share_sessions` distinct sessions sent it. Else
    the text is analysed again, so answer times tell no session what another one sent.
    """

    def __init__(
        self,
        max_bytes: int = 64 * 1024 * 1024,
        store: CacheStore | None = None,
        share_sessions: int = SHARE_SESSIONS,
    ) -> None:
        super().__init__(max_bytes)
        self.store = store
        self.share_sessions = share_sessions
        self.salt = store.salt if store is not None else os.urandom(32)
        # Persistent entries must not outlive a change of detection's code or data files either.
        self.code_fp = code_fingerprint() if store is not None else ""
        self.hits = 0
        self.misses = 0
        self.observer: Callable[[int, int], None] | None = None  # e.g. the proxy's metrics
        self._tag_sets: dict[bytes, frozenset[bytes]] = {}

    @staticmethod
    def key(fingerprint: str, text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=fingerprint.encode()[:64]).digest()

    def tag(self, session: str | None) -> bytes:
        """A keyed hash of the session name: what entries remember instead of the name."""
        if session is None:
            return NO_SESSION
        return hashlib.blake2b(
            session.encode("utf-8", "surrogatepass"), key=self.salt, digest_size=12
        ).digest()

    def records(self, keys: Sequence[bytes]) -> list[Record | None]:
        """Entries from memory, then from the persistent tier (kept in memory once read); no counting."""
        out = super().get_many(keys)
        if self.store is not None:
            missing = [i for i, r in enumerate(out) if r is None]
            if missing:
                for i, rec in zip(missing, self.store.get_many([keys[i] for i in missing]), strict=True):
                    if rec is not None:
                        out[i] = rec
                        super().put(keys[i], rec, _cost(rec))
        return out

    def get_many(self, keys: Sequence[bytes], tag: bytes = NO_SESSION) -> list[list[Span] | None]:  # type: ignore[override]
        """The spans `tag`'s session may see (None: analyse); `observer(hits, misses)` hears once."""
        out = [list(r.spans) if r is not None and r.visible(tag) else None for r in self.records(keys)]
        misses = out.count(None)
        with self._lock:
            self.hits += len(out) - misses
            self.misses += misses
        if self.observer is not None:
            self.observer(len(out) - misses, misses)
        return out

    def _one_tag(self, tag: bytes) -> frozenset[bytes]:
        """One frozenset per session for its entries seen by it alone (~260 bytes saved on each)."""
        one = self._tag_sets.get(tag)
        if one is None:
            if len(self._tag_sets) >= 4096:
                self._tag_sets.clear()
            one = self._tag_sets[tag] = frozenset([tag])
        return one

    def visible(self, key: bytes, tag: bytes = NO_SESSION) -> bool:
        """In memory and visible to `tag` (not counted; the persistent tier is not asked)."""
        item = self._data.get(key)
        return item is not None and item[0].visible(tag)

    def count_hits(self, n: int) -> None:
        """Texts answered without a lookup here (a memoised masking result): still cache hits."""
        with self._lock:
            self.hits += n
        if self.observer is not None and n:
            self.observer(n, 0)

    def put(self, key: bytes, spans: list[Span], text_len: int, tag: bytes = NO_SESSION) -> None:  # type: ignore[override]
        self.put_many([(key, spans, text_len)], tag)

    def put_many(self, items: Sequence[tuple[bytes, list[Span], int]], tag: bytes = NO_SESSION) -> None:
        """Fresh analyses by `tag`'s session: each entry now also visible to it, and shared once
        enough sessions sent the text. Keys and spans only: the text itself is not kept."""
        records = []
        for key, spans, text_len in items:
            item = self._data.get(key)
            old = item[0] if item is not None else None
            tags = (old.tags if old is not None else frozenset()) | {tag}
            shared = old is not None and old.shared
            if self.share_sessions > 0 and len(tags) >= self.share_sessions and text_len >= SHARE_MIN_CHARS:
                shared = True
            if shared:
                tags = frozenset()
            elif len(tags) > _MAX_TAGS:
                tags = frozenset([tag, *sorted(tags - {tag})[: _MAX_TAGS - 1]])
            elif len(tags) == 1:
                tags = self._one_tag(tag)
            rec = Record(tuple(spans), tags, shared)
            super().put(key, rec, _cost(rec))
            records.append((key, rec))
        if self.store is not None:
            self.store.put_many(records)


def _cost(rec: Record) -> int:
    """What an entry really holds in memory (measured with tracemalloc, CPython 3.11: key, LRU slot,
    record and span tuple ~330 bytes, each Span with its numbers ~135, a tag set of its own ~220 and
    ~50 a tag), so `max_bytes` bounds the process's memory, not a nominal count
    (tests/masking/test_performance_bounded.py)."""
    tags = 0 if len(rec.tags) <= 1 else 220 + 50 * len(rec.tags)
    return 330 + 135 * len(rec.spans) + tags


class MaskedMemo:
    """What masking a text gave in a session, LRU-bounded in bytes.

    Placeholders never change once issued, so a text masked before in a session masks exactly the
    same way again: a re-sent history is answered from here, with no detection, no vault call and
    no thread hop. Entries hold raw values (like the vault's own process cache); memory only.
    """

    def __init__(self, max_bytes: int = 16 * 1024 * 1024) -> None:
        self._lru: _ByteLRU[tuple[str, bytes], MaskResult] = _ByteLRU(max_bytes)
        self.on_clear: Callable[[], None] | None = None  # what else holds session data (known values)

    def get_many(self, session: str, keys: Sequence[bytes]) -> list[MaskResult | None]:
        return self._lru.get_many([(session, k) for k in keys])

    def put(self, session: str, key: bytes, result: MaskResult) -> None:
        # measured like the analysis cache's `_cost`: key, LRU slot and result ~500 bytes, an entity
        # ~85 (its placeholder is the vault's own string), plus the strings themselves
        cost = 500 + sys.getsizeof(result.text) + sum(85 + sys.getsizeof(e.text) for e in result.entities)
        self._lru.put((session, key), result, cost)

    def __len__(self) -> int:
        return len(self._lru)

    def clear(self) -> None:
        """Forget every result (after a session was deleted or a value erased)."""
        self._lru.clear()
        if self.on_clear is not None:
            self.on_clear()


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
        self.known = KnownValues(self.store)  # values masked before in a session: masked everywhere
        self.memo.on_clear = self.known.clear
        self._generations: dict[str, tuple[float, str]] = {}  # session -> (checked at, generation)

    @classmethod
    def from_settings(cls, settings: Settings) -> Masker:
        """The pipeline and vault of `settings`, in this process (maskgate/runtime.py builds it)."""
        from maskgate.runtime import build_masker

        return build_masker(settings)

    # -- detection -------------------------------------------------------------------------
    def _keys(self, texts: Sequence[str]) -> list[bytes]:
        fp = self.pipeline.fingerprint() + self.cache.code_fp
        return [AnalysisCache.key(fp, t) for t in texts]

    def analyze_many(self, texts: Sequence[str], session: str | None = None) -> list[list[Span]]:
        """Spans in the texts as given (JSON text is analysed decoded: see detect/jsonview.py);
        `session`: whose cache entries may answer (see AnalysisCache)."""
        tag = self.cache.tag(session)
        found = analyze_decoded(texts, lambda plain: self._analyze(plain, self._keys(plain), tag))
        return [[Span(*f.original(s), s.label, s.score, s.source) for s in f.spans] for f in found]

    def _analyze(self, texts: Sequence[str], keys: list[bytes], tag: bytes = NO_SESSION) -> list[list[Span]]:
        results = self.cache.get_many(keys, tag)
        todo = [i for i, r in enumerate(results) if r is None]
        if todo:
            fresh = self.pipeline.analyze_many([texts[i] for i in todo])
            for i, spans in zip(todo, fresh, strict=True):
                results[i] = spans
            self.cache.put_many([(keys[i], results[i], len(texts[i])) for i in todo], tag)  # type: ignore[misc]
        return results  # type: ignore[return-value]

    def all_cached(self, texts: Sequence[str], session: str | None = None) -> bool:
        """Whether masking `texts` in `session` needs no detection (every analysis is cached in
        memory and visible to the session); not counted as hits."""
        tag = self.cache.tag(session)
        return all(self.cache.visible(k, tag) for k in self._keys(decoded(texts)[1]))

    def analyze(self, text: str) -> list[Span]:
        return self.analyze_many([text])[0]

    # -- masking ---------------------------------------------------------------------------
    def mask(self, text: str, session: str = DEFAULT_SESSION) -> MaskResult:
        return self.mask_many([text], session)[0]

    def _memo_scope(self, session: str, vault: bool = True) -> str | None:
        """The memo's name for `session`: with a vault TTL, the session's name and creation time, so
        a session that expired (and starts over, numbering from 1) never gets an older incarnation's
        results. Checked against the vault, which renews the session's expiry, at most every
        `renew_every(ttl)` seconds per session (a memoised request otherwise touches no vault).
        None when that check is due and `vault` is False."""
        ttl = getattr(self.store, "ttl", None)
        if not ttl:
            return session
        now = time.monotonic()
        seen = self._generations.get(session)
        if seen is not None and now - seen[0] < renew_every(ttl):
            return seen[1]
        if not vault:
            return None
        info = self.store.extend(self.store.session_id(session))
        scope = f"{session}\x1f{info.created!r}" if info is not None else f"{session}\x1fnew{now!r}"
        if seen is not None and seen[1] != scope:
            self.known.drop(session)  # a new incarnation of the session knows nothing yet
        if len(self._generations) > 100_000:
            self._generations.clear()
        self._generations[session] = (now if info is not None else float("-inf"), scope)
        return scope

    def mask_cached(
        self, texts: Sequence[str], session: str = DEFAULT_SESSION, *, vault: bool = True
    ) -> list[MaskResult] | None:
        """The results of `mask_many` if every text was masked before in this session (then cheap
        enough for an event loop: hashing and dictionary lookups), else None. `vault=False` (an
        event loop): None also when the session is due for its check against the vault, whose write
        transaction waits for the disk and for other threads' commits."""
        scope = self._memo_scope(session, vault)
        if scope is None:
            return None
        found = self.memo.get_many(scope, self._keys(texts))
        if any(r is None for r in found):
            return None
        self.cache.count_hits(len(found))
        return found  # type: ignore[return-value]

    def mask_many(self, texts: Sequence[str], session: str = DEFAULT_SESSION) -> list[MaskResult]:
        """Mask several texts of one request with one detection batch and one vault transaction.
        Texts masked before in the session come from the memo: every value in them already has its
        placeholder, so leaving them out of the vault call changes no numbering."""
        keys = self._keys(texts)
        scope = self._memo_scope(session)
        assert scope is not None
        results = self.memo.get_many(scope, keys)
        todo = [i for i, r in enumerate(results) if r is None]
        if len(todo) < len(texts):
            self.cache.count_hits(len(texts) - len(todo))
        if todo:
            fresh = self._mask_fresh([texts[i] for i in todo], [keys[i] for i in todo], session)
            scope = self._memo_scope(session)  # a session this created: now with its creation time
            assert scope is not None
            for i, r in zip(todo, fresh, strict=True):
                results[i] = r
                self.memo.put(scope, keys[i], r)
        return results  # type: ignore[return-value]

    def _mask_fresh(self, texts: Sequence[str], keys: list[bytes], session: str) -> list[MaskResult]:
        # JSON text is analysed decoded (see detect/jsonview.py): the vault gets the decoded value, so
        # `Ren\u00e9e` in a tool result and `Renée` in prose share one placeholder.
        def analyze(plain: list[str]) -> list[list[Span]]:
            # a text analysed as it is keeps its key; a JSON view is keyed by its decoded text
            akeys = [k if p is t else self._keys([p])[0] for k, t, p in zip(keys, texts, plain, strict=True)]
            return self._analyze(plain, akeys, self.cache.tag(session))

        found = analyze_decoded(texts, analyze)
        # Values detected anywhere in the request, or masked before in the session, are masked at
        # every whole-word occurrence in the new texts (masking/known.py).
        self.known.add(session, [(s.label, f.plain[s.start : s.end]) for f in found for s in f.spans])
        all_spans = [
            _with_literals(f.plain, with_known(f.spans, self.known.find(session, f.plain))) for f in found
        ]
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
