"""The Relay page: run the SMTP relay in this window's process, its users and its queue.

The form (``ui/relay_page.ui``) has the listening address with Start/Stop, the relay users,
the outbox (status, attempts, next attempt, last error) with "Try all now" / "Send again",
and "Send a test through the relay". The relay (``bimail_desktop.relay.Relay``) runs in
background threads while the window is open; stopping it (which finishes the message in
hand) runs in a worker so the window never waits.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QTableWidgetItem, QWidget

from ..domain.errors import BimailError
from ..services import Mailbox
from .feedback import ERROR_COLOUR, OK_COLOUR, coloured
from .fitting import ColumnFitter
from .generated.ui_relay_page import Ui_RelayPage
from .workers import TaskRunner

if TYPE_CHECKING:
    from ..relay import Relay
    from ..services.relaying import QueuedMessage

log = logging.getLogger(__name__)

REFRESH_MS = 2000


class RelayPage(QWidget):
    queueChanged = Signal()  # emitted from the relay's threads; handled in the GUI thread

    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mailbox = mailbox
        self.ui = Ui_RelayPage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("relayPage")
        self.runner = TaskRunner(self)
        self.relay: Relay | None = None
        self._status_text = {
            "queued": self.tr("queued"), "deferred": self.tr("waiting"),
            "sending": self.tr("sending"), "interrupted": self.tr("interrupted"),
        }
        ui = self.ui
        ui.relayStartButton.clicked.connect(self.start_relay)
        ui.relayStopButton.clicked.connect(self.stop_relay)
        ui.relayAddUserButton.clicked.connect(self.add_user)
        ui.relayRemoveUserButton.clicked.connect(self.remove_user)
        ui.relayUsersList.itemSelectionChanged.connect(self._update_buttons)
        ui.relayQueueTable.itemSelectionChanged.connect(self._update_buttons)
        ui.relayFlushButton.clicked.connect(self.flush)
        ui.relayRetryButton.clicked.connect(self.retry_selected)
        ui.relayTestButton.clicked.connect(self.send_test)
        ui.relayTestRecipientEdit.textChanged.connect(self._update_buttons)
        ui.relayListenEdit.returnPressed.connect(self.start_relay)
        ui.relaySplitter.setStretchFactor(0, 1)
        ui.relaySplitter.setStretchFactor(1, 3)
        # every column in sight at any window size (long texts elided, full in the tooltip)
        self.column_fitter = ColumnFitter(
            ui.relayQueueTable, weights={1: 2, 3: 3, 4: 3, 5: 3, 6: 4}, samples={0: "99999"})
        self.queueChanged.connect(self.refresh_queue)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_queue)
        self._show_stopped()
        self.refresh()

    # -- the relay ------------------------------------------------------------------------
    def start_relay(self) -> None:
        if self.relay is not None:
            return
        from ..relay import Relay, RelayOptions  # aiosmtpd: only when the relay starts

        try:
            options = RelayOptions.parse(listen=self.ui.relayListenEdit.text())
            relay = Relay(self.mailbox, options, on_change=self.queueChanged.emit)
            host, port = relay.start()
        except BimailError as error:
            self._status(error.message(self.mailbox.lang), ok=False)
            return
        except OSError as error:
            self._status(self.tr("Cannot listen on {0}: {1}. Choose another port, or stop "
                                 "the program that uses it.")
                         .format(self.ui.relayListenEdit.text(), error.strerror or error),
                         ok=False)
            return
        self.relay = relay
        fingerprint = relay.certificate.sha256 if relay.certificate else ""
        self._status(self.tr("Listening on {0}:{1}. Programs on this machine send to server "
                             "{0}, port {1}, without encryption. STARTTLS certificate "
                             "SHA-256: {2}").format(host, port, fingerprint), ok=True)
        self.ui.relayStartButton.setEnabled(False)
        self.ui.relayStopButton.setEnabled(True)
        self.ui.relayListenEdit.setEnabled(False)
        self._timer.start()
        self._update_buttons()

    def stop_relay(self) -> None:
        relay = self.relay
        if relay is None:
            return
        self.ui.relayStopButton.setEnabled(False)
        self._status(self.tr("Stopping: finishing the mail in hand…"), ok=True)
        self.runner.start(relay.stop, on_finished=lambda _r: self._stopped(),
                          on_failed=lambda _e: self._stopped())

    def _stopped(self) -> None:
        self.relay = None
        self._timer.stop()
        self._show_stopped()
        self.refresh_queue()

    def _show_stopped(self) -> None:
        self._status(self.tr("The relay is stopped. Mail waiting in the queue is sent when "
                             "it starts again."), ok=None)
        self.ui.relayStartButton.setEnabled(True)
        self.ui.relayStopButton.setEnabled(False)
        self.ui.relayListenEdit.setEnabled(True)
        self._update_buttons()

    def _status(self, text: str, *, ok: bool | None) -> None:
        label = self.ui.relayStatusLabel
        if ok is None:
            label.setText(text)
        else:
            label.setText(coloured(text, OK_COLOUR if ok else ERROR_COLOUR))

    # -- users ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_users()
        self.refresh_queue()

    def refresh_users(self) -> None:
        lst = self.ui.relayUsersList
        lst.clear()
        try:
            lst.addItems(self.mailbox.list_relay_users())
        except BimailError as error:
            self._status(error.message(self.mailbox.lang), ok=False)
        self._update_buttons()

    def add_user(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Add relay user"),
                                        self.tr("Name the program logs in with:"))
        if not ok or not name.strip():
            return
        password, ok = QInputDialog.getText(self, self.tr("Add relay user"),
                                            self.tr("Password for {0}:").format(name.strip()),
                                            QLineEdit.EchoMode.Password)
        if not ok:
            return
        try:
            self.mailbox.add_relay_user(name, password)
        except BimailError as error:
            QMessageBox.warning(self, self.tr("Add relay user"),
                                error.message(self.mailbox.lang))
            return
        self.refresh_users()

    def remove_user(self) -> None:
        item = self.ui.relayUsersList.currentItem()
        if item is None:
            return
        name = item.text()
        answer = QMessageBox.question(
            self, self.tr("Remove relay user"),
            self.tr("Remove {0}? Programs that log in as {0} can no longer send through the "
                    "relay.").format(name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.mailbox.remove_relay_user(name)
        except BimailError as error:
            QMessageBox.warning(self, self.tr("Remove relay user"),
                                error.message(self.mailbox.lang))
        self.refresh_users()

    # -- the queue ------------------------------------------------------------------------
    def refresh_queue(self) -> None:
        try:
            queue = self.mailbox.relay_queue()
        except BimailError as error:
            self.ui.relayQueueCountLabel.setText(error.message(self.mailbox.lang))
            return
        table = self.ui.relayQueueTable
        selected = self._selected_id()
        table.setRowCount(len(queue))
        for row, message in enumerate(queue):
            cells = self._cells(message)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(256, message.id)  # Qt.UserRole
                if column == 6 and message.last_error_message:
                    item.setToolTip(message.last_error_message)
                table.setItem(row, column, item)
            if message.id == selected:
                table.selectRow(row)
        self.ui.relayQueueCountLabel.setText(
            self.tr("The queue is empty.") if not queue else
            self.tr("{0} mail(s) in the queue.").format(len(queue)))
        self._update_buttons()

    def _cells(self, message: QueuedMessage) -> list[str]:
        due = ("" if message.next_attempt is None else
               message.next_attempt.astimezone().strftime("%Y-%m-%d %H:%M:%S"))
        error = ("" if message.last_error_code is None else
                 f"[{message.last_error_code}] {message.last_error_message or ''}")
        return [str(message.id), self._status_text.get(message.status, message.status),
                str(message.attempts), due, message.sender, ", ".join(message.recipients),
                error]

    def _selected_id(self) -> int | None:
        items = self.ui.relayQueueTable.selectedItems()
        if not items:
            return None
        value: Any = items[0].data(256)
        return int(value) if value is not None else None

    def _selected_status(self) -> str | None:
        items = self.ui.relayQueueTable.selectedItems()
        if not items:
            return None
        row = items[0].row()
        cell = self.ui.relayQueueTable.item(row, 1)
        return None if cell is None else cell.text()

    def flush(self) -> None:
        try:
            if self.relay is not None:
                self.relay.flush()
            else:
                self.mailbox.relay_flush()
        except BimailError as error:
            self._status(error.message(self.mailbox.lang), ok=False)
        self.refresh_queue()

    def retry_selected(self) -> None:
        selected = self._selected_id()
        if selected is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Send again"),
            self.tr("The relay stopped while sending this mail, so the provider may have it "
                    "already. Send it again?"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.mailbox.relay_retry(selected)
        except BimailError as error:
            self._status(error.message(self.mailbox.lang), ok=False)
        if self.relay is not None:
            self.relay.worker.wake()
        self.refresh_queue()

    # -- test -----------------------------------------------------------------------------
    def send_test(self) -> None:
        relay = self.relay
        if relay is None or relay.address is None:
            return
        from ..relay import send_test

        recipient = self.ui.relayTestRecipientEdit.text()
        self.ui.relayTestButton.setEnabled(False)
        self.ui.relayTestResultLabel.setText(self.tr("Sending…"))
        self.runner.start(send_test, relay.address, recipient,
                          on_finished=self._test_done, on_failed=self._test_failed)

    def _test_done(self, reply: Any) -> None:
        self.ui.relayTestResultLabel.setText(coloured(
            self.tr("The relay took the mail ({0}); it appears in the queue until it is "
                    "sent, then in the sending records.").format(reply), OK_COLOUR))
        self._update_buttons()
        self.refresh_queue()

    def _test_failed(self, error: Any) -> None:
        text = error.message(self.mailbox.lang) if isinstance(error, BimailError) else str(error)
        self.ui.relayTestResultLabel.setText(coloured(text, ERROR_COLOUR))
        self._update_buttons()

    # -- state ----------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        ui = self.ui
        ui.relayRemoveUserButton.setEnabled(ui.relayUsersList.currentItem() is not None)
        ui.relayRetryButton.setEnabled(self._selected_status() == self._status_text[
            "interrupted"])
        ui.relayTestButton.setEnabled(self.relay is not None and
                                      bool(ui.relayTestRecipientEdit.text().strip()))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh_queue()

    def shutdown(self) -> None:
        """The window closes: stop the relay (finishing the mail in hand)."""
        self._timer.stop()
        relay, self.relay = self.relay, None
        if relay is not None:
            relay.stop()
        self.runner.shutdown()
