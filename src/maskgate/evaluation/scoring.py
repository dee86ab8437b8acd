"""Scoring: span precision/recall/F1 (exact and overlap), leak rate, over-masking rate.

Definitions (docs/quality.md repeats them):

- A *considered* prediction is one whose label is not a quasi-identifier (mapping.QUASI_PREDICTIONS).
- **Overlap matching** (the headline figures): a considered prediction is a true positive when it
  shares at least one character with a scored gold span, ignored when it lies only on quasi or
  ignored gold spans, and a false positive otherwise. A scored gold span is found when at least one
  considered prediction overlaps it. Overall figures are label-agnostic (PII vs not PII, as in
  presidio-research); per-label figures are typed (the prediction's label must be one the rule
  ``accepts``).
- **Exact matching**: same, but offsets must be equal after trimming whitespace on both sides.
- **Leak rate**: of the letters and digits inside direct-identifier gold spans, the share not covered
  by any prediction (whatever its label: every prediction is masked). Spaces and punctuation
  between masked pieces reveal nothing, so they are not counted.
- **Over-masking rate**: of the non-whitespace characters outside every gold span, the share
  covered by a prediction. Whitespace is left out on both sides (a masked "John Smith" has one
  inner space whose count would depend on tokenisation, not on detection); characters inside
  quasi/ignored gold spans are left out too, since masking them is not an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from maskgate.evaluation.datasets import Record
from maskgate.evaluation.mapping import (
    MAPPING_VERSION,
    QUASI_PREDICTIONS,
    SCORED_KINDS,
    LabelRule,
    mapping_for,
)


@dataclass(frozen=True, order=True)
class Prediction:
    start: int
    end: int
    label: str


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict[str, float | None]:
    p = tp_p / n_pred if n_pred else None
    r = tp_r / n_gold if n_gold else None
    f1 = (
        2 * p * r / (p + r)
        if p is not None and r is not None and (p + r)
        else (0.0 if p == 0 or r == 0 else None)
    )
    return {"precision": p, "recall": r, "f1": f1}


@dataclass
class _Counts:
    gold: int = 0
    pred: int = 0
    tp_pred_overlap: int = 0
    tp_pred_exact: int = 0
    tp_gold_overlap: int = 0
    tp_gold_exact: int = 0
    found_any: int = 0
    pii_chars: int = 0
    leaked_chars: int = 0


@dataclass
class Report:
    """Result of scoring one detector on one dataset. `as_dict()` is the `--json` object."""

    name: str
    records: int = 0
    chars: int = 0
    seconds: float = 0.0
    overall: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    quasi: dict[str, dict[str, Any]] = field(default_factory=dict)
    other_predictions: dict[str, dict[str, int]] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    genres: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "detector": self.name,
            "mapping_version": MAPPING_VERSION,
            "records": self.records,
            "chars": self.chars,
            "seconds": round(self.seconds, 3),
            "overall": self.overall,
            "labels": self.labels,
            "quasi": self.quasi,
            "other_predictions": self.other_predictions,
            "mapping": self.mapping,
            "genres": self.genres,
        }


def score(
    records: Sequence[Record],
    predictions: Sequence[Sequence[Prediction]],
    name: str = "maskgate",
    seconds: float = 0.0,
    rules: Mapping[str, LabelRule] | None = None,
) -> Report:
    if len(records) != len(predictions):
        raise ValueError("one list of predictions per record is needed")
    if rules is None:
        rules = mapping_for({s.label for r in records for s in r.spans})
    primary_of: dict[str, str] = {}
    for label, rule in rules.items():
        if rule.kind in SCORED_KINDS:
            primary_of.setdefault(rule.primary, label)

    per: dict[str, _Counts] = {}
    other: dict[str, dict[str, int]] = {}
    n_pred = n_gold = 0
    tp_p_ov = tp_p_ex = tp_g_ov = tp_g_ex = 0
    typed_tp_p = typed_tp_g = 0
    pii = leaked = non_pii = overmasked = 0
    chars = 0

    for rec, preds in zip(records, predictions, strict=True):
        text = rec.text
        chars += len(text)
        covered = bytearray(len(text))
        for p in preds:
            covered[p.start : p.end] = b"\x01" * (p.end - p.start)
        in_gold = bytearray(len(text))
        for g in rec.spans:
            in_gold[g.start : g.end] = b"\x01" * (g.end - g.start)
        for i, ch in enumerate(text):
            if not in_gold[i] and not ch.isspace():
                non_pii += 1
                overmasked += covered[i]

        scored_gold = [g for g in rec.spans if rules[g.label].kind in SCORED_KINDS]
        other_gold = [g for g in rec.spans if rules[g.label].kind not in SCORED_KINDS]
        considered = [p for p in preds if p.label not in QUASI_PREDICTIONS]
        gold_exact = {_trim(text, g.start, g.end) for g in scored_gold}

        for g in rec.spans:
            rule = rules[g.label]
            c = per.setdefault(g.label, _Counts())
            c.gold += 1
            hits = [p for p in considered if p.start < g.end and g.start < p.end]
            any_hit = any(p.start < g.end and g.start < p.end for p in preds)
            c.found_any += any_hit
            alnum = [i for i in range(g.start, g.end) if text[i].isalnum()]
            c.pii_chars += len(alnum)
            lost = sum(1 for i in alnum if not covered[i])
            c.leaked_chars += lost
            if rule.kind == "direct":
                pii += len(alnum)
                leaked += lost
            if rule.kind not in SCORED_KINDS:
                continue
            n_gold += 1
            if hits:
                tp_g_ov += 1
            exact = [p for p in hits if _trim(text, p.start, p.end) == _trim(text, g.start, g.end)]
            if exact:
                tp_g_ex += 1
            typed = [p for p in hits if p.label in rule.accepts]
            if typed:
                c.tp_gold_overlap += 1
                typed_tp_g += 1
            if any(p in exact for p in typed):
                c.tp_gold_exact += 1

        for p in considered:
            on_scored = [g for g in scored_gold if p.start < g.end and g.start < p.end]
            on_other = any(p.start < g.end and g.start < p.end for g in other_gold)
            if not on_scored and on_other:
                continue
            n_pred += 1
            is_exact = _trim(text, p.start, p.end) in gold_exact
            if on_scored:
                tp_p_ov += 1
                tp_p_ex += is_exact
                if any(p.label in rules[g.label].accepts for g in on_scored):
                    typed_tp_p += 1
            row = primary_of.get(p.label)
            if row is None:
                o = other.setdefault(p.label, {"predicted": 0, "false_positives": 0})
                o["predicted"] += 1
                o["false_positives"] += not on_scored
                continue
            c = per.setdefault(row, _Counts())
            c.pred += 1
            same_row = [g for g in on_scored if g.label == row]
            if same_row:
                c.tp_pred_overlap += 1
                c.tp_pred_exact += any(
                    _trim(text, g.start, g.end) == _trim(text, p.start, p.end) for g in same_row
                )

    rep = Report(name, len(records), chars, seconds)
    ov = _prf(tp_p_ov, n_pred, tp_g_ov, n_gold)
    rep.overall = {
        "precision": ov["precision"],
        "recall": ov["recall"],
        "f1": ov["f1"],
        "exact": _prf(tp_p_ex, n_pred, tp_g_ex, n_gold),
        "typed": _prf(typed_tp_p, n_pred, typed_tp_g, n_gold),
        "leak_rate": leaked / pii if pii else 0.0,
        "leaked_chars": leaked,
        "pii_chars": pii,
        "overmask_rate": overmasked / non_pii if non_pii else 0.0,
        "overmasked_chars": overmasked,
        "non_pii_chars": non_pii,
        "gold_spans": n_gold,
        "predicted_spans": n_pred,
        "chars_per_s": chars / seconds if seconds > 0 else None,
    }
    for label in sorted(per):
        c = per[label]
        found_rule = rules.get(label)
        kind = found_rule.kind if found_rule else "scored"
        if kind in SCORED_KINDS:
            ovl = _prf(c.tp_pred_overlap, c.pred, c.tp_gold_overlap, c.gold)
            ex = _prf(c.tp_pred_exact, c.pred, c.tp_gold_exact, c.gold)
            rep.labels[label] = {
                "kind": kind,
                "gold": c.gold,
                "predicted": c.pred,
                "precision": ovl["precision"],
                "recall": ovl["recall"],
                "f1": ovl["f1"],
                "exact": ex,
                "recall_any_label": c.found_any / c.gold if c.gold else None,
                "leak_rate": c.leaked_chars / c.pii_chars if c.pii_chars else 0.0,
            }
        else:
            rep.quasi[label] = {
                "kind": kind,
                "gold": c.gold,
                "masked_share": c.found_any / c.gold if c.gold else None,
                "chars_left_visible": c.leaked_chars / c.pii_chars if c.pii_chars else 0.0,
            }
    rep.other_predictions = dict(sorted(other.items()))
    rep.mapping = {label: f"{rule.kind}:{rule.primary}" for label, rule in sorted(rules.items())}
    if any(r.genre for r in records):
        rep.genres = by_genre(records, predictions, rules)
    return rep


GENRE_KEYS = ("leak_rate", "overmask_rate", "precision", "recall", "f1", "pii_chars", "gold_spans")


def by_genre(
    records: Sequence[Record],
    predictions: Sequence[Sequence[Prediction]],
    rules: Mapping[str, LabelRule],
) -> dict[str, dict[str, Any]]:
    """The overall figures of each genre's records alone, scored under the whole dataset's rules
    (records without a genre are grouped as "-")."""
    groups: dict[str, list[int]] = {}
    for i, rec in enumerate(records):
        groups.setdefault(rec.genre or "-", []).append(i)
    out: dict[str, dict[str, Any]] = {}
    for genre in sorted(groups):
        idx = groups[genre]
        sub = score([replace(records[i], genre="") for i in idx], [predictions[i] for i in idx], rules=rules)
        out[genre] = {"records": len(idx), **{k: sub.overall[k] for k in GENRE_KEYS}}
    return out
