"""The visits block of an overview, from `state/analytics/YYYY-MM.json` (dorpsplein/analytics_schema.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from babel.numbers import format_decimal

from dorpsplein.analytics_schema import (
    SOURCE_LABELS,
    feed_subscribers,
    load_month,
    month_path,
    page_views,
    source_classes,
    top,
    visits,
)
from dorpsplein.errors import DorpspleinError
from dorpsplein.newsletter.render import StatLine, Stats
from dorpsplein.urls import absolute_url

logger = logging.getLogger(__name__)
SOURCE_ORDER = ("search", "social", "newsletter", "other_sites", "direct")


def number(value: int) -> str:
    return format_decimal(value, locale="nl_NL")


def load_stats(folder: Path, month_key: str | None, label: str, titles: dict[str, str], settings: dict,
               top_n: int) -> Stats | None:
    """None when there is no file for the month (or the period is a week); a broken file is a warning."""
    if month_key is None:
        return None
    path = month_path(folder, month_key)
    if not path.is_file():
        return None
    try:
        month = load_month(path)
    except DorpspleinError as exc:  # a warning fails a production build, and it names the file
        logger.warning("overviews: %s", exc)
        return None
    top_posts = [StatLine(titles.get(path_, path_), number(views),
                          absolute_url(path_, settings) if path_ in titles else None)
                 for path_, views in top(month["posts"], top_n)]
    classes = source_classes(month)
    sources = [StatLine(SOURCE_LABELS[key], number(classes.get(key, 0))) for key in SOURCE_ORDER]
    subscribers = sum(feed_subscribers(month).values())
    return Stats(month_label=label, visits=number(visits(month)), page_views=number(page_views(month)),
                 top_posts=top_posts, sources=sources, feed_subscribers=number(subscribers) if subscribers else None)
