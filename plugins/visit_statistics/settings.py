"""The statistics plugin's settings and their defaults, merged in one place."""

from __future__ import annotations

from pathlib import Path

DEFAULTS = {
    # Folder of the monthly aggregates (`tasks.py analytics` writes them); a relative path is taken
    # from the project folder, the one that holds the content folder (PATH).
    "STATISTICS_STATE_PATH": "state/analytics",
    "STATISTICS_URL": "statistieken/",
    "STATISTICS_SAVE_AS": "statistieken/index.html",
    "STATISTICS_MONTH_URL": "statistieken/{year}/{month}/",
    "STATISTICS_MONTH_SAVE_AS": "statistieken/{year}/{month}/index.html",
    "STATISTICS_TEMPLATE": "statistics",
    "STATISTICS_TOP": 10,
}


def statistics_settings(settings: dict) -> dict:
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    state = Path(merged["STATISTICS_STATE_PATH"])
    if not state.is_absolute():
        state = Path(settings["PATH"]).parent / state
    merged["STATISTICS_STATE_PATH"] = state
    return merged
