"""The Bluesky record key of a post with a stable tag: id stays when the post moves to another date."""

from __future__ import annotations

import datetime

from dorpsplein.social.ledger import item_tid

NOV = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
OCT = datetime.datetime(2026, 10, 20, 10, 0, tzinfo=datetime.UTC)


def test_a_tag_id_keeps_its_record_key_through_a_new_date():
    key = "tag:dorpsplein.voorbeeld.nl,2026-11-20:/markt"
    assert item_tid(key, NOV) == item_tid(key, OCT)
    assert item_tid(key, NOV) != item_tid("tag:dorpsplein.voorbeeld.nl,2026-11-20:/kermis", NOV)


def test_a_url_id_still_takes_the_items_date():
    key = "https://dorpsplein.voorbeeld.nl/blog/2026/11/markt/"
    assert item_tid(key, NOV) != item_tid(key, OCT)
