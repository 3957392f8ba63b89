"""Every text of the theme comes from one table per language; Dutch is the default, English a translation."""

from __future__ import annotations

import re
import tomllib

import pytest

from dorpsplein.settings import ROOT
from plugins.ui_strings.ui_strings import UnknownString, make_translator

STRINGS = ROOT / "theme/strings"
TEMPLATES = ROOT / "theme/templates"
# The theme's own templates; other features (feeds page, forms, statistics) add theirs beside them.
THEME_TEMPLATES = ["base.html", "_macros.html", "home.html", "index.html", "article.html", "page.html",
                   "category.html", "tag.html", "author.html", "archives.html", "period_archives.html",
                   "categories.html", "tags.html", "authors.html", "404.html", "overview.html",
                   "partials/page_header.html", "partials/page_footer.html", "partials/feed_links_head.html",
                   "partials/feed_links_list.html", "feeds_page.html",
                   "partials/share.html", "partials/follow.html", "partials/icons.html", "channels.html",
                   "withdrawn.html", "moved.html"]


def table(lang: str) -> dict:
    return tomllib.loads((STRINGS / f"{lang}.toml").read_text(encoding="utf-8"))


def template_text(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def test_english_translates_every_dutch_string_and_nothing_else():
    nl, en = table("nl"), table("en")
    assert set(en) == set(nl)
    assert {k for k, v in en.items() if isinstance(v, dict)} == {k for k, v in nl.items() if isinstance(v, dict)}


def test_every_key_the_templates_ask_for_exists_and_every_string_is_used():
    used = set()
    for name in THEME_TEMPLATES:
        used |= set(re.findall(r"""\bt\(\s*["']([\w]+)["']""", template_text(name)))
    assert used - set(table("nl")) == set()
    assert set(table("nl")) - used == set()


@pytest.mark.parametrize("name", THEME_TEMPLATES)
def test_templates_hold_no_text_of_their_own(name):
    """Words in a template would stay Dutch in an English site: they belong in theme/strings."""
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", template_text(name), flags=re.DOTALL)
    text = re.sub(r"<!DOCTYPE html>|<[^>]+>|&\w+;", " ", text)
    assert re.findall(r"[^\W\d_]{2,}", text) == []


def test_plural_and_placeholders():
    t = make_translator(table("nl"), "nl.toml")
    assert t("post_count", count=1) == "1 bericht"
    assert t("post_count", count=3) == "3 berichten"
    assert t("page_of", number=2, total=3) == "Pagina 2 van 3"


def test_a_key_missing_from_the_table_fails_loudly_with_its_name():
    t = make_translator(table("nl"), "theme/strings/nl.toml")
    with pytest.raises(UnknownString, match="UI string 'skip_lnk' is not in theme/strings/nl.toml"):
        t("skip_lnk")


def test_an_english_site_is_a_translation_not_a_fork(site):
    for day in (1, 2, 3):
        site.post(f"p{day}", f"Post {day}", f"2026-11-0{day} 10:00", Lang="en")
    site.write("pages/missing.md", "Title: Missing\nSlug: x\n\nText.\n")
    site.build(DEFAULT_LANG="en", UI_LANG="en", DEFAULT_PAGINATION=2)
    html = site.html("blog/pagina/2/index.html")
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#inhoud">Skip to content</a>' in html
    assert "<span>Page 2 of 2</span>" in html and "Previous page" in html
    assert "Naar de inhoud" not in html and "Pagina " not in html
    assert "<h1>Page not found</h1>" in site.html("404.html")


def test_an_untranslated_string_falls_back_to_dutch_with_a_warning(site, tmp_path):
    strings = tmp_path / "strings"
    strings.mkdir()
    (strings / "nl.toml").write_bytes((STRINGS / "nl.toml").read_bytes())
    english = (STRINGS / "en.toml").read_text(encoding="utf-8").replace('skip_link = "Skip to content"\n', "")
    (strings / "en.toml").write_text(english + 'skip_lnik = "typo"\n', encoding="utf-8")
    site.post("a", "Post", "2026-11-01 10:00")
    result = site.build(UI_LANG="en", UI_STRINGS_PATH=str(strings))
    assert f"{strings / 'en.toml'}: 1 UI string(s) not translated, shown in Dutch: skip_link" in result.warnings
    assert f"{strings / 'en.toml'}: key(s) not in nl.toml, ignored: skip_lnik" in result.warnings
    assert "Naar de inhoud</a>" in site.html("blog/index.html")


def test_a_language_without_a_table_stays_dutch_with_a_warning(site):
    site.post("a", "Post", "2026-11-01 10:00")
    result = site.build(UI_LANG="fr")
    assert any(w.startswith("UI_LANG 'fr': there is no ") for w in result.warnings)
    assert "Naar de inhoud</a>" in site.html("blog/index.html")
