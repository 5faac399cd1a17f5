"""The relay: programs submit with smtplib, the relay delivers to aiosmtpd upstreams through
the mailbox's senders, with records (all on loopback, real servers)."""

from __future__ import annotations

import json
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from helpers import parse_mail as parsed
from helpers import stored_records as records
from helpers import wait_for
from smtp_servers import RecordingHandler, SmtpTestServer
from sqlalchemy import select

from bimail_desktop.domain.clock import now_naive as utcnow
from bimail_desktop.domain.errors import InvalidInput
from bimail_desktop.relay import Relay, RelayOptions
from bimail_desktop.services import Mailbox

DEFAULT = "bi@example.com"
OTHER = "finance@example.com"


def add_sender(mailbox: Mailbox, server: SmtpTestServer | tuple[str, int], *,
               address: str = DEFAULT, rate_limit: int = 0, show_name: str = "BI Reports",
               default: bool = True) -> None:
    host, port = server.address if isinstance(server, SmtpTestServer) else server
    mailbox.add_sender({"server": host, "port": port, "encryption": "none",
                        "address": address, "show_name": show_name,
                        "rate_limit": rate_limit})
    if default:
        mailbox.set_default_sender(address)


def mail(from_: str = "FineBI <finebi@bi.internal>", to: str = "boss@example.com",
         subject: str = "Daily report", **headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = from_
    msg["To"] = to
    msg["Subject"] = subject
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content("The report is attached.")
    return msg


class Clock:
    """The relay's notion of now, which a test can move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset


@pytest.fixture
def start_relay(mailbox: Mailbox) -> Iterator[Callable[..., Relay]]:
    relays: list[Relay] = []

    def start(clock: Callable[[], datetime] = utcnow, **options: object) -> Relay:
        listen = str(options.pop("listen", "127.0.0.1:0"))
        options.setdefault("poll_interval", 0.05)
        options.setdefault("timeout", 5.0)
        relay = Relay(mailbox, RelayOptions.parse(listen=listen, **options),  # type: ignore[arg-type]
                      clock=clock, write_status=False)
        relay.start()
        relays.append(relay)
        return relay

    yield start
    for relay in relays:
        relay.stop(5)


def submit(relay: Relay, message: EmailMessage, *, from_addr: str | None = None,
           to: list[str] | None = None) -> dict[str, tuple[int, bytes]]:
    assert relay.address is not None
    with smtplib.SMTP(*relay.address, local_hostname="bi-server", timeout=10) as client:
        return client.send_message(message, from_addr=from_addr, to_addrs=to)


# -- sender choice, headers, records ---------------------------------------------------------
def test_unknown_sender_goes_out_as_default_with_reply_to(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    upstream = smtp_server_factory()
    add_sender(mailbox, upstream)
    relay = start_relay()
    submit(relay, mail())
    wait_for(lambda: upstream.messages)
    got = upstream.messages[0]
    assert got.mail_from == DEFAULT
    assert got.rcpt_tos == ["boss@example.com"]
    message = parsed(got.content)
    assert message["From"].addresses[0].addr_spec == DEFAULT
    assert message["From"].addresses[0].display_name == "BI Reports"
    assert str(message["Reply-To"]) == "FineBI <finebi@bi.internal>"
    assert message["Subject"] == "Daily report"
    assert message.get_content().strip() == "The report is attached."
    wait_for(lambda: not mailbox.relay_queue())
    (record,) = records(mailbox)
    assert (record.sender, record.recipient, record.result) == (DEFAULT, "boss@example.com",
                                                                "success")
    assert record.ip == "127.0.0.1"  # the submitting client's address
    assert record.template == "Relay"
    assert json.loads(record.resources) == []


def test_a_chinese_template_name_and_show_name_survive(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    upstream = smtp_server_factory()
    add_sender(mailbox, upstream, show_name="报表中心")
    relay = start_relay()
    submit(relay, mail(from_="帆软 <finebi@bi.internal>", X_Bimail_Template="销售日报"))
    wait_for(lambda: upstream.messages)
    message = parsed(upstream.messages[0].content)
    assert message["From"].addresses[0].display_name == "报表中心"
    assert message["Reply-To"].addresses[0].display_name == "帆软"
    wait_for(lambda: records(mailbox) and records(mailbox)[0].result == "success")
    assert records(mailbox)[0].template == "销售日报"


def test_bcc_is_not_passed_on_and_the_rest_goes_out_as_submitted(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    upstream = smtp_server_factory()
    add_sender(mailbox, upstream, address=OTHER)
    relay = start_relay()
    subject = "Quarterly figures of every region " + "and every product line " * 4
    raw = (f"From: {OTHER}\nTo: boss@example.com\nBcc: secret@example.com\n"
           f"Subject: {subject}\n\nFrom the regions:\r\n.north 12\nsouth 7\r\n").encode()
    assert relay.address is not None
    with smtplib.SMTP(*relay.address, local_hostname="bi-server", timeout=10) as client:
        client.sendmail(OTHER, ["boss@example.com", "secret@example.com"], raw)
    wait_for(lambda: upstream.messages)
    got = upstream.messages[0]
    assert sorted(got.rcpt_tos) == ["boss@example.com", "secret@example.com"]
    assert b"secret@example.com" not in got.content
    message = parsed(got.content)
    assert message["Bcc"] is None
    assert message["Subject"] == subject  # long, not folded anew
    assert b"\r\n.north 12\r\nsouth 7\r\n" in got.content  # line ends made CRLF


def test_an_existing_reply_to_is_kept(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    upstream = smtp_server_factory()
    add_sender(mailbox, upstream)
    relay = start_relay()
    submit(relay, mail(Reply_To="helpdesk@bi.internal"))
    wait_for(lambda: upstream.messages)
    message = parsed(upstream.messages[0].content)
    assert str(message["Reply-To"]) == "helpdesk@bi.internal"
    assert message["From"].addresses[0].addr_spec == DEFAULT


def test_a_configured_sender_is_kept_and_sends_through_its_own_server(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    default_server, finance_server = smtp_server_factory(), smtp_server_factory()
    add_sender(mailbox, default_server)
    add_sender(mailbox, finance_server, address=OTHER, show_name="Finance", default=False)
    relay = start_relay()
    submit(relay, mail(from_=f"Finance Team <{OTHER}>"))
    wait_for(lambda: finance_server.messages)
    message = parsed(finance_server.messages[0].content)
    assert str(message["From"]) == f"Finance Team <{OTHER}>"  # untouched
    assert message["Reply-To"] is None
    assert finance_server.messages[0].mail_from == OTHER
    assert default_server.messages == []
    wait_for(lambda: records(mailbox))
    assert records(mailbox)[0].sender == OTHER


def test_template_header_is_used_and_removed_and_attachments_are_resources(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    upstream = smtp_server_factory()
    add_sender(mailbox, upstream)
    relay = start_relay()
    message = mail(X_Bimail_Template="Sales dashboard")
    message.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv",
                           filename="sales-2026-12.csv")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf",
                           filename="销售报表.pdf")
    submit(relay, message, to=["boss@example.com", "cfo@example.com"])
    wait_for(lambda: upstream.messages)
    sent = parsed(upstream.messages[0].content)
    assert sent["X-Bimail-Template"] is None
    assert [p.get_filename() for p in sent.iter_attachments()] == ["sales-2026-12.csv",
                                                                  "销售报表.pdf"]
    wait_for(lambda: len(records(mailbox)) == 2 and not mailbox.relay_queue())
    got = records(mailbox)
    assert {r.recipient for r in got} == {"boss@example.com", "cfo@example.com"}
    for record in got:
        assert record.template == "Sales dashboard"
        assert json.loads(record.resources) == ["sales-2026-12.csv", "销售报表.pdf"]
        assert record.ip == "127.0.0.1"
        assert record.result == "success"


def test_no_default_sender_and_no_match_is_refused_with_550(
    mailbox: Mailbox, start_relay: Callable[..., Relay],
) -> None:
    relay = start_relay()
    with pytest.raises(smtplib.SMTPDataError) as raised:
        submit(relay, mail())
    assert raised.value.smtp_code == 550
    assert b"not_configured" in raised.value.smtp_error
    assert mailbox.relay_queue() == []


# -- queueing, not refusing ------------------------------------------------------------------
def test_rate_limit_makes_mail_wait_and_all_are_delivered(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    upstream = smtp_server_factory()
    add_sender(mailbox, upstream, rate_limit=2)
    clock = Clock()
    relay = start_relay(clock=clock)
    for n in range(4):
        submit(relay, mail(subject=f"report {n}"))  # none refused
    wait_for(lambda: len(upstream.messages) == 2)
    wait_for(lambda: sum(q.status == "deferred" for q in mailbox.relay_queue()) == 2)
    time.sleep(0.3)
    assert len(upstream.messages) == 2  # the other two wait for the minute to pass
    waiting = mailbox.relay_queue()
    assert {q.last_error_code for q in waiting} == {"rate_limited"}
    for q in waiting:
        assert q.attempts == 0
        assert q.next_attempt is not None
        due = q.next_attempt.replace(tzinfo=None) - clock()
        assert timedelta(seconds=50) < due <= timedelta(seconds=61)
    clock.offset = timedelta(seconds=61)  # a minute later
    wait_for(lambda: len(upstream.messages) == 4)
    wait_for(lambda: not mailbox.relay_queue())
    subjects = sorted(parsed(m.content)["Subject"] for m in upstream.messages)
    assert subjects == [f"report {n}" for n in range(4)]
    got = records(mailbox)
    assert len(got) == 4 and {r.result for r in got} == {"success"}


def test_upstream_down_defers_then_flush_delivers(
    mailbox: Mailbox, start_relay: Callable[..., Relay], unused_port: int,
) -> None:
    add_sender(mailbox, ("127.0.0.1", unused_port))
    relay = start_relay()
    submit(relay, mail())
    wait_for(lambda: [q for q in mailbox.relay_queue() if q.status == "deferred"])
    (queued,) = mailbox.relay_queue()
    assert queued.attempts == 1
    assert queued.last_error_code == "connect_refused"
    assert queued.next_attempt is not None
    assert timedelta(seconds=50) < queued.next_attempt.replace(tzinfo=None) - utcnow() \
        <= timedelta(minutes=1)
    # the server comes back on the same port
    upstream = SmtpTestServer()
    upstream.port = unused_port
    from smtp_servers import _Controller

    controller = _Controller(upstream.handler, hostname="127.0.0.1", port=unused_port,
                             smtp_options={"greeting_delay": 0.0, "implicit_tls": False},
                             server_hostname="upstream", timeout=30)
    controller.start()
    try:
        time.sleep(0.3)
        assert upstream.messages == []  # waits for its next attempt
        assert relay.flush() == 1
        wait_for(lambda: upstream.messages)
        wait_for(lambda: not mailbox.relay_queue())
    finally:
        controller.stop()
    results = [(r.result, r.error_code) for r in records(mailbox)]
    assert results == [("failure", "connect_refused"), ("success", None)]


def test_retry_delays_grow_and_stop_at_30_minutes() -> None:
    from bimail_desktop.services.relaying import retry_delay

    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 8)] == [1, 2, 4, 8, 16,
                                                                         30, 30]


def test_after_24_hours_a_temporary_failure_expires(
    mailbox: Mailbox, start_relay: Callable[..., Relay], unused_port: int,
) -> None:
    add_sender(mailbox, ("127.0.0.1", unused_port))
    clock = Clock()
    relay = start_relay(clock=clock)
    submit(relay, mail())
    wait_for(lambda: [q for q in mailbox.relay_queue() if q.status == "deferred"])
    clock.offset = timedelta(hours=24, minutes=1)
    wait_for(lambda: not mailbox.relay_queue())
    assert [(r.result, r.error_code) for r in records(mailbox)] == [
        ("failure", "connect_refused"), ("failure", "expired")]
    assert relay.worker.running


def test_a_5xx_for_one_recipient_fails_it_alone(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    handler = RecordingHandler(rcpt_replies={"gone@example.com": "550 5.1.1 No such user",
                                             "later@example.com": "450 4.2.1 Try later"})
    upstream = smtp_server_factory(handler=handler)
    add_sender(mailbox, upstream)
    relay = start_relay()
    submit(relay, mail(), to=["boss@example.com", "gone@example.com", "later@example.com"])
    wait_for(lambda: upstream.messages)
    assert upstream.messages[0].rcpt_tos == ["boss@example.com"]
    wait_for(lambda: len(records(mailbox)) == 3 and
             all(r.result != "pending" for r in records(mailbox)))
    by = {r.recipient: (r.result, r.error_code) for r in records(mailbox)}
    assert by["boss@example.com"] == ("success", None)
    assert by["gone@example.com"] == ("failure", "recipient_rejected")
    assert by["later@example.com"] == ("failure", "temporary_failure")
    (queued,) = mailbox.relay_queue()  # only the deferred one is retried
    assert queued.recipients == ("later@example.com",)
    assert queued.status == "deferred"
    handler.rcpt_replies.clear()
    relay.flush()
    wait_for(lambda: len(upstream.messages) == 2)
    assert upstream.messages[1].rcpt_tos == ["later@example.com"]
    wait_for(lambda: not mailbox.relay_queue())


# -- never an open relay ---------------------------------------------------------------------
def test_listening_beyond_loopback_needs_auth_or_an_allow_list() -> None:
    with pytest.raises(InvalidInput) as raised:
        RelayOptions.parse(listen="0.0.0.0:2525")
    assert raised.value.field == "listen"
    assert RelayOptions.parse(listen="0.0.0.0:2525", require_auth=True).require_auth
    assert RelayOptions.parse(listen="0.0.0.0:2525", allow=["10.0.0.0/8"]).allow
    with pytest.raises(InvalidInput) as raised:
        RelayOptions.parse(allow=["10.0.0.0/33"])
    assert raised.value.field == "allow"


def test_auth_wrong_password_535_right_password_250(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    upstream = smtp_server_factory()
    add_sender(mailbox, upstream)
    mailbox.add_relay_user("finebi", "s3cret-pass")
    relay = start_relay(require_auth=True)
    assert relay.address is not None
    with smtplib.SMTP(*relay.address, local_hostname="bi", timeout=10) as client:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("finebi@bi.internal", ["boss@example.com"], mail().as_bytes())
        assert refused.value.smtp_code == 530
    with smtplib.SMTP(*relay.address, local_hostname="bi", timeout=10) as client:
        client.ehlo()
        assert "auth" in client.esmtp_features  # loopback: AUTH without STARTTLS
        with pytest.raises(smtplib.SMTPAuthenticationError) as wrong:
            client.login("finebi", "wrong")
        assert wrong.value.smtp_code == 535
    with smtplib.SMTP(*relay.address, local_hostname="bi", timeout=10) as client:
        code, _ = client.login("finebi", "s3cret-pass")
        assert code == 235
        assert client.send_message(mail()) == {}  # 250
    wait_for(lambda: upstream.messages)


def _non_loopback_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_auth_is_offered_only_after_starttls_when_the_client_is_not_on_loopback(
    mailbox: Mailbox, start_relay: Callable[..., Relay],
) -> None:
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no address besides loopback")
    mailbox.add_relay_user("finebi", "s3cret-pass")
    relay = start_relay(listen=f"{address}:0", require_auth=True)
    assert relay.address is not None and relay.certificate is not None
    with smtplib.SMTP(*relay.address, local_hostname="bi", timeout=10) as client:
        client.ehlo()
        assert "auth" not in client.esmtp_features
        assert "starttls" in client.esmtp_features
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        client.starttls(context=context)
        sock = client.sock
        assert isinstance(sock, ssl.SSLSocket)
        der = sock.getpeercert(binary_form=True)
        assert der is not None
        import hashlib

        shown = relay.certificate.sha256.replace(":", "").lower()
        assert hashlib.sha256(der).hexdigest() == shown  # the fingerprint the relay shows
        client.ehlo()
        assert "PLAIN" in client.esmtp_features["auth"]
        assert "LOGIN" in client.esmtp_features["auth"]
        assert client.login("finebi", "s3cret-pass")[0] == 235


def test_a_client_outside_the_allow_list_is_turned_away(
    mailbox: Mailbox, start_relay: Callable[..., Relay],
) -> None:
    relay = start_relay(allow=["10.9.8.0/24"])
    assert relay.address is not None
    with pytest.raises(smtplib.SMTPConnectError) as refused:
        smtplib.SMTP(*relay.address, local_hostname="bi", timeout=10)
    assert refused.value.smtp_code == 554


def test_a_message_over_the_size_limit_gets_552(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    add_sender(mailbox, smtp_server_factory())
    relay = start_relay(max_size=1)
    big = mail()
    big.add_attachment(b"x" * (1024 * 1024 + 10), maintype="application",
                       subtype="octet-stream", filename="big.bin")
    with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as refused:
        submit(relay, big)
    assert refused.value.smtp_code == 552
    assert mailbox.relay_queue() == []


def test_recipients_per_message_are_bounded(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    add_sender(mailbox, smtp_server_factory())
    relay = start_relay(max_recipients=2)
    refused = submit(relay, mail(), to=["a@example.com", "b@example.com", "c@example.com"])
    assert refused == {"c@example.com": (452, b"4.5.3 Too many recipients: at most 2 per "
                                                 b"message")}


# -- relay users -----------------------------------------------------------------------------
def test_relay_user_passwords_are_salted_scrypt_hashes(mailbox: Mailbox) -> None:
    assert mailbox.add_relay_user("finebi", "s3cret-pass") is True
    assert mailbox.add_relay_user("grafana", "s3cret-pass") is True
    from bimail_desktop.store.relay_schema import RelayUserRow

    with mailbox.store.read() as session:
        rows = session.execute(select(RelayUserRow.name, RelayUserRow.password_hash)).all()
    hashes = {name: hashed for name, hashed in rows}
    assert all(h.startswith("scrypt$") and "s3cret" not in h for h in hashes.values())
    assert hashes["finebi"] != hashes["grafana"]  # salted
    assert mailbox.check_relay_user("finebi", "s3cret-pass")
    assert not mailbox.check_relay_user("finebi", "s3cret-Pass")
    assert not mailbox.check_relay_user("nobody", "s3cret-pass")
    assert mailbox.list_relay_users() == ["finebi", "grafana"]
    mailbox.remove_relay_user("grafana")
    assert mailbox.list_relay_users() == ["finebi"]
    with pytest.raises(InvalidInput):
        mailbox.add_relay_user("two words", "x")


def test_relay_files_say_where_the_certificate_is(tmp_path: Path) -> None:
    from bimail_desktop.relay.certs import own_certificate

    first = own_certificate(tmp_path / "relay")
    again = own_certificate(tmp_path / "relay")
    assert first.generated and not again.generated
    assert first.sha256 == again.sha256  # stays the same across restarts
    assert (first.key_file.stat().st_mode & 0o077) == 0


def test_waiting_mail_of_one_sender_goes_out_over_one_connection(
    mailbox: Mailbox, smtp_server_factory: Callable[..., SmtpTestServer],
    start_relay: Callable[..., Relay],
) -> None:
    upstream = smtp_server_factory()
    add_sender(mailbox, upstream)
    for n in range(6):  # accepted while no relay ran (e.g. before a restart)
        mailbox.relay_accept(mail(subject=f"report {n}").as_bytes(), "finebi@bi.internal",
                             [f"user{n}@example.com"], "10.0.0.7")
    start_relay(workers=1)
    wait_for(lambda: len(upstream.messages) == 6 and not mailbox.relay_queue())
    assert upstream.handler.verbs().count("EHLO") == 1  # one connection for all six
    assert [m.rcpt_tos for m in upstream.messages] == [[f"user{n}@example.com"]
                                                       for n in range(6)]
    got = records(mailbox)
    assert [(r.recipient, r.result, r.ip) for r in got] == [
        (f"user{n}@example.com", "success", "10.0.0.7") for n in range(6)]


@pytest.mark.parametrize("limit", [0, 3])
def test_the_relay_reads_mail_and_rcpt_paths_as_aiosmtpd_does(limit: int) -> None:
    from aiosmtpd.smtp import SMTP

    from bimail_desktop.relay.server import _RelaySMTP

    class Handler:
        pass

    plain = SMTP(Handler())
    relay = _RelaySMTP.__new__(_RelaySMTP)
    plain.local_part_limit = relay.local_part_limit = limit
    for path in ["<a@b.com>", "<a@b.com> SIZE=10", "<a@b.com>  SIZE=10 BODY=8BITMIME ",
                 "<a@b.com>x", " <a@b.com>", "<>", "<a@[1.2.3.4]>", '<"a b"@c>', "<a..b@c>",
                 "<@x:a@b>", "<a@b.>", "<.a@b>", "<a.@b>", "<A+b@EX.com>",
                 "<o'neil{x}@ex-ample.co.uk>", "<a@b.com> (note) SIZE=1", "<a@b.com>\tSIZE=1",
                 "<a@b.com> ", "<ü@b.com>", "<a@bü.com>", "a@b.com", "<a@b", "<a@b.com>>",
                 "<a b@c>", "<abcd@e.f>", "<abc@e.f> SMTPUTF8", ""]:
        assert relay._getaddr(path) == plain._getaddr(path), path
