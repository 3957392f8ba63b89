"""Embargo (issue 18.6): a production build writes no file derived from a draft, hidden or future post."""

from __future__ import annotations

import re

import pytest

PUBLISHED = {"post": ("gepubliceerd-bericht-over-de-dorpsstraat", "Gepubliceerd bericht over de Dorpsstraat"),
             "page": ("over-ons", "Over ons")}
EMBARGOED = {  # kind → (title, how it is kept back)
    "draft": ("Concept Zwartmeerbrug nog niet publiceren", "Status: draft"),
    "hidden": ("Verborgen Kwelderpersbericht", "Status: hidden"),
    "future": ("Toekomstig Ooievaarsnest bericht", ""),
}
SECRET_WORDS = ["Zwartmeerbrug", "zwartmeerbrug", "Kwelderpersbericht", "kwelderpersbericht", "Ooievaarsnest",
                "ooievaarsnest", "Duinrooskamer", "duinrooskamer", "Heidelandpagina", "heidelandpagina",
                "Geheimtekst"]

# Files every build writes whatever the content: lists, feeds, theme, machine-readable files.
SITE_FILES = [r"404\.html", r"\.well-known/security\.txt", r"robots\.txt", r"sitemap\.xml",
              r"blog/(index\.html|archief/index\.html|auteurs/index\.html|categorieen/index\.html|"
              r"onderwerpen/index\.html)", r"blog/auteur/[a-z-]+/index\.html", r"blog/categorie/[a-z-]+/index\.html",
              r"blog/onderwerp/[a-z-]+/index\.html", r"blog/\d{4}/(\d{2}/)?index\.html",
              r"feeds/[a-z]+(/[a-z-]+)?\.(atom\.xml|rss\.xml|json|css)", r"images/delen/site-[0-9a-f]+\.png",
              r"nieuwsbrief/(email\.css|\d{4}-\d{2}/[a-z]+/(edition\.json|email\.html|email\.txt|index\.html))",
              r"overzicht/(index\.html|\d{4}/\d{2}/index\.html)", r"statistieken/index\.html",
              r"theme/(css|js|images)/[a-z.-]+",
              r"410\.html", r"\.dorpsplein/(moved\.map|published\.json)",  # plugins/published
              r"\.dorpsplein/navigation\.json",  # plugins/whole_site, for the forms service
              r"index\.html"]  # the home page plugins/whole_site writes for a site without a welcome page


@pytest.fixture
def embargo_site(site):
    site.post("gepubliceerd", PUBLISHED["post"][1], "2026-11-02 09:00", body="Werk aan de weg.")
    site.post("concept", EMBARGOED["draft"][0], "2026-11-03 09:00", body="Geheimtekst over de brug.",
              Status="draft", Summary="Zwartmeerbrug in de samenvatting")
    site.post("verborgen", EMBARGOED["hidden"][0], "2026-11-04 09:00", body="Geheimtekst voor de pers.",
              Status="hidden", Tags="kwelderpersbericht")
    site.post("toekomst", EMBARGO_FUTURE_TITLE, "2099-06-01 09:00", body="Geheimtekst uit de toekomst.",
              Category="Ooievaarsnest")
    site.post("verlopen", "Verlopen afsluiting Kerkpad", "2026-09-20 10:00", Expires="2026-10-15 00:00")
    site.write("pages/over.md", "Title: Over ons\n\nOver de gemeente.\n")
    site.write("pages/geheim.md", "Title: Geheime Duinrooskamer\nStatus: hidden\n\nGeheimtekst.\n")
    site.write("pages/concept.md", "Title: Concept Heidelandpagina\nStatus: draft\n\nGeheimtekst.\n")
    return site


EMBARGO_FUTURE_TITLE = EMBARGOED["future"][0]


def test_a_production_build_writes_nothing_of_a_draft_hidden_or_future_post(embargo_site):
    embargo_site.build(production=True)
    output = embargo_site.output
    files = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    published = [rf"blog/2026/11/{PUBLISHED['post'][0]}/index\.html", rf"{PUBLISHED['page'][0]}/index\.html",
                 r"blog/2026/09/verlopen-afsluiting-kerkpad/index\.html",  # expired: unlisted, its page stays
                 rf"images/delen/({PUBLISHED['post'][0]}|{PUBLISHED['page'][0]}|verlopen-afsluiting-kerkpad)"
                 r"-[0-9a-f]+\.png"]
    unexplained = [f for f in files if not any(re.fullmatch(pattern, f) for pattern in published + SITE_FILES)]
    assert unexplained == []
    assert f"blog/2026/11/{PUBLISHED['post'][0]}/index.html" in files and "over-ons/index.html" in files
    assert "blog/2026/09/verlopen-afsluiting-kerkpad/index.html" in files
    assert sum(f.startswith("images/delen/") for f in files) == 4  # the posts', the page's and the site's

    for name in files:
        data = (output / name).read_bytes()
        leaked = [word for word in SECRET_WORDS if word.encode() in data]
        assert leaked == [], f"{name} holds {leaked}"


def test_a_development_build_still_previews_them(embargo_site):
    """The embargo is production's: staff still preview drafts, and hidden posts are at their address."""
    embargo_site.build()
    output = embargo_site.output
    assert (output / "concepten" / "concept-zwartmeerbrug-nog-niet-publiceren" / "index.html").is_file()
    assert (output / "blog/2026/11/verborgen-kwelderpersbericht/index.html").is_file()
    assert list((output / "images" / "delen").glob("concept-zwartmeerbrug-nog-niet-publiceren-*.png"))
