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
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from maskgate.vault.base import StoreError


class VaultFiles:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.shm = path.with_name(path.name + "-shm")
        self._shm_id: tuple[int, int] | None = None
        self._shm_size = 0  # the largest size seen: SQLite never shrinks -shm while it is open

    def record(self) -> None:
        """Remember the files as they are right after the store connected (and read once)."""
        st = os.stat(self.shm)
        self._shm_id = (st.st_dev, st.st_ino)
        self._shm_size = max(self._shm_size, st.st_size)

    def check(self) -> None:
        """Raise StoreError unless the connection can be used safely."""
        if self._shm_id is None:
            return
        try:
            st = os.stat(self.shm)
        except OSError as exc:
            raise StoreError(
                f"vault file {self.shm.name} is gone ({exc.strerror}); restart maskgate"
            ) from exc
        if (st.st_dev, st.st_ino) != self._shm_id:
            raise StoreError(f"vault file {self.shm.name} was replaced while in use; restart maskgate")
        if st.st_size < self._shm_size:
            raise StoreError(f"vault file {self.shm.name} was truncated while in use; not touching it")
        if not st.st_mode & stat.S_IWUSR:
            raise StoreError(f"vault file {self.shm.name} was made read-only while in use")
        self._shm_size = max(self._shm_size, st.st_size)

    def after_write(self) -> None:
        """A write may have grown the wal-index: raise the size the file must keep."""
        if self._shm_id is not None:
            try:
                st = os.stat(self.shm)
            except OSError:
                return  # the next check() reports it
            if (st.st_dev, st.st_ino) == self._shm_id:
                self._shm_size = max(self._shm_size, st.st_size)
