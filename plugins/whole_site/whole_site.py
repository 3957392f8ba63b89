"""Pelican glue: the fallback home page, and `page_exists`, `menu_links`, `footer_links` for the theme."""

from __future__ import annotations

import json
from pathlib import Path

from pelican import signals

from dorpsplein.files import write_if_changed
from dorpsplein.navigation import NAVIGATION_FILE

from .home_page import HomePageGenerator
from .site_paths import SitePaths, planned_paths


def get_generators(pelican):
    return HomePageGenerator


def link_only_what_exists(generators) -> None:
    """Once every generator knows what it will write: the header and footer keep only links that resolve."""
    context = generators[0].context
    settings = generators[0].settings
    page_exists = SitePaths(planned_paths(generators, settings), settings.get("SITEURL") or "")
    context["page_exists"] = page_exists
    context["menu_links"] = [(title, link) for title, link in settings.get("MENUITEMS") or () if page_exists(link)]
    context["footer_links"] = [(title, link) for title, link in settings.get("FOOTER_LINKS") or ()
                               if page_exists(link)]
    # The forms service draws the same header and footer on its own pages: it reads them from the release.
    navigation = {"MENUITEMS": context["menu_links"], "FOOTER_LINKS": context["footer_links"]}
    write_if_changed(Path(settings["OUTPUT_PATH"]) / NAVIGATION_FILE,
                     json.dumps(navigation, ensure_ascii=False, indent=1).encode())


def register():
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(link_only_what_exists)
