"""`Expires: 2026-10-15 00:00` on a post: after that moment it leaves every list.

The post's own page stays (with a visible "verlopen" note in the theme) so no
link breaks. Expired posts become Pelican "hidden" articles: written, never
listed in indexes, categories, tags, archives or feeds.
"""

from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.utils import get_date, set_date_tzinfo

logger = logging.getLogger(__name__)


def parse_expires(content) -> None:
    """Turn the `expires` metadata string into an aware datetime, or warn."""
    raw = content.metadata.get("expires")
    content.expired = False
    if raw is None:
        content.expires = None
        return
    if isinstance(raw, datetime.datetime):
        expires = raw
    else:
        try:
            expires = get_date(str(raw))
        except ValueError:
            logger.warning("%s: Expires %r is not a date", content.source_path, raw)
            content.expires = None
            return
    content.expires = set_date_tzinfo(expires, content.settings.get("TIMEZONE"))


def is_expired(content, now: datetime.datetime) -> bool:
    return content.expires is not None and content.expires <= now


def hide_expired(generator) -> None:
    """Move expired articles out of the listed ones, before categories and tags are built."""
    now = datetime.datetime.now(ZoneInfo(generator.settings.get("TIMEZONE") or "UTC"))
    for article in list(generator.articles) + list(generator.hidden_articles):
        article.expired = is_expired(article, now)
    expired = [a for a in generator.articles if a.expired]
    if expired:
        generator.articles = [a for a in generator.articles if not a.expired]
        generator.hidden_articles = sorted(
            generator.hidden_articles + expired, key=lambda a: a.date, reverse=True
        )
        logger.info("expiry: %d expired notice(s) hidden from lists", len(expired))


def mark_expired_pages(generator) -> None:
    now = datetime.datetime.now(ZoneInfo(generator.settings.get("TIMEZONE") or "UTC"))
    for page in list(generator.pages) + list(generator.hidden_pages):
        page.expired = is_expired(page, now)


def register():
    signals.content_object_init.connect(parse_expires)
    signals.article_generator_pretaxonomy.connect(hide_expired)
    signals.page_generator_finalized.connect(mark_expired_pages)
