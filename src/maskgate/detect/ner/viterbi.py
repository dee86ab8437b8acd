"""Tag schemes and constrained Viterbi decoding for token-classification models (numpy only).

A token classifier scores every token against tags like `B-private_person` or `O`. Taking each
token's argmax can produce sequences no tag scheme allows (`O I-x`, `B-x O` in BIOES), which turn
into broken or half spans. The decoder here finds the best *legal* tag sequence instead: the
scheme's transitions are hard constraints (-inf), and the optional transition biases of the
privacy filter's `viterbi_calibration.json` are added on top, as its own decoder does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

# Roles of a tag. BILOU's L and U are E and S under other names.
O, B, I, E, S = 0, 1, 2, 3, 4  # noqa: E741 (the scheme's own letters)
_PREFIX = re.compile(r"^([BIESLU])[-_](.+)$")
_ROLE_OF = {"B": B, "I": I, "E": E, "S": S, "L": E, "U": S}
_OUTSIDE = {"O", "OUTSIDE", "NONE"}

# The six transition biases of the privacy filter's calibration file, by name.
BIAS_KEYS = (
    "transition_bias_background_stay",  # O -> O
    "transition_bias_background_to_start",  # O -> B/S
    "transition_bias_end_to_background",  # E/S -> O
    "transition_bias_end_to_start",  # E/S -> B/S
    "transition_bias_inside_to_continue",  # B/I -> I
    "transition_bias_inside_to_end",  # B/I -> E
)
NEG_INF = float("-inf")


def parse_tag(tag: str) -> tuple[int, str | None]:
    """`B-private_person` -> (B, 'private_person'); `O` -> (O, None); `PER` (IO scheme) -> (I, 'PER')."""
    if tag.upper() in _OUTSIDE:
        return O, None
    m = _PREFIX.match(tag)
    if m:
        return _ROLE_OF[m.group(1)], m.group(2)
    return I, tag


@dataclass(frozen=True)
class TagSet:
    """The model's tags (by output index), their roles and entity names, and the scheme they form."""

    tags: tuple[str, ...]
    roles: tuple[int, ...]
    entities: tuple[str | None, ...]
    scheme: str  # "BIOES", "BIO" or "IO"
    entity_names: tuple[str, ...] = field(default=())

    @classmethod
    def from_id2label(cls, id2label: Mapping[int, str] | Sequence[str]) -> TagSet:
        if isinstance(id2label, Mapping):
            ids = sorted(int(k) for k in id2label)
            if ids != list(range(len(ids))):
                raise ValueError(f"label ids must be 0..{len(ids) - 1}, got {ids}")
            tags = tuple(id2label[k] if k in id2label else id2label[str(k)] for k in ids)  # type: ignore[index]
        else:
            tags = tuple(id2label)
        parsed = [parse_tag(t) for t in tags]
        roles = tuple(r for r, _ in parsed)
        entities = tuple(e for _, e in parsed)
        if O not in roles:
            raise ValueError("the model has no outside tag ('O'); cannot decode spans")
        if E in roles or S in roles:
            scheme = "BIOES"
        elif B in roles:
            scheme = "BIO"
        else:
            scheme = "IO"
        names = tuple(dict.fromkeys(e for e in entities if e is not None))
        return cls(tags, roles, entities, scheme, names)

    def __len__(self) -> int:
        return len(self.tags)

    def constraints(self, biases: Mapping[str, float] | None = None) -> tuple[np.ndarray, ...]:
        """(start, transitions[prev, next], end) scores: -inf where the scheme forbids the move."""
        bias = {k: 0.0 for k in BIAS_KEYS}
        if biases:
            bias.update({k: float(v) for k, v in biases.items() if k in bias})
        n = len(self.tags)
        trans = np.full((n, n), NEG_INF, dtype=np.float64)
        start = np.full(n, NEG_INF, dtype=np.float64)
        end = np.full(n, NEG_INF, dtype=np.float64)
        roles, ents = self.roles, self.entities
        for j in range(n):
            rj = roles[j]
            if self.scheme == "BIOES":
                start[j] = 0.0 if rj in (O, B, S) else NEG_INF
                end[j] = 0.0 if rj in (O, E, S) else NEG_INF
            elif self.scheme == "BIO":
                start[j] = 0.0 if rj in (O, B) else NEG_INF
                end[j] = 0.0
            else:
                start[j] = end[j] = 0.0
            for i in range(n):
                trans[i, j] = self._transition(roles[i], ents[i], rj, ents[j], bias)
        return start, trans, end

    def _transition(
        self, ri: int, ei: str | None, rj: int, ej: str | None, bias: Mapping[str, float]
    ) -> float:
        if self.scheme == "IO":
            return 0.0
        if self.scheme == "BIO":
            if rj in (O, B):
                return 0.0
            return 0.0 if ri in (B, I) and ei == ej else NEG_INF  # I-x only continues x
        # BIOES: a span is open after B/I and closed after O/E/S.
        if ri in (O, E, S):
            if rj == O:
                return bias[BIAS_KEYS[0] if ri == O else BIAS_KEYS[2]]
            if rj in (B, S):
                return bias[BIAS_KEYS[1] if ri == O else BIAS_KEYS[3]]
            return NEG_INF
        if ei != ej:
            return NEG_INF
        if rj == I:
            return bias[BIAS_KEYS[4]]
        if rj == E:
            return bias[BIAS_KEYS[5]]
        return NEG_INF


def log_softmax(logits: np.ndarray) -> np.ndarray:
    x = logits.astype(np.float64, copy=False)
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def viterbi(emissions: np.ndarray, start: np.ndarray, trans: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Best tag path for emissions (tokens x tags, log-probabilities or logits) under the constraints."""
    t_len, n = emissions.shape
    if t_len == 0:
        return np.zeros(0, dtype=np.int64)
    em = emissions.astype(np.float64, copy=False)
    # Without biases every legal move scores 0, so a legal argmax path is the best path: the common
    # case (mostly `O`) then costs one pass instead of a step per token.
    path = em.argmax(axis=1)
    if _unbiased(start, trans, end) and _legal(path, start, trans, end):
        return path.astype(np.int64)
    back = np.empty((t_len, n), dtype=np.int32)
    score = start + em[0]
    cols = np.arange(n)
    for t in range(1, t_len):
        cand = score[:, None] + trans  # prev x next
        best = cand.argmax(axis=0)
        back[t] = best
        score = cand[best, cols] + em[t]
    score = score + end
    path = np.empty(t_len, dtype=np.int64)
    last = int(score.argmax())
    if not np.isfinite(score[last]):
        raise ValueError("no legal tag sequence (the tag set cannot express this input)")
    path[-1] = last
    for t in range(t_len - 1, 0, -1):
        last = int(back[t, last])
        path[t - 1] = last
    return path


def _unbiased(start: np.ndarray, trans: np.ndarray, end: np.ndarray) -> bool:
    return all(not np.any(a[np.isfinite(a)]) for a in (start, trans, end))


def _legal(path: np.ndarray, start: np.ndarray, trans: np.ndarray, end: np.ndarray) -> bool:
    return bool(
        np.isfinite(start[path[0]])
        and np.isfinite(end[path[-1]])
        and np.isfinite(trans[path[:-1], path[1:]]).all()
    )


def argmax_path(emissions: np.ndarray) -> np.ndarray:
    return emissions.argmax(axis=-1).astype(np.int64)


def path_to_spans(path: Sequence[int] | np.ndarray, tagset: TagSet) -> list[tuple[int, int, str]]:
    """Token ranges [start, end) with their entity. Lenient, so an argmax path decodes too:
    an I/E that does not continue an open span of its entity opens a new one."""
    spans: list[tuple[int, int, str]] = []
    cur: str | None = None
    begin = 0
    roles, ents = tagset.roles, tagset.entities
    for t, tag in enumerate(path):
        role, ent = roles[int(tag)], ents[int(tag)]
        if cur is not None and (role in (O, B, S) or ent != cur):
            spans.append((begin, t, cur))
            cur = None
        if role == O:
            continue
        if cur is None:
            cur, begin = ent, t
        if role in (E, S):
            spans.append((begin, t + 1, cur))  # type: ignore[arg-type]
            cur = None
    if cur is not None:
        spans.append((begin, len(path), cur))
    return spans


def entity_indices(tagset: TagSet) -> dict[str, np.ndarray]:
    """For each entity, the indices of its tags: summing their probabilities gives P(token in entity)."""
    return {
        name: np.array([i for i, e in enumerate(tagset.entities) if e == name], dtype=np.int64)
        for name in tagset.entity_names
    }
