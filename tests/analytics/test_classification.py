"""Log lines, user agents and referrers: each rule on real-world examples."""

from __future__ import annotations

import pytest

from dorpsplein.analytics.counting import LineCounter, SiteShape
from dorpsplein.analytics.logline import COMBINED, day_of
from dorpsplein.analytics.referrers import ReferrerClassifier
from dorpsplein.analytics.useragents import BOT, FEED, PERSON, AgentClassifier

from .conftest import CHROME, IPHONE


@pytest.mark.parametrize("text", [
    '2001:db8::1 - - [28/Nov/2026:13:55:36 +0100] "GET /blog/ HTTP/2.0" 200 5120 "-" "Mozilla/5.0"',
    '203.0.113.9 - jan [28/Nov/2026:13:55:36 -0500] "GET /a\\"b HTTP/1.1" 404 - "https://x.example/" "ua \\"q\\""',
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "\\x16\\x03\\x01" 400 157 "-" "-"',
])
def test_combined_lines_parse(text):
    fields = COMBINED.match(text.encode())
    assert fields is not None
    assert day_of(fields[2][:11]) == "2026-11-28"


@pytest.mark.parametrize("text", [
    "",
    "garbage",
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 200 512',  # common, not combined
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 999 512 "-" "-"',  # no such status
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 200 512 "-" "-" trailing',
])
def test_other_lines_do_not(text):
    assert COMBINED.match(text.encode()) is None


@pytest.mark.parametrize("date, day", [(b"28/Nov/2026", "2026-11-28"), (b"01/Jan/2027", "2027-01-01"),
                                       (b"31/Feb/2026", None), (b"28/Foo/2026", None), (b"2026-11-28!", None)])
def test_dates(date, day):
    assert day_of(date) == day


KNOWN = frozenset({"/blog/2026/11/x/", "/over-ons/", "/feeds/all.atom.xml", "/caf%C3%A9/", "/café/"})


def test_requests():
    request = LineCounter(SiteShape(known_paths=KNOWN)).request
    assert request(b"GET /blog/2026/11/x/?utm_source=mastodon HTTP/1.1") == (
        True, "post", "/blog/2026/11/x/", "utm_source=mastodon")
    assert request(b"GET /over-ons/index.html HTTP/1.1") == (True, "page", "/over-ons/", "")
    assert request(b"GET /over-ons/?q=jan.jansen%40example.org HTTP/1.1")[2] == "/over-ons/"  # never the query
    assert request(b"HEAD /feeds/all.atom.xml HTTP/1.1") == (False, "feed", "/feeds/all.atom.xml", "")
    assert request(b"GET /theme/css/dorpsplein.css HTTP/2.0")[1] == "asset"
    assert request(b"GET /caf%C3%A9/ HTTP/1.1")[2] is None  # only plain lower-case ASCII paths are named
    assert request(b"GET /blog/2026/11/y/ HTTP/1.1") == (True, "post", None, "")  # not on the site
    assert request(b"-") == (False, "asset", None, "")
    assert request(b"GET http://elders.example/ HTTP/1.1") == (False, "asset", None, "")  # a proxy probe


HOSTILE = ["/x%3Cscript%3Ealert(2)%3C/script%3E", "/afmelden/jan.jansen@example.org/BSN-123456782/",
           "/afmelden/eyJrIjoiYWJjIn0.Z0x1Ag.dGhpc2lzYXNpZ25hdHVyZQ/", "/bevestigen/abc/", "/formulieren/contact",
           "/x/123456/", "/x/Jan.Jansen/", "/x/3f9a0c1b2d4e5f60/",
           "/x/%22%3E%3Cimg%20src%3Dx%3E/", "/x/jan@example.org/", "//over-ons/", "/over-ons/%0D%0ASet-Cookie:a",
           "/" + "a" * 300 + "/"]


@pytest.mark.parametrize("path", HOSTILE)
def test_a_hostile_path_is_never_named_even_when_the_site_has_it(path):
    """Even a path in the list of the site's addresses is named only when it passes the publishing rule."""
    from urllib.parse import unquote

    request = LineCounter(SiteShape(known_paths=frozenset({path, unquote(path.split("?")[0])}))).request
    assert request(f"GET {path} HTTP/1.1".encode())[2] is None


AGENTS = [
    (CHROME, PERSON, "desktop", None, None),
    (IPHONE, PERSON, "mobile", None, None),
    ("Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
     "Mobile/15E148 Safari/604.1", PERSON, "tablet", None, None),
    ("Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36", PERSON, "tablet", None, None),
    ("Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Mobile Safari/537.36", PERSON, "mobile", None, None),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", BOT, "other", None, None),
    ("python-requests/2.32.3", BOT, "other", None, None),
    ("-", BOT, "other", None, None),
    ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; like FeedFetcher-Google)",
     FEED, "other", "Feedly", 42),
    ("NewsBlur Feed Fetcher - 5 subscribers - https://www.newsblur.com/site/1/x (Mozilla/5.0)",
     FEED, "other", "NewsBlur", 5),
    ("Mozilla/5.0 (compatible; theoldreader.com; 3 subscribers; feed-id=1)", FEED, "other", "The Old Reader", 3),
    ("Lezer/2.0 (+https://lezer.example; 17 subscribers)", FEED, "other", "Lezer", 17),
    ("Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)", FEED, "other", "Miniflux", None),
]


@pytest.mark.parametrize("ua, kind, device, aggregator, subscribers", AGENTS, ids=[a[0][:40] for a in AGENTS])
def test_user_agents(ua, kind, device, aggregator, subscribers):
    agent = AgentClassifier()(ua.encode())
    assert (agent.kind, agent.device, agent.aggregator, agent.subscribers) == (kind, device, aggregator, subscribers)


@pytest.mark.parametrize("ua", ["http.rb/5.2.0 (Mastodon/4.3.2; +https://mastodon.nl/)",
                                "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
                                "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                                "WhatsApp/2.23.20.0 A"])
def test_link_preview_fetchers_are_bots(ua):
    agent = AgentClassifier()(ua.encode())
    assert (agent.kind, agent.link_preview) == (BOT, True)


def test_each_agent_is_classified_once():
    classify = AgentClassifier()
    first = classify(CHROME.encode())
    assert classify(CHROME.encode()) is first
    assert len(classify) == 1


@pytest.mark.parametrize("referrer, query, expected", [
    ("https://www.google.nl/", "", ("search", "Google")),
    ("https://www.google.co.uk/search?q=x", "", ("search", "Google")),
    ("https://duckduckgo.com/", "", ("search", "DuckDuckGo")),
    ("https://l.facebook.com/l.php?u=x", "", ("social", "Facebook")),
    ("https://mastodon.social/@gemeente", "", ("social", "Mastodon")),
    ("https://social.overheid.nl/@voorbeeld", "", ("social", "Mastodon")),
    ("https://bsky.app/profile/x", "", ("social", "Bluesky")),
    ("https://t.co/abc", "", ("social", "X (Twitter)")),
    ("-", "utm_source=mastodon", ("social", "Mastodon")),
    ("-", "utm_medium=email&utm_source=nieuwsbrief", ("newsletter", None)),
    ("https://mail.google.com/", "", ("newsletter", None)),
    ("android-app://com.google.android.gm", "", ("newsletter", None)),
    ("https://www.voorbeeld.nl/blog/", "", ("direct", None)),  # our own site: not a way in
    ("-", "", ("direct", None)),
    ("https://buurt.example.org/links", "", ("other_sites", "buurt.example.org")),
    ("https://user@www.Example.COM:8443/x", "", ("other_sites", "example.com")),
])
def test_referrers(referrer, query, expected):
    assert ReferrerClassifier(frozenset({"www.voorbeeld.nl"}))(referrer.encode(), query) == expected


@pytest.mark.parametrize("text", [
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n',
    '2001:db8::1 - jan [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 304 - "https://x.example/" "curl/8"\r\n',
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET /a\\"b HTTP/1.1" 404 - "-" "ua \\"q\\""\n',
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 200 512 "-" "-" trailing\n',
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 600 512 "-" "-"\n',
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 200 5x2 "-" "-"\n',
    '203.0.113.9 [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 200 512 "-" "-"\n',
    ' - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 200 512 "-" "-"\n',
    '203.0.113.9 - - [28/Nov/2026:13:55:36 +0100] "GET / HTTP/1.1" 200 512 "-"\n',
])
def test_the_fast_parser_agrees_with_the_regular_expression(text):
    from dorpsplein.analytics.logline import parse

    expected = COMBINED.match(text.encode())
    assert parse(text.encode()) == (expected.groups() if expected else None)
