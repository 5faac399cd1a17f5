"""Each sender's last check (its last test mail or diagnosis): time and result, in the
Python API, in `bimail senders list --json` as `last_check`, and in the Senders page's
sortable "Last check" column. Real aiosmtpd servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from smtp_servers import SmtpTestServer

from bimail_desktop.domain.models import SendFailed
from bimail_desktop.services import Mailbox

ServerFactory = Callable[..., SmtpTestServer]


def add(mailbox: Mailbox, address: str, port: int) -> None:
    mailbox.add_sender({"server": "127.0.0.1", "port": port, "encryption": "none",
                        "address": address, "rate_limit": 0}, password=None)


def test_test_mail_and_diagnosis_are_noted(
    mailbox: Mailbox, smtp_server_factory: ServerFactory, unused_port: int
) -> None:
    server = smtp_server_factory("plain")
    add(mailbox, "good@example.com", server.port)
    add(mailbox, "bad@example.com", unused_port)
    assert mailbox.last_checks() == {}

    before = datetime.now(UTC) - timedelta(seconds=1)
    mailbox.send_test_mail("admin@example.org", sender="good@example.com", timeout=10)
    with pytest.raises(SendFailed):
        mailbox.send_test_mail("admin@example.org", sender="bad@example.com", timeout=5)
    checks = mailbox.last_checks()
    good, bad = checks["good@example.com"], checks["bad@example.com"]
    assert (good.kind, good.result, good.error_code) == ("test_mail", "success", None)
    assert (bad.kind, bad.result, bad.error_code) == ("test_mail", "failure",
                                                        "connect_refused")
    assert good.at >= before

    # a diagnosis is a check too; the newest one counts
    report = mailbox.diagnose(sender="good@example.com", timeout=10)
    assert report.ok
    assert mailbox.last_check("GOOD@example.com").kind == "diagnosis"  # type: ignore[union-attr]
    # the unsaved form's values: noted for the address typed in the form
    mailbox.send_test_mail("admin@example.org", timeout=10, settings={
        "server": "127.0.0.1", "port": server.port, "encryption": "none",
        "address": "new@example.com"}, password="")
    assert mailbox.last_check("new@example.com").ok  # type: ignore[union-attr]


def test_cli_lists_the_last_check(cli: Any, smtp_server_factory: ServerFactory) -> None:
    server = smtp_server_factory("plain")
    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", "bi@example.com").returncode == 0
    listed = cli("--json", "senders", "list").json()
    assert listed[0]["last_check"] is None  # type: ignore[index]
    assert cli("test-mail", "--to", "a@example.org", "--sender", "bi@example.com"
               ).returncode == 0
    check = cli("--json", "senders", "list").json()[0]["last_check"]  # type: ignore[index]
    assert check["kind"] == "test_mail" and check["result"] == "success"
    assert datetime.fromisoformat(check["at"]).tzinfo is not None
    text = cli("senders", "list").stdout
    assert "Last check" in text and "test mail: success" in text
    chinese = cli("--lang", "zh_CN", "senders", "list").stdout
    assert "测试邮件：成功" in chinese and "test mail" not in chinese


def test_senders_page_shows_and_sorts_by_the_last_check(
    qtbot: Any, mailbox: Mailbox, smtp_server_factory: ServerFactory, unused_port: int
) -> None:
    from bimail_desktop.gui.senders_page import LAST_CHECK_COLUMN, SendersPage

    server = smtp_server_factory("plain")
    add(mailbox, "a-never@example.com", server.port)
    add(mailbox, "b-good@example.com", server.port)
    add(mailbox, "c-bad@example.com", unused_port)
    mailbox.send_test_mail("x@example.org", sender="b-good@example.com", timeout=10)
    with pytest.raises(SendFailed):
        mailbox.send_test_mail("x@example.org", sender="c-bad@example.com", timeout=5)

    page = SendersPage(mailbox)
    qtbot.addWidget(page)
    page.show()
    table = page.ui.senderTable
    header = table.horizontalHeaderItem(LAST_CHECK_COLUMN)
    assert header is not None and header.text() == "Last check"

    def column(col: int) -> list[str]:
        return [table.item(r, col).text() for r in range(table.rowCount())]

    checks = dict(zip(column(0), column(LAST_CHECK_COLUMN), strict=True))
    assert checks["a-never@example.com"] == "Never"
    assert checks["b-good@example.com"].endswith("✔ Test mail")
    assert checks["c-bad@example.com"].endswith("✘ Test mail")
    assert "refused" in table.item(column(0).index("c-bad@example.com"),
                                   LAST_CHECK_COLUMN).toolTip().lower()

    # a click on a header sorts by that column; a second click reverses it
    bar = table.horizontalHeader()
    qtbot.mouseClick(bar.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(bar.sectionViewportPosition(0) + 5, 5))
    first = column(0)
    qtbot.mouseClick(bar.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(bar.sectionViewportPosition(0) + 5, 5))
    assert column(0) == list(reversed(first)) and sorted(first) in (first, column(0))
    # the selected sender is the one the buttons act on, whatever the order
    table.selectRow(0)
    selected = page.selected_sender()
    assert selected is not None and selected.address == column(0)[0]


def test_a_note_that_cannot_be_written_never_fails_the_check(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Racing processes insert the same sender's note (the loser's insert is refused: it
    updates on its second try); an unwritable store loses the note, not the check."""
    from contextlib import contextmanager

    from sqlalchemy.exc import IntegrityError

    real_write = mailbox.store.write
    failures = {"left": 1}

    @contextmanager
    def flaky_write():  # type: ignore[no-untyped-def]
        if failures["left"]:
            failures["left"] -= 1
            raise IntegrityError("INSERT INTO preferences", {}, Exception("duplicate key"))
        with real_write() as session:
            yield session

    monkeypatch.setattr(mailbox.checks.store, "write", flaky_write)
    mailbox.checks.note_check("bi@example.com", "test_mail", True)
    assert mailbox.last_check("bi@example.com") is not None  # second attempt wrote it
    failures["left"] = 5
    mailbox.checks.note_check("bi@example.com", "diagnosis", False, "timeout")  # no raise
    assert mailbox.last_check("bi@example.com").kind == "test_mail"  # type: ignore[union-attr]
