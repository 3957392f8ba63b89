"""Pelican glue for dorpsplein/images.py: the file of each `Image` is copied, attached, and its address attached.

1. When the posts and pages are read, each image file becomes one of Pelican's static links, so it
   is copied even from outside STATIC_PATHS (as Pelican does for `{static}` links in the text).
2. Once the static files are known, `{attach}` moves the file next to the page (Pelican's
   `attach_to`), and every post and page gets `image_ref` (dorpsplein.images.ImageRef, at the
   path Pelican writes the file to) and `image_url` (for `<img src>`). Feeds, newsletter editions
   and social cards take the same `image_ref`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from dorpsplein.images import parse_image
from dorpsplein.metadata import ARTICLE_LISTS, PAGE_LISTS

logger = logging.getLogger(__name__)


def _parse(content):
    return parse_image(content.metadata.get("image"), content.get_relative_source_path())


def link_image_files(generator, lists: tuple[str, ...]) -> None:
    root = Path(generator.settings["PATH"])
    for name in lists:
        for content in getattr(generator, name, ()) or ():
            ref = _parse(content) if hasattr(content, "metadata") else None
            if ref is not None and ref.source and (root / ref.source).is_file():
                generator.context["static_links"].add(ref.source)


def articles_read(generator) -> None:
    link_image_files(generator, ARTICLE_LISTS)


def pages_read(generator) -> None:
    link_image_files(generator, PAGE_LISTS)


def attach_images(static_generator) -> None:
    """Every post and page read (any status, any language): its image at its final address."""
    context, settings = static_generator.context, static_generator.settings
    statics = context.get("static_content", {})
    for content in list(context.get("generated_content", {}).values()):
        ref = _parse(content) if hasattr(content, "metadata") else None
        if ref is None:
            continue
        static = statics.get(ref.source) if ref.source else None
        if static is not None:
            if ref.attach:
                static.attach_to(content)
            ref = ref.located(static.url)
        content.image_ref = ref
        content.image_url = ref.page_url(settings)


def register():
    signals.article_generator_finalized.connect(articles_read)
    signals.page_generator_finalized.connect(pages_read)
    signals.static_generator_finalized.connect(attach_images)
