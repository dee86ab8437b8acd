"""The audit trail's stores (memory, SQLite beside the vault, Redis): append, filtered and paged
queries newest first, retention purge, the runtime-settings document; records carry no values."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from maskgate.audit import AuditLog, AuditQuery, AuditRecord, MemoryAudit, SQLiteAudit, open_audit


@pytest.fixture(params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def audit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditLog]:
    if request.param == "memory":
        log: AuditLog = MemoryAudit()
    elif request.param == "sqlite":
        log = open_audit(f"sqlite://{tmp_path}/vault.db")
    else:
        url = request.getfixturevalue("redis_url")
        log = open_audit(url)
        import redis

        redis.Redis.from_url(url).delete("maskgate:audit", "maskgate:runtime")
    yield log
    log.close()


def rec(t: float, **kw: object) -> AuditRecord:
    base: dict[str, object] = {"kind": "proxy", "method": "POST", "path": "v1/messages", "status": 200}
    base.update(kw)
    return AuditRecord(time=t, **base)  # type: ignore[arg-type]


def test_query_filters_pages_and_orders_newest_first(audit: AuditLog) -> None:
    audit.append(
        [
            rec(1000.0, session="s_a", provider="anthropic", labels={"EMAIL": 2}),
            rec(1001.0, session="s_b", provider="openai", status=503),
            rec(1002.0, session="s_a", provider="anthropic", labels={"PERSON": 1}, kind="proxy"),
            rec(1003.0, kind="api", path="/api/v1/redact", actor="tok-1234abcd", action="redact"),
        ]
    )
    assert [r.time for r in audit.query(AuditQuery())] == [1003.0, 1002.0, 1001.0, 1000.0]
    assert [r.time for r in audit.query(AuditQuery(session="s_a"))] == [1002.0, 1000.0]
    assert [r.time for r in audit.query(AuditQuery(label="EMAIL"))] == [1000.0]
    assert [r.time for r in audit.query(AuditQuery(status=503))] == [1001.0]
    assert [r.time for r in audit.query(AuditQuery(kind="api"))] == [1003.0]
    assert [r.time for r in audit.query(AuditQuery(since=1001.0, until=1003.0))] == [1002.0, 1001.0]
    assert [r.time for r in audit.query(AuditQuery(limit=2, offset=1))] == [1002.0, 1001.0]
    assert audit.query(AuditQuery(provider="openai"))[0].session == "s_b"


def test_purge_keeps_what_retention_keeps(audit: AuditLog) -> None:
    audit.append([rec(100.0), rec(200.0), rec(300.0)])
    assert audit.purge(250.0) == 2
    assert [r.time for r in audit.query(AuditQuery())] == [300.0]


def test_runtime_document_is_versioned(audit: AuditLog) -> None:
    assert audit.runtime() == (0, {})
    v1 = audit.set_runtime({"ignore_labels": ["URL"]})
    v2 = audit.set_runtime({"ignore_labels": ["URL"], "allow": ["Acme"]})
    assert v2 == v1 + 1
    assert audit.runtime() == (v2, {"ignore_labels": ["URL"], "allow": ["Acme"]})


def test_sqlite_trail_sits_beside_the_vault_and_is_private(tmp_path: Path) -> None:
    log = open_audit(f"sqlite://{tmp_path}/vault.db")
    assert isinstance(log, SQLiteAudit)
    assert log.path == tmp_path / "vault-audit.db"
    assert stat.S_IMODE(os.stat(log.path).st_mode) == 0o600
    log.close()
