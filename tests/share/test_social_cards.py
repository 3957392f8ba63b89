"""Social cards on real builds: canonical, OpenGraph, Twitter, JSON-LD, and the generated share image."""

from __future__ import annotations

import json
import random

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops, ImageFont

from dorpsplein.errors import DorpspleinError
from dorpsplein.lazy import Lazy
from plugins.social_cards.image import MARGIN, WIDTH, _fit, drawable
from plugins.social_cards.meta import Card, json_ld
from plugins.social_cards.settings import FONT

TRICKY = 'Q&A: "Snoeien" #molenweg? 🌳'
ARTICLE = "blog/2026/11/qa-snoeien-molenweg/index.html"


def head(site, relpath) -> tuple[dict[str, str], str, list[dict]]:
    page = BeautifulSoup(site.html(relpath), "html.parser")
    meta = {m.get("property") or m["name"]: m["content"] for m in page.select("head meta[content]")
            if m.get("property") or m.get("name")}
    scripts = page.select('head script[type="application/ld+json"]')
    assert len(scripts) == 1
    return meta, page.select_one("head link[rel=canonical]")["href"], json.loads(scripts[0].string)["@graph"]


@pytest.fixture
def built(site):
    site.post("q", TRICKY, "2026-11-01 10:00", Summary="Kort & <em>goed</em>.", Modified="2026-11-02 09:00")
    site.post("foto", "Met foto", "2026-11-03 10:00", Image="images/a.png", Image_alt="Een plein")
    site.write("pages/info.md", "Title: Info\nSummary: Uitleg.\n\nTekst.\n")
    assert site.build(SITEURL="https://x.nl").warnings == []
    return site


def test_article_card_has_every_required_tag_with_absolute_urls(built):
    meta, canonical, _ = head(built, ARTICLE)
    url = "https://x.nl/blog/2026/11/qa-snoeien-molenweg/"
    assert canonical == meta["og:url"] == url
    assert meta["og:title"] == meta["twitter:title"] == TRICKY
    assert meta["og:description"] == "Kort & goed."
    assert (meta["og:type"], meta["og:locale"], meta["twitter:card"]) == ("article", "nl_NL", "summary_large_image")
    assert meta["article:published_time"] == "2026-11-01T10:00:00+01:00"
    assert meta["article:modified_time"] == "2026-11-02T09:00:00+01:00"
    assert meta["og:image"].startswith("https://x.nl/images/delen/qa-snoeien-molenweg-")
    assert meta["og:image"] == meta["twitter:image"]
    assert meta["og:image:alt"] == f"{TRICKY} – Dorpsplein Gemeente Voorbeeld"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")


def test_json_ld_names_the_municipality_and_the_news_article(built):
    _, _, graph = head(built, ARTICLE)
    org, article = graph
    assert (org["@type"], org["name"], org["url"]) == ("GovernmentOrganization", "Gemeente Voorbeeld", "https://x.nl/")
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == TRICKY
    assert article["datePublished"] == "2026-11-01T10:00:00+01:00"
    assert article["dateModified"] == "2026-11-02T09:00:00+01:00"
    assert article["publisher"] == {"@id": org["@id"]}
    assert article["image"] == [head(built, ARTICLE)[0]["og:image"]]


def test_a_post_with_an_image_uses_it_and_its_alt_text(built):
    meta, _, _ = head(built, "blog/2026/11/met-foto/index.html")
    assert (meta["og:image"], meta["og:image:alt"]) == ("https://x.nl/images/a.png", "Een plein")
    assert not list((built.output / "images/delen").glob("met-foto-*"))


def test_pages_and_lists_have_cards_too(built):
    meta, canonical, graph = head(built, "info/index.html")
    assert (canonical, meta["og:type"], graph[1]["@type"]) == ("https://x.nl/info/", "website", "WebPage")
    meta, canonical, graph = head(built, "blog/index.html")
    assert canonical == "https://x.nl/blog/"
    assert [node["@type"] for node in graph] == ["GovernmentOrganization"]
    assert meta["og:image"].startswith("https://x.nl/images/delen/site-")
    assert (built.output / meta["og:image"].removeprefix("https://x.nl/")).is_file()


def share_image(site, slug) -> Image.Image:
    [path] = (site.output / "images/delen").glob(f"{slug}-*.png")
    return Image.open(path)


def test_share_image_is_1200_by_630_in_the_brand_colour(built):
    image = share_image(built, "qa-snoeien-molenweg")
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert image.convert("RGB").getpixel((5, 5)) == (0x0B, 0x4F, 0x8A)


def test_share_image_changes_only_when_the_title_or_branding_changes(site):
    site.post("a", "Eerste titel", "2026-11-01 10:00")
    site.build()
    [first] = (site.output / "images/delen").glob("eerste-titel-*.png")
    cached = site.content.parent / "cache/social_cards" / first.name
    stamp = cached.stat().st_mtime_ns
    site.build()
    assert cached.stat().st_mtime_ns == stamp  # not drawn again
    site.post("a", "Tweede titel", "2026-11-01 10:00", Slug="eerste-titel")
    site.build()
    [second] = (site.output / "images/delen").glob("eerste-titel-*.png")
    assert second.name != first.name
    assert ImageChops.difference(Image.open(cached).convert("RGB"), Image.open(second).convert("RGB")).getbbox()
    site.build(THEME_BRAND_COLOR="#5a2d82")
    [third] = (site.output / "images/delen").glob("eerste-titel-*.png")
    assert third.name != second.name
    assert Image.open(third).convert("RGB").getpixel((5, 5)) == (0x5A, 0x2D, 0x82)


def test_a_long_title_is_wrapped_and_fitted_inside_the_margins():
    font, lines = _fit("Verkeersbesluit " * 30, str(FONT), WIDTH - 2 * MARGIN, 400)
    assert 1 < len(lines) <= 5 and lines[-1].endswith(" …")
    assert all(font.getlength(line) <= WIDTH - 2 * MARGIN for line in lines)
    short_font, short = _fit("Markt", str(FONT), WIDTH - 2 * MARGIN, 400)
    assert short == ["Markt"] and short_font.size > font.size
    assert isinstance(font, ImageFont.FreeTypeFont)


def test_fitted_titles_keep_every_word_in_order_and_every_line_measured_exactly_fits():
    # Words are measured once and scaled between sizes; hinting makes that an estimate, so the
    # lines chosen must still fit when measured at their own size.
    rng = random.Random(7)
    words = "de gemeente Voorbeeld Dorpsstraat wegwerkzaamheden en op inwoners W Mmm iii".split()
    width = WIDTH - 2 * MARGIN
    # Titles whose scaled estimate comes out a fraction of a pixel too wide at the size chosen.
    overflowing = [
        ("zomer uitvoering rotonde najaar oude neemt waren goede en rotonde is Mmm hinder", 350),
        ("ligt waar dan volgend helpt meer om dorp rijbewijs gaat wijk toen afspraak vernieuwing Mmm minder", 270),
    ]
    generated = [(" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))), 300) for _ in range(300)]
    for title, height in overflowing + generated:
        font, lines = _fit(title, str(FONT), width, height)
        assert " ".join(lines) == title
        assert len(lines) <= 5 and len(lines) * font.size * 1.2 <= height
        assert all(font.getlength(line) <= width for line in lines), (title, font.size, lines)


def test_emoji_are_left_out_of_the_drawing_as_the_font_has_no_glyphs_for_them():
    assert drawable("Repair Café 🌳  open ❤️") == "Repair Café open ❤"


def test_json_ld_text_cannot_end_its_script_element():
    text = json_ld([{"headline": "a </script><script>alert(1)</script>"}])
    assert "</" not in text
    assert json.loads(text)["@graph"][0]["headline"] == "a </script><script>alert(1)</script>"


def test_the_image_of_a_removed_post_leaves_the_output_and_others_stay(site):
    site.post("a", "Blijft staan", "2026-11-01 10:00")
    removed = site.post("b", "Wordt verwijderd", "2026-11-02 10:00")
    site.build()
    folder = site.output / "images/delen"
    assert len(list(folder.glob("blijft-staan-*.png"))) == len(list(folder.glob("wordt-verwijderd-*.png"))) == 1
    (folder / "eigen-foto.png").write_bytes(b"not generated: no key in its name")
    removed.unlink()
    site.build()
    assert list(folder.glob("wordt-verwijderd-*.png")) == []
    assert len(list(folder.glob("blijft-staan-*.png"))) == 1
    assert (folder / "eigen-foto.png").exists()


def test_a_production_build_ships_no_share_image_of_a_draft_or_a_future_post(site):
    """Their pages are not written, so an image with their title would announce them early."""
    site.post("a", "Gepubliceerd", "2026-11-01 10:00")
    site.post("b", "Nog een concept", "2026-11-02 10:00", Status="draft")
    site.post("c", "Komt later", "2099-01-04 10:00")
    site.build(production=True, SITEURL="https://x.nl")
    names = [path.name for path in (site.output / "images/delen").iterdir()]
    assert [n for n in names if n.startswith("gepubliceerd-")] and not [n for n in names if n.startswith(
        ("nog-een-concept-", "komt-later-"))], names


def test_a_drawing_that_fails_in_a_worker_fails_the_build_with_its_error(site, tmp_path):
    site.post("a", "Zonder lettertype", "2026-11-01 10:00")
    with pytest.raises(DorpspleinError, match="cannot open resource"):
        site.build(SOCIAL_CARDS_FONT=str(tmp_path / "bestaat-niet.ttf"))
    assert not list((site.content.parent / "cache/social_cards").glob("*.tmp"))


def test_a_lazy_card_is_made_once_when_first_read_and_not_at_all_otherwise():
    made = []

    def make():
        made.append(1)
        return Card(canonical="https://x.nl/a/", meta=[("property", "og:title", "A")])

    unread = Lazy(make)
    card = Lazy(make)
    assert made == []
    assert card.canonical == "https://x.nl/a/" and card.meta == [("property", "og:title", "A")]
    assert made == [1]
    assert unread is not None and made == [1]


def test_once_the_pages_are_written_the_build_process_draws_the_batches_no_worker_has_started(tmp_path, monkeypatch):
    import os
    import time

    from plugins.social_cards import drawing

    def draw_to_cache(cached, **_):  # runs in a forked worker or in this process; says which
        time.sleep(0.05)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(str(os.getpid()))

    monkeypatch.setattr(drawing, "draw_to_cache", draw_to_cache)
    monkeypatch.setattr(drawing, "BATCH", 2)
    work = drawing.Drawing(tmp_path / "cache", tmp_path / "output")
    for number in range(40):
        work.want(f"images/{number}.png", {})
    work.finish()
    drawn_by = [(tmp_path / "cache" / f"{number}.png").read_text() for number in range(40)]
    assert str(os.getpid()) in drawn_by  # this process helped
    assert set(drawn_by) - {str(os.getpid())}  # and the workers drew the first ones
    assert all((tmp_path / "output/images" / f"{number}.png").is_file() for number in range(40))


def test_a_share_image_written_by_our_png_writer_decodes_to_the_same_pixels_and_palette(tmp_path):
    import io
    import zlib

    from plugins.social_cards.image import draw_to_cache, render
    from plugins.social_cards.png import palette_png

    drawing = {"title": "Wegwerkzaamheden aan de Molenweg en het Dorpsplein", "site_name": "Gemeente Voorbeeld",
               "background": "#0b4f8a", "color": "#ffffff", "font_path": str(FONT)}
    drawn = render(**drawing)
    draw_to_cache(tmp_path / "kaart.png", **drawing)
    data = palette_png(drawn)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(data):  # Pillow does not check the CRC of IDAT: every chunk's is checked here
        length = int.from_bytes(data[at:at + 4], "big")
        kind, body, crc = data[at + 4:at + 8], data[at + 8:at + 8 + length], data[at + 8 + length:at + 12 + length]
        assert int.from_bytes(crc, "big") == zlib.crc32(kind + body), kind
        chunks.append(kind)
        at += 12 + length
    assert chunks == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    for written in (Image.open(tmp_path / "kaart.png"), Image.open(io.BytesIO(data))):
        written.load()
        assert (written.format, written.mode, written.size) == ("PNG", "P", (1200, 630))
        assert written.tobytes() == drawn.tobytes() and written.getpalette() == drawn.getpalette()
    assert not ImageChops.difference(Image.open(tmp_path / "kaart.png").convert("RGB"), drawn.convert("RGB")).getbbox()
    with pytest.raises(ValueError, match="mode RGB"):
        palette_png(drawn.convert("RGB"))
