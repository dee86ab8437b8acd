"""Collect the string leaves of a JSON body to mask them in one batch, then write them back."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import orjson

# Keys whose values are identifiers, signatures or binary data, never free text.
OPAQUE_KEYS = frozenset(
    {
        "type", "id", "tool_use_id", "call_id", "item_id", "name", "signature", "encrypted_content",
        "encrypted_index", "media_type", "mime_type", "cache_control", "url", "image_url", "file_id",
        "file_data", "detail", "role", "status", "index", "format",
    }
)  # fmt: skip
# Free text in tool definitions and JSON schemas; names, types and patterns are the API's.
DESCRIPTIONS = frozenset({"description"})


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

    def text(self, container: Any, key: Any) -> None:
        value = container.get(key) if isinstance(container, dict) else container[key]
        if isinstance(value, str):
            if value:
                self._refs.append((container, key))
        elif value is not None:  # an object where text belongs: the upstream's to reject, masked first
            self.walk(value, opaque=())

    def walk(self, obj: Any, opaque: Iterable[str] = OPAQUE_KEYS) -> None:
        """Every string value below `obj`, except under opaque keys. With `opaque=()` (tool inputs
        and arguments: data, not API structure) object keys are masked too."""
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
                    if v:
                        self._refs.append((node, k))
                else:
                    stack.append(v)

    def under(self, obj: Any, keys: frozenset[str]) -> None:
        """The string values of `keys` at any depth below `obj`: the free text of a JSON schema or a
        tool definition (descriptions), leaving its structure (types, names, patterns) as it is."""
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
        if isinstance(container[key], str):
            self.text(container, key)
        else:
            self.walk(container[key], opaque=())

    def json_string(self, container: Any, key: Any) -> None:
        """A string holding JSON (tool-call arguments): mask its string leaves, re-serialise only if
        something changed, so arguments without PII keep their exact bytes."""
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
