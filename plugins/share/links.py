"""Share links: plain addresses that load nothing until a person follows them (no widgets, no tracking).

Every value is percent-encoded with `quote(..., safe="")`, so a title with `&`, `#`, `?`, quotes or
emoji arrives intact: `parse_qs` on the query gives back the exact title and URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

# Visible texts for themes that do not render the links themselves (the injected block); our theme
# has its own in theme/strings.
LABELS = {
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "whatsapp": "WhatsApp",
    "email": "E-mail",
}


@dataclass(frozen=True)
class ShareLink:
    network: str
    url: str
    label: str


@dataclass(frozen=True)
class Share:
    """What a template needs to render the share block of one article or page."""

    title: str
    url: str  # absolute address of the post
    text: str  # title and address: the text of a new post on Mastodon, Bluesky, WhatsApp
    mastodon_server: str
    links: tuple[ShareLink, ...]


# Each network's share address; {text} (title and address), {title} and {url} arrive percent-encoded.
PATTERNS = {
    "mastodon": "https://{server}/share?text={text}",
    "bluesky": "https://bsky.app/intent/compose?text={text}",
    "linkedin": "https://www.linkedin.com/sharing/share-offsite/?url={url}",
    "facebook": "https://www.facebook.com/sharer/sharer.php?u={url}",
    "whatsapp": "https://wa.me/?text={text}",
    "email": "mailto:?subject={title}&body={url}",  # RFC 6068: a space is %20, never "+"
}


def _share_urls(networks: list[str], title: str, url: str, mastodon_server: str) -> list[str]:
    unknown = [n for n in networks if n not in PATTERNS]
    if unknown:
        raise ValueError(f"SHARE_NETWORKS: unknown network {unknown[0]!r} (known: {', '.join(PATTERNS)})")
    # Each value encoded once for all networks (encoding it per link was most of the plugin's time).
    encoded = {"text": quote(f"{title} {url}", safe=""), "title": quote(title, safe=""), "url": quote(url, safe="")}
    return [PATTERNS[n].format(server=mastodon_server, **encoded) for n in networks]


def share_url(network: str, title: str, url: str, mastodon_server: str) -> str:
    return _share_urls([network], title, url, mastodon_server)[0]


def make_share(title: str, url: str, networks: list[str], mastodon_server: str) -> Share:
    urls = _share_urls(networks, title, url, mastodon_server)
    links = tuple(ShareLink(n, link, LABELS[n]) for n, link in zip(networks, urls, strict=True))
    return Share(title=title, url=url, text=f"{title} {url}", mastodon_server=mastodon_server, links=links)
