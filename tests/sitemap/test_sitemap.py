"""sitemap.xml lists exactly the published URLs, with lastmod; robots.txt points to it."""

from __future__ import annotations

from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://127.0.0.1:8000"


def urls(site) -> dict[str, str | None]:
    root = etree.fromstring((site.output / "sitemap.xml").read_bytes())
    return {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
            for u in root.iterfind("s:url", NS)}


def test_sitemap_lists_exactly_the_published_urls(site):
    site.write("pages/welkom.md", "Title: Welkom\nSave_as: index.html\nURL:\nTemplate: home\n\nHallo.\n")
    site.write("pages/contact.md", "Title: Contact\nSlug: contact\n\nBel ons.\n")
    site.write("pages/geheim.md", "Title: Geheim\nSlug: geheim\nStatus: hidden\n\nNiet in de lijst.\n")
    site.post("a", "Open", "2026-01-05 09:00", Modified="2026-01-06 10:00")
    site.post("b", "Concept", "2026-01-06 09:00", Status="draft")
    site.post("c", "Later", "2099-01-01 09:00")
    site.post("d", "Verlopen", "2026-01-02 09:00", Expires="2026-01-03 00:00")
    site.post("e", "Verborgen", "2026-01-04 09:00", Status="hidden")
    site.build()
    assert urls(site) == {
        f"{BASE}/": None,
        f"{BASE}/blog/": "2026-01-06T10:00:00+01:00",
        f"{BASE}/blog/2026/01/open/": "2026-01-06T10:00:00+01:00",
        f"{BASE}/contact/": None,
    }
    for path in urls(site):  # every listed address exists in the build
        assert (site.output / path.removeprefix(BASE + "/") / "index.html").is_file(), path


def test_robots_txt_points_to_the_sitemap_on_the_live_address(site):
    site.post("a", "Open", "2026-01-05 09:00")
    site.build(production=True)
    robots = (site.output / "robots.txt").read_text()
    assert robots == "User-agent: *\nAllow: /\n\nSitemap: https://dorpsplein.voorbeeld.nl/sitemap.xml\n"
    assert all(u.startswith("https://dorpsplein.voorbeeld.nl/") for u in urls(site))
