"""Where the posts come from: the JSON Feed of a local build or of the live site, and their images.

A local feed (`--feed output/feeds/all.json`, the default) resolves the site's own image URLs
(those under the feed's `home_page_url`) to files in that build's output folder, so pushing
right after a build needs no web server. A feed read from a URL downloads its images.
"""

from __future__ import annotations

import io
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

from ..errors import DorpspleinError
from ..jsonfeed import FeedError, FeedItem, read_feed

MAX_DOWNLOAD = 20 * 1024 * 1024
BLUESKY_THUMB_MAX = 1_000_000  # bytes; app.bsky.embed.external thumb
USER_AGENT = "Dorpsplein social push (+https://github.com/)"


class ImageError(Exception):
    """An image that cannot be read; the post goes out without it and the summary says why."""


@dataclass(frozen=True)
class Image:
    data: bytes
    mime: str
    name: str


@dataclass
class FeedSource:
    location: str
    items: list[FeedItem]
    home_page_url: str
    local_root: Path | None = None
    timeout: float = 30.0

    def absolute(self, site_path: str) -> str:
        if "://" in site_path:
            return site_path
        return f"{self.home_page_url.rstrip('/')}/{site_path.lstrip('/')}"

    def load_image(self, ref: str) -> Image:
        """An image by absolute URL (the feed's own, served from the local build when we have one) or path."""
        if "://" not in ref:
            return read_image_file(Path(ref))
        home = self.home_page_url.rstrip("/") + "/"
        if self.local_root is not None and ref.startswith(home):
            relative = unquote(urlsplit(ref).path[len(urlsplit(home).path):])
            path = (self.local_root / relative).resolve()
            if self.local_root.resolve() not in path.parents:
                raise ImageError(f"{ref}: outside the site's output folder")
            return read_image_file(path)
        return download_image(ref, self.timeout)


def read_image_file(path: Path) -> Image:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return Image(data, _mime(path.name, data), path.name)


def download_image(url: str, timeout: float) -> Image:
    try:
        with requests.get(url, timeout=timeout, stream=True, headers={"User-Agent": USER_AGENT}) as response:
            response.raise_for_status()
            data = response.raw.read(MAX_DOWNLOAD + 1, decode_content=True)
    except requests.RequestException as exc:
        raise ImageError(f"{url}: cannot download ({exc.__class__.__name__})") from None
    if len(data) > MAX_DOWNLOAD:
        raise ImageError(f"{url}: larger than {MAX_DOWNLOAD // (1024 * 1024)} MB")
    name = Path(urlsplit(url).path).name or "image"
    return Image(data, _mime(name, data), name)


def _mime(name: str, data: bytes) -> str:
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def small_enough(image: Image, limit: int = BLUESKY_THUMB_MAX) -> Image:
    """The image, re-encoded as a smaller JPEG when it is over `limit` bytes (Bluesky's thumb limit)."""
    if len(image.data) <= limit:
        return image
    from PIL import Image as PILImage  # only needed for the rare large image

    try:
        picture = PILImage.open(io.BytesIO(image.data)).convert("RGB")
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad files
        raise ImageError(f"{image.name}: not an image Pillow can read ({exc})") from None
    side = 2000
    while side >= 200:
        picture.thumbnail((side, side))
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=80, optimize=True)
        if out.tell() <= limit:
            return Image(out.getvalue(), "image/jpeg", Path(image.name).stem + ".jpg")
        side //= 2
    raise ImageError(f"{image.name}: cannot make it smaller than {limit} bytes")


def _default_feed(settings: dict) -> Path:
    return Path(settings.get("OUTPUT_PATH") or "output") / "feeds" / "all.json"


def load_feed(source: str | Path | None, settings: dict, timeout: float = 30.0) -> FeedSource:
    """The feed at `source` (a path or an http(s) URL; default: the local build's feeds/all.json)."""
    location = str(source) if source is not None else str(_default_feed(settings))
    if location.startswith(("http://", "https://")):
        try:
            response = requests.get(location, timeout=timeout, headers={"User-Agent": USER_AGENT})
            response.raise_for_status()
        except requests.RequestException as exc:
            raise DorpspleinError(f"{location}: cannot read the feed ({exc.__class__.__name__}: {exc})") from None
        text, local_root = response.content, None
    else:
        path = Path(location)
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            hint = " (run `python tasks.py build` first, or pass --feed PATH|URL)" if source is None else ""
            raise DorpspleinError(f"{path}: feed not found{hint}") from None
        except OSError as exc:
            raise DorpspleinError(f"{path}: cannot read the feed: {exc.strerror}") from None
        local_root = path.resolve().parent.parent if path.parent.name == "feeds" else path.resolve().parent
    try:
        items = read_feed(text)
        home = json.loads(text).get("home_page_url") or ""
    except FeedError as exc:
        raise DorpspleinError(f"{location}: {exc}") from None
    return FeedSource(location, items, str(home), local_root, timeout)
