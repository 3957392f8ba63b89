"""Share links on every article and page, follow links and the channel list for the templates.

Our theme renders `article.share` / `page.share` (theme/templates/partials/share.html); a theme
without that partial gets a plain share block injected after the content (inject.py).
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from jinja2 import TemplateNotFound
from pelican import signals
from pelican.contents import Article, Page

from dorpsplein.channels import load_channels, profile_url
from dorpsplein.html_policy import title_text
from dorpsplein.lazy import Lazy
from dorpsplein.urls import absolute_url

from .inject import swap_in, swap_out
from .links import make_share
from .settings import THEME_PARTIAL, share_settings

logger = logging.getLogger(__name__)


def attach_share(content) -> None:
    if not isinstance(content, (Article, Page)):
        return
    options = share_settings(content.settings)
    if getattr(content, "slug", None) in options["SHARE_SKIP_SLUGS"]:
        return
    content.share = Lazy(partial(_share, content, options))  # made when its page is written


def _share(content, options: dict):
    title = title_text(content.title)  # text as staff typed it, as on the page (issue 18)
    return make_share(title, absolute_url(content.url, content.settings), options["SHARE_NETWORKS"],
                      options["SHARE_MASTODON_SERVER"])


def install_channels(generator) -> None:
    """`site_channels` (or None without a channel list) and `profile_url` for every template."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    options = share_settings(generator.settings)
    path = Path(generator.settings["PATH"]) / options["SHARE_CHANNELS_FILE"]
    env.globals["site_channels"] = load_channels(path) if path.is_file() else None
    env.globals["profile_url"] = profile_url


def _theme_renders_share(generator) -> bool:
    forced = share_settings(generator.settings)["SHARE_INJECT"]
    if forced is not None:
        return not forced
    if not hasattr(generator, "_share_theme_renders"):
        try:
            generator.env.get_template(THEME_PARTIAL)
            generator._share_theme_renders = True
        except TemplateNotFound:
            generator._share_theme_renders = False
    return generator._share_theme_renders


def before_write(generator, content) -> None:
    if not _theme_renders_share(generator):
        swap_in(content)


def after_write(path, context) -> None:
    for key in ("article", "page"):
        if context.get(key) is not None:
            swap_out(context[key])


def register():
    signals.content_object_init.connect(attach_share)
    signals.generator_init.connect(install_channels)
    signals.article_generator_write_article.connect(before_write)
    signals.page_generator_write_page.connect(before_write)
    signals.content_written.connect(after_write)
