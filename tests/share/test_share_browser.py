"""Share buttons in Debian's Chromium: nothing from other hosts on load, the Mastodon dialog, copy-link, axe."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

ARTICLE = "/blog/2026/10/nieuwe-speeltuin-aan-de-schoolstraat-is-open/"
TITLE = "Nieuwe speeltuin aan de Schoolstraat is open"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_without_javascript_mastodon_goes_to_our_server_and_copy_is_hidden(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + ARTICLE)
    share = page.get_by_role("region", name="Deel dit bericht")
    mastodon = share.get_by_role("link", name="Delen via Mastodon")
    href = mastodon.get_attribute("href")
    assert href.startswith("https://social.overheid.nl/share?")
    assert parse_qs(urlsplit(href).query)["text"] == [f"{TITLE} {demo_url}{ARTICLE}"]
    assert share.get_by_role("button", name="Link kopiëren").count() == 0
    context.close()


@pytest.fixture
def page(browser, demo_url):
    """The article with JavaScript; every request to another host is answered locally and recorded."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.elsewhere = []

    def elsewhere(route):
        page.elsewhere.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><title>elders</title>")

    page.route(lambda url: urlsplit(url).hostname != "127.0.0.1", elsewhere)
    page.goto(demo_url + ARTICLE)
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


def test_page_load_requests_nothing_from_another_host(page):
    assert page.elsewhere == []
    assert page.locator("iframe").count() == 0


def test_mastodon_dialog_rejects_a_bad_host_and_shares_on_the_chosen_server(page, demo_url):
    page.get_by_role("link", name="Delen via Mastodon").click()
    dialog = page.get_by_role("dialog", name="Delen op Mastodon")
    field = dialog.get_by_label("Uw Mastodon-server")
    assert dialog.is_visible()
    assert field.evaluate("el => el === document.activeElement")
    field.fill("niet een server!")
    dialog.get_by_role("button", name="Verder naar mijn server").click()
    assert field.get_attribute("aria-invalid") == "true"
    assert dialog.get_by_text("Dit is geen servernaam").is_visible()
    assert page.elsewhere == []
    field.fill("https://@ik@Mastodon.Example/")
    with page.expect_navigation():
        dialog.get_by_role("button", name="Verder naar mijn server").click()
    target = urlsplit(page.url)
    assert (target.hostname, target.path) == ("mastodon.example", "/share")
    assert parse_qs(target.query)["text"] == [f"{TITLE} {demo_url}{ARTICLE}"]


def test_escape_closes_the_dialog_and_focus_returns_to_the_link(page):
    link = page.get_by_role("link", name="Delen via Mastodon")
    link.click()
    page.keyboard.press("Escape")
    # The dialog's close event, which gives focus back, comes as a task after the key: wait for it.
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(link).to_be_focused()
    assert page.elsewhere == []


def test_copy_link_copies_the_address_and_says_so(page, demo_url):
    page.get_by_role("button", name="Link kopiëren").click()
    page.get_by_role("status").filter(has_text="De link is gekopieerd.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == demo_url + ARTICLE


@pytest.mark.parametrize("path", [ARTICLE, "/kanalen/"])
def test_axe_finds_no_violation_with_the_dialog_closed_and_open(browser, demo_url, path):
    page = browser.new_page()
    page.goto(demo_url + path)
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    assert axe.run(page, options=options).response["violations"] == []
    if path == ARTICLE:
        page.get_by_role("link", name="Delen via Mastodon").click()
        assert axe.run(page, options=options).response["violations"] == []
    page.close()
