"""A synthetic log whose truth the generator knows: every count must come out exactly."""

from __future__ import annotations

import json

from dorpsplein.analytics_schema import OTHER_FEED_READERS, load_month

from .conftest import run


def test_every_aggregate_matches_the_ground_truth(synthetic, tmp_path):
    path, _, truth = synthetic
    report = run([path], tmp_path)
    month = load_month(tmp_path / "2026-11.json")

    assert month["days"] == truth.days
    assert month["requests"]["link_previews"] == truth.link_previews
    for kind in ("people", "bots", "feed_readers"):
        assert month["requests"][kind] == sum(day[kind] for day in truth.days.values())
    assert month["status"] == dict(truth.status)
    assert {k: v for k, v in month["devices"].items() if v} == dict(truth.devices)
    assert month["posts"] == dict(truth.posts)
    assert month["pages"] == dict(truth.pages)
    assert month["not_found"] == {}  # the broken links never existed: counted, never named
    assert month["not_found_total"] == sum(truth.not_found.values())
    assert month["feed_subscribers"] == truth.subscribers
    assert OTHER_FEED_READERS in month["feed_subscribers"]

    referrers = month["referrers"]
    found = {("newsletter", None): referrers["newsletter"], ("direct", None): referrers["direct"]}
    for kind in ("search", "social", "other_sites"):
        found.update({(kind, name): n for name, n in referrers[kind].items()})
    assert found == dict(truth.referrers)

    assert report.malformed_total == truth.malformed == 4
    assert report.malformed[0] == f"{path}:5001"
    assert report.counted == 24_000


def test_the_truth_is_not_trivial(synthetic):
    """Guards the test above: the generator really mixes every kind of visitor."""
    _, lines, truth = synthetic
    text = "".join(lines)
    assert "2001:db8:" in text and "Googlebot" in text and "subscribers" in text and "Mastodon/" in text
    assert sum(day["visitors"] for day in truth.days.values()) > 1000
    assert len({name for kind, name in truth.referrers if kind == "social"}) >= 4
    assert truth.link_previews > 100 and truth.not_found and len(truth.subscribers) == 4
    assert json.dumps(truth.days)  # plain data
