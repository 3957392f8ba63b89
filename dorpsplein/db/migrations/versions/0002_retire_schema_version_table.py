"""Retire `dorpsplein_schema`: Alembic's `alembic_version` now records the schema's revision.

Revision ID: 0002_retire_schema_version_table
Revises: 0001_baseline
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_retire_schema_version_table"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("dorpsplein_schema")


def downgrade() -> None:
    op.create_table(
        "dorpsplein_schema",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.bulk_insert(sa.table("dorpsplein_schema", sa.column("id"), sa.column("version")), [{"id": 1, "version": 1}])
