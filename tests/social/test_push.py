"""`push` against our fake servers through the real Mastodon.py and atproto clients."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import threading
import time

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.social import post, push
from dorpsplein.social.ledger import Ledger

from .conftest import MASTODON_TOKEN, SITE, jpeg


@pytest.fixture
def run(settings, environ, sleeps, site):
    def run(**kwargs):
        return push(settings, feed=kwargs.pop("feed", site.feed_path), environ=environ, sleep=sleeps, **kwargs)
    return run


def by_status(report):
    return sorted((o.network, o.status) for o in report.outcomes)


def test_each_post_goes_out_once_and_a_rerun_or_an_edit_posts_nothing(run, site, mastodon, bluesky, ledger_path):
    site.post("een", "Dorpsstraat weer open", tags=("verkeer",))
    site.post("twee", "Repair Café in de bibliotheek", hours_ago=5)
    first = run()
    assert by_status(first) == [("bluesky", "posted")] * 2 + [("mastodon", "posted")] * 2
    assert not first.failed
    assert mastodon.texts[0].startswith("Repair Café in de bibliotheek")  # oldest first
    site.items[0] = dataclasses.replace(site.items[0], title="Dorpsstraat open (gewijzigd)")
    site.write()
    second = run()
    assert by_status(second) == [("bluesky", "already posted")] * 2 + [("mastodon", "already posted")] * 2
    assert len(mastodon.statuses) == 2 and len(bluesky.posts()) == 2
    assert bluesky.count("createSession") == 1  # one login per run, none when there is nothing to do
    archive = Ledger(ledger_path).archive()
    assert {(r.network, r.url) for r in archive} == {(n, i.url) for n in ("mastodon", "bluesky") for i in site.items}
    assert all(r.remote_id and r.remote_url and r.text and r.at and r.account for r in archive)


def test_mastodon_gets_the_image_with_alt_text_after_processing_and_an_idempotency_key(run, site, mastodon):
    site.post("brug", "Nieuwe brug", image=site.image("brug.jpg"), image_alt="Een houten brug over de sloot")
    run(network="mastodon")
    (status,) = mastodon.statuses
    (media,) = status["media_attachments"]
    assert media["description"] == "Een houten brug over de sloot" and media["url"]
    assert mastodon.count("media_status") == mastodon.processing_polls  # waited until processed
    headers = [h for h, (kind, _) in zip(mastodon.seen_headers, mastodon.calls, strict=True) if kind == "statuses"]
    assert headers[0]["Idempotency-Key"].startswith("dorpsplein-")
    assert mastodon.media_files[media["id"]] == (site.root / "images" / "brug.jpg").read_bytes()


def test_bluesky_gets_a_link_card_with_an_uploaded_thumb_langs_and_facets(run, site, bluesky):
    site.post("brug", "Nieuwe brug 🌉", image=site.image("brug.jpg"), image_alt="Een brug", tags=("brug",))
    run(network="bluesky")
    (record,) = bluesky.posts()
    assert record["langs"] == ["nl"]
    external = record["embed"]["external"]
    assert external["uri"] == f"{SITE}/blog/2026/11/brug/" and external["title"] == "Nieuwe brug 🌉"
    assert external["thumb"]["ref"]["$link"] in bluesky.blobs and external["thumb"]["mimeType"] == "image/jpeg"
    data = record["text"].encode("utf-8")
    spans = {f["features"][0]["$type"]: data[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode()
             for f in record["facets"]}
    assert spans == {"app.bsky.richtext.facet#link": "dorpsplein.voorbeeld.nl/blog/2026/11/brug/",
                     "app.bsky.richtext.facet#tag": "#brug"}


def test_share_image_is_the_card_thumb_for_posts_without_an_image(run, site, settings, bluesky):
    site.image("deel.jpg", jpeg(colour=(200, 0, 0)))
    settings["SOCIAL_SHARE_IMAGE"] = "images/deel.jpg"
    site.post("zonder", "Bericht zonder afbeelding")
    run(network="bluesky")
    thumb = bluesky.posts()[0]["embed"]["external"]["thumb"]
    assert thumb["size"] == len(jpeg(colour=(200, 0, 0)))


def test_a_large_image_is_made_small_enough_for_a_bluesky_thumb(run, site, bluesky):
    import os

    from PIL import Image as PILImage
    big = site.root / "images" / "groot.png"
    PILImage.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3)).save(big)
    assert big.stat().st_size > 1_000_000
    site.post("groot", "Groot", image=f"{SITE}/images/groot.png", image_alt="Ruis")
    report = run(network="bluesky")
    assert by_status(report) == [("bluesky", "posted")]
    assert bluesky.posts()[0]["embed"]["external"]["thumb"]["size"] <= 1_000_000


def test_a_validation_error_is_reported_with_the_networks_message_and_not_retried(run, site, mastodon, bluesky):
    site.post("een", "Een")
    mastodon.inject("statuses", "422")
    bluesky.inject("createRecord", "422")
    report = run()
    assert report.failed and by_status(report) == [("bluesky", "rejected"), ("mastodon", "rejected")]
    messages = {o.network: o.message for o in report.outcomes}
    assert messages["mastodon"] == "posting: 422 Validation failed: Text can't be blank"
    assert messages["bluesky"] == ("posting: 400 InvalidRequest: Invalid app.bsky.feed.post record: "
                                   "Record/text too long")
    assert mastodon.count("statuses") == 1 and bluesky.count("createRecord") == 1
    assert by_status(run()) == [("bluesky", "posted"), ("mastodon", "posted")]  # refused ≠ posted: try again


def test_429_waits_as_long_as_retry_after_says(run, site, mastodon, bluesky, sleeps):
    site.post("een", "Een")
    mastodon.inject("statuses", "429")
    bluesky.inject("createRecord", "429")
    report = run()
    assert not report.failed
    assert sleeps == [7.0, 7.0]
    assert len(mastodon.statuses) == 1 and len(bluesky.posts()) == 1


def test_a_retry_after_beyond_the_limit_gives_up_until_the_next_run(run, site, settings, mastodon):
    settings["SOCIAL_RETRY_AFTER_MAX_SECONDS"] = 5
    site.post("een", "Een")
    mastodon.inject("statuses", "429")
    report = run(network="mastodon")
    assert report.outcomes[0].status == "failed"
    assert "retry after 7 s, longer than SOCIAL_RETRY_AFTER_MAX_SECONDS" in report.outcomes[0].message
    assert by_status(run(network="mastodon")) == [("mastodon", "posted")]


def test_server_errors_back_off_exponentially_within_bounds(run, site, settings, mastodon, sleeps):
    settings.update(SOCIAL_RETRIES=3, SOCIAL_RETRY_BASE_SECONDS=1, SOCIAL_RETRY_MAX_SECONDS=3)
    site.post("een", "Een")
    mastodon.inject("statuses", "500", count=4)
    report = run(network="mastodon")
    assert sleeps == [1, 2, 3]
    assert report.outcomes[0].status == "failed" and "gave up after 4 attempts" in report.outcomes[0].message
    assert by_status(run(network="mastodon")) == [("mastodon", "posted")] and len(mastodon.statuses) == 1


def test_one_network_failing_never_stops_the_other(run, site, environ, mastodon, bluesky):
    site.post("een", "Een")
    environ["DORPSPLEIN_MASTODON_TOKEN"] = "wrong-token"
    report = run()
    assert by_status(report) == [("bluesky", "posted"), ("mastodon", "failed")]
    assert report.outcomes[0].message == ("mastodon: checking the access token: access token refused: "
                                          "401 The access token is invalid")
    assert len(bluesky.posts()) == 1 and report.failed


def test_missing_secret_is_named(run, site, environ):
    site.post("een", "Een")
    del environ["DORPSPLEIN_BLUESKY_PASSWORD"]
    report = run(network="bluesky")
    assert report.outcomes[0].message == "bluesky: Bluesky: DORPSPLEIN_BLUESKY_PASSWORD is not set"


def test_bluesky_refreshes_an_expiring_session_instead_of_logging_in_again(run, site, bluesky):
    bluesky.access_lifetime = 60  # the client refreshes 15 minutes before expiry
    for n in range(3):
        site.post(f"p{n}", f"Bericht {n}", hours_ago=n + 1)
    assert not run(network="bluesky").failed
    assert bluesky.count("createSession") == 1 and bluesky.count("refreshSession") >= 1
    assert len(bluesky.posts()) == 3


def test_dry_run_shows_the_posts_and_writes_or_sends_nothing(run, site, mastodon, bluesky, ledger_path):
    site.post("een", "Een", tags=("fietspad",))
    report = run(dry_run=True)
    assert by_status(report) == [("bluesky", "would post"), ("mastodon", "would post")]
    mastodon_post = next(o for o in report.outcomes if o.network == "mastodon")
    assert mastodon_post.text == f"Een\n\nSamenvatting van een.\n\n{SITE}/blog/2026/11/een/\n\n#fietspad"
    assert (mastodon_post.length, mastodon_post.limit) == (len("Een  Samenvatting van een.  ") + 23 + 11, 500)
    assert not ledger_path.exists() and mastodon.calls == [] and bluesky.calls == []


def test_dry_run_of_1000_items_finishes(run, site, settings, ledger_path):
    first = site.post("p0", "Bericht over de Dorpsstraat", tags=("verkeer", "dorpsstraat"))
    site.items = [dataclasses.replace(first, id=f"{SITE}/p{n}/", url=f"{SITE}/p{n}/", title=f"Bericht {n} 🚲",
                                      summary="Werkzaamheden aan de Dorpsstraat. " * (n % 30))
                  for n in range(1000)]
    site.write()
    started = time.perf_counter()
    report = run(dry_run=True)
    elapsed = time.perf_counter() - started
    print(f"\n1,000-item dry run: {elapsed:.2f} s for {len(report.outcomes)} composed posts")
    assert len(report.outcomes) == 2000 and {o.status for o in report.outcomes} == {"would post"}
    assert not ledger_path.exists()


def test_a_feed_from_a_url_downloads_its_images(run, site, tmp_path, mastodon):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site.root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        site.image("brug.jpg")
        site.post("brug", "Brug", image=f"{base}/images/brug.jpg", image_alt="Een brug")
        report = run(network="mastodon", feed=f"{base}/feeds/all.json")
    finally:
        server.shutdown()
        server.server_close()
    assert by_status(report) == [("mastodon", "posted")]
    (media,) = mastodon.statuses[0]["media_attachments"]
    assert mastodon.media_files[media["id"]] == (site.root / "images" / "brug.jpg").read_bytes()


def test_a_missing_image_posts_without_it_and_says_so(run, site, mastodon):
    site.post("weg", "Weg", image=f"{SITE}/images/weg.jpg", image_alt="Er is niets")
    report = run(network="mastodon")
    assert report.outcomes[0].status == "posted"
    message = report.outcomes[0].message
    assert "posted without image:" in message and "weg.jpg: cannot read" in message


def test_a_development_feed_is_refused(settings, environ, site):
    settings.update(SITEURL="", PREVIEW_URL="https://dorpsplein.voorbeeld.nl")
    site.post("een", "Een")
    with pytest.raises(DorpspleinError, match=r"this feed is from a development build"):
        push(settings, feed=site.feed_path, environ=environ)
    assert push(settings, feed=site.feed_path, environ=environ, dry_run=True).outcomes


def test_a_broken_feed_names_the_item_and_field(settings, environ, tmp_path):
    bad = tmp_path / "all.json"
    bad.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "x", "url": "y"}]}))
    with pytest.raises(DorpspleinError, match=r"all.json: items\[0\].title: missing or not text"):
        push(settings, feed=bad, environ=environ)
    with pytest.raises(DorpspleinError, match=r"nergens.json: feed not found"):
        push(settings, feed=tmp_path / "nergens.json", environ=environ)


def test_one_off_post_uses_the_same_limits_and_ledger(settings, environ, sleeps, mastodon, bluesky, tmp_path):
    picture = tmp_path / "oproep.jpg"
    picture.write_bytes(jpeg())
    text = "Volg het Dorpsplein! Vanaf vandaag plaatsen we al ons nieuws ook hier. " * 6
    report = post(settings, text, link=f"{SITE}/volgen/", image=str(picture), alt="Affiche van het Dorpsplein",
                  environ=environ, sleep=sleeps)
    assert by_status(report) == [("bluesky", "posted"), ("mastodon", "posted")]
    assert all(o.length <= o.limit for o in report.outcomes)
    assert bluesky.posts()[0]["embed"]["images"][0]["alt"] == "Affiche van het Dorpsplein"
    assert mastodon.statuses[0]["media_attachments"][0]["description"] == "Affiche van het Dorpsplein"
    again = post(settings, text, link=f"{SITE}/volgen/", image=str(picture), alt="Affiche van het Dorpsplein",
                 environ=environ, sleep=sleeps)
    assert by_status(again) == [("bluesky", "already posted"), ("mastodon", "already posted")]
    with pytest.raises(DorpspleinError, match=r"^--alt: an image needs alt text"):
        post(settings, "Hoi", image=str(picture), environ=environ)


def test_no_secret_in_the_ledger_or_report(run, site, environ, ledger_path, mastodon):
    site.post("een", "Een")
    mastodon.inject("statuses", "500", when="after")
    report = run()
    text = ledger_path.read_text() + repr(report)
    assert MASTODON_TOKEN not in text and environ["DORPSPLEIN_BLUESKY_PASSWORD"] not in text
