"""Running the service and its housekeeping, for tasks.py and the WSGI entry point."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from functools import partial

from flask import Flask
from werkzeug.serving import run_simple

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


def serve(port: int, production: bool = False) -> None:
    """Werkzeug's threaded server on 127.0.0.1: for development and trying things out, not for the internet."""
    app = build_app(production, port)
    try:
        run_simple("127.0.0.1", port, app, threaded=True)
    except OSError as exc:
        raise DorpspleinError(f"--port {port}: cannot listen on 127.0.0.1:{port} ({exc.strerror})") from None


def prune(days: int | None = None, now: datetime | None = None) -> tuple[int, int]:
    """Delete sign-ups left unconfirmed for `days` (default FORMS_PRUNE_DAYS); returns (deleted, days)."""
    days = days if days is not None else int(load_settings().get("FORMS_PRUNE_DAYS", 7))
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    return prune_unconfirmed(open_database(), cutoff), days


def subscribers(list_name: str | None = None, status: str | None = None) -> list[Subscriber]:
    return list_subscribers(open_database(), list_name, status)


def subscriber_counts() -> dict[tuple[str, str], int]:
    return count_subscribers(open_database())


def resend_contact_messages(production: bool = False) -> tuple[int, int]:
    """Mail the contact messages whose e-mail failed before; returns (sent, still unmailed)."""
    config = load_forms_config(production)
    send = partial(send_message, config.smtp) if config.smtp else log_instead_of_sending
    return resend_unmailed(open_database(config.database_url), config, send, datetime.now(UTC))
