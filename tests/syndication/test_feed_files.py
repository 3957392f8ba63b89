"""The feeds of a real build: parsable, valid, absolute, complete, filtered, deterministic, escaped."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from dorpsplein.jsonfeed import read_feed

from .conftest import FEED_FILES, TRICKY_TITLE, read, write_tricky_site

SCHEMAS = Path(__file__).with_name("schemas")
BASE = "http://127.0.0.1:8000"
POST = f"{BASE}/blog/2026/01/brug-alertx-open-shlvm"  # Pelican strips the tags, unidecode spells the Hebrew


XML_FEEDS = [relpath for relpath in FEED_FILES if relpath.endswith(".xml")]


@pytest.mark.parametrize("relpath", XML_FEEDS)
def test_feed_parses_cleanly(tricky, relpath):
    """feedparser 6.0 reads Atom and RSS; the JSON Feed is checked by its schema and our reader below."""
    parsed = feedparser.parse(read(tricky, relpath))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries


def test_titles_links_and_dates_round_trip(tricky):
    for relpath in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        entry = feedparser.parse(read(tricky, relpath)).entries[0]
        assert entry.title == TRICKY_TITLE
        assert entry.link == POST + "/"
        assert entry.published_parsed[:5] == (2026, 1, 10, 8, 0)  # 09:00 in Amsterdam is 08:00 UTC
    item = read_feed(read(tricky, "feeds/all.json"))[0]
    assert (item.title, item.url, item.date_published.isoformat()) == (
        TRICKY_TITLE, POST + "/", "2026-01-10T09:00:00+01:00")
    atom = feedparser.parse(read(tricky, "feeds/all.atom.xml")).entries[0]
    assert atom.updated_parsed[:5] == (2026, 1, 12, 9, 0)
    assert atom.author == "Sanne Bakker"
    assert [t.term for t in atom.tags] == ["Nieuws", "verkeer", "brug"]


def test_atom_validates_against_rfc4287_relax_ng(tricky):
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    for relpath in FEED_FILES:
        if relpath.endswith(".atom.xml"):
            assert schema.validate(etree.fromstring(read(tricky, relpath))), schema.error_log


def test_json_feed_validates_against_json_feed_1_1_schema(tricky):
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text())
    jsonschema.validate(json.loads(read(tricky, "feeds/all.json")), schema, cls=jsonschema.Draft202012Validator)


def test_the_schemas_reject_broken_feeds():
    """The validators above can fail: a feed without id or a dateless JSON item is refused."""
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    assert not schema.validate(etree.fromstring(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><updated>2026-01-01T00:00:00Z</updated></feed>'))
    json_schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "https://jsonfeed.org/version/1.1", "title": "x",
                             "items": [{"id": "1", "content_html": "", "date_published": "gisteren"}]}, json_schema)


def _urls(html: str):
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for name in ("href", "src", "poster"):
            if tag.get(name):
                yield tag[name]
        for name in ("srcset",):
            if tag.get(name):
                yield from (c.split()[0] for c in tag[name].split(","))


def test_every_url_in_feed_content_is_absolute(tricky):
    items = json.loads(read(tricky, "feeds/all.json"))["items"]
    urls = [url for item in items for url in _urls(item["content_html"])]
    assert urls and all(url.startswith(("http://", "https://")) for url in urls), urls
    assert f"{BASE}/kaart/" in urls
    assert f"{POST}/#top" in urls
    assert f"{POST}/images/brug.jpg" in urls  # relative to the post's own address
    assert f"{BASE}/blog/2026/01/andere/" in urls
    for relpath in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        content = feedparser.parse(read(tricky, relpath)).entries[0].content[0].value
        assert all(url.startswith("http") for url in _urls(content))


def test_drafts_hidden_future_and_expired_posts_are_left_out(tricky):
    for relpath in FEED_FILES:
        text = read(tricky, relpath).decode()
        for title in ("Concept bericht", "Verborgen bericht", "Bericht uit de toekomst", "Verlopen mededeling"):
            assert title not in text, (relpath, title)
    titles = [e.title for e in feedparser.parse(read(tricky, "feeds/all.atom.xml")).entries]
    assert titles == [TRICKY_TITLE, "Geldige mededeling", "Ouder bericht"]  # newest first


def test_category_and_tag_feeds_hold_only_their_posts(tricky):
    nieuws = [e.title for e in feedparser.parse(read(tricky, "feeds/categorie/nieuws.atom.xml")).entries]
    assert nieuws == [TRICKY_TITLE, "Ouder bericht"]
    brug = [e.title for e in feedparser.parse(read(tricky, "feeds/onderwerp/brug.rss.xml")).entries]
    assert brug == [TRICKY_TITLE]


def test_image_travels_as_enclosure_and_json_image(tricky):
    size = (tricky.content / "images/brug.jpg").stat().st_size
    rss = etree.fromstring(read(tricky, "feeds/all.rss.xml"))
    enclosure = rss.find("channel/item/enclosure")
    assert enclosure.attrib == {"url": f"{BASE}/images/brug.jpg", "length": str(size), "type": "image/jpeg"}
    atom = etree.fromstring(read(tricky, "feeds/all.atom.xml"))
    link = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}link[@rel='enclosure']")
    assert link.attrib["href"] == f"{BASE}/images/brug.jpg" and link.attrib["length"] == str(size)
    item = json.loads(read(tricky, "feeds/all.json"))["items"][0]
    assert item["image"] == f"{BASE}/images/brug.jpg"


def test_json_feed_carries_the_dorpsplein_extension(tricky):
    items = {item.title: item for item in read_feed(read(tricky, "feeds/all.json"))}
    brug = items[TRICKY_TITLE]
    assert (brug.category, brug.share, brug.social_text, brug.image_alt, brug.expires) == (
        "Nieuws", True, "Eigen tekst voor sociale media", "De nieuwe brug", None)
    assert brug.summary == "De brug is open & veilig."
    assert items["Ouder bericht"].share is False
    assert items["Geldige mededeling"].expires.isoformat() == "2099-01-01T00:00:00+01:00"


def test_unchanged_content_gives_byte_identical_feeds(site, tmp_path):
    write_tricky_site(site)
    site.build()
    first = {relpath: read(site, relpath) for relpath in FEED_FILES}
    site.build()  # warm cache, same output folder
    assert {relpath: read(site, relpath) for relpath in FEED_FILES} == first
    site.output = tmp_path / "again"
    site.build(LOAD_CONTENT_CACHE=False)
    assert {relpath: read(site, relpath) for relpath in FEED_FILES} == first


def test_feed_updated_is_the_newest_change_not_the_build_time(tricky):
    atom = feedparser.parse(read(tricky, "feeds/all.atom.xml"))
    assert atom.feed.updated == "2026-01-12T10:00:00+01:00"
    assert "Mon, 12 Jan 2026 10:00:00 +0100" in read(tricky, "feeds/all.rss.xml").decode()


def test_escaping_is_safe_in_xml_and_json(tricky):
    for relpath in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        text = read(tricky, relpath).decode()
        assert "<script>" not in text
        assert "&lt;script&gt;" in text
    assert json.loads(read(tricky, "feeds/all.json"))["items"][0]["title"] == TRICKY_TITLE


def test_production_feeds_use_the_live_address(site):
    write_tricky_site(site)
    # The post's two page-relative links lead nowhere on the site: a production build refuses dead links.
    post = site.content / "blog/brug.md"
    post.write_text(post.read_text(encoding="utf-8").replace(" en [relatief](../andere/)", "")
                    .replace('<img src="images/brug.jpg"', '<img src="/images/brug.jpg"'), encoding="utf-8")
    site.build(production=True)
    text = read(site, "feeds/all.atom.xml").decode()
    assert "https://dorpsplein.voorbeeld.nl/blog/2026/01/" in text
    assert "127.0.0.1" not in text


def test_number_of_items_is_a_setting(site):
    write_tricky_site(site)
    site.build(FEEDS_MAX_ITEMS=1)
    assert len(feedparser.parse(read(site, "feeds/all.rss.xml")).entries) == 1


def test_feeds_are_readable_in_a_browser_through_css(tricky):
    text = read(tricky, "feeds/all.atom.xml").decode()
    assert text.splitlines()[1] == '<?xml-stylesheet type="text/css" href="/feeds/feed.css"?>'
    assert "xsl" not in text.lower()
    assert (tricky.output / "feeds/feed.css").is_file()
    assert 'href="http://127.0.0.1:8000/volgen/"' in text


def test_a_summary_pelican_made_from_html_is_plain_text_without_scripts_or_styles(site):
    site.post("html", "Met opmaak", "2026-01-10 09:00",
              body="Eerste <em>alinea</em> &amp; meer.<!-- opmerking -->\n\n<script>var x = 1;</script>\n\n"
                   "<style>p { color: red; }</style>\n\nTweede.")
    site.build()
    item = read_feed(read(site, "feeds/all.json"))[0]
    assert item.summary == "Eerste alinea & meer. Tweede."


def test_an_item_feedgen_refuses_leaves_nothing_behind_in_the_next_feed():
    """Entries are rendered once each in a reused feed of one (and then copied into every feed)."""
    import datetime

    from dorpsplein.feedwriter import render_atom, render_rss
    from dorpsplein.jsonfeed import Feed, FeedItem

    when = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    untitled = FeedItem(id="https://x.nl/a/", url="https://x.nl/a/", title="", content_html="a", date_published=when)
    good = FeedItem(id="https://x.nl/b/", url="https://x.nl/b/", title="B", content_html="b", date_published=when)
    with pytest.raises(ValueError, match="Required fields"):
        render_rss(Feed("T", "https://x.nl/", "https://x.nl/f", "D", "nl", items=[untitled]))
    feed = Feed("T", "https://x.nl/", "https://x.nl/f", "D", "nl", items=[good, good])
    assert render_rss(feed).count(b"<item>") == 2 and render_atom(feed).count(b"<entry>") == 2
