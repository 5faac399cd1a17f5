"""Certificates the admin trusts in the program: imported CAs (a company's private CA) and
pins of one server's certificate by SHA-256, keyed by "host:port" (like a browser's or
Thunderbird's exception). Both add to the OS trust store, never replace it."""

from __future__ import annotations

import logging
import re
import ssl
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain.clock import aware, now_naive
from ..domain.errors import BimailError, ErrorCode, InvalidInput
from ..domain.models import Encryption, TrustedCertificate
from ..domain.texts import Msg
from ..domain.validation import validate_encryption, validate_host, validate_port
from ..store import Store
from ..store.schema import TrustedCertificateRow

# mail.tls (ssl, truststore, smtplib) is imported where a certificate is handled, so that
# opening the mailbox for other work does not load it
if TYPE_CHECKING:
    from ..mail.tls import CertificateInfo, TrustConfig

log = logging.getLogger(__name__)

KIND_CA = "ca"
KIND_PIN = "pin"
FETCH_TIMEOUT = 15.0
# a certificate file (PEM or DER, perhaps a chain) read whole: far more than any real one
MAX_CERTIFICATE_FILE = 1024 * 1024

_PEM_BLOCK = re.compile(
    rb"-----BEGIN CERTIFICATE-----\s*(.+?)\s*-----END CERTIFICATE-----", re.DOTALL
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TRUST_COLUMNS = select(
    TrustedCertificateRow.kind, TrustedCertificateRow.host, TrustedCertificateRow.sha256,
    TrustedCertificateRow.pem,
).order_by(TrustedCertificateRow.added_at, TrustedCertificateRow.id)


def parse_certificates(data: bytes, field: str = "pem") -> list[bytes]:
    """DER of every certificate in ``data`` (PEM, possibly several, or one DER).

    Anything else -> ``invalid_input`` naming ``field``."""
    if not data or not data.strip():
        raise InvalidInput(field, Msg("trust.file_empty"))
    ders: list[bytes] = []
    if b"-----BEGIN" in data:
        for match in _PEM_BLOCK.finditer(data):
            block = (
                b"-----BEGIN CERTIFICATE-----\n" + match.group(1) + b"\n-----END CERTIFICATE-----\n"
            )
            try:
                ders.append(ssl.PEM_cert_to_DER_cert(block.decode("ascii")))
            except (ValueError, UnicodeDecodeError):
                raise InvalidInput(
                    field, Msg("trust.pem_damaged")
                ) from None
        if not ders:
            raise InvalidInput(
                field,
                Msg("trust.no_certificate"),
            )
    else:
        ders.append(bytes(data))
    from ..mail.tls import certificate_info

    for der in ders:
        try:
            certificate_info(der)
        except ValueError:
            raise InvalidInput(
                field, Msg("trust.not_certificate")
            ) from None
    return ders


def require_ca_certificate(der: bytes, field: str = "pem") -> None:
    """Refuse a certificate that cannot vouch for others: a CA entry must be a CA
    certificate (basic constraints CA:TRUE, or an old self-signed root without them)."""
    from cryptography import x509

    try:
        cert = x509.load_der_x509_certificate(der)
        try:
            is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            is_ca = cert.issuer == cert.subject
    except ValueError:
        raise InvalidInput(field, Msg("trust.not_certificate")) from None
    if not is_ca:
        raise InvalidInput(field, Msg("trust.not_ca"))


def normalise_sha256(value: str, field: str = "sha256") -> str:
    """Lower-case hex without colons or spaces; invalid -> invalid_input."""
    text = re.sub(r"[\s:]", "", (value or "")).lower()
    if text.startswith("sha256="):
        text = text[len("sha256=") :]
    if not _SHA256.match(text):
        raise InvalidInput(
            field, Msg("trust.bad_fingerprint")
        )
    return text


class Trust:
    """Use cases on trusted certificates, and the trust configuration every TLS
    connection of the program uses (sending, diagnosis, OAuth2 sign-in)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def _to_trusted(row: TrustedCertificateRow) -> TrustedCertificate:
        return TrustedCertificate(
            sha256=row.sha256,
            host=row.host,
            subject=row.subject,
            pem=row.pem,
            added_at=aware(row.added_at),
            kind=row.kind,
        )

    def _store_certificate(self, der: bytes, kind: str, host: str) -> TrustedCertificate:
        with self.store.write() as session:
            return self.store_certificate_in(session, der, kind, host)

    def store_certificate_in(self, session: Session, der: bytes, kind: str,
                             host: str) -> TrustedCertificate:
        """Trust the certificate ``der`` (already parsed by :func:`parse_certificates`) in
        the caller's transaction; subject and fingerprint come from the certificate."""
        from ..mail.tls import certificate_info

        info = certificate_info(der)
        row = session.scalar(
            select(TrustedCertificateRow).where(
                TrustedCertificateRow.sha256 == info.sha256,
                TrustedCertificateRow.host == host,
            )
        )
        if row is None:
            row = TrustedCertificateRow(
                sha256=info.sha256,
                host=host,
                kind=kind,
                subject=info.subject,
                pem=info.pem,
                added_at=now_naive(),
            )
            session.add(row)
            session.flush()
            log.info("trusted %s %s %s", kind, host or "-", info.sha256)
        elif row.kind != kind:
            row.kind = kind
        return self._to_trusted(row)

    def trust_import_ca(self, data: bytes) -> TrustedCertificate:
        """Import a CA certificate (PEM or DER; every certificate of a PEM bundle).
        Returns the first one. Invalid data -> ``invalid_input`` (field "pem")."""
        ders = parse_certificates(data, "pem")
        stored = [self._store_certificate(der, KIND_CA, "") for der in ders]
        return stored[0]

    def trust_pin(self, host: str, port: int, der: bytes) -> TrustedCertificate:
        """Trust exactly this certificate (DER, or PEM) for host:port (pin its SHA-256)."""
        host = validate_host(host, "server")
        port = validate_port(port, "port")
        if not isinstance(der, bytes | bytearray | memoryview):
            raise InvalidInput("pem", Msg("trust.bytes_expected"))
        first = parse_certificates(bytes(der), "pem")[0]
        from ..mail.tls import pin_key

        return self._store_certificate(first, KIND_PIN, pin_key(host, port))

    def trusted_certificates(self) -> list[TrustedCertificate]:
        with self.store.read() as session:
            return self._trusted_in(session)

    def _trusted_in(self, session: Session) -> list[TrustedCertificate]:
        rows = session.scalars(
            select(TrustedCertificateRow).order_by(
                TrustedCertificateRow.added_at, TrustedCertificateRow.id
            )
        ).all()
        return [self._to_trusted(row) for row in rows]

    def trust_remove(self, sha256: str) -> int:
        """Remove every entry (CA or pin) with this fingerprint; returns how many.
        None -> ``not_found``."""
        fingerprint = normalise_sha256(sha256)
        with self.store.write() as session:
            result = session.execute(
                delete(TrustedCertificateRow).where(TrustedCertificateRow.sha256 == fingerprint)
            )
            removed = int(getattr(result, "rowcount", 0) or 0)
        if not removed:
            raise BimailError(
                ErrorCode.NOT_FOUND,
                Msg("trust.not_found", fingerprint=fingerprint),
                field="sha256",
            )
        log.info("removed trust %s (%d entries)", fingerprint, removed)
        return removed

    def trust_config(self, session: Session | None = None) -> TrustConfig:
        """What the transport needs: imported CA PEMs and pins by host:port (read in
        ``session`` when one is given, so a send reads everything in one transaction)."""
        if session is None:
            with self.store.read() as own:
                return self.trust_config(own)
        cas: list[str] = []
        pins: dict[str, set[str]] = {}
        # only the columns needed, as plain rows: this runs before every send
        for kind, host, sha256, pem in session.connection().execute(_TRUST_COLUMNS):
            if kind == KIND_PIN and host:
                pins.setdefault(host.lower(), set()).add(sha256)
            elif kind == KIND_CA:
                cas.append(pem)
        from ..mail.tls import TrustConfig

        return TrustConfig(
            cas=tuple(cas), pins={key: frozenset(value) for key, value in pins.items()}
        )

    def fetch_certificate(
        self, host: str, port: int, encryption: Encryption | str
    ) -> CertificateInfo:
        """The certificate host:port presents (not verified), to show it before pinning."""
        host = validate_host(host, "server")
        port = validate_port(port, "port")
        mode = validate_encryption(encryption, "encryption")
        from ..mail.client import fetch_certificate
        from ..mail.tls import certificate_info

        der = fetch_certificate(host, port, mode, timeout=FETCH_TIMEOUT)
        return certificate_info(der)
