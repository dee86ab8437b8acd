"""Anthropic Messages through maskgate with the official SDK: nothing detected leaks, values come back."""

from __future__ import annotations

import json

import anthropic
import pytest

from fake_upstream import CODENAME, EMAIL, EMAIL_B, NAME, assert_no_pii, new_key
from maskgate.providers import SYSTEM_NOTE

pytest_plugins = ("proxy_fixtures",)

PROMPT = f"Write to {NAME} at {EMAIL} about {CODENAME}."


def ask(client: anthropic.Anthropic, content: str | list, stream: bool, mode: str = "", **kw):
    headers = {"x-fake-mode": mode} if mode else {}
    args = dict(model="claude-test", max_tokens=100, messages=[{"role": "user", "content": content}], **kw)
    if not stream:
        return client.messages.create(**args, extra_headers=headers)
    with client.messages.stream(**args, extra_headers=headers) as s:
        return s.get_final_message()


@pytest.mark.parametrize("stream", [False, True])
def test_text_and_tool_use_roundtrip(fake_upstream, anthropic_client, stream):
    key = new_key()
    msg = ask(anthropic_client(key), PROMPT, stream, "tool", system="You help Mary.")
    assert_no_pii(fake_upstream, key)
    text = next(b for b in msg.content if b.type == "text").text
    assert text == f"Echo: {PROMPT}"
    tool = next(b for b in msg.content if b.type == "tool_use")
    assert tool.input["to"] in (NAME, EMAIL, CODENAME)
    assert tool.input["note"] == f'say "hi" \\ bye Echo: {PROMPT}'
    assert set(tool.input["nested"]["all"]) >= {NAME, EMAIL, CODENAME}
    sent = fake_upstream.for_key(key)[-1].json()
    assert sent["system"][-1] == {"type": "text", "text": SYSTEM_NOTE}
    assert "<EMAIL_1>" in json.dumps(sent["messages"])


def test_every_request_field_is_masked(fake_upstream, anthropic_client):
    key = new_key()
    client = anthropic_client(key)
    system = [{"type": "text", "text": f"User is {NAME}.", "cache_control": {"type": "ephemeral"}}]
    messages = [
        {"role": "user", "content": [{"type": "text", "text": f"Email {EMAIL}"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Think about <EMAIL_1>", "signature": "sig"},
                {
                    "type": "tool_use",
                    "id": "t1",
                    "name": "lookup",
                    "input": {"q": EMAIL, "deep": [{"who": NAME}]},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "t1",
                    "content": [{"type": "text", "text": f"found {EMAIL_B}"}],
                },
                {"type": "tool_result", "tool_use_id": "t1", "content": f"also {CODENAME}"},
                {
                    "type": "document",
                    "source": {"type": "text", "media_type": "text/plain", "data": f"{NAME} lives"},
                },
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
                },
            ],
        },
    ]
    client.messages.create(model="m", max_tokens=10, system=system, messages=messages)
    client.messages.count_tokens(model="m", system=system, messages=messages)
    assert_no_pii(fake_upstream, key)
    sent = fake_upstream.for_key(key)
    assert [r.path for r in sent] == ["/v1/messages", "/v1/messages/count_tokens"]
    body = sent[0].json()
    # client's cache_control block first and unchanged apart from masking; the note last, uncached
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert body["system"][0]["text"] == "User is <PERSON_1>."
    assert body["system"][1] == {"type": "text", "text": SYSTEM_NOTE}
    thinking = body["messages"][1]["content"][0]
    assert thinking == {"type": "thinking", "thinking": "Think about <EMAIL_1>", "signature": "sig"}
    assert body["messages"][2]["content"][3]["source"]["data"] == "iVBORw0KGgo="
    assert sent[1].json()["messages"] == body["messages"]


def test_thinking_untouched_in_responses(fake_upstream, anthropic_client):
    for stream in (False, True):
        key = new_key()
        msg = ask(anthropic_client(key), f"hi {EMAIL}", stream, "thinking")
        thinking = next(b for b in msg.content if b.type == "thinking")
        assert thinking.thinking == "Thinking about <EMAIL_1>"
        assert thinking.signature == "c2ln"
        assert next(b for b in msg.content if b.type == "text").text == f"Echo: hi {EMAIL}"


def test_same_placeholders_every_turn(fake_upstream, anthropic_client):
    key = new_key()
    client = anthropic_client(key)
    history: list[dict] = []
    for turn, text in enumerate([f"I am {NAME}, {EMAIL}.", f"Also {EMAIL_B}.", "And again."]):
        history.append({"role": "user", "content": text})
        msg = client.messages.create(model="m", max_tokens=10, messages=history)
        reply = msg.content[0].text
        assert reply == f"Echo: {text}"
        history.append({"role": "assistant", "content": reply})
        assert len(fake_upstream.for_key(key)) == turn + 1
    sent = [r.json()["messages"] for r in fake_upstream.for_key(key)]
    # the masked history is byte-identical from one turn to the next
    assert sent[1][:1] == sent[0][:1] and sent[2][:3] == sent[1][:3]
    raw = [r.body for r in fake_upstream.for_key(key)]
    prefix = json.dumps(sent[1], separators=(",", ":"), ensure_ascii=False)[:-1].encode()
    assert prefix in raw[1] and prefix in raw[2]  # the same bytes on the wire, not just equal JSON
    assert sent[0][0]["content"] == "I am <PERSON_1>, <EMAIL_1>."
    assert sent[2][1]["content"] == "Echo: I am <PERSON_1>, <EMAIL_1>."
    assert [r.json()["system"] for r in fake_upstream.for_key(key)] == [
        [{"type": "text", "text": SYSTEM_NOTE}]
    ] * 3
    assert_no_pii(fake_upstream, key)


def test_two_keys_are_isolated(fake_upstream, anthropic_client):
    a, b = anthropic_client(new_key()), anthropic_client(new_key())
    assert (
        a.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": EMAIL}])
        .content[0]
        .text
        == f"Echo: {EMAIL}"
    )
    # B never saw A's value: its <EMAIL_1> is literal text and comes back as such
    got = b.messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "<EMAIL_1>"}])
    assert got.content[0].text == "Echo: <EMAIL_1>"
    raw = a.messages.with_raw_response.create(
        model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}]
    )
    a_session = raw.headers["x-maskgate-session"]
    assert a_session.startswith("key-")
    # nor can B name A's session: credential-derived ids are reserved to their credential
    with pytest.raises(anthropic.BadRequestError):
        b.messages.create(
            model="m",
            max_tokens=5,
            messages=[{"role": "user", "content": "hi"}],
            extra_headers={"x-maskgate-session": a_session},
        )
