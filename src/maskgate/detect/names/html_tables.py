"""Names in HTML tables: every `<td>` cell under a `<th>` header that names a person field
(`<th>Patient</th>` ... `<td>Kwame Asante</td>`), as fields.py reads CSV and Markdown tables."""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.names.fields import ROLE, field_kind, value_span

_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<(t[hd])\b[^>]*>(.*?)</t[hd]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def html_table_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each name in a cell under a person-field header of an HTML table."""
    if "<th" not in text and "<TH" not in text:
        return
    cols: dict[int, int] = {}
    for row in _ROW.finditer(text):
        cells = list(_CELL.finditer(text, row.start(1), row.end(1)))
        if cells and all(c.group(1).lower() == "th" for c in cells):
            heads = [_TAG.sub("", c.group(2)).strip() for c in cells]
            cols = {k: kind for k, h in enumerate(heads) if len(h) < 40 and (kind := field_kind(h))}
            continue
        for k, c in enumerate(cells):
            if k not in cols or "<" in c.group(2):
                continue  # a cell holding more markup: not a plain value
            a, b = c.span(2)
            while a < b and text[a] in " \t\r\n":
                a += 1
            v = value_span(text, a, max(cols[k], ROLE), b)
            if v is not None:
                yield v
