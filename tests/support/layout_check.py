"""What a user sees cut off: texts that do not fit their widget, table headers narrower
than their title, columns scrolled out of sight, widgets outside the window.

Used by the layout tests (every window, page and dialog state in English and Chinese) and
the translation tests. Each check returns readable problem lines; an empty list is a pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QTabBar,
    QTextEdit,
    QWidget,
)


def _name(widget: QWidget, text: str = "") -> str:
    return widget.objectName() or repr(text)[:60]


def clipped_texts(top: Any) -> list[str]:
    """Texts that do not fit their widget: buttons, single-line labels narrower than their
    text, word-wrapped labels shorter than their wrapped text, tabs narrower than their
    title, group boxes narrower than their title, combo boxes narrower than their current
    item, placeholders of empty text panes."""
    problems = []
    for label in top.findChildren(QLabel):
        if not label.isVisibleTo(top) or not label.text():
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                problems.append(f"label {_name(label, label.text())}: "
                                f"needs {needed}px height, has {label.height()}px")
        elif label.sizeHint().width() > label.width() + 1:
            problems.append(f"label {_name(label, label.text())}: needs "
                            f"{label.sizeHint().width()}px, has {label.width()}px")
        elif label.sizeHint().height() > label.height() + 1:
            problems.append(f"label {_name(label, label.text())}: needs "
                            f"{label.sizeHint().height()}px height, has {label.height()}px")
    for button in top.findChildren(QAbstractButton):
        if not button.isVisibleTo(top) or not button.text():
            continue
        if button.parent().__class__.__name__ == "QTabBar":
            continue
        if button.sizeHint().width() > button.width() + 1:
            problems.append(f"button {_name(button, button.text())}: needs "
                            f"{button.sizeHint().width()}px, has {button.width()}px")
    for combo in top.findChildren(QComboBox):
        if not combo.isVisibleTo(top) or combo.isEditable() or not combo.currentText():
            continue
        needed = combo.fontMetrics().horizontalAdvance(combo.currentText()) + 24
        if needed > combo.width() + 1:
            problems.append(f"combo box {_name(combo, combo.currentText())} "
                            f"{combo.currentText()!r}: needs {needed}px, has {combo.width()}px")
    for bar in top.findChildren(QTabBar):
        if not bar.isVisibleTo(top):
            continue
        for i in range(bar.count()):
            text = bar.tabText(i).replace("&", "")
            needed = bar.fontMetrics().horizontalAdvance(text)
            if bar.tabRect(i).width() < needed:
                problems.append(f"tab {text!r}: needs {needed}px, has {bar.tabRect(i).width()}px")
    for edit in top.findChildren(QTextEdit) + top.findChildren(QPlainTextEdit):
        # an empty text pane shows its placeholder on one line, cut at the right edge
        placeholder = edit.placeholderText()
        if edit.isVisibleTo(top) and placeholder and not edit.toPlainText():
            needed = edit.fontMetrics().horizontalAdvance(placeholder) + 8  # document margins
            if needed > edit.viewport().width():
                problems.append(f"placeholder of {edit.objectName() or 'a text pane'} "
                                f"{placeholder!r}: needs {needed}px, has "
                                f"{edit.viewport().width()}px")
    for box in top.findChildren(QGroupBox):
        if box.isVisibleTo(top) and box.title():
            needed = box.fontMetrics().horizontalAdvance(box.title().replace("&", ""))
            if needed + 16 > box.width():
                problems.append(f"group {box.title()!r}: needs {needed + 16}px, "
                                f"has {box.width()}px")
    return problems


def cut_headers(top: Any) -> list[str]:
    """Column headers narrower than their title, and columns that lie (partly) beyond the
    right edge of their table at the window's size: every column is in sight without
    scrolling sideways."""
    problems = []
    for view in top.findChildren(QAbstractItemView):
        if not view.isVisibleTo(top) or view.model() is None:
            continue
        header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
        if header is None:
            continue
        header = header()
        if not isinstance(header, QHeaderView) or not header.isVisibleTo(top):
            continue
        name = view.objectName() or type(view).__name__
        style = header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        mark = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        metrics = header.fontMetrics()
        width = header.viewport().width()
        for logical in range(header.count()):
            if header.isSectionHidden(logical):
                continue
            text = str(view.model().headerData(logical, header.orientation()) or "")
            size = header.sectionSize(logical)
            needed = metrics.horizontalAdvance(text) + 2 * margin
            if header.isSortIndicatorShown() and header.sortIndicatorSection() == logical:
                needed += mark
            if text and needed > size + 1:
                problems.append(f"{name} header {text!r}: needs {needed}px, has {size}px")
            right = header.sectionPosition(logical) + size
            if right > width + 1:
                problems.append(f"{name} column {text!r} ends at {right}px, beyond the "
                                f"table's {width}px: scrolled out of sight")
    return problems


def outside_window(top: Any) -> list[str]:
    """Visible widgets that lie (partly) outside the window's rectangle; content of a
    scroll area is meant to scroll and is left alone."""
    problems = []
    frame = top.rect()
    viewports = {area.viewport() for area in top.findChildren(QAbstractScrollArea)}
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top) or widget.isWindow():
            continue
        parent = widget.parentWidget()
        inside_scroll = False
        while parent is not None and parent is not top:
            if parent in viewports:
                inside_scroll = True
                break
            parent = parent.parentWidget()
        if inside_scroll or widget.width() <= 0 or widget.height() <= 0:
            continue
        rect = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
        if not frame.adjusted(-1, -1, 1, 1).contains(rect):
            problems.append(f"{type(widget).__name__} {widget.objectName()!r} at "
                            f"{rect.x()},{rect.y()} {rect.width()}×{rect.height()} lies "
                            f"outside the {frame.width()}×{frame.height()} window")
    return problems


def layout_problems(top: Any) -> list[str]:
    """Every check above, for one window or dialog as it is now."""
    return clipped_texts(top) + cut_headers(top) + outside_window(top)


def at_minimum(widget: Any) -> None:
    """The smallest size the window opens at: its minimum width, and the height its layout
    needs at that width (word-wrapped labels grow taller as the window gets narrower; Qt
    lets a user squeeze such a window further, which no translation can help)."""
    minimum = widget.minimumSize().expandedTo(widget.minimumSizeHint())
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        minimum.setHeight(max(minimum.height(), layout.totalHeightForWidth(minimum.width())))
    widget.resize(minimum)
    widget.show()
    QApplication.processEvents()
    widget.resize(minimum)
    QApplication.processEvents()


def settle(widget: Any) -> None:
    """Let pending layout passes run (text set just now is laid out on the next pass)."""
    for _ in range(3):
        QApplication.processEvents()
    layout = widget.layout()
    if layout is not None:
        layout.activate()
    QApplication.processEvents()


def save_picture(widget: Any, name: str) -> None:
    """With BIMAIL_SCREENSHOTS=DIR, keep a PNG of what was checked (to look at by eye)."""
    import os

    folder = os.environ.get("BIMAIL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(Path(folder) / f"{name}.png"), "PNG")
