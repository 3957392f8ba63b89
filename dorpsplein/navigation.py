"""The site's header and footer links as the last build wrote them, for pages the build does not write.

plugins/whole_site keeps only the `MENUITEMS` and `FOOTER_LINKS` whose page the build writes and
records them in the release as `.dorpsplein/navigation.json` (nginx serves no dot folder). The forms
service reads that file from the folder the site is served from (`DORPSPLEIN_FORMS_SITE_ROOT`, by
default the build's output folder), so its pages link to the same pages as the site's, and follows a
new release without a restart. Without the file it shows the configured links.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

logger = logging.getLogger(__name__)
NAVIGATION_FILE = ".dorpsplein/navigation.json"
_cache: dict[Path, tuple[float, dict]] = {}


def site_navigation(site_root: Path | None) -> dict:
    """{"MENUITEMS": [...], "FOOTER_LINKS": [...]} of the release in `site_root`, or {} when there is none."""
    if site_root is None:
        return {}
    path = (site_root / NAVIGATION_FILE).resolve()  # `current` is a symlink that publish switches
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        navigation = {name: [tuple(item) for item in data[name]] for name in ("MENUITEMS", "FOOTER_LINKS")}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("%s: not the site's navigation (%s); the configured links are shown", path, exc)
        return {}
    _cache[path] = (mtime, navigation)
    return navigation
