"""A JSON document seen as the text it holds, for detection.

Agents pass tool results and tool messages as JSON text, and `json.dumps` writes `Renée` as
`Ren\\u00e9e` and line breaks as `\\n`: the detectors would read `Ren\\u00e9e Z\\u00fcrcher` and
`n12 Main Street` and miss both. The view decodes every escape (a JSON document has backslashes only
inside its strings) and keeps, for each decoded character, where its escape starts and ends, so a
span found in the view masks exactly the original characters, escapes included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

# A surrogate pair first (one character), then any \uXXXX, then the one-letter escapes.
_ESCAPE = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})|\\u([0-9a-f]{4})|\\(.)", re.I | re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", '"': '"', "\\": "\\"}
_DOCUMENT = re.compile(r"\s*[\[{]")


@dataclass(frozen=True)
class JsonView:
    text: str  # the document with every escape decoded
    starts: list[int]  # original offset where each decoded character's escape (or itself) starts
    ends: list[int]  # and where it ends

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the decoded characters start..end."""
        return self.starts[start], self.ends[end - 1]


def json_view(text: str) -> JsonView | None:
    """The decoded view of a JSON object or array that has escapes in it; None for anything else
    (plain text, code with backslashes, JSON without escapes: the text is its own view)."""
    if "\\" not in text or _DOCUMENT.match(text) is None:
        return None
    try:
        json.loads(text)
    except ValueError:
        return None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _ESCAPE.finditer(text):
        for k in range(pos, m.start()):
            out.append(text[k])
            starts.append(k)
            ends.append(k + 1)
        high, low, code, simple = m.groups()
        if high is not None:
            ch = chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00))
        elif code is not None:
            ch = chr(int(code, 16))
            if 0xD800 <= ord(ch) <= 0xDFFF:
                ch = "\ufffd"  # a lone surrogate: no letter, and no value a vault could encode
        else:
            ch = _SIMPLE.get(simple, simple)
        out.append(ch)
        starts.append(m.start())
        ends.append(m.end())
        pos = m.end()
    for k in range(pos, len(text)):
        out.append(text[k])
        starts.append(k)
        ends.append(k + 1)
    return JsonView("".join(out), starts, ends)


def decoded(texts: Sequence[str]) -> tuple[list[JsonView | None], list[str]]:
    """Each text's view (or None) and the text to analyse: the view's, or the text itself."""
    views = [json_view(t) for t in texts]
    return views, [t if v is None else v.text for t, v in zip(texts, views, strict=True)]
