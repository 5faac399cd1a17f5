"""The distinct senders, recipients and templates of the records on PostgreSQL and MariaDB.

A substring filter of the records ("user0042", "张伟") cannot use a b-tree: on a server
store it read the whole table (seconds at a million records) whenever it matched few
records. ``send_record_texts`` holds every distinct sender, recipient and template text a
record ever had (a few thousand short strings), kept by triggers: a filter is first
resolved against it, and its matching values then drive the ``(column, sent_at)`` indexes
of migration 0002, newest first. The records' own condition is still applied to every row,
so the answers stay those of a plain case-insensitive LIKE; the table only needs to hold
every value (a value whose records were deleted stays: it costs one index look-up).

The triggers only insert a value that is not there yet and never update a row, so sends
running at once from several machines do not wait for each other on this table.

* MariaDB/MySQL: the value column compares bytes exactly (a NO PAD binary collation), so
  that 'Bi@Acme.com', 'bi@acme.com' and 'bi@acme.com ' each keep a row of their own.
* Where the triggers cannot be created (a MariaDB user without the right to, with binary
  logging on), the table is not made and the filters work as before.
* SQLite has its own value table with counts (migration 0002): nothing changes there.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

TABLE = "send_record_texts"
KINDS = ("sender", "recipient", "template")
# byte-exact and NO PAD, best first (MariaDB, MySQL 8); the last one ignores trailing spaces
BINARY_COLLATIONS = ["utf8mb4_nopad_bin", "utf8mb4_0900_bin", "utf8mb4_bin"]


def _postgresql(bind: sa.engine.Connection) -> None:
    op.execute(f"CREATE TABLE {TABLE} (kind VARCHAR(16) NOT NULL, value VARCHAR(254) NOT NULL, "
               f"PRIMARY KEY (kind, value))")
    for kind in KINDS:
        op.execute(f"INSERT INTO {TABLE} (kind, value) SELECT DISTINCT '{kind}', {kind} "
                   f"FROM send_records")
    rows = ", ".join(f"('{kind}', NEW.{kind})" for kind in KINDS)
    op.execute(
        f"CREATE FUNCTION {TABLE}_add() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {TABLE} (kind, value) VALUES {rows} ON CONFLICT DO NOTHING; "
        f"RETURN NULL; END $$")
    op.execute(f"CREATE TRIGGER {TABLE}_insert AFTER INSERT OR UPDATE OF "
               f"{', '.join(KINDS)} ON send_records FOR EACH ROW EXECUTE PROCEDURE "
               f"{TABLE}_add()")


def _mysql(bind: sa.engine.Connection) -> None:
    collation = None
    for candidate in BINARY_COLLATIONS:
        try:
            bind.execute(sa.text(f"SELECT _utf8mb4 'a' COLLATE {candidate}"))
            collation = candidate
            break
        except sa.exc.DBAPIError:
            continue
    if collation is None:
        log.warning("no binary utf8mb4 collation: the records' text filters scan instead")
        return
    op.execute(f"CREATE TABLE {TABLE} (kind VARCHAR(16) CHARACTER SET ascii NOT NULL, "
               f"value VARCHAR(254) CHARACTER SET utf8mb4 COLLATE {collation} NOT NULL, "
               f"PRIMARY KEY (kind, value)) ENGINE=InnoDB")
    for kind in KINDS:
        op.execute(f"INSERT INTO {TABLE} (kind, value) SELECT DISTINCT '{kind}', "
                   f"{kind} COLLATE {collation} FROM send_records")
    def body(changed: bool) -> str:
        # a plain read first: a value that is there already takes no lock at all; an
        # update (a send finishing) looks only at a text that changed
        return " ".join(
            f"IF {f'NEW.{kind} COLLATE {collation} <> OLD.{kind} AND ' if changed else ''}"
            f"NOT EXISTS (SELECT 1 FROM {TABLE} WHERE kind = '{kind}' AND value = "
            f"NEW.{kind} COLLATE {collation}) THEN INSERT IGNORE INTO {TABLE} (kind, value) "
            f"VALUES ('{kind}', NEW.{kind}); END IF;" for kind in KINDS)

    try:
        for event in ("INSERT", "UPDATE"):
            bind.execute(sa.text(f"CREATE TRIGGER {TABLE}_{event.lower()} AFTER {event} ON "
                                 f"send_records FOR EACH ROW BEGIN {body(event == 'UPDATE')} "
                                 f"END"))
    except sa.exc.DBAPIError as exc:
        log.warning("the records' value table cannot be kept here (%s): their text filters "
                    "scan instead", exc)
        for event in ("insert", "update"):
            bind.execute(sa.text(f"DROP TRIGGER IF EXISTS {TABLE}_{event}"))
        op.execute(f"DROP TABLE {TABLE}")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name in ("mysql", "mariadb"):
        _mysql(bind)
    elif bind.dialect.name == "postgresql":
        _postgresql(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name in ("mysql", "mariadb"):
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{event}")
    elif bind.dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_insert ON send_records")
        op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_add()")
    if bind.dialect.name != "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {TABLE}")
