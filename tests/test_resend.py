"""Sending again to the failed recipients of a message: an admin's explicit action, from the
Python API, the CLI (`bimail records --resend-failed ID`) and the records page. Real aiosmtpd
servers on 127.0.0.1; new records are written, the old ones stay as they were."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from smtp_servers import SmtpTestServer
from sqlalchemy import select

from bimail_desktop.domain.errors import BimailError, ErrorCode, InvalidInput
from bimail_desktop.services import Mailbox
from bimail_desktop.store.schema import SendRecordRow

ServerFactory = Callable[..., SmtpTestServer]
ADDRESS = "bi@example.com"


def rows(mailbox: Mailbox) -> list[SendRecordRow]:
    with mailbox.store.read() as session:
        return list(session.scalars(select(SendRecordRow).order_by(SendRecordRow.id)).all())


def one_refused(mailbox: Mailbox, server: SmtpTestServer) -> SendRecordRow:
    """A send to three recipients of which the server refuses one; that record."""
    server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user here"
    mailbox.add_sender({"server": server.host, "port": server.port, "encryption": "none",
                        "address": ADDRESS, "rate_limit": 0}, password=None)
    mailbox.set_default_sender(ADDRESS)
    mailbox.add_template("Daily", "Sales of ${day}", "<p>Sales of ${day}</p>")
    outcome = mailbox.send("Daily", ["a@example.org", "nobody@example.org", "b@example.org"],
                           variables={"day": "Monday"}, timeout=10)
    assert [r.recipient for r in outcome.failed] == ["nobody@example.org"]
    return next(r for r in rows(mailbox) if r.result == "failure")


def test_send_again_reaches_only_the_failed_recipients(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    failed = one_refused(mailbox, server)
    record, recipients = mailbox.failed_recipients(failed.id)
    assert recipients == ["nobody@example.org"] and record.template == "Daily"

    del server.handler.rcpt_replies["nobody@example.org"]  # the mailbox exists now
    outcome = mailbox.resend_failed(failed.id, variables={"day": "Monday"}, timeout=10)

    assert outcome.ok and [r.recipient for r in outcome.recipients] == ["nobody@example.org"]
    assert server.messages[-1].rcpt_tos == ["nobody@example.org"]
    assert len(server.messages) == 2
    after = rows(mailbox)
    assert len(after) == 4  # one new record; the three old ones unchanged
    old = next(r for r in after if r.id == failed.id)
    assert (old.result, old.error_code) == ("failure", "recipient_rejected")
    new = after[-1]
    assert (new.recipient, new.result, new.template, new.sender) == (
        "nobody@example.org", "success", "Daily", ADDRESS)
    assert new.message_id != failed.message_id


def test_nothing_to_send_again(mailbox: Mailbox, smtp_server_factory: ServerFactory) -> None:
    server = smtp_server_factory("plain")
    failed = one_refused(mailbox, server)
    with pytest.raises(BimailError) as missing:
        mailbox.resend_failed(999_999)
    assert missing.value.code is ErrorCode.NOT_FOUND
    # placeholders are not kept in records: without their values nothing is sent
    with pytest.raises(InvalidInput) as no_values:
        mailbox.resend_failed(failed.id)
    assert "day" in str(no_values.value)
    assert len(server.messages) == 1 and len(rows(mailbox)) == 3
    # a message delivered to everyone: nothing to send again
    mailbox.send("Daily", ["c@example.org"], variables={"day": "Tuesday"}, timeout=10)
    good = rows(mailbox)[-1]
    with pytest.raises(InvalidInput) as everyone:
        mailbox.resend_failed(good.id)
    assert "nothing to send again" in str(everyone.value)


def test_cli_resend_failed(cli: Any, smtp_server_factory: ServerFactory, tmp_path: Any) -> None:
    server = smtp_server_factory("plain")
    server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user"
    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", ADDRESS, "--rate-limit", "0"
               ).returncode == 0
    assert cli("default", "set", ADDRESS).returncode == 0
    result = cli("send", "--template", "Test Mail", "--to", "a@example.org",
                 "--to", "nobody@example.org")
    assert result.returncode == 1
    failures = cli("--json", "records", "--result", "failure").json()
    assert [r["recipient"] for r in failures] == ["nobody@example.org"]  # type: ignore[index]
    record_id = failures[0]["id"]  # type: ignore[index]

    result = cli("--json", "records", "--resend-failed", str(record_id), "--since", "2024-01-01")
    assert result.returncode == 2 and result.json()["error"]["code"] == "invalid_input"
    result = cli("--json", "records", "--resend-failed", str(record_id))
    assert result.returncode == 1  # still refused: said so, and a new failure record
    assert result.json()["error"]["code"] == "recipient_rejected"

    del server.handler.rcpt_replies["nobody@example.org"]
    result = cli("--json", "records", "--resend-failed", str(record_id))
    assert result.returncode == 0, result.stderr
    data = result.json()
    assert [r["recipient"] for r in data["recipients"]] == ["nobody@example.org"]
    assert server.messages[-1].rcpt_tos == ["nobody@example.org"]
    every = cli("--json", "records").json()
    assert len(every) == 4  # type: ignore[arg-type]
    result = cli("records", "--resend-failed", "nonsense")
    assert result.returncode == 2 and "--resend-failed" in result.stderr
