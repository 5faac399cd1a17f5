"""The Sending records page (placeholder until its own issue fills it)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..services import Mailbox


class RecordsPage(QWidget):
    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordsPage")
        self.mailbox = mailbox
        layout = QVBoxLayout(self)
        label = QLabel(
            self.tr("This page will show the history of every mail sent, with filters and CSV "
                    "export."),
            self,
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch(1)

    def shutdown(self) -> None:
        """Cancel and wait for this page's background work (called when the window closes)."""
