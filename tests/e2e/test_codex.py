"""Codex CLI (`codex exec`, Responses API through a custom model provider) through maskgate: shell
tool calls (`exec_command`) and the freeform `apply_patch` tool, encrypted reasoning re-sent."""

from __future__ import annotations

from e2e_harness import check_session, codex
from e2e_upstream import ScriptedUpstream


def test_codex_exec_session(node_bin, upstream: ScriptedUpstream, maskgate, workspace):
    upstream.script(workspace.key, str(workspace.dir))
    done = codex(workspace, f"{maskgate}/openai/v1")
    check_session("codex", done, workspace, upstream, resends=True)
