"""The program's one clock. The store keeps times as naive UTC (every database the program
supports stores them the same way); the layers above hand aware UTC times to each other."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def now_naive() -> datetime:
    """The current time as the store keeps it: UTC without a time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def aware(value: datetime) -> datetime:
    """A time read from the store (naive UTC) made aware; an aware time is kept as it is."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def naive_utc(value: datetime) -> datetime:
    """An aware time as the store keeps it (naive UTC); a naive time is taken as UTC."""
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
