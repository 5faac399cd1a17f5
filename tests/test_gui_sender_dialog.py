"""The sender dialog (S2–S8) driven through its object names, with real SMTP servers."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QSpinBox

from bimail_desktop.domain.errors import CATALOGUE, ErrorCode
from bimail_desktop.domain.models import TEST_MAIL_TEXT
from bimail_desktop.domain.providers import load_providers
from bimail_desktop.gui.sender_dialog import SenderDialog
from bimail_desktop.services import Mailbox

# Qt warnings fail the test; the offscreen plugin's note about size hints is not ours.

@pytest.fixture
def open_dialog(qtbot: Any, mailbox: Mailbox) -> Iterator[Any]:
    dialogs: list[SenderDialog] = []

    def make(sender_address: str | None = None) -> SenderDialog:
        sender = mailbox.get_sender(sender_address) if sender_address else None
        dialog = SenderDialog(mailbox, sender)
        qtbot.addWidget(dialog)
        dialog.show()
        dialogs.append(dialog)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.shutdown()


def w(dialog: SenderDialog, cls: type, name: str) -> Any:
    widget = dialog.findChild(cls, name)
    assert widget is not None, name
    return widget


def ok_button(dialog: SenderDialog) -> QPushButton:
    box = w(dialog, QDialogButtonBox, "buttonBox")
    return box.button(QDialogButtonBox.StandardButton.Ok)


def type_into(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def fill(
    qtbot: Any,
    dialog: SenderDialog,
    *,
    server: str,
    port: int,
    encryption: str,
    address: str,
    password: str = "",
    username: str = "",
    show_name: str = "",
) -> None:
    type_into(qtbot, w(dialog, QComboBox, "serverCombo").lineEdit(), server)
    w(dialog, QSpinBox, "portSpin").setValue(port)
    combo = w(dialog, QComboBox, "encryptionCombo")
    combo.setCurrentIndex(combo.findData(encryption))
    type_into(qtbot, w(dialog, QLineEdit, "addressEdit"), address)
    type_into(qtbot, w(dialog, QLineEdit, "usernameEdit"), username)
    type_into(qtbot, w(dialog, QLineEdit, "passwordEdit"), password)
    type_into(qtbot, w(dialog, QLineEdit, "showNameEdit"), show_name)


def result_text(dialog: SenderDialog) -> str:
    return w(dialog, QLabel, "testResultLabel").text()


# -- S4 defaults, S3 presets ---------------------------------------------------------------
def test_defaults_are_port_25_and_tls(open_dialog: Any) -> None:
    dialog = open_dialog()
    assert dialog.objectName() == "senderDialog"
    assert w(dialog, QSpinBox, "portSpin").value() == 25
    combo = w(dialog, QComboBox, "encryptionCombo")
    assert combo.currentData() == "tls"
    assert [combo.itemData(i) for i in range(combo.count())] == ["ssl", "tls", "none"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["SSL", "TLS", "Do Not Encrypt"]
    assert w(dialog, QComboBox, "serverCombo").isEditable()
    assert not ok_button(dialog).isEnabled()  # nothing typed yet


def test_every_preset_fills_port_and_encryption_and_stays_editable(open_dialog: Any) -> None:
    dialog = open_dialog()
    server = w(dialog, QComboBox, "serverCombo")
    port = w(dialog, QSpinBox, "portSpin")
    enc = w(dialog, QComboBox, "encryptionCombo")
    providers = load_providers()
    assert server.count() == len(providers)
    for index, provider in enumerate(providers):
        server.setCurrentIndex(index)
        assert server.currentText() == provider.host
        assert port.value() == provider.port
        assert enc.currentData() == provider.encryption.value
    gmail = server.findText("Gmail", Qt.MatchFlag.MatchContains)
    server.setCurrentIndex(gmail)
    assert (server.currentText(), port.value(), enc.currentData()) == ("smtp.gmail.com", 465, "ssl")
    assert "app password" in w(dialog, QLabel, "providerHintLabel").text()
    port.setValue(587)
    enc.setCurrentIndex(enc.findData("tls"))
    assert (port.value(), enc.currentData()) == (587, "tls")


def test_exchange_preset_means_ip_port_25_do_not_encrypt(qtbot: Any, open_dialog: Any) -> None:
    dialog = open_dialog()
    server = w(dialog, QComboBox, "serverCombo")
    server.setCurrentIndex(server.findText("Exchange", Qt.MatchFlag.MatchContains))
    assert w(dialog, QSpinBox, "portSpin").value() == 25
    assert w(dialog, QComboBox, "encryptionCombo").currentData() == "none"
    qtbot.keyClicks(server.lineEdit(), "10.0.0.25")
    assert server.currentText() == "10.0.0.25"
    hint = w(dialog, QLabel, "providerHintLabel")
    assert not hint.isHidden() and "Do Not Encrypt" in hint.text()


@pytest.mark.parametrize(
    ("address", "host", "needle"),
    [
        ("bi@qq.com", "smtp.qq.com", "authorisation code"),
        ("bi@163.com", "smtp.163.com", "authorisation code"),
        ("bi@126.com", "smtp.126.com", "authorisation code"),
        ("bi@gmail.com", "smtp.gmail.com", "app password"),
        ("bi@outlook.com", "smtp-mail.outlook.com", "SMTP"),
    ],
)
def test_typing_the_address_proposes_the_provider_with_its_hint(
    qtbot: Any, open_dialog: Any, address: str, host: str, needle: str
) -> None:
    dialog = open_dialog()
    qtbot.keyClicks(w(dialog, QLineEdit, "addressEdit"), address)
    assert w(dialog, QComboBox, "serverCombo").currentText() == host
    hint = w(dialog, QLabel, "providerHintLabel")
    assert not hint.isHidden() and needle in hint.text()


def test_office365_hint_says_smtp_auth(open_dialog: Any) -> None:
    dialog = open_dialog()
    server = w(dialog, QComboBox, "serverCombo")
    server.setCurrentIndex(server.findText("Office 365", Qt.MatchFlag.MatchContains))
    assert "SMTP AUTH" in w(dialog, QLabel, "providerHintLabel").text()


def test_address_proposal_never_overwrites_what_the_admin_typed(
    qtbot: Any, open_dialog: Any
) -> None:
    dialog = open_dialog()
    server = w(dialog, QComboBox, "serverCombo")
    qtbot.keyClicks(server.lineEdit(), "mail.corp.example")
    w(dialog, QSpinBox, "portSpin").setValue(2525)
    qtbot.keyClicks(w(dialog, QLineEdit, "addressEdit"), "bi@qq.com")
    assert server.currentText() == "mail.corp.example"
    assert w(dialog, QSpinBox, "portSpin").value() == 2525

    other = open_dialog()
    other_port = w(other, QSpinBox, "portSpin")
    other_port.setValue(587)  # typed by hand before the address
    qtbot.keyClicks(w(other, QLineEdit, "addressEdit"), "bi@qq.com")
    assert w(other, QComboBox, "serverCombo").currentText() == "smtp.qq.com"
    assert other_port.value() == 587


# -- validation ----------------------------------------------------------------------------
def test_invalid_input_blocks_ok_with_the_cli_message(qtbot: Any, open_dialog: Any) -> None:
    dialog = open_dialog()
    fill(
        qtbot,
        dialog,
        server="smtp.example.com",
        port=587,
        encryption="tls",
        address="bi@example.com",
    )
    assert ok_button(dialog).isEnabled()
    type_into(qtbot, w(dialog, QLineEdit, "addressEdit"), "not an address")
    label = w(dialog, QLabel, "addressErrorLabel")
    assert not label.isHidden()
    assert "must not contain spaces" in label.text()
    assert not ok_button(dialog).isEnabled()
    type_into(qtbot, w(dialog, QComboBox, "serverCombo").lineEdit(), "bad host name")
    assert "must not contain spaces" in w(dialog, QLabel, "serverErrorLabel").text()
    type_into(qtbot, w(dialog, QLineEdit, "addressEdit"), "bi@example.com")
    type_into(qtbot, w(dialog, QComboBox, "serverCombo").lineEdit(), "smtp.example.com")
    assert w(dialog, QLabel, "addressErrorLabel").isHidden()
    assert ok_button(dialog).isEnabled()


def test_do_not_encrypt_with_a_password_warns(qtbot: Any, open_dialog: Any) -> None:
    dialog = open_dialog()
    fill(
        qtbot,
        dialog,
        server="10.0.0.25",
        port=25,
        encryption="none",
        address="bi@corp.example",
        password="secret",
    )
    warning = w(dialog, QLabel, "passwordWarningLabel")
    assert not warning.isHidden() and "unencrypted" in warning.text()
    combo = w(dialog, QComboBox, "encryptionCombo")
    combo.setCurrentIndex(combo.findData("tls"))
    assert warning.isHidden()


def test_password_show_hide(qtbot: Any, open_dialog: Any) -> None:
    dialog = open_dialog()
    edit = w(dialog, QLineEdit, "passwordEdit")
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    dialog.ui.showPasswordButton.click()
    assert edit.echoMode() == QLineEdit.EchoMode.Normal
    dialog.ui.showPasswordButton.click()
    assert edit.echoMode() == QLineEdit.EchoMode.Password


# -- saving (S2, S5, S6) -------------------------------------------------------------------
def test_address_with_hash_and_ampersand_is_saved(
    qtbot: Any, open_dialog: Any, mailbox: Mailbox
) -> None:
    dialog = open_dialog()
    fill(
        qtbot,
        dialog,
        server="smtp.example.com",
        port=587,
        encryption="tls",
        address="bi#ops&alerts@example.com",
        password="pw",
        show_name="BI Alerts",
    )
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    (sender,) = mailbox.list_senders(check_secrets=True)
    assert sender.address == "bi#ops&alerts@example.com"
    assert (sender.server, sender.port, sender.encryption.value) == ("smtp.example.com", 587, "tls")
    assert sender.show_name == "BI Alerts" and sender.has_password
    assert mailbox.sender_password(sender) == "pw"


def test_duplicate_address_is_refused_next_to_the_field(
    qtbot: Any, open_dialog: Any, mailbox: Mailbox
) -> None:
    mailbox.add_sender({"server": "smtp.example.com", "address": "bi@example.com"})
    dialog = open_dialog()
    fill(
        qtbot,
        dialog,
        server="smtp.example.com",
        port=25,
        encryption="tls",
        address="BI@example.com",
    )
    ok_button(dialog).click()
    assert dialog.isVisible()
    assert "already exists" in w(dialog, QLabel, "addressErrorLabel").text()
    assert len(mailbox.list_senders()) == 1


def test_editing_with_an_empty_password_keeps_the_stored_one(
    qtbot: Any, open_dialog: Any, mailbox: Mailbox
) -> None:
    mailbox.add_sender(
        {"server": "smtp.example.com", "address": "bi@example.com"}, password="stored-pw"
    )
    dialog = open_dialog("bi@example.com")
    password = w(dialog, QLineEdit, "passwordEdit")
    assert password.text() == ""
    assert "keep the stored password" in password.placeholderText()
    assert w(dialog, QComboBox, "serverCombo").currentText() == "smtp.example.com"
    type_into(qtbot, w(dialog, QLineEdit, "showNameEdit"), "Reports")
    ok_button(dialog).click()
    sender = mailbox.get_sender("bi@example.com")
    assert sender.show_name == "Reports"
    assert mailbox.sender_password(sender) == "stored-pw"


# -- test mail (S8) ------------------------------------------------------------------------
def send_test(qtbot: Any, dialog: SenderDialog, to: str, timeout: int = 15_000) -> str:
    type_into(qtbot, w(dialog, QLineEdit, "testRecipientEdit"), to)
    qtbot.mouseClick(w(dialog, QPushButton, "testMailButton"), Qt.MouseButton.LeftButton)
    assert dialog.test_running
    qtbot.waitUntil(lambda: not dialog.test_running, timeout=timeout)
    return result_text(dialog)


def test_test_mail_with_unsaved_values_reaches_the_server(
    qtbot: Any, open_dialog: Any, mailbox: Mailbox, smtp_server_factory: Any
) -> None:
    server = smtp_server_factory("plain", users={"bi#1&2@example.com": "s3cret"})
    dialog = open_dialog()
    fill(
        qtbot,
        dialog,
        server="127.0.0.1",
        port=server.port,
        encryption="none",
        address="bi#1&2@example.com",
        password="s3cret",
        show_name="BI",
    )
    text = send_test(qtbot, dialog, "admin@example.com")
    assert "Success" in text and "admin@example.com" in text
    (message,) = server.messages
    assert message.rcpt_tos == ["admin@example.com"]
    assert message.login == "bi#1&2@example.com"
    parsed = email.message_from_bytes(message.content, policy=email.policy.default)
    body = parsed.get_body(("html",))
    assert body is not None and TEST_MAIL_TEXT in body.get_content()
    assert mailbox.list_senders() == []  # sending a test saves nothing
    assert w(dialog, QPushButton, "testMailButton").isEnabled()


def test_test_mail_failure_shows_title_explanation_and_fix(
    qtbot: Any, open_dialog: Any, smtp_server_factory: Any
) -> None:
    server = smtp_server_factory("plain", users={"bi@example.com": "right"})
    dialog = open_dialog()
    fill(
        qtbot,
        dialog,
        server="127.0.0.1",
        port=server.port,
        encryption="none",
        address="bi@example.com",
        password="wrong",
    )
    text = send_test(qtbot, dialog, "admin@example.com")
    info = CATALOGUE[ErrorCode.AUTH_FAILED]
    assert info.title in text
    assert info.fix.split(" ")[0] in text
    assert "535" in text  # the server's reply
    assert server.messages == []


def test_test_mail_of_a_stored_sender_uses_its_stored_password(
    qtbot: Any, open_dialog: Any, mailbox: Mailbox, smtp_server_factory: Any
) -> None:
    server = smtp_server_factory("plain", users={"bi@example.com": "kept"})
    mailbox.add_sender(
        {
            "server": "127.0.0.1",
            "port": server.port,
            "encryption": "none",
            "address": "bi@example.com",
        },
        password="kept",
    )
    dialog = open_dialog("bi@example.com")
    text = send_test(qtbot, dialog, "admin@example.com")
    assert "Success" in text
    assert len(server.messages) == 1


def test_test_mail_needs_a_valid_recipient(qtbot: Any, open_dialog: Any) -> None:
    dialog = open_dialog()
    fill(qtbot, dialog, server="127.0.0.1", port=25, encryption="none", address="bi@example.com")
    type_into(qtbot, w(dialog, QLineEdit, "testRecipientEdit"), "nobody")
    w(dialog, QPushButton, "testMailButton").click()
    assert not dialog.test_running
    assert "recipient" in result_text(dialog)


def test_cancel_mid_send(qtbot: Any, open_dialog: Any, smtp_server_factory: Any) -> None:
    server = smtp_server_factory("plain", greeting_delay=30)
    dialog = open_dialog()
    fill(
        qtbot,
        dialog,
        server="127.0.0.1",
        port=server.port,
        encryption="none",
        address="bi@example.com",
    )
    type_into(qtbot, w(dialog, QLineEdit, "testRecipientEdit"), "admin@example.com")
    w(dialog, QPushButton, "testMailButton").click()
    cancel = w(dialog, QPushButton, "cancelTestButton")
    assert dialog.test_running and not cancel.isHidden()
    assert not w(dialog, QPushButton, "testMailButton").isEnabled()
    qtbot.wait(200)  # the worker is now waiting for the greeting
    assert dialog.isEnabled()  # the dialog stays responsive
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.test_running, timeout=10_000)
    assert CATALOGUE[ErrorCode.INTERRUPTED].title in result_text(dialog)
    assert cancel.isHidden()
    assert server.messages == []


def test_closing_the_dialog_during_a_send_cancels_and_waits(
    qtbot: Any, open_dialog: Any, smtp_server_factory: Any
) -> None:
    server = smtp_server_factory("plain", greeting_delay=30)
    dialog = open_dialog()
    fill(
        qtbot,
        dialog,
        server="127.0.0.1",
        port=server.port,
        encryption="none",
        address="bi@example.com",
    )
    type_into(qtbot, w(dialog, QLineEdit, "testRecipientEdit"), "admin@example.com")
    w(dialog, QPushButton, "testMailButton").click()
    task = dialog._task
    assert task is not None
    qtbot.wait(100)
    dialog.close()
    assert not task.running  # the thread was waited for, not left behind
    qtbot.wait(50)  # queued results after closing are ignored
    assert server.messages == []
