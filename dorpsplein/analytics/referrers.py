"""How a visitor came: a search engine, a social network (by name), the newsletter, another site, or directly.

Links in Mastodon and most apps carry no referrer (rel="noreferrer"), so a `utm_source` /
`utm_medium` in the address counts too: the social push and the newsletter add them.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

SEARCH, SOCIAL, NEWSLETTER, OTHER, DIRECT, INTERNAL = "search", "social", "newsletter", "other_sites", "direct", None

# (name, pattern on the referrer's host without "www.")
SEARCH_ENGINES = [
    ("Google", r"(^|\.)google\.[a-z.]+$"), ("Bing", r"(^|\.)bing\.com$"), ("DuckDuckGo", r"(^|\.)duckduckgo\.com$"),
    ("Ecosia", r"(^|\.)ecosia\.org$"), ("Startpage", r"(^|\.)startpage\.com$"), ("Qwant", r"(^|\.)qwant\.com$"),
    ("Yahoo", r"(^|\.)yahoo\.[a-z.]+$"), ("Brave Search", r"^search\.brave\.com$"), ("Kagi", r"(^|\.)kagi\.com$"),
    ("Yandex", r"(^|\.)yandex\.[a-z.]+$"), ("Baidu", r"(^|\.)baidu\.com$"), ("Perplexity", r"(^|\.)perplexity\.ai$"),
    ("ChatGPT", r"^chatgpt\.com$"),
]
SOCIAL_NETWORKS = [
    ("Mastodon", r"^(mstdn\.[a-z.]+|social\.overheid\.nl|toot\.[a-z.]+|[a-z0-9.-]*mastodon[a-z0-9.-]*)$"),
    ("Bluesky", r"(^|\.)bsky\.(app|social)$"), ("Facebook", r"(^|\.)facebook\.com$|^fb\.me$"),
    ("Instagram", r"(^|\.)instagram\.com$"), ("LinkedIn", r"(^|\.)linkedin\.com$|^lnkd\.in$"),
    ("X (Twitter)", r"^(t\.co|twitter\.com|x\.com|mobile\.twitter\.com)$"), ("Threads", r"(^|\.)threads\.(net|com)$"),
    ("YouTube", r"(^|\.)youtube\.com$|^youtu\.be$"), ("Reddit", r"(^|\.)reddit\.com$"),
    ("Nextdoor", r"(^|\.)nextdoor\.(nl|com|co\.uk)$"), ("WhatsApp", r"(^|\.)whatsapp\.com$|^wa\.me$"),
    ("Telegram", r"^t\.me$|(^|\.)telegram\.org$"), ("Pinterest", r"(^|\.)pinterest\.[a-z.]+$"),
    ("TikTok", r"(^|\.)tiktok\.com$"),
]
WEBMAIL = r"^(mail\.google\.com|outlook\.(live|office|office365)\.com|mail\.yahoo\.com|webmail\..+|mail\..+)$"
# Android apps send `android-app://<package>` as referrer.
APPS = {"com.google.android.gm": (NEWSLETTER, None), "org.joinmastodon.android": (SOCIAL, "Mastodon"),
        "com.google.android.googlequicksearchbox": (SEARCH, "Google"), "com.linkedin.android": (SOCIAL, "LinkedIn"),
        "com.facebook.katana": (SOCIAL, "Facebook"), "xyz.blueskyweb.app": (SOCIAL, "Bluesky")}
NEWSLETTER_MARKS = {"email", "e-mail", "mail", "newsletter", "nieuwsbrief"}

_SEARCH = [(name, re.compile(pattern)) for name, pattern in SEARCH_ENGINES]
_SOCIAL = [(name, re.compile(pattern)) for name, pattern in SOCIAL_NETWORKS]
_WEBMAIL = re.compile(WEBMAIL)
_SOCIAL_BY_NAME = {name.lower().split(" ")[0]: name for name, _ in SOCIAL_NETWORKS} | {"twitter": "X (Twitter)"}


def host_of(referrer: str) -> str:
    """'https://www.Google.nl/search?q=x' → 'google.nl'."""
    rest = referrer.split("://", 1)[-1]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def classify_host(host: str, site_hosts: frozenset[str]) -> tuple[str | None, str | None]:
    """(class, name) of a referrer host; (None, None) for the site itself."""
    if host in site_hosts:
        return INTERNAL, None
    if _WEBMAIL.match(host):  # before search engines: mail.google.com is Gmail, not Google search
        return NEWSLETTER, None
    for name, pattern in _SEARCH:
        if pattern.search(host):
            return SEARCH, name
    for name, pattern in _SOCIAL:
        if pattern.search(host):
            return SOCIAL, name
    return OTHER, host


def classify_campaign(query: str) -> tuple[str, str | None] | None:
    """A `utm_source`/`utm_medium` that names the newsletter or a social network, else None."""
    if "utm_" not in query:
        return None
    params = parse_qs(query)
    values = {v.lower() for key in ("utm_source", "utm_medium") for v in params.get(key, ())}
    if values & NEWSLETTER_MARKS:
        return NEWSLETTER, None
    for value in values:
        if value in _SOCIAL_BY_NAME:
            return SOCIAL, _SOCIAL_BY_NAME[value]
    return None


class ReferrerClassifier:
    """Classifies referrers, remembering each host's answer."""

    def __init__(self, site_hosts: frozenset[str]):
        self.site_hosts = frozenset(h.lower().removeprefix("www.") for h in site_hosts)
        self._hosts: dict[str, tuple[str | None, str | None]] = {}

    def __call__(self, referrer: bytes, query: str) -> tuple[str | None, str | None]:
        """(class, name) of a visit that starts with this request: class DIRECT when nothing is known."""
        campaign = classify_campaign(query) if query else None
        if campaign:
            return campaign
        if referrer in (b"-", b""):
            return DIRECT, None
        text = referrer.decode("utf-8", "replace")
        if text.startswith("android-app://"):
            package = host_of(text)
            return APPS.get(package, (OTHER, package))
        host = host_of(text)
        if not host:
            return DIRECT, None
        known = self._hosts.get(host)
        if known is None:
            known = self._hosts[host] = classify_host(host, self.site_hosts)
        return known if known[0] is not INTERNAL else (DIRECT, None)
