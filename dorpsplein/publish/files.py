"""What a built site holds: files with checksums, their media types and how long they may be cached.

One place for these, so the S3 target's object metadata and deploy/nginx agree.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path

# Text we pre-compress and serve with a charset.
TEXT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsl": "application/xslt+xml",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    ".ics": "text/calendar",
    ".webmanifest": "application/manifest+json",
}
COMPRESSED_SUFFIXES = {".gz": "gzip", ".br": "br"}


@dataclass(frozen=True)
class SiteFile:
    path: str  # relative, with "/" separators
    size: int
    md5: str  # hex; the ETag S3 gives an object uploaded in one part


def file_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(root: Path) -> dict[str, SiteFile]:
    """Every regular file under `root` (dot folders such as .well-known included), by relative path."""
    files = {}
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            full = Path(folder, name)
            if full.is_file():
                rel = full.relative_to(root).as_posix()
                files[rel] = SiteFile(rel, full.stat().st_size, file_md5(full))
    return files


def is_compressed_variant(path: str) -> bool:
    return Path(path).suffix in COMPRESSED_SUFFIXES


def content_type(path: str) -> str:
    """Media type for an object or response: text gets `charset=utf-8` (Pelican writes UTF-8)."""
    suffix = Path(path).suffix.lower()
    if path.endswith(".atom.xml"):
        return "application/atom+xml; charset=utf-8"
    if path.endswith(".rss.xml"):
        return "application/rss+xml; charset=utf-8"
    if path.endswith("feed.json") or path.startswith("feeds/") and suffix == ".json":
        return "application/feed+json; charset=utf-8"
    if suffix in TEXT_TYPES:
        return TEXT_TYPES[suffix] + "; charset=utf-8"
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def cache_control(path: str) -> str:
    """Pages and feeds change on every publish; theme files and images rarely."""
    if path.startswith(("theme/", "images/")):
        return "public, max-age=86400"
    return "public, max-age=300"
