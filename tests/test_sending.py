"""Sending through real aiosmtpd servers on 127.0.0.1: the test mail (S8), templated sends,
their records (R1), the rate limit (T3), crash recovery and the CLI twin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import html_of, received
from helpers import stored_records as records
from smtp_servers import SmtpTestServer

from bimail_desktop.domain.errors import BimailError, ErrorCode, InvalidInput
from bimail_desktop.domain.models import TEST_MAIL_TEMPLATE, TEST_MAIL_TEXT, SendFailed
from bimail_desktop.mail.cancel import CancelToken
from bimail_desktop.secrets import SecretStore
from bimail_desktop.services import Mailbox
from bimail_desktop.store.schema import SendRecordRow

ServerFactory = Callable[..., SmtpTestServer]
ADDRESS = "bi@example.com"
PASSWORD = "s3cret-code"
MODES = {"none": "plain", "tls": "starttls", "ssl": "ssl"}


def trust_ca(mailbox: Mailbox, pem: str) -> None:
    """Trust the test CA the way an admin does."""
    mailbox.trust_import_ca(pem.encode("ascii"))


def add_sender(
    mailbox: Mailbox,
    server: SmtpTestServer,
    *,
    encryption: str = "none",
    address: str = ADDRESS,
    password: str | None = None,
    rate_limit: int = 0,
    show_name: str = "BI Reports",
    default: bool = True,
) -> None:
    mailbox.add_sender(
        {"server": server.host, "port": server.port, "encryption": encryption,
         "address": address, "show_name": show_name, "rate_limit": rate_limit},
        password=password,
    )
    if default:
        mailbox.set_default_sender(address)


# -- test mail (S8) ---------------------------------------------------------------------------
@pytest.mark.parametrize("encryption", ["none", "tls", "ssl"])
def test_test_mail_through_each_encryption(
    mailbox: Mailbox, smtp_server_factory: ServerFactory, smtp_ca_pem: str, encryption: str
) -> None:
    users = {ADDRESS: PASSWORD} if encryption != "none" else None
    # aiosmtpd hides AUTH on implicit TLS unless told that the connection is TLS already
    server = smtp_server_factory(MODES[encryption], users=users,
                                 auth_required=encryption == "tls",
                                 auth_require_tls=encryption == "tls")
    trust_ca(mailbox, smtp_ca_pem)
    add_sender(mailbox, server, encryption=encryption,
               password=PASSWORD if users else None)
    steps: list[str] = []

    outcome = mailbox.send_test_mail("boss@example.org", progress=steps.append, timeout=10)

    assert outcome.ok and outcome.template == TEST_MAIL_TEMPLATE
    assert steps  # the GUI shows these while it waits
    [message] = server.messages
    assert message.tls is (encryption != "none")
    assert message.login == (ADDRESS if users else None)
    assert message.mail_from == ADDRESS and message.rcpt_tos == ["boss@example.org"]
    msg = received(server)
    assert msg["From"] == "BI Reports <bi@example.com>"
    assert msg["To"] == "boss@example.org"
    assert msg["Subject"] == "Test Mail"
    assert msg["Message-ID"] == outcome.message_id
    assert TEST_MAIL_TEXT in html_of(msg)
    plain = msg.get_body(("plain",))
    assert plain is not None and TEST_MAIL_TEXT in plain.get_content()

    [row] = records(mailbox)
    assert (row.sender, row.recipient, row.template, row.result) == (
        ADDRESS, "boss@example.org", TEST_MAIL_TEMPLATE, "success")
    assert row.ip == "127.0.0.1" and row.message_id == outcome.message_id
    assert row.error_code is None and row.duration_ms is not None
    assert json.loads(row.resources) == []
    assert PASSWORD not in repr(row.__dict__)


def test_test_mail_with_unsaved_form_values(
    mailbox: Mailbox, smtp_server_factory: ServerFactory, smtp_ca_pem: str
) -> None:
    server = smtp_server_factory("starttls", users={"login-name": "typed-pw"},
                                 auth_required=True)
    trust_ca(mailbox, smtp_ca_pem)
    form = {"server": server.host, "port": str(server.port), "encryption": "tls",
            "address": "new#1&x@example.com", "username": "login-name",
            "show_name": "报表中心"}

    outcome = mailbox.send_test_mail("a&b@example.org", settings=form, password="typed-pw",
                                     timeout=10)

    assert outcome.ok
    assert mailbox.list_senders() == []  # nothing was saved
    [message] = server.messages
    assert message.login == "login-name"
    assert message.mail_from == "new#1&x@example.com"
    assert message.rcpt_tos == ["a&b@example.org"]
    sender = received(server)["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("报表中心", "new#1&x@example.com")
    [row] = records(mailbox)
    assert (row.sender, row.template, row.result) == (
        "new#1&x@example.com", TEST_MAIL_TEMPLATE, "success")


def test_form_without_password_uses_the_stored_one(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain", users={ADDRESS: PASSWORD}, auth_require_tls=False)
    add_sender(mailbox, server, password=PASSWORD, show_name="Old name")
    form = {"server": server.host, "port": server.port, "encryption": "none",
            "address": ADDRESS, "show_name": "New name"}

    assert mailbox.send_test_mail("boss@example.org", settings=form, timeout=10).ok

    assert server.messages[0].login == ADDRESS
    assert received(server)["From"] == "New name <bi@example.com>"


def test_test_mail_from_a_named_sender(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server, default=False, address="other@example.com")
    outcome = mailbox.send_test_mail("boss@example.org", sender="OTHER@example.com", timeout=10)
    assert outcome.sender == "other@example.com"
    assert server.messages[0].mail_from == "other@example.com"


# -- templated sends -------------------------------------------------------------------------
def test_templated_send_with_variables_attachment_and_url(
    mailbox: Mailbox, smtp_server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server)
    mailbox.add_template(
        "Daily sales", "Sales for ${day}",
        '<html><body><p style="font-family: \'Wingdings 3\'">Total: ${total} $$</p>'
        "</body></html>")
    report = tmp_path / "sales.csv"
    report.write_text("region,total\nnorth,42\n")
    url = "https://bi.example.com/view?id=7&tab=2"

    outcome = mailbox.send("Daily sales", ["boss@example.org", "cfo@example.org"],
                           resources=[str(report), url],
                           variables={"day": "Monday", "total": "1,234"}, timeout=10)

    assert outcome.ok and len(outcome.recipients) == 2
    [message] = server.messages
    assert message.rcpt_tos == ["boss@example.org", "cfo@example.org"]
    msg = received(server)
    assert msg["Subject"] == "Sales for Monday"
    html = html_of(msg)
    assert "Total: 1,234 $" in html
    assert 'href="https://bi.example.com/view?id=7&amp;tab=2"' in html
    assert "Wingdings" not in html and "SimSun" in html  # S9
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "sales.csv"
    assert attachment.get_content() == "region,total\nnorth,42\n"
    rows = records(mailbox)
    assert [r.recipient for r in rows] == ["boss@example.org", "cfo@example.org"]
    for row in rows:
        assert row.template == "Daily sales" and row.result == "success"
        assert json.loads(row.resources) == [str(report.resolve()), url]
        assert row.message_id == outcome.message_id


def test_a_variable_arrives_as_text_and_a_raw_one_as_html(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server)
    mailbox.add_template("Alert", "Alert for ${who}", "<p>${who}</p>${table}")
    outcome = mailbox.send("Alert", ["boss@example.org"], timeout=10,
                           variables={"who": "<script>steal()</script>"},
                           raw_variables={"table": "<table><tr><td>42</td></tr></table>"})
    assert outcome.ok
    msg = received(server)
    assert msg["Subject"] == "Alert for <script>steal()</script>"
    html = html_of(msg)
    assert "<script>" not in html and "&lt;script&gt;steal()&lt;/script&gt;" in html
    assert "<table><tr><td>42</td></tr></table>" in html
    with pytest.raises(InvalidInput) as caught:
        mailbox.send("Alert", ["boss@example.org"], variables={"who": "a\x00b", "table": ""})
    assert caught.value.field == "variables.who"
    assert len(server.messages) == 1 and len(records(mailbox)) == 1


def test_missing_variable_and_missing_file_send_nothing(
    mailbox: Mailbox, smtp_server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server)
    mailbox.add_template("Daily", "Sales for ${day}", "<p>${total}</p>")

    with pytest.raises(InvalidInput) as caught:
        mailbox.send("Daily", ["boss@example.org"], variables={"day": "Mon"})
    assert "${total}" in str(caught.value)

    with pytest.raises(InvalidInput) as caught:
        mailbox.send("Daily", ["boss@example.org"], variables={"day": "Mon", "total": "1"},
                     resources=[str(tmp_path / "missing.pdf")])
    assert caught.value.field == "resources" and "missing.pdf" in str(caught.value)

    with pytest.raises(BimailError) as caught_template:
        mailbox.send("No such template", ["boss@example.org"])
    assert caught_template.value.code is ErrorCode.NOT_FOUND

    assert server.commands == [] and records(mailbox) == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda m: m.send("Daily", ["boss@example.org"],
                          variables={"day": "Mon\r\nBcc: evil@example.net"}), "variables.day"),
        (lambda m: m.send("Daily", ["boss@example.org\r\nBcc: evil@example.net"],
                          variables={"day": "Mon"}), "to"),
        (lambda m: m.send_test_mail("boss@example.org\nBcc: evil@example.net"), "to"),
        (lambda m: m.send_test_mail("boss@example.org", settings={
            "server": "127.0.0.1", "address": ADDRESS,
            "show_name": "BI\r\nBcc: evil@example.net"}), "show_name"),
    ],
)
def test_header_injection_is_refused_and_nothing_reaches_the_server(
    mailbox: Mailbox, smtp_server_factory: ServerFactory,
    call: Callable[[Mailbox], Any], field: str,
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server)
    mailbox.add_template("Daily", "Sales for ${day}", "<p>x</p>")
    with pytest.raises(InvalidInput) as caught:
        call(mailbox)
    assert caught.value.field == field
    assert server.commands == [] and records(mailbox) == []


def test_hash_and_ampersand_addresses_are_delivered_unchanged(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server, address="r#e&p@example.com")
    mailbox.add_template("Plain", "Hello", "<p>Hi</p>")

    mailbox.send("Plain", ["a&b@example.org", "c#d@example.org"], timeout=10)

    [message] = server.messages
    assert message.mail_from == "r#e&p@example.com"
    assert message.rcpt_tos == ["a&b@example.org", "c#d@example.org"]
    msg = received(server)
    assert msg["From"].addresses[0].addr_spec == "r#e&p@example.com"
    assert [a.addr_spec for a in msg["To"].addresses] == ["a&b@example.org", "c#d@example.org"]
    assert [r.recipient for r in records(mailbox)] == ["a&b@example.org", "c#d@example.org"]


def test_all_recipients_share_one_connection(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server)
    mailbox.add_template("Plain", "Hello", "<p>Hi</p>")
    recipients = [f"user{i}@example.org" for i in range(6)]

    mailbox.send("Plain", recipients, timeout=10)

    verbs = server.handler.verbs()
    assert verbs.count("EHLO") + verbs.count("HELO") == 1  # one connection
    assert verbs.count("MAIL") == 1 and verbs.count("RCPT") == 6
    assert server.messages[0].rcpt_tos == recipients
    assert len(records(mailbox)) == 6


def test_one_refused_recipient_of_three(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user here"
    add_sender(mailbox, server)
    mailbox.add_template("Plain", "Hello", "<p>Hi</p>")

    outcome = mailbox.send("Plain", ["a@example.org", "nobody@example.org", "b@example.org"],
                           timeout=10)

    assert not outcome.ok
    assert [r.recipient for r in outcome.failed] == ["nobody@example.org"]
    failed = outcome.failed[0].error
    assert failed is not None and failed.code is ErrorCode.RECIPIENT_REJECTED
    assert server.messages[0].rcpt_tos == ["a@example.org", "b@example.org"]
    rows = {r.recipient: r for r in records(mailbox)}
    assert rows["a@example.org"].result == rows["b@example.org"].result == "success"
    bad = rows["nobody@example.org"]
    assert (bad.result, bad.error_code) == ("failure", "recipient_rejected")
    assert bad.server_reply is not None and "No such user" in bad.server_reply
    assert bad.error_message


def test_whole_message_refused_fails_every_recipient(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    server.handler.data_reply = "554 5.7.1 Message rejected as spam"
    add_sender(mailbox, server)
    mailbox.add_template("Plain", "Hello", "<p>Hi</p>")

    with pytest.raises(SendFailed) as caught:
        mailbox.send("Plain", ["a@example.org", "b@example.org"], timeout=10)

    assert caught.value.code is ErrorCode.MESSAGE_REJECTED
    assert not caught.value.outcome.ok
    rows = records(mailbox)
    assert [(r.result, r.error_code) for r in rows] == [("failure", "message_rejected")] * 2
    assert all("rejected as spam" in (r.server_reply or "") for r in rows)


def test_unreachable_server_fails_with_its_code(mailbox: Mailbox, unused_port: int) -> None:
    mailbox.add_sender({"server": "127.0.0.1", "port": unused_port, "encryption": "none",
                        "address": ADDRESS, "rate_limit": 0})
    mailbox.set_default_sender(ADDRESS)
    with pytest.raises(SendFailed) as caught:
        mailbox.send_test_mail("boss@example.org", timeout=5)
    assert caught.value.code is ErrorCode.CONNECT_REFUSED
    [row] = records(mailbox)
    assert (row.result, row.error_code) == ("failure", "connect_refused")


def test_not_configured_without_default_sender(mailbox: Mailbox) -> None:
    mailbox.add_template("Plain", "Hello", "<p>Hi</p>")
    for call in (lambda: mailbox.send("Plain", ["a@example.org"]),
                 lambda: mailbox.send_test_mail("a@example.org")):
        with pytest.raises(BimailError) as caught:
            call()
        assert caught.value.code is ErrorCode.NOT_CONFIGURED
    assert records(mailbox) == []


def test_cancel_during_data_marks_interrupted(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    server.handler.data_delay = 5
    add_sender(mailbox, server)
    token = CancelToken()

    def cancel_when_data_starts() -> None:
        server.handler.data_started.wait(10)
        token.cancel()

    thread = threading.Thread(target=cancel_when_data_starts)
    thread.start()
    with pytest.raises(SendFailed) as caught:
        mailbox.send_test_mail("boss@example.org", cancel=token, timeout=10)
    thread.join()
    assert caught.value.code is ErrorCode.INTERRUPTED
    [row] = records(mailbox)
    assert (row.result, row.error_code) == ("failure", "interrupted")


# -- rate limit (T3) ---------------------------------------------------------------------------
def test_rate_limit_refuses_the_third_send(
    mailbox: Mailbox, smtp_server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server, rate_limit=2)
    mailbox.add_template("Plain", "Hello", "<p>Hi</p>")
    assert mailbox.next_send_allowed_in(ADDRESS) == 0

    mailbox.send("Plain", ["a@example.org", "b@example.org"], timeout=10)  # one message
    mailbox.send_test_mail("a@example.org", timeout=10)
    with pytest.raises(SendFailed) as caught:
        mailbox.send("Plain", ["a@example.org"], timeout=10)

    error = caught.value
    assert error.code is ErrorCode.RATE_LIMITED
    wait = error.extra["retry_after_s"]
    assert 1 <= wait <= 60
    assert f"{wait} second" in str(error)
    assert len(server.messages) == 2  # nothing more was sent
    assert 0 < mailbox.next_send_allowed_in(ADDRESS) <= 60
    last = records(mailbox)[-1]
    assert (last.result, last.error_code) == ("failure", "rate_limited")

    # the limit holds for another program using the same store (GUI + CLI)
    other = Mailbox.open(str(mailbox.store.url), secrets=SecretStore())
    try:
        with pytest.raises(SendFailed) as again:
            other.send_test_mail("a@example.org", timeout=10)
        assert again.value.code is ErrorCode.RATE_LIMITED
    finally:
        other.close()
    assert len(server.messages) == 2


def test_a_client_retrying_against_the_rate_limit_leaves_one_record_a_minute(
    mailbox: Mailbox, smtp_server_factory: ServerFactory
) -> None:
    server = smtp_server_factory("plain")
    add_sender(mailbox, server, rate_limit=1)
    mailbox.add_template("Plain", "Hello", "<p>Hi</p>")
    mailbox.send("Plain", ["a@example.org"], timeout=10)
    for _ in range(200):  # a client retrying in a loop
        with pytest.raises(SendFailed) as caught:
            mailbox.send("Plain", ["a@example.org", "b@example.org"], timeout=10)
        assert caught.value.code is ErrorCode.RATE_LIMITED
    with pytest.raises(SendFailed):
        mailbox.send_test_mail("a@example.org", timeout=10)  # another template
    refused = [r for r in mailbox.query_records(limit=1000) if r.error_code == "rate_limited"]
    counts = sorted((r.template, r.recipient, r.refusals) for r in refused)
    assert counts == [("Plain", "a@example.org", 200), ("Plain", "b@example.org", 200),
                      ("Test Mail", "a@example.org", 1)]
    plain_a = next(r for r in refused if (r.template, r.recipient) == ("Plain", "a@example.org"))
    assert plain_a.error_message is not None
    assert plain_a.error_message.endswith("(refused 200 times within a minute)")
    assert len(server.messages) == 1

    # a minute after the first refusal, a new record begins
    with mailbox.store.write() as session:
        row = session.get(SendRecordRow, plain_a.id)
        assert row is not None
        row.sent_at -= timedelta(seconds=61)
    with pytest.raises(SendFailed):
        mailbox.send("Plain", ["a@example.org"], timeout=10)
    again = [r for r in mailbox.query_records(limit=1000)
             if (r.error_code, r.template, r.recipient) == ("rate_limited", "Plain",
                                                            "a@example.org")]
    assert sorted(r.refusals for r in again) == [1, 200]


def test_cli_records_show_the_refusal_count(cli: Any, smtp_server_factory: ServerFactory) -> None:
    server = smtp_server_factory("plain")
    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", ADDRESS, "--rate-limit", "1"
               ).returncode == 0
    assert cli("default", "set", ADDRESS).returncode == 0
    assert cli("test-mail", "--to", "a@example.org").returncode == 0
    for _ in range(3):
        assert cli("--json", "test-mail", "--to", "a@example.org").returncode == 1
    listed = cli("--json", "records").json()
    refused = [r for r in listed if r["error_code"] == "rate_limited"]
    assert len(refused) == 1 and refused[0]["refusals"] == 3
    assert "refused 3 times" in refused[0]["error_message"]


# -- crash safety ------------------------------------------------------------------------------
def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_pending_records_of_a_stopped_program_become_interrupted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    box = Mailbox.open(url, secrets=SecretStore())
    now = datetime.now(UTC).replace(tzinfo=None)
    base = {"message_id": "<m@example.com>", "sender": ADDRESS, "ip": "", "template": "T",
            "resources": "[]", "sent_at": now, "result": "pending"}
    with box.store.write() as session:
        session.add(SendRecordRow(**base, recipient="dead@example.org", process_id=_dead_pid()))
        session.add(SendRecordRow(**base, recipient="alive@example.org", process_id=os.getpid()))
    box.close()

    reopened = Mailbox.open(url, secrets=SecretStore())
    try:
        rows = {r.recipient: r for r in records(reopened)}
    finally:
        reopened.close()
    dead = rows["dead@example.org"]
    assert (dead.result, dead.error_code) == ("failure", "interrupted")
    assert dead.error_message and "may have been sent" in dead.error_message
    assert rows["alive@example.org"].result == "pending"  # this process still runs


# -- CLI --------------------------------------------------------------------------------------
def test_cli_sending_end_to_end(cli: Any, smtp_server_factory: ServerFactory,
                                tmp_path: Path) -> None:
    server = smtp_server_factory("plain")
    server.handler.rcpt_replies["nobody@example.org"] = "550 5.1.1 No such user"
    html = tmp_path / "daily.html"
    html.write_text("<html><body><p>Total: ${total}</p></body></html>", "utf-8")
    attachment = tmp_path / "report.csv"
    attachment.write_text("a,b\n")

    result = cli("--json", "send", "--template", "Test Mail", "--to", "a@example.org")
    assert result.returncode == 3, result.stderr
    assert result.json()["error"]["code"] == "not_configured"

    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", ADDRESS, "--rate-limit", "0"
               ).returncode == 0
    assert cli("default", "set", ADDRESS).returncode == 0

    result = cli("--json", "test-mail", "--to", "boss@example.org", "--timeout", "10")
    assert result.returncode == 0, result.stderr
    data = result.json()
    assert data["ok"] and data["template"] == "Test Mail"
    assert data["recipients"][0]["result"] == "success"
    assert TEST_MAIL_TEXT in html_of(received(server))

    result = cli("templates", "add", "Daily", "--subject", "Sales ${day}",
                 "--html-file", str(html))
    assert result.returncode == 0, result.stderr
    listed = cli("--json", "templates", "list").json()
    assert {t["name"]: t["placeholders"] for t in listed} == {  # type: ignore[union-attr]
        "Daily": ["day", "total"], "Test Mail": []}

    result = cli("send", "--template", "Daily", "--to", "a@example.org", "--var", "day=Mon")
    assert result.returncode == 2 and "invalid_input" in result.stderr
    assert "${total}" in result.stderr

    result = cli("send", "--template", "Daily", "--to", "a@example.org",
                 "--to", "nobody@example.org", "--var", "day=Mon", "--var", "total=42",
                 "--resource", str(attachment), "--resource", "https://bi.example.com/r")
    assert result.returncode == 1
    assert "nobody@example.org" in result.stdout and "recipient_rejected" in result.stdout
    msg = received(server)
    assert msg["Subject"] == "Sales Mon" and "Total: 42" in html_of(msg)
    assert [a.get_filename() for a in msg.iter_attachments()] == ["report.csv"]

    result = cli("--json", "send", "--template", "Daily", "--to", "a@example.org",
                 "--var", "day=Mon", "--var", "total=1")
    assert result.returncode == 0
    assert [r["result"] for r in result.json()["recipients"]] == ["success"]

    # --var is text (escaped in the body), --var-raw trusted HTML; control characters refused
    result = cli("send", "--template", "Daily", "--to", "a@example.org",
                 "--var", "day=<i>Mon</i>", "--var-raw", "total=<b>7</b>")
    assert result.returncode == 0, result.stderr
    msg = received(server)
    assert msg["Subject"] == "Sales <i>Mon</i>" and "Total: <b>7</b>" in html_of(msg)
    result = cli("--json", "send", "--template", "Daily", "--to", "a@example.org",
                 "--var", "day=Mon", "--var", "total=\x07")
    assert result.returncode == 2
    assert result.json()["error"]["field"] == "variables.total"
    result = cli("--json", "send", "--template", "Daily", "--to", "a@example.org",
                 "--var", "day=Mon", "--var-raw", "total")
    assert result.returncode == 2 and result.json()["error"]["field"] == "var_raw"

    result = cli("--json", "templates", "remove", "Test Mail")
    assert result.returncode == 2 and result.json()["error"]["code"] == "invalid_input"
    assert cli("templates", "remove", "Daily").returncode == 0
    assert cli("templates", "remove", "Daily").returncode == 2

    server.handler.data_reply = "554 5.7.1 Rejected"
    result = cli("--json", "test-mail", "--to", "boss@example.org")
    assert result.returncode == 1
    error = result.json()["error"]
    assert error["code"] == "message_rejected" and error["fix"] and error["message"]
    assert error["recipients"][0]["result"] == "failure"


def test_cli_test_mail_over_starttls_with_an_imported_ca(
    cli: Any, smtp_server_factory: ServerFactory, smtp_ca_pem: str, tmp_path: Path
) -> None:
    server = smtp_server_factory("starttls", users={ADDRESS: PASSWORD}, auth_required=True)
    ca_file = tmp_path / "company-ca.pem"
    ca_file.write_text(smtp_ca_pem)
    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "tls", "--address", ADDRESS, "--password-stdin",
               stdin=PASSWORD + "\n").returncode == 0
    assert cli("default", "set", ADDRESS).returncode == 0

    untrusted = cli("--json", "test-mail", "--to", "boss@example.org", "--timeout", "10")
    assert untrusted.returncode == 1
    assert untrusted.json()["error"]["code"] == "tls_untrusted"
    assert server.messages == []

    assert cli("trust", "add", "--pem", str(ca_file)).returncode == 0
    result = cli("test-mail", "--to", "boss@example.org", "--timeout", "10")
    assert result.returncode == 0, result.stderr
    assert "boss@example.org" in result.stdout
    [message] = server.messages
    assert message.tls and message.login == ADDRESS
    assert PASSWORD not in result.stdout + result.stderr + untrusted.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_cli_ctrl_c_during_a_send_is_interrupted(
    cli: Any, smtp_server_factory: ServerFactory
) -> None:
    import signal
    import time

    server = smtp_server_factory("plain")
    server.handler.data_delay = 30
    assert cli("senders", "add", "--server", server.host, "--port", str(server.port),
               "--encryption", "none", "--address", ADDRESS).returncode == 0
    assert cli("default", "set", ADDRESS).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "bimail_desktop", "--json", "test-mail", "--to",
         "boss@example.org"],
        env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert server.handler.data_started.wait(30)
        time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        stdout, _stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1
    assert json.loads(stdout)["error"]["code"] == "interrupted"
    listed = cli("--json", "records")
    assert listed.returncode == 0, listed.stderr
    [row] = listed.json()
    assert (row["result"], row["error_code"], row["template"]) == (
        "failure", "interrupted", TEST_MAIL_TEMPLATE)


@pytest.mark.sqlite_only
def test_pending_records_exist_before_the_mail_transaction_starts(
    mailbox: Mailbox, tmp_path: Path
) -> None:
    """The records are written while the connection is set up; the server must not see
    MAIL FROM before they are committed (read here by another connection, as a crash
    recovery would)."""
    import sqlite3

    from smtp_servers import RecordingHandler

    seen_at_mail: list[list[tuple[str, str]]] = []

    class CheckingHandler(RecordingHandler):
        async def handle_MAIL(self, server, session, envelope, address, mail_options):  # type: ignore[no-untyped-def]  # noqa: N802
            with sqlite3.connect(tmp_path / "store.db") as conn:
                seen_at_mail.append(conn.execute(
                    "SELECT recipient, result FROM send_records ORDER BY id").fetchall())
            return await super().handle_MAIL(server, session, envelope, address,
                                              mail_options)

    with SmtpTestServer("plain", handler=CheckingHandler()) as server:
        add_sender(mailbox, server)
        mailbox.send("Test Mail", ["a@example.org", "b@example.org"])
    assert seen_at_mail == [[("a@example.org", "pending"), ("b@example.org", "pending")]]
    assert [r.result for r in records(mailbox)] == ["success", "success"]


def test_when_the_records_cannot_be_written_nothing_is_sent(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SmtpTestServer("plain") as server:
        add_sender(mailbox, server)

        def broken(*_args: Any) -> Any:
            raise BimailError(ErrorCode.INTERRUPTED, "the store refused the write")

        monkeypatch.setattr(mailbox.sending, "_reserve_in", broken)
        with pytest.raises(BimailError, match="refused the write"):
            mailbox.send_test_mail("a@example.org")
        assert not server.handler.received_mail
    assert records(mailbox) == []
