"""Capture the first request Claude Code and Codex send (their own system prompt, tools, metadata) into
tests/data/agent_prompts/: the raw body as received on loopback, and its method, path and headers
(credentials left out). Run after a client version bump (`make e2e-clients` first):

    .venv/bin/python tests/e2e/capture_prompts.py [OUT_DIR]

The clients run in a fresh git repository holding one README.md, with a neutral prompt, so nothing in
the bodies is personal data: every span maskgate masks in them is over-masking.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: proxy_fixtures

from e2e_harness import ROOT, Workspace, claude, codex
from e2e_upstream import ScriptedUpstream

from proxy_fixtures import Served

PROMPT = "Read README.md and tell me in one sentence what this project does."
SECRET_HEADERS = {"authorization", "x-api-key", "host", "content-length"}


def workspace(base: Path) -> Workspace:
    ws = base / "project"
    ws.mkdir()
    (ws / "README.md").write_text("# demo\nA small demo project.\n")
    git = ["git", "-c", "user.name=e2e", "-c", "user.email=e2e@localhost"]
    subprocess.run(["git", "init", "-q"], cwd=ws, check=True)
    subprocess.run([*git, "add", "."], cwd=ws, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=ws, check=True)
    (base / "home").mkdir()
    return Workspace(ws, base / "home", "sk-capture")


def main(out: Path) -> None:
    fake = ScriptedUpstream()  # no script for the key: it answers "OK." and the turn ends
    served = Served(fake.app)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for name, start in (
            ("claude_code", lambda ws: claude(ws, served.url, "-p", PROMPT)),
            ("codex", lambda ws: codex(ws, served.url + "/v1", prompt=PROMPT)),
        ):
            with tempfile.TemporaryDirectory() as tmp:
                before = len(fake.requests)
                done = start(workspace(Path(tmp)))
                assert done.returncode == 0, done.stdout + done.stderr
                first = next(
                    r for r in fake.requests[before:] if r.path.endswith(("/messages", "/responses"))
                )
                (out / f"{name}_first_request.json").write_bytes(first.body)
                headers = {
                    k.decode(): v.decode()
                    for k, v in first.headers
                    if k.decode().lower() not in SECRET_HEADERS
                }
                meta = {
                    "method": first.method,
                    "path": first.path,
                    "query": first.query.decode(),
                    "headers": headers,
                }
                (out / f"{name}_first_request.headers.json").write_text(json.dumps(meta, indent=1) + "\n")
                print(f"{name}: {len(first.body)} bytes -> {out}")
    finally:
        served.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "agent_prompts")
