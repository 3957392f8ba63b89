"""dorpsplein.mail: the SMTP URL and real sending to aiosmtpd on 127.0.0.1 (with and without login)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from dorpsplein.errors import DorpspleinError
from dorpsplein.mail import MailError, SmtpConfig, parse_smtp_url, send_message, smtp_connection

from .conftest import Inbox, free_port


def message(to="jan@voorbeeld.nl") -> EmailMessage:
    result = EmailMessage()
    result["From"], result["To"], result["Subject"] = "gemeente@voorbeeld.nl", to, "Proef"
    result.set_content("Hallo")
    return result


def test_urls_are_read_with_defaults_and_percent_decoding():
    assert parse_smtp_url("smtp://mail.voorbeeld.nl") == SmtpConfig("mail.voorbeeld.nl", 587, False)
    config = parse_smtp_url("smtps://nieuwsbrief%40voorbeeld.nl:p%40ss%3Aw0rd@mail.voorbeeld.nl")
    assert (config.host, config.port, config.implicit_tls) == ("mail.voorbeeld.nl", 465, True)
    assert (config.username, config.password) == ("nieuwsbrief@voorbeeld.nl", "p@ss:w0rd")
    assert "w0rd" not in repr(config) and "w0rd" not in config.describe()
    assert parse_smtp_url("smtp://127.0.0.1:2525").port == 2525


@pytest.mark.parametrize("url, error", [
    ("mail.voorbeeld.nl", "DORPSPLEIN_SMTP_URL: unsupported scheme (none); use smtp://user:password@host:587 or "
                          "smtps://user:password@host:465"),
    ("smtp://", "DORPSPLEIN_SMTP_URL: no host name; e.g. smtp://user:password@mail.example.nl:587"),
    ("smtp://mail.voorbeeld.nl:poort", "DORPSPLEIN_SMTP_URL: not a valid URL (Port could not be cast to integer "
                                       "value as 'poort')"),
    ("smtp://u:geheim@mail.voorbeeld.nl/pad?x=1", "DORPSPLEIN_SMTP_URL: unexpected path or query after the host; "
                                                  "the URL is scheme://user:password@host:port"),
])
def test_bad_urls_name_the_variable_and_never_the_password(url, error):
    with pytest.raises(DorpspleinError) as raised:
        parse_smtp_url(url)
    assert str(raised.value) == error


def test_send_to_a_real_smtp_server(smtp):
    send_message(parse_smtp_url(smtp.url), message())
    assert smtp.envelopes == [("gemeente@voorbeeld.nl", ["jan@voorbeeld.nl"])]
    assert smtp.messages[0]["Subject"] == "Proef"


def test_one_connection_for_many_messages_and_smtp_errors_pass_through(smtp):
    with smtp_connection(parse_smtp_url(smtp.url)) as connection:
        for i in range(3):
            connection.send_message(message(f"inwoner{i}@voorbeeld.nl"))
        smtp.refuse_with = "550 Onbekende ontvanger"
        with pytest.raises(smtplib.SMTPDataError) as refused:
            connection.send_message(message())
    assert refused.value.smtp_code == 550  # the newsletter needs the code: 4xx retry, 5xx give up
    assert len(smtp.messages) == 3


def test_login_with_user_and_password():
    seen = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"juist", handled=False)  # let aiosmtpd answer 535

    inbox = Inbox()
    # No TLS on a test server: aiosmtpd must be told to accept a login without it; we only allow that locally.
    # Only AUTH PLAIN, so a refused login is one attempt (smtplib tries every mechanism offered).
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticate,
                            auth_require_tls=False, auth_exclude_mechanism=["LOGIN"])
    controller.start()
    try:
        send_message(parse_smtp_url(f"smtp://beheer:juist@127.0.0.1:{controller.port}"), message())
        with pytest.raises(MailError) as error:
            send_message(parse_smtp_url(f"smtp://beheer:fout@127.0.0.1:{controller.port}"), message())
    finally:
        controller.stop()
    assert seen == [(b"beheer", b"juist"), (b"beheer", b"fout")]
    assert str(error.value) == f"smtp://beheer@127.0.0.1:{controller.port} refused the user name or password (535)"
    assert len(inbox.messages) == 1


def test_a_server_that_is_not_there_is_a_mail_error():
    port = free_port()
    with pytest.raises(MailError) as error:
        send_message(parse_smtp_url(f"smtp://127.0.0.1:{port}"), message())
    assert str(error.value).startswith(f"cannot connect to smtp://127.0.0.1:{port}: ")


def test_a_password_is_only_sent_unencrypted_to_this_machine():
    assert SmtpConfig("127.0.0.1", 25, False).is_local and SmtpConfig("localhost", 25, False).is_local
    assert SmtpConfig("::1", 25, False).is_local
    assert not SmtpConfig("mail.voorbeeld.nl", 25, False).is_local
    assert not SmtpConfig("192.0.2.10", 25, False).is_local
