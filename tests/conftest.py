"""Shared fixtures. Models load once per test process."""

from __future__ import annotations

import pytest

from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline
from maskgate.detect.pipeline import Pipeline


@pytest.fixture(scope="session")
def default_pipeline() -> Pipeline:
    """The embedded default pipeline (dictionary, all recognizers, spaCy NER)."""
    return build_pipeline(Settings())


@pytest.fixture(scope="session")
def regex_pipeline() -> Pipeline:
    """Everything but the NER model: fast, for property tests over many inputs."""
    return build_pipeline(Settings(ner="none"))


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real redis-server on a free local port. CI installs it (and sets MASKGATE_REQUIRE_REDIS=1 so a
    missing server fails the run instead of skipping)."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    exe = shutil.which("redis-server")
    if exe is None:
        if os.environ.get("MASKGATE_REQUIRE_REDIS"):
            pytest.fail("redis-server is required (MASKGATE_REQUIRE_REDIS is set) but not installed")
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            exe,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)
