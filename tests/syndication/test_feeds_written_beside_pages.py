"""The feeds are written in a forked process while Pelican writes the pages: the build still sees
their warnings and errors as its own."""

from __future__ import annotations

import json

import pytest

from dorpsplein.errors import DorpspleinError


def test_a_warning_while_writing_the_feeds_is_in_the_build_warnings_and_fails_production(site):
    site.post("vraag", "Twijfel", "2026-11-01 10:00", Share="misschien")
    warnings = site.build().warnings
    assert sum("Share 'misschien' must be yes or no" in w for w in warnings) == 1, warnings
    feed = json.loads((site.output / "feeds/all.json").read_text(encoding="utf-8"))
    assert [item["title"] for item in feed["items"]] == ["Twijfel"]
    with pytest.raises(DorpspleinError, match="Share 'misschien' must be yes or no"):
        site.build(production=True)


def test_an_error_while_writing_the_feeds_fails_the_build_with_its_message(site):
    site.post("a", "Een bericht", "2026-11-01 10:00")
    with pytest.raises(DorpspleinError, match=r"feeds failed: ValueError: invalid literal for int\(\)"):
        site.build(FEEDS_MAX_ITEMS="veel")
