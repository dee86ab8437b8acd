"""Token-classification models as an NER backend: openai/privacy-filter and BERT-style BIO models.

Optional: needs `maskgate[transformers]` (torch + transformers), imported only when this backend is
chosen. Models load from a local directory (or the local Hugging Face cache) and never from the
network. Per text, the backend:

1. tokenises the whole text once with a fast tokenizer, keeping each token's character offsets;
2. cuts the tokens into overlapping windows of at most `window` tokens (special tokens included),
   runs them through the model in batches, and keeps each token's logits from the window in which
   it sits furthest from an edge, so every token is scored exactly once and with context;
3. decodes the stitched logits of the whole text in one constrained Viterbi pass (`viterbi.py`),
   so an entity that crosses a window edge comes out once and whole;
4. maps token ranges back onto exact character offsets: the first token's start to the last
   token's end, trimmed of surrounding whitespace and widened to whole words (privacy first: if a
   model tags `Jo` of `Johnson`, all of `Johnson` is masked).

Spans keep the model's entity names (`private_person`); `TransformersLayer` maps them onto
maskgate's labels (`PERSON`), with `ner_labels` in the settings overriding the defaults.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING, Any

import numpy as np

from maskgate.detect.labels import check_label
from maskgate.detect.ner.base import NerLayer
from maskgate.detect.ner.viterbi import (
    BIAS_KEYS,
    TagSet,
    argmax_path,
    entity_indices,
    log_softmax,
    path_to_spans,
    viterbi,
)
from maskgate.detect.ner.windows import char_range, merge_same_label, plan_windows
from maskgate.detect.spans import DetectionError, Span

if TYPE_CHECKING:
    from maskgate.detect.options import DetectOptions

log = logging.getLogger(__name__)
INSTALL_HINT = (
    "install the optional extra: pip install 'maskgate[transformers]' (or `make install-transformers`)"
)
CALIBRATION_FILE = "viterbi_calibration.json"

# Entity names of openai/privacy-filter (BIOES tags like `B-private_person`).
PRIVACY_FILTER_LABELS: dict[str, str] = {
    "private_person": "PERSON",
    "private_email": "EMAIL",
    "private_phone": "PHONE",
    "private_address": "ADDRESS",
    "private_date": "DATE",
    "private_url": "URL",
    "account_number": "ACCOUNT_NUMBER",
    "secret": "SECRET",
}
# Common tags of BERT-style NER/PII models, by upper-cased name. None: not PII, dropped.
COMMON_LABELS: dict[str, str | None] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "NAME": "PERSON",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "LOC": "LOCATION",
    "LOCATION": "LOCATION",
    "GPE": "LOCATION",
    "FAC": "FACILITY",
    "FACILITY": "FACILITY",
    "EMAIL": "EMAIL",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE": "PHONE",
    "PHONE_NUMBER": "PHONE",
    "TELEPHONENUM": "PHONE",
    "ADDRESS": "ADDRESS",
    "STREET_ADDRESS": "ADDRESS",
    "DATE": "DATE",
    "DOB": "DATE",
    "URL": "URL",
    "IP": "IP_ADDRESS",
    "IP_ADDRESS": "IP_ADDRESS",
    "IBAN": "IBAN",
    "CREDIT_CARD": "CREDIT_CARD",
    "CREDITCARDNUMBER": "CREDIT_CARD",
    "SSN": "US_SSN",
    "USERNAME": "USERNAME",
    "PASSWORD": "SECRET",
    "SECRET": "SECRET",
    "ACCOUNT_NUMBER": "ACCOUNT_NUMBER",
    "ACCOUNTNUM": "ACCOUNT_NUMBER",
    "MISC": None,
}
# Labels whose model spans go through the code-token filter (`HttpClientFactory` is no person).
# Others (emails, phones, secrets, account numbers) legitimately contain digits and symbols.
NAME_LABELS = frozenset({"PERSON", "ORG", "LOCATION", "FACILITY"})

Forward = Callable[[list[list[int]]], list[np.ndarray]]


# --- labels -------------------------------------------------------------------------------------


def default_label(entity: str) -> str | None:
    """maskgate's label for a model entity name: known tables first, else the upper-cased name."""
    if entity in PRIVACY_FILTER_LABELS:
        return PRIVACY_FILTER_LABELS[entity]
    key = re.sub(r"[^A-Z0-9]+", "_", entity.upper()).strip("_")
    if key in COMMON_LABELS:
        return COMMON_LABELS[key]
    if not key:
        return None
    return key if key[0].isalpha() else f"X_{key}"


def label_map_for(
    entities: Sequence[str], overrides: Mapping[str, str] | None = None
) -> dict[str, str | None]:
    """Entity name -> maskgate label (None drops it). Override keys match exactly or ignoring case;
    an empty value drops the entity."""
    overrides = dict(overrides or {})
    folded = {k.lower(): v for k, v in overrides.items()}
    known = {e.lower() for e in entities}
    unknown = sorted(k for k in overrides if k.lower() not in known)
    if unknown:
        log.warning(
            "ner_labels: %s not among this model's entities (%s)", ", ".join(unknown), ", ".join(entities)
        )
    out: dict[str, str | None] = {}
    for ent in entities:
        if ent in overrides or ent.lower() in folded:
            value = overrides.get(ent, folded.get(ent.lower()))
            if not value:
                out[ent] = None
                continue
            try:
                out[ent] = check_label(value)
            except ValueError as exc:
                raise DetectionError(f"ner_labels: {exc}") from exc
        else:
            out[ent] = default_label(ent)
    return out


class TransformersLayer(NerLayer):
    """NerLayer whose code-token filter (and `refine`, if one is given) only apply to name-like
    labels: emails, URLs, phones, secrets and account numbers legitimately look like code.

    build_layer gives no `refine`: the spaCy post-filter's heuristics (drop a lone ordinary English
    word, trim words around a name) target a small model's mistakes, and dropping a true positive
    of the stronger model costs privacy."""

    filtered_labels = NAME_LABELS


# --- the backend --------------------------------------------------------------------------------


def special_tokens(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The special token ids the tokenizer puts before and after a sequence ([CLS] ... [SEP])."""
    enc = tokenizer("a", add_special_tokens=True, return_special_tokens_mask=True)
    ids, mask = list(enc["input_ids"]), list(enc["special_tokens_mask"])
    normal = [i for i, m in enumerate(mask) if not m]
    if not normal:
        return [], []
    return ids[: normal[0]], ids[normal[-1] + 1 :]


class TransformersBackend:
    """Windowed inference + constrained decoding around any `forward(batch_of_token_ids) -> logits`."""

    name = "transformers"

    def __init__(
        self,
        tokenizer: Any,
        forward: Forward,
        id2label: Mapping[int, str] | Sequence[str],
        *,
        window: int = 512,
        overlap: int | None = None,
        batch_size: int = 8,
        biases: Mapping[str, float] | None = None,
        decode: str = "viterbi",
        ident: str = "",
    ) -> None:
        if not getattr(tokenizer, "is_fast", False):
            raise DetectionError("the transformers backend needs a fast tokenizer (a tokenizer.json file)")
        if decode not in ("viterbi", "argmax"):
            raise ValueError(f"unknown decode {decode!r}: use viterbi or argmax")
        self.tokenizer = tokenizer
        self.forward = forward
        self.tagset = TagSet.from_id2label(id2label)
        self.prefix, self.suffix = special_tokens(tokenizer)
        self.window = int(window)
        self.content = self.window - len(self.prefix) - len(self.suffix)
        if self.content < 2:
            raise DetectionError(f"ner_window {window} is too small for this tokenizer's special tokens")
        self.overlap = self.content // 4 if overlap is None else int(overlap)
        self.batch_size = max(1, int(batch_size))
        self.biases = {k: float(v) for k, v in (biases or {}).items()}
        self.decode = decode
        self.ident = ident
        self._constraints = self.tagset.constraints(self.biases)
        self._entity_idx = entity_indices(self.tagset)
        self._tok_lock = threading.Lock()  # a fast tokenizer must not be used by two threads at once
        self.timings: dict[str, float] = {}  # seconds of the last predict() per phase (benchmarks)

    def predict(self, texts: Sequence[str]) -> list[list[Span]]:
        t0 = perf_counter()
        texts = list(texts)
        with self._tok_lock:
            enc = self.tokenizer(
                texts,
                add_special_tokens=False,
                return_offsets_mapping=True,
                return_attention_mask=False,
                return_token_type_ids=False,
            )
        all_ids: list[list[int]] = [list(x) for x in enc["input_ids"]]
        all_offsets: list[list[tuple[int, int]]] = [list(x) for x in enc["offset_mapping"]]
        t1 = perf_counter()
        emissions, forward_s = self._emissions(all_ids)
        t2 = perf_counter()
        out = [
            self._decode(text, offsets, em) if em is not None else []
            for text, offsets, em in zip(texts, all_offsets, emissions, strict=True)
        ]
        t3 = perf_counter()
        self.timings = {
            "tokenize": t1 - t0,
            "window": (t2 - t1) - forward_s,
            "forward": forward_s,
            "decode": t3 - t2,
        }
        return out

    def _emissions(self, all_ids: list[list[int]]) -> tuple[list[np.ndarray | None], float]:
        """Per text, logits (tokens x tags) stitched from its windows; and the seconds in forward()."""
        jobs = [
            (i, *w)
            for i, ids in enumerate(all_ids)
            for w in plan_windows(len(ids), self.content, self.overlap)
        ]
        jobs.sort(key=lambda j: j[2] - j[1])  # similar lengths share a batch: less padding
        n_tags = len(self.tagset)
        out: list[np.ndarray | None] = [
            np.empty((len(ids), n_tags), dtype=np.float32) if ids else None for ids in all_ids
        ]
        p = len(self.prefix)
        forward_s = 0.0
        for b in range(0, len(jobs), self.batch_size):
            batch = jobs[b : b + self.batch_size]
            inputs = [self.prefix + all_ids[i][s:e] + self.suffix for i, s, e, _, _ in batch]
            f0 = perf_counter()
            try:
                logits = self.forward(inputs)
            except DetectionError:
                raise
            except Exception as exc:  # out of memory, device lost, ...: callers fail closed on this
                raise DetectionError(f"NER model inference failed: {type(exc).__name__}: {exc}") from exc
            forward_s += perf_counter() - f0
            for (i, s, _e, own_s, own_e), lg in zip(batch, logits, strict=True):
                if lg.shape[-1] != n_tags:
                    raise DetectionError(f"model returned {lg.shape[-1]} scores per token, expected {n_tags}")
                target = out[i]
                assert target is not None
                target[own_s:own_e] = lg[p + own_s - s : p + own_e - s]
        return out, forward_s

    def _decode(self, text: str, offsets: list[tuple[int, int]], logits: np.ndarray) -> list[Span]:
        logp = log_softmax(logits)
        path = viterbi(logp, *self._constraints) if self.decode == "viterbi" else argmax_path(logp)
        spans: list[Span] = []
        for a, b, ent in path_to_spans(path, self.tagset):
            starts = [offsets[k][0] for k in range(a, b) if offsets[k][1] > offsets[k][0]]
            ends = [offsets[k][1] for k in range(a, b) if offsets[k][1] > offsets[k][0]]
            if not starts:
                continue
            start, end = char_range(text, min(starts), max(ends))
            if end <= start:
                continue
            score = float(np.exp(logp[a:b][:, self._entity_idx[ent]]).sum(axis=1).mean())
            spans.append(Span(start, end, ent, min(1.0, score), self.name))
        return merge_same_label(spans)

    def fingerprint(self) -> str:
        bias = ",".join(f"{self.biases.get(k, 0.0):g}" for k in BIAS_KEYS)
        return f"{self.ident}:{self.tagset.scheme}:{self.window}:{self.overlap}:{self.decode}:{bias}"


# --- loading ------------------------------------------------------------------------------------


def _import_torch() -> tuple[Any, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # maskgate never downloads a model at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise DetectionError(f"--ner transformers needs torch and transformers: {INSTALL_HINT}") from exc
    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return torch, transformers


def resolve_device(device: str, torch: Any) -> str:
    d = (device or "auto").strip().lower()
    if d == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    if d == "cpu":
        return d
    if re.fullmatch(r"cuda(:\d+)?", d):
        if not torch.cuda.is_available():
            raise DetectionError(f"ner_device {device!r}: CUDA is not available to this torch build")
        return d
    if d == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise DetectionError("ner_device 'mps': Apple MPS is not available")
        return d
    raise DetectionError(f"unknown ner_device {device!r}: use cpu, cuda, cuda:N, mps or auto")


_DTYPES = {
    "float32": "float32",
    "fp32": "float32",
    "bfloat16": "bfloat16",
    "bf16": "bfloat16",
    "float16": "float16",
    "fp16": "float16",
    "half": "float16",
}


def resolve_dtype(dtype: str, device: str, torch: Any) -> Any:
    """auto: bf16 on a GPU that supports it, fp32 elsewhere (bf16 matmuls are slow on most CPUs)."""
    d = (dtype or "auto").strip().lower()
    if d == "auto":
        if device.startswith("cuda") and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    if d not in _DTYPES:
        raise DetectionError(f"unknown ner_dtype {dtype!r}: use auto, float32, bfloat16 or float16")
    return getattr(torch, _DTYPES[d])


def read_calibration(path: str | Path, operating_point: str = "default") -> dict[str, float]:
    """Transition biases from a privacy-filter `viterbi_calibration.json`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DetectionError(f"cannot read Viterbi calibration {path}: {exc}") from exc
    if isinstance(data, dict) and "operating_points" in data:
        point = data["operating_points"].get(operating_point)
        if not isinstance(point, dict):
            raise DetectionError(f"{path}: no operating point {operating_point!r}")
        data = point
    if isinstance(data, dict) and isinstance(data.get("biases"), dict):
        data = data["biases"]
    if not isinstance(data, dict):
        raise DetectionError(f"{path}: expected an object of transition biases")
    biases: dict[str, float] = {}
    for k, v in data.items():
        if k not in BIAS_KEYS:
            continue
        if not isinstance(v, int | float) or not math.isfinite(v):
            raise DetectionError(f"{path}: bias {k} must be a finite number")
        biases[k] = float(v)
    return biases


def _ident(source: str, config: Any) -> str:
    """Model type plus a digest of the config and the weight files' sizes and times."""
    h = hashlib.sha256(json.dumps(config.to_dict(), sort_keys=True, default=str).encode())
    p = Path(source)
    if p.is_dir():
        for f in sorted(p.iterdir()):
            if f.suffix in (".safetensors", ".bin", ".json"):
                st = f.stat()
                h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return f"{config.model_type}:{h.hexdigest()[:16]}"


def _locate(model: str) -> tuple[str, Path | None]:
    """(what to pass to from_pretrained, the local directory if the model is one)."""
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise DetectionError(f"not a transformers model directory: {path.resolve()} has no config.json")
        return str(path.resolve()), path.resolve()
    if path.exists():
        raise DetectionError(f"--model must be a model directory, not a file: {path.resolve()}")
    return model, None


def _missing(model: str, exc: Exception) -> DetectionError:
    where = Path(model).expanduser().resolve()
    return DetectionError(
        f"model {model!r} not found: no directory {where}, and not in the local Hugging Face cache. "
        "maskgate never downloads models at run time: download the model elsewhere, copy its "
        f"directory here and pass it with --model DIR (see docs/transformers.md) [{type(exc).__name__}]"
    )


def load_backend(
    model: str,
    *,
    device: str = "auto",
    dtype: str = "auto",
    window: int = 512,
    batch_size: int = 8,
    overlap: int | None = None,
    decode: str = "viterbi",
) -> TransformersBackend:
    """Load tokenizer + AutoModelForTokenClassification from local files only."""
    torch, transformers = _import_torch()
    source, local_dir = _locate(model)
    dev = resolve_device(device, torch)
    torch_dtype = resolve_dtype(dtype, dev, torch)
    try:
        config = transformers.AutoConfig.from_pretrained(source, local_files_only=True)
    except ValueError as exc:
        if "model type" in str(exc) or "Unrecognized" in str(exc):
            raise DetectionError(
                f"transformers {transformers.__version__} cannot load {source}: {exc}. "
                "openai/privacy-filter needs transformers >= 5 (OpenAIPrivacyFilterConfig)"
            ) from exc
        raise _missing(model, exc) from exc
    except OSError as exc:
        raise _missing(model, exc) from exc
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(source, local_files_only=True)
        net = transformers.AutoModelForTokenClassification.from_pretrained(
            source, local_files_only=True, dtype=torch_dtype
        )
    except (OSError, ValueError) as exc:
        raise DetectionError(f"cannot load the model in {source}: {exc}") from exc
    net = net.to(dev).eval()
    pad_id = tokenizer.pad_token_id
    if pad_id is None:
        pad_id = getattr(config, "pad_token_id", None)
    pad_id = int(pad_id) if pad_id is not None and 0 <= int(pad_id) < config.vocab_size else 0

    # Never feed more positions than the model has.
    limits = [window]
    max_pos = getattr(config, "max_position_embeddings", None)
    if isinstance(max_pos, int) and max_pos > 0:
        limits.append(
            max_pos - 2 if config.model_type in ("roberta", "xlm-roberta", "camembert") else max_pos
        )
    tok_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_max, int) and 0 < tok_max < 1_000_000:
        limits.append(tok_max)

    biases: dict[str, float] = {}
    calibration = _calibration_path(source, local_dir)
    if calibration is not None:
        biases = read_calibration(calibration)

    def forward(batch: list[list[int]]) -> list[np.ndarray]:
        width = max(len(seq) for seq in batch)
        ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for k, seq in enumerate(batch):
            ids[k, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[k, : len(seq)] = 1
        with torch.inference_mode():
            logits = net(input_ids=ids.to(dev), attention_mask=mask.to(dev)).logits
        arr = logits.float().cpu().numpy()
        return [arr[k, : len(seq)] for k, seq in enumerate(batch)]

    try:
        backend = TransformersBackend(
            tokenizer,
            forward,
            {int(k): v for k, v in config.id2label.items()},
            window=min(limits),
            overlap=overlap,
            batch_size=batch_size,
            biases=biases,
            decode=decode,
            ident=_ident(source, config),
        )
    except ValueError as exc:  # e.g. labels without an O tag: not a BIO/BIOES tagger
        raise DetectionError(f"cannot use the model in {source}: {exc}") from exc
    backend.device = dev  # type: ignore[attr-defined]
    backend.dtype = str(torch_dtype).removeprefix("torch.")  # type: ignore[attr-defined]
    backend.model = net  # type: ignore[attr-defined]
    return backend


def _calibration_path(source: str, local_dir: Path | None) -> Path | None:
    if local_dir is not None:
        p = local_dir / CALIBRATION_FILE
        return p if p.is_file() else None
    try:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(source, CALIBRATION_FILE)
    except Exception:
        return None
    return Path(found) if isinstance(found, str) else None


_backends: dict[tuple[Any, ...], TransformersBackend] = {}
_lock = threading.Lock()


def cached_backend(model: str, **kwargs: Any) -> TransformersBackend:
    """Load once per process per (model, options)."""
    key = (
        str(Path(model).expanduser().resolve()) if Path(model).expanduser().is_dir() else model,
        *sorted(kwargs.items()),
    )
    with _lock:
        if key not in _backends:
            _backends[key] = load_backend(model, **kwargs)
        return _backends[key]


def build_layer(settings: DetectOptions) -> TransformersLayer:
    if not settings.model:
        raise DetectionError(
            "--ner transformers needs --model DIR: a local token-classification model directory "
            "(see docs/transformers.md)"
        )
    backend = cached_backend(
        settings.model,
        device=settings.ner_device,
        dtype=settings.ner_dtype,
        window=settings.ner_window,
        batch_size=settings.ner_batch_size,
    )
    overrides = settings.ner_labels or {}
    return TransformersLayer(backend, label_map_for(backend.tagset.entity_names, overrides))
