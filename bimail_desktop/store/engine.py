"""Opening the store: engine, SQLite pragmas, migrations at start-up, sessions.

SQLite runs in WAL mode with ``synchronous=FULL`` (records are the audit trail),
``busy_timeout`` and foreign keys on. Write transactions start with ``BEGIN IMMEDIATE`` so
that a GUI and a CLI writing the same file at once wait for each other instead of failing
with "database is locked" (SMTP_NOTES.md, SQLite); read transactions stay deferred so that
a long records query never blocks a send.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ..config import ensure_private_dir
from ..domain.errors import BimailError, ErrorCode
from ..domain.texts import Msg

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 15_000


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _install_sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would otherwise
        # start a deferred transaction on its own, too late for IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Store:
    """One opened store: the engine and two session factories (write and read)."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.path = _sqlite_path(url)
        reader = engine.execution_options(sqlite_begin="DEFERRED") if self.is_sqlite else engine
        self._writer = sessionmaker(bind=engine, expire_on_commit=False)
        self._reader = sessionmaker(bind=reader, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that writes: committed on success, rolled back on error."""
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """Like :meth:`write` (``BEGIN IMMEDIATE``, committed on success), for Core
        statements only: no ORM session to set up — for the records a send writes, where
        that set-up was a noticeable part of the send."""
        with self.engine.begin() as connection:
            yield connection

    def open_write(self) -> Connection:
        """A connection in a write transaction (``BEGIN IMMEDIATE``) that the caller
        finishes: ``commit()`` — possibly in another thread, one thread at a time — and
        ``close()`` (closing an uncommitted one rolls it back)."""
        connection = self.engine.connect()
        try:
            connection.begin()
        except BaseException:
            connection.close()
            raise
        return connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (deferred transaction, never blocks a writer)."""
        with self._reader() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config(connection: Any) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"""^revision\s*=\s*["']([^"']+)["']""", re.MULTILINE)
_DOWN = re.compile(r"""^down_revision\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def _known_revisions() -> tuple[set[str], str]:
    """The revisions this program ships and the newest one, read from the migration files
    without importing Alembic (which costs a noticeable part of start-up)."""
    known: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        match = _REVISION.search(source)
        if match:
            known.add(match.group(1))
            down = _DOWN.search(source)
            if down:
                parents.add(down.group(1))
    heads = known - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have exactly one head, found {sorted(heads)}")
    return known, heads.pop()


def head_revision() -> str:
    return _known_revisions()[1]


def _current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            conn.rollback()
            return set()
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        conn.rollback()
    return set(rows)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a store newer than the program."""
    known, head = _known_revisions()
    current = _current_revisions(engine)
    unknown = sorted(current - known)
    if unknown:
        raise BimailError(
            ErrorCode.STORE_TOO_NEW,
            Msg("store.too_new_revision", revisions=', '.join(unknown), head=head),
        )
    if current == {head}:
        return
    from alembic import command  # only when there is something to upgrade

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    log.info("store schema upgraded from %s to %s", ", ".join(sorted(current)) or "empty", head)


def open_store(url: str) -> Store:
    """Open (creating and upgrading as needed) the store at ``url``."""
    path = _sqlite_path(url)
    kwargs: dict[str, Any] = {}
    if path is not None:
        ensure_private_dir(path.parent)
        if not path.exists():
            old = os.umask(0o077)
            try:
                path.touch(mode=0o600)
            finally:
                os.umask(old)
        # a pooled connection is checked out by one unit of work (one thread) at a time
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _install_sqlite_events(engine)
    try:
        migrate(engine)
    except BimailError:
        engine.dispose()
        raise
    return Store(url, engine)
