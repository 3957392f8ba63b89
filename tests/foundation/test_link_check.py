"""The link check of a built site (issue 17.3): `check --built DIR`, and every production build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dorpsplein.build import build
from dorpsplein.errors import DorpspleinError
from dorpsplein.linkcheck import dead_links
from dorpsplein.settings import load_settings
from tasks import cli

ROOT = Path(__file__).resolve().parents[2]
PREVIEW = "http://127.0.0.1:8000"  # pelicanconf's PREVIEW_URL: our own address in a development build
LIVE = "https://dorpsplein.voorbeeld.nl"  # publishconf's SITEURL

# Every way a page links to something, each once dead and once alive.
HAND_WRITTEN_PAGE = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Proef</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Zie https://example.org/ en ook {LIVE}/staat-in-tekst niet als link">
<link rel="canonical" href="{LIVE}/proef/weg/">
<link rel="stylesheet" href="/theme/css/dorpsplein.css">
<link rel="alternate" type="application/atom+xml" href="{PREVIEW}/feeds/all.atom.xml">
<link rel="preload" as="image" imagesrcset="/images/kaart.png 1x, /images/kaart-groot.png 2x">
<meta property="og:image" content="{LIVE}/images/weg.png">
<meta property="og:url" content="{LIVE}/blog/">
<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", "headline": "Proef: een titel",
                                               "image": [f"{PREVIEW}/images/ld-weg.png"],
                                               "url": f"{PREVIEW}/blog"})}</script>
<script src="/theme/js/weg.js" defer></script>
</head><body>
<a href="#inhoud">naar de inhoud</a> <a href="mailto:info@voorbeeld.nl">mail</a> <a href="tel:+31101234567">bel</a>
<a href="https://example.org/nergens/">elders</a> <a href="//example.org/ook-elders/">elders</a>
<a href="/blog/">blog</a> <a href="/blog">blog zonder schuine streep</a> <a href="/blog/?pagina=1#top">met query</a>
<a href="../blog/">relatief</a> <a href="weg/">relatief en dood</a> <a href="/nergens/">dood</a>
<a href="{LIVE}/blog/2026/01/weekmarkt/">live en levend</a> <a href="{LIVE}/nergens/">live en dood</a>
<a href="/images/kaart%20twee.png">gecodeerd</a>
<img src="/images/kaart.png" alt="kaart" srcset="/images/kaart.png 1x, /images/kaart-2x.png 2x">
<form method="post" action="{PREVIEW}/formulieren/aanmelden"><button>aanmelden</button></form>
<a href="http://127.0.0.1:8001/aanmelden">het formulierendienst-adres van de ontwikkelbuild</a>
<!-- <a href="/in-commentaar/">telt niet</a> -->
</body></html>
"""

EXPECTED_DEAD = [
    "proef/index.html: /images/kaart-2x.png",
    "proef/index.html: /images/kaart-groot.png",
    "proef/index.html: /nergens/",
    "proef/index.html: /theme/js/weg.js",
    f"proef/index.html: {LIVE}/images/weg.png",
    f"proef/index.html: {LIVE}/nergens/",
    f"proef/index.html: {LIVE}/proef/weg/",
    f"proef/index.html: {PREVIEW}/images/ld-weg.png",
    "proef/index.html: weg/",
]


@pytest.fixture
def built(site):
    site.post("weekmarkt", "Weekmarkt", "2026-01-05 09:00")
    site.write("images/kaart.png", "niet echt een png")
    site.write("images/kaart twee.png", "ook niet")
    site.build()
    (site.output / "proef").mkdir()
    (site.output / "proef/index.html").write_text(HAND_WRITTEN_PAGE, encoding="utf-8")
    return site.output


def test_check_built_names_each_dead_link_of_each_kind(built, runner, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(cli, ["check", "--built", str(built)])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == sorted(EXPECTED_DEAD)  # by page, then link
    assert result.stderr == f"{len(EXPECTED_DEAD)} dead link(s) in {built}\n"


def test_check_built_passes_a_whole_site(built, runner, monkeypatch):
    (built / "proef/index.html").unlink()
    monkeypatch.chdir(ROOT)
    result = runner.invoke(cli, ["check", "--built", str(built)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"0 dead link(s) in {built}\n"


def test_a_site_under_a_path_checks_links_under_that_path(built):
    (built / "proef/index.html").write_text(
        '<a href="https://gemeente-x.nl/dorpsplein/blog/">ja</a><a href="https://gemeente-x.nl/dorpsplein/weg/">nee</a>'
        '<a href="https://gemeente-x.nl/andere-site/">niet van ons</a>', encoding="utf-8")
    dead = dead_links(built, ["https://gemeente-x.nl/dorpsplein"])
    assert [str(link) for link in dead] == ["proef/index.html: https://gemeente-x.nl/dorpsplein/weg/"]


def test_production_build_fails_on_a_dead_link_and_keeps_the_old_site(site):
    site.post("markt", "Weekmarkt", "2026-01-05 09:00", body="Zie [de kaart](/kaart/) en [de blog](/blog/).")
    site.output.mkdir()
    (site.output / "oud.html").write_text("de vorige site", encoding="utf-8")
    with pytest.raises(DorpspleinError) as caught:
        site.build(production=True)
    message = str(caught.value)
    assert message.startswith("production build failed: 1 link(s) to pages or files this site does not have; "
                              "the site was not changed:\n")
    assert message.endswith("\n  - blog/2026/01/weekmarkt/index.html: /kaart/")
    assert sorted(p.name for p in site.output.iterdir()) == ["oud.html"]


def test_the_demo_site_passes_the_link_check(tmp_path, runner, monkeypatch):
    """A production build of the demo runs the check itself; its header and footer keep every link."""
    output = tmp_path / "output"
    build(load_settings(production=True, output=output, extra={"CACHE_PATH": str(tmp_path / "cache")}),
          strict=True)
    monkeypatch.chdir(ROOT)
    result = runner.invoke(cli, ["check", "--built", str(output)])
    assert result.exit_code == 0, result.output
    from pelicanconf import FOOTER_LINKS, MENUITEMS  # noqa: PLC0415

    home = (output / "index.html").read_text(encoding="utf-8")
    for _, link in MENUITEMS + FOOTER_LINKS:
        assert f'href="{LIVE}{link}"' in home, link
