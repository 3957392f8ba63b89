"""dorpsplein.jsonfeed: what the build writes, the pushers read back unchanged; bad feeds name the field."""

from __future__ import annotations

import datetime
import json
from zoneinfo import ZoneInfo

import pytest

from dorpsplein.feedwriter import render_json
from dorpsplein.jsonfeed import Feed, FeedError, FeedItem, read_feed

AMS = ZoneInfo("Europe/Amsterdam")


def item(**changes) -> FeedItem:
    base = dict(id="https://x.nl/a/", url="https://x.nl/a/", title="Titel", content_html="<p>Tekst</p>",
                date_published=datetime.datetime(2026, 11, 1, 9, tzinfo=AMS),
                date_modified=datetime.datetime(2026, 11, 2, 9, tzinfo=AMS), summary="Kort",
                authors=("Jan",), tags=("verkeer",), image="https://x.nl/i.jpg", category="Nieuws",
                share=False, social_text="Eigen tekst", image_alt="Een brug",
                expires=datetime.datetime(2026, 12, 1, tzinfo=AMS), language="nl")
    return FeedItem(**{**base, **changes})


def feed(*items) -> Feed:
    return Feed(title="T", home_page_url="https://x.nl/", feed_url="https://x.nl/feeds/all.json",
                description="D", language="nl", items=list(items))


def test_round_trip_keeps_every_field_the_pushers_use():
    original = item()
    (back,) = read_feed(render_json(feed(original)))
    # enclosure size and type are for RSS/Atom only; everything else comes back
    assert back == original


def test_extension_keeps_its_nulls():
    data = json.loads(render_json(feed(item(social_text=None, image_alt=None, expires=None))))
    assert data["items"][0]["_dorpsplein"] == {"category": "Nieuws", "share": False, "social_text": None,
                                               "image_alt": None, "expires": None}


def test_feed_updated_is_the_newest_item_change():
    assert feed(item(), item(id="b", date_modified=None)).updated == datetime.datetime(2026, 11, 2, 9, tzinfo=AMS)
    assert feed().updated is None


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["items"][0].pop("id"), "items[0].id: missing or not text"),
    (lambda d: d["items"][0].update(date_published="gisteren"), "items[0].date_published: 'gisteren' is not"),
    (lambda d: d["items"][0].update(date_published="2026-11-01T09:00:00"), "has no time zone"),
    (lambda d: d["items"][0]["_dorpsplein"].update(share="nee"), "items[0]._dorpsplein.share: must be true or false"),
    (lambda d: d.update(version="1"), "version: not a JSON Feed"),
    (lambda d: d.pop("items"), "items: missing or not a list"),
])
def test_a_broken_feed_names_the_field(mutate, message):
    data = json.loads(render_json(feed(item())))
    mutate(data)
    with pytest.raises(FeedError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_feed(json.dumps(data))


def test_not_json_is_a_clear_error():
    with pytest.raises(FeedError, match="^not JSON: "):
        read_feed("<html>")
