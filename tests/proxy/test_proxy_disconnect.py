"""A client that disconnects mid-upload costs one log line, not a traceback (issue 12 item 9): a real
`maskgate serve` process, a raw socket client, assertions on the server's stderr."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_disconnect_mid_upload_logs_one_line() -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "maskgate", "serve", "--port", str(port), "--ner", "none",
           "--store", "memory://", "--provider", "openai=http://127.0.0.1:9"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        head = (
            b"POST /openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer sk-test\r\nContent-Length: 100000\r\n\r\n"
        )
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(head + b'{"model": "m", "messages": [' + b" " * 2000)
                time.sleep(0.3)  # the server is reading the body when the client goes
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and "Exception in ASGI application" not in err, err
    assert err.count("client disconnected before sending its whole body") == 2, err
