"""A regex alternation of plain words written as a trie: `(?:an|and|any)` becomes `an(?:d|y)?`.

Python's `re` tries every branch of an alternation at every position it reaches, and with
IGNORECASE it cannot skip a branch by its first letter: a hundred stop words after each word start
cost a hundred tries. The trie tries one branch per letter. It matches the same strings; which one
it prefers can differ (it is meant for lookarounds, `(?!words\\b)`, where only existence counts)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A non-capturing pattern matching exactly the given words (each escaped)."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return f"(?:{_emit(tree)})"


def _emit(node: dict) -> str:  # type: ignore[type-arg]
    branches = [re.escape(ch) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body
