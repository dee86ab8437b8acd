"""StreamUnmasker: unmask text that arrives in pieces (a streamed answer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from maskgate.vault.placeholder import MAX_PLACEHOLDER_LEN

if TYPE_CHECKING:
    from maskgate.masking.masker import Masker


class StreamUnmasker:
    """Unmasks text that arrives in pieces, holding back only a possible partial placeholder.

    `feed` returns what can be emitted now; `flush` returns the rest at the end of a block.
    Each call costs O(len(chunk) + MAX_PLACEHOLDER_LEN), whatever came before.
    """

    def __init__(self, masker: Masker, session: str, escape: Callable[[str], str] | None = None) -> None:
        self.masker = masker
        self.session = session
        self.escape = escape
        self._held = ""

    def feed(self, chunk: str) -> str:
        buf = self._held + chunk
        cut = _partial_start(buf)
        self._held = buf[cut:]
        return self.masker.unmask(buf[:cut], self.session, self.escape) if cut else ""

    def flush(self) -> str:
        rest, self._held = self._held, ""
        return self.masker.unmask(rest, self.session, self.escape) if rest else ""

    @property
    def pending(self) -> str:
        return self._held


def _partial_start(buf: str) -> int:
    """Index where a trailing, possibly unfinished placeholder starts (len(buf) if none)."""
    lt = buf.rfind("<", max(0, len(buf) - MAX_PLACEHOLDER_LEN))
    if lt == -1:
        return len(buf)
    tail = buf[lt + 1 :]
    if all(c.isascii() and (c.isupper() or c.isdigit() or c == "_") for c in tail) and (
        not tail or tail[0].isupper()
    ):
        return lt
    return len(buf)
