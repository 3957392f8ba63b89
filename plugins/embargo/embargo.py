"""Drafts, hidden and future posts and pages leave the build as soon as they are read (with `EMBARGO`).

Pelican writes hidden posts at their address and, with DRAFT_SAVE_AS, drafts (future posts are
drafts until their date); other plugins derive files from every list (share images, for one). With
`EMBARGO` on (publishconf.py) their lists are emptied in place, so no writer, template or later
plugin sees them: nothing derived from them, not even their title, reaches the output. Listed
first among the plugins that read these lists, so its receivers run before theirs.
"""

from __future__ import annotations

import logging

from pelican import signals

from dorpsplein.metadata import embargoed_lists

logger = logging.getLogger(__name__)


def _withhold(generator) -> None:
    if not generator.settings.get("EMBARGO"):
        return
    withheld = 0
    for name in embargoed_lists(generator):
        items = getattr(generator, name)
        withheld += len(items)
        items.clear()  # in place: the generator's context holds the same list objects
    if withheld:
        logger.info("embargo: %d draft, hidden or future item(s) left out of the production build", withheld)


def register():
    signals.article_generator_finalized.connect(_withhold)
    signals.page_generator_finalized.connect(_withhold)
