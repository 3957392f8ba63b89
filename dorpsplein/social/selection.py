"""Which feed items go out: shared, not expired, dated now or earlier, recent enough, and through the filters.

The feed only holds published posts (drafts and hidden posts never reach it), so "published"
needs no check here. The age limit (SOCIAL_MAX_AGE_DAYS) keeps a first run, or a new account,
from flooding followers with the whole archive.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..jsonfeed import FeedItem
from .config import SocialConfig


@dataclass(frozen=True)
class Skipped:
    item: FeedItem
    reason: str


def skip_reason(item: FeedItem, config: SocialConfig, now: datetime.datetime) -> str | None:
    """Why an item is not posted, or None when it is eligible."""
    if not item.share:
        return "Share: no"
    if item.expires is not None and item.expires <= now:
        return f"expired on {item.expires:%Y-%m-%d %H:%M}"
    if item.date_published > now:
        return f"dated in the future ({item.date_published:%Y-%m-%d %H:%M})"
    if now - item.date_published > datetime.timedelta(days=config.max_age_days):
        return f"older than {config.max_age_days:g} days (SOCIAL_MAX_AGE_DAYS)"
    category = (item.category or "").lower()
    if config.include_categories and category not in config.include_categories:
        return f"category {item.category!r} not in SOCIAL_INCLUDE_CATEGORIES"
    if category in config.exclude_categories:
        return f"category {item.category!r} in SOCIAL_EXCLUDE_CATEGORIES"
    tags = {tag.lower() for tag in item.tags}
    if config.include_tags and not tags & config.include_tags:
        return "no tag in SOCIAL_INCLUDE_TAGS"
    excluded = sorted(tags & config.exclude_tags)
    if excluded:
        return f"tag {excluded[0]!r} in SOCIAL_EXCLUDE_TAGS"
    return None


def select(items: list[FeedItem], config: SocialConfig,
           now: datetime.datetime | None = None) -> tuple[list[FeedItem], list[Skipped]]:
    """(eligible items oldest first, so timelines read in order; skipped items with the reason)."""
    now = now or datetime.datetime.now(datetime.UTC)
    eligible, skipped = [], []
    for item in items:
        reason = skip_reason(item, config, now)
        if reason is None:
            eligible.append(item)
        else:
            skipped.append(Skipped(item, reason))
    eligible.sort(key=lambda item: (item.date_published, item.id))
    return eligible, skipped
