"""The contract between the build and `newsletter send`: an edition on disk.

The overviews plugin writes, per period and list, `output/nieuwsbrief/<period>/<list>/`:

    email.html     the HTML e-mail (CSS inlined, absolute URLs)
    email.txt      its plain-text alternative
    index.html     the "bekijk in de browser" page: not inlined, it links `output/nieuwsbrief/email.css`
                   (STYLESHEET, one file for all editions), so it passes the site's CSP
    edition.json   {"schema", "version", "mailing", "list", "period", "subject", "preheader",
                    "browser_url", "site_url", "html", "text"}: written last, so an edition with
                    this file is complete

The per-subscriber unsubscribe URL is not known at build time: both bodies carry
`UNSUBSCRIBE_PLACEHOLDER` where the sender puts it. Both sides use this module, so they cannot drift.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import DorpspleinError
from ..files import write_if_changed

SCHEMA = "dorpsplein/newsletter-edition"
VERSION = 1
MANIFEST = "edition.json"
ROOT_FOLDER = "nieuwsbrief"
# The CSS of the browser pages, as a file in ROOT_FOLDER (the e-mails have it inlined).
STYLESHEET = "email.css"
# A string no Markdown or template produces by accident; the sender replaces it per subscriber.
UNSUBSCRIBE_PLACEHOLDER = "https://afmelden.invalid/DORPSPLEIN-AFMELDLINK"
MAILING_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class Edition:
    mailing: str  # the exactly-once key in the deliveries table, e.g. "overzicht-2026-11-extern"
    list_name: str
    period: str | None  # "2026-11", "2026-W47", or None for a one-off mailing
    subject: str
    preheader: str
    html: str
    text: str
    browser_url: str | None
    site_url: str


def edition_folder(output: Path, period: str, list_name: str) -> Path:
    return Path(output) / ROOT_FOLDER / period / list_name


def write_edition(folder: Path, edition: Edition, browser_html: str) -> None:
    """Bodies first, the manifest last: a reader sees the old edition or the complete new one."""
    if not MAILING_NAME.match(edition.mailing):
        raise DorpspleinError(f"mailing name {edition.mailing!r}: use lower-case letters, digits, '.', '_', '-'")
    folder = Path(folder)
    write_if_changed(folder / "email.html", edition.html.encode("utf-8"))
    write_if_changed(folder / "email.txt", edition.text.encode("utf-8"))
    write_if_changed(folder / "index.html", browser_html.encode("utf-8"))
    manifest = {"schema": SCHEMA, "version": VERSION, **asdict(edition), "html": "email.html", "text": "email.txt"}
    write_if_changed(folder / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def read_edition(folder: Path) -> Edition:
    """Read an edition the build wrote; a clear error naming the file and field when it is not usable."""
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DorpspleinError(f"{path}: no newsletter edition here; build the site first (python tasks.py build)") \
            from None
    except (OSError, ValueError) as exc:
        raise DorpspleinError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise DorpspleinError(f"{path}: schema: not a Dorpsplein newsletter edition")
    if data.get("version") != VERSION:
        raise DorpspleinError(f"{path}: version: {data.get('version')!r}, this code reads version {VERSION}")
    for key in ("mailing", "list_name", "subject", "site_url", "html", "text"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise DorpspleinError(f"{path}: {key}: missing or not text")
    try:
        html = (path.parent / data["html"]).read_text(encoding="utf-8")
        text = (path.parent / data["text"]).read_text(encoding="utf-8")
    except OSError as exc:
        raise DorpspleinError(f"{path}: body file missing: {exc.filename}") from None
    return Edition(mailing=data["mailing"], list_name=data["list_name"], period=data.get("period"),
                   subject=data["subject"], preheader=data.get("preheader") or "", html=html, text=text,
                   browser_url=data.get("browser_url"), site_url=data["site_url"])


def latest_period(output: Path, list_name: str) -> str | None:
    """The newest period that has a complete edition for this list."""
    root = Path(output) / ROOT_FOLDER
    if not root.is_dir():
        return None
    periods = [p.name for p in root.iterdir() if (p / list_name / MANIFEST).is_file()]
    return max(periods, default=None)
