"""Every structure that grows with fresh traffic is bounded, and its bound is in real bytes (issue 17):
the analysis cache and the masking memo account what their entries really hold in memory, measured
here with tracemalloc, so `cache_bytes` bounds the process's memory; the vault's process cache and the
known values are bounded by count."""

from __future__ import annotations

import gc
import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline
from maskgate.masking import Masker
from maskgate.masking.masker import AnalysisCache
from maskgate.vault.sqlite import SQLiteStore

FIRST = ["Dana", "Marta", "Bram", "Odile", "Anil", "Rosalind", "Kenji", "Ines"]
LAST = ["Whitfield", "Okafor", "Lindqvist", "Deshpande", "Porter", "Navarro"]


def fresh(r: random.Random, n: int) -> str:
    name = f"{r.choice(FIRST)} {r.choice(LAST)}"
    return (
        f"Please ask {name} (employee {n}) to call back. Reach {name.split()[0]} at "
        f"{name.split()[0].lower()}.{n}@example.com or +1 415 {r.randint(200, 999)} {r.randint(1000, 9999)}; "
        f"the ticket was opened on 2024-03-{r.randint(10, 28)} from 10.0.{n % 250}.{r.randint(1, 250)}."
    )


def held_by(clear: Callable[[], None]) -> int:
    """Bytes freed by `clear`: what the structure held."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    clear()
    gc.collect()
    return before - tracemalloc.get_traced_memory()[0]


def test_the_caches_hold_what_their_bound_says(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "v.db", key=b"b" * 32, cache_entries=500)
    cache = AnalysisCache(256 * 1024)  # the memo gets a quarter: 64 KiB
    m = Masker(build_pipeline(Settings(ner="none")), store, cache=cache)
    m.known.max_values = 300
    r = random.Random(7)
    m.mask("warm up the pipeline, Dana Whitfield", "w")
    tracemalloc.start()
    try:
        sizes = []
        for i in range(300):
            m.mask_many([fresh(r, i)], f"s{i % 20}")
            if i % 100 == 99:
                sizes.append((len(cache), len(m.memo), len(store._by_value), m.known.values_kept))
        # full, then no longer growing
        assert sizes[-1][0] == sizes[-2][0] or cache.size_bytes > 0.9 * cache.max_bytes
        assert cache.size_bytes <= cache.max_bytes and m.memo._lru.size_bytes <= m.memo._lru.max_bytes
        assert sizes[-1][2] == 500 and sizes[-1][3] <= 300
        memo = held_by(m.memo._lru.clear)
        analysis = held_by(cache.clear)
        vault = held_by(lambda: (store._by_value.clear(), store._by_ph.clear()))
        known = held_by(m.known.clear)
    finally:
        tracemalloc.stop()
    # the accounted bytes are what the entries hold, within 25%
    assert 0.75 * m.memo._lru.max_bytes <= memo <= 1.25 * m.memo._lru.max_bytes
    assert 0.75 * cache.max_bytes <= analysis <= 1.25 * cache.max_bytes
    assert vault <= 500 * 600  # ~460 bytes a value in both maps (docs/performance.md)
    assert known <= 300 * 200  # ~120 bytes a value
