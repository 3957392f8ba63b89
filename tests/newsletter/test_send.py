"""Sending for real to aiosmtpd: headers and both parts, the unsubscribe link, faults and reruns."""

from __future__ import annotations

import binascii
from collections import Counter

import dkim
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from dorpsplein.errors import DorpspleinError
from dorpsplein.newsletter.config import load_send_config
from dorpsplein.newsletter.edition import UNSUBSCRIBE_PLACEHOLDER
from dorpsplein.newsletter.message import Body
from dorpsplein.newsletter.send import send_edition
from dorpsplein.subscribers import deliveries

from .conftest import SECRET


def run(edition, engine, config, database_url, **kwargs):
    return send_edition(edition, engine, config, **kwargs)


def assert_exactly_once(inbox, people):
    counts = Counter(inbox.recipients())
    assert sorted(counts) == sorted(people), "only confirmed subscribers of the list, all of them"
    assert {n for n in counts.values()} == {1}, f"duplicates: {[a for a, n in counts.items() if n > 1]}"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_each_confirmed_subscriber_gets_one_complete_message(edition, engine, config, database_url, smtp, people):
    report = run(edition, engine, config, database_url)
    assert (report.sent, report.failed, report.deferred, report.complete) == (20, 0, 0, True)
    assert_exactly_once(smtp, people)
    assert smtp.connections == 1, "one SMTP connection for the whole mailing"
    message = smtp.messages[0]
    assert message["Subject"] == edition.subject
    assert message["From"] == "Gemeente Voorbeeld <nieuwsbrief@voorbeeld.nl>"
    assert message["Message-ID"].endswith("@voorbeeld.nl>") and "overzicht-2026-11-extern" in message["Message-ID"]
    assert message["Date"]
    assert message["List-Id"] == "Nieuwsbrief van Gemeente Voorbeeld <extern.voorbeeld.nl>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = [part.strip(" <>") for part in message["List-Unsubscribe"].split(",")]
    assert https.startswith(config.forms_url + "/afmelden/")
    assert mailto == "mailto:nieuwsbrief@voorbeeld.nl?subject=afmelden%20extern"
    assert message.get_content_type() == "multipart/alternative"
    text, html = [part.get_content() for part in message.iter_parts()]
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert https in text and https in html and UNSUBSCRIBE_PLACEHOLDER not in text + html
    assert 'lang="nl"' in html and "Gemeenteraad bespreekt begroting 2027" in text
    # A rerun has nothing left to send.
    again = run(edition, engine, config, database_url)
    assert (again.to_send, again.sent) == (0, 0) and len(smtp.messages) == 20


def test_the_unsubscribe_link_works_against_the_forms_service(edition, engine, config, database_url, smtp, people,
                                                              forms_service):
    config = load_send_config({**forms_service.settings, "NEWSLETTER_RATE_PER_SECOND": 0},
                              {"DORPSPLEIN_SMTP_URL": smtp.url, "DORPSPLEIN_SECRET_KEY": SECRET})
    run(edition, engine, config, database_url)
    link = smtp.messages[3]["List-Unsubscribe"].split(",")[0].strip(" <>")
    status = forms_service.post_one_click(link)
    assert status == 200
    rows = {row.email: row.status for row in forms_service.rows()}
    assert rows[smtp.recipients()[3]] == "unsubscribed"
    assert rows[smtp.recipients()[4]] == "confirmed"


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_refusals_4xx_are_retried_next_run_and_5xx_are_failed(edition, engine, config, database_url, smtp, people):
    smtp.refuse = {people[2]: ("451 4.7.1 Try again later", 1), people[5]: ("550 5.1.1 No such user", 99)}
    first = run(edition, engine, config, database_url)
    assert (first.sent, first.deferred, first.failed, first.complete) == (18, 1, 1, False)
    assert {(e, s, c) for e, s, c, _ in first.problems} == {(people[2], "deferred", 451), (people[5], "failed", 550)}
    second = run(edition, engine, config, database_url)
    assert (second.to_send, second.sent, second.failed) == (1, 1, 0)
    assert second.totals == {"sent": 19, "failed": 1}
    assert_exactly_once(smtp, [p for p in people if p != people[5]])


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_dropped_connection_is_reopened_and_the_copy_sent_once(edition, engine, config, database_url, smtp,
                                                                 people):
    smtp.drop_after = 7
    report = run(edition, engine, config, database_url)
    assert report.complete and smtp.connections == 2
    assert_exactly_once(smtp, people)


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_server_that_goes_away_leaves_the_rest_for_the_next_run(edition, engine, config, database_url, smtp,
                                                                  people):
    def stop_after_five(number):
        if number == 6:
            smtp.controller.loop.call_soon(smtp.controller.server.close)  # no new connections either
            return "421 4.3.2 Shutting down"
        return None

    smtp.on_message = stop_after_five
    report = run(edition, engine, config, database_url)
    assert report.stopped and report.sent == 5 and not report.complete
    smtp.on_message = None
    port = smtp.controller.port
    smtp.controller.stop()
    smtp.controller = Controller(smtp, hostname="127.0.0.1", port=port)  # back, on the same port
    smtp.controller.start()
    second = run(edition, engine, config, database_url)
    assert second.complete and second.sent == 15
    assert_exactly_once(smtp, people)


def test_dry_run_sends_and_writes_nothing(edition, engine, database_url, smtp, people, built_site):
    config = load_send_config(built_site, {}, dry_run=True)
    report = run(edition, engine, config, database_url, dry_run=True)
    assert report.to_send == 20 and smtp.messages == []
    with engine.connect() as conn:
        assert conn.execute(select(deliveries)).all() == []


def test_dkim_signature_verifies(edition, engine, database_url, smtp, people, built_site, environ, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    (tmp_path / "dkim.pem").write_bytes(pem)
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    import base64

    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    config = load_send_config({**built_site, "NEWSLETTER_RATE_PER_SECOND": 0},
                              {**environ, "DORPSPLEIN_DKIM_KEY_PATH": str(tmp_path / "dkim.pem"),
                               "DORPSPLEIN_DKIM_SELECTOR": "nb2026"})
    run(edition, engine, config, database_url)
    raw = smtp.raw[0]
    assert b"s=nb2026" in raw and b"d=voorbeeld.nl" in raw

    def dns(name, timeout=5):
        assert name == b"nb2026._domainkey.voorbeeld.nl."
        return record

    assert dkim.verify(raw, dnsfunc=dns)
    assert not dkim.verify(raw.replace(b"Afmelden", b"Aanmelden"), dnsfunc=dns), "a changed body fails"


@pytest.mark.parametrize("missing, message", [
    ("DORPSPLEIN_SMTP_URL", "DORPSPLEIN_SMTP_URL is not set"),
    ("DORPSPLEIN_SECRET_KEY", "DORPSPLEIN_SECRET_KEY is not set"),
])
def test_sending_needs_smtp_and_the_signing_key(built_site, environ, missing, message):
    from dorpsplein.errors import DorpspleinError

    with pytest.raises(DorpspleinError, match=message):
        load_send_config(built_site, {k: v for k, v in environ.items() if k != missing})


def test_a_relay_limit_of_messages_per_connection_is_respected(edition, engine, database_url, smtp, people,
                                                               built_site, environ):
    config = load_send_config({**built_site, "NEWSLETTER_RATE_PER_SECOND": 0,
                               "NEWSLETTER_MESSAGES_PER_CONNECTION": 6}, environ)
    report = run(edition, engine, config, database_url)
    assert report.complete and smtp.connections == 4  # 6 + 6 + 6 + 2
    assert_exactly_once(smtp, people)


def test_the_rate_limit_paces_messages():
    clock = {"t": 0.0}
    slept = []

    def sleep(seconds):
        slept.append(round(seconds, 6))
        clock["t"] += seconds

    from dorpsplein.newsletter.send import Pacer

    pacer = Pacer(4, clock=lambda: clock["t"], sleep=sleep)
    for _ in range(5):
        pacer.wait()
    assert slept == [0.25, 0.25, 0.25, 0.25] and clock["t"] == 1.0


@pytest.mark.parametrize("offset", range(70, 82))
def test_a_body_encoded_once_decodes_to_each_copy_exactly_with_short_lines(offset):
    # The link lands at every position around the 76-character line limit, after escapes too.
    text = ("é=" * 40)[:offset] + UNSUBSCRIBE_PLACEHOLDER + " einde =\n" + "x" * offset + UNSUBSCRIBE_PLACEHOLDER
    link = "https://formulieren.example/afmelden/" + "Ab-_9" * 30 + "?a=1&b=2"
    encoded = Body(text).fill(link)
    assert binascii.a2b_qp(encoded).decode() == text.replace(UNSUBSCRIBE_PLACEHOLDER, link).replace("\n", "\r\n")
    assert max(len(line) for line in encoded.split(b"\r\n")) <= 76


def test_a_production_mailing_with_a_development_link_sends_nothing(edition, engine, built_site, environ,
                                                                   database_url, smtp, people):
    """The production guard reads the first copy before any is claimed: a loopback unsubscribe link stops all."""
    config = load_send_config({**built_site, "FORMS_URL": "http://127.0.0.1:8001", "NEWSLETTER_RATE_PER_SECOND": 0},
                              environ, production=True)
    with pytest.raises(DorpspleinError) as refused:
        run(edition, engine, config, database_url)
    # The edition of this development build links the preview too: refused as well.
    first, forms, preview, unsubscribe = str(refused.value).splitlines()
    assert (first, forms, preview) == ("the mail links addresses that are not on the public internet:",
                                       "  http://127.0.0.1:8001 (a loopback address)",
                                       "  http://127.0.0.1:8000 (a loopback address)")
    assert unsubscribe.startswith("  List-Unsubscribe http://127.0.0.1:8001/afmelden/")
    assert unsubscribe.endswith(" (not https://)")
    assert smtp.messages == []
    again = run(edition, engine, load_send_config({**built_site, "NEWSLETTER_RATE_PER_SECOND": 0}, environ),
                database_url)
    assert again.sent == len(people)  # nothing was claimed by the refused run
