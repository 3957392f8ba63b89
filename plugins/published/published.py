"""Pelican glue: read the last manifest, give every post its stable id, write the redirects.

A generator of its own, so it runs after the posts and pages are final (expired notices hidden,
URLs frozen) and before the feeds are written beside the posts (they read `stable_id`). Its
output: a tiny redirect page at every old address, a Dutch "withdrawn" page at every address of a
withdrawn post, the 410 page, and the nginx map that answers those addresses with 301 and 410.
The manifest itself is written once the build has finished without a warning, and only by a
production build (`PUBLISHED_WRITE`).
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

from dorpsplein.build import WarningCollector
from dorpsplein.files import write_if_changed
from dorpsplein.published import (
    PAGE,
    POST,
    PUBLISHED,
    alias_problem,
    load_manifest,
    page_file,
    parse_aliases,
    save_manifest,
)
from dorpsplein.urls import absolute_url, base_url

from .nginx_map import render_map
from .reconcile import Current, reconcile, routes
from .settings import published_settings

logger = logging.getLogger(__name__)
LISTS = {POST: ("articles", "hidden_articles"), PAGE: ("pages", "hidden_pages")}


def _source(content, settings: dict) -> str:
    return Path(content.source_path).relative_to(settings["PATH"]).as_posix()


def _current(context: dict, settings: dict) -> list[Current]:
    items = []
    for kind, names in LISTS.items():
        for name in names:
            for content in context.get(name, ()):
                aliases = []
                for alias in parse_aliases(content.metadata.get("aliases")):
                    problem = alias_problem(alias)
                    if problem:
                        logger.warning("%s: Aliases: %s", content.source_path, problem)
                    else:
                        aliases.append(alias)
                items.append(Current(
                    source=_source(content, settings), kind=kind,
                    url="/" + content.url.lstrip("/"), slug=content.slug, title=str(content.title),
                    date=getattr(content, "date", None), aliases=tuple(aliases)))
    return items


class PublishedGenerator(Generator):
    def generate_context(self):
        self.options = published_settings(self.settings)
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        previous = load_manifest(self.options["PUBLISHED_STATE_PATH"])
        outcome = reconcile(previous, _current(self.context, self.settings), base_url(self.settings),
                            datetime.datetime.now(tz).date(), self.options["PUBLISHED_FIRST_IDS"])
        self.manifest = outcome.manifest
        self.moved, self.gone = routes(self.manifest)
        # A development build says what the next publish will do; a production build does it
        # (a warning would fail it, and the old address keeps working).
        level = logging.INFO if self.options["PUBLISHED_WRITE"] else logging.WARNING
        folder = Path(self.settings["PATH"])
        for entry, old in outcome.moved:
            was = old.rstrip("/").rsplit("/", 1)[-1]
            hint = f" (add `Slug: {was}` to keep it)" if was != entry.slug else ""
            logger.log(level, "%s: its address changes from %s to %s; the old address will redirect%s",
                       folder / entry.source, old, entry.url, hint)
        for entry in outcome.withdrawn:
            logger.log(level, "%s: published at %s and now gone; that address will answer 410 Gone (withdrawn)",
                       folder / entry.source, entry.url)
        ids = {entry.source: entry.id for entry in self.manifest.entries}
        for content in [*self.context.get("articles", ()), *self.context.get("hidden_articles", ())]:
            content.stable_id = ids.get(_source(content, self.settings))
        RUN.generator = self

    def generate_output(self, writer):
        options, settings = self.options, self.settings
        relative = settings.get("RELATIVE_URLS", False)
        moved_template = self.get_template(options["PUBLISHED_MOVED_TEMPLATE"])
        withdrawn_template = self.get_template(options["PUBLISHED_WITHDRAWN_TEMPLATE"])
        for old, url in sorted(self.moved.items()):
            writer.write_file(page_file(old), moved_template, self.context, relative_urls=relative,
                              url=old.lstrip("/"), target_url=absolute_url(url, settings))
        for old, entry in sorted(self.gone.items()):
            writer.write_file(page_file(old), withdrawn_template, self.context, relative_urls=relative,
                              url=old.lstrip("/"), withdrawn=entry)
        writer.write_file(options["PUBLISHED_GONE_SAVE_AS"], withdrawn_template, self.context,
                          relative_urls=relative, url=options["PUBLISHED_GONE_SAVE_AS"], withdrawn=None)
        moved = {old: absolute_url(url, settings) for old, url in self.moved.items()}
        live = {entry.url for entry in self.manifest.entries if entry.status == PUBLISHED}
        text, skipped = render_map(moved, self.gone, live)
        for old in skipped:
            logger.warning("published: %s is too long for nginx's map; only its HTML page redirects", old)
        write_if_changed(Path(self.output_path) / options["PUBLISHED_MAP_SAVE_AS"], text.encode("utf-8"))
        write_if_changed(Path(self.output_path) / options["PUBLISHED_MANIFEST_SAVE_AS"], self.manifest.to_json())


class _Run:
    """One build: its generator, and whether it logged a warning (then the manifest is not written)."""

    generator: PublishedGenerator | None = None
    warnings: WarningCollector | None = None

    def start(self, pelican) -> None:
        self.generator = None
        self.stop_listening()
        self.warnings = WarningCollector()
        logging.getLogger().addHandler(self.warnings)

    def stop_listening(self) -> None:
        if self.warnings is not None:
            logging.getLogger().removeHandler(self.warnings)

    def finish(self, pelican) -> None:
        generator, collected = self.generator, self.warnings
        self.stop_listening()
        self.generator, self.warnings = None, None
        if generator is None or not generator.options["PUBLISHED_WRITE"]:
            return
        if collected is not None and collected.records:
            logger.info("published: the build logged warnings; %s is left as it was",
                        generator.options["PUBLISHED_STATE_PATH"])
            return
        save_manifest(generator.options["PUBLISHED_STATE_PATH"], generator.manifest)


RUN = _Run()


def get_generators(pelican):
    return PublishedGenerator


def register():
    signals.initialized.connect(RUN.start)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(RUN.finish)
