"""The sender dialog as an admin drives it with the keyboard and meets failures: Tab in
visual order, Escape asks before throwing a filled-in form away, "Trust certificate…" right
under a certificate failure, texts that say each thing once, and a failed test mail
announced in the status bar with a link to its record."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from smtp_servers import SmtpTestServer

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.gui.feedback import error_html, says_the_same
from bimail_desktop.gui.sender_dialog import SenderDialog
from bimail_desktop.services import Mailbox

ServerFactory = Callable[..., SmtpTestServer]


@pytest.fixture
def dialog(qtbot: Any, mailbox: Mailbox) -> Iterator[SenderDialog]:
    shown = SenderDialog(mailbox)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.shutdown()


def _centre(widget: QWidget, top: QWidget) -> QPoint:
    return widget.mapTo(top, widget.rect().center())


def test_tab_follows_the_visual_order(qtbot: Any, dialog: SenderDialog) -> None:
    dialog.ui.serverCombo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    seen: list[QWidget] = []
    for _ in range(40):
        focused = QApplication.focusWidget()
        assert focused is not None
        if focused in seen:
            break
        seen.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    names = [w.objectName() or type(w).__name__ for w in seen]
    # every step goes down the dialog, or right along the same row
    for before, after in zip(seen, seen[1:], strict=False):
        a, b = _centre(before, dialog), _centre(after, dialog)
        same_row = abs(a.y() - b.y()) <= 8
        assert (same_row and b.x() > a.x()) or (not same_row and b.y() > a.y()), \
            f"Tab jumps from {before.objectName()} to {after.objectName()}: {names}"
    assert names.index("authMethodCombo") < names.index("testRecipientEdit"), names


def test_escape_asks_before_discarding_a_filled_in_form(
    qtbot: Any, dialog: SenderDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    answer = {"discard": False}

    def ask() -> bool:
        asked.append(True)
        return answer["discard"]

    monkeypatch.setattr(dialog, "ask_discard", ask)
    qtbot.keyClicks(dialog.ui.addressEdit, "bi@example.com")
    qtbot.keyClick(dialog.ui.addressEdit, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()  # "Cancel" in the question: the form stays
    assert dialog.ui.addressEdit.text() == "bi@example.com"
    answer["discard"] = True
    qtbot.keyClick(dialog.ui.addressEdit, Qt.Key.Key_Escape)
    assert len(asked) == 2 and not dialog.isVisible()


def test_escape_on_an_untouched_form_just_closes(
    qtbot: Any, dialog: SenderDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialog, "ask_discard", lambda: pytest.fail("asked for nothing"))
    qtbot.keyClick(dialog.ui.addressEdit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_trust_certificate_right_under_the_failed_test_mail(
    qtbot: Any, dialog: SenderDialog, mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("starttls")
    ui = dialog.ui
    ui.serverCombo.lineEdit().setText(server.host)
    ui.portSpin.setValue(server.port)
    ui.encryptionCombo.setCurrentIndex(ui.encryptionCombo.findData("tls"))
    ui.addressEdit.setText("bi@example.com")
    ui.testRecipientEdit.setText("admin@example.com")
    assert not dialog.trustButton.isVisibleTo(dialog)
    qtbot.mouseClick(ui.testMailButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.test_running, timeout=15_000)
    assert "certificate" in ui.testResultLabel.text().lower()
    assert dialog.trustButton.isVisibleTo(dialog)
    # right under the result, in the test mail's box
    assert dialog.trustButton.mapTo(dialog, QPoint(0, 0)).y() > \
        ui.testResultLabel.mapTo(dialog, QPoint(0, 0)).y()

    qtbot.mouseClick(dialog.trustButton, Qt.MouseButton.LeftButton)
    certificate = dialog.certificate_dialog
    qtbot.waitUntil(certificate.isVisible)
    qtbot.mouseClick(certificate.trustButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.trustButton.isVisibleTo(dialog))
    assert "trusted" in ui.testResultLabel.text().lower()
    assert len(mailbox.trusted_certificates()) == 1

    qtbot.mouseClick(ui.testMailButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.test_running, timeout=15_000)
    assert "✔" in ui.testResultLabel.text(), ui.testResultLabel.text()
    assert len(server.messages) == 1


def test_texts_say_each_thing_once() -> None:
    early = BimailError(ErrorCode.INTERRUPTED, "Cancelled during GREETING.",
                        extra={"stage": "greeting"})
    text = error_html(early, "en")
    assert "may or may not" not in text and "nothing was sent" in text
    late = BimailError(ErrorCode.INTERRUPTED, "Cancelled during DATA.", extra={"stage": "data"})
    assert "may or may not" in error_html(late, "en")

    auth = BimailError(ErrorCode.AUTH_FAILED, "The server refused the user name or password. "
                       "Check both; many providers need an authorisation code.")
    shown = error_html(auth, "en")
    assert shown.count("refused the user name or password") == 1, shown
    assert says_the_same("邮件服务器拒绝了用户名或密码。", "服务器拒绝了用户名或密码，请检查。")
    assert not says_the_same("Connection refused by 10.0.0.5", "The certificate expired")


def test_failed_test_mail_in_the_status_bar_links_to_its_record(
    qtbot: Any, mailbox: Mailbox, unused_port: int
) -> None:
    from bimail_desktop.gui.main_window import MainWindow

    window = MainWindow(mailbox, remember=False)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "System mailbox"  # the program's name is added once
    dialog = window.senders_page.add_sender()
    ui = dialog.ui
    ui.serverCombo.lineEdit().setText("127.0.0.1")
    ui.portSpin.setValue(unused_port)
    ui.encryptionCombo.setCurrentIndex(ui.encryptionCombo.findData("none"))
    ui.addressEdit.setText("bi@example.com")
    ui.testRecipientEdit.setText("admin@example.com")
    dialog.start_test_mail()
    qtbot.waitUntil(lambda: not dialog.test_running, timeout=15_000)
    notice = window.findChild(QLabel, "sendNoticeLabel")
    assert notice is not None and notice.isVisible()
    assert "could not be sent" in notice.text() and 'href="record:' in notice.text()
    dialog.reject()

    record_id = int(notice.text().split('href="record:')[1].split('"')[0])
    notice.linkActivated.emit(f"record:{record_id}")
    assert window.current_page() == "records" and not notice.isVisible()
    page = window.records_page
    qtbot.waitUntil(lambda: (page.selected_record() or None) is not None
                    and page.selected_record().id == record_id, timeout=10_000)
    assert page.selected_record().recipient == "admin@example.com"
    # the status sentence is shown once: by the Senders page there, by the status bar here
    assert window.statusLabel.isVisible()
    window.show_page("senders")
    assert not window.statusLabel.isVisible()
    window.shutdown()


def test_detect_settings_is_offered_not_applied_for_an_unknown_domain(
    qtbot: Any, dialog: SenderDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    monkeypatch.setattr(dialog, "detect_settings", lambda chosen=None: asked.append(True)
                        or False)
    offer = dialog.detectOfferLabel
    assert not offer.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.ui.addressEdit, "bi@corp-example.com")
    assert offer.isVisibleTo(dialog) and "corp-example.com" in offer.text()
    assert 'href="detect"' in offer.text()
    assert dialog.server_text() == ""  # offered, not applied
    offer.linkActivated.emit("detect")
    assert asked == [True]
    # a provider the program knows is proposed directly: no offer
    dialog.ui.addressEdit.clear()
    qtbot.keyClicks(dialog.ui.addressEdit, "bi@qq.com")
    assert dialog.server_text() and not offer.isVisibleTo(dialog)
