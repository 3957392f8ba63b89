"""Reading pelicanconf/publishconf, with `DORPSPLEIN_*` environment overrides."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pelican.settings import read_settings

from .errors import DorpspleinError
from .urls import site_forms_url

ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "DORPSPLEIN_"


def settings_file(production: bool = False, root: Path = ROOT) -> Path:
    return root / ("publishconf.py" if production else "pelicanconf.py")


def _coerce(name: str, raw: str, current):
    """Give an environment string the type of the setting it replaces."""
    if isinstance(current, bool):
        if raw.lower() in {"1", "true", "yes", "ja"}:
            return True
        if raw.lower() in {"0", "false", "no", "nee", ""}:
            return False
        raise DorpspleinError(f"{ENV_PREFIX}{name}: expected yes or no, got {raw!r}")
    if isinstance(current, int):
        try:
            return int(raw)
        except ValueError:
            raise DorpspleinError(f"{ENV_PREFIX}{name}: expected a whole number, got {raw!r}") from None
    if isinstance(current, (list, tuple, dict)):
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise DorpspleinError(f"{ENV_PREFIX}{name}: expected JSON ({exc})") from None
    return raw


def env_overrides(known: dict, environ=os.environ) -> dict:
    """Settings named by `DORPSPLEIN_<NAME>` variables, for names the settings know."""
    overrides = {}
    for key, raw in environ.items():
        name = key[len(ENV_PREFIX):]
        if key.startswith(ENV_PREFIX) and name in known:
            if raw == "" and not isinstance(known[name], bool):
                continue  # CI passes an unset variable as "": the settings file's value stays
            overrides[name] = _coerce(name, raw, known[name])
    return overrides


def load_settings(
    production: bool = False,
    content: str | os.PathLike | None = None,
    output: str | os.PathLike | None = None,
    extra: dict | None = None,
    root: Path = ROOT,
) -> dict:
    """Pelican settings for a build: the settings file, then the environment, then arguments."""
    path = settings_file(production, root)
    try:
        base = read_settings(str(path))
    except Exception as exc:  # a syntax error in the settings file, say
        raise DorpspleinError(f"{path.name}: cannot read settings: {exc}") from exc
    override = env_overrides(base)
    if content is not None:
        content = Path(content).resolve()
        if not content.is_dir():
            raise DorpspleinError(f"{content}: content folder does not exist")
        override["PATH"] = str(content)
        if not any((content / p).is_dir() for p in base["ARTICLE_PATHS"]):
            # A plain Pelican content folder: posts anywhere, pages in pages/.
            override["ARTICLE_PATHS"] = [""]
            override["ARTICLE_EXCLUDES"] = list(base["PAGE_PATHS"])
        # One content cache per content folder, so builds never see each other's cache.
        digest = hashlib.sha1(str(content).encode()).hexdigest()[:12]
        override["CACHE_PATH"] = str(Path(base["CACHE_PATH"]) / digest)
    if output is not None:
        override["OUTPUT_PATH"] = str(Path(output).resolve())
    override.update(extra or {})
    settings = read_settings(str(path), override=override) if override else base
    # Derived after every override, so DORPSPLEIN_SITEURL moves the forms with the site.
    settings["FORMS_URL"] = site_forms_url(settings)
    return settings
