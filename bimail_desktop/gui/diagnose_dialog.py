"""The sender dialog's "Diagnose…": the Diagnostics page in a dialog of its own, run with
the form's current (unsaved) values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QWidget

from .diagnostics_page import DiagnosticsPage
from .generated.ui_diagnose_dialog import Ui_DiagnoseDialog

if TYPE_CHECKING:
    from ..services import Mailbox


class DiagnoseDialog(QDialog):
    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_DiagnoseDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.page = DiagnosticsPage(mailbox, self.ui.pageArea)
        self.ui.pageLayout.addWidget(self.page)

    def run_for(self, settings: Mapping[str, Any], password: str | None = None,
                to: str | None = None) -> None:
        self.page.run_for(settings, password, to)

    def shutdown(self) -> None:
        self.page.shutdown()

    def done(self, result: int) -> None:
        self.shutdown()  # a running diagnosis is cancelled and waited for
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        self.shutdown()
        super().closeEvent(event)
