"""Trusting a server's certificate inside the program (T2).

:class:`CertificateDialog` shows the certificate a server presented when verification failed
(subject, issuer, names, validity, SHA-256 and why it failed) and offers "Trust this
certificate" (a pin for that host:port) or "Import CA certificate…". A pinned certificate
that changed is refused with a warning and both fingerprints — no button trusts it from here.

:class:`TrustedCertificatesDialog` lists what the admin trusted and removes entries.
Both call only :class:`~bimail_desktop.services.Mailbox` methods.
"""

from __future__ import annotations

import html
import logging
import ssl
from collections.abc import Mapping
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMessageBox,
    QTableWidgetItem,
    QWidget,
)

from ..domain.errors import BimailError, ErrorCode
from ..domain.models import TrustedCertificate
from ..fileio import read_limited
from ..services import Mailbox
from ..services.trust import MAX_CERTIFICATE_FILE
from .feedback import ERROR_COLOUR, WARN_COLOUR, coloured, error_html
from .fitting import ColumnFitter
from .generated.ui_certificate_dialog import Ui_CertificateDialog
from .generated.ui_trusted_certificates_dialog import Ui_TrustedCertificatesDialog

log = logging.getLogger(__name__)

CERTIFICATE_CODES = {
    ErrorCode.TLS_UNTRUSTED,
    ErrorCode.TLS_HOSTNAME_MISMATCH,
    ErrorCode.TLS_EXPIRED,
    ErrorCode.TLS_PIN_MISMATCH,
}


def choose_ca_file(parent: QWidget) -> str:
    """Ask for a CA certificate file (PEM or DER); "" when the admin cancels."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, parent.tr("Import CA certificate"), "",
        parent.tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"),
    )
    return path


def _fingerprint(sha256: str) -> str:
    return ":".join(sha256[i : i + 2] for i in range(0, len(sha256), 2)).upper()


def _fingerprint_lines(sha256: str) -> str:
    """The fingerprint on two lines of 16 bytes, so that the dialog need not be 800 px wide
    to show it whole (admins compare it by eye with the server's)."""
    half = len(sha256) // 2
    return f"{_fingerprint(sha256[:half])}\n{_fingerprint(sha256[half:])}"


class CertificateDialog(QDialog):
    """The certificate of ``host:port`` that failed verification, and what to do about it.

    After ``exec()``: :attr:`trusted` is the new trust entry (pin or CA), or None."""

    def __init__(
        self,
        mailbox: Mailbox,
        host: str,
        port: int,
        error: BimailError,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_CertificateDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("certificateDialog")
        self.mailbox = mailbox
        self.host = host
        self.port = port
        self.error = error
        self.trusted: TrustedCertificate | None = None
        self.certificate: Mapping[str, Any] = dict(error.extra.get("certificate") or {})
        ui = self.ui
        self.reasonLabel = ui.certificateReasonLabel
        self.acceptLabel = ui.certificateAcceptLabel
        self.statusLabel = ui.certificateStatusLabel
        self.trustButton = ui.trustThisCertificateButton
        self.importButton = ui.importCaButton
        self.manageButton = ui.manageTrustButton

        cert = self.certificate
        changed = error.code is ErrorCode.TLS_PIN_MISMATCH
        names = ", ".join(cert.get("alt_names") or []) or self.tr("(none)")
        ui.certificateServerLabel.setText(f"{host}:{port}")
        ui.certificateSubjectLabel.setText(str(cert.get("subject", "")))
        ui.certificateIssuerLabel.setText(str(cert.get("issuer", "")))
        ui.certificateNamesLabel.setText(names)
        ui.certificateValidFromLabel.setText(str(cert.get("not_before", "")))
        ui.certificateValidUntilLabel.setText(str(cert.get("not_after", "")))
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        ui.certificateFingerprintLabel.setFont(fixed)
        ui.certificateExpectedLabel.setFont(fixed)
        ui.certificateFingerprintLabel.setText(_fingerprint_lines(str(cert.get("sha256", ""))))
        expected = ([_fingerprint_lines(s) for s in error.extra.get("expected", [])]
                    if changed else [])
        ui.certificateExpectedLabel.setText("\n\n".join(expected))
        ui.certificateForm.setRowVisible(ui.certificateExpectedLabel, changed)
        self.reasonLabel.setText(self._reason_html())
        self.acceptLabel.setText(self._what_you_accept())

        ui.certificateButtonBox.rejected.connect(self.reject)
        self.trustButton.clicked.connect(self.trust_certificate)
        self.importButton.clicked.connect(lambda: self.import_ca())
        self.manageButton.clicked.connect(self._manage)
        # a changed pinned certificate is never trusted from here (it may be an attack)
        self.trustButton.setVisible(not changed and bool(cert.get("pem")))
        self.importButton.setVisible(not changed)
        self.manageButton.setVisible(changed)

    # -- texts -------------------------------------------------------------------------
    def _reason_html(self) -> str:
        code = self.error.code
        cert = self.certificate
        if code is ErrorCode.TLS_PIN_MISMATCH:
            head = coloured(self.tr("Warning: the server's certificate has changed"),
                            ERROR_COLOUR)
            body = self.tr(
                "%1:%2 presented a different certificate than the one you trusted for it. "
                "The connection may be intercepted. The program refuses it. Ask the mail "
                "server's administrator whether the certificate was renewed; only then "
                "remove the old entry under Trusted certificates and trust the new one."
            ).replace("%1", self.host).replace("%2", str(self.port))
            return f"{head}<br>{html.escape(body)}"
        if code is ErrorCode.TLS_EXPIRED:
            why = self.tr("The certificate is out of date: it is valid from %1 until %2. The "
                          "mail server's administrator should renew it; also check this "
                          "computer's date and time.")
            why = why.replace("%1", str(cert.get("not_before", "?")))
            why = why.replace("%2", str(cert.get("not_after", "?")))
        elif code is ErrorCode.TLS_HOSTNAME_MISMATCH:
            names = ", ".join(cert.get("alt_names") or []) or str(cert.get("subject", "?"))
            why = self.tr("The certificate was issued for %1, not for %2. Enter the server "
                          "name exactly as it appears on the certificate, or trust this "
                          "certificate for this server.")
            why = why.replace("%1", names).replace("%2", self.host)
        elif cert.get("self_signed"):
            why = self.tr("The certificate is self-signed: no certificate authority vouches "
                          "for it. Check its fingerprint with the mail server's "
                          "administrator before you trust it.")
        else:
            why = self.tr("The certificate was issued by a certificate authority this "
                          "computer does not trust (for example your company's private CA). "
                          "Import that CA certificate, or trust this server's certificate.")
        return error_html(self.error, getattr(self.mailbox, "lang", "en")) + \
            "<br><br>" + html.escape(why)

    def _what_you_accept(self) -> str:
        code = self.error.code
        if code is ErrorCode.TLS_PIN_MISMATCH:
            return ""
        where = f"{self.host}:{self.port}"
        text = self.tr("Trusting accepts exactly this certificate (by its SHA-256 "
                       "fingerprint) for %1 only. If the server later presents another "
                       "certificate, the program refuses it and warns you.").replace("%1", where)
        if code is ErrorCode.TLS_EXPIRED:
            text += " " + self.tr("You accept a certificate that is out of date: the server "
                                  "still needs a renewed one.")
        elif code is ErrorCode.TLS_HOSTNAME_MISMATCH:
            text += " " + self.tr("You accept a certificate that was made for another name.")
        else:
            text += " " + self.tr("You accept that no certificate authority vouches for it.")
        return coloured(text, WARN_COLOUR, bold=False)

    # -- actions -----------------------------------------------------------------------
    def trust_certificate(self) -> None:
        pem = str(self.certificate.get("pem", ""))
        try:
            der = ssl.PEM_cert_to_DER_cert(pem)
            self.trusted = self.mailbox.trust_pin(self.host, self.port, der)
        except BimailError as exc:
            self.statusLabel.setText(error_html(exc))
            return
        except ValueError:
            self.statusLabel.setText(coloured(self.tr("The certificate could not be read."),
                                              ERROR_COLOUR))
            return
        self.accept()

    def import_ca(self, path: str | None = None) -> None:
        if path is None:
            path = choose_ca_file(self)
            if not path:
                return
        try:
            data = read_limited(path, MAX_CERTIFICATE_FILE, field="pem")
        except BimailError as exc:
            self.statusLabel.setText(error_html(exc))
            return
        try:
            self.trusted = self.mailbox.trust_import_ca(data)
        except BimailError as exc:
            self.statusLabel.setText(error_html(exc))
            return
        self.accept()

    def _manage(self) -> None:
        TrustedCertificatesDialog(self.mailbox, self).exec()


class TrustedCertificatesDialog(QDialog):
    """The CAs and pinned certificates trusted in the program; remove or import."""

    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_TrustedCertificatesDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("trustedCertificatesDialog")
        self.mailbox = mailbox
        ui = self.ui
        self.table = ui.trustedCertificatesTable
        self.statusLabel = ui.trustedStatusLabel
        self.removeButton = ui.removeTrustButton
        self.importButton = ui.importCaButton
        self.column_fitter = ColumnFitter(self.table, weights={0: 1, 1: 2, 2: 3, 3: 3, 4: 2})
        self.removeButton.clicked.connect(self.remove_selected)
        self.importButton.clicked.connect(lambda: self.import_ca())
        ui.closeTrustButton.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.entries: list[TrustedCertificate] = []
        self.refresh()

    def refresh(self) -> None:
        try:
            self.entries = list(self.mailbox.trusted_certificates())
        except BimailError as exc:
            self.statusLabel.setText(error_html(exc))
            self.entries = []
        self.table.setRowCount(len(self.entries))
        for index, entry in enumerate(self.entries):
            kind = self.tr("Pinned server certificate") if entry.kind == "pin" else \
                self.tr("CA certificate")
            values = [kind, entry.host or self.tr("(any server)"), entry.subject,
                      _fingerprint(entry.sha256), entry.added_at.astimezone().strftime(
                          "%Y-%m-%d %H:%M")]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(index, column, item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.removeButton.setEnabled(bool(self.table.selectionModel().selectedRows()))

    @staticmethod
    def ask(parent: QWidget, title: str, text: str) -> bool:
        """Ask yes/no (tests replace this)."""
        answer = QMessageBox.question(
            parent, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        entry = self.entries[rows[0].row()]
        what = (self.tr("Connections to %1 will fail again until its certificate is trusted "
                        "anew.").replace("%1", entry.host)
                if entry.kind == "pin" else
                self.tr("Servers with certificates from this authority will be untrusted "
                        "again."))
        question = self.tr("Remove %1 from the trusted certificates?").replace(
            "%1", entry.subject or entry.sha256)
        if not self.ask(self, self.tr("Remove trusted certificate"), f"{question}\n\n{what}"):
            return
        try:
            self.mailbox.trust_remove(entry.sha256)
        except BimailError as exc:
            self.statusLabel.setText(error_html(exc))
        else:
            self.statusLabel.setText(self.tr("Removed: %1").replace("%1", entry.subject))
        self.refresh()

    def import_ca(self, path: str | None = None) -> None:
        if path is None:
            path = choose_ca_file(self)
            if not path:
                return
        try:
            self.mailbox.trust_import_ca(read_limited(path, MAX_CERTIFICATE_FILE,
                                                      field="pem"))
        except BimailError as exc:
            self.statusLabel.setText(error_html(exc))
        except OSError as exc:
            self.statusLabel.setText(coloured(str(exc.strerror or exc), ERROR_COLOUR))
        self.refresh()
