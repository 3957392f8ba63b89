"""The published plugin's settings and their defaults, merged in one place."""

from __future__ import annotations

from dorpsplein.published import DEFAULT_STATE_PATH, manifest_path

DEFAULTS = {
    # The manifest of what was published (committed state); a relative path is taken from the
    # project folder, the one that holds the content folder (PATH).
    "PUBLISHED_STATE_PATH": DEFAULT_STATE_PATH,
    # Only production builds (publishconf.py) write the manifest; every build reads it.
    "PUBLISHED_WRITE": False,
    # The ids the first manifest gives posts that are on the site already: "url", the id their
    # feeds carried before (the absolute URL), or "tag" for a site that starts with tag: ids.
    "PUBLISHED_FIRST_IDS": "url",
    # The nginx map (old address → new URL, or "gone"), part of the release; nginx includes it.
    "PUBLISHED_MAP_SAVE_AS": ".dorpsplein/moved.map",
    # The manifest this build would record, in the output: `tasks.py check` compares it with the state.
    "PUBLISHED_MANIFEST_SAVE_AS": ".dorpsplein/published.json",
    # The page nginx shows with 410 Gone (error_page 410).
    "PUBLISHED_GONE_SAVE_AS": "410.html",
    "PUBLISHED_MOVED_TEMPLATE": "moved",
    "PUBLISHED_WITHDRAWN_TEMPLATE": "withdrawn",
}


def published_settings(settings: dict) -> dict:
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    merged["PUBLISHED_STATE_PATH"] = manifest_path(merged | {"PATH": settings["PATH"]})
    return merged
