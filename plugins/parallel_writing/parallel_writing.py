"""The blog's list pages, and the output of our generators that allow it, written in forked
processes while Pelican writes the posts' own pages.

Pelican's article generator writes, one after another: every post, then the archives, the blog
index, and the tag, category and author pages. The lists need nothing the writing of the posts
changes, so once every generator has its context a forked child writes them (with a Writer of
its own) and this process skips them; the build joins the child when Pelican has written the
posts, where it would have written the lists itself. Warnings and errors come back into the
build (dorpsplein/background.py).

A generator of one of our plugins whose output needs nothing from the other generators' output
says so with `WRITTEN_BESIDE_THE_POSTS = True` (the overviews: their pages, feeds and newsletter
editions); its `generate_output` then runs in a second child, instead of after the pages.
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
    """Stands in, in the build's process, for a list writer or a `generate_output` a child runs."""


def _skip_lists_here(generator) -> None:
    for name in LIST_WRITERS:
        setattr(generator, name, _written_elsewhere)  # the instance only; the child forked before this


def _writing_beside(generators) -> list:
    return [g for g in generators if getattr(g, "WRITTEN_BESIDE_THE_POSTS", False)]


def _write_outputs(generators) -> None:
    for generator in generators:
        generator.generate_output(Writer(generator.output_path, settings=generator.settings))


def _skip_outputs_here(generators) -> None:
    for generator in generators:
        generator.generate_output = _written_elsewhere


def _enabled(settings: dict) -> bool:
    return settings.get("PARALLEL_WRITING", True)


LISTS = BesideThePosts("writing the list pages", _write_lists, after_fork=_skip_lists_here, enabled=_enabled)
OUTPUTS = BesideThePosts("writing the overviews", _write_outputs, pick=_writing_beside,
                         after_fork=_skip_outputs_here, enabled=_enabled)


def register():
    LISTS.register()
    OUTPUTS.register()
