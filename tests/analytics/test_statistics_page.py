"""The statistics page: built by a real Pelican build from month files, checked in Chromium."""

from __future__ import annotations

import re

import pytest

from dorpsplein.analytics import SiteShape, site_paths
from dorpsplein.analytics_schema import empty_month, save_month

from .conftest import at, line, run


def test_the_page_shows_the_month_with_charts_and_tables(site, tmp_path):
    site.post("begroting", "Raad bespreekt begroting", "2026-11-04 09:00")
    log = tmp_path / "access.log"
    post = "/blog/2026/11/raad-bespreekt-begroting/"
    log.write_text(line(when=at(3), request=f"GET {post} HTTP/1.1", referrer="https://www.google.nl/")
                   + line(ip="2001:db8::2", when=at(3, 13), request=f"GET {post} HTTP/1.1")
                   + line(ip="2001:db8::2", when=at(4, 9), request="GET /oud/ HTTP/1.1", status=404)
                   + line(ip="203.0.113.8", when=at(4, 10), ua="Feedly/1.0 (+http://feedly.com; 1234 subscribers)",
                          request="GET /feeds/all.atom.xml HTTP/1.1"))
    state = tmp_path / "state"
    site.build(STATISTICS_STATE_PATH=str(state))  # first the site, whose addresses the analysis names
    run([log], state, SiteShape(known_paths=site_paths(site.output)))
    site.build(STATISTICS_STATE_PATH=str(state))
    html = site.html("statistieken/index.html")
    # the latest month's page and its own address show the same content (their canonical URLs differ)
    main = re.compile(r"<main.*</main>", re.DOTALL)
    assert main.search(html).group(0) == main.search(site.html("statistieken/2026/11/index.html")).group(0)
    assert "<h1>Statistieken van november 2026</h1>" in html
    assert "<strong>2 bezoeken</strong> en\n    2 paginaweergaven" in html
    assert html.count('role="img"') == 7
    assert re.findall(r"<script(?![^>]*application/ld\+json)", html) == []  # data only, no code
    assert '<tr><th scope="row">Raad bespreekt begroting</th><td class="number">2</td></tr>' in html
    assert '<tr><th scope="row">Feedly</th><td class="number">1.234</td></tr>' in html
    assert '<tr><th scope="row">Overige adressen</th><td class="number">1</td></tr>' in html  # /oud/ never existed
    assert "/oud/" not in html
    assert '<th scope="row">Google</th><td>Zoekmachine</td><td class="number">1</td><td class="number">50,0 %</td>' \
        in html


def test_without_months_the_page_says_so(site, tmp_path):
    site.post("a", "Iets", "2026-11-04 09:00")
    site.build(STATISTICS_STATE_PATH=str(tmp_path / "leeg"))
    assert "Er zijn nog geen statistieken" in site.html("statistieken/index.html")


def test_a_broken_month_fails_a_production_build_naming_the_file(site, tmp_path):
    from dorpsplein.errors import DorpspleinError

    site.post("a", "Iets", "2026-11-04 09:00")
    state = tmp_path / "state"
    save_month(state, empty_month("2026-10"))
    (state / "2026-11.json").write_text("{}")
    with pytest.raises(DorpspleinError) as failure:
        site.build(production=True, STATISTICS_STATE_PATH=str(state))
    assert "2026-11.json: not a valid analytics month" in str(failure.value)


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_demo_statistics_page_in_chromium(browser, demo_url, javascript):
    from urllib.parse import urlsplit

    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    response = page.goto(demo_url + "/statistieken/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text().startswith("Statistieken van ")
    assert page.locator("svg[role=img]").count() >= 5
    assert page.locator("table").count() >= 8
    assert page.locator("svg[role=img]").first.get_attribute("aria-label").startswith(
        "Staafdiagram: bezoekers per dag in ")
    assert set(hosts) == {"127.0.0.1"}
    if javascript:
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, results.generate_report()
    context.close()
