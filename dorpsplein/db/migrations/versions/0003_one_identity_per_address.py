"""One identity per address: `email_canonical`, unique per list; existing duplicates merged.

Before this revision `Jan.Jansen@…` (added by staff) and `jan.jansen@…` (signed up on the site) could be
two rows on one list, each getting a copy. Rows with the same canonical address on the same list become
one: the earliest consent proof is kept (the row that holds it survives, with its key), the strongest
wish wins (unsubscribed over confirmed over pending), deliveries move to the survivor (per mailing the
most advanced one is kept), and the other rows' keys go into `merged_keys` so their unsubscribe links
keep working.

Revision ID: 0003_one_identity_per_address
Revises: 0002_retire_schema_version_table
Create Date: 2026-12-03
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from dorpsplein.db.identity import canonical_email

revision = "0003_one_identity_per_address"
down_revision = "0002_retire_schema_version_table"
branch_labels = None
depends_on = None

# This revision's view of the tables (not schema.py's, which will move on).
subscribers = sa.table(
    "subscribers", sa.column("id"), sa.column("key"), sa.column("email"), sa.column("email_canonical"),
    sa.column("list_name"), sa.column("status"), sa.column("nonce"), sa.column("source"),
    sa.column("requested_at"), sa.column("confirmed_at"), sa.column("consent_version"),
    sa.column("consent_note"), sa.column("unsubscribed_at"))
deliveries = sa.table("deliveries", sa.column("id"), sa.column("mailing"), sa.column("subscriber_id"),
                      sa.column("status"))
merged_keys = sa.table("merged_keys", sa.column("key"), sa.column("subscriber_id"))

STRENGTH = {"unsubscribed": 2, "confirmed": 1, "pending": 0}
PROGRESS = {"sent": 3, "failed": 2, "deferred": 1, "sending": 0}  # which delivery of one mailing to keep


def upgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("email_canonical", sa.String(254), nullable=True))
    op.create_table(
        "merged_keys",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("subscriber_id", sa.Integer, sa.ForeignKey("subscribers.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_merged_keys_subscriber_id", "merged_keys", ["subscriber_id"])
    conn = op.get_bind()
    groups = defaultdict(list)
    for row in conn.execute(sa.select(subscribers).order_by(subscribers.c.id)):
        groups[(row.list_name, canonical_email(row.email))].append(row)
    for (_list_name, canonical), rows in groups.items():
        survivor = _merge(conn, rows) if len(rows) > 1 else rows[0]
        conn.execute(subscribers.update().where(subscribers.c.id == survivor.id).values(email_canonical=canonical))
    with op.batch_alter_table("subscribers") as batch:
        batch.alter_column("email_canonical", existing_type=sa.String(254), nullable=False)
        batch.drop_constraint("uq_subscribers_email_list", type_="unique")
        batch.create_unique_constraint("uq_subscribers_list_email_canonical", ["list_name", "email_canonical"])
        batch.create_index("ix_subscribers_email_canonical", ["email_canonical"])  # a person on every list


def _merge(conn, rows):
    """Fold `rows` (one person on one list) into the row with the earliest consent proof; returns it."""
    consented = [row for row in rows if row.confirmed_at is not None]
    survivor = min(consented or rows, key=lambda row: (row.confirmed_at or row.requested_at, row.id))
    others = [row for row in rows if row.id != survivor.id]
    status = max((row.status for row in rows), key=lambda status: STRENGTH.get(status, 0))
    unsubscribed = [row.unsubscribed_at for row in rows if row.status == "unsubscribed" and row.unsubscribed_at]
    pending_nonce = next((row.nonce for row in [survivor, *others] if row.status == "pending" and row.nonce), None)
    conn.execute(subscribers.update().where(subscribers.c.id == survivor.id).values(
        status=status,
        nonce=pending_nonce if status == "pending" else None,
        requested_at=min(row.requested_at for row in rows),
        unsubscribed_at=max(unsubscribed) if status == "unsubscribed" and unsubscribed else None))
    kept = {row.mailing: row for row in conn.execute(
        sa.select(deliveries).where(deliveries.c.subscriber_id == survivor.id))}
    for other in others:
        for delivery in conn.execute(sa.select(deliveries).where(deliveries.c.subscriber_id == other.id)).all():
            mine = kept.get(delivery.mailing)
            if mine is None:
                conn.execute(deliveries.update().where(deliveries.c.id == delivery.id)
                             .values(subscriber_id=survivor.id))
                kept[delivery.mailing] = delivery
            elif PROGRESS.get(delivery.status, 0) > PROGRESS.get(mine.status, 0):
                conn.execute(deliveries.delete().where(deliveries.c.id == mine.id))
                conn.execute(deliveries.update().where(deliveries.c.id == delivery.id)
                             .values(subscriber_id=survivor.id))
                kept[delivery.mailing] = delivery
            else:
                conn.execute(deliveries.delete().where(deliveries.c.id == delivery.id))
        conn.execute(merged_keys.insert().values(key=other.key, subscriber_id=survivor.id))
        conn.execute(subscribers.delete().where(subscribers.c.id == other.id))
    return survivor


def downgrade() -> None:
    op.drop_index("ix_subscribers_email_canonical", "subscribers")
    op.drop_index("ix_merged_keys_subscriber_id", "merged_keys")
    op.drop_table("merged_keys")
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_constraint("uq_subscribers_list_email_canonical", type_="unique")
        batch.create_unique_constraint("uq_subscribers_email_list", ["email", "list_name"])
        batch.drop_column("email_canonical")
