"""The suite can fail: with masking off the same sessions leak every planted value, and the checker
says so (negative controls). And faults: an overloaded / rate-limited first answer and a stream cut
half way end the same way through maskgate as they do direct (exit status), with no leak."""

from __future__ import annotations

import json
import subprocess

import pytest
from e2e_harness import BIN, NODE_DIR, PROMPT, Workspace, claude, codex, make_workspace, sdk_client
from e2e_planted import PLANTED, SUMMARY_FIELDS, assert_no_leaks, assert_real_values, leaks
from e2e_upstream import ScriptedUpstream
from tested_with import locked_versions


def test_mask_off_provider_leaks_and_checker_sees_it(
    node_bin, upstream: ScriptedUpstream, maskgate, workspace
):
    ws = workspace
    upstream.script(ws.key, str(ws.dir))
    done = sdk_client("anthropic-sdk", ws, f"{maskgate}/raw-anthropic")
    assert done.returncode == 0, done.stdout + done.stderr
    sent = upstream.for_key(ws.key)
    assert set(leaks(sent)) == set(PLANTED)
    with pytest.raises(AssertionError, match="planted values reached the upstream"):
        assert_no_leaks(sent)


def test_claude_code_mask_off_header_leaks(node_bin, upstream: ScriptedUpstream, maskgate, workspace):
    """`X-Maskgate-Mask: off` set through ANTHROPIC_CUSTOM_HEADERS reaches maskgate: everything leaks."""
    ws = workspace
    upstream.script(ws.key, str(ws.dir))
    done = claude(ws, f"{maskgate}/anthropic", "-p", PROMPT, custom="X-Maskgate-Mask: off")
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(leaks(upstream.for_key(ws.key))) == set(PLANTED)


def fault_run(client: str, fault: str, upstream: ScriptedUpstream, base: str, ws: Workspace):
    upstream.script(ws.key, str(ws.dir), {fault})
    if client == "claude-code":
        return claude(ws, base, "-p", PROMPT)
    if client == "codex":
        return codex(ws, base + "/v1", retries=1)
    return sdk_client(client, ws, base + ("/v1" if "openai" in client else ""), retries=1)


FAULTS = [
    ("claude-code", "overload"),  # 529, then Claude Code retries
    ("claude-code", "cut"),
    ("codex", "overload"),  # 429, then Codex retries (request_max_retries = 1)
    ("codex", "cut"),  # stream_max_retries = 1
    ("anthropic-sdk", "overload"),
    ("openai-sdk-responses", "cut"),  # the SDK does not retry a broken stream: the app fails
]


@pytest.mark.parametrize(("client", "fault"), FAULTS)
def test_fault_ends_as_it_does_direct(
    client, fault, node_bin, upstream: ScriptedUpstream, maskgate, tmp_path
):
    direct_ws = make_workspace(tmp_path / "direct")
    direct = fault_run(client, fault, upstream, upstream.url, direct_ws)
    ws = make_workspace(tmp_path / "proxied")
    path = "/anthropic" if client in ("claude-code", "anthropic-sdk") else "/openai"
    proxied = fault_run(client, fault, upstream, maskgate + path, ws)
    assert (proxied.returncode == 0) == (direct.returncode == 0), (
        f"direct rc={direct.returncode}, through maskgate rc={proxied.returncode}: {proxied.stdout + proxied.stderr}"
    )
    assert_no_leaks(upstream.for_key(ws.key), known_must_leak=False)
    if proxied.returncode == 0:
        assert_real_values(proxied.stdout, SUMMARY_FIELDS, f"{client} output after {fault}")


def test_installed_clients_are_the_locked_ones(node_bin):
    """The README's "Tested with" line names what ran: the installed packages are the locked ones."""
    locked = locked_versions()
    for pkg, version in locked.items():
        installed = json.loads((NODE_DIR / "node_modules" / pkg / "package.json").read_text())["version"]
        assert installed == version, pkg
    claude = subprocess.run([str(BIN / "claude"), "--version"], capture_output=True, text=True, check=True)
    assert claude.stdout.startswith(locked["@anthropic-ai/claude-code"])
    codex = subprocess.run([str(BIN / "codex"), "--version"], capture_output=True, text=True, check=True)
    assert codex.stdout.strip().endswith(locked["@openai/codex"])
