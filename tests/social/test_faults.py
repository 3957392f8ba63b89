"""Fault injection on every request kind, each followed by a rerun: every post exists exactly once per network.

`after` faults happen once the server has done the work (the post exists, the answer is lost);
they are the ones that make naive bridges post twice.
"""

from __future__ import annotations

import pytest

from dorpsplein.social import push
from dorpsplein.social.ledger import DONE, Ledger

from .conftest import FAULT_TIMEOUT

FAULTS = ["500", "429", "timeout", "reset"]
# request kind -> when the fault strikes; the reconcile kinds only run after an answer was lost
MASTODON = {"instance": "before", "verify_credentials": "before", "media": "after", "media_status": "before",
            "statuses": "after", "account_statuses": "before"}
BLUESKY = {"createSession": "after", "getProfile": "before", "uploadBlob": "after", "createRecord": "after",
           "getAuthorFeed": "before"}
RECONCILE = {"account_statuses": "statuses", "getAuthorFeed": "createRecord"}


@pytest.fixture
def two_posts(site):
    site.post("brug", "Nieuwe brug", hours_ago=2, image=site.image("brug.jpg"), image_alt="Een houten brug")
    site.post("markt", "Weekmarkt verhuist", hours_ago=1, tags=("markt",))
    return site


def assert_exactly_once(site, mastodon, bluesky, ledger_path, networks=("mastodon", "bluesky")):
    for item in site.items:
        if "mastodon" in networks:
            assert sum(item.url in text for text in mastodon.texts) == 1, item.url
        if "bluesky" in networks:
            assert sum(p["embed"]["external"]["uri"] == item.url for p in bluesky.posts()) == 1, item.url
    done = [(r.network, r.key) for r in Ledger(ledger_path).records if r.status in DONE]
    assert sorted(done) == sorted({(n, i.id) for n in networks for i in site.items})


def scenario(server, kind, fault, when, settings, environ, sleeps, site, network):
    if fault == "timeout":
        settings["SOCIAL_TIMEOUT_SECONDS"] = FAULT_TIMEOUT
    server.inject(kind, fault, when=when)
    if kind in RECONCILE:  # make the post's answer get lost, so the reconcile request runs and meets the fault
        server.inject(RECONCILE[kind], "500", when="after")
    first = push(settings, feed=site.feed_path, network=network, environ=environ, sleep=sleeps)
    second = push(settings, feed=site.feed_path, network=network, environ=environ, sleep=sleeps)
    assert not second.failed, [o.message for o in second.outcomes]
    return first, second


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("kind", sorted(MASTODON))
def test_mastodon_fault_then_rerun(kind, fault, mastodon, settings, environ, sleeps, two_posts, ledger_path):
    scenario(mastodon, kind, fault, MASTODON[kind], settings, environ, sleeps, two_posts, "mastodon")
    assert_exactly_once(two_posts, mastodon, None, ledger_path, ("mastodon",))


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("kind", sorted(BLUESKY))
def test_bluesky_fault_then_rerun(kind, fault, bluesky, settings, environ, sleeps, two_posts, ledger_path):
    scenario(bluesky, kind, fault, BLUESKY[kind], settings, environ, sleeps, two_posts, "bluesky")
    assert_exactly_once(two_posts, None, bluesky, ledger_path, ("bluesky",))
    assert bluesky.count("createSession") <= 3  # one login per run (plus one repeat when its answer was lost)


@pytest.mark.parametrize(("network", "kind"), [("mastodon", "statuses"), ("bluesky", "createRecord")])
def test_a_post_whose_answer_is_lost_every_time_is_found_not_repeated(network, kind, mastodon, bluesky, settings,
                                                                      environ, sleeps, two_posts, ledger_path):
    server = mastodon if network == "mastodon" else bluesky
    settings["SOCIAL_TIMEOUT_SECONDS"] = FAULT_TIMEOUT
    server.inject(kind, "timeout", when="after", count=20)
    report = push(settings, feed=two_posts.feed_path, network=network, environ=environ, sleep=sleeps)
    assert {o.status for o in report.outcomes} == {"posted"}
    assert_exactly_once(two_posts, mastodon, bluesky, ledger_path, (network,))


def test_a_network_down_for_the_whole_run_posts_on_the_next_run(mastodon, bluesky, settings, environ, sleeps,
                                                                two_posts, ledger_path):
    mastodon.inject("statuses", "500", count=50)
    bluesky.inject("createRecord", "reset", count=50)
    first = push(settings, feed=two_posts.feed_path, environ=environ, sleep=sleeps)
    assert first.failed and {o.status for o in first.outcomes} == {"failed"}
    assert mastodon.statuses == [] and bluesky.posts() == []
    mastodon.faults.clear()
    bluesky.faults.clear()
    second = push(settings, feed=two_posts.feed_path, environ=environ, sleep=sleeps)
    assert {o.status for o in second.outcomes} == {"posted"}
    assert_exactly_once(two_posts, mastodon, bluesky, ledger_path)


def test_reconcile_that_cannot_reach_the_account_does_not_post_again(mastodon, settings, environ, sleeps, two_posts,
                                                                      ledger_path):
    mastodon.inject("statuses", "500", when="after", count=1)
    mastodon.inject("account_statuses", "pass")  # the look before posting works; every later one fails
    mastodon.inject("account_statuses", "500", count=50)
    first = push(settings, feed=two_posts.feed_path, network="mastodon", environ=environ, sleep=sleeps)
    # The lost answer was for the first post; it cannot be checked, so it is not posted again this run.
    assert [o.status for o in first.outcomes] == ["failed", "posted"]
    assert "reading the account's recent posts" in first.outcomes[0].message
    mastodon.faults.clear()
    second = push(settings, feed=two_posts.feed_path, network="mastodon", environ=environ, sleep=sleeps)
    assert {(o.label, o.status) for o in second.outcomes} == {("Nieuwe brug", "reconciled"),
                                                              ("Weekmarkt verhuist", "already posted")}
    assert_exactly_once(two_posts, mastodon, None, ledger_path, ("mastodon",))


def test_an_account_that_cannot_be_read_posts_nothing(mastodon, settings, environ, sleeps, two_posts, ledger_path):
    """Not in the ledger is not enough: without a look at the account, nothing is posted."""
    mastodon.inject("account_statuses", "500", count=50)
    report = push(settings, feed=two_posts.feed_path, network="mastodon", environ=environ, sleep=sleeps)
    assert [o.status for o in report.outcomes] == ["failed", "failed"] and mastodon.count("statuses") == 0
    assert report.errors == ["mastodon: reading the account's recent posts (gave up after 5 attempts): "
                             "500 Internal Server Error"]
    mastodon.faults.clear()
    assert not push(settings, feed=two_posts.feed_path, network="mastodon", environ=environ, sleep=sleeps).failed
    assert_exactly_once(two_posts, mastodon, None, ledger_path, ("mastodon",))
