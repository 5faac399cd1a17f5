"""The embedded store: created private, upgraded by Alembic, refused when newer, and shared
safely by two processes at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bimail_desktop.config import database_url
from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.store import head_revision, open_store

EXPECTED_TABLES = {"senders", "settings", "preferences", "templates", "send_records",
                   "trusted_certificates", "alembic_version"}


def test_empty_store_is_migrated_to_the_newest_schema(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'new.db'}")
    try:
        names = set(inspect(store.engine).get_table_names())
        assert EXPECTED_TABLES <= names
        sender_columns = {c["name"] for c in inspect(store.engine).get_columns("senders")}
        assert not {c for c in sender_columns if "pass" in c or "secret" in c}
        with store.read() as session:
            version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert version == head_revision()
            default = session.execute(text("SELECT default_sender_id FROM settings")).all()
            assert default == [(None,)]
    finally:
        store.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with store.read() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        store.dispose()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_folder_and_database_are_private_to_the_user(tmp_path: Path) -> None:
    url = database_url()
    store = open_store(url)
    store.dispose()
    home = Path(os.environ["BIMAIL_HOME"])
    assert url == f"sqlite:///{home / 'bimail.db'}"
    assert (home.stat().st_mode & 0o777) == 0o700
    assert ((home / "bimail.db").stat().st_mode & 0o077) == 0


def test_database_url_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BIMAIL_DATABASE_URL", "sqlite:///" + str(tmp_path / "env.db"))
    assert database_url().endswith("env.db")
    assert database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_store_from_a_newer_program_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_store(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.execute("CREATE TABLE future_table (x INTEGER)")
    before = path.read_bytes()
    with pytest.raises(BimailError) as info:
        open_store(f"sqlite:///{path}")
    assert info.value.code is ErrorCode.STORE_TOO_NEW
    assert "9999_future" in str(info.value)
    assert path.read_bytes() == before


@pytest.mark.sqlite_only
def test_cli_says_clearly_that_the_store_is_newer(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("senders", "list").returncode == 0
    db = cli.home / "bimail.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    result = cli("senders", "list")
    assert result.returncode == 1
    assert "store_too_new" in result.stderr
    assert "newer version" in result.stderr
    assert "Traceback" not in result.stderr


_WRITER = """
import sys
from bimail_desktop.services import Mailbox
from bimail_desktop.secrets import SecretStore
import keyring
sys.path.insert(0, sys.argv[3])
from bimail_test_keyring import MemoryKeyring
keyring.set_keyring(MemoryKeyring())
box = Mailbox.open(sys.argv[1])
prefix = sys.argv[2]
for i in range(40):
    box.add_sender({"server": "smtp.example.com", "address": f"{prefix}{i}@example.com"})
    if i % 3 == 0:
        box.set_default_sender(f"{prefix}{i}@example.com")
    box.list_senders()
box.close()
print("done")
"""


def test_two_processes_write_the_same_store_without_locking_errors(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    open_store(url).dispose()
    support = str(Path(__file__).parent / "support")
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, url, prefix, support],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for prefix in ("gui", "cli")
    ]
    outputs = [p.communicate(timeout=90) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "database is locked" not in err
        assert out.strip() == "done"
    with sqlite3.connect(tmp_path / "shared.db") as conn:
        assert conn.execute("SELECT count(*) FROM senders").fetchone() == (80,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_existing_folder_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    open_store(f"sqlite:///{shared / 'team.db'}").dispose()
    assert (shared.stat().st_mode & 0o7777) == 0o1777  # not ours to change
    assert ((shared / "team.db").stat().st_mode & 0o077) == 0  # the new file is private
    nested = tmp_path / "new" / "deeper"
    open_store(f"sqlite:///{nested / 'own.db'}").dispose()
    assert (nested.stat().st_mode & 0o777) == 0o700


def test_write_connection_takes_the_write_lock_at_once_and_commits(tmp_path: Path) -> None:
    path = tmp_path / "lock.db"
    store = open_store(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with store.write_connection() as connection:
            # BEGIN IMMEDIATE: the lock is held before anything is written
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            connection.execute(text("INSERT INTO preferences VALUES ('bench', 'x')"))
        query = "SELECT value FROM preferences WHERE key = 'bench'"
        assert other.execute(query).fetchall() == [("x",)]
        with pytest.raises(RuntimeError), store.write_connection() as connection:
            connection.execute(text("UPDATE preferences SET value = 'y' WHERE key = 'bench'"))
            raise RuntimeError("stop")
        assert other.execute(query).fetchall() == [("x",)]
    finally:
        other.close()
        store.dispose()


def test_writes_of_several_threads_share_one_commit_and_one_failure_stays_its_own(
    tmp_path: Path,
) -> None:
    """Store.together: what threads write at the same moment is committed together; a piece
    of work that fails leaves nothing behind and does not take the others down with it."""
    import threading

    store = open_store(f"sqlite:///{tmp_path / 'group.db'}")
    try:
        with store.write_connection() as connection:
            connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT "
                                    "NOT NULL)"))
        start = threading.Barrier(8)
        futures: list = []
        lock = threading.Lock()

        def writer(n: int) -> None:
            def work(connection):  # type: ignore[no-untyped-def]
                if n == 3:
                    connection.execute(text("INSERT INTO notes (body) VALUES ('half')"))
                    raise ValueError("the third writer's own mistake")
                connection.execute(text("INSERT INTO notes (body) VALUES (:b)"),
                                   {"b": f"note {n}"})
                return n

            start.wait()
            future = store.together(work)
            with lock:
                futures.append((n, future))

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for n, future in futures:
            if n == 3:
                with pytest.raises(ValueError, match="own mistake"):
                    future.result(timeout=30)
            else:
                assert future.result(timeout=30) == n
        with store.read() as session:
            bodies = sorted(session.execute(text("SELECT body FROM notes")).scalars())
        assert bodies == sorted(f"note {n}" for n in range(8) if n != 3)
    finally:
        store.dispose()
