"""The outbox: the forms service's e-mails leave through a table worked off in the background, not
inside the visitor's request (#19).

Revision ID: 0005_outbox
Revises: 0004_signup_mail_time
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_outbox"
down_revision = "0004_signup_mail_time"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("about", sa.String(254), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("contact_message_id", sa.Integer, sa.ForeignKey("contact_messages.id", ondelete="CASCADE")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("claimed_until", sa.DateTime),
        sa.Column("claimed_by", sa.String(16)),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_outbox_about", "outbox", ["about"])
    op.create_index("ix_outbox_next_attempt_at", "outbox", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox")
