"""Redis store: one vault shared by several maskgate replicas.

Values are sealed (vault/crypto.py: AES-GCM bound to session and placeholder) before they reach
Redis and looked up by an HMAC of the value, as in the SQLite store. Assignment ends in one Lua
script that checks and writes atomically, so replicas racing on the same session never hand out a
number twice or two numbers for one value.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Sequence
from pathlib import Path

from platformdirs import user_data_dir

from maskgate.vault.base import Entry, SessionInfo, StoreError
from maskgate.vault.crypto import VaultKeys, load_key
from maskgate.vault.placeholder import make, parse

# Sealing binds a value to its placeholder, so the number must be known before the Lua script runs:
# the client reads the counters, seals for the numbers it expects, and the script writes only if no
# other replica moved those counters or assigned those values meanwhile (else the client retries).
# KEYS: v2p, p2v, counters, sessions. ARGV: session, now, L, then L (label, counter seen, counter
# after) triples, then (mac, placeholder, sealed) triples.
_ASSIGN = """
local nl = tonumber(ARGV[3])
local first = 4 + 3 * nl
for i = 4, first - 1, 3 do
  if tonumber(redis.call('HGET', KEYS[3], ARGV[i]) or '0') ~= tonumber(ARGV[i + 1]) then return 0 end
end
for i = first, #ARGV, 3 do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then return 0 end
end
for i = 4, first - 1, 3 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 2])
end
for i = first, #ARGV, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i + 2])
end
redis.call('HSETNX', KEYS[4], ARGV[1] .. ':created', ARGV[2])
redis.call('HSET', KEYS[4], ARGV[1] .. ':updated', ARGV[2])
return 1
"""
ASSIGN_TRIES = 50


def _bytes(x: bytes | str) -> bytes:
    return x.encode() if isinstance(x, str) else x


def _str(x: bytes | str) -> str:
    return x.decode() if isinstance(x, bytes) else x


class RedisStore:
    def __init__(self, url: str, key: bytes | None = None, prefix: str = "maskgate") -> None:
        import redis

        try:
            self._r = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
            self._r.ping()
        except (redis.RedisError, ValueError) as exc:
            raise StoreError(f"cannot reach redis vault: {type(exc).__name__}: {exc}") from exc
        if key is None:
            # Replicas must share MASKGATE_VAULT_KEY; a single host may rely on its key file.
            key = load_key(
                Path(os.environ.get("MASKGATE_DATA_DIR", user_data_dir("maskgate"))) / "redis-vault"
            )
        self._crypto = VaultKeys(key)
        self._prefix = prefix
        try:
            check = f"{prefix}:key_check"
            self._r.setnx(check, self._crypto.check_value)
            if self._r.get(check) != self._crypto.check_value:
                raise StoreError("redis vault was written with another vault key")
        except redis.RedisError as exc:
            raise StoreError(f"cannot use redis vault: {type(exc).__name__}") from exc
        self._assign = self._r.register_script(_ASSIGN)
        self._errors = redis.RedisError

    def _keys(self, session: str) -> list[str]:
        base = f"{self._prefix}:s:{session}"
        return [f"{base}:v2p", f"{base}:p2v", f"{base}:n", f"{self._prefix}:sessions"]

    def session_id(self, name: str) -> str:
        return self._crypto.session_id(name)

    def assign(self, name: str, items: Sequence[tuple[str, str]]) -> list[str]:
        session = self._crypto.session_id(name)
        keys = self._keys(session)
        macs = [self._crypto.mac(session, v) for _, v in items]
        labels = sorted({label for label, _ in items})
        try:
            for _ in range(ASSIGN_TRIES):
                pipe = self._r.pipeline(transaction=False)
                pipe.hmget(keys[0], macs)
                pipe.hmget(keys[2], labels)
                known, counts = pipe.execute()
                out = [_str(p) if p is not None else None for p in known]
                if all(out):
                    return out  # type: ignore[return-value]
                seen = {lb: int(c or 0) for lb, c in zip(labels, counts, strict=True)}
                after = dict(seen)
                new: dict[bytes, str] = {}
                writes: list[bytes | str | float] = []
                for i, ((label, value), mac) in enumerate(zip(items, macs, strict=True)):
                    if out[i] is None and mac not in new:
                        after[label] += 1
                        new[mac] = make(label, after[label])
                        writes += [mac, new[mac], self._crypto.seal(session, new[mac], value)]
                    out[i] = out[i] or new[mac]
                moved = [lb for lb in labels if after[lb] != seen[lb]]
                args: list[bytes | str | float] = [session, time.time(), len(moved)]
                for lb in moved:
                    args += [lb, seen[lb], after[lb]]
                if self._assign(keys=keys, args=args + writes):
                    return out  # type: ignore[return-value]
        except self._errors as exc:
            raise StoreError(f"vault write failed: {type(exc).__name__}") from exc
        raise StoreError("vault write failed: too much contention on one session")

    def resolve(self, name: str, placeholders: Collection[str]) -> dict[str, str]:
        session = self._crypto.session_id(name)
        wanted = [p for p in placeholders if parse(p)]
        if not wanted:
            return {}
        try:
            blobs = self._r.hmget(self._keys(session)[1], wanted)
        except self._errors as exc:
            raise StoreError(f"vault read failed: {type(exc).__name__}") from exc
        return {
            p: self._crypto.open(session, p, _bytes(b))
            for p, b in zip(wanted, blobs, strict=True)
            if b is not None
        }

    def sessions(self) -> list[SessionInfo]:
        raw = {_str(k): float(v) for k, v in self._r.hgetall(f"{self._prefix}:sessions").items()}
        out = []
        for name in sorted({k.rsplit(":", 1)[0] for k in raw}):
            entries = self._r.hlen(self._keys(name)[1])
            out.append(
                SessionInfo(name, entries, raw.get(f"{name}:created", 0.0), raw.get(f"{name}:updated", 0.0))
            )
        return out

    def entries(self, session: str) -> list[Entry]:
        rows = []
        for ph, blob in self._r.hgetall(self._keys(session)[1]).items():
            p = _str(ph)
            parsed = parse(p)
            rows.append(Entry(p, parsed[0] if parsed else "", self._crypto.open(session, p, _bytes(blob))))
        return sorted(rows, key=lambda e: (e.label, parse(e.placeholder) or ("", 0)))

    def delete_session(self, session: str) -> int:
        keys = self._keys(session)
        n = int(self._r.hlen(keys[1]))
        self._r.delete(*keys[:3])
        self._r.hdel(keys[3], f"{session}:created", f"{session}:updated")
        return n

    def close(self) -> None:
        self._r.close()
