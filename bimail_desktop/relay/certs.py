"""The relay's own TLS certificate, for STARTTLS when the admin gives none.

Generated once (an ECDSA P-256 key, self-signed, five years) into the data folder and reused,
so that the fingerprint the admin gives the clients stays the same across restarts.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import ipaddress
import os
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from ..config import data_home, ensure_private_dir
from ..domain.errors import InvalidInput
from ..domain.texts import Msg


@dataclass(frozen=True)
class RelayCertificate:
    cert_file: Path
    key_file: Path
    sha256: str  # hex, upper case, colon separated
    generated: bool

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            context.load_cert_chain(str(self.cert_file), str(self.key_file))
        except (OSError, ssl.SSLError) as error:
            raise InvalidInput("tls_cert", Msg("relay.bad_cert_pair", cert_file=self.cert_file,
                                               key_file=self.key_file, error=error)) from None
        return context


def fingerprint(cert_file: Path) -> str:
    try:
        pem = cert_file.read_text(encoding="ascii")
        der = ssl.PEM_cert_to_DER_cert(pem)
    except (OSError, ValueError, UnicodeError) as error:
        raise InvalidInput(
            "tls_cert", Msg("relay.bad_cert", cert_file=cert_file, error=error)) from None
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def given_certificate(cert_file: str | Path, key_file: str | Path) -> RelayCertificate:
    cert, key = Path(cert_file).expanduser(), Path(key_file).expanduser()
    for path, name in ((cert, "tls_cert"), (key, "tls_key")):
        if not path.is_file():
            raise InvalidInput(name, Msg("relay.pem_missing", path=path))
    certificate = RelayCertificate(cert, key, fingerprint(cert), False)
    certificate.server_context()  # refuses a pair that does not fit now, not at STARTTLS
    return certificate


def own_certificate(folder: Path | None = None, host: str = "") -> RelayCertificate:
    """The relay's generated certificate (made on first use)."""
    where = ensure_private_dir(folder or data_home() / "relay")
    cert, key = where / "relay-cert.pem", where / "relay-key.pem"
    generated = False
    if not (cert.is_file() and key.is_file()):
        _generate(cert, key, host)
        generated = True
    return RelayCertificate(cert, key, fingerprint(cert), generated)


def _generate(cert_file: Path, key_file: Path, host: str) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    name = socket.gethostname() or "localhost"
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "bimail relay")])
    alt: list[x509.GeneralName] = [x509.DNSName(name), x509.DNSName("localhost"),
                                   x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    try:
        address = ipaddress.ip_address(host)
        if not address.is_unspecified and not address.is_loopback:
            alt.append(x509.IPAddress(address))
    except ValueError:
        if host and host != name:
            alt.append(x509.DNSName(host))
    now = _dt.datetime.now(_dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(minutes=5))
        .not_valid_after(now + _dt.timedelta(days=5 * 365))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    old = os.umask(0o077)
    try:
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    finally:
        os.umask(old)
