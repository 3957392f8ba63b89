"""The addresses that exist on the site: only those are ever counted by name (analytics_schema).

From a built site (every file of the output folder; `x/index.html` is `/x/`), or from a sitemap
(a file, or the live site's `https://…/sitemap.xml`). `tasks.py analytics` takes `--site`, else
the setting ANALYTICS_SITE, else the output folder when it holds a build, else the production
site's sitemap: the logs are the live site's, so its own list of pages is the right one.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import DorpspleinError

SITEMAP_NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FETCH_TIMEOUT = 30


def paths_of_folder(folder: Path) -> frozenset[str]:
    """Every file of a built site as its path; an `index.html` also as its folder's path."""
    paths = set()
    for file in Path(folder).rglob("*"):
        relative = file.relative_to(folder)
        if not file.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        path = "/" + relative.as_posix()
        paths.add(path)
        if file.name == "index.html":
            paths.add(path[: -len("index.html")])
    return frozenset(paths)


def paths_of_sitemap(text: bytes | str, source: str) -> frozenset[str]:
    """The path of every `<loc>` of a sitemaps.org sitemap."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise DorpspleinError(f"{source}: not a sitemap: {exc}") from None
    locations = [loc.text.strip() for loc in root.iter(f"{SITEMAP_NAMESPACE}loc") if loc.text]
    if not locations:
        raise DorpspleinError(f"{source}: a sitemap without any <loc>")
    return frozenset(unquote(urlsplit(url).path) or "/" for url in locations)


def site_paths(source: str | Path) -> frozenset[str]:
    """The site's paths from a built folder, a sitemap file or a sitemap URL; a DorpspleinError naming it."""
    text = str(source)
    if text.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(text, timeout=FETCH_TIMEOUT) as response:
                return paths_of_sitemap(response.read(), text)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DorpspleinError(f"{text}: cannot fetch the sitemap ({exc}); build the site first or give "
                                  "--site with a built folder") from None
    path = Path(source)
    if path.is_dir():
        paths = paths_of_folder(path)
        if not any(p.endswith(".html") for p in paths):
            raise DorpspleinError(f"{path}: not a built site (no HTML page in it); build it first or give --site")
        return paths
    try:
        return paths_of_sitemap(path.read_bytes(), str(path))
    except OSError as exc:
        raise DorpspleinError(f"{path}: cannot read the site's addresses: {exc.strerror}") from None


def default_site_source(settings: dict, root: Path) -> str:
    """ANALYTICS_SITE, else the output folder when it holds a build, else the production sitemap URL."""
    if settings.get("ANALYTICS_SITE"):
        return str(settings["ANALYTICS_SITE"])
    output = Path(root) / settings.get("OUTPUT_PATH", "output")
    if (output / "sitemap.xml").is_file() or (output / "index.html").is_file():
        return str(output)
    siteurl = str(settings.get("SITEURL") or "")
    if not siteurl.startswith(("http://", "https://")):
        raise DorpspleinError(f"no list of the site's addresses: {output} holds no build and SITEURL "
                              f"({siteurl!r}) is no web address; build the site or give --site")
    return f"{siteurl.rstrip('/')}/{settings.get('SITEMAP_SAVE_AS', 'sitemap.xml')}"
