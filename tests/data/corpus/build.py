"""Build the labelled development corpus (issue 11) from its hand-written markup sources.

Sources: `tests/data/corpus/src/<split>/<genre>.txt`, one file per genre and split. A record starts with a line
`=== NNN` (three digits; optionally `=== NNN nopii` for a text with no personal data); everything
up to the next such line (minus the trailing newline) is its text. `[[LABEL:value]]` marks `value`
as an entity of LABEL (maskgate's labels; see docs/quality.md for which are direct, scored and
quasi). The record's id is `<genre>-NNN`.

Split: records are paired within a genre by number (000/001, 002/003, ...) and a SHA-256 of
`<genre>:<pair>` decides which of the two goes to `dev` and which to `test`. Each genre is therefore
split half and half (±1), and the split of a text depends only on its id: adding texts with new
numbers never moves an existing text to the other side. Never renumber texts. The sources of the two
halves live in separate folders so that whoever tunes detection on `dev` never reads a `test` text;
the build refuses a text filed under the wrong split (and says which folder it belongs in), so a
new text is written where its number sends it.

    .venv/bin/python tests/data/corpus/build.py          # writes dev.jsonl and test.jsonl
    .venv/bin/python tests/data/corpus/build.py --stats  # counts per genre, split and label

tests/evaluation/test_corpus.py checks the committed files match their sources.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
SOURCES = HERE / "src"
SPLITS = ("dev", "test")
MARK = re.compile(r"\[\[([A-Z][A-Z0-9_]*):(.*?)\]\]", re.DOTALL)
HEADER = re.compile(r"^=== (\d{3})(?: (nopii))?[ \t]*$", re.MULTILINE)


def parse_record(marked: str) -> tuple[str, list[dict[str, object]]]:
    """Plain text and its spans from a marked-up body."""
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = length = 0
    for m in MARK.finditer(marked):
        plain = marked[pos : m.start()]
        out.append(plain)
        length += len(plain)
        value = m.group(2)
        if not value or value != value.strip():
            raise ValueError(f"span {value!r} is empty or has surrounding whitespace")
        spans.append({"start": length, "end": length + len(value), "label": m.group(1)})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced markup in: {marked[:80]!r}")
    return text, spans


def split_of(record_id: str) -> str:
    """`dev` or `test`, from the id alone (see the module docstring)."""
    genre, num = record_id.rsplit("-", 1)
    n = int(num)
    pair = hashlib.sha256(f"{genre}:{n // 2}".encode()).digest()[0] & 1
    return SPLITS[(pair + n) % 2]


def records_of(source: str, name: str) -> list[tuple[str, bool, str]]:
    """(number, nopii, raw body) for each `=== NNN` record of one source file."""
    heads = list(HEADER.finditer(source))
    if source[: heads[0].start()].strip() if heads else source.strip():
        raise ValueError(f"{name}: text before the first '=== NNN' header")
    out = []
    for i, h in enumerate(heads):
        body_end = heads[i + 1].start() if i + 1 < len(heads) else len(source)
        body = source[h.end() + 1 : body_end]
        if body.endswith("\n"):
            body = body[:-1]
        out.append((h.group(1), bool(h.group(2)), body))
    return out


def build_genre(genre: str, source: str) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for num, nopii, body in records_of(source, genre):
        rid = f"{genre}-{num}"
        try:
            text, spans = parse_record(body)
        except ValueError as exc:
            raise ValueError(f"{rid}: {exc}") from exc
        if not text.strip():
            raise ValueError(f"{rid}: empty text")
        if nopii == bool(spans):
            raise ValueError(f"{rid}: 'nopii' must mark exactly the texts without spans")
        records.append({"id": rid, "genre": genre, "text": text, "spans": spans})
    return records


def build_all(src: Path = SOURCES) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for split in SPLITS:
        for path in sorted((src / split).glob("*.txt")):
            for rec in build_genre(path.stem, path.read_text(encoding="utf-8")):
                if split_of(str(rec["id"])) != split:
                    raise ValueError(
                        f"{rec['id']} belongs in src/{split_of(str(rec['id']))}/, not src/{split}/"
                    )
                records.append(rec)
    records.sort(key=lambda r: (str(r["genre"]), str(r["id"])))
    ids = [r["id"] for r in records]
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)  # type: ignore[type-var]
    if dupes:
        raise ValueError(f"duplicate ids: {dupes}")
    return records


def render(records: list[dict[str, object]], split: str) -> str:
    return "".join(
        json.dumps(r, ensure_ascii=False) + "\n" for r in records if split_of(str(r["id"])) == split
    )


def stats(records: list[dict[str, object]]) -> str:
    rows = Counter((str(r["genre"]), split_of(str(r["id"]))) for r in records)
    nopii = Counter(str(r["genre"]) for r in records if not r["spans"])
    labels = Counter(str(s["label"]) for r in records for s in r["spans"])  # type: ignore[attr-defined]
    lines = [f"{'genre':<20} {'dev':>5} {'test':>5} {'no PII':>7}"]
    for g in sorted({str(r["genre"]) for r in records}):
        lines.append(f"{g:<20} {rows[g, 'dev']:>5} {rows[g, 'test']:>5} {nopii[g]:>7}")
    dev = sum(v for (_, s), v in rows.items() if s == "dev")
    lines.append(f"{'total':<20} {dev:>5} {len(records) - dev:>5} {sum(nopii.values()):>7}")
    lines.append("labels: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    records = build_all()
    if "--stats" in argv:
        print(stats(records))
        return 0
    for split in SPLITS:
        (HERE / f"{split}.jsonl").write_text(render(records, split), encoding="utf-8")
    print(stats(records))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
