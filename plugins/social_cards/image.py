"""A 1200×630 share image per post without an Image: the title large, wrapped and fitted, and the site name.

The file name holds a hash of everything drawn (title, site name, colours, font), so an image is
rendered again only when one of those changes; rendered images are kept in the content cache folder
and linked into each build's output.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

from .png import palette_png

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
TITLE_SIZES = range(88, 39, -4)  # largest first; the first size whose lines fit wins
MAX_LINES = 5
SITE_SIZE = 34
SITE_TOP = HEIGHT - MARGIN - SITE_SIZE  # the site name's line, above the bottom margin
VERSION = "2"  # change when the drawing changes, so every image is drawn again


@lru_cache(maxsize=64)
def _font(path: str, size: int):
    return ImageFont.truetype(path, size)


@lru_cache(maxsize=8)
def _blend_palette(background: str, color: str) -> list[int]:
    """256 shades from the background to the text colour: the anti-aliased edges of the text."""
    bg, fg = (ImageColor.getrgb(background)[:3], ImageColor.getrgb(color)[:3])
    return [round(b + (f - b) * i / 255) for i in range(256) for b, f in zip(bg, fg, strict=True)]


@lru_cache(maxsize=8192)
def _word_width(font_path: str, word: str) -> float:
    """A word's advance at the largest title size, kept: titles share many words (de, het, van, over)."""
    return _font(font_path, TITLE_SIZES[0]).getlength(word)


def drawable(text: str) -> str:
    """The text without emoji and variation selectors, which the font has no glyphs for (they would show as boxes)."""
    kept = "".join(ch for ch in text if ord(ch) < 0x1F000 and not 0xFE00 <= ord(ch) <= 0xFE0F and ch != "\u200d")
    return " ".join(kept.split())


def _wrap(words: list[str], widths: list[float], space: float, width: float) -> list[str]:
    """Greedy wrap by the words' widths: as many words on a line as fit."""
    lines: list[str] = []
    used = 0.0
    for word, word_width in zip(words, widths, strict=True):
        if lines and used + space + word_width <= width:
            lines[-1] += " " + word
            used += space + word_width
        else:
            lines.append(word)
            used = word_width
    return lines


def _fit(title: str, font_path: str, width: int, height: int):
    """(font, lines) for the largest size at which the title fits; the smallest size, cut with …, otherwise.

    Each word is measured once, at the largest size, and scaled to the others (measuring every
    candidate line at every size was half the drawing time). Hinting rounds advances per size, so
    the lines chosen are then measured exactly, and a size whose lines turn out too wide is passed over.
    """
    words = title.split()
    widths, space = [_word_width(font_path, word) for word in words], _word_width(font_path, " ")

    def estimate(size: int) -> list[str] | None:
        scale = size / TITLE_SIZES[0]
        lines = _wrap(words, [w * scale for w in widths], space * scale, width)
        too_wide = any(w * scale > width for w in widths)
        fits = not too_wide and len(lines) <= MAX_LINES and len(lines) * size * 1.2 <= height
        return lines if fits else None

    # A title that fits at one size fits at every smaller one: a binary search for the largest,
    # after trying the largest itself (most titles fit at once).
    sizes = list(TITLE_SIZES)
    low = 0
    if estimate(sizes[0]) is None:
        low, high = 1, len(sizes)
        while low < high:
            middle = (low + high) // 2
            if estimate(sizes[middle]) is None:
                low = middle + 1
            else:
                high = middle
    for size in sizes[low:]:
        lines = estimate(size)
        font = _font(font_path, size)
        if lines is not None and all(font.getlength(line) <= width for line in lines):
            return font, lines
    font = _font(font_path, sizes[-1])
    lines = _wrap(words, [font.getlength(word) for word in words], font.getlength(" "), width)[:MAX_LINES]
    while lines and font.getlength(lines[-1] + " …") > width:
        lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
    lines[-1] += " …"
    return font, lines


@lru_cache(maxsize=8)
def _frame(site_name: str, font_path: str) -> Image.Image:
    """What every card of the site shares: a rule and the site name, drawn once and copied."""
    frame = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(frame)
    draw.rectangle((MARGIN, SITE_TOP - 36, MARGIN + 120, SITE_TOP - 28), fill=255)  # a rule above the site name
    draw.text((MARGIN, SITE_TOP), site_name, font=_font(font_path, SITE_SIZE), fill=255)
    return frame


def render(title: str, site_name: str, background: str, color: str, font_path: str) -> Image.Image:
    """Drawn as a coverage mask, then coloured through a palette: a two-colour picture as a small,
    quickly written palette PNG (an RGB PNG with optimize=True took ten times as long)."""
    mask = _frame(site_name, font_path).copy()
    draw = ImageDraw.Draw(mask)
    font, lines = _fit(drawable(title), font_path, WIDTH - 2 * MARGIN, SITE_TOP - 36 - 2 * MARGIN)
    line_height = round(font.size * 1.2)
    for index, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + index * line_height), line, font=font, fill=255)
    mask.putpalette(_blend_palette(background, color))  # the mask becomes a palette image, no copy
    return mask


def image_key(title: str, site_name: str, background: str, color: str, font_path: str) -> str:
    drawn = "\0".join([VERSION, title, site_name, background.lower(), color.lower(), Path(font_path).name])
    return hashlib.sha256(drawn.encode("utf-8")).hexdigest()[:12]


def draw_to_cache(cached: Path, title: str, site_name: str, background: str, color: str, font_path: str) -> None:
    """Render into the cache folder, atomically: an interrupted build never leaves half an image."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")  # pid: two builds may draw the same image at once
    partial.write_bytes(palette_png(render(title, site_name, background, color, font_path)))
    partial.replace(cached)


def place(cached: Path, target: Path) -> None:
    """Put a cached image in the output: a hard link (no bytes copied) where the file system allows, else a copy."""
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(cached, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(cached, target)


GENERATED_NAME = re.compile(r".+-[0-9a-f]{12}\.png")


def remove_stale(folder: Path, wanted: set[str]) -> None:
    """Generated images in the output this build did not place (older titles, removed posts): nothing links to them."""
    if folder.is_dir():
        for other in folder.iterdir():
            if other.name not in wanted and GENERATED_NAME.fullmatch(other.name):
                other.unlink()
