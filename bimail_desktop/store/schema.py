"""The store's tables (SQLAlchemy 2 declarative). Passwords have no column anywhere.

No ``from __future__ import annotations`` here: with real annotations SQLAlchemy maps
the classes without evaluating each ``Mapped[...]`` from text, which every start pays.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

_MYSQL = ("mysql", "mariadb")


class Base(DeclarativeBase):
    pass


class _Timestamp(TypeDecorator[datetime]):
    """Times to the microsecond on every database (MySQL/MariaDB's DATETIME keeps whole
    seconds: DATETIME(6) there). The MySQL dialect is imported only on a MySQL store, so
    that opening an SQLite store does not pay for it."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in _MYSQL:
            from sqlalchemy.dialects.mysql import DATETIME

            return dialect.type_descriptor(DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())


Timestamp = _Timestamp()


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


class StoreHostRow(Base):
    """Each machine that uses the store, and when it was last seen running the program: a
    machine silent for longer than the grace period has stopped, and another machine marks
    the sends it left pending as interrupted."""

    __tablename__ = "store_hosts"

    host_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    host_name: Mapped[str] = mapped_column(String(255), default="")
    last_seen: Mapped[datetime] = mapped_column(Timestamp)
