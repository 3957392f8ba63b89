"""What the publishers hand back: a post on a network, an account, the outcome of a follow."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Remote:
    """A post as it exists on a network."""

    id: str  # Mastodon status id, or the Bluesky at:// URI
    url: str  # where people see it


@dataclass(frozen=True)
class AccountInfo:
    network: str
    handle: str  # @user@server (Mastodon) or name.tld (Bluesky)
    server: str
    display_name: str = ""
    detail: str = ""  # e.g. the server's version
