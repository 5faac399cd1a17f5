"""Counting records at scale: the first count stops at a bound and says "more than N" (so
that a broad filter over millions of records answers at once), the exact figure comes on
request, and remembered counts follow every change of the records — in the Python API,
the records page and `bimail records`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from helpers import add_records as add
from helpers import record_row as row

from bimail_desktop.domain.errors import BimailError
from bimail_desktop.domain.models import RecordFilter, SendResult
from bimail_desktop.services import Mailbox
from bimail_desktop.store import open_store
from bimail_desktop.store.schema import SendRecordRow

BASE = datetime(2024, 5, 1, 12, 0)


@pytest.fixture
def filled(mailbox: Mailbox) -> Mailbox:
    # 60 records: 40 of bi@acme.com (10 of them failures), 20 of alerts@acme.com
    add(mailbox, [row(i, result="failure" if i < 10 else "success") for i in range(40)]
        + [row(i, sender="alerts@acme.com") for i in range(40, 60)])
    return mailbox


# a filter the store cannot answer from its value table (a real count over the records)
BROAD = RecordFilter(sender="acme", recipient="user", since=BASE - timedelta(days=1))


@pytest.mark.parametrize("flt, exact", [
    (RecordFilter(), 60),
    (RecordFilter(sender="bi@"), 40),
    (BROAD, 60),
    (RecordFilter(sender="acme", result=SendResult.FAILURE), 10),
    (RecordFilter(sender="acme", recipient="user5"), 11),
])
def test_bounded_count_says_more_than_or_the_exact_figure(filled: Mailbox, flt: RecordFilter,
                                                          exact: int) -> None:
    assert filled.count_records(flt) == exact
    assert filled.count_records(flt, up_to=5) == 6  # "more than 5"
    assert filled.count_records(flt, up_to=exact) == exact  # not more: the exact figure
    assert filled.count_records(flt, up_to=1000) == exact


def test_bounded_count_of_nothing_and_bad_bounds(filled: Mailbox) -> None:
    assert filled.count_records(RecordFilter(sender="nobody"), up_to=5) == 0
    for bad in (-1, 2.5, "10", True):
        with pytest.raises(BimailError) as caught:
            filled.count_records(RecordFilter(), up_to=bad)  # type: ignore[arg-type]
        assert caught.value.field == "up_to"


def test_remembered_counts_follow_new_finished_and_deleted_records(filled: Mailbox) -> None:
    assert filled.count_records(BROAD) == 60
    assert filled.count_records(BROAD) == 60  # remembered
    add(filled, [row(100, result="pending")])
    assert filled.count_records(BROAD) == 61  # a new record
    with filled.store.write() as session:
        session.query(SendRecordRow).filter_by(message_id="<100@bimail>").update(
            {"result": "failure"})
    assert filled.count_records(BROAD.__class__(sender="acme", recipient="user",
                                                since=BROAD.since,
                                                result=SendResult.FAILURE)) == 11
    with filled.store.write() as session:
        session.query(SendRecordRow).filter(SendRecordRow.sender == "alerts@acme.com") \
            .delete()
    assert filled.count_records(BROAD) == 41  # deleted ones are gone from the count


# -- the records page ------------------------------------------------------------------
@pytest.fixture
def page_of(qtbot: Any, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from bimail_desktop.gui import records_page

    monkeypatch.setattr(records_page, "COUNT_BOUND", 25)
    pages: list[Any] = []

    def make() -> Any:
        page = records_page.RecordsPage(mailbox)
        qtbot.addWidget(page)
        page.show()
        pages.append(page)
        qtbot.waitUntil(lambda: page.shown_total() is not None and not page.runner.busy)
        return page

    yield make
    for page in pages:
        page.shutdown()


@pytest.fixture
def many(mailbox: Mailbox) -> Mailbox:
    add(mailbox, [row(i) for i in range(450)])  # more than a page (200 rows)
    return mailbox


def test_page_says_more_than_and_counts_all_on_request(qtbot: Any, many: Mailbox,
                                                       page_of: Any) -> None:
    page = page_of()
    label = page.ui.recordCountLabel
    assert "More than 25 records" in label.text() and "count all" in label.text()
    assert page.model.rowCount() == 200  # the whole first page, not just 25 rows
    assert page.model.is_row_loaded(0) and page.model.is_row_loaded(199)
    label.linkActivated.emit("count")  # the user clicks "count all"
    qtbot.waitUntil(lambda: label.text() == "450 records")
    assert page.shown_total() == 450 and page.model.total_exact


def test_page_scrolls_past_the_bound_to_every_record(qtbot: Any, many: Mailbox,
                                                     page_of: Any) -> None:
    page = page_of()
    model = page.model
    assert not model.total_exact and model.total == 25
    root = page.ui.recordsTable.rootIndex()
    for _ in range(10):
        if not model.canFetchMore(root):
            break
        model.fetchMore(root)
        last = model.rowCount() - 1
        model.data(model.index(last, 0))
        qtbot.waitUntil(lambda: not page.runner.busy)
    assert model.total_exact and model.total == 450
    assert model.rowCount() == 450
    assert page.ui.recordCountLabel.text() == "450 records"


def test_small_counts_stay_exact_on_the_page(qtbot: Any, mailbox: Mailbox,
                                             page_of: Any) -> None:
    add(mailbox, [row(i) for i in range(7)])
    page = page_of()
    assert page.ui.recordCountLabel.text() == "7 records"
    assert page.model.total_exact


# -- bimail records ----------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_cli_says_more_than_100000_and_counts_all_on_request(cli: Any) -> None:
    cli.home.mkdir(parents=True, exist_ok=True)
    db = cli.home / "bimail.db"
    open_store(f"sqlite:///{db}").dispose()
    con = sqlite3.connect(db)
    with con:
        con.executemany(
            "INSERT INTO send_records (message_id, sender, ip, recipient, template, resources,"
            " sent_at, result, duration_ms) VALUES (?, ?, ?, ?, ?, '[]', ?, 'success', 10)",
            ((f"<{i}@b>", "bi@acme.com", "10.0.0.5", f"u{i % 5000}@acme.com", "Daily",
              (BASE + timedelta(seconds=i)).strftime("%Y-%m-%d %H:%M:%S.%f"))
             for i in range(100_010)))
    con.close()
    # --since makes the count a real one (not answered from the value table)
    result = cli("records", "--recipient", "acme", "--since", "2024-01-01", "--limit", "3")
    assert result.returncode == 0, result.stderr
    assert "records 1–3 of more than 100,000" in result.stdout
    assert "--count-all" in result.stdout
    result = cli("records", "--recipient", "acme", "--since", "2024-01-01", "--limit", "3",
                 "--count-all")
    assert result.returncode == 0, result.stderr
    assert "records 1–3 of 100,010 (more with --offset)" in result.stdout
