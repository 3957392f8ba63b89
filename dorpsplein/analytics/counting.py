"""The hot loop: every line of one log file into per-day counts.

Per line this is one regular expression and a handful of dictionary look-ups; everything that
is expensive (user agents, referrer hosts, paths, dates) is computed once per distinct value.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..analytics_schema import publishable_path
from .counters import DayCounts
from .logfiles import LogFile, batches_from
from .logline import TIMESTAMP_LENGTH, day_of, parse
from .referrers import ReferrerClassifier
from .useragents import BOT, FEED, PERSON, AgentClassifier

PAGE, POST, FEED_PATH, ASSET = "page", "post", "feed", "asset"
_STATUS_CLASS = {ord(str(n)): f"{n}xx" for n in range(1, 6)}
_PAGE_STATUS = {b"200", b"304"}
_REQUEST_CACHE_LIMIT = 200_000  # beyond this many distinct request lines, classify without remembering
_PAGE_KINDS = {PAGE, POST}
_ASSET_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


@dataclass
class SiteShape:
    """What the site's addresses look like: which paths are posts and which are feeds, and which
    paths exist (only those are counted by name; see analytics_schema; empty: none is)."""

    post: re.Pattern = re.compile(r"^/blog/\d{4}/\d{2}/[^/]+/$")
    feed: re.Pattern = re.compile(r"^/feeds?/|\.(?:xml|rss|atom)$|/feed\.json$")
    site_hosts: frozenset[str] = frozenset()
    known_paths: frozenset[str] = frozenset()


@dataclass
class FileResult:
    """What counting one file found: where each day starts, where it ended, what was wrong."""

    end_offset: int
    end_line: int
    first_of_day: dict[str, tuple[int, int]] = field(default_factory=dict)  # day → (offset, line)
    counted: int = 0
    recounted: int = 0
    malformed: list[int] = field(default_factory=list)  # line numbers


class LineCounter:
    """Counts lines into days; holds the day salts, which never leave this object."""

    def __init__(self, shape: SiteShape):
        self.shape = shape
        self.days: dict[str, DayCounts] = {}
        self.agents = AgentClassifier()
        self.referrers = ReferrerClassifier(shape.site_hosts)
        self._salts: dict[str, bytes] = {}
        self._dates: dict[bytes, str | None] = {}
        self._requests: dict[bytes, tuple[bool, str, str, str]] = {}

    def day(self, day: str) -> DayCounts:
        counts = self.days.get(day)
        if counts is None:
            counts = self.days[day] = DayCounts(day)
            self._salts[day] = os.urandom(16)  # a fresh random salt per day, in memory only
        return counts

    def request(self, request: bytes) -> tuple[bool, str, str | None, str]:
        """(is a GET, kind, path, query) of a request line; the path is unquoted, loses 'index.html', and
        is None unless it exists on the site and may be published (what a visitor typed never is)."""
        known = self._requests.get(request)
        if known is not None:
            return known
        parts = request.split(b" ")
        if len(parts) != 3 or not parts[1].startswith(b"/"):
            known = (False, ASSET, None, "")  # garbage (TLS probes, '-') or a proxy probe: not our page
        else:
            raw_path, _, raw_query = parts[1].decode("utf-8", "replace").partition("?")
            path = unquote(raw_path.split("#", 1)[0])
            if path.endswith("/index.html"):
                path = path[: -len("index.html")]
            if self.shape.feed.search(path):
                kind = FEED_PATH
            elif self.shape.post.match(path):
                kind = POST
            elif path.endswith((".html", ".htm")) or not _ASSET_SUFFIX.search(path):
                kind = PAGE
            else:
                kind = ASSET
            listed = path if path in self.shape.known_paths and publishable_path(path) else None
            known = (parts[0] == b"GET", kind, listed, raw_query)
        if len(self._requests) < _REQUEST_CACHE_LIMIT:
            self._requests[request] = known
        return known

    def count_file(self, log: LogFile, start: int, start_line: int, counted_until: int,
                   recount_day: str | None, report: Callable[[int], None] | None = None) -> FileResult:
        """Count the lines from `start`; lines before `counted_until` only when they are of `recount_day`."""
        result = FileResult(end_offset=start, end_line=start_line)
        dates, blake = self._dates, hashlib.blake2b
        agents, known_agents = self.agents, self.agents.known
        requests, known_requests = self.request, self._requests
        lineno, end, previous_day, current, salt = start_line, start, None, None, b""
        for batch in batches_from(log, start):
            if report is not None:
                report(end)
            for line in batch:
                offset = end
                end += len(line)
                lineno += 1
                fields = parse(line)
                timestamp = fields[1] if fields else b""
                day = dates.get(timestamp[:11], False) if len(timestamp) == TIMESTAMP_LENGTH else None
                if day is False:
                    day = dates[timestamp[:11]] = day_of(timestamp[:11])
                if day is None:
                    if offset >= counted_until:
                        result.malformed.append(lineno)
                    continue
                if offset < counted_until:
                    if day != recount_day:
                        continue  # counted by an earlier run, in a day that is closed
                    result.recounted += 1
                else:
                    result.counted += 1
                if day != previous_day:
                    previous_day, current = day, self.day(day)
                    salt = self._salts[day]
                    result.first_of_day.setdefault(day, (offset, lineno - 1))
                ip, _, request, status, referrer, ua = fields
                current.status[_STATUS_CLASS[status[0]]] += 1
                agent = known_agents.get(ua) or agents(ua)
                kind = agent.kind
                is_get, path_kind, path, query = known_requests.get(request) or requests(request)
                if kind == PERSON and path_kind == FEED_PATH:
                    kind = FEED  # a feed reader with a browser's user agent (a desktop or app reader)
                current.requests[kind] += 1
                if kind == BOT:
                    current.link_previews += agent.link_preview
                elif kind == FEED:
                    name = agent.aggregator
                    if agent.subscribers is not None:
                        if agent.subscribers > current.subscribers.get(name, 0):
                            current.subscribers[name] = agent.subscribers
                    else:  # one subscriber per distinct client (address + user agent) per day
                        current.reader_hashes.add(blake(ip + b"\n" + ua, key=salt, digest_size=16).digest())
                elif status == b"404":
                    current.not_found_total += 1
                    if path is not None:
                        current.not_found[path] += 1
                elif is_get and path_kind in _PAGE_KINDS and status in _PAGE_STATUS:
                    current.page_views += 1
                    if path is not None:
                        current.pages[path] += 1
                        if path_kind == POST:
                            current.posts[path] += 1
                    visitor = blake(ip + b"\n" + ua, key=salt, digest_size=16).digest()
                    if visitor not in current.visitor_hashes:  # the visitor's first page view today
                        current.visitor_hashes.add(visitor)
                        current.visitors += 1
                        current.devices[agent.device] += 1
                        current.os[agent.os] += 1
                        current.referrers[self.referrers(referrer, query)] += 1
        result.end_offset, result.end_line = end, lineno
        return result
