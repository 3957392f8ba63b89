"""Writing a new, correct post file for staff (`tasks.py new`)."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.utils import get_date, slugify

from .errors import DorpspleinError


def post_slug(title: str, settings: dict) -> str:
    """The slug Pelican will give this title, so file name and URL agree."""
    return slugify(
        title,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def parse_post_date(raw: str | None, timezone: str) -> datetime.datetime:
    tz = ZoneInfo(timezone)
    if raw is None:
        return datetime.datetime.now(tz).replace(second=0, microsecond=0)
    try:
        value = get_date(raw)
    except ValueError:
        raise DorpspleinError(f"--date: {raw!r} is not a date; use e.g. 2026-12-01 09:00") from None
    return value if value.tzinfo else value.replace(tzinfo=tz)


def render_post(title, slug, date, category, tags, author, draft) -> str:
    lines = [
        f"Title: {title}",
        f"Slug: {slug}",  # the address stays when the title is corrected later
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {category}",
        f"Tags: {', '.join(tags)}",
        f"Authors: {author}",
        "Summary: Vat hier in één of twee zinnen samen waar dit bericht over gaat.",
    ]
    if draft:
        lines.append("Status: draft")
    body = (
        "Schrijf hier de eerste alinea: het belangrijkste eerst.\n\n"
        "## Een tussenkop\n\n"
        "Meer uitleg. Een afbeelding voegt u toe met een beschrijving voor wie haar niet ziet:\n"
        "`![Wat er op de foto staat](/images/bestandsnaam.jpg)`\n"
    )
    return "\n".join(lines) + "\n\n" + body


def create_post(
    settings: dict,
    title: str,
    category: str = "Nieuws",
    tags: tuple[str, ...] = (),
    date: str | None = None,
    draft: bool = True,
) -> Path:
    """Write content/<article path>/YYYY-MM-DD-slug.md; never overwrite an existing file."""
    title = " ".join(title.split())
    if not title:
        raise DorpspleinError("TITLE: give the post a title")
    slug = post_slug(title, settings)
    if not slug:
        raise DorpspleinError(f"TITLE: {title!r} gives no usable web address; use letters or digits")
    when = parse_post_date(date, settings.get("TIMEZONE") or "UTC")
    folder = Path(settings["PATH"]) / (settings["ARTICLE_PATHS"] or [""])[0]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{when:%Y-%m-%d}-{slug}.md"
    text = render_post(title, slug, when, category, [t.strip() for t in tags if t.strip()],
                       settings.get("AUTHOR", ""), draft)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": refuse to overwrite
            handle.write(text)
    except FileExistsError:
        raise DorpspleinError(f"{path}: already exists; choose another title or date") from None
    return path
