"""The relay's outbox and its users.

``relay_outbox`` holds every message the relay answered ``250`` for until it is delivered,
failed or expired; ``relay_users`` the names and salted scrypt hashes of the relay's users.

Revision ID: 0004
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "relay_outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("sender", sa.String(254), nullable=False),
        sa.Column("envelope_from", sa.String(254), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql",
                                                           "mariadb"), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("client_ip", sa.String(64), nullable=False),
        sa.Column("template", sa.String(128), nullable=False),
        sa.Column("resources", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt", sa.DateTime(), nullable=False),
        sa.Column("last_error_code", sa.String(32), nullable=True),
        sa.Column("last_error_message", sa.Text(), nullable=True),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_relay_outbox_status_next", "relay_outbox", ["status", "next_attempt"])
    op.create_table(
        "relay_users",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("password_hash", sa.String(512), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("relay_users")
    op.drop_index("ix_relay_outbox_status_next", table_name="relay_outbox")
    op.drop_table("relay_outbox")
