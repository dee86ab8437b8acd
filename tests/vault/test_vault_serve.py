"""The SQLite vault under `maskgate serve` (a real subprocess) when its files are damaged while
serving: the server stays up and fails closed (503, nothing forwarded) instead of crashing or
handing out placeholders it will forget."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from fake_upstream import FakeUpstream
from maskgate.vault.sqlite import SQLiteStore

pytestmark = pytest.mark.slow  # real server or CLI processes
pytest_plugins = ("proxy_fixtures",)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, upstream: str, vault: Path) -> None:
        self.vault = vault
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        exe = Path(sys.executable).with_name("maskgate")
        cmd = [str(exe), "serve", "--port", str(self.port), "--ner", "none", "--no-system-inject"]
        cmd += ["--store", f"sqlite:///{vault}", "--provider", f"anthropic={upstream}"]
        env = {
            k: v for k, v in os.environ.items() if k not in ("PROMETHEUS_MULTIPROC_DIR", "MASKGATE_VAULT_KEY")
        }
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.output()
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("maskgate serve did not come up")

    def ask(self, text: str, session: str = "files-test") -> httpx.Response:
        body = {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": text}]}
        headers = {"x-api-key": "k", "x-maskgate-session": session, "x-maskgate-unmask": "off"}
        return httpx.post(f"{self.url}/anthropic/v1/messages", json=body, headers=headers, timeout=30)

    def output(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        return self.proc.stdout.read().decode(errors="replace")[-3000:] if self.proc.stdout else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def serve(fake_upstream: FakeUpstream, tmp_path: Path) -> Iterator[Callable[[], Server]]:
    started: list[Server] = []

    def start() -> Server:
        started.append(Server(fake_upstream.url, tmp_path / "vault" / "vault.db"))
        return started[-1]

    yield start
    for s in started:
        s.stop()


def _forwarded(fake: FakeUpstream, value: str) -> bool:
    return any(value.encode() in r.body for r in fake.requests)


def _email() -> str:
    return f"files.{uuid.uuid4().hex[:10]}@example.com"


def test_damaged_shm_fails_closed_and_recovers(
    serve: Callable[[], Server], fake_upstream: FakeUpstream
) -> None:
    server = serve()
    assert server.ask(f"Mail {_email()} now").status_code == 200
    shm = server.vault.with_name("vault.db-shm")
    size = shm.stat().st_size
    assert size > 0
    for damage, repair in (
        (lambda: os.truncate(shm, 0), lambda: os.truncate(shm, size)),  # SIGBUS before the fix
        (lambda: shm.chmod(0o444), lambda: shm.chmod(0o644)),
    ):
        damage()
        value = _email()
        r = server.ask(f"Mail {value} now")
        assert server.proc.poll() is None, f"server died: {server.output()}"
        assert r.status_code == 503 and "vault" in r.text, r.text
        assert not _forwarded(fake_upstream, value)
        repair()
        r = server.ask(f"Mail {value} now")
        assert r.status_code == 200, r.text
        assert not _forwarded(fake_upstream, value)  # masked
    assert server.proc.poll() is None


def _placeholders(r: httpx.Response) -> list[str]:
    return re.findall(r"<EMAIL_\d+>", r.text)


def test_deleted_or_replaced_vault_fails_closed(
    serve: Callable[[], Server], fake_upstream: FakeUpstream, tmp_path: Path
) -> None:
    server = serve()
    known = _email()
    first = server.ask(f"Mail {known} now")
    assert first.status_code == 200 and _placeholders(first)
    for suffix in ("", "-wal", "-shm"):  # what `rm vault.db*` does
        server.vault.with_name("vault.db" + suffix).unlink()
    tag = uuid.uuid4().hex  # the upstream is shared with other tests: look for this test's texts only
    for text in (f"Mail {_email()} {tag}", f"Write to {known} again {tag}"):  # new value; known value
        r = server.ask(text)
        assert r.status_code == 503 and "vault" in r.text, r.text
        assert server.proc.poll() is None
    assert not any(tag.encode() in r.body for r in fake_upstream.requests)
    server.stop()

    server = serve()  # a fresh vault: the damage was noticed, nothing was handed out meanwhile
    value = _email()
    assert _placeholders(server.ask(f"Mail {value} now"))
    other = SQLiteStore(tmp_path / "other.db")
    other.assign("x", [("EMAIL", "o@x.io")])
    other.close()
    os.replace(tmp_path / "other.db", server.vault)
    r = server.ask(f"Mail {_email()} soon")
    assert r.status_code == 503, r.text
    server.stop()


def test_mappings_survive_a_restart(serve: Callable[[], Server]) -> None:
    server = serve()
    values = [_email() for _ in range(3)]
    before = [_placeholders(server.ask(f"Mail {v} now")) for v in values]
    server.stop()
    server = serve()
    assert [_placeholders(server.ask(f"Again: {v}.")) for v in values] == before


def test_log_shows_session_ids_not_names(serve: Callable[[], Server]) -> None:
    server = serve()
    name = f"person.{uuid.uuid4().hex[:8]}@example.org"
    assert server.ask(f"Mail {_email()} now", session=name).status_code == 200
    sid = SQLiteStore(server.vault).session_id(name)  # same key file as the server
    log = server.output()
    assert f"session={sid}" in log
    assert name not in log and name.split("@")[0] not in log
