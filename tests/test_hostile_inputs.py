"""Hostile input to the `bimail` command and the Python API: dates and numbers out of range,
NaN and infinity, devices and pipes given as files, paths that are folders, arguments that
are not text or absurdly long. Each one is refused with exit 2 and ``invalid_input`` naming
the option, nothing is changed, and memory stays bounded.

The CLI runs in this process through its ``main`` (output captured), and in a few cases as a
real program (argv as the system passes it: bytes that are not UTF-8, a pipe, a memory cap).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bimail_desktop.cli import main
from bimail_desktop.domain import validation
from bimail_desktop.domain.errors import InvalidInput
from bimail_desktop.services import Mailbox
from bimail_desktop.store.schema import SendRecordRow, TemplateRow


@dataclass
class Run:
    code: int
    out: str
    err: str

    def refused(self, option: str) -> bool:
        """Exit 2, the invalid_input code and the option named (text or JSON output)."""
        text = self.out + self.err
        return self.code == 2 and "invalid_input" in text and option in text \
            and "Traceback" not in text


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hostile.db'}"


@pytest.fixture
def bimail(db: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`bimail ARGS` in this process against the test's own store; returns a :class:`Run`."""
    # the root logger is set up by the first command of the session; no console handler
    # bound to a captured stream of an earlier test
    monkeypatch.setattr(logging.getLogger(), "_bimail_configured", True, raising=False)

    def run(*args: str, db_url: str | None = db) -> Run:
        out, err = io.StringIO(), io.StringIO()
        argv = (["--db", db_url] if db_url else []) + list(args)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's own refusals
                code = int(exc.code or 0)
        return Run(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def store(db: str) -> Iterator[Mailbox]:
    box = Mailbox.open(db)
    yield box
    box.close()


def _record(days_ago: int) -> SendRecordRow:
    return SendRecordRow(message_id="<old@bimail>", sender="bi@acme.com", ip="10.0.0.5",
                         recipient="boss@acme.com", template="Daily", resources="[]",
                         sent_at=datetime.now(UTC).replace(tzinfo=None)
                         - timedelta(days=days_ago), result="success")


def _counts(box: Mailbox) -> tuple[int, int, int]:
    from sqlalchemy import func, select

    with box.store.read() as session:
        return (session.scalar(select(func.count()).select_from(SendRecordRow)) or 0,
                session.scalar(select(func.count()).select_from(TemplateRow)) or 0,
                len(box.list_senders()))


# -- dates -----------------------------------------------------------------------------------
@pytest.mark.parametrize("option,value", [
    ("--since", "0001-01-01"),      # ValueError (year 0) before
    ("--until", "9999-12-31"),      # OverflowError before
    ("--since", "1900-01-01"),
    ("--until", "0001-01-01"),
    ("--since", "9999-12-31T23:59:59-01:00"),
    ("--until", "0001-01-01T00:00:00+14:00"),
    ("--since", "2024-13-01"),
    ("--until", "2024-05-01T25:00"),
    ("--since", "9" * 5000),
])
def test_records_dates_out_of_range_are_refused(bimail: Any, option: str, value: str) -> None:
    run = bimail("records", option, value)
    assert run.refused(option), run


def test_records_dates_at_the_ends_of_the_range_are_accepted(bimail: Any) -> None:
    run = bimail("records", "--since", "1900-01-02", "--until", "9999-12-30")
    assert run.code == 0, run
    assert "No sending records match." in run.out
    run = bimail("--json", "records", "--since", "1900-01-02T00:00:00+14:00")
    assert run.code == 0 and json.loads(run.out) == []


def test_records_date_error_in_json_names_the_option(bimail: Any) -> None:
    run = bimail("--json", "records", "--until", "9999-12-31")
    assert run.code == 2
    error = json.loads(run.out)["error"]
    assert error["code"] == "invalid_input" and error["field"] == "--until"
    assert "1900-01-02" in error["message"] and "9999-12-30" in error["message"]


def test_a_range_error_reads_in_chinese(bimail: Any) -> None:
    run = bimail("--lang", "zh_CN", "records", "--delete-older-than", "0")
    assert run.refused("--delete-older-than"), run
    assert "0 超出范围；请提供 1 到 36,600 之间的整数" in run.err
    run = bimail("--lang", "zh_CN", "records", "--since", "0001-01-01")
    assert "请提供 1900-01-02 到 9999-12-30 之间的日期" in run.err
    run = bimail("--lang", "zh_CN", "records", "--sender", "a\x00b")
    assert run.refused("--sender") and "包含 NUL 字节" in run.err


def test_the_api_refuses_a_filter_outside_the_date_range(store: Mailbox) -> None:
    from bimail_desktop.domain.models import RecordFilter

    with pytest.raises(InvalidInput) as refused:
        store.query_records(RecordFilter(since=datetime(1, 1, 1)))
    assert refused.value.field == "since"
    with pytest.raises(InvalidInput):
        store.count_records(RecordFilter(until=datetime(9999, 12, 31, 23, 0, tzinfo=UTC)))


# -- retention -------------------------------------------------------------------------------
@pytest.mark.parametrize("days", ["99999999999999999999", "36601", "0", "-5", "1e3", "nan",
                                  "inf", "１０", "", "365 days"])
def test_delete_older_than_out_of_range_deletes_nothing(bimail: Any, store: Mailbox,
                                                       days: str) -> None:
    with store.store.write() as session:
        session.add(_record(days_ago=40_000))
    before = _counts(store)
    run = bimail("records", "--delete-older-than", days, "--yes")
    assert run.refused("--delete-older-than"), run
    assert _counts(store) == before


def test_delete_older_than_the_largest_allowed_period_works(bimail: Any, store: Mailbox) -> None:
    with store.store.write() as session:
        session.add_all([_record(days_ago=40_000), _record(days_ago=1)])
    run = bimail("records", "--delete-older-than", str(validation.MAX_RETENTION_DAYS), "--yes")
    assert run.code == 0, run
    assert "1 sending record older than 36600 days deleted." in run.out
    assert _counts(store)[0] == 1


def test_the_api_refuses_a_retention_period_out_of_range(store: Mailbox) -> None:
    for days in (10**20, 0, 36_601, 1.5, "365", True):
        with pytest.raises(InvalidInput) as refused:
            store.delete_records_older_than(days)  # type: ignore[arg-type]
        assert refused.value.field == "days"


# -- limits, offsets, timeouts, ports --------------------------------------------------------
@pytest.mark.parametrize("args,option", [
    (["records", "--limit", "0"], "--limit"),
    (["records", "--limit", "10001"], "--limit"),
    (["records", "--limit", "nan"], "--limit"),
    (["records", "--limit", "1e3"], "--limit"),
    (["records", "--limit", "9" * 5000], "--limit"),
    (["records", "--offset", "99999999999999999999"], "--offset"),
    (["records", "--offset", "-1"], "--offset"),
    (["test-mail", "--to", "a@example.com", "--timeout", "nan"], "--timeout"),
    (["test-mail", "--to", "a@example.com", "--timeout", "inf"], "--timeout"),
    (["test-mail", "--to", "a@example.com", "--timeout", "0"], "--timeout"),
    (["send", "--template", "Test Mail", "--to", "a@example.com", "--timeout", "-1"],
     "--timeout"),
    (["diagnose", "--server", "127.0.0.1", "--timeout", "nan"], "--timeout"),
    (["diagnose", "--server", "127.0.0.1", "--timeout", "1e308"], "--timeout"),
    (["detect", "bi@example.com", "--timeout", "inf"], "--timeout"),
    (["diagnose", "--detect", "bi@example.com", "--timeout", "-inf"], "--timeout"),
    (["senders", "sign-in", "bi@example.com", "--timeout", "nan"], "--timeout"),
    (["senders", "sign-in", "bi@example.com", "--port", "70000"], "--port"),
    (["senders", "sign-in", "bi@example.com", "--port", "-1"], "--port"),
    (["detect", "bi@example.com", "--candidate", "127.0.0.1:99999:tls"], "candidate"),
    (["detect", "bi@example.com", "--candidate", "127.0.0.1:0:tls"], "candidate"),
    (["senders", "add", "--server", "smtp.example.com", "--address", "bi@example.com",
      "--port", "65536"], "port"),
    (["senders", "add", "--server", "smtp.example.com", "--address", "bi@example.com",
      "--rate-limit", "inf"], "rate_limit"),
    (["relay", "retry", "99999999999999999999999"], "id"),
    (["relay", "serve", "--max-size", "nan"], "max_size"),
    (["relay", "serve", "--max-size", "inf"], "max_size"),
    (["relay", "serve", "--max-clients", "99999999999999999999"], "max_clients"),
    (["relay", "serve", "--listen", "999.1.1.1:99999"], "listen"),
    (["relay", "serve", "--listen", "127.0.0.1:0", "--allow", "300.0.0.0/99"], "allow"),
    (["relay", "serve", "--tls-cert", "/dev/zero", "--tls-key", "/dev/zero"], "tls_cert"),
    (["records", "--resend-failed", "99999999999999999999"], "--resend-failed"),
    (["trust", "pin", "--server", "127.0.0.1", "--port", "nan", "--yes"], "port"),
])
def test_numbers_out_of_range_are_refused_before_anything_runs(
        bimail: Any, store: Mailbox, args: list[str], option: str) -> None:
    before = _counts(store)
    run = bimail(*args)
    assert run.refused(option), run
    assert _counts(store) == before


# -- files that are not files ----------------------------------------------------------------
@pytest.mark.parametrize("args,option", [
    (["templates", "add", "Daily", "--subject", "Daily", "--html-file", "/dev/zero"],
     "--html-file"),
    (["templates", "update", "Test Mail", "--html-file", "/dev/urandom"], "--html-file"),
    (["config", "import", "/dev/zero"], "file"),
    (["trust", "add", "--pem", "/dev/zero"], "--pem"),
    (["config", "import", "/"], "file"),
    (["templates", "add", "Daily", "--subject", "Daily", "--html-file", "/"], "--html-file"),
])
def test_devices_and_folders_are_not_read(bimail: Any, store: Mailbox, args: list[str],
                                          option: str) -> None:
    before = _counts(store)
    run = bimail(*args)
    assert run.refused(option), run
    assert _counts(store) == before


def test_a_named_pipe_is_refused_at_once(bimail: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "config.json"
    os.mkfifo(fifo)  # nobody writes: reading it would wait forever
    run = bimail("config", "import", str(fifo))
    assert run.refused("file"), run
    assert "not a regular file" in run.err
    run = bimail("templates", "add", "Daily", "--subject", "S", "--html-file", str(fifo))
    assert run.refused("--html-file"), run


@pytest.mark.parametrize("kind", ["config", "template"])
def test_a_file_larger_than_8_mb_is_refused_in_bounded_memory(cli: Any, tmp_path: Path,
                                                              kind: str) -> None:
    """A 4 GB (sparse) file, under a 1.5 GB address-space cap: read whole, it could not
    fit; it is refused after reading at most 8 MB."""
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(4 * 1024**3)
    args = (["config", "import", str(huge)] if kind == "config" else
            ["templates", "add", "Huge", "--subject", "S", "--html-file", str(huge)])

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, 1536 * 1024**2))

    proc = subprocess.run([sys.executable, "-m", "bimail_desktop", *args],
                          capture_output=True, text=True, encoding="utf-8", env=cli.env,
                          timeout=120, preexec_fn=cap)
    assert proc.returncode == 2, proc.stderr
    assert "invalid_input" in proc.stderr and "larger than 8 MB" in proc.stderr
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr


def test_an_attachment_larger_than_50_mb_is_refused_before_sending(
        bimail: Any, store: Mailbox, tmp_path: Path) -> None:
    huge = tmp_path / "cube.xlsx"
    with open(huge, "wb") as handle:
        handle.truncate(1024**3)  # sparse: no disk used; read whole it would take 1 GB
    before = _counts(store)
    run = bimail("send", "--template", "Test Mail", "--to", "boss@example.com",
                 "--resource", str(huge))
    assert run.refused("resources"), run
    assert "larger than 50 MB" in run.err
    run = bimail("send", "--template", "Test Mail", "--to", "boss@example.com",
                 "--resource", "/dev/zero")
    assert run.refused("resources"), run
    assert _counts(store) == before


def test_a_template_body_up_to_the_bound_is_read(bimail: Any, store: Mailbox,
                                                 tmp_path: Path) -> None:
    body = tmp_path / "daily.html"
    body.write_text("<p>${name}</p>", encoding="utf-8")
    run = bimail("templates", "add", "Daily", "--subject", "Daily ${name}", "--html-file",
                 str(body))
    assert run.code == 0, run
    assert store.get_template("Daily") is not None


@pytest.mark.parametrize("target", ["/", ".", "missing-folder/config.json"])
def test_config_export_to_a_folder_or_a_missing_folder_is_refused(
        bimail: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    monkeypatch.chdir(tmp_path)
    run = bimail("config", "export", target)
    assert run.refused("file"), run
    assert not list(tmp_path.rglob("*.part"))


# -- arguments that are not text -------------------------------------------------------------
@pytest.mark.parametrize("args,option", [
    (["records", "--sender", "bi\x00@acme.com"], "--sender"),
    (["senders", "add", "--server", "smtp.example.com", "--address=bi\x00@example.com"],
     "--address"),
    (["templates", "add", "Da\x00ily", "--subject", "S", "--html-file", "x.html"],
     "argument 5"),  # counted in argv, after --db URL
    (["records", "--template", "caf\udce9"], "--template"),
    (["send", "--template=Test Mail", "--to=a@example.com", "--var=--"], "--var"),
    (["records", "--sender=--"], "--sender"),
    (["records", "--recipient", "x" * 65_536], "--recipient"),
    (["senders", "add", "--server", "s" * 65_536, "--address", "bi@example.com"], "--server"),
])
def test_arguments_that_are_not_usable_text_are_refused(bimail: Any, store: Mailbox,
                                                        args: list[str], option: str) -> None:
    before = _counts(store)
    run = bimail(*args)
    assert run.refused(option), run
    assert _counts(store) == before


def test_non_utf8_and_huge_arguments_from_the_system(cli: Any) -> None:
    """As a real program: argv bytes that are not UTF-8 reach Python as surrogates."""
    env = {**cli.env, "LC_ALL": "C.UTF-8"}
    proc = subprocess.run([sys.executable.encode(), b"-m", b"bimail_desktop", b"records",
                           b"--sender", b"caf\xe9"], capture_output=True, env=env, timeout=60)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.decode("utf-8")
    assert "invalid_input" in err and "--sender" in err and "UTF-8" in err
    assert "Traceback" not in err
    proc = subprocess.run([sys.executable, "-m", "bimail_desktop", "senders", "add",
                           "--server", "smtp.example.com", "--address", "a" * 65_536],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=60)
    assert proc.returncode == 2 and "--address" in proc.stderr
    assert "16,384" in proc.stderr and "Traceback" not in proc.stderr
    assert "No senders yet" in cli("senders", "list").stdout


def test_long_arguments_under_the_bound_still_work(bimail: Any) -> None:
    run = bimail("records", "--recipient", "x" * validation.MAX_ARGUMENT)
    assert run.code == 0, run


# -- the Python API --------------------------------------------------------------------------
def test_send_with_no_recipients_names_to(store: Mailbox) -> None:
    for to in (None, 5, [None], ["a@example.com", 7], b"a@example.com"):
        with pytest.raises(InvalidInput) as refused:
            store.send("Test Mail", to)  # type: ignore[arg-type]
        assert refused.value.field == "to", to
    with pytest.raises(InvalidInput) as refused:
        store.send_test_mail(None)  # type: ignore[arg-type]
    assert refused.value.field == "to"


@pytest.mark.parametrize("call,field", [
    (lambda box: box.send(["Daily"], "a@example.com"), "template"),
    (lambda box: box.send("Test Mail", "a@example.com", resources=None), "resources"),
    (lambda box: box.send("Test Mail", "a@example.com", variables="name=Ann"), "variables"),
    (lambda box: box.send("Test Mail", "a@example.com", timeout=float("nan")), "timeout"),
    (lambda box: box.send_test_mail("a@example.com", timeout=float("inf")), "timeout"),
    (lambda box: box.send_test_mail("a@example.com", settings=5), "settings"),
    (lambda box: box.add_sender(None), "settings"),
    (lambda box: box.remove_sender(5), "address"),
    (lambda box: box.add_template(b"Daily", "S", "<p>x</p>"), "name"),
    (lambda box: box.add_template("Daily", "S", None), "html"),
    (lambda box: box.query_records(5), "flt"),
    (lambda box: box.query_records(sort=[]), "sort"),
    (lambda box: box.query_records(limit=float("nan")), "limit"),
    (lambda box: box.get_record(None), "record_id"),
    (lambda box: box.get_record(""), "id"),
    (lambda box: box.export_records_csv(None, None), "path"),
    (lambda box: box.trust_import_ca(5), "data"),
    (lambda box: box.fetch_certificate("127.0.0.1", None, "tls"), "port"),
    (lambda box: box.diagnose(timeout=float("nan")), "timeout"),
    (lambda box: box.diagnose(settings=[]), "settings"),
    (lambda box: box.detect_settings(5), "address"),
    (lambda box: box.detect_settings("bi@example.com", candidates=["x"]), "candidates"),
    (lambda box: box.detect_settings("bi@example.com", timeout=-1.0), "timeout"),
    (lambda box: box.import_config_file(None), "path"),
    (lambda box: box.import_config(None), "file"),
    (lambda box: box.next_send_allowed_in(None), "sender_address"),
    (lambda box: box.add_relay_user(5, "pw"), "name"),
    (lambda box: box.relay_retry(float("inf")), "message"),
    (lambda box: box.relay_retry("x"), "id"),
    (lambda box: box.sender_warnings(None), "sender"),
])
def test_the_api_names_the_argument_of_the_wrong_kind(store: Mailbox, call: Any,
                                                      field: str) -> None:
    before = _counts(store)
    with pytest.raises(InvalidInput) as refused:
        call(store)
    assert refused.value.field == field, refused.value
    assert _counts(store) == before


def test_a_wrong_kind_reads_in_both_languages(store: Mailbox) -> None:
    with pytest.raises(InvalidInput) as refused:
        store.send("Test Mail", "a@example.com", timeout=float("nan"))
    assert refused.value.problem_text("en") == "give a finite number, not nan"
    assert refused.value.problem_text("zh_CN") == "请提供有限的数字，而不是 nan"


# -- the window uses the same ranges ---------------------------------------------------------
def test_the_window_fields_use_the_same_ranges(qtbot: Any, store: Mailbox) -> None:
    from bimail_desktop.gui.records_page import RecordsPage
    from bimail_desktop.gui.sender_dialog import SenderDialog

    page = RecordsPage(store)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.shown_total() is not None and not page.runner.busy)
    assert page.ui.retentionDaysSpin.maximum() == validation.MAX_RETENTION_DAYS
    latest = page.ui.untilDateEdit.maximumDate()
    assert (latest.year(), latest.month(), latest.day()) == (9999, 12, 30)
    page.ui.untilDateEdit.setDate(latest)
    page.ui.sinceDateEdit.setDate(page.ui.sinceDateEdit.minimumDate().addDays(1))
    page.current_filter()  # the last day the window offers converts without an error
    qtbot.waitUntil(lambda: not page.runner.busy)
    dialog = SenderDialog(store)
    qtbot.addWidget(dialog)
    assert (dialog.ui.portSpin.minimum(), dialog.ui.portSpin.maximum()) == (1, 65535)
    assert dialog.ui.rateLimitSpin.maximum() == validation.MAX_RATE_LIMIT
