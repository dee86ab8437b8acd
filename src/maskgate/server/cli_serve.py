"""`maskgate serve`: run the proxy on uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from maskgate.cli_options import (
    ConfigOpt,
    LocaleOpt,
    ModelOpt,
    NerOpt,
    StoreOpt,
    fail,
    fail_with,
    settings_from,
)
from maskgate.config import ProviderConfig, Settings

ProviderOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--provider",
        "-p",
        help="Add or override an upstream: NAME=URL[,api=openai|anthropic][,mask=false] (repeatable). "
        "Served at /NAME/...; e.g. ollama=http://localhost:11434,mask=false.",
    ),
]


def parse_provider(spec: str, known: dict[str, ProviderConfig]) -> tuple[str, ProviderConfig]:
    from maskgate.server.routing import BUILTIN_PROVIDERS

    name, eq, rest = spec.partition("=")
    name = name.strip()
    if not eq or not name or not rest:
        raise ValueError(f"--provider {spec!r}: expected NAME=URL[,api=openai][,mask=false]")
    url, *opts = [p.strip() for p in rest.split(",")]
    base = known.get(name) or BUILTIN_PROVIDERS.get(name)
    values: dict[str, object] = {"base_url": url, "api": base.api if base else "openai", "mask": True}
    for opt in opts:
        key, _, val = opt.partition("=")
        if key == "api" and val in ("openai", "anthropic"):
            values["api"] = val
        elif key == "mask" and val.lower() in ("true", "false", "1", "0", "yes", "no"):
            values["mask"] = val.lower() in ("true", "1", "yes")
        else:
            raise ValueError(
                f"--provider {spec!r}: unknown option {opt!r} (api=openai|anthropic, mask=true|false)"
            )
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"--provider {spec!r}: URL must start with http:// or https://")
    return name, ProviderConfig.model_validate(values)


def serve(
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on (default 8080).")] = None,
    provider: ProviderOpt = None,
    store: StoreOpt = None,
    locale: LocaleOpt = None,
    ner: NerOpt = None,
    model: ModelOpt = None,
    system_inject: Annotated[
        bool | None,
        typer.Option(
            "--system-inject/--no-system-inject",
            help="Tell the model that <LABEL_N> tokens are stand-ins (default on).",
        ),
    ] = None,
    debug: Annotated[
        bool | None,
        typer.Option("--debug", help="Log created placeholders and masked diffs (raw values!) to stderr."),
    ] = None,
    body_limit: Annotated[
        int | None, typer.Option("--body-limit", help="Largest request body in bytes (default 32 MiB).")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Server processes (default 1; they share the SQLite vault)."),
    ] = None,
    detect_threads: Annotated[
        int | None,
        typer.Option("--detect-threads", help="Threads per process running detection (default 2)."),
    ] = None,
    detect_processes: Annotated[
        int | None,
        typer.Option(
            "--detect-processes",
            help="Run detection in N worker processes, each loading the model once; 0 runs it in "
            "threads of the server process (default: 1 for spaCy, else 0; see docs/performance.md).",
        ),
    ] = None,
    upstream_timeout: Annotated[
        float | None, typer.Option("--upstream-timeout", help="Seconds to wait on an upstream (default 600).")
    ] = None,
    default_anthropic: Annotated[
        str | None, typer.Option("--default-anthropic", help="Provider for bare /v1/messages requests.")
    ] = None,
    default_openai: Annotated[
        str | None, typer.Option("--default-openai", help="Provider for other bare /v1/... requests.")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Run the proxy. Point ANTHROPIC_BASE_URL at http://HOST:PORT/anthropic or OPENAI_BASE_URL at
    http://HOST:PORT/openai/v1; requests are masked on the way out and unmasked on the way back."""
    settings = settings_from(
        config,
        host=host,
        port=port,
        store=store,
        locales=locale or None,
        ner=ner,
        model=model,
        system_inject=system_inject,
        debug=debug,
        body_limit=body_limit,
        workers=workers,
        detect_threads=detect_threads,
        detect_processes=detect_processes,
        upstream_timeout=upstream_timeout,
        default_provider_anthropic=default_anthropic,
        default_provider_openai=default_openai,
    )
    if provider:
        extra = dict(settings.providers)
        try:
            for spec in provider:
                name, cfg = parse_provider(spec, extra)
                extra[name] = cfg
        except ValueError as exc:
            fail(str(exc))
        settings = settings.model_copy(update={"providers": extra})
    run(settings)


def run(settings: Settings) -> None:
    import uvicorn

    from maskgate.server.app import SETTINGS_ENV, create_app, setup_logging

    setup_logging(settings)
    if settings.workers > 1:
        if (settings.store or "").startswith("memory"):
            fail("--workers > 1 needs a shared store (sqlite or redis), not memory://")
        os.environ[SETTINGS_ENV] = settings.model_dump_json()
        _shared_metrics_dir()
        uvicorn.run(
            "maskgate.server.app:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level="info",
            server_header=False,
            date_header=False,
        )
        return
    from maskgate.errors import MaskgateError
    from maskgate.runtime import server_masker

    try:  # load models before listening; config errors are one line
        masker = server_masker(settings)
    except (MaskgateError, ValueError) as exc:
        fail_with(exc)
    uvicorn.run(
        create_app(settings, masker),
        host=settings.host,
        port=settings.port,
        log_level="info",
        server_header=False,  # the upstream's own Server and Date headers are passed on
        date_header=False,
    )


def _shared_metrics_dir() -> None:
    """Worker processes each count their own metrics; prometheus-client's multiprocess mode sums
    them for /metrics. Its directory must be fresh for every start and exist before the workers."""
    import atexit
    import shutil
    import tempfile

    from maskgate.server.metrics import MULTIPROC_ENV

    if os.environ.get(MULTIPROC_ENV):
        return
    path = tempfile.mkdtemp(prefix="maskgate-metrics-")
    os.environ[MULTIPROC_ENV] = path
    atexit.register(shutil.rmtree, path, True)
