"""What every maskgate command shares: option types, settings loading, and turning errors into exit
statuses. Command modules (cli.py, server/cli_serve.py, evaluation/cli_eval.py) import from here,
never from each other, so importing any one of them first works."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from maskgate.config import Settings, load_settings
from maskgate.errors import MaskgateError

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="TOML config file.", envvar="MASKGATE_CONFIG")
]
StoreOpt = Annotated[
    str | None, typer.Option("--store", help="Vault: sqlite:///path.db (default: user data dir) or memory://")
]
SessionOpt = Annotated[str, typer.Option("--session", "-s", help="Vault session id.")]
LocaleOpt = Annotated[
    list[str] | None,
    typer.Option("--locale", "-l", help="Regional packs: us, uk, au, nz, es or all (repeatable)."),
]
NerOpt = Annotated[
    str | None, typer.Option("--ner", help="NER backend: spacy (default), transformers or none.")
]
ModelOpt = Annotated[
    str | None, typer.Option("--model", help="NER model: spaCy package, or a transformers model directory.")
]


DenyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--deny", help="Always mask this term: TERM or LABEL=TERM (repeatable; replaces the setting)."
    ),
]
AllowOpt = Annotated[
    list[str] | None, typer.Option("--allow", help="Never mask this term (repeatable; replaces the setting).")
]
IgnoreOpt = Annotated[
    list[str] | None, typer.Option("--ignore-label", help="Never mask this label (repeatable).")
]
PatternOpt = Annotated[
    list[str] | None, typer.Option("--pattern", help="Extra regex for a label: LABEL=REGEX (repeatable).")
]
ThresholdOpt = Annotated[
    list[str] | None, typer.Option("--threshold", help="Minimum score for a label: LABEL=0.8 (repeatable).")
]
MergeGapOpt = Annotated[
    list[str] | None,
    typer.Option("--merge-gap", help="Characters joining two same-label spans: LABEL=CHARS (repeatable)."),
]


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"maskgate: error: {message}", err=True)
    raise typer.Exit(code)


def fail_with(exc: MaskgateError | ValueError) -> NoReturn:
    """The one place an error becomes an exit status: a MaskgateError's own (errors.py), 2 for an
    invalid value (a bad --pattern regex, an unknown locale)."""
    fail(str(exc), exc.exit_code if isinstance(exc, MaskgateError) else 2)


def settings_from(config: Path | None, **overrides: object) -> Settings:
    try:
        return load_settings(config, **overrides)
    except MaskgateError as exc:
        fail_with(exc)
