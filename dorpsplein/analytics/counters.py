"""Counting one day, and folding days into (or out of) a month in the shape of analytics_schema.

Everything is additive, so a day counted provisionally can be taken out again exactly before it
is recounted; the one exception is the subscriber count per aggregator, a maximum per day.
"""

from __future__ import annotations

from collections import Counter

from ..analytics_schema import OTHER_FEED_READERS, empty_month, top

NOT_FOUND_KEPT = 200  # a month keeps its most frequent 404 paths; not_found_total stays exact


class DayCounts:
    """Everything counted for one calendar day; the visitor hashes live here and nowhere else."""

    __slots__ = ("day", "visitors", "page_views", "requests", "link_previews", "status", "devices", "os",
                 "referrers", "pages", "posts", "not_found", "not_found_total", "subscribers", "visitor_hashes",
                 "reader_hashes")

    def __init__(self, day: str):
        self.day = day
        self.visitors = self.page_views = self.link_previews = self.not_found_total = 0
        self.requests = {"people": 0, "bots": 0, "feed_readers": 0}
        self.status: Counter = Counter()
        self.devices: Counter = Counter()
        self.os: Counter = Counter()
        self.referrers: Counter = Counter()  # (class, name or None)
        self.pages: Counter = Counter()
        self.posts: Counter = Counter()
        self.not_found: Counter = Counter()  # only paths of the site; not_found_total counts every 404
        self.subscribers: dict[str, int] = {}
        self.visitor_hashes: set[bytes] = set()
        self.reader_hashes: set[bytes] = set()

    def as_month(self) -> dict:
        """This day alone as a month document (hashes left out)."""
        month = empty_month(self.day[:7])
        month["days"][self.day] = {"visitors": self.visitors, "page_views": self.page_views, **self.requests}
        month["requests"].update(self.requests, link_previews=self.link_previews)
        month["status"] = dict(self.status)
        month["devices"].update(self.devices)
        month["operating_systems"] = dict(self.os)
        referrers = month["referrers"]
        for (kind, name), count in self.referrers.items():
            if isinstance(referrers[kind], int):
                referrers[kind] += count
            else:
                referrers[kind][name] = referrers[kind].get(name, 0) + count
        month["pages"], month["posts"] = dict(self.pages), dict(self.posts)
        month["not_found"], month["not_found_total"] = dict(self.not_found), self.not_found_total
        subscribers = dict(self.subscribers)
        if self.reader_hashes:
            subscribers[OTHER_FEED_READERS] = subscribers.get(OTHER_FEED_READERS, 0) + len(self.reader_hashes)
        month["feed_subscribers"] = {name: {self.day: count} for name, count in subscribers.items()}
        return month


def _fold(target: dict, source: dict, sign: int, template: dict) -> None:
    """target += sign * source for nested counts; open-ended maps drop entries that reach zero."""
    for key, value in source.items():
        if isinstance(value, dict):
            _fold(target.setdefault(key, {}), value, sign, template.get(key, {}) if isinstance(template, dict) else {})
            if not target[key] and key not in template:
                del target[key]
            continue
        total = max(0, target.get(key, 0) + sign * value)
        if total or key in template:
            target[key] = total
        else:
            target.pop(key, None)


def add_day(month: dict, day: dict) -> None:
    """Add one day's document (from DayCounts.as_month) to a month of the same calendar month."""
    subscribers = day["feed_subscribers"]
    counts = {k: v for k, v in day.items() if k in _ADDITIVE}
    _fold(month, counts, +1, empty_month(month["month"]))
    for name, per_day in subscribers.items():
        mine = month["feed_subscribers"].setdefault(name, {})
        for date, count in per_day.items():
            mine[date] = max(mine.get(date, 0), count)
    month["not_found"] = dict(top(month["not_found"], NOT_FOUND_KEPT))
    _tidy_days(month)


def remove_day(month: dict, day: dict) -> None:
    """Take a provisionally counted day out again, so it can be recounted from its first line."""
    counts = {k: v for k, v in day.items() if k in _ADDITIVE}
    _fold(month, counts, -1, empty_month(month["month"]))
    _tidy_days(month)
    for name, per_day in day["feed_subscribers"].items():
        for date in per_day:
            month["feed_subscribers"].get(name, {}).pop(date, None)
        if not month["feed_subscribers"].get(name, True):
            del month["feed_subscribers"][name]


def _tidy_days(month: dict) -> None:
    """Every day keeps all its fields; a day with nothing left is no day."""
    for date in list(month["days"]):
        counts = month["days"][date]
        if any(counts.values()):
            month["days"][date] = {key: counts.get(key, 0) for key in DAY_FIELDS}
        else:
            del month["days"][date]
    month["days"] = dict(sorted(month["days"].items()))


DAY_FIELDS = ("visitors", "page_views", "people", "bots", "feed_readers")
_ADDITIVE = {"days", "requests", "status", "devices", "operating_systems", "referrers", "pages", "posts",
             "not_found", "not_found_total"}
