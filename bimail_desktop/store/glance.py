"""A first look at the senders of the embedded SQLite store, without the database library.

The window lists the senders at its first paint from this read, while the store is opened
the full way (SQLAlchemy, migrations, start-up work) in the background; importing that
library alone takes longer than starting Qt and painting the window.

Only the standard library (``sqlite3``), and only when nothing is in doubt: the store is
the data folder's SQLite file (or a plain ``sqlite:///`` URL), the file exists, bears no
damage mark and holds exactly the schema revision this program ships. It is opened
read-only (``mode=ro``) with ``query_only`` on: this never writes, creates or upgrades
anything. Any doubt — a server store, a missing, locked, damaged or older/newer file, a row
this program would not have written — gives None, and the window opens the store the full
way before it lists the senders.

OAuth2 senders give None too: whether they are signed in is in the keychain, which this
read does not ask. A sender that signs in with a password is listed as "Password"; whether
this machine's keychain holds that password is checked once the store is open.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from ..domain.clock import aware
from ..domain.models import AuthMethod, Encryption, LastCheck, Sender

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_REVISION = re.compile(r"""^revision\s*=\s*["']([^"']+)["']""", re.MULTILINE)
_DOWN = re.compile(r"""^down_revision\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def known_revisions() -> tuple[set[str], str]:
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


def damage_mark(path: Path) -> Path:
    """The file that records, next to a SQLite store, that it reported damage: while it
    exists no program writes into the store (``bimail doctor`` removes it once the store
    checks out again)."""
    return path.with_name(path.name + ".damaged")


@dataclass(frozen=True)
class SendersGlance:
    """The senders as the Senders page lists them (ordered by address), the default sender
    and each sender's last check (address in lower case → check)."""

    path: Path
    senders: tuple[Sender, ...]
    default: Sender | None
    checks: dict[str, LastCheck]


def store_file(db: str | None = None) -> Path | None:
    """The SQLite file the program would open for ``db`` (else BIMAIL_DATABASE_URL, else
    the data folder's store), or None when it would open anything else — a server, an
    in-memory store, a URI filename, options in the URL. Creates nothing."""
    url = db or os.environ.get("BIMAIL_DATABASE_URL")
    if not url:
        from ..config import default_store_file

        return default_store_file()
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            database = url[len(prefix):]
            break
    else:
        return None
    if not database or "?" in database or database.startswith("file:") \
            or database == ":memory:":
        return None
    return Path(unquote(database))


_SENDERS = (
    "SELECT id, server, port, encryption, address, username, show_name, rate_limit, "
    "created_at, updated_at, auth_method, version, login_entered "
    "FROM senders ORDER BY address_key"
)


def _time(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("not a stored time")
    return aware(datetime.fromisoformat(value))


def _sender(row: tuple[object, ...], default_id: object) -> Sender:
    (sender_id, server, port, encryption, address, username, show_name, rate_limit,
     created_at, updated_at, auth_method, version, login_entered) = row
    texts = (sender_id, server, encryption, address, username, show_name, auth_method)
    if not all(isinstance(value, str) for value in texts):
        raise ValueError("a sender row this program did not write")
    if not all(isinstance(value, int) for value in (port, rate_limit)) \
            or not isinstance(version, int | None) \
            or not isinstance(login_entered, int | None):
        raise ValueError("a sender row this program did not write")
    method = AuthMethod(str(auth_method))
    if method is not AuthMethod.PASSWORD:
        raise ValueError("an OAuth2 sender: its state is in the keychain")
    return Sender(
        id=str(sender_id),
        server=str(server),
        port=int(port),  # type: ignore[call-overload]
        encryption=Encryption(str(encryption)),
        address=str(address),
        username=str(username),
        show_name=str(show_name),
        rate_limit=int(rate_limit),  # type: ignore[call-overload]
        created_at=_time(created_at),
        updated_at=_time(updated_at),
        auth_method=method,
        is_default=sender_id == default_id,
        has_password=False,
        version=int(version or 1),
        password_stored=bool(login_entered),
    )


def read_senders(db: str | None = None) -> SendersGlance | None:
    """The senders of the SQLite store at ``db`` as the Senders page lists them, read
    without the database library; None whenever anything is in doubt (see the module)."""
    path = store_file(db)
    if path is None:
        return None
    try:
        if not path.is_file() or damage_mark(path).exists():
            return None
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return None
        _known, head = known_revisions()
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                     timeout=0.1, isolation_level=None,
                                     check_same_thread=False)
    except (OSError, RuntimeError, sqlite3.Error, ValueError):
        return None
    try:
        connection.execute("PRAGMA query_only = 1")
        connection.execute("BEGIN")  # one snapshot for every read below
        revisions = [row[0] for row in connection.execute(
            "SELECT version_num FROM alembic_version")]
        if revisions != [head]:
            return None
        defaults = connection.execute(
            "SELECT default_sender_id FROM settings WHERE id = 1").fetchall()
        default_id = defaults[0][0] if defaults else None
        rows = connection.execute(_SENDERS).fetchall()
        values = [row[0] for row in connection.execute(
            "SELECT value FROM preferences WHERE key LIKE 'last_check:%'")]
        connection.execute("ROLLBACK")
        senders = tuple(_sender(tuple(row), default_id) for row in rows)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        connection.close()
    default = next((s for s in senders if s.is_default), None)
    if default_id is not None and default is None:
        return None  # a default that names no sender: let the store say what it means
    checks: dict[str, LastCheck] = {}
    for value in values:
        check = LastCheck.from_json(value) if isinstance(value, str) else None
        if check is not None:
            checks[check.address] = check
    return SendersGlance(path, senders, default, checks)
