"""A JSON document seen as the text it holds, for detection.

Agents pass tool results and tool messages as JSON text, and `json.dumps` writes `Renée` as
`Ren\\u00e9e` and line breaks as `\\n`: the detectors would read `Ren\\u00e9e Z\\u00fcrcher` and
`n12 Main Street` and miss both. The view decodes every escape (a JSON document has backslashes only
inside its strings) and remembers where each escape was, so a span found in the view masks exactly
the original characters, escapes included. Only escapes are recorded (a body may be megabytes of
JSON with few of them): any other character's original offset follows from the escapes before it.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from maskgate.detect.spans import Span

# A surrogate pair first (one character), then any \uXXXX, then the one-letter escapes.
_ESCAPE = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})|\\u([0-9a-f]{4})|\\(.)", re.I | re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", '"': '"', "\\": "\\"}
_DOCUMENT = re.compile(r"\s*[\[{]")
_PIECE = re.compile(r'[^"\\\x00-\x1f]+')


@dataclass(frozen=True)
class JsonView:
    text: str  # the document with every escape decoded
    at: list[int]  # view offset of each decoded escape, ascending
    starts: list[int]  # its escape's original start
    ends: list[int]  # and end

    def _char(self, i: int) -> tuple[int, int]:
        """Original start and end of the view's character i."""
        k = bisect_left(self.at, i)
        if k < len(self.at) and self.at[k] == i:
            return self.starts[k], self.ends[k]
        # after k escapes, each escape of n characters moved what follows by n - 1
        pos = i if k == 0 else self.ends[k - 1] + (i - self.at[k - 1] - 1)
        return pos, pos + 1

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the decoded characters start..end."""
        return self._char(start)[0], self._char(end - 1)[1]

    def pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """The decoded span start..end cut at quotes, backslashes and control characters (a line break
        inside an address): a value put back unescaped keeps the JSON valid, and a span never takes
        the JSON syntax between two strings. Pieces without a letter or digit are dropped."""
        out = []
        for m in _PIECE.finditer(self.text, start, end):
            a, b = m.span()
            while a < b and self.text[a].isspace():
                a += 1
            while b > a and self.text[b - 1].isspace():
                b -= 1
            if any(c.isalnum() for c in self.text[a:b]):
                out.append((a, b))
        return out


def _decode(m: re.Match[str]) -> str:
    high, low, code, simple = m.groups()
    if high is not None:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00))
    if code is not None:
        ch = chr(int(code, 16))
        # a lone surrogate: no letter, and no value a vault could encode
        return "\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch
    return _SIMPLE.get(simple, simple)


def json_view(text: str) -> JsonView | None:
    """The decoded view of a JSON object or array that has escapes in it; None for anything else
    (plain text, code with backslashes, JSON without escapes: the text is its own view)."""
    if "\\" not in text or _DOCUMENT.match(text) is None:
        return None
    try:
        json.loads(text)
    except ValueError:
        return None
    parts: list[str] = []
    at: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = size = 0
    for m in _ESCAPE.finditer(text):
        parts.append(text[pos : m.start()])
        size += m.start() - pos
        parts.append(_decode(m))
        at.append(size)
        starts.append(m.start())
        ends.append(m.end())
        size += 1
        pos = m.end()
    parts.append(text[pos:])
    return JsonView("".join(parts), at, starts, ends)


def decoded(texts: Sequence[str]) -> tuple[list[JsonView | None], list[str]]:
    """Each text's view (or None) and the text to analyse: the view's, or the text itself."""
    views = [json_view(t) for t in texts]
    return views, [t if v is None else v.text for t, v in zip(texts, views, strict=True)]


def in_pieces(view: JsonView | None, spans: list[Span]) -> list[Span]:
    """Spans found in a view, cut into `JsonView.pieces` (still in view offsets); as they are without one."""
    if view is None:
        return spans
    return [Span(a, b, s.label, s.score, s.source) for s in spans for a, b in view.pieces(s.start, s.end)]


@dataclass(frozen=True)
class Found:
    """What detection found in one text analysed decoded: `spans` are in `plain` offsets, cut into
    pieces; `original(span)` gives where a span is in the text as it was given."""

    plain: str  # the text analysed: the view's, or the text itself
    view: JsonView | None
    spans: list[Span]

    def original(self, span: Span) -> tuple[int, int]:
        return (span.start, span.end) if self.view is None else self.view.original(span.start, span.end)


def analyze_decoded(
    texts: Sequence[str], analyze_many: Callable[[list[str]], list[list[Span]]]
) -> list[Found]:
    """Decode JSON text, analyse, map back: the one way texts are analysed, so the proxy (Masker) and
    `maskgate eval` see exactly the same spans. `analyze_many` gets the texts to analyse."""
    views, inputs = decoded(texts)
    found = analyze_many(inputs)
    return [Found(p, v, in_pieces(v, s)) for p, v, s in zip(inputs, views, found, strict=True)]
