"""`signup_mailed_at`: when the last sign-up e-mail went to this row, so an address gets at most one per
FORMS_CONFIRM_INTERVAL_HOURS however often it is signed up (subscription bombing, #18).

Revision ID: 0004_signup_mail_time
Revises: 0003_one_identity_per_address
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_signup_mail_time"
down_revision = "0003_one_identity_per_address"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("signup_mailed_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("signup_mailed_at")
