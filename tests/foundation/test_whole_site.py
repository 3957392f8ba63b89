"""Any content folder makes a whole site (issue 17.3): a home page without a welcome page, header and
footer links only to pages that exist, `check` naming each configured link whose page is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from dorpsplein.linkcheck import dead_links
from tasks import cli

ROOT = Path(__file__).resolve().parents[2]


def _nav_links(page: str, selector: str) -> list[str]:
    return lxml_html.fromstring(page).xpath(f"{selector}//a/@href")


def _exists(output: Path, href: str) -> bool:
    path = output / href.lstrip("/")
    return path.is_file() or (path / "index.html").is_file()


@pytest.fixture
def posts_only(site):
    """Another municipality's folder: posts in blog/, no pages at all."""
    site.post("markt", "Weekmarkt op de Brink", "2026-03-05 10:00", Tags="markt", Slug="weekmarkt-op-de-brink")
    site.post("brug", "Brug weer open", "2026-03-06 10:00", Category="Werkzaamheden", Slug="brug-weer-open")
    site.post("raad", "Raadsvergadering in maart", "2026-03-07 10:00", Slug="raadsvergadering-in-maart")
    return site


def test_without_a_welcome_page_the_home_page_lists_the_latest_posts(posts_only):
    posts_only.build()
    home = posts_only.html("index.html")
    titles = lxml_html.fromstring(home).xpath("//main//h3[@class='post-list__title']/a/text()")
    assert titles == ["Raadsvergadering in maart", "Brug weer open", "Weekmarkt op de Brink"]
    assert '<a href="/blog/">' in home  # and the way to all of them
    assert "<title>Dorpsplein Gemeente Voorbeeld</title>" in home
    assert "<loc>http://127.0.0.1:8000/</loc>" in posts_only.html("sitemap.xml")


def test_header_and_footer_link_only_to_pages_that_exist(posts_only):
    posts_only.build()
    output = posts_only.output
    for page in ("index.html", "blog/index.html", "blog/2026/03/brug-weer-open/index.html", "404.html"):
        text = (output / page).read_text(encoding="utf-8")
        header = _nav_links(text, "//header[@class='page-header']")
        footer = _nav_links(text, "//footer")
        assert header == ["/", "/blog/"], page  # logo, news; no Over ons, Kanalen, Contact
        site_links = [href for href in footer if href.startswith("/")]
        assert site_links == ["/statistieken/"], page
        for href in header + site_links:
            assert _exists(output, href), (page, href)
    assert "/privacy/" not in (output / "index.html").read_text(encoding="utf-8")  # the sign-up form's link too
    assert dead_links(output, ["http://127.0.0.1:8000"]) == []  # nor anywhere else on the site


def test_a_production_build_of_posts_only_is_whole(posts_only):
    """The production build checks every link itself: it would fail on one dead link."""
    posts_only.build(production=True)
    assert "Weekmarkt op de Brink" in posts_only.html("index.html")


def test_a_page_that_exists_keeps_its_link(posts_only):
    posts_only.write("pages/over-ons.md", "Title: Over ons\nSlug: over-ons\n\nWie wij zijn.\n")
    posts_only.build()
    header = _nav_links(posts_only.html("index.html"), "//header[@class='page-header']")
    assert header == ["/", "/blog/", "/over-ons/"]


def test_a_welcome_page_stays_the_home_page(posts_only):
    posts_only.write("pages/welkom.md", "Title: Welkom in Anderdorp\nSave_as: index.html\nURL:\nTemplate: home\n\n"
                     "Fijn dat u er bent.\n")
    posts_only.build()
    home = posts_only.html("index.html")
    assert "Welkom in Anderdorp" in home and "Fijn dat u er bent." in home
    assert "Weekmarkt op de Brink" in home


def test_check_names_each_configured_link_whose_page_is_missing(posts_only, runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(cli, ["check", "--content", str(posts_only.content)])
    assert result.exit_code == 0, result.output
    settings = (ROOT / "pelicanconf.py").read_text(encoding="utf-8").splitlines()
    lines = result.stdout.splitlines()
    expected = [("MENUITEMS", "Over ons", "/over-ons/", "header"), ("MENUITEMS", "Kanalen", "/kanalen/", "header"),
                ("MENUITEMS", "Contact", "/contact/", "header"),
                ("FOOTER_LINKS", "Toegankelijkheid", "/toegankelijkheid/", "footer"),
                ("FOOTER_LINKS", "Privacy", "/privacy/", "footer"), ("FOOTER_LINKS", "Kanalen", "/kanalen/", "footer"),
                ("FOOTER_LINKS", "Contact", "/contact/", "footer"),
                ("FOOTER_LINKS", "Helpdesk", "/helpdesk/", "footer")]
    assert len(lines) == len(expected)
    for line, (setting, title, link, where) in zip(lines, expected, strict=True):
        match = re.fullmatch(r"pelicanconf\.py:(\d+): warning: (.*)", line)
        assert match, line
        assert f'("{title}", "{link}")' in settings[int(match[1]) - 1]  # the line of that very entry
        assert match[2] == (f"{setting} links {title!r} to {link}, a page this site does not have; "
                            f"the {where} leaves it out (add the page or remove the link)")
    assert "0 error(s), 8 warning(s)" in result.stderr


def test_an_expired_notice_links_only_to_tag_pages_that_exist(site):
    """Its tags and category keep their pages only while a current post carries them."""
    site.post("afsluiting", "Brug dicht", "2026-01-05 09:00", Category="Bekendmakingen",
              Tags="verkeer, brug", Expires="2026-01-20 00:00")
    site.post("geldig", "Weg open", "2026-01-21 09:00", Tags="verkeer")
    site.build()
    output = site.output
    page = site.html("blog/2026/01/brug-dicht/index.html")
    tags = lxml_html.fromstring(page).xpath("//p[@class='post-tags']")[0]
    assert tags.xpath(".//a/@href") == ["/blog/onderwerp/verkeer/"]
    assert "brug" in tags.text_content()  # named, not linked: no current post has it
    assert not (output / "blog/onderwerp/brug").exists()
    meta = lxml_html.fromstring(page).xpath("//p[@class='post-meta']")[0]
    assert "Bekendmakingen" in meta.text_content() and "/blog/categorie/bekendmakingen/" not in page
    for href in lxml_html.fromstring(page).xpath("//a/@href"):
        if href.startswith("/"):
            assert _exists(output, href.split("#")[0]), href
