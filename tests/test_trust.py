"""Trusted certificates: CA import (PEM/DER), pins, list, remove — API and CLI — and that the
transport actually trusts what was imported."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from smtp_servers import ca_der, make_ca, self_signed_certificate

from bimail_desktop.domain.errors import BimailError, ErrorCode
from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail.tls import pin_key
from bimail_desktop.mail.transport import ServerConfig, SmtpSession


def _send(mailbox, server, encryption: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@bi.example", "b@example.com", "hi"
    msg.set_content("x")
    cfg = ServerConfig(
        "127.0.0.1", server.port, Encryption(encryption), timeout=5, ehlo_name="client.test"
    )
    with SmtpSession(cfg, mailbox.trust_config()) as session:
        session.connect()
        session.send(msg, "a@bi.example", ["b@example.com"])


def test_import_ca_pem_makes_the_server_trusted(mailbox, smtp_server_factory, smtp_ca_pem):
    server = smtp_server_factory("starttls")
    with pytest.raises(BimailError) as info:
        _send(mailbox, server, "tls")
    assert info.value.code == ErrorCode.TLS_UNTRUSTED

    cert = mailbox.trust_import_ca(smtp_ca_pem.encode())
    assert cert.kind == "ca" and cert.host == "" and "bimail test CA" in cert.subject
    assert len(cert.sha256) == 64
    _send(mailbox, server, "tls")
    assert len(server.messages) == 1
    assert mailbox.trust_config().cas == (cert.pem,)


def test_removing_the_ca_makes_the_server_untrusted_again(
    mailbox, smtp_server_factory, smtp_ca_pem
):
    server = smtp_server_factory("starttls")
    cert = mailbox.trust_import_ca(smtp_ca_pem.encode())
    _send(mailbox, server, "tls")
    mailbox.trust_remove(cert.sha256)
    with pytest.raises(BimailError) as info:
        _send(mailbox, server, "tls")
    assert info.value.code == ErrorCode.TLS_UNTRUSTED
    assert len(server.messages) == 1


def test_import_ca_der_and_duplicates(mailbox):
    ca = make_ca()
    first = mailbox.trust_import_ca(ca_der(ca))
    again = mailbox.trust_import_ca(ca.cert_pem.bytes())
    assert first.sha256 == again.sha256
    assert [c.sha256 for c in mailbox.trusted_certificates()] == [first.sha256]


def test_pem_bundle_imports_every_certificate(mailbox):
    a, b = make_ca(), make_ca()
    mailbox.trust_import_ca(b"comment line\n" + a.cert_pem.bytes() + b.cert_pem.bytes())
    assert len(mailbox.trusted_certificates()) == 2


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a certificate at all",
        b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
        b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
        b"\x30\x82\x01\x00garbage",
    ],
)
def test_invalid_certificate_is_invalid_input(mailbox, data):
    with pytest.raises(BimailError) as info:
        mailbox.trust_import_ca(data)
    assert info.value.code == ErrorCode.INVALID_INPUT and info.value.field == "pem"
    assert mailbox.trusted_certificates() == []


def test_pin_self_signed_server(mailbox, smtp_server_factory):
    cert = self_signed_certificate("localhost", "127.0.0.1")
    server = smtp_server_factory("ssl", certificate=cert)
    info = mailbox.fetch_certificate("127.0.0.1", server.port, "ssl")
    assert info.sha256 == cert.sha256 and info.self_signed
    pinned = mailbox.trust_pin("127.0.0.1", server.port, cert.der)
    assert pinned.kind == "pin" and pinned.host == f"127.0.0.1:{server.port}"
    assert mailbox.trust_config().pins == {
        pin_key("127.0.0.1", server.port): frozenset({cert.sha256})
    }
    _send(mailbox, server, "ssl")
    assert len(server.messages) == 1


def test_fetch_certificate_errors_are_catalogue_codes(mailbox, smtp_server_factory):
    server = smtp_server_factory("starttls")
    assert mailbox.fetch_certificate("127.0.0.1", server.port, "tls").sha256
    with pytest.raises(BimailError) as info:
        mailbox.fetch_certificate("127.0.0.1", server.port, "none")
    assert info.value.code == ErrorCode.INVALID_INPUT
    plain = smtp_server_factory("plain")
    with pytest.raises(BimailError) as info:
        mailbox.fetch_certificate("127.0.0.1", plain.port, "tls")
    assert info.value.code == ErrorCode.STARTTLS_UNSUPPORTED


def test_remove(mailbox):
    ca = make_ca()
    cert = mailbox.trust_import_ca(ca_der(ca))
    pretty = ":".join(cert.sha256[i : i + 2] for i in range(0, 64, 2)).upper()
    assert mailbox.trust_remove(pretty) == 1
    assert mailbox.trusted_certificates() == []
    with pytest.raises(BimailError) as info:
        mailbox.trust_remove(cert.sha256)
    assert info.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(BimailError) as info:
        mailbox.trust_remove("abc")
    assert info.value.code == ErrorCode.INVALID_INPUT


# ------------------------------------------------------------------ CLI


def test_cli_add_list_remove(cli, tmp_path, smtp_ca_pem):
    pem = tmp_path / "company-ca.pem"
    pem.write_text(smtp_ca_pem)
    added = cli("--json", "trust", "add", "--pem", str(pem))
    assert added.returncode == 0, added.stderr
    sha = added.json()["sha256"]

    listed = cli("--json", "trust", "list")
    assert listed.returncode == 0
    [entry] = listed.json()
    assert entry["sha256"] == sha and entry["kind"] == "ca" and entry["host"] == ""
    assert {"subject", "added_at"} <= set(entry)
    assert sha in cli("trust", "list").stdout

    assert cli("trust", "remove", sha).returncode == 0
    gone = cli("trust", "remove", sha)
    assert gone.returncode == 2 and "not_found" in gone.stderr


def test_cli_add_invalid_file(cli, tmp_path):
    bad = tmp_path / "key.pem"
    bad.write_text("hello")
    result = cli("--json", "trust", "add", "--pem", str(bad))
    assert result.returncode == 2
    assert result.json()["error"]["code"] == "invalid_input"
    missing = cli("trust", "add", "--pem", str(tmp_path / "missing.pem"))
    assert missing.returncode == 2 and "invalid_input" in missing.stderr


def test_cli_pin(cli, smtp_server_factory):
    cert = self_signed_certificate("localhost", "127.0.0.1")
    server = smtp_server_factory("starttls", certificate=cert)
    args = (
        "trust",
        "pin",
        "--server",
        "127.0.0.1",
        "--port",
        str(server.port),
        "--encryption",
        "tls",
    )
    refused = cli(*args)  # no terminal, no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert cli("--json", "trust", "list").json() == []

    pinned = cli("--json", *args, "--yes")
    assert pinned.returncode == 0, pinned.stderr
    data = pinned.json()
    assert data["sha256"] == cert.sha256 and data["kind"] == "pin"
    assert data["host"] == f"127.0.0.1:{server.port}"
    assert cli("--json", "trust", "list").json()[0]["host"] == f"127.0.0.1:{server.port}"


def test_cli_pin_shows_the_certificate_in_chinese(cli, smtp_server_factory):
    """The details shown before pinning read in the chosen language; the certificate's own
    names and fingerprint as they are."""
    cert = self_signed_certificate("localhost", "127.0.0.1")
    server = smtp_server_factory("starttls", certificate=cert)
    result = cli("--lang", "zh_CN", "trust", "pin", "--server", "127.0.0.1",
                 "--port", str(server.port), "--encryption", "tls", "--yes")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for label in ("服务器：", "主题：", "颁发者：", "名称：", "有效期："):
        assert any(line.startswith(label) for line in lines), (label, result.stdout)
    assert "（自签名）" in result.stdout
    assert cert.sha256.lower() in result.stdout.replace(":", "").lower()
    assert not any(line.startswith(("Server:", "Subject:", "Issuer:")) for line in lines)
