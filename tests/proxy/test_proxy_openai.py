"""OpenAI chat, Responses, embeddings and models through maskgate with the official SDK."""

from __future__ import annotations

import json

import pytest

from fake_upstream import CODENAME, EMAIL, EMAIL_B, NAME, QUOTED, assert_no_pii, new_key
from maskgate.providers import SYSTEM_NOTE

pytest_plugins = ("proxy_fixtures",)

PROMPT = f"Write to {NAME} at {EMAIL} about {CODENAME}."
TOOLS = [
    {"type": "function", "function": {"name": "send", "parameters": {"type": "object", "properties": {}}}}
]


def chat(client, messages, stream: bool, mode: str = "", **kw):
    headers = {"x-fake-mode": mode} if mode else {}
    args = dict(model="gpt-test", messages=messages, extra_headers=headers, **kw)
    if not stream:
        return client.chat.completions.create(**args)
    with client.chat.completions.stream(**args) as s:
        for _ in s:
            pass
        return s.get_final_completion()


@pytest.mark.parametrize("stream", [False, True])
def test_chat_choices_and_tool_calls(fake_upstream, openai_client, stream):
    key = new_key()
    resp = chat(openai_client(key), [{"role": "user", "content": PROMPT}], stream, "tool", n=3, tools=TOOLS)
    assert_no_pii(fake_upstream, key)
    assert len(resp.choices) == 3
    for choice in resp.choices:
        assert choice.message.content == f"[{choice.index}] Echo: {PROMPT}"
        calls = choice.message.tool_calls
        assert len(calls) == 3
        args = [json.loads(c.function.arguments) for c in calls]  # still valid JSON after unmasking
        assert {a["to"] for a in args[:2]} <= {NAME, EMAIL, CODENAME}
        assert args[0]["note"] == f"{QUOTED} Echo: {PROMPT}"
        assert set(args[2]["all"]) == {NAME, EMAIL, CODENAME}
    sent = fake_upstream.for_key(key)[-1].json()
    assert sent["messages"][0] == {"role": "system", "content": SYSTEM_NOTE}


def test_chat_every_role_is_masked(fake_upstream, openai_client):
    key = new_key()
    args = json.dumps({"to": EMAIL, "who": {"name": NAME}})
    messages = [
        {"role": "system", "content": f"Assist {NAME}."},
        {"role": "developer", "content": [{"type": "text", "text": f"Mail {EMAIL_B}"}]},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": PROMPT},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "send", "arguments": args}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": f"sent to {EMAIL}"},
    ]
    for stream in (False, True):
        resp = chat(openai_client(key), messages, stream)
        assert resp.choices[0].message.content == f"[0] Echo: sent to {EMAIL}"
    assert_no_pii(fake_upstream, key)
    first, second = (r.json()["messages"] for r in fake_upstream.for_key(key))
    assert first == second  # same placeholders every turn, streamed or not
    assert [m["role"] for m in first] == ["system", "developer", "system", "user", "assistant", "tool"]
    assert first[2]["content"] == SYSTEM_NOTE
    assert json.loads(first[4]["tool_calls"][0]["function"]["arguments"]) == {
        "to": "<EMAIL_2>",
        "who": {"name": "<PERSON_1>"},
    }
    assert first[3]["content"][1]["image_url"]["url"] == "data:image/png;base64,AAAA"


def test_chat_isolation(fake_upstream, openai_client):
    a, b = openai_client(new_key()), openai_client(new_key())
    assert (
        chat(a, [{"role": "user", "content": EMAIL}], False).choices[0].message.content
        == f"[0] Echo: {EMAIL}"
    )
    got = chat(b, [{"role": "user", "content": "who is <EMAIL_1>?"}], True)
    assert got.choices[0].message.content == "[0] Echo: who is <EMAIL_1>?"


@pytest.mark.parametrize("stream", [False, True])
def test_responses(fake_upstream, openai_client, stream):
    key = new_key()
    client = openai_client(key)
    items = [
        {"role": "user", "content": [{"type": "input_text", "text": f"hi, I am {NAME}"}]},
        {"type": "function_call", "call_id": "c1", "name": "send", "arguments": json.dumps({"to": EMAIL_B})},
        {"type": "function_call_output", "call_id": "c1", "output": f"ok {EMAIL_B}"},
        {"role": "user", "content": PROMPT},
    ]
    kw = dict(
        model="gpt-test", instructions=f"Serve {NAME}.", input=items, extra_headers={"x-fake-mode": "tool"}
    )
    if stream:
        events = list(client.responses.create(stream=True, **kw))
        deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
        done = next(e for e in events if e.type == "response.output_text.done")
        args_delta = "".join(e.delta for e in events if e.type == "response.function_call_arguments.delta")
        args_done = next(e for e in events if e.type == "response.function_call_arguments.done").arguments
        assert deltas == done.text == f"Echo: {PROMPT}"
        assert args_delta == args_done
        resp = next(e for e in events if e.type == "response.completed").response
    else:
        resp = client.responses.create(**kw)
    assert resp.output_text == f"Echo: {PROMPT}"
    call = next(o for o in resp.output if o.type == "function_call")
    assert json.loads(call.arguments)["note"] == f"{QUOTED} Echo: {PROMPT}"
    assert json.loads(call.arguments)["to"] in (NAME, EMAIL, CODENAME)
    assert_no_pii(fake_upstream, key)
    sent = fake_upstream.for_key(key)[-1].json()
    assert sent["instructions"] == f"Serve <PERSON_1>.\n\n{SYSTEM_NOTE}"
    assert json.loads(sent["input"][1]["arguments"]) == {"to": "<EMAIL_1>"}


def test_responses_string_input_and_retrieve(fake_upstream, openai_client):
    key = new_key()
    client = openai_client(key)
    resp = client.responses.create(model="gpt-test", input=PROMPT)
    assert resp.output_text == f"Echo: {PROMPT}"
    assert client.responses.retrieve(resp.id).output_text == f"Echo: {PROMPT}"
    assert_no_pii(fake_upstream, key)


def test_embeddings_and_models(fake_upstream, openai_client):
    key = new_key()
    client = openai_client(key)
    emb = client.embeddings.create(model="emb", input=[PROMPT, f"and {EMAIL_B}"])
    assert len(emb.data) == 2
    client.embeddings.create(model="emb", input=[[1, 2, 3]])
    client.moderations.create(input=[{"type": "text", "text": PROMPT}])
    assert [m.id for m in client.models.list()] == ["gpt-test"]
    assert_no_pii(fake_upstream, key)
    sent = fake_upstream.for_key(key)
    assert sent[0].json()["input"][1] == "and <EMAIL_2>"
    assert sent[1].json()["input"] == [[1, 2, 3]]
    assert sent[2].json()["input"][0]["text"].startswith("Write to <PERSON_1> at <EMAIL_1>")
    assert sent[3].method == "GET" and sent[3].path == "/v1/models"


def test_responses_stream_helper(fake_upstream, openai_client):
    key = new_key()
    kw = dict(model="gpt-test", input=PROMPT, extra_headers={"x-fake-mode": "tool"})
    with openai_client(key).responses.stream(**kw) as s:
        text = "".join(e.delta for e in s if e.type == "response.output_text.delta")
        final = s.get_final_response()
    assert text == final.output_text == f"Echo: {PROMPT}"
    assert_no_pii(fake_upstream, key)
