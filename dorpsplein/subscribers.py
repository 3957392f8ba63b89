"""The subscriber logic: sign-up, confirmation, unsubscribe, administrators' additions and removals.

The tables are in `dorpsplein.db.schema`, opening and migrating the database in `dorpsplein.db.database`;
the names other modules have always imported from here are re-exported below.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import Connection, Engine, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

# Re-exported: other modules have always imported these from here.
from .db.database import DATABASE_URL_VARIABLE, database_url, default_database_url, open_database, reading  # noqa: F401
from .db.identity import canonical_email
from .db.schema import (  # noqa: F401
    CONFIRMED,
    EMAIL_MAX_LENGTH,
    PENDING,
    UNSUBSCRIBED,
    contact_messages,
    deliveries,
    merged_keys,
    outbox,
    subscribers,
)
from .errors import DorpspleinError


@dataclass(frozen=True)
class Subscriber:
    id: int
    key: str
    email: str
    list_name: str
    status: str
    nonce: str | None
    source: str
    requested_at: datetime
    confirmed_at: datetime | None
    consent_version: str | None
    consent_note: str | None
    unsubscribed_at: datetime | None

    @classmethod
    def from_row(cls, row) -> Subscriber:
        return cls(**{name: row._mapping[name] for name in cls.__dataclass_fields__})


class ConfirmOutcome(Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"  # the link was used before
    INVALID = "invalid"  # unknown key, an older link, or the address has unsubscribed since


def _find(conn, email: str, list_name: str):
    """The row of this address on this list, whatever the letter case or domain spelling (db/identity.py)."""
    query = select(subscribers).where(subscribers.c.email_canonical == canonical_email(email),
                                      subscribers.c.list_name == list_name)
    return conn.execute(query).first()


def _has_key(key: str):
    """The row with this key, or the row it was merged into (its old links keep working)."""
    merged_into = select(merged_keys.c.subscriber_id).where(merged_keys.c.key == key).scalar_subquery()
    return or_(subscribers.c.key == key, subscribers.c.id == merged_into)


def add_pending(engine: Engine, email: str, list_name: str, now: datetime, source: str = "form") -> Subscriber:
    """Record a sign-up waiting for confirmation; returns the row (status tells the caller what to send).

    A confirmed address stays confirmed. A pending one keeps its nonce, so every confirmation e-mail
    sent so far keeps working, and its first request time, so signing up again and again does not keep
    it from being pruned; an unsubscribed one starts over and must confirm again.
    """
    return _retrying_a_lost_insert(engine, lambda conn: _add_pending(conn, email, list_name, now, source))


def sign_up(engine: Engine, email: str, list_name: str, now: datetime, mail_interval: timedelta,
            queue_mail: Callable[[Connection, Subscriber], None]) -> tuple[Subscriber, bool]:
    """`add_pending`, and `queue_mail(conn, subscriber)` if the address may get its e-mail now
    (`claim_signup_mail`), all in one transaction; returns the row and whether an e-mail was queued."""

    def work(conn):
        subscriber = _add_pending(conn, email, list_name, now, "form")
        mail = _claim_signup_mail(conn, subscriber, now, mail_interval)
        if mail:
            queue_mail(conn, subscriber)
        return subscriber, mail

    return _retrying_a_lost_insert(engine, work)


def _retrying_a_lost_insert(engine: Engine, work):
    for attempt in range(2):  # a concurrent insert of the same address (PostgreSQL) wins; then update it
        try:
            with engine.begin() as conn:
                return work(conn)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _add_pending(conn: Connection, email: str, list_name: str, now: datetime, source: str) -> Subscriber:
    row = _find(conn, email, list_name)
    if row is None:
        conn.execute(subscribers.insert().values(
            key=secrets.token_urlsafe(16), email=email, email_canonical=canonical_email(email),
            list_name=list_name, status=PENDING, nonce=secrets.token_urlsafe(16), source=source, requested_at=now))
    elif row.status == UNSUBSCRIBED:  # a new request: a new link and a new pruning clock
        conn.execute(subscribers.update().where(subscribers.c.id == row.id).values(
            status=PENDING, nonce=secrets.token_urlsafe(16), requested_at=now))
    elif row.status == PENDING and not row.nonce:
        conn.execute(subscribers.update().where(subscribers.c.id == row.id).values(nonce=secrets.token_urlsafe(16)))
    else:
        return Subscriber.from_row(row)
    return Subscriber.from_row(_find(conn, email, list_name))


def add_confirmed(engine: Engine, email: str, list_name: str, now: datetime, consent_note: str,
                  source: str = "import") -> Subscriber:
    """Add (or re-confirm) an address whose consent was given elsewhere, e.g. a paper form or a CSV import.

    `consent_note` is the proof (where and when the person agreed); without it there is no row.
    """
    if not consent_note.strip():
        raise DorpspleinError(f"{email}: a consent note is required (where and when did this person agree?)")
    with engine.begin() as conn:
        values = dict(status=CONFIRMED, nonce=None, source=source, confirmed_at=now, consent_version=None,
                      consent_note=consent_note.strip(), unsubscribed_at=None)
        row = _find(conn, email, list_name)
        if row is None:
            conn.execute(subscribers.insert().values(key=secrets.token_urlsafe(16), email=email,
                                                     email_canonical=canonical_email(email), list_name=list_name,
                                                     requested_at=now, **values))
        elif row.status != CONFIRMED:  # a confirmed row keeps its (earlier) proof of consent
            conn.execute(subscribers.update().where(subscribers.c.id == row.id).values(**values))
        return Subscriber.from_row(_find(conn, email, list_name))


def remove(engine: Engine, email: str, list_name: str) -> bool:
    """Delete an address from a list entirely (AVG right to erasure), deliveries included; False if absent."""
    with engine.begin() as conn:
        result = conn.execute(subscribers.delete().where(subscribers.c.email_canonical == canonical_email(email),
                                                         subscribers.c.list_name == list_name))
        return result.rowcount == 1


def confirm(engine: Engine, key: str, nonce: str, consent_version: str, now: datetime) -> ConfirmOutcome:
    """Confirm a pending sign-up once: the nonce is cleared in the same statement that confirms."""
    with engine.begin() as conn:
        updated = conn.execute(
            subscribers.update()
            .where(subscribers.c.key == key, subscribers.c.nonce == nonce, subscribers.c.status == PENDING)
            .values(status=CONFIRMED, nonce=None, confirmed_at=now, consent_version=consent_version,
                    unsubscribed_at=None))
        if updated.rowcount == 1:
            return ConfirmOutcome.CONFIRMED
        status = conn.execute(select(subscribers.c.status).where(subscribers.c.key == key)).scalar()
        return ConfirmOutcome.ALREADY_CONFIRMED if status == CONFIRMED else ConfirmOutcome.INVALID


def unsubscribe(engine: Engine, key: str, now: datetime) -> bool:
    """Unsubscribe the row with this key; idempotent. False when no such row exists (any longer)."""
    with engine.begin() as conn:
        conn.execute(subscribers.update()
                     .where(_has_key(key), subscribers.c.status != UNSUBSCRIBED)
                     .values(status=UNSUBSCRIBED, nonce=None, unsubscribed_at=now,
                             signup_mailed_at=None))  # signing up again later gets its e-mail at once
        return conn.execute(select(subscribers.c.id).where(_has_key(key))).first() is not None


def subscriber_by_key(engine: Engine, key: str) -> Subscriber | None:
    with reading(engine).connect() as conn:
        row = conn.execute(select(subscribers).where(_has_key(key))).first()
    return Subscriber.from_row(row) if row else None


def list_subscribers(engine: Engine, list_name: str | None = None, status: str | None = None) -> list[Subscriber]:
    """Subscribers in sign-up order, optionally of one list and/or one status."""
    query = select(subscribers).order_by(subscribers.c.id)
    if list_name is not None:
        query = query.where(subscribers.c.list_name == list_name)
    if status is not None:
        query = query.where(subscribers.c.status == status)
    with reading(engine).connect() as conn:
        return [Subscriber.from_row(row) for row in conn.execute(query)]


def count_subscribers(engine: Engine) -> dict[tuple[str, str], int]:
    """Number of rows per (list, status)."""
    query = (select(subscribers.c.list_name, subscribers.c.status, func.count())
             .group_by(subscribers.c.list_name, subscribers.c.status)
             .order_by(subscribers.c.list_name, subscribers.c.status))
    with reading(engine).connect() as conn:
        return {(list_name, status): n for list_name, status, n in conn.execute(query)}


def prune_unconfirmed(engine: Engine, requested_before: datetime) -> int:
    """Delete pending sign-ups requested before the given moment; returns how many."""
    with engine.begin() as conn:
        result = conn.execute(subscribers.delete().where(subscribers.c.status == PENDING,
                                                         subscribers.c.requested_at < requested_before))
        return result.rowcount


def claim_signup_mail(engine: Engine, subscriber: Subscriber, now: datetime, interval: timedelta) -> bool:
    """True (and the time noted) when this sign-up may send its e-mail: at most one per address per `interval`.

    One statement, so two sign-ups at the same moment cannot both claim it. The address counts on every
    list, whatever its letter case. The visitor is answered the same way either way.
    """
    with engine.begin() as conn:
        return _claim_signup_mail(conn, subscriber, now, interval)


def _claim_signup_mail(conn: Connection, subscriber: Subscriber, now: datetime, interval: timedelta) -> bool:
    recent = (select(subscribers.c.id)
              .where(subscribers.c.email_canonical == canonical_email(subscriber.email),
                     subscribers.c.signup_mailed_at > now - interval)
              .exists())
    claimed = conn.execute(subscribers.update().where(subscribers.c.id == subscriber.id, ~recent)
                           .values(signup_mailed_at=now))
    return claimed.rowcount == 1


@dataclass(frozen=True)
class Retention:
    """How long the forms service keeps personal data (content/pages/privacy.md promises these)."""

    unconfirmed: timedelta  # FORMS_PRUNE_DAYS
    unsubscribed: timedelta  # FORMS_UNSUBSCRIBED_RETENTION_DAYS
    contact_messages: timedelta  # FORMS_CONTACT_RETENTION_DAYS


def prune(engine: Engine, retention: Retention, now: datetime) -> dict[str, int]:
    """Delete what the retention periods say has been kept long enough; returns the count per kind."""
    with engine.begin() as conn:
        unconfirmed = conn.execute(delete(subscribers).where(
            subscribers.c.status == PENDING, subscribers.c.requested_at < now - retention.unconfirmed)).rowcount
        unsubscribed = conn.execute(delete(subscribers).where(
            subscribers.c.status == UNSUBSCRIBED,
            subscribers.c.unsubscribed_at < now - retention.unsubscribed)).rowcount
        messages = conn.execute(delete(contact_messages).where(
            contact_messages.c.received_at < now - retention.contact_messages)).rowcount
    return {"unconfirmed sign-ups": unconfirmed, "unsubscribed addresses": unsubscribed,
            "contact messages": messages}


def forget(engine: Engine, email: str) -> dict[str, int]:
    """Erase every trace of a person (AVG art. 17) on every list; returns what was removed, per kind."""
    canonical = canonical_email(email)
    with engine.begin() as conn:
        rows = conn.execute(select(subscribers.c.id, subscribers.c.status)
                            .where(subscribers.c.email_canonical == canonical)).all()
        ids = [row.id for row in rows]
        removed_deliveries = conn.execute(delete(deliveries).where(deliveries.c.subscriber_id.in_(ids))).rowcount
        conn.execute(delete(merged_keys).where(merged_keys.c.subscriber_id.in_(ids)))
        conn.execute(delete(subscribers).where(subscribers.c.id.in_(ids)))
        # Contact messages keep the address as typed; there are few (12 months), so compare them here.
        messages = [row.id for row in conn.execute(select(contact_messages.c.id, contact_messages.c.email))
                    if canonical_email(row.email) == canonical]
        queued = conn.execute(delete(outbox).where(outbox.c.about == canonical)).rowcount
        conn.execute(delete(contact_messages).where(contact_messages.c.id.in_(messages)))
    return {"subscriptions": sum(row.status != PENDING for row in rows),
            "pending sign-ups": sum(row.status == PENDING for row in rows),
            "deliveries": removed_deliveries, "contact messages": len(messages), "queued e-mails": queued}
