"""The newsletter editions of an overview: one per list, under output/nieuwsbrief/<period>/<list>/."""

from __future__ import annotations

import logging
from pathlib import Path

from dorpsplein.files import write_if_changed
from dorpsplein.images import image_of
from dorpsplein.newsletter.edition import ROOT_FOLDER, STYLESHEET, Edition, edition_folder, write_edition
from dorpsplein.newsletter.html_text import for_email, plain_text
from dorpsplein.newsletter.render import NewsletterContent, PostSummary, Section, render, stylesheet
from dorpsplein.urls import absolute_url, base_url
from dorpsplein.visible_text import visible_text

from .content import Overview

logger = logging.getLogger(__name__)


def selected(article, selection: dict) -> bool:
    """Neither categories nor tags: every post. Otherwise: in one of the categories or with one of the tags."""
    categories = {c.lower() for c in selection.get("categories") or ()}
    tags = {t.lower() for t in selection.get("tags") or ()}
    if not categories and not tags:
        return True
    category = getattr(article, "category", None)
    if category is not None and category.name.lower() in categories:
        return True
    return any(tag.name.lower() in tags for tag in getattr(article, "tags", None) or ())


def _image(article, settings: dict) -> str | None:
    ref = image_of(article)
    return ref.absolute_url(settings) if ref else None


def post_summary(article, settings: dict) -> PostSummary:
    image_alt = article.metadata.get("image_alt") or ""
    return PostSummary(title=article.title, url=absolute_url(article.url, settings),
                       date_text=getattr(article, "locale_date", None) or article.date.date().isoformat(),
                       summary=visible_text(article.metadata.get("summary") or article.summary) or "",
                       image=_image(article, settings), image_alt=str(image_alt))


def write_editions(overview: Overview, output: Path, settings: dict, lists: dict) -> list[Path]:
    """Render and write one edition per list that has posts in this period, and the browser pages' CSS."""
    labels = settings.get("NEWSLETTER_LISTS") or {}
    site = base_url(settings)
    templates = Path(settings["THEME"]) / "templates"
    stylesheet_url = absolute_url(f"{ROOT_FOLDER}/{STYLESHEET}", settings)
    page_url = absolute_url(overview.url, settings)
    intro_html, missing_alt = for_email(overview.content, page_url)
    if missing_alt:
        logger.warning("%s: %d image(s) without alt text in the overview intro; add a description",
                       overview.editor_file or overview.url, missing_alt)
    written = []
    for list_name, selection in lists.items():
        sections = []
        for name, group in overview.overview_sections:
            chosen = [post_summary(a, settings) for a in group if selected(a, selection)]
            if chosen:
                sections.append(Section(name, chosen))
        if not sections:
            continue
        folder = edition_folder(output, overview.period.key, list_name)
        browser_url = absolute_url(folder.relative_to(output).as_posix() + "/", settings)
        label = labels.get(list_name, f"Nieuwsbrief ({list_name})")
        content = NewsletterContent(
            subject=f"{overview.title} · {settings.get('MUNICIPALITY') or settings.get('SITENAME', '')}",
            title=overview.title, preheader=overview.summary, intro_html=intro_html,
            intro_text=plain_text(intro_html), site_name=settings.get("SITENAME", ""), site_url=site + "/",
            list_label=label, sections=sections,
            stats=overview.overview_stats if selection.get("analytics", True) else None,
            browser_url=browser_url, overview_url=page_url)
        rendered = render(content, templates, stylesheet_url)
        edition = Edition(mailing=f"overzicht-{overview.period.key.lower()}-{list_name}", list_name=list_name,
                          period=overview.period.key, subject=content.subject, preheader=content.preheader,
                          html=rendered.html, text=rendered.text, browser_url=browser_url, site_url=site + "/")
        write_edition(folder, edition, rendered.browser_html)
        written.append(folder)
    if written:  # the same file for every edition: the browser pages link it (no inline CSS under the CSP)
        write_if_changed(output / ROOT_FOLDER / STYLESHEET, stylesheet(templates).encode("utf-8"))
    return written
