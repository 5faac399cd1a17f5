"""What the diagnosis approves is exactly what a send does: over a matrix of real servers
(aiosmtpd, trustme certificates), the diagnosis verdict and the test-mail verdict of the
same sender agree, with the same error code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import trustme
from smtp_servers import (
    CramMd5Handler,
    RecordingHandler,
    ServerCertificate,
    SmtpTestServer,
    expired_certificate,
    issue_certificate,
)

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.services import Mailbox

USER = "bi@corp.test"
PASSWORD = "Agreement-pw-42"
RCPT = "reader@corp.test"
T = 2.0  # seconds; a local server answers at once (wrong-mode cases wait this long once)
MODES = {"none": "plain", "tls": "starttls", "ssl": "ssl"}


@dataclass
class Case:
    """One server and one sender; ``expected``: the error code both must give (None: ok)."""

    mode: str  # plain | starttls | ssl
    encryption: str  # what the sender chose
    expected: ErrorCode | None
    password: str | None = PASSWORD
    users: dict[str, str] | None = field(default_factory=lambda: {USER: PASSWORD})
    server: dict[str, Any] = field(default_factory=dict)
    handler: Callable[[], RecordingHandler] | None = None
    certificate: str = "good"  # good | untrusted | wrong_name | expired
    pin_other: bool = False  # the admin pinned a certificate the server no longer has
    import_ca: bool = True
    mechanism: str | None = None  # the login the server must have seen (success cases)


CASES: dict[str, Case] = {
    "plain_only": Case("starttls", "tls", None, server={"auth_exclude_mechanism": ["LOGIN"]},
                       mechanism="PLAIN"),
    "login_only": Case("starttls", "tls", None, server={"auth_exclude_mechanism": ["PLAIN"]},
                       mechanism="LOGIN"),
    "cram_md5_only": Case(
        "starttls", "tls", None,
        server={"auth_exclude_mechanism": ["PLAIN", "LOGIN"]},
        handler=lambda: CramMd5Handler(users={USER: PASSWORD}), mechanism="CRAM-MD5"),
    "no_auth_offered": Case("starttls", "tls", ErrorCode.AUTH_UNSUPPORTED, users=None, server={
        "auth_exclude_mechanism": ["PLAIN", "LOGIN", "ATTEMPTS"]}),
    "wrong_password": Case("starttls", "tls", ErrorCode.AUTH_FAILED, password="wrong-pw-1"),
    "starttls_stripped": Case(
        "starttls", "tls", ErrorCode.STARTTLS_UNSUPPORTED,
        server={"require_starttls": False},
        handler=lambda: RecordingHandler(strip_starttls=True)),
    "smtps_port_with_tls": Case("ssl", "tls", ErrorCode.TLS_WRONG_MODE),
    "starttls_port_with_ssl": Case("starttls", "ssl", ErrorCode.TLS_WRONG_MODE),
    "untrusted": Case("starttls", "tls", ErrorCode.TLS_UNTRUSTED, import_ca=False),
    "wrong_name": Case("ssl", "ssl", ErrorCode.TLS_HOSTNAME_MISMATCH, certificate="wrong_name"),
    "expired": Case("starttls", "tls", ErrorCode.TLS_EXPIRED, certificate="expired"),
    "pinned_certificate_changed": Case("ssl", "ssl", ErrorCode.TLS_PIN_MISMATCH,
                                       pin_other=True),
    "530_before_auth": Case("starttls", "tls", ErrorCode.AUTH_FAILED, password=None,
                            server={"auth_required": True}),
    "550_recipient": Case("starttls", "tls", ErrorCode.RECIPIENT_REJECTED,
                          handler=lambda: RecordingHandler(
                              rcpt_replies={RCPT: "550 5.1.1 No such user here"})),
}


def _certificate(case: Case, ca: trustme.CA, good: ServerCertificate) -> ServerCertificate:
    if case.certificate == "wrong_name":
        return issue_certificate(ca, "other.bimail.test")
    if case.certificate == "expired":
        return expired_certificate(ca, "localhost", "127.0.0.1")
    if case.certificate == "untrusted":
        return issue_certificate(trustme.CA(), "localhost", "127.0.0.1")
    return good


@pytest.mark.parametrize("name", list(CASES))
def test_diagnosis_and_test_mail_agree(name: str, mailbox: Mailbox, smtp_ca: trustme.CA,
                                       smtp_ca_pem: str, smtp_cert: ServerCertificate) -> None:
    case = CASES[name]
    handler = case.handler() if case.handler is not None else RecordingHandler()
    options = dict(case.server)
    if case.users is not None:
        options["users"] = case.users
    server = SmtpTestServer(
        case.mode, handler=handler,
        certificate=_certificate(case, smtp_ca, smtp_cert) if case.mode != "plain" else None,
        **options,
    )
    with server:
        if case.import_ca:
            mailbox.trust_import_ca(smtp_ca_pem.encode("ascii"))
        if case.pin_other:
            other = issue_certificate(smtp_ca, "localhost", "127.0.0.1")
            mailbox.trust_pin(server.host, server.port, other.der)
        mailbox.add_sender(
            {"server": server.host, "port": server.port, "encryption": case.encryption,
             "address": USER, "username": USER if case.password else "", "rate_limit": 0},
            password=case.password,
        )
        report = mailbox.diagnose(sender=USER, to=RCPT, timeout=T)
        failed = report.failed_step
        diagnosis = failed.error.code if failed is not None and failed.error else None
        progress: list[str] = []
        try:
            mailbox.send_test_mail(RCPT, sender=USER, timeout=T, progress=progress.append)
            sent: ErrorCode | None = None
        except BimailError as error:
            sent = error.code
        assert (diagnosis, sent) == (case.expected, case.expected), (
            [(s.name, s.status.value, s.detail) for s in report.steps])
        if case.expected is None:
            # the diagnosis sent nothing; the test mail arrived, logged in as the diagnosis did
            assert len(server.messages) == 1 and server.messages[0].rcpt_tos == [RCPT]
            logins = [a for a in server.handler.auth_attempts if a[2]]
            assert [a[0] for a in logins] == [case.mechanism, case.mechanism]
            assert f"will use {case.mechanism}" in report.step("auth_methods").detail  # type: ignore[union-attr]
            # the progress line followed the real conversation, in both languages
            assert progress == [
                f"Connecting to {server.host}:{server.port}…",
                "Waiting for the server's greeting…", "Asking what the server offers (EHLO)…",
                "Encrypting the connection…", "Asking what the server offers (EHLO)…",
                "Logging in…", "Sending to 1 recipient(s)…", "Transferring the message…",
                "Done."]
            assert progress[5].text("zh_CN") == "正在登录…"  # type: ignore[attr-defined]
        else:
            assert server.messages == []
