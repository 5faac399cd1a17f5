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


# -- the backend the store tests run on -------------------------------------------------
# By default every test has a SQLite file of its own. With BIMAIL_TEST_DATABASE_URL (or
# --database-url) naming a PostgreSQL or MariaDB/MySQL server, the tests that use the
# ``mailbox`` or ``cli`` fixtures run on that server instead: one database with a unique
# name for the whole session (dropped at its end), emptied before each test.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--database-url", default=None, metavar="URL",
                     help="run the store tests on this PostgreSQL or MariaDB/MySQL server "
                     "(same as BIMAIL_TEST_DATABASE_URL); a database is created and dropped")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about the SQLite file itself (skipped on a server backend)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _server_option(config):
        return
    skip = pytest.mark.skip(reason="about the SQLite file; the session runs on a server")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


def _server_option(config: pytest.Config) -> str | None:
    return config.getoption("--database-url") or os.environ.get("BIMAIL_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def server_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The session's database on the server under test, or None (SQLite per test)."""
    server = _server_option(request.config)
    if not server:
        yield None
        return
    from databases import create_database, drop_database

    url = create_database(server)
    try:
        Mailbox.open(url, secrets=SecretStore()).close()  # the schema, once
        yield url
    finally:
        drop_database(url)


def _emptied(url: str) -> str:
    """``url``'s database as a new store: every table emptied, the one settings row back."""
    from sqlalchemy import create_engine, inspect, text

    from bimail_desktop.store.failures import resolve_url

    engine = create_engine(resolve_url(url))
    try:
        with engine.begin() as conn:
            tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                  + " RESTART IDENTITY CASCADE"))
            else:
                conn.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
                for table in tables:
                    conn.execute(text(f"TRUNCATE TABLE `{table}`"))
                conn.execute(text("SET FOREIGN_KEY_CHECKS = 1"))
            conn.execute(text("INSERT INTO settings (id, default_sender_id) VALUES (1, NULL)"))
    finally:
        engine.dispose()
    return url


@pytest.fixture
def store_url(tmp_path: Path, server_database: str | None) -> str:
    """The URL of a new, empty store for this test (SQLite file, or the server's)."""
    if server_database is None:
        return f"sqlite:///{tmp_path / 'store.db'}"
    return _emptied(server_database)


@pytest.fixture
def mailbox(store_url: str) -> Iterator[Mailbox]:
    box = Mailbox.open(store_url, secrets=SecretStore())
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
def cli(tmp_path: Path, server_database: str | None, store_url: str):  # type: ignore[no-untyped-def]
    """Run `bimail …` in a subprocess with its own BIMAIL_HOME and a file keychain (and,
    in a session on a database server, BIMAIL_DATABASE_URL naming an emptied store)."""
    home = tmp_path / "cli-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIMAIL_")}
    if server_database is not None:
        env["BIMAIL_DATABASE_URL"] = store_url  # emptied for this test
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
    # the store the commands use: the data folder's file, or the server's database
    run.db_url = (store_url if server_database is not None  # type: ignore[attr-defined]
                  else f"sqlite:///{home / 'bimail.db'}")
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
