"""Writes tests/data/legacy-vault.db (+ .key): a SQLite vault in the format of maskgate up to commit
a9e7a20 (values sealed with sha256-derived keys, plaintext session names), so tests can check that
newer code still opens and resolves vaults written before the format changed.

It drives the store of that commit, so run it from a checkout of a9e7a20, e.g.
    git worktree add /tmp/mg-a9e7a20 a9e7a20
    PYTHONPATH=/tmp/mg-a9e7a20/src python tests/data/make_legacy_vault.py
Values are fake. The expected contents are LEGACY_CONTENTS below (tests import them).
"""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

HERE = Path(__file__).parent
DB = HERE / "legacy-vault.db"
KEY = b"legacy-test-key-not-a-secret-32b"  # 32 bytes, only ever used for this fixture

LEGACY_CONTENTS: dict[str, list[tuple[str, str]]] = {
    "alice@example.org": [
        ("EMAIL", "alice.fake@example.org"),
        ("PERSON", "Alice Fakename"),
        ("EMAIL", "a2@example.org"),
    ],
    "key-0123456789abcdef01234567": [("PERSON", "Bob Fakeperson"), ("PHONE", "+1 555 0100 000")],
    "team/shared": [("PERSON", "Alice Fakename"), ("LITERAL", "<EMAIL_1>")],
}


def main() -> None:
    from maskgate.vault.sqlite import SQLiteStore

    for p in (DB, DB.with_name(DB.name + "-wal"), DB.with_name(DB.name + "-shm")):
        p.unlink(missing_ok=True)
    store = SQLiteStore(DB, key=KEY)
    for session, items in LEGACY_CONTENTS.items():
        store.assign(session, items)
    store.close()
    conn = sqlite3.connect(DB)  # fold the WAL into the file so the .db alone is the fixture
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    DB.with_name(DB.name + ".key").write_bytes(base64.urlsafe_b64encode(KEY))


if __name__ == "__main__":
    main()
