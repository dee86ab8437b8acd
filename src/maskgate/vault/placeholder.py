"""Placeholder format: `<LABEL_N>`, numbered per label within a session."""

from __future__ import annotations

import re

PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*)_([1-9][0-9]{0,8})>")
# Longest prefix of a placeholder a stream may have to hold back (label + number + brackets).
MAX_PLACEHOLDER_LEN = 64
# Text that already looks like a placeholder is vaulted under this label, so it round-trips
# literally and can never be resolved into a value it did not come from.
LITERAL_LABEL = "LITERAL"


def make(label: str, n: int) -> str:
    return f"<{label}_{n}>"


def parse(token: str) -> tuple[str, int] | None:
    m = PLACEHOLDER_RE.fullmatch(token)
    return (m.group(1), int(m.group(2))) if m else None
