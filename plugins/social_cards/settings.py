"""The social_cards plugin's settings and their defaults, merged in one place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageColor

FONT = Path(__file__).parent / "fonts" / "DejaVuSans-Bold.ttf"  # shipped: present on a fresh machine

DEFAULTS = {
    "SOCIAL_CARDS_IMAGE_DIR": "images/delen",  # generated share images, inside OUTPUT_PATH
    "SOCIAL_CARDS_FONT": str(FONT),
    "SOCIAL_CARDS_BACKGROUND": None,  # None: THEME_BRAND_COLOR
    "SOCIAL_CARDS_COLOR": None,  # None: THEME_BRAND_TEXT_COLOR
    "SOCIAL_CARDS_LOCALES": {"nl": "nl_NL", "en": "en_GB"},
    "SOCIAL_CARDS_ORGANIZATION": None,  # None: MUNICIPALITY, else SITENAME
    "SOCIAL_CARDS_ARTICLE_TYPE": "NewsArticle",  # or BlogPosting
}


@lru_cache(maxsize=32)  # asked for every post
def _colour(value: str, default: str) -> str:
    """A colour Pillow can draw, else the default (plugins/theme_tokens already warns about a bad THEME_*_COLOR)."""
    try:
        ImageColor.getrgb(value)
        return value
    except ValueError:
        return default


def card_settings(settings: dict) -> dict:
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    background = merged["SOCIAL_CARDS_BACKGROUND"] or settings.get("THEME_BRAND_COLOR")
    merged["SOCIAL_CARDS_BACKGROUND"] = _colour(str(background), "#0b4f8a")
    merged["SOCIAL_CARDS_COLOR"] = _colour(str(merged["SOCIAL_CARDS_COLOR"] or settings.get("THEME_BRAND_TEXT_COLOR")),
                                           "#ffffff")
    merged["SOCIAL_CARDS_ORGANIZATION"] = (merged["SOCIAL_CARDS_ORGANIZATION"] or settings.get("MUNICIPALITY")
                                           or settings["SITENAME"])
    return merged
