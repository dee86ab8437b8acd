"""Audit of the API walkers against the wire formats: request fields that carry user text, and answer
fields that carry placeholders, beyond the common paths of test_proxy_anthropic/openai."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import openai
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fake_upstream import CODENAME, EMAIL, EMAIL_B, NAME, PLACEHOLDER, assert_no_pii, new_key
from maskgate.masking import Masker
from maskgate.server.app import create_app

pytest_plugins = ("proxy_fixtures",)

PDF = "data:application/pdf;base64,JVBERi0xLjQK"


# -- requests: every field with user text is masked --------------------------------------------


def test_responses_prompt_variables_are_masked(fake_upstream, openai_client):
    key = new_key()
    variables = {"customer": NAME, "mail": {"type": "input_text", "text": f"write to {EMAIL}"}}
    openai_client(key).responses.create(
        model="gpt-test", input="hi", prompt={"id": "pmpt_1", "version": "2", "variables": variables}
    )
    assert_no_pii(fake_upstream, key)
    sent = fake_upstream.for_key(key)[-1].json()["prompt"]
    assert sent["id"] == "pmpt_1" and sent["variables"]["mail"]["type"] == "input_text"
    assert sent["variables"]["customer"] == "<PERSON_1>"


def test_file_names_are_masked(fake_upstream, openai_client):
    key = new_key()
    client = openai_client(key)
    name = f"{EMAIL}.pdf"
    chat_part = {"type": "file", "file": {"filename": name, "file_data": PDF}}
    client.chat.completions.create(
        model="gpt-test",
        messages=[{"role": "user", "content": [{"type": "text", "text": "read"}, chat_part]}],
    )
    item = {"role": "user", "content": [{"type": "input_file", "filename": name, "file_data": PDF}]}
    client.responses.create(model="gpt-test", input=[item])
    assert_no_pii(fake_upstream, key)
    chat, responses = (r.json() for r in fake_upstream.for_key(key))
    sent = [chat["messages"][-1]["content"][1]["file"], responses["input"][0]["content"][0]]
    for part in sent:  # the data as it was; the extension kept (it names the file type)
        assert part["file_data"] == PDF and part["filename"] == "<EMAIL_1>.pdf"


def _schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"to": {"type": "string", "description": f"defaults to {EMAIL}", "format": "email"}},
        "required": ["to"],
    }


def test_tool_descriptions_are_masked(fake_upstream, anthropic_client, openai_client):
    key = new_key()
    about = f"Sends mail on behalf of {NAME}."
    tools = [{"name": "send", "description": about, "input_schema": _schema()}]
    for _ in range(2):  # the first prompt-cache prefix: the same bytes every request
        anthropic_client(key).messages.create(
            model="m", max_tokens=10, messages=[{"role": "user", "content": "hi"}], tools=tools
        )
    once, again = (rec.json()["tools"] for rec in fake_upstream.for_key(key))
    assert once == again
    fn = {"name": "send", "description": about, "parameters": _schema()}
    client = openai_client(key)
    client.chat.completions.create(
        model="gpt-test",
        messages=[{"role": "user", "content": "hi"}],
        tools=[{"type": "function", "function": fn}],
    )
    client.responses.create(model="gpt-test", input="hi", tools=[{"type": "function", **fn}])
    assert_no_pii(fake_upstream, key)
    a, c, r = (rec.json() for rec in fake_upstream.for_key(key)[1:])
    schemas = [
        a["tools"][0]["input_schema"],
        c["tools"][0]["function"]["parameters"],
        r["tools"][0]["parameters"],
    ]
    for schema in schemas:  # only descriptions change: the structure is the API's
        assert schema["properties"]["to"]["description"] == "defaults to <EMAIL_1>"
        assert {k: v for k, v in schema["properties"]["to"].items() if k != "description"} == {
            "type": "string",
            "format": "email",
        }
    assert a["tools"][0]["description"] == "Sends mail on behalf of <PERSON_1>."


def test_end_user_ids_and_metadata_are_masked(fake_upstream, anthropic_client, openai_client):
    key = new_key()
    anthropic_client(key).messages.create(
        model="m", max_tokens=10, messages=[{"role": "user", "content": "hi"}], metadata={"user_id": EMAIL}
    )
    client = openai_client(key)
    ids = dict(user=EMAIL, safety_identifier=EMAIL_B, metadata={"owner": NAME})
    client.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "hi"}], **ids)
    client.responses.create(model="gpt-test", input="hi", **ids)
    assert_no_pii(fake_upstream, key)
    a, c, r = (rec.json() for rec in fake_upstream.for_key(key))
    assert a["metadata"] == {"user_id": "<EMAIL_1>"}
    assert c["user"] == r["user"] == "<EMAIL_1>" and c["metadata"] == {"owner": "<PERSON_1>"}


def test_chat_participant_name_is_masked_and_stays_valid(fake_upstream, openai_client):
    key = new_key()
    messages = [{"role": "user", "name": EMAIL, "content": "hi"}]
    openai_client(key).chat.completions.create(model="gpt-test", messages=messages)
    assert_no_pii(fake_upstream, key)
    name = fake_upstream.for_key(key)[-1].json()["messages"][-1]["name"]
    # OpenAI accepts no whitespace, `<`, `>`, `|`, `/` or `\` in a name
    assert re.fullmatch(r"[^\s<|\\/>]+", name), name


# -- answers: every field with placeholders is unmasked (a scripted upstream) -----------------


class Scripted:
    """An upstream that answers what the test scripts, built from the placeholders it received."""

    url = ""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.bodies: list[Any] = []
        self.streamed = False
        self.reply: Callable[[list[str]], Response] = lambda found: JSONResponse({})
        self.lock = threading.Lock()
        self.app = Starlette(routes=[Route("/{path:path}", self.handle, methods=["GET", "POST"])])

    async def handle(self, request: Request) -> Response:
        body = (await request.body()).decode()
        with self.lock:
            if body:
                self.found = list(dict.fromkeys(PLACEHOLDER.findall(body)))
                self.bodies.append(json.loads(body))
            return self.reply(self.found)


def sse(events: list[dict[str, Any]], named: bool = True) -> Response:
    raw = "".join(
        (f"event: {e['type']}\n" if named else "") + f"data: {json.dumps(e)}\n\n" for e in events
    ) + ("" if named else "data: [DONE]\n\n")
    return Response(raw, media_type="text/event-stream")


def cut(text: str, n: int = 3) -> list[str]:
    return [text[i : i + n] for i in range(0, len(text), n)]


@pytest.fixture(scope="module")
def scripted(proxy_masker: Masker) -> Iterator[tuple[Scripted, str]]:
    from proxy_fixtures import Served, proxy_settings

    up = Scripted()
    upstream = Served(up.app)
    up.url = upstream.url
    proxy = Served(create_app(proxy_settings(upstream.url), proxy_masker))
    yield up, proxy.url
    proxy.stop()
    upstream.stop()


def scripted_openai(scripted: tuple[Scripted, str]) -> tuple[Scripted, openai.OpenAI]:
    up, url = scripted
    return up, openai.OpenAI(api_key=new_key(), base_url=f"{url}/openai/v1", max_retries=0)


def test_chat_stream_legacy_function_call_is_unmasked(scripted):
    up, client = scripted_openai(scripted)

    def reply(found: list[str]) -> Response:
        args = json.dumps({"to": found[0]})
        base = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m"}
        head = {"role": "assistant", "content": None, "function_call": {"name": "send", "arguments": ""}}
        deltas = [head] + [{"function_call": {"arguments": p}} for p in cut(args)]
        chunks = [{**base, "choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas]
        chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "function_call"}]})
        return sse(chunks, named=False)

    up.reply = reply
    stream = client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": f"mail {EMAIL}"}],
        functions=[{"name": "send", "parameters": {"type": "object"}}],
        stream=True,
    )
    args = "".join(
        c.choices[0].delta.function_call.arguments or ""
        for c in stream
        if c.choices and c.choices[0].delta.function_call
    )
    assert json.loads(args) == {"to": EMAIL}


def test_chat_audio_transcript_is_unmasked(scripted):
    up, client = scripted_openai(scripted)

    def reply(found: list[str]) -> Response:
        audio = {"id": "audio_1", "data": "UklGRg==", "expires_at": 0, "transcript": f"Hello {found[0]}"}
        msg = {"role": "assistant", "content": None, "audio": audio}
        choice = {"index": 0, "message": msg, "finish_reason": "stop"}
        return JSONResponse(
            {"id": "c", "object": "chat.completion", "created": 0, "model": "m", "choices": [choice]}
        )

    up.reply = reply
    resp = client.chat.completions.create(model="m", messages=[{"role": "user", "content": f"greet {NAME}"}])
    assert resp.choices[0].message.audio.transcript == f"Hello {NAME}"


def _response(output: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "resp_1", "object": "response", "created_at": 0, "status": "completed", "model": "m",
            "output": output, "parallel_tool_calls": True, "tool_choice": "auto", "tools": []}  # fmt: skip


def _client_tool_items(p: str) -> list[dict[str, Any]]:
    """Tool calls the client executes: placeholders left in them would be run or typed verbatim."""
    return [
        {"type": "local_shell_call", "id": "ls_1", "call_id": "c1", "status": "completed",
         "action": {"type": "exec", "command": ["mail", p], "env": {"TO": p}}},
        {"type": "shell_call", "id": "sh_1", "call_id": "c2", "status": "completed",
         "action": {"commands": [f"mail {p}"], "timeout_ms": None, "max_output_length": None}},
        {"type": "apply_patch_call", "id": "ap_1", "call_id": "c3", "status": "completed",
         "operation": {"type": "update_file", "path": "a.txt", "diff": f"@@\n-x\n+{p}\n"}},
        {"type": "computer_call", "id": "cc_1", "call_id": "c4", "status": "completed",
         "pending_safety_checks": [], "action": {"type": "type", "text": p}},
    ]  # fmt: skip


def test_responses_client_tool_calls_are_unmasked(scripted):
    up, client = scripted_openai(scripted)
    up.reply = lambda found: JSONResponse(_response(_client_tool_items(found[0])))
    resp = client.responses.create(model="m", input=f"mail {EMAIL}")
    out = json.dumps([o.to_dict() for o in resp.output])
    assert not PLACEHOLDER.search(out), out
    assert out.count(EMAIL) == 5


def test_responses_stream_refusal_custom_and_shell_deltas_are_unmasked(scripted):
    up, client = scripted_openai(scripted)

    def reply(found: list[str]) -> Response:
        p = found[0]
        refusal, custom, command = f"No mail to {p}.", f"to: {p}", f"mail {p}"
        ev: list[dict[str, Any]] = [{"type": "response.created", "response": _response([])}]
        at = {"item_id": "m1", "output_index": 0, "content_index": 0}
        ev += [{"type": "response.refusal.delta", **at, "delta": d} for d in cut(refusal)]
        ev += [{"type": "response.refusal.done", **at, "refusal": refusal}]
        at = {"item_id": "ct1", "output_index": 1}
        ev += [{"type": "response.custom_tool_call_input.delta", **at, "delta": d} for d in cut(custom)]
        ev += [{"type": "response.custom_tool_call_input.done", **at, "input": custom}]
        at = {"output_index": 2, "command_index": 0}
        ev += [{"type": "response.shell_call_command.added", **at, "command": ""}]
        ev += [{"type": "response.shell_call_command.delta", **at, "delta": d} for d in cut(command)]
        ev += [{"type": "response.shell_call_command.done", **at, "command": command}]
        for i, e in enumerate(ev):
            e["sequence_number"] = i
        return sse(ev)

    up.reply = reply
    events = list(client.responses.create(model="m", input=f"mail {EMAIL}", stream=True))
    deltas: dict[str, str] = {}
    for e in events:
        if e.type.endswith(".delta"):
            deltas[e.type] = deltas.get(e.type, "") + e.delta
    assert deltas == {
        "response.refusal.delta": f"No mail to {EMAIL}.",
        "response.custom_tool_call_input.delta": f"to: {EMAIL}",
        "response.shell_call_command.delta": f"mail {EMAIL}",
    }
    done = {e.type: e.to_dict() for e in events if e.type.endswith(".done")}
    assert done["response.refusal.done"]["refusal"] == f"No mail to {EMAIL}."
    assert done["response.custom_tool_call_input.done"]["input"] == f"to: {EMAIL}"
    assert done["response.shell_call_command.done"]["command"] == f"mail {EMAIL}"


def test_responses_input_items_are_unmasked(scripted):
    up, client = scripted_openai(scripted)
    up.reply = lambda found: JSONResponse(_response([]))
    client.responses.create(model="m", input=f"mail {EMAIL}")
    items = [
        {"type": "message", "id": "m1", "role": "user", "status": "completed",
         "content": [{"type": "input_text", "text": f"mail {up.found[0]}"}]},
        {"type": "function_call_output", "id": "fo_1", "call_id": "c1", "output": f"sent to {up.found[0]}"},
    ]  # fmt: skip
    page = {"object": "list", "data": items, "first_id": "m1", "last_id": "fo_1", "has_more": False}
    up.reply = lambda found: JSONResponse(page)
    got = [i.to_dict() for i in client.responses.input_items.list("resp_1")]
    assert got[0]["content"][0]["text"] == f"mail {EMAIL}"
    assert got[1]["output"] == f"sent to {EMAIL}"


def test_stop_sequences_are_masked_and_the_one_hit_unmasked(scripted):
    """A dialogue's stop sequence names a speaker: masked like the prompt (else it never matches and
    the name leaks), and the `stop_sequence` the model stopped at comes back unmasked."""
    import anthropic

    up, url = scripted
    key = new_key()

    def reply(found: list[str]) -> Response:
        stop = f"\n{found[0]}:"
        msg = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
               "stop_reason": "stop_sequence", "stop_sequence": stop, "usage": {"input_tokens": 1, "output_tokens": 1}}  # fmt: skip
        if not up.streamed:
            return JSONResponse(msg)
        start = {**msg, "stop_reason": None, "stop_sequence": None}
        delta = {"stop_reason": "stop_sequence", "stop_sequence": stop}
        return sse([{"type": "message_start", "message": start},
                    {"type": "message_delta", "delta": delta, "usage": {"output_tokens": 1}},
                    {"type": "message_stop"}])  # fmt: skip

    up.reply = reply
    client = anthropic.Anthropic(api_key=key, base_url=f"{url}/anthropic", max_retries=0)
    args = dict(model="m", max_tokens=10, messages=[{"role": "user", "content": f"{NAME}: hi"}])
    for streamed in (False, True):
        up.streamed = streamed
        if streamed:
            with client.messages.stream(**args, stop_sequences=[f"\n{NAME}:"]) as s:
                msg = s.get_final_message()
        else:
            msg = client.messages.create(**args, stop_sequences=[f"\n{NAME}:"])
        assert msg.stop_sequence == f"\n{NAME}:"
    assert NAME not in json.dumps(up.bodies)
    assert up.bodies[-1]["stop_sequences"] == ["\n<PERSON_1>:"]


def test_chat_stop_and_embeddings_user_are_masked(fake_upstream, openai_client):
    key = new_key()
    client = openai_client(key)
    client.chat.completions.create(
        model="gpt-test", messages=[{"role": "user", "content": "hi"}], stop=f"{NAME}:"
    )
    client.chat.completions.create(
        model="gpt-test", messages=[{"role": "user", "content": "hi"}], stop=[EMAIL]
    )
    client.embeddings.create(model="emb", input="hi", user=EMAIL_B)
    assert_no_pii(fake_upstream, key)


def test_chat_custom_tool_calls_are_masked_and_unmasked(fake_upstream, scripted, openai_client):
    key = new_key()
    call = {"id": "c1", "type": "custom", "custom": {"name": "mail", "input": f"to {EMAIL}"}}
    messages = [
        {"role": "user", "content": "mail him"},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": "sent"},
    ]
    openai_client(key).chat.completions.create(model="gpt-test", messages=messages)
    assert_no_pii(fake_upstream, key)

    up, client = scripted_openai(scripted)

    def reply(found: list[str]) -> Response:
        call = {"id": "c2", "type": "custom", "custom": {"name": "mail", "input": f"to {found[0]}"}}
        msg = {"role": "assistant", "content": None, "tool_calls": [call]}
        choice = {"index": 0, "message": msg, "finish_reason": "tool_calls"}
        return JSONResponse(
            {"id": "c", "object": "chat.completion", "created": 0, "model": "m", "choices": [choice]}
        )

    up.reply = reply
    resp = client.chat.completions.create(model="m", messages=[{"role": "user", "content": f"mail {EMAIL}"}])
    assert resp.choices[0].message.tool_calls[0].custom.input == f"to {EMAIL}"


def test_responses_token_count_and_compact_are_masked_not_refused(fake_upstream, openai_client):
    key = new_key()
    client = openai_client(key)
    client.responses.input_tokens.count(model="gpt-test", input=f"mail {EMAIL}", instructions=f"for {NAME}")
    client.responses.compact(model="gpt-test", input=[{"role": "user", "content": f"mail {EMAIL}"}])
    assert_no_pii(fake_upstream, key)
    assert [r.path for r in fake_upstream.for_key(key)] == [
        "/v1/responses/input_tokens",
        "/v1/responses/compact",
    ]


def test_anthropic_server_tool_results_are_unmasked(scripted):
    """Code run by the provider on placeholders prints placeholders; the client sees the values."""
    import anthropic

    up, url = scripted

    def reply(found: list[str]) -> Response:
        p = found[0]
        use = {
            "type": "server_tool_use",
            "id": "srvtoolu_1",
            "name": "code_execution",
            "input": {"code": f"print('{p}')"},
        }
        result = {"type": "code_execution_tool_result", "tool_use_id": "srvtoolu_1",
                  "content": {"type": "code_execution_result", "stdout": f"{p}\n", "stderr": "", "return_code": 0, "content": []}}  # fmt: skip
        msg = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [use, result],
               "stop_reason": "end_turn", "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1}}  # fmt: skip
        if not up.streamed:
            return JSONResponse(msg)
        events: list[dict[str, Any]] = [{"type": "message_start", "message": {**msg, "content": []}}]
        events += [{"type": "content_block_start", "index": 0, "content_block": {**use, "input": {}}}]
        events += [{"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": d}}
                   for d in cut(json.dumps(use["input"]))]  # fmt: skip
        events += [{"type": "content_block_stop", "index": 0}]
        events += [{"type": "content_block_start", "index": 1, "content_block": result}]
        events += [{"type": "content_block_stop", "index": 1}, {"type": "message_stop"}]
        return sse(events)

    up.reply = reply
    client = anthropic.Anthropic(api_key=new_key(), base_url=f"{url}/anthropic", max_retries=0)
    args = dict(model="m", max_tokens=10, messages=[{"role": "user", "content": f"print {EMAIL}"}])
    for streamed in (False, True):
        up.streamed = streamed
        if streamed:
            with client.messages.stream(**args) as s:
                msg = s.get_final_message()
        else:
            msg = client.messages.create(**args)
        use, result = (b.to_dict() for b in msg.content)
        assert use["input"] == {"code": f"print('{EMAIL}')"}
        assert result["content"]["stdout"] == f"{EMAIL}\n"


def test_anthropic_browser_state_tab_urls_are_masked(fake_upstream, anthropic_client):
    """The client's own browser tabs: their URLs are its data (shown to the model), not resources the
    provider fetches."""
    key = new_key()
    tabs = [
        {
            "tab_id": "t1",
            "title": f"Inbox of {NAME}",
            "url": f"https://mail.example.net/?email={EMAIL}",
            "active": True,
        }
    ]
    result = {"type": "tool_result", "tool_use_id": "toolu_1",
              "content": [{"type": "text", "text": "done"}, {"type": "browser_state", "tabs": tabs}]}  # fmt: skip
    messages = [
        {"role": "user", "content": "open my mail"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_1", "name": "browser", "input": {}}],
        },
        {"role": "user", "content": [result]},
    ]
    anthropic_client(key).messages.create(model="m", max_tokens=10, messages=messages)
    assert_no_pii(fake_upstream, key)


def test_responses_echoed_request_fields_are_unmasked(scripted):
    """A response object repeats the request's instructions, metadata, ids, tools and prompt: the client
    gets back what it sent, without the proxy's note."""
    up, client = scripted_openai(scripted)
    echoed = ("instructions", "metadata", "user", "safety_identifier", "tools", "prompt")

    def reply(found: list[str]) -> Response:
        body = up.bodies[-1]
        resp = {**_response([]), **{k: body[k] for k in echoed}}
        if not body.get("stream"):
            return JSONResponse(resp)
        return sse([{"type": "response.created", "sequence_number": 0, "response": {**resp, "status": "in_progress"}},
                    {"type": "response.completed", "sequence_number": 1, "response": resp}])  # fmt: skip

    up.reply = reply
    fn = {"type": "function", "name": "send", "description": f"Mail for {NAME}", "parameters": _schema()}
    kw = dict(model="m", input="hi", instructions=f"Serve {NAME}.", metadata={"owner": NAME}, user=EMAIL,
              safety_identifier=EMAIL_B, tools=[fn], prompt={"id": "pmpt_1", "variables": {"who": NAME}})  # fmt: skip
    streamed = [
        e.response for e in client.responses.create(stream=True, **kw) if e.type == "response.completed"
    ]
    for resp in (client.responses.create(**kw), *streamed):
        assert resp.instructions == f"Serve {NAME}."
        assert resp.metadata == {"owner": NAME}
        assert (resp.user, resp.safety_identifier) == (EMAIL, EMAIL_B)
        assert resp.tools[0].to_dict() == fn
        assert resp.prompt.variables == {"who": NAME}
    assert NAME not in json.dumps(up.bodies)


def test_conversations_items_are_masked_and_unmasked(fake_upstream, scripted, openai_client):
    key = new_key()
    client = openai_client(key)
    items = [
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": f"mail {EMAIL}"}]}
    ]
    client.conversations.create(items=items, metadata={"owner": NAME})
    client.conversations.items.create("conv_1", items=items)
    assert_no_pii(fake_upstream, key)

    up, client = scripted_openai(scripted)
    up.reply = lambda found: JSONResponse(
        {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    )
    client.conversations.items.create("conv_1", items=items)
    item = {"type": "message", "id": "msg_1", "role": "user", "status": "completed",
            "content": [{"type": "input_text", "text": f"mail {up.found[0]}"}]}  # fmt: skip
    page = {"object": "list", "data": [item], "first_id": "msg_1", "last_id": "msg_1", "has_more": False}
    up.reply = lambda found: JSONResponse(page)
    assert [i.content[0].text for i in client.conversations.items.list("conv_1")] == [f"mail {EMAIL}"]
    up.reply = lambda found: JSONResponse(item)
    assert (
        client.conversations.items.retrieve("msg_1", conversation_id="conv_1").content[0].text
        == f"mail {EMAIL}"
    )


def test_responses_mcp_call_arguments_are_masked_as_json(fake_upstream, openai_client):
    """`arguments` of any tool call item is JSON text: a value with quotes or backslashes is escaped
    there, so it is parsed and masked, not matched as plain text."""
    key = new_key()
    args = json.dumps({"to": CODENAME, "cc": [EMAIL]})
    item = {
        "type": "mcp_call",
        "id": "mcp_1",
        "server_label": "mail",
        "name": "send",
        "arguments": args,
        "output": "ok",
    }
    openai_client(key).responses.create(model="gpt-test", input=[item, {"role": "user", "content": "next"}])
    assert_no_pii(fake_upstream, key, (CODENAME, EMAIL))
    sent = fake_upstream.for_key(key)[-1].json()["input"][0]["arguments"]
    assert json.loads(sent) == {"to": "<CODENAME_1>", "cc": ["<EMAIL_1>"]}


def test_chat_arguments_of_the_wrong_type_are_masked_anyway(fake_upstream, openai_client):
    key = new_key()
    call = {"id": "c1", "type": "function", "function": {"name": "send", "arguments": {"to": EMAIL}}}
    messages = [
        {"role": "user", "content": "mail him"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [call],
            "function_call": {"name": "f", "arguments": [NAME]},
        },
    ]
    openai_client(key).chat.completions.create(model="gpt-test", messages=messages)
    assert_no_pii(fake_upstream, key)


def test_text_fields_of_the_wrong_type_are_masked_anyway(fake_upstream, anthropic_client, openai_client):
    """An object or list where a string belongs is the upstream's to reject, but it is masked first."""
    key = new_key()
    odd = [
        {"type": "text", "text": [f"mail {EMAIL}"]},
        {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": {"d": NAME}},
         "title": [NAME], "context": {"c": EMAIL_B}},
    ]  # fmt: skip
    messages = [
        {"role": "user", "content": odd},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "hi"},
    ]
    anthropic_client(key).messages.create(model="m", max_tokens=10, messages=messages)
    parts = [{"type": "text", "text": {"t": EMAIL}}, {"type": "refusal", "refusal": [NAME]}]
    chat = [{"role": "user", "content": parts}, {"role": "user", "content": "hi"}]
    openai_client(key).chat.completions.create(model="gpt-test", messages=chat, user=[EMAIL_B])
    assert_no_pii(fake_upstream, key)


def test_containers_of_the_wrong_type_are_masked_anyway(fake_upstream, anthropic_client, openai_client):
    key = new_key()
    doc = {"type": "document", "source": [f"{NAME} lives here"]}
    messages = [
        {"role": "user", "content": [doc]},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": "hi"},
    ]
    anthropic_client(key).messages.create(model="m", max_tokens=10, messages=messages)
    odd = {
        "role": "assistant",
        "content": None,
        "tool_calls": [f"call {EMAIL}", {"function": [NAME]}],
        "function_call": EMAIL_B,
    }
    chat = [odd, {"role": "user", "content": "hi", "name": {"n": NAME}}]
    openai_client(key).chat.completions.create(model="gpt-test", messages=chat, prediction=f"{NAME}")
    openai_client(key).responses.create(model="gpt-test", input="hi", prompt={"id": "p", "variables": [NAME]})
    openai_client(key).responses.create(model="gpt-test", input="hi", prompt=f"{EMAIL}")
    assert_no_pii(fake_upstream, key)


def test_embeddings_nested_lists_are_masked(fake_upstream, openai_client):
    key = new_key()
    openai_client(key).embeddings.create(model="emb", input=[[1, 2], [f"mail {EMAIL}"]])  # type: ignore[list-item]
    assert_no_pii(fake_upstream, key)
    assert fake_upstream.for_key(key)[-1].json()["input"] == [[1, 2], ["mail <EMAIL_1>"]]


def test_stored_chat_completions_are_masked_and_unmasked(fake_upstream, scripted, openai_client):
    key = new_key()
    openai_client(key).chat.completions.update("chatcmpl_1", metadata={"owner": NAME})
    assert_no_pii(fake_upstream, key)

    up, client = scripted_openai(scripted)
    up.reply = lambda found: JSONResponse({})
    client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": f"mail {EMAIL}"}], metadata={"owner": NAME}
    )
    p = up.found
    message = {"id": "chatcmpl_1-0", "role": "user", "content": f"mail {p[0]}", "content_parts": None}
    up.reply = lambda found: JSONResponse(
        {"object": "list", "data": [message], "first_id": "x", "last_id": "x", "has_more": False}
    )
    assert [m.content for m in client.chat.completions.messages.list("chatcmpl_1")] == [f"mail {EMAIL}"]
    choice = {"index": 0, "message": {"role": "assistant", "content": f"to {p[0]}"}, "finish_reason": "stop"}
    stored = {"id": "chatcmpl_1", "object": "chat.completion", "created": 0, "model": "m", "choices": [choice],
              "metadata": {"owner": p[1]}}  # fmt: skip
    up.reply = lambda found: JSONResponse(stored)
    got = client.chat.completions.retrieve("chatcmpl_1")
    assert (got.choices[0].message.content, got.metadata) == (f"to {EMAIL}", {"owner": NAME})
    up.reply = lambda found: JSONResponse(
        {"object": "list", "data": [stored], "first_id": "x", "last_id": "x", "has_more": False}
    )
    assert [c.metadata for c in client.chat.completions.list()] == [{"owner": NAME}]


def test_anthropic_tool_input_examples_are_masked(fake_upstream, anthropic_client):
    key = new_key()
    tool = {
        "name": "send",
        "input_schema": _schema(),
        "input_examples": [{"to": EMAIL, "note": f"for {NAME}"}],
    }
    anthropic_client(key).messages.create(
        model="m", max_tokens=10, messages=[{"role": "user", "content": "hi"}], tools=[tool]
    )
    assert_no_pii(fake_upstream, key)
    sent = fake_upstream.for_key(key)[-1].json()["tools"][0]
    assert sent["input_examples"] == [{"to": "<EMAIL_1>", "note": "for <PERSON_1>"}]


def test_chat_stream_custom_tool_call_input_is_unmasked(scripted):
    """Streamed custom tool calls: `delta.tool_calls[i].custom.input` (openai/openai-openapi#576)."""
    up, client = scripted_openai(scripted)

    def reply(found: list[str]) -> Response:
        base = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m"}
        head = {"index": 0, "id": "call_1", "type": "custom", "custom": {"name": "mail", "input": ""}}
        calls = [head] + [{"index": 0, "custom": {"input": p}} for p in cut(f"to {found[0]}", 4)]
        chunks = [
            {**base, "choices": [{"index": 0, "delta": {"tool_calls": [c]}, "finish_reason": None}]}
            for c in calls
        ]
        chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]})
        return sse(chunks, named=False)

    up.reply = reply
    stream = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": f"mail {EMAIL}"}], stream=True
    )
    text = ""
    for chunk in stream:
        for call in chunk.choices[0].delta.tool_calls or [] if chunk.choices else []:
            text += (call.to_dict().get("custom") or {}).get("input", "")
    assert text == f"to {EMAIL}"


def test_anthropic_compaction_blocks_are_signed_and_untouched(fake_upstream, anthropic_client):
    """A compaction block's signature records its content (the model's summary, in placeholders):
    re-masking it (placeholder-shaped text becomes a literal) fails `compaction_content_mismatch`."""
    key = new_key()
    client = anthropic_client(key)
    client.messages.create(model="m", max_tokens=10, messages=[{"role": "user", "content": f"I am {NAME}"}])
    block = {"type": "compaction", "content": "The user <PERSON_1> asked to be mailed.", "signature": "c2ln",
             "encrypted_content": "ZW5j"}  # fmt: skip
    messages = [{"role": "assistant", "content": [block]}, {"role": "user", "content": "go on"}]
    client.messages.create(model="m", max_tokens=10, messages=messages)
    assert fake_upstream.for_key(key)[-1].json()["messages"][0]["content"] == [block]


def test_query_string_filters_are_masked_and_ids_left_alone(fake_upstream, openai_client):
    """`GET /v1/chat/completions?metadata[owner]=...` filters stored completions by metadata, which was
    stored masked: the filter value is masked the same way; ids, cursors and limits are not touched."""
    from urllib.parse import parse_qsl

    key = new_key()
    client = openai_client(key)
    client.chat.completions.update("chatcmpl_1", metadata={"owner": NAME})
    client.chat.completions.list(metadata={"owner": NAME}, after="chatcmpl_abc123", limit=5)
    rec = fake_upstream.for_key(key)[-1]
    query = dict(parse_qsl(rec.query))
    assert NAME not in query.values() and query["metadata[owner]"] == "<PERSON_1>"
    assert query["after"] == "chatcmpl_abc123" and query["limit"] == "5"
    # the same placeholder as the stored metadata, so the filter matches
    assert fake_upstream.for_key(key)[0].json()["metadata"] == {"owner": "<PERSON_1>"}


def test_json_tool_results_with_escapes_are_masked(fake_upstream, anthropic_client, openai_client):
    """Tool output is often `json.dumps` text: `Ren\\u00e9e` and `\\n` must not hide a value."""
    record = {"customer": "Renée Zürcher", "ship_to": "Ships to:\n12 Main Street\nSpringfield, IL 62704"}
    values = ("Renée Zürcher", "Zürcher", "12 Main Street")
    key = new_key()
    anthropic_client(key).messages.create(
        model="m",
        max_tokens=10,
        messages=[
            {"role": "user", "content": "look her up"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "crm", "input": {}}]},
            {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "t1", "content": json.dumps(record)}],
            },
        ],
    )
    assert_no_pii(fake_upstream, key, values)
    sent = fake_upstream.for_key(key)[-1].json()["messages"][2]["content"][0]["content"]
    assert json.loads(sent)["customer"] == "<PERSON_1>"  # still the JSON the tool returned

    key = new_key()
    openai_client(key).chat.completions.create(
        model="m",
        messages=[
            {"role": "user", "content": "look her up"},
            {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                                                  "function": {"name": "crm", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": json.dumps(record, indent=2)},
        ],
    )  # fmt: skip
    assert_no_pii(fake_upstream, key, values)
