"""The NER model's embedding block computed once per distinct token, not once per token (issue 17).

The tok2vec's first block (4 HashEmbed tables of NORM, PREFIX, SUFFIX, SHAPE, concatenated, then a
384x288 maxout and a layer norm) sees one token's 4 feature ids and nothing else: its output row
is a function of those ids alone. Its matrix product is a fifth of the model pass's arithmetic, and
a text repeats its words (a 2 KB prompt: about 60% distinct tokens, 1 MB: a few percent), so the
block runs on the distinct feature rows and its rows are gathered back. The vectors are
byte-identical: each row goes through the same float32 operations in the same order (row results
of the products do not depend on the other rows, see MIN_ROWS; tests/detect/test_ner_unique_embed.py
compares the model's output with and without, on every dev text alone and batched). Inference only: a training call runs
the stock chain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from thinc.types import Ints1d, Ragged

# The chain's layers, by name: extract_features >> list2ragged >> with_array(embeddings) >>
# with_array(maxout >> layernorm >> dropout) >> ragged2list.
_NAMES = ("extract_features", "list2ragged", "with_array(", "with_array(maxout", "ragged2list")
# OpenBLAS multiplies matrices of a few rows with other kernels (numpy: gemv for one row), whose
# last bits differ; from 5 rows on (measured: 19 for the narrowest product of this model) a row's
# result does not depend on the other rows. Texts under MIN_ROWS tokens run the stock chain, and
# the distinct rows of longer ones are padded to MIN_ROWS, so both sides use the same kernel.
MIN_ROWS = 32


def embed_chain(model: Any) -> Any:
    """The embedding chain inside a spaCy pipe's model, or None when the model has another shape."""
    for node in model.walk():
        layers = getattr(node, "layers", ())
        names = [layer.name for layer in layers]
        shaped = len(names) == len(_NAMES) and all(
            n.startswith(p) for n, p in zip(names, _NAMES, strict=True)
        )
        if shaped and "hashembed" in names[2]:
            return node
    return None


def install(model: Any) -> bool:
    """Make the model's embedding chain compute distinct feature rows once. False: not found."""
    chain = embed_chain(model)
    if chain is None or chain.attrs.get("unique_rows"):
        return chain is not None
    stock: Callable[..., Any] = chain._func
    chain._func = lambda m, docs, is_train: stock(m, docs, is_train) if is_train else _forward(m, docs)
    chain.attrs["unique_rows"] = True
    return True


def _forward(chain: Any, docs: Any) -> tuple[Any, Callable[[Any], Any]]:
    extract, to_ragged, embed, mix, to_list = chain.layers
    feats = to_ragged.predict(extract.predict(docs))
    data = np.ascontiguousarray(feats.dataXd)
    if data.shape[0] < MIN_ROWS:
        return to_list.predict(mix.predict(embed.predict(feats))), _no_backprop
    rows = data.view(np.dtype((np.void, data.dtype.itemsize * data.shape[1]))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    if first.size < MIN_ROWS:  # stay on the product's large-matrix kernel, as the stock pass is
        first = np.concatenate([first, np.repeat(first[:1], MIN_ROWS - first.size)])
    lengths = cast(Ints1d, np.array([first.size], dtype="int32"))
    distinct = Ragged(cast(Any, data[first]), lengths=lengths)
    vectors = mix.predict(embed.predict(distinct)).dataXd
    return to_list.predict(Ragged(vectors[inverse.ravel()], lengths=feats.lengths)), _no_backprop


def _no_backprop(_: Any) -> Any:
    raise RuntimeError("unique_embed runs at inference only")
