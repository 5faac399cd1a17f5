"""Plain data the layers hand each other: senders, templates, records, trusted certificates.

These are frozen dataclasses, never live ORM objects, so that the GUI thread can hold them
safely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Encryption(StrEnum):
    """How the connection to the mail server is protected (S4)."""

    SSL = "ssl"  # implicit TLS from the first byte (SMTPS, usually port 465)
    TLS = "tls"  # STARTTLS, required (recommended)
    NONE = "none"  # Do Not Encrypt: trusted internal servers only

    @property
    def label(self) -> str:
        return {"ssl": "SSL", "tls": "TLS", "none": "Do Not Encrypt"}[self.value]

    def label_in(self, lang: str = "en") -> str:
        """The name users read, in ``lang`` ("Do Not Encrypt" / "不加密")."""
        from .texts import Msg

        return {"ssl": Msg("encryption.ssl"), "tls": Msg("encryption.tls"),
                "none": Msg("encryption.none")}[self.value].render(lang)


# how a sender logs in: its password, or an OAuth2 sign-in (XOAUTH2)
AUTH_METHODS = ("password", "oauth2_microsoft", "oauth2_google", "oauth2_custom")

DEFAULT_PORT = 25
DEFAULT_ENCRYPTION = Encryption.TLS
DEFAULT_RATE_LIMIT = 10  # messages per rolling minute, per sender (T3)
TEST_MAIL_TEMPLATE = "Test Mail"
TEST_MAIL_SUBJECT = "Test Mail"
TEST_MAIL_TEXT = "Congratulation! Your mail server is configured successfully."


@dataclass(frozen=True, slots=True)
class SenderSettings:
    """What the admin types into the "Add sender" form (validated)."""

    server: str
    address: str
    port: int = DEFAULT_PORT
    encryption: Encryption = DEFAULT_ENCRYPTION
    username: str = ""  # empty: log in with the address
    show_name: str = ""
    rate_limit: int = DEFAULT_RATE_LIMIT
    auth_method: str = "password"  # "password" | the OAuth2 kinds (oauth2_microsoft, …)

    @property
    def login(self) -> str:
        return self.username or self.address


@dataclass(frozen=True, slots=True)
class Sender:
    """A stored sender account. The password is never part of it."""

    id: str
    server: str
    port: int
    encryption: Encryption
    address: str
    username: str
    show_name: str
    rate_limit: int
    created_at: datetime
    updated_at: datetime
    auth_method: str = "password"
    is_default: bool = False
    has_password: bool = False

    @property
    def login(self) -> str:
        return self.username or self.address

    @property
    def settings(self) -> SenderSettings:
        return SenderSettings(
            server=self.server,
            address=self.address,
            port=self.port,
            encryption=self.encryption,
            username=self.username,
            show_name=self.show_name,
            rate_limit=self.rate_limit,
            auth_method=self.auth_method,
        )

    def to_public_dict(self) -> dict[str, object]:
        """The fields shown by `senders list --json`: no secret, ever."""
        return {
            "id": self.id,
            "address": self.address,
            "server": self.server,
            "port": self.port,
            "encryption": self.encryption.value,
            "username": self.username,
            "show_name": self.show_name,
            "rate_limit": self.rate_limit,
            "auth_method": self.auth_method,
            "is_default": self.is_default,
            "has_password": self.has_password,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    subject: str
    html: str
    builtin: bool = False


class SendResult(StrEnum):
    PENDING = "pending"
    SUCCESS = "success"
    FAILURE = "failure"


@dataclass(frozen=True, slots=True)
class SendRecord:
    """One recipient of one sent message (R1)."""

    id: int
    message_id: str
    sender: str
    ip: str
    recipient: str
    template: str
    resources: tuple[str, ...]
    sent_at: datetime  # aware, UTC
    result: SendResult
    error_code: str | None = None
    error_message: str | None = None
    server_reply: str | None = None
    duration_ms: int | None = None


@dataclass(frozen=True, slots=True)
class TrustedCertificate:
    """A CA the admin imported (host empty) or one server's pinned certificate."""

    sha256: str  # lower-case hex of the DER
    host: str  # "host:port" for a pin, "" for an imported CA
    subject: str
    pem: str
    added_at: datetime
    kind: str = "ca"  # "ca" | "pin"


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """The records view's filter bar (R2). Text filters match substrings, case-insensitively."""

    sender: str = ""
    recipient: str = ""
    template: str = ""
    since: datetime | None = None  # aware; inclusive
    until: datetime | None = None  # aware; exclusive bound (end of the "until" day)
    result: SendResult | None = None
