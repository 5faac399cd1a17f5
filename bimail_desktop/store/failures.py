"""What a failing store means for the user: ``store_unavailable`` or ``store_corrupt``.

A database error that is about the store itself — the server cannot be reached, refuses the
login or has no free connection; the SQLite file is damaged, is not a database, sits in a
read-only folder or on a full disk — becomes a :class:`BimailError` with the URL (password
masked) and what went wrong. Every other error (a constraint, a lock timeout) is left as it
is for the code that asked.
"""

from __future__ import annotations

import errno
import sqlite3
from typing import Any

from sqlalchemy.engine import URL, make_url

from ..domain.errors import BimailError, ErrorCode

# a URL without a driver gets the one the program ships (CONTRACTS.md)
DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}
EXTRAS = {"postgresql": "postgresql", "mysql": "mysql", "mariadb": "mysql"}

_URL_HELP = ("write it like sqlite:///path/to/bimail.db, postgresql://user:password@host/"
             "database or mysql://user:password@host/database")


def masked(url: str | URL) -> str:
    """``url`` as it may be shown: its password replaced by ``***``."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
        return parsed.render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL at all: show the part after any "@"
        text = str(url)
        return ("***@" + text.rsplit("@", 1)[1]) if "@" in text else text


def resolve_url(url: str) -> URL:
    """The SQLAlchemy URL to open for ``url``: drivers filled in (``postgresql://`` →
    psycopg 3, ``mysql://`` / ``mariadb://`` → PyMySQL), MySQL/MariaDB speaking utf8mb4.
    Anything that is not a database URL is ``invalid_input``."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - ArgumentError, ValueError: not a URL
        raise BimailError(
            ErrorCode.INVALID_INPUT,
            f"--db / BIMAIL_DATABASE_URL: {masked(url)!r} is not a database URL; {_URL_HELP}",
            field="db",
        ) from exc
    if parsed.drivername in DRIVERS:
        parsed = parsed.set(drivername=DRIVERS[parsed.drivername])
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql", "mysql", "mariadb"):
        raise BimailError(
            ErrorCode.INVALID_INPUT,
            f"--db / BIMAIL_DATABASE_URL: {masked(parsed)!r} names the database "
            f"{backend!r}; the store can be SQLite, PostgreSQL or MySQL/MariaDB — {_URL_HELP}",
            field="db",
        )
    if backend in ("mysql", "mariadb") and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    if backend != "sqlite" and not parsed.database:
        raise BimailError(
            ErrorCode.INVALID_INPUT,
            f"--db / BIMAIL_DATABASE_URL: {masked(parsed)!r} names no database; add it "
            f"after the server, e.g. {parsed.drivername}://user@host/bimail",
            field="db",
        )
    return parsed


def missing_driver(url: URL, exc: BaseException) -> BimailError:
    backend = url.get_backend_name()
    extra = EXTRAS.get(backend, backend)
    return BimailError(
        ErrorCode.STORE_UNAVAILABLE,
        f"{masked(url)}: the driver for {backend} is not installed ({exc}); install it "
        f"with pip install 'bimail-desktop[{extra}]'",
    )


# MySQL / MariaDB client and server codes that mean "cannot use the server now"
_MYSQL_UNAVAILABLE = {
    1040: "the server has no free connection (too many connections)",
    1203: "the user has no free connection left (max_user_connections)",
    1226: "the user has no free connection left (a per-user limit of the server)",
    1044: "the user may not use this database",
    1045: "the server refused the login (user or password)",
    1049: "the database does not exist",
    2002: "the server is not reachable",
    2003: "the server is not reachable",
    2005: "the server name is unknown",
    2006: "the server closed the connection",
    2013: "the connection to the server was lost",
}


def _driver_error(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__


def _folder_problem(url: str | URL) -> str:
    """Why the folder of a SQLite store cannot take a write: read-only, or its disk full."""
    import os
    import shutil
    from pathlib import Path

    try:
        database = make_url(url).database if not isinstance(url, URL) else url.database
    except Exception:  # noqa: BLE001
        return ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return ""
    folder = Path(database).parent
    try:
        if shutil.disk_usage(folder).free < 64 * 1024:
            return f"the disk of {folder} is full — free some space"
    except OSError:
        return ""
    if not os.access(folder, os.W_OK) or (
        Path(database).exists() and not os.access(database, os.W_OK)
    ):
        return f"the data folder {folder} is read-only here — make it writable"
    return ""


def classify(exc: BaseException, url: str | URL, *, disconnect: bool = False) -> BimailError | None:
    """The store error ``exc`` means, or None if it is not about the store itself."""
    if isinstance(exc, BimailError):
        return exc
    orig = _driver_error(exc)
    shown = masked(url)
    if isinstance(orig, sqlite3.Error):
        message = str(orig).lower()
        if "not a database" in message or "malformed" in message or "corrupt" in message:
            return BimailError(
                ErrorCode.STORE_CORRUPT,
                f"{shown}: {_first_line(orig)}; the file was left untouched",
            )
        if "readonly" in message or "read-only" in message:
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                f"{shown}: the store is read-only here (the file or its folder cannot be "
                f"written); nothing was changed",
            )
        if "full" in message:
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                f"{shown}: the disk is full; nothing was changed — free some space",
            )
        if "unable to open" in message or "disk i/o" in message:
            cause = _folder_problem(url)
            if cause:
                return BimailError(ErrorCode.STORE_UNAVAILABLE,
                                   f"{shown}: {cause}; nothing was changed")
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                f"{shown}: {_first_line(orig)} (check that the folder exists and can be "
                f"written, and that its disk has space); nothing was changed",
            )
        return None
    if isinstance(orig, OSError):
        if orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                f"{shown}: the data folder cannot be written ({orig.strerror}); nothing was "
                f"changed",
            )
        if orig.errno in (errno.ENOSPC, errno.EDQUOT):
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                f"{shown}: the disk is full; nothing was changed — free some space",
            )
        return None
    module = type(orig).__module__ or ""
    raced = BimailError(
        ErrorCode.CHANGED_ELSEWHERE,
        "another admin or program changed the same data at the same moment; nothing was "
        "changed — look again and repeat the change",
    )
    if module.startswith("pymysql"):
        code = orig.args[0] if orig.args and isinstance(orig.args[0], int) else None
        if code in (1213, 1205):  # deadlock, lock wait timeout
            return raced
        if code in _MYSQL_UNAVAILABLE or (disconnect and code is not None):
            reason = _MYSQL_UNAVAILABLE.get(code or 0, "the connection failed")
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE, f"{shown}: {reason} ({_first_line(orig)})"
            )
        return None
    if module.startswith("psycopg"):
        state: str | None = getattr(orig, "sqlstate", None)
        name = type(orig).__name__
        if state in ("40001", "40P01"):  # serialization failure, deadlock
            return raced
        if (state is None and name == "OperationalError") or disconnect:
            reason = "the server is not reachable or refused the connection"
        elif state is not None and state.startswith("28"):
            reason = "the server refused the login (user or password)"
        elif state == "53300":
            reason = "the server has no free connection (too many connections)"
        elif state == "3D000":
            reason = "the database does not exist"
        elif state is not None and (state.startswith("08") or state.startswith("57P")):
            reason = "the server closed the connection or is shutting down"
        else:
            return None
        return BimailError(ErrorCode.STORE_UNAVAILABLE, f"{shown}: {reason} ({_first_line(orig)})")
    return None


def classify_any(exc: BaseException, url: str | URL) -> BimailError | None:
    """:func:`classify` for an exception that may wrap the store's one further down its
    chain (raised from an event handler, re-raised by a service)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = classify(current, url)
        if found is not None:
            return found
        current = current.__cause__ or current.__context__
    return None


def describe(exc: Any) -> str:
    return _first_line(exc)
