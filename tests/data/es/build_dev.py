"""Turn `dev.txt` (records after `=== genre` lines, values marked `[[LABEL|value]]`) into
`dev.jsonl` for `maskgate eval`: `python tests/data/es/build_dev.py`."""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
_MARK = re.compile(r"\[\[([A-Z_]+)\|(.*?)\]\]", re.DOTALL)


def records(source: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    lines = [line for line in source.splitlines() if not line.startswith("#")]
    blocks = re.split(r"^=== (\S+)\n", "\n".join(lines), flags=re.MULTILINE)
    for n, (genre, body) in enumerate(zip(blocks[1::2], blocks[2::2], strict=True)):
        text, spans, pos = [], [], 0
        length = 0
        for m in _MARK.finditer(body):
            before = body[pos : m.start()]
            text.append(before)
            length += len(before)
            value = m.group(2)
            spans.append({"start": length, "end": length + len(value), "label": m.group(1)})
            text.append(value)
            length += len(value)
            pos = m.end()
        text.append(body[pos:])
        out.append({"id": f"es-{n:03d}", "genre": genre, "text": "".join(text).rstrip("\n"), "spans": spans})
    return out


def main() -> None:
    recs = records((HERE / "dev.txt").read_text(encoding="utf-8"))
    with (HERE / "dev.jsonl").open("w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(recs)} records")


if __name__ == "__main__":
    main()
