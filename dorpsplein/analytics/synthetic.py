"""Synthetic access logs with known ground truth, for the tests, the benchmark and the demo month.

The generator decides who each request comes from (a person with a device and a way in, a
crawler, a link-preview fetcher, a feed aggregator with N subscribers) and writes what that
visitor would leave in an nginx "combined" log; `Truth` records what the analysis must find.
Deterministic for a given seed. Addresses come from the documentation ranges (RFC 5737/3849).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

TZ = datetime.timezone(datetime.timedelta(hours=1))
PAGES = ["/", "/blog/", "/over-ons/", "/kanalen/", "/contact/", "/toegankelijkheid/", "/blog/archief/"]
POSTS = ["/blog/2026/11/begroting-2027/", "/blog/2026/11/sinterklaasintocht/", "/blog/2026/11/winterdienst/",
         "/blog/2026/10/nieuwe-speeltuin-aan-de-schoolstraat-is-open/", "/blog/2026/11/repair-cafe/",
         "/blog/2026/11/verkeersbesluit-30-km-dorpsstraat/"]
ASSETS = ["/theme/css/dorpsplein.css", "/images/speeltuin.jpg", "/images/dorpsstraat.jpg", "/favicon.ico"]
BROKEN = ["/oude-pagina/", "/blog/2025/01/bestaat-niet/", "/nieuws.php"]
FEEDS = ["/feeds/all.atom.xml", "/feeds/all.rss.xml", "/feeds/all.json"]
SITE = "https://www.voorbeeld.nl"

# (template, device type, operating system) — versions are filled in to make many distinct agents.
BROWSERS = [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{b}.0 "
     "Safari/537.36", "desktop", "Windows"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.{b}", "desktop", "Windows"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.{b} "
     "Safari/605.1.15", "desktop", "Mac OS X"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:{v}.0) Gecko/20100101 Firefox/{v}.{b}", "desktop", "Linux"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_{b} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/18.{b} Mobile/15E148 Safari/604.1", "mobile", "iOS"),
    ("Mozilla/5.0 (Linux; Android 15; SM-{m}92{b}B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{b}.0 "
     "Mobile Safari/537.36", "mobile", "Android"),
    ("Mozilla/5.0 (iPad; CPU OS 18_{b} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.{b} "
     "Mobile/15E148 Safari/604.1", "tablet", "iOS"),
    ("Mozilla/5.0 (Linux; Android 14; SM-X{m}1{b}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{b}.0 "
     "Safari/537.36", "tablet", "Android"),
]
CRAWLERS = ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "python-requests/2.32.3", "curl/8.5.0", "-"]
LINK_PREVIEWS = ["http.rb/5.2.0 (Mastodon/4.3.{b}; +https://{host}/)",
                 "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
                 "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"]
INSTANCES = ["mastodon.social", "mastodon.nl", "social.overheid.nl", "mstdn.social", "toot.community"]
AGGREGATORS = {"Feedly": "Feedly/1.0 (+http://www.feedly.com/fetcher.html; {n} subscribers; like FeedFetcher-Google)",
               "Inoreader": "Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; {n} subscribers; )",
               "NewsBlur": "NewsBlur Feed Fetcher - {n} subscribers - https://www.newsblur.com/site/1/voorbeeld "
                           "(Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_1) AppleWebKit/534.48.3)"}
SELF_HOSTED_READER = "Mozilla/5.0 (compatible; Miniflux/2.2.{b}; +https://miniflux.app)"
# (class, name shown, referrer, query added to the first page)
ENTRANCES = [("search", "Google", "https://www.google.nl/", ""),
             ("search", "DuckDuckGo", "https://duckduckgo.com/", ""),
             ("search", "Bing", "https://www.bing.com/search?q=gemeente", ""),
             ("social", "Mastodon", "-", "?utm_source=mastodon"), ("social", "Facebook", "https://l.facebook.com/", ""),
             ("social", "LinkedIn", "https://www.linkedin.com/", ""), ("social", "Bluesky", "https://bsky.app/", ""),
             ("newsletter", None, "-", "?utm_medium=email&utm_source=nieuwsbrief"),
             ("other_sites", "buurtvereniging.example.org", "https://buurtvereniging.example.org/links", ""),
             ("direct", None, "-", ""), ("direct", None, "-", "")]


def log_line(ip: str, when: datetime.datetime, request: str, status: int, referrer: str, ua: str,
             size: int = 5120) -> str:
    """One line in nginx's combined format."""
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S %z")
    return f'{ip} - - [{stamp}] "{request}" {status} {size} "{referrer}" "{ua}"\n'


@dataclass
class Truth:
    """What the analysis must count: filled in by the generator as it writes."""

    days: dict = field(default_factory=dict)  # day → {"visitors", "page_views", "people", "bots", "feed_readers"}
    link_previews: int = 0
    status: Counter = field(default_factory=Counter)
    devices: Counter = field(default_factory=Counter)
    referrers: Counter = field(default_factory=Counter)  # (class, name)
    posts: Counter = field(default_factory=Counter)
    pages: Counter = field(default_factory=Counter)
    not_found: Counter = field(default_factory=Counter)
    subscribers: dict = field(default_factory=dict)  # aggregator → day → max
    malformed: int = 0

    def day(self, day: str) -> dict:
        return self.days.setdefault(day, {"visitors": 0, "page_views": 0, "people": 0, "bots": 0, "feed_readers": 0})


class Generator:
    """Writes `lines` log lines over consecutive days from `start`, recording the truth."""

    def __init__(self, seed: int = 2026, start: datetime.date = datetime.date(2026, 11, 1),
                 agents: int = 1500, addresses: int = 60_000, malformed_every: int = 20_000,
                 posts: list[str] | None = None):
        self.rng = random.Random(seed)
        self.posts = posts or POSTS
        self.start = start
        self.malformed_every = malformed_every
        rng = self.rng
        self.browsers = []
        for _ in range(agents):
            template, device, os_family = rng.choice(BROWSERS)
            model = "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ", k=2))  # many device models, as in real logs
            agent = template.format(v=rng.randint(118, 141), b=rng.randint(0, 9), m=model)
            self.browsers.append((agent, device))
        self.addresses = [self._address(i) for i in range(addresses)]
        self.truth = Truth()

    def _address(self, i: int) -> str:
        if i % 5 == 0:  # a fifth of visitors on IPv6
            return f"2001:db8:{i // 65536:x}:{i % 65536:x}::1"
        return f"{(198, 203)[i % 2]}.{(51, 0)[i % 2]}.{100 + (i >> 8) % 155}.{i % 256}"

    def day_events(self, day: datetime.date, budget: int) -> list[tuple[datetime.datetime, str]]:
        """About `budget` lines of one day, in time order."""
        rng, truth, events = self.rng, self.truth, []
        key = day.isoformat()
        counts = truth.day(key)
        midnight = datetime.datetime.combine(day, datetime.time(), TZ)

        def at(seconds: float) -> datetime.datetime:
            return midnight + datetime.timedelta(seconds=min(86_399, max(0, int(seconds))))

        def emit(when, request, status, referrer, ua, kind):
            events.append((when, log_line(ip, when, request, status, referrer, ua)))
            counts[kind] += 1
            truth.status[f"{status // 100}xx"] += 1

        seen: dict[tuple[str, str], tuple] = {}
        returning: list[tuple[str, str]] = []
        while len(events) < budget:
            roll = rng.random() if budget - len(events) > 20 else 0.8  # fill the last few lines exactly
            t = rng.uniform(0, 86_000)
            ip = rng.choice(self.addresses)
            if roll < 0.70:  # a person: a few pages with their assets
                if seen and rng.random() < 0.1:  # coming back later today: the same visitor
                    ip, ua = rng.choice(returning)
                    device, kind, name, referrer, query = seen[ip, ua]
                else:
                    ua, device = rng.choice(self.browsers)
                    while (ip, ua) in seen:
                        ip = rng.choice(self.addresses)
                    kind, name, referrer, query = rng.choice(ENTRANCES)
                for n in range(rng.randint(1, 4)):
                    path = rng.choice(self.posts + PAGES)
                    first = n == 0
                    status = 304 if rng.random() < 0.1 else 200
                    ref = referrer if first else SITE + "/"
                    emit(at(t), f"GET {path}{query if first else ''} HTTP/2.0", status, ref, ua, "people")
                    counts["page_views"] += 1
                    truth.pages[path] += 1
                    if path in self.posts:
                        truth.posts[path] += 1
                    if (ip, ua) not in seen:
                        seen[ip, ua] = (device, kind, name, referrer, query)
                        returning.append((ip, ua))
                        counts["visitors"] += 1
                        truth.devices[device] += 1
                        truth.referrers[(kind, name)] += 1
                    for asset in rng.sample(ASSETS, 2):
                        emit(at(t + 1), f"GET {asset} HTTP/2.0", 200, SITE + path, ua, "people")
                    if rng.random() < 0.05:
                        broken = rng.choice(BROKEN)
                        emit(at(t + 2), f"GET {broken} HTTP/2.0", 404, SITE + path, ua, "people")
                        truth.not_found[broken] += 1
                    t += rng.uniform(5, 90)
            elif roll < 0.85:  # a crawler: exactly one line
                ua = rng.choice(CRAWLERS)
                path = rng.choice(self.posts + PAGES + BROKEN + ["/robots.txt", "/wp-login.php"])
                status = 404 if path in BROKEN or path == "/wp-login.php" else 200
                emit(at(t), f"GET {path} HTTP/1.1", status, "-", ua, "bots")
            elif roll < 0.93:  # a burst of link previews after a social post
                post = rng.choice(self.posts)
                for _ in range(rng.randint(5, 15)):
                    ip = rng.choice(self.addresses)
                    ua = rng.choice(LINK_PREVIEWS).format(b=rng.randint(0, 5), host=rng.choice(INSTANCES))
                    emit(at(t + rng.uniform(0, 60)), f"GET {post} HTTP/1.1", 200, "-", ua, "bots")
                    truth.link_previews += 1
            else:  # a feed reader
                path = rng.choice(FEEDS)
                if rng.random() < 0.6:
                    name = rng.choice(sorted(AGGREGATORS))
                    n = 40 + (day - self.start).days + rng.randint(0, 3) if name == "Feedly" else rng.randint(3, 12)
                    ua = AGGREGATORS[name].format(n=n)
                    best = truth.subscribers.setdefault(name, {})
                    best[key] = max(best.get(key, 0), n)
                    emit(at(t), f"GET {path} HTTP/1.1", rng.choice((200, 304)), "-", ua, "feed_readers")
                else:
                    ua = SELF_HOSTED_READER.format(b=rng.randint(0, 3))
                    emit(at(t), f"GET {path} HTTP/1.1", 304, "-", ua, "feed_readers")
                    readers = truth.subscribers.setdefault("Overige feedlezers", {})
                    seen_readers = readers.setdefault("_" + key, set())
                    seen_readers.add((ip, ua))
                    readers[key] = len(seen_readers)
        events.sort(key=lambda event: event[0])
        return events

    def lines(self, total: int, days: int = 30):
        """Yield `total` lines (plus a malformed one every `malformed_every`) spread over `days` days."""
        written = 0
        for index in range(days):
            budget = (total - written) // (days - index)
            for _, line in self.day_events(self.start + datetime.timedelta(days=index), budget):
                yield line
                written += 1
                if self.malformed_every and written % self.malformed_every == 0:
                    self.truth.malformed += 1
                    yield "this is not a log line\n"
        self._finish()

    def _finish(self) -> None:
        for readers in self.truth.subscribers.values():
            for key in [k for k in readers if k.startswith("_")]:
                del readers[key]


def main(argv=None) -> None:
    """Write a synthetic log to stdout, e.g. for the demo month:

        python -m dorpsplein.analytics.synthetic --lines 150000 --days 27 --site output > demo.log
    """
    import argparse
    import sys
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--start", type=datetime.date.fromisoformat, default=datetime.date(2026, 11, 1))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--site", type=Path, help="a built site: its posts (blog/YYYY/MM/slug/) are the pages read")
    args = parser.parse_args(argv)
    posts = None
    if args.site:
        posts = sorted("/" + p.parent.relative_to(args.site).as_posix() + "/"
                       for p in args.site.glob("blog/[0-9]*/[0-9]*/*/index.html"))
    generator = Generator(seed=args.seed, start=args.start, posts=posts)
    sys.stdout.writelines(generator.lines(args.lines, days=args.days))


if __name__ == "__main__":
    main()
