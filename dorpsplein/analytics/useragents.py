"""What a user agent is: a person (with a device type), a bot, a link-preview fetcher or a feed reader.

Classifying one user agent costs a few milliseconds (crawlerdetect and ua-parser run hundreds
of regular expressions), while a log repeats the same few thousand agents a million times.
`AgentClassifier` remembers every answer, and asks crawlerdetect and ua-parser only once per
*shape* of agent (its text with every number replaced by 0): "Chrome/131.0.6778.85" and
"Chrome/132.0.6834.83" are the same browser on the same kind of device.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from crawlerdetect import CrawlerDetect
from ua_parser import BasicResolver, Domain, Parser, load_lazy_builtins

PERSON, BOT, FEED = "people", "bots", "feed_readers"

# Fetchers of link previews: they arrive in a burst right after a post on social media.
LINK_PREVIEW = re.compile(
    r"Mastodon|Pleroma|Akkoma|Misskey|Friendica|GoToSocial|Pixelfed|Sharkey|Iceshrimp|Lemmy|"
    r"Bluesky|Cardyb|facebookexternalhit|Facebot|meta-externalagent|Twitterbot|LinkedInBot|"
    r"WhatsApp|Slackbot|Slack-ImgProxy|Discordbot|TelegramBot|Iframely|Embedly|redditbot|"
    r"SkypeUriPreview|Synapse|Threads|Pinterestbot|vkShare|Signal",
    re.IGNORECASE,
)
# Aggregators put their subscriber count in the user agent: "Feedly/1.0 (…; 42 subscribers; …)".
SUBSCRIBERS = re.compile(r"(\d+)\s+(?:subscribers?|readers?)\b", re.IGNORECASE)
# Name shown → pattern. Readers without a count are counted as distinct clients per day instead.
FEED_READERS = {
    "Feedly": r"feedly", "Inoreader": r"inoreader", "NewsBlur": r"newsblur", "Feedbin": r"feedbin",
    "The Old Reader": r"theoldreader|old reader", "BazQux": r"bazqux", "Feedspot": r"feedspot",
    "Netvibes": r"netvibes", "Bloglovin": r"bloglovin", "FeedHQ": r"feedhq", "Feedwind": r"feedwind",
    "Digg": r"digg feed", "Miniflux": r"miniflux", "FreshRSS": r"freshrss", "Tiny Tiny RSS": r"tiny tiny rss",
    "NetNewsWire": r"netnewswire", "Reeder": r"reeder", "Feeder": r"feeder/|spacecowboys",
    "Nextcloud News": r"nextcloud-news", "Newsboat": r"newsboat", "Akregator": r"akregator",
    "Liferea": r"liferea", "QuiteRSS": r"quiterss", "Vienna": r"vienna/", "NewsFlash": r"newsflash",
    "Feedbro": r"feedbro", "Readwise": r"readwise", "Flipboard": r"flipboard",
}
_FEED_NAMES = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in FEED_READERS.items()]
_ANY_FEED_READER = re.compile("|".join(FEED_READERS.values()), re.IGNORECASE)
_NUMBERS = re.compile(r"\d+")
_PRODUCT = re.compile(r"^([A-Za-z][\w .-]*?)[/ (;-]")
_MOBILE_OS = {"iOS", "Android", "Windows Phone", "KaiOS", "BlackBerry OS", "Firefox OS", "Sailfish", "HarmonyOS"}
_DESKTOP_OS = {"Windows", "Mac OS X", "Linux", "Ubuntu", "Fedora", "Debian", "Chrome OS", "ChromeOS",
               "FreeBSD", "OpenBSD", "NetBSD", "Solaris", "Linux Mint", "Arch Linux"}
_TABLET = re.compile(r"iPad|Tablet|Kindle|Silk/|PlayBook|Nexus (?:7|9|10)\b", re.IGNORECASE)


class Agent(NamedTuple):
    kind: str                    # PERSON, BOT or FEED
    link_preview: bool = False   # a bot fetching a link preview
    device: str = "other"        # desktop, mobile, tablet, other (people only)
    os: str = "Overig"           # operating system family (people only)
    aggregator: str | None = None  # feed readers: the name shown
    subscribers: int | None = None  # feed readers that report a count


def feed_reader(ua: str) -> Agent | None:
    count = SUBSCRIBERS.search(ua)
    if count is None and not _ANY_FEED_READER.search(ua):
        return None
    name = next((name for name, pattern in _FEED_NAMES if pattern.search(ua)), None)
    if count is None and name is None:
        return None
    if name is None:  # an aggregator we do not know yet: its product token names it
        product = _PRODUCT.match(ua)
        name = product[1].strip() if product else "Onbekende feedlezer"
    return Agent(FEED, aggregator=name, subscribers=int(count[1]) if count else None)


# ua-parser's default parser compiles all its ~1,000 expressions up front (a third of a second);
# the lazy one compiles only those an agent reaches, and we only ask for the operating system.
_OS_PARSER: Parser | None = None


def parse_os_family(ua: str) -> str:
    global _OS_PARSER
    if _OS_PARSER is None:
        _OS_PARSER = Parser(BasicResolver(load_lazy_builtins()))
    found = _OS_PARSER(ua, Domain.OS).os
    return found.family if found else "Other"


def device_of(ua: str) -> tuple[str, str]:
    """(device type, operating system family) of a person's browser.

    The operating system comes from ua-parser; the type follows from it and the tokens browsers
    send for it ("iPad", "Mobile"). ua-parser's device lookup would add only brand and model,
    which we do not report, at five times the cost.
    """
    os_family = parse_os_family(ua)
    if _TABLET.search(ua) or (os_family == "Android" and "Mobile" not in ua):
        kind = "tablet"
    elif "iPhone" in ua or "iPod" in ua or os_family in _MOBILE_OS:
        kind = "mobile"
    elif os_family in _DESKTOP_OS:
        kind = "desktop"
    else:
        kind = "other"
    return kind, os_family if os_family != "Other" else "Overig"


class AgentClassifier:
    """Classifies user agents, each distinct one only once."""

    def __init__(self):
        self._crawlers = CrawlerDetect()
        self.known: dict[bytes, Agent] = {}
        self._shapes: dict[str, Agent] = {}

    def __call__(self, raw: bytes) -> Agent:
        agent = self.known.get(raw)
        if agent is None:
            agent = self.known[raw] = self.classify(raw.decode("utf-8", "replace"))
        return agent

    def classify(self, ua: str) -> Agent:
        ua = ua.strip()
        if ua in {"", "-"}:
            return Agent(BOT)
        reader = feed_reader(ua)
        if reader:
            return reader
        if LINK_PREVIEW.search(ua):
            return Agent(BOT, link_preview=True)
        shape = _NUMBERS.sub("0", ua)
        agent = self._shapes.get(shape)
        if agent is None:
            if self._crawlers.isCrawler(ua):
                agent = Agent(BOT)
            else:
                device, os_family = device_of(ua)
                agent = Agent(PERSON, device=device, os=os_family)
            self._shapes[shape] = agent
        return agent

    def __len__(self):
        return len(self.known)
