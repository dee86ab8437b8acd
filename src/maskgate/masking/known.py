"""Per-session known values (issue 11 item 9): once a value is masked in a session, every later
occurrence of it in newly analysed text of that session is masked too, even where the detectors
would not find it again (a secret repeated without its cue, a surname in a code comment).

One Aho-Corasick automaton per session over the values the session already has (what this process
assigned, plus the vault's entries for the session, read once per process): a scan is one pass over
the new text. Case-sensitive, whole words only, values of at least MIN_LEN characters. Re-sent history
is not rescanned: it comes from the masking memo with its bytes unchanged.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import ahocorasick

from maskgate.detect.spans import Span
from maskgate.vault.placeholder import LITERAL_LABEL

if TYPE_CHECKING:
    from maskgate.vault.base import Store

MIN_LEN = 3
SOURCE = "known"
SCORE = 1.0
MAX_SESSIONS = 1024  # automata kept in memory (least recently used go; rebuilt from the vault)
_UNSAFE = set('"\\\n\r<>')  # a value with these would cross a JSON view's cuts or a placeholder


class _Session:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}  # value -> label
        self.automaton: Any = None  # rebuilt lazily after values were added
        self.loaded = False


class KnownValues:
    """The known values of every session this process masks for."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._lock = threading.Lock()

    def _session(self, session: str) -> _Session:
        with self._lock:
            s = self._sessions.get(session)
            if s is None:
                s = self._sessions[session] = _Session()
                while len(self._sessions) > MAX_SESSIONS:
                    self._sessions.popitem(last=False)
            self._sessions.move_to_end(session)
        if not s.loaded:
            s.loaded = True
            try:
                entries = self.store.entries(self.store.session_id(session))
            except Exception:  # a store without the session (or without entries): nothing known yet
                entries = []
            self._add(s, ((e.label, e.value) for e in entries))
        return s

    @staticmethod
    def _add(s: _Session, items: Iterable[tuple[str, str]]) -> None:
        for label, value in items:
            if (
                label != LITERAL_LABEL
                and len(value) >= MIN_LEN
                and value not in s.values
                and not _UNSAFE.intersection(value)
                and value.strip() == value
            ):
                s.values[value] = label
                s.automaton = None

    def drop(self, session: str) -> None:
        """Forget the session's values (it expired or was deleted: it starts over)."""
        with self._lock:
            self._sessions.pop(session, None)

    def clear(self) -> None:
        """Forget every session's values (after a value was erased or a session deleted)."""
        with self._lock:
            self._sessions.clear()

    def add(self, session: str, items: Sequence[tuple[str, str]]) -> None:
        """(label, value) pairs the session now has placeholders for."""
        self._add(self._session(session), items)

    def find(self, session: str, text: str) -> list[Span]:
        """Whole-word occurrences of the session's known values in `text`, longest first where they
        overlap."""
        s = self._session(session)
        if not s.values:
            return []
        auto = s.automaton
        if auto is None:
            auto = ahocorasick.Automaton()
            for value, label in s.values.items():
                auto.add_word(value, (len(value), label))
            auto.make_automaton()
            s.automaton = auto
        found = []
        for end_idx, (n, label) in auto.iter(text):
            start, end = end_idx - n + 1, end_idx + 1
            if _word_edge(text, start, end):
                found.append(Span(start, end, label, SCORE, SOURCE))
        found.sort(key=lambda sp: (sp.start, -(sp.end - sp.start)))
        out: list[Span] = []
        for sp in found:
            if not out or sp.start >= out[-1].end:
                out.append(sp)
        return out


def _word_edge(text: str, start: int, end: int) -> bool:
    """No letter or digit continues the value on either side (when it starts/ends with one)."""
    if text[start].isalnum() and start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return False
    return not (text[end - 1].isalnum() and end < len(text) and (text[end].isalnum() or text[end] == "_"))


def with_known(spans: list[Span], known: list[Span]) -> list[Span]:
    """The detected spans (sorted, not overlapping: resolved) plus the known-value spans (sorted)
    that overlap none of them; one merge pass."""
    if not known:
        return spans
    extra: list[Span] = []
    j = 0
    for k in known:
        while j < len(spans) and spans[j].end <= k.start:
            j += 1
        if j < len(spans) and spans[j].start < k.end:
            continue
        extra.append(k)
    return sorted(spans + extra) if extra else spans
