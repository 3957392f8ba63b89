"""Periods (calendar months or ISO weeks) in the site's time zone, and which posts fall in them."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from babel.dates import format_date

MONTH_KEY = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
WEEK_KEY = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$")


@dataclass(frozen=True)
class Period:
    key: str  # "2026-11" or "2026-W47": editor file name, newsletter folder, analytics month
    kind: str  # "month" | "week"
    start: datetime.datetime  # aware, inclusive
    end: datetime.datetime  # aware, exclusive: the period has ended once now >= end

    @property
    def label(self) -> str:
        """Dutch: "november 2026" or "week 47 van 2026 (16 tot en met 22 november)"."""
        if self.kind == "month":
            return format_date(self.start.date(), "MMMM y", locale="nl")
        last = (self.end - datetime.timedelta(days=1)).date()
        year, week, _ = self.start.isocalendar()
        return (f"week {week} van {year} ({format_date(self.start.date(), 'd MMMM', locale='nl')} tot en met "
                f"{format_date(last, 'd MMMM', locale='nl')})")

    @property
    def analytics_month(self) -> str | None:
        return self.key if self.kind == "month" else None

    def url(self, month_pattern: str, week_pattern: str) -> str:
        if self.kind == "month":
            return month_pattern.format(year=f"{self.start.year:04d}", month=f"{self.start.month:02d}")
        year, week, _ = self.start.isocalendar()
        return week_pattern.format(year=f"{year:04d}", week=f"{week:02d}")


def period_of(moment: datetime.datetime, kind: str, tz: datetime.tzinfo) -> Period:
    local = moment.astimezone(tz)
    if kind == "month":
        start = datetime.datetime(local.year, local.month, 1, tzinfo=tz)
        end = datetime.datetime(local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=tz)
        return Period(f"{local.year:04d}-{local.month:02d}", kind, start, end)
    year, week, weekday = local.isocalendar()
    first = local.date() - datetime.timedelta(days=weekday - 1)
    start = datetime.datetime(first.year, first.month, first.day, tzinfo=tz)
    after = first + datetime.timedelta(days=7)
    end = datetime.datetime(after.year, after.month, after.day, tzinfo=tz)
    return Period(f"{year:04d}-W{week:02d}", kind, start, end)


def is_period_key(key: str, kind: str) -> bool:
    return bool((MONTH_KEY if kind == "month" else WEEK_KEY).match(key))


def group_by_period(articles, kind: str, tz: datetime.tzinfo, now: datetime.datetime) -> dict[Period, list]:
    """Ended periods that have posts → their posts, newest first; a post dated after `now` is in none."""
    periods: dict[Period, list] = {}
    for article in articles:
        if article.date > now:
            continue
        period = period_of(article.date, kind, tz)
        if period.end <= now:
            periods.setdefault(period, []).append(article)
    for posts in periods.values():
        posts.sort(key=lambda a: (a.date, a.url), reverse=True)
    return dict(sorted(periods.items(), key=lambda item: item[0].start, reverse=True))
