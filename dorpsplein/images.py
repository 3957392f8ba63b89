"""A post's `Image` → the image's address: one helper for the page, og:image, JSON-LD, feeds and editions.

Every form staff may write gives the same address:

| `Image:` | the file in the content folder |
|---|---|
| `{static}/images/x.png`, `{static}x.png` | Pelican's syntax: from the content folder, or from the post's folder |
| `{attach}x.png`, `{attach}/blog/x.png` | the same, and the file is written next to the post's page |
| `/images/x.png`, `images/x.png` | from the content folder (the site's address of a static file) |
| `https://…` | another site's image: used as it is |

plugins/content_images resolves each post's image once with Pelican's own static files (so
`{attach}` moves the file and `STATIC_SAVE_AS` is followed) and attaches the result as
`image_ref` and `image_url`; `image_of` reads it, or works it out from the metadata alone.
The content check (`tasks.py check`) reports a missing file with its line.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from .urls import absolute_url

PREFIX_RE = re.compile(r"^(?:\{(?P<brace>static|attach|filename)\}|\|(?P<bar>static|attach|filename)\|)")


@dataclass(frozen=True)
class ImageRef:
    written: str  # the metadata value as staff wrote it
    source: str | None  # the file in the content folder (posix path from PATH); None for another site's image
    path: str | None  # its path on the site (without a leading slash); None for another site's image
    external: str | None = None  # another site's image URL
    attach: bool = False  # {attach}: the file belongs next to the post's page

    def page_url(self, settings: dict) -> str:
        """For `<img src>`: under SITEURL (site-relative in a development build)."""
        return self.external or f"{(settings.get('SITEURL') or '').rstrip('/')}/{self.path}"

    def absolute_url(self, settings: dict) -> str:
        """For og:image, JSON-LD, feeds and e-mail: absolute, also in a development build."""
        return self.external or absolute_url(self.path, settings)

    def shown_in(self, html: str) -> bool:
        """Does the page's text show this image already (so the theme need not show it again)?"""
        return bool(html) and (self.external or self.path) in html

    def located(self, path: str) -> ImageRef:
        """The same image, at the path Pelican writes it to."""
        return replace(self, path=path.lstrip("/"))


def parse_image(value: str, source_path: str | None = None) -> ImageRef | None:
    """The image `value` (an `Image:` field) names, for a post at `source_path` (relative to the content folder).

    None for an empty value.
    """
    written = str(value or "").strip()
    if not written:
        return None
    parts = urlsplit(written)
    if parts.scheme or parts.netloc:
        return ImageRef(written, None, None, external=written)
    match = PREFIX_RE.match(written)
    path = unquote(urlsplit(written[match.end():] if match else written).path)
    if match and not path.startswith("/"):  # Pelican's rule: relative to the post's own folder
        path = posixpath.join(posixpath.dirname(source_path or ""), path)
    source = posixpath.normpath(path.lstrip("/"))
    kind = match and (match["brace"] or match["bar"])
    return ImageRef(written, source, source, attach=kind == "attach")


def image_of(content) -> ImageRef | None:
    """The `Image` of a post or page: as plugins/content_images resolved it, else from its metadata."""
    ref = getattr(content, "image_ref", None)
    if ref is not None:
        return ref
    metadata = getattr(content, "metadata", None) or {}
    source_path = content.get_relative_source_path() if hasattr(content, "get_relative_source_path") else None
    return parse_image(metadata.get("image"), source_path)
