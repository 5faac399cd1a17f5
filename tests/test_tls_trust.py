"""Certificate trust decisions of the one SMTP client, case by case, with the verifying
context built once per process and set of imported CAs (and reused by every connection)."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme
from smtp_servers import (
    ServerCertificate,
    SmtpTestServer,
    ca_pem,
    expired_certificate,
    issue_certificate,
    self_signed_certificate,
)

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail.tls import TrustConfig, pin_key, shared_client_context
from bimail_desktop.mail.transport import ServerConfig, SmtpSession


def connect(server: SmtpTestServer, trust: TrustConfig) -> ErrorCode | None:
    """Connect (STARTTLS, required) and say the client's decision: None = trusted."""
    config = ServerConfig(server.host, server.port, Encryption.TLS, timeout=5)
    try:
        with SmtpSession(config, trust) as session:
            session.connect()
            assert session.encrypted
    except BimailError as error:
        return error.code
    return None


@pytest.fixture
def serve():  # type: ignore[no-untyped-def]
    servers: list[SmtpTestServer] = []

    def start(certificate: ServerCertificate) -> SmtpTestServer:
        server = SmtpTestServer("starttls", certificate=certificate).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_system_trusted_certificate(serve, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A CA of the system store (here: SSL_CERT_FILE, as OpenSSL reads it) is trusted
    without importing anything; without it the same server is untrusted."""
    system_ca = trustme.CA(organization_name="system store CA")
    server = serve(issue_certificate(system_ca, "localhost", "127.0.0.1"))
    empty = tmp_path / "empty.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "none"))
    assert connect(server, TrustConfig()) is ErrorCode.TLS_UNTRUSTED
    bundle = tmp_path / "system-bundle.pem"
    bundle.write_text(ca_pem(system_ca))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    assert connect(server, TrustConfig()) is None


def test_imported_ca(serve, smtp_ca: trustme.CA, smtp_ca_pem: str) -> None:  # type: ignore[no-untyped-def]
    server = serve(issue_certificate(smtp_ca, "localhost", "127.0.0.1"))
    assert connect(server, TrustConfig(cas=(smtp_ca_pem,))) is None
    assert connect(server, TrustConfig()) is ErrorCode.TLS_UNTRUSTED


def test_pinned_certificate(serve) -> None:  # type: ignore[no-untyped-def]
    certificate = self_signed_certificate("localhost", "127.0.0.1")
    server = serve(certificate)
    key = pin_key(server.host, server.port)
    assert connect(server, TrustConfig(pins={key: frozenset({certificate.sha256})})) is None
    other = self_signed_certificate("localhost", "127.0.0.1")
    assert connect(server, TrustConfig(pins={key: frozenset({other.sha256})})) \
        is ErrorCode.TLS_PIN_MISMATCH


def test_untrusted_certificate(serve, smtp_ca_pem: str) -> None:  # type: ignore[no-untyped-def]
    server = serve(issue_certificate(trustme.CA(), "localhost", "127.0.0.1"))
    assert connect(server, TrustConfig(cas=(smtp_ca_pem,))) is ErrorCode.TLS_UNTRUSTED


def test_wrong_name(serve, smtp_ca: trustme.CA, smtp_ca_pem: str) -> None:  # type: ignore[no-untyped-def]
    server = serve(issue_certificate(smtp_ca, "other.bimail.test"))
    assert connect(server, TrustConfig(cas=(smtp_ca_pem,))) is ErrorCode.TLS_HOSTNAME_MISMATCH


def test_expired(serve, smtp_ca: trustme.CA, smtp_ca_pem: str) -> None:  # type: ignore[no-untyped-def]
    server = serve(expired_certificate(smtp_ca, "localhost", "127.0.0.1"))
    assert connect(server, TrustConfig(cas=(smtp_ca_pem,))) is ErrorCode.TLS_EXPIRED


def test_the_verifying_context_is_built_once_per_set_of_cas(smtp_ca_pem: str) -> None:
    first = shared_client_context((smtp_ca_pem,))
    assert shared_client_context((smtp_ca_pem,)) is first
    other = shared_client_context((ca_pem(trustme.CA()),))
    assert other is not first
    assert shared_client_context(()) is shared_client_context(())
    # loaded once: the imported CA is in the context's store, not added per handshake
    assert len(first.get_ca_certs()) == len(shared_client_context(()).get_ca_certs()) + 1
