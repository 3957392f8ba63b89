"""Writing a Feed as Atom, RSS 2.0 (feedgen) and JSON Feed 1.1, byte-identical for unchanged content.

Any plugin that has a list of FeedItems (the site, a category, the periodic
overviews) writes its feeds with `write_feed`, so every feed of the site looks
and behaves the same, and carries only the HTML of the site's allow-list (html_policy.sanitise).
"""

from __future__ import annotations

import datetime
import json
from copy import deepcopy
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from feedgen.feed import FeedGenerator
from lxml import etree

from . import __version__
from .files import write_if_changed
from .html_policy import sanitise
from .jsonfeed import Feed, FeedItem, feed_to_json

# An empty feed has no newest item; a fixed date keeps its bytes stable between builds.
EMPTY_FEED_UPDATED = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
XHTML = "http://www.w3.org/1999/xhtml"
ATOM = "http://www.w3.org/2005/Atom"


def _generator(feed: Feed) -> FeedGenerator:
    """The feed's own fields; its entries are added as rendered elements (`_rendered`)."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS <author> needs an e-mail address
    fg.id(feed.feed_url)
    fg.title(feed.title)
    fg.subtitle(feed.description)
    fg.link(href=feed.feed_url, rel="self")
    fg.link(href=feed.home_page_url, rel="alternate")  # last: feedgen takes the last link as RSS <link>
    fg.language(feed.language)
    fg.generator("Dorpsplein", version=__version__)
    if feed.author:
        fg.author({"name": feed.author})
    if feed.icon:
        fg.icon(feed.icon)
        fg.logo(feed.icon)
    updated = feed.updated or EMPTY_FEED_UPDATED
    fg.updated(updated)
    fg.lastBuildDate(updated)
    return fg


def _fill_entry(entry, item: FeedItem) -> None:
    entry.id(item.id)
    entry.guid(item.id, permalink=item.id == item.url)
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate")
    entry.published(item.date_published)
    entry.updated(item.updated)
    if item.summary:
        entry.summary(item.summary)
    entry.content(item.content_html, type="html")
    for name in item.authors:
        entry.author({"name": name})
        entry.dc.dc_creator(name)
    terms = [item.category] if item.category else []
    for term in terms + [t for t in item.tags if t not in terms]:
        entry.category(term=term, label=term)
    if item.image:
        entry.enclosure(item.image, item.image_length or 0, item.image_type or "image/jpeg")


def _fix_atom_entry_links(entry, item: FeedItem) -> None:
    """feedgen 1.0.0 drops rel/type/length from entry links; write them ourselves."""
    for link in entry.findall(f"{{{ATOM}}}link"):
        entry.remove(link)
    position = entry.index(entry.find(f"{{{ATOM}}}title")) + 1
    links = [{"rel": "alternate", "type": "text/html", "href": item.url}]
    if item.image:
        links.append({"rel": "enclosure", "type": item.image_type or "image/jpeg",
                      "length": str(item.image_length or 0), "href": item.image})
    for offset, attributes in enumerate(links):
        entry.insert(position + offset, etree.Element(f"{{{ATOM}}}link", attributes))


@lru_cache(maxsize=1)
def _feed_of_one() -> FeedGenerator:
    """A feed that holds one entry at a time, to render it: its own fields are never written."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id("urn:dorpsplein:entry")
    fg.title("-")
    fg.link(href="https://example.invalid/")
    fg.description("-")
    return fg


@lru_cache(maxsize=4096)
def _rendered(item: FeedItem) -> tuple:
    """The item's Atom <entry> and RSS <item>, rendered by feedgen once, however many feeds it is in
    (a post is in the site's feed, its category's and each of its tags': six on average)."""
    fg = _feed_of_one()
    entry = fg.add_entry()
    try:
        _fill_entry(entry, item)
        atom = etree.fromstring(fg.atom_str()).find(f"{{{ATOM}}}entry")
        rss = etree.fromstring(fg.rss_str()).find("channel/item")
    finally:
        fg.remove_entry(entry)
    _fix_atom_entry_links(atom, item)
    return atom, rss


def _with_entries(parent, items: list[FeedItem], which: int):
    for item in items:
        parent.append(deepcopy(_rendered(item)[which]))  # an element has one parent: each feed its own copy
    return parent


def _with_reading_aids(root, stylesheet: str | None, note_html: str | None) -> bytes:
    """Add an xml-stylesheet (CSS, not XSLT) and a short Dutch explanation for people who open the feed.

    The explanation is an XHTML element in its own namespace: feed readers skip
    foreign elements, browsers render it (with working links) through the CSS.
    """
    if note_html:
        note = etree.fromstring(f'<div xmlns="{XHTML}" class="feed-note">{note_html}</div>')
        parent = root if root.tag == f"{{{ATOM}}}feed" else root.find("channel")
        parent.insert(0, note)
    if stylesheet:
        root.addprevious(etree.ProcessingInstruction("xml-stylesheet", f'type="text/css" href="{stylesheet}"'))
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def render_atom(feed: Feed, stylesheet: str | None = None, note_html: str | None = None) -> bytes:
    root = etree.fromstring(_generator(feed).atom_str())
    return _with_reading_aids(_with_entries(root, feed.items, 0), stylesheet, note_html)


def render_rss(feed: Feed, stylesheet: str | None = None, note_html: str | None = None) -> bytes:
    root = etree.fromstring(_generator(feed).rss_str())
    _with_entries(root.find("channel"), feed.items, 1)
    return _with_reading_aids(root, stylesheet, note_html)


def render_json(feed: Feed) -> bytes:
    return (json.dumps(feed_to_json(feed), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_feed(feed: Feed, output: Path, paths: dict[str, str | None], site_url: str,
               stylesheet: str | None = None, note_html: str | None = None) -> list[Path]:
    """Write `feed` in each format that has a path in `paths` ({"atom": …, "rss": …, "json": …}).

    Each file names itself as `feed_url` (`site_url` + its path), whatever `feed.feed_url` was.
    """
    renderers = {
        "atom": lambda f: render_atom(f, stylesheet, note_html),
        "rss": lambda f: render_rss(f, stylesheet, note_html),
        "json": render_json,
    }
    # Feed readers show this HTML in other pages and apps: nothing that runs, loads or submits.
    feed = replace(feed, items=[replace(item, content_html=sanitise(item.content_html, site_url))
                                for item in feed.items])
    written = []
    for kind, relpath in paths.items():
        if relpath:
            target = output / relpath
            own = replace(feed, feed_url=f"{site_url.rstrip('/')}/{relpath.lstrip('/')}")
            write_if_changed(target, renderers[kind](own))
            written.append(target)
    return written
