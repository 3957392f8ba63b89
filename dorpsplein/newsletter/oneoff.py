"""A one-off mailing (the kick-off newsletter) from a Markdown file, rendered like the periodic editions.

The file has a Pelican-style header: `Title:` (required: the heading and subject), optional
`Summary:` (the preheader) and `Mailing:` (the exactly-once name; default: one-off + the file's name,
so fixing a typo and sending again never reaches anyone twice).
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown

from ..errors import DorpspleinError
from ..urls import base_url
from .edition import MAILING_NAME, Edition
from .html_text import for_email, plain_text
from .render import NewsletterContent, render

HEADER = re.compile(r"^([A-Za-z_]+):\s*(.*)$")
KNOWN = {"title", "summary", "mailing"}


def _read(path: Path) -> tuple[dict[str, str], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DorpspleinError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise DorpspleinError(f"{path}: not UTF-8 text") from None
    lines = text.splitlines()
    meta, number = {}, 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            break
        match = HEADER.match(line)
        if not match:
            raise DorpspleinError(f"{path}:{number}: expected 'Field: value' in the header, or an empty line")
        key = match.group(1).lower()
        if key not in KNOWN:
            raise DorpspleinError(f"{path}:{number}: unknown field {match.group(1)!r}; use Title, Summary, Mailing")
        meta[key] = match.group(2).strip()
    else:
        number = len(lines)
    if not meta.get("title"):
        raise DorpspleinError(f"{path}:1: Title is missing (it becomes the subject)")
    return meta, "\n".join(lines[number:])


def oneoff_edition(path: Path, list_name: str, settings: dict) -> Edition:
    path = Path(path)
    meta, body = _read(path)
    mailing = meta.get("mailing") or f"eenmalig-{re.sub(r'[^a-z0-9]+', '-', path.stem.lower()).strip('-')}"
    mailing = f"{mailing}-{list_name}"
    if not MAILING_NAME.match(mailing):
        raise DorpspleinError(f"{path}: Mailing {mailing!r}: use lower-case letters, digits, '.', '_', '-'")
    site = base_url(settings) + "/"
    intro_html, _ = for_email(markdown.markdown(body, extensions=["extra"], output_format="html"), site)
    labels = settings.get("NEWSLETTER_LISTS") or {}
    content = NewsletterContent(
        subject=meta["title"], title=meta["title"], preheader=meta.get("summary") or "", intro_html=intro_html,
        intro_text=plain_text(intro_html), site_name=settings.get("SITENAME", ""), site_url=site,
        list_label=labels.get(list_name, list_name))
    rendered = render(content, Path(settings["THEME"]) / "templates")
    return Edition(mailing=mailing, list_name=list_name, period=None, subject=content.subject,
                   preheader=content.preheader, html=rendered.html, text=rendered.text, browser_url=None,
                   site_url=site)
