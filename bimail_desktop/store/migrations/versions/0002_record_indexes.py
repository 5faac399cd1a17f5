"""Indexes that keep every filter of the sending records fast at millions of rows.

* One b-tree per filter column, each ending in ``sent_at``: ``(sender, sent_at)``,
  ``(recipient, sent_at)``, ``(template, sent_at)``, ``(result, sent_at)``. A filter on one
  exact value walks its index already in send-time order (newest first without a sort) and
  a date range narrows it inside the same index.
* ``(sent_at, result, sender, template, recipient)`` covers every filter column: a query
  that combines broad filters (half the records each) walks it newest first, or counts
  through it, testing each filter inside the index without reading a single table row —
  the bound on the slowest combination.
* SQLite only: ``send_record_values`` holds every distinct sender, recipient, template and
  result with its number of records, kept exact by triggers. A substring filter ("acme")
  cannot use a b-tree (leading wildcard), but the few thousand distinct values can be
  scanned in a millisecond; the matching values then drive the b-trees above and their
  counts give the total (and the planner's estimate) without touching the big table.
  Other databases use the b-trees and a plain case-insensitive LIKE.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FILTER_INDEXES = {
    "ix_send_records_sender_sent_at": ["sender", "sent_at"],
    "ix_send_records_recipient_sent_at": ["recipient", "sent_at"],
    "ix_send_records_template_sent_at": ["template", "sent_at"],
    "ix_send_records_result_sent_at": ["result", "sent_at"],
    "ix_send_records_filter_scan": ["sent_at", "result", "sender", "template", "recipient"],
}
KINDS = ("sender", "recipient", "template", "result")


def _bump(kind: str, ref: str) -> str:
    return (
        f"INSERT INTO send_record_values (kind, value, n) VALUES ('{kind}', {ref}.{kind}, 1) "
        f"ON CONFLICT (kind, value) DO UPDATE SET n = n + 1;"
    )


def _drop(kind: str, ref: str) -> str:
    return (
        f"UPDATE send_record_values SET n = n - 1 WHERE kind = '{kind}' AND value = {ref}.{kind};"
        f" DELETE FROM send_record_values WHERE kind = '{kind}' AND value = {ref}.{kind}"
        f" AND n <= 0;"
    )


def upgrade() -> None:
    for name, columns in FILTER_INDEXES.items():
        op.create_index(name, "send_records", columns)
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE send_record_values ("
        " kind VARCHAR(16) NOT NULL,"
        " value VARCHAR(254) NOT NULL,"
        " n INTEGER NOT NULL,"
        " PRIMARY KEY (kind, value)"
        ") WITHOUT ROWID"
    )
    for kind in KINDS:
        op.execute(
            f"INSERT INTO send_record_values (kind, value, n) "
            f"SELECT '{kind}', {kind}, count(*) FROM send_records GROUP BY {kind}"
        )
    op.execute(
        "CREATE TRIGGER send_record_values_insert AFTER INSERT ON send_records BEGIN "
        + " ".join(_bump(kind, "NEW") for kind in KINDS)
        + " END"
    )
    op.execute(
        "CREATE TRIGGER send_record_values_delete AFTER DELETE ON send_records BEGIN "
        + " ".join(_drop(kind, "OLD") for kind in KINDS)
        + " END"
    )
    for kind in KINDS:
        op.execute(
            f"CREATE TRIGGER send_record_values_update_{kind} AFTER UPDATE OF {kind} "
            f"ON send_records WHEN OLD.{kind} IS NOT NEW.{kind} BEGIN "
            f"{_drop(kind, 'OLD')} {_bump(kind, 'NEW')} END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for kind in KINDS:
            op.execute(f"DROP TRIGGER IF EXISTS send_record_values_update_{kind}")
        op.execute("DROP TRIGGER IF EXISTS send_record_values_delete")
        op.execute("DROP TRIGGER IF EXISTS send_record_values_insert")
        op.execute("DROP TABLE IF EXISTS send_record_values")
    for name in FILTER_INDEXES:
        op.drop_index(name, table_name="send_records")

