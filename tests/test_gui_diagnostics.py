"""The Diagnostics page, the certificate dialogs and the detect dialog (pytest-qt, offscreen),
against real local SMTP servers."""

from __future__ import annotations

import ssl

import pytest
from PySide6.QtWidgets import QComboBox, QPushButton, QSpinBox, QTreeWidget

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.gui.certificate_dialog import CertificateDialog, TrustedCertificatesDialog
from bimail_desktop.gui.detect_dialog import DetectDialog
from bimail_desktop.gui.diagnostics_page import DiagnosticsPage

WAIT = 15_000  # ms; every local step answers at once, this only bounds a broken test


@pytest.fixture
def page(qtbot, mailbox):  # type: ignore[no-untyped-def]
    widget = DiagnosticsPage(mailbox)
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def fill(page: DiagnosticsPage, host: str, port: int, encryption: str) -> None:
    page.ui.diagServerCombo.setEditText(host)
    page.ui.diagPortSpin.setValue(port)
    page.set_encryption(encryption)


def run(qtbot, page: DiagnosticsPage) -> None:  # type: ignore[no-untyped-def]
    page.ui.runDiagnosticsButton.click()
    qtbot.waitUntil(lambda: page.task is None and page.report is not None, timeout=WAIT)


def test_contract_object_names(page):
    for name, kind in [("diagServerCombo", QComboBox), ("diagPortSpin", QSpinBox),
                       ("diagEncryptionCombo", QComboBox), ("runDiagnosticsButton", QPushButton),
                       ("cancelDiagnosticsButton", QPushButton), ("diagnosticsSteps", QTreeWidget),
                       ("trustCertificateButton", QPushButton)]:
        assert page.findChild(kind, name) is not None, name
    assert page.objectName() == "diagnosticsPage"
    assert page.ui.diagServerCombo.isEditable()
    combo = page.ui.diagEncryptionCombo
    assert [combo.itemData(i) for i in range(combo.count())] == ["ssl", "tls", "none"]


def test_steps_shown_live_and_report_exported(qtbot, page, smtp_server_factory, tmp_path):
    server = smtp_server_factory("plain")
    fill(page, server.host, server.port, "none")
    page.ui.diagRecipientEdit.setText("boss@corp.test")
    run(qtbot, page)
    rows = dict(page.step_rows())
    assert list(rows) == ["dns", "connect", "greeting", "ehlo", "tls", "auth_methods", "login",
                          "rcpt", "quit"]
    assert rows["rcpt"] == "Passed" and rows["tls"] == "Skipped"
    assert "All steps passed" in page.ui.diagSummaryLabel.text()
    assert "TO:<boss@corp.test>" in page.ui.diagTranscript.toPlainText()
    assert page.ui.exportReportButton.isEnabled() and page.ui.runDiagnosticsButton.isEnabled()
    page.export_report(str(tmp_path / "report.md"))
    assert "## Steps" in (tmp_path / "report.md").read_text("utf-8")
    page.copy_transcript()


def test_failed_step_explains_and_wrong_mode_switch(qtbot, page, smtp_server_factory):
    server = smtp_server_factory("plain")
    fill(page, server.host, server.port, "ssl")
    run(qtbot, page)
    rows = dict(page.step_rows())
    assert rows["tls"] == "Failed" and rows["quit"] == "Skipped"
    tls_item = page._items["tls"]
    children = [tls_item.child(i).text(0) for i in range(tls_item.childCount())]
    assert children[:3] == ["Problem", "Why", "Fix"]
    assert "Encryption does not match the port" in page.ui.diagSummaryLabel.text()
    assert not page.ui.trustCertificateButton.isEnabled()
    assert page.ui.switchModeButton.isVisibleTo(page)
    page.ui.switchModeButton.click()
    qtbot.waitUntil(lambda: page.task is None and page.report is not None, timeout=WAIT)
    assert page.ui.diagEncryptionCombo.currentData() == "none"
    assert page.report is not None and page.report.ok


def test_cancel_mid_run(qtbot, page, silent_server):
    fill(page, silent_server.host, silent_server.port, "tls")
    page.ui.runDiagnosticsButton.click()
    assert page.ui.cancelDiagnosticsButton.isEnabled()
    qtbot.waitUntil(lambda: dict(page.step_rows()).get("greeting") == "Running…", timeout=WAIT)
    page.ui.cancelDiagnosticsButton.click()
    qtbot.waitUntil(lambda: page.task is None, timeout=5_000)
    assert page.report is not None
    failed = page.report.failed_step
    assert failed is not None and failed.error is not None
    assert failed.error.code is ErrorCode.INTERRUPTED
    assert page.ui.runDiagnosticsButton.isEnabled()
    assert not page.ui.cancelDiagnosticsButton.isEnabled()


def test_trust_button_pins_and_the_next_run_passes(qtbot, page, smtp_server_factory, smtp_cert,
                                                   monkeypatch):
    server = smtp_server_factory("ssl")
    fill(page, server.host, server.port, "ssl")
    run(qtbot, page)
    assert dict(page.step_rows())["tls"] == "Failed"
    assert page.ui.trustCertificateButton.isEnabled()
    shown: list[CertificateDialog] = []

    def exec_and_trust(dialog: CertificateDialog) -> int:
        shown.append(dialog)
        assert dialog.trustButton.isVisibleTo(dialog)
        assert smtp_cert.sha256[:2].upper() in dialog.findChild(
            object, "certificateFingerprintLabel").text()  # type: ignore[union-attr]
        dialog.trustButton.click()
        return int(dialog.result())

    monkeypatch.setattr(CertificateDialog, "exec", exec_and_trust)
    page.ui.trustCertificateButton.click()
    assert shown and shown[0].trusted is not None and shown[0].trusted.sha256 == smtp_cert.sha256
    qtbot.waitUntil(lambda: page.task is None and page.report is not None, timeout=WAIT)
    assert page.report is not None and page.report.ok
    assert "pinned" in page.report.step("tls").detail  # type: ignore[union-attr]


def test_changed_certificate_dialog_refuses(qtbot, mailbox, smtp_cert):
    error = BimailError(
        ErrorCode.TLS_PIN_MISMATCH, "changed",
        extra={"expected": ["ab" * 32], "actual": smtp_cert.sha256,
               "certificate": {"sha256": smtp_cert.sha256, "pem": smtp_cert.pem,
                               "subject": "CN=x", "issuer": "CN=y", "alt_names": []}},
    )
    dialog = CertificateDialog(mailbox, "127.0.0.1", 465, error)
    qtbot.addWidget(dialog)
    assert not dialog.trustButton.isVisibleTo(dialog)
    assert dialog.manageButton.isVisibleTo(dialog)
    text = dialog.reasonLabel.text()
    assert "intercepted" in text
    labels = " ".join(w.text() for w in dialog.findChildren(type(dialog.reasonLabel)))
    assert "AB:AB:AB" in labels and smtp_cert.sha256[:4].upper() in labels.replace(":", "")


def test_expired_certificate_is_explained(qtbot, mailbox, smtp_cert):
    error = BimailError(ErrorCode.TLS_EXPIRED, "old", extra={"certificate": {
        "sha256": smtp_cert.sha256, "pem": smtp_cert.pem, "not_before": "2020-01-01",
        "not_after": "2021-01-01", "alt_names": ["127.0.0.1"]}})
    dialog = CertificateDialog(mailbox, "127.0.0.1", 465, error)
    qtbot.addWidget(dialog)
    assert "2021-01-01" in dialog.reasonLabel.text()
    assert "out of date" in dialog.acceptLabel.text()


def test_import_ca_and_trusted_list(qtbot, mailbox, smtp_ca_pem, smtp_cert, tmp_path):
    pem_file = tmp_path / "corp-ca.pem"
    pem_file.write_text(smtp_ca_pem)
    error = BimailError(ErrorCode.TLS_UNTRUSTED, "x", extra={"certificate": {
        "sha256": smtp_cert.sha256, "pem": smtp_cert.pem}})
    dialog = CertificateDialog(mailbox, "localhost", 25, error)
    qtbot.addWidget(dialog)
    dialog.import_ca(str(pem_file))
    assert dialog.trusted is not None and dialog.trusted.kind == "ca"
    mailbox.trust_pin("127.0.0.1", 465, ssl.PEM_cert_to_DER_cert(smtp_cert.pem))
    listing = TrustedCertificatesDialog(mailbox)
    qtbot.addWidget(listing)
    assert listing.table.rowCount() == 2
    listing.table.selectRow(0)
    assert listing.removeButton.isEnabled()
    asked: list[str] = []
    listing.ask = lambda _parent, _title, text: asked.append(text) or False  # "No"
    listing.remove_selected()
    assert "Remove" in asked[0] and len(mailbox.trusted_certificates()) == 2
    listing.ask = lambda *_args: True  # "Yes"
    listing.remove_selected()
    assert listing.table.rowCount() == 1 and len(mailbox.trusted_certificates()) == 1


def test_detect_dialog_offers_found_settings(qtbot, mailbox, smtp_server_factory, unused_port):
    plain = smtp_server_factory("plain")
    dialog = DetectDialog(mailbox, "admin@corp.test",
                          candidates=[("127.0.0.1", unused_port, "tls"),
                                      ("127.0.0.1", plain.port, "tls")], timeout=2.0)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)
    assert dialog.resultList.count() == 1
    assert dialog.chosen_settings() == {"server": "127.0.0.1", "port": plain.port,
                                        "encryption": "none", "address": "admin@corp.test"}
    dialog.shutdown()


def test_run_for_uses_the_form_values(qtbot, page, smtp_server_factory):
    server = smtp_server_factory("plain", users={"u@corp.test": "pw-123"},
                                 auth_require_tls=False)
    page.run_for({"server": server.host, "port": server.port, "encryption": "none",
                  "address": "u@corp.test"}, "pw-123")
    qtbot.waitUntil(lambda: page.task is None and page.report is not None, timeout=WAIT)
    assert dict(page.step_rows())["login"] == "Passed"
    assert "pw-123" not in page.ui.diagTranscript.toPlainText()
