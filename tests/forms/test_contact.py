"""The contact form over real HTTP: stored, mailed to the community manager with Reply-To, bad input refused."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from dorpsplein.forms.contact import resend_unmailed
from dorpsplein.subscribers import contact_messages

GOOD = {"name": "Zoë Çelik-de Vries", "email": "zoe@voorbeeld.nl", "subject": "Losse stoeptegel Kerkstraat",
        "message": "Voor nummer 12 ligt een losse tegel.\r\nIk ben er bijna over gevallen.", "website": ""}


def stored(service):
    with service.app.extensions["dorpsplein_forms"].engine.connect() as conn:
        return conn.execute(select(contact_messages).order_by(contact_messages.c.id)).all()


def test_a_message_is_stored_and_mailed_with_reply_to_the_sender(service):
    reply = service.post("/contact", GOOD)
    assert reply.status == 200
    assert "<h1>Bedankt voor uw bericht</h1>" in reply.text
    assert "Beste Zoë Çelik-de Vries, we hebben uw bericht ontvangen." in reply.text

    [row] = stored(service)
    assert (row.name, row.email, row.subject) == (GOOD["name"], GOOD["email"], GOOD["subject"])
    assert row.message == "Voor nummer 12 ligt een losse tegel.\nIk ben er bijna over gevallen."
    assert row.mailed_at is not None

    [mail] = service.inbox.messages
    assert service.inbox.envelopes == [("nieuwsbrief@voorbeeld.nl", ["info@voorbeeld.nl"])]
    assert mail["To"] == "info@voorbeeld.nl"
    assert mail["Reply-To"].addresses[0].display_name == "Zoë Çelik-de Vries"
    assert mail["Reply-To"].addresses[0].addr_spec == "zoe@voorbeeld.nl"
    assert mail["Subject"] == "Contactformulier: Losse stoeptegel Kerkstraat"
    body = mail.get_content().replace("\r\n", "\n")  # CRLF on the wire
    assert "Naam:      Zoë Çelik-de Vries\n" in body
    assert "Voor nummer 12 ligt een losse tegel.\nIk ben er bijna over gevallen.\n" in body


def test_markup_in_a_message_stays_text_in_page_and_mail(service):
    hostile = {**GOOD, "name": "<b>Bob</b>", "message": "<script>alert('x')</script> ' OR 1=1 --"}
    reply = service.post("/contact", hostile)
    assert reply.status == 200
    assert "Beste &lt;b&gt;Bob&lt;/b&gt;, we" in reply.text and "<b>Bob</b>" not in reply.text
    mail = service.inbox.messages[0]
    assert mail.get_content_type() == "text/plain" and not mail.is_multipart()
    assert "<script>alert('x')</script> ' OR 1=1 --" in mail.get_content()  # plain text: shown, never run
    assert stored(service)[0].message == hostile["message"]


BAD_CONTACTS = {
    "missing name": ({"name": ""}, "name", "Vul uw naam in."),
    "missing everything": ({"name": "", "email": "", "subject": "", "message": ""}, "message", "Vul uw bericht in."),
    "script in e-mail": ({"email": "<script>@x.nl"}, "email",
                         "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
    "sql in e-mail": ({"email": "'; DELETE FROM contact_messages; --"}, "email",
                      "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
    "10 KB address": ({"email": "b" * 10_240 + "@x.nl"}, "email",
                      "Het e-mailadres is te lang: 10245 tekens, maximaal 254."),
    "long name": ({"name": "N" * 101}, "name", "Uw naam is te lang: 101 tekens, maximaal 100."),
    "long subject": ({"subject": "S" * 151}, "subject", "Het onderwerp is te lang: 151 tekens, maximaal 150."),
    "long message": ({"message": "é" * 5001}, "message", "Uw bericht is te lang: 5001 tekens, maximaal 5000."),
    "line break in subject": ({"subject": "Hallo\r\nBcc: iedereen@example.org"}, "subject",
                              "Het onderwerp bevat onzichtbare stuurtekens. Typ de tekst opnieuw."),
    "null byte in name": ({"name": "Jan\x00"}, "name", "Uw naam bevat onzichtbare stuurtekens. Typ de tekst opnieuw."),
    "bidi override": ({"name": "Jan\u202eetsiv"}, "name",
                      "Uw naam bevat onzichtbare stuurtekens. Typ de tekst opnieuw."),
}


@pytest.mark.parametrize("changes, field, message", BAD_CONTACTS.values(), ids=BAD_CONTACTS.keys())
def test_bad_contact_input_gets_a_dutch_message_and_nothing_is_stored(service, changes, field, message):
    reply = service.post("/contact", {**GOOD, **changes})
    assert reply.status == 422
    assert "<h1>Controleer uw bericht</h1>" in reply.text
    assert f'<p class="form-field__error" id="contact-{field}-fout">{escape(message)}</p>' in reply.text
    assert f'<li><a href="#contact-{field}">{escape(message)}</a></li>' in reply.text
    assert "<script>" not in reply.text
    assert stored(service) == [] and service.inbox.messages == []


def test_the_form_comes_back_filled_in_so_nothing_typed_is_lost(service):
    reply = service.post("/contact", {**GOOD, "email": "zoe@"})
    assert reply.status == 422
    assert 'value="Zoë Çelik-de Vries"' in reply.text
    assert "Voor nummer 12 ligt een losse tegel.\nIk ben er bijna over gevallen.</textarea>" in reply.text
    assert 'id="contact-email" name="email" maxlength="254" required autocomplete="email" ' \
           'aria-describedby="contact-email-uitleg contact-email-fout" aria-invalid="true"' in reply.text


def test_a_message_from_another_site_is_refused(service):
    reply = service.post("/contact", GOOD, origin="https://kwaadwillend.example")
    assert reply.status == 403 and stored(service) == []


def test_the_honeypot_is_thanked_and_ignored(service):
    reply = service.post("/contact", {**GOOD, "website": "http://spam.example"})
    assert reply.status == 200 and "<h1>Bedankt voor uw bericht</h1>" in reply.text
    assert stored(service) == [] and service.inbox.messages == []


def test_when_mail_fails_the_message_is_kept_and_resent_later(service):
    service.inbox.refuse_with = "451 Even niet"
    reply = service.post("/contact", GOOD)
    assert reply.status == 200  # the message is safe with us; the visitor need not send it again
    [row] = stored(service)
    assert row.mailed_at is None and service.inbox.messages == []

    service.inbox.refuse_with = None
    sent = resend_unmailed(service.outbox)  # `forms resend`: now, without waiting for the retry
    assert sent == (1, 0)
    assert stored(service)[0].mailed_at is not None
    assert service.inbox.messages[0]["Subject"] == "Contactformulier: Losse stoeptegel Kerkstraat"
    assert resend_unmailed(service.outbox) == (0, 0)
