"""Contact messages: stored first (nothing is lost when mail fails), then mailed to the community manager
through the outbox."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine, select

from ..db.identity import canonical_email
from ..db.schema import contact_messages
from ..db.schema import outbox as outbox_table
from .config import FormsConfig
from .emails import contact_email
from .outbox import Outbox

logger = logging.getLogger(__name__)

def store_message(engine: Engine, values: dict, now: datetime) -> int:
    with engine.begin() as conn:
        result = conn.execute(contact_messages.insert().values(
            name=values["name"], email=values["email"], subject=values["subject"],
            message=values["message"], received_at=now))
        return result.inserted_primary_key[0]


def queue_message(outbox: Outbox, config: FormsConfig, message_id: int) -> None:
    """Put the community manager's copy of one stored message in the outbox (marked mailed once sent)."""
    with outbox.engine.connect() as conn:
        row = conn.execute(select(contact_messages).where(contact_messages.c.id == message_id)).one()
    outbox.add("contact", contact_email(config, row.name, row.email, row.subject, row.message, row.received_at, row.id),
               canonical_email(row.email), contact_message_id=row.id)


def unqueued_message_ids(engine: Engine) -> list[int]:
    """Messages neither mailed nor in the outbox (stored while the outbox could not be written, or before it)."""
    queued = select(outbox_table.c.contact_message_id).where(outbox_table.c.contact_message_id.is_not(None))
    query = (select(contact_messages.c.id)
             .where(contact_messages.c.mailed_at.is_(None), contact_messages.c.id.not_in(queued))
             .order_by(contact_messages.c.id))
    with engine.connect() as conn:
        return list(conn.scalars(query))


def resend_unmailed(outbox: Outbox, config: FormsConfig) -> tuple[int, int]:
    """Send everything waiting in the outbox now (contact copies that failed, sign-up mails), backoff or not;
    returns (sent, still waiting)."""
    for message_id in unqueued_message_ids(outbox.engine):
        queue_message(outbox, config, message_id)
    sent, _failed = outbox.deliver_due(everything=True)
    return sent, outbox.waiting()
