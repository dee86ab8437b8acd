"""Helpers of tests/deploy/test_deploy.py: the files of deploy/ read as data, and maskgate processes."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


# -- deploy files ---------------------------------------------------------------------------------
def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """deploy/Dockerfile as (INSTRUCTION, arguments) pairs per stage, continuation lines joined."""
    stages: list[list[tuple[str, str]]] = []
    logical = ""
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        if not logical and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            logical += line.rstrip()[:-1] + " "
            continue
        logical += line
        word, _, rest = logical.strip().partition(" ")
        logical = ""
        if word.upper() == "FROM":
            stages.append([])
        stages[-1].append((word.upper(), rest.strip()))
    return stages


def image_env(stage: list[tuple[str, str]], base: dict[str, str]) -> dict[str, str]:
    """The environment a stage's ENV lines give, over `base` (`$VAR` expanded as Docker does)."""
    env = dict(base)
    for word, rest in stage:
        if word == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                env[name] = _expand(value, env)
    return env


def _expand(value: str, env: dict[str, str]) -> str:
    for name, val in env.items():
        value = value.replace(f"${name}", val).replace(f"${{{name}}}", val)
    return value


def exec_form(stage: list[tuple[str, str]], word: str) -> list[str]:
    args = [rest for w, rest in stage if w == word]
    assert args, f"the Dockerfile's last stage has no {word}"
    out = json.loads(args[-1])
    assert isinstance(out, list)
    return [str(x) for x in out]


def yaml_docs(path: Path) -> list[Any]:
    with path.open() as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def manifests() -> dict[str, list[dict[str, Any]]]:
    """Every Kubernetes manifest of deploy/kubernetes by file name (kustomization.yaml aside)."""
    return {
        p.name: yaml_docs(p)
        for p in sorted((DEPLOY / "kubernetes").glob("*.yaml"))
        if p.name != "kustomization.yaml"
    }


def find(kind: str, name: str) -> dict[str, Any]:
    for docs in manifests().values():
        for doc in docs:
            if doc["kind"] == kind and doc["metadata"]["name"] == name:
                return doc
    raise AssertionError(f"no {kind} {name} in deploy/kubernetes")


def compose() -> dict[str, Any]:
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def new_key() -> str:
    import base64

    return base64.urlsafe_b64encode(os.urandom(32)).decode()


# -- processes -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"port {port} not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


def wait_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop a process started by start() and anything it started (its own session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
