"""Fixtures for the end-to-end suite: the scripted upstream (uvicorn on loopback), `maskgate serve` as a
real subprocess in front of it, and the pinned clients from `.cache/e2e-node` (`make e2e` installs
them with `npm ci` from tests/e2e/package-lock.json).

The suite runs only under `make e2e` (MASKGATE_E2E=1): it needs node and takes minutes, so the plain
test suite does not collect it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_harness import BIN, BUDGET_FILE, NODE_DIR, OVERMASKED, Workspace, free_port, make_workspace
from e2e_upstream import ScriptedUpstream

ENABLED = os.environ.get("MASKGATE_E2E") == "1"
if not ENABLED:
    collect_ignore_glob = ["test_*.py"]


def pytest_report_header(config: pytest.Config) -> str | None:
    asked = any("e2e" in str(a) for a in config.args)
    return (
        "tests/e2e is collected only with MASKGATE_E2E=1 (run `make e2e`)" if asked and not ENABLED else None
    )


@pytest.fixture(scope="session")
def node_bin() -> Path:
    if not (BIN / "claude").exists() or not (BIN / "codex").exists():
        pytest.fail(
            f"clients not installed in {NODE_DIR}: run `make e2e` (npm ci from tests/e2e/package-lock.json)"
        )
    return BIN


@pytest.fixture(scope="session")
def upstream() -> Iterator[ScriptedUpstream]:
    from proxy_fixtures import Served  # here: importing it at collection would stop pytest rewriting it

    fake = ScriptedUpstream()
    served = Served(fake.app)
    fake.url = served.url
    yield fake
    served.stop()


@pytest.fixture(scope="session")
def maskgate(upstream: ScriptedUpstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`maskgate serve` on the embedded defaults, its providers pointed at the scripted upstream;
    `/raw-anthropic` and `/raw-openai` forward unmasked (the negative control)."""
    port = free_port()
    log = tmp_path_factory.mktemp("maskgate") / "serve.log"
    up = upstream.url
    # MASKGATE_E2E_MASK_OFF=1: a build that masks nothing; the whole suite must fail (shown once by hand)
    off = ",mask=false" if os.environ.get("MASKGATE_E2E_MASK_OFF") == "1" else ""
    cmd = [
        str(Path(sys.executable).parent / "maskgate"), "serve", "--port", str(port), "--store", "memory://",
        "--provider", f"anthropic={up}{off}", "--provider", f"openai={up}{off}",
        "--provider", f"raw-anthropic={up},api=anthropic,mask=false",
        "--provider", f"raw-openai={up},api=openai,mask=false",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"maskgate serve did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not OVERMASKED:
        return
    budget = json.loads(BUDGET_FILE.read_text())
    terminalreporter.section("spans masked in each client's own system prompt and tools (first request)")
    for client, counts in sorted(OVERMASKED.items()):
        parts = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        terminalreporter.write_line(
            f"{client:30} {sum(counts.values()):4}  (budget {budget.get(client)}){'  ' + parts if parts else ''}"
        )
