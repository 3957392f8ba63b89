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

from pelican.writers import Writer

from dorpsplein.background import BesideThePosts

# The generator's list writers, in Pelican's order (ArticlesGenerator.generate_pages).
LIST_WRITERS = ("generate_period_archives", "generate_direct_templates", "generate_tags", "generate_categories",
                "generate_authors")


def _write_lists(generator) -> None:
    writer = Writer(generator.output_path, settings=generator.settings)
    write = partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
    for name in LIST_WRITERS:
        getattr(generator, name)(write)


def _written_elsewhere(write) -> None:
    """Stands in for a list writer in the build's process: the child writes that list."""


def _skip_lists_here(generator) -> None:
    for name in LIST_WRITERS:
        setattr(generator, name, _written_elsewhere)  # the instance only; the child forked before this


BESIDE = BesideThePosts("writing the list pages", _write_lists, after_fork=_skip_lists_here,
                        enabled=lambda settings: settings.get("PARALLEL_WRITING", True))


def register():
    BESIDE.register()
