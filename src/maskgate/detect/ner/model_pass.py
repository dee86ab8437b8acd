"""The NER model pass over a batch in slices of a few thousand tokens (issue 17).

spaCy computes a batch's token vectors and precomputed lower layer in one go: for the backend's
16-document batches (~16K tokens) every layer's activations are arrays of ~20 MB, far beyond the
CPU caches, and each is fresh memory the kernel must fault in. The same batch in slices of
MAX_TOKENS tokens costs ~30% less CPU time (measured, 300 KB of the benchmark corpus: 1.6-2.2 s
against 1.0-1.2 s). The slices' outputs are concatenated into the one precomputed table the
decode reads, byte for byte the table of the whole batch: every layer is row-wise (the CNN windows
stop at document edges, documents are never cut) and a row's matrix product does not depend on
the other rows from 5 rows on (ner/unique_embed.py, MIN_ROWS); tests/detect/test_ner_model_pass.py
compares them. The decode then runs once over the whole batch, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from maskgate.detect.ner.unique_embed import MIN_ROWS

MAX_TOKENS = 4000  # measured on 300 KB: 16000 1.6-2.2 s, 8000 1.3-1.4, 4000 1.0-1.2, 2000 1.2-1.4


class _Precomputed:
    """Stands in for the lower layer when spaCy's `precompute_hiddens` is built from a table
    computed beforehand: it only calls the layer once, and reads its bias and dimensions."""

    def __init__(self, lower: Any, table: np.ndarray) -> None:
        self.lower = lower
        self.table = table
        self.ops = lower.ops

    def __call__(self, _tokvecs: Any, _train: bool) -> tuple[np.ndarray, None]:
        return self.table, None

    def get_param(self, name: str) -> Any:
        return self.lower.get_param(name)

    def has_dim(self, name: str) -> Any:
        return self.lower.has_dim(name)

    def get_dim(self, name: str) -> int:
        return int(self.lower.get_dim(name))


class StepModel:
    """What the decode reads of spaCy's ParserStepModel: `state2vec` and `vec2scores`."""

    def __init__(self, state2vec: Any, vec2scores: Any) -> None:
        self.state2vec = state2vec
        self.vec2scores = vec2scores

    def clear_memory(self) -> None:
        self.state2vec = None


def sliced(model: Any) -> bool:
    """Whether the parser model has the tok2vec >> lower >> upper shape this module slices."""
    layers: list[Any] = list(getattr(model, "layers", ()))
    return (
        len(layers) == 3
        and model.has_ref("tok2vec")
        and model.has_ref("lower")
        and model.has_ref("upper")
        and layers[0] is model.get_ref("tok2vec")
        and layers[1] is model.get_ref("lower")
        and layers[2] is model.get_ref("upper")
        and model.attrs.get("has_upper")
        and model.get_ref("lower").get_dim("nP") >= 2
    )


def predict(model: Any, docs: Sequence[Any], max_tokens: int = MAX_TOKENS) -> Any:
    """spaCy's `model.predict(docs)` for a greedy parser model, the model pass in slices of at most
    `max_tokens` tokens (a longer document is a slice of its own). Returns the step model."""
    if sum(len(d) for d in docs) <= max_tokens or not sliced(model):
        return model.predict(list(docs))
    from spacy.ml.parser_model import precompute_hiddens

    tok2vec, lower, upper = model.layers
    tables: list[np.ndarray] = []
    part: list[Any] = []
    size = 0
    left = sum(len(d) for d in docs)  # tokens not yet in a slice
    for doc in [*docs, None]:  # None: flush the last slice
        # No slice under MIN_ROWS tokens (nor a rest under it): its products would run on
        # OpenBLAS's small-matrix kernels, whose last bits differ from the whole batch's.
        full = doc is not None and size + len(doc) > max_tokens and size >= MIN_ROWS and left >= MIN_ROWS
        if part and (doc is None or full):
            table = lower.predict(tok2vec.predict(part))
            tables.append(table if not tables else table[1:])  # row 0: the padding vector, once
            part, size = [], 0
        if doc is not None:
            part.append(doc)
            size += len(doc)
            left -= len(doc)
    table = np.ascontiguousarray(np.concatenate(tables)) if len(tables) > 1 else tables[0]
    state2vec = precompute_hiddens(
        len(docs), None, _Precomputed(lower, table), activation="maxout", train=False
    )
    return StepModel(state2vec, upper)
