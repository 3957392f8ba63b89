"""Pelican gives every generator its own Jinja environment, so each one compiles the theme's
templates again (about 40 templates, several times per build). A bytecode cache keyed by the
template's source checksum lets them share the work, and lets the next build skip it too;
an edited template gets a new checksum and is compiled afresh.

Jinja's own key is the template's name and source only, but the compiled code also depends on
the environment's options: with `autoescape` switched on, a template compiled before would still
print values unescaped. The options that change the compiled code are part of our key.

Each build has environments of its own, so within one build a template never changes: Jinja's
check of its file's modification time on every use (`auto_reload`: 36,000 `stat` calls in a
2,000-post build, one per include and import on every page) is switched off.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import signals


def compile_options(environment) -> str:
    """What, besides the source, decides a template's compiled code."""
    autoescape = environment.autoescape
    if callable(autoescape):  # select_autoescape(...): its answer per name is what matters
        autoescape = getattr(autoescape, "__qualname__", type(autoescape).__name__)
    return repr((autoescape, environment.trim_blocks, environment.lstrip_blocks, environment.keep_trailing_newline,
                 environment.block_start_string, environment.variable_start_string, environment.comment_start_string,
                 environment.line_statement_prefix, environment.newline_sequence, environment.optimized,
                 getattr(environment.finalize, "__qualname__", None), sorted(environment.extensions)))


class OptionKeyedBytecodeCache(FileSystemBytecodeCache):
    def get_bucket(self, environment, name, filename, source):
        return super().get_bucket(environment, f"{name}\0{compile_options(environment)}", filename, source)


_caches: dict[str, OptionKeyedBytecodeCache] = {}


def bytecode_cache(settings: dict) -> OptionKeyedBytecodeCache:
    folder = Path(settings.get("TEMPLATE_CACHE_PATH") or Path(settings["CACHE_PATH"]) / "jinja")
    key = str(folder)
    if key not in _caches:
        folder.mkdir(parents=True, exist_ok=True)
        _caches[key] = OptionKeyedBytecodeCache(key)
    return _caches[key]


def share_compiled_templates(generator) -> None:
    generator.env.bytecode_cache = bytecode_cache(generator.settings)
    generator.env.auto_reload = False


def register():
    signals.generator_init.connect(share_compiled_templates)
