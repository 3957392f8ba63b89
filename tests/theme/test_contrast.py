"""Brand colours from pelicanconf become tokens; a colour that fails WCAG contrast is a build warning."""

from __future__ import annotations

import re

import pytest

from dorpsplein.errors import DorpspleinError
from dorpsplein.settings import ROOT
from plugins.theme_tokens.contrast import contrast_ratio, format_ratio, parse_hex
from plugins.theme_tokens.theme_tokens import PAIRS, check_contrast, read_tokens

TOKENS_CSS = ROOT / "theme/static/css/tokens.css"
MAIN_CSS = ROOT / "theme/static/css/dorpsplein.css"


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("#000000", "#ffffff", "21.00:1"),
    ("#fff", "#000", "21.00:1"),
    ("#767676", "#ffffff", "4.54:1"),  # the well-known lightest grey that passes on white
    ("#777777", "#ffffff", "4.47:1"),  # ... and the next one, which fails
    ("#0b4f8a", "#0b4f8a", "1.00:1"),
])
def test_contrast_ratio_follows_wcag_2_1(first, second, ratio):
    assert format_ratio(contrast_ratio(first, second)) == ratio


def test_ratio_is_rounded_down_so_a_failure_never_prints_as_the_minimum():
    assert format_ratio(4.4999) == "4.49:1"


@pytest.mark.parametrize("value", ["blauw", "#12345", "rgb(0,0,0)", "", "#gggggg"])
def test_only_hex_colours_are_understood(value):
    assert parse_hex(value) is None


def test_every_default_colour_pair_of_the_theme_passes_aa():
    tokens = read_tokens(TOKENS_CSS.read_text(encoding="utf-8"))
    findings = check_contrast(tokens, {})
    assert len(findings) == len(PAIRS)  # every pair was measured, none skipped
    assert [f.message for f in findings if not f.passes] == []


def test_every_token_the_stylesheet_uses_is_defined_once_in_the_tokens_file():
    declared = re.findall(r"(--dp-[\w-]+)\s*:", TOKENS_CSS.read_text(encoding="utf-8"))
    assert len(declared) == len(set(declared))
    used = set(re.findall(r"var\((--dp-[\w-]+)\)", MAIN_CSS.read_text(encoding="utf-8")))
    assert used - set(declared) == set()
    assert not re.findall(r"--dp-[\w-]+\s*:", MAIN_CSS.read_text(encoding="utf-8")), "tokens belong in tokens.css"


def test_screen_styles_take_every_colour_from_a_token():
    screen = MAIN_CSS.read_text(encoding="utf-8").split("@media print")[0]
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b|rgb\(", screen) == []


def test_a_brand_colour_that_fails_contrast_is_a_warning_with_the_setting_and_the_ratio(site):
    site.post("a", "Bericht", "2026-11-01 10:00")
    result = site.build(THEME_BRAND_COLOR="#ffdd00")
    assert ('THEME_BRAND_TEXT_COLOR = "#ffffff" on THEME_BRAND_COLOR = "#ffdd00": text in the page header '
            "(#ffffff on #ffdd00): contrast 1.34:1; WCAG 2.1 AA needs at least 4.5:1") in result.warnings
    assert any(w.startswith('THEME_BRAND_COLOR = "#ffdd00": buttons against the page') for w in result.warnings)


def test_a_link_colour_that_fails_contrast_fails_a_production_build(site):
    site.post("a", "Bericht", "2026-11-01 10:00")
    with pytest.raises(DorpspleinError) as error:
        site.build(production=True, THEME_LINK_COLOR="#7aa7d9")
    assert 'THEME_LINK_COLOR = "#7aa7d9": links (#7aa7d9 on #ffffff): contrast 2.51:1' in str(error.value)
    assert not site.output.exists()


def test_a_good_brand_colour_reaches_the_built_tokens_file_and_passes(site):
    site.post("a", "Bericht", "2026-11-01 10:00")
    result = site.build(production=True, THEME_BRAND_COLOR="#154273", THEME_LINK_COLOR="#154273")
    assert result.warnings == []
    built = (site.output / "theme/css/tokens.css").read_text(encoding="utf-8")
    assert built.startswith(TOKENS_CSS.read_text(encoding="utf-8"))
    overrides = built.split("/* From pelicanconf (plugins/theme_tokens) */")[1]
    assert "--dp-brand-color: #154273;" in overrides and "--dp-link-color: #154273;" in overrides


def test_a_colour_that_is_not_a_colour_is_named_and_left_out(site):
    site.post("a", "Bericht", "2026-11-01 10:00")
    result = site.build(THEME_BRAND_COLOR="blauw")
    assert result.warnings == ["THEME_BRAND_COLOR = 'blauw' is not a colour; write it as #rrggbb, e.g. \"#0b4f8a\""]
    assert "blauw" not in (site.output / "theme/css/tokens.css").read_text(encoding="utf-8")
