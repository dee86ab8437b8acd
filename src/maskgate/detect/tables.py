"""Table rows split into cells: the one splitter of every layer that reads values by column.

The readers differ in what a table looks like to them, so the differences are options, each kept as
the reader had it (the spans they find stay the same):

- the labelled ids (patterns/identifiers.py) sniff the delimiter (`sniff_delimiter`: an HTML row,
  pipes before tabs, `;` only twice or more, aligned columns last), let a `"` anywhere open a quoted
  stretch of a CSV row (`toggle`), drop the blank cells outside a Markdown row's outer pipes
  (`blank`), trim SQL value lists' parentheses and blanks and quotes;
- the login and password columns (patterns/usernames_tables.py) take the first delimiter the row holds,
  tab before pipe (`first_delimiter`), read a CSV cell that is exactly `"..."` as what the quotes
  enclose (`strict`), drop the outer cells of a row that starts with a pipe (`markdown`), trim blanks;
- the name fields (names/fields.py) take the commonest delimiter (`commonest_delimiter`), let a cell
  that opens with a quote hold delimiters up to its closing quote (`lenient`) and trim nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Quotes = Literal["", "toggle", "lenient", "strict"]
Pipes = Literal["", "blank", "markdown"]

HTML = "<td>"  # a one-line HTML row: `<tr><th>MRN</th><th>Member ID</th></tr>`, `<td>...</td>` cells
ALIGNED = "  "  # columns aligned with runs of blanks (`psql`, `ls -l`, fixed-width reports)

_HTML_CELL = re.compile(r"<t[hd](?:[ \t][^<>\n]{0,80})?>(?P<cell>[^<>\n]*)</t[hd]>", re.IGNORECASE)
_ALIGNED_CELL = re.compile(r"\S+(?: \S+)*")
_ALIGNED_GAP = re.compile(r"\S {2,}\S")


def sniff_delimiter(line: str) -> str | None:
    """An HTML row, pipes (two, or one not at the start), a tab, `;` twice (European CSV exports), a
    comma, aligned columns; None for a line that is no row."""
    if "</t" in line and len(_HTML_CELL.findall(line)) >= 2:
        return HTML
    if line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|")):
        return "|"
    if "\t" in line:
        return "\t"
    if line.count(";") >= 2:
        return ";"
    if "," in line:
        return ","
    if _ALIGNED_GAP.search(line):
        return ALIGNED
    return None


def first_delimiter(line: str, order: tuple[str, ...], default: str) -> str:
    """The first of `order` that the line holds."""
    for d in order:
        if d in line:
            return d
    return default


def commonest_delimiter(line: str, order: tuple[str, ...]) -> str:
    """The delimiter the line holds most often (the first of `order` on a tie)."""
    return max(order, key=line.count)


def split_row(
    line: str,
    delim: str,
    *,
    quotes: Quotes = "",
    pipes: Pipes = "",
    strip: str = "",
    sql: bool = False,
) -> list[tuple[int, int]]:
    """(start, end) of each cell of the row `line` split at `delim` (or HTML, ALIGNED).

    quotes: "" none; "toggle": every `"` opens or closes a stretch that the delimiter does not cut;
    "lenient": a cell whose first non-space is `"` runs to its closing quote (`""` is an escaped one)
    and on to the next delimiter; "strict": a cell that is exactly `"..."` between blanks holds
    delimiters, and it is what the quotes enclose (neither `sql` nor `strip` apply to it).
    pipes (for `|`): "blank": a blank cell before the first or after the last pipe is none;
    "markdown": a row that starts with a pipe loses its first cell, and its last if it ends with one.
    sql: an unbalanced parenthesis in a cell opens or closes a SQL value list
    (`INSERT INTO t (id, name) VALUES`, `(901, 'Ann'),`): the cell starts after it or ends before it.
    strip: the characters trimmed off both ends of each cell.
    """
    enclosed: set[int] = set()
    if delim == ALIGNED:
        bounds = [(c.start(), c.end()) for c in _ALIGNED_CELL.finditer(line)]
    elif delim == HTML:
        bounds = [(c.start("cell"), c.end("cell")) for c in _HTML_CELL.finditer(line)]
    elif quotes == "toggle" and '"' in line:
        bounds = _toggled(line, delim)
    elif quotes == "lenient":
        bounds = _lenient(line, delim)
    elif quotes == "strict" and '"' in line:
        bounds, enclosed = _strict(line, delim)
    else:
        bounds = _plain(line, delim)
    if delim == "|" and pipes:
        bounds = _outer_pipes(line, bounds, pipes)  # (the strict quotes only serve commas)
    if not (sql or strip):
        return bounds
    out = []
    for a, b in bounds:
        if a in enclosed:
            out.append((a, b))
            continue
        if sql:
            opened, closed = line.count("(", a, b), line.count(")", a, b)
            if opened > closed:
                a = line.rfind("(", a, b) + 1
            elif closed > opened:
                b = line.find(")", a, b)
        while a < b and line[a] in strip:
            a += 1
        while b > a and line[b - 1] in strip:
            b -= 1
        out.append((a, b))
    return out


def _plain(line: str, delim: str) -> list[tuple[int, int]]:
    bounds, a = [], 0
    for cell in line.split(delim):
        bounds.append((a, a + len(cell)))
        a += len(cell) + len(delim)
    return bounds


def _toggled(line: str, delim: str) -> list[tuple[int, int]]:
    cuts, quoted = [-1], False
    for i, c in enumerate(line):
        if c == '"':
            quoted = not quoted  # `"Smith, Ann"` is one CSV cell
        elif c == delim and not quoted:
            cuts.append(i)
    cuts.append(len(line))
    return [(cuts[k] + 1, cuts[k + 1]) for k in range(len(cuts) - 1)]


def _closing_quote(line: str, k: int) -> int:
    """The closing quote at or after `k` (`""` inside is an escaped one), or the line's length."""
    n = len(line)
    while k < n and not (line[k] == '"' and (k + 1 >= n or line[k + 1] != '"')):
        k += 2 if line[k] == '"' else 1
    return k


def _lenient(line: str, delim: str) -> list[tuple[int, int]]:
    out, i, n = [], 0, len(line)
    while i <= n:
        j = i
        while j < n and line[j] == " ":
            j += 1
        k = _closing_quote(line, j + 1) if j < n and line[j] == '"' else i
        end = line.find(delim, k)
        if end < 0:
            end = n
        out.append((i, end))
        i = end + 1
    return out


@lru_cache(maxsize=8)
def _enclosed_cell(delim: str) -> re.Pattern[str]:
    return re.compile(r"[ \t]*\"((?:[^\"]|\"\")*)\"[ \t]*(?=" + re.escape(delim) + "|$)")


def _strict(line: str, delim: str) -> tuple[list[tuple[int, int]], set[int]]:
    out: list[tuple[int, int]] = []
    enclosed: set[int] = set()
    rx = _enclosed_cell(delim)
    pos, n = 0, len(line)
    while True:
        m = rx.match(line, pos)
        if m:
            out.append((m.start(1), m.end(1)))
            enclosed.add(m.start(1))
            end = m.end()
        else:
            end = line.find(delim, pos)
            end = n if end < 0 else end
            out.append((pos, end))
        if end >= n:
            return out, enclosed
        pos = end + len(delim)


def _outer_pipes(line: str, bounds: list[tuple[int, int]], pipes: Pipes) -> list[tuple[int, int]]:
    if pipes == "markdown":
        row = line.strip()
        if row.startswith("|"):
            return bounds[1:-1] if row.endswith("|") else bounds[1:]
        return bounds
    # the blanks outside the outer pipes of a Markdown row are no cells
    if bounds and not line[: bounds[0][1]].strip():
        bounds = bounds[1:]
    if bounds and not line[bounds[-1][0] :].strip():
        bounds = bounds[:-1]
    return bounds
