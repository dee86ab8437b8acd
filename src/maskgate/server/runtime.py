"""Settings and dictionary changed at run time through the REST API.

The overrides are persisted in the audit store (beside the vault) with a version number; every
server process checks the version at most once a second and rebuilds its detection when it
changed, so a change made on one replica or worker reaches all of them without a restart. A new
analyzer is built before it replaces the old one (a build that fails leaves the old one serving),
and the old one is closed only after in-flight requests had time to finish.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from maskgate.audit import AuditLog
from maskgate.config import ConfigError, Settings
from maskgate.detect.pipeline import Analyzer
from maskgate.errors import DetectionError, MaskgateError

log = logging.getLogger("maskgate.runtime")

# Detection settings the API may change: a change of any of these (or of the dictionary) gives a new
# analyzer, and a new fingerprint, so no cached analysis or memoised masking of the old
# configuration is used again.
DETECTION_SETTINGS = (
    "locales",
    "ner",
    "thresholds",
    "default_threshold",
    "ignore_labels",
    "merge_gaps",
    "disabled_layers",
)
# Every setting the API may change, and the dictionary (deny / allow terms, custom patterns).
SETTINGS_KEYS = (*DETECTION_SETTINGS, "system_inject", "system_note", "session_ttl", "audit_retention_days")
DICTIONARY_KEYS = ("deny", "allow", "patterns")
DETECTION_KEYS = frozenset((*DETECTION_SETTINGS, *DICTIONARY_KEYS))
POLL_SECONDS = 1.0
CLOSE_AFTER = 30.0  # seconds an analyzer that was replaced keeps serving requests already on it


def validation_message(exc: ValidationError, prefix: str = "invalid setting") -> str:
    """Names the field, never echoes what was given: a mapping's keys and a validator's message
    may hold the value itself (a term, an e-mail typed into the wrong field)."""
    first = exc.errors()[0]
    loc = first["loc"]
    where = ".".join([str(loc[0]), *(str(x) for x in loc[1:] if isinstance(x, int))]) if loc else "body"
    msg = str(first["msg"])
    for given in sorted(
        _strings(first.get("input")) | {x for x in loc[1:] if isinstance(x, str)}, key=len, reverse=True
    ):
        if len(given) >= 3:  # shorter is no personal data, and would garble the message
            msg = msg.replace(given, "...")
    return f"{prefix} {where}: {msg}"


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for v in value.values() for s in _strings(v)}  # keys: field names, or in `loc`
    if isinstance(value, list | tuple | set):
        return {s for v in value for s in _strings(v)}
    return set()


def effective(base: Settings, overrides: dict[str, Any]) -> Settings:
    """`base` with the overrides applied, validated by the settings model (ConfigError if not)."""
    try:
        return Settings.model_validate({**base.model_dump(), **overrides})
    except ValidationError as exc:
        raise ConfigError(validation_message(exc)) from exc


class Runtime:
    """Holds the effective settings. `apply(old, new)` installs new settings (rebuilding detection
    when DETECTION_KEYS changed); it is given by the server."""

    def __init__(self, base: Settings, audit: AuditLog, apply: Callable[[Settings, Settings], None]) -> None:
        self.base = base
        self.audit = audit
        self._apply = apply
        self._lock = threading.RLock()
        self.version = 0
        self.overrides: dict[str, Any] = {}
        self.settings = base
        self._checked = 0.0
        self._reloading = False

    def load(self) -> None:
        """At start-up: take the persisted overrides (an invalid document is logged and ignored,
        so a bad value stored by an older version cannot stop the server)."""
        version, overrides = self.audit.runtime()
        try:
            self._install(version, overrides)
        except ConfigError as exc:
            log.error("stored runtime settings ignored: %s", exc)
            self.version = version

    def _install(self, version: int, overrides: dict[str, Any]) -> None:
        with self._lock:
            new = self._applied(overrides)
            self.settings, self.overrides, self.version = new, overrides, version

    def _applied(self, overrides: dict[str, Any]) -> Settings:
        """Apply the overrides (caller holds the lock); a configuration detection cannot be built
        with (a regex that matches nothing but the empty string, ...) is a ConfigError, and the
        previous one stays in force."""
        new = effective(self.base, overrides)
        try:
            self._apply(self.settings, new)
        except (ValueError, MaskgateError) as exc:
            if isinstance(exc, MaskgateError) and not isinstance(exc, (ConfigError, DetectionError)):
                raise
            raise ConfigError(f"the new settings cannot be applied: {exc}") from exc
        return new

    def update(self, patch: dict[str, Any]) -> Settings:
        """Validate, persist and apply a change of settings and/or dictionary keys."""
        unknown = sorted(set(patch) - set(SETTINGS_KEYS) - set(DICTIONARY_KEYS))
        if unknown:
            raise ConfigError(
                f"not changeable at run time: {', '.join(unknown)} "
                f"(allowed: {', '.join(SETTINGS_KEYS + DICTIONARY_KEYS)})"
            )
        overrides = {**self.overrides, **patch}
        with self._lock:
            old_overrides = self.overrides
            new = self._applied(overrides)  # built and in force before anything is stored
            try:
                version = self.audit.set_runtime(overrides)
            except Exception:
                self._applied(old_overrides)  # the store refused: back to what it holds
                raise
            self.settings, self.overrides, self.version = new, overrides, version
        self._checked = time.monotonic()
        return self.settings

    def poll(self) -> None:
        """Cheap, called per request: at most once a second, look for a change made by another
        process and apply it in the background (the request goes on with the current settings)."""
        now = time.monotonic()
        if now - self._checked < POLL_SECONDS or self._reloading:
            return
        self._checked = now
        try:
            version, overrides = self.audit.runtime()
        except Exception as exc:
            log.warning("runtime settings check failed: %s", type(exc).__name__)
            return
        if version == self.version:
            return
        self._reloading = True

        def reload() -> None:
            try:
                self._install(version, overrides)
                log.info("runtime settings version %d applied", version)
            except Exception as exc:
                log.error("runtime settings version %d not applied: %s", version, exc)
                self.version = version  # do not retry a bad document every second
            finally:
                self._reloading = False

        threading.Thread(target=reload, name="maskgate-reload", daemon=True).start()


def detection_changed(old: Settings, new: Settings) -> bool:
    return any(getattr(old, k) != getattr(new, k) for k in DETECTION_KEYS)


def close_later(analyzer: Analyzer) -> None:
    timer = threading.Timer(CLOSE_AFTER, analyzer.close)
    timer.daemon = True
    timer.start()
