"""The relay's tables: its outbox and its users (SQLAlchemy 2 declarative, on the store's
:class:`~bimail_desktop.store.schema.Base`).

A module of their own, loaded by the relay's use cases only: mapping their classes is a
noticeable part of a command's start, and most commands never touch the relay. No
``from __future__ import annotations``, as in :mod:`.schema`.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import Dialect, Index, Integer, LargeBinary, String, Text, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from .schema import _MYSQL, Base, Timestamp


class _MessageBytes(TypeDecorator[bytes]):
    """A message of up to --max-size (25 MB by default): LONGBLOB on MySQL/MariaDB (their
    BLOB holds 64 KB)."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in _MYSQL:
            from sqlalchemy.dialects.mysql import LONGBLOB

            return dialect.type_descriptor(LONGBLOB())
        return dialect.type_descriptor(LargeBinary())


_MESSAGE_BYTES = _MessageBytes()


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
