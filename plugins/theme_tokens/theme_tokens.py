"""Brand settings → design tokens, checked for WCAG 2.1 AA contrast and written into the built tokens.css.

The theme's tokens file (theme/static/css/tokens.css) holds every token with its default. The
THEME_*_COLOR settings override brand tokens; after the build has copied the theme's static files,
the overrides are appended to the built copy of that file, so the site keeps one tokens file and
the forms service, which links the same stylesheet, gets the same colours.

Every colour pair in PAIRS is measured after the overrides. A pair below its minimum is a build
warning naming the setting(s) involved and the measured ratio; a production build fails on it.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import NamedTuple

from pelican import signals

from dorpsplein.files import write_if_changed

from .contrast import contrast_ratio, format_ratio, parse_hex
from .tables import scroll_tables
from .trusted_html import content_html

logger = logging.getLogger(__name__)

DEFAULTS = {
    "THEME_BRAND_COLOR": None,  # header and button background; None keeps the theme's
    "THEME_BRAND_TEXT_COLOR": None,  # text on the brand colour
    "THEME_LINK_COLOR": None,
    "THEME_LOGO": None,  # site-relative path of a logo image shown before SITENAME
    "THEME_HOME_LATEST_POSTS": 5,  # posts listed on the home page
    "THEME_TOKENS_FILE": "css/tokens.css",  # inside the theme's static folder
}

SETTING_TOKENS = {
    "THEME_BRAND_COLOR": "--dp-brand-color",
    "THEME_BRAND_TEXT_COLOR": "--dp-brand-text-color",
    "THEME_LINK_COLOR": "--dp-link-color",
}

# (foreground token, background token, minimum ratio, what the pair is): 4.5:1 for text,
# 3:1 for the edges of controls and focus indicators (WCAG 1.4.3 and 1.4.11).
PAIRS = [
    ("--dp-document-color", "--dp-document-background-color", 4.5, "body text"),
    ("--dp-meta-color", "--dp-document-background-color", 4.5, "dates and authors"),
    ("--dp-link-color", "--dp-document-background-color", 4.5, "links"),
    ("--dp-link-visited-color", "--dp-document-background-color", 4.5, "visited links"),
    ("--dp-link-color", "--dp-page-footer-background-color", 4.5, "links in the footer"),
    ("--dp-page-footer-color", "--dp-page-footer-background-color", 4.5, "footer text"),
    ("--dp-page-header-color", "--dp-page-header-background-color", 4.5, "text in the page header"),
    ("--dp-button-color", "--dp-button-background-color", 4.5, "button text"),
    ("--dp-button-background-color", "--dp-document-background-color", 3.0, "buttons against the page"),
    ("--dp-focus-color", "--dp-focus-background-color", 4.5, "focused links"),
    ("--dp-focus-outline-color", "--dp-document-background-color", 3.0, "the focus outline"),
    ("--dp-focus-background-color", "--dp-page-header-background-color", 3.0, "focused links in the header"),
    ("--dp-form-control-border-color", "--dp-form-control-background-color", 3.0, "form field borders"),
    ("--dp-form-field-invalid-color", "--dp-document-background-color", 4.5, "error messages"),
    ("--dp-notice-expired-color", "--dp-notice-expired-background-color", 4.5, "the expired note"),
]

DECLARATION = re.compile(r"(--dp-[\w-]+)\s*:\s*([^;]+);")
VAR = re.compile(r"var\((--dp-[\w-]+)\)")


def _settings(settings: dict) -> dict:
    return {key: settings.get(key, value) for key, value in DEFAULTS.items()}


def read_tokens(css: str) -> dict[str, str]:
    """Every `--dp-…: value;` declaration of a stylesheet, the last one winning like in CSS."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return {name: value.strip() for name, value in DECLARATION.findall(css)}


def resolve(tokens: dict[str, str], name: str, seen: tuple = ()) -> tuple[str | None, tuple]:
    """The value of a token after following var() references, and the chain of tokens followed."""
    value = tokens.get(name)
    chain = seen + (name,)
    match = VAR.fullmatch(value or "")
    if match and match.group(1) not in chain:
        return resolve(tokens, match.group(1), chain)
    return value, chain


def brand_overrides(options: dict) -> tuple[dict[str, str], dict[str, str]]:
    """({token: colour}, {token: setting}) from the THEME_*_COLOR settings; bad values are logged and skipped."""
    overrides, sources = {}, {}
    for setting, token in SETTING_TOKENS.items():
        value = options[setting]
        if value is None:
            continue
        if parse_hex(value) is None:
            logger.warning("%s = %r is not a colour; write it as #rrggbb, e.g. \"#0b4f8a\"", setting, value)
            continue
        overrides[token], sources[token] = str(value).strip(), setting
    return overrides, sources


class Finding(NamedTuple):
    message: str
    passes: bool
    from_settings: bool  # the pair involves a THEME_*_COLOR setting


def check_contrast(tokens: dict[str, str], sources: dict[str, str]) -> list[Finding]:
    """Every pair of colours measured; the message names the settings behind the colours."""
    findings = []
    for fg_name, bg_name, minimum, what in PAIRS:
        fg, fg_chain = resolve(tokens, fg_name)
        bg, bg_chain = resolve(tokens, bg_name)
        if parse_hex(fg or "") is None or parse_hex(bg or "") is None:
            continue  # not in this theme, or not a plain colour
        named = [" and ".join(f'{sources[t]} = "{tokens[t]}"' for t in chain if t in sources)
                 for chain in (fg_chain, bg_chain)]
        subject = " on ".join(n for n in named if n) or f"theme tokens {fg_name} and {bg_name}"
        ratio = contrast_ratio(fg, bg)
        findings.append(Finding(f"{subject}: {what} ({fg} on {bg}): contrast {format_ratio(ratio)}; "
                                f"WCAG 2.1 AA needs at least {minimum:g}:1", ratio >= minimum, any(named)))
    return findings


def apply(pelican) -> None:
    """After the build: check the colours, then append the brand overrides to the built tokens file."""
    settings = pelican.settings
    options = _settings(settings)
    source = Path(settings["THEME"]) / "static" / options["THEME_TOKENS_FILE"]
    if not source.is_file():
        logger.debug("theme_tokens: %s does not exist; this theme has no tokens to set", source)
        return
    overrides, sources = brand_overrides(options)
    tokens = read_tokens(source.read_text(encoding="utf-8")) | overrides
    for finding in check_contrast(tokens, sources):
        if not finding.passes:
            logger.warning(finding.message)
        elif finding.from_settings:
            logger.info(finding.message)
    if not overrides:
        return
    built = Path(pelican.output_path) / settings["THEME_STATIC_DIR"] / options["THEME_TOKENS_FILE"]
    block = "".join(f"  {token}: {value};\n" for token, value in overrides.items())
    text = f"{source.read_text(encoding='utf-8')}\n/* From pelicanconf (plugins/theme_tokens) */\n:root {{\n{block}}}\n"
    write_if_changed(built, text.encode("utf-8"))


def prepare_templates(generator) -> None:
    """Theme settings with their defaults when pelicanconf leaves them out, and the theme's filters.

    Our theme (the one with the tokens file) is written for autoescaping: every value is text, and
    only `content_html` prints HTML. Pelican's own themes are not, so their environments are left alone.
    """
    for key, value in DEFAULTS.items():
        generator.context.setdefault(key, value)
    if getattr(generator, "env", None) is not None:
        generator.env.filters.update(scroll_tables=scroll_tables, content_html=content_html)
        settings = generator.settings
        if (Path(settings["THEME"]) / "static" / _settings(settings)["THEME_TOKENS_FILE"]).is_file():
            generator.env.autoescape = True


def register():
    signals.generator_init.connect(prepare_templates)
    signals.finalized.connect(apply)
