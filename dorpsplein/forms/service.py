"""Running the service and its housekeeping, for tasks.py and the WSGI entry point."""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from functools import partial

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from ..errors import DorpspleinError
from ..mail import send_message
from ..settings import load_settings
from ..subscribers import Subscriber, count_subscribers, list_subscribers, open_database, prune_unconfirmed
from .app import create_app, log_instead_of_sending
from .config import FormsConfig, load_config
from .contact import resend_unmailed

logger = logging.getLogger(__name__)


def load_forms_config(production: bool = False, port: int | None = None, environ=os.environ) -> FormsConfig:
    """Settings from pelicanconf (or publishconf) and the environment; in development `port` moves FORMS_URL."""
    extra = {"FORMS_URL": f"http://127.0.0.1:{port}"} if port and not production else None
    return load_config(load_settings(production=production, extra=extra), environ, production)


def build_app(production: bool = False, port: int | None = None) -> Flask:
    return create_app(load_forms_config(production, port))


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


def prune(days: int | None = None, now: datetime | None = None) -> tuple[int, int]:
    """Delete sign-ups left unconfirmed for `days` (default FORMS_PRUNE_DAYS); returns (deleted, days)."""
    days = days if days is not None else int(load_settings().get("FORMS_PRUNE_DAYS", 7))
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    return prune_unconfirmed(open_database(), cutoff), days


def subscribers(list_name: str | None = None, status: str | None = None) -> list[Subscriber]:
    return list_subscribers(open_database(), list_name, status)


def subscriber_counts() -> dict[tuple[str, str], int]:
    return count_subscribers(open_database())


def resend_contact_messages(production: bool = False) -> tuple[int, int, list[str]]:
    """Mail the contact messages whose e-mail failed before; returns (sent, still unmailed, why each failed)."""
    config = load_forms_config(production)
    send = partial(send_message, config.smtp) if config.smtp else log_instead_of_sending
    failures: list[str] = []
    sent, unmailed = resend_unmailed(open_database(config.database_url), config, send, datetime.now(UTC), failures)
    return sent, unmailed, failures
