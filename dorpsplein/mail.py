"""Sending e-mail over SMTP, configured by one URL in `DORPSPLEIN_SMTP_URL`.

`smtp://user:password@host:587` speaks plain SMTP and upgrades to TLS with STARTTLS whenever the
server offers it; `smtps://user:password@host:465` uses TLS from the first byte. User and password
are optional and percent-encoded (`%40` for `@`). A password is never sent unencrypted, except to
a server on this machine (a local relay or a test server).

The newsletter keeps one connection open for a whole mailing (`smtp_connection`); the forms
service sends single messages (`send_message`).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import smtplib
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from urllib.parse import unquote, urlsplit

from .errors import DorpspleinError

logger = logging.getLogger(__name__)

SMTP_URL_VARIABLE = "DORPSPLEIN_SMTP_URL"
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class MailError(DorpspleinError):
    """The message could not be handed to the SMTP server."""


class HeaderError(MailError):
    """A header would not say what it was built from (a line break or an encoded word got in): not sent."""


# --- headers, safe by construction ----------------------------------------------------------------
# Python 3.11.7's email package decodes RFC 2047 encoded words in a header value and then writes a
# decoded line break unencoded (CVE-2024-6923; `verify_generated_headers` does not exist there).
# So: a one-line value may hold no encoded word and no line break of any kind (every separator
# str.splitlines knows), and every message is parsed back before it is sent and compared with the
# values it was built from.

LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")  # str.splitlines' separators
ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")
_MIME_HEADERS = {"mime-version", "content-type", "content-transfer-encoding"}


def one_line_problem(value: str) -> str | None:
    """Why `value` cannot go into a one-line header field, or None."""
    if any(ch in LINE_BREAKS for ch in value):
        return "a line break"
    if ENCODED_WORD.search(value):
        return "an RFC 2047 encoded word (=?…?=)"
    return None


def parsed_headers(data: bytes) -> list[tuple[str, str]]:
    """The header fields of a message on the wire as a receiving server reads them: (lower-case name, value)."""
    parsed = BytesHeaderParser(policy=policy.default).parsebytes(data)
    return [(name.lower(), str(value)) for name, value in parsed.items()]


def check_headers(data: bytes, expected: Mapping[str, str], also_allowed: frozenset[str] = frozenset()) -> None:
    """Every header of `data` is one of `expected` with exactly that value (once), or one of `also_allowed`
    (MIME headers, headers the caller wrote itself); otherwise a HeaderError naming the field."""
    wanted = {name.lower(): value for name, value in expected.items()}
    seen: dict[str, str] = {}
    for name, value in parsed_headers(data):
        if name in wanted:
            if name in seen:
                raise HeaderError(f"{name}: the header appears twice in the message; not sent")
            seen[name] = value
        elif name not in also_allowed:
            raise HeaderError(f"{name}: an unexpected header in the message (injected?); not sent")
    for name, value in wanted.items():
        if seen.get(name) != value:
            raise HeaderError(f"{name}: the header as sent ({seen.get(name)!r}) differs from its value "
                              f"({value!r}); not sent")


def checked_message(message: EmailMessage, expected: Mapping[str, str]) -> EmailMessage:
    """`message` after proving that its headers, serialised and parsed back, are exactly `expected`
    (names → the values they were built from) plus its MIME headers; a HeaderError otherwise."""
    for name, value in expected.items():
        problem = one_line_problem(value)
        if problem:
            raise HeaderError(f"{name.lower()}: the value contains {problem}; not sent")
    try:
        data = message.as_bytes(policy=policy.SMTP)
    except (ValueError, TypeError) as exc:  # what the email package refuses itself
        raise HeaderError(f"cannot write the message: {exc}") from None
    check_headers(data, expected, frozenset(_MIME_HEADERS))
    return message


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0

    @property
    def is_local(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def describe(self) -> str:
        """Where we send to, for messages and logs: never the password."""
        user = f"{self.username}@" if self.username else ""
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{user}{self.host}:{self.port}"


def parse_smtp_url(url: str, variable: str = SMTP_URL_VARIABLE) -> SmtpConfig:
    """Read `smtp://user:pass@host:port` or `smtps://…`; a bad URL names the variable, never the password."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise DorpspleinError(f"{variable}: not a valid URL ({exc})") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise DorpspleinError(f"{variable}: unsupported scheme {parts.scheme + '://' if parts.scheme else '(none)'}; "
                              "use smtp://user:password@host:587 or smtps://user:password@host:465")
    if not parts.hostname:
        raise DorpspleinError(f"{variable}: no host name; e.g. smtp://user:password@mail.example.nl:587")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise DorpspleinError(f"{variable}: unexpected path or query after the host; "
                              "the URL is scheme://user:password@host:port")
    return SmtpConfig(
        host=parts.hostname,
        port=port or DEFAULT_PORTS[parts.scheme],
        implicit_tls=parts.scheme == "smtps",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def smtp_config_from_env(environ: Mapping[str, str] = os.environ) -> SmtpConfig | None:
    """The SMTP configuration from the environment, or None when it is not set."""
    url = environ.get(SMTP_URL_VARIABLE, "").strip()
    return parse_smtp_url(url) if url else None


@contextmanager
def smtp_connection(config: SmtpConfig) -> Iterator[smtplib.SMTP]:
    """An open, authenticated SMTP connection to reuse for many messages.

    Problems while connecting become MailError; smtplib's own exceptions from sending on the
    connection pass through unchanged, so a caller can tell a 4xx (try later) from a 5xx (give up).
    """
    context = ssl.create_default_context()
    try:
        if config.implicit_tls:
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"cannot connect to {config.describe()}: {exc}") from None
    try:
        try:
            _secure_and_log_in(client, config, context)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(f"{config.describe()} refused the user name or password ({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot start a session with {config.describe()}: {exc}") from None
        yield client
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def _secure_and_log_in(client: smtplib.SMTP, config: SmtpConfig, context: ssl.SSLContext) -> None:
    client.ehlo()
    encrypted = config.implicit_tls
    if not encrypted and client.has_extn("starttls"):
        client.starttls(context=context)
        client.ehlo()
        encrypted = True
    if config.username:
        if not encrypted and not config.is_local:
            raise MailError(f"{config.describe()} offers no TLS; refusing to send the SMTP password unencrypted")
        client.login(config.username, config.password or "")


def send_message(config: SmtpConfig, message: EmailMessage) -> None:
    """Send one message on a connection of its own; any failure is a MailError."""
    with smtp_connection(config) as client:
        try:
            client.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"{config.describe()} did not accept the message: {exc}") from None
    logger.info("sent %r through %s", message["Subject"], config.describe())
