"""Claude Code (`claude -p`, then `claude -c`) through maskgate against the scripted upstream."""

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
QUIET = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_ERROR_REPORTING": "1",
}


def claude(bin_dir: Path, ws: Workspace, base_url: str, *args: str, custom: str = ""):
    env = client_env(ws, ANTHROPIC_BASE_URL=base_url, ANTHROPIC_API_KEY=ws.key, **QUIET)
    if custom:
        env["ANTHROPIC_CUSTOM_HEADERS"] = custom
    cmd = [str(bin_dir / "claude"), *args, "--allowedTools", "Read,Write,Bash", "--output-format", "text"]
    return run(cmd, ws, env)


def expected_record() -> str:
    return "".join(f"{k}: {v}\n" for k, v in FIELDS.items())


def test_claude_code_session_and_continue(node_bin, upstream: ScriptedUpstream, maskgate, workspace):
    ws = workspace
    upstream.script(ws.key, str(ws.dir))
    first = claude(node_bin, ws, f"{maskgate}/anthropic", "-p", PROMPT)
    assert first.returncode == 0, first.stdout + first.stderr
    sent = upstream.for_key(ws.key)
    assert_no_leaks(sent)
    check_overmasking("claude-code", sent)
    assert_real_values(first.stdout, SUMMARY_FIELDS, "claude -p output")
    assert ws.read(OUTPUT_FILE) == expected_record()
    assert ws.read(SHELL_FILE) == "".join(FIELDS[k] + "\n" for k in SHELL_FIELDS)
    back = opaque_returned(upstream, sent)
    assert back, "Claude Code re-sent no thinking block"
    for token, signed, returned in back:
        assert signed == returned, f"thinking block {token[:12]}... came back changed"

    # `claude -c`: the history is re-sent from Claude Code's transcript (real values) and must mask to
    # the same bytes as when it was first sent.
    n = len(sent)
    second = claude(
        node_bin, ws, f"{maskgate}/anthropic", "-c", "-p", "Repeat the name and e-mail you found."
    )
    assert second.returncode == 0, second.stdout + second.stderr
    again = upstream.for_key(ws.key)[n:]
    assert_no_leaks(again)
    assert_real_values(second.stdout, SUMMARY_FIELDS, "claude -c output")
    before = [m for m in sent[-1].json()["messages"] if m["role"] != "system"]
    after = [m for m in again[0].json()["messages"] if m["role"] != "system"]
    for old, new in zip(before, after, strict=False):
        assert strip_cache(new) == strip_cache(old)


def strip_cache(data):
    """A message without its cache_control markers (Claude Code moves them to the newest turn)."""
    if isinstance(data, dict):
        return {k: strip_cache(v) for k, v in data.items() if k != "cache_control"}
    if isinstance(data, list):
        return [strip_cache(v) for v in data]
    return data
