"""Exactly once without trusting the ledger: two checkouts (two ledgers), one after the other or at once.

Each network's account is looked at before a post, whatever the ledger says; on Bluesky a feed item
always goes under the same record key, so the server itself refuses a second copy.
"""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from dorpsplein.social import push
from dorpsplein.social.ledger import DONE, RECONCILED, Ledger, item_tid

from .conftest import ROOT
from .fakes.base import Reply
from .fakes.bluesky import TID_RE
from .test_crash import cli_env
from .test_faults import assert_exactly_once

S32 = "234567abcdefghijklmnopqrstuvwxyz"


def decode_tid(tid: str) -> tuple[int, int]:
    value = 0
    for char in tid:
        value = value * 32 + S32.index(char)
    return value >> 10, value & 0x3FF


def statuses(report) -> list[tuple[str, str, str]]:
    return sorted((o.network, o.label, o.status) for o in report.outcomes)


@pytest.fixture
def three_posts(site):
    site.post("brug", "Nieuwe brug", hours_ago=3, image=site.image("brug.jpg"), image_alt="Een houten brug")
    site.post("markt", "Weekmarkt verhuist", hours_ago=2, tags=("markt",))
    site.post("raad", "Raadsvergadering", hours_ago=1)
    return site


def test_an_items_record_key_is_a_valid_tid_from_its_date_and_id():
    date = datetime.datetime(2026, 11, 28, 9, 0, 0, tzinfo=datetime.UTC)
    key = item_tid("https://dorpsplein.voorbeeld.nl/blog/2026/11/brug/", date)
    assert TID_RE.match(key) and len(key) == 13
    assert key == item_tid("https://dorpsplein.voorbeeld.nl/blog/2026/11/brug/", date)  # on every machine
    micros, _ = decode_tid(key)
    assert micros // 1_000_000 == int(date.timestamp())  # the item's date, to the second
    others = {item_tid(f"tag:dorpsplein.voorbeeld.nl,2026:post-{n}", date) for n in range(2000)}
    assert len(others) == 2000 and all(TID_RE.match(tid) for tid in others)  # same date, different keys
    later = item_tid("https://dorpsplein.voorbeeld.nl/blog/2026/11/brug/", date + datetime.timedelta(seconds=1))
    assert later > key  # sortable by time, as TIDs are


def test_a_second_checkout_with_an_empty_ledger_posts_nothing_again(settings, environ, sleeps, mastodon, bluesky,
                                                                     three_posts, tmp_path):
    first = push(settings, feed=three_posts.feed_path, environ=environ, sleep=sleeps)
    assert {o.status for o in first.outcomes} == {"posted"}
    mastodon.forget_idempotency_keys()  # more than an hour later: Mastodon's key no longer helps
    posts_before = (mastodon.count("statuses"), bluesky.count("createRecord"))
    other = tmp_path / "andere-checkout" / "social-ledger.jsonl"
    second = push(settings, feed=three_posts.feed_path, environ=environ, sleep=sleeps, ledger_path=other)
    assert not second.failed
    assert {o.status for o in second.outcomes} == {"already posted"}
    assert {o.message for o in second.outcomes} == {"found on the account (posted by another run or by hand)"}
    assert (mastodon.count("statuses"), bluesky.count("createRecord")) == posts_before  # not even tried
    assert_exactly_once(three_posts, mastodon, bluesky, other)
    # The other checkout's ledger now holds the posts as they are on the account, for the archive.
    found = {(r.network, r.key): r for r in Ledger(other).records}
    for record in Ledger(settings["SOCIAL_LEDGER"]).archive():
        again = found[(record.network, record.key)]
        assert again.status == RECONCILED and again.remote_id == record.remote_id
        assert again.remote_url == record.remote_url and again.url == record.url


@pytest.mark.parametrize("refusal", [
    None,  # today's PDS: 500 InternalServerError
    Reply(400, {"error": "RecordAlreadyExists", "message": "Record already exists"}),  # an explicit one (atproto#4728)
    Reply(409, {"error": "Conflict", "message": "Record already exists"}),
], ids=["500", "400-exists", "409"])
def test_bluesky_itself_refuses_a_second_copy_under_the_items_record_key(refusal, settings, environ, sleeps, bluesky,
                                                                          three_posts, tmp_path):
    bluesky.indexing = False  # the AppView lags: the author feed does not show the posts yet
    bluesky.duplicate_reply = refusal or bluesky.duplicate_reply
    first = push(settings, feed=three_posts.feed_path, network="bluesky", environ=environ, sleep=sleeps)
    assert {o.status for o in first.outcomes} == {"posted"}
    keys = {uri.rsplit("/", 1)[-1] for uri in bluesky.records}
    assert keys == {item_tid(item.id, item.date_published) for item in three_posts.items}
    other = tmp_path / "andere-checkout.jsonl"
    second = push(settings, feed=three_posts.feed_path, network="bluesky", environ=environ, sleep=sleeps,
                  ledger_path=other)
    assert not second.failed and {o.status for o in second.outcomes} == {"already posted"}
    assert {o.message for o in second.outcomes} == {
        "the server already held it under its key (posted by another run at the same time)"}
    assert bluesky.count("createRecord") == 6 and len(bluesky.posts()) == 3  # refused, and nothing more
    assert_exactly_once(three_posts, None, bluesky, other, ("bluesky",))
    records = [r for r in Ledger(other).records if r.status in DONE]
    assert {r.remote_id for r in records} == set(bluesky.records)
    assert {r.text for r in records} == {p["text"] for p in bluesky.posts()}  # the text as it is there


def test_the_account_is_read_back_to_the_oldest_post_and_no_further(settings, environ, sleeps, mastodon, bluesky,
                                                                     site):
    now = datetime.datetime.now(datetime.UTC)
    old = site.post("oud", "Bericht van drie dagen terug", hours_ago=72)
    site.post("nieuw", "Nieuw bericht", hours_ago=1)
    for n in range(200):  # long before: never read
        moment = now - datetime.timedelta(days=10, minutes=n)
        mastodon.seed_status(f"Ouder bericht {n}", moment)
        bluesky.seed_post(f"Ouder bericht {n}", None, moment)
    # The old item went out by hand (or from a checkout whose ledger we lack), 100 posts ago.
    mastodon.seed_status(f"Al eerder geplaatst\n\n{old.url}", now - datetime.timedelta(hours=71))
    bluesky.seed_post("Al eerder geplaatst", old.url, now - datetime.timedelta(hours=71))
    for n in range(100):
        moment = now - datetime.timedelta(hours=70) + datetime.timedelta(minutes=n)
        mastodon.seed_status(f"Tussendoor {n}", moment)
        bluesky.seed_post(f"Tussendoor {n}", None, moment)
    report = push(settings, feed=site.feed_path, environ=environ, sleep=sleeps)
    assert statuses(report) == [("bluesky", "Bericht van drie dagen terug", "already posted"),
                                ("bluesky", "Nieuw bericht", "posted"),
                                ("mastodon", "Bericht van drie dagen terug", "already posted"),
                                ("mastodon", "Nieuw bericht", "posted")]
    # 101 posts back to the old item, pages of 40: three pages, the third reaching past its date - 1 day.
    assert mastodon.count("account_statuses") == 3 and bluesky.count("getAuthorFeed") == 3


def test_only_one_page_is_read_when_every_post_is_new(settings, environ, sleeps, mastodon, bluesky, site):
    now = datetime.datetime.now(datetime.UTC)
    for n in range(300):
        moment = now - datetime.timedelta(days=2, minutes=n)
        mastodon.seed_status(f"Ouder bericht {n}", moment)
        bluesky.seed_post(f"Ouder bericht {n}", None, moment)
    site.post("een", "Een", hours_ago=1)
    assert not push(settings, feed=site.feed_path, environ=environ, sleep=sleeps).failed
    assert mastodon.count("account_statuses") == 1 and bluesky.count("getAuthorFeed") == 1


def test_the_account_is_looked_at_also_without_an_open_intent(
        settings, environ, sleeps, mastodon, bluesky, site):
    item = site.post("een", "Dorpsstraat weer open", hours_ago=1)
    bluesky.seed_post("Met de hand geplaatst", item.url, item.date_published + datetime.timedelta(minutes=5))
    mastodon.seed_status(f"Met de hand geplaatst: {item.url}", item.date_published + datetime.timedelta(minutes=5))
    report = push(settings, feed=site.feed_path, environ=environ, sleep=sleeps)
    assert {o.status for o in report.outcomes} == {"already posted"}
    assert mastodon.count("statuses") == 0 and bluesky.count("createRecord") == 0


def test_two_pushes_at_the_same_moment_with_two_ledgers_post_each_item_once(mastodon, bluesky, environ, three_posts,
                                                                             tmp_path):
    # Both processes read the account before either posts, so both go on to post every item.
    mastodon.rendezvous("account_statuses", 2)
    bluesky.rendezvous("getAuthorFeed", 2)
    ledgers = [tmp_path / "a" / "ledger.jsonl", tmp_path / "b" / "ledger.jsonl"]
    processes = [subprocess.Popen([sys.executable, "tasks.py", "social", "push", "--feed", str(three_posts.feed_path),
                                   "--ledger", str(ledger)], cwd=ROOT, env=cli_env(mastodon, bluesky, environ),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for ledger in ledgers]
    outputs = [process.communicate(timeout=300)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert mastodon.count("account_statuses") >= 2 and bluesky.count("getAuthorFeed") >= 2
    assert bluesky.count("createRecord") == 6  # both tried every item: the PDS refused the second copies
    for ledger in ledgers:
        assert_exactly_once(three_posts, mastodon, bluesky, ledger)
    assert len(mastodon.statuses) == 3 and len(bluesky.posts()) == 3
    # On Bluesky one process made each post, the other was refused and recorded the existing one.
    records = [r for ledger in ledgers for r in Ledger(ledger).records if r.network == "bluesky"]
    for item in three_posts.items:
        assert sorted(r.status for r in records if r.key == item.id and r.status in DONE) == ["posted", "reconciled"]
