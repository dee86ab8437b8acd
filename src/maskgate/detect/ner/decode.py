"""spaCy's greedy NER decode, vectorised in numpy: the same entities as the `ner` pipe's own
transition loop, several times faster (issue 17).

spaCy decodes one token per step per document, and most of its time goes to per-state work in
Cython (validity checks that take the GIL for exception checks, one small product per step). The
NER state is Markov: what happens from token p on depends only on p and on the open entity (start
and label), never on the entities before. So a document is cut into short chunks that are decoded
in lockstep, all chunks of all documents of a batch forming one matrix of states per step, each
chunk starting with no entity open, over the whole document's token vectors (the model's context
is unchanged: only the decode is split).

Exactness. A chunk runs past its nominal end until it reaches a token where its own state has no
entity open and the decode of the chunks after it has none open either: from there both are the
same deterministic decode. Chunk 0 starts from the true state, so splicing each chunk's actions up
to that meeting point gives exactly the decode of the whole document (see `_decode_batch`). The
steps use spaCy's own code where bits matter: its `state2vec` sums the precomputed lower layer
with the same saxpy calls and maxout; the output layer is a numpy product, whose last bits differ
from the blis sgemm spaCy calls, so wherever the best and second-best valid scores are closer than
a bound on that rounding error, the row is recomputed with blis, the same kernel spaCy uses (its
rows do not depend on the batch). Validity is BiluoPushDown's (ner.pyx) for documents without
preset entities; a document with preset entities is refused (the caller uses spaCy's loop).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START

# BiluoPushDown's move letters (spacy/pipeline/_parser_internals/ner.pyx).
_B, _I, _L, _U, _O = range(5)
_LETTERS = {"B": _B, "I": _I, "L": _L, "U": _U, "O": _O}
CHUNK_TOKENS = 4  # measured: 2 KB prompts decode fastest (fewest steps), large batches alike
# float32 products of length 64 in any order differ by at most 64 * 2**-24 times the sum of the
# terms' magnitudes; twice that per score and two scores per comparison, then a factor two spare.
_ROUNDING = 8 * 64 * 2.0**-24


class UnsupportedModel(Exception):
    """The pipe is not the greedy BILUO model this decoder reproduces."""


class NerDecoder:
    """Decodes docs with the weights and moves of one spaCy `ner` pipe."""

    def __init__(self, ner: Any, chunk_tokens: int = CHUNK_TOKENS, rounding: float = _ROUNDING) -> None:
        model = ner.model
        if ner.cfg.get("beam_width", 1) != 1:
            raise UnsupportedModel("beam search")
        if not model.attrs.get("has_upper") or model.attrs.get("unseen_classes"):
            raise UnsupportedModel("no output layer, or unseen classes")
        lower = model.get_ref("lower")
        if lower.get_dim("nF") != 3 or lower.get_dim("nP") < 2:
            raise UnsupportedModel("not 3 features with maxout")
        self.ner = ner
        self.chunk_tokens = chunk_tokens
        self.rounding = rounding  # tests set inf: every row's scores from blis
        strings = ner.vocab.strings
        moves = ner.moves
        n = moves.n_moves
        move = np.empty(n, dtype=np.int8)
        label_hash = np.zeros(n, dtype=np.uint64)
        for i in range(n):
            name = moves.get_class_name(i)
            letter, _, label = name.partition("-")
            if letter not in _LETTERS:
                raise UnsupportedModel(f"move {letter!r}")
            move[i] = _LETTERS[letter]
            label_hash[i] = strings[label] if label else 0
        self.labels = [int(h) for h in sorted(set(label_hash[label_hash != 0].tolist()))]
        index = {h: k for k, h in enumerate(self.labels)}
        self.move = move
        self.label = np.array([index.get(int(h), -1) for h in label_hash], dtype=np.int64)
        self.label_names = [strings[h] for h in self.labels]
        n_labels = len(self.labels)
        labelled = self.label >= 0
        # Valid moves of a state with no entity open, by (next token may continue an entity, the
        # current token is whitespace): Begin needs both, Unit a non-space token and a label,
        # Out is always valid (ner.pyx: Begin/Unit/Out.is_valid without preset entities).
        closed = np.zeros((2, 2, n), dtype=bool)
        for ext in (0, 1):
            for space in (0, 1):
                ok = move == _O
                if not space:
                    ok |= (move == _U) & labelled
                    if ext:
                        ok |= (move == _B) & labelled
                closed[ext, space] = ok
        # With an entity open: Last of its label, and In of its label if the entity may continue.
        opened = np.zeros((n_labels, 2, n), dtype=bool)
        for k in range(n_labels):
            same = self.label == k
            opened[k, 0] = same & (move == _L)
            opened[k, 1] = same & ((move == _L) | (move == _I))
        self.closed_valid = closed
        self.open_valid = opened
        self.blis_rows = 0  # rows whose scores were recomputed with blis (near ties)
        self.steps = 0
        self.model_s = 0.0  # CPU seconds in the model pass (token vectors, lower layer) ...
        self.decode_s = 0.0  # ... and in the decode loop (benchmarks print the split)

    def __call__(self, docs: Sequence[Any]) -> list[list[tuple[int, int, str]]]:
        """Per doc, its entities as (start token, end token, label), in order: what spaCy's
        `ner.predict(docs)` then `set_annotations` put in `doc.ents`."""
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        if not lengths.any():
            return [[] for _ in docs]
        arrays = [d.to_array([IS_SPACE, SENT_START, ENT_IOB]) for d in docs if len(d)]
        tokens = np.concatenate(arrays).astype(np.int64, copy=False)
        if tokens[:, 2].any():
            raise UnsupportedModel("preset entities")
        t0 = time.process_time()
        step_model = self.ner.model.predict(list(docs))
        t1 = time.process_time()
        try:
            ent_from, ent_label = self._decode_batch(step_model, lengths, tokens)
        finally:
            step_model.clear_memory()
        self.model_s += t1 - t0
        self.decode_s += time.process_time() - t1
        out: list[list[tuple[int, int, str]]] = []
        off = 0
        for length in lengths.tolist():
            ends = np.flatnonzero(ent_from[off : off + length] >= 0)
            out.append(
                [
                    (int(ent_from[off + e]) - off, int(e) + 1, self.label_names[ent_label[off + e]])
                    for e in ends
                ]
            )
            off += length
        return out

    def chunk_starts(self, lengths: np.ndarray) -> np.ndarray:
        """Global token positions where chunks start: every `chunk_tokens`-th token of each doc,
        its first included. Any split is exact; a split inside an entity only costs the chunk
        before it a few steps of overrun. Short chunks mean few steps, and a step's fixed cost is
        what a short prompt pays for."""
        total = int(lengths.sum())
        doc_start = np.repeat(np.cumsum(lengths) - lengths, lengths)
        return np.flatnonzero((np.arange(total) - doc_start) % self.chunk_tokens == 0)

    def _decode_batch(
        self, step_model: Any, lengths: np.ndarray, tokens: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Lockstep decode of all chunks. Returns, per global token p, the start of the entity that
        ends at p (-1: none) and its label index.

        Why the splice is exact: chunk i runs from s_i until a token p >= s_{i+1} where it has no
        entity open and neither has the decode of the chunks after it, as last written to
        `none_open[p]`: chunks run in lockstep from step 0, so chunk j reaches p at step p - s_j and
        later chunks write p first; the last value before chunk i reads it is that of the first
        chunk after i still running at p, which is the later chunks' spliced decode. Two decodes
        with no entity open at the same token continue identically. By induction from the last
        chunk, chunk i spliced with the later ones is the decode from (s_i, nothing open), and for
        chunk 0 that is the document's decode. Each token's action is last written by the first
        chunk running there, so the arrays end up holding the spliced decode.
        """
        upper = step_model.vec2scores
        W = np.ascontiguousarray(upper.get_param("W"), dtype=np.float32)
        b = np.asarray(upper.get_param("b"), dtype=np.float32)
        w_max = float(np.abs(W).max())
        state2vec = step_model.state2vec
        total = int(lengths.sum())
        is_space = tokens[:, 0] != 0
        sent_start = tokens[:, 1]
        # may_continue[p]: token p is not the doc's last and p + 1 does not start a sentence,
        # so an entity open at p may go on (Begin and In need it).
        doc_end = np.repeat(np.cumsum(lengths), lengths)
        may_continue = np.zeros(total, dtype=bool)
        nxt = np.arange(1, total + 1)
        may_continue[:] = nxt < doc_end
        may_continue[:-1] &= sent_start[1:] != 1
        pos = self.chunk_starts(lengths)
        end = doc_end[pos]
        ent_start = np.full(pos.size, -1, dtype=np.int64)
        ent_lab = np.full(pos.size, -1, dtype=np.int64)
        none_open = np.zeros(total + 1, dtype=bool)
        ent_from = np.full(total, -1, dtype=np.int64)
        ent_label = np.full(total, -1, dtype=np.int64)
        ids = np.empty((pos.size, 3), dtype=np.int32)
        move, label = self.move, self.label
        while pos.size:
            closed = ent_start < 0
            stop = (pos >= end) | (closed & none_open[pos])
            if stop.any():
                keep = ~stop
                pos, end, ent_start, ent_lab, closed = (
                    pos[keep],
                    end[keep],
                    ent_start[keep],
                    ent_lab[keep],
                    closed[keep],
                )
                if not pos.size:
                    break
            self.steps += 1
            m = pos.size
            none_open[pos] = closed
            # set_context_tokens with 3 features: B(0), the entity's first token, B(0) - 1.
            sid = ids[:m]
            sid[:, 0] = pos
            sid[:, 1] = np.where(closed, -1, ent_start)
            sid[:, 2] = np.where(closed, -1, pos - 1)
            hidden, _ = state2vec(sid, False)
            scores = hidden @ W.T
            scores += b
            ext = may_continue[pos]
            valid = np.where(
                closed[:, None],
                self.closed_valid[ext.view(np.int8), is_space[pos].view(np.int8)],
                self.open_valid[ent_lab, ext.view(np.int8)],
            )
            guess = self._argmax(scores, valid, hidden, W, b, w_max)
            mv = move[guess]
            lb = label[guess]
            is_l = mv == _L
            is_u = mv == _U
            is_b = mv == _B
            ent_from[pos] = np.where(is_u, pos, np.where(is_l, ent_start, -1))
            ent_label[pos] = lb
            ent_start = np.where(is_b, pos, np.where(is_l | is_u, -1, ent_start))
            ent_lab = np.where(is_b, lb, np.where(is_l | is_u, -1, ent_lab))
            pos = pos + 1
        return ent_from, ent_label

    def _argmax(
        self,
        scores: np.ndarray,
        valid: np.ndarray,
        hidden: np.ndarray,
        W: np.ndarray,
        b: np.ndarray,
        w_max: float,
    ) -> np.ndarray:
        """spaCy's arg_max_if_valid (the first best valid class), on blis scores where numpy's
        rounding could change the answer."""
        if not np.isfinite(scores).all():
            raise FloatingPointError("non-finite NER scores")
        masked = np.where(valid, scores, -np.inf)
        rows = np.arange(masked.shape[0])
        guess = masked.argmax(axis=1)
        best = masked[rows, guess]
        masked[rows, guess] = -np.inf
        gap = best - masked.max(axis=1)
        bound = self.rounding * (np.abs(hidden).sum(axis=1) * w_max + np.abs(scores).max(axis=1))
        near = np.flatnonzero(gap <= bound)
        if near.size:
            import blis.py

            exact = blis.py.gemm(np.ascontiguousarray(hidden[near]), W, trans2=True, beta=0.0)
            exact += b
            guess[near] = np.where(valid[near], exact, -np.inf).argmax(axis=1)
            self.blis_rows += near.size
        return guess
