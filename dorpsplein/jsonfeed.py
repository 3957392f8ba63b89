"""The JSON Feed contract between the build (plugins/feeds) and the after-build commands.

Everything the social pusher and the newsletter need about a post travels in
`feeds/all.json` (JSON Feed 1.1) with our `_dorpsplein` item extension:

    "_dorpsplein": {"category": str, "share": bool, "social_text": str|null,
                    "image_alt": str|null, "expires": iso-8601|null}

Both sides use FeedItem, `item_to_json` and `item_from_json`, so they cannot drift apart.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

VERSION = "https://jsonfeed.org/version/1.1"
EXTENSION = "_dorpsplein"


class FeedError(ValueError):
    """A feed that does not follow the contract; the message names the item and field."""


@dataclass(frozen=True)
class FeedItem:
    id: str
    url: str
    title: str
    content_html: str
    date_published: datetime.datetime
    date_modified: datetime.datetime | None = None
    summary: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image: str | None = None
    image_type: str | None = None  # MIME type, for RSS/Atom enclosures
    image_length: int | None = None  # bytes, for RSS enclosures
    category: str | None = None
    share: bool = True
    social_text: str | None = None
    image_alt: str | None = None
    expires: datetime.datetime | None = None
    language: str | None = None

    @property
    def updated(self) -> datetime.datetime:
        return self.date_modified or self.date_published


@dataclass
class Feed:
    """One feed, whatever its format: the site's, a category's, a tag's, the overviews'."""

    title: str
    home_page_url: str
    feed_url: str
    description: str
    language: str
    items: list[FeedItem] = field(default_factory=list)
    author: str | None = None
    icon: str | None = None

    @property
    def updated(self) -> datetime.datetime | None:
        """The newest change among the items: never the build time, so unchanged content gives identical bytes."""
        return max((item.updated for item in self.items), default=None)


def _iso(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise FeedError(f"date {value} has no time zone")
    return value.isoformat()


def item_to_json(item: FeedItem) -> dict:
    data = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary,
        "image": item.image,
        "date_published": _iso(item.date_published),
        "date_modified": _iso(item.date_modified),
        "authors": [{"name": name} for name in item.authors] or None,
        "tags": list(item.tags) or None,
        "language": item.language,
        EXTENSION: {
            "category": item.category,
            "share": item.share,
            "social_text": item.social_text,
            "image_alt": item.image_alt,
            "expires": _iso(item.expires),
        },
    }
    # JSON Feed leaves optional fields out rather than null; our extension keeps its nulls.
    return {key: value for key, value in data.items() if value is not None}


def feed_to_json(feed: Feed) -> dict:
    data = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_page_url,
        "feed_url": feed.feed_url,
        "description": feed.description,
        "language": feed.language,
        "icon": feed.icon,
        "authors": [{"name": feed.author}] if feed.author else None,
        "items": [item_to_json(item) for item in feed.items],
    }
    return {key: value for key, value in data.items() if value is not None}


def _date(raw, where: str, required: bool = False) -> datetime.datetime | None:
    if raw is None:
        if required:
            raise FeedError(f"{where}: missing")
        return None
    try:
        value = datetime.datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        raise FeedError(f"{where}: {raw!r} is not an ISO 8601 date") from None
    if value.tzinfo is None:
        raise FeedError(f"{where}: {raw!r} has no time zone")
    return value


def item_from_json(data: dict, index: int = 0) -> FeedItem:
    """Read one JSON Feed item; a FeedError names the item and the field that is wrong."""
    where = f"items[{index}]"
    if not isinstance(data, dict):
        raise FeedError(f"{where}: not an object")
    for key in ("id", "url", "title"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise FeedError(f"{where}.{key}: missing or not text")
    ext = data.get(EXTENSION) or {}
    if not isinstance(ext, dict):
        raise FeedError(f"{where}.{EXTENSION}: not an object")
    share = ext.get("share", True)
    if not isinstance(share, bool):
        raise FeedError(f"{where}.{EXTENSION}.share: must be true or false")
    return FeedItem(
        id=data["id"],
        url=data["url"],
        title=data["title"],
        content_html=data.get("content_html") or "",
        summary=data.get("summary"),
        image=data.get("image"),
        date_published=_date(data.get("date_published"), f"{where}.date_published", required=True),
        date_modified=_date(data.get("date_modified"), f"{where}.date_modified"),
        authors=tuple(a.get("name", "") for a in data.get("authors") or [] if isinstance(a, dict)),
        tags=tuple(data.get("tags") or ()),
        language=data.get("language"),
        category=ext.get("category"),
        share=share,
        social_text=ext.get("social_text"),
        image_alt=ext.get("image_alt"),
        expires=_date(ext.get("expires"), f"{where}.{EXTENSION}.expires"),
    )


def read_feed(text: str | bytes) -> list[FeedItem]:
    """All items of a JSON Feed document, in feed order (newest first)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise FeedError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FeedError("version: not a JSON Feed")
    if not isinstance(data.get("items"), list):
        raise FeedError("items: missing or not a list")
    return [item_from_json(item, index) for index, item in enumerate(data["items"])]
