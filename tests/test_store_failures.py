"""A store that cannot be used: unreachable or refusing servers, damaged files, a read-only
data folder, a full disk. Every command answers with ``store_unavailable`` or
``store_corrupt`` (exit 1, no traceback), changes nothing, and says what to check."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from databases import SERVERS, ServerMissing, _admin_connect

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox
from bimail_desktop.store.engine import damage_mark
from bimail_desktop.store.failures import resolve_url

ADDRESS = "bi@example.com"
ADD = ("senders", "add", "--server", "smtp.example.com", "--port", "587", "--encryption",
       "tls", "--address", "new@example.com")


def error_of(result: Any, code: str) -> dict[str, Any]:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    error: dict[str, Any] = result.json()["error"]
    assert error["code"] == code, error
    return error


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- database servers ---------------------------------------------------------------------
def test_unreachable_server_names_the_url_without_its_password(cli: Any) -> None:
    url = "postgresql://bimail:s3cret-pw@127.0.0.1:1/bimail"
    error = error_of(cli("--db", url, "--json", "senders", "list"), "store_unavailable")
    assert "s3cret-pw" not in error["message"] and "s3cret-pw" not in error["fix"]
    assert "postgresql+psycopg://bimail:***@127.0.0.1:1/bimail" in error["message"]
    assert "not reachable" in error["message"]
    assert "BIMAIL_DATABASE_URL" in error["fix"] and "password" in error["fix"]
    text = cli("--db", url, "senders", "list")
    assert text.returncode == 1 and "error [store_unavailable]" in text.stderr
    assert "Traceback" not in text.stderr and "s3cret-pw" not in text.stderr


@pytest.fixture
def mariadb_admin() -> Iterator[Any]:
    try:
        admin = _admin_connect(resolve_url(SERVERS["mariadb"]))
    except ServerMissing as exc:
        pytest.skip(str(exc))
    with admin:
        yield admin


def test_login_refused_by_mariadb(cli: Any, mariadb_admin: Any) -> None:
    url = "mysql://bimail_nobody:wrong-pw@127.0.0.1:3306/bimail"
    error = error_of(cli("--db", url, "--json", "senders", "list"), "store_unavailable")
    assert "refused the login" in error["message"]
    assert "wrong-pw" not in error["message"] and "***" in error["message"]


def test_no_free_connection_on_mariadb(cli: Any, mariadb_admin: Any, tmp_path: Path) -> None:
    import pymysql
    from databases import create_database, drop_database

    url = create_database("mariadb")
    user = f"bimail_lim_{os.getpid()}"
    cursor = mariadb_admin.cursor()
    cursor.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY 'pw' WITH MAX_USER_CONNECTIONS 1")
    cursor.execute(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY 'pw' "
                   "WITH MAX_USER_CONNECTIONS 1")
    database = resolve_url(url).database
    try:
        for host in ("%", "localhost"):
            cursor.execute(f"GRANT ALL ON `{database}`.* TO '{user}'@'{host}'")
        held = pymysql.connect(host="127.0.0.1", port=3306, user=user, password="pw")
        try:
            limited = f"mysql://{user}:pw@127.0.0.1:3306/{database}"
            error = error_of(cli("--db", limited, "--json", "senders", "list"),
                             "store_unavailable")
            assert "no free connection" in error["message"]
        finally:
            held.close()
    finally:
        for host in ("%", "localhost"):
            cursor.execute(f"DROP USER IF EXISTS '{user}'@'{host}'")
        drop_database(url)


def test_missing_database_on_postgresql_is_unavailable(cli: Any) -> None:
    try:
        _admin_connect(resolve_url(SERVERS["postgresql"])).close()
    except ServerMissing as exc:
        pytest.skip(str(exc))
    url = "postgresql://postgres@127.0.0.1:5432/bimail_no_such_database"
    error = error_of(cli("--db", url, "--json", "senders", "list"), "store_unavailable")
    assert "does not exist" in error["message"]


# -- damaged SQLite stores ----------------------------------------------------------------
PAGE = 4096


def _page(data: bytes, root: int, fill: bytes) -> bytes:
    offset = (root - 1) * PAGE
    return data[:offset] + fill * (PAGE // len(fill)) + data[offset + PAGE:]


def _root(path: Path, name: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                (name,)).fetchone()[0])


@pytest.fixture
def healthy_store(tmp_path: Path) -> Path:
    """A store with a sender, a default sender and 3,000 sending records, checkpointed so
    that the file holds everything (as a store left by a program that ended)."""
    path = tmp_path / "data" / "bimail.db"
    with Mailbox.open(f"sqlite:///{path}", secrets=SecretStore()) as box:
        box.add_sender({"server": "127.0.0.1", "port": 25, "encryption": "none",
                        "address": ADDRESS, "rate_limit": 0})
        box.set_default_sender(ADDRESS)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO send_records (message_id, sender, ip, recipient, template, resources,"
            " sent_at, result) VALUES (?, ?, '', ?, 'Test Mail', '[]', ?, 'success')",
            [(f"<m{i}@example.com>", ADDRESS, f"user{i}@example.org",
              datetime(2026, 1, 1, 0, i // 60 % 60, i % 60)) for i in range(3000)])
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _damage(kind: str, path: Path) -> None:
    data = path.read_bytes()
    if kind == "text file":
        data = b"region,total\nnorth,12\n" * 300
    elif kind == "header":
        data = b"NOT SQLITE AT AL" + data[16:]
    elif kind == "truncated":
        data = data[: len(data) * 6 // 10]
    elif kind == "schema page":
        data = data[:100] + b"\xa5" * (PAGE - 100) + data[PAGE:]
    elif kind == "records table":
        data = _page(data, _root(path, "send_records"), b"\xff")
    elif kind == "records index":
        data = _page(data, _root(path, "ix_send_records_sent_at"), b"\xff")
    elif kind == "zeroed pages":
        middle = len(data) // 2 // PAGE * PAGE
        data = data[:middle] + b"\0" * (40 * PAGE) + data[middle + 40 * PAGE:]
    path.write_bytes(data)


# found when the store opens: every command refuses
AT_OPEN = ["text file", "header", "schema page"]
# found when the damaged part is read: reading the records reports it
WHEN_READ = ["truncated", "records table", "records index", "zeroed pages"]


@pytest.mark.parametrize("kind", AT_OPEN)
def test_damaged_store_refuses_every_command_and_stays_untouched(
        cli: Any, healthy_store: Path, kind: str) -> None:
    _damage(kind, healthy_store)
    before = digest(healthy_store)
    db = f"sqlite:///{healthy_store}"
    for command in (("senders", "list"), ("records",), ADD, ("default", "set", ADDRESS)):
        error = error_of(cli("--db", db, "--json", *command), "store_corrupt")
        assert str(healthy_store) in error["message"]
        assert "bimail doctor" in error["fix"] and "backup" in error["fix"]
    assert digest(healthy_store) == before
    with pytest.raises(BimailError) as raised:
        Mailbox.open(db, secrets=SecretStore())
    assert raised.value.code is ErrorCode.STORE_CORRUPT
    assert digest(healthy_store) == before


@pytest.mark.parametrize("kind", WHEN_READ)
def test_store_that_reported_damage_is_written_no_more(
        cli: Any, healthy_store: Path, kind: str) -> None:
    _damage(kind, healthy_store)
    db = f"sqlite:///{healthy_store}"
    export = healthy_store.with_name("export.csv")
    error_of(cli("--db", db, "--json", "records", "--since", "2025-12-31", "--csv",
                 str(export)), "store_corrupt")
    before = digest(healthy_store)
    assert damage_mark(healthy_store).exists()
    # the next program refuses to write (the damage mark), but still shows what it can read
    error = error_of(cli("--db", db, "--json", *ADD), "store_corrupt")
    if kind != "truncated":  # (a truncated file fails everything on its own too)
        assert "nothing more is written" in error["message"]
        listed = cli("--db", db, "--json", "senders", "list")
        assert listed.returncode == 0 and [s["address"] for s in listed.json()] == [ADDRESS]
    assert digest(healthy_store) == before


def test_test_mail_into_a_damaged_store_sends_nothing(
        cli: Any, healthy_store: Path, smtp_server_factory: Callable[..., Any]) -> None:
    server = smtp_server_factory("plain")
    db = f"sqlite:///{healthy_store}"
    with sqlite3.connect(healthy_store) as conn:
        conn.execute("UPDATE senders SET port = ?", (server.port,))
    with sqlite3.connect(healthy_store) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage("records index", healthy_store)
    before = digest(healthy_store)
    error_of(cli("--db", db, "--json", "test-mail", "--to", "boss@example.org",
                 "--timeout", "5"), "store_corrupt")
    error_of(cli("--db", db, "--json", "test-mail", "--to", "boss@example.org",
                 "--timeout", "5"), "store_corrupt")
    assert server.messages == []
    assert digest(healthy_store) == before


def test_doctor_checks_the_store_and_says_how_to_restore(cli: Any, healthy_store: Path) -> None:
    db = f"sqlite:///{healthy_store}"
    healthy = cli("--db", db, "--json", "doctor")
    assert healthy.json()["integrity"]["ok"] is True
    backup = healthy_store.with_name("backup.db")
    backup.write_bytes(healthy_store.read_bytes())

    _damage("records index", healthy_store)
    error_of(cli("--db", db, "--json", "records", "--since", "2025-12-31"), "store_corrupt")
    result = cli("--db", db, "--json", "doctor")
    assert result.returncode == 1
    report = result.json()
    assert report["integrity"]["ok"] is False
    assert "copy the backup to " + str(healthy_store) in report["integrity"]["restore"]
    text = cli("--db", db, "doctor")
    assert "Integrity:     DAMAGED" in text.stdout and "backup" in text.stdout

    # restored as the doctor says: the store checks out, the damage mark goes, writes work
    healthy_store.write_bytes(backup.read_bytes())
    assert cli("--db", db, "--json", "doctor").json()["integrity"]["ok"] is True
    assert not damage_mark(healthy_store).exists()
    assert cli("--db", db, *ADD).returncode == 0


def test_db_pointing_at_a_folder_or_a_spreadsheet(cli: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "report.csv"
    sheet.write_text("region,total\nnorth,12\n" * 200)
    before = digest(sheet)
    error_of(cli("--db", f"sqlite:///{sheet}", "--json", "senders", "list"), "store_corrupt")
    assert digest(sheet) == before and not damage_mark(sheet).exists()
    error_of(cli("--db", f"sqlite:///{tmp_path}", "--json", "senders", "list"), "store_corrupt")


# -- read-only data folder, full disk -----------------------------------------------------
def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"mounting needs privileges this machine does not give ({result.stderr})")


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    mounted: list[Path] = []
    yield mounted
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_read_only_data_folder(cli: Any, mounts: list[Path]) -> None:
    assert cli("senders", "add", "--server", "smtp.example.com", "--port", "587",
               "--encryption", "tls", "--address", ADDRESS).returncode == 0
    home = cli.home
    store = home / "bimail.db"
    before = digest(store)
    _mount("--bind", str(home), str(home))
    mounts.append(home)
    _mount("-o", "remount,ro,bind", str(home))
    for command in (("senders", "list"), ADD, ("records",)):
        error = error_of(cli("--json", *command), "store_unavailable")
        assert "read-only" in error["message"] and str(home) in error["message"]
    assert digest(store) == before


def test_full_disk(cli: Any, tmp_path: Path, mounts: list[Path]) -> None:
    disk = tmp_path / "small-disk"
    disk.mkdir()
    _mount("-t", "tmpfs", "-o", "size=768k", "tmpfs", str(disk))
    mounts.append(disk)
    db = f"sqlite:///{disk / 'bimail.db'}"
    assert cli("--db", db, "senders", "add", "--server", "smtp.example.com", "--port", "587",
               "--encryption", "tls", "--address", ADDRESS).returncode == 0
    filler = disk / "filler"
    try:
        with filler.open("wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
    except OSError:
        pass  # the disk is full
    store = disk / "bimail.db"
    before = digest(store)
    for command in (ADD, ("senders", "list")):
        error = error_of(cli("--db", db, "--json", *command), "store_unavailable")
        assert "disk" in error["message"] and "full" in error["message"]
    assert digest(store) == before
    filler.unlink()
    listed = cli("--db", db, "--json", "senders", "list")
    assert [s["address"] for s in listed.json()] == [ADDRESS]
