"""Real parts for the sender: aiosmtpd on 127.0.0.1 (with faults on demand), SQLite in tmp_path, a built edition."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from dorpsplein.newsletter.config import load_send_config
from dorpsplein.newsletter.edition import edition_folder, read_edition
from dorpsplein.settings import load_settings
from dorpsplein.subscribers import PENDING, add_confirmed, add_pending, open_database, unsubscribe

SECRET = "test-secret-key-that-is-long-enough-0123456789"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Keeps every accepted message. Faults: `refuse` maps an address to a reply ("550 …", "451 …",
    used `times` times), `drop_after` closes the connection instead of accepting message k+1,
    `on_message(n)` runs before message n is accepted (returning a reply string refuses it)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []  # as received: what a DKIM verifier sees
        self.refuse: dict[str, tuple[str, int]] = {}
        self.drop_after: int | None = None
        self.on_message = None
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply, times = self.refuse.get(address, (None, 0))
        if reply and times:
            self.refuse[address] = (reply, times - 1)
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            self.drop_after = None
            server.transport.close()  # no reply: the client never hears "250"
            return "421 closing"
        if self.on_message:
            reply = self.on_message(len(self.messages) + 1)
            if reply:
                return reply
        self.raw.append(envelope.original_content)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return [str(m["To"]) for m in self.messages]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.controller = controller
    inbox.url = f"smtp://127.0.0.1:{controller.port}"
    yield inbox
    inbox.controller.stop()  # a test may have replaced it (a server restarted on the same port)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The demo content built once with three ended months (the editions the sender reads)."""
    root = tmp_path_factory.mktemp("newsletter-site")
    shutil.copytree(ROOT / "content", root / "content")
    (root / "state/analytics").mkdir(parents=True)
    shutil.copy(ROOT / "state/analytics/2026-11.json", root / "state/analytics/2026-11.json")
    from dorpsplein.build import build

    settings = load_settings(content=root / "content", output=root / "output",
                             extra={"CACHE_PATH": str(root / "cache"), "OVERVIEWS_NOW": "2026-12-01T08:00"})
    build(settings)
    return settings


@pytest.fixture
def edition(built_site):
    return read_edition(edition_folder(Path(built_site["OUTPUT_PATH"]), "2026-11", "extern"))


@pytest.fixture
def database_url(request, tmp_path):
    """SQLite in tmp_path; a test parametrized indirectly with "postgresql" gets a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "postgresql":
        return request.getfixturevalue("postgres").new_database()
    return f"sqlite:///{tmp_path / 'subscribers.sqlite3'}"


@pytest.fixture
def engine(database_url):
    return open_database(database_url)


@pytest.fixture
def people(engine):
    """20 confirmed on extern, 2 unsubscribed, 2 pending, 2 on intern only: who must (not) get a copy."""
    now = datetime.now(UTC)
    confirmed = [add_confirmed(engine, f"lezer{i:02d}@example.org", "extern", now, "test").email for i in range(20)]
    for i in range(2):
        row = add_confirmed(engine, f"afgemeld{i}@example.org", "extern", now, "test")
        unsubscribe(engine, row.key, now)
        assert add_pending(engine, f"onbevestigd{i}@example.org", "extern", now).status == PENDING
        add_confirmed(engine, f"intern{i}@example.org", "intern", now, "test")
    return confirmed


@pytest.fixture
def environ(smtp, database_url):
    return {"DORPSPLEIN_SMTP_URL": smtp.url, "DORPSPLEIN_SECRET_KEY": SECRET, "DORPSPLEIN_DATABASE_URL": database_url}


@pytest.fixture
def config(built_site, environ):
    return load_send_config({**built_site, "NEWSLETTER_RATE_PER_SECOND": 0}, environ)


class FormsService:
    def __init__(self, url, settings, engine):
        self.url, self.settings, self.engine = url, settings, engine

    def post_one_click(self, link: str) -> int:
        """What a mail client does for RFC 8058: POST List-Unsubscribe=One-Click to the https link."""
        import urllib.error
        import urllib.request

        request = urllib.request.Request(link, data=b"List-Unsubscribe=One-Click", method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def rows(self):
        from dorpsplein.subscribers import list_subscribers

        return list_subscribers(self.engine)


@pytest.fixture
def forms_service(built_site, engine, database_url, smtp):
    """The real forms service (werkzeug, threaded) on the same subscriber database."""
    import threading

    from werkzeug.serving import make_server

    from dorpsplein.forms.app import create_app
    from dorpsplein.forms.config import load_config

    holder = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}/formulieren"  # the service answers under its path
    settings = {**built_site, "FORMS_URL": url, "FORMS_RATE_LIMIT": "1000 per minute"}
    environ = {"DORPSPLEIN_SECRET_KEY": SECRET, "DORPSPLEIN_SMTP_URL": smtp.url,
               "DORPSPLEIN_DATABASE_URL": database_url}
    holder["app"] = create_app(load_config(settings, environ, True), engine=engine)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield FormsService(url, settings, engine)
    server.shutdown()
    server.server_close()
