"""In Debian's Chromium: the built site's forms post to the running service and work without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from dorpsplein.serve import start_server
from dorpsplein.subscribers import list_subscribers

from .conftest import free_port

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LINK = re.compile(r"http://127\.0\.0\.1:\d+/formulieren/bevestigen/[\w.\-]+")


@pytest.fixture
def site_and_service(site, start_service):
    """A tiny site served as `serve` serves it: /formulieren/ passed on to the running service (one origin)."""
    site.output.mkdir(parents=True)
    site_port = free_port()
    site_url = f"http://127.0.0.1:{site_port}"
    service = start_service(SITEURL=site_url)
    site_server = start_server(site.output, site_port, forms_port=service.port)
    site.write("pages/welkom.md", """
        Title: Welkom op het Dorpsplein
        Slug: welkom
        Save_as: index.html
        URL:
        Template: home

        Welkom bij de gemeente.
        """)
    site.write("pages/contact.md", """
        Title: Contact
        Slug: contact
        Template: contact

        Zo bereikt u ons.
        """)
    site.write("pages/privacy.md", "Title: Privacy\nSlug: privacy\n\nPrivacyverklaring.\n")
    site.post("a", "Eerste bericht", "2026-11-01 09:00")
    site.build()
    yield site_url, service
    site_server.shutdown()
    site_server.server_close()


def watch(page):
    """Every host asked for, failed requests and CSP complaints of one page."""
    seen = {"hosts": set(), "failed": [], "console": []}
    page.on("request", lambda request: seen["hosts"].add(urlsplit(request.url).hostname))
    page.on("requestfailed", lambda request: seen["failed"].append(request.url))
    page.on("console", lambda message: seen["console"].append(message.text))
    return seen


def test_sign_up_and_confirm_without_javascript(browser, site_and_service):
    site_url, service = site_and_service
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    seen = watch(page)
    page.goto(site_url + "/")
    form = page.locator("section.signup form")
    assert form.get_attribute("action") == "/formulieren/aanmelden"  # the site's own origin
    assert service.url == site_url + "/formulieren"

    # A typo the browser lets through but the service does not: the form comes back with the message.
    form.get_by_label("E-mailadres").fill("jan@voorbeeld")
    form.get_by_role("button", name="Aanmelden").click()
    assert page.url == service.url + "/aanmelden"
    assert page.locator("h1").inner_text() == "Controleer uw aanmelding"
    assert page.locator("#aanmelden-email-fout").inner_text() == \
        "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
    assert page.get_by_label("E-mailadres").input_value() == "jan@voorbeeld"

    page.get_by_label("E-mailadres").fill("jan@voorbeeld.nl")
    page.get_by_role("button", name="Aanmelden").click()
    assert page.locator("h1").inner_text() == "Bijna klaar: bevestig uw aanmelding"
    # The service's page wears the site's stylesheet (loaded from the site, allowed by the CSP).
    assert page.evaluate("getComputedStyle(document.querySelector('.page-header')).backgroundColor") \
        not in ("rgba(0, 0, 0, 0)", "transparent")

    service.settle()  # the outbox worker sends the confirmation
    link = LINK.search(service.inbox.messages[0].get_content()).group(0)
    page.goto(link)
    page.get_by_role("button", name="Ja, ik wil de nieuwsbrief ontvangen").click()
    assert page.locator("h1").inner_text() == "Uw aanmelding is bevestigd"
    [row] = list_subscribers(service.app.extensions["dorpsplein_forms"].engine)
    assert (row.email, row.status) == ("jan@voorbeeld.nl", "confirmed")

    page.get_by_role("link", name="afmelden").click()
    page.get_by_role("button", name="Afmelden").click()
    assert page.locator("h1").inner_text() == "U bent afgemeld"
    assert list_subscribers(service.app.extensions["dorpsplein_forms"].engine)[0].status == "unsubscribed"

    assert seen["hosts"] == {"127.0.0.1"}
    assert seen["failed"] == [] and not [m for m in seen["console"] if "Content Security Policy" in m]
    assert context.cookies() == []
    context.close()


def test_contact_form_without_javascript(browser, site_and_service):
    site_url, service = site_and_service
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/contact/")
    page.get_by_label("Naam").fill("Zoë de Vries")
    page.get_by_label("E-mailadres").first.fill("zoe@voorbeeld.nl")
    page.get_by_label("Onderwerp").fill("Lantaarnpaal kapot")
    page.get_by_label("Uw bericht").fill("De lantaarnpaal bij de kerk doet het niet.")
    page.get_by_role("button", name="Bericht versturen").click()
    assert page.url == service.url + "/contact"
    assert page.locator("h1").inner_text() == "Bedankt voor uw bericht"
    service.settle()
    [mail] = service.inbox.messages
    assert mail["Subject"] == "Contactformulier: Lantaarnpaal kapot"
    assert context.cookies() == []
    context.close()


def test_service_pages_have_no_wcag_violations(browser, site_and_service):
    from axe_playwright_python.sync_playwright import Axe

    site_url, service = site_and_service
    axe = Axe()
    page = browser.new_page()
    problems = {}

    def check(name):
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                        "resultTypes": ["violations"]})
        problems[name] = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result.response["violations"]]

    page.goto(site_url + "/contact/")
    check("site contact page with both forms")
    page.locator("section.signup").get_by_label("E-mailadres").fill("jan@voorbeeld")
    page.locator("section.signup").get_by_role("button", name="Aanmelden").click()
    check("sign-up error page")
    page.get_by_label("E-mailadres").fill("jan@voorbeeld.nl")
    page.get_by_role("button", name="Aanmelden").click()
    check("thank-you page")
    page.goto(LINK.search(service.inbox.messages[0].get_content()).group(0))
    check("confirm page")
    page.get_by_role("button", name="Ja, ik wil de nieuwsbrief ontvangen").click()
    check("confirmed page")
    page.goto(service.url + "/bestaat-niet")
    check("404 page")
    assert problems == dict.fromkeys(problems, [])
    page.close()
