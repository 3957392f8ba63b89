"""One subscriber's copy of an edition: multipart/alternative with the list headers, DKIM-signed if configured."""

from __future__ import annotations

import html
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

import dkim

from ..forms.tokens import unsubscribe_url
from ..subscribers import Subscriber
from .config import SendConfig
from .edition import UNSUBSCRIBE_PLACEHOLDER, Edition

# Headers the DKIM signature covers: those a forwarder must not change, the list headers included
# (RFC 8058 §4 asks that List-Unsubscribe and List-Unsubscribe-Post are signed).
SIGNED_HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"list-id", b"list-unsubscribe",
                  b"list-unsubscribe-post", b"mime-version", b"content-type"]


def message_id(edition: Edition, subscriber: Subscriber, domain: str) -> str:
    """The same for every attempt at this copy, so a receiving server can spot a duplicate."""
    return f"<{edition.mailing}.{subscriber.key}@{domain}>"


def build_message(edition: Edition, subscriber: Subscriber, config: SendConfig, now: datetime) -> bytes:
    link = unsubscribe_url(config.forms_url, config.secret_key or "", subscriber.key)
    label = config.list_labels.get(edition.list_name, edition.list_name)
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = config.mail_from
    msg["To"] = subscriber.email
    msg["Subject"] = edition.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(edition, subscriber, config.domain)
    msg["List-Id"] = f"{label} <{edition.list_name}.{config.domain}>"
    mailto = f"mailto:{config.unsubscribe_mailto}?subject={quote('afmelden ' + edition.list_name)}"
    msg["List-Unsubscribe"] = f"<{link}>, <{mailto}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(edition.text.replace(UNSUBSCRIBE_PLACEHOLDER, link))
    msg.add_alternative(edition.html.replace(UNSUBSCRIBE_PLACEHOLDER, html.escape(link)), subtype="html")
    data = msg.as_bytes()
    if config.dkim:
        data = dkim.sign(data, config.dkim.selector.encode(), config.dkim.domain.encode(), config.dkim.private_key,
                         include_headers=SIGNED_HEADERS, canonicalize=(b"relaxed", b"relaxed")) + data
    return data
