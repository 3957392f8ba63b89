"""Sign-up, double opt-in and one-click unsubscribe over real HTTP, with real SQLite and real SMTP."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from markupsafe import escape

from dorpsplein.db.database import head_revision
from dorpsplein.forms.tokens import make_confirm_token, unsubscribe_url

from .conftest import SITE

LINK = re.compile(r"http://127\.0\.0\.1:\d+/formulieren/(?:bevestigen|afmelden)/[\w.\-]+")


def link_in(message) -> str:
    return LINK.search(message.get_content()).group(0)


def sign_up(service, email="jan@voorbeeld.nl", **extra):
    return service.post("/aanmelden", {"email": email, "list": "extern", "website": "", **extra})


def test_full_double_opt_in_round_trip(service):
    reply = sign_up(service, "Jan.Jansen@Voorbeeld.NL")
    assert reply.status == 200
    assert "<h1>Bijna klaar: bevestig uw aanmelding</h1>" in reply.text
    assert "Set-Cookie" not in reply.headers

    [row] = service.rows()
    assert (row.email, row.list_name, row.status, row.confirmed_at) == ("jan.jansen@voorbeeld.nl", "extern",
                                                                        "pending", None)
    [mail] = service.inbox.messages
    assert mail["To"] == "jan.jansen@voorbeeld.nl"
    assert mail["Subject"] == "Bevestig uw aanmelding voor de nieuwsbrief"
    assert mail["From"] == "Gemeente Voorbeeld <nieuwsbrief@voorbeeld.nl>"
    assert "versie 2026-11-28" in mail.get_content()
    confirm_link = link_in(mail)
    assert confirm_link.startswith(service.url + "/bevestigen/")

    # Following the link shows a button; only the POST confirms (mail scanners follow links too).
    page = service.get(confirm_link)
    assert page.status == 200 and "<strong>jan.jansen@voorbeeld.nl</strong>" in page.text
    assert service.rows()[0].status == "pending"
    done = service.post(confirm_link.removeprefix(service.url), {}, origin=service.origin)
    assert done.status == 200 and "<h1>Uw aanmelding is bevestigd</h1>" in done.text

    [row] = service.rows()
    assert row.status == "confirmed" and row.nonce is None
    assert row.consent_version == "2026-11-28"
    assert abs(row.confirmed_at - service.clock()) < timedelta(minutes=1)
    # The confirmed page offers the unsubscribe link for this subscriber.
    assert unsubscribe_url(service.url, service.config.secret_key, row.key) in done.text


def test_the_same_answer_whether_the_address_is_known_or_not(service):
    first = sign_up(service)
    link = link_in(service.inbox.messages[0])
    service.post(link.removeprefix(service.url), {}, origin=service.origin)
    service.clock.offset += service.config.confirm_interval  # one sign-up mail per address per interval
    again = sign_up(service)
    unknown = sign_up(service, "nieuw@voorbeeld.nl")
    assert first.status == again.status == unknown.status == 200
    assert first.text == again.text == unknown.text
    # The known address gets a notice (with a way out), not a second confirmation.
    notice = service.inbox.messages[1]
    assert notice["Subject"] == "U bent al aangemeld voor de nieuwsbrief"
    assert "/afmelden/" in link_in(notice)
    assert [(r.email, r.status) for r in service.rows()] == [("jan@voorbeeld.nl", "confirmed"),
                                                             ("nieuw@voorbeeld.nl", "pending")]


def test_signing_up_twice_before_confirming_keeps_both_links_working(service):
    sign_up(service)
    service.clock.offset += service.config.confirm_interval
    sign_up(service)
    first, second = (link_in(m) for m in service.inbox.messages)
    assert len(service.rows()) == 1
    assert service.post(first.removeprefix(service.url), {}, origin=service.origin).status == 200
    reused = service.post(second.removeprefix(service.url), {}, origin=service.origin)
    assert reused.status == 410 and "Deze link is al gebruikt" in reused.text


def test_a_used_link_is_refused(service):
    sign_up(service)
    path = link_in(service.inbox.messages[0]).removeprefix(service.url)
    assert service.post(path, {}, origin=service.origin).status == 200
    for reply in (service.post(path, {}, origin=service.origin), service.get(path)):
        assert reply.status == 410
        assert "<h1>Deze link is al gebruikt</h1>" in reply.text


def test_an_expired_link_is_refused(service):
    sign_up(service)
    path = link_in(service.inbox.messages[0]).removeprefix(service.url)
    service.clock.offset = timedelta(hours=48, minutes=1)
    for reply in (service.get(path), service.post(path, {}, origin=service.origin)):
        assert reply.status == 410
        assert "<h1>Deze link is verlopen</h1>" in reply.text
        assert "De bevestigingslink is 48 uur geldig" in reply.text
    assert service.rows()[0].status == "pending"


def test_a_link_just_within_its_time_still_works(service):
    sign_up(service)
    path = link_in(service.inbox.messages[0]).removeprefix(service.url)
    service.clock.offset = timedelta(hours=47, minutes=59)
    assert service.post(path, {}, origin=service.origin).status == 200


@pytest.mark.parametrize("token", [
    "niet-een-token",
    make_confirm_token("een-andere-geheime-sleutel-van-32-tekens-lang", "k", "n", "v"),
])
def test_a_forged_or_mangled_link_is_refused(service, token):
    reply = service.get(f"/bevestigen/{token}")
    assert reply.status == 400 and "<h1>Deze link werkt niet</h1>" in reply.text


def test_a_truncated_link_is_refused(service):
    sign_up(service)
    path = link_in(service.inbox.messages[0]).removeprefix(service.url)
    reply = service.post(path[:-3], {}, origin=service.origin)
    assert reply.status == 400
    assert service.rows()[0].status == "pending"


def test_one_click_unsubscribe_per_rfc_8058(service):
    sign_up(service)
    service.post(link_in(service.inbox.messages[0]).removeprefix(service.url), {}, origin=service.origin)
    url = unsubscribe_url(service.url, service.config.secret_key, service.rows()[0].key)
    # What a mail provider sends: no Origin, no cookie, only the one-click body.
    for _ in range(2):  # idempotent
        reply = service.post(url.removeprefix(service.url), b"List-Unsubscribe=One-Click", origin=None,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert reply.status == 200 and "<h1>U bent afgemeld</h1>" in reply.text
        assert "Set-Cookie" not in reply.headers
    [row] = service.rows()
    assert row.status == "unsubscribed" and row.unsubscribed_at is not None


def test_one_click_also_accepts_multipart(service):
    sign_up(service)
    url = unsubscribe_url(service.url, service.config.secret_key, service.rows()[0].key)
    body = (b'--grens\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n'
            b"--grens--\r\n")
    reply = service.post(url.removeprefix(service.url), body, origin=None,
                         headers={"Content-Type": "multipart/form-data; boundary=grens"})
    assert reply.status == 200
    assert service.rows()[0].status == "unsubscribed"


def test_the_unsubscribe_link_shows_one_button_that_posts_one_click(service):
    sign_up(service)
    url = unsubscribe_url(service.url, service.config.secret_key, service.rows()[0].key)
    page = service.get(url)
    assert page.status == 200
    assert page.text.count("<button") == 1
    assert '<input type="hidden" name="List-Unsubscribe" value="One-Click">' in page.text
    assert service.rows()[0].status == "pending"  # looking is not unsubscribing


def test_unsubscribe_without_the_one_click_body_or_with_a_bad_token_changes_nothing(service):
    sign_up(service)
    url = unsubscribe_url(service.url, service.config.secret_key, service.rows()[0].key)
    assert service.post(url.removeprefix(service.url), {"List-Unsubscribe": "ja"}, origin=None).status == 400
    assert service.post("/afmelden/vervalst", {"List-Unsubscribe": "One-Click"}, origin=None).status == 400
    assert service.rows()[0].status == "pending"


def test_signing_up_again_after_unsubscribing_needs_a_new_confirmation(service):
    sign_up(service)
    old_link = link_in(service.inbox.messages[0])
    service.post(old_link.removeprefix(service.url), {}, origin=service.origin)
    key = service.rows()[0].key
    service.post(unsubscribe_url(service.url, service.config.secret_key, key).removeprefix(service.url),
                 {"List-Unsubscribe": "One-Click"}, origin=None)
    sign_up(service)
    assert service.rows()[0].status == "pending"
    assert service.post(old_link.removeprefix(service.url), {}, origin=service.origin).status == 410
    new_link = link_in(service.inbox.messages[-1])
    assert service.post(new_link.removeprefix(service.url), {}, origin=service.origin).status == 200
    assert service.rows()[0].status == "confirmed"


BAD_SIGNUPS = {
    "script tag": ({"email": "<script>alert(1)</script>@voorbeeld.nl"},
                   "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
    "sql": ({"email": "x' OR '1'='1'; DROP TABLE subscribers; --"},
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
    "10 KB address": ({"email": "a" * 10_000 + "@voorbeeld.nl"},
                      "Het e-mailadres is te lang: 10013 tekens, maximaal 254."),
    "unicode local part": ({"email": "jöran@voorbeeld.nl"},
                           "Het deel vóór de @ mag alleen gewone letters (zonder accenten), cijfers en tekens als "
                           ". - _ + bevatten."),
    "missing e-mail": ({}, "Vul uw e-mailadres in."),
    "empty e-mail": ({"email": "   "}, "Vul uw e-mailadres in."),
    "unknown list": ({"email": "jan@voorbeeld.nl", "list": "intern"}, "Kies een van de nieuwsbrieven uit de lijst."),
}


@pytest.mark.parametrize("form, message", BAD_SIGNUPS.values(), ids=BAD_SIGNUPS.keys())
def test_bad_sign_ups_get_a_dutch_message_and_nothing_is_stored(service, form, message):
    reply = service.post("/aanmelden", form)
    assert reply.status == 422
    assert "<h1>Controleer uw aanmelding</h1>" in reply.text
    assert f'<li><a href="#aanmelden-{"list" if "list" in form else "email"}">{escape(message)}</a></li>' in reply.text
    assert "<script>" not in reply.text
    assert service.rows() == [] and service.inbox.messages == []


def test_what_was_typed_is_shown_back_escaped(service):
    reply = service.post("/aanmelden", {"email": '"><script>alert(1)</script>'})
    assert reply.status == 422
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in reply.text
    assert "<script>" not in reply.text


@pytest.mark.parametrize("headers", [
    {"Origin": "https://kwaadwillend.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:8000.kwaad.example"},
    {"Referer": "https://kwaadwillend.example/formulier.html"},
    {},  # neither Origin nor Referer
], ids=["other site", "null origin", "look-alike", "other referer", "no origin"])
def test_sign_ups_from_elsewhere_are_refused(service, headers):
    reply = service.post("/aanmelden", {"email": "jan@voorbeeld.nl"}, origin=None, headers=headers)
    assert reply.status == 403
    assert "<h1>Alleen vanaf onze website</h1>" in reply.text
    assert "Dit formulier kan alleen worden verstuurd vanaf de website van Gemeente Voorbeeld." in reply.text
    assert service.rows() == [] and service.inbox.messages == []


def test_a_browser_that_sends_only_a_referer_is_accepted(service):
    reply = service.post("/aanmelden", {"email": "jan@voorbeeld.nl"}, origin=None,
                         headers={"Referer": SITE + "/blog/"})
    assert reply.status == 200 and len(service.rows()) == 1


def test_development_accepts_a_preview_on_any_local_port(start_service):
    service = start_service(production=False)
    assert sign_up(service).status == 200
    reply = service.post("/aanmelden", {"email": "piet@voorbeeld.nl"}, origin="http://localhost:8080")
    assert reply.status == 200
    assert service.post("/aanmelden", {"email": "kees@voorbeeld.nl"}, origin="http://example.org").status == 403


def test_the_honeypot_gets_the_usual_answer_but_nothing_happens(service):
    reply = sign_up(service, website="https://spam.example")
    assert reply.status == 200 and "<h1>Bijna klaar: bevestig uw aanmelding</h1>" in reply.text
    assert service.rows() == [] and service.inbox.messages == []


def test_fifty_concurrent_sign_ups_give_fifty_rows_and_fifty_mails(service):
    addresses = [f"inwoner{i}@voorbeeld.nl" for i in range(50)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(lambda a: sign_up(service, a).status, addresses))
    assert statuses == [200] * 50
    assert sorted(r.email for r in service.rows()) == sorted(addresses)
    assert sorted(m["To"] for m in service.inbox.messages) == sorted(addresses)


def test_the_same_address_fifty_times_at_once_gives_one_row(service):
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(lambda _: sign_up(service).status, range(50)))
    assert statuses == [200] * 50
    assert len(service.rows()) == 1


def test_the_rate_limit_stops_a_flood_with_a_dutch_page(start_service):
    service = start_service(FORMS_RATE_LIMIT="3 per hour")
    for i in range(3):
        assert sign_up(service, f"inwoner{i}@voorbeeld.nl").status == 200
    reply = sign_up(service, "inwoner3@voorbeeld.nl")
    assert reply.status == 429
    assert "<h1>Te veel pogingen</h1>" in reply.text
    assert int(reply.headers["Retry-After"]) > 0
    assert len(service.rows()) == 3
    # The contact form shares the client's budget; one-click unsubscribe never counts against it.
    assert service.post("/contact", {"name": "A", "email": "a@voorbeeld.nl", "subject": "S",
                                     "message": "M"}).status == 429
    url = unsubscribe_url(service.url, service.config.secret_key, service.rows()[0].key)
    assert service.post(url.removeprefix(service.url), {"List-Unsubscribe": "One-Click"}, origin=None).status == 200


def test_health_endpoint(service):
    reply = service.get("/gezondheid")
    assert reply.status == 200
    assert json.loads(reply.text) == {"database": "ok", "schema_version": head_revision(), "status": "ok"}


def test_pages_are_dutch_and_locked_down(service):
    reply = service.get("/bestaat-niet")
    assert reply.status == 404 and "<h1>Pagina niet gevonden</h1>" in reply.text
    assert '<html lang="nl">' in reply.text
    assert reply.headers["Referrer-Policy"] == "same-origin"
    assert "script-src" not in reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    assert service.get("/aanmelden").status == 405
    too_big = service.post("/contact", {"message": "x" * 100_000})
    assert too_big.status == 413 and "<h1>Te veel tekst</h1>" in too_big.text


def test_on_postgresql_concurrent_sign_ups_and_the_round_trip_work_too(start_service, postgres):
    service = start_service(environ={"DORPSPLEIN_DATABASE_URL": postgres.new_database()})
    assert service.app.extensions["dorpsplein_forms"].engine.dialect.name == "postgresql"
    addresses = [f"inwoner{i}@voorbeeld.nl" for i in range(50)] + ["dubbel@voorbeeld.nl"] * 50
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(lambda a: sign_up(service, a).status, addresses))
    assert statuses == [200] * 100
    assert len(service.rows()) == 51  # the address sent 50 times at once is one row
    mail = next(m for m in service.inbox.messages if m["To"] == "dubbel@voorbeeld.nl")
    assert service.post(link_in(mail).removeprefix(service.url), {}, origin=service.origin).status == 200
    assert [r.status for r in service.rows() if r.email == "dubbel@voorbeeld.nl"] == ["confirmed"]
