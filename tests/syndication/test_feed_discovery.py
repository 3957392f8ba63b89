"""Feeds are discoverable: <link rel="alternate"> on every page, visible links in footer and on category pages."""

from __future__ import annotations

from bs4 import BeautifulSoup

BASE = "http://127.0.0.1:8000"
SITE_FEEDS = {("application/atom+xml", f"{BASE}/feeds/all.atom.xml"),
              ("application/rss+xml", f"{BASE}/feeds/all.rss.xml"),
              ("application/feed+json", f"{BASE}/feeds/all.json")}


def soup(site, relpath):
    return BeautifulSoup(site.html(relpath), "html.parser")


def alternates(page) -> set[tuple[str, str]]:
    return {(link["type"], link["href"]) for link in page.select('head link[rel="alternate"]')}


def test_every_page_announces_the_site_feeds(tricky):
    # every page of the site; newsletter editions (nieuwsbrief/) are e-mail renditions, not site pages
    pages = sorted(p for p in tricky.output.rglob("*.html") if "nieuwsbrief" not in p.relative_to(tricky.output).parts)
    assert len(pages) > 5
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert SITE_FEEDS <= alternates(page), path
        assert all(link.get("title") for link in page.select('head link[rel="alternate"]')), path


def test_category_and_tag_pages_announce_and_show_their_own_feed(tricky):
    for relpath, feed in (("blog/categorie/nieuws/index.html", "feeds/categorie/nieuws"),
                          ("blog/onderwerp/verkeer/index.html", "feeds/onderwerp/verkeer")):
        page = soup(tricky, relpath)
        assert ("application/atom+xml", f"{BASE}/{feed}.atom.xml") in alternates(page)
        assert ("application/rss+xml", f"{BASE}/{feed}.rss.xml") in alternates(page)
        visible = {a["href"] for a in page.select("main a[href]")}
        assert f"{BASE}/{feed}.atom.xml" in visible and f"{BASE}/{feed}.rss.xml" in visible, relpath


def test_footer_links_to_the_feeds_visibly(tricky):
    footer = soup(tricky, "blog/index.html").select_one("footer")
    hrefs = {a["href"] for a in footer.select("a[href]")}
    assert hrefs & {f"{BASE}/feeds/all.atom.xml", f"{BASE}/volgen/", "/volgen/"}
