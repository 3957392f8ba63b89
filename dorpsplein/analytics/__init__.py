"""Cookieless analytics from the web server's access logs (nginx/Apache "combined" format).

    from dorpsplein.analytics import analyse, shape_from_settings
    shape = shape_from_settings(settings, site_paths("output"))
    report = analyse([Path("/var/log/nginx/access.log")], Path("state/analytics"), shape)

Counts people, bots (with link-preview fetchers) and feed readers (with their subscriber
counts), unique visitors per day from a keyed hash of a daily random salt, address and user
agent, devices, referrer classes, pages, posts and 404s; writes only monthly aggregates in the
shape of `dorpsplein.analytics_schema`. Pages and 404s are named only when they exist on the site
(`sitepaths`) and pass the schema's publishing rule; the rest is "other".
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .counting import SiteShape
from .incremental import FileReport, RunReport, analyse
from .sitepaths import default_site_source, site_paths

__all__ = ["FileReport", "RunReport", "SiteShape", "analyse", "default_site_source", "shape_from_settings",
           "site_paths"]


def _url_pattern(template: str) -> re.Pattern:
    """Pelican's 'blog/{date:%Y}/{date:%m}/{slug}/' → a regex matching those paths."""
    parts = re.split(r"\{[^}]*\}", template)
    return re.compile("^/" + "[^/]+".join(re.escape(part) for part in parts) + "$")


def shape_from_settings(settings: dict, known_paths: frozenset[str] = frozenset()) -> SiteShape:
    """Which paths are posts (ARTICLE_URL), which hosts are the site itself (SITEURL and friends), and
    the paths that exist (`site_paths`)."""
    urls = [settings.get(name) or "" for name in ("SITEURL", "PREVIEW_URL", "FEED_DOMAIN")]
    hosts = {urlsplit(url).hostname for url in urls if "://" in url}
    hosts |= set(settings.get("ANALYTICS_SITE_HOSTS", []))
    return SiteShape(post=_url_pattern(settings.get("ARTICLE_URL", "{slug}.html")),
                     site_hosts=frozenset(h for h in hosts if h), known_paths=known_paths)
