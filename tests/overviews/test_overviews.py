"""Overview pages, index, feed and newsletter editions on real builds of a fixture site with three months."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from dorpsplein.errors import DorpspleinError
from dorpsplein.newsletter.edition import read_edition
from dorpsplein.urls import base_url

ROOT = Path(__file__).resolve().parents[2]


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def three_months(site):
    site.post("sep", "Burendag", "2026-09-24 08:30", Category="Evenementen", Summary="Kom naar de burendag.",
              Image="images/x.jpg", Image_alt="Buren aan een lange tafel")
    site.post("okt1", "Snoeiwerk", "2026-10-02 09:00", Category="Werkzaamheden", Summary="We snoeien bomen.")
    site.post("okt2", "Speeltuin open", "2026-10-28 09:00", Category="Nieuws", Summary="De speeltuin is open.")
    site.post("nov1", "Begroting", "2026-11-04 09:00", Category="Nieuws")
    site.post("nov2", "Repair café", "2026-11-06 09:00", Category="Evenementen")
    site.post("nov3", "Winterdienst", "2026-11-17 09:00", Category="Nieuws", Tags="intern")
    site.post("concept", "Nog geheim", "2026-11-10 09:00", Status="draft")
    site.post("verlopen", "Afsluiting Kerkpad", "2026-11-12 09:00", Category="Bekendmakingen",
              Expires="2026-11-20 00:00")
    site.post("dec", "Kerstmarkt", "2026-12-01 09:00")  # in the month that has not ended
    return site


def build(site, **extra):
    site.build(OVERVIEWS_NOW="2026-12-01T10:00", **extra)


def test_one_page_per_ended_month_with_posts(three_months):
    site = three_months
    build(site)
    root = site.output / "overzicht"
    months = sorted(p.parent.relative_to(root).as_posix() for p in root.rglob("index.html") if p.parent != root)
    assert months == ["2026/09", "2026/10", "2026/11"]  # no August (empty), no December (not ended)
    page = parse(root / "2026/11/index.html")
    assert page.html["lang"] == "nl"
    assert page.h1.get_text() == "Overzicht van november 2026"
    categories = [h.get_text(" ", strip=True) for h in page.select("main section.overview__category h2")]
    assert categories == ["Evenementen (1 bericht)", "Nieuws (2 berichten)"]
    assert [h.get_text() for h in page.select("main section h3")] == ["Repair café", "Winterdienst", "Begroting"]
    text = page.select_one("main").get_text(" ")
    assert "Nog geheim" not in text and "Afsluiting Kerkpad" not in text and "Kerstmarkt" not in text
    assert "3 berichten uit november 2026, over evenementen en nieuws." in text
    assert page.select_one(".overview__stats") is None  # no analytics file for this site
    image = parse(root / "2026/09/index.html").select_one("main section img")
    assert image["alt"] == "Buren aan een lange tafel" and image["src"].endswith("/images/x.jpg")
    nav = [a.get_text() for a in page.select("nav.overview__nav a")]
    assert nav == ["Overzicht van oktober 2026", "Alle overzichten"]


def test_the_editors_file_gives_title_and_intro_and_is_no_page_or_post(three_months):
    site = three_months
    site.write("overzichten/2026-10.md", "Title: Oktober in het kort\nSummary: Snoeien en spelen.\n\n"
               "De **speeltuin** is open!\n")
    build(site, ARTICLE_PATHS=[""], ARTICLE_EXCLUDES=["pages"])  # even when posts are read from everywhere
    page = parse(site.output / "overzicht/2026/10/index.html")
    assert page.h1.get_text() == "Oktober in het kort"
    assert page.select_one(".page__content strong").get_text() == "speeltuin"
    assert page.select_one('meta[name="description"]')["content"] == "Snoeien en spelen."
    built = [p.relative_to(site.output).as_posix() for p in site.output.rglob("*.html")]
    assert [p for p in built if "oktober-in-het-kort" in p] == []
    assert "Oktober in het kort" in read_edition(site.output / "nieuwsbrief/2026-10/extern").subject
    november = parse(site.output / "overzicht/2026/11/index.html")
    assert november.h1.get_text() == "Overzicht van november 2026"  # no file: the Dutch default


def test_the_editors_file_with_a_wrong_name_fails_a_production_build(three_months):
    three_months.write("overzichten/november.md", "Title: Verkeerde naam\n\nTekst.\n")
    with pytest.raises(DorpspleinError, match=r"overzichten/november.md: not a period name; an overview intro is "
                                              r"named like 2026-11.md"):
        three_months.build(production=True, OVERVIEWS_NOW="2026-12-01")


def test_analytics_block_when_the_month_file_exists(three_months):
    site = three_months
    state = site.content.parent / "state/analytics"
    state.mkdir(parents=True)
    month = json.loads((ROOT / "state/analytics/2026-11.json").read_text())
    month["posts"] = {"/blog/2026/11/begroting/": 900, "/blog/2026/11/winterdienst/": 1200, "/elders/": 5}
    (state / "2026-11.json").write_text(json.dumps(month))
    build(site)
    stats = parse(site.output / "overzicht/2026/11/index.html").select_one("section.overview__stats")
    assert stats.h2.get_text() == "Zo werd de website bezocht in november 2026"
    rows = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in stats.select("table")[0].select("tbody tr")]
    assert rows == [["Winterdienst", "1.200"], ["Begroting", "900"], ["/elders/", "5"]]
    sources = [tr.th.get_text() for tr in stats.select("table")[1].select("tbody tr")]
    assert sources == ["Zoekmachines", "Sociale media", "Nieuwsbrief", "Andere websites", "Direct of onbekend"]
    assert "mensen volgen ons nieuws met een feedlezer" in stats.get_text()
    assert parse(site.output / "overzicht/2026/10/index.html").select_one(".overview__stats") is None
    email = read_edition(site.output / "nieuwsbrief/2026-11/extern")
    assert "Zo werd de website bezocht in november 2026" in email.text and "Winterdienst: 1.200 weergaven" in email.text


def test_a_broken_analytics_file_fails_a_production_build_naming_it(three_months):
    state = three_months.content.parent / "overzicht-cijfers"  # not the statistics page's folder: our warning
    state.mkdir()
    (state / "2026-11.json").write_text("{")
    with pytest.raises(DorpspleinError, match=r"overviews: .*overzicht-cijfers/2026-11.json: not valid JSON"):
        three_months.build(production=True, OVERVIEWS_NOW="2026-12-01", OVERVIEWS_ANALYTICS_PATH=str(state))


def test_index_and_feed_of_overviews(three_months):
    site = three_months
    build(site)
    index = parse(site.output / "overzicht/index.html")
    assert [a.get_text() for a in index.select("main h2 a")] == [
        "Overzicht van november 2026", "Overzicht van oktober 2026", "Overzicht van september 2026"]
    feed = feedparser.parse((site.output / "feeds/overzicht.atom.xml").read_bytes())
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [f"http://127.0.0.1:8000/overzicht/2026/{m}/" for m in ("11", "10", "09")]
    assert 'href="http://127.0.0.1:8000/blog/' in feed.entries[0].content[0].value
    head = parse(site.output / "blog/index.html").select('link[rel="alternate"]')
    assert "http://127.0.0.1:8000/feeds/overzicht.atom.xml" in [link["href"] for link in head]
    before = (site.output / "feeds/overzicht.json").read_bytes()
    build(site)
    assert (site.output / "feeds/overzicht.json").read_bytes() == before, "unchanged content, identical feed"


def test_newsletter_editions_per_list(three_months):
    site = three_months
    build(site)
    extern = read_edition(site.output / "nieuwsbrief/2026-11/extern")
    intern = read_edition(site.output / "nieuwsbrief/2026-11/intern")
    assert extern.mailing == "overzicht-2026-11-extern" and intern.mailing == "overzicht-2026-11-intern"
    assert extern.subject == "Overzicht van november 2026 · Gemeente Voorbeeld"
    assert "Begroting" in extern.text and "Begroting" not in intern.text  # intern: tag intern or its categories
    assert "Winterdienst" in intern.text
    assert not (site.output / "nieuwsbrief/2026-09/intern").exists()  # nothing for intern in September
    html = BeautifulSoup(extern.html, "html.parser")
    assert html.html["lang"] == "nl"
    assert html.select_one(".preheader").get_text() == extern.preheader
    assert all(img.has_attr("alt") for img in html.find_all("img"))
    assert all(a["href"].startswith("http") for a in html.find_all("a", href=True))
    assert all(t.get("role") == "presentation" for t in html.select("table.wrapper, table.container"))
    assert "style=" in extern.html and "<style" not in extern.html  # CSS inlined
    assert "background-color: #0b4f8a" in html.select_one("td.header")["style"]
    assert not html.select('link[rel="stylesheet"]')
    browser = parse(site.output / "nieuwsbrief/2026-11/extern/index.html")
    assert "afmelden.invalid" not in str(browser) and browser.html["lang"] == "nl"


def test_the_browser_page_links_its_css_instead_of_inlining_it(three_months):
    """The site's CSP has no 'unsafe-inline': no style attribute, <style> or inline script on the browser page."""
    site = three_months
    build(site)
    css = (ROOT / "theme/templates/newsletter/email.css").read_text(encoding="utf-8")
    site_url = base_url(site.settings())
    for folder in sorted((site.output / "nieuwsbrief").glob("*/*/")):
        browser = parse(folder / "index.html")
        assert browser.html["lang"] == "nl"
        assert not browser.select("[style]") and not browser.find("style"), folder
        assert all(script.get("src") for script in browser.find_all("script")), folder
        links = [link["href"] for link in browser.select('link[rel="stylesheet"]')]
        assert links == [f"{site_url}/nieuwsbrief/email.css"], folder  # a file of the site (below)
        # the site's icon, as on every page: without it the browser asks for /favicon.ico, a 404 in its console
        assert browser.select_one('link[rel="icon"]')["href"] == f"{site_url}/theme/images/logo.svg"
        # the same content as the e-mail, from the same template
        email = BeautifulSoup(read_edition(folder).html, "html.parser")
        assert browser.h1.get_text() == email.h1.get_text()
        assert [h.get_text() for h in browser.select("h2, h3")] == [h.get_text() for h in email.select("h2, h3")]
        assert email.select_one("body")["style"] and not email.select('link[rel="stylesheet"], link[rel="icon"]')
    assert (site.output / "nieuwsbrief/email.css").read_text(encoding="utf-8") == css


def test_weekly_overviews(three_months):
    site = three_months
    build(site, OVERVIEWS_PERIOD="week")
    weeks = sorted(p.parent.name for p in (site.output / "overzicht/2026").glob("week-*/index.html"))
    assert weeks == ["week-39", "week-40", "week-44", "week-45", "week-47"]
    page = parse(site.output / "overzicht/2026/week-47/index.html")
    assert page.h1.get_text() == "Overzicht van week 47 van 2026 (16 november tot en met 22 november)"


def test_a_bad_period_setting_names_the_setting(three_months):
    with pytest.raises(DorpspleinError, match="OVERVIEWS_PERIOD: 'year'; use 'month' or 'week'"):
        three_months.build(production=True, OVERVIEWS_PERIOD="year")
