"""Another municipality's posts-only folder in Chromium: the fallback home page and an expired
notice (whose tag is named, not linked) load every resource and have no WCAG 2.1 AA violation."""

from __future__ import annotations

import pytest
from conftest import Site

from dorpsplein.build import build
from dorpsplein.serve import start_server

from .test_accessibility import violations


@pytest.fixture(scope="module")
def posts_only_url(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("posts-only"))
    site.post("markt", "Weekmarkt op de Brink", "2026-03-05 10:00", Tags="markt")
    site.post("brug", "Brug dicht", "2026-01-05 09:00", Category="Bekendmakingen", Tags="brug",
              Expires="2026-01-20 00:00")
    site.output.mkdir()
    server = start_server(site.output, 0)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    build(site.settings(PREVIEW_URL=url))
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    return Axe()


@pytest.mark.parametrize("path", ["/", "/blog/2026/01/brug-dicht/"])
def test_posts_only_pages_load_whole_and_pass_axe(browser, posts_only_url, axe, path):
    page = browser.new_page()
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    response = page.goto(posts_only_url + path, wait_until="load")
    assert response.status == 200
    assert failed == []  # before axe runs: its re-reading of the CSS @import is issue 17.5's (i17-forms)
    assert violations(axe, page) == []
    assert page.locator("main h1").count() == 1
    page.close()
