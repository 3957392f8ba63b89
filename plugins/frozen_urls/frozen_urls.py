"""Every post's and page's URL, computed once when it is final instead of on every access.

Pelican formats `url` from the URL pattern and the metadata each time a template asks for it,
and list pages ask for it many times per post: about a sixth of a build. Once a generator has
read its content and every plugin has seen it (the last receiver of `article_generator_finalized`
or `page_generator_finalized`), no slug, date, category or language changes any more, so each URL
is stored in `override_url`, which Pelican's `get_url_setting` returns as is. Generators that run
later (the overviews, the feeds) then read stored URLs too; other generators' content is frozen at
`all_generators_finalized`. `save_as` is left alone: Pelican treats an `override_save_as` as a page
that may overwrite others.
"""

from __future__ import annotations

from pelican import signals
from pelican.contents import Content

from dorpsplein.metadata import ARTICLE_LISTS, PAGE_LISTS

LISTS = dict.fromkeys(ARTICLE_LISTS + PAGE_LISTS)  # both generators' lists, each name once


def freeze_urls(generators) -> None:
    if not generators or not generators[0].settings.get("FROZEN_URLS", True):
        return
    for generator in generators:
        for name in LISTS:
            for content in getattr(generator, name, ()):
                if isinstance(content, Content) and not hasattr(content, "override_url"):
                    content.override_url = content.url


def freeze_generator(generator) -> None:
    freeze_urls([generator])


def connect_last(pelican) -> None:
    """Connected anew once every plugin has registered, so these receivers run after theirs."""
    for signal in (signals.article_generator_finalized, signals.page_generator_finalized):
        signal.disconnect(freeze_generator)
        signal.connect(freeze_generator)


def register():
    signals.initialized.connect(connect_last)
    signals.all_generators_finalized.connect(freeze_urls)
