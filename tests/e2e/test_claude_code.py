"""Claude Code (`claude -p`, then `claude -c`) through maskgate against the scripted upstream."""

from __future__ import annotations

from e2e_harness import PROMPT, check_session, claude
from e2e_planted import SUMMARY_FIELDS, assert_no_leaks, assert_real_values
from e2e_upstream import ScriptedUpstream


def strip_cache(data):
    """A message without its cache_control markers (Claude Code moves them to the newest turn)."""
    if isinstance(data, dict):
        return {k: strip_cache(v) for k, v in data.items() if k != "cache_control"}
    if isinstance(data, list):
        return [strip_cache(v) for v in data]
    return data


def test_claude_code_session_and_continue(node_bin, upstream: ScriptedUpstream, maskgate, workspace):
    ws = workspace
    upstream.script(ws.key, str(ws.dir))
    first = claude(ws, f"{maskgate}/anthropic", "-p", PROMPT)
    sent = check_session("claude-code", first, ws, upstream, resends=True)

    # `claude -c` re-sends the history from Claude Code's own transcript (real values): it must mask to
    # the same bytes as when it was first sent (same placeholders, prompt caching keeps hitting).
    second = claude(ws, f"{maskgate}/anthropic", "-c", "-p", "Repeat the name and e-mail you found.")
    assert second.returncode == 0, second.stdout + second.stderr
    again = upstream.for_key(ws.key)[len(sent) :]
    assert_no_leaks(again)
    assert_real_values(second.stdout, SUMMARY_FIELDS, "claude -c output")
    before = [m for m in sent[-1].json()["messages"] if m["role"] != "system"]
    after = [m for m in again[0].json()["messages"] if m["role"] != "system"]
    assert len(after) == len(before) + 2  # the last answer and the new question
    for old, new in zip(before, after, strict=False):
        assert strip_cache(new) == strip_cache(old)
