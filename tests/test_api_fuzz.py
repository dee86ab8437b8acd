"""The REST API's OpenAPI schema fuzzed with schemathesis against a real server: no 5xx, every
response conforms to the schema (status code, content type, body). Driven through hypothesis
directly (schemathesis' pytest plugin does not run under this pytest version)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from fake_upstream import FakeUpstream
from maskgate.server.app import create_app
from proxy_fixtures import Served
from test_api import ADMIN, api_settings

pytest_plugins = ("proxy_fixtures",)


def test_api_conforms_to_its_schema(fake_upstream: FakeUpstream) -> None:
    served = Served(create_app(api_settings(fake_upstream.url)))
    try:
        schema = schemathesis.openapi.from_url(f"{served.url}/api/v1/openapi.json")
        operations = [op.ok() for op in schema.get_all_operations()]
        assert len(operations) >= 15
        for op in operations:

            @given(op.as_strategy())
            @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def check(case: Any) -> None:
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {ADMIN}"}
                case.call_and_validate(base_url=served.url, timeout=60)

            try:
                check()
            except Exception as exc:
                pytest.fail(f"{op.method.upper()} {op.path}: {exc}")
    finally:
        served.stop()
