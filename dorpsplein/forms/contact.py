"""Contact messages: stored first (nothing is lost when mail fails), then mailed to the community manager."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import Engine, select

from ..db.database import reading
from ..db.schema import contact_messages
from ..errors import DorpspleinError
from .config import FormsConfig
from .emails import contact_email

logger = logging.getLogger(__name__)

Send = Callable[[EmailMessage], None]


def store_message(engine: Engine, values: dict, now: datetime) -> int:
    with engine.begin() as conn:
        result = conn.execute(contact_messages.insert().values(
            name=values["name"], email=values["email"], subject=values["subject"],
            message=values["message"], received_at=now))
        return result.inserted_primary_key[0]


def mail_message(engine: Engine, config: FormsConfig, send: Send, message_id: int, now: datetime) -> bool:
    """Mail one stored message; True when sent. A failure is logged and the message stays unmailed."""
    with reading(engine).connect() as conn:
        row = conn.execute(select(contact_messages).where(contact_messages.c.id == message_id)).one()
    try:
        send(contact_email(config, row.name, row.email, row.subject, row.message, row.received_at, row.id))
    except DorpspleinError as exc:
        logger.error("contact message %s stored but not mailed (python tasks.py forms resend): %s", row.id, exc)
        return False
    with engine.begin() as conn:
        conn.execute(contact_messages.update().where(contact_messages.c.id == row.id).values(mailed_at=now))
    return True


def unmailed_message_ids(engine: Engine) -> list[int]:
    query = select(contact_messages.c.id).where(contact_messages.c.mailed_at.is_(None)).order_by(contact_messages.c.id)
    with reading(engine).connect() as conn:
        return list(conn.scalars(query))


def resend_unmailed(engine: Engine, config: FormsConfig, send: Send, now: datetime) -> tuple[int, int]:
    """Try again for every message whose mail failed; returns (sent, still unmailed)."""
    ids = unmailed_message_ids(engine)
    sent = sum(mail_message(engine, config, send, message_id, now) for message_id in ids)
    return sent, len(ids) - sent
