"""The files of a SQLite vault, checked before each use so that outside changes fail closed.

In WAL mode SQLite keeps its index of the log (the "wal-index") in `<db>-shm`, memory-mapped and
shared by every process using the vault. Nothing can turn that mapping off short of giving up WAL
(a rollback journal costs ~20 ms of fsyncs per write here, against ~3 ms) or holding the database
exclusively (then `--workers N` and the CLI could not share it). If the file shrinks under the
mapping (truncated in place), the next access of a page past its end raises SIGBUS and the process
dies; `PRAGMA mmap_size=0` only covers the database file itself. So before every database access
the store stats the -shm file and refuses (StoreError, the proxy answers 503) while it is smaller
than it has been, read-only, replaced or gone; the connection is not touched again until the file
is back to a usable state. What remains is the window between the stat and the access (microseconds).

Deleting or replacing the database or its -wal while serving would go unnoticed by SQLite (it keeps
writing to the unlinked file) and every mapping made from then on would be gone after a restart. So
the same check compares the device and inode of all three files with those seen at connect, before
and again after each write transaction: a placeholder is handed out only if its mapping was
committed (synchronous=FULL: fsync of the WAL at each commit, ~3 ms) to the files that are still the
vault. Placeholders handed out from the process cache check the database file's identity (one
stat); values resolved from it do not (they are the session's own whatever happened to the files).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from maskgate.vault.base import StoreError


class VaultFiles:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.wal = path.with_name(path.name + "-wal")
        self.shm = path.with_name(path.name + "-shm")
        self._ids: dict[Path, tuple[int, int]] = {}
        self._shm_size = 0  # the largest size seen: SQLite never shrinks -shm while it is open

    def record(self) -> None:
        """Remember the files as they are right after the store connected (and read once)."""
        for p in (self.path, self.wal, self.shm):
            st = os.stat(p)
            self._ids[p] = (st.st_dev, st.st_ino)
        self._shm_size = os.stat(self.shm).st_size

    def _stat(self, p: Path) -> os.stat_result:
        try:
            st = os.stat(p)
        except OSError as exc:
            raise StoreError(f"vault file {p.name} is gone ({exc.strerror}); restart maskgate") from exc
        if (st.st_dev, st.st_ino) != self._ids[p]:
            raise StoreError(f"vault file {p.name} was replaced while in use; restart maskgate")
        return st

    def check_db(self) -> None:
        """The cheap check (one stat) for placeholders from the process cache: the database file is
        the one the mappings were written to."""
        if self._ids:
            self._stat(self.path)

    def check(self) -> None:
        """Raise StoreError unless the connection can be used safely and what it writes lands in
        the files other processes (and the next start) will read."""
        if not self._ids:
            return
        self._stat(self.path)
        self._stat(self.wal)
        st = self._stat(self.shm)
        if st.st_size < self._shm_size:
            raise StoreError(f"vault file {self.shm.name} was truncated while in use; not touching it")
        if not st.st_mode & stat.S_IWUSR:
            raise StoreError(f"vault file {self.shm.name} was made read-only while in use")
        # a write may have grown the wal-index: from now on the file must keep that size
        self._shm_size = st.st_size
