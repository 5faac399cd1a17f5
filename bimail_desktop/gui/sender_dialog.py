"""The "Add sender" / "Edit sender" dialog: one account at a time (S2).

The form itself is designed in ``ui/sender_dialog.ui``; this module wires it to the
services layer: provider presets (S3), defaults 25 / TLS (S4), inline validation with the
same messages as the CLI, and the test mail (S8) sent in a worker thread with the values
currently in the form, saved or not.

One module on purpose: the form's fields, their inline checks and the test mail read and
write the same widgets; the OAuth2 part lives in ``oauth_panel.py``.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ..domain.errors import BimailError, InvalidInput
from ..domain.models import DEFAULT_ENCRYPTION, DEFAULT_PORT, Encryption, Sender
from ..domain.providers import Provider, load_providers, provider_by_host, provider_for_address
from ..domain.validation import (
    MAX_PORT,
    MAX_RATE_LIMIT,
    MIN_PORT,
    validate_address,
    validate_host,
    validate_password,
    validate_sender,
    validate_show_name,
    validate_username,
)
from ..services import Mailbox
from .feedback import ERROR_COLOUR, OK_COLOUR, WARN_COLOUR, coloured, error_html, field_problem
from .fitting import grow_to_fit
from .generated.ui_sender_dialog import Ui_SenderDialog
from .oauth_panel import OAuthPanel
from .workers import Task, TaskRunner

log = logging.getLogger(__name__)

_ERROR_STYLE = f"color: {ERROR_COLOUR};"
_WARN_STYLE = f"color: {WARN_COLOUR};"


def values_login(values: dict[str, Any]) -> str:
    return str(values.get("username") or values.get("address") or "")


def _first_failed_record(error: BaseException) -> int | None:
    """The record id of the first failed recipient of a failed send, if it has one."""
    outcome = getattr(error, "outcome", None)
    for recipient in getattr(outcome, "recipients", ()):
        if not recipient.success:
            return int(recipient.record_id)
    return None


class SenderDialog(QDialog):
    """Add a sender (``sender=None``) or edit ``sender``. After OK, :attr:`saved_sender`
    holds the stored sender and :attr:`saved` has been emitted."""

    saved = Signal(object)  # Sender
    testMailFailed = Signal(object)  # the id (int) of the failed test mail's record

    def __init__(
        self, mailbox: Mailbox, sender: Sender | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_SenderDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.mailbox = mailbox
        self.original = sender  # None: adding a new sender
        self.lang = str(getattr(mailbox, "lang", "en") or "en")
        self.saved_sender: Sender | None = None
        self._runner = TaskRunner(self)
        self._task: Task | None = None
        self._closing = False
        self._updating = 0  # > 0 while the dialog itself changes fields
        self._touched: set[str] = set()
        # What the admin set by hand is never overwritten by a proposal.
        self._server_manual = False
        self._server_proposed = False
        self._port_manual = False
        self._encryption_manual = False
        self._preset: Provider | None = None
        self._grow_when_shown = False
        self._providers = load_providers()

        self._fill_lists()
        # the sign-in method (password / OAuth2) and, for OAuth2, the app and "Sign in…"
        self.oauth_panel = OAuthPanel(mailbox, self.ui.oauthArea)
        self.ui.oauthLayout.addWidget(self.oauth_panel)
        self.oauth_panel.changed.connect(self._refresh)
        self._connect()
        if sender is not None:
            self._load(sender)
        else:
            self.setWindowTitle(self.tr("Add sender"))
            with self._quiet():
                self.ui.encryptionCombo.setCurrentIndex(self._encryption_index(DEFAULT_ENCRYPTION))
                self.ui.portSpin.setValue(DEFAULT_PORT)
        # "Trust certificate…" right under a certificate failure of the test mail
        self.trustButton = QPushButton(self.tr("&Trust certificate…"), self.ui.testGroup)
        self.trustButton.setObjectName("testTrustCertificateButton")
        self.trustButton.setAutoDefault(False)
        self.trustButton.setToolTip(self.tr("See the server's certificate and trust it"))
        self.trustButton.clicked.connect(lambda: self.trust_certificate())
        self.trustButton.hide()
        trust_row = QHBoxLayout()
        trust_row.addWidget(self.trustButton)
        trust_row.addStretch(1)
        self.ui.testLayout.addLayout(trust_row)
        # "Detect settings…" offered (never applied) for an address of an unknown provider
        self.detectOfferLabel = QLabel(self)
        self.detectOfferLabel.setObjectName("detectOfferLabel")
        self.detectOfferLabel.setWordWrap(True)
        self.detectOfferLabel.setTextFormat(Qt.TextFormat.RichText)
        policy = self.detectOfferLabel.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
        self.detectOfferLabel.setSizePolicy(policy)  # as wide as the address field
        self.detectOfferLabel.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.detectOfferLabel.linkActivated.connect(lambda _link: self.detect_settings())
        row, _role = cast(tuple[int, Any], self.ui.formLayout.getWidgetPosition(
            self.ui.addressErrorLabel))
        self.ui.formLayout.insertRow(row + 1, "", self.detectOfferLabel)
        self._certificate_error: BimailError | None = None
        self._tested_server: tuple[str, int] = ("", 0)
        self.ui.testBusyBar.hide()
        self.ui.cancelTestButton.hide()
        self._set_result("")
        self._refresh()
        self._set_tab_order()
        self._initial = self._snapshot()
        # as tall as the form needs; it grows when messages appear
        self.resize(max(self.width(), self.sizeHint().width()), self.sizeHint().height())

    # -- set-up ------------------------------------------------------------------------
    def _fill_lists(self) -> None:
        ui = self.ui
        with self._quiet():
            ui.encryptionCombo.clear()
            for enc, label, tip in (
                (
                    Encryption.SSL,
                    self.tr("SSL"),
                    self.tr("Encrypted from the first byte (SMTPS), usually port 465"),
                ),
                (
                    Encryption.TLS,
                    self.tr("TLS"),
                    self.tr(
                        "Starts plain, then encrypts with STARTTLS, usually port 587 or 25 "
                        "— recommended"
                    ),
                ),
                (
                    Encryption.NONE,
                    self.tr("Do Not Encrypt"),
                    self.tr(
                        "No encryption: only for trusted internal servers, e.g. an "
                        "on-premises Exchange on port 25"
                    ),
                ),
            ):
                ui.encryptionCombo.addItem(label, enc.value)
                ui.encryptionCombo.setItemData(
                    ui.encryptionCombo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
                )
            combo = ui.serverCombo
            combo.clear()
            combo.setCompleter(None)  # type: ignore[arg-type]  # inline completion would put a provider's name in
            for provider in self._providers:
                if provider.host:
                    text = f"{provider.name} — {provider.host}"
                else:
                    text = self.tr("%s — type the server's IP address") % provider.name
                combo.addItem(text, provider.id)
                combo.setItemData(
                    combo.count() - 1,
                    self.tr("Port %d, %s")
                    % (provider.port, self._encryption_label(provider.encryption)),
                    Qt.ItemDataRole.ToolTipRole,
                )
            combo.setCurrentIndex(-1)
            combo.setEditText("")
            line = combo.lineEdit()
            if line is not None:
                line.setPlaceholderText(
                    self.tr("Pick a provider, or type smtp.example.com or an IP address")
                )
        for error_label in self._error_labels() + [ui.passwordWarningLabel]:
            error_label.setStyleSheet(_ERROR_STYLE)
            # as wide as the field above it: a message wraps at the field's width, not
            # into a narrow column
            policy = error_label.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
            policy.setHeightForWidth(True)
            error_label.setSizePolicy(policy)
            error_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        ui.passwordWarningLabel.setStyleSheet(_WARN_STYLE)
        ok = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(self.tr("Save sender") if self.original is None else self.tr("Save"))
            ok.setDefault(True)

    def _connect(self) -> None:
        ui = self.ui
        # the ranges the CLI and the API accept
        ui.portSpin.setRange(MIN_PORT, MAX_PORT)
        ui.rateLimitSpin.setRange(0, MAX_RATE_LIMIT)
        ui.serverCombo.currentIndexChanged.connect(self._on_preset_index)
        ui.serverCombo.activated.connect(self._on_preset_index)
        ui.serverCombo.editTextChanged.connect(self._on_server_text)
        ui.portSpin.valueChanged.connect(self._on_port_changed)
        ui.encryptionCombo.currentIndexChanged.connect(self._on_encryption_changed)
        ui.addressEdit.textChanged.connect(self._on_address_changed)
        ui.usernameEdit.textChanged.connect(lambda _t: self._touch("username"))
        ui.passwordEdit.textChanged.connect(lambda _t: self._touch("password"))
        ui.showNameEdit.textChanged.connect(lambda _t: self._touch("show_name"))
        ui.showPasswordButton.toggled.connect(self._on_show_password)
        ui.testMailButton.clicked.connect(self.start_test_mail)
        ui.detectButton.clicked.connect(lambda: self.detect_settings())
        ui.diagnoseButton.clicked.connect(lambda: self.diagnose())
        ui.cancelTestButton.clicked.connect(self.cancel_test_mail)
        ui.testRecipientEdit.installEventFilter(self)
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)

    def _load(self, sender: Sender) -> None:
        ui = self.ui
        self.setWindowTitle(self.tr("Edit sender — %s") % sender.address)
        with self._quiet():
            ui.serverCombo.setCurrentIndex(-1)
            ui.serverCombo.setEditText(sender.server)
            ui.portSpin.setValue(sender.port)
            ui.encryptionCombo.setCurrentIndex(self._encryption_index(sender.encryption))
            ui.addressEdit.setText(sender.address)
            ui.usernameEdit.setText(sender.username)
            ui.showNameEdit.setText(sender.show_name)
            ui.rateLimitSpin.setValue(sender.rate_limit)
        self._server_manual = self._port_manual = self._encryption_manual = True
        self._preset = provider_by_host(sender.server)
        self._touched.update({"server", "address"})
        self.oauth_panel.set_sender(sender)
        if sender.has_password:
            ui.passwordEdit.setPlaceholderText(self.tr("Leave empty to keep the stored password"))
        else:
            ui.passwordEdit.setPlaceholderText(self.tr("No password stored — type one to add it"))

    # -- keyboard order ------------------------------------------------------------------
    def _set_tab_order(self) -> None:
        """Tab follows what the eye sees: the form top to bottom, the sign-in method and its
        fields where they are shown, the tools, the test mail, then the buttons."""
        ui = self.ui
        panel: list[QWidget] = []
        start = self.oauth_panel
        widget: QWidget | None = start.nextInFocusChain()
        while widget is not None and widget is not start and widget not in panel \
                and len(panel) < 200:
            if start.isAncestorOf(widget) and \
                    widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                panel.append(widget)
            widget = widget.nextInFocusChain()
        buttons = [b for b in (ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok),
                               ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel))
                   if b is not None]
        order: list[QWidget] = [
            ui.serverCombo, ui.portSpin, ui.encryptionCombo, ui.addressEdit, ui.usernameEdit,
            ui.passwordEdit, ui.showPasswordButton, ui.showNameEdit, ui.rateLimitSpin,
            *panel, ui.detectButton, ui.diagnoseButton, ui.testRecipientEdit,
            ui.testMailButton, ui.cancelTestButton, self.trustButton, *buttons]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- leaving with changes --------------------------------------------------------------
    def _snapshot(self) -> tuple[object, ...]:
        return (tuple(sorted(self.form_values().items())), self.ui.passwordEdit.text(),
                self.ui.testRecipientEdit.text())

    def modified(self) -> bool:
        """Whether the form differs from what it opened with."""
        return self._snapshot() != self._initial

    def ask_discard(self) -> bool:
        """Ask before throwing away what was typed (tests replace this)."""
        answer = QMessageBox.question(
            self, self.tr("Discard changes?"),
            self.tr("The sender has changes that are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        if event.key() == Qt.Key.Key_Escape and self.modified() and not self.ask_discard():
            event.accept()
            return  # Escape by mistake: the form stays as it is
        super().keyPressEvent(event)

    # -- helpers -----------------------------------------------------------------------
    class _Quiet:
        def __init__(self, dialog: SenderDialog) -> None:
            self.dialog = dialog

        def __enter__(self) -> None:
            self.dialog._updating += 1

        def __exit__(self, *exc: object) -> None:
            self.dialog._updating -= 1

    def _quiet(self) -> SenderDialog._Quiet:
        return SenderDialog._Quiet(self)

    def _encryption_index(self, enc: Encryption | str) -> int:
        index = self.ui.encryptionCombo.findData(Encryption(enc).value)
        return max(index, 0)

    def _encryption_label(self, enc: Encryption) -> str:
        return {
            Encryption.SSL: self.tr("SSL"),
            Encryption.TLS: self.tr("TLS"),
            Encryption.NONE: self.tr("Do Not Encrypt"),
        }[enc]

    def _error_labels(self) -> list[QLabel]:
        ui = self.ui
        return [
            ui.serverErrorLabel,
            ui.addressErrorLabel,
            ui.usernameErrorLabel,
            ui.showNameErrorLabel,
            ui.formErrorLabel,
        ]

    def server_text(self) -> str:
        return self.ui.serverCombo.currentText().strip()

    def encryption(self) -> Encryption:
        return Encryption(self.ui.encryptionCombo.currentData() or DEFAULT_ENCRYPTION.value)

    def form_values(self) -> dict[str, Any]:
        """The form as a settings mapping for the services layer (no password)."""
        ui = self.ui
        return {
            "server": self.server_text(),
            "port": ui.portSpin.value(),
            "encryption": self.encryption().value,
            "address": ui.addressEdit.text().strip(),
            "username": ui.usernameEdit.text().strip(),
            "show_name": ui.showNameEdit.text().strip(),
            "rate_limit": ui.rateLimitSpin.value(),
        }

    def form_password(self) -> str | None:
        """The typed password; ``None`` when editing with an empty field (keep the stored
        one)."""
        text = self.ui.passwordEdit.text()
        if text:
            return text
        return None if self.original is not None else ""

    # -- Detect settings… and Diagnose… ----------------------------------------------------
    def detect_settings(self, chosen: Mapping[str, Any] | None = None) -> bool:
        """Find server, port and encryption for the typed address (DetectDialog, which shows
        what it found and asks); the admin's choice fills the form."""
        address = self.ui.addressEdit.text().strip()
        if chosen is None:
            from .detect_dialog import DetectDialog

            chosen = DetectDialog.ask(self.mailbox, address, self)
            self.ui.detectButton.setFocus()  # back where the admin was
        if not chosen:
            return False
        ui = self.ui
        with self._quiet():
            if chosen.get("server"):
                ui.serverCombo.setEditText(str(chosen["server"]))
            if chosen.get("port"):
                ui.portSpin.setValue(int(chosen["port"]))
            if chosen.get("encryption"):
                ui.encryptionCombo.setCurrentIndex(
                    self._encryption_index(str(chosen["encryption"])))
        # what the admin confirmed counts as typed by hand: no proposal overwrites it
        self._server_manual = self._port_manual = self._encryption_manual = True
        self._touch("server")
        self._refresh()
        return True

    def diagnose(self) -> QDialog:
        """Open the step-by-step diagnosis with the form's current values."""
        from .diagnose_dialog import DiagnoseDialog

        dialog = DiagnoseDialog(self.mailbox, self)
        dialog.setModal(True)
        dialog.finished.connect(lambda _r: self.ui.diagnoseButton.setFocus())
        dialog.show()
        to = self.ui.testRecipientEdit.text().strip() or None
        password = self.ui.passwordEdit.text() or None
        dialog.run_for(self.form_values(), password, to)
        return dialog

    # -- presets (S3) and proposals ------------------------------------------------------
    def _apply_preset(self, provider: Provider, *, explicit: bool) -> None:
        ui = self.ui
        with self._quiet():
            ui.serverCombo.setEditText(provider.host)
            if explicit or not self._port_manual:
                ui.portSpin.setValue(provider.port)
            if explicit or not self._encryption_manual:
                ui.encryptionCombo.setCurrentIndex(self._encryption_index(provider.encryption))
        self._preset = provider
        self.oauth_panel.propose_method(provider.auth)
        if explicit:
            # the admin chose it: port and encryption come from the preset but stay editable
            self._server_manual = True
            self._server_proposed = False
            self._port_manual = False
            self._encryption_manual = False
            self._touched.add("server")
            line = ui.serverCombo.lineEdit()
            if not provider.host and line is not None:
                line.setPlaceholderText(
                    self.tr("IP address of the Exchange server, e.g. 10.0.0.25")
                )
                line.setFocus()
        else:
            self._server_proposed = True
        self._refresh()

    def _on_preset_index(self, index: int) -> None:
        if self._updating or index < 0 or index >= len(self._providers):
            return
        self._apply_preset(self._providers[index], explicit=True)

    def _on_server_text(self, text: str) -> None:
        if self._updating:
            return
        index = self.ui.serverCombo.findText(text, Qt.MatchFlag.MatchExactly)
        if 0 <= index < len(self._providers):  # an item's text: Qt is about to pick it
            return
        self._touch("server", refresh=False)
        self._server_manual = bool(text.strip())
        self._server_proposed = False
        known = provider_by_host(text)
        if known is not None:
            if known is not self._preset:
                self._preset = known
                self.oauth_panel.propose_method(known.auth)
                with self._quiet():
                    if not self._port_manual:
                        self.ui.portSpin.setValue(known.port)
                    if not self._encryption_manual:
                        self.ui.encryptionCombo.setCurrentIndex(
                            self._encryption_index(known.encryption)
                        )
        elif self._preset is not None and self._preset.host:
            self._preset = None
        self._refresh()

    def _on_port_changed(self, _value: int) -> None:
        if not self._updating:
            self._port_manual = True
            self._refresh()

    def _on_encryption_changed(self, _index: int) -> None:
        if not self._updating:
            self._encryption_manual = True
            self._refresh()

    def _on_address_changed(self, text: str) -> None:
        if self._updating:
            return
        self._touched.add("address")
        if not self._server_manual:
            provider = provider_for_address(text)
            if provider is not None and provider.host:
                if self.server_text() != provider.host:
                    self._apply_preset(provider, explicit=False)
                    return
            elif self._server_proposed:
                # the address no longer matches the proposed provider: take it back
                with self._quiet():
                    self.ui.serverCombo.setEditText("")
                    if not self._port_manual:
                        self.ui.portSpin.setValue(DEFAULT_PORT)
                    if not self._encryption_manual:
                        self.ui.encryptionCombo.setCurrentIndex(
                            self._encryption_index(DEFAULT_ENCRYPTION)
                        )
                self._server_proposed = False
                self._preset = None
        self._refresh()

    def _touch(self, name: str, *, refresh: bool = True) -> None:
        if self._updating:
            return
        self._touched.add(name)
        if refresh:
            self._refresh()

    def _on_show_password(self, shown: bool) -> None:
        self.ui.passwordEdit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.ui.showPasswordButton.setText(self.tr("Hi&de") if shown else self.tr("S&how"))

    # -- validation ----------------------------------------------------------------------
    def _check(self, fn: Callable[[], object]) -> str:
        try:
            fn()
        except BimailError as exc:
            return field_problem(exc)
        return ""

    def validation_errors(self) -> dict[str, str]:
        """Field -> problem for everything that would be refused, as the CLI words it."""
        ui = self.ui
        values = self.form_values()
        problems = {
            "server": self._check(lambda: validate_host(values["server"])),
            "address": self._check(lambda: validate_address(values["address"])),
            "username": self._check(lambda: validate_username(values["username"])),
            "show_name": self._check(lambda: validate_show_name(values["show_name"])),
            "password": self._check(lambda: validate_password(ui.passwordEdit.text())),
            "oauth": self.oauth_panel.validation_error(),
        }
        return {k: v for k, v in problems.items() if v}

    def _show_row(self, label: QLabel, text: str) -> None:
        label.setText(text)
        visible = bool(text)
        label.setVisible(visible)
        self._set_row_visible(label, visible)

    def _set_row_visible(self, label: QLabel, visible: bool) -> None:
        form = self.ui.formLayout
        position = cast(tuple[int, Any], form.getWidgetPosition(label))
        if position[0] >= 0:
            form.setRowVisible(position[0], visible)

    def _refresh(self) -> None:
        """Re-validate, show the problems of touched fields, the hint and the warnings."""
        ui = self.ui
        problems = self.validation_errors()
        shown = {k: v for k, v in problems.items() if k in self._touched or k == "password"}
        self._show_row(ui.serverErrorLabel, shown.get("server", ""))
        self._show_row(ui.addressErrorLabel, shown.get("address", ""))
        self._show_row(ui.usernameErrorLabel, shown.get("username", ""))
        self._show_row(ui.showNameErrorLabel, shown.get("show_name", ""))
        warning = shown.get("password", "")
        oauth = self.oauth_panel.is_oauth()  # OAuth2 senders have no password
        self._set_row_visible(ui.passwordLabel, not oauth)
        self.oauth_panel.set_login_hint(values_login(self.form_values()))
        if (
            not oauth
            and not warning
            and self.encryption() is Encryption.NONE
            and (
                ui.passwordEdit.text() or (self.original is not None and self.original.has_password)
            )
        ):
            warning = self.tr(
                "Do Not Encrypt: the password travels unencrypted over the "
                "network. Use it only inside a trusted network."
            )
        ui.passwordWarningLabel.setStyleSheet(_ERROR_STYLE if "password" in shown else _WARN_STYLE)
        self._show_row(ui.passwordWarningLabel, warning)
        ok = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(not problems)
            ok.setToolTip(self.tr("Fill in the fields marked in red first") if problems else "")
        ui.detectButton.setEnabled("address" not in problems)
        ui.diagnoseButton.setEnabled("server" not in problems)
        self._show_hint()
        self._offer_detection("address" in problems)
        self._grow()

    def _offer_detection(self, bad_address: bool) -> None:
        """A new sender whose address belongs to no provider the program knows, with the
        server still empty: offer Detect settings… for its domain (nothing is filled in
        until the admin picks a result)."""
        label = getattr(self, "detectOfferLabel", None)
        if label is None:
            return
        address = self.ui.addressEdit.text().strip()
        offer = (self.original is None and not bad_address and "@" in address
                 and not self.server_text() and provider_for_address(address) is None)
        if offer:
            domain = html.escape(address.rsplit("@", 1)[1])
            link = html.escape(self.tr("Detect settings…"))
            label.setText(
                html.escape(self.tr("The mail server of %1 is not known yet:")).replace(
                    "%1", f"<b>{domain}</b>")
                + f' <a href="detect">{link}</a>')
        self._set_row_visible(label, offer)
        label.setVisible(offer)

    def _grow(self) -> None:
        """Grow (within the screen) so that every message just shown can be read."""
        if self.isVisible():
            grow_to_fit(self)
        else:
            self._grow_when_shown = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._grow_when_shown:
            self._grow_when_shown = False
            grow_to_fit(self)

    def _show_hint(self) -> None:
        provider = self._preset
        if provider is None:
            self.ui.providerHintLabel.hide()
            return
        text = provider.hint_text(self.lang)
        parts = [f"<b>{html.escape(provider.name)}:</b> {html.escape(text)}"]
        if provider.link:
            parts.append(
                f'<a href="{html.escape(provider.link, quote=True)}">'
                f"{html.escape(self.tr('How to set it up'))}</a>"
            )
        self.ui.providerHintLabel.setText(" ".join(parts))
        self.ui.providerHintLabel.setVisible(bool(text))

    # -- saving --------------------------------------------------------------------------
    def accept(self) -> None:
        ui = self.ui
        self._touched.update({"server", "address", "username", "show_name"})
        self._refresh()
        if self.validation_errors():
            return
        values = self.form_values()
        try:
            validate_sender(values)
            if self.original is None:
                saved = self.mailbox.add_sender(values, password=self.form_password())
            else:
                # refused (changed_elsewhere) if another admin saved it since it was shown
                saved = self.mailbox.edit_sender(
                    self.original.address, values, password=self.form_password(),
                    expected_version=self.original.version,
                )
            saved = self.oauth_panel.save(saved.address)
        except BimailError as exc:
            self._show_save_error(exc)
            return
        self._show_row(ui.formErrorLabel, "")
        self.saved_sender = saved
        self.saved.emit(saved)
        super().accept()

    def _show_save_error(self, exc: BimailError) -> None:
        labels = {
            "server": self.ui.serverErrorLabel,
            "address": self.ui.addressErrorLabel,
            "username": self.ui.usernameErrorLabel,
            "show_name": self.ui.showNameErrorLabel,
        }
        label = labels.get(exc.field or "") if isinstance(exc, InvalidInput) else None
        if label is not None:
            label.setText(field_problem(exc))
            label.show()
            self._set_row_visible(label, True)
            self._grow()
            return
        self.ui.formErrorLabel.setTextFormat(Qt.TextFormat.RichText)
        self.ui.formErrorLabel.setStyleSheet("")
        self.ui.formErrorLabel.setText(error_html(exc, self.lang))
        self.ui.formErrorLabel.show()
        self._grow()

    # -- test mail (S8) ------------------------------------------------------------------
    @property
    def test_running(self) -> bool:
        return self._task is not None

    def start_test_mail(self) -> None:
        """Send a test mail with the values in the form (saved or not), in a worker."""
        if self._task is not None or self._closing:
            return
        ui = self.ui
        recipient = ui.testRecipientEdit.text().strip()
        try:
            validate_address(recipient, "to")
        except BimailError as exc:
            self._set_result(
                coloured(
                    self.tr("Enter the recipient of the test mail: %s") % field_problem(exc),
                    ERROR_COLOUR,
                    bold=False,
                )
            )
            ui.testRecipientEdit.setFocus()
            return
        self._touched.update({"server", "address", "username", "show_name"})
        self._refresh()
        problems = self.validation_errors()
        if problems:
            self._set_result(
                coloured(self.tr("Fix the fields marked in red first."), ERROR_COLOUR, bold=False)
            )
            return
        self._task = self._runner.start(
            self.mailbox.send_test_mail,
            recipient,
            settings=self.form_values(),
            password=self.form_password(),
            on_finished=self._test_finished,
            on_failed=self._test_failed,
            on_progress=self._test_progress,
            on_done=self._test_done,
        )
        self._test_recipient = recipient
        self._tested_server = (self.server_text(), ui.portSpin.value())
        self._offer_trust(None)
        ui.testMailButton.setEnabled(False)
        ui.cancelTestButton.setEnabled(True)
        ui.cancelTestButton.show()
        ui.testBusyBar.show()
        self._set_result(html.escape(self.tr("Sending a test mail to %s…") % recipient))

    def cancel_test_mail(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        self.ui.cancelTestButton.setEnabled(False)
        self._set_result(html.escape(self.tr("Cancelling the test mail…")))

    def _test_progress(self, message: object) -> None:
        if self._closing or self._task is None:
            return
        from ..domain.texts import render
        from .i18n import installed_language

        text = render(message, installed_language())
        if text:
            self._set_result(html.escape(text))

    def _test_finished(self, outcome: Any) -> None:
        if self._closing:
            return
        failed = [r for r in getattr(outcome, "recipients", ()) if not getattr(r, "success", 1)]
        if failed and getattr(failed[0], "error", None) is not None:
            self._set_result(error_html(failed[0].error, self.lang))
            self.testMailFailed.emit(failed[0].record_id)
            return
        duration = getattr(outcome, "duration_ms", None)
        text = (
            self.tr("Test mail sent to %s. The mail server accepted it; check that mailbox.")
            % self._test_recipient
        )
        if isinstance(duration, int):
            text += " " + self.tr("(%d ms)") % duration
        self._set_result(
            coloured("✔ " + self.tr("Success"), OK_COLOUR) + "<br>" + html.escape(text)
        )

    def _test_failed(self, error: BaseException) -> None:
        if self._closing:
            return
        if not isinstance(error, BimailError):
            log.error("test mail failed unexpectedly", exc_info=error)
        self._set_result(error_html(error, self.lang))
        self._offer_trust(error)
        record_id = _first_failed_record(error)
        if record_id is not None:
            self.testMailFailed.emit(record_id)

    def _offer_trust(self, error: BaseException | None) -> None:
        """Show "Trust certificate…" when the test failed on a certificate the admin can
        look at and trust."""
        from .certificate_dialog import CERTIFICATE_CODES

        usable = (isinstance(error, BimailError) and error.code in CERTIFICATE_CODES
                  and bool((error.extra or {}).get("certificate")))
        self._certificate_error = error if usable else None  # type: ignore[assignment]
        self.trustButton.setVisible(usable)
        self._grow()

    def trust_certificate(self) -> QDialog | None:
        """Open the certificate of the failed test mail's server to trust it."""
        from .certificate_dialog import CertificateDialog

        error = self._certificate_error
        if error is None:
            return None
        host, port = self._tested_server
        dialog = CertificateDialog(self.mailbox, host, port, error, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def closed(_result: int) -> None:
            if getattr(dialog, "trusted", None) is not None:
                self.trustButton.hide()
                self._certificate_error = None
                self._set_result(coloured(
                    "✔ " + self.tr("Certificate trusted. Send the test mail again to "
                                   "check."), OK_COLOUR, bold=False))
                self.ui.testMailButton.setFocus()
            else:
                self.trustButton.setFocus()

        dialog.finished.connect(closed)
        self.certificate_dialog = dialog
        dialog.open()
        return dialog

    def _test_done(self) -> None:
        self._task = None
        if self._closing:
            return
        ui = self.ui
        ui.testBusyBar.hide()
        ui.cancelTestButton.hide()
        ui.testMailButton.setEnabled(True)

    def _set_result(self, rich: str) -> None:
        self.ui.testResultLabel.setText(rich)
        self.ui.testResultLabel.setVisible(bool(rich))
        self._grow()

    # -- keyboard and closing ------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if (
            watched is self.ui.testRecipientEdit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            # Enter in the recipient field sends the test mail instead of saving
            self.start_test_mail()
            return True
        return super().eventFilter(watched, event)

    def shutdown(self) -> None:
        """Cancel a running test mail and wait for its thread (closing the dialog)."""
        self._closing = True
        self._runner.shutdown()
        self.oauth_panel.shutdown()
        self._task = None

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        self.shutdown()
        super().closeEvent(event)
