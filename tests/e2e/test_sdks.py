"""Apps built on the official TypeScript SDKs and the Vercel AI SDK (small node scripts in js/) run the
same session through maskgate: Anthropic Messages (with count_tokens and signed thinking), OpenAI
Responses (stateless, encrypted reasoning) and Chat Completions."""

from __future__ import annotations

import pytest
from planted import (
    FIELDS,
    OUTPUT_FILE,
    SHELL_FIELDS,
    SHELL_FILE,
    SUMMARY_FIELDS,
    assert_no_leaks,
    assert_real_values,
)
from upstream import ScriptedUpstream, opaque_returned

from conftest import JS, NODE_DIR, Workspace, check_overmasking, client_env, run

# name: (script and its argument, how the base URL reaches it, path under maskgate, opaque items re-sent)
CLIENTS = {
    "anthropic-sdk": (["anthropic_sdk.mjs"], "ANTHROPIC_BASE_URL", "/anthropic", True),
    "openai-sdk-responses": (["openai_sdk.mjs", "responses"], "OPENAI_BASE_URL", "/openai/v1", True),
    "openai-sdk-chat": (["openai_sdk.mjs", "chat"], "OPENAI_BASE_URL", "/openai/v1", False),
    "vercel-ai-anthropic": (["vercel_ai.mjs", "anthropic"], "E2E_BASE_URL", "/anthropic/v1", False),
    "vercel-ai-openai": (["vercel_ai.mjs", "openai"], "E2E_BASE_URL", "/openai/v1", False),
    "vercel-ai-openai-chat": (["vercel_ai.mjs", "openai-chat"], "E2E_BASE_URL", "/openai/v1", False),
}


def node_client(name: str, ws: Workspace, base: str, retries: int = 0):
    script, var, _, _ = CLIENTS[name]
    key_var = "ANTHROPIC_API_KEY" if "anthropic" in name else "OPENAI_API_KEY"
    env = client_env(
        ws, **{var: base, key_var: ws.key, "E2E_NODE_DIR": str(NODE_DIR), "E2E_RETRIES": str(retries)}
    )
    return run(["node", str(JS / script[0]), *script[1:]], ws, env)


def expected_record() -> str:
    return "".join(f"{k}: {v}\n" for k, v in FIELDS.items())


@pytest.mark.parametrize("name", list(CLIENTS))
def test_sdk_session(name, node_bin, upstream: ScriptedUpstream, maskgate, workspace):
    ws = workspace
    upstream.script(ws.key, str(ws.dir))
    done = node_client(name, ws, maskgate + CLIENTS[name][2])
    assert done.returncode == 0, done.stdout + done.stderr
    sent = upstream.for_key(ws.key)
    assert_no_leaks(sent)
    check_overmasking(name, sent)
    assert_real_values(done.stdout, SUMMARY_FIELDS, f"{name} output")
    assert ws.read(OUTPUT_FILE) == expected_record()
    assert ws.read(SHELL_FILE) == "".join(FIELDS[k] + "\n" for k in SHELL_FIELDS)
    back = opaque_returned(upstream, sent)
    assert back or not CLIENTS[name][3], f"{name} re-sent no thinking block / reasoning item"
    for token, signed, returned in back:
        assert signed == returned != "?", f"{token[:12]}... came back changed"
    if name == "anthropic-sdk":
        assert any(r.path.endswith("/count_tokens") for r in sent)
