"""Codex CLI (`codex exec`, Responses API over a custom model provider) through maskgate."""

from __future__ import annotations

from pathlib import Path

from planted import (
    FIELDS,
    OUTPUT_FILE,
    SHELL_FIELDS,
    SHELL_FILE,
    SUMMARY_FIELDS,
    assert_no_leaks,
    assert_real_values,
)  # fmt: skip
from upstream import ScriptedUpstream, opaque_returned

from conftest import Workspace, check_overmasking, client_env, run

PROMPT = "Read customers.md, save the contact fields to contacts.txt and print them with a shell command."


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


def codex(bin_dir: Path, ws: Workspace, base_url: str, prompt: str = PROMPT, retries: int = 0):
    home = ws.home / ".codex"
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_text(codex_config(base_url, retries))
    env = client_env(ws, CODEX_HOME=str(home), OPENAI_API_KEY=ws.key)
    # CI runs in containers without user namespaces: no sandbox (the upstream is scripted).
    cmd = [
        str(bin_dir / "codex"),
        "exec",
        "--skip-git-repo-check",
        "--dangerously-bypass-approvals-and-sandbox",
        prompt,
    ]
    return run(cmd, ws, env)


def expected_record() -> str:
    return "".join(f"{k}: {v}\n" for k, v in FIELDS.items())


def test_codex_exec_session(node_bin, upstream: ScriptedUpstream, maskgate, workspace):
    ws = workspace
    upstream.script(ws.key, str(ws.dir))
    done = codex(node_bin, ws, f"{maskgate}/openai/v1")
    assert done.returncode == 0, done.stdout + done.stderr
    sent = upstream.for_key(ws.key)
    assert_no_leaks(sent)
    check_overmasking("codex", sent)
    assert_real_values(done.stdout, SUMMARY_FIELDS, "codex exec output")
    assert ws.read(OUTPUT_FILE) == expected_record()
    assert ws.read(SHELL_FILE) == "".join(FIELDS[k] + "\n" for k in SHELL_FIELDS)
    back = opaque_returned(upstream, sent)
    assert back, "Codex re-sent no reasoning item"
    for token, signed, returned in back:
        assert signed == returned != "?", f"reasoning item {token[:12]}... came back changed"
