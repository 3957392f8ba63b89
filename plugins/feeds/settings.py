"""The feeds plugin's settings and their defaults, merged in one place."""

from __future__ import annotations

DEFAULTS = {
    "FEEDS_ALL_ATOM": "feeds/all.atom.xml",
    "FEEDS_ALL_RSS": "feeds/all.rss.xml",
    "FEEDS_ALL_JSON": "feeds/all.json",
    "FEEDS_CATEGORY_ATOM": "feeds/categorie/{slug}.atom.xml",
    "FEEDS_CATEGORY_RSS": "feeds/categorie/{slug}.rss.xml",
    "FEEDS_TAG_ATOM": "feeds/onderwerp/{slug}.atom.xml",
    "FEEDS_TAG_RSS": "feeds/onderwerp/{slug}.rss.xml",
    "FEEDS_MAX_ITEMS": 50,
    "FEEDS_STYLESHEET": "feeds/feed.css",
    "FEEDS_PAGE_URL": "volgen/",
    # Feed readers offered on the feeds page: (name, subscribe URL with {url} for the encoded feed URL).
    "FEEDS_READERS": [
        ("Feedly", "https://feedly.com/i/subscription/feed/{url}"),
        ("Inoreader", "https://www.inoreader.com/?add_feed={url}"),
        ("NewsBlur", "https://www.newsblur.com/?url={url}"),
        ("The Old Reader", "https://theoldreader.com/feeds/subscribe?url={url}"),
    ],
}


def feed_settings(settings: dict) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}
