"""The channel list ("social DNA"): our own accounts per network and the related accounts we follow.

`content/channels.toml` is plain data so that several parts can read it: `social follow` and
`social check` here, and the site's channels page. A mistake is reported with the file and the
field, e.g. `content/channels.toml: related[2].mastodon: expected @user@server, got 'vrv'`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DorpspleinError

NETWORKS = ("mastodon", "bluesky", "linkedin", "instagram", "facebook", "youtube", "whatsapp", "threads", "x")
# The networks we post to and follow on: their handles have a checked form.
HANDLE_PATTERNS = {
    "mastodon": re.compile(r"^@?[A-Za-z0-9_]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"),
    "bluesky": re.compile(r"^@?(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$"),
}
HANDLE_FORMS = {"mastodon": "@user@server", "bluesky": "a handle like name.bsky.social"}


@dataclass(frozen=True)
class Channel:
    """One of our own accounts."""

    network: str
    name: str
    url: str
    handle: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Related:
    """An account of a partner organisation that we follow (and show on the channels page)."""

    name: str
    handles: dict[str, str] = field(default_factory=dict)  # network -> handle
    description: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Channels:
    channels: tuple[Channel, ...]
    related: tuple[Related, ...]

    def own(self, network: str) -> Channel | None:
        return next((c for c in self.channels if c.network == network), None)


def normalise_handle(network: str, handle: str) -> str:
    """`@user@server` for Mastodon, `name.tld` (no @) for Bluesky."""
    handle = handle.strip()
    if network == "bluesky":
        return handle.lstrip("@").lower()
    if network == "mastodon":
        return "@" + handle.lstrip("@")
    return handle


def profile_url(network: str, handle: str) -> str | None:
    """The public profile address of a handle: `@user@server` → `https://server/@user`; None if unknown."""
    if network == "mastodon":
        user, _, server = handle.lstrip("@").partition("@")
        return f"https://{server}/@{user}" if user and server else None
    if network == "bluesky":
        return f"https://bsky.app/profile/{handle.lstrip('@')}"
    return None


def _text(data: dict, key: str, where: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise DorpspleinError(f"{where}.{key}: missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise DorpspleinError(f"{where}.{key}: expected text, got {value!r}")
    return value.strip()


def _url(data: dict, key: str, where: str, required: bool = False) -> str | None:
    value = _text(data, key, where, required)
    if value is not None and not value.startswith("https://"):
        raise DorpspleinError(f"{where}.{key}: expected an https:// address, got {value!r}")
    return value


def _handle(network: str, value: str | None, where: str) -> str | None:
    if value is None:
        return None
    pattern = HANDLE_PATTERNS.get(network)
    if pattern and not pattern.match(value):
        raise DorpspleinError(f"{where}: expected {HANDLE_FORMS[network]}, got {value!r}")
    return normalise_handle(network, value)


def _check_keys(data: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise DorpspleinError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(sorted(allowed))})")


def _channel(data, where: str) -> Channel:
    if not isinstance(data, dict):
        raise DorpspleinError(f"{where}: expected a table")
    _check_keys(data, {"network", "name", "url", "handle", "description"}, where)
    network = _text(data, "network", where, required=True)
    if network not in NETWORKS:
        raise DorpspleinError(f"{where}.network: unknown network {network!r} (known: {', '.join(NETWORKS)})")
    return Channel(network=network, name=_text(data, "name", where, required=True),
                   url=_url(data, "url", where, required=True),
                   handle=_handle(network, _text(data, "handle", where), f"{where}.handle"),
                   description=_text(data, "description", where))


def _related(data, where: str) -> Related:
    if not isinstance(data, dict):
        raise DorpspleinError(f"{where}: expected a table")
    _check_keys(data, {"name", "description", "url", *NETWORKS}, where)
    handles = {network: _handle(network, _text(data, network, where), f"{where}.{network}")
               for network in NETWORKS if network in data}
    return Related(name=_text(data, "name", where, required=True), handles=handles,
                   description=_text(data, "description", where), url=_url(data, "url", where))


def parse_channels(text: str, source: str = "channels.toml") -> Channels:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DorpspleinError(f"{source}: not valid TOML: {exc}") from None
    _check_keys(data, {"channels", "related"}, source)
    for key in ("channels", "related"):
        if not isinstance(data.get(key, []), list):
            raise DorpspleinError(f"{source}: {key}: expected a list of tables ([[{key}]])")
    channels = tuple(_channel(c, f"{source}: channels[{i}]") for i, c in enumerate(data.get("channels", [])))
    related = tuple(_related(r, f"{source}: related[{i}]") for i, r in enumerate(data.get("related", [])))
    seen: set[str] = set()
    for index, channel in enumerate(channels):
        if channel.network in seen:
            raise DorpspleinError(f"{source}: channels[{index}].network: {channel.network!r} is listed twice")
        seen.add(channel.network)
    return Channels(channels=channels, related=related)


def load_channels(path: Path) -> Channels:
    """Read and validate the channel list; a DorpspleinError names the file and the field."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DorpspleinError(f"{path}: channel list not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DorpspleinError(f"{path}: cannot read: {exc}") from None
    return parse_channels(text, str(path))
