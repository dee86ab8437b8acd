"""Fixtures for the end-to-end suite: the scripted upstream (uvicorn on loopback), `maskgate serve` as a
real subprocess in front of it, and the pinned clients from `.cache/e2e-node` (`make e2e` installs
them with `npm ci` from tests/e2e/package-lock.json).

The suite runs only under `make e2e` (MASKGATE_E2E=1): it needs node and takes minutes, so the plain
test suite does not collect it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from planted import Received, customers_file, own_prompt_spans
from upstream import ScriptedUpstream

from maskgate.providers import SYSTEM_NOTE
from proxy_fixtures import Served

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = Path(os.environ.get("MASKGATE_E2E_NODE_DIR", ROOT / ".cache" / "e2e-node"))
BIN = NODE_DIR / "node_modules" / ".bin"
JS = Path(__file__).parent / "js"

BUDGET_FILE = Path(__file__).parent / "overmasking_budget.json"
OVERMASKED: dict[str, dict[str, int]] = {}

if os.environ.get("MASKGATE_E2E") != "1":
    collect_ignore_glob = ["test_*.py"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def node_bin() -> Path:
    if not (BIN / "claude").exists() or not (BIN / "codex").exists():
        pytest.fail(
            f"clients not installed in {NODE_DIR}: run `make e2e` (npm ci from tests/e2e/package-lock.json)"
        )
    return BIN


@pytest.fixture(scope="session")
def upstream() -> Iterator[ScriptedUpstream]:
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
    cmd = [
        str(Path(sys.executable).parent / "maskgate"), "serve", "--port", str(port), "--store", "memory://",
        "--provider", f"anthropic={up}", "--provider", f"openai={up}",
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


@dataclass
class Workspace:
    """A client's working directory (with the planted file) and its own HOME."""

    dir: Path
    home: Path
    key: str

    def read(self, name: str) -> str:
        path = self.dir / name
        return path.read_text() if path.exists() else ""


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path)


def make_workspace(tmp_path: Path) -> Workspace:
    # A neutral path: the client's system prompt names it, and it should not look like personal data.
    ws = tmp_path / "project"
    ws.mkdir(parents=True)
    (ws / "customers.md").write_text(customers_file())
    (ws / "README.md").write_text("# billing-export\nExports billing records for the support team.\n")
    home = tmp_path / "home"
    home.mkdir()
    return Workspace(ws, home, f"sk-e2e-{uuid.uuid4().hex}")


def client_env(ws: Workspace, **extra: str) -> dict[str, str]:
    """A clean environment: no inherited proxies or keys; node on PATH for the node clients."""
    node = shutil.which("node") or "/usr/bin/node"
    path = os.pathsep.join([str(BIN), str(Path(node).parent), "/usr/local/bin", "/usr/bin", "/bin"])
    return {"PATH": path, "HOME": str(ws.home), "LANG": "C.UTF-8", "TERM": "dumb", "NO_COLOR": "1", **extra}


def run(
    cmd: list[str], ws: Workspace, env: dict[str, str], timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """Run a client to completion; a hang comes back as rc -9 with what it printed (the test shows it)."""
    started = time.monotonic()
    try:
        proc = subprocess.run(
            cmd,
            cwd=ws.dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
        proc = subprocess.CompletedProcess(cmd, -9, out, err + f"\n[e2e] timed out after {timeout}s")
    label = " ".join(Path(c).name for c in cmd[:2])
    print(f"[e2e] {label}: rc={proc.returncode} in {time.monotonic() - started:.1f}s")
    return proc


def check_overmasking(client: str, requests: list[Received]) -> None:
    """The figure: spans maskgate masks in the client's own prompt (its first model request, which holds
    no planted value). Fails if it rose above the recorded budget (overmasking_budget.json); detection
    fixes lower the budget."""
    first = next(r for r in requests if r.path.endswith(("/messages", "/responses", "/completions")))
    counts = own_prompt_spans(first, SYSTEM_NOTE)
    OVERMASKED[client] = counts
    budget = json.loads(BUDGET_FILE.read_text()).get(client)
    total = sum(counts.values())
    assert budget is not None, f"no recorded over-masking budget for {client} (measured {total}): add it"
    assert total <= budget, f"{client}: {total} spans masked in its own prompt, budget {budget}: {counts}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not OVERMASKED:
        return
    budget = json.loads(BUDGET_FILE.read_text())
    terminalreporter.section("spans masked in each client's own system prompt and tools (first request)")
    for client, counts in sorted(OVERMASKED.items()):
        parts = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        terminalreporter.write_line(
            f"{client:24} {sum(counts.values()):4}  (budget {budget.get(client)}){'  ' + parts if parts else ''}"
        )
