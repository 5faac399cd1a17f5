"""Shared fixtures: every standard path redirected into tmp_path, an in-memory keychain,
a fresh store per test, and the CLI run in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

SUPPORT = Path(__file__).parent / "support"
sys.path.insert(0, str(SUPPORT))

from bimail_test_keyring import MemoryKeyring  # noqa: E402

pytest_plugins = ["smtp_fixtures"]

from bimail_desktop.secrets import SecretStore  # noqa: E402
from bimail_desktop.services import Mailbox  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the real data folder, keychain or settings."""
    home = tmp_path / "bimail-home"
    monkeypatch.setenv("BIMAIL_HOME", str(home))
    monkeypatch.delenv("BIMAIL_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "user-home"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def keychain() -> MemoryKeyring:
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    return backend


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    box = Mailbox.open(f"sqlite:///{tmp_path / 'store.db'}", secrets=SecretStore())
    yield box
    box.close()


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> object:
        return json.loads(self.stdout)


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run `bimail …` in a subprocess with its own BIMAIL_HOME and a file keychain."""
    home = tmp_path / "cli-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIMAIL_")}
    env.update(
        BIMAIL_HOME=str(home),
        PYTHON_KEYRING_BACKEND="bimail_test_keyring.FileKeyring",
        BIMAIL_TEST_KEYRING_FILE=str(tmp_path / "keychain.json"),
        PYTHONPATH=os.pathsep.join([str(SUPPORT), env.get("PYTHONPATH", "")]),
        PYTHONIOENCODING="utf-8",
    )

    def run(*args: str, stdin: str | None = None, timeout: float = 60) -> CliResult:
        proc = subprocess.run(
            [sys.executable, "-m", "bimail_desktop", *args],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=timeout,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    run.home = home  # type: ignore[attr-defined]
    run.env = env  # type: ignore[attr-defined]
    run.keychain_file = tmp_path / "keychain.json"  # type: ignore[attr-defined]
    return run


# -- the shared-store backends -----------------------------------------------------------
BACKENDS = ("sqlite", "postgresql", "mariadb")


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty store on each backend in turn (SQLite file, PostgreSQL and MariaDB
    databases with unique names, dropped afterwards); skipped where a server is missing."""
    from databases import ServerMissing, create_database, drop_database

    try:
        url = create_database(request.param, tmp_path)
    except ServerMissing as exc:
        pytest.skip(str(exc))
    try:
        yield url
    finally:
        drop_database(url)
