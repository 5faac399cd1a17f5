"""Hostile mail servers (real loopback sockets): the test mail and the diagnosis end within
their time, keep memory bounded, never leave a record pending, keep the server's own words
where they help (421) and never write a secret the server echoes back."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fake_oauth import FakeOAuthProvider
from fault_servers import (
    FaultServer,
    Peer,
    dripping_greeting,
    drop_mid_data,
    echo_credentials,
    ehlo_421,
    endless_multiline,
    greeting_421,
    huge_single_line,
    xoauth2_echo_token,
)

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import RecordFilter
from bimail_desktop.mail import oauth as oa
from bimail_desktop.services import Mailbox

ADDRESS = "bi@example.com"
USER = "bi-user@example.com"
PASSWORD = "Hostile-Pa55word!"
TIMEOUT = 3.0
SLACK = 5.0  # every run ends within its timeout plus this


def secret_forms(user: str = USER, password: str = PASSWORD) -> list[str]:
    b64 = lambda raw: base64.b64encode(raw.encode()).decode()  # noqa: E731
    return [password, b64(password), b64(f"\0{user}\0{password}")]


@pytest.fixture
def fault() -> Iterator[Callable[[Callable[[Peer], None]], FaultServer]]:
    servers: list[FaultServer] = []

    def start(behaviour: Callable[[Peer], None]) -> FaultServer:
        server = FaultServer(behaviour).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def add_sender(mailbox: Mailbox, server: FaultServer, password: str | None = None) -> None:
    mailbox.add_sender(
        {"server": server.host, "port": server.port, "encryption": "none",
         "address": ADDRESS, "username": USER if password else "", "rate_limit": 0},
        password=password,
    )
    mailbox.set_default_sender(ADDRESS)


def stored_text(mailbox: Mailbox, tmp_path: Path) -> str:
    """Everything the program keeps or exports about the sends: the raw database file,
    the records as dicts and the CSV export."""
    rows = list(mailbox.query_records(RecordFilter(), limit=1000))
    csv_path = tmp_path / "records.csv"
    mailbox.export_records_csv(RecordFilter(), csv_path)
    db = (tmp_path / "store.db").read_bytes().decode("latin-1")
    wal = tmp_path / "store.db-wal"
    if wal.exists():
        db += wal.read_bytes().decode("latin-1")
    return "\n".join([repr(rows), csv_path.read_text("utf-8-sig"), db])


def pending_records(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "store.db") as conn:
        return int(conn.execute(
            "SELECT count(*) FROM send_records WHERE result = 'pending'").fetchone()[0])


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.monotonic()
    try:
        result: object = fn()
    except BimailError as error:
        result = error
    return time.monotonic() - started, result


# -- time bounds -------------------------------------------------------------------------
@pytest.mark.parametrize("behaviour, code", [
    (dripping_greeting, ErrorCode.TIMEOUT),
    (endless_multiline, ErrorCode.DISCONNECTED),
    (huge_single_line, ErrorCode.DISCONNECTED),
])
def test_test_mail_ends_in_time_with_a_clear_error(mailbox, fault, tmp_path, behaviour, code):
    server = fault(behaviour)
    add_sender(mailbox, server)
    elapsed, result = timed(lambda: mailbox.send_test_mail("a@corp.test", timeout=TIMEOUT))
    assert elapsed < TIMEOUT + SLACK
    assert isinstance(result, BimailError) and result.code is code, result
    if behaviour is not dripping_greeting:
        # the protocol error quotes the server's first words
        assert ("ENDLESS" if behaviour is endless_multiline else "HUGE") in result.message()
    assert pending_records(tmp_path) == 0


@pytest.mark.parametrize("behaviour, code, words", [
    (dripping_greeting, ErrorCode.TIMEOUT, None),
    (endless_multiline, ErrorCode.DISCONNECTED, "ENDLESS capability line"),
    (huge_single_line, ErrorCode.DISCONNECTED, "HUGE"),
])
def test_diagnosis_ends_in_time_with_the_failing_step(mailbox, fault, behaviour, code, words):
    server = fault(behaviour)
    add_sender(mailbox, server)
    elapsed, report = timed(lambda: mailbox.diagnose(timeout=TIMEOUT))
    assert elapsed < TIMEOUT + SLACK
    failed = report.failed_step  # type: ignore[attr-defined]
    assert failed is not None and failed.error is not None
    assert failed.name == ("greeting" if behaviour is dripping_greeting else "ehlo")
    assert failed.error.code is code
    if words:
        assert words in failed.error.message()
    assert sum(len(line) for line in report.transcript) < 200_000  # type: ignore[attr-defined]


def test_cli_test_mail_and_diagnose_end_in_time_against_a_dripping_greeting(cli, fault):
    server = fault(dripping_greeting)
    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", ADDRESS).returncode == 0
    assert cli("default", "set", ADDRESS).returncode == 0
    for args in (["test-mail", "--to", "a@corp.test"], ["diagnose", "--sender", ADDRESS]):
        started = time.monotonic()
        result = cli("--json", *args, "--timeout", str(TIMEOUT), timeout=60)
        assert time.monotonic() - started < TIMEOUT + SLACK + 3  # + interpreter start-up
        assert result.returncode == 1, result
        data = json.loads(result.stdout)
        error = data["error"] if "error" in data and data["error"] else None
        assert error is not None and error["code"] == "timeout", data
    records = cli("--json", "records")
    assert [r["result"] for r in json.loads(records.stdout)] == ["failure"]


def test_test_mail_against_the_endless_reply_keeps_memory_bounded(tmp_path, fault):
    """Peak memory of a whole `test-mail` process against a server that never ends its
    multi-line reply (it used to grow by gigabytes)."""
    server = fault(endless_multiline)
    script = tmp_path / "run.py"
    script.write_text(
        "import json, resource, sys\n"
        "from bimail_desktop.services import Mailbox\n"
        "from bimail_desktop.secrets import SecretStore\n"
        "from bimail_desktop.domain.errors import BimailError\n"
        "box = Mailbox.open(sys.argv[1], secrets=SecretStore())\n"
        "box.add_sender({'server': '127.0.0.1', 'port': int(sys.argv[2]),"
        " 'encryption': 'none', 'address': 'bi@example.com'})\n"
        "box.set_default_sender('bi@example.com')\n"
        "try:\n"
        "    box.send_test_mail('a@corp.test', timeout=10)\n"
        "    code = 'sent'\n"
        "except BimailError as error:\n"
        "    code = error.code.value\n"
        # VmHWM is this program's own peak; ru_maxrss on Linux also counts the forked copy
        # of the test runner that existed before exec.
        "try:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    peak = int(status.split()[0]) // 1024\n"
        "except OSError:\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
        "print(json.dumps({'code': code, 'peak_mb': peak}))\n"
    )
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(script), f"sqlite:///{tmp_path / 'rss.db'}", str(server.port)],
        capture_output=True, text=True, timeout=120,
        env={"PYTHON_KEYRING_BACKEND": "bimail_test_keyring.MemoryKeyring",
             "PYTHONPATH": str(Path(__file__).parent / "support"),
             "BIMAIL_HOME": str(tmp_path / "home"), "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["code"] == "disconnected"
    assert data["peak_mb"] < 200
    assert time.monotonic() - started < 10 + SLACK + 5


# -- the server's own words ------------------------------------------------------------------
@pytest.mark.parametrize("behaviour, step", [(greeting_421, "greeting"), (ehlo_421, "ehlo")])
def test_421_keeps_the_servers_words(mailbox, fault, tmp_path, behaviour, step):
    server = fault(behaviour)
    add_sender(mailbox, server)
    with pytest.raises(BimailError) as caught:
        mailbox.send_test_mail("a@corp.test", timeout=TIMEOUT)
    assert caught.value.code is ErrorCode.DISCONNECTED
    assert "Too many connections" in caught.value.message()
    report = mailbox.diagnose(timeout=TIMEOUT)
    failed = report.failed_step
    assert failed is not None and failed.name == step and failed.error is not None
    assert failed.error.code is ErrorCode.DISCONNECTED
    assert "Too many connections" in failed.error.message()
    assert pending_records(tmp_path) == 0


def test_a_failure_after_connecting_keeps_the_ip_in_the_record(mailbox, fault):
    """The record of a mail refused after the connection was made (here a 421 after EHLO)
    shows the address this machine sent from, like a sent one; before connecting it is
    empty."""
    server = fault(ehlo_421)
    add_sender(mailbox, server)
    with pytest.raises(BimailError):
        mailbox.send_test_mail("a@corp.test", timeout=TIMEOUT)
    [record] = mailbox.query_records()
    assert record.error_code == "disconnected" and record.ip == "127.0.0.1"


def test_connection_dropped_mid_data_is_a_failure_not_pending(mailbox, fault, tmp_path):
    server = fault(drop_mid_data)
    add_sender(mailbox, server)
    elapsed, result = timed(lambda: mailbox.send_test_mail("a@corp.test", timeout=TIMEOUT))
    assert elapsed < TIMEOUT + SLACK
    assert isinstance(result, BimailError)
    assert result.code in (ErrorCode.DISCONNECTED, ErrorCode.INTERRUPTED)
    assert pending_records(tmp_path) == 0


# -- secrets echoed by the server -----------------------------------------------------------
def test_echoed_password_is_never_stored_shown_or_exported(mailbox, fault, tmp_path):
    server = fault(echo_credentials)
    add_sender(mailbox, server, password=PASSWORD)
    with pytest.raises(BimailError) as caught:
        mailbox.send_test_mail("a@corp.test", timeout=TIMEOUT)
    error = caught.value
    assert error.code is ErrorCode.AUTH_FAILED
    assert error.server_reply and "535" in error.server_reply and "********" in error.server_reply
    report = mailbox.diagnose(timeout=TIMEOUT, to="a@corp.test")
    failed = report.failed_step
    assert failed is not None and failed.name == "login"
    assert failed.error is not None and failed.error.code is ErrorCode.AUTH_FAILED
    report_path = tmp_path / "report.md"
    mailbox.export_diagnostics_report(report, report_path)
    texts = [
        json.dumps(error.to_dict()), error.message(), str(error),
        json.dumps(report.to_dict()), "\n".join(report.transcript),
        mailbox.diagnostics_report_text(report, "markdown"),
        mailbox.diagnostics_report_text(report, "json"),
        report_path.read_text("utf-8"), stored_text(mailbox, tmp_path),
    ]
    # the server did receive (and echo) the secrets: the test is not vacuous
    said = b"\n".join(server.received).decode()
    assert base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode() in said
    for text in texts:
        for form in secret_forms():
            assert form not in text


def test_echoed_password_never_printed_by_the_cli(cli, fault, tmp_path):
    server = fault(echo_credentials)
    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", ADDRESS, "--username", USER,
               "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    assert cli("default", "set", ADDRESS).returncode == 0
    report = tmp_path / "support.json"
    outputs = [
        cli("test-mail", "--to", "a@corp.test", "--timeout", "5"),
        cli("--json", "test-mail", "--to", "a@corp.test", "--timeout", "5"),
        cli("diagnose", "--sender", ADDRESS, "--timeout", "5"),
        cli("--json", "diagnose", "--sender", ADDRESS, "--timeout", "5",
            "--report", str(report)),
        cli("--json", "records"),
        cli("records", "--csv", str(tmp_path / "out.csv")),
    ]
    assert outputs[0].returncode == 1 and "auth_failed" in outputs[0].stdout + outputs[0].stderr
    texts = [o.stdout + o.stderr for o in outputs]
    texts += [report.read_text("utf-8"), (tmp_path / "out.csv").read_text("utf-8-sig")]
    for db in cli.home.glob("*.db*"):  # type: ignore[attr-defined]
        texts.append(db.read_bytes().decode("latin-1"))
    for text in texts:
        for form in secret_forms():
            assert form not in text


def test_xoauth2_token_echoed_by_the_server_is_never_stored(mailbox, fault, tmp_path):
    server = fault(xoauth2_echo_token)
    with FakeOAuthProvider() as idp:
        mailbox.add_sender({"server": server.host, "port": server.port, "encryption": "none",
                            "address": ADDRESS, "rate_limit": 0})
        mailbox.set_sender_oauth(ADDRESS, oa.CUSTOM, idp.settings())
        mailbox.set_default_sender(ADDRESS)
        mailbox.oauth_sign_in(ADDRESS, open_browser=lambda url: _follow(url), timeout=10)
        with pytest.raises(BimailError) as caught:
            mailbox.send_test_mail("a@corp.test", timeout=TIMEOUT)
        report = mailbox.diagnose(timeout=TIMEOUT)
        tokens = list(idp.issued)
    said = b"\n".join(server.received).decode()
    assert any(base64.b64encode(f"user={ADDRESS}\x01auth=Bearer {t}\x01\x01".encode()).decode()
               in said for t in tokens)  # the token did go out, and came back
    texts = [json.dumps(caught.value.to_dict()), caught.value.message(),
             json.dumps(report.to_dict()), "\n".join(report.transcript),
             mailbox.diagnostics_report_text(report, "markdown"),
             stored_text(mailbox, tmp_path)]
    for text in texts:
        for token in tokens:
            assert token not in text
            xo = f"user={ADDRESS}\x01auth=Bearer {token}\x01\x01"
            assert base64.b64encode(xo.encode()).decode() not in text


def _follow(url: str) -> None:
    import urllib.request

    urllib.request.urlopen(url, timeout=10).read()
