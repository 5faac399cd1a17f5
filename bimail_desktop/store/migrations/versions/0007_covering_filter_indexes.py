"""The indexes of the result, the sender and the template cover the other filter columns.

A filter that drives its column's index (sender "数据", result "failure") and is combined
with other filters (recipient "acme.com", template "report") had every other filter tested
on the table row of each index entry: a random read per entry, so counting "failures of a
sender's reports" read a quarter of a million table rows (half a second at 5x10^6 records).
These three ``(column, sent_at)`` indexes of migration 0002 become ``(column, sent_at, the
other filter columns)`` (the result's all of them, the sender's and the template's the other
texts): the same order (a value's records newest first, a date range inside it), and those
filters are tested inside the index, without a table row. Same names, same number of
indexes; each entry is larger (a few hundred MB in all at 5x10^6 records). The recipient's
index stays as it is: one recipient's records are few, its texts long.

SQLite only: there the program chooses each query's index itself. PostgreSQL and
MariaDB/MySQL choose their own plans, and MariaDB chose worse ones for some first pages with
the wider indexes (a sender's failed reports: 12 -> 185 ms at 10^6 records); their indexes
stay as they are.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FILTERS = ("result", "sender", "template", "recipient")
# the columns whose one value can match a large share of the records; a recipient's records
# are few (their table rows are read quickly) and its texts long: its index stays narrow
WIDENED = ("result", "sender", "template")
NAMES = {column: f"ix_send_records_{column}_sent_at" for column in WIDENED}


def covering(column: str) -> list[str]:
    """The columns of ``column``'s index: it, the send time, then the other filters. The
    sender's and the template's leave the result out: a send finishing (pending -> its
    result) then changes no more index entries than before."""
    others = [other for other in FILTERS if other != column
              and (column == "result" or other != "result")]
    return [column, "sent_at", *others]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for column, name in NAMES.items():
        op.drop_index(name, table_name="send_records")
        op.create_index(name, "send_records", covering(column))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for column, name in NAMES.items():
        op.drop_index(name, table_name="send_records")
        op.create_index(name, "send_records", [column, "sent_at"])
