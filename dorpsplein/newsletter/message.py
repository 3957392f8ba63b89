"""One subscriber's copy of an edition: multipart/alternative with the list headers, DKIM-signed if configured.

Everything that is the same for every copy (the headers that need encoding, the MIME skeleton) is
built once per mailing with the email package, and so are the quoted-printable bodies (binascii, in
C); per copy only the address, date, Message-ID and the unsubscribe link are filled in. Building each
copy with EmailMessage took most of the sending time.
"""

from __future__ import annotations

import binascii
import html
import secrets
from datetime import datetime
from email import policy
from email.utils import format_datetime
from urllib.parse import quote

import dkim

from ..forms.tokens import unsubscribe_url
from ..mail import HeaderError, check_headers, one_line_problem
from ..subscribers import Subscriber
from .config import SendConfig
from .edition import UNSUBSCRIBE_PLACEHOLDER, Edition

# Headers the DKIM signature covers: those a forwarder must not change, the list headers included
# (RFC 8058 §4 asks that List-Unsubscribe and List-Unsubscribe-Post are signed).
SIGNED_HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"list-id", b"list-unsubscribe",
                  b"list-unsubscribe-post", b"mime-version", b"content-type"]
CRLF = b"\r\n"


def message_id(edition: Edition, subscriber: Subscriber, domain: str) -> str:
    """The same for every attempt at this copy, so a receiving server can spot a duplicate."""
    return f"<{edition.mailing}.{subscriber.key}@{domain}>"


def _fold(name: str, value: str) -> bytes:
    """A header encoded as RFC 2047 words where needed (a plain str would be written unencoded)."""
    return policy.SMTP.fold_binary(name, policy.SMTP.header_factory(name, value))


def _quoted_printable(text: str) -> bytes:
    return binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\r\n", b"\n").replace(b"\n", CRLF)


def _soft_break(encoded: bytes) -> bytes:
    """Quoted-printable `encoded` ended by a soft line break ("=" CRLF), every line within 76 characters."""
    start = encoded.rfind(b"\n") + 1
    last = encoded[start:]
    if len(last) > 75:
        cut = 75
        while b"=" in last[cut - 2:cut]:  # never inside an =XX escape
            cut -= 1
        encoded = encoded[:start] + last[:cut] + b"=" + CRLF + last[cut:]
    return encoded + b"=" + CRLF


class Body:
    """A body encoded once around the places each subscriber's own link goes (encoding every copy whole took
    half of the time spent on a message). Soft line breaks join the pieces, so the decoded text is exact."""

    def __init__(self, text: str):
        *pieces, last = [_quoted_printable(piece) for piece in text.split(UNSUBSCRIBE_PLACEHOLDER)]
        self.pieces = [_soft_break(piece) for piece in pieces] + [last]

    def fill(self, link: str) -> bytes:
        return _soft_break(_quoted_printable(link)).join(self.pieces)


def _part(content_type: str) -> bytes:
    return (f"Content-Type: {content_type}; charset=\"utf-8\"\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n").encode("ascii")


class MessageFactory:
    def __init__(self, edition: Edition, config: SendConfig):
        self.edition, self.config = edition, config
        label = config.list_labels.get(edition.list_name, edition.list_name)
        self.boundary = f"=_dorpsplein_{secrets.token_hex(12)}".encode("ascii")
        # Built once per mailing, so checked once: no line break or encoded word in a value, and the
        # headers parsed back are exactly these values (the email package decodes encoded words).
        values = {"From": config.mail_from, "Subject": edition.subject,
                  "List-Id": f"{label} <{edition.list_name}.{config.domain}>"}
        for name, value in values.items():
            if problem := one_line_problem(value):
                raise HeaderError(f"{name.lower()}: {value!r} contains {problem}; nothing sent")
        self.constant = b"".join([
            *(_fold(name, value) for name, value in values.items()),
            b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", b"MIME-Version: 1.0\r\n",
            b'Content-Type: multipart/alternative; boundary="' + self.boundary + b'"\r\n'])
        check_headers(self.constant + CRLF, values,
                      frozenset({"list-unsubscribe-post", "mime-version", "content-type"}))
        self.text, self.html = Body(edition.text), Body(edition.html)
        self.mailto = f"mailto:{config.unsubscribe_mailto}?subject={quote('afmelden ' + edition.list_name)}"

    def build(self, subscriber: Subscriber, now: datetime) -> bytes:
        config, edition = self.config, self.edition
        link = unsubscribe_url(config.forms_url, config.secret_key or "", subscriber.key)
        if problem := one_line_problem(subscriber.email):
            raise HeaderError(f"to: the address of subscriber {subscriber.id} contains {problem}; not sent")
        to = (f"To: {subscriber.email}\r\n".encode("ascii") if subscriber.email.isascii()
              else _fold("To", subscriber.email))
        headers = b"".join([
            self.constant, to, f"Date: {format_datetime(now)}\r\n".encode("ascii"),
            f"Message-ID: {message_id(edition, subscriber, config.domain)}\r\n".encode("ascii"),
            f"List-Unsubscribe: <{link}>,\r\n <{self.mailto}>\r\n".encode("ascii")])
        separator = b"--" + self.boundary + CRLF
        body = b"".join([
            b"\r\n", separator, _part("text/plain"),
            self.text.fill(link), CRLF,
            separator, _part("text/html"),
            self.html.fill(html.escape(link)), CRLF,
            b"--" + self.boundary + b"--" + CRLF])
        data = headers + body
        if config.dkim:
            data = dkim.sign(data, config.dkim.selector.encode(), config.dkim.domain.encode(),
                             config.dkim.private_key, include_headers=SIGNED_HEADERS,
                             canonicalize=(b"relaxed", b"relaxed")) + data
        return data


def build_message(edition: Edition, subscriber: Subscriber, config: SendConfig, now: datetime) -> bytes:
    return MessageFactory(edition, config).build(subscriber, now)
