"""In a real browser: nothing from other hosts, no cookies or storage, everything works without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

PAGES = ["/", "/blog/", "/blog/archief/", "/blog/categorie/nieuws/", "/toegankelijkheid/", "/kanalen/",
         "/blog/2026/10/nieuwe-speeltuin-aan-de-schoolstraat-is-open/", "/bestaat/niet/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_nothing_from_elsewhere_and_sets_no_cookie(browser, demo_url, path):
    context = browser.new_context()
    page = context.new_page()
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(demo_url + path)
    page.wait_for_load_state("networkidle")
    assert set(hosts) == {"127.0.0.1"}
    assert failed == []
    assert context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.locator("h1").count() == 1
    context.close()


def test_every_page_is_readable_and_navigable_without_javascript(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("link", name="Nieuws en berichten").first.click()
    assert page.url == demo_url + "/blog/"
    page.locator(".post-list__title a").first.click()
    assert page.locator("article h1").is_visible()
    page.get_by_role("link", name="Toegankelijkheid").click()
    assert page.locator("h1").inner_text() == "Toegankelijkheidsverklaring"
    context.close()


def test_skip_link_is_the_first_thing_keyboard_users_reach(browser, demo_url):
    page = browser.new_page()
    page.goto(demo_url + "/blog/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.getAttribute('href')]")
    assert focused == ["Naar de inhoud", "#inhoud"]
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#inhoud")
    page.close()
