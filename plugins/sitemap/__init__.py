"""sitemap.xml with lastmod for every published post and page, and a robots.txt that points to it."""

from .sitemap import register

__all__ = ["register"]
