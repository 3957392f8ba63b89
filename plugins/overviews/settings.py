"""The overviews plugin's settings and their defaults, merged and checked in one place."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dorpsplein.errors import DorpspleinError

DEFAULTS = {
    "OVERVIEWS_PERIOD": "month",  # or "week" (ISO weeks)
    # The build's "now", to decide which periods have ended: None = the build time in TIMEZONE.
    # An ISO date or date-time ("2026-12-01", "2026-12-01T09:00") pretends the build runs then.
    "OVERVIEWS_NOW": None,
    "OVERVIEWS_PATH": "overzichten",  # editors' intros, relative to PATH: 2026-11.md or 2026-W47.md
    "OVERVIEWS_URL": "overzicht/",
    "OVERVIEWS_SAVE_AS": "overzicht/index.html",
    "OVERVIEWS_MONTH_URL": "overzicht/{year}/{month}/",
    "OVERVIEWS_WEEK_URL": "overzicht/{year}/week-{week}/",
    "OVERVIEWS_TEMPLATE": "overview",
    "OVERVIEWS_INDEX_TEMPLATE": "overview_index",
    "OVERVIEWS_FEED_ATOM": "feeds/overzicht.atom.xml",
    "OVERVIEWS_FEED_RSS": "feeds/overzicht.rss.xml",
    "OVERVIEWS_FEED_JSON": "feeds/overzicht.json",
    # Monthly visit aggregates (tasks.py analytics); None: STATISTICS_STATE_PATH or state/analytics.
    # A relative path is taken from the folder that holds the content folder.
    "OVERVIEWS_ANALYTICS_PATH": None,
    "OVERVIEWS_TOP_POSTS": 5,
    "OVERVIEWS_NEWSLETTER": True,  # write output/nieuwsbrief/<period>/<list>/ for each list below
    # Per newsletter list: which posts (categories and/or tags; neither = every post) and whether
    # the visits block is included. A post matches when it is in one of the categories or has one of the tags.
    "OVERVIEWS_LISTS": {
        "extern": {"analytics": True},
        "intern": {"categories": ["Bekendmakingen", "Werkzaamheden"], "tags": ["intern"], "analytics": True},
    },
}
PERIODS = ("month", "week")


def parse_now(raw, timezone: str) -> datetime.datetime:
    tz = ZoneInfo(timezone or "UTC")
    if raw in (None, ""):
        return datetime.datetime.now(tz)
    try:
        value = datetime.datetime.fromisoformat(str(raw))
    except ValueError:
        raise DorpspleinError(f"OVERVIEWS_NOW: {raw!r} is not an ISO date, e.g. 2026-12-01 or 2026-12-01T09:00") \
            from None
    return value if value.tzinfo else value.replace(tzinfo=tz)


def overview_settings(settings: dict) -> dict:
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    if merged["OVERVIEWS_PERIOD"] not in PERIODS:
        raise DorpspleinError(f"OVERVIEWS_PERIOD: {merged['OVERVIEWS_PERIOD']!r}; use 'month' or 'week'")
    merged["now"] = parse_now(merged["OVERVIEWS_NOW"], settings.get("TIMEZONE"))
    state = Path(merged["OVERVIEWS_ANALYTICS_PATH"] or settings.get("STATISTICS_STATE_PATH") or "state/analytics")
    merged["analytics_path"] = state if state.is_absolute() else Path(settings["PATH"]).parent / state
    lists = merged["OVERVIEWS_LISTS"]
    if not isinstance(lists, dict) or not all(isinstance(v, dict) for v in lists.values()):
        raise DorpspleinError('OVERVIEWS_LISTS: expected {"extern": {...}, "intern": {"categories": [...]}}')
    for name, selection in lists.items():
        unknown = set(selection) - {"categories", "tags", "analytics"}
        if unknown:
            raise DorpspleinError(f"OVERVIEWS_LISTS[{name!r}]: unknown key(s) {', '.join(sorted(unknown))}; "
                                  "use categories, tags, analytics")
    return merged
