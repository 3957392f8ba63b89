"""The HTML e-mail, its browser page and the overview pages in Debian's Chromium: 0 axe-core violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from dorpsplein.newsletter.edition import (
    ROOT_FOLDER,
    STYLESHEET,
    UNSUBSCRIBE_PLACEHOLDER,
    edition_folder,
    read_edition,
)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[str]:
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in result.response["violations"]]


def email_page(browser, built_site, list_name, width, browser_view=False):
    output = Path(built_site["OUTPUT_PATH"])
    folder = edition_folder(output, "2026-11", list_name)
    if browser_view:
        html = (folder / "index.html").read_text(encoding="utf-8")
    else:
        html = read_edition(folder).html.replace(UNSUBSCRIBE_PLACEHOLDER, "https://formulieren.example/afmelden/x")
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.route("**/*", lambda route: route.abort())  # images of the (not running) site: no network at all
    # ...but the browser page's stylesheet comes from the build, so the contrast checks see its colours
    page.route(f"**/{ROOT_FOLDER}/{STYLESHEET}", lambda route: route.fulfill(
        path=output / ROOT_FOLDER / STYLESHEET, content_type="text/css"))
    page.set_content(html)
    return page


@pytest.mark.parametrize("list_name", ["extern", "intern"])
@pytest.mark.parametrize("width", [320, 600])
@pytest.mark.parametrize("browser_view", [False, True], ids=["email", "browser-page"])
def test_the_newsletter_has_no_axe_violations(browser, built_site, list_name, width, browser_view):
    page = email_page(browser, built_site, list_name, width, browser_view)
    assert page.evaluate("document.documentElement.lang") == "nl"
    # styled in both: inlined in the e-mail, the linked stylesheet in the browser page
    assert page.evaluate("getComputedStyle(document.querySelector('.header')).backgroundColor") == "rgb(11, 79, 138)"
    assert violations(page) == []
    page.close()


def test_the_check_would_catch_a_violation(browser, built_site):
    page = email_page(browser, built_site, "extern", 600)
    page.evaluate("document.querySelector('img').removeAttribute('alt')")
    assert [v for v in violations(page) if v.startswith("image-alt")]
    page.close()


@pytest.mark.parametrize("path", ["/overzicht/", "/overzicht/2026/10/"])
def test_overview_pages_have_no_axe_violations(browser, demo_url, path):
    page = browser.new_page(viewport={"width": 320, "height": 900})
    response = page.goto(demo_url + path)
    assert response.status == 200
    assert violations(page) == []
    page.close()
