"""The first schema: senders, settings, preferences, templates, send records, trusted
certificates.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "senders",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("server", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("encryption", sa.String(8), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("address_key", sa.String(254), nullable=False, unique=True),
        sa.Column("username", sa.String(256), nullable=False, server_default=""),
        sa.Column("show_name", sa.String(128), nullable=False, server_default=""),
        sa.Column("rate_limit", sa.Integer(), nullable=False, server_default="10"),
        sa.Column("auth_method", sa.String(32), nullable=False, server_default="password"),
        sa.Column("oauth_settings", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "default_sender_id",
            sa.String(36),
            sa.ForeignKey("senders.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_table(
        "preferences",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "templates",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("subject", sa.String(998), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "send_records",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("sender", sa.String(254), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False, server_default=""),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("template", sa.String(128), nullable=False),
        sa.Column("resources", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("result", sa.String(8), nullable=False),
        sa.Column("error_code", sa.String(32), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("server_reply", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("process_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_send_records_sent_at", "send_records", ["sent_at"])
    op.create_index("ix_send_records_result_pending", "send_records", ["result"])
    op.create_table(
        "trusted_certificates",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("host", sa.String(300), nullable=False, server_default=""),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False, server_default=""),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("sha256", "host", name="uq_trusted_sha256_host"),
    )
    op.execute("INSERT INTO settings (id, default_sender_id) VALUES (1, NULL)")


def downgrade() -> None:
    for table in (
        "trusted_certificates",
        "send_records",
        "templates",
        "preferences",
        "settings",
        "senders",
    ):
        op.drop_table(table)
