"""Compile the Qt Designer forms in ui/ into bimail_desktop/gui/generated/ui_*.py.

    python -m bimail_desktop.gui.build_forms          # regenerate
    python -m bimail_desktop.gui.build_forms --check  # exit 1 if any module is stale
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "ui"
OUT = Path(__file__).resolve().parent / "generated"


def _uic() -> list[str]:
    exe = shutil.which("pyside6-uic", path=str(Path(sys.executable).parent))
    exe = exe or shutil.which("pyside6-uic")
    if not exe:
        raise SystemExit("pyside6-uic not found; install PySide6-Essentials")
    return [exe]


def compile_form(form: Path) -> str:
    result = subprocess.run(
        [*_uic(), "-g", "python", str(form)],
        check=True,
        capture_output=True,
        text=True,
    )
    # uic writes its own header with the Qt version; keep only what depends on the form
    lines = [line for line in result.stdout.splitlines() if not line.startswith("## Created by")]
    code = "\n".join(lines).rstrip() + "\n"
    return _drop_unused_imports(code) if form.stem in STARTUP_FORMS else code


#: forms built before the window is usable (the window and the Senders page); the others load
#: later and keep uic's imports as they are (their classes are created then anyway)
STARTUP_FORMS = {"main_window", "senders_page"}


_IMPORT = re.compile(r"^from (PySide6\.\w+) import \(([^)]*)\)\n", re.MULTILINE)


def _drop_unused_imports(code: str) -> str:
    """uic imports the same long list of classes into every form; PySide6 creates each
    class (and the ``Qt`` namespace with all its enums) on first import, which costs the
    window's start-up several milliseconds. Keep only the names the form uses."""
    body = _IMPORT.sub("", code)

    def keep(match: re.Match[str]) -> str:
        names = [name.strip() for name in match.group(2).split(",") if name.strip()]
        used = [name for name in names if re.search(rf"\b{name}\b", body)]
        if not used:
            return ""
        return f"from {match.group(1)} import ({', '.join(used)})\n"

    return _IMPORT.sub(keep, code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for form in sorted(FORMS.glob("*.ui")):
        target = OUT / f"ui_{form.stem}.py"
        code = compile_form(form)
        if args.check:
            if not target.exists() or target.read_text("utf-8") != code:
                stale.append(target.name)
        else:
            target.write_text(code, "utf-8")
    if stale:
        print("out of date (run python -m bimail_desktop.gui.build_forms):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
