"""The Diagnostics page (placeholder until its own issue fills it)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..services import Mailbox


class DiagnosticsPage(QWidget):
    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnosticsPage")
        self.mailbox = mailbox
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("This page will show a step-by-step check of a mail server."), self)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch(1)

    def shutdown(self) -> None:
        """Cancel and wait for this page's background work (called when the window closes)."""
