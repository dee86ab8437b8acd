"""Dictionary layer: operator deny-list terms always masked, allow-list terms never masked.

Both use one Aho-Corasick automaton each, so thousands of terms cost one pass over the text.
Matching is case-insensitive and whole-word.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import ahocorasick

from maskgate.detect.labels import check_label
from maskgate.detect.pipeline import AllowFinder
from maskgate.detect.resolve import DENY_SOURCE
from maskgate.detect.spans import Span

# Names an assistant talks about all day; masking them would only confuse the model.
DEFAULT_ALLOW: tuple[str, ...] = (
    "Claude", "Claude Code", "Anthropic", "OpenAI", "ChatGPT", "GPT", "GPT-4", "GPT-4o", "GPT-5",
    "Codex", "Gemini", "Google", "Microsoft", "Azure", "AWS", "Amazon", "GitHub", "GitLab",
    "Bitbucket", "Slack", "Stripe", "Docker", "Kubernetes", "Linux", "Ubuntu", "Debian", "macOS",
    "Windows", "Python", "JavaScript", "TypeScript", "Rust", "Go", "Java", "Node", "Node.js", "React",
    "Vue", "Django", "Flask", "FastAPI", "Starlette", "PostgreSQL", "Postgres", "MySQL", "SQLite",
    "Redis", "MongoDB", "Kafka", "Terraform", "Ansible", "Jenkins", "Jira", "Confluence", "Notion",
    "VS Code", "Visual Studio", "IntelliJ", "Vim", "Emacs", "npm", "pip", "PyPI", "Hugging Face",
    "Llama", "Mistral", "Ollama", "LangChain", "Presidio", "spaCy", "PyTorch", "TensorFlow",
    "NumPy", "Pandas", "Chrome", "Firefox", "Safari", "Apple", "Meta", "Bash", "Markdown", "JSON",
    "YAML", "TOML", "HTTP", "HTTPS", "REST", "GraphQL", "SQL", "API", "CLI", "SDK", "UUID",
    "Cloudflare", "Vercel", "Netlify", "Heroku", "Sentry", "Datadog", "Grafana", "Prometheus",
    "maskgate",
)  # fmt: skip


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters (e.g. "İ") lower-case to two; keep offsets exact by leaving those alone.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


class _Terms:
    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.items: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        for term, label in terms:
            key = _lower_same_length(term.strip())
            if not key or key in seen:
                continue
            seen[key] = len(self.items)
            self.items.append((key, label))
            self.automaton.add_word(key, (len(key), label))
        self.empty = not self.items
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        if self.empty:
            return []
        low = _lower_same_length(text)
        out: list[tuple[int, int, str]] = []
        n = len(text)
        for end_idx, (length, label) in self.automaton.iter(low):
            start, end = end_idx - length + 1, end_idx + 1
            if start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
                continue
            if end < n and _is_word(text[end]) and _is_word(text[end - 1]):
                continue
            out.append((start, end, label))
        return out

    def fingerprint(self) -> str:
        return hashlib.sha256(repr(sorted(self.items)).encode()).hexdigest()[:16]


class DenyLayer:
    """Operator deny-list: every whole-word occurrence is masked, whatever other layers say."""

    name = DENY_SOURCE

    def __init__(self, terms: Mapping[str, Iterable[str]] | Iterable[str] = ()) -> None:
        pairs: list[tuple[str, str]] = []
        if isinstance(terms, Mapping):
            for label, words in terms.items():
                pairs.extend((w, check_label(label)) for w in words)
        else:
            pairs.extend((w, "CUSTOM") for w in terms)
        self._terms = _Terms(pairs)

    def detect(self, text: str) -> list[Span]:
        return [Span(s, e, label, 1.0, DENY_SOURCE) for s, e, label in self._terms.find(text)]

    def fingerprint(self) -> str:
        return f"deny:{self._terms.fingerprint()}"


class AllowList(AllowFinder):
    """Allow-list: spans lying wholly inside an occurrence are dropped by the resolution step."""

    def __init__(self, terms: Iterable[str] = DEFAULT_ALLOW) -> None:
        self._terms = _Terms((t, "") for t in terms)

    def find(self, text: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, _ in self._terms.find(text)]

    def fingerprint(self) -> str:
        return f"allow:{self._terms.fingerprint()}"
