"""Written after the pages, from the context every generator shares: `articles` holds only
published, current posts (drafts, future posts and expired notices are elsewhere), `pages` only
published pages, so the sitemap lists exactly what the site publishes.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pelican import signals

from dorpsplein.files import write_if_changed
from dorpsplein.urls import absolute_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DEFAULTS = {"SITEMAP_SAVE_AS": "sitemap.xml", "ROBOTS_SAVE_AS": "robots.txt", "SITEMAP_LISTS": ["blog/"]}


def _settings(settings: dict) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}


def _lastmod(content) -> str | None:
    when = getattr(content, "modified", None) or getattr(content, "date", None)
    return when.isoformat(timespec="seconds") if when else None


def entries(context: dict, settings: dict, lists: list[str]) -> list[tuple[str, str | None]]:
    """(absolute URL, lastmod) for the lists, every post and every page (the home page is one); sorted."""
    newest = max((_lastmod(a) for a in context.get("articles", [])), default=None)
    found = {absolute_url(path, settings): newest for path in lists}
    home = context.get("home_page")  # plugins/whole_site's, for a site without a welcome page
    for content in list(context.get("articles", [])) + list(context.get("pages", [])) + ([home] if home else []):
        found[absolute_url(content.url, settings)] = _lastmod(content)
    return sorted(found.items())


def render(items: list[tuple[str, str | None]]) -> bytes:
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    for loc, lastmod in items:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
        if lastmod:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
    etree.indent(urlset, space="  ")
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8")


def write_sitemap(generator, writer=None) -> None:
    settings = generator.settings
    cfg = _settings(settings)
    output = Path(settings["OUTPUT_PATH"])
    sitemap_url = absolute_url(cfg["SITEMAP_SAVE_AS"], settings)
    items = entries(generator.context, settings, cfg["SITEMAP_LISTS"])
    write_if_changed(output / cfg["SITEMAP_SAVE_AS"], render(items))
    if cfg["ROBOTS_SAVE_AS"]:
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
        write_if_changed(output / cfg["ROBOTS_SAVE_AS"], robots.encode("utf-8"))


def register():
    signals.page_writer_finalized.connect(write_sitemap)
