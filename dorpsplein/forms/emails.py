"""The service's e-mails, in Dutch and as plain text: nothing a visitor typed can become markup.

Visitor input only ever enters a header through `Address` (which quotes and encodes it) or as
plain body text; validation has already refused line breaks and encoded words in single-line
fields, and every message is parsed back and compared with the values it was built from before
it leaves (`dorpsplein.mail.checked_message`).
"""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

from ..mail import HeaderError, checked_message, one_line_problem
from .config import FormsConfig

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _message(config: FormsConfig, to: str, subject: str, body: str, now: datetime,
             reply_to: Address | None = None) -> EmailMessage:
    headers = {
        "From": config.mail_from,
        "To": to,
        "Subject": subject,
        "Date": format_datetime(now.astimezone(AMSTERDAM)),
        "Message-ID": make_msgid(domain=config.mail_from.rpartition("@")[2].rstrip(">") or None),
        "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies to us
    }
    if reply_to is not None:
        headers["Reply-To"] = str(reply_to)
    message = EmailMessage()
    for name, value in headers.items():
        message[name] = reply_to if name == "Reply-To" else value
    message.set_content(body)
    return checked_message(message, headers)


def confirmation_email(config: FormsConfig, to: str, list_name: str, confirm_link: str, now: datetime) -> EmailMessage:
    hours = config.confirm_hours
    municipality = config.template_settings["MUNICIPALITY"]
    body = f"""Goedendag,

U heeft dit e-mailadres aangemeld voor: {config.newsletter_lists[list_name]} ({municipality}).
Bevestig uw aanmelding via deze link. De link werkt één keer en is {hours} uur geldig:

{confirm_link}

Met uw bevestiging stemt u in met het volgende (versie {config.consent_version}):
{config.consent_text}

Heeft u zich niet aangemeld? Dan hoeft u niets te doen. Zonder bevestiging krijgt u
geen nieuwsbrief en verwijderen we uw adres binnen {config.prune_after.days} dagen.

Met vriendelijke groet,
{municipality}
"""
    return _message(config, to, "Bevestig uw aanmelding voor de nieuwsbrief", body, now)


def already_subscribed_email(config: FormsConfig, to: str, list_name: str, unsubscribe_link: str,
                             now: datetime) -> EmailMessage:
    """Sent instead of a confirmation when the address is already confirmed, so the answer on the
    website (and the work behind it) is the same whether we knew the address or not."""
    municipality = config.template_settings["MUNICIPALITY"]
    body = f"""Goedendag,

Iemand heeft dit e-mailadres opnieuw aangemeld voor: {config.newsletter_lists[list_name]}
({municipality}). U bent al aangemeld, dus er verandert niets.

Wilt u de nieuwsbrief niet meer ontvangen? Meld u dan af via:

{unsubscribe_link}

Met vriendelijke groet,
{municipality}
"""
    return _message(config, to, "U bent al aangemeld voor de nieuwsbrief", body, now)


def contact_email(config: FormsConfig, name: str, email: str, subject: str, message: str,
                  received_at: datetime, message_id: int) -> EmailMessage:
    """The community manager's copy; replying answers the visitor directly (Reply-To)."""
    for field, value in (("name", name), ("email", email), ("subject", subject)):
        problem = one_line_problem(value)  # also for messages stored before validation refused these
        if problem:
            raise HeaderError(f"{field}: contains {problem}; not sent")
    local, _, domain = email.partition("@")
    sender = Address(display_name=name, username=local, domain=domain)
    received = received_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
    body = f"""Nieuw bericht via het contactformulier van {config.site_url}/contact/

Naam:      {name}
E-mail:    {email}
Onderwerp: {subject}
Ontvangen: {received} (bericht {message_id})

{message}
"""
    return _message(config, config.contact_email, f"Contactformulier: {subject}", body, received_at, sender)
