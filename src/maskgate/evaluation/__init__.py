"""Evaluation: load labeled datasets, run a detector, score spans, leak and over-masking.

`maskgate eval` (cli_eval.py) is the command; docs/quality.md gives the figures and the method.
"""

from maskgate.evaluation.datasets import GoldSpan, Record, load_dataset
from maskgate.evaluation.mapping import MAPPING_VERSION, LabelRule, mapping_for
from maskgate.evaluation.scoring import Prediction, Report, score

__all__ = [
    "MAPPING_VERSION",
    "GoldSpan",
    "LabelRule",
    "Prediction",
    "Record",
    "Report",
    "load_dataset",
    "mapping_for",
    "score",
]
