"""An unsubscribe is never lost: a busy or unwritable database queues it on disk, the person gets the
answer at once, and the queue is applied before the next edition goes out."""

from __future__ import annotations

import json
import sqlite3
import threading
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event
from werkzeug.serving import make_server

from dorpsplein import unsubscribe_queue
from dorpsplein.errors import DorpspleinError
from dorpsplein.forms.app import create_app
from dorpsplein.forms.config import load_config
from dorpsplein.forms.tokens import unsubscribe_url
from dorpsplein.newsletter.service import send
from dorpsplein.subscribers import CONFIRMED, UNSUBSCRIBED, add_confirmed, subscriber_by_key

from .conftest import SECRET, FormsService


@pytest.fixture
def queue(tmp_path) -> Path:
    return tmp_path / "queue" / "unsubscribe-queue.jsonl"


@pytest.fixture
def service(built_site, engine, database_url, smtp, queue):
    """The real forms service on the test's database, giving up on a busy database after 0.5 s."""
    server = make_server("127.0.0.1", 0, None, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    settings = {**built_site, "FORMS_URL": url, "FORMS_RATE_LIMIT": "1000 per minute",
                "FORMS_UNSUBSCRIBE_WAIT_SECONDS": 0.5}
    environ = {"DORPSPLEIN_SECRET_KEY": SECRET, "DORPSPLEIN_SMTP_URL": smtp.url,
               "DORPSPLEIN_DATABASE_URL": database_url, unsubscribe_queue.VARIABLE: str(queue)}
    server.app = create_app(load_config(settings, environ, True), engine=engine)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield FormsService(url, settings, engine)
    server.shutdown()
    server.server_close()


@pytest.fixture
def reader(engine):
    return add_confirmed(engine, "lezer@example.org", "extern", datetime.now(UTC), "test")


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:  # 10 s: a read that waits for the writer fails
        return response.status


class WriteLock:
    """Another process's write transaction held open on the SQLite file, as a long import would."""

    def __init__(self, database_url: str):
        self.connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self):
        self.connection.execute("ROLLBACK")
        self.connection.close()


def test_a_busy_database_queues_the_one_click_unsubscribe_and_the_next_send_applies_it(
        service, engine, database_url, reader, queue, built_site, smtp):
    link = unsubscribe_url(service.url, SECRET, reader.key)
    lock = WriteLock(database_url)
    try:
        assert get(link) == 200, "the unsubscribe page only reads: it does not wait for the writer"
        assert get(f"{service.url}/gezondheid") == 200
        assert service.post_one_click(link) == 200
        assert unsubscribe_queue.waiting(queue) == 1
        assert json.loads(queue.read_text())["key"] == reader.key
        assert subscriber_by_key(engine, reader.key).status == CONFIRMED, "the database did not take it"
    finally:
        lock.release()
    environ = {"DORPSPLEIN_SMTP_URL": smtp.url, "DORPSPLEIN_SECRET_KEY": SECRET,
               "DORPSPLEIN_DATABASE_URL": database_url, unsubscribe_queue.VARIABLE: str(queue)}
    _, report = send({**built_site, "NEWSLETTER_RATE_PER_SECOND": 0}, "extern", "2026-11", environ=environ)
    assert report.sent == 0 and smtp.messages == [], "the person who unsubscribed got no edition"
    assert subscriber_by_key(engine, reader.key).status == UNSUBSCRIBED
    assert unsubscribe_queue.waiting(queue) == 0


def test_a_database_that_cannot_be_written_queues_it_and_the_service_applies_it_when_it_can(
        service, engine, reader, queue):
    def read_only(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only = ON")  # every write fails, as on a full or read-only disk

    event.listen(engine, "connect", read_only)
    engine.dispose()
    link = unsubscribe_url(service.url, SECRET, reader.key)
    try:
        assert service.post_one_click(link) == 200
        assert unsubscribe_queue.waiting(queue) == 1
    finally:
        event.remove(engine, "connect", read_only)
        engine.dispose()
    assert get(f"{service.url}/gezondheid") == 200  # the database is back: the service empties the queue
    assert unsubscribe_queue.waiting(queue) == 0
    assert subscriber_by_key(engine, reader.key).status == UNSUBSCRIBED


def test_the_send_refuses_while_the_queue_cannot_be_applied(engine, database_url, reader, queue, built_site, smtp):
    unsubscribe_queue.append(queue, reader.key, datetime.now(UTC))
    with queue.open("a") as handle:
        handle.write("niet-json\n")
    environ = {"DORPSPLEIN_SMTP_URL": smtp.url, "DORPSPLEIN_SECRET_KEY": SECRET,
               "DORPSPLEIN_DATABASE_URL": database_url, unsubscribe_queue.VARIABLE: str(queue)}
    with pytest.raises(DorpspleinError, match=rf"^{queue}:2: not an unsubscribe entry .*Nothing was sent"):
        send({**built_site, "NEWSLETTER_RATE_PER_SECOND": 0}, "extern", "2026-11", environ=environ)
    assert smtp.messages == [] and unsubscribe_queue.waiting(queue) == 2, "the queue is kept whole"


def test_the_queue_is_applied_oldest_first_and_twice_is_harmless(engine, reader, queue):
    moment = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    unsubscribe_queue.append(queue, reader.key, moment)
    unsubscribe_queue.append(queue, reader.key, datetime.now(UTC))
    from dorpsplein.subscribers import unsubscribe

    assert unsubscribe_queue.apply(queue, engine, unsubscribe) == 2
    assert subscriber_by_key(engine, reader.key).unsubscribed_at == moment
    assert unsubscribe_queue.apply(queue, engine, unsubscribe) == 0
