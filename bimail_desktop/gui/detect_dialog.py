"""Find server settings for an address, for the admin to confirm (never applied silently).

    settings = DetectDialog.ask(mailbox, "report@corp.example", parent)   # dict or None

The detection runs in a worker (``Mailbox.detect_settings``); the dialog lists what was
found, best first, with what the admin should know (certificate not trusted, clear text,
provider hints), and returns the chosen one's settings on OK.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidgetItem, QWidget

from ..mail.autodetect import DetectedServer
from ..services import Mailbox
from .feedback import WARN_COLOUR, coloured, error_html
from .generated.ui_detect_dialog import Ui_DetectDialog
from .workers import Task, TaskRunner


class DetectDialog(QDialog):
    """Runs the detection for ``address`` at once; :meth:`chosen_settings` after OK."""

    def __init__(
        self,
        mailbox: Mailbox,
        address: str,
        parent: QWidget | None = None,
        *,
        candidates: Sequence[tuple[str, int, str]] | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_DetectDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("detectDialog")
        self.mailbox = mailbox
        self.address = address
        self.results: list[DetectedServer] = []
        self.statusLabel = self.ui.detectStatusLabel
        self.resultList = self.ui.detectResults
        self.buttonBox = self.ui.buttonBox
        self.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Use these settings"))
        self.buttonBox.accepted.connect(self.accept)
        self.buttonBox.rejected.connect(self.reject)
        self.resultList.currentRowChanged.connect(lambda _row: self._update_ok())
        self.resultList.itemDoubleClicked.connect(lambda _item: self.accept())
        self.runner = TaskRunner(self)
        self.statusLabel.setText(html.escape(
            self.tr("Looking for the mail server of %1…").replace("%1", address)))
        kwargs: dict[str, Any] = {}
        if candidates is not None:
            kwargs["candidates"] = list(candidates)
        if timeout is not None:
            kwargs["timeout"] = timeout
        self.task: Task | None = self.runner.start(
            mailbox.detect_settings, address,
            on_finished=self._found, on_failed=self._failed, on_progress=self._progress,
            on_done=self._done, **kwargs,
        )
        self._update_ok()

    @classmethod
    def ask(cls, mailbox: Mailbox, address: str, parent: QWidget | None = None
            ) -> dict[str, Any] | None:
        dialog = cls(mailbox, address, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.chosen_settings()
            return None
        finally:
            dialog.shutdown()

    @property
    def busy(self) -> bool:
        return self.task is not None

    def chosen(self) -> DetectedServer | None:
        row = self.resultList.currentRow()
        return self.results[row] if 0 <= row < len(self.results) else None

    def chosen_settings(self) -> dict[str, Any] | None:
        server = self.chosen()
        return server.settings(self.address) if server is not None else None

    def _update_ok(self) -> None:
        self.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.chosen() is not None)

    def _progress(self, text: object) -> None:
        localised = getattr(text, "text", None)
        if callable(localised) and hasattr(text, "key"):  # a line of the text catalogue
            text = localised(getattr(self.mailbox, "lang", "en"))
        self.statusLabel.setText(html.escape(str(text)))

    def _found(self, results: object) -> None:
        assert isinstance(results, list)
        self.results = results
        self.resultList.clear()
        lang = getattr(self.mailbox, "lang", "en")
        for server in self.results:
            lines = [server.describe()]
            if server.note:
                lines.append(server.note)
            hint = server.hint_zh if lang.startswith("zh") and server.hint_zh else server.hint
            if hint:
                lines.append(hint)
            item = QListWidgetItem("\n".join(lines))
            if server.certificate_trusted is False or not server.encrypted:
                item.setForeground(self.palette().placeholderText())
            self.resultList.addItem(item)
        if self.results:
            self.resultList.setCurrentRow(0)
            text = self.tr("Found %n setting(s), best first. Check them and click "
                           "\"Use these settings\" — nothing is saved until you save the "
                           "sender.", "", len(self.results))
            self.statusLabel.setText(html.escape(text))
            if self.results[0].certificate_trusted is False:
                self.statusLabel.setText(self.statusLabel.text() + "<br>" + coloured(
                    self.tr("The server's certificate is not trusted yet: run the diagnosis "
                            "to see it and trust it."), WARN_COLOUR, bold=False))
        self._update_ok()

    def _failed(self, error: BaseException) -> None:
        self.statusLabel.setText(error_html(error, getattr(self.mailbox, "lang", "en")))

    def _done(self) -> None:
        self.task = None

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()

    def shutdown(self) -> None:
        self.runner.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)
