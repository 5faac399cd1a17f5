"""The records' pages on PostgreSQL and MariaDB read through the value table of migration
0006: the same rows as a plain case-insensitive LIKE, whichever plan finds them.

Each test runs on every backend (SQLite file, PostgreSQL and MariaDB databases with unique
names, dropped afterwards)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from helpers import RECORDS_BASE, add_records, record_row
from sqlalchemy import create_engine, insert

from bimail_desktop.domain.models import RecordFilter, SendResult
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox
from bimail_desktop.store import server_pages
from bimail_desktop.store.failures import resolve_url
from bimail_desktop.store.schema import SendRecordRow

# case and trailing-space twins: each is its own value, and filters tell them apart
SENDERS = ["ops@acme.com", "Ops@Acme.com", "ops@acme.com ", "alerts@acme.com",
           "finance@example.org"]
TEMPLATES = ["Daily Sales", "Weekly Summary", "Report 01", "Report 02", "Alert"]
RECIPIENTS = [f"user{i:03d}@{'acme.com' if i % 3 else 'example.cn'}" for i in range(150)]


def _rows(n: int, seed: int = 11) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        # a few records share their send time with the one before (ties go by id)
        minute = i - (1 if i % 17 == 0 and i else 0)
        rows.append(dict(
            message_id=f"<{i}@bimail>", sender=rnd.choice(SENDERS), ip="10.0.0.5",
            recipient=rnd.choice(RECIPIENTS[:10] if rnd.random() < 0.5 else RECIPIENTS),
            template=rnd.choice(TEMPLATES), resources="[]",
            sent_at=RECORDS_BASE + timedelta(minutes=minute),
            result="failure" if rnd.random() < 0.2 else "success"))
    return rows


def _expected(rows: list[dict[str, Any]], flt: RecordFilter, descending: bool) -> list[int]:
    """What a case-insensitive substring match gives (ASCII data: every backend agrees)."""
    def matches(row: dict[str, Any]) -> bool:
        for kind in ("sender", "recipient", "template"):
            needle = getattr(flt, kind)
            if needle and needle.lower() not in row[kind].lower():
                return False
        since = flt.since.astimezone(UTC).replace(tzinfo=None) if flt.since else None
        until = flt.until.astimezone(UTC).replace(tzinfo=None) if flt.until else None
        if since is not None and row["sent_at"] < since:
            return False
        if until is not None and row["sent_at"] >= until:
            return False
        return not (flt.result is not None and row["result"] != flt.result.value)

    chosen = [(row["sent_at"], row["id"]) for row in rows if matches(row)]
    return [i for _t, i in sorted(chosen, reverse=descending)]


def _utc(minutes: int) -> datetime:
    return (RECORDS_BASE + timedelta(minutes=minutes)).replace(tzinfo=UTC)


FILTERS = [
    RecordFilter(sender="acme"),  # common: found by walking the newest records
    RecordFilter(sender="ops@acme.com"),  # the twins
    RecordFilter(sender="OPS@ACME"),  # three twins
    RecordFilter(recipient="user007"),  # rare: through its value's index
    RecordFilter(recipient="example.cn", template="report"),
    RecordFilter(recipient="user00", sender="ops", result=SendResult.FAILURE),
    RecordFilter(template="sales", since=_utc(100), until=_utc(420)),
    RecordFilter(recipient="user1", since=_utc(30)),
    RecordFilter(recipient="@", template="e", until=_utc(500)),
    RecordFilter(recipient="nobody"),
    RecordFilter(sender="100%"),  # a LIKE wildcard is a plain character
]


@pytest.mark.parametrize(("walk_rows", "max_in"), [(6000, 500), (40, 500), (3, 100)])
def test_first_pages_are_the_rows_of_a_plain_substring_match(
        backend_url: str, monkeypatch: pytest.MonkeyPatch, walk_rows: int,
        max_in: int) -> None:
    """However far the page walks the newest records before it turns to the rarest
    filter's index, in both directions and at any offset, and whether a filter's values
    are listed or too many, the rows are the same."""
    monkeypatch.setattr(server_pages, "WALK_ROWS", walk_rows)
    monkeypatch.setattr(server_pages, "MAX_IN", max_in)
    rows = _rows(600)
    with Mailbox.open(backend_url, secrets=SecretStore()) as box:
        add_records(box, [SendRecordRow(**row) for row in rows])
        for i, row in enumerate(rows):
            row["id"] = i + 1
        for flt in FILTERS:
            for descending in (True, False):
                expected = _expected(rows, flt, descending)
                for offset, limit in ((0, 50), (0, 5), (7, 20)):
                    got = [r.id for r in box.query_records(flt, descending=descending,
                                                           offset=offset, limit=limit)]
                    assert got == expected[offset:offset + limit], (flt, descending, offset)
                assert box.count_records(flt) == len(expected), flt


def test_records_of_an_older_store_are_found_after_the_upgrade(backend_url: str) -> None:
    """A store of the previous version with its records gets the value table filled from
    them, and records added afterwards join it."""
    from alembic import command

    from bimail_desktop.store.engine import _alembic_config

    engine = create_engine(resolve_url(backend_url))
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0005")
        rows = _rows(120, seed=5)
        with engine.begin() as conn:
            conn.execute(insert(SendRecordRow.__table__), rows)  # type: ignore[arg-type]
    finally:
        engine.dispose()
    for i, row in enumerate(rows):
        row["id"] = i + 1
    with Mailbox.open(backend_url, secrets=SecretStore()) as box:
        for flt in (RecordFilter(recipient="user00"), RecordFilter(sender="OPS@acme"),
                    RecordFilter(sender="ops", template="report")):
            assert [r.id for r in box.query_records(flt)] == _expected(rows, flt, True)
            assert box.count_records(flt) == len(_expected(rows, flt, True))
        add_records(box, [record_row(500, recipient="new.colleague@acme.com",
                                     sent_at=RECORDS_BASE + timedelta(days=30))])
        found = box.query_records(RecordFilter(recipient="NEW.COLLEAGUE"))
        assert [r.recipient for r in found] == ["new.colleague@acme.com"]
