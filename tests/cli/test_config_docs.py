"""Every setting is documented, and the documented example config loads."""

from __future__ import annotations

import re
from pathlib import Path

from maskgate.config import Settings, load_settings

DOC = Path(__file__).parents[2] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"| `{name}` |" not in text]
    assert missing == []


def test_documented_example_loads(tmp_path: Path) -> None:
    example = re.search(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    cfg = tmp_path / "maskgate.toml"
    cfg.write_text(example.group(1), encoding="utf-8")
    s = load_settings(cfg)
    assert s.locales == ["us", "uk"]
    assert s.deny == {"PROJECT": ["Bluebird", "Project Falcon"]}
    assert s.providers["ollama"].mask is False
    assert s.thresholds == {"ORG": 0.9}
