"""Drafts, hidden and future posts and pages leave the build as soon as they are read (with `EMBARGO`).

Pelican writes hidden posts at their address and, with DRAFT_SAVE_AS, drafts (future posts are
drafts until their date); other plugins derive files from every list (share images, for one). With
`EMBARGO` on (publishconf.py) they are taken out of every list in place, so no writer, template or
later plugin sees them: nothing derived from them, not even their title, reaches the output. It is
the status that counts: expired notices, which plugins/expiry puts among the hidden articles, stay.
Listed first among the plugins that read these lists, so its receivers run before theirs.
"""

from __future__ import annotations

import logging

from pelican import signals

from dorpsplein.metadata import ARTICLE_LISTS, PAGE_LISTS, embargoed

logger = logging.getLogger(__name__)


def _withhold(generator) -> None:
    if not generator.settings.get("EMBARGO"):
        return
    withheld = 0
    for name in {*ARTICLE_LISTS, *PAGE_LISTS}:
        items = getattr(generator, name, None)
        if not isinstance(items, list):
            continue
        kept = [item for item in items if not embargoed(item)]
        withheld += len(items) - len(kept)
        items[:] = kept  # in place: the generator's context holds the same list objects
    if withheld:
        logger.info("embargo: %d draft, hidden or future item(s) left out of the production build", withheld)


def register():
    signals.article_generator_finalized.connect(_withhold)
    signals.page_generator_finalized.connect(_withhold)
