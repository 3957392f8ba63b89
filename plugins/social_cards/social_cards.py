"""Social cards on every page: canonical URL, OpenGraph, Twitter card, JSON-LD, and generated share images.

Articles and pages get `social_card` (a meta.Card); other pages ask the template function
`site_card(output_file)`. Our theme renders either in partials/social_meta.html.
"""

from __future__ import annotations

import logging
from functools import lru_cache, partial
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page

from dorpsplein.html_policy import title_text
from dorpsplein.images import image_of
from dorpsplein.lazy import Lazy
from dorpsplein.metadata import ARTICLE_LISTS, PAGE_LISTS, embargoed
from dorpsplein.urls import absolute_url

from .drawing import Drawing
from .image import HEIGHT, WIDTH, image_key
from .meta import make_card, plain
from .settings import card_settings

logger = logging.getLogger(__name__)


def _generated(settings: dict, options: dict, name: str, title: str) -> tuple[str, dict]:
    """(site-relative path, drawing arguments) of the share image for `title`."""
    return _image(options["SOCIAL_CARDS_IMAGE_DIR"].strip("/"), name, title, settings["SITENAME"],
                  options["SOCIAL_CARDS_BACKGROUND"], options["SOCIAL_CARDS_COLOR"], options["SOCIAL_CARDS_FONT"])


@lru_cache(maxsize=4096)  # asked when a post is read and again when the posts are final
def _image(folder: str, name: str, title: str, site_name: str, background: str, color: str, font_path: str):
    drawing = dict(title=title, site_name=site_name, background=background, color=color, font_path=font_path)
    return f"{folder}/{name}-{image_key(**drawing)}.png", drawing


# The share images of the build in progress (one build at a time per process, as Pelican's signals are global).
_drawing: Drawing | None = None


def new_build(pelican) -> None:
    global _drawing
    if _drawing is not None:
        _drawing.close()  # an earlier build that stopped before `finalized`
    _drawing = None


def _drawing_for(settings: dict) -> Drawing:
    global _drawing
    if _drawing is None:
        cache = Path(settings.get("CACHE_PATH") or ".cache") / "social_cards"
        _drawing = Drawing(cache, Path(settings["OUTPUT_PATH"]))
    return _drawing


def _card(content, kind: str, options: dict, image: str | None, size: tuple[int, int] | None):
    """`image`: the generated share image's site path; None for the post's own `Image`."""
    settings = content.settings
    title = title_text(content.title)
    if size:  # the generated image
        image_alt = f"{title} – {settings['SITENAME']}"
        image_url = absolute_url(image, settings)
    else:
        image_alt = getattr(content, "image_alt", None) or title
        image_url = image_of(content).absolute_url(settings)  # resolved by plugins/content_images by now
    return make_card(
        settings, options, url=absolute_url(content.url, settings), title=title,
        description=plain(getattr(content, "summary", "")) or settings.get("SITESUBTITLE", ""),
        image=image_url, image_alt=image_alt,
        lang=getattr(content, "lang", None) or settings.get("DEFAULT_LANG", "nl"), kind=kind, image_size=size,
        published=getattr(content, "date", None) if kind == "article" else None,
        modified=getattr(content, "modified", None) if kind == "article" else None,
        author=str(content.author) if kind == "article" and getattr(content, "author", None) else None)


def attach_card(content, kind: str) -> None:
    """The share image is wanted now (its page links to it); the card itself is made when a template asks."""
    settings = content.settings
    options = card_settings(settings)
    image, size = None, None
    if image_of(content) is None:
        image, drawing = _generated(settings, options, content.slug, title_text(content.title))
        _drawing_for(settings).want(image, drawing)
        size = (WIDTH, HEIGHT)
    content.social_card = Lazy(partial(_card, content, kind, options, image, size))  # notmyidea never reads it


def start_drawing(content) -> None:
    """As soon as a post is read, so its image is drawn while Pelican reads and writes the others."""
    if isinstance(content, Article | Page) and image_of(content) is None:
        settings = content.settings
        drawing = _generated(settings, card_settings(settings), content.slug, title_text(content.title))
        _drawing_for(settings).draw(*drawing)


def _attach_all(generator, lists: tuple[str, ...], kind: str) -> None:
    # getattr: other plugins' generators send these signals too, with lists of their own.
    withhold = bool(generator.settings.get("EMBARGO"))  # plugins/embargo takes them out of the lists too
    for name in lists:
        for content in getattr(generator, name, ()):
            if withhold and embargoed(content):
                continue
            attach_card(content, kind)


def articles_finalized(generator) -> None:
    _attach_all(generator, ARTICLE_LISTS, "article")


def pages_finalized(generator) -> None:
    _attach_all(generator, PAGE_LISTS, "page")


def _site_image(settings: dict) -> tuple[str, dict]:
    return _generated(settings, card_settings(settings), "site", settings.get("SITESUBTITLE") or settings["SITENAME"])


def install_site_card(generator) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    settings = generator.settings
    options = card_settings(settings)
    image, drawing = _site_image(settings)

    def site_card(output_file: str = ""):
        path = output_file.removesuffix("index.html") if output_file else ""
        return make_card(settings, options, url=absolute_url(path, settings), title=settings["SITENAME"],
                         description=settings.get("SITESUBTITLE") or settings["SITENAME"],
                         image=absolute_url(image, settings), image_alt=f"{drawing['title']} – {settings['SITENAME']}",
                         lang=settings.get("DEFAULT_LANG", "nl"), image_size=(WIDTH, HEIGHT))

    env.globals["site_card"] = site_card


def write_images(pelican) -> None:
    """After every page is written: the share images they link to, and the site's own."""
    global _drawing
    drawing = _drawing_for(pelican.settings)
    drawing.want(*_site_image(pelican.settings))
    _drawing = None
    drawn = drawing.finish()
    if drawn:
        logger.info("social_cards: drew %d share image(s), e.g. %s", len(drawn), drawn[0])


def register():
    signals.initialized.connect(new_build)
    signals.content_object_init.connect(start_drawing)
    signals.article_generator_finalized.connect(articles_finalized)
    signals.page_generator_finalized.connect(pages_finalized)
    signals.generator_init.connect(install_site_card)
    signals.finalized.connect(write_images)
