"""Rich tables for `maskgate eval`: one overall row per detector, per-genre rows (when the
dataset names genres), then per-label rows."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from maskgate.evaluation.scoring import Report


def _f(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.2f}%" if pct else f"{x:.3f}"


def overall_table(reports: Sequence[Report], title: str) -> Table:
    t = Table(title=title)
    for col in ("detector", "leak", "overmask", "P", "R", "F1", "P exact", "R exact", "F1 exact", "chars/s"):
        t.add_column(col, justify="left" if col == "detector" else "right")
    for r in reports:
        o = r.overall
        cps = o.get("chars_per_s")
        t.add_row(
            r.name,
            _f(o["leak_rate"], True),
            _f(o["overmask_rate"], True),
            _f(o["precision"]),
            _f(o["recall"]),
            _f(o["f1"]),
            _f(o["exact"]["precision"]),
            _f(o["exact"]["recall"]),
            _f(o["exact"]["f1"]),
            f"{cps:,.0f}" if cps else "–",
        )
    return t


def labels_table(reports: Sequence[Report], title: str) -> Table:
    t = Table(title=title)
    t.add_column("label")
    t.add_column("kind")
    t.add_column("gold", justify="right")
    for r in reports:
        for col in ("P", "R", "F1", "R any", "leak"):
            t.add_column(f"{r.name[:4]} {col}" if len(reports) > 1 else col, justify="right")
    labels = sorted(
        {k for r in reports for k in r.labels},
        key=lambda k: (reports[0].labels.get(k, {}).get("kind", ""), k),
    )
    for label in labels:
        first = next(r.labels[label] for r in reports if label in r.labels)
        row = [label, first["kind"], str(first["gold"])]
        for r in reports:
            x = r.labels.get(label)
            if x is None:
                row += ["–"] * 5
                continue
            row += [
                _f(x["precision"]),
                _f(x["recall"]),
                _f(x["f1"]),
                _f(x["recall_any_label"]),
                _f(x["leak_rate"], True),
            ]
        t.add_row(*row)
    quasi = sorted({k for r in reports for k in r.quasi})
    for label in quasi:
        first = next(r.quasi[label] for r in reports if label in r.quasi)
        row = [label, first["kind"], str(first["gold"])]
        for r in reports:
            x = r.quasi.get(label)
            row += [
                "",
                "",
                "",
                _f(x["masked_share"]) if x else "–",
                _f(x["chars_left_visible"], True) if x else "–",
            ]
        t.add_row(*row, style="dim")
    return t


def genres_table(reports: Sequence[Report], title: str) -> Table:
    """One row per genre: each detector's leak, over-masking, P and R on that genre's texts."""
    t = Table(title=title)
    t.add_column("genre")
    t.add_column("texts", justify="right")
    t.add_column("gold", justify="right")
    for r in reports:
        for col in ("leak", "overmask", "P", "R"):
            t.add_column(f"{r.name[:4]} {col}" if len(reports) > 1 else col, justify="right")
    for genre, first in reports[0].genres.items():
        row = [genre, str(first["records"]), str(first["gold_spans"])]
        for r in reports:
            g = r.genres.get(genre)
            row += (
                [_f(g["leak_rate"], True), _f(g["overmask_rate"], True), _f(g["precision"]), _f(g["recall"])]
                if g
                else ["–"] * 4
            )
        t.add_row(*row)
    return t


def print_reports(reports: Sequence[Report], dataset: str, console: Console | None = None) -> None:
    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=max(console.width, 160))
    console.print(overall_table(reports, f"{dataset}: overall (scored labels, overlap match)"))
    if reports and reports[0].genres:
        console.print(genres_table(reports, f"{dataset}: per genre (leak over direct identifiers)"))
    console.print(labels_table(reports, f"{dataset}: per label (typed; 'R any' = found under any label)"))
    for r in reports:
        if r.other_predictions:
            extra = ", ".join(
                f"{k} {v['predicted']} ({v['false_positives']} FP)" for k, v in r.other_predictions.items()
            )
            console.print(f"[dim]{r.name}: other predicted labels: {extra}[/dim]")
