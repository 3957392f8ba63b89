"""Pelican gives every generator its own Jinja environment, so each one compiles the theme's
templates again (about 40 templates, several times per build). A bytecode cache keyed by the
template's source checksum lets them share the work, and lets the next build skip it too;
an edited template gets a new checksum and is compiled afresh.

Each build has environments of its own, so within one build a template never changes: Jinja's
check of its file's modification time on every use (`auto_reload`: 36,000 `stat` calls in a
2,000-post build, one per include and import on every page) is switched off.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import signals

_caches: dict[str, FileSystemBytecodeCache] = {}


def bytecode_cache(settings: dict) -> FileSystemBytecodeCache:
    folder = Path(settings.get("TEMPLATE_CACHE_PATH") or Path(settings["CACHE_PATH"]) / "jinja")
    key = str(folder)
    if key not in _caches:
        folder.mkdir(parents=True, exist_ok=True)
        _caches[key] = FileSystemBytecodeCache(key)
    return _caches[key]


def share_compiled_templates(generator) -> None:
    generator.env.bytecode_cache = bytecode_cache(generator.settings)
    generator.env.auto_reload = False


def register():
    signals.generator_init.connect(share_compiled_templates)
