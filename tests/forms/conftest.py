"""The forms service for real: werkzeug's threaded server on 127.0.0.1, SQLite in tmp_path, aiosmtpd for mail."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from dorpsplein.forms.app import create_app
from dorpsplein.forms.config import load_config, origin_of
from dorpsplein.settings import load_settings
from dorpsplein.subscribers import list_subscribers, open_database

SECRET = "test-secret-key-that-is-long-enough-0123456789"
SITE = "http://127.0.0.1:8000"  # the preview address: the site's origin in these tests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message; `refuse_with` makes it answer DATA with an error."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse_with: str | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_with:
            return self.refuse_with
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


class Clock:
    """Real time plus an offset the test can move forward (the service reads the time through it)."""

    def __init__(self):
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Reply:
    status: int
    text: str
    headers: dict = field(default_factory=dict)


def http(url: str, data: dict | bytes | None = None, headers: dict | None = None, method: str | None = None) -> Reply:
    body = urlencode(data).encode() if isinstance(data, dict) else data
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, response.read().decode(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode(), dict(error.headers))


class _Dispatcher:
    """The server binds first (so we know its address), then gets the app that needs that address."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@dataclass
class Service:
    url: str  # FORMS_URL: where the service answers, /formulieren on the site's (or its own) origin
    app: object
    config: object
    inbox: Inbox
    clock: Clock
    database_url: str
    port: int  # where it listens

    @property
    def origin(self) -> str:
        return origin_of(self.url)

    def post(self, path: str, data: dict | bytes, origin: str | None = SITE, headers: dict | None = None,
             settle: bool = True) -> Reply:
        """POST; then (`settle`) wait until the outbox worker has handled every e-mail that is due."""
        headers = dict(headers or {})
        if origin is not None:
            headers["Origin"] = origin
        reply = http(self.url + path, data, headers)
        if settle:
            self.settle()
        return reply

    @property
    def outbox(self):
        return self.app.extensions["dorpsplein_forms"].outbox

    def settle(self, timeout: float = 60) -> None:
        """Wait for the event "no e-mail due in the outbox" (sent, or waiting for its retry time)."""
        deadline = time.monotonic() + timeout
        self.outbox.wake()
        while time.monotonic() < deadline:
            if not self.outbox.due():
                return
            time.sleep(0.01)
        raise AssertionError("the outbox worker did not handle the due e-mails")

    def get(self, path_or_url: str) -> Reply:
        return http(path_or_url if path_or_url.startswith("http") else self.url + path_or_url)

    def rows(self):
        return list_subscribers(self.app.extensions["dorpsplein_forms"].engine)


@pytest.fixture
def start_service(tmp_path, smtp):
    """Start a service; keyword arguments override settings (e.g. FORMS_RATE_LIMIT="3 per hour").

    It answers under /formulieren of its own address; given a SITEURL, its FORMS_URL is that
    site's /formulieren (the site's server passes the path on to `service.port`, as nginx does)."""
    servers, services = [], []

    def start(production: bool = True, environ: dict | None = None, **settings) -> Service:
        dispatcher = _Dispatcher()
        server = make_server("127.0.0.1", 0, dispatcher, threaded=True)
        if "SITEURL" not in settings:
            settings.setdefault("FORMS_URL", f"http://127.0.0.1:{server.server_port}/formulieren")
        settings.setdefault("FORMS_RATE_LIMIT", "1000 per minute")
        database_url = f"sqlite:///{tmp_path / 'subscribers.sqlite3'}"
        environ = {"DORPSPLEIN_SECRET_KEY": SECRET, "DORPSPLEIN_SMTP_URL": smtp.url,
                   "DORPSPLEIN_DATABASE_URL": database_url, **(environ or {})}
        config = load_config(load_settings(extra=settings), environ, production)
        clock = Clock()
        dispatcher.app = create_app(config, engine=open_database(config.database_url), clock=clock)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        services.append(Service(config.forms_url, dispatcher.app, config, smtp, clock, database_url,
                                server.server_port))
        return services[-1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
    for service in services:
        service.outbox.stop()


@pytest.fixture
def service(start_service) -> Service:
    return start_service()
