"""The plugins that only make the build faster (parallel_reading, reused_markdown, frozen_urls, parallel_writing,
kept_files, template_cache) give the same site as without them."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from dorpsplein.build import build
from dorpsplein.errors import DorpspleinError
from dorpsplein.settings import load_settings

IN_WORKERS = {"PARALLEL_READING_WORKERS": 2, "PARALLEL_READING_MIN_FILES": 1}
ONE_BY_ONE = {"PARALLEL_READING_WORKERS": 0}
# Off by their settings: a plugin loaded once stays connected for the life of the process.
ALL_OFF = {**ONE_BY_ONE, "REUSED_MARKDOWN": False, "FROZEN_URLS": False, "PARALLEL_WRITING": False,
           "KEPT_FILES": False}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.usefixtures("same_day")
def test_the_demo_site_built_with_them_is_byte_for_byte_the_site_built_without(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="parallel_reading.parallel_reading")
    outputs = {}
    for name, extra in (("workers", IN_WORKERS), ("one", ALL_OFF)):
        out = tmp_path / name
        result = build(load_settings(output=out, extra={"CACHE_PATH": str(tmp_path / f"{name}-cache"), **extra}))
        assert result.warnings == []
        outputs[name] = _files(out)
    read = [r.getMessage() for r in caplog.records if r.getMessage().startswith("parallel_reading:")]
    assert len(read) == 2 and all(" in 2 worker processes" in line for line in read)  # articles and pages, once each
    assert int(read[0].split()[1]) >= 12  # the demo's posts (drafts included), not one by one after all
    differing = [path for path in outputs["one"] if outputs["workers"].get(path) != outputs["one"][path]]
    assert sorted(outputs["workers"]) == sorted(outputs["one"])
    assert differing == []


def test_a_rebuild_reads_only_the_changed_file_again(site, caplog):
    caplog.set_level(logging.INFO, logger="parallel_reading.parallel_reading")
    for number in range(3):
        site.post(f"p{number}", f"Bericht {number}", f"2026-11-0{number + 1} 10:00")
    site.build(**IN_WORKERS)
    site.post("p1", "Bericht 1, bijgewerkt", "2026-11-02 10:00")
    caplog.clear()
    site.build(LOAD_CONTENT_CACHE=True, **IN_WORKERS)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("parallel_reading:")] == [
        "parallel_reading: 1 file(s) in 2 worker processes"]
    assert "Bericht 1, bijgewerkt" in site.html("blog/2026/11/bericht-1-bijgewerkt/index.html")


@pytest.mark.parametrize("extra", [IN_WORKERS, ONE_BY_ONE], ids=["in workers", "one by one"])
def test_a_file_that_warns_or_fails_is_reported_as_without_the_plugin(site, extra):
    # A second Date logs a warning while the file is read; a bad Date makes reading fail.
    site.post("goed", "Goed bericht", "2026-11-01 10:00")
    site.write("blog/dubbel.md", "Title: Dubbel\nDate: 2026-11-02 10:00\nDate: 2026-11-03 10:00\n"
                                 "Category: Nieuws\n\nTekst.\n")
    site.write("blog/kapot.md", "Title: Kapotte datum\nDate: 2026-13-45\nCategory: Nieuws\n\nTekst.\n")
    warnings = site.build(**extra).warnings
    assert sum("Duplicate definition of `date`" in w for w in warnings) == 1, warnings
    assert sum("kapot.md" in w for w in warnings) == 1, warnings
    assert (site.output / "blog/2026/11/goed-bericht/index.html").is_file()
    with pytest.raises(DorpspleinError, match="Duplicate definition of `date`"):
        site.build(production=True, **extra)


def test_a_template_edited_between_two_builds_in_one_process_is_used_by_the_second(site, tmp_path):
    """template_cache shares compiled templates between builds and stops Jinja checking file times
    within one: what `make serve` does on every change must still show an edited template."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    site.write("pages/info.md", "Title: Info\n\nTekst.\n")
    for version in ("eerste", "tweede"):
        template = f"{{% block content %}}{version} versie{{% endblock %}}"
        (overrides / "page.html").write_text('{% extends "base.html" %}' + template)
        site.build(THEME_TEMPLATES_OVERRIDES=[str(overrides)])
        assert f"{version} versie" in site.html("info/index.html")


@pytest.mark.usefixtures("same_day")
def test_one_reused_markdown_converter_carries_nothing_from_one_file_to_the_next(site, tmp_path, monkeypatch):
    from markdown import Markdown

    made = []
    build_converter = Markdown.__init__

    def counted(self, **options):
        made.append(1)
        build_converter(self, **options)

    monkeypatch.setattr(Markdown, "__init__", counted)
    site.post("a", "Eerste", "2026-11-01 10:00", Summary="Met *nadruk*.",
              body="De HTML-pagina[^1].\n\n[^1]: Een voetnoot.\n\n*[HTML]: HyperText Markup Language\n\n## Kop")
    site.post("b", "Tweede", "2026-11-02 10:00", body="Weer HTML[^x].\n\n[^x]: Andere noot.\n\n## Kop")
    site.post("c", "Derde", "2026-11-03 10:00", Summary="Gewoon.", body="Alleen tekst.")
    outputs = {}
    for name, reused in (("reused", True), ("new", False)):
        site.output = tmp_path / name
        made.clear()
        site.build(REUSED_MARKDOWN=reused, CACHE_PATH=str(tmp_path / f"{name}-cache"))
        outputs[name] = _files(site.output)
        assert len(made) == (1 if reused else 3)  # one converter for the posts' reader, or one per post
    second = outputs["reused"]["blog/2026/11/tweede/index.html"].decode()
    assert "<abbr" not in second and "Andere noot" in second and "Een voetnoot" not in second
    assert outputs["reused"] == outputs["new"]


def test_urls_are_frozen_after_every_plugin_has_seen_the_posts_and_before_the_next_generator(site):
    from pelican import signals

    site.post("a", "Oude titel", "2026-11-01 10:00")
    site.build()  # frozen_urls is loaded and connected before the receivers below
    seen = {}

    def rename(generator):  # a later plugin that changes a slug once the posts are read
        for article in generator.articles:
            article.slug = "nieuwe-naam"

    def next_generator(generator):
        seen["frozen"] = [getattr(a, "override_url", None) for a in generator.context["articles"]]

    signals.article_generator_finalized.connect(rename)
    signals.page_generator_finalized.connect(next_generator)
    try:
        site.build()
    finally:
        signals.article_generator_finalized.disconnect(rename)
        signals.page_generator_finalized.disconnect(next_generator)
    assert seen["frozen"] == ["blog/2026/11/nieuwe-naam/"]
    assert 'href="/blog/2026/11/nieuwe-naam/"' in site.html("blog/index.html")
