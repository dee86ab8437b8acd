"""One settings model: TOML file < environment (MASKGATE_*, any case) < CLI flags.

pydantic-settings does the precedence with its own sources (`settings_customise_sources`): the init
arguments (the CLI flags given), then the environment, then the TOML file `load_settings` was given.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from maskgate.detect.options import DetectOptions
from maskgate.detect.patterns.base import LOCALES
from maskgate.detect.resolve import DEFAULT_MERGE_GAPS, DEFAULT_THRESHOLD
from maskgate.errors import ConfigError as ConfigError  # its old home: still importable here


class ProviderConfig(BaseModel):
    base_url: str
    api: Literal["anthropic", "openai"] = "openai"
    mask: bool = True


def _split(v: Any) -> Any:
    if isinstance(v, str):
        return [p.strip() for p in v.split(",") if p.strip()]
    return v


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MASKGATE_", extra="forbid", validate_default=True)

    # server
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    detect_threads: int = 2
    # Detection in a pool of that many processes (0: in the server process's threads); None: 1 for
    # the spaCy backend, 0 otherwise. See detect/pool.py and docs/performance.md.
    detect_processes: int | None = None
    debug: bool = False
    body_limit: int = 32 * 1024 * 1024
    system_inject: bool = True
    providers: dict[str, ProviderConfig] = Field(default_factory=dict)
    default_provider_anthropic: str = "anthropic"
    default_provider_openai: str = "openai"
    upstream_timeout: float = 600.0
    fail_open: bool = False
    # vault
    store: str | None = None
    cache_bytes: int = 64 * 1024 * 1024
    # detection
    locales: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(LOCALES))
    ner: Literal["spacy", "transformers", "none"] = "spacy"
    model: str | None = None
    ner_device: str = "auto"
    ner_dtype: str = "auto"
    ner_window: int = 512
    ner_batch_size: int = 8
    ner_labels: dict[str, str] = Field(default_factory=dict)  # model entity -> label ("" drops it)
    deny: dict[str, list[str]] | list[str] = Field(default_factory=list)
    allow: Annotated[list[str], NoDecode] = Field(default_factory=list)
    default_allow: bool = True
    patterns: dict[str, list[str]] = Field(default_factory=dict)
    ignore_labels: Annotated[list[str], NoDecode] = Field(default_factory=list)
    thresholds: dict[str, float] = Field(default_factory=dict)
    default_threshold: float = DEFAULT_THRESHOLD
    merge_gaps: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_MERGE_GAPS))
    # rule layers switched off: address, names, open_ids, orgs, places, us_driver_license (NER: `ner = "none"`)
    disabled_layers: Annotated[
        list[Literal["address", "names", "open_ids", "orgs", "places", "us_driver_license"]], NoDecode
    ] = Field(default_factory=list)
    # --- vault ---
    session_ttl: float = Field(default=30 * 86400, ge=0)  # sliding session expiry, seconds; 0 = never
    # --- api ---
    # REST API tokens: the admin token has every scope; api_tokens maps a token to its scopes
    # (redact, read, reveal, admin). None configured: the API answers loopback clients only.
    admin_token: str | None = Field(default=None, repr=False)
    api_tokens: dict[str, list[Literal["redact", "read", "reveal", "admin"]]] = Field(
        default_factory=dict, repr=False
    )
    audit_retention_days: float = Field(default=90.0, ge=0)
    # the note telling the model that <LABEL_N> tokens are stand-ins (None: the built-in one)
    system_note: str | None = None
    # --- proxy ---
    # The vault session of requests with no credential and no X-Maskgate-Session; None: a fresh
    # random session per request, so anonymous clients never share placeholders.
    anonymous_session: str | None = None
    # --- performance ---
    # The persistent analysis cache (masking/cache_store.py): "auto" beside the vault, "none", or a
    # sqlite:///path or redis:// URL; bounded in bytes.
    cache_store: str = "auto"
    cache_store_bytes: int = 256 * 1024 * 1024
    # Cached analyses become visible to every session once this many sessions sent the text (0: never).
    cache_share_sessions: int = 3
    # A request whose detection takes longer is refused (503), nothing forwarded (detect/pool.py).
    detect_budget_seconds: float = 120.0

    @field_validator("locales", "allow", "ignore_labels", "disabled_layers", mode="before")
    @classmethod
    def _comma_list(cls, v: Any) -> Any:
        return _split(v)

    @field_validator("locales")
    @classmethod
    def _known_locales(cls, v: list[str]) -> list[str]:
        v = [x.lower() for x in v]
        if "all" in v:
            return list(LOCALES)
        bad = [x for x in v if x not in LOCALES]
        if bad:
            raise ValueError(f"unknown locale(s) {', '.join(bad)}; known: {', '.join(LOCALES)}, all")
        return v

    def detect_options(self) -> DetectOptions:
        """Detection's own options object: what `detect/` is built from."""
        return DetectOptions.of(self)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = _config_file.get()
        sources = [init_settings, env_settings]
        if path is not None:
            sources.append(TomlFile(settings_cls, path))
        return tuple(_Whole(source) for source in sources)


# The TOML file of the `load_settings` call in progress (None: no file); settings_customise_sources
# reads it, since pydantic-settings builds the sources inside Settings().
_config_file: ContextVar[Path | None] = ContextVar("maskgate_config_file", default=None)


class TomlFile(TomlConfigSettingsSource):
    """The config file: its `[maskgate]` table, or the whole file when it has none. A file that is
    missing, unreadable or not TOML is a ConfigError (the library would skip a missing one)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        if not path.is_file():
            read_toml(path)  # raises the ConfigError that says why
        super().__init__(settings_cls, toml_file=path)

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        return read_toml(file_path)


class _Whole(PydanticBaseSettingsSource):
    """`source` with its dict-valued settings made read-only mappings: a higher source's `deny`,
    `thresholds` or `providers` then replaces a lower one's whole (as `--deny` documents) instead of
    being merged into it key by key, which pydantic-settings does with plain dicts."""

    def __init__(self, source: PydanticBaseSettingsSource) -> None:
        super().__init__(source.settings_cls)
        self.source = source

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self.source.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        return {k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in self.source().items()}


def read_toml(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        with p.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {p}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {p} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {p}: {exc.strerror}") from exc
    return data.get("maskgate", data)


@contextmanager
def _reading(config: str | Path | None) -> Iterator[None]:
    token = _config_file.set(Path(config) if config else None)
    try:
        yield
    finally:
        _config_file.reset(token)


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """File < env < overrides. Overrides set to None are ignored (flag not given)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        with _reading(config):
            return Settings(**given)
    except SettingsError as exc:  # an environment value that is not the JSON its setting needs
        raise ConfigError(str(exc)) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"invalid setting {where}: {first['msg']}") from exc
