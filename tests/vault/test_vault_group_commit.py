"""Group commit in the SQLite vault (issue 17): concurrent assignments share one durable write
transaction, and still no caller gets a placeholder before its mapping is committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from maskgate.vault import StoreError
from maskgate.vault.sqlite import SQLiteStore

KEY = b"g" * 32


def _hammer(store: SQLiteStore, threads: int, calls: int, check: SQLiteStore | None = None) -> list[str]:
    """`threads` threads, each `calls` assignments of 3 new values (every third thread shares a
    session); returns the problems seen. With `check`, each caller's placeholders are read back right
    away through another connection: they must already be committed."""
    problems: list[str] = []
    go = threading.Barrier(threads)

    def work(t: int) -> None:
        go.wait()
        for c in range(calls):
            session = f"s{t % 3}"
            items = [("EMAIL", f"t{t}c{c}v{v}@x.io") for v in range(3)]
            phs = store.assign(session, items)
            if check is not None:
                got = check.resolve(session, phs)
                if [got.get(ph) for ph in phs] != [v for _, v in items]:
                    problems.append(f"not committed when handed out: thread {t} call {c}")

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    return problems


def test_concurrent_assignments_share_transactions_and_number_exactly(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "v.db", key=KEY)
    check = SQLiteStore(tmp_path / "v.db", key=KEY)  # a second connection: sees committed rows only
    assert _hammer(store, threads=12, calls=15, check=check) == []
    assert store.commits < 12 * 15  # grouped: fewer fsyncs than calls
    for s in range(3):
        entries = store.entries(store.session_id(f"s{s}"))
        # 4 threads x 15 calls x 3 values per session, each numbered once, 1..180 without gaps
        assert sorted(int(e.placeholder[7:-1]) for e in entries) == list(range(1, 181))
        assert len({e.value for e in entries}) == 180
    # the same values again: the placeholders first given, from any connection
    again = SQLiteStore(tmp_path / "v.db", key=KEY)
    assert again.assign("s0", [("EMAIL", "t0c0v0@x.io")]) == store.assign("s0", [("EMAIL", "t0c0v0@x.io")])


def test_a_failed_group_fails_every_caller_in_it_and_remembers_nothing(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "v.db", key=KEY)
    store.assign("s", [("EMAIL", "first@x.io")])
    (tmp_path / "v.db").rename(tmp_path / "moved.db")
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            store.assign("s", [("EMAIL", f"new{i}@x.io")])
        except StoreError as exc:
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    assert len(errors) == 8
    (tmp_path / "moved.db").rename(tmp_path / "v.db")
    # nothing of the failed group was written or cached: numbering goes on from the file
    assert store.assign("s", [("EMAIL", "new0@x.io")]) == ["<EMAIL_2>"]


_CHILD = textwrap.dedent(
    """
    import sys, threading
    from maskgate.vault.sqlite import SQLiteStore
    store = SQLiteStore(sys.argv[1], key=b"g" * 32)
    lock = threading.Lock()

    def work(t):
        for c in range(100_000):
            value = f"t{t}c{c}@x.io"
            (ph,) = store.assign(f"s{t % 2}", [("EMAIL", value)])
            with lock:  # handed out: from here on a client may hold it
                sys.stdout.write(f"s{t % 2} {ph} {value}\\n")
                sys.stdout.flush()

    for t in range(6):
        threading.Thread(target=work, args=(t,), daemon=True).start()
    threading.Event().wait()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_every_placeholder_handed_out_survives_the_process_being_killed(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    out = (tmp_path / "handed.txt").open("wb")
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path)], stdout=out)
    try:
        deadline = time.monotonic() + 60
        while (tmp_path / "handed.txt").stat().st_size < 20_000 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        out.close()
    lines = (tmp_path / "handed.txt").read_text().splitlines()
    handed = [ln.split(" ") for ln in lines if ln.count(" ") == 2 and ln.endswith(".io")]
    assert len(handed) > 300
    store = SQLiteStore(path, key=KEY)
    for session, ph, value in handed:
        assert store.resolve(session, [ph]) == {ph: value}
