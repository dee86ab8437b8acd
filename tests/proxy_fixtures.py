"""Fixtures for the proxy tests: the fake upstream and maskgate, each served by uvicorn on a free
local port in a background thread, and SDK client factories. Use with
`pytest_plugins = ("proxy_fixtures",)` in a test module."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import anthropic
import openai
import pytest
import uvicorn

from fake_upstream import CODENAME, FAIL_TRIGGER, PII, FakeUpstream, new_key
from maskgate.config import ProviderConfig, Settings
from maskgate.detect.factory import build_pipeline
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import Span
from maskgate.masking import Masker
from maskgate.server.app import create_app
from maskgate.vault import MemoryStore


class FailingLayer:
    """Raises on a trigger word: a detection failure the proxy must turn into a 503."""

    name = "failing"

    def detect(self, text: str) -> list[Span]:
        if FAIL_TRIGGER in text:
            raise RuntimeError("detector crashed")
        return []

    def fingerprint(self) -> str:
        return "failing:1"


class Served:
    def __init__(self, app: Any) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="critical", lifespan="on", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture(scope="session")
def fake_upstream() -> Iterator[FakeUpstream]:
    fake = FakeUpstream()
    served = Served(fake.app)
    fake.url = served.url
    yield fake
    served.stop()


@pytest.fixture(scope="session")
def proxy_masker() -> Masker:
    base = build_pipeline(Settings(deny={"CODENAME": [CODENAME]}))
    pipeline = Pipeline([*base.layers, FailingLayer()], base.resolve_config, base.allow_finder)
    masker = Masker(pipeline, MemoryStore())
    for value in PII:  # the tests mean nothing if the pipeline stopped detecting these
        assert masker.mask(f"Contact: {value}.", "probe").entities, value
    return masker


def proxy_settings(upstream_url: str, **extra: Any) -> Settings:
    providers = {
        "anthropic": ProviderConfig(base_url=upstream_url, api="anthropic"),
        "openai": ProviderConfig(base_url=upstream_url, api="openai"),
        "local": ProviderConfig(base_url=upstream_url, api="openai", mask=False),
    }
    return Settings(store="memory://", providers=providers, body_limit=256 * 1024, **extra)


@pytest.fixture(scope="session")
def proxy(fake_upstream: FakeUpstream, proxy_masker: Masker) -> Iterator[str]:
    served = Served(create_app(proxy_settings(fake_upstream.url), proxy_masker))
    yield served.url
    served.stop()


@pytest.fixture
def anthropic_client(proxy: str) -> Callable[..., anthropic.Anthropic]:
    def make(key: str | None = None, **kw: Any) -> anthropic.Anthropic:
        return anthropic.Anthropic(
            api_key=key or new_key(), base_url=f"{proxy}/anthropic", max_retries=0, **kw
        )

    return make


@pytest.fixture
def openai_client(proxy: str) -> Callable[..., openai.OpenAI]:
    def make(key: str | None = None, **kw: Any) -> openai.OpenAI:
        return openai.OpenAI(api_key=key or new_key(), base_url=f"{proxy}/openai/v1", max_retries=0, **kw)

    return make
