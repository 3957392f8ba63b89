"""Baseline: the schema as it was before Alembic (version 1 of the old `dorpsplein_schema` table).

A database from that time is stamped with this revision instead of running it.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dorpsplein_schema",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.bulk_insert(sa.table("dorpsplein_schema", sa.column("id"), sa.column("version")), [{"id": 1, "version": 1}])
    op.create_table(
        "subscribers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(32), nullable=False, unique=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("list_name", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("nonce", sa.String(32)),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("confirmed_at", sa.DateTime),
        sa.Column("consent_version", sa.String(64)),
        sa.Column("consent_note", sa.Text),
        sa.Column("unsubscribed_at", sa.DateTime),
        sa.UniqueConstraint("email", "list_name", name="uq_subscribers_email_list"),
    )
    op.create_index("ix_subscribers_list_status", "subscribers", ["list_name", "status"])
    op.create_table(
        "contact_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(150), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("mailed_at", sa.DateTime),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mailing", sa.String(128), nullable=False),
        sa.Column("subscriber_id", sa.Integer, sa.ForeignKey("subscribers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("smtp_code", sa.Integer),
        sa.Column("detail", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("mailing", "subscriber_id", name="uq_deliveries_mailing_subscriber"),
    )


def downgrade() -> None:
    for table in ("deliveries", "contact_messages", "subscribers", "dorpsplein_schema"):
        op.drop_table(table)
