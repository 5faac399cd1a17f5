"""The Relay page driven with pytest-qt (offscreen): start the relay in the window's
process, see a submitted mail in the queue, send a test through it, stop it."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableWidget

from bimail_desktop.gui.relay_page import RelayPage

WAIT = 15_000


@pytest.fixture
def page(qtbot, mailbox):  # type: ignore[no-untyped-def]
    widget = RelayPage(mailbox)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def listening(page: RelayPage) -> tuple[str, int]:
    assert page.relay is not None and page.relay.address is not None
    return page.relay.address


def test_contract_object_names(page):
    assert page.objectName() == "relayPage"
    for name, kind in [("relayListenEdit", QLineEdit), ("relayStartButton", QPushButton),
                       ("relayStopButton", QPushButton), ("relayStatusLabel", QLabel),
                       ("relayQueueTable", QTableWidget)]:
        assert page.findChild(kind, name) is not None, name
    assert page.ui.relayListenEdit.text() == "127.0.0.1:2525"


def test_an_open_relay_address_is_refused_on_the_page(page):
    page.ui.relayListenEdit.setText("0.0.0.0:2525")
    page.ui.relayStartButton.click()
    assert page.relay is None
    assert "open relay" in page.ui.relayStatusLabel.text()
    assert page.ui.relayStartButton.isEnabled()


def test_start_queue_shown_test_mail_and_stop(qtbot, page, mailbox, smtp_server_factory):
    handler_server = smtp_server_factory()
    handler_server.handler.data_reply = "451 4.3.0 Greylisted, try later"
    mailbox.add_sender({"server": handler_server.host, "port": handler_server.port,
                        "encryption": "none", "address": "bi@example.com", "rate_limit": 0})
    mailbox.set_default_sender("bi@example.com")

    page.ui.relayListenEdit.setText("127.0.0.1:0")
    page.ui.relayStartButton.click()
    host, port = listening(page)
    assert f"Listening on {host}:{port}" in page.ui.relayStatusLabel.text()
    assert not page.ui.relayStartButton.isEnabled()
    assert page.ui.relayStopButton.isEnabled()

    msg = EmailMessage()
    msg["From"] = "grafana@bi.internal"
    msg["To"] = "ops@example.com"
    msg["Subject"] = "Alert"
    msg.set_content("disk full")
    with smtplib.SMTP(host, port, local_hostname="grafana", timeout=10) as client:
        client.send_message(msg)

    table = page.ui.relayQueueTable

    def waiting_row() -> bool:
        return table.rowCount() == 1 and table.item(0, 1) is not None and \
            table.item(0, 1).text() == "waiting"

    qtbot.waitUntil(waiting_row, timeout=WAIT)
    assert table.item(0, 2).text() == "1"  # attempts
    assert table.item(0, 3).text() != ""  # next attempt shown
    assert table.item(0, 5).text() == "ops@example.com"
    assert "temporary_failure" in table.item(0, 6).text()
    assert "1 mail(s)" in page.ui.relayQueueCountLabel.text()

    handler_server.handler.data_reply = None  # the server is fine again
    page.ui.relayFlushButton.click()
    qtbot.waitUntil(lambda: table.rowCount() == 0 and len(handler_server.messages) == 1,
                    timeout=WAIT)

    page.ui.relayTestRecipientEdit.setText("admin@example.com")
    assert page.ui.relayTestButton.isEnabled()
    page.ui.relayTestButton.click()
    qtbot.waitUntil(lambda: "took the mail" in page.ui.relayTestResultLabel.text(),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: len(handler_server.messages) == 2, timeout=WAIT)
    assert handler_server.messages[1].rcpt_tos == ["admin@example.com"]

    page.ui.relayStopButton.click()
    qtbot.waitUntil(lambda: page.relay is None, timeout=WAIT)
    assert page.ui.relayStartButton.isEnabled()
    assert "stopped" in page.ui.relayStatusLabel.text()
    with pytest.raises(OSError):
        smtplib.SMTP(host, port, local_hostname="x", timeout=2)
