"""Opening the store: engine, SQLite pragmas, migrations at start-up, sessions.

SQLite runs in WAL mode with ``synchronous=FULL`` (records are the audit trail),
``busy_timeout`` and foreign keys on. Write transactions start with ``BEGIN IMMEDIATE`` so
that a GUI and a CLI writing the same file at once wait for each other instead of failing
with "database is locked"; read transactions stay deferred so that
a long records query never blocks a send.

One module on purpose: opening, migrating, locking and the damage mark are the steps of
one thing, opening a store, and each depends on the one before.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from ..config import ensure_private_dir
from ..domain.errors import BimailError, ErrorCode
from ..domain.texts import Msg
from .failures import classify, describe, masked, missing_driver, resolve_url
from .glance import MIGRATIONS_DIR as MIGRATIONS_DIR
from .glance import damage_mark as damage_mark
from .glance import known_revisions as _known_revisions

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT_S = 10

_T = TypeVar("_T")


def _sqlite_path(url: str | URL) -> Path | None:
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

    def __init__(self, url: str, engine: Engine, health: _Health | None = None) -> None:
        self.url = url
        self.shown_url = masked(engine.url)
        self.engine = engine
        # knows whether the database reported damage: nothing more is written into it
        self._health = health or _Health(engine.url, _sqlite_path(engine.url))
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.path = _sqlite_path(url)
        reader = engine.execution_options(sqlite_begin="DEFERRED") if self.is_sqlite else engine
        self._reader_engine = reader
        self._writer = sessionmaker(bind=engine, expire_on_commit=False)
        self._reader = sessionmaker(bind=reader, expire_on_commit=False)
        self._group = GroupCommit(self)

    @property
    def corrupt(self) -> bool:
        return self._health.corrupt

    def failure(self, exc: BaseException) -> BimailError | None:
        """What ``exc`` (or an error it wraps) means for the user if it is about the store
        itself — for errors raised outside SQLAlchemy's own handling (raw cursors)."""
        return self._health.note_any(exc)

    def _refuse_if_corrupt(self) -> None:
        if self._health.corrupt:
            marked = self.path is not None and damage_mark(self.path).exists()
            raise BimailError(
                ErrorCode.STORE_CORRUPT,
                Msg("store.damaged_marked", url=self.shown_url,
                    mark=damage_mark(self.path)) if marked and self.path is not None
                else Msg("store.damaged_before", url=self.shown_url),
            )

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that writes: committed on success, rolled back on error."""
        self._refuse_if_corrupt()
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """Like :meth:`write` (``BEGIN IMMEDIATE``, committed on success), for Core
        statements only: no ORM session to set up — for the records a send writes, where
        that set-up was a noticeable part of the send."""
        self._refuse_if_corrupt()
        with self.engine.begin() as connection:
            yield connection

    def open_write(self) -> Connection:
        """A connection in a write transaction (``BEGIN IMMEDIATE``) that the caller
        finishes: ``commit()`` — possibly in another thread, one thread at a time — and
        ``close()`` (closing an uncommitted one rolls it back)."""
        self._refuse_if_corrupt()
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

    def lock_startup(self, session: Session) -> None:
        """Hold the store's start-up lock until ``session``'s transaction ends: the one
        settings row, locked for update (SQLite: the write transaction is the lock)."""
        if not self.is_sqlite:
            from .schema import SettingsRow

            session.execute(select(SettingsRow.id).where(SettingsRow.id == 1).with_for_update())

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (deferred transaction, never blocks a writer)."""
        with self._reader() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self._group.close()
        self.engine.dispose()


class DirectStatement:
    """A Core statement run straight on SQLite's cursor, compiled once: for statements that
    run for every relayed mail, where SQLAlchemy's work around each execution cost several
    times the statement itself. The values go through the same type conversions as with
    Core (a timestamp is written the same way) and store errors are reported the same way;
    other databases run the statement through Core.

    ``keys``: the names of the values an INSERT is given (its columns); a statement that
    would need any other value (a column default) runs through Core instead."""

    def __init__(self, statement: Any, keys: Sequence[str] = ()) -> None:
        self.statement = statement
        self.keys = list(keys)
        self._plan: tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]] | None = None
        self._core_only = False

    def _compile(self, connection: Connection) -> None:
        dialect = connection.dialect
        compiled: Any = self.statement.compile(dialect=dialect,
                                               column_keys=self.keys or None)
        if dialect.paramstyle != "qmark":
            self._core_only = True
            return
        binds = []
        for name in compiled.positiontup or ():
            bind = compiled.binds.get(name)
            if bind is None or bind.callable is not None or bind.expanding:
                self._core_only = True
                return
            binds.append((name, bind.type.dialect_impl(dialect).bind_processor(dialect)))
        self._plan = (str(compiled), tuple(binds))

    def run(self, store: Store, connection: Connection,
            values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Execute with ``values``; the rows it returns (RETURNING), else []."""
        if not store.is_sqlite or self._core_only:
            result = connection.execute(self.statement, values)
            return [tuple(row) for row in result.all()] if result.returns_rows else []
        if self._plan is None:
            self._compile(connection)
            if self._plan is None:
                return self.run(store, connection, values)
        sql, binds = self._plan
        try:
            params = tuple(values[name] if convert is None else convert(values[name])
                           for name, convert in binds)
        except KeyError:  # a value Core would supply itself (a column default)
            self._core_only = True
            return self.run(store, connection, values)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []
        except Exception as exc:
            error = store.failure(exc)
            if error is not None:
                raise error from exc
            raise
        finally:
            cursor.close()


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
        # one connection for as long as the thread runs: checking one out of the pool for
        # every transaction cost as much as the statements in it
        connection: Connection | None = None
        try:
            while True:
                batch = self._next()
                if not batch:
                    return
                batch = [(w, f) for w, f in batch if f.set_running_or_notify_cancel()]
                try:
                    self._store._refuse_if_corrupt()
                    if connection is None:
                        connection = self._store.engine.connect()
                    with connection.begin():
                        values = [work(connection) for work, _future in batch]
                except BaseException as error:  # noqa: BLE001 - handed to the callers
                    if connection is not None:
                        connection.close()  # rolled back; a fresh one for what follows
                        connection = None
                    if len(batch) == 1:
                        batch[0][1].set_exception(error)
                    else:
                        # one of them failed, or the commit: nothing was written; each again
                        # on its own, so that one's failure is not the others' (rare: no
                        # savepoints on the common path)
                        for work, future in batch:
                            self._alone(work, future)
                    continue
                for (_work, future), value in zip(batch, values, strict=True):
                    future.set_result(value)
        finally:
            if connection is not None:
                connection.close()

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


def head_revision() -> str:
    return _known_revisions()[1]


def _current_revisions(conn: Connection) -> set[str]:
    if not inspect(conn).has_table("alembic_version"):
        return set()
    return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all())


def _refuse_unknown(current: set[str], known: set[str], head: str) -> None:
    unknown = sorted(current - known)
    if unknown:
        raise BimailError(
            ErrorCode.STORE_TOO_NEW,
            Msg("store.too_new_revision", revisions=', '.join(unknown), head=head),
        )


# one number for every program sharing a server database: the schema's and the built-in
# rows' lock (PostgreSQL advisory lock key, MySQL/MariaDB named lock)
LOCK_KEY = 0x6269_6D61  # "bima"
LOCK_NAME = "bimail_desktop.schema"
LOCK_TIMEOUT_S = 300


@contextmanager
def schema_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the store's schema lock until it ends
    (committed on success): PostgreSQL ``pg_advisory_xact_lock``, MySQL/MariaDB
    ``GET_LOCK``, SQLite ``BEGIN IMMEDIATE``. Processes that start at once on an empty
    database queue here; the first creates the schema, the others find it done."""
    name = engine.dialect.name
    with engine.connect() as conn:
        if name in ("mysql", "mariadb"):
            got = conn.execute(text("SELECT GET_LOCK(:name, :timeout)"),
                               {"name": LOCK_NAME, "timeout": LOCK_TIMEOUT_S}).scalar()
            conn.commit()
            if got != 1:
                raise BimailError(
                    ErrorCode.STORE_UNAVAILABLE,
                    Msg("store.lock_timeout", seconds=LOCK_TIMEOUT_S),
                )
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": LOCK_NAME})
                conn.commit()
            return
        with conn.begin():  # SQLite: BEGIN IMMEDIATE (the engine's begin event)
            if name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            yield conn


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a store newer than the program.

    The common case (schema up to date) is one read without any lock; an upgrade runs
    under :func:`schema_lock` and looks again once it holds it."""
    known, head = _known_revisions()
    # a read (SQLite: a deferred transaction), which never waits for a writer
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        current = _current_revisions(conn)
        conn.rollback()
    _refuse_unknown(current, known, head)
    if current == {head}:
        return
    from alembic import command  # only when there is something to upgrade

    with schema_lock(engine) as conn:
        current = _current_revisions(conn)
        _refuse_unknown(current, known, head)
        if current == {head}:
            return  # another process upgraded it while this one waited
        command.upgrade(_alembic_config(conn), "head")
    log.info("store schema upgraded from %s to %s", ", ".join(sorted(current)) or "empty", head)


SQLITE_MAGIC = b"SQLite format 3\x00"


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


class _Health:
    """Whether a store reported damage; shared by the engine's error event and the Store."""

    def __init__(self, url: URL, path: Path | None) -> None:
        self.url = url
        self.path = path
        self.corrupt = path is not None and damage_mark(path).exists()

    def note(self, exc: BaseException, *, disconnect: bool = False) -> BimailError | None:
        """The store error ``exc`` means (None: not about the store); damage is
        remembered here and, for a store file, next to it."""
        error = classify(exc, self.url, disconnect=disconnect)
        if error is None or error.code is not ErrorCode.STORE_CORRUPT:
            return error
        self.corrupt = True
        # only a file that is a SQLite store gets the mark — never one that --db named
        # by mistake (a text file, a spreadsheet)
        if self.path is not None and _is_sqlite_file(self.path):
            try:
                damage_mark(self.path).write_text(
                    f"{error.detail}\nRun `bimail doctor` to check the store.\n",
                    encoding="utf-8")
            except OSError:
                pass
        return error


    def note_any(self, exc: BaseException) -> BimailError | None:
        """:meth:`note` for ``exc`` or the first store error down its chain."""
        seen: set[int] = set()
        current: BaseException | None = exc
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            error = self.note(current)
            if error is not None:
                return error
            current = current.__cause__ or current.__context__
        return None


def _install_error_events(engine: Engine, health: _Health) -> None:
    """Every database error that is about the store itself becomes ``store_unavailable``
    or ``store_corrupt`` where it happens; a store that reported damage is written no
    more (see :meth:`Store.write`)."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        error = health.note(context.original_exception, disconnect=bool(context.is_disconnect))
        if error is not None:
            raise error from context.original_exception


def open_store(url: str) -> Store:
    """Open (creating and upgrading as needed) the store at ``url``.

    Bad URLs are ``invalid_input``; a store that cannot be reached, opened or written is
    ``store_unavailable``, a damaged one ``store_corrupt`` (left untouched)."""
    parsed = resolve_url(url)
    path = _sqlite_path(parsed)
    kwargs: dict[str, Any] = {}
    if path is not None:
        try:
            if path.exists() and not path.is_file():
                raise BimailError(
                    ErrorCode.STORE_CORRUPT,
                    Msg("store.not_a_file", path=path),
                )
            ensure_private_dir(path.parent)
            if not path.exists():
                old = os.umask(0o077)
                try:
                    path.touch(mode=0o600)
                finally:
                    os.umask(old)
        except OSError as exc:
            raise classify(exc, parsed) or BimailError(
                ErrorCode.STORE_UNAVAILABLE, Msg("store.cannot_open", path=path,
                                                 reason=describe(exc))) from exc
        # a pooled connection is checked out by one unit of work (one thread) at a time
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    else:
        # a server that does not answer is reported within seconds, not minutes
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        if parsed.get_backend_name() in ("mysql", "mariadb"):
            # as on PostgreSQL: each statement sees what others committed before it (the
            # rate limit reads the sends of the last minute after locking the sender)
            kwargs["isolation_level"] = "READ COMMITTED"
        engine = create_engine(parsed, **kwargs)
    except ImportError as exc:  # NoSuchModuleError is an ArgumentError, handled below
        raise missing_driver(parsed, exc) from exc
    except Exception as exc:
        if type(exc).__name__ == "NoSuchModuleError":
            raise missing_driver(parsed, exc) from exc
        raise
    health = _Health(parsed, path)
    _install_error_events(engine, health)
    if engine.dialect.name == "sqlite":
        _install_sqlite_events(engine)
    try:
        migrate(engine)
    except BimailError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        error = health.note_any(exc)
        if error is None:
            raise
        raise error from exc
    return Store(url, engine, health)


def restore_advice(url: str, lang: str | None = "en") -> str:
    """How to bring back a store from a backup, for the store's kind, in ``lang``."""
    try:
        parsed = resolve_url(url)
    except BimailError:
        return ""
    path = _sqlite_path(parsed)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and path is not None:
        return Msg("restore.sqlite", path=str(path), name=path.name).render(lang)
    if backend == "postgresql":
        return Msg("restore.postgresql").render(lang)
    return Msg("restore.mysql").render(lang)


def check_integrity(url: str, lang: str | None = "en") -> tuple[bool, list[str]]:
    """Check a store without changing it: SQLite's ``PRAGMA integrity_check`` on the file
    opened read-only; for a server database, that it answers and holds this program's
    schema. Returns (ok, findings). A SQLite store that checks out loses its damage mark."""
    parsed = resolve_url(url)
    path = _sqlite_path(parsed)
    if parsed.get_backend_name() == "sqlite":
        if path is None:
            return True, [Msg("integrity.in_memory").render(lang)]
        if not path.exists():
            return True, [Msg("integrity.not_yet", path=str(path)).render(lang)]
        import sqlite3

        try:
            checker = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                rows = [str(r[0]) for r in checker.execute("PRAGMA integrity_check(20)")
                        if not str(r[0]).startswith("*** in database")]
            finally:
                checker.close()
        except sqlite3.Error as exc:
            return False, [f"{path}: {exc}"]
        if rows != ["ok"]:
            return False, [f"{path}: {row}" for row in rows]
        mark = damage_mark(path)
        if mark.exists():
            try:
                mark.unlink()
                return True, [Msg("integrity.ok_mark_removed", path=str(path),
                                  mark=mark.name).render(lang)]
            except OSError as exc:
                return True, [Msg("integrity.ok_mark_stuck", path=str(path), mark=str(mark),
                                  error=str(exc)).render(lang)]
        return True, [Msg("integrity.ok", path=str(path)).render(lang)]
    engine = open_store(url).engine  # reports store_unavailable itself
    try:
        with engine.connect() as conn:
            current = _current_revisions(conn)
    finally:
        engine.dispose()
    return True, [Msg("integrity.server_ok", url=masked(parsed),
                      revision=", ".join(sorted(current))).render(lang)]
