"""Plain data the layers hand each other: senders, templates, records, trusted certificates.

These are frozen dataclasses, never live ORM objects, so that the GUI thread can hold them
safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from .errors import BimailError


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


class AuthMethod(StrEnum):
    """How a sender logs in: its password, or an OAuth2 sign-in (XOAUTH2). Stored and shown
    in JSON as the value (``oauth2_microsoft``); the CLI also takes the dashed spelling
    (``oauth2-microsoft``), see :meth:`parse`."""

    PASSWORD = "password"
    OAUTH2_MICROSOFT = "oauth2_microsoft"
    OAUTH2_GOOGLE = "oauth2_google"
    OAUTH2_CUSTOM = "oauth2_custom"

    @property
    def is_oauth(self) -> bool:
        return self is not AuthMethod.PASSWORD

    @property
    def cli_name(self) -> str:
        """The spelling of the CLI's ``--auth`` option: ``oauth2-microsoft``."""
        return self.value.replace("_", "-")

    @classmethod
    def parse(cls, value: object) -> AuthMethod | None:
        """The method ``value`` names in either spelling (empty: password); None if none."""
        text = str(value or cls.PASSWORD.value).strip().lower().replace("-", "_")
        try:
            return cls(text)
        except ValueError:
            return None


# every method, in the order the forms offer them
AUTH_METHODS = tuple(AuthMethod)

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
    auth_method: AuthMethod = AuthMethod.PASSWORD

    @property
    def login(self) -> str:
        return self.username or self.address


# the settings of a sender, in the order of the form: written once, here
SENDER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(SenderSettings))


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
    auth_method: AuthMethod = AuthMethod.PASSWORD
    is_default: bool = False
    has_password: bool = False
    # counts the changes made to this sender; an edit that names the version it started
    # from is refused if someone changed the sender meanwhile
    version: int = 1
    # a password was entered for this sender (on this machine or another one sharing the
    # store); ``has_password`` says whether this machine's keychain holds it
    password_stored: bool = False

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
            "auth_method": self.auth_method.value,
            "is_default": self.is_default,
            "has_password": self.has_password,
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class SenderRemoval:
    """What removing a sender did. ``keychain_left``: the keychain entries of its password
    and OAuth2 sign-in that could not be deleted (the keychain was unusable); they are
    deleted the next time the program starts (``retry_on_start``) or by the user."""

    sender: Sender
    keychain_left: tuple[str, ...] = ()
    keychain_problem: str = ""
    retry_on_start: bool = False

    @property
    def keychain_cleaned(self) -> bool:
        return not self.keychain_left

    def keychain_advice(self, lang: str = "en") -> str:
        """What to tell the user when entries were left: why, whether the program deletes
        them at its next start, and how to delete them by hand ("" when none were left)."""
        if not self.keychain_left:
            return ""
        from .texts import Msg

        when = (Msg("senders.keychain_retry") if self.retry_on_start
                else Msg("senders.keychain_no_retry"))
        return Msg("senders.keychain_left", address=self.sender.address,
                   reason=self.keychain_problem, entries=", ".join(self.keychain_left),
                   first=self.keychain_left[0], when=when).render(lang)


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


# A rate_limited record stands for every refusal of one sender, recipient and template within
# a minute; its error message ends with the count (one refusal: no count).
_REFUSALS = re.compile(r" \(refused (\d+) times within a minute\)$")


def with_refusals(message: str, count: int) -> str:
    """The error message of a ``rate_limited`` record that stands for ``count`` refusals."""
    return message if count <= 1 else f"{message} (refused {count} times within a minute)"


def refusal_count(error_message: str | None) -> int:
    """How many refusals a ``rate_limited`` record stands for (1 unless coalesced)."""
    found = _REFUSALS.search(error_message or "")
    return int(found.group(1)) if found else 1


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

    @property
    def refusals(self) -> int:
        """For a ``rate_limited`` record: how many refused sends it stands for."""
        return refusal_count(self.error_message) if self.error_code == "rate_limited" else 0


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


# -- the results of a send -------------------------------------------------------------
@dataclass(frozen=True)
class RecipientOutcome:
    """What happened to one recipient of a send, and its record."""

    recipient: str
    success: bool
    error: BimailError | None
    record_id: int

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "recipient": self.recipient,
            "result": SendResult.SUCCESS.value if self.success else SendResult.FAILURE.value,
            "record_id": self.record_id,
            "error": None if self.error is None else _error_dict(self.error, lang),
        }


@dataclass(frozen=True)
class SendOutcome:
    """One message to one or more recipients over one connection."""

    message_id: str
    sender: str
    template: str
    ip: str
    duration_ms: int
    recipients: tuple[RecipientOutcome, ...]
    resources: tuple[str, ...] = field(default=())
    server_reply: str = ""  # the server's reply to DATA

    @property
    def ok(self) -> bool:
        """Every recipient got the mail."""
        return all(r.success for r in self.recipients)

    @property
    def failed(self) -> tuple[RecipientOutcome, ...]:
        return tuple(r for r in self.recipients if not r.success)

    @property
    def succeeded(self) -> tuple[RecipientOutcome, ...]:
        return tuple(r for r in self.recipients if r.success)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "ok": self.ok,
            "message_id": self.message_id,
            "sender": self.sender,
            "template": self.template,
            "ip": self.ip,
            "duration_ms": self.duration_ms,
            "resources": list(self.resources),
            "server_reply": self.server_reply,
            "recipients": [r.to_dict(lang) for r in self.recipients],
        }


def _error_dict(error: BimailError, lang: str) -> dict[str, Any]:
    data = error.to_dict(lang)
    return {key: data[key] for key in ("code", "message", "fix", "server_reply", "field")
            if key in data} | {k: v for k, v in error.extra.items() if k == "retry_after_s"}


class SendFailed(BimailError):
    """No recipient got the mail. ``code`` is that of the first failure; ``outcome`` holds
    every recipient's result and record."""

    def __init__(self, outcome: SendOutcome, error: BimailError) -> None:
        self.outcome = outcome
        self.cause = error
        super().__init__(
            error.code,
            error.problem,  # a catalogue message stays one: shown in the user's language
            field=error.field,
            server_reply=error.server_reply,
            extra=error.extra,
            fix=error.fix_msg,
        )

    def detail_text(self, lang: str = "en") -> str:
        """The first failure's own words (an invalid_input keeps its field's name)."""
        return self.cause.detail_text(lang)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        data = super().to_dict(lang)
        data["message_id"] = self.outcome.message_id
        data["recipients"] = [r.to_dict(lang) for r in self.outcome.recipients]
        return data


@dataclass(frozen=True)
class LastCheck:
    """The last test mail or diagnosis of a sender. ``kind``: ``test_mail`` or
    ``diagnosis``; ``result``: ``success`` or ``failure``."""

    address: str
    at: datetime  # aware, UTC
    kind: str
    result: str
    error_code: str | None = None

    @property
    def ok(self) -> bool:
        return self.result == "success"

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(timespec="seconds"), "kind": self.kind,
                "result": self.result, "error_code": self.error_code}

    @classmethod
    def from_json(cls, value: str) -> LastCheck | None:
        """The check as the store keeps it (JSON); None when unreadable."""
        import json

        try:
            data = json.loads(value)
            return cls(str(data["address"]), datetime.fromisoformat(data["at"]),
                       str(data["kind"]), str(data["result"]), data.get("error_code"))
        except (ValueError, KeyError, TypeError):
            return None
