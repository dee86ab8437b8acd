"""Command line: maskgate serve | redact | unmask | eval | sessions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from maskgate.cli_options import (
    AllowOpt,
    ConfigOpt,
    DenyOpt,
    IgnoreOpt,
    LocaleOpt,
    MergeGapOpt,
    ModelOpt,
    NerOpt,
    PatternOpt,
    SessionOpt,
    StoreOpt,
    ThresholdOpt,
    fail,
    fail_with,
    settings_from,
)
from maskgate.config import Settings
from maskgate.errors import MaskgateError

if TYPE_CHECKING:
    from maskgate.masking import Masker
    from maskgate.vault import Store

app = typer.Typer(
    name="maskgate",
    help="Local privacy proxy for LLM APIs: mask PII before it leaves, unmask the answers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _pairs(values: list[str], flag: str) -> list[tuple[str, str]]:
    out = []
    for v in values:
        key, sep, rest = v.partition("=")
        if not sep or not key:
            fail(f"{flag} expects LABEL=VALUE, got {v!r}")
        out.append((key.strip(), rest))
    return out


def detection_overrides(
    deny: list[str] | None = None,
    allow: list[str] | None = None,
    ignore_label: list[str] | None = None,
    pattern: list[str] | None = None,
    threshold: list[str] | None = None,
    merge_gap: list[str] | None = None,
) -> dict[str, object]:
    """Settings overrides from the detection flags shared by `redact` and `serve` (None: not given)."""
    out: dict[str, object] = {}
    if deny:
        terms: dict[str, list[str]] = {}
        for v in deny:
            label, sep, term = v.partition("=")
            if sep and label and label.isupper():
                terms.setdefault(label, []).append(term)
            else:
                terms.setdefault("CUSTOM", []).append(v)
        out["deny"] = terms
    if allow:
        out["allow"] = allow
    if ignore_label:
        out["ignore_labels"] = ignore_label
    if pattern:
        patterns: dict[str, list[str]] = {}
        for label, rx in _pairs(pattern, "--pattern"):
            patterns.setdefault(label, []).append(rx)
        out["patterns"] = patterns
    if threshold:
        try:
            out["thresholds"] = {k: float(v) for k, v in _pairs(threshold, "--threshold")}
        except ValueError:
            fail("--threshold expects LABEL=NUMBER")
    if merge_gap:
        out["merge_gaps"] = dict(_pairs(merge_gap, "--merge-gap"))
    return out


def read_input(text: str | None) -> str:
    """TEXT argument, or stdin for `-` / no argument. Invalid UTF-8 is an error, not a traceback."""
    if text is not None and text != "-":
        return text
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(f"input is not valid UTF-8 (byte {exc.start})")


def build_masker(settings: Settings) -> Masker:
    from maskgate.runtime import build_masker as build

    try:
        return build(settings)
    except (MaskgateError, ValueError) as exc:
        fail_with(exc)


@app.command()
def redact(
    text: Annotated[str | None, typer.Argument(help="Text to mask, or - for stdin.")] = None,
    session: SessionOpt = "default",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print text, session and entities as JSON.")
    ] = False,
    locale: LocaleOpt = None,
    store: StoreOpt = None,
    ner: NerOpt = None,
    model: ModelOpt = None,
    deny: DenyOpt = None,
    allow: AllowOpt = None,
    ignore_label: IgnoreOpt = None,
    pattern: PatternOpt = None,
    threshold: ThresholdOpt = None,
    merge_gap: MergeGapOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Mask PII in TEXT (or stdin) and print the result."""
    overrides = detection_overrides(deny, allow, ignore_label, pattern, threshold, merge_gap)
    settings = settings_from(config, locales=locale or None, store=store, ner=ner, model=model, **overrides)
    raw = read_input(text)
    masker = build_masker(settings)
    try:
        result = masker.mask(raw, session=session)
    except MaskgateError as exc:
        fail_with(exc)
    if as_json:
        out = {"text": result.text, "session": session, "entities": [e.as_dict() for e in result.entities]}
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        typer.echo(result.text, nl=not result.text.endswith("\n"))


@app.command()
def unmask(
    text: Annotated[str | None, typer.Argument(help="Masked text, or - for stdin.")] = None,
    session: SessionOpt = "default",
    store: StoreOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Replace the placeholders of SESSION in TEXT (or stdin) with their values."""
    from maskgate.runtime import unmasking_masker

    settings = settings_from(config, store=store)
    raw = read_input(text)
    try:
        masker = unmasking_masker(settings)  # no detection model to load
        out = masker.unmask(raw, session=session)
    except MaskgateError as exc:
        fail_with(exc)
    typer.echo(out, nl=not out.endswith("\n"))


sessions_app = typer.Typer(
    help="Vault sessions: list, show, export, delete, prune expired ones, forget a value everywhere. "
    "SESSION is an id as listed (s_ + 32 hex) or a session name.",
    no_args_is_help=True,
)
app.add_typer(sessions_app, name="sessions")
SessionArg = Annotated[str, typer.Argument(help="Session id as listed, or session name.")]


def _open_store(config: Path | None, store: str | None) -> Store:
    from maskgate.vault import open_store

    settings = settings_from(config, store=store)
    try:
        return open_store(settings.store, ttl=settings.session_ttl)
    except MaskgateError as exc:
        fail_with(exc)


def _when(t: float | None) -> str:
    import datetime as dt

    return "never" if t is None else dt.datetime.fromtimestamp(t).isoformat(timespec="seconds")


@sessions_app.command("list")
def sessions_list(
    offset: Annotated[int, typer.Option(help="Skip this many sessions (oldest first).")] = 0,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per session.")] = False,
    store: StoreOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Live sessions with counts per label (no values, no names)."""
    from rich.console import Console
    from rich.table import Table

    infos = _open_store(config, store).sessions(offset=offset, limit=limit)
    if as_json:
        for s in infos:
            typer.echo(json.dumps(s.as_dict()))
        return
    table = Table("session", "entries", "labels", "created", "last used", "expires")
    for s in infos:
        labels = " ".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
        table.add_row(s.id, str(s.entries), labels, _when(s.created), _when(s.updated), _when(s.expires))
    Console(width=200).print(table)


@sessions_app.command("show")
def sessions_show(
    session: SessionArg,
    reveal: Annotated[bool, typer.Option("--reveal", help="Print the real values too.")] = False,
    store: StoreOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Placeholders of SESSION (values only with --reveal)."""
    from maskgate.vault import session_ref

    vault = _open_store(config, store)
    for e in vault.entries(session_ref(vault, session)):
        typer.echo(f"{e.placeholder}\t{e.value if reveal else '*' * min(len(e.value), 8)}")


@sessions_app.command("export")
def sessions_export(session: SessionArg, store: StoreOpt = None, config: ConfigOpt = None) -> None:
    """SESSION with every value, as JSON (a data-subject export: it reveals the values)."""
    from maskgate.vault import session_ref

    vault = _open_store(config, store)
    sid = session_ref(vault, session)
    info = vault.session_info(sid)
    if info is None:
        fail(f"no session {session}", 1)
    out = info.as_dict()
    out["entries"] = [
        {"placeholder": e.placeholder, "label": e.label, "value": e.value} for e in vault.entries(sid)
    ]
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2))


@sessions_app.command("delete")
def sessions_delete(session: SessionArg, store: StoreOpt = None, config: ConfigOpt = None) -> None:
    """Delete SESSION and every value in it."""
    from maskgate.vault import session_ref

    vault = _open_store(config, store)
    n = vault.delete_session(session_ref(vault, session))
    typer.echo(f"deleted {n} entries of session {session}")


@sessions_app.command("prune")
def sessions_prune(store: StoreOpt = None, config: ConfigOpt = None) -> None:
    """Delete the sessions unused for longer than session_ttl (or past their extension)."""
    typer.echo(f"pruned {_open_store(config, store).prune()} expired sessions")


@sessions_app.command("forget")
def sessions_forget(
    value: Annotated[str, typer.Argument(help="The value exactly as it was masked; - reads it from stdin.")],
    store: StoreOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Erase VALUE from every session (found by its keyed hash in each; placeholders that meant it
    stay unresolvable, their numbers are not reused)."""
    if value == "-":
        value = sys.stdin.read().rstrip("\n")
    typer.echo(f"erased {_open_store(config, store).forget(value)} mappings")


def register_commands() -> None:
    """Commands that live beside the code they drive. Imported, not tried: a broken import must fail
    loudly here, not make `maskgate serve` silently vanish from the CLI."""
    from maskgate.evaluation.cli_eval import eval_command
    from maskgate.server.cli_serve import serve

    app.command("serve")(serve)
    app.command("eval")(eval_command)


register_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
