"""The personal data the e2e session plants in a file, and the checker that looks for it in every byte
the upstream received.

Each client is asked to read `customers.md` (FIELDS, one `Key: value` line each), then to write the
lines back to `contacts.txt` and run a shell command printing SHELL_FIELDS into `shell_out.txt`.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, unquote, unquote_plus

# File order is the order the scripted upstream writes them back in.
FIELDS: dict[str, str] = {
    "Name": "Margaret Thornton",
    "Email": "margaret.thornton@riverbend-mail.com",
    "Phone": "+1 415 555 0142",
    "IBAN": "DE89 3704 0044 0532 0130 00",
    "Card": "4111 1111 1111 1111",
    "SSN": "536-90-4412",
    "Address": "742 Evergreen Terrace, Springfield, IL 62704",
    "aws access key id": "AKIAIOSFODNN7EXAMPLE",
    "aws secret access key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "Emergency contact": "Наталья Смирнова",
}
PLANTED = tuple(FIELDS.values())
# Values printed by the shell command the upstream asks for (all of them: none holds a quote).
SHELL_FIELDS = ("Name", "Email", "Phone", "IBAN", "Emergency contact")
# The summary the upstream ends each session with names these two.
SUMMARY_FIELDS = ("Name", "Email")

# Planted values maskgate does not mask yet (none now: the AWS secret access key, which has no vendor
# prefix, is masked since the detection work of issue 11). Every other value is checked strictly, and
# a value listed here that no longer leaks fails the run (like a strict xfail).
KNOWN_LEAKS: frozenset[str] = frozenset()

PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*_[1-9][0-9]*>")
INPUT_FILE = "customers.md"
OUTPUT_FILE = "contacts.txt"
SHELL_FILE = "shell_out.txt"


def customers_file() -> str:
    lines = ["# Customer record (support ticket 88213)", ""]
    lines += [f"{key}: {value}" for key, value in FIELDS.items()]
    return "\n".join(lines) + "\n"


def record_lines(text: str) -> list[str]:
    """The `Key: value` lines of the record as some client reported them (Claude Code numbers lines
    `     1\\t...` or `1→...`; Codex wraps command output in a header)."""
    keys = "|".join(re.escape(k) for k in FIELDS)
    out = []
    for line in text.splitlines():
        m = re.match(rf"^\s*(?:\d+[\t→])?\s*((?:{keys}): .*?)\s*$", line)
        if m:
            out.append(m.group(1))
    return out


def _forms(value: str) -> set[str]:
    """The ways a value can be written in a request: as is, JSON-escaped (ASCII or not), escaped twice
    (JSON text inside a JSON string), URL-encoded, without separators (card and IBAN digits)."""
    forms = {value, quote(value), quote_plus(value), quote(value, safe="")}
    for ascii_only in (False, True):
        once = json.dumps(value, ensure_ascii=ascii_only)[1:-1]
        forms |= {once, json.dumps(once, ensure_ascii=ascii_only)[1:-1]}
    compact = re.sub(r"[\s./-]", "", value)
    if len(compact) >= 8 and compact != value:
        forms.add(compact)
    return {f for f in forms if f}


def _json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _strings(data: object) -> Iterator[str]:
    """Every string in a JSON value, keys included; strings that are JSON themselves are opened too."""
    if isinstance(data, str):
        yield data
        if data[:1] in "{[" and (inner := _json(data.encode())) is not None:
            yield from _strings(inner)
    elif isinstance(data, dict):
        for k, v in data.items():
            yield k
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


@dataclass
class Received:
    """One request as the upstream received it: raw header bytes, raw query and decoded body."""

    method: str
    path: str
    query: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: str) -> str:
        for k, v in self.headers:
            if k.decode("latin-1").lower() == name:
                return v.decode("latin-1")
        return ""

    def json(self) -> dict:
        return json.loads(self.decoded())

    def decoded(self) -> bytes:
        """The body without its content encoding (maskgate sends identity today; a change must not hide
        a leak from the checker)."""
        encoding = self.header("content-encoding").strip().lower()
        if encoding in ("", "identity"):
            return self.body
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(self.body)
        if encoding == "deflate":
            return zlib.decompress(self.body)
        raise AssertionError(f"request body in {encoding!r}: the leak checker cannot read it")

    def texts(self) -> Iterator[str]:
        """Every view of the bytes a leak could hide in."""
        yield self.path
        for q in (self.query.decode("latin-1"),):
            yield q
            yield unquote(q)
            yield unquote_plus(q)
        for k, v in self.headers:
            yield k.decode("latin-1") + ": " + v.decode("utf-8", "replace")
        body = self.decoded()
        yield body.decode("utf-8", "replace")
        yield body.decode("latin-1")
        yield from _strings(_json(body))
        for m in re.finditer(rb"[A-Za-z0-9+/=_-]{24,}", body):  # base64 data (documents, images)
            raw = m.group(0)
            try:
                decoded = base64.b64decode(raw + b"==", altchars=b"-_" if b"-" in raw else None)
            except ValueError:
                continue
            yield decoded.decode("utf-8", "replace")


def leaks(requests: Iterable[Received], values: Iterable[str] = PLANTED) -> dict[str, list[str]]:
    """value -> where it was found ("POST /v1/messages"), over every request given."""
    found: dict[str, list[str]] = {}
    forms = {v: _forms(v) for v in values}
    for rec in requests:
        texts = list(rec.texts())
        for value, variants in forms.items():
            if any(f in t for t in texts for f in variants):
                found.setdefault(value, []).append(f"{rec.method} {rec.path}")
    return found


def assert_no_leaks(requests: list[Received], known_must_leak: bool = True) -> None:
    """No planted value reached the upstream, except the KNOWN_LEAKS, which must still leak in a full
    session (so the set is emptied when detection is fixed, like a strict xfail)."""
    assert requests, "no request reached the upstream"
    found = leaks(requests)
    unexpected = {v: where for v, where in found.items() if v not in KNOWN_LEAKS}
    assert not unexpected, f"planted values reached the upstream: {unexpected}"
    fixed = KNOWN_LEAKS - set(found)
    assert not (fixed and known_must_leak), (
        f"KNOWN_LEAKS no longer leak (remove them from planted.KNOWN_LEAKS): {sorted(fixed)}"
    )


def assert_real_values(text: str, fields: Iterable[str], where: str) -> None:
    assert not PLACEHOLDER.search(text), f"placeholder left in {where}: {PLACEHOLDER.findall(text)}"
    for key in fields:
        assert FIELDS[key] in text, f"{key} missing from {where}"


def own_prompt_spans(rec: Received, note: str) -> dict[str, int]:
    """Placeholders in a client's first request, which carries no planted value: every one is a span of
    the client's own system prompt, tool definitions or environment block masked for nothing.
    `note` (maskgate's system note) is left out. Counted per part of the request."""
    body = rec.json()
    counts: dict[str, int] = {}
    for part in ("system", "instructions", "tools", "messages", "input"):
        if part in body:
            text = json.dumps(body[part], ensure_ascii=False).replace(json.dumps(note)[1:-1], "")
            counts[part] = len(PLACEHOLDER.findall(text))
    rest = {k: v for k, v in body.items() if k not in counts}
    counts["other"] = len(PLACEHOLDER.findall(json.dumps(rest, ensure_ascii=False)))
    return counts
