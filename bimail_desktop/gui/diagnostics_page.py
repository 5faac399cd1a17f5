"""The Diagnostics page: check a mail server step by step (T1), trust its certificate (T2).

The form (``ui/diagnostics_page.ui``) takes a stored sender or a server typed freely; the
diagnosis runs in a worker (``Mailbox.diagnose``) and every step appears as it runs with its
result, time and detail; a failed step shows title, explanation and fix. From here the admin
trusts a certificate, switches to the encryption the port really speaks, copies the
transcript or exports a report for support. :meth:`DiagnosticsPage.run_for` lets the sender
dialog start a diagnosis with its form's values.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QFileDialog, QStyle, QTreeWidgetItem, QWidget

from ..domain.errors import BimailError, ErrorCode
from ..domain.models import Encryption
from ..domain.providers import load_providers
from ..domain.validation import MAX_PORT, MIN_PORT
from ..mail.diagnostics import STEP_NAMES, DiagnosticReport, DiagnosticStep, StepStatus
from ..services import Mailbox
from .certificate_dialog import CERTIFICATE_CODES, CertificateDialog, TrustedCertificatesDialog
from .feedback import ERROR_COLOUR, OK_COLOUR, WARN_COLOUR, coloured, error_html
from .generated.ui_diagnostics_page import Ui_DiagnosticsPage
from .workers import Task, TaskRunner

log = logging.getLogger(__name__)

ROLE_STEP = Qt.ItemDataRole.UserRole + 1


class DiagnosticsPage(QWidget):
    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mailbox = mailbox
        self.ui = Ui_DiagnosticsPage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("diagnosticsPage")
        self.runner = TaskRunner(self)
        self.task: Task | None = None
        self.report: DiagnosticReport | None = None
        self._items: dict[str, QTreeWidgetItem] = {}
        self._target: tuple[str, int] = ("", 0)
        self._step_titles = {
            "dns": self.tr("Name resolution"),
            "connect": self.tr("Connection"),
            "greeting": self.tr("Server greeting"),
            "ehlo": self.tr("Capabilities (EHLO)"),
            "tls": self.tr("Encryption (TLS)"),
            "auth_methods": self.tr("Login methods"),
            "login": self.tr("Login"),
            "rcpt": self.tr("Sender and recipient"),
            "quit": self.tr("End of session"),
        }
        ui = self.ui
        for label, value in ((self.tr("SSL"), "ssl"), (self.tr("TLS"), "tls"),
                             (self.tr("Do Not Encrypt"), "none")):
            ui.diagEncryptionCombo.addItem(label, value)
        self.set_encryption(Encryption.TLS)
        ui.diagPortSpin.setRange(MIN_PORT, MAX_PORT)  # the range the CLI accepts
        for provider in load_providers():
            if provider.host:
                ui.diagServerCombo.addItem(provider.host, (provider.port,
                                                           provider.encryption.value))
        ui.diagServerCombo.setCurrentIndex(-1)
        ui.diagServerCombo.setEditText("")
        server_edit = ui.diagServerCombo.lineEdit()
        if server_edit is not None:
            server_edit.setPlaceholderText(self.tr("smtp.example.com or an IP address"))
        ui.diagnosticsSteps.setColumnWidth(0, 190)
        ui.diagnosticsSteps.setColumnWidth(1, 90)
        ui.diagnosticsSteps.setColumnWidth(2, 70)
        # the steps are what the admin reads; the transcript is for support, so it starts small
        ui.diagSplitter.setStretchFactor(0, 4)
        ui.diagSplitter.setStretchFactor(1, 1)
        self._sized = False

        ui.runDiagnosticsButton.clicked.connect(self.start)
        ui.cancelDiagnosticsButton.clicked.connect(self.cancel)
        ui.trustCertificateButton.clicked.connect(self.open_certificate_dialog)
        ui.manageTrustButton.clicked.connect(self.open_trusted_certificates)
        ui.exportReportButton.clicked.connect(lambda: self.export_report())
        ui.copyTranscriptButton.clicked.connect(self.copy_transcript)
        ui.switchModeButton.clicked.connect(self.apply_suggestion)
        ui.diagSenderCombo.activated.connect(self._sender_chosen)
        ui.diagServerCombo.activated.connect(self._preset_chosen)
        self.refresh_senders()

    # -- form ----------------------------------------------------------------------------
    def refresh_senders(self) -> None:
        combo = self.ui.diagSenderCombo
        current = combo.currentData()
        combo.clear()
        combo.addItem(self.tr("(none — enter a server below)"), None)
        try:
            senders = self.mailbox.list_senders()
        except BimailError as exc:
            log.warning("cannot list senders: %s", exc.code.value)
            senders = []
        for sender in senders:
            text = sender.address + (self.tr(" (default)") if sender.is_default else "")
            combo.addItem(text, sender.address)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        # senders may have been added or removed on the Senders page meanwhile
        if self.task is None:
            self.refresh_senders()
        super().showEvent(event)
        if not self._sized:  # once laid out: most of the height to the steps
            self._sized = True
            total = sum(self.ui.diagSplitter.sizes()) or 500
            self.ui.diagSplitter.setSizes([total - min(110, total // 3), min(110, total // 3)])

    def set_encryption(self, encryption: Encryption | str) -> None:
        combo = self.ui.diagEncryptionCombo
        combo.setCurrentIndex(max(combo.findData(Encryption(encryption).value), 0))

    def _sender_chosen(self, _index: int = 0) -> None:
        address = self.ui.diagSenderCombo.currentData()
        if not address:
            return
        try:
            sender = self.mailbox.get_sender(address)
        except BimailError as exc:
            self.ui.diagSummaryLabel.setText(error_html(exc))
            return
        self.ui.diagServerCombo.setEditText(sender.server)
        self.ui.diagPortSpin.setValue(sender.port)
        self.set_encryption(sender.encryption)
        self.ui.diagUsernameEdit.setText(sender.username or sender.address)
        self.ui.diagPasswordEdit.clear()

    def _preset_chosen(self, index: int) -> None:
        data = self.ui.diagServerCombo.itemData(index)
        if data:
            port, encryption = data
            self.ui.diagPortSpin.setValue(int(port))
            self.set_encryption(encryption)

    def settings(self) -> dict[str, Any]:
        """The form's values as the mapping Mailbox.diagnose takes (no password)."""
        address = self.ui.diagSenderCombo.currentData()
        data: dict[str, Any] = {
            "server": self.ui.diagServerCombo.currentText().strip(),
            "port": self.ui.diagPortSpin.value(),
            "encryption": self.ui.diagEncryptionCombo.currentData(),
            "username": self.ui.diagUsernameEdit.text().strip(),
        }
        if address:
            data["address"] = address
        elif "@" in data["username"]:
            data["address"] = data["username"]
        return data

    # -- running -------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.task is not None

    def run_for(self, settings: Mapping[str, Any], password: str | None = None,
                to: str | None = None) -> None:
        """Fill the form with ``settings`` (server, port, encryption, username, address) and
        start the diagnosis — e.g. from the sender dialog with its unsaved values."""
        address = str(settings.get("address") or "")
        combo = self.ui.diagSenderCombo
        combo.setCurrentIndex(max(combo.findData(address), 0) if address else 0)
        self.ui.diagServerCombo.setEditText(str(settings.get("server") or ""))
        if settings.get("port"):
            self.ui.diagPortSpin.setValue(int(settings["port"]))
        if settings.get("encryption"):
            self.set_encryption(str(settings["encryption"]))
        self.ui.diagUsernameEdit.setText(str(settings.get("username") or address))
        self.ui.diagPasswordEdit.setText(password or "")
        if to is not None:
            self.ui.diagRecipientEdit.setText(to)
        self.start(extra_address=address)

    def start(self, *_args: object, extra_address: str = "") -> None:
        if self.task is not None:
            return
        settings = self.settings()
        if extra_address and "address" not in settings:
            settings["address"] = extra_address
        password = self.ui.diagPasswordEdit.text() or None
        to = self.ui.diagRecipientEdit.text().strip() or None
        self._reset()
        self._target = (str(settings["server"]), int(settings["port"]))
        self.ui.diagSummaryLabel.setText(html.escape(self.tr("Checking %1 port %2…")
                                                     .replace("%1", self._target[0])
                                                     .replace("%2", str(self._target[1]))))
        self.ui.runDiagnosticsButton.setEnabled(False)
        self.ui.cancelDiagnosticsButton.setEnabled(True)
        self.task = self.runner.start(
            self.mailbox.diagnose,
            settings=settings,
            password=password,
            to=to,
            on_progress=self._on_step,
            on_finished=self._on_report,
            on_failed=self._on_failed,
            on_done=self._on_done,
        )

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.ui.cancelDiagnosticsButton.setEnabled(False)
            self.ui.diagSummaryLabel.setText(html.escape(self.tr("Cancelling…")))

    def shutdown(self) -> None:
        """Cancel and wait for this page's background work (called when the window closes)."""
        self.runner.shutdown()
        self.task = None

    def _reset(self) -> None:
        self.report = None
        self._items.clear()
        self.ui.diagnosticsSteps.clear()
        self.ui.diagTranscript.clear()
        self.ui.trustCertificateButton.setEnabled(False)
        self.ui.exportReportButton.setEnabled(False)
        self.ui.copyTranscriptButton.setEnabled(False)
        self.ui.switchModeButton.setVisible(False)

    def _on_done(self) -> None:
        self.task = None
        self.ui.runDiagnosticsButton.setEnabled(True)
        self.ui.cancelDiagnosticsButton.setEnabled(False)

    # -- showing steps -------------------------------------------------------------------
    def _status_look(self, status: StepStatus) -> tuple[str, str, QStyle.StandardPixmap]:
        return {
            StepStatus.RUNNING: (self.tr("Running…"), WARN_COLOUR,
                                 QStyle.StandardPixmap.SP_BrowserReload),
            StepStatus.PASS: (self.tr("Passed"), OK_COLOUR,
                              QStyle.StandardPixmap.SP_DialogApplyButton),
            StepStatus.FAIL: (self.tr("Failed"), ERROR_COLOUR,
                              QStyle.StandardPixmap.SP_MessageBoxCritical),
            StepStatus.SKIPPED: (self.tr("Skipped"), "",
                                 QStyle.StandardPixmap.SP_MediaSkipForward),
        }[status]

    def _on_step(self, step: object) -> None:
        if not isinstance(step, DiagnosticStep):
            return
        item = self._items.get(step.name)
        if item is None:
            item = QTreeWidgetItem(self.ui.diagnosticsSteps)
            item.setData(0, ROLE_STEP, step.name)
            self._items[step.name] = item
        label, colour, icon = self._status_look(step.status)
        item.setText(0, self._step_titles.get(step.name, step.name))
        item.setText(1, label)
        item.setIcon(1, self.style().standardIcon(icon))
        if colour:
            item.setForeground(1, QBrush(QColor(colour)))
        item.setText(2, "" if step.status is StepStatus.RUNNING
                     else self.tr("%1 ms").replace("%1", str(step.duration_ms)))
        from .i18n import installed_language

        detail = step.text(installed_language())  # the step's sentence in the window's language
        item.setText(3, detail)
        item.setToolTip(3, detail)
        if step.error is not None:
            self._add_error_children(item, step.error)
        self.ui.diagnosticsSteps.scrollToItem(item)

    def _add_error_children(self, item: QTreeWidgetItem, error: BimailError) -> None:
        item.takeChildren()
        lang = getattr(self.mailbox, "lang", "en")
        title, explanation, _fix = error.info.text(lang)
        fix = error.fix(lang)
        rows = [(self.tr("Problem"), title), (self.tr("Why"), explanation),
                (self.tr("Fix"), fix)]
        if error.server_reply:
            rows.append((self.tr("Server said"), error.server_reply))
        for name, text in rows:
            child = QTreeWidgetItem(item)
            child.setText(0, name)
            child.setText(3, text)
            child.setToolTip(3, text)
            child.setFirstColumnSpanned(False)
        item.setExpanded(True)

    def step_rows(self) -> list[tuple[str, str]]:
        """(step name, shown result) for every row — what the admin sees."""
        return [(name, item.text(1)) for name, item in self._items.items()]

    def _on_report(self, report: object) -> None:
        assert isinstance(report, DiagnosticReport)
        self.report = report
        for step in report.steps:
            self._on_step(step)
        self.ui.diagTranscript.setPlainText("\n".join(report.transcript))
        self.ui.copyTranscriptButton.setEnabled(bool(report.transcript))
        self.ui.exportReportButton.setEnabled(True)
        failed = report.failed_step
        lang = getattr(self.mailbox, "lang", "en")
        if failed is None:
            self.ui.diagSummaryLabel.setText(coloured(
                self.tr("All steps passed for %1 port %2.").replace("%1", report.server)
                .replace("%2", str(report.port)), OK_COLOUR))
        else:
            head = coloured(self.tr("Failed at: %1").replace(
                "%1", self._step_titles.get(failed.name, failed.name)), ERROR_COLOUR)
            body = error_html(failed.error, lang) if failed.error is not None else ""
            self.ui.diagSummaryLabel.setText(f"{head}<br>{body}")
        can_trust = (failed is not None and failed.name == "tls" and failed.error is not None
                     and failed.error.code in CERTIFICATE_CODES
                     and bool(failed.error.extra.get("certificate")))
        self.ui.trustCertificateButton.setEnabled(can_trust)
        suggestion = report.suggestion
        if suggestion:
            enc = Encryption(str(suggestion.get("encryption")))
            label = {Encryption.SSL: self.tr("SSL"), Encryption.TLS: self.tr("TLS"),
                     Encryption.NONE: self.tr("Do Not Encrypt")}[enc]
            self.ui.switchModeButton.setText(
                self.tr("Switch to %1 (port %2)").replace("%1", label)
                .replace("%2", str(suggestion.get("port"))))
            self.ui.switchModeButton.setVisible(True)

    def _on_failed(self, error: BaseException) -> None:
        self.ui.diagSummaryLabel.setText(error_html(error, getattr(self.mailbox, "lang", "en")))

    # -- actions -------------------------------------------------------------------------
    def apply_suggestion(self) -> None:
        """Switch the form to what the port speaks, and check again."""
        if self.report is None or not self.report.suggestion:
            return
        suggestion = self.report.suggestion
        self.set_encryption(str(suggestion["encryption"]))
        if suggestion.get("port"):
            self.ui.diagPortSpin.setValue(int(suggestion["port"]))
        self.start()

    def failed_certificate_error(self) -> BimailError | None:
        failed = self.report.failed_step if self.report is not None else None
        if failed is None or failed.error is None or failed.error.code not in CERTIFICATE_CODES:
            return None
        return failed.error

    def certificate_dialog(self) -> CertificateDialog | None:
        error = self.failed_certificate_error()
        if error is None or self.report is None:
            return None
        return CertificateDialog(self.mailbox, self.report.server, self.report.port, error, self)

    def open_certificate_dialog(self) -> None:
        dialog = self.certificate_dialog()
        if dialog is None:
            return
        if dialog.exec() and dialog.trusted is not None:
            # trusted now: check again so the admin sees it pass
            self.start()

    def open_trusted_certificates(self) -> None:
        TrustedCertificatesDialog(self.mailbox, self).exec()

    def copy_transcript(self) -> None:
        QGuiApplication.clipboard().setText(self.ui.diagTranscript.toPlainText())

    def export_report(self, path: str | None = None) -> None:
        if self.report is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Export diagnostics report"), "bimail-diagnostics.md",
                self.tr("Markdown (*.md);;JSON (*.json)"),
            )
            if not path:
                return
        try:
            written = self.mailbox.export_diagnostics_report(self.report, path)
        except BimailError as exc:
            self.ui.diagSummaryLabel.setText(error_html(exc))
            return
        self.ui.diagSummaryLabel.setText(self.ui.diagSummaryLabel.text() + "<br>" + html.escape(
            self.tr("Report written to %1").replace("%1", str(written))))


__all__ = ["DiagnosticsPage", "STEP_NAMES", "ErrorCode"]
