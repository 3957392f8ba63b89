"""A Pelican generator: overview pages per ended period, their index, their feed and newsletter editions.

Runs after the articles generator, so `context["articles"]` holds only listed posts (no drafts,
hidden or future posts; plugins/expiry has moved expired notices out). A period gets a page once
it has ended (`OVERVIEWS_NOW` or the build time, in TIMEZONE); a period without posts gets none.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator

from dorpsplein.errors import DorpspleinError
from dorpsplein.feedwriter import write_feed
from dorpsplein.jsonfeed import Feed, FeedItem
from dorpsplein.newsletter.html_text import for_email
from dorpsplein.urls import absolute_url, base_url

from .analytics import load_stats
from .content import Overview, make_overview
from .editions import write_editions
from .periods import group_by_period, is_period_key
from .settings import overview_settings

logger = logging.getLogger(__name__)
FORMATS = {"atom": ("Atom", "application/atom+xml"), "rss": ("RSS", "application/rss+xml"),
           "json": ("JSON Feed", "application/feed+json")}
# Labels of the overview template's visits block and navigation (overview.html holds no words itself).
TEXTS = {
    "stats_heading": "Zo werd de website bezocht in",
    "stats_sentence": "{visits} bezoeken en {page_views} paginaweergaven.",
    "stats_feed_readers": "{count} mensen volgen ons nieuws met een feedlezer.",
    "top_posts": "Meest gelezen berichten",
    "post": "Bericht",
    "views": "Weergaven",
    "sources": "Hoe bezoekers ons vonden",
    "source": "Via",
    "visits": "Bezoeken",
    "other_overviews": "Andere overzichten",
    "all_overviews": "Alle overzichten",
}


@dataclass(frozen=True)
class OverviewFeedLink:
    """Same shape as the feeds plugin's links (title, url, type, format), for the theme's feed lists."""

    title: str
    url: str
    type: str
    format: str


def exclude_editor_files(pelican) -> None:
    """Editors' intros are read by this plugin only: never as posts or pages, whatever ARTICLE_PATHS says."""
    folder = pelican.settings.get("OVERVIEWS_PATH", "overzichten")
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        excludes = list(pelican.settings.get(key) or [])
        if folder not in excludes:
            pelican.settings[key] = excludes + [folder]


class OverviewsGenerator(Generator):
    # Its output (pages, feed, newsletter editions) needs nothing the other generators write, so
    # plugins/parallel_writing may write it in a forked process beside the posts.
    WRITTEN_BESIDE_THE_POSTS = True

    def generate_context(self):
        try:
            self.options = overview_settings(self.settings)
        except DorpspleinError as exc:
            logger.error("overviews: %s", exc)
            self.overviews = []
            return
        options = self.options
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        articles = [a for a in self.context.get("articles", []) if not getattr(a, "expired", False)]
        periods = group_by_period(articles, options["OVERVIEWS_PERIOD"], tz, options["now"])
        editor_pages = self._editor_pages(options)
        titles = self._titles()
        self.overviews = []
        for period, posts in periods.items():
            url = period.url(options["OVERVIEWS_MONTH_URL"], options["OVERVIEWS_WEEK_URL"])
            stats = load_stats(options["analytics_path"], period.analytics_month, period.label, titles,
                               self.settings, int(options["OVERVIEWS_TOP_POSTS"]))
            self.overviews.append(make_overview(period, posts, editor_pages.pop(period.key, None), self.settings,
                                                url, stats))
        for key, page in editor_pages.items():
            logger.info("overviews: %s is not used: period %s has not ended or has no posts", page.source_path, key)
        self.context["overviews"] = self.overviews
        self.context["overviews_url"] = options["OVERVIEWS_URL"]
        self.feed_links = [OverviewFeedLink(f"Periodieke overzichten ({FORMATS[kind][0]})",
                                            absolute_url(path, self.settings), FORMATS[kind][1], kind)
                           for kind, path in self._feed_paths().items() if path]
        self.context["overviews_feeds"] = self.feed_links
        if "site_feeds" in self.context:  # plugins/feeds: announce the Atom feed with the site's feeds
            self.context["site_feeds"].extend(link for link in self.feed_links if link.format == "atom")

    def site_paths(self) -> list[str]:
        """What generate_output will write (plugins/whole_site keeps links to these)."""
        if not hasattr(self, "options"):
            return []
        return [o.save_as for o in self.overviews] + [self.options["OVERVIEWS_SAVE_AS"]] + [
            path for path in self._feed_paths().values() if path]

    def _feed_paths(self) -> dict:
        o = self.options
        return {"atom": o["OVERVIEWS_FEED_ATOM"], "rss": o["OVERVIEWS_FEED_RSS"], "json": o["OVERVIEWS_FEED_JSON"]}

    def _titles(self) -> dict[str, str]:
        items = [*self.context.get("articles", ()), *self.context.get("hidden_articles", ())]
        return {"/" + a.url.lstrip("/"): a.title for a in items if getattr(a, "url", None)}

    def _editor_pages(self, options) -> dict[str, Page]:
        """Period key → the editor's Page from content/overzichten/<key>.md; wrong names are warnings."""
        folder = Path(self.path) / options["OVERVIEWS_PATH"]
        pages = {}
        if not folder.is_dir():
            return pages
        kind = options["OVERVIEWS_PERIOD"]
        example = "2026-11.md" if kind == "month" else "2026-W47.md"
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.name.lower() == "readme.md" or not path.is_file():
                continue
            if not is_period_key(path.stem, kind):
                logger.warning("%s: not a period name; an overview intro is named like %s", path, example)
                continue
            try:
                page = self.readers.read_file(base_path=self.path, path=str(path.relative_to(self.path)),
                                              content_class=Page, context=self.context)
            except Exception as exc:  # a reader error on staff's file: name it, fail production builds
                logger.warning("%s: cannot read this overview intro: %s", path, exc)
                continue
            pages[path.stem] = page
        return pages

    def _feed_item(self, overview: Overview) -> FeedItem:
        url = absolute_url(overview.url, self.settings)
        parts = [overview.content]
        for name, posts in overview.overview_sections:
            links = "".join(f'<li><a href="{html.escape(absolute_url(a.url, self.settings))}">'
                            f"{html.escape(a.title)}</a></li>" for a in posts)
            parts.append(f"<h2>{html.escape(name)}</h2><ul>{links}</ul>")
        content, _ = for_email("".join(parts), url)
        return FeedItem(id=url, url=url, title=overview.title, content_html=content, summary=overview.summary,
                        date_published=overview.period.end, authors=(self.settings.get("AUTHOR"),)
                        if self.settings.get("AUTHOR") else (), language=overview.lang)

    def generate_output(self, writer):
        if not hasattr(self, "options"):
            return
        options, settings = self.options, self.settings
        template = self.get_template(options["OVERVIEWS_TEMPLATE"])
        for index, overview in enumerate(self.overviews):
            newer = self.overviews[index - 1] if index else None
            older = self.overviews[index + 1] if index + 1 < len(self.overviews) else None
            writer.write_file(overview.save_as, template, self.context, relative_urls=settings["RELATIVE_URLS"],
                              url=overview.url, page=overview, overview_articles=overview.overview_articles,
                              overview_newer=newer, overview_older=older, overview_texts=TEXTS,
                              page_name=overview.url.rstrip("/"))
        writer.write_file(options["OVERVIEWS_SAVE_AS"], self.get_template(options["OVERVIEWS_INDEX_TEMPLATE"]),
                          self.context, relative_urls=settings["RELATIVE_URLS"], url=options["OVERVIEWS_URL"],
                          page_name=options["OVERVIEWS_URL"].rstrip("/"))
        output = Path(self.output_path)
        feed = Feed(title=f"{settings['SITENAME']}: periodieke overzichten",
                    home_page_url=absolute_url(options["OVERVIEWS_URL"], settings), feed_url="",
                    description=f"Elke periode een overzicht van de berichten van {settings['SITENAME']}",
                    language=settings.get("DEFAULT_LANG", "nl"), author=settings.get("AUTHOR"),
                    items=[self._feed_item(o) for o in self.overviews])
        stylesheet = settings.get("FEEDS_STYLESHEET", "feeds/feed.css")  # plugins/feeds writes the CSS there
        write_feed(feed, output, self._feed_paths(), base_url(settings),
                   stylesheet="/" + stylesheet if stylesheet else None)
        if options["OVERVIEWS_NEWSLETTER"]:
            for overview in self.overviews:
                write_editions(overview, output, settings, options["OVERVIEWS_LISTS"])


def get_generators(pelican):
    return OverviewsGenerator


def register():
    signals.initialized.connect(exclude_editor_files)
    signals.get_generators.connect(get_generators)
