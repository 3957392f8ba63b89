"""The database schema: every table the forms service and the newsletter sender share, in one place.

This is the SQLAlchemy model the Alembic migrations (`migrations/versions/`) bring a database to; a test
compares the two, so a change here without a revision (`alembic revision --autogenerate -m "…"`) fails.

A subscriber row is one address on one list. Its life: `pending` (sign-up, waiting for the
confirmation link) → `confirmed` (with the time and version of the consent text: AVG art. 7
proof) → `unsubscribed` (kept, as the record that consent was withdrawn). Pending rows older
than a few days are pruned. `key` is the random public identifier that links carry; `nonce`
makes a confirmation link single-use.
"""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

PENDING, CONFIRMED, UNSUBSCRIBED = "pending", "confirmed", "unsubscribed"
EMAIL_MAX_LENGTH = 254  # RFC 5321 path limit


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (which has no time zones) too."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime; pass an aware UTC datetime")
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


metadata = MetaData()

subscribers = Table(
    "subscribers", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(32), nullable=False, unique=True),
    Column("email", String(EMAIL_MAX_LENGTH), nullable=False),  # as typed, for display
    Column("email_canonical", String(EMAIL_MAX_LENGTH), nullable=False, index=True),  # identity.canonical_email
    Column("list_name", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("nonce", String(32)),
    Column("source", String(16), nullable=False),  # form | import | admin
    Column("requested_at", UtcDateTime, nullable=False),
    Column("confirmed_at", UtcDateTime),
    Column("consent_version", String(64)),
    Column("consent_note", Text),  # proof of consent for rows that did not come through the form
    Column("unsubscribed_at", UtcDateTime),
    Column("signup_mailed_at", UtcDateTime),  # the last confirmation (or "already subscribed") e-mail
    UniqueConstraint("list_name", "email_canonical", name="uq_subscribers_list_email_canonical"),
    Index("ix_subscribers_list_status", "list_name", "status"),
)

# The keys of rows that were merged into another one (migration 0003): links in e-mails sent before the
# merge carry them, and an unsubscribe through such a link must still reach the person.
merged_keys = Table(
    "merged_keys", metadata,
    Column("key", String(32), primary_key=True),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="CASCADE"), nullable=False, index=True),
)

contact_messages = Table(
    "contact_messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("email", String(EMAIL_MAX_LENGTH), nullable=False),
    Column("subject", String(150), nullable=False),
    Column("message", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("mailed_at", UtcDateTime),  # NULL until the community manager's copy is sent
)

# One row per (mailing, subscriber), written before and updated after each send: the newsletter
# sender's exactly-once record. Status: sending | sent | deferred (4xx, retried) | failed (5xx).
deliveries = Table(
    "deliveries", metadata,
    Column("id", Integer, primary_key=True),
    Column("mailing", String(128), nullable=False),
    Column("subscriber_id", Integer, ForeignKey("subscribers.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("smtp_code", Integer),
    Column("detail", Text),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("owner", String(128)),  # the run that claimed a `sending` row: host, pid and a random part
    Column("lease_until", UtcDateTime),  # a `sending` row is that run's until then; it renews while alive
    UniqueConstraint("mailing", "subscriber_id", name="uq_deliveries_mailing_subscriber"),
)

# E-mails of the forms service waiting to be sent (confirmation, "already subscribed", contact copies):
# a request only adds a row, the service's outbox worker sends it and deletes the row, retrying with
# backoff while the SMTP server fails. `about` is the canonical address of the person the mail concerns
# (`subscribers forget`); `claimed_until` keeps two workers from sending the same row.
outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),  # confirmation | already_subscribed | contact
    Column("about", String(EMAIL_MAX_LENGTH), nullable=False, index=True),
    Column("payload", Text, nullable=False),  # JSON: the values the worker composes the e-mail from
    Column("contact_message_id", Integer, ForeignKey("contact_messages.id", ondelete="CASCADE")),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime),  # a confirmation link no longer works after this: not worth sending
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("claimed_until", UtcDateTime),
    Column("claimed_by", String(16)),  # a random token per claim: which worker's batch the row is in
    Column("last_error", Text),
    Index("ix_outbox_next_attempt_at", "next_attempt_at"),
)
