"""plugins/published on real Pelican builds: the manifest, stable ids, redirect and withdrawn pages, the map."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.settings import ROOT
from tasks import cli

SITE = "https://dorpsplein.voorbeeld.nl"


def manifest(site) -> dict:
    return json.loads((site.content.parent / "state/published.json").read_text(encoding="utf-8"))


def entries(site) -> dict:
    return {entry["source"]: entry for entry in manifest(site)["entries"]}


def feed_ids(site) -> dict[str, str]:
    items = json.loads(site.html("feeds/all.json"))["items"]
    return {item["title"]: item["id"] for item in items}


def test_only_a_production_build_writes_the_manifest_and_only_its_own_bytes(site):
    site.post("a", "Eerste bericht", "2026-11-01 10:00")
    site.write("pages/over.md", "Title: Over ons\n\nTekst.\n")
    state = site.content.parent / "state"
    site.build()
    assert not state.exists()
    site.build(production=True)
    assert sorted(p.name for p in state.iterdir()) == ["published.json"]  # no temp file left behind
    a = entries(site)["blog/a.md"]
    assert a == {"source": "blog/a.md", "kind": "post", "id": f"{SITE}/blog/2026/11/eerste-bericht/",
                 "url": "/blog/2026/11/eerste-bericht/", "slug": "eerste-bericht", "title": "Eerste bericht",
                 "first_published": "2026-11-01", "date": "2026-11-01T10:00:00+01:00", "status": "published",
                 "redirects": [], "withdrawn": None}
    assert entries(site)["pages/over.md"]["url"] == "/over-ons/"
    # A development build reads the manifest (the same ids as production) but leaves it alone.
    before = (state / "published.json").stat().st_mtime_ns
    site.post("b", "Tweede bericht", "2026-11-02 10:00")
    site.build()
    assert (state / "published.json").stat().st_mtime_ns == before
    assert feed_ids(site)["Eerste bericht"] == f"{SITE}/blog/2026/11/eerste-bericht/"
    assert feed_ids(site)["Tweede bericht"] == "tag:127.0.0.1,2026-11-02:/tweede-bericht"


def test_a_production_build_that_fails_on_a_warning_leaves_the_manifest_as_it_was(site):
    site.post("a", "Eerste bericht", "2026-11-01 10:00")
    site.build(production=True)
    before = manifest(site)
    site.post("a", "Eerste bericht, nieuwe titel", "2026-11-01 10:00", Share="misschien")  # a warning
    with pytest.raises(DorpspleinError):
        site.build(production=True)
    assert manifest(site) == before


def test_ids_stay_through_a_new_title_a_new_date_and_a_renamed_file(site):
    site.post("a", "Eerste bericht", "2026-11-01 10:00")
    site.build(production=True)
    site.post("b", "Nieuw bericht", "2026-11-20 10:00")
    site.build(production=True)
    tag = "tag:dorpsplein.voorbeeld.nl,2026-11-20:/nieuw-bericht"
    assert feed_ids(site) == {"Eerste bericht": f"{SITE}/blog/2026/11/eerste-bericht/", "Nieuw bericht": tag}

    site.post("b", "Nieuw bericht met betere titel", "2026-10-20 10:00")
    site.build(production=True)
    assert feed_ids(site)["Nieuw bericht met betere titel"] == tag
    atom, rss = site.html("feeds/all.atom.xml"), site.html("feeds/all.rss.xml")
    assert f"<id>{tag}</id>" in atom
    assert f'<guid isPermaLink="false">{tag}</guid>' in rss
    assert entries(site)["blog/b.md"]["redirects"] == ["/blog/2026/11/nieuw-bericht/"]
    assert entries(site)["blog/b.md"]["first_published"] == "2026-11-20"

    # The same post in a renamed file (same slug): still the same post, the same id.
    (site.content / "blog/b.md").rename(site.content / "blog/2026-10-20-b.md")
    site.build(production=True)
    assert feed_ids(site)["Nieuw bericht met betere titel"] == tag
    assert "blog/b.md" not in entries(site)


def test_an_old_address_gets_a_redirect_page_and_a_map_line_also_after_a_second_move(site):
    site.post("a", "Eerste", "2026-11-01 10:00")
    site.build(production=True)
    site.post("a", "Tweede", "2026-11-01 10:00")
    site.build(production=True)
    site.post("a", "Derde", "2026-11-01 10:00")
    site.build(production=True)
    new = f"{SITE}/blog/2026/11/derde/"
    for old in ("eerste", "tweede"):
        page = site.html(f"blog/2026/11/{old}/index.html")
        assert f'<link rel="canonical" href="{new}">' in page
        assert f'<meta http-equiv="refresh" content="0; url={new}">' in page
        assert f'<a href="{new}">' in page and '<html lang="nl">' in page
    moved = site.html(".dorpsplein/moved.map")
    assert f'"/blog/2026/11/eerste/" "{new}";' in moved
    assert f'"/blog/2026/11/tweede" "{new}";' in moved
    assert f'"/blog/2026/11/tweede/index.html" "{new}";' in moved
    assert "/derde" not in moved.replace(new, "")  # the live address is never in the map
    assert "eerste" not in site.html("sitemap.xml")


def test_a_withdrawn_post_answers_gone_and_comes_back_with_its_id(site):
    site.post("a", "Blijft", "2026-11-01 10:00")
    site.post("weg", "Gaat <weg> & komt terug", "2026-11-02 10:00")
    site.build(production=True)
    weg = site.content / "blog/weg.md"
    text = weg.read_text(encoding="utf-8")
    weg.unlink()
    site.build(production=True)
    page = site.html("blog/2026/11/gaat-komt-terug/index.html")
    assert "<h1>Bericht ingetrokken</h1>" in page and "Gaat &lt;weg&gt; &amp; komt terug" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<h1>Bericht ingetrokken</h1>" in site.html("410.html")
    assert '"/blog/2026/11/gaat-komt-terug/" "gone";' in site.html(".dorpsplein/moved.map")
    entry = entries(site)["blog/weg.md"]
    assert entry["status"] == "withdrawn" and entry["withdrawn"]

    weg.write_text(text, encoding="utf-8")
    site.build(production=True)
    assert "\"gone\"" not in site.html(".dorpsplein/moved.map")
    assert entries(site)["blog/weg.md"]["status"] == "published"
    assert feed_ids(site)["Gaat <weg> & komt terug"] == f"{SITE}/blog/2026/11/gaat-komt-terug/"


def test_aliases_redirect_and_a_bad_one_is_a_warning_naming_the_file(site):
    site.post("a", "Bericht", "2026-11-01 10:00", Aliases="/oud/, /heel-oud.html")
    site.build(production=True)
    moved = site.html(".dorpsplein/moved.map")
    assert f'"/oud/" "{SITE}/blog/2026/11/bericht/";' in moved
    assert f'"/heel-oud.html" "{SITE}/blog/2026/11/bericht/";' in moved
    assert "canonical" in site.html("oud/index.html") and "canonical" in site.html("heel-oud.html")
    site.post("a", "Bericht", "2026-11-01 10:00", Aliases="https://elders.nl/x")
    with pytest.raises(DorpspleinError, match=r"a\.md: Aliases: alias 'https://elders.nl/x' must be an address"):
        site.build(production=True)


def test_a_development_build_warns_about_a_move_and_production_publishes_it(site, caplog):
    site.post("a", "Eerste", "2026-11-01 10:00")
    site.build(production=True)
    site.post("a", "Andere titel", "2026-11-01 10:00")
    warnings = site.build().warnings
    assert any("blog/a.md: its address changes from /blog/2026/11/eerste/ to /blog/2026/11/andere-titel/" in w
               and "Slug: eerste" in w for w in warnings), warnings
    caplog.clear()
    with caplog.at_level(logging.INFO):
        site.build(production=True)  # not a warning here: the redirect keeps the old address working
    assert [r.levelno for r in caplog.records if "blog/a.md: its address changes" in r.getMessage()] == [logging.INFO]
    (site.content / "blog/a.md").unlink()
    warnings = site.build().warnings
    assert any("blog/a.md: published at /blog/2026/11/andere-titel/ and now gone" in w for w in warnings), warnings


def test_an_unreadable_manifest_stops_the_build_with_its_name(site):
    site.post("a", "Eerste", "2026-11-01 10:00")
    state = site.content.parent / "state"
    state.mkdir()
    (state / "published.json").write_text("{kapot", encoding="utf-8")
    with pytest.raises(DorpspleinError, match=r"published\.json: cannot read the published-posts manifest"):
        site.build(production=True)


def test_new_writes_a_slug_so_a_corrected_title_keeps_the_address(runner, site):
    result = runner.invoke(cli, ["new", "Tikfout in de titl", "--publish", "--date", "2026-11-05 09:00",
                                 "--content", str(site.content)])
    assert result.exit_code == 0, result.output
    path = site.content / "blog/2026-11-05-tikfout-in-de-titl.md"
    assert "\nSlug: tikfout-in-de-titl\n" in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("Title: Tikfout in de titl", "Title: Geen tikfout"),
                    encoding="utf-8")
    site.build()
    assert "Geen tikfout" in site.html("blog/2026/11/tikfout-in-de-titl/index.html")


def test_check_warns_for_a_post_without_slug_and_names_the_published_one(runner, site):
    site.post("a", "Eerste", "2026-11-01 10:00")
    site.post("b", "Met slug", "2026-11-01 10:00", Slug="met-slug")
    site.write("pages/over.md", "Title: Over\n\nTekst.\n")
    result = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if "Slug" in line]
    assert lines == [f"{site.content}/blog/a.md:1: warning: no Slug: a new title would change the post's web "
                     "address; add `Slug: eerste`"]
    site.build(production=True)
    site.post("a", "Eerste, verbeterd", "2026-11-01 10:00")
    result = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert (f"{site.content}/blog/a.md:1: warning: the title now gives the address 'eerste-verbeterd', but the "
            "post was published as 'eerste': add `Slug: eerste` to keep its address") in result.stdout


@pytest.mark.parametrize(("aliases", "message"), [
    ("oud/", "alias 'oud/' must start with /"),
    ("//elders.nl/x", "must be an address on this site"),
    ("/met spatie/", "may only hold letters"),
    ("/a/../b/", "no /../"),
])
def test_check_rejects_a_bad_alias_on_its_line(runner, site, aliases, message):
    site.post("a", "Eerste", "2026-11-01 10:00", Slug="eerste", Aliases=aliases)
    result = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert result.exit_code == 1
    assert f"{site.content}/blog/a.md:5: error: Aliases: " in result.stdout and message in result.stdout


def test_check_rejects_one_alias_in_two_posts(runner, site):
    site.post("a", "Eerste", "2026-11-01 10:00", Slug="eerste", Aliases="/oud/")
    site.post("b", "Tweede", "2026-11-01 10:00", Slug="tweede", Aliases="/oud/")
    result = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert result.exit_code == 1
    assert "blog/b.md:5: error: Aliases: /oud/ is also an alias of " in result.stdout


def test_the_redirect_and_withdrawn_pages_are_valid_html(site):
    vnu = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
    if not (shutil.which("java") and vnu.is_file()):
        pytest.skip("the HTML check needs java and node_modules/vnu-jar (`npm ci`)")
    site.post("a", "Eerste", "2026-11-01 10:00", Aliases="/oud/")
    site.post("b", "Weg", "2026-11-01 10:00")
    site.build(production=True)
    (site.content / "blog/b.md").unlink()
    site.build(production=True)
    pages = [site.output / "oud/index.html", site.output / "blog/2026/11/weg/index.html", site.output / "410.html"]
    run = subprocess.run(["java", "-jar", str(vnu), "--errors-only", *map(str, pages)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_a_dry_run_publish_records_nothing_and_a_publish_records_what_it_sent(site, tmp_path):
    from dorpsplein.publish import publish

    site.post("a", "Eerste", "2026-11-01 10:00", Slug="eerste")
    settings = site.settings(production=True, PUBLISH_TARGETS={"t": f"dir:{tmp_path / 'www'}"}, PUBLISH_TARGET="t")
    publish(settings, dry_run=True)
    assert not (site.content.parent / "state").exists()
    publish(settings)
    assert list(entries(site)) == ["blog/a.md"]
    assert (tmp_path / "www/current/.dorpsplein/moved.map").is_file()  # the map travels with the release


def test_check_warns_on_the_file_before_a_publish_moves_or_withdraws_a_published_post(runner, site):
    site.post("a", "Eerste", "2026-11-01 10:00", Slug="eerste")
    site.post("b", "Tweede", "2026-11-01 10:00", Slug="tweede")
    site.build(production=True)
    site.post("a", "Eerste", "2026-10-01 10:00", Slug="eerste")
    (site.content / "blog/b.md").unlink()
    result = runner.invoke(cli, ["check", "--content", str(site.content)])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if not line.startswith("pelicanconf.py:")] == [
        f"{site.content}/blog/a.md:2: warning: its address changes from /blog/2026/11/eerste/ to "
        "/blog/2026/10/eerste/; the old address will redirect (301) after the next publish",
        f"{site.content}/blog/b.md:1: warning: published at /blog/2026/11/tweede/ and now gone: that address "
        "will answer 410 Gone (withdrawn) after the next publish"]
