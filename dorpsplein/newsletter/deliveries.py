"""The exactly-once record: one `deliveries` row per (mailing, subscriber), claimed before and settled after a send.

Status: `sending` (claimed; a run that died left it so), `sent`, `deferred` (4xx or connection lost:
the next run tries again), `failed` (5xx: reported, never retried). A rerun sends to confirmed
subscribers without a row, and to those left `sending` or `deferred`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, and_, event, func, select

from ..subscribers import CONFIRMED, Subscriber, deliveries, subscribers

SENDING, SENT, DEFERRED, FAILED = "sending", "sent", "deferred", "failed"
RETRYABLE = (SENDING, DEFERRED)


def _normal_sync(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous = NORMAL")


def sqlite_without_fsync_per_commit(engine: Engine) -> None:
    """Two commits per message with an fsync each cost ~10 ms on SQLite: 20x the rest of the work.

    In WAL mode, `synchronous = NORMAL` keeps every commit across a crash or kill of this process
    (the OS has the WAL); only a power failure can lose the last few commits, and a lost row only
    makes the next run send that copy again, never skip it. Other databases are left as they are.
    """
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _normal_sync):
        event.listen(engine, "connect", _normal_sync)
        engine.dispose()  # pooled connections were opened without it


def to_send(engine: Engine, mailing: str, list_name: str) -> list[Subscriber]:
    """Confirmed subscribers of the list that have not been sent (or given up on) this mailing."""
    joined = subscribers.outerjoin(deliveries, and_(deliveries.c.subscriber_id == subscribers.c.id,
                                                    deliveries.c.mailing == mailing))
    query = (select(subscribers).select_from(joined)
             .where(subscribers.c.list_name == list_name, subscribers.c.status == CONFIRMED,
                    (deliveries.c.id.is_(None)) | (deliveries.c.status.in_(RETRYABLE)))
             .order_by(subscribers.c.id))
    with engine.connect() as conn:
        return [Subscriber.from_row(row) for row in conn.execute(query)]


def claim(engine: Engine, mailing: str, subscriber_id: int, now: datetime) -> bool:
    """Write `sending` before the message goes out; False if the address unsubscribed or was settled meanwhile."""
    with engine.begin() as conn:
        status = conn.execute(select(subscribers.c.status).where(subscribers.c.id == subscriber_id)).scalar()
        if status != CONFIRMED:
            return False
        row = conn.execute(select(deliveries.c.id, deliveries.c.status).where(
            deliveries.c.mailing == mailing, deliveries.c.subscriber_id == subscriber_id)).first()
        if row is None:
            conn.execute(deliveries.insert().values(mailing=mailing, subscriber_id=subscriber_id, status=SENDING,
                                                    attempts=1, updated_at=now))
            return True
        if row.status not in RETRYABLE:
            return False
        conn.execute(deliveries.update().where(deliveries.c.id == row.id).values(
            status=SENDING, attempts=deliveries.c.attempts + 1, updated_at=now))
        return True


def settle(engine: Engine, mailing: str, subscriber_id: int, status: str, now: datetime,
           code: int | None = None, detail: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(deliveries.update().where(deliveries.c.mailing == mailing,
                                               deliveries.c.subscriber_id == subscriber_id)
                     .values(status=status, smtp_code=code, detail=detail, updated_at=now))


def counts(engine: Engine, mailing: str) -> dict[str, int]:
    query = (select(deliveries.c.status, func.count()).where(deliveries.c.mailing == mailing)
             .group_by(deliveries.c.status))
    with engine.connect() as conn:
        return dict(conn.execute(query).all())


def failures(engine: Engine, mailing: str) -> list[tuple[str, str, int | None, str | None]]:
    """(email, status, code, detail) of every copy that is not sent, for the report."""
    query = (select(subscribers.c.email, deliveries.c.status, deliveries.c.smtp_code, deliveries.c.detail)
             .join(subscribers, subscribers.c.id == deliveries.c.subscriber_id)
             .where(deliveries.c.mailing == mailing, deliveries.c.status.in_((DEFERRED, FAILED)))
             .order_by(subscribers.c.email))
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]
