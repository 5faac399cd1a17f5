"""The compiled forms in bimail_desktop/gui/generated/ match the Qt Designer files in ui/."""

from __future__ import annotations

import subprocess
import sys


def test_generated_forms_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bimail_desktop.gui.build_forms", "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
