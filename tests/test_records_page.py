"""The Sending records page: filters, lazy table, sorting, detail, export, retention and
new records appearing on their own (pytest-qt, offscreen)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from helpers import add_records as add
from helpers import record_row as row
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QTableView, QTextBrowser

from bimail_desktop.domain.errors import CATALOGUE, ErrorCode
from bimail_desktop.gui.records_page import RecordsPage
from bimail_desktop.services import Mailbox
from bimail_desktop.services import records as records_service
from bimail_desktop.store.schema import SendRecordRow

BASE = datetime(2024, 5, 1, 12, 0)


@pytest.fixture
def open_page(qtbot: Any, mailbox: Mailbox) -> Iterator[Any]:
    pages: list[RecordsPage] = []

    def make() -> RecordsPage:
        page = RecordsPage(mailbox)
        qtbot.addWidget(page)
        page.show()
        pages.append(page)
        qtbot.waitUntil(lambda: page.shown_total() is not None and not page.runner.busy)
        return page

    yield make
    for page in pages:
        page.shutdown()


def settle(qtbot: Any, page: RecordsPage, total: int) -> None:
    """Wait until the filters on screen are the ones queried and the answer is in."""
    qtbot.waitUntil(lambda: page.model.filter == page.current_filter()
                    and page.shown_total() == total)
    qtbot.waitUntil(lambda: not page.runner.busy)


def column(page: RecordsPage, col: int) -> list[str]:
    model = page.model
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_object_names_and_first_rows(qtbot: Any, mailbox: Mailbox, open_page: Any) -> None:
    add(mailbox, [row(i) for i in range(5)] + [row(5, template="销售日报")])
    page = open_page()
    assert page.objectName() == "recordsPage"
    for name, kind in [("recordsTable", QTableView), ("senderFilterEdit", QLineEdit),
                       ("recipientFilterEdit", QLineEdit), ("templateFilterEdit", QLineEdit),
                       ("sinceDateEdit", QDateEdit), ("untilDateEdit", QDateEdit),
                       ("resultFilterCombo", QComboBox), ("recordDetail", QTextBrowser)]:
        assert page.findChild(kind, name) is not None, name
    assert page.findChild(object, "exportCsvButton") is not None
    assert page.ui.recordCountLabel.text() == "6 records"
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["Sender", "IP Address", "Receive Email", "Template Name",
                       "Accessed Resources", "Send Time", "Send Result"]
    assert column(page, 3)[0] == "销售日报"  # newest first
    assert column(page, 6)[0] == "Success"


def test_the_model_holds_only_a_few_pages(qtbot: Any, mailbox: Mailbox,
                                          open_page: Any) -> None:
    add(mailbox, [row(i) for i in range(2100)])
    page = open_page()
    model = page.model
    assert page.ui.recordCountLabel.text() == "2,100 records"
    assert model.rowCount() == model.page_size  # not every row: more on scrolling
    while model.canFetchMore(page.ui.recordsTable.rootIndex()):
        model.fetchMore(page.ui.recordsTable.rootIndex())
    assert model.rowCount() == 2100
    for target in range(0, 2100, 150):  # the user drags through the whole list
        model.data(model.index(target, 0))
        qtbot.waitUntil(lambda t=target: model.is_row_loaded(t))
        assert model.cached_pages() <= model.max_pages
    for target, recipient in ((2099, "user0@example.com"), (0, "user2099@example.com")):
        model.data(model.index(target, 0))
        qtbot.waitUntil(lambda t=target: model.is_row_loaded(t))
        assert model.data(model.index(target, 2)) == recipient
    assert model.cached_pages() <= model.max_pages


def test_filters_with_debounce_and_clear(qtbot: Any, mailbox: Mailbox,
                                         open_page: Any) -> None:
    add(mailbox, [
        row(0, sender="alerts@acme.com", recipient="boss@acme.com", template="Weekly"),
        row(1, sender="BI@acme.com", recipient="张伟@例子.cn", template="销售日报",
            result="failure", error_code="recipient_rejected"),
        row(2, sender="bi@acme.com", recipient="ops@acme.com", template="Weekly"),
    ])
    page = open_page()
    ui = page.ui
    qtbot.keyClicks(ui.senderFilterEdit, "BI@")
    settle(qtbot, page, 2)
    qtbot.keyClicks(ui.templateFilterEdit, "week")
    settle(qtbot, page, 1)
    assert column(page, 2) == ["ops@acme.com"]
    ui.templateFilterEdit.clear()
    ui.recipientFilterEdit.setText("张伟")
    settle(qtbot, page, 1)
    assert column(page, 3) == ["销售日报"]
    ui.clearFiltersButton.click()
    settle(qtbot, page, 3)
    assert ui.senderFilterEdit.text() == ""

    qtbot.mouseClick(ui.failuresOnlyButton, Qt.MouseButton.LeftButton)
    settle(qtbot, page, 1)
    assert ui.resultFilterCombo.currentData() == "failure"
    # the catalogue's title, not the raw code
    assert column(page, 6) == [CATALOGUE[ErrorCode.RECIPIENT_REJECTED].title]
    tip = page.model.data(page.model.index(0, 6), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Failure: " + CATALOGUE[ErrorCode.RECIPIENT_REJECTED].title)
    ui.resultFilterCombo.setCurrentIndex(ui.resultFilterCombo.findData("success"))
    settle(qtbot, page, 2)
    assert not ui.failuresOnlyButton.isChecked()
    ui.clearFiltersButton.click()
    settle(qtbot, page, 3)


def test_date_filters_are_local_days(qtbot: Any, mailbox: Mailbox, open_page: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_service, "LOCAL_TZ", timezone(timedelta(hours=8)))
    add(mailbox, [row(0, sent_at=datetime(2024, 4, 30, 15, 59)),  # 04-30 23:59 local
                  row(1, sent_at=datetime(2024, 4, 30, 16, 0)),  # 05-01 00:00 local
                  row(2, sent_at=datetime(2024, 5, 1, 16, 0))])  # 05-02 00:00 local
    page = open_page()
    ui = page.ui
    assert ui.sinceDateEdit.text() == "Any day"
    ui.sinceDateEdit.setDate(QDate(2024, 5, 1))
    settle(qtbot, page, 2)
    ui.untilDateEdit.setDate(QDate(2024, 5, 1))
    settle(qtbot, page, 1)
    assert column(page, 5) == ["2024-05-01 00:00:00"]
    ui.sinceDateEdit.setDate(QDate(2024, 5, 2))  # after "To": refused, said so
    assert "before" in ui.recordsMessageLabel.text()
    ui.clearFiltersButton.click()
    settle(qtbot, page, 3)


def test_sorting_by_clicking_headers(qtbot: Any, mailbox: Mailbox, open_page: Any) -> None:
    add(mailbox, [row(0, sender="b@x"), row(1, sender="c@x"), row(2, sender="a@x")])
    page = open_page()
    assert column(page, 0) == ["a@x", "c@x", "b@x"]  # newest first
    header = page.ui.recordsTable.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=_section_centre(header, 0))
    qtbot.waitUntil(lambda: page.model.sort_key == "sender")
    settle(qtbot, page, 3)
    assert column(page, 0) in (["a@x", "b@x", "c@x"], ["c@x", "b@x", "a@x"])
    page.ui.recordsTable.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    settle(qtbot, page, 3)
    assert column(page, 0) == ["a@x", "b@x", "c@x"]
    page.ui.recordsTable.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    settle(qtbot, page, 3)
    assert column(page, 0) == ["b@x", "c@x", "a@x"]  # oldest first


def _section_centre(header: Any, section: int) -> Any:
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_detail_shows_everything_stored(qtbot: Any, mailbox: Mailbox, open_page: Any) -> None:
    add(mailbox, [row(0, result="failure", error_code="auth_failed",
                      error_message="the server refused the login",
                      server_reply="535 5.7.8 Authentication credentials invalid",
                      duration_ms=1234, resources=json.dumps(["/d/sales", "/d/stock"]))])
    page = open_page()
    page.ui.recordsTable.selectRow(0)
    qtbot.waitUntil(lambda: "auth_failed" in page.ui.recordDetail.toPlainText())
    text = page.ui.recordDetail.toPlainText()
    for expected in ("Login failed", "535 5.7.8 Authentication credentials invalid",
                     "the server refused the login", "1,234 ms", "<0@bimail>", "/d/sales",
                     "/d/stock", "10.0.0.5", "user0@example.com", "Daily Sales"):
        assert expected in text, expected
    assert "Fix:" in text


def test_export_csv_with_progress(qtbot: Any, mailbox: Mailbox, open_page: Any,
                                  tmp_path: Path) -> None:
    add(mailbox, [row(i, template="日报" if i % 2 else "Weekly") for i in range(10)])
    page = open_page()
    page.ui.templateFilterEdit.setText("日报")
    settle(qtbot, page, 5)
    target = tmp_path / "out.csv"
    page.choose_export_path = lambda: str(target)  # type: ignore[method-assign]
    page.ui.exportCsvButton.click()
    qtbot.waitUntil(lambda: not page.exporting)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 6 and all("日报" in line for line in lines[1:])
    assert "5 records exported" in page.ui.recordsMessageLabel.text()
    assert not page.ui.exportProgress.isVisible()


def test_cancelled_export_leaves_no_file(qtbot: Any, mailbox: Mailbox, open_page: Any,
                                         tmp_path: Path) -> None:
    add(mailbox, [row(i) for i in range(6000)])
    page = open_page()
    target = tmp_path / "cancelled.csv"
    page.choose_export_path = lambda: str(target)  # type: ignore[method-assign]
    page.ui.exportCsvButton.click()
    assert page.ui.cancelExportButton.isVisible()
    page.ui.cancelExportButton.click()
    qtbot.waitUntil(lambda: not page.exporting)
    assert "cancelled" in page.ui.recordsMessageLabel.text()
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if "cancelled" in p.name]  # no .part left


def test_retention_asks_with_the_number(qtbot: Any, mailbox: Mailbox, open_page: Any) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    add(mailbox, [row(0, sent_at=now - timedelta(days=90)),
                  row(1, sent_at=now - timedelta(days=60)),
                  row(2, sent_at=now - timedelta(days=1))])
    page = open_page()
    asked: list[str] = []
    answers = [False, True]
    page.ask = lambda title, text: (asked.append(text), answers.pop(0))[1]  # type: ignore
    ui = page.ui
    assert not ui.deleteOldButton.isEnabled()  # default: keep everything
    ui.retentionDaysSpin.setValue(30)
    ui.deleteOldButton.click()
    qtbot.waitUntil(lambda: len(asked) == 1 and ui.deleteOldButton.isEnabled())
    assert "Delete 2 sending records older than 30 days" in asked[0]
    assert mailbox.count_records() == 3  # "No" deleted nothing
    ui.deleteOldButton.click()
    settle(qtbot, page, 1)
    assert mailbox.count_records() == 1
    assert "2 old records deleted" in ui.recordsMessageLabel.text()


def test_new_records_appear_without_restart(qtbot: Any, mailbox: Mailbox,
                                            open_page: Any) -> None:
    add(mailbox, [row(0)])
    page = open_page()
    page.ui.recordsTable.selectRow(0)
    add(mailbox, [row(1, recipient="new@example.com", result="pending")])
    page.poll()  # the 2-second timer's work
    settle(qtbot, page, 2)
    assert column(page, 2)[0] == "new@example.com"
    assert column(page, 6)[0] == "Sending…"
    qtbot.waitUntil(lambda: page.selected_record() is not None
                    and page.selected_record().id == 1)  # selection kept
    with mailbox.store.write() as session:
        session.get(SendRecordRow, 2).result = "success"  # type: ignore[union-attr]
    page.poll()
    qtbot.waitUntil(lambda: column(page, 6)[:1] == ["Success"])


def test_the_windows_export_neutralises_formulas(qtbot: Any, mailbox: Mailbox, open_page: Any,
                                                 tmp_path: Path) -> None:
    add(mailbox, [row(0, template="=HYPERLINK(\"http://evil\")")])
    page = open_page()
    settle(qtbot, page, 1)
    target = tmp_path / "out.csv"
    page.choose_export_path = lambda: str(target)  # type: ignore[method-assign]
    page.ui.exportCsvButton.click()
    qtbot.waitUntil(lambda: not page.exporting)
    text = target.read_bytes().decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://evil"")"' in text
