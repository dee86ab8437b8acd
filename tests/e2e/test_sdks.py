"""Apps built on the official TypeScript SDKs and the Vercel AI SDK (small node scripts in js/) run the
same session through maskgate: Anthropic Messages (with count_tokens and signed thinking), OpenAI
Responses (stateless, encrypted reasoning) and Chat Completions."""

from __future__ import annotations

import pytest
from e2e_harness import SDK_CLIENTS, check_session, sdk_client
from e2e_upstream import ScriptedUpstream


@pytest.mark.parametrize("name", list(SDK_CLIENTS))
def test_sdk_session(name, node_bin, upstream: ScriptedUpstream, maskgate, workspace):
    upstream.script(workspace.key, str(workspace.dir))
    done = sdk_client(name, workspace, maskgate + SDK_CLIENTS[name][2])
    sent = check_session(name, done, workspace, upstream, resends=SDK_CLIENTS[name][3])
    if name == "anthropic-sdk":
        assert any(r.path.endswith("/count_tokens") for r in sent)
