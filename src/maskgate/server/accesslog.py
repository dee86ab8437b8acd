"""uvicorn's access log without values: its request line would otherwise carry query strings
(`?metadata[owner]=jane@example.org`, `?session=...`) and session names in API paths
(`/api/v1/sessions/jane%40example.org`) at the default log level."""

from __future__ import annotations

import logging
import re

# A session named in a path, unless it is already a keyed id (`s_` + 32 hex digits).
_SESSION_SEGMENT = re.compile(r"(/sessions/)(?!s_[0-9a-f]{32}(?:/|$))[^/?]+")


def redact_target(target: str) -> str:
    """The request target as it may be logged: the path with session names replaced and the query
    string elided (its keys may be values too: `metadata[...]` filters)."""
    path, has_query, _ = target.partition("?")
    path = _SESSION_SEGMENT.sub(r"\1{name}", path)
    return path + ("?..." if has_query else "")


class AccessLogRedactor(logging.Filter):
    """Rewrites uvicorn.access records: `(client, method, target, http version, status)`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], redact_target(args[2]), args[3], args[4])
        return True


def install() -> None:
    """Once per process (the filter stays when uvicorn configures its loggers later)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLogRedactor) for f in access.filters):
        access.addFilter(AccessLogRedactor())
