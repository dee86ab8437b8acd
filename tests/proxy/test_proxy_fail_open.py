"""`fail_open`: the operator's explicit choice of availability over privacy when detection fails."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import openai
import pytest

from fake_upstream import EMAIL, FAIL_TRIGGER, FakeUpstream, new_key
from maskgate.masking import Masker
from maskgate.server.app import create_app

pytest_plugins = ("proxy_fixtures",)


@pytest.fixture(scope="module")
def open_proxy(fake_upstream: FakeUpstream, proxy_masker: Masker) -> Iterator[str]:
    from proxy_fixtures import Served, proxy_settings

    served = Served(create_app(proxy_settings(fake_upstream.url, fail_open=True), proxy_masker))
    yield served.url
    served.stop()


def test_fail_open_forwards_unmasked_only_when_detection_fails(
    open_proxy: str, fake_upstream: FakeUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    client = openai.OpenAI(api_key=(key := new_key()), base_url=f"{open_proxy}/openai/v1", max_retries=0)
    with caplog.at_level(logging.WARNING, logger="maskgate.proxy"):
        client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": f"{FAIL_TRIGGER} {EMAIL}"}]
        )
    sent = fake_upstream.for_key(key)
    assert len(sent) == 1 and EMAIL in sent[0].body.decode()  # forwarded as the operator configured
    assert "forwarding unmasked" in caplog.text and EMAIL not in caplog.text
    # Detection that works still masks, fail_open or not.
    client.chat.completions.create(model="m", messages=[{"role": "user", "content": f"mail {EMAIL}"}])
    assert EMAIL not in fake_upstream.for_key(key)[1].body.decode()
