"""What an outbox row of the forms service holds, and the e-mail the worker composes from it.

The request stores only the few values a message needs (as JSON); building the message (the
e-mail package's header handling) is done by the outbox worker, outside the visitor's request.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from .config import FormsConfig
from .emails import already_subscribed_email, confirmation_email, contact_email

CONFIRMATION, ALREADY_SUBSCRIBED, CONTACT = "confirmation", "already_subscribed", "contact"


def compose(config: FormsConfig, kind: str, payload: dict) -> EmailMessage:
    at = datetime.fromisoformat(payload["at"])
    if kind == CONFIRMATION:
        return confirmation_email(config, payload["to"], payload["list"], payload["link"], at)
    if kind == ALREADY_SUBSCRIBED:
        return already_subscribed_email(config, payload["to"], payload["list"], payload["link"], at)
    if kind == CONTACT:
        return contact_email(config, payload["name"], payload["email"], payload["subject"], payload["message"], at,
                             payload["id"])
    raise ValueError(f"unknown kind of e-mail {kind!r}")
