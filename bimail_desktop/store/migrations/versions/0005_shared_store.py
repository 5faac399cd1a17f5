"""A store shared by a team: the same answers on every database.

* ``senders.address_key`` becomes the one comparison form of an address (local part
  case-folded, domain in IDNA form), computed by the program — not by a database's
  ``lower()``, which folds ASCII only on SQLite.
* ``senders.version`` counts the changes of a sender: an edit made from an older view is
  refused (``changed_elsewhere``) instead of overwriting someone else's change.
* ``senders.login_entered``: a password was entered for the sender (on some machine). The
  password itself stays in each machine's keychain, never in the store: a machine that lacks
  it says so (``secret_unavailable``) instead of trying without.
* ``store_hosts``: each machine's heartbeat (host id, last seen), so that another machine can
  tell that one stopped and mark the sends it left pending as interrupted.
* MariaDB/MySQL: times to the microsecond (``DATETIME(6)``) and text in utf8mb4 with an
  accent-sensitive, case-insensitive collation (``exämple`` is not ``example``).
* PostgreSQL: trigram (pg_trgm) GIN indexes for the substring filters of the records, where
  the extension may be created.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from bimail_desktop.domain.validation import address_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

# every table of the store with its time columns (name, nullable)
TIME_COLUMNS = {
    "senders": [("created_at", False), ("updated_at", False)],
    "templates": [("created_at", False), ("updated_at", False)],
    "send_records": [("sent_at", False)],
    "trusted_certificates": [("added_at", False)],
    "relay_outbox": [("created_at", False), ("next_attempt", False), ("lease_until", True),
                     ("claimed_at", True)],
    "relay_users": [("created_at", False)],
    "store_hosts": [("last_seen", False)],
}
TABLES = ["senders", "settings", "preferences", "templates", "send_records",
          "trusted_certificates", "relay_outbox", "relay_users", "store_hosts"]
# accent-sensitive and case-insensitive, best first (MariaDB ≥ 10.10, MySQL 8); the last
# one is binary, and the program folds case itself where it matters
COLLATIONS = ["utf8mb4_uca1400_as_ci", "utf8mb4_0900_as_ci", "utf8mb4_bin"]
TRIGRAM_COLUMNS = ["sender", "recipient", "template"]


def _rekey_senders(bind: sa.engine.Connection) -> None:
    rows = bind.execute(sa.text("SELECT id, address, address_key FROM senders")).all()
    taken = {key for _id, _address, key in rows}
    for sender_id, address, old in rows:
        new = address_key(address)
        if new == old:
            continue
        if new in taken:
            log.warning("sender %s keeps its old key: %s is taken", address, new)
            continue
        bind.execute(sa.text("UPDATE senders SET address_key = :key WHERE id = :id"),
                     {"key": new, "id": sender_id})
        taken.discard(old)
        taken.add(new)


def _mysql(bind: sa.engine.Connection) -> None:
    collation = None
    for candidate in COLLATIONS:
        try:
            bind.execute(sa.text(f"SELECT _utf8mb4 'a' COLLATE {candidate}"))
            collation = candidate
            break
        except sa.exc.DBAPIError:
            continue
    database = bind.execute(sa.text("SELECT DATABASE()")).scalar()
    if collation is not None:
        try:
            bind.execute(sa.text(f"ALTER DATABASE `{database}` CHARACTER SET utf8mb4 "
                                 f"COLLATE {collation}"))
        except sa.exc.DBAPIError as exc:  # a user without rights on the database itself
            log.warning("the database's default collation stays: %s", exc)
        # settings.default_sender_id refers to senders.id: the reference is dropped while
        # both columns change, then made again
        for fk in sa.inspect(bind).get_foreign_keys("settings"):
            bind.execute(sa.text(f"ALTER TABLE settings DROP FOREIGN KEY `{fk['name']}`"))
        for table in TABLES:
            bind.execute(sa.text(f"ALTER TABLE `{table}` CONVERT TO CHARACTER SET "
                                 f"utf8mb4 COLLATE {collation}"))
        bind.execute(sa.text(
            "ALTER TABLE settings ADD CONSTRAINT fk_settings_default_sender FOREIGN KEY "
            "(default_sender_id) REFERENCES senders (id) ON DELETE SET NULL"))
    for table, columns in TIME_COLUMNS.items():
        changes = ", ".join(f"MODIFY `{name}` DATETIME(6) {'NULL' if nullable else 'NOT NULL'}"
                            for name, nullable in columns)
        bind.execute(sa.text(f"ALTER TABLE `{table}` {changes}"))


def _postgresql(bind: sa.engine.Connection) -> None:
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        log.warning("no pg_trgm here (%s): the records' text filters scan instead", exc)
        return
    savepoint.commit()
    for column in TRIGRAM_COLUMNS:
        bind.execute(sa.text(
            f"CREATE INDEX IF NOT EXISTS ix_send_records_{column}_trgm ON send_records "
            f"USING gin (lower({column}) gin_trgm_ops)"))


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("senders") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("login_entered", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        "store_hosts",
        sa.Column("host_id", sa.String(128), primary_key=True),
        sa.Column("host_name", sa.String(255), nullable=False, server_default=""),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
    )
    _rekey_senders(bind)
    if bind.dialect.name in ("mysql", "mariadb"):
        _mysql(bind)
    elif bind.dialect.name == "postgresql":
        _postgresql(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for column in TRIGRAM_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_send_records_{column}_trgm")
    op.drop_table("store_hosts")
    with op.batch_alter_table("senders") as batch:
        batch.drop_column("login_entered")
        batch.drop_column("version")
