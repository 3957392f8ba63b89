"""Running the service and its housekeeping, for tasks.py and the WSGI entry point."""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from functools import partial

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from .. import unsubscribe_queue
from ..errors import DorpspleinError
from ..mail import send_message
from ..production import check_settings
from ..settings import load_settings
from ..subscribers import (
    Retention,
    Subscriber,
    count_subscribers,
    forget,
    list_subscribers,
    open_database,
    prune,
    prune_unconfirmed,
    unsubscribe,
)
from .app import create_app, log_instead_of_sending
from .config import FormsConfig, load_config
from .contact import resend_unmailed
from .outbox import Outbox
from .queued_mail import compose

logger = logging.getLogger(__name__)


def load_forms_config(production: bool = False, environ=os.environ, extra: dict | None = None) -> FormsConfig:
    """Settings from pelicanconf (or publishconf) and the environment; `extra` as in load_settings.

    The service's public address is FORMS_URL, by default the site's (in development the preview's)
    /formulieren: the links in e-mails go there, through nginx or `serve`, whatever port it listens on.
    """
    settings = load_settings(production=production, extra=extra)
    if production:  # `forms serve --production` and the WSGI entry: only the live addresses
        check_settings(settings)
    return load_config(settings, environ, production)


def build_app(production: bool = False, extra: dict | None = None) -> Flask:
    return create_app(load_forms_config(production, extra=extra))


def listen(app: Flask, port: int) -> BaseWSGIServer:
    """Werkzeug's threaded server on 127.0.0.1: for development and trying things out, not for the internet.

    We bind the socket ourselves: werkzeug would print its own message and exit on a busy port.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise DorpspleinError(f"--port {port}: cannot listen on 127.0.0.1:{port} ({exc.strerror})") from None
    server = make_server("127.0.0.1", port, app, threaded=True, fd=sock.fileno())
    server.listening_socket = sock  # keep it open as long as the server
    return server


def prune_unconfirmed_signups(days: int | None = None, now: datetime | None = None) -> tuple[int, int]:
    """Delete sign-ups left unconfirmed for `days` (default FORMS_PRUNE_DAYS); returns (deleted, days)."""
    days = days if days is not None else int(load_settings().get("FORMS_PRUNE_DAYS", 7))
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    return prune_unconfirmed(open_database(), cutoff), days


def retention(settings: dict) -> Retention:
    def days(name: str, default: int) -> timedelta:
        value = settings.get(name, default)
        try:
            if float(value) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            raise DorpspleinError(f"{name}: expected a number of days above 0, got {value!r}") from None
        return timedelta(days=float(value))

    return Retention(unconfirmed=days("FORMS_PRUNE_DAYS", 7),
                     unsubscribed=days("FORMS_UNSUBSCRIBED_RETENTION_DAYS", 30),
                     contact_messages=days("FORMS_CONTACT_RETENTION_DAYS", 365))


def prune_personal_data(now: datetime | None = None, settings: dict | None = None) -> dict[str, int]:
    """Everything the privacy statement says we delete after a while; returns the count per kind."""
    settings = settings if settings is not None else load_settings()
    engine = open_database()
    unsubscribe_queue.apply(unsubscribe_queue.queue_path(), engine, unsubscribe)  # the daily job drains it too
    return prune(engine, retention(settings), now or datetime.now(UTC))


def forget_person(email: str) -> dict[str, int]:
    return forget(open_database(), email)


def subscribers(list_name: str | None = None, status: str | None = None) -> list[Subscriber]:
    return list_subscribers(open_database(), list_name, status)


def subscriber_counts() -> dict[tuple[str, str], int]:
    return count_subscribers(open_database())


def resend_contact_messages(production: bool = False) -> tuple[int, int, list[str]]:
    """Send what waits in the outbox now (contact copies whose e-mail failed, sign-up mails); returns
    (sent, not sent, why each was not sent)."""
    config = load_forms_config(production)
    send = partial(send_message, config.smtp) if config.smtp else log_instead_of_sending
    outbox = Outbox(open_database(config.database_url), send, lambda: datetime.now(UTC), partial(compose, config))
    failures: list[str] = []
    sent, failed = resend_unmailed(outbox, failures)
    return sent, failed, failures
