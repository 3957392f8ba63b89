"""plugins/published/reconcile.py: which post is which from one manifest to the next, on plain data."""

from __future__ import annotations

import datetime

from dorpsplein.published import Entry, Manifest
from plugins.published.reconcile import Current, reconcile, routes

SITE = "https://dorpsplein.voorbeeld.nl"
TODAY = datetime.date(2026, 12, 3)
DAY = datetime.datetime(2026, 11, 1, 10, 0, tzinfo=datetime.UTC)


def entry(source, slug, url, **fields) -> Entry:
    return Entry(source, "post", fields.pop("id", f"{SITE}{url}"), url, slug, slug, "2026-11-01", **fields)


def test_two_gone_files_with_the_slug_of_a_new_file_are_not_guessed_at():
    previous = Manifest([entry("blog/a.md", "markt", "/blog/2026/11/markt/"),
                         entry("blog/b.md", "markt", "/blog/2026/10/markt/")], exists=True)
    outcome = reconcile(previous, [Current("blog/c.md", "post", "/blog/2026/11/markt-2/", "markt", "Markt", DAY)],
                        SITE, TODAY)
    new = {e.source: e for e in outcome.manifest.entries}
    assert new["blog/c.md"].id == "tag:dorpsplein.voorbeeld.nl,2026-11-01:/markt"
    assert {e.source for e in outcome.withdrawn} == {"blog/a.md", "blog/b.md"}


def test_a_taken_tag_id_gets_a_number():
    previous = Manifest([entry("blog/a.md", "markt", "/blog/2026/11/markt/",
                               id="tag:dorpsplein.voorbeeld.nl,2026-11-01:/markt")], exists=True)
    outcome = reconcile(previous, [Current("blog/a.md", "post", "/blog/2026/11/markt/", "markt", "Markt", DAY),
                                   Current("pages/markt.md", "page", "/markt/", "markt", "Markt", DAY)],
                        SITE, TODAY)
    assert [e.id for e in outcome.manifest.entries] == ["tag:dorpsplein.voorbeeld.nl,2026-11-01:/markt",
                                                        "tag:dorpsplein.voorbeeld.nl,2026-11-01:/markt-2"]


def test_a_redirect_never_hides_a_live_address_and_a_move_wins_over_gone():
    manifest = Manifest([
        entry("blog/a.md", "a", "/blog/a/", redirects=["/oud/", "/blog/b/"]),
        entry("blog/b.md", "b", "/blog/b/"),
        entry("blog/c.md", "c", "/blog/c/", status="withdrawn", withdrawn="2026-12-01", redirects=["/oud/"]),
    ], exists=True)
    moved, gone = routes(manifest)
    assert moved == {"/oud/": "/blog/a/"}
    assert set(gone) == {"/blog/c/"}
