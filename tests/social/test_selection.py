"""Which posts go out: share, expiry, future dates, the age limit, category and tag filters."""

from __future__ import annotations

import datetime

from dorpsplein.jsonfeed import FeedItem
from dorpsplein.social.config import social_config
from dorpsplein.social.selection import select

NOW = datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC)


def item(slug, days_ago=1.0, **fields):
    url = f"https://dorpsplein.voorbeeld.nl/blog/{slug}/"
    fields.setdefault("category", "Nieuws")
    return FeedItem(id=url, url=url, title=slug, content_html="",
                    date_published=NOW - datetime.timedelta(days=days_ago), **fields)


def reasons(items, **settings):
    eligible, skipped = select(items, social_config(settings), NOW)
    return [i.title for i in eligible], {s.item.title: s.reason for s in skipped}


def test_eligible_posts_come_oldest_first():
    eligible, skipped = reasons([item("nieuw", 0.5), item("ouder", 3)])
    assert eligible == ["ouder", "nieuw"] and skipped == {}


def test_share_expiry_future_and_age():
    items = [item("niet-delen", share=False),
             item("verlopen", expires=NOW - datetime.timedelta(hours=1)),
             item("toekomst", days_ago=-1),
             item("oud", days_ago=8),
             item("nog-geldig", expires=NOW + datetime.timedelta(days=30))]
    eligible, skipped = reasons(items)
    assert eligible == ["nog-geldig"]
    assert skipped["niet-delen"] == "Share: no"
    assert skipped["verlopen"].startswith("expired on")
    assert skipped["toekomst"].startswith("dated in the future")
    assert skipped["oud"] == "older than 7 days (SOCIAL_MAX_AGE_DAYS)"
    assert reasons([item("oud", days_ago=8)], SOCIAL_MAX_AGE_DAYS=10)[0] == ["oud"]


def test_category_and_tag_filters():
    items = [item("nieuws"), item("bekend", category="Bekendmakingen"), item("intern", tags=("intern",)),
             item("verkeer", tags=("Verkeer", "dorpsstraat"))]
    assert reasons(items, SOCIAL_EXCLUDE_CATEGORIES=["bekendmakingen"])[1] == {
        "bekend": "category 'Bekendmakingen' in SOCIAL_EXCLUDE_CATEGORIES"}
    eligible, skipped = reasons(items, SOCIAL_INCLUDE_CATEGORIES=["Bekendmakingen"])
    assert eligible == ["bekend"] and len(skipped) == 3
    assert reasons(items, SOCIAL_EXCLUDE_TAGS=["intern"])[1] == {"intern": "tag 'intern' in SOCIAL_EXCLUDE_TAGS"}
    assert reasons(items, SOCIAL_INCLUDE_TAGS="verkeer")[0] == ["verkeer"]
