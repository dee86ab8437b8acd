"""The audit recorder's queue is bounded: while the trail's store is stuck, requests are never held
up and memory does not grow; records beyond the bound are dropped and counted, the rest written."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from maskgate.audit import AuditQuery, AuditRecord, SQLiteAudit
from maskgate.server.recorder import Recorder


def rec(i: int) -> AuditRecord:
    return AuditRecord(time=1_700_000_000.0 + i, kind="proxy", method="POST", path="v1/messages", status=200)


def test_a_stuck_trail_drops_and_counts_beyond_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "vault-audit.db"
    audit = SQLiteAudit(path)
    audit.append([rec(-1)])  # schema in place
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN EXCLUSIVE")  # every write of the trail now waits for this lock
    recorder = Recorder(audit, retention_days=0, max_queued=50)
    done = threading.Event()

    def send() -> None:
        for i in range(200):
            recorder.record(rec(i))
        done.set()

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    assert done.wait(20), "record() waited on a stuck trail"
    assert recorder.stats.requests["proxy"] == 200  # statistics see every request
    # kept: the batch the writer took before blocking in the store (at most the 50 queued then,
    # plus the one it waited for) and the 50 queued behind it; the rest dropped
    assert 200 - 101 <= recorder.dropped <= 200 - 50
    assert recorder.failures == recorder.dropped
    blocker.execute("ROLLBACK")
    blocker.close()
    recorder.flush()
    written = audit.query(AuditQuery(limit=1000))
    assert len(written) == 1 + 200 - recorder.dropped
    recorder.close()


def test_a_healthy_trail_drops_nothing(tmp_path: Path) -> None:
    audit = SQLiteAudit(tmp_path / "vault-audit.db")
    recorder = Recorder(audit, retention_days=0, max_queued=50)
    for i in range(40):
        recorder.record(rec(i))
    recorder.flush()
    assert recorder.dropped == 0 and len(audit.query(AuditQuery(limit=1000))) == 40
    recorder.close()
