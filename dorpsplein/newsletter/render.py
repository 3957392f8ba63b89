"""Rendering a newsletter: one set of data → HTML e-mail, plain-text alternative and browser page.

The templates live in the theme (`theme/templates/newsletter/`): `email.html` (table layout for
mail clients, a hidden preheader, `lang="nl"`), `email.css` (inlined into every element by
css-inline, because many clients drop `<style>`), and `email.txt`. Every URL handed in must be
absolute: a mail client has no base address.

The browser page ("bekijk in de browser") is the same template with `browser_view` set, not
inlined: it links `email.css` as a file on the site (`stylesheet_url`), so it has no `style`
attribute and passes the site's Content-Security-Policy (no 'unsafe-inline').
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..errors import DorpspleinError
from .edition import UNSUBSCRIBE_PLACEHOLDER


@dataclass(frozen=True)
class PostSummary:
    title: str
    url: str
    date_text: str  # "12 november 2026"
    summary: str = ""
    image: str | None = None  # absolute URL
    image_alt: str = ""  # empty: decorative (the title next to it says what the post is)


@dataclass(frozen=True)
class Section:
    name: str
    posts: list[PostSummary]


@dataclass(frozen=True)
class StatLine:
    label: str
    value: str
    url: str | None = None


@dataclass(frozen=True)
class Stats:
    """The analytics block: visits, the most read posts, how visitors came, feed subscribers."""

    month_label: str
    visits: str
    page_views: str
    top_posts: list[StatLine]
    sources: list[StatLine]
    feed_subscribers: str | None


@dataclass(frozen=True)
class NewsletterContent:
    subject: str
    title: str
    preheader: str
    intro_html: str
    intro_text: str
    site_name: str
    site_url: str
    list_label: str
    sections: list[Section] = field(default_factory=list)
    stats: Stats | None = None
    browser_url: str | None = None
    overview_url: str | None = None


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str
    browser_html: str


@lru_cache(maxsize=8)
def _environment(templates: Path, html: bool) -> Environment:
    """One environment per folder and kind, so each template is compiled once per process, not per edition."""
    folder = Path(templates) / "newsletter"
    if not folder.is_dir():
        raise DorpspleinError(f"{folder}: the newsletter templates are missing")
    return Environment(loader=FileSystemLoader(str(folder)), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]) if html else False,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def stylesheet(templates: Path) -> str:
    """The newsletter CSS: inlined into the e-mail, and served as a file for the browser page."""
    return (Path(templates) / "newsletter" / "email.css").read_text(encoding="utf-8")


def render(content: NewsletterContent, templates: Path, stylesheet_url: str | None = None,
           icon_url: str | None = None) -> Rendered:
    """`templates` is the theme's templates folder (it holds `newsletter/`). `stylesheet_url`: the
    absolute address where the site serves `stylesheet(templates)`, linked from the browser page, as is
    `icon_url` (the site's icon: without one the browser asks for /favicon.ico and reports its 404)."""
    html_env, text_env = _environment(templates, True), _environment(templates, False)
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False,
                                    extra_css=stylesheet(templates), apply_width_attributes=True)
    values = {"c": content, "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER}
    template = html_env.get_template("email.html")
    html = inliner.inline(template.render(**values, browser_view=False, stylesheet_url=None))
    browser_html = template.render(**values, browser_view=True, stylesheet_url=stylesheet_url, icon_url=icon_url)
    text = text_env.get_template("email.txt").render(**values)
    return Rendered(html=html, text=_tidy_text(text), browser_html=browser_html)


def _tidy_text(text: str) -> str:
    """At most one empty line in a row, no trailing spaces, CRLF-safe plain text."""
    lines, blank = [], False
    for line in text.splitlines():
        line = line.rstrip()
        if not line and blank:
            continue
        blank = not line
        lines.append(line)
    return "\n".join(lines).strip() + "\n"
