"""E-mails leave through the outbox: the visitor is answered at once, a failing SMTP server is retried with backoff."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import select

from dorpsplein.db.schema import outbox
from dorpsplein.forms.outbox import Outbox, retry_delay
from dorpsplein.forms.queued_mail import CONTACT, compose
from dorpsplein.mail import parse_smtp_url, send_message

from .test_signup import link_in, sign_up

THANKS = "<h1>Bijna klaar: bevestig uw aanmelding</h1>"


def rows(service):
    with service.app.extensions["dorpsplein_forms"].engine.connect() as conn:
        return conn.execute(select(outbox)).all()


def test_the_retry_delay_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_failing_smtp_server_is_retried_with_backoff_and_the_visitor_never_waits(service):
    service.inbox.refuse_with = "451 Tijdelijk niet beschikbaar"
    reply = sign_up(service)
    assert reply.status == 200 and THANKS in reply.text
    assert service.inbox.messages == []
    [row] = rows(service)
    assert (row.kind, row.about, row.attempts) == ("confirmation", "jan@voorbeeld.nl", 1)
    assert "451" in row.last_error
    first_retry = row.next_attempt_at

    service.clock.offset += timedelta(seconds=29)  # not yet
    service.settle()
    assert rows(service)[0].attempts == 1
    service.clock.offset += timedelta(seconds=2)  # due: tried again, refused again, next wait twice as long
    service.settle()
    [row] = rows(service)
    assert row.attempts == 2 and row.next_attempt_at - first_retry >= timedelta(seconds=60)

    service.inbox.refuse_with = None
    service.clock.offset += timedelta(seconds=61)
    service.settle()
    assert rows(service) == []
    [mail] = service.inbox.messages
    assert mail["To"] == "jan@voorbeeld.nl" and "/bevestigen/" in link_in(mail)


class SilentSmtpServer:
    """Accepts connections and never says a word, like a mail server that hangs."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.accepted = threading.Event()
        self.clients = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.clients.append(client)
            self.accepted.set()

    def close(self):
        self.sock.close()
        for client in self.clients:
            client.close()


def test_the_visitor_is_answered_while_the_smtp_server_hangs(start_service):
    silent = SilentSmtpServer()
    try:
        service = start_service(environ={"DORPSPLEIN_SMTP_URL": f"smtp://127.0.0.1:{silent.sock.getsockname()[1]}"})
        reply = service.post("/aanmelden", {"email": "jan@voorbeeld.nl", "list": "extern", "website": ""},
                             settle=False)
        assert reply.status == 200 and THANKS in reply.text
        assert silent.accepted.wait(30)  # the worker is talking to the server, the visitor has the answer
        assert [row.kind for row in rows(service)] == ["confirmation"]
    finally:
        silent.close()


def test_a_confirmation_is_dropped_once_its_link_has_expired(service):
    service.inbox.refuse_with = "451 Tijdelijk niet beschikbaar"
    sign_up(service)
    service.inbox.refuse_with = None
    service.clock.offset += service.config.confirm_max_age + timedelta(seconds=1)
    service.settle()
    assert rows(service) == [] and service.inbox.messages == []


def test_two_workers_never_send_one_e_mail_twice(service):
    engine = service.app.extensions["dorpsplein_forms"].engine
    service.outbox.stop()  # only the two workers below
    now = datetime.now(UTC)
    send = partial(send_message, parse_smtp_url(service.inbox.url))
    first, second = (Outbox(engine, send, lambda: now, partial(compose, service.config)) for _ in range(2))
    for i in range(20):
        first.add(CONTACT, {"id": i, "name": "Jan", "email": f"jan{i}@voorbeeld.nl", "subject": f"Vraag {i}",
                            "message": "Hallo", "at": now.isoformat()}, f"jan{i}@voorbeeld.nl")
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda worker: worker.deliver_due(), [first, second]))
    assert sum(sent for sent, _failed in results) == 20
    assert sorted(m["Subject"] for m in service.inbox.messages) == sorted(f"Contactformulier: Vraag {i}"
                                                                           for i in range(20))


@pytest.mark.parametrize("path", ["/aanmelden", "/contact"])
def test_without_the_worker_nothing_is_sent_inside_the_request(start_service, path):
    service = start_service()
    service.outbox.stop()
    data = {"email": "jan@voorbeeld.nl", "list": "extern", "website": "", "name": "Jan", "subject": "Vraag",
            "message": "Hallo"}
    assert service.post(path, data, settle=False).status == 200
    assert service.inbox.messages == [] and len(rows(service)) == 1
