"""Format dates in the site's language with babel instead of strftime + locale.

Pelican formats `locale_date` with strftime, which needs the nl_NL locale on
the build machine; CI machines rarely have it. babel carries its own CLDR data.
"""

from __future__ import annotations

import datetime

from babel.dates import format_date, get_month_names
from pelican import signals

DEFAULTS = {
    "DATE_FORMAT_BABEL": "d MMMM y",  # CLDR pattern: 28 november 2026
}


def _settings(settings: dict) -> dict:
    return {key: settings.get(key, value) for key, value in DEFAULTS.items()}


def _locale(settings: dict, content=None) -> str:
    return getattr(content, "lang", None) or settings.get("DEFAULT_LANG") or "nl"


def localized_date(value: datetime.date, pattern: str, locale: str) -> str:
    return format_date(value, format=pattern, locale=locale)


def set_locale_dates(content) -> None:
    """Replace Pelican's strftime dates on a post or page by babel's."""
    settings = content.settings
    pattern = _settings(settings)["DATE_FORMAT_BABEL"]
    locale = _locale(settings, content)
    if hasattr(content, "date"):
        content.locale_date = localized_date(content.date, pattern, locale)
    if hasattr(content, "modified"):
        content.locale_modified = localized_date(content.modified, pattern, locale)


def add_filters(generator) -> None:
    """Jinja filters: `{{ date|nl_date }}`, `{{ date|nl_date('MMMM y') }}`, `{{ 11|month_name }}`."""
    settings = generator.settings
    default_pattern = _settings(settings)["DATE_FORMAT_BABEL"]
    locale = _locale(settings)
    months = get_month_names("wide", locale=locale)

    def nl_date(value, pattern=default_pattern):
        return localized_date(value, pattern, locale)

    generator.env.filters.update(nl_date=nl_date, month_name=lambda number: months[int(number)])


def register():
    signals.content_object_init.connect(set_locale_dates)
    signals.generator_init.connect(add_filters)
