"""Composing one post per network from a feed item (or a one-off text), within each network's limit.

A post is: the body (the post's `Social:` text, or the template filled with title and summary),
then the link, then hashtags from the tags. When it does not fit, hashtags go first (from the
end), then the body is cut on a word boundary with "…"; the link is never cut.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from ..jsonfeed import FeedItem
from .config import SocialConfig
from .textlength import (
    BLUESKY_LIMIT,
    MASTODON_LIMIT,
    URL_RE,
    bluesky_length,
    mastodon_length,
    truncate,
)

LINK_DISPLAY_MAX = 48
_BODY_TOKENS = re.compile(r"(?P<link>" + URL_RE.pattern + r")|(?<![\w#])(?P<tag>#(?P<name>\w+))")


@dataclass(frozen=True)
class Draft:
    """What to post, before it is shaped for a network."""

    key: str  # the exactly-once key: the feed item's id, or a hash of a one-off post
    body: str
    link: str | None = None
    title: str | None = None  # for the Bluesky link card
    description: str | None = None
    hashtags: tuple[str, ...] = ()
    image: str | None = None  # absolute URL or local path of the post's image
    image_alt: str | None = None
    card_image: str | None = None  # the post image, else the share image
    language: str = "nl"
    date: datetime.datetime | None = None  # the feed item's date (a one-off post has none)


@dataclass(frozen=True)
class Segment:
    kind: str  # "text", "link" or "tag"
    text: str  # as shown
    target: str | None = None  # the link's URL or the tag without "#"


@dataclass(frozen=True)
class Composed:
    """One post for one network, exactly as it will be sent."""

    network: str
    draft: Draft
    segments: tuple[Segment, ...]
    length: int
    limit: int
    attach_image: bool = False  # the image goes along as media, with its alt text
    card: bool = False  # Bluesky: a link card (title, description, thumb) for the link
    notes: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)

    def facets(self) -> list[tuple[int, int, str, str]]:
        """(byte_start, byte_end, kind, target) in UTF-8 bytes, as Bluesky facets index text."""
        result, offset = [], 0
        for segment in self.segments:
            size = len(segment.text.encode("utf-8"))
            if segment.kind != "text":
                result.append((offset, offset + size, segment.kind, segment.target))
            offset += size
        return result


def hashtag(tag: str) -> str | None:
    """`verkeersveiligheid` → `verkeersveiligheid`; `open monumentendag` → `OpenMonumentendag`."""
    words = [w for w in re.split(r"[\s\-_/]+", tag.strip().lstrip("#")) if w]
    if len(words) > 1:
        words = [w[:1].upper() + w[1:] for w in words]
    name = re.sub(r"[^\w]", "", "".join(words))
    return name if name and not name.isdigit() else None


def hashtags_for(tags, config: SocialConfig) -> tuple[str, ...]:
    if not config.hashtags:
        return ()
    names, seen = [], set()
    for tag in list(tags)[: config.hashtags_max] + list(config.extra_hashtags):
        name = hashtag(tag)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return tuple(names)


def body_for(item: FeedItem, config: SocialConfig) -> str:
    if item.social_text and item.social_text.strip():
        return item.social_text.strip()
    template = config.category_templates.get((item.category or "").lower(), config.template)
    text = template.format(title=item.title.strip(), summary=(item.summary or "").strip(),
                           category=item.category or "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def draft_for_item(item: FeedItem, config: SocialConfig, share_image: str | None = None) -> Draft:
    return Draft(key=item.id, body=body_for(item, config), link=item.url, title=item.title,
                 description=item.summary, hashtags=hashtags_for(item.tags, config), image=item.image,
                 image_alt=(item.image_alt or "").strip() or None, card_image=item.image or share_image,
                 language=config.language, date=item.date_published)


def one_off_key(text: str, link: str | None, image: str | None) -> str:
    digest = hashlib.sha256("\x00".join([text, link or "", image or ""]).encode("utf-8")).hexdigest()
    return f"post:{digest[:20]}"


def link_display(url: str) -> str:
    """How Bluesky shows a link: without the scheme, long paths shortened (the facet keeps the full URL)."""
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= LINK_DISPLAY_MAX else shown[: LINK_DISPLAY_MAX - 1] + "…"


def _body_segments(body: str) -> list[Segment]:
    segments, last = [], 0
    for match in _BODY_TOKENS.finditer(body):
        if match.start() > last:
            segments.append(Segment("text", body[last:match.start()]))
        if match.group("link"):
            segments.append(Segment("link", match.group("link"), match.group("link")))
        else:
            segments.append(Segment("tag", match.group("tag"), match.group("name")))
        last = match.end()
    if last < len(body):
        segments.append(Segment("text", body[last:]))
    return segments


def _tail(draft: Draft, tags: tuple[str, ...], shown_link: str | None) -> list[Segment]:
    tail = []
    if draft.link:
        tail += [Segment("text", "\n\n"), Segment("link", shown_link or draft.link, draft.link)]
    if tags:
        tail.append(Segment("text", "\n\n"))
        for index, name in enumerate(tags):
            if index:
                tail.append(Segment("text", " "))
            tail.append(Segment("tag", "#" + name, name))
    return tail


def _fit(draft: Draft, network: str, length, limit: int, shown_link: str | None):
    """(segments, notes): all hashtags that fit with the whole body, else none and a shortened body."""
    notes = []
    body = draft.body
    for count in range(len(draft.hashtags), -1, -1):
        tags = draft.hashtags[:count]
        segments = _body_segments(body) + _tail(draft, tags, shown_link)
        if length("".join(s.text for s in segments)) <= limit:
            if count < len(draft.hashtags):
                notes.append(f"left out {len(draft.hashtags) - count} hashtag(s) to fit {limit}")
            return segments, notes
    tail = _tail(draft, (), shown_link)
    budget = limit - length("".join(s.text for s in tail)) if tail else limit
    body = truncate(body, budget, length)
    notes.append(f"shortened the text to fit {limit}")
    if draft.hashtags:
        notes.append("left out the hashtags")
    return _body_segments(body) + tail, notes


def compose(draft: Draft, network: str, config: SocialConfig) -> Composed:
    if network == "mastodon":
        segments, notes = _fit(draft, network, mastodon_length, MASTODON_LIMIT, None)
        attach = bool(config.mastodon_images and draft.image and draft.image_alt)
        if config.mastodon_images and draft.image and not draft.image_alt:
            notes.append("image not attached: it has no alt text (Image_alt)")
        text = "".join(s.text for s in segments)
        return Composed(network, draft, tuple(segments), mastodon_length(text), MASTODON_LIMIT, attach,
                        notes=tuple(notes))
    if network == "bluesky":
        shown = link_display(draft.link) if draft.link else None
        segments, notes = _fit(draft, network, bluesky_length, BLUESKY_LIMIT, shown)
        text = "".join(s.text for s in segments)
        card = bool(config.bluesky_cards and draft.link and draft.title)
        # Without a card (a one-off post), the image goes along as an image with its alt text.
        attach = bool(not card and draft.image and draft.image_alt)
        return Composed(network, draft, tuple(segments), bluesky_length(text), BLUESKY_LIMIT, attach, card,
                        tuple(notes))
    raise ValueError(f"unknown network {network!r}")
