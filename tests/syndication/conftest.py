"""A tiny site with every kind of post the feeds must include or leave out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

FEED_FILES = ["feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/all.json",
              "feeds/categorie/nieuws.atom.xml", "feeds/categorie/nieuws.rss.xml",
              "feeds/onderwerp/verkeer.atom.xml", "feeds/onderwerp/verkeer.rss.xml"]
TRICKY_TITLE = "Brug & <script>alert('x')</script> \"open\" 🎉 שלום"


def write_tricky_site(site) -> None:
    image = site.content / "images" / "brug.jpg"
    image.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 20), (30, 90, 160)).save(image, quality=70)
    site.post("brug", TRICKY_TITLE, "2026-01-10 09:00", Tags="verkeer, brug",
              Summary="De brug is open & veilig.", Image="images/brug.jpg", Image_alt="De nieuwe brug",
              Social="Eigen tekst voor sociale media", Modified="2026-01-12 10:00", Authors="Sanne Bakker",
              body="Zie [de kaart](/kaart/), ![De brug](/images/brug.jpg) en [boven](#top).\n\n"
                   '<img src="images/brug.jpg" srcset="/images/brug.jpg 1x, /images/brug.jpg 2x" alt="Brug">\n\n'
                   "[Extern](https://www.overheid.nl/) en [relatief](../andere/).")
    site.post("ouder", "Ouder bericht", "2026-01-05 09:00", Tags="verkeer", Share="no")
    site.post("concept", "Concept bericht", "2026-01-06 09:00", Status="draft")
    site.post("verborgen", "Verborgen bericht", "2026-01-07 09:00", Status="hidden")
    site.post("toekomst", "Bericht uit de toekomst", "2099-01-01 09:00")
    site.post("verlopen", "Verlopen mededeling", "2026-01-08 09:00", Expires="2026-01-09 00:00")
    site.post("geldig", "Geldige mededeling", "2026-01-09 09:00", Expires="2099-01-01 00:00",
              Category="Bekendmakingen")
    site.write("pages/kaart.md", "Title: Kaart\nSlug: kaart\n\nDe kaart.\n")


@pytest.fixture
def tricky(site):
    write_tricky_site(site)
    site.build()
    return site


def read(site, relpath: str) -> bytes:
    return (Path(site.output) / relpath).read_bytes()
