#!/usr/bin/env python3
"""maskgate-entrypoint: secrets from files into the environment, then exec the command.

The container image starts maskgate through it (deploy/install.sh installs it beside `maskgate`).

- `MASKGATE_<NAME>_FILE=/path` sets `MASKGATE_<NAME>` from that file (surrounding whitespace
  stripped) unless `MASKGATE_<NAME>` is set itself: Docker and Kubernetes secrets are files, while
  maskgate reads its vault key (`MASKGATE_VAULT_KEY`) and admin token from the environment.
- `MASKGATE_VAULT_KEY_FILE` naming a file that does not exist yet: a new key is written there first
  (mode 0600), so a single host keeps its key on a volume of its own, apart from the vault. Never for
  a Redis vault (replicas sharing one must all be given the same key, not each make their own), and
  never beside an existing SQLite vault (its key was lost: a new one could not read it).

Standard library only; nothing it prints carries a secret.
"""

from __future__ import annotations

import base64
import os
import sys
import tomllib
from pathlib import Path
from typing import NoReturn

KEY = "MASKGATE_VAULT_KEY"


def fail(message: str) -> NoReturn:
    print(f"maskgate-entrypoint: {message}", file=sys.stderr)
    raise SystemExit(2)


def store_of(argv: list[str]) -> str:
    """The store setting as maskgate will see it: flag > environment > TOML file > default ("")."""
    store, config = "", os.environ.get("MASKGATE_CONFIG", "")
    flags = argv if os.path.basename(argv[0]) == "maskgate" else []
    for i, arg in enumerate(flags):
        value = flags[i + 1] if i + 1 < len(flags) else ""
        if arg == "--store":
            store = value
        elif arg.startswith("--store="):
            store = arg.partition("=")[2]
        elif arg in ("--config", "-c"):
            config = value
        elif arg.startswith("--config="):
            config = arg.partition("=")[2]
    if not store and "MASKGATE_STORE" in os.environ:
        store = os.environ["MASKGATE_STORE"]
    if not store and config:
        try:
            with open(config, "rb") as f:
                data = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError):
            return ""  # maskgate itself reports a bad config file
        store = str(data.get("maskgate", data).get("store", ""))
    return store


def sqlite_path(store: str) -> Path | None:
    if store.startswith("sqlite://"):
        return Path(store.removeprefix("sqlite://")).expanduser()
    if store:
        return None
    # maskgate's default: the user data directory (platformdirs' rule on Linux)
    data = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
    return Path(data) / "maskgate" / "vault.db"


def create_key(path: Path, argv: list[str]) -> None:
    store = store_of(argv)
    if store.startswith(("redis://", "rediss://")):
        fail(f"{KEY}_FILE {path} does not exist: replicas sharing a Redis vault need one key, given to all")
    vault = sqlite_path(store)
    if vault is not None and vault.exists():
        fail(
            f"the vault {vault} exists but its key file {path} does not: restore the key "
            "(docs/deploy.md), or move the vault away to start a new one"
        )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return
    except OSError as exc:
        fail(f"cannot create the vault key file {path}: {exc.strerror}")
    with os.fdopen(fd, "wb") as f:
        f.write(base64.urlsafe_b64encode(os.urandom(32)) + b"\n")
    print(f"maskgate-entrypoint: created a new vault key in {path}: back it up", file=sys.stderr)


def load_files(argv: list[str]) -> None:
    key_file = os.environ.get(f"{KEY}_FILE")
    if key_file and KEY not in os.environ and not Path(key_file).exists():
        create_key(Path(key_file), argv)
    for name, path in sorted(os.environ.items()):
        if not (name.startswith("MASKGATE_") and name.endswith("_FILE")) or not path:
            continue
        target = name.removesuffix("_FILE")
        if target in os.environ:
            continue
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"{name}: cannot read {path}: {getattr(exc, 'strerror', None) or type(exc).__name__}")
        if not value:
            fail(f"{name}: {path} is empty")
        os.environ[target] = value


def main() -> None:
    argv = sys.argv[1:] or ["maskgate", "serve"]
    load_files(argv)
    # `maskgate` is found beside this interpreter, whatever PATH the service manager gives.
    os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        fail(f"cannot run {argv[0]}: {exc.strerror}")


if __name__ == "__main__":
    main()
