"""Dataset loaders: the Presidio research format and a generic JSONL format.

Both give `Record`s: the text and its gold spans with the dataset's own labels. Offsets are
character offsets into the text; a span whose offsets do not fit the text is an error, not
silently dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Format = Literal["presidio", "jsonl"]


class DatasetError(ValueError):
    """The dataset file is missing, malformed, or has spans that do not fit their text."""


@dataclass(frozen=True, order=True)
class GoldSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Record:
    text: str
    spans: tuple[GoldSpan, ...] = field(default_factory=tuple)
    id: str = ""
    genre: str = ""  # kind of text (JSONL `genre`, or `category`): the report groups by it


def _span(text: str, start: Any, end: Any, label: Any, where: str) -> GoldSpan:
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(label, str):
        raise DatasetError(f"{where}: span needs integer start/end and a string label")
    if not 0 <= start < end <= len(text):
        raise DatasetError(f"{where}: span {start}..{end} does not fit a text of {len(text)} chars")
    return GoldSpan(start, end, label)


def load_presidio(path: str | Path) -> list[Record]:
    """`[{full_text, spans: [{entity_type, start_position, end_position, ...}], ...}]`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DatasetError(f"dataset not found: {path}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path} is not a Presidio-format JSON file: {exc}") from exc
    if not isinstance(data, list):
        raise DatasetError(f"{path}: expected a JSON list of records")
    out: list[Record] = []
    for i, item in enumerate(data):
        where = f"{path}: record {i}"
        if not isinstance(item, dict) or not isinstance(item.get("full_text"), str):
            raise DatasetError(f"{where}: needs a full_text string")
        text = item["full_text"]
        spans = tuple(
            sorted(
                _span(text, s.get("start_position"), s.get("end_position"), s.get("entity_type"), where)
                for s in item.get("spans") or []
            )
        )
        out.append(Record(text, spans, str(item.get("template_id", i)) + f"#{i}"))
    return out


def load_jsonl(path: str | Path) -> list[Record]:
    """One `{"text": ..., "spans": [{"start", "end", "label"}], "id"?: ..., "genre"?: ...}` object
    per line (`category` is read as the genre too, as tests/data/realistic.jsonl names it)."""
    out: list[Record] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise DatasetError(f"dataset not found: {path}") from exc
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path} is not UTF-8: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: invalid JSON: {exc.msg}") from exc
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise DatasetError(f"{where}: needs a text string")
        text = item["text"]
        spans = tuple(
            sorted(
                _span(text, s.get("start"), s.get("end"), s.get("label"), where)
                for s in item.get("spans", [])
            )
        )
        genre = item.get("genre", item.get("category", ""))
        if not isinstance(genre, str):
            raise DatasetError(f"{where}: genre must be a string")
        out.append(Record(text, spans, str(item.get("id", n)), genre))
    return out


def detect_format(path: str | Path) -> Format:
    return "jsonl" if str(path).endswith((".jsonl", ".ndjson")) else "presidio"


def load_dataset(path: str | Path, fmt: Format | None = None, limit: int | None = None) -> list[Record]:
    fmt = fmt or detect_format(path)
    if fmt == "presidio":
        records = load_presidio(path)
    elif fmt == "jsonl":
        records = load_jsonl(path)
    else:
        raise DatasetError(f"unknown dataset format {fmt!r} (presidio or jsonl)")
    return records[:limit] if limit is not None else records
