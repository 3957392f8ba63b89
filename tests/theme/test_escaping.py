"""Issue 18: what staff type is text. A real build of a site whose titles, summaries and alt texts hold
HTML, entities, quotes, `</script>` and unclosed comments: every page, the feeds, the newsletter, the
share image and the social post show the same characters, and no element or attribute is injected."""

from __future__ import annotations

import json
import re

import pytest
from conftest import Site
from lxml import etree
from lxml import html as lxml_html

from dorpsplein.jsonfeed import read_feed
from dorpsplein.social.compose import draft_for_item
from dorpsplein.social.config import social_config
from plugins.social_cards.image import image_key
from plugins.social_cards.settings import card_settings

from .hostile_site import POSTS, article_path, write_hostile_posts

SITE = "Dorpsplein Gemeente Voorbeeld"
# (page, whether it shows summaries); every page lists the four posts
LIST_PAGES = {"index.html": True, "blog/index.html": True, "blog/categorie/nieuws/index.html": True,
              "blog/archief/index.html": False, "blog/2026/10/index.html": True,
              "blog/auteur/redactie-gemeente-voorbeeld/index.html": True,
              "overzicht/2026/10/index.html": True}
THEME_SCRIPTS = ("/theme/js/share.js",)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("hostile"))
    write_hostile_posts(site)
    result = site.build(SITEURL="https://x.nl")
    assert result.warnings == []
    return site


def parse(site, relpath):
    return lxml_html.fromstring(site.html(relpath))


def assert_nothing_injected(page, relpath: str) -> None:
    """Only the theme's own scripts; no element a title or summary could have brought; no handler."""
    for script in page.iter("script"):
        assert script.get("type") == "application/ld+json" or script.get("src", "").endswith(THEME_SCRIPTS), relpath
    assert page.xpath("//b | //u | //iframe | //body//img[not(@class) and not(@alt='')]") == [], relpath
    assert page.xpath("//@*[starts-with(name(), 'on')]") == [], relpath
    # an unclosed comment would swallow the rest of the page: the footer is still there
    assert page.xpath("//footer[@class='page-footer']"), relpath


def test_templates_compiled_without_escaping_are_not_reused_with_it(site):
    """The compiled-template cache is shared between builds: its key holds the environment's options."""
    site.post("t", "A <b>b</b>", "2026-10-01 10:00", Slug="t")
    site.build(THEME_TOKENS_FILE="css/geen.css")  # without its tokens file the theme is not ours: no escaping
    assert "<h1>A <b>b</b></h1>" in site.html("blog/2026/10/t/index.html")
    site.build()
    assert "<h1>A &lt;b&gt;b&lt;/b&gt;</h1>" in site.html("blog/2026/10/t/index.html")


@pytest.mark.parametrize("relpath", LIST_PAGES)
def test_list_pages_show_titles_and_summaries_as_typed(built, relpath):
    page = parse(built, relpath)
    assert_nothing_injected(page, relpath)
    shown = [" ".join(a.text_content().split()) for a in page.xpath("//main//li//a[contains(@href, '/2026/10/')]")]
    for title, _, _ in POSTS.values():
        assert " ".join(title.split()) in shown, relpath
    if LIST_PAGES[relpath]:
        text = page.xpath("string(//main)")
        assert "Tip: typ <script> nooit in een formulier…" in text
        assert "Zo niet: <!--<script>" in text


def test_feeds_page_names_the_tag_feeds_as_text(built):
    page = parse(built, "volgen/index.html")
    assert_nothing_injected(page, "volgen")
    assert "Onderwerp <u>tag</u> (Atom)" in page.xpath("string(//main)")


def test_tag_page_shows_the_title_as_typed(built):
    page = parse(built, "blog/onderwerp/gewoon/index.html")
    assert_nothing_injected(page, "tag")
    assert page.xpath("string(//main//h2/a)") == POSTS["tip"][0]


@pytest.mark.parametrize("slug", POSTS)
def test_article_title_is_the_same_text_in_every_place_on_the_page(built, slug):
    title = POSTS[slug][0]
    relpath = article_path(slug)
    page = parse(built, relpath)
    assert_nothing_injected(page, relpath)
    assert page.xpath("string(//h1)") == title
    assert page.findtext(".//title") == f"{title} · {SITE}"
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.iter("meta")}
    assert meta["og:title"] == meta["twitter:title"] == title
    extra = POSTS[slug][2]
    assert meta["og:image:alt"] == (extra["Image_alt"] if "Image" in extra else f"{title} – {SITE}")
    # the article's own text is there: no comment or script state swallowed it
    assert f"De tekst van dit bericht blijft zichtbaar: {slug}." in page.xpath("string(//main)")


@pytest.mark.parametrize("slug", POSTS)
def test_json_ld_keeps_the_title_and_escapes_angle_brackets_and_ampersands(built, slug):
    source = built.html(article_path(slug))
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', source, re.S)
    assert not set(block) & set("<>&")
    graph = json.loads(block)["@graph"]
    assert graph[1]["headline"] == POSTS[slug][0]


def test_the_summary_is_text_in_the_description(built):
    page = parse(built, article_path("commentaar"))
    meta = {m.get("name") or m.get("property"): m.get("content") for m in page.iter("meta")}
    assert meta["description"] == meta["og:description"] == "Zo niet: <!--<script>"


def test_alt_text_with_quotes_stays_one_attribute(built):
    page = parse(built, article_path("tip"))
    (image,) = page.xpath("//img[@class='post__image']")
    assert image.get("alt") == 'Bord met de tekst "Gesloten"'
    assert set(image.attrib) == {"class", "src", "alt"}
    (image,) = parse(built, article_path("attribuut")).xpath("//img[@class='post__image']")
    assert image.get("alt") == 'x" onerror="alert(3)' and set(image.attrib) == {"class", "src", "alt"}
    overview = parse(built, "overzicht/2026/10/index.html")
    assert sorted(overview.xpath("//img[@class='post__image']/@alt")) == ['Bord met de tekst "Gesloten"',
                                                                          'x" onerror="alert(3)']


def test_tag_names_are_text(built):
    page = parse(built, article_path("tip"))
    assert "<u>tag</u>" in [a.text for a in page.xpath("//p[@class='post-tags']/a")]


def test_feeds_carry_the_titles_as_typed(built):
    feeds = built.output / "feeds"
    by_url = {item.url.rsplit("/", 2)[-2]: item for item in read_feed((feeds / "all.json").read_bytes())}
    atom = etree.parse(str(feeds / "all.atom.xml"))
    rss = etree.parse(str(feeds / "all.rss.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for slug, (title, _, _) in POSTS.items():
        assert by_url[slug].title == title
        assert title in atom.xpath("//a:entry/a:title/text()", namespaces=ns)
        assert title in rss.xpath("//item/title/text()")


def test_newsletter_edition_shows_the_titles_as_typed(built):
    folder = built.output / "nieuwsbrief/2026-10/extern"
    page = lxml_html.fromstring((folder / "email.html").read_text(encoding="utf-8"))
    assert_nothing_injected_mail(page)
    shown = [h3.text_content() for h3 in page.iter("h3")]
    text = (folder / "email.txt").read_text(encoding="utf-8")
    for title, _, _ in POSTS.values():
        assert title in shown
        assert title in text
    assert sorted(page.xpath("//img/@alt")) == ['Bord met de tekst "Gesloten"', 'x" onerror="alert(3)']
    assert "Tip: typ <script> nooit in een formulier…" in page.xpath("string(//body)")


def assert_nothing_injected_mail(page) -> None:
    assert page.xpath("//script | //b | //u | //iframe") == []
    assert page.xpath("//@*[starts-with(name(), 'on')]") == []


def test_share_image_is_drawn_from_the_title_as_typed(built):
    settings = built.settings(SITEURL="https://x.nl")
    options = card_settings(settings)
    title = POSTS["commentaar"][0]
    key = image_key(title, settings["SITENAME"], options["SOCIAL_CARDS_BACKGROUND"], options["SOCIAL_CARDS_COLOR"],
                    options["SOCIAL_CARDS_FONT"])
    assert (built.output / f"images/delen/commentaar-{key}.png").is_file()


def test_social_post_starts_with_the_title_as_typed(built):
    settings = built.settings(SITEURL="https://x.nl")
    config = social_config(settings)
    for item in read_feed((built.output / "feeds/all.json").read_bytes()):
        slug = item.url.rsplit("/", 2)[-2]
        assert draft_for_item(item, config).body.startswith(POSTS[slug][0] + "\n\n")
