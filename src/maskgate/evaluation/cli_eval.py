"""`maskgate eval DATASET`: score the configured pipeline (and optionally Presidio) on a labeled set."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from maskgate.cli_options import ConfigOpt, LocaleOpt, ModelOpt, NerOpt, fail, settings_from


def run_eval(
    records: Sequence[Any],
    detectors: Sequence[Any],
    show_progress: bool = True,
) -> list[Any]:
    """Run each detector over the records' texts and score it; returns one Report per detector."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from maskgate.evaluation.scoring import score

    texts = [r.text for r in records]
    reports = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not show_progress,
    ) as progress:
        for det in detectors:
            task = progress.add_task(det.name, total=len(texts))
            preds, seconds = det.run(texts, lambda n, task=task: progress.advance(task, n))
            reports.append(score(records, preds, det.name, seconds))
    return reports


def eval_command(
    dataset: Annotated[Path, typer.Argument(help="Labeled dataset: Presidio JSON or JSONL.")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="presidio or jsonl (default: from the file extension)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    compare: Annotated[
        str | None, typer.Option("--compare", help="Also run another detector on the same texts: presidio.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N records.")] = None,
    genre: Annotated[
        str | None, typer.Option("--genre", help="Only records of these genres (comma-separated).")
    ] = None,
    locale: LocaleOpt = None,
    ner: NerOpt = None,
    model: ModelOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Score detection on a labeled DATASET: span P/R/F1, leak rate, over-masking, chars/s."""
    from maskgate.detect.spans import DetectionError
    from maskgate.evaluation.datasets import DatasetError, load_dataset
    from maskgate.evaluation.report import print_reports
    from maskgate.evaluation.runners import MaskgateRunner, PresidioRunner

    if fmt not in (None, "presidio", "jsonl"):
        fail(f"unknown --format {fmt!r}: use presidio or jsonl")
    if compare not in (None, "presidio"):
        fail(f"unknown --compare {compare!r}: only presidio is supported")
    settings = settings_from(config, locales=locale or None, ner=ner, model=model)
    try:
        records = load_dataset(dataset, fmt)  # type: ignore[arg-type]
    except DatasetError as exc:
        fail(str(exc))
    if genre:
        wanted = {g.strip() for g in genre.split(",") if g.strip()}
        known = {r.genre for r in records}
        if not wanted <= known:
            fail(
                f"unknown --genre {', '.join(sorted(wanted - known))}: the dataset has {', '.join(sorted(known))}"
            )
        records = [r for r in records if r.genre in wanted]
    records = records[:limit] if limit is not None else records
    try:
        detectors: list[Any] = [MaskgateRunner(settings)]
        if compare == "presidio":
            detectors.append(PresidioRunner())
        reports = run_eval(records, detectors, show_progress=not as_json)
    except (DetectionError, RuntimeError, ValueError) as exc:
        fail(str(exc), 3)
    if as_json:
        out: dict[str, Any] = {"dataset": str(dataset), **reports[0].as_dict()}
        if len(reports) > 1:
            out["compare"] = {r.name: r.as_dict() for r in reports[1:]}
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        print_reports(reports, dataset.name)
