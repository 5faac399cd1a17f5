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
from ..domain.texts import Msg

# a URL without a driver gets the one the program ships (docs/CLI.md, environment)
DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}
EXTRAS = {"postgresql": "postgresql", "mysql": "mysql", "mariadb": "mysql"}

_URL_HELP = Msg("store.url_help")


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
            Msg("store.bad_url", url=masked(url), help=_URL_HELP),
            field="db",
        ) from exc
    if parsed.drivername in DRIVERS:
        parsed = parsed.set(drivername=DRIVERS[parsed.drivername])
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql", "mysql", "mariadb"):
        raise BimailError(
            ErrorCode.INVALID_INPUT,
            Msg("store.unknown_backend", url=masked(parsed), backend=backend, help=_URL_HELP),
            field="db",
        )
    if backend in ("mysql", "mariadb") and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    if backend != "sqlite" and not parsed.database:
        raise BimailError(
            ErrorCode.INVALID_INPUT,
            Msg("store.no_database", url=masked(parsed), drivername=parsed.drivername),
            field="db",
        )
    return parsed


def missing_driver(url: URL, exc: BaseException) -> BimailError:
    backend = url.get_backend_name()
    extra = EXTRAS.get(backend, backend)
    return BimailError(
        ErrorCode.STORE_UNAVAILABLE,
        Msg("store.no_driver", url=masked(url), backend=backend, exc=exc, extra=extra),
    )


# MySQL / MariaDB client and server codes that mean "cannot use the server now"
_MYSQL_UNAVAILABLE = {
    1040: Msg("store.no_free_connection"),
    1203: Msg("store.user_connections"),
    1226: Msg("store.per_user_limit"),
    1044: Msg("store.database_denied"),
    1045: Msg("store.login_refused"),
    1049: Msg("store.no_such_database"),
    2002: Msg("store.unreachable"),
    2003: Msg("store.unreachable"),
    2005: Msg("store.unknown_server"),
    2006: Msg("store.closed"),
    2013: Msg("store.lost"),
}


def _driver_error(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__


def _folder_problem(url: str | URL) -> Msg | None:
    """Why the folder of a SQLite store cannot take a write: read-only, or its disk full."""
    import os
    import shutil
    from pathlib import Path

    try:
        database = make_url(url).database if not isinstance(url, URL) else url.database
    except Exception:  # noqa: BLE001
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    folder = Path(database).parent
    try:
        if shutil.disk_usage(folder).free < 64 * 1024:
            return Msg("store.folder_disk_full", folder=str(folder))
    except OSError:
        return None
    if not os.access(folder, os.W_OK) or (
        Path(database).exists() and not os.access(database, os.W_OK)
    ):
        return Msg("store.folder_read_only", folder=str(folder))
    return None


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
                Msg("store.corrupt_file", url=shown, error=_first_line(orig)),
            )
        if "readonly" in message or "read-only" in message:
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                Msg("store.read_only", url=shown),
            )
        if "full" in message:
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                Msg("store.disk_full", url=shown),
            )
        if "unable to open" in message or "disk i/o" in message:
            cause = _folder_problem(url)
            if cause:
                return BimailError(ErrorCode.STORE_UNAVAILABLE,
                                   Msg("store.folder_problem", url=shown, cause=cause))
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                Msg("store.cannot_open_file", url=shown, error=_first_line(orig)),
            )
        return None
    if isinstance(orig, OSError):
        if orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                Msg("store.folder_not_writable", url=shown, strerror=orig.strerror),
            )
        if orig.errno in (errno.ENOSPC, errno.EDQUOT):
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE,
                Msg("store.disk_full", url=shown),
            )
        return None
    module = type(orig).__module__ or ""
    raced = BimailError(
        ErrorCode.CHANGED_ELSEWHERE,
        Msg("store.raced"),
    )
    if module.startswith("pymysql"):
        code = orig.args[0] if orig.args and isinstance(orig.args[0], int) else None
        if code in (1213, 1205):  # deadlock, lock wait timeout
            return raced
        if code in _MYSQL_UNAVAILABLE or (disconnect and code is not None):
            reason = _MYSQL_UNAVAILABLE.get(code or 0, Msg("store.connection_failed"))
            return BimailError(
                ErrorCode.STORE_UNAVAILABLE, Msg("store.server_unavailable", url=shown,
                                                 reason=reason, error=_first_line(orig))
            )
        return None
    if module.startswith("psycopg"):
        state: str | None = getattr(orig, "sqlstate", None)
        name = type(orig).__name__
        if state in ("40001", "40P01"):  # serialization failure, deadlock
            return raced
        if (state is None and name == "OperationalError") or disconnect:
            reason = Msg("store.unreachable_or_refused")
        elif state is not None and state.startswith("28"):
            reason = Msg("store.login_refused")
        elif state == "53300":
            reason = Msg("store.no_free_connection")
        elif state == "3D000":
            reason = Msg("store.no_such_database")
        elif state is not None and (state.startswith("08") or state.startswith("57P")):
            reason = Msg("store.closed_or_shutting_down")
        else:
            return None
        return BimailError(
            ErrorCode.STORE_UNAVAILABLE, Msg("store.server_unavailable", url=shown, reason=reason,
                                             error=_first_line(orig)))
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
