"""TLS for the SMTP client: verifying contexts, certificate details, pins, and fetching a
server's certificate to show it (or pin it).

Trust = the system's trust (the OS verifier through ``truststore`` on Windows and macOS;
on Linux the system CA bundle, loaded once per context) plus the CAs the admin imported
into the program (``load_verify_locations(cadata=...)`` on the same context; truststore
hands these to the platform verifier on Windows and macOS too). Host names are checked,
TLS 1.2 is the minimum. The verifying context is built once per process and set of
imported CAs (:func:`shared_client_context`) and reused by every connection.

A server with a pinned certificate (keyed by "host:port") is connected with a context that
does not verify; the transport compares SHA-256 of the DER with the pins before EHLO/AUTH.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import os
import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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
    """A new verifying client context: system trust + imported CAs, host names checked,
    TLS >= 1.2. Connections use :func:`shared_client_context` (built once) instead.

    System trust: on macOS and Windows the operating system's verifier (through
    ``truststore``), which also consults the system's revocation and policy settings; on
    Linux OpenSSL verifies against the system CA bundle, loaded once into the context here
    (truststore would reload it at every handshake: most of the CPU of a test mail)."""
    trust = trust or TrustConfig()
    ctx: ssl.SSLContext
    if _HAVE_TRUSTSTORE and sys.platform in ("darwin", "win32"):
        ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        load_system_cas(ctx)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    if trust.cas:
        ctx.load_verify_locations(cadata="\n".join(trust.cas))
    return ctx


# where Linux distributions keep the system CA bundle, when OpenSSL's defaults are empty
_CA_FILE_CANDIDATES = (
    "/etc/ssl/cert.pem",  # Alpine, Arch, Fedora, OpenWRT, RHEL 9-10, BSD
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # Fedora 44+, RHEL 11+
    "/etc/pki/tls/cert.pem",  # older Fedora, RHEL, CentOS
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu
    "/etc/ssl/ca-bundle.pem",  # SUSE
)


def load_system_cas(ctx: ssl.SSLContext) -> None:
    """The system's CAs into ``ctx``, chosen the way truststore chooses them on Linux:
    OpenSSL's default file / directory (``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` when set)
    when they hold certificates, else the first bundle of the usual distribution paths."""
    defaults = ssl.get_default_verify_paths()
    if defaults.cafile or (defaults.capath and _holds_hashed_certs(defaults.capath)):
        ctx.set_default_verify_paths()
        return
    for cafile in _CA_FILE_CANDIDATES:
        if os.path.isfile(cafile):
            ctx.load_verify_locations(cafile=cafile)
            return


def _holds_hashed_certs(capath: str) -> bool:
    import re

    if not os.path.isdir(capath):
        return False
    pattern = re.compile(r"^[0-9a-fA-F]{8}\.[0-9]$")
    return any(pattern.match(name) for name in os.listdir(capath))


def shared_client_context(cas: tuple[str, ...] = ()) -> ssl.SSLContext:
    """The verifying context for the imported CAs ``cas``, built once per process and
    shared by every connection (building one and loading the system CAs costs more than a
    local TLS handshake). Importing or removing a CA gives a new one; so does changing
    ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``. Only wrapped, never changed: an SSLContext may be
    used by several threads at once."""
    return _context_for(cas, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=8)
def _context_for(cas: tuple[str, ...], _cert_file: str | None,
                 _cert_dir: str | None) -> ssl.SSLContext:
    return client_context(TrustConfig(cas=cas))


@functools.lru_cache(maxsize=1)
def unverified_context() -> ssl.SSLContext:
    """For pinned servers (the pin check replaces verification) and for fetching a
    certificate to show it. Never used to send without a pin check. Built once, shared."""
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
