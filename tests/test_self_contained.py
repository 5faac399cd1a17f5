"""The project stands on its own: code, tests and documents refer only to documents in the
repository (docs/ARCHITECTURE.md, docs/CLI.md, docs/REQUIREMENTS.md, the README), and every
requirement ID they cite is defined in docs/REQUIREMENTS.md."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "docs" / "REQUIREMENTS.md"

# names of documents that are not part of the repository (spelled in pieces so that this
# file does not match itself)
OUTSIDE = [name + ".md" for name in ("DESIGN", "CONTRACTS", "SMTP_NOTES", "MAILBOX_SPEC",
                                     "STYLE")] + ["/work/" + "shared", "coordination/" + "issue"]
# "(issue 8)", "STYLE habit 4": pointers into a tracker or a style guide nobody has
POINTERS = re.compile(r"\(issue \d+\)|\bhabit \d+\b")
# a requirement ID: S1…, D1…, R1…, T1… (S256 is PKCE's method name, not a requirement)
REQUIREMENT_ID = re.compile(r"\b([SDRT])([1-9]\d?)\b")
SUFFIXES = {".py", ".md", ".toml", ".spec", ".ui", ".cfg", ".ini", ".txt", ".json"}


def repository_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    files = [ROOT / name for name in listed]
    if not files:  # not a git checkout (an unpacked sdist): walk the tree
        files = [p for p in ROOT.rglob("*") if ".venv" not in p.parts]
    return [p for p in files
            if p.is_file() and (p.suffix in SUFFIXES or p.name == "Makefile")
            and "generated" not in p.parts and p != Path(__file__).resolve()]


def defined_requirements() -> set[str]:
    return set(re.findall(r"\*\*([SDRT][1-9]\d?)\*\*", REQUIREMENTS.read_text("utf-8")))


def test_requirements_are_defined() -> None:
    defined = defined_requirements()
    assert {"S1", "S4", "S5", "S8", "D1", "D2", "D3", "R1", "R2", "T1", "T2", "T3"} <= defined


def test_no_reference_to_documents_outside_the_repository() -> None:
    found = []
    for path in repository_files():
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(),
                                      1):
            hits = [name for name in OUTSIDE if name in line]
            hits += POINTERS.findall(line)
            if hits:
                found.append(f"{path.relative_to(ROOT)}:{number}: {hits}")
    assert not found, "references to documents outside the repository:\n" + "\n".join(found)


def test_every_requirement_id_is_defined() -> None:
    defined = defined_requirements()
    found = []
    for path in repository_files():
        if path == REQUIREMENTS:
            continue
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(),
                                      1):
            if "noqa" in line:  # linters' codes (S105) are not requirements
                continue
            for letter, digits in REQUIREMENT_ID.findall(line):
                if f"{letter}{digits}" not in defined:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {letter}{digits}")
    assert not found, "requirement IDs not defined in docs/REQUIREMENTS.md:\n" + "\n".join(found)
