"""The blog's list pages written in a forked process while Pelican writes the posts' own pages.

Pelican's article generator writes, one after another: every post, then the archives, the blog
index, and the tag, category and author pages. The lists need nothing the writing of the posts
changes, so once every generator has its context a forked child writes them (with a Writer of
its own) and this process skips them; the build joins the child when Pelican has written the
posts, where it would have written the lists itself. Warnings and errors come back into the
build (dorpsplein/background.py).
"""

from __future__ import annotations

from functools import partial

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from dorpsplein.background import Background

# The generator's list writers, in Pelican's order (ArticlesGenerator.generate_pages).
LIST_WRITERS = ("generate_period_archives", "generate_direct_templates", "generate_tags", "generate_categories",
                "generate_authors")

_writing: Background | None = None


def stop_earlier_writing(pelican=None) -> None:
    """A build that failed before joining leaves its child behind: stop it."""
    global _writing
    if _writing is not None:
        _writing.cancel()
        _writing = None


def _write_lists(generator) -> None:
    writer = Writer(generator.output_path, settings=generator.settings)
    write = partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
    for name in LIST_WRITERS:
        getattr(generator, name)(write)


def _written_elsewhere(write) -> None:
    """Stands in for a list writer in this process: the child writes that list."""


def start_writing_lists(generators) -> None:
    global _writing
    stop_earlier_writing()
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    # A plugin's own Writer (get_writer) would not be the one the child uses: then write as Pelican does.
    if articles is None or not articles.settings.get("PARALLEL_WRITING", True) or signals.get_writer.receivers:
        return
    _writing = Background("writing the list pages", _write_lists, articles)
    for name in LIST_WRITERS:
        setattr(articles, name, _written_elsewhere)  # the instance only; the child forked before this


def finish_writing_lists(generator, writer=None) -> None:
    global _writing
    writing, _writing = _writing, None
    if writing is not None:
        writing.join()


def register():
    signals.initialized.connect(stop_earlier_writing)
    signals.all_generators_finalized.connect(start_writing_lists)
    signals.article_writer_finalized.connect(finish_writing_lists)
