"""Contact messages: stored first (nothing is lost when mail fails), then mailed to the community manager
through the outbox."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine, select

from ..db.identity import canonical_email
from ..db.schema import contact_messages
from ..db.schema import outbox as outbox_table
from .outbox import Outbox, enqueue
from .queued_mail import CONTACT

logger = logging.getLogger(__name__)

def store_message(engine: Engine, values: dict, now: datetime) -> int:
    with engine.begin() as conn:
        return _insert(conn, values, now)


def _insert(conn, values: dict, now: datetime) -> int:
    result = conn.execute(contact_messages.insert().values(
        name=values["name"], email=values["email"], subject=values["subject"], message=values["message"],
        received_at=now))
    return result.inserted_primary_key[0]


def receive_message(outbox: Outbox, values: dict, now: datetime) -> int:
    """Store a message and queue the community manager's copy, in one transaction; returns its id."""
    with outbox.engine.begin() as conn:
        message_id = _insert(conn, values, now)
        _queue(conn, message_id, values, now)
    outbox.wake()
    return message_id


def _queue(conn, message_id: int, values, received_at: datetime) -> None:
    payload = {"id": message_id, "name": values["name"], "email": values["email"], "subject": values["subject"],
               "message": values["message"], "at": received_at.isoformat()}
    enqueue(conn, CONTACT, payload, canonical_email(values["email"]), received_at, contact_message_id=message_id)


def unqueued_messages(conn) -> list:
    """Messages neither mailed nor in the outbox (stored before the outbox existed)."""
    queued = select(outbox_table.c.contact_message_id).where(outbox_table.c.contact_message_id.is_not(None))
    return conn.execute(select(contact_messages)
                        .where(contact_messages.c.mailed_at.is_(None), contact_messages.c.id.not_in(queued))
                        .order_by(contact_messages.c.id)).all()


def resend_unmailed(outbox: Outbox, failures: list[str] | None = None) -> tuple[int, int]:
    """Send everything waiting in the outbox now (contact copies that failed, sign-up mails), backoff or not,
    each on its own; returns (sent, not sent) and adds a line per failure to `failures`."""
    with outbox.engine.begin() as conn:
        for row in unqueued_messages(conn):
            _queue(conn, row.id, row._mapping, row.received_at)
    sent, failed = outbox.deliver_due(everything=True, failures=failures)
    return sent, failed
