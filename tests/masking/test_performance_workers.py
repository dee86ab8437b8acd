"""`maskgate serve --workers 2` as a real subprocess: two uvicorn processes share one SQLite vault.

Values first seen concurrently in either process get distinct, stable placeholders; either process
unmasks what the other assigned; /metrics sums the counts of both processes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"<EMAIL_[0-9]+>")
VALUES = [f"dana.whit{i}@example.com" for i in range(24)]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"process exited with {proc.returncode}: {out[-2000:]}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("workers")
    up_port, px_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    upstream = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "fake_upstream.py"), "--port", str(up_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    exe = Path(sys.executable).with_name("maskgate")
    cmd = [str(exe), "serve", "--workers", "2", "--port", str(px_port), "--ner", "none"]
    cmd += ["--store", f"sqlite:///{tmp / 'vault.db'}", "--no-system-inject"]
    cmd += ["--provider", f"anthropic=http://127.0.0.1:{up_port}"]
    proxy = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        _wait(f"http://127.0.0.1:{up_port}/", upstream)
        _wait(f"http://127.0.0.1:{px_port}/healthz", proxy)
        yield f"http://127.0.0.1:{px_port}"
    finally:
        for p in (proxy, upstream):
            p.terminate()
        for p in (proxy, upstream):
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


def ask(url: str, value: str, unmask: bool) -> str:
    body = {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": f"Mail {value} today."}]}
    headers = {"x-maskgate-session": "shared-by-workers", "x-bench-answer-bytes": "120"}
    if not unmask:
        headers["x-maskgate-unmask"] = "off"
    # a new connection per request, so both worker processes take requests
    with httpx.Client(timeout=60) as client:
        r = client.post(f"{url}/anthropic/v1/messages", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return str(r.json()["content"][0]["text"])


def test_two_workers_share_the_vault(served: str) -> None:
    with ThreadPoolExecutor(8) as pool:
        first = list(pool.map(lambda v: ask(served, v, unmask=False), VALUES))
        placeholders = [PLACEHOLDER.findall(t)[0] for t in first]
        assert len(set(placeholders)) == len(VALUES), "two processes gave one placeholder to two values"
        assert set(placeholders) == {f"<EMAIL_{i}>" for i in range(1, len(VALUES) + 1)}
        for t in first:
            assert "@example.com" not in t  # nothing raw went upstream and came back
        again = list(pool.map(lambda v: ask(served, v, unmask=False), VALUES))
        assert [PLACEHOLDER.findall(t)[0] for t in again] == placeholders
        restored = list(pool.map(lambda v: ask(served, v, unmask=True), VALUES))
    for value, text in zip(VALUES, restored, strict=True):
        assert value in text and "<EMAIL_" not in text

    total = 0.0
    for family in text_string_to_metric_families(httpx.get(f"{served}/metrics").text):
        for s in family.samples:
            if s.name == "maskgate_requests_total" and s.labels.get("path") == "v1/messages":
                total += s.value
    assert total == 3 * len(VALUES)  # summed over both worker processes


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", ["terminate", "kill"])
def test_detection_workers_leave_with_the_server(tmp_path: Path, how: str) -> None:
    port = _free_port()
    exe = Path(sys.executable).with_name("maskgate")
    cmd = [str(exe), "serve", "--port", str(port), "--ner", "none", "--detect-processes", "1"]
    cmd += ["--store", f"sqlite:///{tmp_path / 'vault.db'}"]
    proxy = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", proxy)
        workers = [c for c in _children(proxy.pid) if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
        assert workers, "no detection worker process"
    finally:
        proxy.terminate() if how == "terminate" else proxy.kill()
        proxy.wait(30)
    deadline = time.monotonic() + 15
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), "detection workers outlived the server"


pytestmark = pytest.mark.slow  # uvicorn worker processes
