"""Delivery claims carry their run and a lease: exactly once held by the database, not a lock file.

Revision ID: 0006_delivery_claims
Revises: 0005_outbox
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_delivery_claims"
down_revision = "0005_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("owner", sa.String(128)))  # nullable: SQLite adds them in place
    op.add_column("deliveries", sa.Column("lease_until", sa.DateTime))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as table:
        table.drop_column("lease_until")
        table.drop_column("owner")
