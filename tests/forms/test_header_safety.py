"""Mail headers are safe by construction (issue 18.4), on this machine's Python (3.11.7 lacks the
CVE-2024-6923 fix): one-line fields refuse encoded words and every line separator, every message
is parsed back and compared before it leaves, and `forms resend` takes each message on its own."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from markupsafe import escape
from sqlalchemy import select

from dorpsplein.forms.contact import store_message
from dorpsplein.forms.emails import contact_email
from dorpsplein.mail import LINE_BREAKS, HeaderError, checked_message
from dorpsplein.subscribers import contact_messages
from tasks import cli

from .test_contact import GOOD, stored

ENCODED_BCC = "=?utf-8?q?x=0D=0ABcc:_evil@evil.example?="


def test_this_python_lacks_verify_generated_headers_so_we_do_not_rely_on_it():
    """The premise of this module: if it ever fails, the checks below still hold but are belt and braces."""
    from email import policy

    assert sys.version_info[:2] == (3, 11)
    assert not hasattr(policy.default, "verify_generated_headers")


def test_line_breaks_are_every_separator_str_splitlines_knows():
    separators = {chr(n) for n in range(0x110000) if len(f"a{chr(n)}b".splitlines()) == 2}
    separators -= {"\r\n"}
    assert LINE_BREAKS == separators


SUBJECTS = {"encoded Bcc": ENCODED_BCC,
            "encoded word, upper case": "=?UTF-8?B?eA0KQmNjOiBldmlsQGV2aWwuZXhhbXBsZQ==?=",
            "harmless encoded word": "=?utf-8?q?hallo?=",
            **{f"U+{ord(ch):04X}": f"Hallo{ch}Bcc: evil@evil.example" for ch in sorted(LINE_BREAKS)}}
MESSAGES = {"encoded": "bevat een code als =?utf-8?q?…?=. Typ de tekst zonder zo'n code.",
            "break": "bevat onzichtbare stuurtekens. Typ de tekst opnieuw."}


@pytest.mark.parametrize("field, label", [("subject", "Het onderwerp"), ("name", "Uw naam")])
@pytest.mark.parametrize("value", SUBJECTS.values(), ids=SUBJECTS.keys())
def test_one_line_fields_refuse_encoded_words_and_every_line_break(service, field, label, value):
    reply = service.post("/contact", {**GOOD, field: value})
    assert reply.status == 422, reply.text[:300]
    message = f"{label} {MESSAGES['encoded' if value.startswith('=?') else 'break']}"
    assert f'<p class="form-field__error" id="contact-{field}-fout">{escape(message)}</p>' in reply.text
    assert stored(service) == [] and service.inbox.messages == []


@pytest.mark.parametrize("value", [ENCODED_BCC + "@x.nl", "a@x.nl\u2028Bcc: evil@evil.example"])
def test_the_email_field_refuses_them_too(service, value):
    reply = service.post("/contact", {**GOOD, "email": value})
    assert reply.status == 422
    assert "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl." in reply.text


def test_line_breaks_in_the_message_body_are_fine(service):
    reply = service.post("/contact", {**GOOD, "message": "Regel 1\r\nRegel 2\u2028Regel 3"})
    assert reply.status == 200
    [mail] = service.inbox.messages
    assert "Bcc" not in mail and sorted(mail.keys()) == sorted(
        ["From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "Reply-To", "Content-Type",
         "Content-Transfer-Encoding", "MIME-Version"])


def test_real_subjects_and_names_survive_the_round_trip(service):
    """Non-ASCII, quotes, commas and a subject long enough to be folded: parsed back equal, so sent."""
    name = 'Zoë "Zo" Çelik-de Vries, jr. 🚲'
    subject = "Één vraag over de Molenweg, het fietspad (en de 🚲-stalling) " * 2
    reply = service.post("/contact", {**GOOD, "name": name, "subject": subject.strip()})
    assert reply.status == 200
    [mail] = service.inbox.messages
    assert mail["Subject"] == "Contactformulier: " + subject.strip()
    assert mail["Reply-To"].addresses[0].display_name == name


def _message(headers: dict) -> EmailMessage:
    message = EmailMessage()
    for name, value in headers.items():
        message[name] = value
    message.set_content("x")
    return message


def test_a_decoded_line_break_is_caught_when_the_message_is_parsed_back():
    """What validation stops is also stopped here: the email package decodes the word into a Bcc header."""
    headers = {"From": "a@voorbeeld.nl", "To": "b@voorbeeld.nl", "Subject": "Contactformulier: " + ENCODED_BCC}
    with pytest.raises(HeaderError, match="^subject: the value contains an RFC 2047 encoded word"):
        checked_message(_message(headers), headers)
    # Even when the caller forgot to check the value: the parsed-back message has a Bcc nobody set.
    message = _message(headers)
    with pytest.raises(HeaderError, match="^bcc: an unexpected header in the message"):
        checked_message(message, {**headers, "Subject": "Contactformulier: x"})


def test_a_header_that_differs_from_its_value_or_appears_twice_is_refused():
    headers = {"From": "a@voorbeeld.nl", "To": "b@voorbeeld.nl", "Subject": "Hallo", "Comments": "een"}
    message = _message(headers)
    with pytest.raises(HeaderError, match="^subject: the header as sent"):
        checked_message(message, {**headers, "Subject": "Anders"})
    message["Comments"] = "een"
    with pytest.raises(HeaderError, match="^comments: the header appears twice"):
        checked_message(message, headers)


def test_a_stored_bad_message_is_a_header_error_not_a_value_error(service):
    with pytest.raises(HeaderError, match="^subject: contains a line break; not sent"):
        contact_email(service.config, "Jan", "jan@voorbeeld.nl", "Hallo\u2028Bcc: x@y.nl", "tekst",
                      datetime.now(UTC), 1)


def test_resend_takes_each_message_on_its_own_and_reports_the_failures(service, runner, monkeypatch):
    """Messages stored before validation got stricter: the bad ones are reported, the good ones still sent."""
    engine = service.app.extensions["dorpsplein_forms"].engine
    now = datetime.now(UTC)
    bad_ids = [store_message(engine, {**GOOD, "subject": s}, now) for s in ("Hallo\u2028Bcc: x@y.nl", ENCODED_BCC)]
    good_id = store_message(engine, {**GOOD, "subject": "Goed onderwerp"}, now)
    also_bad = store_message(engine, {**GOOD, "name": "Jan\rBcc: x@y.nl"}, now)

    monkeypatch.setenv("DORPSPLEIN_SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
    monkeypatch.setenv("DORPSPLEIN_SMTP_URL", service.config.smtp.describe())
    monkeypatch.setenv("DORPSPLEIN_DATABASE_URL", service.database_url)
    result = runner.invoke(cli, ["forms", "resend"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == "Sent 1 e-mail(s) from the outbox; 3 not sent\n"
    assert result.stderr.splitlines() == [
        f"Not sent: contact message {bad_ids[0]}: subject: contains a line break; not sent",
        f"Not sent: contact message {bad_ids[1]}: subject: contains an RFC 2047 encoded word (=?…?=); not sent",
        f"Not sent: contact message {also_bad}: name: contains a line break; not sent"]
    [mail] = service.inbox.messages
    assert mail["Subject"] == "Contactformulier: Goed onderwerp"
    with engine.connect() as conn:
        mailed = dict(conn.execute(select(contact_messages.c.id, contact_messages.c.mailed_at)).all())
    assert mailed[good_id] is not None and all(mailed[i] is None for i in (*bad_ids, also_bad))
    # and again: still stored, still refused, still reported, without raising
    result = runner.invoke(cli, ["forms", "resend"])
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 3, result.output


def _factory(subject: str):
    from dorpsplein.newsletter.config import SendConfig
    from dorpsplein.newsletter.edition import Edition
    from dorpsplein.newsletter.message import MessageFactory

    edition = Edition("overzicht-2026-11-extern", "extern", "2026-11", subject, "", "<p>x</p>", "x", None,
                      "https://www.voorbeeld.nl")
    config = SendConfig(None, "geheim", "https://www.voorbeeld.nl/formulieren", "Gemeente Voorbeeld "
                        "<nieuwsbrief@voorbeeld.nl>", "voorbeeld.nl", "afmelden@voorbeeld.nl",
                        {"extern": "Nieuws uit Voorbeeld"}, 0, 0, None)
    return MessageFactory(edition, config)


@pytest.mark.parametrize("subject", [ENCODED_BCC, "Nieuws\u2029Bcc: evil@evil.example"])
def test_a_newsletter_subject_with_an_encoded_word_or_line_break_is_refused_before_sending(subject):
    with pytest.raises(HeaderError, match=r"^subject: .* contains (an RFC 2047 encoded word \(=\?…\?=\)|a line break); "
                                          "nothing sent$"):
        _factory(subject)


def test_a_newsletter_copy_parses_back_to_the_values_it_was_built_from():
    from email import message_from_bytes, policy

    from dorpsplein.subscribers import Subscriber

    factory = _factory("Één overzicht van november 2026, met 🚲 en \"aanhalingstekens\"")
    subscriber = Subscriber(1, "k", "jan@voorbeeld.nl", "extern", "confirmed", None, "form", datetime.now(UTC),
                            None, None, None, None)
    mail = message_from_bytes(factory.build(subscriber, datetime.now(UTC)), policy=policy.default)
    assert mail["Subject"] == "Één overzicht van november 2026, met 🚲 en \"aanhalingstekens\""
    assert mail["To"] == "jan@voorbeeld.nl" and "Bcc" not in mail
    with pytest.raises(HeaderError, match="^to: the address of subscriber 2 contains a line break"):
        factory.build(Subscriber(2, "k", "jan@voorbeeld.nl\r\nBcc: evil@evil.example", "extern", "confirmed",
                                 None, "form", datetime.now(UTC), None, None, None, None), datetime.now(UTC))
