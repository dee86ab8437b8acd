"""Upstream TLS is verified (server/upstream.py): an upstream whose certificate no trusted authority
signed gets nothing, not even the masked request, and the client gets a 502 in its provider's shape."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from fake_upstream import FakeUpstream, new_key
from maskgate.masking import Masker
from maskgate.server.app import create_app
from proxy_fixtures import Served, proxy_settings

pytest_plugins = ("proxy_fixtures",)


def self_signed(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = tmp / "cert.pem", tmp / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return certfile, keyfile


class ServedTLS:
    def __init__(self, app: Any, certfile: Path, keyfile: Path) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            app, log_level="critical", ssl_certfile=str(certfile), ssl_keyfile=str(keyfile)
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture
def tls_upstream(tmp_path: Path) -> Iterator[tuple[FakeUpstream, Path]]:
    certfile, keyfile = self_signed(tmp_path)
    fake = FakeUpstream()
    served = ServedTLS(fake.app, certfile, keyfile)
    fake.url = served.url
    yield fake, certfile
    served.stop()


def test_an_untrusted_upstream_certificate_gets_nothing(
    tls_upstream: tuple[FakeUpstream, Path], proxy_masker: Masker
) -> None:
    fake, certfile = tls_upstream
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi from Rose Young"}]}
    # the upstream itself works for a client that trusts its certificate
    direct = httpx.post(
        f"{fake.url}/v1/messages",
        json=body,
        headers={"x-api-key": new_key()},
        verify=ssl.create_default_context(cafile=str(certfile)),
    )
    assert direct.status_code == 200
    seen = len(fake.requests)
    served = Served(create_app(proxy_settings(fake.url), proxy_masker))
    try:
        key = new_key()
        resp = httpx.post(
            f"{served.url}/anthropic/v1/messages", json=body, headers={"x-api-key": key}, timeout=30
        )
    finally:
        served.stop()
    assert resp.status_code == 502
    assert resp.json()["type"] == "error" and "upstream unreachable" in resp.json()["error"]["message"]
    assert fake.for_key(key) == [] and len(fake.requests) == seen  # not even the masked request
