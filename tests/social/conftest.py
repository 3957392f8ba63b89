"""Fixtures: our fake Mastodon and Bluesky servers on 127.0.0.1, a site output folder with a JSON Feed."""

from __future__ import annotations

import datetime
import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image as PILImage

from dorpsplein.jsonfeed import Feed, FeedItem, feed_to_json

from .fakes.bluesky import FakeBluesky
from .fakes.mastodon import FakeMastodon

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://dorpsplein.voorbeeld.nl"
MASTODON_TOKEN = "mastodon-secret-token-1234567890"
BLUESKY_PASSWORD = "bsky-app-pass-abcd-efgh-ijkl"


@pytest.fixture
def mastodon():
    server = FakeMastodon(MASTODON_TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def bluesky():
    server = FakeBluesky(password=BLUESKY_PASSWORD).start()
    yield server
    server.stop()


@pytest.fixture
def environ():
    return {"DORPSPLEIN_MASTODON_TOKEN": MASTODON_TOKEN, "DORPSPLEIN_BLUESKY_PASSWORD": BLUESKY_PASSWORD}


class Sleeps(list):
    """Records the waits instead of waiting: tests assert on what was asked, never on the clock."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


def jpeg(size=(64, 48), colour=(11, 79, 138)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


class SiteOutput:
    """A built site's output folder in tmp_path: feeds/all.json and images/, as plugins/feeds writes it."""

    def __init__(self, root: Path):
        self.root = root
        self.feed_path = root / "feeds" / "all.json"
        (root / "images").mkdir(parents=True)
        self.items: list[FeedItem] = []
        self.now = datetime.datetime.now(datetime.UTC)

    def image(self, name: str, data: bytes | None = None) -> str:
        (self.root / "images" / name).write_bytes(data if data is not None else jpeg())
        return f"{SITE}/images/{name}"

    def post(self, slug: str, title: str, hours_ago: float = 1, **fields) -> FeedItem:
        url = f"{SITE}/blog/2026/11/{slug}/"
        fields.setdefault("summary", f"Samenvatting van {title.lower()}.")
        fields.setdefault("category", "Nieuws")
        item = FeedItem(id=url, url=url, title=title, content_html="<p>Tekst.</p>",
                        date_published=self.now - datetime.timedelta(hours=hours_ago), language="nl", **fields)
        self.items.append(item)
        self.write()
        return item

    def write(self) -> Path:
        items = sorted(self.items, key=lambda i: i.date_published, reverse=True)
        feed = Feed(title="Dorpsplein", home_page_url=f"{SITE}/", feed_url=f"{SITE}/feeds/all.json",
                    description="Test", language="nl", items=items)
        self.feed_path.parent.mkdir(parents=True, exist_ok=True)
        self.feed_path.write_text(json.dumps(feed_to_json(feed), ensure_ascii=False), encoding="utf-8")
        return self.feed_path


@pytest.fixture
def site(tmp_path):
    return SiteOutput(tmp_path / "output")


FAULT_TIMEOUT = 1.0  # seconds: the client timeout in tests where the fake stalls on purpose


@pytest.fixture
def settings(tmp_path, mastodon, bluesky):
    """Settings as load_settings() gives them, pointed at the fake servers; fast retries for tests.

    The timeout is generous so a pause of this busy process (garbage collection, a loaded machine) is
    never taken for a network fault; tests that inject "timeout" faults shorten it (FAULT_TIMEOUT)."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "channels.toml", content / "channels.toml")
    return {
        "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"), "SITEURL": SITE,
        "MASTODON_URL": mastodon.url, "BLUESKY_SERVICE": bluesky.url, "BLUESKY_HANDLE": bluesky.handle,
        "SOCIAL_LEDGER": str(tmp_path / "state" / "social-ledger.jsonl"),
        "SOCIAL_RETRY_BASE_SECONDS": 0.5, "SOCIAL_TIMEOUT_SECONDS": 10, "SOCIAL_MEDIA_POLL_SECONDS": 0.01,
    }


@pytest.fixture
def ledger_path(settings):
    return Path(settings["SOCIAL_LEDGER"])
