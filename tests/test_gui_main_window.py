"""The main window and the Senders page: S1, D1–D3, the keychain banner, remembered state,
keyboard use and closing during background work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from bimail_test_keyring import BrokenKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from bimail_desktop.config import data_home
from bimail_desktop.domain.errors import CATALOGUE, ErrorCode
from bimail_desktop.gui.main_window import MainWindow
from bimail_desktop.gui.senders_page import SendersPage
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox

NOT_CONFIGURED = "Mailbox not configured — choose a default sender and click Save"


def add(mailbox: Mailbox, address: str, **extra: Any) -> None:
    mailbox.add_sender(
        {
            "server": "smtp.example.com",
            "port": 587,
            "encryption": "tls",
            "address": address,
            **extra,
        },
        password="pw",
    )


@pytest.fixture
def make_window(qtbot: Any, mailbox: Mailbox) -> Iterator[Any]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(mailbox)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def child(window: MainWindow, cls: type, name: str) -> Any:
    widget = window.findChild(cls, name)
    assert widget is not None, name
    return widget


def table_rows(window: MainWindow) -> list[list[str]]:
    table = child(window, QTableWidget, "senderTable")
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_window_has_the_four_pages(make_window: Any) -> None:
    window = make_window()
    assert window.objectName() == "mainWindow"
    tabs = child(window, QTabWidget, "pageTabs")
    assert tabs.count() == 5
    # the visible page first; the others are built when first shown
    for name in ("recordsPage", "diagnosticsPage", "templatesPage", "relayPage"):
        assert window.findChild(QWidget, name) is None
    for index in (1, 2, 3, 4, 0):
        tabs.setCurrentIndex(index)
        assert tabs.currentIndex() == index
    names = [tabs.widget(i).objectName() for i in range(tabs.count())]
    assert names == ["sendersPage", "recordsPage", "diagnosticsPage", "templatesPage",
                     "relayPage"]
    assert [tabs.tabText(i) for i in range(5)] == ["&Senders", "Sending &records",
                                                   "Dia&gnostics", "&Templates", "Re&lay"]
    for name in (
        "senderTable",
        "addSenderButton",
        "editSenderButton",
        "deleteSenderButton",
        "defaultSenderCombo",
        "saveDefaultButton",
        "mailboxStatusLabel",
    ):
        assert window.findChild(object, name) is not None, name


def test_empty_mailbox_says_not_configured_in_page_and_status_bar(make_window: Any) -> None:
    window = make_window()
    assert NOT_CONFIGURED in child(window, QLabel, "mailboxStatusLabel").text()
    assert NOT_CONFIGURED in window.statusLabel.text()
    assert not child(window, QPushButton, "saveDefaultButton").isEnabled()
    assert not child(window, QPushButton, "editSenderButton").isEnabled()


def test_table_lists_senders_with_the_default_marked(make_window: Any, mailbox: Mailbox) -> None:
    add(mailbox, "a@example.com", show_name="Alpha")
    add(mailbox, "b#1&2@example.com", encryption="ssl", port=465)
    mailbox.set_default_sender("a@example.com")
    window = make_window()
    rows = table_rows(window)
    assert rows[0][:5] == ["a@example.com", "Alpha", "smtp.example.com", "587", "TLS"]
    assert rows[0][5] == "Password"
    assert "Default" in rows[0][6]
    assert rows[1][:5] == ["b#1&2@example.com", "", "smtp.example.com", "465", "SSL"]
    assert rows[1][6] == ""
    status = child(window, QLabel, "mailboxStatusLabel").text()
    assert "not configured" not in status and "a@example.com" in status
    assert "a@example.com" in window.statusLabel.text()


def test_sign_in_column_warns_about_password_logins_being_phased_out(
    make_window: Any, mailbox: Mailbox
) -> None:
    add(mailbox, "bi@contoso.com", server="smtp.office365.com")
    add(mailbox, "oauth@contoso.com", server="smtp.office365.com")
    mailbox.set_sender_oauth("oauth@contoso.com", "oauth2_microsoft",
                             {"client_id": "11111111-2222-3333-4444-555555555555"})
    window = make_window()
    table = child(window, QTableWidget, "senderTable")
    by_address = {table.item(r, 0).text(): table.item(r, 5) for r in range(table.rowCount())}
    password_item = by_address["bi@contoso.com"]
    assert password_item.text() == "⚠ Password"
    assert "December 2026" in password_item.toolTip()
    oauth_item = by_address["oauth@contoso.com"]
    assert oauth_item.text() == "⚠ OAuth2 — needs sign-in"
    assert "Sign in" in oauth_item.toolTip()


def test_default_takes_effect_only_on_save(make_window: Any, mailbox: Mailbox) -> None:
    add(mailbox, "a@example.com")
    add(mailbox, "b@example.com")
    window = make_window()
    combo = child(window, QComboBox, "defaultSenderCombo")
    save = child(window, QPushButton, "saveDefaultButton")
    assert [combo.itemData(i) for i in range(combo.count())] == ["a@example.com", "b@example.com"]
    assert combo.currentIndex() == -1
    combo.setCurrentIndex(1)
    assert save.isEnabled()
    assert mailbox.default_sender() is None  # D1: not before Save
    assert NOT_CONFIGURED in child(window, QLabel, "mailboxStatusLabel").text()
    save.click()
    default = mailbox.default_sender()
    assert default is not None and default.address == "b@example.com"
    assert "b@example.com" in child(window, QLabel, "mailboxStatusLabel").text()
    assert "b@example.com" in window.statusLabel.text()
    assert not save.isEnabled()


def test_deleting_the_default_asks_says_so_and_leaves_not_configured(
    make_window: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(mailbox, "a@example.com")
    add(mailbox, "b@example.com")
    mailbox.set_default_sender("a@example.com")
    window = make_window()
    questions: list[str] = []
    answers = iter([False, True])

    def ask(parent: Any, title: str, text: str) -> bool:
        questions.append(text)
        return next(answers)

    monkeypatch.setattr(SendersPage, "ask", staticmethod(ask))
    child(window, QTableWidget, "senderTable").selectRow(0)
    delete = child(window, QPushButton, "deleteSenderButton")
    delete.click()  # answered No: nothing happens
    assert len(mailbox.list_senders()) == 2
    assert "default sender" in questions[0]
    delete.click()  # answered Yes
    assert [s.address for s in mailbox.list_senders()] == ["b@example.com"]
    assert mailbox.default_sender() is None  # D3
    assert NOT_CONFIGURED in child(window, QLabel, "mailboxStatusLabel").text()
    assert NOT_CONFIGURED in window.statusLabel.text()
    assert table_rows(window)[0][0] == "b@example.com"
    assert child(window, QComboBox, "defaultSenderCombo").currentIndex() == -1


def test_deleting_another_sender_does_not_warn_about_the_default(
    make_window: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(mailbox, "a@example.com")
    add(mailbox, "b@example.com")
    mailbox.set_default_sender("a@example.com")
    window = make_window()
    questions: list[str] = []
    monkeypatch.setattr(
        SendersPage, "ask", staticmethod(lambda p, t, text: questions.append(text) or True)
    )
    child(window, QTableWidget, "senderTable").selectRow(1)
    child(window, QPushButton, "deleteSenderButton").click()
    assert "default sender" not in questions[0]
    assert mailbox.is_configured()


def test_deleting_a_sender_with_no_keychain_tells_what_was_left(
    make_window: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.backends import fail

    mailbox.add_sender({"server": "smtp.example.com", "address": "a@example.com"},
                       password="left-behind")
    window = make_window()
    told: list[str] = []
    monkeypatch.setattr(SendersPage, "ask", staticmethod(lambda p, t, text: True))
    monkeypatch.setattr(SendersPage, "show_error",
                        staticmethod(lambda p, t, text: told.append(text)))
    keyring.set_keyring(fail.Keyring())
    child(window, QTableWidget, "senderTable").selectRow(0)
    child(window, QPushButton, "deleteSenderButton").click()
    assert mailbox.list_senders() == []
    assert child(window, QTableWidget, "senderTable").rowCount() == 0
    assert len(told) == 1 and "keyring del bimail-desktop" in told[0]
    assert "next time the program starts" in told[0]


def test_add_sender_through_the_dialog(qtbot: Any, make_window: Any, mailbox: Mailbox) -> None:
    window = make_window()
    qtbot.mouseClick(child(window, QPushButton, "addSenderButton"), Qt.MouseButton.LeftButton)
    dialog = window.findChild(QDialog, "senderDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.findChild(QComboBox, "serverCombo").lineEdit(), "smtp.example.com")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "addressEdit"), "ops#1&2@example.com")
    qtbot.keyClick(dialog.findChild(QLineEdit, "addressEdit"), Qt.Key.Key_Return)  # Enter = OK
    assert not dialog.isVisible()
    assert [s.address for s in mailbox.list_senders()] == ["ops#1&2@example.com"]
    assert table_rows(window)[0][:5] == ["ops#1&2@example.com", "", "smtp.example.com", "25", "TLS"]
    combo = child(window, QComboBox, "defaultSenderCombo")
    assert combo.findData("ops#1&2@example.com") == 0


def test_double_click_edits_and_escape_cancels(
    qtbot: Any, make_window: Any, mailbox: Mailbox
) -> None:
    add(mailbox, "a@example.com")
    window = make_window()
    table = child(window, QTableWidget, "senderTable")
    rect = table.visualItemRect(table.item(0, 0))
    # a real double-click starts with a press; QTest's DClick alone has none
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = window.senders_page.current_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.findChild(QLineEdit, "addressEdit").text() == "a@example.com"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert window.senders_page.current_dialog is None


def test_keychain_banner_only_without_a_usable_keychain(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.keychain_checked)  # once the senders are painted
    assert child(window, QLabel, "keychainBanner").isHidden()
    keyring.set_keyring(BrokenKeyring())
    broken = make_window()
    banner = child(broken, QLabel, "keychainBanner")
    qtbot.waitUntil(lambda: not banner.isHidden())
    info = CATALOGUE[ErrorCode.SECRET_UNAVAILABLE]
    assert info.title in banner.text()
    assert "PYTHON_KEYRING_BACKEND" in banner.text()


def test_geometry_and_last_page_are_remembered_in_the_data_folder(
    qtbot: Any, mailbox: Mailbox
) -> None:
    window = MainWindow(mailbox)
    qtbot.addWidget(window)
    window.show()
    window.resize(900, 640)
    window.show_page("diagnostics")
    window.close()
    assert (data_home() / "gui.ini").exists()
    again = MainWindow(mailbox)
    qtbot.addWidget(again)
    assert again.current_page() == "diagnostics"
    assert again.minimumWidth() >= 600


def test_pages_are_reachable_by_keyboard(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "records"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "diagnostics"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "templates"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "senders"
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # tab mnemonic
    assert window.current_page() == "records"


def test_every_page_is_shut_down_on_close(
    make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    calls: list[str] = []
    for page in window.pages:
        monkeypatch.setattr(page, "shutdown", lambda p=page: calls.append(p.objectName()))
    window.close()
    assert sorted(calls) == ["diagnosticsPage", "recordsPage", "relayPage", "sendersPage",
                            "templatesPage"]


def test_closing_the_window_during_a_test_mail(
    qtbot: Any, make_window: Any, smtp_server_factory: Any
) -> None:
    server = smtp_server_factory("plain", greeting_delay=30)
    window = make_window()
    dialog = window.senders_page.add_sender()
    qtbot.keyClicks(dialog.findChild(QComboBox, "serverCombo").lineEdit(), "127.0.0.1")
    dialog.ui.portSpin.setValue(server.port)
    dialog.ui.encryptionCombo.setCurrentIndex(dialog.ui.encryptionCombo.findData("none"))
    qtbot.keyClicks(dialog.findChild(QLineEdit, "addressEdit"), "bi@example.com")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "testRecipientEdit"), "admin@example.com")
    qtbot.keyClick(dialog.findChild(QLineEdit, "testRecipientEdit"), Qt.Key.Key_Return)
    task = dialog._task
    assert task is not None and task.running
    qtbot.wait(100)
    window.close()
    assert not task.running
    qtbot.wait(50)
    assert server.messages == []


def test_window_paints_first_and_fills_its_pages_when_the_store_is_open(
    qtbot: Any, mailbox: Mailbox
) -> None:
    add(mailbox, "a@example.com")
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    assert window.findChild(QTableWidget, "senderTable") is None
    assert "Opening" in window.statusLabel.text()
    window.attach(mailbox)
    assert table_rows(window)[0][0] == "a@example.com"
    assert NOT_CONFIGURED in window.statusLabel.text()
    assert [p.objectName() for p in window.pages] == [
        "sendersPage",
        "recordsPage",
        "diagnosticsPage",
        "templatesPage",
        "relayPage",
    ]


def test_a_password_entered_on_another_machine_is_marked(
    make_window: Any, mailbox: Mailbox, keychain: Any
) -> None:
    add(mailbox, "bi@example.com")
    add(mailbox, "here@example.com")
    shared = mailbox.get_sender("bi@example.com")
    # the store says a password was entered; this machine's keychain does not hold it
    mailbox.secrets.delete_password(shared.id)
    window = make_window()
    table = child(window, QTableWidget, "senderTable")
    by_address = {table.item(r, 0).text(): table.item(r, 5) for r in range(table.rowCount())}
    assert by_address["bi@example.com"].text() == "⚠ Password not on this machine"
    assert "--password-stdin" in by_address["bi@example.com"].toolTip()
    assert by_address["here@example.com"].text() == "Password"


def test_senders_page_shows_changes_made_elsewhere(
    make_window: Any, mailbox: Mailbox, store_url: str
) -> None:
    add(mailbox, "bi@example.com")
    window = make_window()
    page = window.senders_page
    page.poll()  # nothing changed: nothing reloaded
    assert [row[0] for row in table_rows(window)] == ["bi@example.com"]
    # another admin (another program on the same store) adds a sender and sets the default
    with Mailbox.open(store_url, secrets=SecretStore()) as other:
        other.add_sender({"server": "smtp.example.com", "port": 587, "encryption": "tls",
                          "address": "ops@example.com"})
        other.set_default_sender("ops@example.com")
    page.poll()
    assert sorted(row[0] for row in table_rows(window)) == ["bi@example.com", "ops@example.com"]
    assert page.ui.defaultSenderCombo.currentData() == "ops@example.com"
