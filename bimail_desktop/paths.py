"""Where the program's own files are: `resources/` and `ui/`.

In a source checkout (and an editable install) they sit at the repository root beside the
package; in a wheel and in the PyInstaller bundle they are shipped inside the package as
``bimail_desktop/resources`` and ``bimail_desktop/forms``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resources_dir() -> Path:
    frozen = Path(getattr(sys, "_MEIPASS", _PACKAGE.parent)) / "bimail_desktop" / "resources"
    return _first_existing(_PACKAGE / "resources", frozen, _PACKAGE.parent / "resources")


def forms_dir() -> Path:
    frozen = Path(getattr(sys, "_MEIPASS", _PACKAGE.parent)) / "bimail_desktop" / "forms"
    return _first_existing(_PACKAGE / "forms", frozen, _PACKAGE.parent / "ui")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
