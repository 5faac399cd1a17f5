"""The Sending records page (R1, R2): filter bar, a lazily paged table, the detail of one
record, CSV export with progress and Cancel, and deleting old records.

The form is ``ui/records_page.ui``. The table's model never holds more than a few pages of
records: pages are fetched in background threads as the view needs them and the least
recently used are dropped, so a million records open as fast as a hundred. New records
(from this program or from the CLI) appear on their own: the page polls a cheap change
token every two seconds.

One module on purpose: the paged model, its loader threads and the page that drives them
share the page cache and its change token; split apart they would pass it back and forth.
"""

from __future__ import annotations

import html
import logging
from collections import OrderedDict
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import CATALOGUE, BimailError, ErrorCode
from ..domain.models import RecordFilter, SendRecord, SendResult
from ..domain.validation import MAX_DATE, MAX_RETENTION_DAYS
from ..services import Mailbox
from ..services.records import COUNT_BOUND, day_filter, to_local
from .feedback import ERROR_COLOUR, OK_COLOUR, WARN_COLOUR, error_plain
from .fitting import ColumnFitter
from .generated.ui_records_page import Ui_RecordsPage
from .workers import TaskRunner

log = logging.getLogger(__name__)

POLL_MS = 2000
DEBOUNCE_MS = 300
NO_DATE = QDate(2000, 1, 1)  # the date edits' minimum, shown as "Any day"

# (sort key, header) in the order of R1
COLUMNS = (
    ("sender", QT_TRANSLATE_NOOP("RecordsPage", "Sender")),
    ("ip", QT_TRANSLATE_NOOP("RecordsPage", "IP Address")),
    ("recipient", QT_TRANSLATE_NOOP("RecordsPage", "Receive Email")),
    ("template", QT_TRANSLATE_NOOP("RecordsPage", "Template Name")),
    ("resources", QT_TRANSLATE_NOOP("RecordsPage", "Accessed Resources")),
    ("sent_at", QT_TRANSLATE_NOOP("RecordsPage", "Send Time")),
    ("result", QT_TRANSLATE_NOOP("RecordsPage", "Send Result")),
)
SENT_AT_COLUMN = 5
RESULT_COLUMN = 6
_AnyIndex = QModelIndex | QPersistentModelIndex


def _header_text(text: str) -> str:
    """``text`` (marked with QT_TRANSLATE_NOOP) in the user's language."""
    return QCoreApplication.translate("RecordsPage", text)


class RecordsModel(QAbstractTableModel):
    """Records of one filter, fetched a page at a time in worker threads.

    ``rowCount`` grows through ``canFetchMore``/``fetchMore`` as the view scrolls; the rows'
    data lives in at most :attr:`max_pages` cached pages (least recently used dropped)."""

    totalChanged = Signal(object)  # int, or None while counting (see total_exact)
    pageLoaded = Signal(int)
    failed = Signal(object)  # an exception from a query

    def __init__(self, mailbox: Mailbox, runner: TaskRunner, parent: QObject | None = None,
                 *, page_size: int = 200, max_pages: int = 5) -> None:
        super().__init__(parent)
        self.mailbox = mailbox
        self.runner = runner
        self.page_size = page_size
        self.max_pages = max_pages
        self.filter = RecordFilter()
        self.sort_key = "sent_at"
        self.descending = True
        self.total: int | None = None
        # False: more than ``total`` records match (the first count stops at count_bound;
        # count_exactly() asks for the figure), so the page never waits for a full count
        self.total_exact = True
        self.count_bound = COUNT_BOUND
        self._exposed = 0
        self._generation = 0
        self._pages: OrderedDict[int, list[SendRecord]] = OrderedDict()
        self._loading: set[int] = set()
        self.queries = 0  # page queries started (for tests and the benchmark)

    # -- queries -----------------------------------------------------------------------
    def set_query(self, flt: RecordFilter | None = None, *, sort: str | None = None,
                  descending: bool | None = None) -> None:
        """Show ``flt`` (None: keep the current filter) with the given order; re-queries."""
        if flt is not None:
            self.filter = flt
        if sort is not None:
            self.sort_key = sort
        if descending is not None:
            self.descending = descending
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._generation += 1
        self._pages.clear()
        self._loading.clear()
        self._exposed = 0
        self.total = None
        self.total_exact = True
        self.endResetModel()
        self.totalChanged.emit(None)
        self._request(0)  # the first rows first; the count runs beside them
        self._count(self.count_bound)

    def count_exactly(self) -> None:
        """Replace "more than N" by the exact number of matching records."""
        if self.total is not None and not self.total_exact:
            self._count(None)

    def _count(self, up_to: int | None) -> None:
        generation = self._generation
        self.runner.start(self.mailbox.count_records, self.filter, up_to=up_to,
                          on_finished=lambda n: self._count_done(generation, n, up_to),
                          on_failed=lambda e: self._query_failed(generation, e))

    def _request(self, page: int) -> None:
        if page in self._pages or page in self._loading:
            return
        self._loading.add(page)
        self.queries += 1
        generation = self._generation
        self.runner.start(
            self.mailbox.query_records, self.filter, sort=self.sort_key,
            descending=self.descending, offset=page * self.page_size, limit=self.page_size,
            on_finished=lambda rows: self._page_done(generation, page, rows),
            on_failed=lambda e: self._query_failed(generation, e, page),
        )

    def _page_done(self, generation: int, page: int, rows: list[SendRecord]) -> None:
        if generation != self._generation:
            return
        self._loading.discard(page)
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        if page == 0:
            wanted = len(rows) if self.total is None or not self.total_exact \
                else min(self.total, self.page_size)
            self._expose(max(self._exposed, wanted))
        if not self.total_exact and len(rows) < self.page_size:
            # scrolled past "more than N" to the end: now the exact total is known
            self.total = page * self.page_size + len(rows)
            self.total_exact = True
            self._expose(min(self._exposed, self.total))
            self.totalChanged.emit(self.total)
        first = page * self.page_size
        last = min(first + len(rows), self._exposed) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0),
                                  self.index(last, len(COLUMNS) - 1))
        self.pageLoaded.emit(page)

    def _count_done(self, generation: int, total: int, up_to: int | None = None) -> None:
        if generation != self._generation:
            return
        if up_to is not None and self.total is not None and self.total_exact:
            return  # the pages already told the exact figure
        self.total_exact = up_to is None or total <= up_to
        self.total = int(total) if self.total_exact else int(up_to or 0)
        if not self.total_exact:
            if 0 in self._pages:  # more than the bound: at least the first page
                self._expose(max(self._exposed, len(self._pages[0])))
        elif self._exposed > self.total:
            self._expose(self.total)
        elif 0 in self._pages:
            self._expose(min(self.total, max(self._exposed, self.page_size)))
        self.totalChanged.emit(self.total)

    def _query_failed(self, generation: int, error: BaseException,
                      page: int | None = None) -> None:
        if generation != self._generation:
            return
        if page is not None:
            self._loading.discard(page)
        self.failed.emit(error)

    def _expose(self, rows: int) -> None:
        if rows > self._exposed:
            self.beginInsertRows(QModelIndex(), self._exposed, rows - 1)
            self._exposed = rows
            self.endInsertRows()
        elif rows < self._exposed:
            self.beginRemoveRows(QModelIndex(), rows, self._exposed - 1)
            self._exposed = rows
            self.endRemoveRows()

    # -- what the view asks ------------------------------------------------------------
    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._exposed

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _AnyIndex) -> bool:
        if parent.isValid() or self.total is None:
            return False
        return self._exposed < self.total or not self.total_exact

    def fetchMore(self, parent: _AnyIndex) -> None:
        if self.canFetchMore(parent):
            assert self.total is not None
            wanted = self._exposed + self.page_size
            self._expose(min(self.total, wanted) if self.total_exact else wanted)

    def record(self, row: int, *, load: bool = True) -> SendRecord | None:
        """The record on ``row`` if its page is cached (else its page is requested)."""
        if not 0 <= row < self._exposed:
            return None
        page, offset = divmod(row, self.page_size)
        rows = self._pages.get(page)
        if rows is None:
            if load:
                self._request(page)
            return None
        self._pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None

    def is_row_loaded(self, row: int) -> bool:
        return self.record(row, load=False) is not None

    def cached_pages(self) -> int:
        return len(self._pages)

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.ToolTipRole):
            return None
        rec = self.record(index.row())
        if rec is None:
            if role == Qt.ItemDataRole.DisplayRole and column == 0:
                return QCoreApplication.translate("RecordsPage", "Loading…")
            return None
        key = COLUMNS[column][0]
        if role == Qt.ItemDataRole.ForegroundRole:
            if key != "result":
                return None
            colour = {SendResult.SUCCESS: OK_COLOUR, SendResult.FAILURE: ERROR_COLOUR}.get(
                rec.result, WARN_COLOUR)
            return QBrush(QColor(colour))
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "result" and rec.error_code:
                info = error_info(rec.error_code)
                if info is None:
                    return rec.error_code
                title, explanation, _fix = info.text(self.mailbox.lang)
                return f"{result_text(rec.result)}: {title}\n{explanation}"
            if key == "resources":
                return "\n".join(rec.resources) or None
            # the full text of a cell that may be elided
            return display_value(rec, key, self.mailbox.lang) or None
        return display_value(rec, key, self.mailbox.lang)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _header_text(str(COLUMNS[section][1]))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self.sort_key and descending == self.descending and self.total is not None:
            return
        self.set_query(sort=key, descending=descending)


def result_text(result: SendResult) -> str:
    if result is SendResult.SUCCESS:
        return QCoreApplication.translate("RecordsPage", "Success")
    if result is SendResult.FAILURE:
        return QCoreApplication.translate("RecordsPage", "Failure")
    return QCoreApplication.translate("RecordsPage", "Sending…")


def error_info(code: str) -> Any:
    """The catalogue entry of an error code kept in a record (None: not in the catalogue,
    e.g. written by a newer version)."""
    return CATALOGUE.get(ErrorCode(code)) if code in ErrorCode._value2member_map_ else None


def display_value(rec: SendRecord, key: str, lang: str = "en") -> str:
    if key == "sent_at":
        return to_local(rec.sent_at).strftime("%Y-%m-%d %H:%M:%S")
    if key == "resources":
        return ", ".join(rec.resources)
    if key == "result":
        if rec.error_code:
            # the catalogue's title in the user's language, e.g. "Rate limit reached"
            info = error_info(rec.error_code)
            return info.text(lang)[0] if info is not None else rec.error_code
        return result_text(rec.result)
    return str(getattr(rec, key) or "")


class RecordsPage(QWidget):
    """Filter bar, records table, record detail, export and retention."""

    def __init__(self, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RecordsPage()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]
        self.setObjectName("recordsPage")
        self.mailbox = mailbox
        self.lang = str(getattr(mailbox, "lang", "en") or "en")
        self.runner = TaskRunner(self)
        self.model = RecordsModel(mailbox, self.runner, self)
        self._export_task: Any = None
        self._busy_retention = False
        self._selected_id: int | None = None
        self._token: str | None = None
        ui = self.ui

        ui.resultFilterCombo.addItem(self.tr("All"), "")
        ui.resultFilterCombo.addItem(self.tr("Success"), SendResult.SUCCESS.value)
        ui.resultFilterCombo.addItem(self.tr("Failure"), SendResult.FAILURE.value)
        for date_edit in (ui.sinceDateEdit, ui.untilDateEdit):
            date_edit.setMinimumDate(NO_DATE)
            date_edit.setDate(NO_DATE)
            date_edit.setMaximumDate(QDate(MAX_DATE.year, MAX_DATE.month, MAX_DATE.day))
        # the same range `bimail records --delete-older-than` accepts
        ui.retentionDaysSpin.setMaximum(MAX_RETENTION_DAYS)

        table = ui.recordsTable
        table.setModel(self.model)
        header = table.horizontalHeader()
        header.setSortIndicator(SENT_AT_COLUMN, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        # every column of R1 in sight at any window size: the time, the IP and the result
        # as wide as they usually are, the texts share the rest (elided in the middle, the
        # full text in the tooltip)
        self.column_fitter = ColumnFitter(
            table, weights={0: 3, 2: 3, 3: 2, 4: 2, 6: 2},
            samples={1: "203.0.113.250", SENT_AT_COLUMN: "2026-12-31 23:59:59",
                     RESULT_COLUMN: self.tr("Success")})
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.verticalHeader().setVisible(False)
        header.setSortIndicator(SENT_AT_COLUMN, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)  # runs the first query (newest first)
        ui.recordsSplitter.setStretchFactor(0, 3)
        ui.recordsSplitter.setStretchFactor(1, 2)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        for edit in (ui.senderFilterEdit, ui.recipientFilterEdit, ui.templateFilterEdit):
            edit.textChanged.connect(lambda _text: self._debounce.start())
            edit.returnPressed.connect(self.apply_filters)
        ui.sinceDateEdit.dateChanged.connect(lambda _d: self.apply_filters())
        ui.untilDateEdit.dateChanged.connect(lambda _d: self.apply_filters())
        ui.resultFilterCombo.currentIndexChanged.connect(self._result_changed)
        ui.failuresOnlyButton.toggled.connect(self._failures_only)
        ui.clearFiltersButton.clicked.connect(self.clear_filters)

        self.model.totalChanged.connect(self._show_total)
        ui.recordCountLabel.setTextFormat(Qt.TextFormat.RichText)  # "count all" link
        ui.recordCountLabel.linkActivated.connect(lambda _link: self.count_exactly())
        self.model.failed.connect(self._query_failed)
        self.model.pageLoaded.connect(self._page_loaded)
        self.model.modelReset.connect(self._show_detail)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.model.dataChanged.connect(lambda *_: self._detail_if_missing())

        ui.exportCsvButton.clicked.connect(self.export_csv)
        ui.cancelExportButton.clicked.connect(self.cancel_export)
        ui.retentionDaysSpin.valueChanged.connect(
            lambda days: ui.deleteOldButton.setEnabled(days > 0 and not self._busy_retention))
        ui.deleteOldButton.clicked.connect(self.delete_old_records)

        self._setup_actions()
        self._setup_dates()

        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll)
        self._token = self._change_token()
        self._poll.start()

    # -- hooks (tests replace them) ----------------------------------------------------
    def ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def choose_export_path(self) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export sending records"), "sending-records.csv",
            self.tr("CSV files (*.csv)"))
        return path or None

    # -- acting on records: context menu and shortcuts --------------------------------
    def _setup_actions(self) -> None:
        table = self.ui.recordsTable
        self.copyRowsAction = QAction(self.tr("&Copy rows"), self)
        self.copyRowsAction.setObjectName("copyRowsAction")
        self.copyRowsAction.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copyRowsAction.setToolTip(self.tr("The selected rows as tab-separated text, "
                                               "for a spreadsheet or a ticket"))
        self.copyRowsAction.triggered.connect(lambda: self.copy_rows())
        self.copyRecordAction = QAction(self.tr("Copy &record"), self)
        self.copyRecordAction.setObjectName("copyRecordAction")
        self.copyRecordAction.setShortcut(QKeySequence(self.tr("Ctrl+Shift+C")))
        self.copyRecordAction.triggered.connect(lambda: self.copy_record())
        self.detailsAction = QAction(self.tr("Show &details…"), self)
        self.detailsAction.setObjectName("showDetailsAction")
        self.detailsAction.setShortcuts([QKeySequence(Qt.Key.Key_Return),
                                         QKeySequence(Qt.Key.Key_Enter)])
        self.detailsAction.triggered.connect(lambda: self.show_details())
        self.resendAction = QAction(self.tr("&Send again to the failed recipients…"), self)
        self.resendAction.setObjectName("resendFailedAction")
        self.resendAction.setShortcut(QKeySequence(self.tr("Ctrl+R")))
        self.resendAction.triggered.connect(lambda: self.resend_failed())
        for action in (self.copyRowsAction, self.copyRecordAction, self.detailsAction,
                       self.resendAction):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            table.addAction(action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        table.doubleClicked.connect(lambda _index: self.show_details())
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self._update_actions()

    def _update_actions(self) -> None:
        rec = self.selected_record()
        rows = self.selected_rows()
        self.copyRowsAction.setEnabled(bool(rows))
        self.copyRecordAction.setEnabled(rec is not None)
        self.detailsAction.setEnabled(rec is not None)
        self.resendAction.setEnabled(rec is not None and rec.result is SendResult.FAILURE)

    def _context_menu(self, position: QPoint) -> None:
        self._update_actions()
        menu = self.context_menu()
        menu.exec(self.ui.recordsTable.viewport().mapToGlobal(position))

    def context_menu(self) -> QMenu:
        """The menu a right click on the table opens."""
        menu = QMenu(self)
        menu.setObjectName("recordsContextMenu")
        menu.addAction(self.detailsAction)
        menu.addSeparator()
        menu.addAction(self.copyRecordAction)
        menu.addAction(self.copyRowsAction)
        menu.addSeparator()
        menu.addAction(self.resendAction)
        return menu

    def selected_rows(self) -> list[int]:
        selection = self.ui.recordsTable.selectionModel()
        return sorted({index.row() for index in selection.selectedRows()})

    def rows_as_tsv(self, rows: list[int]) -> str:
        """Rows as tab-separated text with the header line (what a spreadsheet pastes)."""
        def clean(text: str) -> str:
            return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")

        lines = ["\t".join(_header_text(str(title)) for _key, title in COLUMNS)]
        for row in rows:
            rec = self.model.record(row, load=False)
            if rec is None:
                continue
            lines.append("\t".join(clean(display_value(rec, key, self.lang))
                                   for key, _title in COLUMNS))
        return "\n".join(lines) + "\n"

    def copy_rows(self) -> str:
        text = self.rows_as_tsv(self.selected_rows())
        QGuiApplication.clipboard().setText(text)
        return text

    def record_text(self, rec: SendRecord) -> str:
        """One record as plain text, one "name: value" line each (for a ticket)."""
        lines = [
            f"{self.tr('Sender')}: {rec.sender}",
            f"{self.tr('IP Address')}: {rec.ip}",
            f"{self.tr('Receive Email')}: {rec.recipient}",
            f"{self.tr('Template Name')}: {rec.template}",
            f"{self.tr('Accessed Resources')}: {', '.join(rec.resources)}",
            f"{self.tr('Send Time')}: "
            f"{to_local(rec.sent_at).isoformat(sep=' ', timespec='seconds')}",
            f"{self.tr('Send Result')}: {result_text(rec.result)}",
        ]
        if rec.error_code:
            info = error_info(rec.error_code)
            title = info.text(self.lang)[0] if info is not None else ""
            lines.append(f"{self.tr('Error')}: {title} ({rec.error_code})".replace(" ()", ""))
        if rec.server_reply:
            lines.append(f"{self.tr('Server reply')}: {rec.server_reply}")
        lines.append(f"{self.tr('Message ID')}: {rec.message_id}")
        return "\n".join(lines) + "\n"

    def copy_record(self) -> str:
        rec = self.selected_record()
        if rec is None:
            return ""
        text = self.record_text(rec)
        QGuiApplication.clipboard().setText(text)
        return text

    def show_details(self) -> QDialog | None:
        """The selected record in a window of its own (also when the detail pane below the
        table is small)."""
        rec = self.selected_record()
        if rec is None:
            return None
        dialog = QDialog(self)
        dialog.setObjectName("recordDetailDialog")
        dialog.setWindowTitle(self.tr("Sending record %1").replace("%1", str(rec.id)))
        layout = QVBoxLayout(dialog)
        browser = QTextBrowser(dialog)
        browser.setHtml(self.detail_html(rec))
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(520, 480)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.ui.recordsTable.setFocus())
        dialog.show()
        return dialog

    def resend_failed(self) -> QDialog | None:
        """"Send again to the failed recipients" of the selected record's message."""
        rec = self.selected_record()
        if rec is None or rec.result is not SendResult.FAILURE:
            return None
        from .resend_dialog import ResendDialog

        try:
            record, recipients = self.mailbox.failed_recipients(rec.id)
            template = self.mailbox.get_template(record.template)
        except BimailError as error:
            self._message(error_plain(error, self.lang), error=True)
            return None
        if template is None:
            self._message(self.tr("The template %1 does not exist any more; nothing can be "
                                  "sent again.").replace("%1", record.template), error=True)
            return None
        from ..services.templates import placeholders

        dialog = ResendDialog(self.mailbox, record, recipients, placeholders(template), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sent.connect(lambda _outcome: self.poll())
        dialog.finished.connect(lambda _r: self.ui.recordsTable.setFocus())
        self.resend_dialog = dialog
        dialog.show()
        return dialog

    # -- the date filters and quick ranges ---------------------------------------------
    def _setup_dates(self) -> None:
        ui = self.ui
        combo = ui.quickRangeCombo
        for key, text in (("", self.tr("Any time")), ("today", self.tr("Today")),
                          ("week", self.tr("Last 7 days")), ("month", self.tr("This month")),
                          ("custom", self.tr("Chosen days"))):
            combo.addItem(text, key)
        combo.currentIndexChanged.connect(lambda _i: self.choose_range(combo.currentData()))
        for edit in (ui.sinceDateEdit, ui.untilDateEdit):
            edit.installEventFilter(self)
            edit.calendarWidget().installEventFilter(self)
            edit.dateChanged.connect(lambda _d: self._show_range())
        self._show_range()

    def choose_range(self, key: str | None) -> None:
        """Set From and To to a quick range ("", "today", "week", "month")."""
        if key in (None, "custom"):
            return
        today = QDate.currentDate()
        since, until = {
            "": (NO_DATE, NO_DATE),
            "today": (today, today),
            "week": (today.addDays(-6), today),
            "month": (QDate(today.year(), today.month(), 1), today),
        }[key]
        ui = self.ui
        for edit in (ui.sinceDateEdit, ui.untilDateEdit):
            edit.blockSignals(True)
        ui.sinceDateEdit.setDate(since)
        ui.untilDateEdit.setDate(until)
        for edit in (ui.sinceDateEdit, ui.untilDateEdit):
            edit.blockSignals(False)
        self._show_range()
        self.apply_filters()

    def _show_range(self) -> None:
        """The quick range that From and To make (or "Chosen days")."""
        since, until = self.ui.sinceDateEdit.date(), self.ui.untilDateEdit.date()
        today = QDate.currentDate()
        key = "custom"
        if since == NO_DATE and until == NO_DATE:
            key = ""
        elif until == today and since == today:
            key = "today"
        elif until == today and since == today.addDays(-6):
            key = "week"
        elif until == today and since == QDate(today.year(), today.month(), 1):
            key = "month"
        combo = self.ui.quickRangeCombo
        combo.blockSignals(True)
        combo.setCurrentIndex(combo.findData(key))
        combo.blockSignals(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        ui = self.ui
        edits = (ui.sinceDateEdit, ui.untilDateEdit)
        if watched in edits and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            edit = watched
            key = event.key()
            if key == Qt.Key.Key_Tab and not event.modifiers() & \
                    Qt.KeyboardModifier.ControlModifier:
                # Tab leaves the field (day, month and year are reached with ← →)
                self.focusNextChild()
                return True
            if key == Qt.Key.Key_Backtab:
                self.focusPreviousChild()
                return True
            if edit.date() == NO_DATE and event.text().isdigit():
                # typing a date replaces "Any day" instead of appending to it
                edit.blockSignals(True)
                edit.setDate(QDate.currentDate())
                edit.blockSignals(False)
                edit.setCurrentSection(QDateTimeEdit.Section.YearSection)
                line = edit.findChild(QLineEdit)
                if line is not None:
                    line.setSelection(0, 4)
        elif event.type() == QEvent.Type.Show:
            for edit in edits:
                if watched is edit.calendarWidget() and edit.date() == NO_DATE:
                    # "Any day": the calendar opens at this month, not at the year 2000
                    today = QDate.currentDate()
                    edit.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    # -- filters -----------------------------------------------------------------------
    def current_filter(self) -> RecordFilter:
        ui = self.ui

        def day(edit: Any) -> date | None:
            value: QDate = edit.date()
            return None if value == NO_DATE else date(value.year(), value.month(), value.day())

        since, until = day_filter(day(ui.sinceDateEdit), day(ui.untilDateEdit))
        result = ui.resultFilterCombo.currentData() or None
        return RecordFilter(
            sender=ui.senderFilterEdit.text().strip(),
            recipient=ui.recipientFilterEdit.text().strip(),
            template=ui.templateFilterEdit.text().strip(),
            since=since,
            until=until,
            result=SendResult(result) if result else None,
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        flt = self.current_filter()
        if flt.since is not None and flt.until is not None and flt.since >= flt.until:
            self._message(self.tr("The \"To\" day is before the \"From\" day."), error=True)
            return
        self._message("")
        if flt != self.model.filter:
            self.model.set_query(flt)

    def _result_changed(self, _index: int) -> None:
        failures = self.ui.resultFilterCombo.currentData() == SendResult.FAILURE.value
        button = self.ui.failuresOnlyButton
        if button.isChecked() != failures:
            button.blockSignals(True)
            button.setChecked(failures)
            button.blockSignals(False)
        self.apply_filters()

    def _failures_only(self, checked: bool) -> None:
        combo = self.ui.resultFilterCombo
        combo.setCurrentIndex(combo.findData(SendResult.FAILURE.value if checked else ""))

    def clear_filters(self) -> None:
        ui = self.ui
        ui.quickRangeCombo.blockSignals(True)
        ui.quickRangeCombo.setCurrentIndex(0)
        ui.quickRangeCombo.blockSignals(False)
        widgets = (ui.senderFilterEdit, ui.recipientFilterEdit, ui.templateFilterEdit,
                   ui.sinceDateEdit, ui.untilDateEdit, ui.resultFilterCombo,
                   ui.failuresOnlyButton)
        for widget in widgets:
            widget.blockSignals(True)
        for edit in (ui.senderFilterEdit, ui.recipientFilterEdit, ui.templateFilterEdit):
            edit.clear()
        ui.sinceDateEdit.setDate(NO_DATE)
        ui.untilDateEdit.setDate(NO_DATE)
        ui.resultFilterCombo.setCurrentIndex(0)
        ui.failuresOnlyButton.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.apply_filters()

    # -- results -----------------------------------------------------------------------
    def shown_total(self) -> int | None:
        return self.model.total

    def count_exactly(self) -> None:
        """The "count all" link: the exact number of records instead of "more than N"."""
        if not self.model.total_exact:
            self.ui.recordCountLabel.setText(self.tr("Counting…"))
            self.model.count_exactly()

    def _show_total(self, total: int | None) -> None:
        label = self.ui.recordCountLabel
        if total is None:
            label.setText(self.tr("Counting…"))
        elif not self.model.total_exact:
            count_all = html.escape(self.tr("count all"))
            label.setText(self.tr("More than %1 records").replace("%1", f"{total:,}")
                          + f' — <a href="count">{count_all}</a>')
        elif total == 1:
            label.setText(self.tr("1 record"))
        else:
            label.setText(self.tr("%1 records").replace("%1", f"{total:,}"))

    def _query_failed(self, error: BaseException) -> None:
        log.warning("records query failed: %s", error)
        self._message(error_plain(error, self.lang), error=True)

    def _message(self, text: str, *, error: bool = False) -> None:
        label = self.ui.recordsMessageLabel
        label.setText(text)
        label.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")

    def _page_loaded(self, page: int) -> None:
        if self._selected_id is None or self.ui.recordsTable.currentIndex().isValid():
            return
        size = self.model.page_size
        for row in range(page * size, min((page + 1) * size, self.model.rowCount())):
            rec = self.model.record(row, load=False)
            if rec is not None and rec.id == self._selected_id:
                self.ui.recordsTable.selectRow(row)
                return

    def show_record(self, record_id: int) -> None:
        """Select record ``record_id`` (filters cleared so that it is in the table)."""
        table = self.ui.recordsTable
        table.clearSelection()
        table.setCurrentIndex(QModelIndex())
        self._selected_id = int(record_id)
        before = self.model.filter
        self.clear_filters()
        if self.model.filter == before:
            self.model.refresh()
        table.setFocus()

    # -- detail ------------------------------------------------------------------------
    def selected_record(self) -> SendRecord | None:
        index = self.ui.recordsTable.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _detail_if_missing(self) -> None:
        if not self.ui.recordDetail.toPlainText() and self.ui.recordsTable.currentIndex(
        ).isValid():
            self._show_detail()

    def _show_detail(self) -> None:
        rec = self.selected_record()
        if rec is None:
            self.ui.recordDetail.clear()
            return
        self._selected_id = rec.id
        self.ui.recordDetail.setHtml(self.detail_html(rec))

    def detail_html(self, rec: SendRecord) -> str:
        esc = html.escape
        colour = {SendResult.SUCCESS: OK_COLOUR, SendResult.FAILURE: ERROR_COLOUR}.get(
            rec.result, WARN_COLOUR)
        parts = [f'<h3 style="color:{colour}">{esc(result_text(rec.result))}</h3>']
        local = to_local(rec.sent_at)
        rows = [
            (self.tr("Sender"), rec.sender),
            (self.tr("IP Address"), rec.ip),
            (self.tr("Receive Email"), rec.recipient),
            (self.tr("Template Name"), rec.template),
            (self.tr("Send Time"), local.isoformat(sep=" ", timespec="seconds")),
            (self.tr("Duration"), "" if rec.duration_ms is None
             else self.tr("%1 ms").replace("%1", f"{rec.duration_ms:,}")),
            (self.tr("Message ID"), rec.message_id),
        ]
        parts.append("<table cellspacing='2'>" + "".join(
            f"<tr><td><b>{esc(name)}</b></td><td>{esc(str(value))}</td></tr>"
            for name, value in rows) + "</table>")
        parts.append(f"<p><b>{esc(self.tr('Accessed Resources'))}</b></p>")
        if rec.resources:
            parts.append("<ul>" + "".join(f"<li>{esc(r)}</li>" for r in rec.resources)
                         + "</ul>")
        else:
            parts.append(f"<p>{esc(self.tr('None'))}</p>")
        if rec.error_code:
            info = CATALOGUE.get(ErrorCode(rec.error_code)) \
                if rec.error_code in ErrorCode._value2member_map_ else None
            parts.append(f"<p><b>{esc(self.tr('Error'))}:</b> <code>{esc(rec.error_code)}"
                         "</code></p>")
            if info is not None:
                title, explanation, fix = info.text(self.lang)
                parts.append(f'<p style="color:{ERROR_COLOUR}"><b>{esc(title)}</b></p>')
                parts.append(f"<p>{esc(explanation)}</p>")
                parts.append(f"<p><b>{esc(self.tr('Fix:'))}</b> {esc(fix)}</p>")
        if rec.error_message:
            parts.append(f"<p>{esc(rec.error_message)}</p>")
        if rec.server_reply:
            parts.append(f"<p><b>{esc(self.tr('Server reply'))}</b></p>"
                         f"<pre>{esc(rec.server_reply)}</pre>")
        return "".join(parts)

    # -- new records -------------------------------------------------------------------
    def _change_token(self) -> str | None:
        try:
            return self.mailbox.records_change_token()
        except BimailError as error:  # pragma: no cover - a broken store shows elsewhere
            log.warning("cannot poll the records: %s", error)
            return self._token

    def poll(self) -> None:
        """Refresh when records were added, finished or deleted (here or by the CLI)."""
        token = self._change_token()
        if token != self._token:
            self._token = token
            rec = self.selected_record()
            self._selected_id = rec.id if rec is not None else self._selected_id
            self.model.refresh()

    # -- export ------------------------------------------------------------------------
    def export_csv(self) -> None:
        path = self.choose_export_path()
        if not path:
            return
        ui = self.ui
        total = self.model.total if self.model.total_exact else None
        ui.exportProgress.setRange(0, total if total else 0)
        ui.exportProgress.setValue(0)
        ui.exportProgress.setVisible(True)
        ui.cancelExportButton.setVisible(True)
        ui.cancelExportButton.setEnabled(True)
        ui.exportCsvButton.setEnabled(False)
        self._message(self.tr("Exporting…"))
        self._export_task = self.runner.start(
            self.mailbox.export_records_csv, self.model.filter, path,
            sort=self.model.sort_key, descending=self.model.descending,
            on_progress=lambda rows: ui.exportProgress.setValue(
                min(int(rows), ui.exportProgress.maximum())),
            on_finished=lambda rows: self._export_done(int(rows), path),
            on_failed=self._export_failed,
            on_done=self._export_over,
        )

    def cancel_export(self) -> None:
        if self._export_task is not None:
            self._export_task.cancel()
            self.ui.cancelExportButton.setEnabled(False)

    @property
    def exporting(self) -> bool:
        return self._export_task is not None

    def _export_done(self, rows: int, path: str) -> None:
        self._message(self.tr("%1 records exported to %2").replace("%1", f"{rows:,}")
                      .replace("%2", path))

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, BimailError) and error.code is ErrorCode.INTERRUPTED:
            self._message(self.tr("Export cancelled; no file was written."))
        else:
            self._message(error_plain(error, self.lang), error=True)

    def _export_over(self) -> None:
        self._export_task = None
        ui = self.ui
        ui.exportProgress.setVisible(False)
        ui.cancelExportButton.setVisible(False)
        ui.exportCsvButton.setEnabled(True)

    # -- retention ---------------------------------------------------------------------
    def delete_old_records(self) -> None:
        days = self.ui.retentionDaysSpin.value()
        if days <= 0 or self._busy_retention:
            return
        self._set_retention_busy(True)
        self.runner.start(self.mailbox.count_records_older_than, days,
                          on_finished=lambda n: self._confirm_delete(days, int(n)),
                          on_failed=self._retention_failed)

    def _confirm_delete(self, days: int, count: int) -> None:
        if count == 0:
            self._set_retention_busy(False)
            self._message(self.tr("No records are older than %1 days.")
                          .replace("%1", str(days)))
            return
        text = (self.tr("Delete %1 sending records older than %2 days? This cannot be "
                        "undone.").replace("%1", f"{count:,}").replace("%2", str(days)))
        if not self.ask(self.tr("Delete old records"), text):
            self._set_retention_busy(False)
            return
        self._message(self.tr("Deleting…"))
        self.runner.start(self.mailbox.delete_records_older_than, days,
                          on_finished=lambda n: self._deleted(int(n)),
                          on_failed=self._retention_failed)

    def _deleted(self, count: int) -> None:
        self._set_retention_busy(False)
        self._message(self.tr("%1 old records deleted.").replace("%1", f"{count:,}"))
        self._token = self._change_token()
        self.model.refresh()

    def _retention_failed(self, error: BaseException) -> None:
        self._set_retention_busy(False)
        self._message(error_plain(error, self.lang), error=True)

    def _set_retention_busy(self, busy: bool) -> None:
        self._busy_retention = busy
        self.ui.deleteOldButton.setEnabled(not busy and self.ui.retentionDaysSpin.value() > 0)

    # -- lifetime ----------------------------------------------------------------------
    def shutdown(self) -> None:
        """Cancel and wait for this page's background work (called when the window closes)."""
        self._poll.stop()
        self._debounce.stop()
        self.runner.shutdown()
