"""Rules the project keeps about itself: Qt warnings fail every GUI test through one setting,
and the services are plain classes with explicit dependencies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_qt_warnings_fail_every_gui_test_through_one_setting() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    pytest_options = options["tool"]["pytest"]["ini_options"]
    assert pytest_options["qt_log_level_fail"] == "WARNING"
    # no module sets its own level (it could lower it)
    per_module = [p.name for p in (ROOT / "tests").glob("*.py")
                  if p.name != Path(__file__).name
                  and "qt_log_level_fail" in p.read_text("utf-8")]
    assert per_module == []


def test_services_have_no_mixins_and_no_getattr_on_self() -> None:
    found = []
    for path in sorted((ROOT / "bimail_desktop" / "services").glob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if re.search(r"class \w*Mixin\b|getattr\(self\b", line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []
