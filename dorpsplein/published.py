"""The record of what the site published (`state/published.json`) and the `Aliases:` field.

A production build (plugins/published) reads the manifest the previous one left and writes a
new one; `tasks.py check` reads it to warn before a post's address changes. Both use this module,
so the format has one definition:

    {"format": 1, "entries": [{"source": "blog/2026-09-03-x.md", "kind": "post"|"page",
      "status": "published"|"withdrawn", "id": str, "url": "/blog/2026/09/x/", "slug": str,
      "title": str, "date": iso-8601|null, "first_published": "YYYY-MM-DD",
      "redirects": ["/old/address/", …], "withdrawn": "YYYY-MM-DD"|null}, …]}

`id` is fixed when the entry is first written and never changes: feeds and the social ledger
use it. `redirects` holds every other address the entry had (older URLs, aliases): each keeps
answering with a redirect to `url`, or with 410 Gone once the entry is withdrawn.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import DorpspleinError
from .files import write_if_changed

FORMAT = 1
DEFAULT_STATE_PATH = "state/published.json"
POST, PAGE = "post", "page"
PUBLISHED, WITHDRAWN = "published", "withdrawn"
# An alias is a site path: no scheme or host, nothing nginx's map or a file name cannot hold.
ALIAS_RE = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,=:@/-]*$")


@dataclass
class Entry:
    source: str  # relative to the content folder, with "/"
    kind: str
    id: str
    url: str  # site path with a leading "/"
    slug: str
    title: str
    first_published: str  # YYYY-MM-DD
    date: str | None = None
    status: str = PUBLISHED
    redirects: list[str] = field(default_factory=list)
    withdrawn: str | None = None


@dataclass
class Manifest:
    entries: list[Entry] = field(default_factory=list)
    exists: bool = False  # False: no manifest yet (the first production build writes it)

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "entries": [asdict(e) for e in sorted(self.entries, key=lambda e: e.source)]}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def manifest_path(settings: dict) -> Path:
    """PUBLISHED_STATE_PATH; a relative path is taken from the project folder (the one holding PATH)."""
    path = Path(settings.get("PUBLISHED_STATE_PATH") or DEFAULT_STATE_PATH)
    return path if path.is_absolute() else Path(settings["PATH"]).parent / path


def load_manifest(path: Path) -> Manifest:
    """The manifest at `path` (empty when there is none yet); a DorpspleinError names the file and entry."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest()
    except (OSError, ValueError) as exc:
        raise DorpspleinError(f"{path}: cannot read the published-posts manifest: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), list):
        raise DorpspleinError(f"{path}: not a published-posts manifest of format {FORMAT}")
    entries = []
    for index, raw in enumerate(data["entries"]):
        try:
            entry = Entry(**raw)
        except TypeError as exc:
            raise DorpspleinError(f"{path}: entries[{index}]: {exc}") from None
        if not all(isinstance(getattr(entry, name), str) and getattr(entry, name)
                   for name in ("source", "kind", "id", "url", "first_published", "status")):
            raise DorpspleinError(f"{path}: entries[{index}]: source, kind, id, url, first_published "
                                  "and status must be text")
        entries.append(entry)
    return Manifest(entries, exists=True)


def save_manifest(path: Path, manifest: Manifest) -> bool:
    """Write atomically (temp file + rename), and only when the bytes change; True when written."""
    return write_if_changed(Path(path), manifest.to_json())


def tag_id(site_url: str, day: datetime.date, slug: str) -> str:
    """RFC 4151: `tag:dorpsplein.voorbeeld.nl,2026-12-01:/slug`."""
    host = urlsplit(site_url).hostname or "localhost"
    return f"tag:{host},{day:%Y-%m-%d}:/{slug}"


def parse_aliases(value) -> list[str]:
    """`Aliases: /oud/, /ouder.html` → ["/oud/", "/ouder.html"] (Pelican may give a list already)."""
    items = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
    return [item.strip() for item in items if str(item).strip()]


def alias_problem(alias: str) -> str | None:
    """Why `alias` cannot be a redirect, or None."""
    if "://" in alias or alias.startswith("//"):
        return f"alias {alias!r} must be an address on this site, like /oude-naam/ (no https:// or host)"
    if not alias.startswith("/"):
        return f"alias {alias!r} must start with /, like /oude-naam/"
    if not ALIAS_RE.match(alias) or "/../" in alias + "/" or "/./" in alias + "/":
        return (f"alias {alias!r} may only hold letters, digits and - _ . / "
                "(no spaces, quotes, ?, # or %; no /../)")
    return None


def alias_files(alias: str) -> list[str]:
    """The request paths an alias (or an old URL) answers: `/x/` also as `/x` and `/x/index.html`."""
    if alias.endswith("/"):
        return [alias, alias.rstrip("/") or "/", alias + "index.html"]
    if alias.endswith((".html", ".htm")):
        return [alias]
    return [alias, alias + "/", alias + "/index.html"]


def page_file(alias: str) -> str:
    """Where the HTML page for an old address goes in the output, relative to it."""
    path = alias.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    if path.endswith((".html", ".htm")):
        return path
    return path + "/index.html"
