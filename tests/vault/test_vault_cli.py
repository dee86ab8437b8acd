"""`maskgate sessions ...` as a user runs it: separate processes on one SQLite vault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from maskgate.vault import open_store

pytestmark = pytest.mark.slow  # real server or CLI processes
VALUE = "dana.whitfield@example.com"


def run(*args: str, stdin: bytes | None = None, **env: str) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "maskgate", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, **env},
    )
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout.decode()


def test_sessions_lifecycle_commands(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'vault.db'}"
    run("redact", f"Mail {VALUE} and ops@example.org", "--session", "team@example.org", "--store", store)
    run("redact", f"cc {VALUE}", "--session", "second", "--store", store)
    vault = open_store(store)
    team, second = vault.session_id("team@example.org"), vault.session_id("second")
    vault.close()

    listed = [json.loads(line) for line in run("sessions", "list", "--json", "--store", store).splitlines()]
    assert [s["id"] for s in listed] == [team, second]
    assert listed[0]["labels"] == {"EMAIL": 2} and listed[1]["expires"] > time.time() + 29 * 86400
    table = run("sessions", "list", "--store", store)
    assert team in table and "team@" not in table and VALUE not in table

    exported = json.loads(run("sessions", "export", "team@example.org", "--store", store))
    assert exported["id"] == team
    assert {e["value"] for e in exported["entries"]} == {VALUE, "ops@example.org"}

    assert run("sessions", "forget", "-", "--store", store, stdin=VALUE.encode()) == "erased 2 mappings\n"
    assert VALUE not in run("sessions", "show", team, "--reveal", "--store", store)
    assert run("unmask", "<EMAIL_1>", "--session", "team@example.org", "--store", store) == "<EMAIL_1>\n"

    run("redact", "x@example.org", "--session", "brief", "--store", store, MASKGATE_SESSION_TTL="1")
    time.sleep(1.2)
    assert run("sessions", "prune", "--store", store) == "pruned 1 expired sessions\n"
    assert [s.id for s in open_store(store).sessions()] == [team, second]
