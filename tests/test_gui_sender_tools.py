"""The sender dialog's "Detect settings…" and "Diagnose…" with the form's unsaved values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QSpinBox

from bimail_desktop.gui.detect_dialog import DetectDialog
from bimail_desktop.gui.diagnose_dialog import DiagnoseDialog
from bimail_desktop.gui.sender_dialog import SenderDialog
from bimail_desktop.services import Mailbox

WAIT = 15_000


@pytest.fixture
def dialog(qtbot: Any, mailbox: Mailbox) -> Iterator[SenderDialog]:
    dlg = SenderDialog(mailbox)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    dlg.shutdown()


def test_detect_fills_the_form_after_the_admin_confirms(
    qtbot: Any, dialog: SenderDialog, smtp_server_factory: Any, unused_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    detect = dialog.findChild(QPushButton, "detectButton")
    assert not detect.isEnabled()  # no address yet
    qtbot.keyClicks(dialog.findChild(QLineEdit, "addressEdit"), "admin@corp.test")
    assert detect.isEnabled()

    plain = smtp_server_factory("plain")
    shown: list[DetectDialog] = []

    def ask(mailbox: Mailbox, address: str, parent: Any = None) -> Any:
        # the real dialog, searching local candidates; the admin picks the first result
        found = DetectDialog(mailbox, address, parent,
                             candidates=[("127.0.0.1", unused_port, "tls"),
                                         ("127.0.0.1", plain.port, "tls")], timeout=2.0)
        shown.append(found)
        qtbot.waitUntil(lambda: not found.busy, timeout=WAIT)
        settings = found.chosen_settings()
        found.shutdown()
        found.deleteLater()
        return settings

    monkeypatch.setattr(DetectDialog, "ask", staticmethod(ask))
    detect.click()
    assert shown and shown[0].address == "admin@corp.test"
    assert dialog.findChild(QComboBox, "serverCombo").currentText() == "127.0.0.1"
    assert dialog.findChild(QSpinBox, "portSpin").value() == plain.port
    assert dialog.findChild(QComboBox, "encryptionCombo").currentData() == "none"

    # declining changes nothing
    monkeypatch.setattr(DetectDialog, "ask", staticmethod(lambda *a, **k: None))
    assert not dialog.detect_settings()
    assert dialog.findChild(QSpinBox, "portSpin").value() == plain.port


def test_diagnose_runs_with_the_unsaved_form_and_stops_on_close(
    qtbot: Any, dialog: SenderDialog, mailbox: Mailbox, smtp_server_factory: Any,
    silent_server: Any,
) -> None:
    server = smtp_server_factory("plain", users={"u@corp.test": "pw-diag-1"},
                                 auth_require_tls=False)
    qtbot.keyClicks(dialog.findChild(QComboBox, "serverCombo").lineEdit(), "127.0.0.1")
    dialog.findChild(QSpinBox, "portSpin").setValue(server.port)
    encryption = dialog.findChild(QComboBox, "encryptionCombo")
    encryption.setCurrentIndex(encryption.findData("none"))
    qtbot.keyClicks(dialog.findChild(QLineEdit, "addressEdit"), "u@corp.test")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "passwordEdit"), "pw-diag-1")

    dialog.findChild(QPushButton, "diagnoseButton").click()
    diag = dialog.findChild(DiagnoseDialog)
    assert diag is not None and diag.isVisible()
    page = diag.page
    qtbot.waitUntil(lambda: page.task is None and page.report is not None, timeout=WAIT)
    steps = dict(page.step_rows())
    assert steps["login"] == "Passed" and steps["connect"] == "Passed"
    assert "pw-diag-1" not in page.ui.diagTranscript.toPlainText()
    assert mailbox.list_senders() == []  # nothing saved
    diag.close()

    # a diagnosis still waiting for a greeting is cancelled when its dialog closes
    dialog.findChild(QSpinBox, "portSpin").setValue(silent_server.port)
    second = dialog.diagnose()
    assert isinstance(second, DiagnoseDialog) and second.page.task is not None
    second.reject()
    assert second.page.task is None or not second.page.task.running
