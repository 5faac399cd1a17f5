"""The store's tables (SQLAlchemy 2 declarative). Passwords have no column anywhere."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


# times to the microsecond on every database (MySQL/MariaDB's DATETIME keeps whole seconds)
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


class SenderRow(Base):
    __tablename__ = "senders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    server: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer)
    encryption: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(254))
    # the address's comparison form: uniqueness and look-ups the same on every database
    address_key: Mapped[str] = mapped_column(String(254), unique=True)  # domain.address_key
    username: Mapped[str] = mapped_column(String(256), default="")
    show_name: Mapped[str] = mapped_column(String(128), default="")
    rate_limit: Mapped[int] = mapped_column(Integer, default=10)
    auth_method: Mapped[str] = mapped_column(String(32), default="password")
    oauth_settings: Mapped[str] = mapped_column(Text, default="")  # JSON, never a token
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)
    # counts the changes: an edit made from an older view is refused (changed_elsewhere)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # a password was entered for this sender on some machine (it lives in that machine's
    # keychain only): a machine without it says so instead of sending without a login
    login_entered: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class SettingsRow(Base):
    """One row (id 1): the system's settings, the default sender first (D1)."""

    __tablename__ = "settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    default_sender_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("senders.id", ondelete="SET NULL"), nullable=True
    )


class PreferenceRow(Base):
    """Small key/value settings (retention days, language, …)."""

    __tablename__ = "preferences"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class TemplateRow(Base):
    __tablename__ = "templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    subject: Mapped[str] = mapped_column(String(998))
    html: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    updated_at: Mapped[datetime] = mapped_column(Timestamp)


class SendRecordRow(Base):
    """One recipient of one message (R1). Kept when its sender is deleted: no FK."""

    __tablename__ = "send_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(255))
    sender: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64), default="")
    recipient: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(128))
    resources: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    sent_at: Mapped[datetime] = mapped_column(Timestamp)  # naive UTC
    result: Mapped[str] = mapped_column(String(8))  # pending | success | failure
    error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    server_reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    process_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (
        Index("ix_send_records_sent_at", "sent_at"),
        Index("ix_send_records_result_pending", "result"),
    )


class TrustedCertificateRow(Base):
    """An imported CA (host '') or a pinned server certificate (host 'name:port')."""

    __tablename__ = "trusted_certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64))
    host: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(8))  # ca | pin
    subject: Mapped[str] = mapped_column(Text, default="")
    pem: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(Timestamp)

    __table_args__ = (UniqueConstraint("sha256", "host", name="uq_trusted_sha256_host"),)


# a message of up to --max-size (25 MB by default): LONGBLOB on MySQL/MariaDB (BLOB: 64 KB)
_MESSAGE_BYTES = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


class RelayOutboxRow(Base):
    """One message the relay accepted and has not finished yet (the outbox).

    ``recipients`` holds the recipients still to deliver (JSON list); a finished message
    leaves the outbox — the sending records keep its history. ``status``: queued | deferred
    | sending | interrupted. A relay that claims a row sets ``lease_owner`` / ``lease_until``
    / ``claimed_at``; a lease past its time belongs to a relay that died."""

    __tablename__ = "relay_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(255))
    sender: Mapped[str] = mapped_column(String(254))  # the configured sender that sends it
    envelope_from: Mapped[str] = mapped_column(String(254))
    recipients: Mapped[str] = mapped_column(Text)  # JSON list
    content: Mapped[bytes] = mapped_column(_MESSAGE_BYTES)
    size: Mapped[int] = mapped_column(Integer, default=0)
    client_ip: Mapped[str] = mapped_column(String(64), default="")
    template: Mapped[str] = mapped_column(String(128))
    resources: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(Timestamp)  # naive UTC
    next_attempt: Mapped[datetime] = mapped_column(Timestamp)
    last_error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)

    __table_args__ = (Index("ix_relay_outbox_status_next", "status", "next_attempt"),)


class RelayUserRow(Base):
    """A user the relay's clients log in as (AUTH); the password only as a salted hash."""

    __tablename__ = "relay_users"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class StoreHostRow(Base):
    """Each machine that uses the store, and when it was last seen running the program: a
    machine silent for longer than the grace period has stopped, and another machine marks
    the sends it left pending as interrupted."""

    __tablename__ = "store_hosts"

    host_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    host_name: Mapped[str] = mapped_column(String(255), default="")
    last_seen: Mapped[datetime] = mapped_column(Timestamp)
