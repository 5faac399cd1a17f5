"""SMTP transport against real aiosmtpd servers on 127.0.0.1.

Every failure test asserts the catalogue code AND what the server received (nothing, for
refusals that must happen before AUTH / MAIL)."""

from __future__ import annotations

import asyncio
import base64
import sys
import threading
import time
from email.message import EmailMessage

import pytest
from smtp_servers import (
    FullBacklogServer,
    RecordingHandler,
    SmtpTestServer,
    expired_certificate,
    issue_certificate,
    self_signed_certificate,
)

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail.cancel import CancelToken
from bimail_desktop.mail.tls import TrustConfig, pin_key
from bimail_desktop.mail.transport import SendReport, ServerConfig, SmtpSession

SENDER = "reports@bi.example"
TO = "alice@example.com"
PASSWORD = "s3cret-Pa55"  # noqa: S105 - test credential


def config(server: SmtpTestServer, encryption: str, **kwargs: object) -> ServerConfig:
    kwargs.setdefault("timeout", 5.0)
    return ServerConfig(
        host=str(kwargs.pop("host", "127.0.0.1")),
        port=server.port if not isinstance(server, int) else server,
        encryption=Encryption(encryption),
        ehlo_name="client.bimail.test",
        **kwargs,  # type: ignore[arg-type]
    )


def message(subject: str = "Quarterly report") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = TO
    msg["Subject"] = subject
    msg.set_content("Hello from the BI server.\n.\nA line with a dot above.\n")
    return msg


def send(
    cfg: ServerConfig,
    trust: TrustConfig | None = None,
    to: list[str] | None = None,
    **kwargs: object,
) -> SendReport:
    with SmtpSession(cfg, trust, **kwargs) as session:  # type: ignore[arg-type]
        session.connect()
        return session.send(message(), SENDER, to or [TO])


def fails(
    code: ErrorCode, cfg: ServerConfig, trust: TrustConfig | None = None, **kw
) -> BimailError:
    with pytest.raises(BimailError) as info:
        send(cfg, trust, **kw)
    assert info.value.code == code, info.value
    return info.value


# ------------------------------------------------------------------ success paths


def test_plain_send_delivers_the_message(smtp_server_factory):
    server = smtp_server_factory("plain")
    report = send(config(server, "none"))
    assert report.accepted == (TO,) and not report.refused
    assert report.reply.startswith("2.0.0 OK")
    [received] = server.messages
    assert received.mail_from == SENDER and received.rcpt_tos == [TO]
    assert b"Subject: Quarterly report" in received.content
    assert b"\r\n.\r\nA line with a dot above." in received.content  # dot-stuffing undone
    assert not received.tls
    assert server.commands[0].arg == "client.bimail.test"  # explicit EHLO name


def test_starttls_encrypts_before_login_and_mail(smtp_server_factory, trusted):
    server = smtp_server_factory("starttls", users={SENDER: PASSWORD}, auth_required=True)
    with SmtpSession(config(server, "tls", username=SENDER, password=PASSWORD), trusted) as s:
        s.connect()
        assert s.encrypted and s.peer_certificate and s.local_ip == "127.0.0.1"
        s.send(message(), SENDER, [TO])
    assert server.handler.verbs()[:4] == ["EHLO", "STARTTLS", "EHLO", "AUTH"]
    assert all(c.tls for c in server.commands[2:])
    [received] = server.messages
    assert received.tls and received.login == SENDER


def test_smtps_implicit_tls(smtp_server_factory, trusted):
    server = smtp_server_factory("ssl", users={SENDER: PASSWORD})
    send(config(server, "ssl", username=SENDER, password=PASSWORD), trusted)
    [received] = server.messages
    assert received.tls and received.login == SENDER
    assert all(c.tls for c in server.commands)


def test_plain_auth_allowed_only_when_do_not_encrypt_is_chosen(smtp_server_factory):
    server = smtp_server_factory("plain", users={SENDER: PASSWORD})
    send(config(server, "none", username=SENDER, password=PASSWORD))
    assert server.messages[0].login == SENDER
    assert server.handler.auth_attempts == [("PLAIN", SENDER, True)]


def test_auth_login_mechanism(smtp_server_factory, trusted):
    server = smtp_server_factory(
        "starttls", users={SENDER: PASSWORD}, auth_exclude_mechanism=["PLAIN"]
    )
    send(config(server, "tls", username=SENDER, password=PASSWORD), trusted)
    assert server.handler.auth_attempts == [("LOGIN", SENDER, True)]
    assert server.messages[0].login == SENDER


def test_quit_failing_after_acceptance_is_not_a_failure(smtp_server_factory):
    class DropAtQuit(RecordingHandler):
        async def handle_QUIT(self, server, session, envelope):  # noqa: N802
            server.transport.close()
            raise asyncio.CancelledError

    server = smtp_server_factory("plain", handler=DropAtQuit())
    report = send(config(server, "none"))
    assert report.accepted == (TO,)
    assert len(server.messages) == 1


def test_garbage_reply_to_quit_is_not_a_failure(smtp_server_factory):
    class GarbageAtQuit(RecordingHandler):
        async def handle_QUIT(self, server, session, envelope):  # noqa: N802
            return "\x00\x00\x00"

    server = smtp_server_factory("plain", handler=GarbageAtQuit())
    assert send(config(server, "none")).accepted == (TO,)


# ------------------------------------------------------------------ encryption refusals


def test_starttls_stripped_is_refused_before_anything_is_sent(smtp_server_factory, trusted):
    server = smtp_server_factory(
        "starttls",
        handler=RecordingHandler(strip_starttls=True),
        require_starttls=False,
        users={SENDER: PASSWORD},
        auth_require_tls=False,
    )
    error = fails(
        ErrorCode.STARTTLS_UNSUPPORTED,
        config(server, "tls", username=SENDER, password=PASSWORD),
        trusted,
    )
    assert "nothing" in error.detail.lower()
    assert server.handler.verbs() == ["EHLO"]
    assert not server.handler.received_auth and not server.handler.received_mail
    assert server.messages == []


def test_server_requiring_starttls_when_do_not_encrypt_is_chosen(smtp_server_factory):
    server = smtp_server_factory("starttls")  # require_starttls: 530 to MAIL
    error = fails(ErrorCode.AUTH_REQUIRES_TLS, config(server, "none"))
    assert error.server_reply.startswith("530")
    assert server.messages == []


def test_login_hidden_until_starttls_when_do_not_encrypt_is_chosen(smtp_server_factory):
    server = smtp_server_factory("starttls", users={SENDER: PASSWORD})
    fails(ErrorCode.AUTH_REQUIRES_TLS, config(server, "none", username=SENDER, password=PASSWORD))
    assert not server.handler.received_auth and not server.handler.received_mail


def test_untrusted_ca_is_refused_and_certificate_offered(smtp_server_factory, smtp_cert):
    server = smtp_server_factory("starttls", users={SENDER: PASSWORD})
    error = fails(
        ErrorCode.TLS_UNTRUSTED, config(server, "tls", username=SENDER, password=PASSWORD)
    )
    assert error.extra["certificate"]["sha256"] == smtp_cert.sha256
    assert "BEGIN CERTIFICATE" in error.extra["certificate"]["pem"]
    assert not server.handler.received_auth and not server.handler.received_mail


def test_self_signed_refused_without_pin(smtp_server_factory):
    cert = self_signed_certificate("localhost", "127.0.0.1")
    server = smtp_server_factory("ssl", certificate=cert)
    error = fails(ErrorCode.TLS_UNTRUSTED, config(server, "ssl"))
    assert error.extra["certificate"]["self_signed"] is True
    assert server.commands == []


def test_self_signed_with_pin_is_accepted(smtp_server_factory):
    cert = self_signed_certificate("localhost", "127.0.0.1")
    server = smtp_server_factory("starttls", certificate=cert)
    trust = TrustConfig(pins={pin_key("127.0.0.1", server.port): frozenset({cert.sha256})})
    assert send(config(server, "tls"), trust).accepted == (TO,)
    assert server.messages[0].tls


def test_pin_mismatch_is_refused_before_ehlo(smtp_server_factory, trusted, smtp_cert):
    server = smtp_server_factory("ssl", users={SENDER: PASSWORD})
    old = "ab" * 32
    trust = TrustConfig(cas=trusted.cas, pins={pin_key("127.0.0.1", server.port): frozenset({old})})
    error = fails(
        ErrorCode.TLS_PIN_MISMATCH,
        config(server, "ssl", username=SENDER, password=PASSWORD),
        trust,
    )
    assert error.extra["expected"] == [old]
    assert error.extra["actual"] == smtp_cert.sha256
    assert error.extra["certificate"]["sha256"] == smtp_cert.sha256
    assert "AB:AB" in error.detail
    assert server.commands == []  # not even EHLO


def test_pin_mismatch_after_starttls_before_second_ehlo(smtp_server_factory, smtp_cert):
    server = smtp_server_factory("starttls", users={SENDER: PASSWORD})
    trust = TrustConfig(pins={pin_key("127.0.0.1", server.port): frozenset({"cd" * 32})})
    fails(
        ErrorCode.TLS_PIN_MISMATCH, config(server, "tls", username=SENDER, password=PASSWORD), trust
    )
    assert server.handler.verbs() == ["EHLO", "STARTTLS"]


def test_certificate_for_another_name(smtp_server_factory, smtp_ca, trusted):
    cert = issue_certificate(smtp_ca, "other.example")
    server = smtp_server_factory("ssl", certificate=cert)
    error = fails(ErrorCode.TLS_HOSTNAME_MISMATCH, config(server, "ssl"), trusted)
    assert "DNS name" in error.detail  # connected by IP address
    assert error.extra["certificate"]["alt_names"] == ["other.example"]
    assert server.commands == []


def test_expired_certificate(smtp_server_factory, smtp_ca, trusted):
    server = smtp_server_factory("ssl", certificate=expired_certificate(smtp_ca))
    fails(ErrorCode.TLS_EXPIRED, config(server, "ssl"), trusted)
    assert server.commands == []


def test_ssl_against_a_plain_port(smtp_server_factory, trusted):
    server = smtp_server_factory("plain")
    fails(ErrorCode.TLS_WRONG_MODE, config(server, "ssl"), trusted)
    assert server.messages == []


def test_tls_against_an_ssl_port_is_wrong_mode(smtp_server_factory, trusted):
    server = smtp_server_factory("ssl")
    error = fails(ErrorCode.TLS_WRONG_MODE, config(server, "tls", timeout=0.5), trusted)
    assert "SSL" in error.detail
    assert server.commands == []


def test_greeting_never_sent(silent_server):
    error = fails(ErrorCode.TIMEOUT, config(silent_server.port, "tls", timeout=0.5))
    assert "may expect SSL" in error.detail
    # no SMTP command was sent; the only bytes are the TLS probe's ClientHello (0x16)
    received = bytes(silent_server.received)
    assert b"EHLO" not in received and b"AUTH" not in received
    assert received == b"" or received[0] == 0x16


# ------------------------------------------------------------------ network failures


def test_connection_refused(unused_port):
    fails(ErrorCode.CONNECT_REFUSED, config(unused_port, "none"))


@pytest.mark.skipif(sys.platform != "linux", reason="a full backlog drops SYNs on Linux only")
def test_connect_timeout():
    with FullBacklogServer() as server:
        fails(ErrorCode.CONNECT_TIMEOUT, config(server.port, "tls", timeout=0.5))


def test_unresolvable_host():
    cfg = ServerConfig("mail.bimail-nowhere.invalid", 25, Encryption.TLS, timeout=5)
    fails(ErrorCode.DNS_FAILED, cfg)


def test_slow_data_reply_times_out(smtp_server_factory):
    server = smtp_server_factory("plain", handler=RecordingHandler(data_delay=3))
    fails(ErrorCode.TIMEOUT, config(server, "none", timeout=0.5))


# ------------------------------------------------------------------ authentication


def test_wrong_password(smtp_server_factory, trusted):
    server = smtp_server_factory("starttls", users={SENDER: PASSWORD})
    error = fails(
        ErrorCode.AUTH_FAILED, config(server, "tls", username=SENDER, password="wrong"), trusted
    )
    assert error.server_reply.startswith("535")
    assert server.handler.auth_attempts == [("PLAIN", SENDER, False)]
    assert not server.handler.received_mail


def test_wrong_password_auth_login(smtp_server_factory, trusted):
    server = smtp_server_factory(
        "starttls", users={SENDER: PASSWORD}, auth_exclude_mechanism=["PLAIN"]
    )
    fails(ErrorCode.AUTH_FAILED, config(server, "tls", username=SENDER, password="wrong"), trusted)
    assert server.handler.auth_attempts == [("LOGIN", SENDER, False)]
    assert not server.handler.received_mail


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            "534-5.7.9 Application-specific password required.\r\n534 5.7.9 Learn more",
            "app password",
        ),
        (
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled",
            "Microsoft 365",
        ),
        ("535 Login fail. Please enter your authorization code to login.", "authorisation code"),
    ],
)
def test_provider_specific_login_advice(smtp_server_factory, trusted, reply, expected):
    server = smtp_server_factory("starttls", users={SENDER: PASSWORD}, auth_failure_reply=reply)
    error = fails(
        ErrorCode.AUTH_FAILED, config(server, "tls", username=SENDER, password="x"), trusted
    )
    assert expected in error.detail
    assert not server.handler.received_mail


def test_no_auth_offered_but_password_given(smtp_server_factory):
    server = smtp_server_factory("plain")
    fails(ErrorCode.AUTH_UNSUPPORTED, config(server, "none", username=SENDER, password=PASSWORD))
    assert not server.handler.received_auth and not server.handler.received_mail


def test_non_ascii_password_is_a_clear_input_error(smtp_server_factory, trusted):
    server = smtp_server_factory("starttls", users={SENDER: PASSWORD})
    error = fails(
        ErrorCode.INVALID_INPUT,
        config(server, "tls", username=SENDER, password="pässwört"),
        trusted,
    )
    assert error.field == "password" and "pässwört" not in str(error)
    assert server.commands == []


def test_password_never_in_transcript_or_error(smtp_server_factory, trusted):
    for mechanisms in ([], ["PLAIN"]):
        server = smtp_server_factory(
            "starttls", users={SENDER: PASSWORD + "!"}, auth_exclude_mechanism=mechanisms
        )
        lines: list[tuple[str, str]] = []
        cfg = config(server, "tls", username=SENDER, password=PASSWORD)
        error = fails(
            ErrorCode.AUTH_FAILED,
            cfg,
            trusted,
            transcript=lambda d, t, lines=lines: lines.append((d, t)),
        )
        text = "\n".join(t for _d, t in lines)
        assert ("C", "STARTTLS") in lines and any(t.startswith("AUTH ") for _d, t in lines)
        secrets = [PASSWORD, base64.b64encode(PASSWORD.encode()).decode()]
        secrets.append(base64.b64encode(f"\0{SENDER}\0{PASSWORD}".encode()).decode())
        for secret in secrets:
            assert secret not in text
            assert secret not in str(error) and secret not in repr(error.to_dict())
        assert PASSWORD not in repr(cfg)


# ------------------------------------------------------------------ replies


def test_sender_without_smtp_permission(smtp_server_factory):
    handler = RecordingHandler(mail_reply="550 User has no permission")
    server = smtp_server_factory("plain", handler=handler)
    error = fails(ErrorCode.SENDER_REJECTED, config(server, "none"))
    assert "enable POP3/SMTP" in error.detail
    assert "RCPT" not in server.handler.verbs()


def test_microsoft_basic_auth_off_at_mail(smtp_server_factory):
    handler = RecordingHandler(mail_reply="550 5.7.30 Basic authentication is not supported")
    server = smtp_server_factory("plain", handler=handler)
    error = fails(ErrorCode.AUTH_FAILED, config(server, "none"))
    assert "Microsoft 365" in error.detail


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("550 5.1.1 No such user", ErrorCode.RECIPIENT_REJECTED),
        ("450 4.2.1 Mailbox busy, try later", ErrorCode.TEMPORARY_FAILURE),
    ],
)
def test_single_recipient_refused(smtp_server_factory, reply, code):
    server = smtp_server_factory("plain", handler=RecordingHandler(rcpt_replies={TO: reply}))
    report = send(config(server, "none"))
    assert report.accepted == () and report.reply == ""
    assert report.refused[TO].code == code
    assert report.refused[TO].server_reply == reply
    assert "DATA" not in server.handler.verbs() and server.messages == []


def test_421_at_rcpt_ends_the_send(smtp_server_factory):
    handler = RecordingHandler(rcpt_replies={TO: "421 4.7.0 Too many connections, closing"})
    server = smtp_server_factory("plain", handler=handler)
    fails(ErrorCode.DISCONNECTED, config(server, "none"))
    assert server.messages == []


def test_one_of_three_recipients_refused(smtp_server_factory):
    bad = "nobody@example.com"
    handler = RecordingHandler(rcpt_replies={bad: "550 5.1.1 No such user"})
    server = smtp_server_factory("plain", handler=handler)
    to = [TO, bad, "bob@example.com"]
    report = send(config(server, "none"), to=to)
    assert report.accepted == (TO, "bob@example.com")
    assert list(report.refused) == [bad]
    assert report.refused[bad].code == ErrorCode.RECIPIENT_REJECTED
    assert bad in report.refused[bad].detail
    assert server.messages[0].rcpt_tos == [TO, "bob@example.com"]


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("451 4.3.0 Temporary local problem", ErrorCode.TEMPORARY_FAILURE),
        ("554 5.6.0 Message content rejected", ErrorCode.MESSAGE_REJECTED),
    ],
)
def test_data_refused(smtp_server_factory, reply, code):
    server = smtp_server_factory("plain", handler=RecordingHandler(data_reply=reply))
    error = fails(code, config(server, "none"))
    assert error.server_reply == reply
    assert server.messages == []


def test_connection_dropped_at_data(smtp_server_factory):
    server = smtp_server_factory("plain", handler=RecordingHandler(data_abort=True))
    fails(ErrorCode.DISCONNECTED, config(server, "none"))
    assert server.messages == []


def test_gbk_reply_is_decoded(smtp_server_factory):
    class GbkReply(RecordingHandler):
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
            return "550 用户不存在".encode("gbk")

    server = smtp_server_factory("plain", handler=GbkReply())
    report = send(config(server, "none"))
    assert report.refused[TO].server_reply == "550 用户不存在"


# ------------------------------------------------------------------ cancel


def test_cancel_mid_send_interrupts_promptly(smtp_server_factory):
    handler = RecordingHandler(data_delay=60)
    server = smtp_server_factory("plain", handler=handler)
    token = CancelToken()

    def cancel_when_data_starts() -> None:
        handler.data_started.wait(10)
        token.cancel()

    threading.Thread(target=cancel_when_data_starts, daemon=True).start()
    started = time.monotonic()
    error = fails(ErrorCode.INTERRUPTED, config(server, "none", timeout=30), cancel=token)
    assert time.monotonic() - started < 10  # generous: the reply would take 60 s
    assert "DATA" in error.detail
    assert server.messages == []


def test_cancel_before_connect_sends_nothing(smtp_server_factory):
    server = smtp_server_factory("plain")
    token = CancelToken()
    token.cancel()
    fails(ErrorCode.INTERRUPTED, config(server, "none"), cancel=token)
    assert server.commands == []


class XOAuth2Handler(RecordingHandler):
    """A handler adding AUTH XOAUTH2 (the injectable mechanism hook of smtp_servers)."""

    token = "ya29.valid-token"

    async def auth_XOAUTH2(self, server, args):  # noqa: N802 - aiosmtpd mechanism name
        from aiosmtpd.smtp import AuthResult

        raw = base64.b64decode(args[1]).decode()
        user = raw.split("\x01")[0].removeprefix("user=")
        if raw == f"user={user}\x01auth=Bearer {self.token}\x01\x01":
            self.auth_attempts.append(("XOAUTH2", user, True))
            return AuthResult(success=True, auth_data=user)
        self.auth_attempts.append(("XOAUTH2", user, False))
        await server.challenge_auth(b'{"status":"401","schemes":"bearer"}')
        return AuthResult(success=False, handled=False, message="535 5.7.8 Invalid token")


def test_xoauth2_login(smtp_server_factory, trusted):
    handler = XOAuth2Handler()
    server = smtp_server_factory("starttls", handler=handler, users={})
    lines: list[tuple[str, str]] = []
    cfg = config(server, "tls", username=SENDER, oauth2_token=XOAuth2Handler.token)
    send(cfg, trusted, transcript=lambda d, t: lines.append((d, t)))
    assert handler.auth_attempts == [("XOAUTH2", SENDER, True)]
    assert len(server.messages) == 1
    assert XOAuth2Handler.token not in repr(lines)

    bad = config(server, "tls", username=SENDER, oauth2_token="ya29.revoked")
    error = fails(ErrorCode.AUTH_FAILED, bad, trusted, transcript=lambda d, t: lines.append((d, t)))
    assert error.server_reply.startswith("535")
    assert "ya29.revoked" not in repr(lines) + str(error.to_dict())
    assert len(server.messages) == 1
