"""The clients and the checks of the end-to-end suite: how each client is run against a base URL, in a
workspace of its own, and what a finished session must show."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from e2e_planted import (
    FIELDS,
    OUTPUT_FILE,
    SHELL_FIELDS,
    SHELL_FILE,
    SUMMARY_FIELDS,
    Received,
    assert_no_leaks,
    assert_real_values,
    customers_file,
    own_prompt_spans,
)  # fmt: skip
from e2e_upstream import ScriptedUpstream, opaque_returned

from maskgate.providers import SYSTEM_NOTE

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = Path(os.environ.get("MASKGATE_E2E_NODE_DIR", ROOT / ".cache" / "e2e-node"))
BIN = NODE_DIR / "node_modules" / ".bin"
JS = Path(__file__).parent / "js"
BUDGET_FILE = Path(__file__).parent / "overmasking_budget.json"
OVERMASKED: dict[str, dict[str, int]] = {}  # client -> spans masked in its own prompt, by request part

PROMPT = "Read customers.md, save the contact fields to contacts.txt and print them with a shell command."
# Claude Code: no telemetry, error reports, auto-update or other non-essential traffic (nothing leaves loopback).
CLAUDE_QUIET = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_ERROR_REPORTING": "1",
}
# SDK apps (js/): name -> (script and argument, env var for the base URL, path under maskgate, whether the
# client must re-send signed thinking / encrypted reasoning it got).
SDK_CLIENTS = {
    "anthropic-sdk": (["anthropic_sdk.mjs"], "ANTHROPIC_BASE_URL", "/anthropic", True),
    "openai-sdk-responses": (["openai_sdk.mjs", "responses"], "OPENAI_BASE_URL", "/openai/v1", True),
    "openai-sdk-chat": (["openai_sdk.mjs", "chat"], "OPENAI_BASE_URL", "/openai/v1", False),
    "vercel-ai-anthropic": (["vercel_ai.mjs", "anthropic"], "E2E_BASE_URL", "/anthropic/v1", False),
    "vercel-ai-openai": (["vercel_ai.mjs", "openai"], "E2E_BASE_URL", "/openai/v1", False),
    "vercel-ai-openai-chat": (["vercel_ai.mjs", "openai-chat"], "E2E_BASE_URL", "/openai/v1", False),
    # not streamed: JSON answers
    "vercel-ai-anthropic-generate": (
        ["vercel_ai.mjs", "anthropic", "generate"],
        "E2E_BASE_URL",
        "/anthropic/v1",
        False,
    ),
    "vercel-ai-openai-generate": (
        ["vercel_ai.mjs", "openai", "generate"],
        "E2E_BASE_URL",
        "/openai/v1",
        False,
    ),
    "vercel-ai-openai-chat-generate": (
        ["vercel_ai.mjs", "openai-chat", "generate"],
        "E2E_BASE_URL",
        "/openai/v1",
        False,
    ),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Workspace:
    """A client's working directory (with the planted file), its own HOME and its own API key."""

    dir: Path
    home: Path
    key: str

    def read(self, name: str) -> str:
        path = self.dir / name
        return path.read_text() if path.exists() else ""


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
    label = " ".join(Path(c).name for c in cmd[:3] if not c.startswith("-"))[:48]
    print(f"[e2e] {label}: rc={proc.returncode} in {time.monotonic() - started:.1f}s")
    return proc


def claude(ws: Workspace, base_url: str, *args: str, custom: str = "") -> subprocess.CompletedProcess[str]:
    """`claude` with Read, Write and Bash allowed (no prompt in -p mode); `custom`: ANTHROPIC_CUSTOM_HEADERS."""
    env = client_env(ws, ANTHROPIC_BASE_URL=base_url, ANTHROPIC_API_KEY=ws.key, **CLAUDE_QUIET)
    if custom:
        env["ANTHROPIC_CUSTOM_HEADERS"] = custom
    cmd = [str(BIN / "claude"), *args, "--allowedTools", "Read,Write,Bash", "--output-format", "text"]
    return run(cmd, ws, env)


def codex_config(base_url: str, retries: int = 0) -> str:
    """A custom model provider on the Responses wire API; analytics off."""
    return f"""model = "gpt-5.5"
model_provider = "maskgate"

[analytics]
enabled = false

[model_providers.maskgate]
name = "maskgate"
base_url = "{base_url}"
wire_api = "responses"
env_key = "OPENAI_API_KEY"
request_max_retries = {retries}
stream_max_retries = {retries}
"""


def codex(
    ws: Workspace, base_url: str, retries: int = 0, prompt: str = PROMPT
) -> subprocess.CompletedProcess[str]:
    home = ws.home / ".codex"
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_text(codex_config(base_url, retries))
    env = client_env(ws, CODEX_HOME=str(home), OPENAI_API_KEY=ws.key)
    # CI runs in containers without user namespaces: no sandbox (the upstream is scripted).
    flags = ["--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"]
    return run([str(BIN / "codex"), "exec", *flags, prompt], ws, env)


def sdk_client(name: str, ws: Workspace, base: str, retries: int = 0) -> subprocess.CompletedProcess[str]:
    script, var, _, _ = SDK_CLIENTS[name]
    key_var = "ANTHROPIC_API_KEY" if "anthropic" in name else "OPENAI_API_KEY"
    env = client_env(
        ws, **{var: base, key_var: ws.key, "E2E_NODE_DIR": str(NODE_DIR), "E2E_RETRIES": str(retries)}
    )
    return run(["node", str(JS / script[0]), *script[1:]], ws, env)


def check_session(
    client: str,
    done: subprocess.CompletedProcess[str],
    ws: Workspace,
    upstream: ScriptedUpstream,
    resends: bool,
) -> list[Received]:
    """What a finished session shows: exit 0; no planted value upstream; the real values in the answer,
    in the file the client wrote and in what its shell command printed; every signed thinking block /
    encrypted reasoning item re-sent byte for byte (`resends`: at least one must be)."""
    assert done.returncode == 0, done.stdout + done.stderr
    sent = upstream.for_key(ws.key)
    assert_no_leaks(sent)
    check_overmasking(client, sent)
    assert_real_values(done.stdout, SUMMARY_FIELDS, f"{client} output")
    assert ws.read(OUTPUT_FILE) == "".join(f"{k}: {v}\n" for k, v in FIELDS.items())
    assert ws.read(SHELL_FILE) == "".join(FIELDS[k] + "\n" for k in SHELL_FIELDS)
    back = opaque_returned(upstream, sent)
    assert back or not resends, f"{client} re-sent no thinking block / reasoning item"
    for token, signed, returned in back:
        assert signed == returned != "?", f"{client}: {token[:12]}... came back changed"
    return sent


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
