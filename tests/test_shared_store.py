"""A store shared by a team: many programs at once on SQLite, PostgreSQL and MariaDB.

Each test runs on every backend (a database with a unique name on the test machine's
PostgreSQL and MariaDB servers, dropped afterwards) with real processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text

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


# -- racing commands ----------------------------------------------------------------------
# runs `bimail ARGS…` in this process at a given moment (all racers start together)
RACER = """
import sys, time
start = float(sys.argv[1])
from bimail_desktop.cli import main
while time.time() < start:
    time.sleep(0.001)
raise SystemExit(main(sys.argv[2:]))
"""


def _race(cli: Any, commands: list[list[str]], delay: float = 4.0) -> list[tuple[int, str, str]]:
    start = time.time() + delay
    procs = [subprocess.Popen([sys.executable, "-c", RACER, repr(start), *command],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              encoding="utf-8", env=cli.env)
             for command in commands]
    return [(p.wait(timeout=120), *p.communicate()) for p in procs]


def test_rate_limit_holds_for_racing_processes(cli: Any, backend_url: str,
                                               smtp_server_factory: Any) -> None:
    server = smtp_server_factory("plain")
    db = ["--db", backend_url]
    assert cli(*db, "senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", "bi@example.com",
               "--rate-limit", "3").returncode == 0
    assert cli(*db, "default", "set", "bi@example.com").returncode == 0
    outcomes = _race(cli, [[*db, "--json", "test-mail", "--to", f"boss{i}@example.org",
                            "--timeout", "30"] for i in range(12)])
    assert not [err for _c, _o, err in outcomes if "Traceback" in err]
    codes = sorted(code for code, _o, _e in outcomes)
    assert codes == [0] * 3 + [1] * 9, outcomes
    refused = [json.loads(out)["error"]["code"] for code, out, _e in outcomes if code == 1]
    assert refused == ["rate_limited"] * 9
    assert len(server.messages) == 3


def test_non_ascii_upper_case_address_cannot_bypass_the_rate_limit(
        cli: Any, backend_url: str, smtp_server_factory: Any) -> None:
    server = smtp_server_factory("plain")
    db = ["--db", backend_url]
    assert cli(*db, "senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", "bot@bücher.de",
               "--rate-limit", "2").returncode == 0
    results = [cli(*db, "--json", "test-mail", "--sender", spelling, "--to", "a@example.org",
                   "--timeout", "10")
               for spelling in ("bot@BÜCHER.de", "BOT@bücher.de", "bot@xn--bcher-kva.de",
                                "Bot@Bücher.DE", "bot@BÜCHER.de")]
    assert [r.returncode for r in results] == [0, 0, 1, 1, 1], [r.stderr for r in results]
    assert len(server.messages) == 2
    # one sender, whatever the spelling: a second one is a duplicate
    dup = cli(*db, "--json", "senders", "add", "--server", server.host, "--port", "25",
              "--encryption", "none", "--address", "BOT@BÜCHER.DE")
    assert dup.returncode == 2 and dup.json()["error"]["code"] == "invalid_input"


def test_racing_default_set_and_remove_end_cleanly(cli: Any, backend_url: str) -> None:
    db = ["--db", backend_url]
    addresses = [f"s{i}@example.com" for i in range(8)]
    for address in addresses:
        assert cli(*db, "senders", "add", "--server", "smtp.example.com", "--port", "587",
                   "--encryption", "tls", "--address", address).returncode == 0
    commands = []
    for address in addresses:
        commands += [[*db, "--json", "default", "set", address],
                     [*db, "--json", "senders", "remove", address]]
    outcomes = _race(cli, commands)
    for code, out, err in outcomes:
        assert "Traceback" not in err, err
        assert code in (0, 2), (code, out, err)
        if code == 2:
            assert json.loads(out)["error"]["code"] in ("not_found", "changed_elsewhere")
    removals = [o for i, o in enumerate(outcomes) if i % 2 == 1]
    assert all(code == 0 for code, _o, _e in removals)  # nothing blocks a removal
    assert cli(*db, "--json", "senders", "list").json() == []
    assert cli(*db, "--json", "default", "show").returncode in (0, 3)


def test_an_edit_from_an_older_view_is_refused(backend_url: str) -> None:
    from bimail_desktop.domain.errors import BimailError, ErrorCode
    from bimail_desktop.secrets import SecretStore
    from bimail_desktop.services import Mailbox

    with Mailbox.open(backend_url, secrets=SecretStore()) as mine, \
            Mailbox.open(backend_url, secrets=SecretStore()) as theirs:
        shown = mine.add_sender({"server": "smtp.example.com", "port": 587,
                                 "encryption": "tls", "address": "bi@example.com"})
        theirs.edit_sender("bi@example.com", {"port": 465, "encryption": "ssl"},
                           expected_version=shown.version)
        try:
            mine.edit_sender("bi@example.com", {"show_name": "BI"},
                             expected_version=shown.version)
        except BimailError as error:
            assert error.code is ErrorCode.CHANGED_ELSEWHERE
        else:
            raise AssertionError("the older view overwrote the other admin's change")
        stored = mine.get_sender("bi@example.com")
        assert (stored.port, stored.show_name) == (465, "")
        again = mine.edit_sender("bi@example.com", {"show_name": "BI"},
                                 expected_version=stored.version)
        assert again.show_name == "BI" and again.port == 465


def test_a_password_stays_on_the_machine_it_was_entered_on(
        cli: Any, backend_url: str, smtp_server_factory: Any, tmp_path: Path) -> None:
    """Two machines share the store, each with its own keychain."""
    server = smtp_server_factory("plain")
    db = ["--db", backend_url]
    assert cli(*db, "senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", "bi@example.com", "--username", "bi",
               "--password-stdin", stdin="s3cret\n").returncode == 0
    assert cli(*db, "default", "set", "bi@example.com").returncode == 0
    other_env = {**cli.env, "BIMAIL_TEST_KEYRING_FILE": str(tmp_path / "other-keychain.json"),
                 "BIMAIL_HOME": str(tmp_path / "other-home")}

    def other(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bimail_desktop", *db, *args],
                              capture_output=True, text=True, encoding="utf-8", env=other_env,
                              timeout=60, input=input)

    sent = other("--json", "test-mail", "--to", "boss@example.org", "--timeout", "10")
    assert sent.returncode == 1 and "Traceback" not in sent.stderr
    error = json.loads(sent.stdout)["error"]
    assert error["code"] == "secret_unavailable"
    assert "not on this machine" in error["message"]
    assert "bimail senders edit bi@example.com --password-stdin" in error["message"]
    assert server.messages == [] and not server.handler.received_auth
    listed = json.loads(other("--json", "senders", "list").stdout)
    assert any("Password not on this machine" in w for w in listed[0]["warnings"])
    # entered there too: the warning goes
    assert other("senders", "edit", "bi@example.com", "--password-stdin",
                 input="s3cret\n").returncode == 0
    listed = json.loads(other("--json", "senders", "list").stdout)
    assert not any("not on this machine" in w for w in listed[0]["warnings"])
    # the first machine was never affected
    mine = cli(*db, "--json", "senders", "list").json()
    assert not any("not on this machine" in w for w in mine[0]["warnings"])


# -- same answers on every backend --------------------------------------------------------
def test_records_give_the_same_rows_on_every_backend(backend_url: str) -> None:
    """Accented, '#' and '&' addresses, Chinese template names, microsecond times: every
    filter answers what SQLite answers (the expected lists are SQLite's)."""
    from datetime import UTC, datetime, timedelta

    from helpers import add_records, record_row

    from bimail_desktop.domain.models import RecordFilter, SendResult
    from bimail_desktop.secrets import SecretStore
    from bimail_desktop.services import Mailbox

    base = datetime(2026, 3, 1, 8, 0, 0, 123456)
    rows = [
        ("bi#reports@exämple.com", "boss@example.com", "销售日报", "success"),
        ("bi#reports@example.com", "Ops&Alerts@Example.com", "Daily Sales", "failure"),
        ("BI@Acme.com", "zoë@exämple.com", "Weekly", "success"),
        ("alerts@acme.com", "r&d@example.org", "销售周报", "success"),
        ("bi@acme.com", "100%_done@example.org", "Daily_Sales", "failure"),
        ("bi@bücher.de", "leser@BÜCHER.de", "Test Mail", "success"),
    ]
    with Mailbox.open(backend_url, secrets=SecretStore()) as box:
        add_records(box, [record_row(i, sender=s, recipient=r, template=t, result=res,
                                     sent_at=base + timedelta(seconds=i, microseconds=i))
                          for i, (s, r, t, res) in enumerate(rows)])
        # an accented address is not a duplicate of its unaccented twin
        for address in ("bi#reports@exämple.com", "bi#reports@example.com"):
            box.add_sender({"server": "smtp.example.com", "port": 587, "encryption": "tls",
                            "address": address})

        def recipients(**kw: Any) -> list[str]:
            return [r.recipient for r in box.query_records(RecordFilter(**kw),
                                                           descending=False)]

        assert recipients(sender="exämple") == ["boss@example.com"]
        assert recipients(sender="example") == ["Ops&Alerts@Example.com"]
        assert recipients(recipient="exämple") == ["zoë@exämple.com"]
        assert recipients(recipient="EXAMPLE.COM") == ["boss@example.com",
                                                        "Ops&Alerts@Example.com"]
        assert recipients(sender="#reports") == ["boss@example.com", "Ops&Alerts@Example.com"]
        assert recipients(recipient="&") == ["Ops&Alerts@Example.com", "r&d@example.org"]
        assert recipients(recipient="100%") == ["100%_done@example.org"]
        assert recipients(template="_") == ["100%_done@example.org"]
        assert recipients(template="日报") == ["boss@example.com"]
        assert recipients(sender="bi@acme") == ["zoë@exämple.com", "100%_done@example.org"]
        assert recipients(recipient="bücher") == ["leser@BÜCHER.de"]
        assert recipients(result=SendResult.FAILURE) == ["Ops&Alerts@Example.com",
                                                         "100%_done@example.org"]
        since = datetime(2026, 3, 1, 8, 0, 2, tzinfo=UTC)
        assert recipients(since=since, until=since + timedelta(seconds=2)) == [
            "zoë@exämple.com", "r&d@example.org"]
        first = box.query_records(RecordFilter(), descending=False, limit=1)[0]
        assert first.sent_at.microsecond == 123456
        assert box.count_records(RecordFilter(sender="ä")) == 1


def test_another_machine_marks_the_sends_of_a_stopped_machine_interrupted(
        backend_url: str) -> None:
    from datetime import timedelta

    from helpers import add_records, record_row, stored_records
    from sqlalchemy import insert

    from bimail_desktop.domain.clock import now_naive
    from bimail_desktop.secrets import SecretStore
    from bimail_desktop.services import Mailbox
    from bimail_desktop.services.sending import HOST_GRACE
    from bimail_desktop.store.schema import StoreHostRow

    now = now_naive()
    late = now - HOST_GRACE - timedelta(minutes=1)
    with Mailbox.open(backend_url, secrets=SecretStore()) as box:
        with box.store.write() as session:
            session.execute(insert(StoreHostRow), [
                {"host_id": "stopped-host", "host_name": "stopped-host", "last_seen": late},
                {"host_id": "busy-host", "host_name": "busy-host",
                 "last_seen": now - timedelta(seconds=30)},
            ])
        add_records(box, [
            record_row(0, result="pending", sent_at=late, process_id=4242,
                       error_message="sending from stopped-host"),
            record_row(1, result="pending", sent_at=late, process_id=4242,
                       error_message="sending from busy-host"),
        ])
    # another machine starts the program: the stopped machine's send is interrupted, the
    # busy machine's (seen 30 s ago) stays pending
    with Mailbox.open(backend_url, secrets=SecretStore()) as other:
        rows = {r.message_id: r for r in stored_records(other)}
        stopped, busy = rows["<0@bimail>"], rows["<1@bimail>"]
        assert (stopped.result, stopped.error_code) == ("failure", "interrupted")
        assert busy.result == "pending"


def test_a_machine_that_sends_says_it_is_alive(cli: Any, backend_url: str,
                                               smtp_server_factory: Any) -> None:
    from bimail_desktop.secrets import SecretStore
    from bimail_desktop.services import Mailbox
    from bimail_desktop.store.schema import StoreHostRow

    server = smtp_server_factory("plain")
    db = ["--db", backend_url]
    assert cli(*db, "senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", "bi@example.com").returncode == 0
    assert cli(*db, "default", "set", "bi@example.com").returncode == 0
    with Mailbox.open(backend_url, secrets=SecretStore()) as box:
        with box.store.read() as session:
            assert session.scalars(select(StoreHostRow.host_id)).all() == []
    assert cli(*db, "test-mail", "--to", "boss@example.org").returncode == 0
    with Mailbox.open(backend_url, secrets=SecretStore()) as box:
        with box.store.read() as session:
            assert len(session.scalars(select(StoreHostRow.host_id)).all()) == 1


def test_cli_edit_from_an_older_version_changes_nothing(cli: Any) -> None:
    assert cli("senders", "add", "--server", "smtp.example.com", "--port", "587",
               "--encryption", "tls", "--address", "bi@example.com").returncode == 0
    shown = cli("--json", "senders", "list").json()[0]["version"]
    assert cli("senders", "edit", "bi@example.com", "--port", "465", "--encryption", "ssl",
               "--if-version", str(shown)).returncode == 0
    stale = cli("--json", "senders", "edit", "bi@example.com", "--show-name", "BI",
                "--if-version", str(shown))
    assert stale.returncode == 2 and stale.json()["error"]["code"] == "changed_elsewhere"
    now = cli("--json", "senders", "list").json()[0]
    assert (now["port"], now["show_name"], now["version"]) == (465, "", shown + 1)
