"""Real Pelican builds of tiny sites: status rules, Dutch dates, strict production builds."""

from __future__ import annotations

import pytest

from dorpsplein.errors import DorpspleinError


def test_published_post_is_listed_with_a_dutch_date(site):
    site.post("markt", "Weekmarkt op de Brink", "2026-03-05 10:00")
    site.build()
    html = site.html("blog/2026/03/weekmarkt-op-de-brink/index.html")
    assert '<time datetime="2026-03-05T10:00:00+01:00">5 maart 2026</time>' in html
    assert "Weekmarkt op de Brink" in site.html("blog/index.html")


def test_summer_time_is_europe_amsterdam(site):
    site.post("zomer", "Zomerfeest", "2026-07-01 20:00")
    site.build()
    assert 'datetime="2026-07-01T20:00:00+02:00">1 juli 2026<' in site.html("blog/2026/07/zomerfeest/index.html")


def test_draft_is_never_listed(site):
    site.post("concept", "Half af", "2026-01-10 09:00", Status="draft")
    site.post("klaar", "Wel klaar", "2026-01-11 09:00")
    site.build()
    listed = site.html("blog/index.html") + site.html("blog/archief/index.html")
    listed += site.html("blog/categorie/nieuws/index.html") + site.html("feeds/all.atom.xml")
    assert "Wel klaar" in listed
    assert "Half af" not in listed


def test_draft_is_not_written_by_a_production_build(site):
    site.post("concept", "Half af", "2026-01-10 09:00", Status="draft")
    site.build(production=True)
    assert not (site.output / "concepten").exists()


def test_future_post_waits_for_its_date(site):
    site.post("later", "Nieuwjaarsreceptie 2099", "2099-01-04 09:00")
    site.post("nu", "Vandaag", "2026-01-11 09:00")
    site.build()
    assert "Nieuwjaarsreceptie" not in site.html("blog/index.html")
    assert "Nieuwjaarsreceptie" not in site.html("feeds/all.atom.xml")
    assert not (site.output / "blog/2099").exists()


def test_expired_notice_leaves_lists_but_keeps_its_page(site):
    site.post("afsluiting", "Brug dicht", "2026-01-05 09:00", Category="Bekendmakingen",
              Tags="verkeer", Expires="2026-01-20 00:00")
    site.post("geldig", "Brug open", "2026-01-21 09:00", Category="Bekendmakingen",
              Tags="verkeer", Expires="2099-01-01 00:00")
    site.build()
    for listing in ("blog/index.html", "blog/archief/index.html", "blog/categorie/bekendmakingen/index.html",
                    "blog/onderwerp/verkeer/index.html", "feeds/all.atom.xml", "blog/2026/01/index.html"):
        assert "Brug dicht" not in site.html(listing), listing
        assert "Brug open" in site.html(listing), listing
    page = site.html("blog/2026/01/brug-dicht/index.html")
    assert "Verlopen:" in page and "20 januari 2026" in page
    assert "Verlopen:" not in site.html("blog/2026/01/brug-open/index.html")


def test_unparsable_expires_is_a_warning_that_fails_production(site):
    site.post("fout", "Foute datum", "2026-01-05 09:00", Expires="morgen")
    assert any("Expires 'morgen' is not a date" in w for w in site.build().warnings)
    with pytest.raises(DorpspleinError, match="Expires 'morgen' is not a date"):
        site.build(production=True)


def test_failed_production_build_leaves_previous_output_untouched(site):
    site.post("goed", "Goed bericht", "2026-01-05 09:00")
    site.build(production=True)
    before = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    site.post("slecht", "Slecht bericht", "niet-een-datum")
    with pytest.raises(DorpspleinError, match="production build failed on warnings"):
        site.build(production=True)
    after = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    assert after == before
    assert not list(site.output.parent.glob(".output-*"))


def test_plugin_that_fails_to_load_fails_production(site):
    site.post("goed", "Goed bericht", "2026-01-05 09:00")
    with pytest.raises(DorpspleinError, match="bestaat_niet"):
        site.build(production=True, PLUGINS=["dutch_dates", "bestaat_niet"])


def test_production_build_uses_absolute_site_url(site):
    site.post("goed", "Goed bericht", "2026-01-05 09:00")
    site.build(production=True)
    assert 'href="https://dorpsplein.voorbeeld.nl/blog/2026/01/goed-bericht/"' in site.html("blog/index.html")


def test_plain_pelican_content_folder_builds(tmp_path):
    """Posts at the top of the folder, pages in pages/: Pelican's usual layout."""
    from dorpsplein.build import build
    from dorpsplein.settings import load_settings

    content = tmp_path / "elders"
    (content / "pages").mkdir(parents=True)
    (content / "bericht.md").write_text("Title: Los bericht\nDate: 2026-02-02\n\nTekst.\n", encoding="utf-8")
    (content / "pages" / "info.md").write_text("Title: Info\n\nOver ons.\n", encoding="utf-8")
    build(load_settings(content=content, output=tmp_path / "out", extra={"CACHE_PATH": str(tmp_path / "c")}))
    assert (tmp_path / "out/blog/2026/02/los-bericht/index.html").is_file()
    assert (tmp_path / "out/info/index.html").is_file()


def test_a_post_in_another_language_gets_its_own_blog_address(site):
    site.post("weg-dicht", "Road closed", "2026-01-05 09:00", Lang="en")
    site.build()
    assert (site.output / "blog/2026/01/road-closed-en/index.html").is_file()
    assert not (site.output / "road-closed-en.html").exists()


def test_a_title_written_twice_is_a_warning_with_the_file_and_the_first_title_is_kept(site):
    site.write("blog/twee-titels.md", "Title: Kermis op het plein\nDate: 2026-10-10 09:00\nCategory: Nieuws\n"
                                      "Title: Kermis op het Dorpsplein\n\nDe kermis staat een week op het plein.\n")
    warnings = site.build().warnings
    assert [w for w in warnings if "Duplicate definition" in w] == [
        f"Duplicate definition of `title` for {site.content / 'blog/twee-titels.md'}. Using first one."]
    assert "<h1>Kermis op het plein</h1>" in site.html("blog/2026/10/kermis-op-het-plein/index.html")
    with pytest.raises(DorpspleinError, match="Duplicate definition of `title`"):
        site.build(production=True)
