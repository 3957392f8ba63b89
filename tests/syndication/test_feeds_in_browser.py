"""The feeds page and a feed opened directly, in Debian's Chromium with axe-core."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize("path", ["/volgen/", "/feeds/all.atom.xml", "/feeds/all.rss.xml",
                                  "/feeds/categorie/nieuws.atom.xml"])
def test_no_axe_violations(browser, demo_url, path):
    page = browser.new_page()
    page.goto(demo_url + path)
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
    page.close()


def test_a_feed_opened_in_the_browser_reads_as_a_page_and_links_to_help(browser, demo_url):
    page = browser.new_page()
    page.goto(demo_url + "/feeds/all.atom.xml")
    note = page.locator("text=Dit is een nieuwsfeed van Dorpsplein Gemeente Voorbeeld.")
    assert note.is_visible()
    # the CSS hides machine fields such as <id> and shows titles
    assert page.evaluate("getComputedStyle(document.querySelector('id')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('entry > title')).display") == "block"
    page.get_by_role("link", name="Wat is een feed en hoe volg ik die?").click()
    page.wait_for_load_state()
    assert page.url == demo_url + "/volgen/"
    assert page.locator("h1").inner_text() == "Volg het Dorpsplein"
    page.close()


def test_feeds_page_lists_every_feed_with_its_address(browser, demo_url):
    page = browser.new_page()
    page.goto(demo_url + "/volgen/")
    text = page.locator("main").inner_text()
    for address in ("/feeds/all.atom.xml", "/feeds/all.rss.xml", "/feeds/all.json",
                    "/feeds/categorie/bekendmakingen.rss.xml", "/feeds/onderwerp/verkeer.atom.xml"):
        assert address in text
    assert page.get_by_role("link", name="Volg ons in Feedly").get_attribute("href").startswith(
        "https://feedly.com/i/subscription/feed/" + quote(demo_url + "/feeds/all.atom.xml", safe=""))
    page.close()
