"""Records the admin can act on: context menu and shortcuts (copy, details, send again to
the failed recipients — new records), quick date ranges and date fields that behave."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QTextBrowser
from smtp_servers import SmtpTestServer

from bimail_desktop.domain.errors import CATALOGUE, ErrorCode
from bimail_desktop.gui.records_page import RecordsPage
from bimail_desktop.services import Mailbox
from bimail_desktop.store.schema import SendRecordRow

ServerFactory = Callable[..., SmtpTestServer]


@pytest.fixture
def page(qtbot: Any, mailbox: Mailbox) -> Iterator[RecordsPage]:
    shown = RecordsPage(mailbox)
    qtbot.addWidget(shown)
    shown.resize(960, 560)
    shown.show()
    qtbot.waitUntil(lambda: shown.shown_total() is not None and not shown.runner.busy)
    yield shown
    shown.shutdown()


def wait_total(qtbot: Any, page: RecordsPage, total: int) -> None:
    qtbot.waitUntil(lambda: page.model.filter == page.current_filter()
                    and page.shown_total() == total and not page.runner.busy, timeout=10_000)


def select_row(qtbot: Any, page: RecordsPage, recipient: str) -> int:
    model = page.model
    for row in range(model.rowCount()):
        rec = model.record(row)
        if rec is not None and rec.recipient == recipient:
            page.ui.recordsTable.selectRow(row)
            return row
    raise AssertionError(f"{recipient} not in the table")


def test_context_menu_copy_details_and_send_again(
    qtbot: Any, mailbox: Mailbox, page: RecordsPage, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user here"
    mailbox.add_sender({"server": server.host, "port": server.port, "encryption": "none",
                        "address": "bi@example.com", "rate_limit": 0}, password=None)
    mailbox.set_default_sender("bi@example.com")
    mailbox.add_template("Daily", "Sales of ${day}", "<p>Sales of ${day}</p>")
    mailbox.send("Daily", ["a@example.org", "nobody@example.org"], variables={"day": "Mon"},
                 timeout=10)
    page.poll()
    wait_total(qtbot, page, 2)

    select_row(qtbot, page, "a@example.org")
    assert not page.resendAction.isEnabled()  # delivered: nothing to send again
    select_row(qtbot, page, "nobody@example.org")
    menu = page.context_menu()
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names == ["showDetailsAction", "copyRecordAction", "copyRowsAction",
                     "resendFailedAction"]
    assert page.resendAction.isEnabled()

    # Ctrl+C on the table: the selected rows as tab-separated text with the header
    page.ui.recordsTable.selectAll()
    page.ui.recordsTable.setFocus()
    qtbot.keyClick(page.ui.recordsTable, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0].split("\t") == ["Sender", "IP Address", "Receive Email", "Template Name",
                                    "Accessed Resources", "Send Time", "Send Result"]
    assert len(lines) == 3
    rejected = next(line.split("\t") for line in lines if "nobody@" in line)
    assert rejected[6] == CATALOGUE[ErrorCode.RECIPIENT_REJECTED].title
    assert rejected[2] == "nobody@example.org" and rejected[0] == "bi@example.com"

    select_row(qtbot, page, "nobody@example.org")
    text = page.copy_record()
    assert QApplication.clipboard().text() == text
    assert "Receive Email: nobody@example.org" in text and "recipient_rejected" in text
    assert "No such user here" in text

    details = page.show_details()
    assert details is not None  # deletes itself when closed
    browser = details.findChild(QTextBrowser)
    assert "nobody@example.org" in browser.toPlainText()
    browser.setFocus()
    details.close()
    qtbot.waitUntil(page.ui.recordsTable.hasFocus)  # focus back where the admin was

    # send again: the template's placeholder is asked for, a new mail goes only to the
    # failed recipient, a new record appears; the old failure stays
    del server.handler.rcpt_replies["nobody@example.org"]
    select_row(qtbot, page, "nobody@example.org")
    page.ui.recordsTable.setFocus()
    qtbot.keyClick(page.ui.recordsTable, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = page.resend_dialog  # deletes itself when closed
    day = dialog.findChild(QLineEdit, "resendVariable_day")
    assert day is not None
    qtbot.keyClicks(day, "Mon")
    assert len(server.messages) == 1  # nothing sent before the admin says so
    qtbot.mouseClick(dialog.findChild(QPushButton, "resendButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.sending and dialog.outcome is not None, timeout=15_000)
    assert "✔" in dialog.status.text()
    assert server.messages[-1].rcpt_tos == ["nobody@example.org"]
    wait_total(qtbot, page, 3)
    results = sorted((page.model.record(r).recipient, page.model.record(r).result.value)
                     for r in range(3))
    assert results == [("a@example.org", "success"), ("nobody@example.org", "failure"),
                       ("nobody@example.org", "success")]
    dialog.close()


def _at(day: datetime, i: int) -> SendRecordRow:
    return SendRecordRow(message_id=f"<{i}@bimail>", sender="bi@acme.com", ip="10.0.0.5",
                         recipient=f"user{i}@example.com", template="Daily",
                         resources=json.dumps([]), sent_at=day, result="success")


def test_quick_ranges(qtbot: Any, mailbox: Mailbox, page: RecordsPage) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    local_today = datetime.now().astimezone().date()
    days = [now - timedelta(minutes=5), now - timedelta(days=3), now - timedelta(days=40)]
    with mailbox.store.write() as session:
        session.add_all([_at(d, i) for i, d in enumerate(days)])
    page.poll()
    wait_total(qtbot, page, 3)
    combo = page.ui.quickRangeCombo
    assert [combo.itemText(i) for i in range(combo.count())][:4] == [
        "Any time", "Today", "Last 7 days", "This month"]

    combo.setCurrentIndex(combo.findData("today"))
    today = QDate.currentDate()
    assert page.ui.sinceDateEdit.date() == today == page.ui.untilDateEdit.date()
    wait_total(qtbot, page, 1)
    combo.setCurrentIndex(combo.findData("week"))
    assert page.ui.sinceDateEdit.date() == today.addDays(-6)
    wait_total(qtbot, page, 2)
    combo.setCurrentIndex(combo.findData("month"))
    first = local_today.replace(day=1)
    expected = sum(1 for d in days
                   if d.replace(tzinfo=UTC).astimezone().date() >= first)
    wait_total(qtbot, page, expected)
    # choosing a day by hand shows "Chosen days"; Clear filters goes back to "Any time"
    page.ui.sinceDateEdit.setDate(today.addDays(-2))
    assert combo.currentData() == "custom"
    page.ui.clearFiltersButton.click()
    assert combo.currentData() == ""
    wait_total(qtbot, page, 3)


def test_date_fields_tab_typing_and_calendar(qtbot: Any, page: RecordsPage) -> None:
    since = page.ui.sinceDateEdit
    since.setFocus()
    qtbot.waitUntil(since.hasFocus)
    qtbot.keyClick(since, Qt.Key.Key_Tab)
    assert not since.hasFocus(), "Tab stays in From"
    assert page.ui.untilDateEdit.hasFocus()
    qtbot.keyClick(page.ui.untilDateEdit, Qt.Key.Key_Backtab)
    assert since.hasFocus()

    # typing a date over "Any day" replaces it
    qtbot.keyClicks(since, "2024")
    assert since.date().year() == 2024, since.text()
    assert "Any" not in since.text()

    # the calendar of an "Any day" field opens at this month
    until = page.ui.untilDateEdit
    qtbot.mouseClick(until, Qt.MouseButton.LeftButton,
                     pos=QPoint(until.width() - 6, until.height() // 2))
    calendar = until.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    calendar.window().hide()
