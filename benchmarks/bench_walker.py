"""Cost of the API walkers themselves (no detection, no network), one core.

    .venv/bin/python benchmarks/bench_walker.py [--turns 200] [--repeat 20]

Prints: reading a growing agent conversation (Anthropic Messages, `turns` user/assistant pairs with
tool calls and results, 40 tool definitions) into text leaves, deny-by-default sweep included;
unmasking a stream of text-delta events; and the SSE parser on one large event fed in chunks of
several sizes (linear: the time follows the event size, not the number of chunks).
"""

from __future__ import annotations

import argparse
import json
import time

from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline
from maskgate.masking import Masker
from maskgate.providers import Unmask, api_for
from maskgate.providers.base import SseParser
from maskgate.providers.jsonwalk import Leaves
from maskgate.vault import MemoryStore


def conversation(turns: int) -> bytes:
    schema = {"type": "object", "properties": {"path": {"type": "string", "description": "A file path."}}}
    tools = [{"name": f"tool_{i}", "description": f"Tool number {i} does things.", "input_schema": schema}
             for i in range(40)]  # fmt: skip
    messages: list[dict[str, object]] = []
    for i in range(turns):
        use = {
            "type": "tool_use",
            "id": f"toolu_{i}",
            "name": "tool_1",
            "input": {"path": f"src/file_{i}.py"},
        }
        result = {"type": "tool_result", "tool_use_id": f"toolu_{i}", "content": f"line {i}\n" * 20}
        messages.append({"role": "user", "content": [{"type": "text", "text": f"Step {i}: read the file."}]})
        messages.append({"role": "assistant", "content": [{"type": "text", "text": "Reading it."}, use]})
        messages.append({"role": "user", "content": [result]})
    messages.append({"role": "user", "content": "done?"})
    body = {
        "model": "m",
        "max_tokens": 1000,
        "system": "You are an agent.",
        "tools": tools,
        "messages": messages,
    }
    return json.dumps(body).encode()


def timed(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    api = api_for("anthropic", "v1/messages")
    assert api is not None
    raw = conversation(args.turns)

    def walk() -> None:
        leaves = Leaves()
        api.collect(json.loads(raw), leaves)
        leaves.texts()

    n_texts = len((lambda lv: (api.collect(json.loads(raw), lv), lv.texts())[1])(Leaves()))
    print(
        f"| request walk ({len(raw) // 1024} KB, {n_texts} texts) | {timed(walk, args.repeat) * 1000:.2f} ms |"
    )

    masker = Masker(build_pipeline(Settings(ner="none")), MemoryStore())
    masker.mask("write to john.smith@example.com", "bench")
    events = [
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "hello wor"}}
    ] * 5000
    stream = b"".join(f"event: content_block_delta\ndata: {json.dumps(e)}\n\n".encode() for e in events)
    start = b'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n'

    def rewrite() -> None:
        rewriter = api.stream(Unmask(masker, "bench"))
        parser = SseParser()
        for ev in parser.feed(start + stream):
            rewriter.event(ev)

    per_event = timed(rewrite, 3) / len(events) * 1e6
    print(f"| stream rewrite, text deltas | {per_event:.1f} us/event |")

    big = b"data: " + b"x" * 2_000_000 + b"\n\n"
    for size in (64 * 1024, 4096, 1024):

        def parse(size: int = size) -> None:
            parser = SseParser()
            for i in range(0, len(big), size):
                list(parser.feed(big[i : i + size]))

        print(f"| SSE parser, one 2 MB event in {size} B chunks | {timed(parse, 3) * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
