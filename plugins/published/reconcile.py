"""What changed since the last manifest: the same post under a new address, a post that is gone.

Pure data in and out (no Pelican), so every case is easy to reason about and to test.
A post is the same post when its source file is the same, or, for a renamed file, when an
entry whose file is gone had the same kind and slug.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from dorpsplein.published import PUBLISHED, WITHDRAWN, Entry, Manifest, tag_id


@dataclass(frozen=True)
class Current:
    """One published post or page of this build."""

    source: str
    kind: str
    url: str  # site path with a leading "/"
    slug: str
    title: str
    date: datetime.datetime | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Outcome:
    manifest: Manifest
    moved: list[tuple[Entry, str]] = field(default_factory=list)  # (entry now, its old url)
    withdrawn: list[Entry] = field(default_factory=list)  # newly withdrawn in this build


def _matches(previous: Manifest, current: list[Current]) -> dict[str, Entry]:
    by_source = {entry.source: entry for entry in previous.entries}
    present = {item.source for item in current}
    matched = {item.source: by_source[item.source] for item in current if item.source in by_source}
    orphans: dict[tuple[str, str], Entry | None] = {}
    for entry in previous.entries:
        if entry.source not in present:
            key = (entry.kind, entry.slug)
            orphans[key] = None if key in orphans else entry  # two candidates: neither is sure
    for item in current:
        if item.source not in matched and orphans.get((item.kind, item.slug)) is not None:
            matched[item.source] = orphans.pop((item.kind, item.slug))
    return matched


def _new_id(item: Current, previous: Manifest, first_ids: str, site_url: str, day: datetime.date,
            taken: set[str]) -> str:
    if not previous.exists and first_ids == "url":
        return site_url.rstrip("/") + item.url  # what the feeds gave this post before there was a manifest
    base = tag_id(site_url, day, item.slug)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def reconcile(previous: Manifest, current: list[Current], site_url: str, today: datetime.date,
              first_ids: str = "url") -> Outcome:
    """The new manifest (each post keeps its id; older addresses kept as redirects) and what changed."""
    matched = _matches(previous, current)
    used = {id(entry) for entry in matched.values()}
    taken = {entry.id for entry in previous.entries}
    outcome = Outcome(Manifest(exists=True))
    for item in sorted(current, key=lambda i: i.source):
        old = matched.get(item.source)
        date = item.date.isoformat() if item.date else None
        if old is None:
            day = item.date.date() if item.date else today
            new_id = _new_id(item, previous, first_ids, site_url, day, taken)
            taken.add(new_id)
            entry = Entry(item.source, item.kind, new_id, item.url, item.slug, item.title, f"{day:%Y-%m-%d}", date)
        else:
            redirects = list(old.redirects)
            if old.url != item.url and old.url not in redirects:
                redirects.append(old.url)
            entry = replace(old, source=item.source, url=item.url, slug=item.slug, title=item.title, date=date,
                            status=PUBLISHED, withdrawn=None, redirects=redirects)
            if old.url != item.url:
                outcome.moved.append((entry, old.url))
        for alias in item.aliases:
            if alias != item.url and alias not in entry.redirects:
                entry.redirects.append(alias)
        entry.redirects = [url for url in entry.redirects if url != item.url]  # an address in use again
        outcome.manifest.entries.append(entry)
    for entry in previous.entries:
        if id(entry) in used:
            continue
        if entry.status == PUBLISHED:
            entry = replace(entry, status=WITHDRAWN, withdrawn=f"{today:%Y-%m-%d}")
            outcome.withdrawn.append(entry)
        outcome.manifest.entries.append(entry)
    return outcome


def routes(manifest: Manifest) -> tuple[dict[str, str], dict[str, Entry]]:
    """(old address → current site path, withdrawn address → its entry); addresses in use are left out."""
    live = {entry.url for entry in manifest.entries if entry.status == PUBLISHED}
    moved: dict[str, str] = {}
    gone: dict[str, Entry] = {}
    for entry in sorted(manifest.entries, key=lambda e: (e.status != PUBLISHED, e.source)):  # moved wins
        for old in entry.redirects:
            if old in live or old in moved or old in gone:
                continue
            if entry.status == PUBLISHED:
                moved[old] = entry.url
            else:
                gone[old] = entry
        if entry.status == WITHDRAWN and entry.url not in live and entry.url not in moved:
            gone.setdefault(entry.url, entry)
    return moved, gone
