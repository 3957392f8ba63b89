"""Share and follow links on real builds: our theme renders them, Pelican's notmyidea gets them injected."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pelican
import pytest
from bs4 import BeautifulSoup

from dorpsplein.settings import ROOT
from plugins.share.inject import BLOCK_CLASS

TRICKY = 'Q&A: "Snoeien" #molenweg? 100% 🌳'
NOTMYIDEA = str(Path(pelican.__file__).parent / "themes/notmyidea")
ARTICLE = "blog/2026/11/qa-snoeien-molenweg-100/index.html"
CHANNELS = """
[[channels]]
network = "mastodon"
name = "Mastodon"
handle = "@gemeente@social.overheid.nl"
url = "https://social.overheid.nl/@gemeente"

[[channels]]
network = "youtube"
name = "YouTube"
url = "https://www.youtube.com/@gemeente"

[[related]]
name = "Bibliotheek"
description = "activiteiten"
mastodon = "@bieb@social.overheid.nl"
bluesky = "bieb.bsky.social"
url = "https://www.bieb.nl"
"""


def parse(site, relpath) -> BeautifulSoup:
    return BeautifulSoup(site.html(relpath), "html.parser")


@pytest.fixture
def built(site):
    site.post("q", TRICKY, "2026-11-01 10:00", Summary="Kort.")
    site.write("pages/info.md", "Title: Info & uitleg\n\nTekst.\n")
    site.write("pages/welkom.md", "Title: Welkom\nSave_as: index.html\nURL:\nTemplate: home\n\nHallo.\n")
    site.write("pages/kanalen.md", "Title: Kanalen\nSlug: kanalen\nTemplate: channels\n\nOnze kanalen.\n")
    site.write("channels.toml", CHANNELS)
    assert site.build(SITEURL="https://x.nl").warnings == []
    return site


def test_article_share_links_decode_to_the_exact_title_and_address(built):
    links = parse(built, ARTICLE).select("main article section.share a.share__link")
    assert [a.get_text(" ", strip=True) for a in links] == [
        f"Delen via {n}" for n in ("Mastodon", "Bluesky", "LinkedIn", "Facebook", "WhatsApp", "E-mail")]
    mastodon = links[0]["href"]
    assert mastodon.startswith("https://social.overheid.nl/share?")
    assert parse_qs(urlsplit(mastodon).query) == {"text": [f"{TRICKY} https://x.nl/blog/2026/11/qa-snoeien-molenweg-100/"]}
    assert mastodon == f"https://social.overheid.nl/share?{urlsplit(links[0]['href']).query}"
    assert links[0]["data-share-mastodon"] == f"{TRICKY} https://x.nl/blog/2026/11/qa-snoeien-molenweg-100/"
    assert parse_qs(urlsplit(links[5]["href"]).query) == {
        "subject": [TRICKY], "body": ["https://x.nl/blog/2026/11/qa-snoeien-molenweg-100/"]}


def test_share_block_loads_nothing_and_hides_what_needs_javascript(built):
    page = parse(built, ARTICLE)
    section = page.select_one("section.share")
    assert all(svg["aria-hidden"] == "true" for svg in section.select("svg"))
    assert section.select_one("[data-share-copy]").find_parent("li").has_attr("hidden")
    assert section.select("iframe, img") == []
    assert [s.get("src") for s in page.select("script[src]")] == ["https://x.nl/theme/js/share.js"]
    assert [s.string for s in page.select("script:not([src]):not([type='application/ld+json'])")] == []
    assert (built.output / "theme/js/share.js").is_file()


def test_pages_have_share_links_but_the_home_page_has_none(built):
    info = parse(built, "info-uitleg/index.html").select_one("main article section.share")
    assert parse_qs(urlsplit(info.select_one("a")["href"]).query)["text"] == ["Info & uitleg https://x.nl/info-uitleg/"]
    assert parse(built, "index.html").select_one("section.share") is None


def test_feeds_and_summaries_keep_the_plain_text(built):
    feed = json.loads((built.output / "feeds/all.json").read_text(encoding="utf-8"))
    assert "share" not in feed["items"][0]["content_html"]
    assert "Delen" not in feed["items"][0]["content_html"]


def test_follow_links_are_in_every_footer_with_rel_me_on_mastodon(built):
    for relpath in ("index.html", ARTICLE, "blog/index.html"):
        links = parse(built, relpath).select("footer .follow-links a")
        assert [(a.get_text(strip=True), a["href"], a.get("rel")) for a in links] == [
            ("Mastodon", "https://social.overheid.nl/@gemeente", ["me"]),
            ("YouTube", "https://www.youtube.com/@gemeente", None)], relpath
        assert all(svg["aria-hidden"] == "true" for a in links for svg in a.select("svg"))


def test_channels_page_lists_our_accounts_and_the_related_ones(built):
    page = parse(built, "kanalen/index.html")
    own = page.select_one("section[aria-labelledby=onze-accounts]")
    assert [a.get_text(" ", strip=True) for a in own.select("a")] == [
        "Mastodon: @gemeente@social.overheid.nl", "YouTube"]
    related = page.select_one("section[aria-labelledby=ons-netwerk]")
    assert [a["href"] for a in related.select("a")] == [
        "https://www.bieb.nl", "https://social.overheid.nl/@bieb", "https://bsky.app/profile/bieb.bsky.social"]
    assert related.select_one("a").get_text(" ", strip=True) == "Website Bibliotheek"


def test_a_bad_channel_list_fails_the_build_naming_the_field(site):
    site.write("channels.toml", '[[channels]]\nnetwork = "myspace"\nname = "M"\nurl = "https://m.example"\n')
    with pytest.raises(Exception, match=r"channels\[0\]\.network: unknown network 'myspace'"):
        site.build()


def test_notmyidea_gets_a_share_block_after_the_article_content(site):
    site.post("q", TRICKY, "2026-11-01 10:00")
    site.write("pages/info.md", "Title: Info\n\nTekst.\n")
    # In a fresh process: Pelican's signals are process-wide, so plugins other tests loaded would stay connected.
    code = f"""
from dorpsplein.build import build
from dorpsplein.settings import load_settings
s = load_settings(content={str(site.content)!r}, output={str(site.output)!r}, extra=dict(
    THEME={NOTMYIDEA!r}, PLUGINS=["feeds", "share"], SITEURL="https://x.nl", DIRECT_TEMPLATES=["index"],
    CACHE_PATH={str(site.content.parent / 'cache')!r}))
print(build(s, quiet=True).warnings)
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
    for relpath, container, text in ((ARTICLE, "div.entry-content", "Tekst van het bericht."),
                                     ("info/index.html", "#content", "Tekst.")):
        page = parse(site, relpath)
        assert len(page.select(f"aside.{BLOCK_CLASS}")) == 1
        block = page.select_one(f"{container} aside.{BLOCK_CLASS}")
        assert block.find_previous_sibling("p").get_text() == text
        assert len(block.select("a")) == 6
    mastodon = parse(site, ARTICLE).select_one(f"aside.{BLOCK_CLASS} a")["href"]
    assert parse_qs(urlsplit(mastodon).query) == {"text": [f"{TRICKY} https://x.nl/blog/2026/11/qa-snoeien-molenweg-100/"]}
    feed = (site.output / "feeds/all.json").read_text(encoding="utf-8")
    assert BLOCK_CLASS not in feed
    # The blog index shows the summary, which must not have picked up the injected block.
    assert "Delen via" not in site.html("blog/index.html")
