"""In a real browser: nothing from other hosts, no cookies or storage, no console errors, no JavaScript needed."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .template_kinds import TEMPLATE_KINDS


@pytest.mark.parametrize("path", TEMPLATE_KINDS.values(), ids=TEMPLATE_KINDS.keys())
def test_page_loads_nothing_from_elsewhere_sets_no_cookie_and_logs_no_error(browser, demo_url, path):
    context = browser.new_context()
    page = context.new_page()
    hosts, failed, errors = [], [], []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(demo_url + path)
    page.wait_for_load_state("networkidle")
    assert response.status == (404 if path == TEMPLATE_KINDS["404"] else 200)
    assert set(hosts) == {"127.0.0.1"}
    assert failed == []
    # The 404 page's own status is the only "error" Chromium may log.
    assert [e for e in errors if "404 (Not Found)" not in e] == []
    assert context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.locator("h1").count() == 1
    context.close()


def test_every_page_is_readable_and_navigable_without_javascript(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuws en berichten").click()
    assert page.url == demo_url + "/blog/"
    page.get_by_role("link", name="Volgende pagina").click()
    assert page.url == demo_url + "/blog/pagina/2/"
    page.locator(".post-list__title a").first.click()
    assert page.locator("article h1").is_visible()
    page.get_by_role("link", name="Toegankelijkheid").click()
    assert page.locator("h1").inner_text() == "Toegankelijkheidsverklaring"
    context.close()
