"""The theme's templates on real builds: structure every page shares, feeds, slots, overviews, page weight."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections import namedtuple

import pytest
from bs4 import BeautifulSoup
from pelican import signals

from dorpsplein.settings import ROOT

from .conftest import THEME_PLUGINS

FeedLink = namedtuple("FeedLink", "title url type")
FOOTER_LINKS = ["Toegankelijkheid", "Privacy", "Kanalen", "Contact"]


def parse(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def demo_pages(demo):
    # Feeds and newsletter editions (e-mails, and their web copies in e-mail layout) are not theme pages.
    return sorted(p for p in demo.rglob("*.html") if not {"feeds", "nieuwsbrief"} & set(p.relative_to(demo).parts))


def test_every_demo_page_has_the_shared_structure(demo):
    pages = demo_pages(demo)
    assert len(pages) > 40
    for path in pages:
        page = parse(path)
        where = path.relative_to(demo)
        assert page.html["lang"] == "nl", where
        first = page.body.find(["a", "button", "input", "select", "textarea"])
        assert first["class"] == ["skip-link"] and first["href"] == "#inhoud", where
        assert page.select_one("main#inhoud[tabindex='-1']"), where
        assert [len(page.select(tag)) for tag in ("body > header", "body > main", "body > footer")] == [1, 1, 1], where
        assert page.select_one("header nav[aria-label]"), where
        assert len(page.find_all("h1")) == 1, where
        footer = page.select_one("footer")
        assert all(footer.find("a", string=name) for name in FOOTER_LINKS), where
        assert "Gemeente Voorbeeld" in footer.get_text(), where


def test_headings_never_skip_a_level(demo):
    for path in demo_pages(demo):
        levels = [int(h.name[1]) for h in parse(path).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels[0] == 1, path
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)


def test_every_date_is_a_time_element_with_a_machine_readable_datetime(demo):
    times = [t for path in demo_pages(demo) for t in parse(path).find_all("time")]
    assert len(times) > 50
    for time in times:
        datetime.datetime.fromisoformat(time["datetime"])


def test_current_menu_item_is_marked(demo):
    page = parse(demo / "blog/index.html")
    assert [a.get_text() for a in page.select("header [aria-current='page']")] == ["Nieuws en berichten"]


def test_wide_tables_scroll_in_a_named_keyboard_reachable_region(demo):
    page = parse(demo / "kanalen/index.html")
    region = page.select_one("div.table-scroll[role=region][tabindex='0']")
    assert page.find(id=region["aria-labelledby"]).get_text() == "Sociale media"
    assert region.find("table")


def test_html_and_css_of_a_typical_article_weigh_under_50_kb(demo):
    article = demo / "blog/2026/10/nieuwe-speeltuin-aan-de-schoolstraat-is-open/index.html"
    css = [demo / "theme/css/dorpsplein.css", demo / "theme/css/tokens.css"]
    stylesheets = [link["href"] for link in parse(article).select("link[rel=stylesheet]")]
    assert stylesheets == ["/theme/css/tokens.css", "/theme/css/dorpsplein.css"]  # each its own link, no @import
    total = sum(p.stat().st_size for p in [article, *css])
    assert total < 50_000, total


def test_site_and_list_feeds_are_announced_and_shown(site, test_plugin):
    # After every generator's context is ready, so it replaces the real feeds plugin's links if that one is loaded.
    def fake_feeds(generators):
        context = generators[0].context
        context["site_feeds"] = [
            FeedLink("Alle berichten (Atom)", "https://x.nl/all.atom", "application/atom+xml"),
            FeedLink("Alle berichten (JSON)", "https://x.nl/all.json", "application/feed+json")]
        context["feeds_for"] = lambda term: [FeedLink(f"{term} (RSS)", f"https://x.nl/{term.slug}.rss",
                                                                "application/rss+xml")]

    site.post("a", "Bericht", "2026-11-01 10:00", Tags="verkeer")
    site.build(PLUGINS=[*THEME_PLUGINS, test_plugin(signals.all_generators_finalized, fake_feeds)])
    for relpath in ("blog/index.html", "blog/2026/11/bericht/index.html", "404.html"):
        page = parse(site.output / relpath)
        assert [(link["type"], link["title"], link["href"]) for link in page.select("head link[rel=alternate]")] == [
            ("application/atom+xml", "Alle berichten (Atom)", "https://x.nl/all.atom"),
            ("application/feed+json", "Alle berichten (JSON)", "https://x.nl/all.json")], relpath
        assert [a["href"] for a in page.select("footer a[type]")] == ["https://x.nl/all.atom", "https://x.nl/all.json"]
    for relpath, slug, name in (("blog/categorie/nieuws/index.html", "nieuws", "Nieuws"),
                                ("blog/onderwerp/verkeer/index.html", "verkeer", "verkeer")):
        page = parse(site.output / relpath)
        own = page.select_one(f"head link[rel=alternate][href='https://x.nl/{slug}.rss']")
        assert own["title"] == f"{name} (RSS)" and own["type"] == "application/rss+xml"
        assert page.select_one("main .feed-links a").get_text() == f"{name} (RSS)"


def test_the_theme_works_without_the_feeds_plugin(tmp_path):
    """In a fresh process, because the feeds plugin's receivers stay connected once any build loaded it."""
    (tmp_path / "content/blog").mkdir(parents=True)
    (tmp_path / "content/blog/a.md").write_text("Title: Bericht\nDate: 2026-11-01 10:00\nCategory: Nieuws\n\nTekst.\n")
    code = f"""
from dorpsplein.build import build
from dorpsplein.settings import load_settings
s = load_settings(content={str(tmp_path / 'content')!r}, output={str(tmp_path / 'out')!r}, extra=dict(
    PLUGINS={THEME_PLUGINS!r}, FEED_ALL_ATOM="feeds/all.atom.xml", FEED_DOMAIN="https://x.nl",
    CACHE_PATH={str(tmp_path / 'cache')!r}))
print(build(s, quiet=True).warnings)
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
    page = parse(tmp_path / "out/blog/categorie/nieuws/index.html")
    assert [link["href"] for link in page.select("head link[rel=alternate]")] == ["https://x.nl/feeds/all.atom.xml"]
    assert page.select_one("footer a[type='application/atom+xml']").get_text() == "Alle berichten (Atom-feed)"
    assert page.select_one("main .feed-links") is None


@pytest.fixture
def overrides(tmp_path):
    """A THEME_TEMPLATES_OVERRIDES folder, as the share buttons and forms will fill the theme's slots."""
    folder = tmp_path / "overrides"
    (folder / "partials").mkdir(parents=True)
    (folder / "partials/signup_form.html").write_text('<section class="signup" id="aanmelden"></section>')
    for kind in ("article", "page"):
        (folder / f"{kind}.html").write_text(
            f'{{% extends "!theme/{kind}.html" %}}{{% block after_content %}}<p id="delen"></p>{{% endblock %}}')
    return folder


def test_share_slot_follows_the_content_of_articles_and_pages(site, overrides):
    site.post("a", "Bericht", "2026-11-01 10:00")
    site.write("pages/info.md", "Title: Info\n\nTekst.\n")
    site.build(THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    for relpath in ("blog/2026/11/bericht/index.html", "info/index.html"):
        assert parse(site.output / relpath).select_one("main article > div + p#delen"), relpath


def test_signup_form_is_on_the_home_page_once_and_in_the_footer_elsewhere(site, overrides):
    site.post("a", "Bericht", "2026-11-01 10:00")
    site.write("pages/welkom.md", "Title: Welkom\nSave_as: index.html\nURL:\nTemplate: home\n\nHallo.\n")
    site.build(THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    home, blog = parse(site.output / "index.html"), parse(site.output / "blog/index.html")
    assert [s.parent.name for s in home.select("#aanmelden")] == ["main"]
    assert [s.find_parent(["main", "footer"]).name for s in blog.select("#aanmelden")] == ["footer"]
    assert home.select_one("main section.latest a").get_text() == "Bericht"


def test_overview_groups_the_periods_posts_by_category(site, test_plugin):
    def fill_overview(generator):
        for page in generator.pages:
            if page.template == "overview" and hasattr(page, "overview_period"):
                page.overview_articles = generator.context["articles"]

    site.post("a", "Weg dicht", "2026-11-02 10:00", Category="Werkzaamheden")
    site.post("b", "Markt", "2026-11-03 10:00", Category="Evenementen")
    site.post("c", "Kermis", "2026-11-04 10:00", Category="Evenementen")
    site.write("pages/nov.md",
               "Title: Overzicht november\nTemplate: overview\nOverview_period: november 2026\n\nIntro.\n")
    site.write("pages/dec.md", "Title: Overzicht december\nSlug: dec\nTemplate: overview\n\nIntro.\n")
    site.build(PLUGINS=[*THEME_PLUGINS, test_plugin(signals.page_generator_finalized, fill_overview)])
    page = parse(site.output / "overzicht-november/index.html")
    assert [h.get_text(" ", strip=True) for h in page.select("main h2")] == [
        "Evenementen (2 berichten)", "Werkzaamheden (1 bericht)"]
    assert [h.get_text() for h in page.select("main section h3")] == ["Markt", "Kermis", "Weg dicht"]
    assert page.select_one("main .post-meta").get_text() == "Periode: november 2026"
    empty = parse(site.output / "dec/index.html")
    assert "In deze periode zijn geen berichten verschenen." in empty.select_one("main").get_text()


def test_pages_after_the_first_say_which_page_they_are(site):
    for day in (1, 2, 3):
        site.post(f"p{day}", f"Bericht {day}", f"2026-11-0{day} 10:00")
    site.build(DEFAULT_PAGINATION=2)
    page = parse(site.output / "blog/pagina/2/index.html")
    assert page.title.get_text().startswith("Nieuws en berichten · Pagina 2 van 2 · ")
    nav = page.select_one("nav.pagination")
    assert nav["aria-label"] == "Paginering"
    assert [(a["rel"], a["href"]) for a in nav.select("a")] == [(["prev"], "/blog/")]


def test_a_post_in_another_language_sets_the_page_language(site):
    site.post("a", "Road closed", "2026-11-01 10:00", Lang="en")
    site.post("b", "Weg dicht", "2026-11-02 10:00")
    site.build()
    # Pelican saves a post in another language under ARTICLE_LANG_SAVE_AS.
    save_as = site.settings()["ARTICLE_LANG_SAVE_AS"]
    path = save_as.format(slug="road-closed", lang="en", date=datetime.datetime(2026, 11, 1))
    assert parse(site.output / path).html["lang"] == "en"
    assert parse(site.output / "blog/2026/11/weg-dicht/index.html").html["lang"] == "nl"


def test_build_reports_brand_ratios_when_asked(site, caplog):
    site.post("a", "Bericht", "2026-11-01 10:00")
    with caplog.at_level("INFO", logger="theme_tokens.theme_tokens"):
        site.build(THEME_BRAND_COLOR="#154273")
    assert ('THEME_BRAND_TEXT_COLOR = "#ffffff" on THEME_BRAND_COLOR = "#154273": text in the page header '
            "(#ffffff on #154273): contrast 10.20:1; WCAG 2.1 AA needs at least 4.5:1") in caplog.messages
    json.dumps(caplog.messages)  # plain strings, fit for a CI log


def test_the_post_image_is_shown_once_even_when_the_text_shows_it_too(site):
    site.post("a", "Met foto", "2026-11-01 10:00", body="![Het plein](/images/plein.jpg)",
              Image="images/plein.jpg", Image_alt="Het plein")
    site.post("b", "Alleen kaart", "2026-11-02 10:00", Image="images/brug.jpg", Image_alt="De brug")
    site.build()
    shown = parse(site.output / "blog/2026/11/met-foto/index.html").select("main img")
    assert [img["src"] for img in shown] == ["/images/plein.jpg"]
    shown = parse(site.output / "blog/2026/11/alleen-kaart/index.html").select("main img")
    assert [(img["src"], img["alt"]) for img in shown] == [("/images/brug.jpg", "De brug")]
