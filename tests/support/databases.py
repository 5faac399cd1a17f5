"""Databases for tests on the shared-store backends: PostgreSQL and MariaDB/MySQL servers of
the test machine (PostgreSQL 127.0.0.1:5432 user postgres, MariaDB 127.0.0.1:3306 root, both
without a password), or any server named by ``BIMAIL_TEST_DATABASE_URL``.

Every database created here has a unique name and is dropped by :func:`drop_database`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SERVERS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/mysql",
}


class ServerMissing(Exception):
    """The database server (or its driver) is not there: tests that need it skip."""


def _server_url(base: str) -> URL:
    from bimail_desktop.store.failures import resolve_url

    return resolve_url(base)


def _admin_connect(url: URL):  # type: ignore[no-untyped-def]
    backend = url.get_backend_name()
    if backend == "postgresql":
        try:
            import psycopg
        except ImportError as exc:
            raise ServerMissing(f"psycopg is not installed ({exc})") from exc
        try:
            return psycopg.connect(host=url.host or "127.0.0.1", port=url.port or 5432,
                                   user=url.username or "postgres", password=url.password,
                                   dbname="postgres", autocommit=True, connect_timeout=5)
        except psycopg.OperationalError as exc:
            raise ServerMissing(f"no PostgreSQL server at {url.host}:{url.port} ({exc})") from exc
    try:
        import pymysql
    except ImportError as exc:
        raise ServerMissing(f"PyMySQL is not installed ({exc})") from exc
    try:
        return pymysql.connect(host=url.host or "127.0.0.1", port=url.port or 3306,
                               user=url.username or "root", password=url.password or "",
                               autocommit=True, connect_timeout=5)
    except pymysql.err.OperationalError as exc:
        raise ServerMissing(f"no MariaDB/MySQL server at {url.host}:{url.port} ({exc})") from exc


def create_database(backend_or_url: str, tmp_path: Path | None = None) -> str:
    """A new, empty store: ``sqlite`` (a file in ``tmp_path``), ``postgresql``, ``mariadb``,
    or a server URL (its database part is replaced by a unique name)."""
    if backend_or_url == "sqlite":
        assert tmp_path is not None
        return f"sqlite:///{tmp_path / f'store-{secrets.token_hex(4)}.db'}"
    url = _server_url(SERVERS.get(backend_or_url, backend_or_url))
    name = f"bimail_test_{os.getpid()}_{secrets.token_hex(4)}"
    with _admin_connect(url) as admin:
        cursor = admin.cursor()
        if url.get_backend_name() == "postgresql":
            cursor.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        else:
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return
    with _admin_connect(parsed) as admin:
        cursor = admin.cursor()
        if backend == "postgresql":
            cursor.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        else:
            cursor.execute(f"DROP DATABASE IF EXISTS `{parsed.database}`")
