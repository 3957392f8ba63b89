"""Addresses that never break, end to end: a published post is renamed, moved to another date,
deleted and given an alias; after each production build and publish, deploy/nginx answers its old
address (301 to the new URL, or 410 Gone), the feeds keep its id and social push posts nothing new.
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from social.fakes.bluesky import FakeBluesky
from social.fakes.mastodon import FakeMastodon

from dorpsplein.build import build
from dorpsplein.publish import deploy
from dorpsplein.publish.compress import precompress
from dorpsplein.publish.config import DEFAULTS
from dorpsplein.settings import ROOT, load_settings
from dorpsplein.social import push

from .net import free_ports
from .nginx_server import SITE_HOST, needs_nginx, serve_release

ATOM = "{http://www.w3.org/2005/Atom}"
TOKEN, PASSWORD = "mastodon-secret-token-1234567890", "bsky-app-pass-abcd-efgh-ijkl"


class Publisher:
    """A content folder, built for production at nginx's address and published to a dir: target."""

    def __init__(self, root: Path, https_port: int, http_port: int):
        self.root, self.https_port, self.http_port = root, https_port, http_port
        self.content, self.output, self.www = root / "content", root / "output", root / "www"
        (self.content / "blog").mkdir(parents=True)
        (self.content / "pages").mkdir()
        shutil.copy(ROOT / "content" / "channels.toml", self.content / "channels.toml")
        self.site_url = f"https://{SITE_HOST}:{https_port}"
        self.rounds = 0

    def post(self, name: str, title: str, date: datetime.datetime, **meta) -> None:
        lines = [f"Title: {title}", f"Date: {date:%Y-%m-%d %H:%M}", "Category: Nieuws",
                 *(f"{key}: {value}" for key, value in meta.items())]
        (self.content / "blog" / f"{name}.md").write_text("\n".join(lines) + "\n\nTekst.\n", encoding="utf-8")

    def settings(self, **extra) -> dict:
        return load_settings(production=True, content=self.content, output=self.output,
                             extra={"SITEURL": self.site_url, "CACHE_PATH": str(self.root / "cache"), **extra})

    def publish(self) -> None:
        build(self.settings(), strict=True, quiet=True)
        precompress(self.output)
        deploy(self.output, {**DEFAULTS, "PUBLISH_TARGETS": {"t": f"dir:{self.www}"}, "PUBLISH_TARGET": "t"})

    def serve(self):
        """nginx (reloaded, as after a publish) serving the release just published."""
        self.rounds += 1
        folder = self.root / f"nginx-{self.rounds}"
        folder.mkdir()
        return serve_release(folder, self.www / "current", self.http_port, self.https_port)

    def ids(self) -> dict[str, tuple[str, str, str]]:
        """Title → (Atom id, RSS guid, JSON Feed id) of every post in the site's feeds."""
        atom = etree.parse(str(self.output / "feeds/all.atom.xml")).getroot()
        rss = etree.parse(str(self.output / "feeds/all.rss.xml")).getroot()
        guids = {item.findtext("title"): item.findtext("guid") for item in rss.iter("item")}
        items = json.loads((self.output / "feeds/all.json").read_text(encoding="utf-8"))["items"]
        json_ids = {item["title"]: item["id"] for item in items}
        return {entry.findtext(f"{ATOM}title"): (entry.findtext(f"{ATOM}id"), guids[entry.findtext(f"{ATOM}title")],
                                                json_ids[entry.findtext(f"{ATOM}title")])
                for entry in atom.iter(f"{ATOM}entry")}


@pytest.fixture
def networks():
    mastodon, bluesky = FakeMastodon(TOKEN).start(), FakeBluesky(password=PASSWORD).start()
    yield mastodon, bluesky
    mastodon.stop()
    bluesky.stop()


def _social(site: Publisher, networks) -> dict:
    mastodon, bluesky = networks
    return site.settings(MASTODON_URL=mastodon.url, BLUESKY_SERVICE=bluesky.url, BLUESKY_HANDLE=bluesky.handle,
                         SOCIAL_LEDGER=str(site.root / "state/social-ledger.jsonl"), SOCIAL_MAX_AGE_DAYS=100,
                         SOCIAL_RETRY_BASE_SECONDS=0.5, SOCIAL_TIMEOUT_SECONDS=10)


def _push(site: Publisher, networks, dry_run: bool):
    return push(_social(site, networks), feed=site.output / "feeds/all.json", dry_run=dry_run,
                environ={"DORPSPLEIN_MASTODON_TOKEN": TOKEN, "DORPSPLEIN_BLUESKY_PASSWORD": PASSWORD},
                sleep=lambda seconds: None)


def _nothing_new(site: Publisher, networks) -> None:
    report = _push(site, networks, dry_run=True)
    assert report.outcomes and {o.status for o in report.outcomes} == {"already posted"}, \
        [(o.network, o.label, o.status) for o in report.outcomes]


def test_old_addresses_keep_working_and_ids_stay(tmp_path, networks):
    needs_nginx()
    http_port, https_port = free_ports(2)
    site = Publisher(tmp_path, https_port, http_port)
    now = datetime.datetime.now().replace(second=0, microsecond=0)
    site.post("brug", "Brug open", now - datetime.timedelta(days=10))
    site.post("markt", "Markt op zaterdag", now - datetime.timedelta(days=10))
    site.post("weg", "Weg dicht", now - datetime.timedelta(days=10))
    site.publish()
    first = site.ids()
    url = {title: ids[0] for title, ids in first.items()}  # the first manifest keeps the URL ids
    assert url["Brug open"].startswith(f"{site.site_url}/blog/") and url["Brug open"].endswith("/brug-open/")
    report = _push(site, networks, dry_run=False)
    assert sorted(o.status for o in report.outcomes) == ["posted"] * 6

    # A post published after the first manifest gets a tag: id from the host, its date and slug.
    site.post("kermis", "Kermis", now - datetime.timedelta(days=9))
    site.publish()
    kermis = site.ids()["Kermis"]
    day = now - datetime.timedelta(days=9)
    assert kermis == (f"tag:{SITE_HOST},{day:%Y-%m-%d}:/kermis",) * 3
    report = _push(site, networks, dry_run=False)
    assert sorted((o.label, o.status) for o in report.outcomes if o.status != "already posted") == [
        ("Kermis", "posted")] * 2
    mastodon, bluesky = networks
    posted = (len(mastodon.statuses), len(bluesky.posts()))
    assert posted == (4, 4)

    # 1. A new title without a Slug: the old address redirects, the ids stay.
    site.post("brug", "Brug weer open", now - datetime.timedelta(days=10))
    site.post("kermis", "Kermis gaat door", now - datetime.timedelta(days=9))
    site.publish()
    ids = site.ids()
    assert ids["Brug weer open"] == first["Brug open"] and ids["Kermis gaat door"] == kermis
    new_brug = url["Brug open"].replace("/brug-open/", "/brug-weer-open/")
    with site.serve() as nginx:
        for old in ("/brug-open/", "/brug-open", "/brug-open/index.html"):
            status, headers, _ = nginx.get(url["Brug open"][len(site.site_url):].replace("/brug-open/", old))
            assert (status, headers.get("location")) == (301, new_brug), old
        assert nginx.get(new_brug[len(site.site_url):])[0] == 200
    _nothing_new(site, networks)

    # 2. Moved to a date in another month: the URL changes, the old one redirects.
    earlier = now - datetime.timedelta(days=45)
    site.post("markt", "Markt op zaterdag", earlier)
    site.publish()
    assert site.ids()["Markt op zaterdag"] == first["Markt op zaterdag"]
    new_markt = f"{site.site_url}/blog/{earlier:%Y/%m}/markt-op-zaterdag/"
    assert new_markt != url["Markt op zaterdag"]
    with site.serve() as nginx:
        status, headers, _ = nginx.get(url["Markt op zaterdag"][len(site.site_url):])
        assert (status, headers.get("location")) == (301, new_markt)
        status, headers, _ = nginx.get(url["Brug open"][len(site.site_url):])  # the earlier move still answers
        assert (status, headers.get("location")) == (301, new_brug)
    _nothing_new(site, networks)

    # 3. Deleted: 410 Gone with a Dutch page; the other posts are left alone.
    (site.content / "blog/weg.md").unlink()
    site.publish()
    assert "Weg dicht" not in site.ids()
    with site.serve() as nginx:
        status, headers, body = nginx.get(url["Weg dicht"][len(site.site_url):])
        assert status == 410
        assert "Bericht ingetrokken" in body.decode()
        assert headers["content-security-policy"].startswith("default-src 'none'")  # the site's headers too
    manifest = json.loads((tmp_path / "state/published.json").read_text(encoding="utf-8"))
    (weg,) = [e for e in manifest["entries"] if e["source"] == "blog/weg.md"]
    assert weg["status"] == "withdrawn" and weg["id"] == first["Weg dicht"][0]
    _nothing_new(site, networks)

    # 4. An alias added by hand, as Hugo's aliases.
    site.post("brug", "Brug weer open", now - datetime.timedelta(days=10), Aliases="/brug/, /oud/brug.html")
    site.publish()
    with site.serve() as nginx:
        for alias in ("/brug/", "/brug", "/oud/brug.html"):
            status, headers, _ = nginx.get(alias)
            assert (status, headers.get("location")) == (301, new_brug), alias
        assert nginx.get("/bestaat-niet/")[0] == 404
    _nothing_new(site, networks)

    # And for real: nothing reaches either network a second time.
    report = _push(site, networks, dry_run=False)
    assert {o.status for o in report.outcomes} == {"already posted"}
    assert (len(mastodon.statuses), len(bluesky.posts())) == posted
