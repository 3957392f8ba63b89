"""Which files a build will write, known before it writes them, so templates link only to pages that exist."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from pelican.contents import Content

from dorpsplein.metadata import ARTICLE_LISTS, PAGE_LISTS


def _save_as(item) -> str | None:
    # Content.save_as, not Static's own property: that one marks the location as referenced, after
    # which Pelican refuses to move the file for an {attach} link.
    return Content.save_as.fget(item) if isinstance(item, Content) else getattr(item, "save_as", None)


def planned_paths(generators, settings: dict) -> set[str]:
    """Output paths (like `over-ons/index.html`) of every page, post, list and static file of this build.

    A generator of a plugin that writes pages of its own lists them in a `site_paths()` method.
    """
    paths: set[str] = set()
    for generator in generators:
        for name in {*ARTICLE_LISTS, *PAGE_LISTS, "staticfiles"}:
            paths.update(_save_as(item) for item in getattr(generator, name, ()) or ())
        for name in ("categories", "tags", "authors"):
            terms = getattr(generator, name, None) or ()
            paths.update(term.save_as for term, _ in (terms.items() if isinstance(terms, dict) else terms))
        if hasattr(generator, "site_paths"):
            paths.update(generator.site_paths())
    for template in settings.get("DIRECT_TEMPLATES", ()):
        paths.add(settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html"))
    paths.update((settings.get("TEMPLATE_PAGES") or {}).values())
    paths.discard(None)
    paths.discard("")
    return {path.lstrip("/") for path in paths}


class SitePaths:
    """`page_exists(url)` for templates: is `url` (site-relative, or under SITEURL) a file this build writes?

    Links to other sites are not ours to judge: they count as existing.
    """

    def __init__(self, paths: set[str], siteurl: str = ""):
        self.paths = paths
        self.siteurl = siteurl.rstrip("/")

    def __call__(self, url: str) -> bool:
        if self.siteurl and url.startswith(self.siteurl + "/"):
            url = url[len(self.siteurl):]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return True
        path = unquote(parts.path).lstrip("/")
        if not path:
            return "index.html" in self.paths
        return path in self.paths or f"{path.rstrip('/')}/index.html" in self.paths
