"""NER only where it can matter (issue 17 item 3): a text whose every word is an ordinary English
word that is no known given name or surname (or a word of code and logs, CODE_WORDS), with nothing
outside ASCII, gets no model pass. Code, logs, JSON numbers, base64 and hashes are most of an agent's traffic; the model
costs ~125 µs per token there for nothing.

Conservative by construction: one word that could be a name (in the names gazetteer), that is not
in the vocabulary (an acronym, `McDonald`, `valsartan`: the model labels lower-case words too), or
that is not ASCII sends the text to the model. `benchmarks/bench_detect.py` and tests/detect/test_ner_gate.py check that the spans with and
without the gate are identical on every dataset.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Protocol

from maskgate.detect.spans import Span

VERSION = 1
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’][^\W\d_]+)?")
_vocab: frozenset[str] | None = None
# Words of code, logs and English grammar that the names gazetteer also lists (or that are no English
# word), in nearly every tool result: None, File, List, TODO, JSON, the, of, ...
CODE_WORDS = frozenset(
    [
        "none",
        "null",
        "nil",
        "true",
        "false",
        "file",
        "files",
        "list",
        "lists",
        "class",
        "classes",
        "data",
        "hello",
        "todo",
        "fixme",
        "xxx",
        "json",
        "yaml",
        "toml",
        "xml",
        "html",
        "css",
        "http",
        "https",
        "url",
        "uri",
        "api",
        "id",
        "ids",
        "uuid",
        "utf",
        "ascii",
        "sql",
        "db",
        "cli",
        "gui",
        "io",
        "os",
        "ok",
        "args",
        "kwargs",
        "str",
        "int",
        "bool",
        "dict",
        "tuple",
        "bytes",
        "float",
        "async",
        "await",
        "def",
        "enum",
        "struct",
        "impl",
        "fn",
        "var",
        "const",
        "stdout",
        "stderr",
        "stdin",
        "eof",
        "pid",
        "tcp",
        "udp",
        "ip",
        "dns",
        "ssh",
        "tls",
        "ssl",
        "cpu",
        "gpu",
        "ram",
        "env",
        "config",
        "src",
        "dir",
        "tmp",
        "info",
        "debug",
        "warn",
        "warning",
        "error",
        "errors",
        "fatal",
        "trace",
        "exception",
        "exceptions",
        "get",
        "post",
        "put",
        "patch",
        "head",
        "delete",
        "options",
        "the",
        "a",
        "an",
        "and",
        "or",
        "not",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "if",
        "else",
        "then",
        "than",
        "but",
        "so",
        "no",
        "yes",
        "do",
        "does",
        "did",
        "can",
        "may",
        "will",
        "would",
        "should",
        "field",
        "fields",
        "value",
        "values",
        "key",
        "keys",
        "name",
        "names",
        "type",
        "types",
        "path",
        "paths",
        "line",
        "lines",
        "x",
        "y",
        "z",
    ]
)
_lock = threading.Lock()
enabled = True  # benchmarks and tests switch it off to compare


class _Backend(Protocol):
    name: str

    def predict(self, texts: Sequence[str]) -> list[list[Span]]: ...


def vocabulary() -> frozenset[str]:
    """Lower-case English words that are no given name or surname (built once per process)."""
    global _vocab
    with _lock:
        if _vocab is None:
            from maskgate.detect.names import english_words, gazetteer

            names = gazetteer()
            _vocab = frozenset(w for w in english_words() if w not in names) | CODE_WORDS
        return _vocab


def needs_model(text: str) -> bool:
    """Whether the model could find an entity in `text`: some word that is not lower-case ordinary
    vocabulary (see the module docstring)."""
    vocab = vocabulary()
    for m in _WORD.finditer(text):
        w = m.group(0)
        # The model labels lower-case words too (`valsartan`, `max`, shell commands): every word,
        # whatever its case, must be ordinary vocabulary. Non-ASCII words always go to the model.
        if not w.isascii() or w.lower() not in vocab:
            return True
    return False


def gated_predict(backend: _Backend, texts: Sequence[str]) -> list[list[Span]]:
    """`backend.predict` on the texts that need the model; no spans for the others."""
    if not enabled or getattr(backend, "name", "") != "spacy":  # identity is checked for spaCy only
        return backend.predict(texts)
    todo = [i for i, t in enumerate(texts) if needs_model(t)]
    out: list[list[Span]] = [[] for _ in texts]
    if todo:
        for i, spans in zip(todo, backend.predict([texts[i] for i in todo]), strict=True):
            out[i] = spans
    return out
