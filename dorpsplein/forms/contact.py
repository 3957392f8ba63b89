"""Contact messages: stored first (nothing is lost when mail fails), then mailed to the community manager."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import Engine, select

from ..errors import DorpspleinError
from ..subscribers import contact_messages
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


def mail_message(engine: Engine, config: FormsConfig, send: Send, message_id: int, now: datetime,
                 failures: list[str] | None = None) -> bool:
    """Mail one stored message; True when sent. A failure is added to `failures` (logged without it) and
    the message stays unmailed; any error of one message, expected or not, never stops the others."""
    with engine.connect() as conn:
        row = conn.execute(select(contact_messages).where(contact_messages.c.id == message_id)).one()
    try:
        send(contact_email(config, row.name, row.email, row.subject, row.message, row.received_at, row.id))
    except Exception as exc:  # one message's problem is reported, the rest still go
        if not isinstance(exc, DorpspleinError):
            logger.exception("contact message %s: unexpected error while mailing it", row.id)
        reason = str(exc) if isinstance(exc, DorpspleinError) else f"{type(exc).__name__}: {exc}"
        if failures is not None:  # the caller reports them
            failures.append(f"contact message {row.id}: {reason}")
        else:
            logger.error("contact message %s stored but not mailed (python tasks.py forms resend): %s", row.id, reason)
        return False
    with engine.begin() as conn:
        conn.execute(contact_messages.update().where(contact_messages.c.id == row.id).values(mailed_at=now))
    return True


def unmailed_message_ids(engine: Engine) -> list[int]:
    query = select(contact_messages.c.id).where(contact_messages.c.mailed_at.is_(None)).order_by(contact_messages.c.id)
    with engine.connect() as conn:
        return list(conn.scalars(query))


def resend_unmailed(engine: Engine, config: FormsConfig, send: Send, now: datetime,
                    failures: list[str] | None = None) -> tuple[int, int]:
    """Try again for every message whose mail failed, each on its own; returns (sent, still unmailed)
    and adds a line per failure to `failures`."""
    ids = unmailed_message_ids(engine)
    sent = sum(mail_message(engine, config, send, message_id, now, failures) for message_id in ids)
    return sent, len(ids) - sent
