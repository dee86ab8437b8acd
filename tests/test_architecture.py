"""The import graph flows one way: detection and the vault import nothing above them, so either can be
used (and tested) alone, and the settings reach detection only through its own DetectOptions."""

from __future__ import annotations

import ast
from pathlib import Path

import maskgate
from maskgate.config import Settings
from maskgate.detect.options import DetectOptions

SRC = Path(maskgate.__file__).parent
# What each package may import from maskgate: itself, and the error types every layer raises.
ALLOWED = {
    "detect": ("maskgate.detect", "maskgate.errors"),
    "vault": ("maskgate.vault", "maskgate.errors"),
}


def maskgate_imports(path: Path) -> set[str]:
    """Every maskgate module `path` imports, at module level, in functions or for type checking."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {m for m in found if m == "maskgate" or m.startswith("maskgate.")}


def test_detect_and_vault_import_nothing_above_them() -> None:
    upward = []
    for package, allowed in ALLOWED.items():
        files = sorted((SRC / package).rglob("*.py"))
        assert files, package
        for path in files:
            for module in maskgate_imports(path):
                if not any(module == a or module.startswith(a + ".") for a in allowed):
                    upward.append(f"{path.relative_to(SRC)} imports {module}")
    assert upward == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("if True:\n    from maskgate.config import Settings\nimport maskgate.masking\n")
    assert maskgate_imports(bad) == {"maskgate.config", "maskgate.masking"}


def test_detect_options_are_the_detection_settings() -> None:
    """Every detection option is a setting of the same name and default, and Settings hands its
    values over (detect_options), so `build_pipeline(settings.detect_options())` is the configured one."""
    defaults = DetectOptions()
    for name in DetectOptions.__dataclass_fields__:
        assert name in Settings.model_fields, name
        setting = Settings.model_fields[name].get_default(call_default_factory=True)
        assert setting == getattr(defaults, name), name
    settings = Settings(ner="none", locales="uk,us", thresholds={"EMAIL": 0.9}, detect_processes=3)
    options = settings.detect_options()
    assert (options.ner, options.locales, options.thresholds, options.detect_processes) == (
        "none",
        ["uk", "us"],
        {"EMAIL": 0.9},
        3,
    )
    assert DetectOptions.of(options) is options
