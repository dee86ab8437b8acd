"""Settings precedence: TOML file < environment (MASKGATE_*, any case) < CLI flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from maskgate.cli_options import settings_from
from maskgate.config import ConfigError, load_settings


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("MASKGATE_PORT", "maskgate_port", "MASKGATE_LOCALES", "maskgate_locales"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "maskgate.toml"
    path.write_text(
        '[maskgate]\nport = 8081\nlocales = ["us"]\nthresholds = { ORG = 0.9 }\n'
        'deny = { PROJECT = ["Bluebird"] }\n',
        encoding="utf-8",
    )
    return path


def test_the_file_sets_what_nothing_else_does(config: Path) -> None:
    s = load_settings(config)
    assert (s.port, s.locales, s.thresholds, s.host) == (8081, ["us"], {"ORG": 0.9}, "127.0.0.1")


@pytest.mark.parametrize("name", ["MASKGATE_PORT", "maskgate_port", "Maskgate_Port"])
def test_the_environment_beats_the_file_in_any_case(config: Path, monkeypatch, name: str) -> None:
    monkeypatch.setenv(name, "9000")
    monkeypatch.setenv("maskgate_locales", "uk, nz")  # a comma list, as documented
    s = load_settings(config)
    assert (s.port, s.locales) == (9000, ["uk", "nz"])


def test_flags_beat_the_environment_and_the_file(config: Path, monkeypatch) -> None:
    monkeypatch.setenv("maskgate_port", "9000")
    assert load_settings(config, port=9002).port == 9002
    assert settings_from(config, port=9003, locales=["au"]).port == 9003  # what every command calls
    assert load_settings(config, port=None).port == 9000  # a flag not given changes nothing


def test_a_higher_source_replaces_a_mapping_whole(config: Path, monkeypatch) -> None:
    """`--deny` and `--threshold` replace the file's setting (as their help says), not merge into it."""
    s = load_settings(config, thresholds={"EMAIL": 0.5}, deny={"CUSTOM": ["x"]})
    assert (s.thresholds, s.deny) == ({"EMAIL": 0.5}, {"CUSTOM": ["x"]})
    monkeypatch.setenv("MASKGATE_THRESHOLDS", '{"PHONE": 0.7}')
    assert load_settings(config).thresholds == {"PHONE": 0.7}


def test_bad_sources_are_config_errors(config: Path, tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(tmp_path)
    (tmp_path / "bad.toml").write_text("port = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(tmp_path / "bad.toml")
    monkeypatch.setenv("maskgate_port", "many")
    with pytest.raises(ConfigError, match="invalid setting port"):
        load_settings(config)
    monkeypatch.delenv("maskgate_port")
    monkeypatch.setenv("MASKGATE_THRESHOLDS", "{not json")
    with pytest.raises(ConfigError, match="thresholds"):
        load_settings(config)
