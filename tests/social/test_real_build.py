"""From a real Pelican build (plugins/feeds writes feeds/all.json) to both fake networks."""

from __future__ import annotations

import datetime

from dorpsplein.build import build
from dorpsplein.settings import load_settings
from dorpsplein.social import push

from .conftest import SITE, jpeg


def test_a_real_build_pushes_its_new_shared_posts(tmp_path, settings, environ, sleeps, mastodon, bluesky):
    content, output = tmp_path / "site", tmp_path / "built"
    (content / "blog").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "images").mkdir()
    (content / "images" / "brug.jpg").write_bytes(jpeg())
    yesterday = (datetime.datetime.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    (content / "blog" / "brug.md").write_text(
        f"Title: Nieuwe brug over de Molensloot\nDate: {yesterday}\nCategory: Nieuws\nTags: brug, molensloot\n"
        "Summary: De nieuwe brug is open.\nImage: images/brug.jpg\nImage_alt: Een houten brug over de sloot\n\n"
        "Tekst.\n", encoding="utf-8")
    (content / "blog" / "intern.md").write_text(
        f"Title: Alleen op de site\nDate: {yesterday}\nShare: no\n\nTekst.\n", encoding="utf-8")
    build(load_settings(content=content, output=output, extra={"SITEURL": SITE}))
    report = push(settings, feed=output / "feeds" / "all.json", environ=environ, sleep=sleeps)
    assert sorted((o.network, o.label, o.status) for o in report.outcomes) == [
        ("bluesky", "Nieuwe brug over de Molensloot", "posted"),
        ("mastodon", "Nieuwe brug over de Molensloot", "posted")]
    assert [s.reason for s in report.skipped] == ["Share: no"]
    (status,) = mastodon.statuses
    assert status["media_attachments"][0]["description"] == "Een houten brug over de sloot"
    assert mastodon.media_files[status["media_attachments"][0]["id"]] == jpeg()  # read from the build's images/
    assert mastodon.texts[0].endswith("#brug #molensloot")
    card = bluesky.posts()[0]["embed"]["external"]
    assert card["uri"].startswith(f"{SITE}/blog/") and card["thumb"]["size"] == len(jpeg())
