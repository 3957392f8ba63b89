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


def _q(value: str) -> str:
    return quote(value, safe="")


def share_url(network: str, title: str, url: str, mastodon_server: str) -> str:
    text = f"{title} {url}"
    if network == "mastodon":
        return f"https://{mastodon_server}/share?text={_q(text)}"
    if network == "bluesky":
        return f"https://bsky.app/intent/compose?text={_q(text)}"
    if network == "linkedin":
        return f"https://www.linkedin.com/sharing/share-offsite/?url={_q(url)}"
    if network == "facebook":
        return f"https://www.facebook.com/sharer/sharer.php?u={_q(url)}"
    if network == "whatsapp":
        return f"https://wa.me/?text={_q(text)}"
    if network == "email":
        # RFC 6068: hfields are percent-encoded; a space is %20, never "+".
        return f"mailto:?subject={_q(title)}&body={_q(url)}"
    raise ValueError(f"SHARE_NETWORKS: unknown network {network!r} (known: {', '.join(LABELS)})")


def make_share(title: str, url: str, networks: list[str], mastodon_server: str) -> Share:
    links = tuple(ShareLink(n, share_url(n, title, url, mastodon_server), LABELS[n]) for n in networks)
    return Share(title=title, url=url, text=f"{title} {url}", mastodon_server=mastodon_server, links=links)
