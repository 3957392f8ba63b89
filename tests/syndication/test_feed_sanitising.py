"""Feed HTML carries only the site's allow-list (dorpsplein/html_policy.py, issue 18): what `check` refuses
in content never reaches a feed reader, even when a post with it is built anyway."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from dorpsplein import html_policy

ROOT = Path(__file__).resolve().parents[2]
BODY = """\
<p onclick="alert(1)" class="intro">Intro met <a href="javascript:alert(2)">een link</a>.</p>
<script>alert(3)</script>
<iframe src="https://video.example/"></iframe><object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name="q"><button>Ok</button></form>
<img src="https://tracker.example/p.gif" alt="pixel"> <img src="/images/a.jpg" alt="Onze foto" width="320">
<a href="data:text/html,<script>alert(4)</script>">data</a> <style>body{display:none}</style>
<details><summary>Meer</summary><p>Tekst met <abbr title="Gemeente">gem.</abbr></p></details>
<table><tr><th scope="col">Kop</th></tr><tr><td colspan="1">Cel</td></tr></table>
<!-- verborgen
"""


# Table parts exist only inside a table, as a browser parses them.
IN_CONTEXT = {"caption": "<table>{}</table>", "thead": "<table>{}</table>", "tbody": "<table>{}</table>",
              "tfoot": "<table>{}</table>", "colgroup": "<table>{}</table>",
              "col": "<table><colgroup>{}</colgroup></table>",
              "tr": "<table><tbody>{}</tbody></table>", "td": "<table><tbody><tr>{}</tr></tbody></table>",
              "th": "<table><tbody><tr>{}</tr></tbody></table>"}


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    from conftest import Site

    site = Site(tmp_path_factory.mktemp("sanitise"))
    (site.content / "images").mkdir()
    shutil.copy(ROOT / "tests/fixtures/bad-content/images/foto.jpg", site.content / "images/a.jpg")
    site.post("gevaarlijk", "Gevaarlijk", "2026-10-01 10:00", BODY, Slug="gevaarlijk")
    site.build(SITEURL="https://x.nl")
    folder = site.output / "feeds"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    return {
        "atom": etree.parse(str(folder / "all.atom.xml")).xpath("string(//a:entry/a:content)", namespaces=ns),
        "rss": etree.parse(str(folder / "all.rss.xml")).xpath(
            "string(//item/c:encoded)", namespaces={"c": "http://purl.org/rss/1.0/modules/content/"}),
        "json": json.loads((folder / "all.json").read_text(encoding="utf-8"))["items"][0]["content_html"],
    }


@pytest.mark.parametrize("kind", ["atom", "rss", "json"])
def test_feed_html_has_nothing_that_runs_loads_or_submits(feeds, kind):
    fragment = lxml_html.fragment_fromstring(feeds[kind], create_parent="div")
    assert fragment.xpath("//script | //style | //iframe | //object | //embed | //form | //input | //button") == []
    assert fragment.xpath("//@*[starts-with(name(), 'on')]") == []
    assert all(not href.startswith(("javascript:", "data:")) for href in fragment.xpath("//@href"))
    assert fragment.xpath("//img/@src") == ["https://x.nl/images/a.jpg"]  # the tracker lost its src
    assert "alert(3)" not in feeds[kind]


@pytest.mark.parametrize("kind", ["atom", "rss", "json"])
def test_feed_html_keeps_what_the_allow_list_allows(feeds, kind):
    fragment = lxml_html.fragment_fromstring(feeds[kind], create_parent="div")
    assert fragment.xpath("//p[@class='intro']/a[not(@href)]/text()") == ["een link"]
    assert fragment.xpath("//details/summary/text()") == ["Meer"]
    assert fragment.xpath("//abbr/@title") == ["Gemeente"]
    assert fragment.xpath("//td/@colspan") == ["1"]
    assert fragment.xpath("//img[@alt='Onze foto']/@width") == ["320"]


def test_the_sanitiser_and_the_check_share_one_list():
    """Every allowed element passes both untouched; every dangerous one is an error and is removed."""
    for tag in sorted(html_policy.ALLOWED_TAGS - {"img", "br", "hr", "wbr", "source"}):
        fragment = IN_CONTEXT.get(tag, "{}").format(f"<{tag}>x</{tag}>")
        assert html_policy.html_findings(fragment) == [], tag
        assert f"<{tag}>" in html_policy.sanitise(fragment, "https://x.nl"), tag
    for tag in sorted(html_policy.DANGEROUS_TAGS):
        assert [f.severity for f in html_policy.html_findings(f"<{tag}>x</{tag}>")] == ["error"], tag
        assert f"<{tag}" not in html_policy.sanitise(f"<p><{tag}>x</{tag}></p>", "https://x.nl"), tag
