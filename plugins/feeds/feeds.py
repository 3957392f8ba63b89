"""Pelican glue: posts → FeedItems → feeds for the site, each category and each tag.

Pelican's own FEED_* settings must be None (it refuses to overwrite our files).
The context gets `site_feeds` and `feeds_for(category_or_tag)` for the theme
(`<link rel="alternate">` and visible links), and `category_feeds`, `tag_feeds`
and `feed_readers` for the feeds page.
"""

from __future__ import annotations

import datetime
import logging
import mimetypes
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from pelican import signals

from dorpsplein.background import BesideThePosts
from dorpsplein.feedwriter import write_feed
from dorpsplein.files import write_if_changed
from dorpsplein.images import image_of
from dorpsplein.jsonfeed import Feed, FeedItem
from dorpsplein.metadata import parse_yes_no
from dorpsplein.urls import absolute_url, base_url
from dorpsplein.visible_text import visible_text

from .absolute_urls import absolutize
from .settings import feed_settings

logger = logging.getLogger(__name__)
FORMATS = {"atom": ("Atom", "application/atom+xml"), "rss": ("RSS", "application/rss+xml"),
           "json": ("JSON Feed", "application/feed+json")}
STYLESHEET_SOURCE = Path(__file__).with_name("feed.css")


@dataclass(frozen=True)
class FeedLink:
    """What the theme needs to link a feed: `<link rel="alternate" type title href>`."""

    title: str
    url: str
    type: str
    format: str


def _links(title: str, paths: dict[str, str | None], settings: dict) -> list[FeedLink]:
    return [FeedLink(f"{title} ({FORMATS[kind][0]})", absolute_url(path, settings), FORMATS[kind][1], kind)
            for kind, path in paths.items() if path]


def _site_paths(cfg: dict) -> dict:
    return {"atom": cfg["FEEDS_ALL_ATOM"], "rss": cfg["FEEDS_ALL_RSS"], "json": cfg["FEEDS_ALL_JSON"]}


def _taxonomy_paths(cfg: dict, kind: str, slug: str) -> dict:
    return {fmt: (cfg[f"FEEDS_{kind}_{fmt.upper()}"] or "").format(slug=slug) or None for fmt in ("atom", "rss")}


def _is_listed(article, now: datetime.datetime) -> bool:
    """Drafts, hidden posts, future posts and expired notices never reach a feed."""
    return (article.status == "published" and article.date <= now
            and not getattr(article, "expired", False))


def _image(article, settings: dict) -> tuple[str | None, str | None, int | None]:
    """Absolute URL, MIME type and size in bytes of the post's `Image`."""
    ref = image_of(article)
    if ref is None:
        return None, None, None
    source = Path(settings["PATH"]) / ref.source if ref.source else None
    size = source.stat().st_size if source is not None and source.is_file() else None
    name = ref.source or urlsplit(ref.external).path
    return ref.absolute_url(settings), mimetypes.guess_type(name)[0] or "image/jpeg", size


def feed_item(article, settings: dict) -> FeedItem:
    url = absolute_url(article.url, settings)
    share = parse_yes_no(article.metadata.get("share", True))
    if share is None:
        logger.warning("%s: Share %r must be yes or no; the post will not be shared",
                       article.source_path, article.metadata.get("share"))
        share = False
    image, image_type, image_length = _image(article, settings)
    modified = getattr(article, "modified", None)
    return FeedItem(
        id=getattr(article, "stable_id", None) or url,  # fixed at first publication (plugins/published)
        url=url,
        title=article.title,  # plain text as staff wrote it; each format escapes it
        content_html=absolutize(article.content, url),
        summary=visible_text(article.metadata.get("summary") or article.summary),  # Pelican's are HTML
        date_published=article.date,
        date_modified=modified if modified and modified != article.date else None,
        authors=tuple(author.name for author in getattr(article, "authors", [])),
        tags=tuple(tag.name for tag in getattr(article, "tags", [])),
        image=image,
        image_type=image_type,
        image_length=image_length,
        category=article.category.name if getattr(article, "category", None) else None,
        share=share,
        social_text=article.metadata.get("social"),
        image_alt=article.metadata.get("image_alt"),
        expires=getattr(article, "expires", None),
        language=getattr(article, "lang", None),
    )


def _newest_first(articles, now, limit):
    listed = [a for a in articles if _is_listed(a, now)]
    # source_path breaks ties; Pelican recomputes `url` on every access, which is slow
    listed.sort(key=lambda a: (a.date, a.source_path), reverse=True)
    return listed[:limit]


def _taxonomies(generator):
    for kind, pairs in (("CATEGORY", generator.categories), ("TAG", generator.tags)):
        for taxonomy, articles in (pairs.items() if isinstance(pairs, dict) else pairs):
            yield kind, taxonomy, articles


def add_feed_links(generator) -> None:
    """Put feed links in the context before any page is written."""
    settings = generator.settings
    cfg = feed_settings(settings)
    site_feeds = _links(settings["SITENAME"], _site_paths(cfg), settings)
    by_url: dict[str, list[FeedLink]] = {}
    by_kind: dict[str, list[FeedLink]] = {"CATEGORY": [], "TAG": []}
    for kind, taxonomy, _ in sorted(_taxonomies(generator), key=lambda t: (t[0], t[1].name.lower())):
        label = "Categorie" if kind == "CATEGORY" else "Onderwerp"
        by_url[taxonomy.url] = _links(f"{label} {taxonomy.name}", _taxonomy_paths(cfg, kind, taxonomy.slug), settings)
        by_kind[kind] += by_url[taxonomy.url]

    def feeds_for(taxonomy) -> list[FeedLink]:
        return by_url.get(getattr(taxonomy, "url", None), [])

    generator.context.update(
        site_feeds=site_feeds,
        feeds_for=feeds_for,
        category_feeds=by_kind["CATEGORY"],
        tag_feeds=by_kind["TAG"],
        feed_readers=[(name, pattern.replace("{url}", quote(site_feeds[0].url, safe="")))
                      for name, pattern in cfg["FEEDS_READERS"]] if site_feeds else [],
        feeds_page_url=absolute_url(cfg["FEEDS_PAGE_URL"], settings),
    )


def _note(settings: dict, cfg: dict) -> str:
    """The Dutch explanation shown above a feed opened in a browser (XHTML, escaped by lxml's parser)."""
    page = escape(absolute_url(cfg["FEEDS_PAGE_URL"], settings))
    home = escape(base_url(settings) + "/")
    return (f"<p><strong>Dit is een nieuwsfeed van {escape(settings['SITENAME'])}.</strong> "
            "Kopieer het adres van deze pagina in uw feedlezer, dan ziet u nieuwe berichten vanzelf. "
            f'<a href="{page}">Wat is een feed en hoe volg ik die?</a> · <a href="{home}">Naar de website</a></p>')


def write_feeds(generator, writer=None) -> None:
    settings = generator.settings
    cfg = feed_settings(settings)
    now = datetime.datetime.now(datetime.UTC)
    output = Path(settings["OUTPUT_PATH"])
    limit = int(cfg["FEEDS_MAX_ITEMS"])
    items: dict[str, FeedItem] = {}  # one FeedItem per post, shared by every feed it is in

    def item(article) -> FeedItem:
        if article.source_path not in items:
            items[article.source_path] = feed_item(article, settings)
        return items[article.source_path]

    stylesheet = "/" + cfg["FEEDS_STYLESHEET"] if cfg["FEEDS_STYLESHEET"] else None
    note = _note(settings, cfg)
    language = settings.get("DEFAULT_LANG", "nl")

    def write(title, description, home, paths, articles):
        feed = Feed(title=title, home_page_url=home, feed_url="", description=description, language=language,
                    author=settings.get("AUTHOR"), items=[item(a) for a in _newest_first(articles, now, limit)])
        write_feed(feed, output, paths, base_url(settings), stylesheet=stylesheet, note_html=note)

    write(settings["SITENAME"], settings.get("SITESUBTITLE") or settings["SITENAME"], base_url(settings) + "/",
          _site_paths(cfg), generator.articles)
    for kind, taxonomy, articles in _taxonomies(generator):
        label = "Categorie" if kind == "CATEGORY" else "Onderwerp"
        write(f"{settings['SITENAME']}: {label.lower()} {taxonomy.name}",
              f"Berichten in {label.lower()} {taxonomy.name} van {settings['SITENAME']}",
              absolute_url(taxonomy.url, settings), _taxonomy_paths(cfg, kind, taxonomy.slug), articles)
    if cfg["FEEDS_STYLESHEET"]:
        write_if_changed(output / cfg["FEEDS_STYLESHEET"], STYLESHEET_SOURCE.read_bytes())


# Written in a forked process while Pelican writes the pages: the feeds need nothing that changes.
BESIDE = BesideThePosts("feeds", write_feeds)


def register():
    signals.article_generator_finalized.connect(add_feed_links)
    BESIDE.register()
