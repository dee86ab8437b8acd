"""The transformers NER backend, on tiny models these tests build themselves (nothing is downloaded).

Two kinds of model directory are built with the real `save_pretrained` and loaded through the
backend's real loading code:
- an `openai_privacy_filter` model (2 layers, 4 experts, hidden size 64) with a byte-level BPE
  tokenizer trained on a few sentences, BIOES tags;
- a BERT token classifier with a WordPiece tokenizer, BIO tags.

"Controlled" variants zero the layers' output projections, so each token's logits depend on that
token alone, and set the embeddings and classifier so that name tokens score as a person. Their
right answers are known, and a window cut anywhere must not change them.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers  # noqa: E402

from maskgate.config import Settings  # noqa: E402
from maskgate.detect.factory import build_pipeline  # noqa: E402
from maskgate.detect.ner import transformers_backend as tb  # noqa: E402
from maskgate.detect.ner.viterbi import (  # noqa: E402
    BIAS_KEYS,
    NEG_INF,
    TagSet,
    argmax_path,
    parse_tag,
    path_to_spans,
    viterbi,
)
from maskgate.detect.spans import DetectionError  # noqa: E402

pytestmark = pytest.mark.transformers

NAMES = ("Zoe", "Ann", "Quinn")
FILLER = [
    "the",
    "cat",
    "sat",
    "on",
    "a",
    "mat",
    "and",
    "then",
    "ran",
    "to",
    "see",
    "my",
    "dog",
    "at",
    "home",
    "with",
    "some",
    "tea",
]
CORPUS = [
    "Zoe Ann Quinn sat on the mat and then ran home.",
    "my cat and my dog see the tea at home with some Zoe",
    "Quinn ran to see Ann, then Zoe sat with some tea!",
    "(Zoe)(Ann)(Quinn)",
]


# --- model builders -------------------------------------------------------------------------------


def _pf_tokenizer() -> transformers.PreTrainedTokenizerFast:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=700,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=["<|endoftext|>"],
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 10, trainer)
    return transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<|endoftext|>", eos_token="<|endoftext|>"
    )


def _name_ids(tokenizer: transformers.PreTrainedTokenizerFast, names: Sequence[str]) -> list[int]:
    """Ids of the tokens that spell a whole name, with or without the byte-level space marker."""
    return [
        i for t, i in tokenizer.get_vocab().items() if t.lstrip("Ġ").lower() in {n.lower() for n in names}
    ]


def build_privacy_filter(directory: Path, *, controlled: bool) -> Path:
    tokenizer = _pf_tokenizer()
    config = transformers.OpenAIPrivacyFilterConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=64,
        num_hidden_layers=2,
        num_local_experts=4,
        num_experts_per_tok=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=32,
        sliding_window=8,
        max_position_embeddings=4096,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    model = transformers.OpenAIPrivacyFilterForTokenClassification(config).eval()
    if controlled:
        label2id = config.label2id
        person = _name_ids(tokenizer, NAMES)
        with torch.no_grad():
            for layer in model.model.layers:  # layers add nothing: hidden = norm(embedding)
                layer.self_attn.o_proj.weight.zero_()
                layer.self_attn.o_proj.bias.zero_()
                layer.mlp.experts.down_proj.zero_()
                layer.mlp.experts.down_proj_bias.zero_()
            emb = model.model.embed_tokens.weight
            emb.zero_()
            emb[:, 0] = 1.0
            emb[person, 0] = 0.0
            emb[person, 1] = 1.0
            model.score.weight.zero_()
            model.score.bias.zero_()
            model.score.weight[label2id["O"], 0] = 1.0
            # A name token is equally B, I or E of a person, S a little less: only the decoder's
            # grammar decides how a run of name tokens becomes spans.
            for tag in ("B", "I", "E"):
                model.score.weight[label2id[f"{tag}-private_person"], 1] = 1.0
            model.score.weight[label2id["S-private_person"], 1] = 0.9
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


BERT_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
BERT_WORDS = {
    "zoe": 1,
    "quinn": 1,
    "acme": 2,
    "paris": 3,
    "works": 0,
    "at": 0,
    "in": 0,
    "the": 0,
    "cafe": 0,
    "##ford": 0,
    "##s": 0,
    ",": 0,
    ".": 0,
    "!": 0,
}


def build_bert(directory: Path, *, controlled: bool) -> Path:
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *BERT_WORDS]
    tok = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    tok.decoder = decoders.WordPiece()
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=64,
    )
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=37,
        max_position_embeddings=64,
        id2label=dict(enumerate(BERT_LABELS)),
        label2id={t: i for i, t in enumerate(BERT_LABELS)},
    )
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(config).eval()
    if controlled:
        with torch.no_grad():
            for layer in model.bert.encoder.layer:
                layer.attention.output.dense.weight.zero_()
                layer.attention.output.dense.bias.zero_()
                layer.output.dense.weight.zero_()
                layer.output.dense.bias.zero_()
            emb = model.bert.embeddings
            emb.position_embeddings.weight.zero_()
            emb.token_type_embeddings.weight.zero_()
            emb.word_embeddings.weight.zero_()
            for i, w in enumerate(vocab):
                emb.word_embeddings.weight[i, BERT_WORDS.get(w, 0)] = 1.0
            clf = model.classifier
            clf.weight.zero_()
            clf.bias.zero_()
            clf.weight[0, 0] = 1.0
            # I- scores above B- for every entity token, so per-token argmax starts spans with an
            # illegal I-; the BIO decoder must open them with B-.
            for dim, ent in ((1, "PER"), (2, "ORG"), (3, "LOC")):
                clf.weight[BERT_LABELS.index(f"B-{ent}"), dim] = 1.0
                clf.weight[BERT_LABELS.index(f"I-{ent}"), dim] = 1.1
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def pf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_privacy_filter(tmp_path_factory.mktemp("pf"), controlled=True)


@pytest.fixture(scope="module")
def pf_random_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_privacy_filter(tmp_path_factory.mktemp("pf_random"), controlled=False)


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bert(tmp_path_factory.mktemp("bert"), controlled=True)


def texts_of(text: str, spans: Sequence[tb.Span]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


# --- Viterbi on hand-made logits ------------------------------------------------------------------

BIOES_TAGS = ["O", "B-x", "I-x", "E-x", "S-x", "B-y", "I-y", "E-y", "S-y"]
BIO_TAGS = ["O", "B-x", "I-x", "B-y", "I-y"]


def logits_for(tags: Sequence[str], rows: Sequence[dict[str, float]], floor: float = -5.0) -> np.ndarray:
    out = np.full((len(rows), len(tags)), floor)
    for t, row in enumerate(rows):
        for tag, v in row.items():
            out[t, tags.index(tag)] = v
    return out


def decode(tags: Sequence[str], em: np.ndarray, biases: dict[str, float] | None = None) -> list[str]:
    ts = TagSet.from_id2label(tags)
    return [tags[i] for i in viterbi(em, *ts.constraints(biases))]


def test_parse_tags_and_schemes() -> None:
    assert parse_tag("B-private_person") == (1, "private_person")
    assert parse_tag("O") == (0, None)
    assert parse_tag("L-PER") == (3, "PER") and parse_tag("U-PER") == (4, "PER")  # BILOU
    assert parse_tag("PER") == (2, "PER")  # IO scheme
    assert TagSet.from_id2label(BIOES_TAGS).scheme == "BIOES"
    assert TagSet.from_id2label(BIO_TAGS).scheme == "BIO"
    assert TagSet.from_id2label(["O", "PER", "LOC"]).scheme == "IO"
    assert TagSet.from_id2label({"1": "B-x", "0": "O", "2": "I-x"}).tags == ("O", "B-x", "I-x")  # type: ignore[dict-item]
    assert TagSet.from_id2label(BIOES_TAGS).entity_names == ("x", "y")


def test_viterbi_repairs_an_orphan_inside_tag_bioes() -> None:
    # argmax: O I-x O, illegal. I-x is a close second to... nothing legal; the best legal path
    # turns the middle token into S-x (its second-best entity tag) rather than breaking the grammar.
    em = logits_for(BIOES_TAGS, [{"O": 3}, {"I-x": 4, "S-x": 3, "O": 1}, {"O": 3}])
    assert [BIOES_TAGS[i] for i in argmax_path(em)] == ["O", "I-x", "O"]
    assert decode(BIOES_TAGS, em) == ["O", "S-x", "O"]


def test_viterbi_closes_a_begin_without_end_bioes() -> None:
    # argmax: B-x B-x O (no E). Legal best: B-x E-x O.
    em = logits_for(BIOES_TAGS, [{"B-x": 5, "S-x": 1}, {"B-x": 4, "E-x": 3.5, "I-x": 3}, {"O": 4, "E-x": 0}])
    assert decode(BIOES_TAGS, em) == ["B-x", "E-x", "O"]
    assert path_to_spans(
        viterbi(em, *TagSet.from_id2label(BIOES_TAGS).constraints()), TagSet.from_id2label(BIOES_TAGS)
    ) == [(0, 2, "x")]


def test_viterbi_keeps_entities_apart_bioes() -> None:
    # B-x then E-y is illegal; the legal best keeps one entity for the whole span.
    em = logits_for(BIOES_TAGS, [{"B-x": 5, "B-y": 4}, {"E-y": 5, "E-x": 4.5}])
    assert decode(BIOES_TAGS, em) in (["B-x", "E-x"], ["B-y", "E-y"])
    assert decode(BIOES_TAGS, em) == ["B-x", "E-x"]  # 9.5 against 9


def test_viterbi_bio_starts_spans_with_begin() -> None:
    em = logits_for(BIO_TAGS, [{"O": 2}, {"I-x": 3, "B-x": 2.5}, {"I-x": 3}, {"O": 2}])
    assert [BIO_TAGS[i] for i in argmax_path(em)] == ["O", "I-x", "I-x", "O"]
    assert decode(BIO_TAGS, em) == ["O", "B-x", "I-x", "O"]


def test_viterbi_transition_biases_move_the_decision() -> None:
    em = logits_for(BIOES_TAGS, [{"O": 2, "S-x": 1.5}])
    assert decode(BIOES_TAGS, em) == ["O"]
    assert decode(BIOES_TAGS, em, {"transition_bias_background_to_start": 1.0}) == ["O"]  # no transition yet
    em2 = logits_for(BIOES_TAGS, [{"O": 2}, {"O": 2, "S-x": 1.5}])
    assert decode(BIOES_TAGS, em2) == ["O", "O"]
    assert decode(BIOES_TAGS, em2, {"transition_bias_background_to_start": 1.0}) == ["O", "S-x"]


def _brute_force(em: np.ndarray, start: np.ndarray, trans: np.ndarray, end: np.ndarray) -> float:
    best = NEG_INF
    for path in itertools.product(range(em.shape[1]), repeat=em.shape[0]):
        s = start[path[0]] + em[0, path[0]] + end[path[-1]]
        s += sum(trans[a, b] + em[t + 1, b] for t, (a, b) in enumerate(itertools.pairwise(path)))
        best = max(best, s)
    return best


@pytest.mark.parametrize("biased", [True, False], ids=["biased", "unbiased"])
@pytest.mark.parametrize("tags", [BIOES_TAGS, BIO_TAGS], ids=["BIOES", "BIO"])
def test_viterbi_finds_the_best_legal_path(tags: list[str], biased: bool) -> None:
    rng = np.random.default_rng(7)
    ts = TagSet.from_id2label(tags)
    biases = dict(zip(BIAS_KEYS, rng.normal(size=len(BIAS_KEYS)), strict=True)) if biased else None
    for k in range(16):
        em = rng.normal(scale=3, size=(4, len(tags)))
        if k % 2:  # mostly O: the argmax path is often legal (the decoder's shortcut)
            em[:, 0] += 4
        start, trans, end = ts.constraints(biases)
        path = viterbi(em, start, trans, end)
        score = start[path[0]] + em[0, path[0]] + end[path[-1]]
        score += sum(trans[a, b] + em[t + 1, b] for t, (a, b) in enumerate(itertools.pairwise(path)))
        assert np.isfinite(score)  # legal
        assert score == pytest.approx(_brute_force(em, start, trans, end))


def test_path_to_spans_is_lenient_for_argmax_paths() -> None:
    ts = TagSet.from_id2label(BIOES_TAGS)
    idx = {t: i for i, t in enumerate(BIOES_TAGS)}
    path = [idx[t] for t in ["I-x", "E-x", "O", "S-y", "B-x", "I-y", "E-y", "B-x"]]
    assert path_to_spans(path, ts) == [(0, 2, "x"), (3, 4, "y"), (4, 5, "x"), (5, 7, "y"), (7, 8, "x")]


# --- windows --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "overlap"), [(16, 4), (16, 0), (5, 4), (1, 0), (7, 3), (100, 25)])
def test_windows_tile_every_token_exactly_once(size: int, overlap: int) -> None:
    for n in range(0, 90):
        wins = tb.plan_windows(n, size, overlap)
        owned = [t for _, _, a, b in wins for t in range(a, b)]
        assert owned == list(range(n))
        for s, e, a, b in wins:
            assert 0 <= s <= a < b <= e <= n and e - s <= size
            if n > size:
                assert e - s == size


def test_windows_keep_context_on_both_sides() -> None:
    for s, e, a, b in tb.plan_windows(200, 16, 4)[1:-1]:
        assert a - s >= 2 and e - b >= 2


def test_char_range_trims_and_widens_to_words() -> None:
    assert tb.char_range("  Johnson  ", 1, 4) == (2, 9)  # " Jo" -> "Johnson"
    assert tb.char_range("Zoe-Ann", 4, 7) == (4, 7)  # a hyphen is a word edge
    assert tb.char_range("Zoë", 0, 2) == (0, 3)
    assert tb.char_range("Zoe\u0301x", 0, 3) == (0, 5)  # combining mark stays in the word
    start, end = tb.char_range("   ", 0, 3)
    assert start == end  # nothing left: empty
    assert tb.char_range("私は田中です", 2, 4) == (2, 4)  # no spaces in CJK: no widening
    assert tb.char_range("คุณสมชายครับ", 3, 8) == (3, 8)  # nor in Thai


# --- a stub model: merge logic across window edges --------------------------------------------------


def stub_forward(tokenizer: transformers.PreTrainedTokenizerFast, tags: Sequence[str]) -> Callable:
    """A context-free 'model': name tokens score B/I/E of private_person, everything else O."""
    names = set(_name_ids(tokenizer, NAMES))
    calls: list[int] = []

    def forward(batch: list[list[int]]) -> list[np.ndarray]:
        calls.append(len(batch))
        out = []
        for seq in batch:
            lg = np.full((len(seq), len(tags)), -4.0, dtype=np.float32)
            for t, tok in enumerate(seq):
                if tok in names:
                    for p in "BIE":
                        lg[t, tags.index(f"{p}-private_person")] = 3.0
                else:
                    lg[t, 0] = 3.0
            out.append(lg)
        return out

    forward.calls = calls  # type: ignore[attr-defined]
    return forward


def test_stub_spans_crossing_window_edges_come_back_once_and_whole() -> None:
    tokenizer = _pf_tokenizer()
    tags = list(transformers.OpenAIPrivacyFilterConfig().id2label.values())
    forward = stub_forward(tokenizer, tags)
    small = tb.TransformersBackend(tokenizer, forward, tags, window=8, overlap=2, batch_size=3)
    big = tb.TransformersBackend(tokenizer, forward, tags, window=4096)
    texts = []
    for k in range(0, 20):
        words = [FILLER[i % len(FILLER)] for i in range(k)] + list(NAMES) + FILLER[:9]
        texts.append(" ".join(words))
    got = small.predict(texts)
    assert forward.calls and max(forward.calls) <= 3  # type: ignore[attr-defined]
    assert got == big.predict(texts)
    for text, spans in zip(texts, got, strict=True):
        assert texts_of(text, spans) == ["Zoe Ann Quinn"]
        assert spans[0].label == "private_person"
        assert spans[0].score > 0.9


# --- the real loading code on a tiny privacy filter -----------------------------------------------


def test_privacy_filter_loads_and_finds_a_name(pf_dir: Path) -> None:
    backend = tb.load_backend(str(pf_dir), device="cpu", dtype="auto")
    assert backend.tagset.scheme == "BIOES"
    assert backend.dtype == "float32" and backend.device == "cpu"  # type: ignore[attr-defined]
    assert set(backend.tagset.entity_names) == set(tb.PRIVACY_FILTER_LABELS)
    text = "then Zoe Ann Quinn sat on the mat"
    [spans] = backend.predict([text])
    assert texts_of(text, spans) == ["Zoe Ann Quinn"]
    assert spans[0].label == "private_person" and spans[0].score > 0.9


def test_offsets_are_exact_with_unicode_and_whitespace_runs(pf_dir: Path) -> None:
    backend = tb.load_backend(str(pf_dir), device="cpu")
    text = "Grüße  an\tZoe 🙂🙂 Quinn…\n\n   Zoe\u00a0Ann — 日本語 Quinn"
    [spans] = backend.predict([text])
    # A no-break space is a token of its own here (O), so Zoe and Ann stay apart.
    want, pos = [], 0
    for name in ["Zoe", "Quinn", "Zoe", "Ann", "Quinn"]:
        pos = text.index(name, pos)
        want.append((pos, pos + len(name)))
        pos += len(name)
    assert [(s.start, s.end) for s in spans] == want
    assert spans[-1].end == len(text)


@pytest.mark.parametrize("window", [8, 13, 16])
def test_real_model_windows_do_not_change_the_answer(pf_dir: Path, window: int) -> None:
    small = tb.load_backend(str(pf_dir), device="cpu", window=window, batch_size=4)
    big = tb.load_backend(str(pf_dir), device="cpu", window=4096)
    texts = []
    for k in range(0, 26):
        words = [FILLER[i % len(FILLER)] for i in range(k)] + list(NAMES) + FILLER + ["Zoe"]
        texts.append(" ".join(words))
    got = small.predict(texts)
    assert got == big.predict(texts)
    for text, spans in zip(texts, got, strict=True):
        assert texts_of(text, spans) == ["Zoe Ann Quinn", "Zoe"]


def test_random_privacy_filter_on_long_text_gives_valid_spans(pf_random_dir: Path) -> None:
    backend = tb.load_backend(str(pf_random_dir), device="cpu", window=16, batch_size=8)
    text = " ".join(CORPUS * 12) + " ✓ é\u0301 日本"
    [spans] = backend.predict([text])
    assert spans == sorted(spans, key=lambda s: (s.start, s.end, s.label))
    assert len(set(spans)) == len(spans)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        assert 0.0 <= s.score <= 1.0
    by_label: dict[str, list[tb.Span]] = {}
    for s in spans:
        by_label.setdefault(s.label, []).append(s)
    for same in by_label.values():
        assert all(a.end <= b.start for a, b in itertools.pairwise(same))  # no overlaps within a label
    assert backend.predict(["", "   "]) == [[], []]


def test_calibration_file_is_read(pf_dir: Path, tmp_path: Path) -> None:
    calibrated = tmp_path / "pf"
    calibrated.mkdir()
    for f in pf_dir.iterdir():
        (calibrated / f.name).write_bytes(f.read_bytes())
    biases = dict.fromkeys(BIAS_KEYS, 0.0) | {"transition_bias_background_to_start": -50.0}
    (calibrated / "viterbi_calibration.json").write_text(
        json.dumps({"operating_points": {"default": {"biases": biases}}})
    )
    backend = tb.load_backend(str(calibrated), device="cpu")
    assert backend.biases["transition_bias_background_to_start"] == -50.0
    assert backend.fingerprint() != tb.load_backend(str(pf_dir), device="cpu").fingerprint()
    # Starting a span after O now costs more than the name tokens' evidence: nothing is found
    # except at the very start of the text, where no transition is paid.
    [spans] = backend.predict(["the cat Zoe Ann sat"])
    assert spans == []
    [spans] = backend.predict(["Zoe Ann sat"])
    assert texts_of("Zoe Ann sat", spans) == ["Zoe Ann"]


# --- BERT-style BIO -------------------------------------------------------------------------------


def test_bert_bio_model_with_word_pieces(bert_dir: Path) -> None:
    backend = tb.load_backend(str(bert_dir), device="cpu", window=512)
    assert backend.tagset.scheme == "BIO"
    assert backend.prefix == [2] and backend.suffix == [3]  # [CLS] ... [SEP]
    assert backend.window == 64  # clamped to the model's positions
    text = "ZOË  Quinn works at Acme in Paris, the Quinnford cafe!"
    [spans] = backend.predict([text])
    got = [(text[s.start : s.end], s.label) for s in spans]
    # "Quinnford" is quinn + ##ford: the person piece widens to the whole word.
    assert got == [("ZOË  Quinn", "PER"), ("Acme", "ORG"), ("Paris", "LOC"), ("Quinnford", "PER")]


def test_bert_windows_with_special_tokens(bert_dir: Path) -> None:
    small = tb.load_backend(str(bert_dir), device="cpu", window=8, batch_size=2)
    assert small.content == 6
    big = tb.load_backend(str(bert_dir), device="cpu", window=64)
    texts = [
        " ".join(["the cafe"] * k + ["zoe quinn works at acme in paris"] + ["the"] * 5) for k in range(12)
    ]
    assert small.predict(texts) == big.predict(texts)


def test_argmax_decode_differs_where_grammar_matters(bert_dir: Path) -> None:
    b = tb.load_backend(str(bert_dir), device="cpu", decode="argmax")
    text = "zoe quinn"
    [spans] = b.predict([text])
    assert texts_of(text, spans) == ["zoe quinn"]  # lenient I I still makes one span
    assert "argmax" in b.fingerprint()


# --- labels, layer and pipeline ---------------------------------------------------------------------


def test_label_mapping_defaults_and_overrides() -> None:
    assert tb.default_label("private_person") == "PERSON"
    assert tb.default_label("account_number") == "ACCOUNT_NUMBER"
    assert tb.default_label("secret") == "SECRET"
    assert tb.default_label("PER") == "PERSON"
    assert tb.default_label("GPE") == "LOCATION"
    assert tb.default_label("MISC") is None
    assert tb.default_label("medical-record") == "MEDICAL_RECORD"
    m = tb.label_map_for(["private_date", "private_url", "PER"], {"private_date": "", "PRIVATE_URL": "LINK"})
    assert m == {"private_date": None, "private_url": "LINK", "PER": "PERSON"}
    with pytest.raises(DetectionError, match="ner_labels"):
        tb.label_map_for(["PER"], {"PER": "not a label"})


def test_label_override_for_an_unknown_entity_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        assert tb.label_map_for(["PER"], {"private_dates": ""}) == {"PER": "PERSON"}
    assert "private_dates" in caplog.text


def test_pipeline_combines_regex_and_model_spans(pf_dir: Path) -> None:
    settings = Settings(
        ner="transformers", model=str(pf_dir), ner_device="cpu", ner_labels={"private_phone": "TELEPHONE"}
    )
    pipeline = build_pipeline(settings)
    text = "then Zoe Ann Quinn sat, mail zoe.quinn@example.com"
    spans = pipeline.analyze(text)
    got = {(text[s.start : s.end], s.label) for s in spans}
    assert ("Zoe Ann Quinn", "PERSON") in got
    assert ("zoe.quinn@example.com", "EMAIL") in got
    layer = next(layer for layer in pipeline.layers if layer.name == "ner:transformers")
    assert layer.label_map["private_phone"] == "TELEPHONE"
    assert "openai_privacy_filter" in layer.fingerprint()


def test_toml_config_selects_the_backend(pf_dir: Path, tmp_path: Path) -> None:
    from maskgate.config import load_settings

    cfg = tmp_path / "maskgate.toml"
    cfg.write_text(
        f"[maskgate]\nner = 'transformers'\nmodel = '{pf_dir}'\nner_device = 'cpu'\nner_window = 16\n"
        "[maskgate.ner_labels]\nprivate_person = 'CUSTOMER'\n"
    )
    settings = load_settings(cfg)
    text = "the cat sat on a mat and then Zoe Ann Quinn ran to see my dog at home with some tea"
    spans = build_pipeline(settings).analyze(text)
    assert [(text[s.start : s.end], s.label) for s in spans] == [("Zoe Ann Quinn", "CUSTOMER")]


def test_layer_code_filter_only_applies_to_name_labels() -> None:
    class Fixed:
        name = "fixed"

        def predict(self, texts: Sequence[str]) -> list[list[tb.Span]]:
            return [[tb.Span(0, 17, "private_person"), tb.Span(18, 30, "account_number")] for _ in texts]

        def fingerprint(self) -> str:
            return "fixed"

    layer = tb.TransformersLayer(Fixed(), tb.label_map_for(["private_person", "account_number"]))
    spans = layer.detect("HttpClientFactory 4455-991-220")
    assert [(s.label, s.source) for s in spans] == [("ACCOUNT_NUMBER", "ner:fixed")]
    # A refine function, if given, trims name spans only.
    refined = tb.TransformersLayer(
        Fixed(), tb.label_map_for(["private_person", "account_number"]), lambda t, lab, a, b: [(a, a + 4)]
    )
    spans = refined.detect("Dear Zoe Ann Quinn 4455-991-220")
    assert [(s.start, s.end, s.label) for s in spans] == [(0, 4, "PERSON"), (18, 30, "ACCOUNT_NUMBER")]


# --- errors -----------------------------------------------------------------------------------------


def test_missing_model_path_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(DetectionError, match=str(missing)):
        tb.load_backend(str(missing))
    with pytest.raises(DetectionError, match="not found"):
        tb.load_backend("someone/not-cached-model-xyz")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DetectionError, match=r"no config\.json"):
        tb.load_backend(str(tmp_path / "empty"))
    with pytest.raises(DetectionError, match="--model"):
        tb.build_layer(Settings(ner="transformers"))


def test_bad_device_and_dtype(pf_dir: Path) -> None:
    with pytest.raises(DetectionError, match="ner_device"):
        tb.load_backend(str(pf_dir), device="tpu")
    with pytest.raises(DetectionError, match="ner_dtype"):
        tb.load_backend(str(pf_dir), device="cpu", dtype="int3")
    if not torch.cuda.is_available():
        with pytest.raises(DetectionError, match="CUDA"):
            tb.load_backend(str(pf_dir), device="cuda")
    b = tb.load_backend(str(pf_dir), device="cpu", dtype="bf16")
    assert b.dtype == "bfloat16"  # type: ignore[attr-defined]
    assert b.predict(["Zoe Ann"])[0][0].label == "private_person"


def test_inference_errors_become_detection_errors() -> None:
    tokenizer = _pf_tokenizer()

    def broken(batch: list[list[int]]) -> list[np.ndarray]:
        raise RuntimeError("CUDA out of memory")

    backend = tb.TransformersBackend(tokenizer, broken, ["O", "B-x", "I-x"])
    with pytest.raises(DetectionError, match="out of memory"):
        backend.predict(["Zoe Ann"])


def test_a_model_without_an_outside_tag_is_refused(tmp_path: Path) -> None:
    config = transformers.BertConfig(
        vocab_size=10, hidden_size=8, num_hidden_layers=1, num_attention_heads=1, intermediate_size=8,
        id2label={0: "LABEL_0", 1: "LABEL_1"}, label2id={"LABEL_0": 0, "LABEL_1": 1},
    )  # fmt: skip
    transformers.BertForTokenClassification(config).save_pretrained(tmp_path)
    build_bert(tmp_path / "tok", controlled=False)
    for f in ("tokenizer.json", "tokenizer_config.json"):
        (tmp_path / f).write_bytes((tmp_path / "tok" / f).read_bytes())
    with pytest.raises(DetectionError, match="outside tag"):
        tb.load_backend(str(tmp_path), device="cpu")


def test_missing_extra_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(DetectionError, match=r"maskgate\[transformers\]"):
        tb.load_backend("anything")


# --- the CLI as a user runs it ----------------------------------------------------------------------


def test_cli_redact_with_a_model_directory(pf_dir: Path) -> None:
    env = {**os.environ, "MASKGATE_NER_DEVICE": "cpu"}
    r = subprocess.run(
        [sys.executable, "-m", "maskgate", "redact", "--ner", "transformers", "--model", str(pf_dir),
         "--store", "memory://", "--json", "then Zoe Ann Quinn sat, mail zoe@example.com"],
        capture_output=True, timeout=300, check=False, env=env,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr.decode()
    out = json.loads(r.stdout)
    assert "Zoe Ann Quinn" not in out["text"] and "zoe@example.com" not in out["text"]
    assert {(e["text"], e["label"]) for e in out["entities"]} >= {("Zoe Ann Quinn", "PERSON")}


def test_cli_reports_a_missing_model_in_one_line(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "maskgate", "redact", "--ner", "transformers", "--model",
         str(tmp_path / "nowhere"), "--store", "memory://", "hello"],
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    assert r.returncode != 0
    err = r.stderr.decode()
    assert str(tmp_path / "nowhere") in err and "Traceback" not in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_cli_serve_with_a_model_directory(pf_dir: Path, tmp_path: Path) -> None:
    """`maskgate serve --ner transformers --model DIR`: the upstream sees placeholders, the client
    gets its names back. Loopback only; the fake upstream is a stdlib server in this process."""
    received: list[dict] = []

    class Upstream(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            received.append(body)
            said = body["messages"][-1]["content"]
            reply = {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "m"),
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": f"You said: {said}"},
                     "finish_reason": "stop"}
                ],
            }  # fmt: skip
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "maskgate", "serve", "--ner", "transformers", "--model", str(pf_dir),
         "--port", str(port), "--store", "memory://", "--no-system-inject",
         "--provider", f"up=http://127.0.0.1:{upstream.server_port},api=openai"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "MASKGATE_NER_DEVICE": "cpu"},
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        text = "then Zoe Ann Quinn sat on the mat"
        r = httpx.post(
            f"{base}/up/v1/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": text}]},
            headers={"authorization": "Bearer test-key"},
            timeout=60,
        )
        assert r.status_code == 200, r.text
        sent = received[-1]["messages"][-1]["content"]
        assert "Zoe Ann Quinn" not in sent and "<PERSON_1>" in sent
        assert r.json()["choices"][0]["message"]["content"] == f"You said: {text}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        upstream.shutdown()
