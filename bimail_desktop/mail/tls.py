"""TLS for the SMTP client: verifying contexts, certificate details, pins, and fetching a
server's certificate to show it (or pin it).

Trust = the OS trust store (through ``truststore``: Windows CryptoAPI, macOS Keychain, the
OpenSSL default paths on Linux) plus the CAs the admin imported into the program
(``load_verify_locations(cadata=...)`` on the same context; truststore hands these to the
platform verifier on Windows and macOS too). Host names are checked, TLS 1.2 is the minimum.

A server with a pinned certificate (keyed by "host:port") is connected with a context that
does not verify; the transport compares SHA-256 of the DER with the pins before EHLO/AUTH.
"""

from __future__ import annotations

import hashlib
import ipaddress
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bimail_desktop.domain.errors import InvalidInput
from bimail_desktop.domain.models import Encryption
from bimail_desktop.mail import smtp_errors
from bimail_desktop.mail.smtp_errors import Stage

try:  # pragma: no branch - truststore is a runtime dependency
    import truststore

    _HAVE_TRUSTSTORE = True
except ImportError:  # pragma: no cover - only if the dependency is missing
    _HAVE_TRUSTSTORE = False


@dataclass(frozen=True)
class CertificateInfo:
    """What an admin needs to decide whether to trust a certificate."""

    subject: str
    issuer: str
    alt_names: tuple[str, ...]
    not_before: datetime
    not_after: datetime
    sha256: str  # lower-case hex of the DER, no colons
    serial: str
    pem: str
    self_signed: bool

    @property
    def fingerprint(self) -> str:
        """SHA-256 as colon-separated upper-case pairs (as browsers show it)."""
        return ":".join(self.sha256[i : i + 2] for i in range(0, len(self.sha256), 2)).upper()

    @property
    def expired(self) -> bool:
        now = datetime.now(UTC)
        return not (self.not_before <= now <= self.not_after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "alt_names": list(self.alt_names),
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "sha256": self.sha256,
            "fingerprint": self.fingerprint,
            "serial": self.serial,
            "self_signed": self.self_signed,
            "pem": self.pem,
        }


def sha256_hex(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def certificate_info(der: bytes) -> CertificateInfo:
    """Details of a DER certificate. Raises ``ValueError`` if it is not one."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    cert = x509.load_der_x509_certificate(der)
    alt_names: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        pass
    else:
        alt_names.extend(str(name) for name in san.get_values_for_type(x509.DNSName))
        alt_names.extend(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        alt_names=tuple(alt_names),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        sha256=sha256_hex(der),
        serial=format(cert.serial_number, "x"),
        pem=cert.public_bytes(Encoding.PEM).decode("ascii"),
        self_signed=cert.issuer == cert.subject,
    )


def pin_key(host: str, port: int) -> str:
    """The key of a pin: "host:port", host lower-case."""
    return f"{host.strip().lower()}:{int(port)}"


@dataclass(frozen=True)
class TrustConfig:
    """What the admin trusted in the program (on top of the OS store)."""

    cas: tuple[str, ...] = ()  # PEM text of imported CAs
    pins: Mapping[str, frozenset[str]] = field(default_factory=dict, hash=False)

    def pins_for(self, host: str, port: int) -> frozenset[str]:
        return frozenset(self.pins.get(pin_key(host, port), frozenset()))


def client_context(trust: TrustConfig | None = None) -> ssl.SSLContext:
    """A verifying client context: OS store + imported CAs, host names checked, TLS >= 1.2."""
    trust = trust or TrustConfig()
    ctx: ssl.SSLContext
    if _HAVE_TRUSTSTORE:
        ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:  # pragma: no cover - fallback: OpenSSL's default paths only
        ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    if trust.cas:
        ctx.load_verify_locations(cadata="\n".join(trust.cas))
    return ctx


def unverified_context() -> ssl.SSLContext:
    """For pinned servers (the pin check replaces verification) and for fetching a
    certificate to show it. Never used to send without a pin check."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def sni_name(host: str) -> str | None:
    """server_hostname for SNI (None for an IP address, which SNI does not carry)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host
    return None


def address_literal(ip: str) -> str:
    """An EHLO name from the local address ("[192.0.2.1]", "[IPv6:2001:db8::1]") — always
    valid, and never the slow ``socket.getfqdn()``."""
    if ":" in ip:
        return f"[IPv6:{ip}]"
    return f"[{ip}]" if ip else "[127.0.0.1]"


def fetch_server_certificate(
    host: str,
    port: int,
    encryption: Encryption | str,
    *,
    timeout: float = 10.0,
    ehlo_name: str | None = None,
) -> bytes:
    """The server's certificate (DER), without verifying it — to show it or pin it.

    ``ssl``: TLS handshake at once; ``tls``: greeting, EHLO, STARTTLS. Failures are
    :class:`BimailError` with one catalogue code."""
    encryption = Encryption(encryption)
    if encryption is Encryption.NONE:
        raise InvalidInput(
            "encryption", "Do Not Encrypt has no certificate; choose SSL or TLS to fetch it."
        )
    ctx = unverified_context()
    stage = Stage.CONNECT
    try:
        if encryption is Encryption.SSL:
            with socket.create_connection((host, port), timeout=timeout) as raw:
                stage = Stage.TLS
                with ctx.wrap_socket(raw, server_hostname=sni_name(host)) as tls_sock:
                    der = tls_sock.getpeercert(binary_form=True)
        else:
            client = smtplib.SMTP(local_hostname="localhost", timeout=timeout)
            # smtplib sets _host only in __init__; STARTTLS uses it for SNI
            client._host = host  # type: ignore[attr-defined]
            try:
                client.connect(host, port)
                stage = Stage.EHLO
                assert client.sock is not None
                client.local_hostname = ehlo_name or address_literal(client.sock.getsockname()[0])
                client.ehlo()
                if not client.has_extn("starttls"):
                    raise smtp_errors.starttls_unsupported(host, port)
                stage = Stage.TLS
                client.starttls(context=ctx)
                assert isinstance(client.sock, ssl.SSLSocket)
                der = client.sock.getpeercert(binary_form=True)
                try:
                    client.quit()
                except (OSError, smtplib.SMTPException):
                    pass
            finally:
                client.close()
    except Exception as exc:  # noqa: BLE001 - translated into one catalogue code
        if stage is Stage.CONNECT and isinstance(exc, smtplib.SMTPServerDisconnected):
            stage = Stage.GREETING
        raise smtp_errors.translate(
            exc, stage, host=host, port=port, encryption=encryption, timeout=timeout
        ) from None
    if not der:
        raise smtp_errors.translate(
            ssl.SSLError("no certificate"), Stage.TLS, host=host, port=port, encryption=encryption
        )
    return der
