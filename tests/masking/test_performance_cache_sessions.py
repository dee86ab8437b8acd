"""The analysis cache across sessions and restarts: no session learns from a cache hit what another
sent (issue 12 item 6), and analyses persist beside the vault (issue 17 item 1)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

import pytest

from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import Span
from maskgate.masking import AnalysisCache, Masker
from maskgate.masking.cache_store import RedisCacheStore, SQLiteCacheStore, cache_store_for
from maskgate.masking.masker import SHARE_MIN_CHARS
from maskgate.runtime import build_masker
from maskgate.vault import MemoryStore


class Recording:
    """A layer that finds nothing and remembers every text it was asked to analyse."""

    name = "recording"

    def __init__(self, version: str = "1") -> None:
        self.seen: list[str] = []
        self.version = version

    def detect_many(self, texts: Sequence[str]) -> list[list[Span]]:
        self.seen.extend(texts)
        return [[] for _ in texts]

    def detect(self, text: str) -> list[Span]:
        return self.detect_many([text])[0]

    def fingerprint(self) -> str:
        return f"recording:{self.version}"


def masker_with(recording: Recording, cache: AnalysisCache | None = None) -> Masker:
    base = build_pipeline(Settings(ner="none"))
    pipeline = Pipeline([*base.layers, recording], base.resolve_config, base.allow_finder)
    return Masker(pipeline, MemoryStore(), cache=cache if cache is not None else AnalysisCache())


SECRET_TEXT = "Board meeting moved: the Acme merger closes Friday, tell ops-lead@example.com"
LONG_TEXT = "You are a coding agent. Use the tools below. " * (SHARE_MIN_CHARS // 40 + 1)


def test_another_sessions_text_is_analysed_again_never_a_hit() -> None:
    rec = Recording()
    m = masker_with(rec)
    a = m.mask(SECRET_TEXT, "session-a")
    assert rec.seen.count(SECRET_TEXT) == 1 and m.cache.misses == 1
    b = m.mask(SECRET_TEXT, "session-b")  # B's first time: analysed, a miss, like any fresh text
    assert rec.seen.count(SECRET_TEXT) == 2
    assert (m.cache.hits, m.cache.misses) == (0, 2)
    assert [e.label for e in a.entities] == [e.label for e in b.entities]
    m.mask(SECRET_TEXT, "session-b")  # B's own text again: from its memo, a hit
    assert rec.seen.count(SECRET_TEXT) == 2 and m.cache.hits == 1
    assert not m.all_cached([SECRET_TEXT], "session-c") and m.all_cached([SECRET_TEXT], "session-a")


def test_the_memo_being_gone_does_not_open_the_cache_to_other_sessions() -> None:
    rec = Recording()
    m = masker_with(rec)
    m.analyze_many([SECRET_TEXT], session="a")
    m.analyze_many([SECRET_TEXT], session="a")
    assert rec.seen.count(SECRET_TEXT) == 1  # a's own analysis: cached
    m.analyze_many([SECRET_TEXT], session="b")
    assert rec.seen.count(SECRET_TEXT) == 2


def test_a_long_text_sent_by_k_sessions_becomes_shared_a_short_one_never() -> None:
    rec = Recording()
    m = masker_with(rec)
    for s in ("s1", "s2", "s3"):
        m.analyze_many([LONG_TEXT, SECRET_TEXT], session=s)
    assert rec.seen.count(LONG_TEXT) == 3 and rec.seen.count(SECRET_TEXT) == 3
    m.analyze_many([LONG_TEXT, SECRET_TEXT], session="s4")
    assert rec.seen.count(LONG_TEXT) == 3  # shared now: the agent's system prompt is analysed once
    assert rec.seen.count(SECRET_TEXT) == 4  # short texts stay per session


def test_sharing_can_be_switched_off() -> None:
    rec = Recording()
    m = masker_with(rec, AnalysisCache(share_sessions=0))
    for s in ("s1", "s2", "s3", "s4", "s5"):
        m.analyze_many([LONG_TEXT], session=s)
    assert rec.seen.count(LONG_TEXT) == 5


def test_persistent_cache_survives_a_restart_per_session(tmp_path: Path) -> None:
    path = tmp_path / "vault-cache.db"
    rec = Recording()
    first = masker_with(rec, AnalysisCache(store=SQLiteCacheStore(path, 1 << 20)))
    before = first.mask_many([SECRET_TEXT, LONG_TEXT], "alice")
    assert len(rec.seen) == 2

    rec2 = Recording()  # a restarted process: new memory, same file
    second = masker_with(rec2, AnalysisCache(store=SQLiteCacheStore(path, 1 << 20)))
    again = second.mask_many([SECRET_TEXT, LONG_TEXT], "alice")
    assert rec2.seen == []  # answered from the file
    assert [r.entities for r in again] == [r.entities for r in before]
    second.mask_many([SECRET_TEXT], "bob")
    assert rec2.seen == [SECRET_TEXT]  # the sharing rule holds across restarts

    rec3 = Recording(version="2")  # a changed pipeline: a new fingerprint, nothing reused
    third = masker_with(rec3, AnalysisCache(store=SQLiteCacheStore(path, 1 << 20)))
    third.mask_many([SECRET_TEXT], "alice")
    assert rec3.seen == [SECRET_TEXT]

    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("vault-cache"))
    assert b"ops-lead" not in raw and b"Acme" not in raw and b"alice" not in raw  # spans and tags only
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_persistent_cache_is_bounded(tmp_path: Path) -> None:
    store = SQLiteCacheStore(tmp_path / "c.db", 20_000)
    cache = AnalysisCache(max_bytes=1 << 20, store=store)
    for i in range(400):
        cache.put(AnalysisCache.key("fp", f"text {i}"), [Span(0, 4, "EMAIL")], 50, cache.tag("s"))
    assert store.size_bytes <= 20_000
    assert 0 < len(store) < 400
    fresh = AnalysisCache(store=SQLiteCacheStore(tmp_path / "c.db", 20_000))
    newest, oldest = AnalysisCache.key("fp", "text 399"), AnalysisCache.key("fp", "text 0")
    assert fresh.get_many([newest, oldest], fresh.tag("s")) == [[Span(0, 4, "EMAIL")], None]


def test_store_beside_the_vault_by_default(tmp_path: Path) -> None:
    vault = tmp_path / "vault.db"
    masker = build_masker(Settings(store=f"sqlite:///{vault}", ner="none"))
    masker.mask("mail dana@example.com", "s")
    assert (tmp_path / "vault-cache.db").is_file()
    assert cache_store_for("memory://", "auto", 1 << 20) is None
    assert cache_store_for(f"sqlite:///{vault}", "none", 1 << 20) is None


def test_redis_cache_store(redis_url: str) -> None:
    store = cache_store_for(redis_url, "auto", 1 << 20)
    assert isinstance(store, RedisCacheStore)
    rec = Recording()
    masker_with(rec, AnalysisCache(store=store)).mask_many([SECRET_TEXT], "alice")
    rec2 = Recording()
    again = RedisCacheStore(redis_url, 1 << 20)
    assert again.salt == store.salt
    masker_with(rec2, AnalysisCache(store=again)).mask_many([SECRET_TEXT], "alice")
    assert rec2.seen == []
    masker_with(rec2, AnalysisCache(store=again)).mask_many([SECRET_TEXT], "bob")
    assert rec2.seen == [SECRET_TEXT]


@pytest.mark.parametrize("bound", [3_000])
def test_redis_cache_store_is_bounded(redis_url: str, bound: int) -> None:
    store = RedisCacheStore(redis_url, bound, prefix="maskgate:acache-bounded")
    cache = AnalysisCache(store=store)
    for i in range(100):
        cache.put(AnalysisCache.key("fp", f"t{i}"), [Span(0, 4, "EMAIL")], 50)
    assert 0 < store._r.zcard("maskgate:acache-bounded:used") < 100


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_memo_never_serves_an_expired_sessions_placeholders() -> None:
    import time

    clock = Clock()
    store = MemoryStore(ttl=10, clock=clock)
    m = Masker(build_pipeline(Settings(ner="none")), store)
    m.mask("mail a@x.io", "s")
    assert m.mask("mail b@x.io", "s").text == "mail <EMAIL_2>"
    clock.now += 11  # the session expired: it starts over, numbering from 1
    time.sleep(0.15)  # past renew_every(10): the memo asks the vault again
    again = m.mask("mail b@x.io", "s")
    assert again.text == "mail <EMAIL_1>"
    assert store.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "b@x.io"}
    assert m.mask_cached(["mail b@x.io"], "s") is not None


def test_on_an_event_loop_a_due_session_check_goes_to_the_thread() -> None:
    """`mask_cached(vault=False)` (what the server calls on its event loop) never writes to the
    vault: when the session's check is due it answers None, and `mask_many` (in a thread) renews."""
    import time

    clock = Clock()
    store = MemoryStore(ttl=10, clock=clock)
    m = Masker(build_pipeline(Settings(ner="none")), store)
    m.mask("mail a@x.io", "s")
    sid = store.session_id("s")
    assert m.mask_cached(["mail a@x.io"], "s", vault=False) is not None  # checked just now
    clock.now += 8
    time.sleep(0.15)  # past renew_every(10)
    before = store.session_info(sid)
    assert m.mask_cached(["mail a@x.io"], "s", vault=False) is None
    assert store.session_info(sid) == before  # not renewed: the vault was not asked
    assert m.mask_many(["mail a@x.io"], "s")[0].text == "mail <EMAIL_1>"
    after = store.session_info(sid)
    assert after is not None and before is not None and after.expires > before.expires
    assert m.mask_cached(["mail a@x.io"], "s", vault=False) is not None  # checked again


def test_memoised_requests_renew_the_session() -> None:
    import time

    clock = Clock()
    store = MemoryStore(ttl=10, clock=clock)
    m = Masker(build_pipeline(Settings(ner="none")), store)
    m.mask("mail a@x.io", "s")
    for _ in range(3):  # only memoised requests from here on
        clock.now += 8
        time.sleep(0.15)
        assert m.mask_cached(["mail a@x.io"], "s") is not None
    assert store.session_info(store.session_id("s")) is not None  # 24 s later, still alive
    assert store.resolve("s", ["<EMAIL_1>"]) == {"<EMAIL_1>": "a@x.io"}
