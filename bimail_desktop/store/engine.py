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
import queue
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ..config import ensure_private_dir
from ..domain.errors import BimailError, ErrorCode

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 15_000

_T = TypeVar("_T")


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
        self._reader_engine = reader
        self._writer = sessionmaker(bind=engine, expire_on_commit=False)
        self._reader = sessionmaker(bind=reader, expire_on_commit=False)
        self._group = GroupCommit(self)

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

    def together(self, work: Callable[[Connection], _T]) -> Future[_T]:
        """Run ``work`` in a write transaction shared with the other threads' ``together``
        work waiting at that moment: ONE commit (one disk sync) for all of them. The
        future is settled once the commit is done: with what ``work`` returned, or with
        its exception or the commit's error (nothing of it was written). ``work`` may run
        twice (when another piece of work in its transaction failed, each is run again
        alone): it must only write and return, never change anything outside the store."""
        return self._group.submit(work)

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """Like :meth:`read` (deferred transaction), for Core statements only."""
        with self._reader_engine.begin() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (deferred transaction, never blocks a writer)."""
        with self._reader() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self._group.close()
        self.engine.dispose()




class GroupCommit:
    """Group commit for :meth:`Store.together`: a thread takes every piece of work waiting,
    runs them in one write transaction and commits once. The disk sync of a
    commit takes milliseconds while the statements take microseconds, so a relay whose
    clients and delivery threads all write at once waits for one sync instead of one each.
    The thread ends when idle and starts again with the next piece of work."""

    IDLE = 2.0  # seconds without work before the thread ends
    MOST = 256  # pieces of work per transaction

    def __init__(self, store: Store) -> None:
        self._store = store
        self._queue: queue.SimpleQueue[tuple[Callable[[Connection], Any], Future[Any]]] = (
            queue.SimpleQueue())
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, work: Callable[[Connection], _T]) -> Future[_T]:
        future: Future[_T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the store is closed")
            self._queue.put((work, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="store-group-commit",
                                                daemon=True)
                self._thread.start()
        return future

    def close(self) -> None:
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)

    def _next(self) -> list[tuple[Callable[[Connection], Any], Future[Any]]]:
        with self._lock:
            try:
                first = self._queue.get_nowait()
            except queue.Empty:
                first = None
            if first is None and self._closed:
                self._thread = None
                return []
        if first is None:
            try:
                first = self._queue.get(timeout=self.IDLE)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return []
                first = self._queue.get_nowait()
        batch = [first]
        while len(batch) < self.MOST:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _run(self) -> None:
        while True:
            batch = self._next()
            if not batch:
                return
            batch = [(w, f) for w, f in batch if f.set_running_or_notify_cancel()]
            try:
                with self._store.write_connection() as connection:
                    values = [work(connection) for work, _future in batch]
            except BaseException as error:  # noqa: BLE001 - handed to the callers
                if len(batch) == 1:
                    batch[0][1].set_exception(error)
                else:
                    # one of them failed, or the commit: nothing was written; each again on
                    # its own, so that one's failure is not the others' (rare: no
                    # savepoints on the common path)
                    for work, future in batch:
                        self._alone(work, future)
                continue
            for (_work, future), value in zip(batch, values, strict=True):
                future.set_result(value)

    def _alone(self, work: Callable[[Connection], Any], future: Future[Any]) -> None:
        try:
            with self._store.write_connection() as connection:
                value = work(connection)
        except BaseException as error:  # noqa: BLE001 - handed to its caller
            future.set_exception(error)
        else:
            future.set_result(value)


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
            f"the store is at schema revision {', '.join(unknown)}, which this version "
            f"(newest {head}) does not know; it was left untouched",
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
