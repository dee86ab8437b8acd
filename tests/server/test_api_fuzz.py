"""The REST API's OpenAPI schema fuzzed with schemathesis against a real server: no 5xx, every
response conforms to the schema (status code, content type, body), auth is enforced. Driven through
hypothesis directly (schemathesis' pytest plugin does not run under this pytest version)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from test_api import ADMIN, api_settings

from fake_upstream import FakeUpstream
from maskgate.server.app import create_app
from proxy_fixtures import Served

pytest_plugins = ("proxy_fixtures",)
# A regex or a term can be schema-valid and still unusable (a pattern that matches only the empty
# string): the API answers 422 there, which is right, so "valid data accepted" is not checked.
SEMANTIC = {("PUT", "/api/v1/dictionary"), ("PATCH", "/api/v1/settings")}


def fuzz(op: Any, base_url: str) -> Callable[[], None]:
    excluded = [positive_data_acceptance] if (op.method.upper(), op.path) in SEMANTIC else []

    @given(op.as_strategy())
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {ADMIN}"}
        case.call_and_validate(base_url=base_url, timeout=60, excluded_checks=excluded)

    return check


def test_api_conforms_to_its_schema(fake_upstream: FakeUpstream) -> None:
    served = Served(create_app(api_settings(fake_upstream.url)))
    try:
        schema = schemathesis.openapi.from_url(f"{served.url}/api/v1/openapi.json")
        operations = [op.ok() for op in schema.get_all_operations()]
        assert len(operations) >= 15
        assert {(op.method.upper(), op.path) for op in operations} >= SEMANTIC
        for op in operations:
            try:
                fuzz(op, served.url)()
            except Exception as exc:
                pytest.fail(f"{op.method.upper()} {op.path}: {exc}")
    finally:
        served.stop()


pytestmark = pytest.mark.slow  # schemathesis against a real server
