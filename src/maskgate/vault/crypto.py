"""Vault cryptography, written once for every store: key loading, sub-keys, lookup MACs and sealing.

One 32-byte vault key (MASKGATE_VAULT_KEY or a key file) is stretched with HKDF into independent
sub-keys, so no key is used for two jobs:

- `seal`: AES-256-GCM for stored values. A sealed value is `b"\\x01" + nonce(12) + ciphertext+tag`,
  with the session and the placeholder as associated data: a value moved to another placeholder or
  another session no longer decrypts.
- `lookup`: HMAC-SHA256 of (session, value), the index by which a known value finds its placeholder
  without decrypting anything. Bound to the session, so the file does not show which sessions share
  a value; `forget` recomputes it per session.
- `session`: HMAC-SHA256 of a session name, the id under which a session is stored and logged (a
  name from X-Maskgate-Session may be an e-mail address).
- `key-check`: stored in the vault, so a vault opened with another key is refused at once (with
  keyed session ids it would otherwise look empty and silently start over).

`LegacyKeys` reads the format written before this module existed (sha256-derived keys, no version
byte); only the SQLite store's upgrade uses it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import time
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from maskgate.vault.base import StoreError

KEY_ENV = "MASKGATE_VAULT_KEY"
VERSION = 1
_NONCE = 12
SESSION_ID_RE = re.compile(r"s_[0-9a-f]{32}")
WRONG_KEY = f"a vault value does not decrypt: {KEY_ENV} is not the key it was written with, or it was altered"


def load_key(path: Path) -> bytes:
    """The vault key: from MASKGATE_VAULT_KEY (urlsafe base64 of 32 bytes), else a key file
    beside the database (`<path>.key`), created with mode 0600 on first use."""
    env = os.environ.get(KEY_ENV)
    if env:
        try:
            key = base64.urlsafe_b64decode(env.encode() + b"=" * (-len(env) % 4))
        except ValueError as exc:
            raise StoreError(f"{KEY_ENV} is not valid base64") from exc
        if len(key) != 32:
            raise StoreError(f"{KEY_ENV} must encode 32 bytes")
        return key
    key_path = path.with_name(path.name + ".key")
    try:
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as f:
            f.write(base64.urlsafe_b64encode(os.urandom(32)))
    for _ in range(50):  # another process may be writing it right now
        data = key_path.read_bytes().strip()
        if data:
            key = base64.urlsafe_b64decode(data)
            if len(key) == 32:
                return key
        time.sleep(0.01)
    raise StoreError(f"vault key file {key_path} is unreadable or corrupt")


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"maskgate-vault/" + purpose).derive(
        key
    )


class VaultKeys:
    """The sub-keys of one vault key and the operations that use them."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise StoreError("the vault key must be 32 bytes")
        self._aead = AESGCM(_derive(key, b"seal"))
        self._lookup = _derive(key, b"lookup")
        self._session = _derive(key, b"session")
        # stored beside the data: opening a vault with another key fails instead of starting over
        self.check_value = _derive(key, b"key-check")

    def session_id(self, name: str) -> str:
        """The stored, printable id of a session name: `s_` + 32 hex digits."""
        return "s_" + hmac.new(self._session, name.encode(), hashlib.sha256).hexdigest()[:32]

    def mac(self, session: str, value: str) -> bytes:
        return hmac.new(self._lookup, session.encode() + b"\x00" + value.encode(), hashlib.sha256).digest()

    @staticmethod
    def _ad(session: str, placeholder: str) -> bytes:
        return b"maskgate-vault\x00%d\x00%s\x00%s" % (VERSION, session.encode(), placeholder.encode())

    def seal(self, session: str, placeholder: str, value: str) -> bytes:
        nonce = os.urandom(_NONCE)
        ct = self._aead.encrypt(nonce, value.encode(), self._ad(session, placeholder))
        return bytes([VERSION]) + nonce + ct

    def open(self, session: str, placeholder: str, blob: bytes) -> str:
        """The value sealed for (session, placeholder); StoreError if the key is wrong, the blob was
        altered or it belongs to another placeholder or session."""
        if not blob or blob[0] != VERSION:
            raise StoreError(f"vault value has unknown format {blob[:1].hex() or 'empty'}")
        try:
            plain = self._aead.decrypt(
                blob[1 : 1 + _NONCE], blob[1 + _NONCE :], self._ad(session, placeholder)
            )
        except InvalidTag as exc:
            raise StoreError(WRONG_KEY) from exc
        return plain.decode()


class LegacyKeys:
    """The format of maskgate up to a9e7a20: sha256-derived keys, `nonce + ciphertext`, associated
    data `session NUL placeholder` (SQLite) or just `session` (Redis)."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(hashlib.sha256(b"maskgate-enc" + key).digest())

    def open(self, session: str, placeholder: str | None, blob: bytes) -> str:
        ad = session if placeholder is None else f"{session}\x00{placeholder}"
        try:
            plain = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], ad.encode())
        except InvalidTag as exc:
            raise StoreError(WRONG_KEY) from exc
        return plain.decode()
