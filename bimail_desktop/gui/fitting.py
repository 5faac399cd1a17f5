"""Keeping everything in sight: table columns that share the table's width, and windows
that grow (within the screen) when a message appears in them."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QWidget

_CELL_PADDING = 14  # a cell's margins and focus frame


class ColumnFitter(QObject):
    """Sizes the columns of ``view`` to its width so that every column is in sight:
    columns listed in ``samples`` get the width of their widest usual content (a date, an
    IP address), the others share the rest by ``weights``; no column gets narrower than
    its header title. Long cell text is elided in the middle (an address keeps both its
    name and its domain). Once the admin drags a column border, that layout is theirs."""

    def __init__(self, view: QTableView | QAbstractItemView, *, weights: Mapping[int, int],
                 samples: Mapping[int, str] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.weights = dict(weights)
        self.samples = dict(samples or {})
        self.manual = False
        self._fitting = False
        header = self.header
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        # a selected row would make every title bold, and wider than its column
        header.setHighlightSections(False)
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._resized_by_hand)
        header.sectionCountChanged.connect(lambda *_: self.fit())
        header.sortIndicatorChanged.connect(lambda *_: self.fit())
        model = view.model()
        if model is not None:
            model.headerDataChanged.connect(lambda *_: self.fit())
        self.fit()

    @property
    def header(self) -> QHeaderView:
        view = self.view
        header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()  # type: ignore[attr-defined]
        assert isinstance(header, QHeaderView)
        return header

    def header_width(self, column: int) -> int:
        """What the column's title needs (with the sort arrow when it is the sorted one)."""
        header = self.header
        model = self.view.model()
        text = str(model.headerData(column, Qt.Orientation.Horizontal) or "") if model else ""
        style = header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        needed = header.fontMetrics().horizontalAdvance(text) + 2 * margin + 2
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
            needed += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        return needed

    def wanted(self, column: int) -> int:
        needed = self.header_width(column)
        sample = self.samples.get(column)
        if sample:
            needed = max(needed, self.view.fontMetrics().horizontalAdvance(sample)
                         + _CELL_PADDING)
        return needed

    def fit(self) -> None:
        if self.manual or self._fitting:
            return
        header = self.header
        count = header.count()
        if count == 0:
            return
        available = self.view.viewport().width()
        widths = {c: self.wanted(c) for c in range(count) if not header.isSectionHidden(c)}
        shared = [c for c in widths if self.weights.get(c)]
        rest = available - sum(widths.values())
        if rest > 0 and shared:
            total = sum(self.weights[c] for c in shared)
            # give each shared column its weight's part of the whole, as far as it goes
            targets = {c: available * self.weights[c] // max(total, 1) for c in shared}
            grow = {c: max(0, targets[c] - widths[c]) for c in shared}
            need = sum(grow.values())
            if need <= rest:
                for c in shared:
                    widths[c] += grow[c]
                rest -= need
                for i, c in enumerate(shared):  # what is left over, by weight
                    part = rest * self.weights[c] // total if i < len(shared) - 1 else \
                        rest - sum(rest * self.weights[s] // total for s in shared[:-1])
                    widths[c] += part
            else:
                for c in shared:
                    widths[c] += grow[c] * rest // max(need, 1)
                widths[shared[-1]] += available - sum(widths.values())
        self._fitting = True
        try:
            for column, width in widths.items():
                header.resizeSection(column, max(width, 1))
        finally:
            self._fitting = False

    def _resized_by_hand(self, *_args: object) -> None:
        if not self._fitting and self.view.isVisible() and \
                self.header.underMouse():
            self.manual = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False


def grow_to_fit(window: QWidget) -> None:
    """Make ``window`` tall enough for what its layout now shows (a message that just
    appeared), never taller than the screen; it never shrinks here."""
    layout = window.layout()
    if layout is None or window.isMaximized() or window.isFullScreen():
        return
    layout.activate()
    width = window.width()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(width)
    else:
        needed = layout.totalSizeHint().height()
    needed = max(needed, layout.totalMinimumSize().height())
    screen = window.screen()
    if screen is not None:
        frame = window.frameGeometry().height() - window.geometry().height()
        needed = min(needed, screen.availableGeometry().height() - max(frame, 0))
    if needed > window.height():
        window.resize(width, needed)
