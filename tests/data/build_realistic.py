"""Turn `realistic.txt` (hand-written texts with inline labels) into `realistic.jsonl`.

Markup: `[[LABEL:value]]` marks `value` as an entity of LABEL (maskgate labels; see
maskgate.evaluation.mapping.NATIVE for which are scored). A record starts with a line
`=== <id> <category>`; everything up to the next such line (minus the trailing newline) is its
text. Values may span lines. Run from the repository root:

    .venv/bin/python tests/data/build_realistic.py

The output is checked in; tests/evaluation/test_eval.py checks that it matches this source.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
SOURCE = HERE / "realistic.txt"
OUT = HERE / "realistic.jsonl"
MARK = re.compile(r"\[\[([A-Z][A-Z0-9_]*):(.*?)\]\]", re.DOTALL)
HEADER = re.compile(r"^=== (\S+) (\S+)[ \t]*$", re.MULTILINE)


def parse_record(marked: str) -> tuple[str, list[dict[str, object]]]:
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(marked):
        plain = marked[pos : m.start()]
        out.append(plain)
        length += len(plain)
        value = m.group(2)
        spans.append({"start": length, "end": length + len(value), "label": m.group(1)})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced markup in: {marked[:80]!r}")
    return text, spans


def build(source: str) -> list[dict[str, object]]:
    records = []
    heads = list(HEADER.finditer(source))
    for i, h in enumerate(heads):
        body_end = heads[i + 1].start() if i + 1 < len(heads) else len(source)
        body = source[h.end() + 1 : body_end]
        if body.endswith("\n"):
            body = body[:-1]
        text, spans = parse_record(body)
        for s in spans:
            value = text[int(s["start"]) : int(s["end"])]  # type: ignore[call-overload]
            if value != value.strip():
                raise ValueError(f"{h.group(1)}: span {value!r} has surrounding whitespace")
        records.append({"id": h.group(1), "category": h.group(2), "text": text, "spans": spans})
    return records


def render(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main() -> int:
    records = build(SOURCE.read_text(encoding="utf-8"))
    OUT.write_text(render(records), encoding="utf-8")
    n_spans = sum(len(r["spans"]) for r in records)  # type: ignore[arg-type]
    print(f"{OUT}: {len(records)} records, {n_spans} spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
