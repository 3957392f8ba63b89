"""The content check's address rules (`tasks.py check`): a post fixes its `Slug:`, `Aliases:` are
site paths used once, and a post already published is warned before a new title moves it."""

from __future__ import annotations

from pathlib import Path

from .errors import DorpspleinError
from .new_post import post_slug
from .published import (
    PUBLISHED,
    WITHDRAWN,
    Manifest,
    alias_problem,
    load_manifest,
    manifest_path,
    parse_aliases,
)
from .source import SourceFile, read_source


def published_slugs(settings: dict) -> dict[str, str]:
    """Source path (relative to the content folder) → the slug it was published with."""
    try:
        manifest = load_manifest(manifest_path(settings))
    except DorpspleinError:  # an unreadable manifest fails the build, which reports it with its file
        manifest = Manifest()
    return {entry.source: entry.slug for entry in manifest.entries}


def check_slug(source: SourceFile, article: bool, settings: dict, published: dict[str, str], report) -> None:
    """A post without `Slug:` gets a new address from a new title: warn, with the slug to write."""
    if not article or "slug" in source.meta:
        return
    title = source.meta.get("title")
    if title is None or not title.value:
        return
    slug = post_slug(title.value, settings)
    was = published.get(source.path.relative_to(settings["PATH"]).as_posix())
    if was and was != slug:
        report.warning(source.path, title.line,
                       f"the title now gives the address {slug!r}, but the post was published as {was!r}: "
                       f"add `Slug: {was}` to keep its address (otherwise the old address redirects)")
    else:
        report.warning(source.path, title.line,
                       f"no Slug: a new title would change the post's web address; add `Slug: {was or slug}`")


def check_aliases(sources: list[SourceFile], report) -> None:
    """Each alias a site path (as Hugo's aliases), and no alias given by two files."""
    seen: dict[str, Path] = {}
    for source in sources:
        field = source.meta.get("aliases")
        if field is None:
            continue
        for alias in parse_aliases(field.value):
            problem = alias_problem(alias)
            if problem:
                report.error(source.path, field.line, f"Aliases: {problem}")
            elif alias in seen and seen[alias] != source.path:
                report.error(source.path, field.line,
                             f"Aliases: {alias} is also an alias of {report._name(seen[alias])}")
            else:
                seen[alias] = source.path


def check_address_changes(built: Path, settings: dict, report) -> None:
    """What the next publish changes for addresses already out there, from the check's own build
    (plugins/published leaves the manifest it would record in the output): a warning on the file."""
    try:
        before = load_manifest(manifest_path(settings))
        after = load_manifest(built / ".dorpsplein/published.json")
    except DorpspleinError:
        return  # an unreadable manifest fails the build itself, with its name
    published = {entry.id: entry for entry in before.entries if entry.status == PUBLISHED}
    folder = Path(settings["PATH"])
    for entry in after.entries:
        was = published.get(entry.id)
        if was is None:
            continue
        path = folder / entry.source
        if entry.status == WITHDRAWN:
            if (folder / was.source).is_file():
                continue  # left out of the check's build for an error of its own, not deleted
            report.warning(folder / was.source, 1, f"published at {was.url} and now gone: that address will "
                                                   "answer 410 Gone (withdrawn) after the next publish")
        elif entry.url != was.url:
            source = read_source(path) if path.is_file() else None
            field = source and (source.meta.get("date") if entry.slug == was.slug else source.meta.get("title"))
            report.warning(path, field.line if field else 1,
                           f"its address changes from {was.url} to {entry.url}; the old address will redirect "
                           "(301) after the next publish")
