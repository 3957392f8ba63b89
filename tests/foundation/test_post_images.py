"""One helper turns `Image` into an address (issue 17.4): every form staff may write gives the same,
correct URL in the page, og:image, JSON-LD, the feeds, the overview and its newsletter edition;
a missing file is a `check` error with its line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from dorpsplein.images import parse_image
from dorpsplein.linkcheck import dead_links
from tasks import cli

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://x.nl"
SQUARE = f"{SITE}/images/plein.png"

# slug → (Image as written, the absolute URL every output must carry). The first five name one file.
FORMS = {
    "static": ("{static}/images/plein.png", SQUARE),
    "static-relatief": ("{static}../images/plein.png", SQUARE),
    "sitepad": ("/images/plein.png", SQUARE),
    "pad": ("images/plein.png", SQUARE),
    "absoluut": (f"{SITE}/images/plein.png", SQUARE),
    "static-naast": ("{static}naast.png", f"{SITE}/blog/naast.png"),  # outside STATIC_PATHS: copied too
    "attach": ("{attach}bijlage.png", f"{SITE}/blog/2026/10/attach/bijlage.png"),  # next to the post's page
}


def _png(path: Path, colour) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (24, 12), colour).save(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import Site  # noqa: PLC0415 - the shared tiny-site helper

    site = Site(tmp_path_factory.mktemp("images"))
    _png(site.content / "images/plein.png", (20, 80, 140))
    _png(site.content / "blog/naast.png", (140, 80, 20))
    _png(site.content / "blog/bijlage.png", (80, 140, 20))
    for day, (slug, (image, _)) in enumerate(FORMS.items(), start=1):
        site.post(slug, f"Bericht {slug}", f"2026-10-{day:02d} 10:00", Slug=slug, Summary=f"Over {slug}.",
                  Image=image, Image_alt=f"Foto bij {slug}")
    result = site.build(SITEURL=SITE, OVERVIEWS_NOW="2026-11-15T10:00")
    assert result.warnings == []
    return site


def _page(site, slug):
    return lxml_html.fromstring(site.html(f"blog/2026/10/{slug}/index.html"))


@pytest.mark.parametrize("slug", FORMS)
def test_page_shows_the_image_at_its_address(built, slug):
    expected = FORMS[slug][1]
    page = _page(built, slug)
    assert page.xpath("//img[@class='post__image']/@src") == [expected]
    assert page.xpath("//img[@class='post__image']/@alt") == [f"Foto bij {slug}"]
    assert (built.output / expected.removeprefix(SITE + "/")).is_file()


@pytest.mark.parametrize("slug", FORMS)
def test_og_image_twitter_and_json_ld_carry_the_same_address(built, slug):
    expected = FORMS[slug][1]
    page = _page(built, slug)
    assert page.xpath("//meta[@property='og:image']/@content") == [expected]
    assert page.xpath("//meta[@name='twitter:image']/@content") == [expected]
    graph = json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])["@graph"]
    assert [node["image"] for node in graph if "image" in node] == [[expected]]


def test_feeds_carry_the_same_addresses(built):
    feed = json.loads(built.html("feeds/all.json"))
    assert {item["url"].rstrip("/").rsplit("/", 1)[1]: item["image"] for item in feed["items"]} == \
        {slug: url for slug, (_, url) in FORMS.items()}
    atom = ET.fromstring(built.html("feeds/all.atom.xml"))
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    enclosures = sorted(link.get("href") for link in atom.iterfind("a:entry/a:link[@rel='enclosure']", namespace))
    assert enclosures == sorted(url for _, url in FORMS.values())
    rss = ET.fromstring(built.html("feeds/all.rss.xml"))
    assert sorted(e.get("url") for e in rss.iterfind("channel/item/enclosure")) == enclosures
    sizes = {e.get("url"): int(e.get("length")) for e in rss.iterfind("channel/item/enclosure")}
    assert sizes[SQUARE] == (built.content / "images/plein.png").stat().st_size


def test_overview_and_its_newsletter_edition_carry_the_same_addresses(built):
    overview = lxml_html.fromstring(built.html("overzicht/2026/10/index.html"))
    assert sorted(overview.xpath("//main//img[@class='post__image']/@src")) == sorted(u for _, u in FORMS.values())
    edition = lxml_html.fromstring(built.html("nieuwsbrief/2026-10/extern/email.html"))
    assert sorted(edition.xpath("//img[@class='post-image']/@src")) == sorted(u for _, u in FORMS.values())


def test_every_image_address_reaches_a_written_file(built):
    assert dead_links(built.output, [SITE]) == []


def test_another_sites_image_is_used_as_it_is():
    ref = parse_image("https://beeldbank.example.org/foto.jpg", "blog/a.md")
    assert ref.absolute_url({"SITEURL": SITE}) == ref.page_url({"SITEURL": SITE}) == \
        "https://beeldbank.example.org/foto.jpg"
    assert ref.source is None


def test_a_development_build_shows_site_relative_images_and_absolute_cards(site):
    _png(site.content / "images/plein.png", (20, 80, 140))
    site.post("a", "Bericht", "2026-10-01 10:00", Image="{static}/images/plein.png", Image_alt="Het plein")
    site.build()
    page = lxml_html.fromstring(site.html("blog/2026/10/bericht/index.html"))
    assert page.xpath("//img[@class='post__image']/@src") == ["/images/plein.png"]
    assert page.xpath("//meta[@property='og:image']/@content") == ["http://127.0.0.1:8000/images/plein.png"]


def test_a_missing_image_file_is_a_check_error_with_its_line(site, runner, monkeypatch):
    _png(site.content / "images/plein.png", (20, 80, 140))
    missing = {"a": "{static}/images/weg.png", "b": "{attach}weg.png", "c": "/images/weg.png", "d": "images/weg.png",
               "e": "{static}weg.png"}
    for day, (slug, image) in enumerate(missing.items(), start=1):
        site.post(slug, f"Bericht {slug}", f"2026-10-0{day} 10:00", Image=image, Image_alt="Een foto")
    for slug, image in {"f": "{static}/images/plein.png", "g": "{attach}../images/plein.png",
                        "h": "https://beeldbank.example.org/foto.jpg"}.items():
        site.post(slug, f"Bericht {slug}", "2026-10-09 10:00", Image=image, Image_alt="Een foto")
    monkeypatch.chdir(ROOT)
    result = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    # Image is the fourth header line (Title, Date, Category, Image) of each post.
    assert errors == [f"{site.content / 'blog' / slug}.md:4: error: image file {image!r} not found"
                      for slug, image in missing.items()] + [
        f"{site.content / 'blog' / 'h'}.md:4: error: image from another site (beeldbank.example.org): it tells that "
        "site who reads the page; put the image in content/images and link it from there"], \
        "a missing file is an error; an image on another host is one too (html_policy), never a missing file"
