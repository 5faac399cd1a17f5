"""A store shared by a team: many programs at once on SQLite, PostgreSQL and MariaDB.

Each test runs on every backend (a database with a unique name on the test machine's
PostgreSQL and MariaDB servers, dropped afterwards) with real processes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bimail_desktop.store import head_revision
from bimail_desktop.store.failures import resolve_url

SUPPORT = Path(__file__).parent / "support"

# opens the mailbox at a given moment, so that every process hits the empty store at once
FIRST_START = """
import sys, time
from bimail_desktop.services import Mailbox
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
with Mailbox.open(sys.argv[1]) as box:
    print(len(box.list_templates()))
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**__import__("os").environ,
                                 "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})


def test_six_programs_start_at_once_on_an_empty_store(backend_url: str) -> None:
    start = time.time() + 3.0  # after every interpreter has imported the program
    procs = [_spawn(FIRST_START, backend_url, repr(start)) for _ in range(6)]
    outcomes = [(p.wait(timeout=90), *p.communicate()) for p in procs]
    failed = [err for code, _out, err in outcomes if code != 0]
    assert not failed, failed[0]
    assert all(out.strip() == "1" for _code, out, _err in outcomes)
    engine = create_engine(resolve_url(backend_url))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() \
                == [head_revision()]
            assert conn.execute(text(
                "SELECT count(*) FROM templates WHERE name = 'Test Mail'")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM settings")).scalar() == 1
    finally:
        engine.dispose()


def test_urls_without_a_driver_get_the_bundled_ones() -> None:
    assert resolve_url("postgresql://u:p@db/bimail").drivername == "postgresql+psycopg"
    assert resolve_url("postgres://u@db/bimail").drivername == "postgresql+psycopg"
    mysql = resolve_url("mysql://u@db/bimail")
    assert mysql.drivername == "mysql+pymysql" and mysql.query["charset"] == "utf8mb4"
    assert resolve_url("mariadb://u@db/bimail").drivername == "mariadb+pymysql"
    assert resolve_url("mysql+pymysql://u@db/bimail?charset=utf8mb4").drivername \
        == "mysql+pymysql"


def test_a_mysql_url_opens_mariadb_with_the_bundled_driver(cli, backend_url: str) -> None:  # type: ignore[no-untyped-def]
    plain = backend_url.replace("+psycopg", "").replace("+pymysql", "")
    result = cli("--db", plain, "--json", "senders", "list")
    assert result.returncode == 0, result.stderr
    assert result.json() == []


def test_not_a_url_is_invalid_input_naming_the_option(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--db", "notaurl", "--json", "senders", "list")
    assert result.returncode == 2
    error = result.json()["error"]
    assert error["code"] == "invalid_input"
    assert "--db" in error["message"] and "notaurl" in error["message"]
    assert "Traceback" not in result.stderr
