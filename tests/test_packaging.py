"""`pip install .` ships the package with its resources and forms."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_sub_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "bimail_desktop").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


@pytest.mark.slow
def test_wheel_contains_resources_forms_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path),
         str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bimail_desktop/resources/providers.json" in names
    assert any(n.startswith("bimail_desktop/forms/") and n.endswith(".ui") for n in names)
    assert "bimail_desktop/store/migrations/versions/0001_initial.py" in names
    assert "bimail_desktop/store/migrations/script.py.mako" in names

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = (
        "import bimail_desktop.paths as p, bimail_desktop.domain.providers as d;"
        "print(p.resources_dir()); print(len(d.load_providers()))"
    )
    out = subprocess.run([sys.executable, "-c", probe], env={"PYTHONPATH": str(target)},
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    resources, count = out.split()
    assert Path(resources) == target / "bimail_desktop" / "resources"
    assert int(count) >= 13
