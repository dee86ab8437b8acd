"""The CLI as a user runs it: separate processes, real SQLite vault, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from maskgate.vault import open_store


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "maskgate", *args], input=stdin, capture_output=True, timeout=120, check=False
    )


@pytest.fixture()
def store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'vault.db'}"


def test_redact_then_unmask_in_another_process(store: str) -> None:
    text = "Mail ana.lopez@example.com about card 4111 1111 1111 1111."
    r = run("redact", text, "--session", "s1", "--store", store, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["session"] == "s1"
    assert "ana.lopez@example.com" not in out["text"]
    ent = {e["text"]: e for e in out["entities"]}
    assert ent["ana.lopez@example.com"]["label"] == "EMAIL"
    e = ent["ana.lopez@example.com"]
    assert text[e["start"] : e["end"]] == e["text"]
    assert set(e) == {"start", "end", "label", "text", "score", "source", "placeholder"}
    back = run("unmask", "-", "--session", "s1", "--store", store, stdin=out["text"].encode())
    assert back.returncode == 0, back.stderr
    assert back.stdout.decode() == text + "\n"
    other = run("unmask", out["text"], "--session", "s2", "--store", store)
    assert "ana.lopez@example.com" not in other.stdout.decode()


def test_redact_reads_stdin_plain(store: str) -> None:
    r = run("redact", "--store", store, stdin=b"write to bo@example.org\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == "write to <EMAIL_1>\n"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["redact", "--store", "memory://"], b"\xff\xfe bad", "not valid UTF-8"),
        (["redact", "x", "--locale", "xx", "--store", "memory://"], None, "unknown locale"),
        (["redact", "x", "--store", "sqlite:///proc/nope/v.db"], None, "cannot open vault"),
        (["redact", "x", "--store", "ftp://x"], None, "unknown store"),
        (["redact", "x", "--config", "/nonexistent.toml"], None, "config file not found"),
    ],
)
def test_bad_input_is_one_line_error(args: list[str], stdin: bytes | None, message: str) -> None:
    r = run(*args, stdin=stdin)
    err = r.stderr.decode()
    assert r.returncode != 0
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_config_file_env_and_flags_precedence(tmp_path: Path) -> None:
    cfg = tmp_path / "m.toml"
    cfg.write_text('store = "memory://"\nlocales = ["uk"]\nner = "none"\n[deny]\nPROJECT = ["Bluebird"]\n')
    r = run("redact", "Project Bluebird ships", "--config", str(cfg), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["text"] == "Project <PROJECT_1> ships"

    import os

    from maskgate.config import load_settings

    os.environ["MASKGATE_LOCALES"] = "us,au"
    try:
        assert load_settings(cfg).locales == ["us", "au"]  # env over file
        assert load_settings(cfg, locales=["nz"]).locales == ["nz"]  # flag over env
    finally:
        del os.environ["MASKGATE_LOCALES"]
    assert load_settings(cfg).locales == ["uk"]


def test_sessions_commands(store: str) -> None:
    assert run("redact", "x@example.org", "--session", "team", "--store", store).returncode == 0
    listed = run("sessions", "list", "--store", store).stdout.decode()
    sid = open_store(store).session_id("team")  # names are stored and listed as keyed ids
    assert sid in listed and "team" not in listed and "x@example.org" not in listed
    shown = run("sessions", "show", "team", "--store", store).stdout.decode()
    assert "<EMAIL_1>" in shown and "x@example.org" not in shown
    assert "x@example.org" in run("sessions", "show", "team", "--reveal", "--store", store).stdout.decode()
    assert run("sessions", "delete", "team", "--store", store).returncode == 0
    assert run("unmask", "<EMAIL_1>", "--session", "team", "--store", store).stdout.decode() == "<EMAIL_1>\n"


def test_detection_flags() -> None:
    r = run(
        "redact",
        "Bluebird and Falcon, TCK-12345, 10.2.3.4, ann@x.org",
        "--store", "memory://", "--ner", "none",
        "--deny", "Bluebird", "--deny", "PROJECT=Falcon",
        "--pattern", r"TICKET=\bTCK-\d{5}\b",
        "--ignore-label", "IP_ADDRESS",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == "<CUSTOM_1> and <PROJECT_1>, <TICKET_1>, 10.2.3.4, <EMAIL_1>\n"
    bad = run("redact", "x", "--store", "memory://", "--pattern", "TICKET=(")
    assert bad.returncode == 2 and b"invalid pattern for TICKET" in bad.stderr


def test_a_broken_command_module_fails_loudly(monkeypatch):
    """`serve` and `eval` are imported, not tried: a broken import is an error, never a missing command."""
    import maskgate.cli

    monkeypatch.setitem(sys.modules, "maskgate.server.cli_serve", None)  # importing it raises ImportError
    with pytest.raises(ImportError):
        maskgate.cli.register_commands()


def test_errors_map_to_exit_statuses(tmp_path):
    """The exit status comes from the error (errors.py): a bad setting 2, a vault that cannot be used 3."""
    bad_setting = run("redact", "hi", "--locale", "xx", "--store", "memory://")
    assert bad_setting.returncode == 2 and b"unknown locale" in bad_setting.stderr
    (tmp_path / "vault.db").mkdir()  # a directory where the vault file should be
    no_vault = run("unmask", "<PERSON_1>", "--store", f"sqlite:///{tmp_path / 'vault.db'}")
    assert no_vault.returncode == 3 and b"Traceback" not in no_vault.stderr


pytestmark = pytest.mark.slow  # maskgate CLI subprocesses
