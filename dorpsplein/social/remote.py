"""What the publishers hand back: a post on a network, our account's recent posts, an account."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Remote:
    """A post as it exists on a network."""

    id: str  # Mastodon status id, or the Bluesky at:// URI
    url: str  # where people see it
    text: str | None = None  # its text, when it was found on the account rather than made by us
    existing: bool = False  # it was there already: another run (another checkout, a process beside us) made it


def same_text(a: str, b: str) -> bool:
    return re.sub(r"\s+", " ", a).strip() == re.sub(r"\s+", " ", b).strip()


@dataclass(frozen=True)
class AccountPost:
    """One of our account's recent posts, as much as we need to recognise a post of ours in it."""

    remote: Remote
    text: str  # plain text
    links: frozenset[str] = field(default_factory=frozenset)  # every URL it links to (facets, card, hrefs)
    rkey: str = ""  # Bluesky record key

    def matches(self, link: str | None, text: str, keys) -> bool:
        """Is this the post of a feed item (by its URL), of one of our record keys, or with the same text?"""
        if link and link in self.links:
            return True
        if self.rkey and self.rkey in keys:
            return True
        return same_text(self.text, text)


def parse_time(value) -> datetime.datetime | None:
    """A server's timestamp (a datetime already, or ISO 8601 text) as an aware datetime; None when unreadable."""
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class AccountInfo:
    network: str
    handle: str  # @user@server (Mastodon) or name.tld (Bluesky)
    server: str
    display_name: str = ""
    detail: str = ""  # e.g. the server's version
