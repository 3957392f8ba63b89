"""What one overview holds: its period, the editor's title and intro (or a Dutch default), posts, visits."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from itertools import groupby

from dorpsplein.newsletter.render import Stats
from dorpsplein.visible_text import visible_text

from .periods import Period

logger = logging.getLogger(__name__)


@dataclass
class Overview:
    """Also the `page` of the overview template: it has what page.html and overview.html read."""

    period: Period
    title: str
    content: str  # the intro, HTML
    summary: str  # one sentence: meta description, feed summary, e-mail preheader
    url: str
    save_as: str
    overview_articles: list  # newest first
    overview_stats: Stats | None = None
    editor_file: str | None = None
    lang: str = "nl"
    image = None
    image_alt = None
    expired = False
    metadata: dict = field(default_factory=dict)

    @property
    def overview_period(self) -> str:
        return self.period.label

    @property
    def overview_sections(self) -> list[tuple[str, list]]:
        """(category name, posts newest first), categories alphabetically."""
        posts = sorted(self.overview_articles, key=lambda a: _category(a).lower())
        return [(name, list(group)) for name, group in groupby(posts, key=_category)]


def _category(article) -> str:
    return article.category.name if getattr(article, "category", None) else "Overig"


def _list_sentence(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def default_title(period: Period) -> str:
    return f"Overzicht van {period.label}"


def default_summary(period: Period, posts: list) -> str:
    categories = sorted({_category(a) for a in posts}, key=str.lower)
    count = "1 bericht" if len(posts) == 1 else f"{len(posts)} berichten"
    return f"{count} uit {period.label}, over {_list_sentence(categories).lower()}."


def default_intro(period: Period, posts: list, site_name: str) -> str:
    return (f"<p>Wat er in {html.escape(period.label)} op {html.escape(site_name)} verscheen, op een rij: "
            f"{html.escape(default_summary(period, posts))} Klik op een titel om het hele bericht te lezen.</p>")


def make_overview(period: Period, posts: list, editor_page, settings: dict, url: str, stats: Stats | None) -> Overview:
    """Combine the editor's file (a Pelican Page, or None) with the defaults."""
    site_name = settings.get("SITENAME", "")
    title = getattr(editor_page, "title", None) or default_title(period)
    summary = default_summary(period, posts)
    intro = default_intro(period, posts, site_name)
    if editor_page is not None:
        summary = visible_text(editor_page.metadata.get("summary")) or summary
        intro = editor_page.content or intro
    return Overview(period=period, title=title, content=intro, summary=summary, url=url, save_as=url + "index.html",
                    overview_articles=posts, overview_stats=stats,
                    editor_file=getattr(editor_page, "source_path", None),
                    lang=settings.get("DEFAULT_LANG", "nl"), metadata={"summary": summary})
