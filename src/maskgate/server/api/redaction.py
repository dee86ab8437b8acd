"""Redact and hydrate for the REST API: text or any JSON value, with optional per-request label and
locale filters, through the same Masker (analysis cache, vault) as the proxy."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

from maskgate.detect.patterns import all_recognizers
from maskgate.detect.patterns.base import LOCALES
from maskgate.detect.spans import Span
from maskgate.masking import Masker, MaskResult
from maskgate.vault.placeholder import PLACEHOLDER_RE


class FilteredAnalyzer:
    """The server's analyzer with spans of other labels, or of regional recognizers of other
    locales, left out. Its fingerprint differs, so cached results of the two never mix."""

    def __init__(self, base: Any, labels: Sequence[str] | None, locales: Sequence[str] | None) -> None:
        self.base = base
        self.processes: int = base.processes
        self.labels = frozenset(x.upper() for x in labels) if labels is not None else None
        wanted = {x.lower() for x in locales} if locales is not None else set(LOCALES)
        unknown = wanted - set(LOCALES)
        if unknown:
            raise ValueError(f"unknown locale(s) {', '.join(sorted(unknown))}; known: {', '.join(LOCALES)}")
        self.drop = frozenset(
            r.name for r in all_recognizers() if r.locale != "any" and r.locale not in wanted
        )
        # hashed: cache keys use at most 64 bytes of a fingerprint
        desc = f"{base.fingerprint()}|labels={','.join(sorted(self.labels or ()))}|drop={','.join(sorted(self.drop))}"
        self._fp = hashlib.sha256(desc.encode()).hexdigest()[:16]

    def fingerprint(self) -> str:
        return self._fp

    def close(self) -> None:
        """The base analyzer is the server's: it is not closed here."""

    def keep(self, s: Span) -> bool:
        return (self.labels is None or s.label in self.labels) and s.source.removeprefix(
            "regex:"
        ) not in self.drop

    def analyze_many(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[s for s in spans if self.keep(s)] for spans in self.base.analyze_many(texts)]


def masker_for(masker: Masker, labels: Sequence[str] | None, locales: Sequence[str] | None) -> Masker:
    if labels is None and locales is None:
        return masker
    return Masker(FilteredAnalyzer(masker.pipeline, labels, locales), masker.store, cache=masker.cache)


# -- JSON: every string, object keys included ---------------------------------------------------
def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def strings(value: Any, pointer: str = "") -> Iterator[tuple[str, bool, str]]:
    """(JSON pointer, is an object key, string) for every string in `value`, in document order."""
    if isinstance(value, str):
        yield pointer, False, value
    elif isinstance(value, dict):
        for k, v in value.items():
            child = f"{pointer}/{_escape(k)}"
            yield child, True, k
            yield from strings(v, child)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{pointer}/{i}")


def pointers(value: Any, masked: Iterator[str], pointer: str = "") -> Iterator[tuple[str, bool]]:
    """(JSON pointer, is an object key) for every string of `value` in the order of `strings`, built
    from the masked strings `masked` gives: a raw object key may be the very value masked in it."""
    if isinstance(value, str):
        next(masked)
        yield pointer, False
    elif isinstance(value, dict):
        for v in value.values():
            child = f"{pointer}/{_escape(next(masked))}"
            yield child, True
            yield from pointers(v, masked, child)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from pointers(v, masked, f"{pointer}/{i}")


def replaced(value: Any, new: Iterator[str]) -> Any:
    """`value` with its strings (in the order of `strings`) replaced by the next ones of `new`."""
    if isinstance(value, str):
        return next(new)
    if isinstance(value, dict):
        out = {}
        for v in value.values():
            key = next(new)  # the key comes before its value, as in `strings`
            out[key] = replaced(v, new)
        return out
    if isinstance(value, list):
        return [replaced(v, new) for v in value]
    return value


def entities_of(
    results: Sequence[MaskResult], where: Sequence[tuple[str, bool]] | None, reveal: bool
) -> list[dict[str, Any]]:
    out = []
    for i, r in enumerate(results):
        for e in r.entities:
            d: dict[str, Any] = {
                "start": e.start,
                "end": e.end,
                "label": e.label,
                "placeholder": e.placeholder,
                "score": e.score,
                "source": e.source,
            }
            if where is not None:
                d["path"], d["key"] = where[i]
            if reveal:
                d["value"] = e.text
            out.append(d)
    return out


def hydrate_texts(masker: Masker, texts: Sequence[str], session: str) -> tuple[list[str], int]:
    """Unmask each text in the session; also how many placeholders were replaced."""
    found = [[m.group(0) for m in PLACEHOLDER_RE.finditer(t)] if "<" in t else [] for t in texts]
    wanted = {p for ps in found for p in ps}
    known = masker.store.resolve(session, wanted) if wanted else {}
    count = sum(1 for ps in found for p in ps if p in known)
    return [masker.unmask(t, session) for t in texts], count
