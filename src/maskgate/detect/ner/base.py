"""The NER backend interface and the layer that adapts any backend into the pipeline."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Protocol

from maskgate.detect.ner.gate import gated_predict
from maskgate.detect.spans import Span


class NerBackend(Protocol):
    """A model that labels entities. Spans use the model's own labels; the layer maps them."""

    name: str

    def predict(self, texts: Sequence[str]) -> list[list[Span]]: ...

    def fingerprint(self) -> str: ...


# Things a capitalised-word model mistakes for names in code and logs.
_CODE_CHARS = re.compile(r"[_(){}\[\]<>=/\\;:@#$%^*|`~\d]")
_CAMEL = re.compile(r"[a-z][A-Z].*[a-z][A-Z]")  # two inner capitals: HttpClientFactory


def looks_like_code(s: str) -> bool:
    return bool(_CODE_CHARS.search(s) or _CAMEL.search(s))


# refine(text, label, start, end) -> the (start, end) pieces to keep (none drops the span).
Refine = Callable[[str, str, int, int], Iterable[tuple[int, int]]]


class NerLayer:
    """Maps backend labels onto maskgate's and drops model spans that are clearly code tokens.

    An optional `refine` post-filter may trim or drop spans (maskgate.detect.ner.refine.refine_entity
    trims "Email Jane Doe" to "Jane Doe" and drops ORG acronyms such as "SSN").
    """

    # Labels the code filter and `refine` apply to; None: all. Emails, URLs, phones and secrets
    # from a stronger model legitimately look like code, so a backend may narrow this to names.
    filtered_labels: frozenset[str] | None = None

    def __init__(
        self, backend: NerBackend, label_map: Mapping[str, str | None], refine: Refine | None = None
    ) -> None:
        self.backend = backend
        self.label_map = dict(label_map)
        self.refine = refine
        self.name = f"ner:{backend.name}"

    def detect(self, text: str) -> list[Span]:
        return self.detect_many([text])[0]

    def detect_many(self, texts: Sequence[str]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for text, spans in zip(texts, gated_predict(self.backend, texts), strict=True):  # ner/gate.py
            kept = []
            for s in spans:
                label = self.label_map.get(s.label)
                if label is None:
                    continue
                if self.filtered_labels is not None and label not in self.filtered_labels:
                    kept.append(Span(s.start, s.end, label, s.score, self.name))
                    continue
                if looks_like_code(text[s.start : s.end]):
                    continue
                pieces = (
                    [(s.start, s.end)] if self.refine is None else self.refine(text, label, s.start, s.end)
                )
                kept.extend(Span(a, b, label, s.score, self.name) for a, b in pieces if b > a)
            out.append(kept)
        return out

    def fingerprint(self) -> str:
        refine = getattr(self.refine, "version", "") if self.refine is not None else ""
        return f"{self.name}:{self.backend.fingerprint()}:{sorted(self.label_map.items(), key=str)}:{refine}"


def chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """Split text into pieces of at most `size` chars, at a newline or space where possible.

    Yields (offset, piece) so spans found in a piece map back exactly onto the text.
    """
    n = len(text)
    start = 0
    while start < n:
        end = min(start + size, n)
        if end < n:
            cut = max(text.rfind("\n", start + size // 2, end), text.rfind(". ", start + size // 2, end))
            if cut == -1:
                cut = text.rfind(" ", start + size // 2, end)
            if cut != -1:
                end = cut + 1
        yield start, text[start:end]
        start = end
