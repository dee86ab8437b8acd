"""Per-session known values (issue 11 item 9): once a value is masked in a session, every later
occurrence of it in newly analysed text of that session is masked too, even where the detectors
would not find it again (a secret repeated without its cue, a surname in a code comment).

Values are held in a dict per session, indexed by their first MIN_LEN characters: a scan is one pass
over the new text's possible starts of a whole word (found by one regex, in C), each looked up by
its prefix, so its cost depends on the text, not on how many values the session has, and adding a
value costs a dict insert (a rebuilt automaton cost O(values) per request, issue 17). What this
process assigned is added as it goes; the vault's entries for a session are read once per process.
At most MAX_SESSIONS sessions and MAX_VALUES values are kept: past that the least recently used
session is dropped, and if it comes back it starts from what it is assigned next, without reading the
vault again (reading it back is O(values) and, with more values in use than the bound, would be paid
on every request: the cost this module exists to avoid). So beyond the bound the oldest sessions'
values are no longer masked where no detector finds them; their placeholders still resolve.
Case-sensitive, whole words only, values of at least MIN_LEN characters. Re-sent history is not
rescanned: it comes from the masking memo with its bytes unchanged.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from maskgate.detect.spans import Span
from maskgate.vault.placeholder import LITERAL_LABEL

if TYPE_CHECKING:
    from maskgate.vault.base import Store

MIN_LEN = 3
SOURCE = "known"
SCORE = 1.0
MAX_SESSIONS = 1024  # sessions kept in memory (least recently used go; read again from the vault)
MAX_VALUES = 250_000  # values kept over all sessions (~120 bytes each); same eviction
MAX_DROPPED = 100_000  # names of dropped sessions remembered (not read from the vault again)
_UNSAFE = set('"\\\n\r<>')  # a value with these would cross a JSON view's cuts or a placeholder


@functools.lru_cache(maxsize=256)
def _starts(leads: frozenset[str]) -> re.Pattern[str]:
    """Where a value may start: a letter or digit that no word character precedes (`\\w` is exactly
    `isalnum()` plus `_`: where a value that starts with one is a whole word), or one of `leads`, the first characters of
    values that start with anything else (`+1 415...`, `(555)...`), which may start anywhere."""
    extra = "|[" + "".join(re.escape(c) for c in sorted(leads)) + "]" if leads else ""
    return re.compile(r"(?<!\w)[^\W_]" + extra)


class _Session:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}  # value -> label
        # first MIN_LEN characters -> the lengths of the values starting so, ascending; replaced,
        # never changed in place, so a concurrent scan sees the old or the new tuple
        self.lengths: dict[str, tuple[int, ...]] = {}
        self.leads: frozenset[str] = frozenset()
        self.loaded = False


class KnownValues:
    """The known values of every session this process masks for."""

    def __init__(self, store: Store, max_values: int = MAX_VALUES) -> None:
        self.store = store
        self.max_values = max_values
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._lock = threading.Lock()
        self._count = 0  # values over all sessions kept
        self._dropped: OrderedDict[str, None] = OrderedDict()  # evicted: not read from the vault again

    def _session(self, session: str) -> _Session:
        with self._lock:
            s = self._sessions.get(session)
            if s is None:
                s = self._sessions[session] = _Session()
                if self._dropped.pop(session, 0) is None:
                    s.loaded = True
            self._sessions.move_to_end(session)
            self._evict()
        if not s.loaded:
            s.loaded = True
            try:
                entries = self.store.entries(self.store.session_id(session))
            except Exception:  # a store without the session (or without entries): nothing known yet
                entries = []
            self._counted(session, s, self._add(s, ((e.label, e.value) for e in entries)))
        return s

    def _evict(self) -> None:
        """Least recently used sessions go (never the one just used) until both bounds hold."""
        while len(self._sessions) > 1 and (
            len(self._sessions) > MAX_SESSIONS or self._count > self.max_values
        ):
            name, old = self._sessions.popitem(last=False)
            self._count -= len(old.values)
            self._dropped[name] = None
            if len(self._dropped) > MAX_DROPPED:
                self._dropped.popitem(last=False)

    def _counted(self, session: str, s: _Session, added: int) -> None:
        """`added` values more in `s`: counted while it is kept, and the bounds enforced."""
        if added:
            with self._lock:
                if self._sessions.get(session) is s:
                    self._count += added
                    self._evict()

    @staticmethod
    def _add(s: _Session, items: Iterable[tuple[str, str]]) -> int:
        """Add the (label, value) pairs that qualify; returns how many were new."""
        added = 0
        for label, value in items:
            if (
                label != LITERAL_LABEL
                and len(value) >= MIN_LEN
                and value not in s.values
                and not _UNSAFE.intersection(value)
                and value.strip() == value
            ):
                s.values[value] = label
                prefix = value[:MIN_LEN]
                old = s.lengths.get(prefix, ())
                if len(value) not in old:
                    s.lengths[prefix] = tuple(sorted((*old, len(value))))
                if not value[0].isalnum() and value[0] not in s.leads:
                    s.leads = s.leads | {value[0]}
                added += 1
        return added

    @property
    def values_kept(self) -> int:
        """Values held over all sessions (at most `max_values`, or one session's own if bigger)."""
        return self._count

    def drop(self, session: str) -> None:
        """Forget the session's values (it expired or was deleted: it starts over)."""
        with self._lock:
            old = self._sessions.pop(session, None)
            if old is not None:
                self._count -= len(old.values)

    def clear(self) -> None:
        """Forget every session's values (after a value was erased or a session deleted)."""
        with self._lock:
            self._sessions.clear()
            self._dropped.clear()  # what the vault holds now is the truth again
            self._count = 0

    def add(self, session: str, items: Sequence[tuple[str, str]]) -> None:
        """(label, value) pairs the session now has placeholders for."""
        s = self._session(session)
        self._counted(session, s, self._add(s, items))

    def find(self, session: str, text: str) -> list[Span]:
        """Whole-word occurrences of the session's known values in `text`, longest first where they
        overlap."""
        s = self._session(session)
        if not s.values:
            return []
        values, lengths, size = s.values, s.lengths, len(text)
        found = []
        for m in _starts(s.leads).finditer(text):
            start = m.start()
            for n in lengths.get(text[start : start + MIN_LEN], ()):
                end = start + n
                if end > size:
                    break
                label = values.get(text[start:end])
                if label is not None and _word_end(text, end):
                    found.append(Span(start, end, label, SCORE, SOURCE))
        found.sort(key=lambda sp: (sp.start, -(sp.end - sp.start)))
        out: list[Span] = []
        for sp in found:
            if not out or sp.start >= out[-1].end:
                out.append(sp)
        return out


def _word_end(text: str, end: int) -> bool:
    """No letter, digit or `_` continues the value (when it ends with a letter or digit); the start
    was checked by `_starts`."""
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
