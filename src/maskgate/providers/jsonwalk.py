"""Collect the string leaves of a JSON body to mask them in one batch, then write them back."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import orjson

# Free text in tool definitions and JSON schemas; names, types and patterns are the API's.
DESCRIPTIONS = frozenset({"description"})
# Fields of a tool definition that pass as they are, but for descriptions in them: names, types,
# schemas and grammars (what the tool accepts), the servers the provider calls and their credentials,
# search settings (`user_location`: the search needs it; `filters` match raw stored attributes).
TOOL_KEEP = frozenset(
    {
        "name", "type", "cache_control", "strict", "input_schema", "parameters", "format", "schema",
        "output_schema", "grammar", "defer_loading", "allowed_callers", "user_location", "filters",
        "allowed_domains", "blocked_domains", "server_label", "server_url", "url", "connector_id",
        "authorization", "authorization_token", "headers", "allowed_tools", "require_approval",
        "vector_store_ids", "ranking_options", "max_num_results", "search_context_size", "container",
        "environment", "display_width", "display_height", "display_width_px", "display_height_px",
        "display_number", "max_uses", "max_characters", "max_content_tokens", "citations",
    }
)  # fmt: skip
# Deny by default: in a request body every string is masked unless an API rule claims its place or its
# key is one of these, at any depth: identifiers, enums, signatures and opaque provider data, which
# carry no personal data and which a false positive would break. Per-API lists add their own keys.
ALLOWED = frozenset(
    {
        "type", "id", "role", "status", "index", "signature", "encrypted_content", "encrypted_index",
        "cache_control", "media_type", "mime_type", "detail", "tool_use_id", "tool_call_id", "call_id",
        "item_id", "file_id", "object", "model",
    }
)  # fmt: skip
# Binary data passes wherever it is: a data URL, or a long run of base64 (too long to be a value).
_BINARY = re.compile(r"data:[\w.+/-]+;base64,[A-Za-z0-9+/=\s]*|[A-Za-z0-9+/]{256,}={0,2}")


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def dumps(obj: Any) -> bytes:
    try:
        return orjson.dumps(obj)
    except TypeError:  # integers beyond 64 bits
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def json_escape(value: str) -> str:
    """A value as it must appear inside a JSON string literal (quotes and backslashes escaped)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


class Leaves:
    """References to the text leaves of one request: `texts()` to mask, `write()` to put back."""

    def __init__(self) -> None:
        self._refs: list[tuple[Any, Any]] = []
        self._keys: list[tuple[dict[str, Any], str]] = []  # object keys to mask (in tool data)
        self._after: list[Callable[[], None]] = []
        # What the API rules handled (masked or deliberately kept), so `sweep` leaves it alone: the
        # keys claimed in each container (by id) and whole subtrees (ids). `_pinned` keeps those ids
        # from being reused by another object while this walk lasts.
        self._claimed: dict[int, set[Any]] = {}
        self._done: set[int] = set()
        self._pinned: list[Any] = []

    def _claim(self, container: Any, key: Any) -> None:
        keys = self._claimed.get(id(container))
        if keys is None:
            keys = self._claimed[id(container)] = set()
            self._pinned.append(container)
        keys.add(key)

    def keep(self, container: Any, *keys: Any) -> None:
        """Places known to carry no personal data (tool names, URLs the provider fetches): passed as
        they are, whatever they hold."""
        for key in keys:
            self._claim(container, key)

    def keep_all(self, obj: Any) -> None:
        """A subtree passed as it is (signed blocks, encrypted items, settings objects)."""
        if isinstance(obj, (dict, list)):
            self._done.add(id(obj))
            self._pinned.append(obj)

    def sweep(self, root: Any) -> None:
        """Deny by default: every string below `root` that no rule claimed and no `ALLOWED` key holds
        is masked, with the name of the field that holds it (fields the walker does not know, in known
        and unknown objects, at any depth). Numbers, booleans, null and binary data pass."""
        done, claimed, refs, names = self._done, self._claimed, self._refs, self._keys
        binary = _BINARY.fullmatch
        nothing: set[Any] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            nid = id(node)
            if nid in done:
                continue
            mine = claimed.get(nid, nothing)
            if isinstance(node, dict):
                for k, v in node.items():
                    if k in ALLOWED or k in mine:
                        continue
                    if isinstance(v, (dict, list)):
                        stack.append(v)
                        continue
                    if isinstance(v, str) and v and not binary(v):
                        refs.append((node, k))
                    if isinstance(k, str) and k:  # the name of a field no rule knows, holding a value
                        names.append((node, k))
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    if i in mine:
                        continue
                    if isinstance(v, (dict, list)):
                        stack.append(v)
                    elif isinstance(v, str) and v and not binary(v):
                        refs.append((node, i))

    def text(self, container: Any, key: Any) -> None:
        self._claim(container, key)
        value = container.get(key) if isinstance(container, dict) else container[key]
        if isinstance(value, str):
            if value:
                self._refs.append((container, key))
        elif value is not None:  # an object where text belongs: the upstream's to reject, masked first
            self.walk(value, opaque=())

    def walk(self, obj: Any, opaque: Iterable[str] = ALLOWED) -> None:
        """Every string value below `obj`, except under opaque keys. With `opaque=()` (tool inputs
        and arguments: data, not API structure) object keys are masked too."""
        self.keep_all(obj)
        skip = frozenset(opaque)
        with_keys = not skip
        stack = [obj]
        while stack:
            node = stack.pop()
            items: Iterable[tuple[Any, Any]]
            if isinstance(node, dict):
                if with_keys:
                    self._keys.extend((node, k) for k in node if isinstance(k, str) and k)
                items = ((k, v) for k, v in node.items() if k not in skip)
            elif isinstance(node, list):
                items = enumerate(node)
            else:
                continue
            for k, v in items:
                if isinstance(v, str):
                    if v and not _BINARY.fullmatch(v):
                        self._refs.append((node, k))
                else:
                    stack.append(v)

    def under(self, obj: Any, keys: frozenset[str]) -> None:
        """The string values of `keys` at any depth below `obj`: the free text of a JSON schema or a
        tool definition (descriptions), leaving its structure (types, names, patterns) as it is."""
        self.keep_all(obj)
        stack = [obj]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for k, v in node.items():
                    if k in keys and isinstance(v, str):
                        self.text(node, k)
                    else:
                        stack.append(v)
            elif isinstance(node, list):
                stack.extend(node)

    def schema(self, container: dict[str, Any], key: str) -> None:
        """A JSON schema or a settings object holding one (`response_format`): passed as it is but for
        its descriptions."""
        self._claim(container, key)
        value = container.get(key)
        if isinstance(value, str):
            self.text(container, key)
        else:
            self.under(value, DESCRIPTIONS)

    def tool_definitions(self, container: dict[str, Any], key: str) -> None:
        """Tool definitions: descriptions and example inputs are masked; names, schemas and settings
        (`TOOL_KEEP`) pass but for descriptions in them; any other field is left to `sweep`."""
        self._claim(container, key)
        for tool in self.objects(container, key):
            self._tool(tool)

    def _tool(self, tool: dict[str, Any]) -> None:
        self.keep_all(tool)
        for k, v in tool.items():
            if k in ("description", "server_description"):
                self.text(tool, k)
            elif k in ("function", "custom") and isinstance(v, dict):  # chat's wrapper objects
                self._claim(tool, k)
                self._tool(v)
            elif k == "input_examples":  # example inputs: data, like tool_use inputs
                self.everything(tool, k)
            elif k in TOOL_KEEP:
                self._claim(tool, k)
                self.under(v, DESCRIPTIONS)
            elif isinstance(v, str):  # a field the walker does not know: masked
                self.text(tool, k)
                self._keys.append((tool, k))
            elif isinstance(v, (dict, list)):
                self.walk(v)

    def bare_name(self, container: dict[str, Any], key: str) -> None:
        """A name that may not hold `<` or `>` (OpenAI participant names): masked, and a placeholder
        put in it loses its brackets (`<EMAIL_1>` -> `EMAIL_1`) so the request stays valid."""
        before = container.get(key)
        self.text(container, key)
        if not isinstance(before, str):
            return

        def put_back() -> None:
            if container[key] != before:
                container[key] = container[key].replace("<", "").replace(">", "")

        self._after.append(put_back)

    def filename(self, container: dict[str, Any], key: str) -> None:
        """A file name: its stem is masked, its extension kept (the upstream reads the type from it)."""
        self._claim(container, key)
        name = container.get(key)
        if not isinstance(name, str):
            self.text(container, key)
            return
        stem, dot, ext = name.rpartition(".")
        if not dot or not stem or not ext.isalnum() or len(ext) > 8:
            self.text(container, key)
            return
        holder = [stem]
        self.text(holder, 0)
        self._after.append(lambda: container.__setitem__(key, f"{holder[0]}.{ext}"))

    def within(self, container: dict[str, Any], key: str) -> dict[str, Any] | None:
        """The object at `key`, to walk by its known fields; anything else there is masked whole."""
        value = container.get(key)
        if isinstance(value, dict):
            return value
        if value is not None:
            self.everything(container, key)
        return None

    def objects(self, container: dict[str, Any], key: str) -> list[dict[str, Any]]:
        """The objects of the list at `key`; anything else there is masked whole."""
        value = container.get(key)
        if not isinstance(value, list):
            if value is not None:
                self.everything(container, key)
            return []
        for i, v in enumerate(value):
            if not isinstance(v, dict):
                self.everything(value, i)
        return [v for v in value if isinstance(v, dict)]

    def everything(self, container: Any, key: Any) -> None:
        """A value of unexpected shape: every string in it, keys included, so nothing slips through."""
        self._claim(container, key)
        if isinstance(container[key], str):
            self.text(container, key)
        else:
            self.walk(container[key], opaque=())

    def json_string(self, container: Any, key: Any) -> None:
        """A string holding JSON (tool-call arguments): mask its string leaves, re-serialise only if
        something changed, so arguments without PII keep their exact bytes."""
        self._claim(container, key)
        raw = container.get(key) if isinstance(container, dict) else container[key]
        if not isinstance(raw, str):  # an object where JSON text belongs: never forwarded unmasked
            if raw is not None:
                self.everything(container, key)
            return
        if not raw:
            return
        try:
            holder = [json.loads(raw)]
        except ValueError:
            self.text(container, key)  # not JSON: mask it as plain text
            return
        before = dumps(holder[0])
        self.walk(holder, opaque=())

        def put_back() -> None:
            if dumps(holder[0]) != before:
                container[key] = json.dumps(holder[0], ensure_ascii=False)

        self._after.append(put_back)

    def texts(self) -> list[str]:
        return [c[k] for c, k in self._refs] + [k for _, k in self._keys]

    def write(self, values: list[str]) -> None:
        n = len(self._refs)
        for (c, k), v in zip(self._refs, values[:n], strict=True):
            c[k] = v
        renames: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}
        for (d, k), v in zip(self._keys, values[n:], strict=True):
            if v != k:
                renames.setdefault(id(d), (d, {}))[1][k] = v
        for d, names in renames.values():
            rename_keys(d, names.get)
        for f in self._after:
            f()

    def __len__(self) -> int:
        return len(self._refs) + len(self._keys)


def rename_keys(d: dict[str, Any], fn: Callable[[str], str | None]) -> None:
    """Rename keys in place, keeping their order."""
    items = list(d.items())
    d.clear()
    for k, v in items:
        d[fn(k) or k] = v


def map_strings(obj: Any, fn: Callable[[str], str], opaque: Iterable[str] = (), keys: bool = False) -> Any:
    """Apply `fn` to every string value below `obj` in place (and to object keys with `keys`)."""
    skip = frozenset(opaque)
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if keys and any(isinstance(k, str) and "<" in k for k in node):
                rename_keys(node, lambda k: fn(k) if isinstance(k, str) else k)
            for k, v in node.items():
                if k in skip:
                    continue
                if isinstance(v, str):
                    node[k] = fn(v)
                else:
                    stack.append(v)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if isinstance(v, str):
                    node[i] = fn(v)
                else:
                    stack.append(v)
    return obj


def has_strings(obj: Any) -> bool:
    """Whether a parsed JSON value carries any non-empty string value (text that could hold PII)."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
