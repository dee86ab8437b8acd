"""Anonymous clients (issue 12 item 7): a request with no credential and no X-Maskgate-Session gets a
fresh session of its own, so an upstream answer naming another request's placeholder never unmasks
to that request's value; an operator may name one shared session (`anonymous_session`)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.responses import JSONResponse
from test_proxy_audit import Scripted

from fake_upstream import EMAIL
from maskgate.masking import Masker
from maskgate.server.app import create_app

pytest_plugins = ("proxy_fixtures",)


def serve(masker: Masker, **extra: object) -> Iterator[tuple[Scripted, str]]:
    from proxy_fixtures import Served, proxy_settings

    up = Scripted()
    # the upstream names the first placeholder it ever saw, whoever asks (a model tricked into it)
    seen: list[str] = []

    def reply(found: list[str]) -> JSONResponse:
        if not seen and found:
            seen.append(found[0])
        text = f"It is {seen[0]}" if seen else "nothing"
        return JSONResponse(
            {"id": "c", "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}
        )

    up.reply = reply
    upstream = Served(up.app)
    proxy = Served(create_app(proxy_settings(upstream.url, **extra), masker))
    yield up, proxy.url
    proxy.stop()
    upstream.stop()


@pytest.fixture
def fresh(proxy_masker: Masker) -> Iterator[tuple[Scripted, str]]:
    yield from serve(proxy_masker)


@pytest.fixture
def shared(proxy_masker: Masker) -> Iterator[tuple[Scripted, str]]:
    yield from serve(proxy_masker, anonymous_session="everyone-here")


def chat(url: str, text: str) -> httpx.Response:
    body = {"model": "m", "messages": [{"role": "user", "content": text}]}
    return httpx.post(f"{url}/openai/v1/chat/completions", json=body, timeout=30)  # no credential


def test_anonymous_requests_do_not_share_values(fresh):
    _, url = fresh
    first = chat(url, f"mail {EMAIL}")
    assert first.json()["choices"][0]["message"]["content"] == f"It is {EMAIL}"  # its own value
    second = chat(url, "what is the address?")
    assert EMAIL not in second.text
    assert second.json()["choices"][0]["message"]["content"].startswith("It is <")
    ids = {first.headers["x-maskgate-session"], second.headers["x-maskgate-session"]}
    assert len(ids) == 2 and "anonymous" not in ids


def test_an_operator_may_name_one_shared_anonymous_session(shared):
    _, url = shared
    first = chat(url, f"mail {EMAIL}")
    second = chat(url, "what is the address?")
    assert second.json()["choices"][0]["message"]["content"] == f"It is {EMAIL}"
    assert first.headers["x-maskgate-session"] == second.headers["x-maskgate-session"] == "everyone-here"
