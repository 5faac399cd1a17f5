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
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import BimailError, ErrorCode
from ..domain.models import TrustedCertificate
from ..services import Mailbox
from .feedback import ERROR_COLOUR, WARN_COLOUR, coloured, error_html

log = logging.getLogger(__name__)

CERTIFICATE_CODES = {
    ErrorCode.TLS_UNTRUSTED,
    ErrorCode.TLS_HOSTNAME_MISMATCH,
    ErrorCode.TLS_EXPIRED,
    ErrorCode.TLS_PIN_MISMATCH,
}


def _fingerprint(sha256: str) -> str:
    return ":".join(sha256[i : i + 2] for i in range(0, len(sha256), 2)).upper()


def _selectable(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


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
        self.setObjectName("certificateDialog")
        self.mailbox = mailbox
        self.host = host
        self.port = port
        self.error = error
        self.trusted: TrustedCertificate | None = None
        self.certificate: Mapping[str, Any] = dict(error.extra.get("certificate") or {})
        self.setWindowTitle(self.tr("Server certificate"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)

        self.reasonLabel = QLabel(self)
        self.reasonLabel.setObjectName("certificateReasonLabel")
        self.reasonLabel.setWordWrap(True)
        self.reasonLabel.setText(self._reason_html())
        layout.addWidget(self.reasonLabel)

        form = QFormLayout()
        cert = self.certificate
        names = ", ".join(cert.get("alt_names") or []) or self.tr("(none)")
        rows = [
            (self.tr("Server:"), f"{host}:{port}"),
            (self.tr("Issued to:"), str(cert.get("subject", ""))),
            (self.tr("Issued by:"), str(cert.get("issuer", ""))),
            (self.tr("Names:"), names),
            (self.tr("Valid from:"), str(cert.get("not_before", ""))),
            (self.tr("Valid until:"), str(cert.get("not_after", ""))),
            (self.tr("SHA-256 fingerprint:"), _fingerprint(str(cert.get("sha256", "")))),
        ]
        if error.code is ErrorCode.TLS_PIN_MISMATCH:
            expected = [_fingerprint(s) for s in error.extra.get("expected", [])]
            rows.append((self.tr("Trusted before:"), "\n".join(expected)))
        for label, value in rows:
            field = _selectable(value, self)
            form.addRow(label, field)
            if label == self.tr("SHA-256 fingerprint:"):
                field.setObjectName("certificateFingerprintLabel")
        layout.addLayout(form)

        self.acceptLabel = QLabel(self)
        self.acceptLabel.setObjectName("certificateAcceptLabel")
        self.acceptLabel.setWordWrap(True)
        self.acceptLabel.setText(self._what_you_accept())
        layout.addWidget(self.acceptLabel)

        self.statusLabel = QLabel(self)
        self.statusLabel.setObjectName("certificateStatusLabel")
        self.statusLabel.setWordWrap(True)
        layout.addWidget(self.statusLabel)

        buttons = QDialogButtonBox(self)
        self.trustButton = QPushButton(self.tr("Trust this certificate"), self)
        self.trustButton.setObjectName("trustThisCertificateButton")
        self.importButton = QPushButton(self.tr("Import CA certificate…"), self)
        self.importButton.setObjectName("importCaButton")
        self.manageButton = QPushButton(self.tr("Trusted certificates…"), self)
        self.manageButton.setObjectName("manageTrustButton")
        buttons.addButton(self.trustButton, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.importButton, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.manageButton, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.trustButton.clicked.connect(self.trust_certificate)
        self.importButton.clicked.connect(lambda: self.import_ca())
        self.manageButton.clicked.connect(self._manage)
        changed = error.code is ErrorCode.TLS_PIN_MISMATCH
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
            path, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Import CA certificate"), "",
                self.tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"),
            )
            if not path:
                return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.statusLabel.setText(coloured(str(exc.strerror or exc), ERROR_COLOUR))
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
        self.setObjectName("trustedCertificatesDialog")
        self.mailbox = mailbox
        self.setWindowTitle(self.tr("Trusted certificates"))
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Certificates trusted in this program, in addition to the "
                               "system's: imported CA certificates, and certificates of one "
                               "server (pinned)."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("trustedCertificatesTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Kind"), self.tr("Server"), self.tr("Subject"), self.tr("SHA-256"),
            self.tr("Added"),
        ])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.statusLabel = QLabel(self)
        self.statusLabel.setWordWrap(True)
        layout.addWidget(self.statusLabel)
        row = QHBoxLayout()
        self.removeButton = QPushButton(self.tr("Remove"), self)
        self.removeButton.setObjectName("removeTrustButton")
        self.importButton = QPushButton(self.tr("Import CA certificate…"), self)
        self.importButton.setObjectName("importCaButton")
        close = QPushButton(self.tr("Close"), self)
        row.addWidget(self.removeButton)
        row.addWidget(self.importButton)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.removeButton.clicked.connect(self.remove_selected)
        self.importButton.clicked.connect(lambda: self.import_ca())
        close.clicked.connect(self.accept)
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
                self.table.setItem(index, column, QTableWidgetItem(value))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.removeButton.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        entry = self.entries[rows[0].row()]
        try:
            self.mailbox.trust_remove(entry.sha256)
        except BimailError as exc:
            self.statusLabel.setText(error_html(exc))
        else:
            self.statusLabel.setText(self.tr("Removed: %1").replace("%1", entry.subject))
        self.refresh()

    def import_ca(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Import CA certificate"), "",
                self.tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"),
            )
            if not path:
                return
        try:
            self.mailbox.trust_import_ca(Path(path).read_bytes())
        except BimailError as exc:
            self.statusLabel.setText(error_html(exc))
        except OSError as exc:
            self.statusLabel.setText(coloured(str(exc.strerror or exc), ERROR_COLOUR))
        self.refresh()
