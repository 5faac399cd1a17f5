"""The Senders page: the stored sender accounts (S1), Add / Edit / Delete, and the default
sender chosen from a list and saved with an explicit Save (D1–D3).

The form is ``ui/senders_page.ui``; this module only wires it to the Mailbox.

At start-up the page may list the senders before the mailbox is open, from a first look at
the store (:mod:`bimail_desktop.store.glance`); an action that needs the mailbox meanwhile
(add, edit, delete, save the default) waits for it — a busy cursor, the window still
painting — and then proceeds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMessageBox,
    QTableWidgetItem,
    QWidget,
)

from ..domain.errors import BimailError
from ..domain.models import AuthMethod, Encryption, LastCheck, Sender
from .feedback import ERROR_COLOUR, OK_COLOUR, WARN_COLOUR, error_plain
from .fitting import ColumnFitter
from .generated.ui_senders_page import Ui_SendersPage

if TYPE_CHECKING:  # the dialog's module loads when a dialog is first opened
    from ..services import Mailbox
    from ..store.glance import SendersGlance
    from .sender_dialog import SenderDialog

log = logging.getLogger(__name__)
# how often the page looks for changes made elsewhere
POLL_MS = 3000

SIGN_IN_COLUMN = 5
LAST_CHECK_COLUMN = 7

COLUMNS = ("address", "show_name", "server", "port", "encryption", "default")


def sender_label(sender: Sender) -> str:
    return f"{sender.show_name} <{sender.address}>" if sender.show_name else sender.address


class SendersPage(QWidget):
    """Lists the senders and manages the default sender."""

    #: (text, configured) — the main window repeats it in its status bar
    statusChanged = Signal(str, bool)
    #: the record id of a test mail that failed in a sender dialog
    sendFailed = Signal(object)

    def __init__(self, mailbox: Mailbox | None, parent: QWidget | None = None, *,
                 lang: str = "en") -> None:
        """``mailbox`` None: the page is filled by :meth:`show_glance` and works once
        :meth:`set_mailbox` gives it the mailbox (its actions wait for that through
        :attr:`wait_for_mailbox`)."""
        super().__init__(parent)
        self.ui = Ui_SendersPage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("sendersPage")
        self._mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", lang) or lang)
        #: waits until the mailbox is open (True) or cannot be (False); set by the window
        self.wait_for_mailbox: Callable[[], bool] = lambda: self._mailbox is not None
        self.current_dialog: SenderDialog | None = None
        self._senders: list[Sender] = []
        self._saved_default: str | None = None
        self._token: str | None = None
        # changes made elsewhere (another admin, the CLI, another machine on a shared
        # store) show within seconds: a cheap change token is polled
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll)

        table = self.ui.senderTable
        # the time and result of each sender's last test mail or diagnosis
        table.setColumnCount(LAST_CHECK_COLUMN + 1)
        table.setHorizontalHeaderItem(LAST_CHECK_COLUMN, QTableWidgetItem(self.tr("Last check")))
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        # every column in sight; long addresses elided in the middle (full text as tooltip)
        self.column_fitter = ColumnFitter(
            table, weights={0: 4, 1: 2, 2: 3, 5: 1, LAST_CHECK_COLUMN: 3},
            samples={3: "65535", 4: self.tr("Do Not Encrypt"), 5: "⚠ " + self.tr("Password"),
                     6: "✔ " + self.tr("Default")})
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.doubleClicked.connect(lambda _index: self.edit_sender())
        table.itemSelectionChanged.connect(self._update_buttons)
        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Return), self.edit_sender),
            (QKeySequence(Qt.Key.Key_Enter), self.edit_sender),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_sender),
        ):
            shortcut = QShortcut(keys, table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        self.ui.addSenderButton.clicked.connect(self.add_sender)
        self.ui.editSenderButton.clicked.connect(lambda: self.edit_sender())
        self.ui.deleteSenderButton.clicked.connect(self.delete_sender)
        self.ui.defaultSenderCombo.currentIndexChanged.connect(self._update_default_row)
        self.ui.saveDefaultButton.clicked.connect(self.save_default)
        self.ui.defaultSenderCombo.setPlaceholderText(self.tr("Choose a default sender"))
        if mailbox is not None:
            self.set_mailbox(mailbox)

    @property
    def mailbox(self) -> Mailbox:
        """The open mailbox (only asked for once it is there: see :meth:`_ready`)."""
        assert self._mailbox is not None, "the mailbox is not open yet"
        return self._mailbox

    def set_mailbox(self, mailbox: Mailbox) -> None:
        """Work on ``mailbox`` from now on: the list is read again from it (the same rows,
        or what opening the store changed) and changes made elsewhere are polled."""
        self._mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", self.lang) or self.lang)
        self.refresh()
        self._poll.start()

    def _ready(self) -> bool:
        """True once the mailbox is open, waiting for it if it is still being opened."""
        return self._mailbox is not None or self.wait_for_mailbox()

    def show_glance(self, glance: SendersGlance) -> None:
        """List the senders of a first look at the store, before the mailbox is open."""
        current = self.selected_sender()
        self._senders = list(glance.senders)
        self._saved_default = glance.default.address if glance.default else None
        self._fill_table(current.address if current else None, glance.checks)
        self._fill_combo()
        self._update_status(glance.default)
        self._update_buttons()

    # -- hooks that tests patch ---------------------------------------------------------------
    @staticmethod
    def ask(parent: QWidget, title: str, text: str) -> bool:
        """Ask a yes/no question; True for yes."""
        answer = QMessageBox.question(
            parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @staticmethod
    def show_error(parent: QWidget, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    # -- reading ---------------------------------------------------------------------------
    @property
    def senders(self) -> list[Sender]:
        return list(self._senders)

    def refresh(self, select: str | None = None) -> None:
        """Reload senders and the default sender from the store."""
        if self._mailbox is None:
            return
        current = self.selected_sender()
        keep = select or (current.address if current else None)
        try:
            self._token = self.mailbox.senders_change_token()
            self._senders = self.mailbox.list_senders()
            default = self.mailbox.default_sender()
        except BimailError as exc:
            self.show_error(
                self, self.tr("Could not read the senders"), error_plain(exc, self.lang)
            )
            return
        self._saved_default = default.address if default else None
        try:
            checks = self.mailbox.last_checks()
        except BimailError:
            log.warning("could not read the senders' last checks")
            checks = {}
        self._fill_table(keep, checks)
        self._fill_combo()
        self._update_status(default)
        self._update_buttons()

    def _fill_table(self, select: str | None, checks: dict[str, LastCheck]) -> None:
        table = self.ui.senderTable
        table.setSortingEnabled(False)
        table.setRowCount(len(self._senders))
        labels = {
            Encryption.SSL: self.tr("SSL"),
            Encryption.TLS: self.tr("TLS"),
            Encryption.NONE: self.tr("Do Not Encrypt"),
        }
        selected_row = -1
        for row, sender in enumerate(self._senders):
            sign_in, warnings = self._sign_in_text(sender)
            values = (
                sender.address,
                sender.show_name,
                sender.server,
                str(sender.port),
                labels[sender.encryption],
                sign_in,
                "✔ " + self.tr("Default") if sender.is_default else "",
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                item.setData(Qt.ItemDataRole.UserRole, sender.address)
                if column == SIGN_IN_COLUMN and warnings:
                    item.setToolTip("\n\n".join(warnings))
                    item.setForeground(QBrush(QColor(WARN_COLOUR)))
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if sender.is_default:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, column, item)
            table.setItem(row, LAST_CHECK_COLUMN,
                          self._check_item(sender, checks.get(sender.address.lower())))
            if select and sender.address.lower() == select.lower():
                selected_row = row
        if selected_row < 0 and self._senders:
            defaults = [i for i, s in enumerate(self._senders) if s.is_default]
            selected_row = defaults[0] if defaults else 0
        table.setSortingEnabled(True)  # sorted by the column the admin clicked
        if selected_row >= 0:
            for shown in range(table.rowCount()):
                cell = table.item(shown, 0)
                if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == \
                        self._senders[selected_row].address:
                    table.selectRow(shown)
                    break

    def _check_item(self, sender: Sender, check: LastCheck | None) -> QTableWidgetItem:
        """"2026-12-02 08:30 ✔ Test mail" — time first, so that the column sorts by it."""
        if check is None:
            item = QTableWidgetItem(self.tr("Never"))
            item.setToolTip(self.tr("No test mail or diagnosis of this sender yet"))
            item.setData(Qt.ItemDataRole.UserRole, sender.address)
            return item
        when = check.at.astimezone().strftime("%Y-%m-%d %H:%M")
        kind = self.tr("Test mail") if check.kind == "test_mail" else self.tr("Diagnosis")
        item = QTableWidgetItem(f"{when} {'✔' if check.ok else '✘'} {kind}")
        tip = f"{kind}: " + (self.tr("succeeded") if check.ok else self.tr("failed"))
        if check.error_code:
            from ..domain.errors import CATALOGUE, ErrorCode

            code = ErrorCode._value2member_map_.get(check.error_code)
            title = CATALOGUE[ErrorCode(check.error_code)].text(self.lang)[0] \
                if code is not None else check.error_code
            tip += f" — {title}"
        item.setToolTip(f"{when}\n{tip}")
        item.setForeground(QBrush(QColor(OK_COLOUR if check.ok else ERROR_COLOUR)))
        item.setData(Qt.ItemDataRole.UserRole, sender.address)
        return item

    def _sign_in_text(self, sender: Sender) -> tuple[str, list[str]]:
        """The Sign-in column: the method, and a warning where the provider is phasing
        passwords out or an OAuth2 sender needs signing in (details in the tooltip).
        Before the mailbox is open (a first look lists password senders only) the
        provider's warning is shown; whether this machine's keychain holds the password
        is asked once the mailbox is open."""
        if self._mailbox is None:
            from ..domain.providers import password_warnings

            warnings = password_warnings(sender.server, sender.auth_method, sender.address,
                                         self.lang)
            text = self.tr("Password")
            return ("⚠ " + text if warnings else text), warnings
        try:
            warnings = self.mailbox.sender_warnings(sender)
            status = (self.mailbox.oauth_status(sender.address)
                      if sender.auth_method is not AuthMethod.PASSWORD else "not_oauth")
        except BimailError:
            log.warning("could not read the sign-in state of %s", sender.address)
            warnings, status = [], "not_oauth"
        if status == "not_oauth":
            try:
                elsewhere = self.mailbox.password_elsewhere(sender)
            except BimailError:
                elsewhere = False
            # entered on another machine sharing the store: this keychain lacks it
            text = self.tr("Password not on this machine") if elsewhere else self.tr("Password")
        elif status == "signed_in":
            text = self.tr("OAuth2 — signed in")
        else:
            text = self.tr("OAuth2 — needs sign-in")
        return ("⚠ " + text if warnings else text), warnings

    def _fill_combo(self) -> None:
        combo = self.ui.defaultSenderCombo
        combo.blockSignals(True)
        combo.clear()
        for sender in self._senders:
            combo.addItem(sender_label(sender), sender.address)
        index = combo.findData(self._saved_default) if self._saved_default else -1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)
        combo.setEnabled(bool(self._senders))
        self._update_default_row()

    def _update_status(self, default: Sender | None) -> None:
        label = self.ui.mailboxStatusLabel
        if default is None:
            text = self.tr("Mailbox not configured — choose a default sender and click Save")
            if not self._senders:
                text += " " + self.tr("(add a sender first).")
            colour = WARN_COLOUR
        else:
            text = self.tr("Mailbox configured — default sender: %s") % sender_label(default)
            colour = OK_COLOUR
        label.setText(text)
        label.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: 600; }}")
        self.statusChanged.emit(text, default is not None)

    def status_text(self) -> str:
        return self.ui.mailboxStatusLabel.text()

    def selected_sender(self) -> Sender | None:
        table = self.ui.senderTable
        rows = {index.row() for index in table.selectionModel().selectedRows()}
        if not rows:
            return None
        item = table.item(min(rows), 0)
        address = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        for sender in self._senders:
            if sender.address == address:
                return sender
        return None

    def _update_buttons(self) -> None:
        has = self.selected_sender() is not None
        self.ui.editSenderButton.setEnabled(has)
        self.ui.deleteSenderButton.setEnabled(has)

    def _update_default_row(self, *_args: object) -> None:
        combo = self.ui.defaultSenderCombo
        chosen = combo.currentData()
        saved = (self._saved_default or "").lower()
        pending = chosen is not None and str(chosen).lower() != saved
        self.ui.saveDefaultButton.setEnabled(pending)
        hint = self.ui.defaultHintLabel
        if pending:
            hint.setText(
                self.tr("Not saved yet: click Save to make %s the default sender.")
                % combo.currentText()
            )
            hint.setStyleSheet(f"QLabel {{ color: {WARN_COLOUR}; }}")
        else:
            hint.setText(
                self.tr(
                    "Mail from the BI server goes out through the default sender. "
                    "A new choice takes effect when you click Save."
                )
            )
            hint.setStyleSheet("")

    # -- actions ---------------------------------------------------------------------------
    def add_sender(self) -> SenderDialog | None:
        """Open the "Add sender" dialog (window-modal, so tests and screen readers can
        reach it without a nested event loop); None only when the mailbox could not be
        opened (the window says why and closes)."""
        if not self._ready():
            return None
        return self._open_dialog(None)

    def edit_sender(self, sender: Sender | None = None) -> SenderDialog | None:
        sender = sender or self.selected_sender()
        if sender is None or not self._ready():
            return None
        try:
            fresh = self.mailbox.get_sender(sender.address)  # also knows has_password
        except BimailError as exc:
            self.show_error(self, self.tr("Could not open the sender"), error_plain(exc, self.lang))
            self.refresh()
            return None
        return self._open_dialog(fresh)

    def _open_dialog(self, sender: Sender | None) -> SenderDialog:
        if self.current_dialog is not None:
            self.current_dialog.raise_()
            self.current_dialog.activateWindow()
            return self.current_dialog
        from .sender_dialog import SenderDialog

        dialog = SenderDialog(self.mailbox, sender, self)
        dialog.saved.connect(lambda saved: self.refresh(select=saved.address))
        dialog.testMailFailed.connect(self.sendFailed.emit)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.current_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: SenderDialog) -> None:
        if self.current_dialog is dialog:
            self.current_dialog = None
        dialog.deleteLater()
        self.refresh()  # a test mail or diagnosis in the dialog is the sender's last check
        self.ui.senderTable.setFocus()

    def delete_sender(self) -> bool:
        """Delete the selected sender after a confirmation; True when deleted."""
        if self.selected_sender() is None or not self._ready():
            return False
        sender = self.selected_sender()
        if sender is None:
            return False
        text = self.tr("Delete the sender %s and its stored password?") % sender.address
        if sender.is_default:
            text += "\n\n" + self.tr(
                "This sender is the default sender. After deleting it no default sender is "
                "set and the mailbox is not configured until you choose another one and "
                "click Save."
            )
        if not self.ask(self, self.tr("Delete sender"), text):
            return False
        try:
            removal = self.mailbox.remove_sender_report(sender.address)
        except BimailError as exc:
            self.show_error(
                self, self.tr("Could not delete the sender"), error_plain(exc, self.lang)
            )
        else:
            if not removal.keychain_cleaned:  # removed; its password stayed in the keychain
                self.show_error(self, self.tr("Delete sender"),
                                removal.keychain_advice(self.lang))
        self.refresh()
        return True

    def save_default(self) -> bool:
        """D1: make the sender chosen in the combobox the default sender."""
        address = self.ui.defaultSenderCombo.currentData()
        if not address or not self._ready():  # the choice is kept while the mailbox opens
            return False
        try:
            self.mailbox.set_default_sender(str(address))
        except BimailError as exc:
            self.show_error(
                self, self.tr("Could not save the default sender"), error_plain(exc, self.lang)
            )
            self.refresh()
            return False
        self.refresh()
        return True

    def poll(self) -> None:
        """Reload when the senders or the default sender changed elsewhere — unless the
        admin is choosing a new default right now (the next poll catches up)."""
        if self._mailbox is None:
            return
        try:
            token = self.mailbox.senders_change_token()
        except BimailError as error:
            log.warning("cannot poll the senders: %s", error)
            return
        if token == self._token:
            return
        chosen = self.ui.defaultSenderCombo.currentData()
        if chosen is not None and str(chosen).lower() != (self._saved_default or "").lower():
            return
        self.refresh()

    def shutdown(self) -> None:
        """Close an open sender dialog, cancelling its test mail and waiting for it."""
        self._poll.stop()
        dialog = self.current_dialog
        if dialog is not None:
            dialog.shutdown()
            dialog.reject()
