"""Helpers the test modules share (import them: ``from helpers import wait_for``), instead of
a copy per module."""

from __future__ import annotations

import email
import json
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bimail_desktop.store.schema import SendRecordRow

if TYPE_CHECKING:
    from bimail_desktop.services import Mailbox

# the moment the sample records begin (naive UTC, as the store keeps times)
RECORDS_BASE = datetime(2024, 5, 1, 12, 0)


def wait_for(condition: Callable[[], object], timeout: float = 20.0,
             what: str = "the condition") -> None:
    """Poll ``condition`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def record_row(i: int = 0, **kw: Any) -> SendRecordRow:
    """Sample sending record number ``i`` (one minute after the one before); ``kw``
    overrides any column."""
    values: dict[str, Any] = dict(
        message_id=f"<{i}@bimail>",
        sender="bi@acme.com",
        ip="10.0.0.5",
        recipient=f"user{i}@example.com",
        template="Daily Sales",
        resources=json.dumps(["/dashboards/1"]),
        sent_at=RECORDS_BASE + timedelta(minutes=i),
        result="success",
    )
    values.update(kw)
    return SendRecordRow(**values)


def add_records(mailbox: Mailbox, rows: Iterable[SendRecordRow]) -> None:
    """Write ``rows`` into the mailbox's store, as sends would have."""
    with mailbox.store.write() as session:
        session.add_all(list(rows))


def stored_records(mailbox: Mailbox) -> list[SendRecordRow]:
    """Every sending record of the store, oldest first."""
    with mailbox.store.read() as session:
        return list(session.scalars(select(SendRecordRow).order_by(SendRecordRow.id)).all())


def parse_mail(content: bytes) -> EmailMessage:
    """A received mail (the bytes a test server got) as a message."""
    parsed = email.message_from_bytes(content, policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    return parsed


def html_of(msg: EmailMessage) -> str:
    """The HTML body of a received mail."""
    part = msg.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def received(server: Any, index: int = -1) -> EmailMessage:
    """Mail number ``index`` a test SMTP server received."""
    return parse_mail(server.messages[index].content)


def relay_queue(cli: Any) -> list[dict[str, Any]]:
    """The relay's outbox as `bimail relay queue --json` shows it."""
    result = cli("relay", "queue", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data
