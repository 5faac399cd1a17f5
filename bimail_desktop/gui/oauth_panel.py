"""The sign-in part of a sender's form: password or OAuth2 (Microsoft 365, Google, another
provider), the app's client ID / secret / tenant / scopes / endpoints, and "Sign in…".

A self-contained widget that the sender dialog embeds (in its ``oauthArea``)::

    panel = OAuthPanel(mailbox, parent)
    panel.set_sender(sender)            # editing; or panel.propose_method(provider.auth)
    panel.set_login_hint(address)       # the account to sign in with
    error = panel.validation_error()    # "" when the OAuth2 fields are fine
    panel.save(saved_sender.address)    # after the sender itself was saved
    panel.shutdown()                    # in closeEvent / done()

"Sign in…" runs the browser sign-in (authorisation code + PKCE, loopback redirect) in a
worker thread with Cancel. For a saved sender whose settings are unchanged the tokens are
saved at once; otherwise they are kept until :meth:`save` (a sender being added).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from ..domain.errors import BimailError
from ..domain.models import Sender
from ..mail import oauth as oa
from ..mail.oauth import OAuthSettings, TokenSet
from ..services import Mailbox
from .feedback import ERROR_COLOUR, OK_COLOUR, WARN_COLOUR, coloured, error_html, field_problem
from .generated.ui_oauth_panel import Ui_OAuthPanel
from .workers import Task, TaskRunner

_FIELDS = ("client_id", "tenant", "scopes", "auth_url", "token_url", "device_url")


class OAuthPanel(QWidget):
    """Method combo, OAuth2 settings, "Sign in…" / Cancel and the sign-in status."""

    methodChanged = Signal(str)  # noqa: N815 - Qt naming
    signedIn = Signal(str)  # noqa: N815 - the account
    changed = Signal()  # the method or a field changed (the form re-validates)

    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None, *,
                 open_browser: Callable[[str], object] | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_OAuthPanel()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("oauthPanel")
        self.mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", "en") or "en")
        self.open_browser = open_browser  # None: the system browser
        self.stored: Sender | None = None  # the saved sender being edited
        self._has_secret = False  # read once from the keychain, not on every keystroke
        self._saved_account = ""  # "" when the saved sender is not signed in
        self.login_hint = ""
        self._saved_settings: OAuthSettings | None = None
        self._saved_method = oa.PASSWORD
        self._pending: TokenSet | None = None
        self._method_manual = False
        self._runner = TaskRunner(self)
        self._task: Task | None = None
        self._build()
        self._on_method(0)

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        """Wire the form from ``ui/oauth_panel.ui``; the names other code uses stay."""
        ui = self.ui
        self.form = ui.oauthForm
        self.methodCombo = ui.authMethodCombo
        self.clientIdEdit = ui.clientIdEdit
        self.clientSecretEdit = ui.clientSecretEdit
        self.tenantEdit = ui.tenantEdit
        self.scopesEdit = ui.scopesEdit
        self.authUrlEdit = ui.authUrlEdit
        self.tokenUrlEdit = ui.tokenUrlEdit
        self.deviceUrlEdit = ui.deviceUrlEdit
        self.flowCombo = ui.oauthFlowCombo
        self.flowCombo.addItem(self.tr("A user (signs in once)"), oa.INTERACTIVE)
        self.flowCombo.addItem(self.tr("This application (client credentials, for servers)"),
                               oa.CLIENT_CREDENTIALS)
        self.flowCombo.currentIndexChanged.connect(self._on_flow)
        self.signInRow = ui.signInRow
        self.signInButton = ui.signInButton
        self.cancelButton = ui.cancelSignInButton
        self.statusLabel = ui.oauthStatusLabel

        labels = {
            oa.PASSWORD: self.tr("Password"),
            oa.MICROSOFT: self.tr("OAuth2 — Microsoft 365"),
            oa.GOOGLE: self.tr("OAuth2 — Google"),
            oa.CUSTOM: self.tr("OAuth2 — other provider"),
        }
        for method in oa.AUTH_METHODS:
            self.methodCombo.addItem(labels[method], method)
        self.methodCombo.currentIndexChanged.connect(self._on_method)
        self.methodCombo.activated.connect(self._on_method_chosen)
        self.tenantEdit.setPlaceholderText(oa.DEFAULT_TENANT)

        self._rows: dict[str, QWidget] = {
            "client_id": self.clientIdEdit,
            "client_secret": self.clientSecretEdit,
            "tenant": self.tenantEdit,
            "scopes": self.scopesEdit,
            "auth_url": self.authUrlEdit,
            "token_url": self.tokenUrlEdit,
            "device_url": self.deviceUrlEdit,
        }
        for edit in self._rows.values():
            assert isinstance(edit, QLineEdit)
            edit.textChanged.connect(self._on_edited)

        self.signInButton.clicked.connect(self.start_sign_in)
        self.cancelButton.clicked.connect(self.cancel_sign_in)
        self.cancelButton.hide()

    # -- state ---------------------------------------------------------------------------
    def method(self) -> str:
        return str(self.methodCombo.currentData())

    def set_method(self, method: str) -> None:
        index = self.methodCombo.findData(oa.validate_method(method))
        self.methodCombo.setCurrentIndex(max(index, 0))

    def propose_method(self, method: str) -> None:
        """A provider preset's method, unless the admin chose one by hand or the sender is
        already set up with another."""
        if self._method_manual or (self.stored is not None
                                   and self.stored.auth_method != oa.PASSWORD):
            return
        self.set_method(method)

    def set_login_hint(self, login: str) -> None:
        self.login_hint = login.strip()

    def set_sender(self, sender: Sender | None) -> None:
        """Show the saved sign-in settings and status of ``sender`` (None: a new one)."""
        self.stored = sender
        self._pending = None
        self._has_secret = False
        self._saved_account = ""
        if sender is None:
            self._saved_settings = None
            self._saved_method = oa.PASSWORD
            self._refresh_status()
            return
        self.login_hint = sender.login
        settings = self.mailbox.sender_oauth_settings(sender.address)
        self._saved_settings = settings
        self._saved_method = sender.auth_method
        try:
            self._has_secret = self.mailbox.sender_has_client_secret(sender.address)
            self._saved_account = self.mailbox.oauth_account(sender.address)
        except BimailError:  # no keychain: shown as "needs sign-in"
            pass
        for name in _FIELDS:
            self._field(name).setText(getattr(settings, name))
        self.flowCombo.setCurrentIndex(max(self.flowCombo.findData(settings.flow), 0))
        self.clientSecretEdit.clear()
        if self._has_secret:
            self.clientSecretEdit.setPlaceholderText(self.tr("Leave empty to keep the saved "
                                                             "client secret"))
        self.set_method(sender.auth_method)
        self._refresh_status()

    def _field(self, name: str) -> QLineEdit:
        widget = self._rows[name]
        assert isinstance(widget, QLineEdit)
        return widget

    def settings(self) -> dict[str, str]:
        values = {name: self._field(name).text().strip() for name in _FIELDS}
        if self.client_credentials():
            values["flow"] = "client-credentials"
        return values

    def client_credentials(self) -> bool:
        """The application signs in by itself (only Microsoft 365 and other providers)."""
        return (self.method() in (oa.MICROSOFT, oa.CUSTOM)
                and self.flowCombo.currentData() == oa.CLIENT_CREDENTIALS)

    def client_secret(self) -> str | None:
        """The typed secret; None when empty (keeps a saved one)."""
        return self.clientSecretEdit.text() or None

    def is_oauth(self) -> bool:
        return oa.is_oauth(self.method())

    def _unchanged(self) -> bool:
        if self.stored is None or self._saved_settings is None:
            return False
        return (self.method() == self._saved_method
                and OAuthSettings.from_mapping(self.settings()) == self._saved_settings
                and self.client_secret() is None)

    def validation_error(self) -> str:
        """"" when the sign-in fields are fine, else the problem (shown in the panel)."""
        if not self.is_oauth():
            return ""
        try:
            self.mailbox.check_oauth_settings(self.method(), self.settings(),
                                              client_secret=self.client_secret(),
                                              has_saved_secret=self._has_secret)
        except BimailError as exc:
            return field_problem(exc)
        return ""

    # -- reactions -------------------------------------------------------------------------
    def _on_method_chosen(self, _index: int) -> None:
        self._method_manual = True

    def _on_method(self, _index: int) -> None:
        method = self.method()
        oauth = oa.is_oauth(method)
        app = self.client_credentials()
        visible = {
            "client_id": oauth,
            "client_secret": method in (oa.GOOGLE, oa.CUSTOM) or app,
            "tenant": method == oa.MICROSOFT,
            "scopes": oauth,
            "auth_url": method == oa.CUSTOM,
            "token_url": method == oa.CUSTOM,
            "device_url": method == oa.CUSTOM,
        }
        for key, shown in visible.items():
            self.form.setRowVisible(self._rows[key], shown)
        self.form.setRowVisible(self.flowCombo, method in (oa.MICROSOFT, oa.CUSTOM))
        self.form.setRowVisible(self.signInRow, oauth and not app)
        self.scopesEdit.setPlaceholderText(
            oa.MS_APP_SCOPE if app and method == oa.MICROSOFT else oa.default_scopes(method))
        self.statusLabel.setVisible(oauth)
        self.methodChanged.emit(method)
        self._refresh_status()
        self.changed.emit()

    def _on_flow(self, _index: int) -> None:
        self._on_method(self.methodCombo.currentIndex())

    def _on_edited(self, _text: str) -> None:
        self._refresh_status()
        self.changed.emit()

    def _refresh_status(self) -> None:
        if not self.is_oauth():
            self.statusLabel.clear()
            return
        busy = self._task is not None
        self.signInButton.setEnabled(not busy)
        problem = self.validation_error()
        if problem:
            self._status(coloured(problem, ERROR_COLOUR, bold=False))
            self.signInButton.setEnabled(False)
            return
        if busy:
            return
        if self.client_credentials():
            self._status(coloured(self.tr("No sign-in step: the application signs in with "
                                          "its client secret when it sends."), OK_COLOUR))
            return
        if self._pending is not None:
            who = self._pending.account or self.login_hint or self.tr("this account")
            self._status(coloured(self.tr("Signed in as %s (saved with the sender)") % who,
                                  OK_COLOUR))
            return
        if self._unchanged() and self._saved_account:
            self._status(coloured(self.tr("Signed in as %s") % self._saved_account,
                                  OK_COLOUR))
            return
        self._status(coloured(self.tr("Needs sign-in: click Sign in…"), WARN_COLOUR))

    def _status(self, rich: str) -> None:
        self.statusLabel.setText(rich)

    @property
    def status_text(self) -> str:
        return self.statusLabel.text()

    # -- sign-in ---------------------------------------------------------------------------
    @property
    def signing_in(self) -> bool:
        return self._task is not None

    def start_sign_in(self) -> None:
        if self._task is not None or not self.is_oauth() or self.validation_error():
            return
        self.signInButton.setEnabled(False)
        self.cancelButton.show()
        self._status(html.escape(self.tr("Finish the sign-in in your browser…")))
        kwargs: dict[str, Any] = {"open_browser": self.open_browser,
                                  "on_url": None}
        if self._unchanged() and self.stored is not None:
            self._task = self._runner.start(
                self.mailbox.oauth_sign_in, self.stored.address, **kwargs,
                on_finished=self._saved_sign_in, on_failed=self._failed, on_done=self._done)
        else:
            self._task = self._runner.start(
                self.mailbox.oauth_sign_in_with, self.method(), self.settings(),
                client_secret=self.client_secret(), login_hint=self.login_hint, **kwargs,
                on_finished=self._pending_sign_in, on_failed=self._failed,
                on_done=self._done)

    def cancel_sign_in(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _saved_sign_in(self, account: object) -> None:
        self._pending = None
        self._saved_account = str(account)
        self._status(coloured(self.tr("Signed in as %s") % account, OK_COLOUR))
        self.signedIn.emit(str(account))

    def _pending_sign_in(self, tokens: object) -> None:
        assert isinstance(tokens, TokenSet)
        self._pending = tokens
        who = tokens.account or self.login_hint or self.tr("this account")
        self._status(coloured(self.tr("Signed in as %s (saved with the sender)") % who,
                              OK_COLOUR))
        self.signedIn.emit(who)

    def _failed(self, error: BaseException) -> None:
        self._status(error_html(error, self.lang))

    def _done(self) -> None:
        self._task = None
        self.cancelButton.hide()
        self.signInButton.setEnabled(not self.validation_error())

    # -- saving ----------------------------------------------------------------------------
    def save(self, address: str) -> Sender:
        """Store the sign-in method and settings (and a pending sign-in) for the saved
        sender ``address``."""
        sender = self.mailbox.set_sender_oauth(
            address, self.method(), self.settings() if self.is_oauth() else None,
            client_secret=self.client_secret() if self.is_oauth() else None,
            tokens=self._pending if self.is_oauth() else None)
        self._pending = None
        self.set_sender(sender)
        return sender

    def shutdown(self) -> None:
        self._runner.shutdown()
