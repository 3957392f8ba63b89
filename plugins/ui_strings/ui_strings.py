"""Load the theme's UI strings (theme/strings/<lang>.toml) and give templates `t(key, **values)`.

Dutch is the complete table; another language is a translation of it. A key missing from the
translation falls back to Dutch with a warning; a key missing from Dutch fails the build, so a
typo in a template never renders as an empty string.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

BASE_LANG = "nl"
DEFAULTS = {
    "UI_LANG": None,  # None: the site's DEFAULT_LANG
    "UI_STRINGS_PATH": None,  # None: <THEME>/strings
}


class UnknownString(KeyError):
    """A template asked for a key that is not in the Dutch table."""

    def __str__(self):
        return self.args[0]


def _settings(settings: dict) -> dict:
    merged = {key: settings.get(key, value) for key, value in DEFAULTS.items()}
    merged["UI_LANG"] = merged["UI_LANG"] or settings.get("DEFAULT_LANG") or BASE_LANG
    merged["UI_STRINGS_PATH"] = Path(merged["UI_STRINGS_PATH"] or Path(settings["THEME"]) / "strings")
    return merged


def load_table(folder: Path, lang: str) -> dict:
    """The Dutch table with the `lang` translation laid over it."""
    base_file = folder / f"{BASE_LANG}.toml"
    with base_file.open("rb") as handle:
        table = tomllib.load(handle)
    if lang == BASE_LANG:
        return table
    path = folder / f"{lang}.toml"
    if not path.is_file():
        logger.warning("UI_LANG %r: there is no %s; the site's buttons and labels stay Dutch", lang, path)
        return table
    with path.open("rb") as handle:
        translation = tomllib.load(handle)
    missing = sorted(set(table) - set(translation))
    if missing:
        logger.warning("%s: %d UI string(s) not translated, shown in Dutch: %s", path, len(missing), ", ".join(missing))
    unknown = sorted(set(translation) - set(table))
    if unknown:
        logger.warning("%s: key(s) not in %s, ignored: %s", path, base_file.name, ", ".join(unknown))
    table.update({key: value for key, value in translation.items() if key in table})
    return table


def make_translator(table: dict, source: str):
    """`t("page_of", number=2, total=3)`; a table entry {one=…, other=…} is chosen by `count`."""

    def t(key: str, **values) -> str:
        try:
            text = table[key]
        except KeyError:
            raise UnknownString(f"UI string {key!r} is not in {source}") from None
        if isinstance(text, dict):
            text = text["one"] if values.get("count") == 1 else text["other"]
        return text.format(**values) if values else text

    return t


def install(generator) -> None:
    env = getattr(generator, "env", None)
    if env is None:  # the static generator renders no templates
        return
    options = _settings(generator.settings)
    folder = options["UI_STRINGS_PATH"]
    if not (folder / f"{BASE_LANG}.toml").is_file():  # a theme without a strings table, e.g. Pelican's own
        logger.debug("ui_strings: no %s; templates get no `t`", folder / f"{BASE_LANG}.toml")
        return
    table = load_table(folder, options["UI_LANG"])
    env.globals["t"] = make_translator(table, str(folder / f"{BASE_LANG}.toml"))
    env.globals["ui_lang"] = options["UI_LANG"]


def register():
    signals.generator_init.connect(install)
