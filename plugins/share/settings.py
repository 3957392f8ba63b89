"""The share plugin's settings and their defaults, merged in one place."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULTS = {
    # Share links under every article and page, in this order.
    "SHARE_NETWORKS": ["mastodon", "bluesky", "linkedin", "facebook", "whatsapp", "email"],
    # Mastodon has no universal share address: without JavaScript the button goes to this server's
    # /share page. None: the host of MASTODON_URL (the server we post to).
    "SHARE_MASTODON_SERVER": None,
    # Pages that get no share links (their slugs), e.g. the home page.
    "SHARE_SKIP_SLUGS": ["welkom"],
    # None: inject a share block into the content when the theme has no `partials/share.html`
    # (i.e. it does not render `article.share` itself); True/False force it on or off.
    "SHARE_INJECT": None,
    # The channel list (dorpsplein/channels.py) for follow links and the channels page; relative to PATH.
    "SHARE_CHANNELS_FILE": "channels.toml",
}

THEME_PARTIAL = "partials/share.html"


def share_settings(settings: dict) -> dict:
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    server = merged["SHARE_MASTODON_SERVER"] or settings.get("MASTODON_URL") or "social.overheid.nl"
    # Accept "https://host", "host" or "host/": only the host is used.
    merged["SHARE_MASTODON_SERVER"] = urlsplit(server if "://" in server else f"https://{server}").hostname
    return merged
