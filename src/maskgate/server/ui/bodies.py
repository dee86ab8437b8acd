"""The last request bodies maskgate sent upstream, MASKED, for the admin UI's Traffic page.

Only bodies whose masking ran and succeeded are kept (never a body forwarded unmasked: providers
with `mask: false`, the `x-maskgate-mask: off` header, `fail_open` after a detection failure).
Bounded: the last `size` bodies, each cut at `limit` bytes, in memory only (gone on restart).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

RING_SIZE = 200
BODY_LIMIT = 64 * 1024


class BodyRing:
    def __init__(self, size: int = RING_SIZE, limit: int = BODY_LIMIT) -> None:
        self.size, self.limit = size, limit
        self._bodies: OrderedDict[str, tuple[bytes, int]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, body: bytes) -> str:
        """Keep `body`; returns the id the audit record names it by (random, says nothing)."""
        rid = secrets.token_hex(8)
        with self._lock:
            self._bodies[rid] = (body[: self.limit], len(body))
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)
        return rid

    def get(self, rid: str) -> tuple[bytes, int] | None:
        """(the body, cut at the limit; its full length), or None once it left the ring."""
        with self._lock:
            return self._bodies.get(rid)
