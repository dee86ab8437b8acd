"""`maskgate serve`: its flags and the --provider syntax."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from maskgate.cli import app
from maskgate.config import ProviderConfig
from maskgate.server.cli_serve import parse_provider


def test_serve_help_documents_every_flag():
    out = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "240", "TERMINAL_WIDTH": "240"}).output
    for flag in (
        "--config", "--host", "--port", "--store", "--provider", "--locale", "--ner", "--model",
        "--no-system-inject", "--debug", "--body-limit", "--workers", "--detect-threads", "--upstream-timeout",
    ):  # fmt: skip
        assert flag in out, flag


def test_parse_provider():
    assert parse_provider("ollama=http://localhost:11434,mask=false", {}) == (
        "ollama",
        ProviderConfig(base_url="http://localhost:11434", api="openai", mask=False),
    )
    name, cfg = parse_provider("anthropic=http://127.0.0.1:9000", {})
    assert (name, cfg.api, cfg.mask) == ("anthropic", "anthropic", True)
    assert parse_provider("x=https://h/api,api=anthropic", {})[1].api == "anthropic"
    for bad in ("nourl", "x=ftp://h", "x=http://h,mask=maybe", "x=http://h,color=red"):
        with pytest.raises(ValueError):
            parse_provider(bad, {})


def test_worker_factory_reads_settings_from_env(monkeypatch):
    from maskgate.config import Settings
    from maskgate.server.app import SETTINGS_ENV, app_from_env

    settings = Settings(port=9999, providers={"x": ProviderConfig(base_url="http://h")}, store="memory://")
    monkeypatch.setenv(SETTINGS_ENV, settings.model_dump_json())
    proxy = app_from_env().state.proxy
    assert proxy.settings == settings and "x" in proxy.providers and "anthropic" in proxy.providers


pytestmark = pytest.mark.slow  # maskgate serve subprocesses
