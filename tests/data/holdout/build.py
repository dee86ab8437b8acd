"""Build the held-out detection set (tests/data/holdout/holdout.jsonl) from its marked-up sources.

Nobody tunes detection on this set: see README.md beside this file.

Sources: `tests/data/holdout/src/<genre>.txt`, one file per genre. A record starts with a line
`=== NNN` (three digits; `=== NNN nopii` for a text with no personal data); everything up to the
next such line (minus the one trailing newline) is its text. `[[LABEL:value]]` marks `value` as an
entity of LABEL (maskgate's labels, docs/labels.md, scored as src/maskgate/evaluation/mapping.py
says). Characters that are hard to type or to see are written as escapes and replaced before the
marks are read: `{ZWSP}` (U+200B), `{ZWNJ}` (U+200C), `{ZWJ}` (U+200D), `{NBSP}` (U+00A0),
`{TAB}` (a tab), `{CR}` (a carriage return). The record's id is `ho-<genre>-NNN`.

    .venv/bin/python tests/data/holdout/build.py          # writes holdout.jsonl
    .venv/bin/python tests/data/holdout/build.py --stats  # counts per genre and label

The output is deterministic (genres and records in sorted order, no randomness).
tests/evaluation/test_holdout.py checks the committed file matches its sources.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent
SOURCES = HERE / "src"
OUTPUT = HERE / "holdout.jsonl"


def _corpus_build() -> ModuleType:
    """The corpus builder beside this folder: one parser for the `=== NNN` / `[[LABEL:value]]` format."""
    spec = importlib.util.spec_from_file_location("corpus_build", HERE.parent / "corpus" / "build.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_corpus = _corpus_build()
MARK = _corpus.MARK
parse_record = _corpus.parse_record
records_of = _corpus.records_of

ESCAPES = {
    "{ZWSP}": "\u200b",
    "{ZWNJ}": "\u200c",
    "{ZWJ}": "\u200d",
    "{NBSP}": "\u00a0",
    "{TAB}": "\t",
    "{CR}": "\r",
}


def unescape(body: str) -> str:
    for key, char in ESCAPES.items():
        body = body.replace(key, char)
    return body


def build_genre(genre: str, source: str) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for num, nopii, body in records_of(source, genre):
        rid = f"ho-{genre}-{num}"
        try:
            text, spans = parse_record(unescape(body))
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
    for path in sorted(src.glob("*.txt")):
        records.extend(build_genre(path.stem, path.read_text(encoding="utf-8")))
    records.sort(key=lambda r: str(r["id"]))
    dupes = sorted(i for i, n in Counter(str(r["id"]) for r in records).items() if n > 1)
    if dupes:
        raise ValueError(f"duplicate ids: {dupes}")
    return records


def render(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def stats(records: list[dict[str, object]]) -> str:
    genres = Counter(str(r["genre"]) for r in records)
    nopii = Counter(str(r["genre"]) for r in records if not r["spans"])
    labels = Counter(str(s["label"]) for r in records for s in r["spans"])  # type: ignore[attr-defined]
    lines = [f"{'genre':<20} {'texts':>6} {'no PII':>7}"]
    for g in sorted(genres):
        lines.append(f"{g:<20} {genres[g]:>6} {nopii[g]:>7}")
    lines.append(f"{'total':<20} {len(records):>6} {sum(nopii.values()):>7}")
    lengths = sorted(len(str(r["text"])) for r in records)
    if lengths:
        lines.append(f"length: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}")
    lines.append("labels: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    records = build_all()
    if "--stats" not in argv:
        OUTPUT.write_text(render(records), encoding="utf-8")
    print(stats(records))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
